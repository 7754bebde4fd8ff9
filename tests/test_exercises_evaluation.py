"""Evaluation rubric: a real initiative (a listed case or one's own that runs), ratings with
evidence, the overall score, the change against the peer group, earlier answers, the view."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.evaluation import (
    CASES,
    CRITERIA,
    CRITERIA_SOURCE,
    OWN,
    QUESTIONS,
    SCALE,
    EvaluationRubric,
    EvaluationRubricModel,
    _sentence,
)
from digit4sd_widgets.workbook import Workbook

from .i18n_checks import english_left

PNG = b"\x89PNG\r\n\x1a\n"
THIS_YEAR = datetime.date.today().year
EVIDENCE = "Offices 15 to 35 km away (UNDP page)"


def open_wb(tmp_path):
    """The workbook of one test (no merging with other tests' folders)."""
    return Workbook.open(tmp_path / "wb.json", siblings=False)


def rated(m: EvaluationRubricModel, evidence: str = EVIDENCE) -> EvaluationRubricModel:
    for i, c in enumerate(CRITERIA):
        m = m.with_rating(c, score=1 + i % 4, evidence=evidence)
    return m


def own_model(**own) -> EvaluationRubricModel:
    fields = {"name": "Online business registration", "does": "Firms register online",
              "since": 2016, "evidence": "Registry statistics 2016-2023", **own}
    return EvaluationRubricModel(case=OWN, own=fields, country="NPL")


# ------------------------------------------------------------------------------ the cases
def test_the_cases_are_real_sourced_and_start_on_their_edition():
    assert {"bgd_udc", "eth_esw"} <= set(CASES)  # Bangladesh's centres and one from Ethiopia
    for case in CASES.values():
        assert case.id and case.name and case.does and case.gaps
        assert case.since <= THIS_YEAR
        assert len(case.facts) >= 5
        assert all(f.text.strip() and f.source.strip() for f in case.facts)
        assert case.start_edition in data.EDITIONS and case.start_edition <= case.since
        m = EvaluationRubricModel(case=case.id)
        assert (m.country, m.from_year, m.to_year) == (case.country, case.start_edition,
                                                       data.LATEST_EDITION)
        assert m.initiative == case.name and m.since == case.since
    assert CASES["bgd_udc"].country == "BGD" and CASES["eth_esw"].country == "ETH"
    assert "OECD" in CRITERIA_SOURCE and "2019" in CRITERIA_SOURCE


def test_defaults():
    m = EvaluationRubricModel()
    d = m.to_dict()
    assert d == {"case": "", "own": {"name": "", "does": "", "since": None, "evidence": ""},
                 "ratings": {c: {"score": 0, "evidence": ""} for c in CRITERIA},
                 "country": "BGD", "from_year": 2014, "to_year": data.LATEST_EDITION}
    assert list(d["ratings"]) == list(CRITERIA) == list(QUESTIONS)
    assert m.overall() == {"score": None, "rated": 0, "total": 6}
    assert m.initiative == "" and m.since is None and m.listed is None
    assert EvaluationRubricModel.from_dict({}) == m


def test_choosing_a_case_brings_its_country_and_keeps_the_ratings():
    m = EvaluationRubricModel(country="NPL").with_rating("impact", score=2, evidence="x y z")
    udc = m.with_case("bgd_udc")
    assert (udc.country, udc.from_year) == ("BGD", 2010)
    assert udc.ratings["impact"].score == 2
    esw = udc.with_case("eth_esw")
    assert (esw.country, esw.from_year) == ("ETH", 2020)
    back = esw.with_case(OWN, country="NPL")
    assert (back.case, back.country, back.from_year) == (OWN, "NPL", 2020)
    assert esw.with_case(OWN).country == "ETH"  # no country given: kept
    # the editions of the last case may not suit the new country: back to the defaults
    ssd = EvaluationRubricModel(case="bgd_udc").with_case(OWN, country="SSD")
    assert (ssd.country, ssd.from_year) == ("SSD", 2014)


def test_a_listed_case_fixes_the_country():
    m = EvaluationRubricModel(case="eth_esw")
    with pytest.raises(ValidationError, match="The country follows the initiative"):
        m.with_country("NPL")
    assert m.with_country("Ethiopia") == m
    assert m.with_comparison(from_year=2014).from_year == 2014
    with pytest.raises(ValidationError, match="runs in Ethiopia"):
        EvaluationRubricModel.from_dict({"case": "eth_esw", "country": "BGD"})


def test_an_own_initiative_must_already_run():
    m = own_model()
    assert m.initiative == "Online business registration" and m.since == 2016
    assert m.with_own(since=" ").own.since is None
    assert m.with_own(since="2019").own.since == 2019
    with pytest.raises(ValidationError, match="in the future: choose an initiative that "
                                              "already runs"):
        m.with_own(since=THIS_YEAR + 1)
    with pytest.raises(ValidationError, match="at least 1960"):
        m.with_own(since=1900)
    with pytest.raises(ValidationError, match="must be a number"):
        m.with_own(since="soon")
    with pytest.raises(ValidationError, match="too long"):
        m.with_own(name="n" * 201)
    assert m.own.since == 2016  # a refusal leaves the model as it was


def test_the_start_year_of_an_own_initiative_moves_the_comparison():
    m = own_model(since=None).with_comparison(from_year=2008, to_year=2022)
    assert (m.with_own(since=2017).from_year, m.with_own(since=2017).to_year) == (
        2016, data.LATEST_EDITION)
    assert m.with_own(since=2001).from_year == 2003  # before the first edition: the first
    assert m.with_own(since=THIS_YEAR).from_year == 2008  # no later edition: kept
    moved = m.with_own(since=2017).with_comparison(from_year=2012)
    assert moved.with_own(name="Renamed").from_year == 2012  # only a new year moves it
    # a listed case keeps its own editions
    assert EvaluationRubricModel(case="bgd_udc").with_own(since=2019).from_year == 2010


# ------------------------------------------------------------------------------ ratings
def test_ratings_and_overall_score():
    m = EvaluationRubricModel(case="rwa_irembo")
    m2 = m.with_rating("relevance", score=4, evidence="Long trips to offices")
    m2 = m2.with_rating("impact", score="2").with_rating("impact", evidence="Too early")
    assert m2.ratings["impact"].score == 2 and m2.ratings["impact"].evidence == "Too early"
    assert m2.overall() == {"score": 3.0, "rated": 2, "total": 6}
    assert m.overall()["rated"] == 0  # untouched
    assert m2.with_rating("impact", score=0).overall() == {"score": 4.0, "rated": 1,
                                                          "total": 6}
    assert set(SCALE) == {0, 1, 2, 3, 4}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"score": 5}, "at most 4"),
        ({"score": -1}, "at least 0"),
        ({"score": "high"}, "must be a number"),
        ({"score": 2.5}, "whole number"),
        ({"evidence": "x" * 1001}, "too long"),
        ({"evidence": 3}, "must be text"),
    ],
)
def test_rating_refusals(change, message):
    m = EvaluationRubricModel()
    with pytest.raises(ValidationError, match=message):
        m.with_rating("coherence", **change)
    assert m.ratings["coherence"].score == 0


