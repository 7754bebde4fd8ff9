"""Gap analysis: figures against the data, the learner's choice, saving the case country."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.gap import FOCI, GAP_KINDS, GapAnalysis, GapAnalysisModel
from digit4sd_widgets.workbook import Workbook

PNG = b"\x89PNG\r\n\x1a\n"


def open_wb(tmp_path):
    """The workbook of one test (no merging with other tests' folders)."""
    return Workbook.open(tmp_path / "wb.json", siblings=False)


# ------------------------------------------------------------------------------ model
def test_defaults_preselect_the_weakest_component():
    m = GapAnalysisModel()
    assert m.country == "BGD" and m.year == data.LATEST_EDITION
    assert m.focus == analysis.weakest_component("BGD")[0]
    assert m.to_dict() == {"country": "BGD", "year": data.LATEST_EDITION, "focus": m.focus,
                           "gap_kind": "", "reason": ""}
    assert GapAnalysisModel.from_dict({}) == m


def test_table_matches_the_data():
    m = GapAnalysisModel("ETH")
    t = m.table()
    assert list(t.index) == list(FOCI)
    row = data.load_survey(years=data.LATEST_EDITION, countries="ETH").iloc[0]
    peers = data.load_survey(years=data.LATEST_EDITION,
                             countries=analysis.peer_countries("ETH"))
    means = analysis.group_means()
    for c in FOCI:
        assert t.loc[c, "country"] == pytest.approx(float(row[c]))
        assert t.loc[c, "peer_mean"] == pytest.approx(float(peers[c].mean()))
        assert t.loc[c, "gap"] == pytest.approx(float(row[c]) - float(peers[c].mean()))
        assert t.loc[c, "world_mean"] == pytest.approx(float(means.loc["World", c]))
    # Ethiopia: LDC peers, and also landlocked: the LLDC mean is shown
    assert m.peer_group()[0] == "ldc"
    assert "lldc_mean" in t.columns and "ldc_mean" not in t.columns
    assert t.loc["tii", "lldc_mean"] == pytest.approx(
        float(means.loc[data.GROUP_NAMES["lldc"], "tii"]))
    comp, gap = m.weakest()
    assert (comp, gap) == pytest.approx(analysis.weakest_component("ETH"))
    assert t["gap"].idxmin() == comp
    assert "weakest component is Telecom infrastructure" in m.sentence()


def test_a_country_above_its_peers_everywhere():
    m = GapAnalysisModel("BGD")
    assert (m.table()["gap"] > 0).all()
    assert "above its peers' mean on all three" in m.sentence()


def test_answer_changes_and_country_change():
    m = GapAnalysisModel("ETH")
    m2 = m.with_answer(focus="osi", gap_kind="policy", reason="  No digital ID law  ")
    assert (m2.focus, m2.gap_kind, m2.reason) == ("osi", "policy", "No digital ID law")
    assert m.focus == "tii" and m.reason == ""  # untouched
    m3 = m2.with_country("Haiti")
    assert m3.country == "HTI" and m3.focus == m3.weakest()[0]
    assert (m3.gap_kind, m3.reason) == ("policy", "No digital ID law")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "Atlantis"}, "Unknown country 'Atlantis'"),
        ({"country": None}, "pick a country"),
        ({"year": 2001}, "must be a Survey edition"),
        ({"focus": "egdi"}, "The gap to focus on must be one of: osi, hci, tii"),
        ({"gap_kind": "money"}, "The kind of gap must be one of"),
        ({"reason": "x" * 2001}, "too long"),
        ({"reason": ["a"]}, "must be text"),
    ],
)
def test_refusals(change, message):
    m = GapAnalysisModel("ETH")
    with pytest.raises(ValidationError, match=message):
        GapAnalysisModel.from_dict({**m.to_dict(), **change})


def test_a_country_without_figures_that_year_is_refused():
    with pytest.raises(ValidationError, match="no component figures for Montenegro in 2003"):
        GapAnalysisModel("MNE", 2003)
    with pytest.raises(ValidationError, match=r"no Human capital \(HCI\) figure for Monaco"):
        GapAnalysisModel("MCO", 2008, focus="hci").with_answer(focus="hci")


def test_round_trip_completeness_report():
    m = GapAnalysisModel("NPL").with_answer(gap_kind="data", reason="Why <b>")
    assert GapAnalysisModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert m.completeness().complete
    empty = GapAnalysisModel()
    assert empty.completeness().done == 0
    assert empty.completeness().missing == ["which kind of gap it is", "why you chose this gap"]
    blocks = m.report()
    assert [b.kind for b in blocks] == ["fields", "table", "image"]
    assert dict(blocks[0].items)["Why"] == "Why <b>"
    assert blocks[1].rows[0][0] == "Online services (OSI)"
    assert blocks[2].png.startswith(PNG)


def test_starter_uses_the_case_country_or_bangladesh():
    wb = Workbook.in_memory()
    wb.set_case(country="HTI")
    assert GapAnalysisModel.starter(wb).country == "HTI"
    wb.set_case(country="nowhere")
    assert GapAnalysisModel.starter(wb).country == "BGD"


