"""Your goals (1.2): model, view, persistence, refusals, escaping."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.goals import (
    MAX_GOALS,
    SDGS,
    GoalsForm,
    GoalsFormModel,
    sdg_label,
)
from digit4sd_widgets.workbook import Workbook


def test_seventeen_goals():
    assert sorted(SDGS) == list(range(1, 18))
    assert sdg_label(1) == "1 No poverty"
    assert sdg_label(17) == "17 Partnerships for the goals"


def test_add_remove_goals_and_save_profile():
    m = GoalsFormModel().with_goal("  Plan a digital ID  ").with_goal("Set good KPIs")
    assert m.goals == ("Plan a digital ID", "Set good KPIs")
    m2 = m.without_goal("plan a digital id")
    assert m2.goals == ("Set good KPIs",)
    assert m.goals == ("Plan a digital ID", "Set good KPIs")  # the old model is untouched
    m3 = m.with_profile(role=" Policy officer ", organisation="Ministry of ICT",
                        sdgs=[17, "16", 9.0])
    assert (m3.role, m3.organisation, m3.sdgs) == ("Policy officer", "Ministry of ICT",
                                                   (9, 16, 17))
    assert m3.goals == m.goals
    assert m3.to_dict() == {"role": "Policy officer", "organisation": "Ministry of ICT",
                            "goals": ["Plan a digital ID", "Set good KPIs"],
                            "sdgs": [9, 16, 17]}


@pytest.mark.parametrize(
    ("goal", "message"),
    [("", "cannot be empty"), ("   ", "cannot be empty"), ("x" * 300, "too long"),
     (3, "must be text"), ("set good kpis", "already in your list")],
)
def test_goal_refusals_keep_the_model(goal, message):
    m = GoalsFormModel().with_goal("Set good KPIs")
    with pytest.raises(ValidationError, match=message):
        m.with_goal(goal)
    assert m.goals == ("Set good KPIs",)


def test_at_most_five_goals():
    m = GoalsFormModel()
    for i in range(MAX_GOALS):
        m = m.with_goal(f"Goal {i}")
    with pytest.raises(ValidationError, match="remove one"):
        m.with_goal("One more")
    with pytest.raises(ValidationError, match="At most 5 goals"):
        GoalsFormModel(goals=[f"g{i}" for i in range(6)])


def test_removing_a_goal_not_in_the_list():
    with pytest.raises(ValidationError, match="Pick a goal"):
        GoalsFormModel().without_goal("nothing")


@pytest.mark.parametrize(
    ("sdgs", "message"),
    [([], "at least one SDG"), ([1, 2, 3, 4, 5, 6], "at most 5 SDGs"),
     ([0], "at least 1"), ([18], "at most 17"), (["sixteen"], "must be a number"),
     ([16, 16], "only once"), ([True], "must be a number"), ([2.5], "whole number")],
)
def test_sdg_refusals_on_save(sdgs, message):
    m = GoalsFormModel(role="Analyst", sdgs=[3])
    with pytest.raises(ValidationError, match=message):
        m.with_profile(sdgs=sdgs)
    assert m.sdgs == (3,)


def test_stored_answer_may_have_no_sdg_yet():
    assert GoalsFormModel.from_dict({"role": "x"}).sdgs == ()
    assert GoalsFormModel.from_dict({"sdgs": ["SDG 16"]}).sdgs == (16,)


@pytest.mark.parametrize(
    ("data", "message"),
    [([], "named fields"), ({"goals": "one goal"}, "must be a list"),
     ({"goals": ["a", "A"]}, "different"), ({"role": 5}, "must be text"),
     ({"organisation": "o" * 500}, "too long"), ({"sdgs": [1, 2, 3, 4, 5, 6]}, "at most 5")],
)
def test_from_dict_refusals(data, message):
    with pytest.raises(ValidationError, match=message):
        GoalsFormModel.from_dict(data)


def test_completeness_and_report():
    m = GoalsFormModel()
    done = m.completeness()
    assert (done.done, done.total) == (0, 3)
    assert done.missing == ["your role", "at least two goals", "at least one SDG"]
    m = m.with_goal("A").with_goal("B").with_profile(role="Director", sdgs=[16])
    assert m.completeness().complete
    blocks = m.report()
    assert blocks[0].items == [("Role", "Director"), ("Organisation", "–")]
    assert blocks[1].rows == [["1", "A"], ["2", "B"]]
    assert blocks[2].rows == [["16", "Peace, justice and strong institutions"]]


def test_starter_ticks_the_goals_of_the_case_targets():
    wb = Workbook.in_memory()
    wb.set_case(sdg_targets=["16.9", "9.c", "16.6", "bad"])
    assert GoalsFormModel.starter(wb).sdgs == (9, 16)
    assert GoalsFormModel.starter(Workbook.in_memory()) == GoalsFormModel()


# ------------------------------------------------------------------------------- view
def test_view_adds_saves_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = GoalsForm(workbook=wb)
    view.goal.value = "Learn to read the EGDI"
    view.add_button.click()
    assert view.goal.value == ""
    view.goal.value = "Plan a one-stop portal"
    view.add_button.click()
    view.role.value = "ICT officer"
    view.organisation.value = "Prime Minister's Office"
    view.checks[16].value = True
    view.checks[9].value = True
    view.save_button.click()
    assert view.model.to_dict() == {
        "role": "ICT officer", "organisation": "Prime Minister's Office",
        "goals": ["Learn to read the EGDI", "Plan a one-stop portal"], "sdgs": [9, 16]}
    assert "Saved" in view.status.value
    assert view.model.completeness().complete
    restored = GoalsForm(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == view.model
    assert restored.role.value == "ICT officer"
    assert restored.checks[16].value and not restored.checks[1].value
    assert list(restored.listing.options) == ["Learn to read the EGDI", "Plan a one-stop portal"]
    assert Workbook.open(tmp_path / "wb.json").latest("goals")["sdgs"] == [9, 16]


def test_view_refusals_show_next_to_the_control():
    view = GoalsForm(workbook=Workbook.in_memory())
    view.save_button.click()
    assert "at least one SDG" in view.form_message.value
    for n in range(1, 7):
        view.checks[n].value = True
    assert "untick" in view.count.value
    view.save_button.click()
    assert "You ticked 6 SDGs" in view.form_message.value
    assert view.model.sdgs == ()
    view.checks[6].value = False
    view.save_button.click()
    assert view.form_message.value == ""
    assert view.model.sdgs == (1, 2, 3, 4, 5)

    view.add_button.click()
    assert "cannot be empty" in view.goal_message.value
    view.goal.value = "Same"
    view.add_button.click()
    view.goal.value = "same"
    view.add_button.click()
    assert "already in your list" in view.goal_message.value
    view.listing.value = None
    view.remove_button.click()
    assert "Pick a goal" in view.goal_message.value
    view.listing.value = "Same"
    view.remove_button.click()
    assert view.model.goals == ()
    assert view.goal_message.value == ""


def test_adding_a_goal_keeps_unsaved_typing_in_the_form():
    view = GoalsForm(workbook=Workbook.in_memory())
    view.role.value = "Not saved yet"
    view.checks[4].value = True
    view.goal.value = "A goal"
    view.add_button.click()
    assert view.role.value == "Not saved yet"
    assert view.checks[4].value
    assert view.model.role == ""


def test_learner_text_is_shown_as_text():
    view = GoalsForm(workbook=Workbook.in_memory())
    view.goal.value = "<script>alert(1)</script>"
    view.add_button.click()
    assert "<script>" not in view.goals_table.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view.goals_table.value


def test_a_damaged_saved_answer_does_not_break_the_view(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    wb.set("1.2/goals", "goals", {"goals": [3], "sdgs": [99]})
    view = GoalsForm(workbook=Workbook.open(tmp_path / "wb.json"))
    assert view.model == GoalsFormModel()
    assert "could not be restored" in view.status.value


def test_a_save_failure_is_shown_and_the_model_is_kept(tmp_path, monkeypatch):
    view = GoalsForm(workbook=Workbook.open(tmp_path / "wb.json"))
    monkeypatch.setattr("digit4sd_widgets.workbook.os.replace",
                        lambda *a: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    view.goal.value = "A"
    view.add_button.click()
    assert "could not be saved" in view.status.value
    assert view.model.goals == ()


# ------------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
goals_like = st.fixed_dictionaries(
    {"role": st.text(max_size=20) | st.integers(), "organisation": st.text(max_size=20),
     "goals": st.lists(st.text(max_size=12), max_size=7) | json_values,
     "sdgs": st.lists(st.integers(-1, 19) | st.sampled_from(["16", "x", 3.0]), max_size=7)},
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, goals_like))
def test_any_input_gives_a_model_or_a_refusal(data):
    try:
        m = GoalsFormModel.from_dict(data)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    assert GoalsFormModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30),
       st.lists(st.text(min_size=1, max_size=30), max_size=5),
       st.sets(st.integers(1, 17), min_size=1, max_size=5))
def test_accepted_models_round_trip(role, organisation, goals, sdgs):
    m = GoalsFormModel()
    try:
        for g in goals:
            m = m.with_goal(g)
        m = m.with_profile(role, organisation, list(sdgs))
    except ValidationError:
        pass
    assert GoalsFormModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


ops = st.lists(st.one_of(
    st.tuples(st.just("add"), st.text(max_size=15)),
    st.tuples(st.just("remove"), st.integers(0, 5)),
    st.tuples(st.just("tick"), st.integers(1, 17)),
    st.tuples(st.just("role"), st.text(max_size=15)),
    st.tuples(st.just("save"), st.none()),
), max_size=12)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_use_of_the_view_never_raises(operations):
    view = GoalsForm(workbook=Workbook.in_memory())
    for op, arg in operations:
        if op == "add":
            view.goal.value = arg
            view.add_button.click()
        elif op == "remove":
            options = list(view.listing.options)
            if options:
                view.listing.value = options[arg % len(options)]
            view.remove_button.click()
        elif op == "tick":
            view.checks[arg].value = not view.checks[arg].value
        elif op == "role":
            view.role.value = arg
        else:
            view.save_button.click()
        assert "That did not work" not in view.status.value + view.goal_message.value
    assert GoalsFormModel.from_dict(view.model.to_dict()) == view.model
    assert len(view.model.goals) <= MAX_GOALS and len(view.model.sdgs) <= 5


# ------------------------------------------------------------------------- French
def test_the_form_speaks_french_and_stores_numbers():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.i18n_checks import english_left

    wb = Workbook.in_memory()
    with language("fr"):
        view = GoalsForm(workbook=wb)
        assert view.checks[16].description == "16 Paix, justice et institutions efficaces"
        view.goal.value = "Mieux lire l'EGDI"
        view.add_button.click()
        for n in (16, 9):
            view.checks[n].value = True
        view.save_button.click()
        assert "2 cochés sur 5 au maximum." in view.count.value
        view.checks[1].value = True
        assert "3 cochés" in view.count.value
        assert view.model.report()[2].rows == [["9", "Industrie, innovation et infrastructure"],
                                               ["16", "Paix, justice et institutions efficaces"]]
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/goals.py") == []
    assert wb.get(view.key)["sdgs"] == [9, 16]