# ------------------------------------------------------------------------------ completeness
def test_complete_needs_a_chosen_initiative_and_evidence_for_every_rating():
    empty = EvaluationRubricModel()
    done = empty.completeness()
    assert (done.done, done.total) == (0, 7)
    assert done.missing[:2] == ["choose the initiative you evaluate", "a rating for relevance"]
    assert rated(empty).completeness().missing == ["choose the initiative you evaluate"]
    udc = rated(EvaluationRubricModel(case="bgd_udc"))
    assert udc.completeness().complete
    # a rating with no evidence, or too little, is not complete
    bare = udc.with_rating("impact", evidence="")
    assert bare.completeness().missing == ["evidence for impact"]
    short = udc.with_rating("efficiency", evidence="UNDP page")
    assert short.completeness().missing == [
        "more evidence for efficiency (at least 3 words: what shows it, and where it comes "
        "from)"]
    assert udc.with_rating("coherence", score=0).completeness().missing == [
        "a rating for coherence"]


def test_an_own_initiative_is_complete_when_described():
    m = rated(EvaluationRubricModel(case=OWN, country="NPL"))
    assert m.completeness().missing == ["the name of your initiative", "what it does",
                                        "the year it started", "the evidence you have about it"]
    assert m.completeness().done == 6
    assert rated(own_model()).completeness().complete
    assert rated(own_model(since=None)).completeness().missing == ["the year it started"]


