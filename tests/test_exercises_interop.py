"""Interoperability self-assessment and the country-name reconciliation helper."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.interop import (
    LAYERS,
    STATEMENTS,
    SUGGESTIONS,
    InteroperabilityAssessment,
    InteroperabilityAssessmentModel,
    normalise_name,
    reconcile_names,
)
from digit4sd_widgets.workbook import Workbook

IDS = [sid for layer in LAYERS for sid, _ in STATEMENTS[layer]]


def _rate_all(m, layer, value):
    for sid, _ in STATEMENTS[layer]:
        m = m.with_rating(layer, sid, value)
    return m


def test_statements():
    for layer in LAYERS:
        assert 3 <= len(STATEMENTS[layer]) <= 4
    assert len(set(IDS)) == len(IDS)


def test_scores_none_is_not_zero():
    m = InteroperabilityAssessmentModel()
    assert m.scores() == dict.fromkeys(LAYERS)
    assert m.overall() is None and m.weakest_layer() is None and m.suggestions() == {}
    m = m.with_rating("semantic", "semantic_1", 0)
    assert m.layer_score("semantic") == 0.0
    m = m.with_rating("semantic", "semantic_2", "3")
    assert m.layer_score("semantic") == pytest.approx(37.5)  # (0 + 3) / 2 / 4
    m2 = m.with_rating("semantic", "semantic_1", None)
    assert m2.layer_score("semantic") == 75.0
    assert m.ratings["semantic"]["semantic_1"] == 0  # old model kept
    assert m2.with_rating("semantic", "semantic_2", "").layer_score("semantic") is None


def test_overall_weakest_and_suggestions():
    m = _rate_all(InteroperabilityAssessmentModel(), "legal", 4)
    m = _rate_all(m, "technical", 1)
    m = _rate_all(m, "organisational", 2)  # exactly 50%: not weak
    assert m.overall() == pytest.approx((100 + 25 + 50) / 3)
    assert m.weakest_layer() == "technical"
    assert m.suggestions() == {"technical": SUGGESTIONS["technical"]}
    tie = _rate_all(_rate_all(InteroperabilityAssessmentModel(), "technical", 1), "legal", 1)
    assert tie.weakest_layer() == "legal"  # first in layer order


@pytest.mark.parametrize(
    ("args", "message"),
    [(("legal", "legal_1", 5), "at most 4"), (("legal", "legal_1", -1), "at least 0"),
     (("legal", "legal_1", "two"), "must be a number"), (("legal", "legal_1", 2.5), "whole"),
     (("legal", "legal_1", True), "must be a number"), (("cultural", "legal_1", 1), "no layer"),
     (("legal", "semantic_1", 1), "no statement"), ((["legal"], "legal_1", 1), "no layer"),
     (("legal", ["legal_1"], 1), "no statement")],
)
def test_rating_refusals(args, message):
    m = InteroperabilityAssessmentModel()
    with pytest.raises(ValidationError, match=message):
        m.with_rating(*args)
    assert m == InteroperabilityAssessmentModel()


def test_completeness_and_report():
    m = InteroperabilityAssessmentModel()
    done = m.completeness()
    assert (done.done, done.total) == (0, 4)
    assert "4 semantic statements to rate" in done.missing
    m = _rate_all(m, "legal", 1).with_notes("Ask the ICT agency")
    assert m.completeness().done == 1
    blocks = m.report()
    kinds = [b.kind for b in blocks]
    assert kinds == ["table", "table", "image", "note", "note"]
    summary = {row[0]: row for row in blocks[0].rows}
    assert summary["Legal"][1] == "25%" and summary["Legal"][2] == SUGGESTIONS["legal"]
    assert summary["Semantic"][1] == "not rated"
    assert blocks[1].rows[0][2] == "1 – just beginning"
    assert blocks[2].png.startswith(b"\x89PNG")
    assert "Legal" in blocks[3].text and blocks[4].text == "Ask the ICT agency"
    for layer in LAYERS:
        m = _rate_all(m, layer, 4)
    assert m.completeness().complete


def test_round_trip_and_format():
    m = InteroperabilityAssessmentModel().with_rating("legal", "legal_2", 3).with_notes("n")
    data = m.to_dict()
    assert data["ratings"]["legal"] == {"legal_1": None, "legal_2": 3, "legal_3": None,
                                        "legal_4": None}
    assert list(data["ratings"]) == list(LAYERS) and data["notes"] == "n"
    assert InteroperabilityAssessmentModel.from_dict(json.loads(json.dumps(data))) == m
    partial = InteroperabilityAssessmentModel.from_dict({"ratings": {"legal": {"legal_2": 3}},
                                                         "notes": "n"})
    assert partial == m


@pytest.mark.parametrize(
    ("data", "message"),
    [(3, "named fields"), ({"ratings": {"x": {}}}, "no layer"),
     ({"ratings": {"legal": {"legal_9": 1}}}, "no statement"),
     ({"ratings": {"legal": {"legal_1": 7}}}, "at most 4"),
     ({"ratings": {"legal": []}}, "named fields"), ({"notes": 4}, "must be text")],
)
def test_from_dict_refusals(data, message):
    with pytest.raises(ValidationError, match=message):
        InteroperabilityAssessmentModel.from_dict(data)


# --------------------------------------------------------------------------- reconcile_names
@pytest.mark.parametrize(
    ("name", "iso3", "method"),
    [("Turkey", "TUR", "exact"), ("Bolivia", "BOL", "exact"), ("bgd", "BGD", "exact"),
     ("Cote d'Ivoire", "CIV", "fuzzy"), ("Viet Nam", "VNM", "exact"),
     ("Vietnam", "VNM", "fuzzy"), ("Lao PDR", "LAO", "fuzzy"),
     ("Congo, Dem. Rep.", "COD", "fuzzy"), ("Congo, Rep.", "COG", "fuzzy"),
     ("Korea, Rep.", "KOR", "fuzzy"), ("Korea, Dem. People's Rep.", "PRK", "fuzzy"),
     ("Egypt, Arab Rep.", "EGY", "fuzzy"), ("Micronesia, Fed. Sts.", "FSM", "fuzzy"),
     ("Gambia, The", "GMB", "fuzzy"), ("St. Lucia", "LCA", "fuzzy"),
     ("Tanzania", "TZA", "fuzzy"), ("Kyrgyz Republic", "KGZ", "fuzzy"),
     ("Sao Tome and Principe", "STP", "exact"), ("Turkiye", "TUR", "fuzzy"),
     ("Trinidad & Tobago", "TTO", "fuzzy"), ("Cape Verde", "CPV", "fuzzy"),
     ("Kosovo", None, "none"), ("Hong Kong SAR, China", None, "none"), ("", None, "none")],
)
def test_reconcile_names(name, iso3, method):
    row = reconcile_names([name]).iloc[0]
    assert row["iso3"] == iso3 and row["method"] == method
    assert row["name"] == name
    if iso3 is None:
        assert row["matched_name"] is None


def test_reconcile_names_table():
    table = reconcile_names(["Viet Nam", "Atlantis", None])
    assert list(table.columns) == ["name", "iso3", "matched_name", "method"]
    assert table["iso3"].tolist() == ["VNM", None, None]
    assert table["matched_name"].tolist() == ["Viet Nam", None, None]
    assert reconcile_names([]).empty
    assert normalise_name("Côte d’Ivoire") == normalise_name("COTE D'IVOIRE")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=25) | st.none() | st.integers(), max_size=5))
def test_reconcile_never_raises(names):
    table = reconcile_names(names)
    assert len(table) == len(names)
    assert set(table["method"]) <= {"exact", "fuzzy", "none"}
    assert ((table["method"] == "none") == table["iso3"].isna()).all()


# ------------------------------------------------------------------------------- view
def test_view_rates_saves_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json", siblings=False)
    view = InteroperabilityAssessment(workbook=wb)
    assert view.chart.layout.display == "none"
    view.rating_boxes["semantic_1"].value = 1
    view.rating_boxes["semantic_2"].value = 0
    assert view.model.ratings["semantic"] == {"semantic_1": 1, "semantic_2": 0,
                                              "semantic_3": None, "semantic_4": None}
    assert "Saved" in view.status.value
    assert "Weakest layer: <b>Semantic</b> (12%)" in view.summary.value
    assert SUGGESTIONS["semantic"][:30] in view.summary.value
    assert bytes(view.chart.value).startswith(b"\x89PNG")
    # words and numbers for a screen reader
    assert "Interoperability score per layer" in view.chart.alt
    assert "Semantic 12" in view.chart.alt and "Legal no data" in view.chart.alt
    assert "Weakest layer: Semantic (12%)" in view.chart.alt
    assert "<table" in view.chart.numbers.value and "Layer" in view.chart.numbers.value
    view.rating_boxes["semantic_2"].value = -1
    assert view.model.ratings["semantic"]["semantic_2"] is None
    view.notes_box.value = "Ask the registry office"
    view.notes_button.click()
    restored = InteroperabilityAssessment(workbook=Workbook.open(tmp_path / "wb.json",
                                                                 siblings=False))
    assert restored.model == view.model
    assert restored.rating_boxes["semantic_1"].value == 1
    assert restored.rating_boxes["semantic_2"].value == -1
    assert restored.notes_box.value == "Ask the registry office"


def test_unsaved_notes_survive_a_rating():
    view = InteroperabilityAssessment(workbook=Workbook.in_memory())
    view.notes_box.value = "typing…"
    view.rating_boxes["legal_1"].value = 2
    assert view.notes_box.value == "typing…"


def test_notes_too_long_message():
    view = InteroperabilityAssessment(workbook=Workbook.in_memory())
    view.notes_box.value = "x" * 3000
    view.notes_button.click()
    assert "too long" in view.notes_message.value
    assert view.model.notes == ""


def test_notes_are_shown_as_text():
    m = InteroperabilityAssessmentModel().with_notes("<script>alert(1)</script>")
    view = InteroperabilityAssessment(model=m, workbook=Workbook.in_memory())
    assert view.notes_box.value == "<script>alert(1)</script>"  # a text box, not HTML
    assert "<script>" not in view.summary.value


def test_view_without_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    assert InteroperabilityAssessment().model == InteroperabilityAssessmentModel()


# ------------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
layer_ratings = st.dictionaries(
    st.sampled_from(IDS) | st.text(max_size=3),
    st.none() | st.integers(-1, 5) | st.text(max_size=2) | st.floats(), max_size=4)


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries({
    "ratings": st.dictionaries(st.sampled_from(LAYERS) | st.text(max_size=3),
                               layer_ratings | json_values, max_size=4),
    "notes": st.text(max_size=10) | json_values})))
def test_any_input_is_accepted_and_round_trips_or_is_refused(data):
    try:
        m = InteroperabilityAssessmentModel.from_dict(data)
    except ValidationError:
        return
    assert InteroperabilityAssessmentModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    for score in m.scores().values():
        assert score is None or 0 <= score <= 100


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["rate", "notes"]), st.sampled_from(IDS),
                          st.integers(-1, 4), st.text(max_size=12)), max_size=8))
def test_random_use_of_the_view_never_raises(steps):
    view = InteroperabilityAssessment(workbook=Workbook.in_memory())
    for op, sid, value, words in steps:
        if op == "rate":
            view.rating_boxes[sid].value = value
        else:
            view.notes_box.value = words
            view.notes_button.click()
        for label in (view.rating_message, view.notes_message, view.status):
            assert "did not work" not in label.value
    m = InteroperabilityAssessmentModel.from_dict(view.model.to_dict())
    for layer in LAYERS:
        for sid, rating in m.ratings[layer].items():
            assert view.rating_boxes[sid].value == (-1 if rating is None else rating)


# ------------------------------------------------------------------------- French
def test_the_assessment_speaks_french_and_stores_numbers():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.test_exercises_stakeholders import NB, english_left

    wb = Workbook.in_memory()
    with language("fr"):
        view = InteroperabilityAssessment(workbook=wb)
        assert view.rating_boxes["legal_1"].options[3] == ("2 – en partie en place", 2)
        view.rating_boxes["semantic_1"].value = 1
        view.rating_boxes["legal_1"].value = 4
        assert f"Couche la plus faible{NB}: <b>Sémantique</b> (25{NB}%)." in (
            view.summary.value)
        assert "3 énoncés de la couche sémantique à noter" in view.progress.value
        assert "Commencez par convenir d&#x27;une liste de codes commune" in view.summary.value
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/interop.py") == []
    assert wb.get(view.key)["ratings"]["semantic"]["semantic_1"] == 1