# ------------------------------------------------------------------------------ view
def test_view_without_arguments():
    view = GapAnalysis(workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert view.focus.value == view.model.weakest()[0]
    assert "(weakest)" in view.table.value and "d4-self" in view.table.value
    assert bytes(view.chart.value).startswith(PNG)
    assert "EGDI components of Bangladesh against peers and groups, 2024" in view.chart.alt
    assert "Bangladesh: Online services 0.74" in view.chart.alt
    assert view.model.sentence() in view.chart.alt
    assert "<table" in view.chart.numbers.value and "Component" in view.chart.numbers.value
    assert "0 of 2 complete" in view.progress.value


def test_view_starts_on_the_case_country_and_shows_unknown_countries():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH")
    assert GapAnalysis(workbook=wb).model.country == "ETH"
    assert GapAnalysis(country="NPL", workbook=wb).model.country == "NPL"
    view = GapAnalysis(country="Atlantis", workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert "Unknown country" in view.country_message.value


def test_saving_stores_the_answer_and_sets_the_case_country(tmp_path):
    wb = open_wb(tmp_path)
    view = GapAnalysis(workbook=wb)
    view.country.value = "ETH"
    assert view.model.country == "ETH" and view.focus.value == "tii"
    assert "Not saved yet" in view.status.value
    assert open_wb(tmp_path).country is None  # nothing saved yet
    assert wb.get("3.1/gap_analysis") is None
    view.focus.value = "hci"
    view.gap_kind.value = "implementation"
    view.reason.value = "Few teachers trained in digital skills"
    view.save_button.click()
    assert "Ethiopia is now the country of your case" in view.status.value
    again = open_wb(tmp_path)
    assert again.country == "ETH"
    assert again.get("3.1/gap_analysis") == {
        "country": "ETH", "year": data.LATEST_EDITION, "focus": "hci",
        "gap_kind": "implementation", "reason": "Few teachers trained in digital skills"}
    restored = GapAnalysis(workbook=again)
    assert restored.model == view.model
    assert (restored.focus.value, restored.gap_kind.value) == ("hci", "implementation")
    assert restored.reason.value == "Few teachers trained in digital skills"
    assert "2 of 2 complete" in restored.progress.value


def test_a_refused_save_keeps_the_model_and_the_case():
    wb = Workbook.in_memory()
    view = GapAnalysis(workbook=wb)
    view.reason.value = "x" * 2100
    view.save_button.click()
    assert "too long" in view.save_message.value
    assert wb.country is None and wb.get("3.1/gap_analysis") is None
    view.reason.value = "short"
    view.save_button.click()
    assert view.save_message.value == ""
    assert wb.country == "BGD"


def test_learner_text_is_shown_as_text():
    view = GapAnalysis(country="CIV", workbook=Workbook.in_memory())
    assert "Côte d&#x27;Ivoire" in view.summary.value + view.table.value
    view.reason.value = "<script>alert(1)</script>"
    view.save_button.click()
    assert view.model.reason == "<script>alert(1)</script>"
    for out in (view.summary.value, view.table.value, view.progress.value,
                view.status.value, view.save_message.value):
        assert "<script>" not in out


def test_a_save_failure_is_shown(tmp_path, monkeypatch):
    view = GapAnalysis(workbook=open_wb(tmp_path))
    monkeypatch.setattr("digit4sd_widgets.workbook.os.replace",
                        lambda *a: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    view.reason.value = "A"
    view.save_button.click()
    assert "could not be saved" in view.status.value
    assert view.model.reason == ""


# ------------------------------------------------------------------------------ properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=10,
)
SAMPLE = ["BGD", "ETH", "HTI", "FJI", "NPL"]
answer_like = st.fixed_dictionaries({
    "country": st.sampled_from([*SAMPLE, "nepal", "Atlantis"]) | json_values,
    "year": st.sampled_from([2003, 2008, 2024]) | json_values,
    "focus": st.sampled_from([*FOCI, "", "egdi"]) | json_values,
    "gap_kind": st.sampled_from([*GAP_KINDS, ""]) | json_values,
    "reason": st.text(max_size=30) | json_values,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, answer_like))
def test_any_input_gives_a_model_or_a_refusal_and_round_trips(raw):
    try:
        m = GapAnalysisModel.from_dict(raw)
    except ValidationError:
        return
    assert GapAnalysisModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert m.focus in FOCI


ops = st.lists(st.one_of(
    st.tuples(st.just("country"), st.sampled_from(SAMPLE)),
    st.tuples(st.just("focus"), st.sampled_from(FOCI)),
    st.tuples(st.just("kind"), st.sampled_from([*GAP_KINDS, ""])),
    st.tuples(st.just("reason"), st.text(max_size=20) | st.just("z" * 2100)),
    st.tuples(st.just("save"), st.none()),
), max_size=6)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_use_of_the_view_never_raises(steps):
    wb = Workbook.in_memory()
    view = GapAnalysis(workbook=wb)
    for op, value in steps:
        if op == "country":
            view.country.value = value
        elif op == "focus":
            view.focus.value = value
        elif op == "kind":
            view.gap_kind.value = value
        elif op == "reason":
            view.reason.value = value
        else:
            view.save_button.click()
    GapAnalysisModel.from_dict(view.model.to_dict())
    assert view.country.value == view.model.country
    saved = wb.get("3.1/gap_analysis")
    if saved is not None:
        assert wb.country == saved["country"]
    assert "That did not work" not in view.status.value + view.save_message.value


def test_in_french_the_gap_analysis_speaks_french_and_stores_the_same():
    from digit4sd_widgets.i18n import language
    with language("fr"):
        view = GapAnalysis(country="ETH", workbook=Workbook.in_memory())
        kinds = dict((v, label) for label, v in view.gap_kind.options)
        assert kinds["policy"].startswith("politique\u00a0: ")
        assert "Infrastructure des télécommunications" in view.summary.value
        assert "0,08" in view.summary.value  # the gap in the French number form
        assert "(la plus faible)" in view.table.value
        view.gap_kind.value = "policy"
        view.reason.value = "Pas de loi sur la signature électronique"
        view.save_button.click()
        assert "Éthiopie" in view.status.value
        for english in ("weakest", "Peers", "World mean", "Saved"):
            assert english not in view.summary.value + view.table.value + view.status.value
    assert view.model.to_dict()["gap_kind"] == "policy"