# ------------------------------------------------------------------------------ storage
def test_round_trip_and_report():
    m = rated(EvaluationRubricModel(case="eth_esw"))
    assert EvaluationRubricModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    blocks = m.report()
    assert [b.kind for b in blocks] == ["fields", "table", "note", "table", "note", "fields",
                                        "image"]
    fields = dict(blocks[0].items)
    assert fields["Initiative"] == "Electronic Single Window for trade (eSW)"
    assert fields["Country"] == "Ethiopia" and fields["Running since"] == "2020"
    assert blocks[1].columns == ["Fact", "Source"] and len(blocks[1].rows) >= 5
    assert blocks[3].rows[0][:3] == ["relevance", QUESTIONS["relevance"], "1 – not met"]
    assert blocks[4].text == CRITERIA_SOURCE
    assert dict(blocks[5].items)["Editions"] == "2020 to 2024"
    assert blocks[6].png.startswith(PNG)
    own = rated(own_model())
    assert EvaluationRubricModel.from_dict(json.loads(json.dumps(own.to_dict()))) == own
    items = dict(own.report()[0].items)
    assert items["Evidence you have"] == "Registry statistics 2016-2023"
    assert items["Country"] == "Nepal"
    assert [b.kind for b in own.report()][:2] == ["fields", "table"]
    assert dict(EvaluationRubricModel().report()[0].items)["Initiative"] == "not chosen yet"


def test_an_earlier_answer_still_loads():
    """Answers saved before the choice of a real initiative: the initiative becomes the
    learner's own, to be described; ratings, country and editions are kept."""
    old = {"initiative": "Online registration of births and deaths",
           "ratings": {c: {"score": 3, "evidence": f"Evidence for {c} from the pilot."}
                       for c in CRITERIA},
           "country": "NPL", "from_year": 2012, "to_year": 2022}
    m = EvaluationRubricModel.from_dict(old)
    assert (m.case, m.own.name, m.country, m.from_year, m.to_year) == (
        OWN, "Online registration of births and deaths", "NPL", 2012, 2022)
    assert m.ratings["impact"].evidence == "Evidence for impact from the pilot."
    assert m.completeness().missing == ["what it does", "the year it started",
                                        "the evidence you have about it"]
    blank = EvaluationRubricModel.from_dict({"initiative": "", "country": "ETH"})
    assert (blank.case, blank.country, blank.from_year) == ("", "ETH", 2014)
    with pytest.raises(ValidationError, match="too long"):
        EvaluationRubricModel.from_dict({"initiative": "x" * 201})


@pytest.mark.parametrize(
    ("data_", "message"),
    [
        ({"case": "atlantis_portal"}, "Unknown initiative 'atlantis_portal'"),
        ({"case": 3}, "Unknown initiative '3'"),
        ({"case": OWN, "own": [1]}, "Your initiative must be a set of named fields"),
        ({"case": OWN, "own": {"since": 2999}}, "in the future"),
        ({"ratings": {"beauty": {"score": 3}}}, "Unknown criterion 'beauty'"),
        ({"ratings": [1, 2]}, "The ratings must be a set of named fields"),
        ({"ratings": {"impact": 3}}, "The rating for impact must be a set of named fields"),
        ({"country": "Atlantis"}, "Unknown country"),
        ({"from_year": 2024}, "The first edition must come before the second one"),
        ({"from_year": 2020, "to_year": 2018}, "must come before"),
        ({"from_year": 2015}, "'From' edition must be a Survey edition"),
        ({"to_year": "soon"}, "'To' edition must be a number"),
        ({"country": "MNE", "from_year": 2003}, "No EGDI was computed for Montenegro in 2003"),
        ({"country": "SSD", "from_year": 2008, "to_year": 2010},
         "No EGDI was computed for South Sudan in 2008"),
    ],
)
def test_refusals(data_, message):
    with pytest.raises(ValidationError, match=message):
        EvaluationRubricModel.from_dict(data_)


