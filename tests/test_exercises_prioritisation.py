"""Prioritisation matrix: weights, scores, ranking, the case, persistence, escaping."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.prioritisation import (
    DEFAULT_CRITERIA,
    PrioritisationMatrix,
    PrioritisationMatrixModel,
    parse_sdg_targets,
)
from digit4sd_widgets.workbook import Workbook

ALL5 = {n: 5 for n, _ in DEFAULT_CRITERIA}
ALL1 = {n: 1 for n, _ in DEFAULT_CRITERIA}


def test_defaults():
    m = PrioritisationMatrixModel()
    assert m.weights() == {"Impact on the SDGs": 3, "Feasibility": 2, "Cost": 2,
                           "SDG alignment": 2, "Urgency": 1}
    assert m.areas == ()
    assert m.top() is None and m.case_fields() is None
    assert PrioritisationMatrixModel.from_dict({}) == m


def test_weighted_score_and_ranking_with_ties():
    m = (PrioritisationMatrixModel()
         .with_area("A", scores={"Impact on the SDGs": 5})       # (15+6+6+6+3)/10 = 3.6
         .with_area("B", scores=ALL1)
         .with_area("C", scores={"Impact on the SDGs": 5})
         .with_area("D", scores=ALL5))
    scores = {a.name: m.weighted_score(a) for a in m.areas}
    assert scores == pytest.approx({"A": 3.6, "B": 1.0, "C": 3.6, "D": 5.0})
    assert [(r, a.name) for r, a, _ in m.ranking()] == [(1, "D"), (2, "A"), (2, "C"), (4, "B")]
    assert m.top().name == "D"
    assert m.tied_for_first() == []
    tie = PrioritisationMatrixModel().with_area("X").with_area("Y")
    assert [r for r, _, _ in tie.ranking()] == [1, 1]
    assert tie.top().name == "X" and tie.tied_for_first() == ["X", "Y"]


def test_weights_change_the_ranking_and_old_model_is_kept():
    m = (PrioritisationMatrixModel()
         .with_area("Cheap", scores={"Cost": 5, "Impact on the SDGs": 1})
         .with_area("Big", scores={"Cost": 1, "Impact on the SDGs": 5}))
    assert m.top().name == "Big"
    m2 = m.with_weights({"Impact on the SDGs": "0", "Cost": "4,5"})
    assert m2.top().name == "Cheap"
    assert m2.weights()["Cost"] == 4.5
    assert m.weights()["Cost"] == 2  # untouched


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({n: 0 for n, _ in DEFAULT_CRITERIA}, "Give at least one criterion a weight above zero"),
        ({"Cost": "-1"}, "at least 0"),
        ({"Cost": "lots"}, "must be a number"),
        ({"Cost": "1e9"}, "at most 100"),
        ({"Nope": 1}, "no criterion called"),
    ],
)
def test_weight_refusals(weights, message):
    m = PrioritisationMatrixModel()
    with pytest.raises(ValidationError, match=message):
        m.with_weights(weights)
    assert m == PrioritisationMatrixModel()


def test_adding_and_removing_criteria():
    m = PrioritisationMatrixModel().with_area("A", scores=ALL5)
    m2 = m.with_criterion("Public demand", "2")
    assert m2.criterion_names()[-1] == "Public demand"
    assert m2.areas[0].score("Public demand") == 3
    with pytest.raises(ValidationError, match="already a criterion"):
        m2.with_criterion("public DEMAND", 1)
    with pytest.raises(ValidationError, match="cannot be empty"):
        m2.with_criterion("  ", 1)
    m3 = m2.without_criterion("cost")
    assert "Cost" not in m3.criterion_names()
    assert "Cost" not in m3.to_dict()["areas"][0]["scores"]
    with pytest.raises(ValidationError, match="no criterion called"):
        m3.without_criterion("Cost")
    only = PrioritisationMatrixModel.from_dict({"criteria": [{"name": "A", "weight": 1},
                                                             {"name": "B", "weight": 0}]})
    with pytest.raises(ValidationError, match="weight above zero"):
        only.without_criterion("A")
    with pytest.raises(ValidationError, match="at least one criterion"):
        only.without_criterion("B").without_criterion("A")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "name cannot be empty"),
        ({"name": "a"}, "already in the list"),
        ({"name": "B", "sdg_targets": "health"}, "not an SDG target"),
        ({"name": "B", "sdg_targets": "18.1"}, "not an SDG target"),
        ({"name": "B", "scores": {"Cost": 6}}, "at most 5"),
        ({"name": "B", "scores": {"Cost": "x"}}, "must be a number"),
        ({"name": "B", "scores": {"Price": 3}}, "not one of the criteria"),
    ],
)
def test_area_refusals(fields, message):
    m = PrioritisationMatrixModel().with_area("A")
    with pytest.raises(ValidationError, match=message):
        m.with_area(**fields)
    assert m.area_names() == ["A"]


def test_at_most_twelve_areas():
    m = PrioritisationMatrixModel()
    for i in range(12):
        m = m.with_area(f"Area {i}")
    with pytest.raises(ValidationError, match="At most 12"):
        m.with_area("One more")


def test_update_and_remove_area():
    m = PrioritisationMatrixModel().with_area("A").with_area("B")
    m2 = m.with_area_updated("a", name="A2", sdg_targets="16.9", scores={"Urgency": 5})
    assert m2.area_names() == ["A2", "B"]
    assert m2.areas[0].score("Urgency") == 5 and m2.areas[0].score("Cost") == 3
    with pytest.raises(ValidationError, match="already called"):
        m2.with_area_updated("A2", name="b")
    assert m2.without_area("B").area_names() == ["A2"]
    with pytest.raises(ValidationError, match="no candidate area"):
        m2.without_area("Z")


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [("16.6, 16.9", ["16.6", "16.9"]), ("SDG 16.9; target 9.c", ["16.9", "9.c"]),
     ("", []), ("17.8 17.8", ["17.8"]), ("5.B/4.4", ["5.b", "4.4"])],
)
def test_parse_sdg_targets(typed, parsed):
    assert parse_sdg_targets(typed) == parsed


def test_completeness_and_report():
    m = PrioritisationMatrixModel()
    assert m.completeness().done == 0
    m = m.with_area("A", "16.9", ALL5).with_area("B").with_area("C")
    done = m.completeness()
    assert done.complete and done.missing == []
    blocks = m.report()
    assert [b.kind for b in blocks] == ["fields", "table", "image", "note"]
    assert blocks[1].rows[0][:4] == ["1", "A", "16.9", "5.00"]
    assert blocks[2].png.startswith(b"\x89PNG")
    assert "A" in blocks[3].text
    tied = PrioritisationMatrixModel().with_area("A").with_area("B")
    assert "one clear winner (no tie for first place)" in tied.completeness().missing


def test_round_trip():
    m = (PrioritisationMatrixModel().with_weight("Urgency", "0.5")
         .with_criterion("Public demand", 1).with_area("A", "16.6, 16.9", {"Cost": 4}))
    assert PrioritisationMatrixModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert m.to_dict()["areas"][0] == {
        "name": "A", "sdg_targets": "16.6, 16.9",
        "scores": {"Impact on the SDGs": 3, "Feasibility": 3, "Cost": 4, "SDG alignment": 3,
                   "Urgency": 3, "Public demand": 3}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "named fields"),
        ({"criteria": []}, "at least one criterion"),
        ({"criteria": [{"name": "A", "weight": 0}]}, "weight above zero"),
        ({"criteria": [{"name": "A", "weight": 1}, {"name": "a", "weight": 1}]},
         "different name"),
        ({"areas": [{"name": "X"}, {"name": "x"}]}, "different name"),
        ({"areas": "X"}, "must be a list"),
    ],
)
def test_from_dict_refusals(data, message):
    with pytest.raises(ValidationError, match=message):
        PrioritisationMatrixModel.from_dict(data)


# ------------------------------------------------------------------------------- view
def _add(view, name, sdg="", **scores):
    view.area_name.value = name
    view.area_sdg.value = sdg
    for criterion, value in scores.items():
        view.score_sliders[criterion].value = value
    view.add_area_button.click()


def test_view_ranks_and_sets_the_case(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json", siblings=False)
    view = PrioritisationMatrix(workbook=wb)
    _add(view, "Digital birth registration", "16.9, 17.8", Feasibility=5)
    assert view.model.area_names() == ["Digital birth registration"]
    assert "Saved" in view.status.value
    assert wb.case["target_area"] == "Digital birth registration"
    assert wb.case["sdg_targets"] == ["16.9", "17.8"]
    _add(view, "E-procurement", "16.6", **{"Impact on the SDGs": 5, "Feasibility": 5})
    case = Workbook.open(tmp_path / "wb.json", siblings=False).case
    assert case["target_area"] == "E-procurement" and case["sdg_targets"] == ["16.6"]
    assert "E-procurement" in view.case_note.value
    assert view.table.value.index("E-procurement") < view.table.value.index("Digital birth")
    assert bytes(view.chart.value).startswith(b"\x89PNG")
    assert "Weighted score" in view.chart.alt and "Top area: E-procurement." in view.chart.alt
    assert view.chart.alt.index("E-procurement") < view.chart.alt.index("Digital birth")
    assert "<table" in view.chart.numbers.value
    assert "Digital birth registration" in view.chart.numbers.value  # the full name
    restored = PrioritisationMatrix(workbook=Workbook.open(tmp_path / "wb.json", siblings=False))
    assert restored.model == view.model


def test_case_button(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json", siblings=False)
    view = PrioritisationMatrix(workbook=wb)
    view.case_button.click()
    assert "Add at least one candidate area" in view.case_message.value
    _add(view, "A", "16.9")
    wb.set_case(target_area="Something else", sdg_targets=[])
    view.case_button.click()
    assert wb.case["target_area"] == "A"
    assert "Your case is now: A (SDG targets: 16.9)" in view.case_note.value


def test_view_weights_messages_and_state():
    view = PrioritisationMatrix(workbook=Workbook.in_memory())
    _add(view, "Cheap", Cost=5)
    _add(view, "Big", **{"Impact on the SDGs": 5})
    assert view.model.top().name == "Big"
    for box in view.weight_boxes.values():
        box.value = "0"
    view.apply_weights_button.click()
    assert "Give at least one criterion a weight above zero" in view.criteria_message.value
    assert view.model.weights()["Impact on the SDGs"] == 3
    view.weight_boxes["Cost"].value = "abc"
    view.apply_weights_button.click()
    assert "must be a number" in view.criteria_message.value
    view.weight_boxes["Cost"].value = "5"
    view.apply_weights_button.click()
    assert view.criteria_message.value == ""
    assert view.model.top().name == "Cheap"
    assert view.workbook.case["target_area"] == "Cheap"


def test_view_criteria_add_remove():
    view = PrioritisationMatrix(workbook=Workbook.in_memory())
    view.new_criterion.value = "Public demand"
    view.new_weight.value = "2"
    view.add_criterion_button.click()
    assert "Public demand" in view.score_sliders and "Public demand" in view.weight_boxes
    view.new_criterion.value = "public demand"
    view.add_criterion_button.click()
    assert "already a criterion" in view.criteria_message.value
    view.remove_criterion.value = "Cost"
    view.remove_criterion_button.click()
    assert "Cost" not in view.model.criterion_names()
    assert "Cost" not in view.score_sliders
    assert view.criteria_message.value == ""


def test_view_select_update_remove_and_refusals():
    view = PrioritisationMatrix(workbook=Workbook.in_memory())
    _add(view, "A")
    _add(view, "a")
    assert "already in the list" in view.area_message.value
    view.area_list.value = None
    view.update_area_button.click()
    assert "Pick an area" in view.area_message.value
    view.area_list.value = "A"
    view.score_sliders["Urgency"].value = 5
    view.area_sdg.value = "sixteen"
    view.update_area_button.click()
    assert "not an SDG target" in view.area_message.value
    view.area_sdg.value = "16.9"
    view.update_area_button.click()
    assert view.model.areas[0].score("Urgency") == 5
    assert view.area_message.value == ""
    view.remove_area_button.click()
    assert view.model.area_names() == []


def test_learner_text_is_shown_as_text():
    view = PrioritisationMatrix(workbook=Workbook.in_memory())
    _add(view, "<script>alert(1)</script>")
    assert "<script>" not in view.table.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view.table.value
    view.new_criterion.value = "<b>x</b>"
    view.add_criterion_button.click()
    assert "<b>x</b>" not in view.criteria_help.value


def test_view_without_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    view = PrioritisationMatrix()
    assert view.model == PrioritisationMatrixModel()
    # no area yet: no chart, no broken image
    assert view.chart.value == b"" and view.chart.image.layout.display == "none"


def test_score_sliders_are_wide_enough_to_use():
    view = PrioritisationMatrix(workbook=Workbook.in_memory())
    for slider in view.score_sliders.values():
        width = int(slider.layout.width.removesuffix("px"))
        name = int(slider.style.description_width.removesuffix("px"))
        assert width - name - 60 >= 200  # the track, after the name and the number
        assert slider.layout.max_width == "100%"


def test_damaged_saved_answer(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json", siblings=False)
    wb.set("3.1/prioritisation_matrix", "prioritisation_matrix", {"criteria": "nope"})
    view = PrioritisationMatrix(workbook=Workbook.open(tmp_path / "wb.json", siblings=False))
    assert view.model == PrioritisationMatrixModel()
    assert "could not be restored" in view.status.value


# ------------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
names = st.sampled_from([n for n, _ in DEFAULT_CRITERIA]) | st.text(max_size=8)
criterion_like = st.fixed_dictionaries(
    {"name": names, "weight": st.integers(-1, 5) | st.floats(-1, 5) | st.text(max_size=3)})
area_like = st.fixed_dictionaries(
    {"name": st.text(max_size=10), "sdg_targets": st.sampled_from(["", "16.6", "x", "9.c, 4.4"]),
     "scores": st.dictionaries(names, st.integers(0, 6) | st.text(max_size=2), max_size=4)})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries({
    "criteria": st.none() | st.lists(criterion_like | json_values, max_size=4),
    "areas": st.lists(area_like | json_values, max_size=4)})))
def test_any_input_is_accepted_and_round_trips_or_is_refused(data):
    try:
        m = PrioritisationMatrixModel.from_dict(data)
    except ValidationError:
        return
    again = PrioritisationMatrixModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m
    assert [r for r, _, _ in m.ranking()] == sorted(r for r, _, _ in m.ranking())


ops = st.lists(st.tuples(
    st.sampled_from(["add", "update", "remove", "select", "weights", "add_criterion",
                     "remove_criterion", "case", "slider"]),
    st.text(max_size=6), st.integers(1, 5)), max_size=10)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_use_of_the_view_never_raises(steps):
    view = PrioritisationMatrix(workbook=Workbook.in_memory())
    for op, word, n in steps:
        if op == "add":
            _add(view, word, "16.9" if n > 2 else word)
        elif op == "update":
            view.area_name.value = word
            view.update_area_button.click()
        elif op == "remove":
            view.remove_area_button.click()
        elif op == "select" and view.area_list.options:
            view.area_list.value = view.area_list.options[n % len(view.area_list.options)]
        elif op == "weights":
            box = list(view.weight_boxes.values())[n % len(view.weight_boxes)]
            box.value = word
            view.apply_weights_button.click()
        elif op == "add_criterion":
            view.new_criterion.value = word
            view.new_weight.value = str(n)
            view.add_criterion_button.click()
        elif op == "remove_criterion":
            view.remove_criterion.value = view.model.criterion_names()[0]
            view.remove_criterion_button.click()
        elif op == "case":
            view.case_button.click()
        elif op == "slider":
            list(view.score_sliders.values())[n % len(view.score_sliders)].value = n
        for label in (view.area_message, view.criteria_message, view.case_message, view.case_note,
                      view.status):
            assert "did not work" not in label.value
    m = PrioritisationMatrixModel.from_dict(view.model.to_dict())
    assert list(view.area_list.options) == m.area_names()
    assert list(view.score_sliders) == m.criterion_names()
    if m.areas:
        assert view.workbook.case["target_area"] == m.top().name


def test_in_french_the_default_criteria_are_shown_in_french_and_stored_in_english():
    from digit4sd_widgets.i18n import language
    with language("fr"):
        view = PrioritisationMatrix(workbook=Workbook.in_memory())
        view.area_name.value = "Registre numérique"
        view.add_area_button.click()
        descriptions = [box.description for box in view.weight_boxes.values()]
        assert descriptions[:2] == ["Impact sur les ODD", "Faisabilité"]
        assert "Score pondéré" in view.table.value and "3,00" in view.table.value
        assert dict(view.remove_criterion.options)["Coût"] == "Cost"
        view.remove_criterion.value = "Cost"
        view.remove_criterion_button.click()
        assert "Weighted score" not in view.table.value and "Cost" not in view.table.value
        with pytest.raises(ValidationError, match="déjà"):
            view.model.with_criterion("Faisabilité")  # the name a French reader sees
    saved = view.workbook.get("3.1/prioritisation_matrix")
    assert [c["name"] for c in saved["criteria"]] == ["Impact on the SDGs", "Feasibility",
                                                      "SDG alignment", "Urgency"]
