"""Evaluation rubric: ratings, overall score, the change against the peer group, view."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.evaluation import (
    CRITERIA,
    QUESTIONS,
    SCALE,
    EvaluationRubric,
    EvaluationRubricModel,
    _sentence,
)
from digit4sd_widgets.workbook import Workbook

PNG = b"\x89PNG\r\n\x1a\n"


def open_wb(tmp_path):
    """The workbook of one test (no merging with other tests' folders)."""
    return Workbook.open(tmp_path / "wb.json", siblings=False)


# ------------------------------------------------------------------------------ model
def test_defaults():
    m = EvaluationRubricModel()
    d = m.to_dict()
    assert d == {"initiative": "",
                 "ratings": {c: {"score": 0, "evidence": ""} for c in CRITERIA},
                 "country": "BGD", "from_year": 2014, "to_year": data.LATEST_EDITION}
    assert list(d["ratings"]) == list(CRITERIA) == list(QUESTIONS)
    assert m.overall() == {"score": None, "rated": 0, "total": 6}
    assert EvaluationRubricModel.from_dict({}) == m


def test_ratings_and_overall_score():
    m = EvaluationRubricModel(initiative="Online tax filing")
    m2 = m.with_rating("relevance", score=4, evidence="Top request of firms")
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


@pytest.mark.parametrize(
    ("data_", "message"),
    [
        ({"ratings": {"beauty": {"score": 3}}}, "Unknown criterion 'beauty'"),
        ({"ratings": [1, 2]}, "The ratings must be a set of named fields"),
        ({"ratings": {"impact": 3}}, "The rating for impact must be a set of named fields"),
        ({"initiative": "x" * 201}, "too long"),
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


def test_comparison_matches_the_data():
    m = EvaluationRubricModel(country="BGD", from_year=2014, to_year=2024)
    c = m.comparison()
    s2014 = data.load_survey(years=2014).set_index("iso3")["egdi"]
    s2024 = data.load_survey(years=2024).set_index("iso3")["egdi"]
    assert c["change"] == pytest.approx(s2024["BGD"] - s2014["BGD"])
    peers = analysis.peer_countries("BGD", 2024)  # membership of the later edition
    changes = (s2024[peers] - s2014[peers]).dropna()
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


def test_round_trip_completeness_report():
    m = EvaluationRubricModel(initiative="Birth registration", country="NPL", from_year=2010)
    for i, c in enumerate(CRITERIA):
        m = m.with_rating(c, score=1 + i % 4, evidence=f"evidence {i}")
    assert EvaluationRubricModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert m.completeness().complete and m.completeness().total == 7
    empty = EvaluationRubricModel()
    done = empty.completeness()
    assert done.done == 0 and done.missing[:2] == ["the initiative you evaluate",
                                                  "a rating for relevance"]
    assert "evidence for impact" in empty.with_rating("impact", score=3).completeness().missing
    blocks = m.report()
    assert [b.kind for b in blocks] == ["fields", "table", "fields", "image"]
    assert blocks[1].rows[0][:3] == ["relevance", QUESTIONS["relevance"], "1 – not met"]
    assert dict(blocks[2].items)["Editions"] == "2010 to 2024"
    assert blocks[3].png.startswith(PNG)


def test_starter_takes_the_case():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH", target_area="Digital birth registration")
    m = EvaluationRubricModel.starter(wb)
    assert (m.initiative, m.country) == ("Digital birth registration", "ETH")
    wb.set_case(country="QQQ", target_area=["not text"])
    m = EvaluationRubricModel.starter(wb)
    assert (m.initiative, m.country) == ("", "BGD")


# ------------------------------------------------------------------------------ view
def test_view_without_arguments():
    view = EvaluationRubric(workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert (view.from_year.value, view.to_year.value) == (2014, data.LATEST_EDITION)
    assert "Bangladesh gained" in view.result.value
    assert bytes(view.chart.value).startswith(PNG)
    assert "EGDI of Bangladesh and its peers, 2014 and 2024" in view.chart.alt
    assert "Bangladesh gained" in view.chart.alt
    assert "<table" in view.chart.numbers.value and "Bangladesh" in view.chart.numbers.value
    assert "no criterion rated yet" in view.overall.value
    assert set(view.scores) == set(CRITERIA)


def test_view_country_argument_and_unknown_country():
    assert EvaluationRubric(country="Ethiopia", workbook=Workbook.in_memory()).model.country \
        == "ETH"
    view = EvaluationRubric(country="Atlantis", workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert "Unknown country" in view.country_message.value


def test_view_rates_and_saves(tmp_path):
    wb = open_wb(tmp_path)
    wb.set_case(country="NPL", target_area="e-Procurement")
    view = EvaluationRubric(workbook=wb)
    assert view.initiative.value == "e-Procurement" and view.model.country == "NPL"
    view.scores["relevance"].value = 4
    view.evidence["relevance"].value = "Asked for by suppliers"
    view.scores["impact"].value = 2
    assert "3.0 out of 4 (2 of 6 criteria rated)" in view.overall.value
    view.initiative.value = "Online procurement portal"
    view.to_year.value = 2022
    view.from_year.value = 2012
    assert "Saved in your workbook" in view.status.value
    saved = open_wb(tmp_path).get("5.2/evaluation_rubric")
    assert saved["initiative"] == "Online procurement portal"
    assert saved["ratings"]["relevance"] == {"score": 4, "evidence": "Asked for by suppliers"}
    assert (saved["country"], saved["from_year"], saved["to_year"]) == ("NPL", 2012, 2022)
    restored = EvaluationRubric(workbook=open_wb(tmp_path))
    assert restored.model == view.model
    assert restored.scores["impact"].value == 2
    assert restored.evidence["relevance"].value == "Asked for by suppliers"


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
    view.initiative.value = "i" * 300
    assert "too long" in view.initiative_message.value
    assert view.model.initiative == ""


def test_learner_text_is_shown_as_text():
    view = EvaluationRubric(country="CIV", workbook=Workbook.in_memory())
    assert "Côte d&#x27;Ivoire" in view.result.value
    view.initiative.value = "<script>alert(1)</script>"
    view.evidence["impact"].value = "<script>alert(1)</script>"
    assert view.model.ratings["impact"].evidence == "<script>alert(1)</script>"
    for out in (view.result.value, view.overall.value, view.progress.value,
                view.status.value, view.initiative_message.value):
        assert "<script>" not in out


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
YEARS = [2003, 2008, 2014, 2024]
rating_like = st.fixed_dictionaries({"score": st.integers(-1, 5) | json_values,
                                     "evidence": st.text(max_size=20) | json_values})
answer_like = st.fixed_dictionaries({
    "initiative": st.text(max_size=20) | json_values,
    "ratings": st.dictionaries(st.sampled_from(CRITERIA), rating_like, max_size=6)
    | json_values,
    "country": st.sampled_from(SAMPLE) | json_values,
    "from_year": st.sampled_from(YEARS) | json_values,
    "to_year": st.sampled_from(YEARS) | json_values,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, answer_like))
def test_any_input_gives_a_model_or_a_refusal_and_round_trips(raw):
    try:
        m = EvaluationRubricModel.from_dict(raw)
    except ValidationError:
        return
    assert EvaluationRubricModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert m.from_year < m.to_year
    o = m.overall()
    assert o["score"] is None or 1 <= o["score"] <= 4


ops = st.lists(st.one_of(
    st.tuples(st.just("score"), st.tuples(st.sampled_from(CRITERIA), st.integers(0, 4))),
    st.tuples(st.just("evidence"), st.tuples(st.sampled_from(CRITERIA),
                                             st.text(max_size=20) | st.just("v" * 1100))),
    st.tuples(st.just("initiative"), st.text(max_size=20)),
    st.tuples(st.just("country"), st.sampled_from(SAMPLE)),
    st.tuples(st.just("from"), st.sampled_from(YEARS)),
    st.tuples(st.just("to"), st.sampled_from(YEARS)),
), max_size=7)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_use_of_the_view_never_raises(steps):
    view = EvaluationRubric(workbook=Workbook.in_memory())
    for op, value in steps:
        if op == "score":
            view.scores[value[0]].value = value[1]
        elif op == "evidence":
            view.evidence[value[0]].value = value[1]
        elif op == "initiative":
            view.initiative.value = value
        elif op == "country":
            view.country.value = value
        elif op == "from":
            view.from_year.value = value
        else:
            view.to_year.value = value
    m = EvaluationRubricModel.from_dict(view.model.to_dict())
    assert m.from_year < m.to_year
    assert "That did not work" not in view.status.value + view.country_message.value