@pytest.mark.parametrize(
    "change",
    [{"from_year": 2024}, {"country": "MNE", "from_year": 2003}, {"country": "Atlantis"},
     {"to_year": 2013}],
)
def test_a_refused_comparison_keeps_the_model(change):
    m = EvaluationRubricModel().with_rating("impact", score=2)
    with pytest.raises(ValidationError):
        m.with_comparison(**change)
    assert (m.country, m.from_year, m.to_year) == ("BGD", 2014, data.LATEST_EDITION)
    assert m.ratings["impact"].score == 2


# ------------------------------------------------------------------------------ data part
def test_comparison_matches_the_data():
    m = EvaluationRubricModel(case="bgd_udc")
    c = m.comparison()
    s2010 = data.load_survey(years=2010).set_index("iso3")["egdi"]
    s2024 = data.load_survey(years=2024).set_index("iso3")["egdi"]
    assert c["change"] == pytest.approx(s2024["BGD"] - s2010["BGD"])
    peers = analysis.peer_countries("BGD", 2024)  # membership of the later edition
    changes = (s2024[peers] - s2010[peers]).dropna()
    assert c["peer_count"] == len(changes)
    assert c["group_change"] == pytest.approx(float(changes.mean()))
    assert c["difference"] == pytest.approx(c["change"] - c["group_change"])
    assert c["group"] == "ldc"
    assert c["sentence"] == (f"Bangladesh gained {c['change']:.2f}, its group "
                             f"{c['group_change']:.2f}: faster than its group.")


def test_peers_without_both_figures_are_left_out():
    c = EvaluationRubricModel(country="ETH", from_year=2003, to_year=2024).comparison()
    s2003 = data.load_survey(years=2003).set_index("iso3")["egdi"]
    peers = analysis.peer_countries("ETH", 2024)
    assert c["peer_count"] == int(s2003[peers].notna().sum())
    assert c["peer_count"] < len(peers)


@pytest.mark.parametrize(
    ("own", "group", "sentence"),
    [
        (0.21, 0.09, "X gained 0.21, its group 0.09: faster than its group."),
        (0.05, 0.14, "X gained 0.05, its group 0.14: slower than its group."),
        (-0.03, 0.05, "X lost 0.03, its group gained 0.05: behind its group."),
        (0.02, -0.04, "X gained 0.02, its group lost 0.04: ahead of its group."),
        (-0.01, -0.06, "X lost 0.01, its group lost 0.06: ahead of its group."),
        (0.101, 0.099, "X gained 0.10, its group 0.10: about the same as its group."),
        (0.001, 0.002, "X stayed about level, its group stayed about level: about the same "
                       "as its group."),
    ],
)
def test_plain_sentences(own, group, sentence):
    assert _sentence("X", own, group) == sentence


def test_starter_does_not_rate_the_planned_initiative():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH", target_area="Digital birth registration")
    m = EvaluationRubricModel.starter(wb)
    assert (m.case, m.own.name, m.country) == ("", "", "ETH")
    wb.set_case(country="QQQ", target_area=["not text"])
    m = EvaluationRubricModel.starter(wb)
    assert (m.case, m.country) == ("", "BGD")


# ------------------------------------------------------------------------------ view
def test_view_without_arguments():
    view = EvaluationRubric(workbook=Workbook.in_memory())
    assert view.model.country == "BGD" and view.case.value is None
    assert [v for _, v in view.case.options] == [*CASES, OWN]
    assert view.case_info.value == "" and view.own_box.layout.display == "none"
    assert (view.from_year.value, view.to_year.value) == (2014, data.LATEST_EDITION)
    assert "Bangladesh gained" in view.result.value
    assert "Did Bangladesh move faster than its peers?" in view.compare_title.value
    assert bytes(view.chart.value).startswith(PNG)
    assert "EGDI of Bangladesh and its peers, 2014 and 2024" in view.chart.alt
    assert "<table" in view.chart.numbers.value and "Bangladesh" in view.chart.numbers.value
    assert "no criterion rated yet" in view.overall.value
    assert "choose the initiative you evaluate" in view.progress.value
    assert set(view.scores) == set(CRITERIA)
    page = "".join(getattr(w, "value", "") for w in view.children
                   if isinstance(getattr(w, "value", None), str))
    assert "OECD Development Assistance Committee (DAC), as revised in 2019" in page


