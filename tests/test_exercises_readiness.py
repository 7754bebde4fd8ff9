"""Readiness checklist: items, ratings, workbook evidence and the view."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.course.quizzes import SUBMODULES
from digit4sd_widgets.exercises._base import Block, ValidationError
from digit4sd_widgets.exercises.maturity import ITEMS as MATURITY_ITEMS
from digit4sd_widgets.exercises.maturity import ServiceMaturityClassifierModel
from digit4sd_widgets.exercises.quiz import QuizModel
from digit4sd_widgets.exercises.readiness import (
    ITEMS,
    MODULES,
    SUBMODULE_TITLES,
    ReadinessChecklist,
    ReadinessChecklistModel,
)
from digit4sd_widgets.exercises.sdg_mapper import SERVICES, SDGTargetMapperModel
from digit4sd_widgets.exercises.stakeholders import StakeholderMatrixModel
from digit4sd_widgets.workbook import Workbook

IDS = [i.id for i in ITEMS]


def matrix(n: int) -> StakeholderMatrixModel:
    m = StakeholderMatrixModel()
    for k in range(n):
        m = m.with_added(name=f"Partner {k}", kind="government", influence=4, interest=4)
    return m


def save(wb: Workbook, model, key: str | None = None) -> None:
    wb.set(key or model.default_key(), model.kind, model.to_dict())


# ------------------------------------------------------------------ content
def test_items_cover_every_module():
    assert tuple(SUBMODULE_TITLES) == SUBMODULES
    counts = Counter(i.module for i in ITEMS)
    assert set(counts) == set(MODULES)
    assert all(3 <= n <= 4 for n in counts.values())
    assert len(set(IDS)) == len(IDS)
    for item in ITEMS:
        assert item.links and set(item.links) <= set(SUBMODULES)
        assert item.text.startswith("I ")


# ------------------------------------------------------------------ model
def test_ratings_score_and_revisit():
    m = ReadinessChecklistModel()
    assert m.score_percent() == 0 and m.revisit() == []
    m2 = (m.with_rating("kpi", 0).with_rating("stakeholders", "partly")
          .with_rating("groups", "Yes").with_rating("weakest", 1))
    assert m.ratings == {}
    assert m2.ratings == {"groups": 2, "weakest": 1, "stakeholders": 1, "kpi": 0}
    assert m2.score_percent() == round(100 * 4 / (2 * len(ITEMS)))
    assert m2.revisit() == ["2.3", "3.1", "3.2", "3.3"]  # course order, no duplicates
    assert m2.with_rating("kpi", None).revisit() == ["2.3", "3.1", "3.2"]
    everything = ReadinessChecklistModel(dict.fromkeys(IDS, 2))
    assert everything.score_percent() == 100 and everything.revisit() == []


@pytest.mark.parametrize("item, rating, message", [
    ("kpi", 3, "at most 2"),
    ("kpi", -1, "at least 0"),
    ("kpi", "maybe", "must be a number"),
    ("kpi", 1.5, "whole number"),
    ("kpi", True, "must be a number"),
    ("nope", 1, "no checklist item 'nope'"),
])
def test_refused_ratings(item, rating, message):
    m = ReadinessChecklistModel({"kpi": 1})
    with pytest.raises(ValidationError, match=message):
        m.with_rating(item, rating)
    assert m.ratings == {"kpi": 1}


@pytest.mark.parametrize("data, message", [
    ({"ratings": {"nope": 1}}, "no checklist item"),
    ({"ratings": {"kpi": 5}}, "at most 2"),
    ({"ratings": [1, 2]}, "named fields"),
    ("ratings", "named fields"),
])
def test_from_dict_refuses(data, message):
    with pytest.raises(ValidationError, match=message):
        ReadinessChecklistModel.from_dict(data)


def test_round_trip_completeness_report():
    m = ReadinessChecklistModel({"kpi": 0, "canvas": 2})
    d = m.to_dict()
    assert d == {"ratings": {"kpi": 0, "canvas": 2}}
    assert ReadinessChecklistModel.from_dict(json.loads(json.dumps(d))) == m
    done = m.completeness()
    assert (done.done, done.total) == (2, len(ITEMS))
    assert "rate: stakeholder matrix" in done.missing
    blocks = m.report()
    assert all(isinstance(b, Block) for b in blocks)
    assert ("To revisit", "3.3 Performance indicators") in blocks[0].items
    assert len(blocks[1].rows) == len(ITEMS)


# ------------------------------------------------------------------ workbook evidence
def test_stakeholder_item_is_checked_against_the_workbook():
    wb = Workbook.in_memory()
    m = ReadinessChecklistModel({"stakeholders": 2})
    assert "no stakeholder matrix" in m.readiness(wb)["stakeholders"]
    save(wb, matrix(2))
    note = m.readiness(wb)["stakeholders"]
    assert note.startswith("Your workbook says otherwise") and "2 stakeholders" in note
    assert m.revisit(wb) == ["3.2"] and m.revisit() == []
    save(wb, matrix(4))
    assert m.readiness(wb) == {}
    # only "yes" is checked; "partly" needs no evidence
    assert ReadinessChecklistModel({"stakeholders": 1}).readiness(Workbook.in_memory()) == {}


def test_case_items_are_checked_against_the_workbook():
    wb = Workbook.in_memory()
    m = ReadinessChecklistModel({"weakest": 2, "target_area": 2, "group_change": 2})
    notes = m.readiness(wb)
    assert set(notes) == {"weakest", "target_area", "group_change"}
    wb.set_case(country="BGD", target_area="Digital birth registration")
    assert m.readiness(wb) == {}


def test_exercise_results_are_checked_against_the_workbook():
    wb = Workbook.in_memory()
    m = ReadinessChecklistModel({"targets": 2, "stages": 2, "survey": 2, "layers": 2})
    assert m.readiness(wb) == {}  # nothing done yet: no contradiction
    save(wb, SDGTargetMapperModel().with_targets(SERVICES[0], ["16.9"]))
    save(wb, ServiceMaturityClassifierModel({i.id: "emerging" for i in MATURITY_ITEMS}))
    save(wb, QuizModel("2.5").with_answer("levels", [1]), "2.5/quiz")
    save(wb, QuizModel("4.2").with_answer("names", [0]), "4.2/quiz")
    notes = m.readiness(wb)
    assert "1 of the 8 services" in notes["targets"]
    assert "2 of 8 services" in notes["stages"]
    assert "knowledge check of 2.5" in notes["survey"]
    assert "layers" not in notes
    assert m.revisit(wb) == ["2.1", "2.2", "2.3", "2.5"]


def test_broken_evidence_is_ignored():
    wb = Workbook.in_memory()
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": "bad"})
    wb.set("2.5/quiz", "quiz", {"answers": {"zzz": [0]}})
    m = ReadinessChecklistModel({"stakeholders": 2, "survey": 2})
    notes = m.readiness(wb)
    assert "could not be read" in notes["stakeholders"] and "survey" not in notes


# ------------------------------------------------------------------ view
def test_view_rates_saves_and_lists_what_to_revisit(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = ReadinessChecklist(workbook=wb)
    assert set(view.toggles) == set(IDS)
    view.toggles["kpi"].value = 1
    view.toggles["stakeholders"].value = 2
    assert view.model.ratings == {"stakeholders": 2, "kpi": 1}
    assert "your workbook says otherwise" in view.notes["stakeholders"].value.casefold()
    assert "3.2 Stakeholders &amp; partnerships" in view.summary.value
    assert "3.3 Performance indicators" in view.summary.value
    assert view.score_bar.value == view.model.score_percent() == 8
    saved = Workbook.open(tmp_path / "wb.json")
    assert saved.get("6.3/readiness_checklist") == {"ratings": {"stakeholders": 2, "kpi": 1}}

    save(wb, matrix(5))
    view.toggles["canvas"].value = 2  # any change refreshes the evidence
    assert view.notes["stakeholders"].value == ""
    assert "3.2" not in view.summary.value

    again = ReadinessChecklist(workbook=Workbook.open(tmp_path / "wb.json"))
    assert again.toggles["kpi"].value == 1 and again.toggles["groups"].value is None


def test_view_all_yes_says_well_done():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH", target_area="e-Procurement")
    save(wb, matrix(4))
    view = ReadinessChecklist(model=ReadinessChecklistModel(dict.fromkeys(IDS, 2)),
                              workbook=wb)
    assert "well done" in view.summary.value and view.score_bar.value == 100


# ------------------------------------------------------------------ properties
json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)
checklist_like = st.fixed_dictionaries({"ratings": st.dictionaries(
    st.sampled_from([*IDS, "x"]),
    st.integers(-1, 3) | st.sampled_from(["yes", "partly", "not yet", "no"]) | json_like,
    max_size=6) | json_like})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_like, checklist_like))
def test_from_dict_gives_model_or_validation_error(data):
    try:
        model = ReadinessChecklistModel.from_dict(data)
    except ValidationError:
        return
    assert isinstance(model, ReadinessChecklistModel)
    assert 0 <= model.score_percent() <= 100


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), st.integers(0, 2)))
def test_accepted_models_survive_json(ratings):
    model = ReadinessChecklistModel(ratings)
    assert ReadinessChecklistModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model
    revisit = model.revisit()
    assert revisit == sorted(revisit, key=SUBMODULES.index)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from([None, 0, 1, 2])),
                max_size=15))
def test_random_ui_operations_never_raise(operations):
    wb = Workbook.in_memory()
    view = ReadinessChecklist(workbook=wb)
    for item_id, rating in operations:
        view.toggles[item_id].value = rating
    expected = {k: v for k, v in dict(operations).items() if v is not None}
    assert view.model.ratings == expected
    assert ReadinessChecklistModel.from_dict(view.model.to_dict()) == view.model


# ------------------------------------------------------------------------- French
def test_the_checklist_speaks_french_and_stores_ratings_as_numbers():
    from digit4sd_widgets.exercises.readiness import module_name
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.test_exercises_stakeholders import NB, english_left

    wb = Workbook.in_memory()
    with language("fr"):
        first = module_name("1")
        assert first != MODULES["1"]
        view = ReadinessChecklist(workbook=wb)
        assert [label for label, _value in view.toggles["kpi"].options] == [
            "pas encore", "en partie", "oui"]
        view.toggles["kpi"].value = 1
        view.toggles["stakeholders"].value = 2
        assert "3.3 Indicateurs de performance" in view.summary.value
        assert f"Score{NB}: 8{NB}%" in view.summary.value
        assert "(2 éléments évalués sur 20)" in view.summary.value
        assert ("Votre cahier de travail dit autre chose" in view.notes["stakeholders"].value)
        # a rating typed in the reader's words is understood
        assert ReadinessChecklistModel().with_rating("kpi", "en partie").ratings["kpi"] == 1
        report = view.model.report()
        assert report[1].rows[0][:3] == [
            first, "Je sais dire à quels groupes de pays (PMA, PDSL, PEID) appartient "
            "mon pays et quels obstacles ils ont en commun.", "–"]
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/readiness.py") == []
    assert "Liste de contrôle de l&#x27;état de préparation" in page or (
        "Liste de contrôle de l'état de préparation" in page)
    assert wb.get(view.key) == {"ratings": {"stakeholders": 2, "kpi": 1}}