def test_view_shows_a_case_and_fixes_its_country(tmp_path):
    wb = open_wb(tmp_path)
    wb.set_case(country="NPL", target_area="e-Procurement")
    view = EvaluationRubric(workbook=wb)
    assert view.model.country == "NPL" and view.own_name.value == ""  # the plan is not rated
    view.case.value = "bgd_udc"
    assert (view.model.case, view.country.value, view.from_year.value) == ("bgd_udc", "BGD",
                                                                          2010)
    assert view.country.disabled
    assert "UNDP Bangladesh" in view.case_info.value and "<table" in view.case_info.value
    assert "Did Bangladesh move faster" in view.compare_title.value
    view.case.value = OWN  # back to the learner's own country
    assert view.model.country == "NPL" and not view.country.disabled
    assert view.own_box.layout.display == "" and view.case_info.value == ""
    saved = open_wb(tmp_path).get("5.2/evaluation_rubric")
    assert (saved["case"], saved["country"]) == (OWN, "NPL")


def test_view_describes_an_own_initiative_and_saves(tmp_path):
    wb = open_wb(tmp_path)
    view = EvaluationRubric(workbook=wb)
    view.case.value = OWN
    view.own_name.value = "Land records online"
    view.own_does.value = "People check and update land titles"
    view.own_since.value = "2017"
    view.own_evidence.value = "Ministry annual report 2023"
    view.scores["relevance"].value = 4
    view.evidence["relevance"].value = "Land disputes are common"
    view.scores["impact"].value = 2
    assert "3.0 out of 4 (2 of 6 criteria rated)" in view.overall.value
    view.own_since.value = str(THIS_YEAR + 3)
    assert "in the future" in view.own_message.value
    assert view.model.own.since == 2017
    view.own_since.value = "2017"
    assert view.own_message.value == ""
    view.to_year.value = 2022
    view.from_year.value = 2012
    assert "Saved in your workbook" in view.status.value
    saved = open_wb(tmp_path).get("5.2/evaluation_rubric")
    assert saved["own"] == {"name": "Land records online",
                            "does": "People check and update land titles", "since": 2017,
                            "evidence": "Ministry annual report 2023"}
    assert saved["ratings"]["relevance"] == {"score": 4, "evidence": "Land disputes are common"}
    assert (saved["from_year"], saved["to_year"]) == (2012, 2022)
    restored = EvaluationRubric(workbook=open_wb(tmp_path))
    assert restored.model == view.model
    assert restored.case.value == OWN and restored.own_since.value == "2017"
    assert restored.scores["impact"].value == 2


def test_view_restores_an_earlier_answer(tmp_path):
    wb = open_wb(tmp_path)
    wb.set("5.2/evaluation_rubric", "evaluation_rubric", {
        "initiative": "e-Procurement", "ratings": {"impact": {"score": 3, "evidence": "a b c"}},
        "country": "NPL", "from_year": 2012, "to_year": 2022})
    view = EvaluationRubric(workbook=wb)
    assert "could not be restored" not in view.status.value
    assert (view.case.value, view.own_name.value, view.country.value) == (OWN, "e-Procurement",
                                                                         "NPL")
    assert view.scores["impact"].value == 3


def test_country_argument_on_a_listed_case():
    wb = Workbook.in_memory()
    wb.set("5.2/evaluation_rubric", "evaluation_rubric",
           EvaluationRubricModel(case="eth_esw").to_dict())
    view = EvaluationRubric(country="Nepal", workbook=wb)
    assert view.model.country == "ETH"
    assert "runs in Ethiopia" in view.country_message.value


def test_view_country_argument_and_unknown_country():
    assert EvaluationRubric(country="Ethiopia", workbook=Workbook.in_memory()).model.country \
        == "ETH"
    view = EvaluationRubric(country="Atlantis", workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert "Unknown country" in view.country_message.value


def test_view_refuses_bad_editions_and_keeps_the_model():
    view = EvaluationRubric(workbook=Workbook.in_memory())
    view.from_year.value = 2024
    assert "must come before" in view.country_message.value
    assert view.model.from_year == 2014
    view.from_year.value = 2003
    view.country.value = "MNE"
    assert "No EGDI was computed for Montenegro in 2003" in view.country_message.value
    assert view.model.country == "BGD" and view.model.from_year == 2003
    view.from_year.value = 2008
    assert view.country_message.value == ""
    assert view.model.to_dict()["country"] == "MNE"
    # a refused pick is put back when something else is saved
    view.to_year.value = 2003
    assert "must come before" in view.country_message.value
    view.scores["impact"].value = 3
    assert view.to_year.value == data.LATEST_EDITION and view.country_message.value == ""


def test_view_refuses_too_long_text():
    view = EvaluationRubric(workbook=Workbook.in_memory())
    view.evidence["efficiency"].value = "e" * 1200
    assert "too long" in view.rating_messages["efficiency"].value
    assert view.model.ratings["efficiency"].evidence == ""
    view.case.value = OWN
    view.own_name.value = "i" * 300
    assert "too long" in view.own_message.value
    assert view.model.own.name == ""


def test_learner_text_is_shown_as_text():
    view = EvaluationRubric(country="CIV", workbook=Workbook.in_memory())
    assert "Côte d&#x27;Ivoire" in view.result.value
    view.case.value = OWN
    view.own_name.value = "<script>alert(1)</script>"
    view.evidence["impact"].value = "<script>alert(1)</script>"
    view.own_since.value = "<b>2019</b>"
    assert view.model.ratings["impact"].evidence == "<script>alert(1)</script>"
    assert view.model.own.name == "<script>alert(1)</script>"
    for out in (view.result.value, view.overall.value, view.progress.value,
                view.status.value, view.own_message.value, view.compare_title.value,
                view.case_info.value):
        assert "<script>" not in out and "<b>2019" not in out
    view.case.value = "bgd_udc"
    assert "<script>" not in view.case_info.value


def test_a_save_failure_is_shown(tmp_path, monkeypatch):
    view = EvaluationRubric(workbook=open_wb(tmp_path))
    monkeypatch.setattr("digit4sd_widgets.workbook.os.replace",
                        lambda *a: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    view.scores["impact"].value = 4
    assert "could not be saved" in view.status.value
    assert view.model.ratings["impact"].score == 0


# ------------------------------------------------------------------------------ properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=10,
)
SAMPLE = ["BGD", "ETH", "NPL", "MNE"]
YEARS = [2003, 2008, 2014, 2020, 2024]
rating_like = st.fixed_dictionaries({"score": st.integers(-1, 5) | json_values,
                                     "evidence": st.text(max_size=20) | json_values})
own_like = st.fixed_dictionaries({
    "name": st.text(max_size=20) | json_values, "does": st.text(max_size=20) | json_values,
    "since": st.integers(1950, THIS_YEAR + 2) | st.just("") | json_values,
    "evidence": st.text(max_size=20) | json_values})
answer_like = st.fixed_dictionaries({
    "case": st.sampled_from(["", *CASES, OWN]) | json_values,
    "own": own_like | json_values,
    "ratings": st.dictionaries(st.sampled_from(CRITERIA), rating_like, max_size=6)
    | json_values,
    "country": st.sampled_from(SAMPLE) | json_values,
    "from_year": st.sampled_from(YEARS) | json_values,
    "to_year": st.sampled_from(YEARS) | json_values,
})
old_like = st.fixed_dictionaries({
    "initiative": st.text(max_size=20) | json_values,
    "ratings": st.dictionaries(st.sampled_from(CRITERIA), rating_like, max_size=6),
    "country": st.sampled_from(SAMPLE), "from_year": st.sampled_from(YEARS),
    "to_year": st.sampled_from(YEARS)})


@settings(max_examples=80, deadline=None)
@given(st.one_of(json_values, answer_like, old_like))
def test_any_input_gives_a_model_or_a_refusal_and_round_trips(raw):
    try:
        m = EvaluationRubricModel.from_dict(raw)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    assert EvaluationRubricModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert m.from_year < m.to_year
    assert m.listed is None or m.country == m.listed.country
    assert m.own.since is None or m.own.since <= THIS_YEAR
    o = m.overall()
    assert o["score"] is None or 1 <= o["score"] <= 4


ops = st.lists(st.one_of(
    st.tuples(st.just("case"), st.sampled_from([*CASES, OWN])),
    st.tuples(st.just("score"), st.tuples(st.sampled_from(CRITERIA), st.integers(0, 4))),
    st.tuples(st.just("evidence"), st.tuples(st.sampled_from(CRITERIA),
                                             st.text(max_size=20) | st.just("v" * 1100))),
    st.tuples(st.just("name"), st.text(max_size=20)),
    st.tuples(st.just("since"), st.sampled_from(["", "2015", "abc", str(THIS_YEAR + 1)])),
    st.tuples(st.just("country"), st.sampled_from(SAMPLE)),
    st.tuples(st.just("from"), st.sampled_from(YEARS)),
    st.tuples(st.just("to"), st.sampled_from(YEARS)),
), max_size=8)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_use_of_the_view_never_raises(steps):
    view = EvaluationRubric(workbook=Workbook.in_memory())
    controls = {"case": view.case, "name": view.own_name, "since": view.own_since,
                "country": view.country, "from": view.from_year, "to": view.to_year}
    for op, value in steps:
        if op == "score":
            view.scores[value[0]].value = value[1]
        elif op == "evidence":
            view.evidence[value[0]].value = value[1]
        else:
            controls[op].value = value
    m = EvaluationRubricModel.from_dict(view.model.to_dict())
    assert m.from_year < m.to_year
    assert m.listed is None or m.country == m.listed.country
    messages = (view.status.value + view.country_message.value + view.case_message.value
                + view.own_message.value)
    assert "That did not work" not in messages


# ------------------------------------------------------------------------- French
NB = "\u00a0"


def test_the_rubric_speaks_french_and_stores_english_keys():
    from digit4sd_widgets.exercises.evaluation import criterion_name, score_text
    from digit4sd_widgets.i18n import language

    with language("fr"):
        assert _sentence("X", 0.21, 0.09) == (
            f"X{NB}: hausse de 0,21{NB}; son groupe{NB}: hausse de 0,09. Bilan{NB}: "
            "progression plus rapide que celle de son groupe.")
        assert score_text(3) == "3 – largement atteint" and score_text(0) == "pas encore noté"
        assert criterion_name("sustainability") == "viabilité"
        view = EvaluationRubric(workbook=Workbook.in_memory())
        view.case.value = "eth_esw"
        view.scores["relevance"].value = 3
        assert view.case.options[1][0] == ("Éthiopie\u00a0: Guichet unique électronique du "
                                           "commerce (eSW) (depuis 2020)")
        assert "Ce que les sources ne disent pas" in view.case_info.value
        assert f"Bilan global{NB}: 3,0 sur 4 (1 critère noté sur 6)" in view.overall.value
        assert "Éthiopie et ses pairs" in view.compare_title.value
        assert re.search(r"hausse de 0,\d\d", view.result.value)
        assert view.chart.alt.startswith(f"Graphique à barres{NB}: Éthiopie et ses pairs")
        report = view.model.report()
        criterion, question, rating = report[3].rows[0][:3]
        assert (criterion, rating) == ("pertinence", "3 – largement atteint")
        assert question.startswith("Répond-elle à un besoin réel")
        with pytest.raises(ValidationError, match="est dans le futur"):
            view.model.with_own(since=THIS_YEAR + 1)
    assert view.model.to_dict()["ratings"]["relevance"]["score"] == 3
    assert view.model.initiative == "Electronic Single Window for trade (eSW)"


def test_a_rubric_drawn_in_french_shows_no_english():
    from digit4sd_widgets.examples import example_workbook
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html

    with language("fr"):
        for country in ("BGD", "ETH", "RWA"):
            wb = Workbook.in_memory()
            example_workbook(wb, country=country)
            view = EvaluationRubric(workbook=wb)
            page = widget_html(view)
            assert english_left(page, "digit4sd_widgets/exercises/evaluation.py",
                                "digit4sd_widgets/charts.py") == [], country
        view.case.value = OWN
        assert english_left(widget_html(view), "digit4sd_widgets/exercises/evaluation.py") == []
    assert "Grille d&#x27;évaluation" in page
