"""Your path through the course (1.3): advice, overrides, plan, view, persistence."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.planner import (
    ACTIONS,
    HOURS,
    OPTIONAL,
    STATEMENT_IDS,
    STATEMENTS,
    ModulePlanner,
    ModulePlannerModel,
)
from digit4sd_widgets.workbook import Workbook

MODULE_2 = [s.id for s in STATEMENTS if "2" in s.modules]


def answered(value: int, ids=STATEMENT_IDS) -> ModulePlannerModel:
    m = ModulePlannerModel()
    for sid in ids:
        m = m.with_answer(sid, value)
    return m


def test_statements_cover_modules_2_to_6():
    assert 8 <= len(STATEMENTS) <= 10
    assert len(set(STATEMENT_IDS)) == len(STATEMENT_IDS)
    covered = {mod for s in STATEMENTS for mod in s.modules}
    assert covered == {"2", "3", "4", "5", "6"}
    assert all(1 <= h <= 3 for h in HOURS.values())


def test_empty_answers_recommend_everything():
    rec = ModulePlannerModel().recommendation()
    assert [r["advice"] for r in rec.values()] == [
        "take it", "take it", "take it (core)", "take it (core)", "take it (core)", "take it"]
    assert "take it to be safe" in rec["2"]["reason"]
    assert "Answer the statements" in rec["3"]["reason"]
    m = ModulePlannerModel()
    assert [s["module"] for s in m.plan()] == ["1", "2", "3", "4", "5", "6"]
    assert m.total_hours() == sum(HOURS.values())


def test_experts_skim_modules_2_and_6_but_take_the_core():
    m = answered(2)
    rec = m.recommendation()
    assert rec["1"]["advice"] == "take it"
    assert rec["2"]["advice"] == rec["6"]["advice"] == "skim it"
    assert "You could teach" in rec["2"]["reason"]
    for core in ("3", "4", "5"):
        assert rec[core]["advice"] == "take it (core)"
        assert rec[core]["focus"] == []
        assert "go faster" in rec[core]["reason"]
    hours = {s["module"]: s["hours"] for s in m.plan()}
    assert hours["2"] == HOURS["2"] / 2 and hours["3"] == HOURS["3"]


def test_beginners_take_everything_and_focus_on_every_linked_submodule():
    m = answered(0)
    rec = m.recommendation()
    assert rec["2"]["advice"] == "take it"
    assert rec["2"]["reason"].startswith("New to you:")
    assert rec["3"]["focus"] == ["3.1", "3.2", "3.3"]
    assert rec["4"]["focus"] == ["4.2"]
    assert rec["5"]["focus"] == ["5.1", "5.2"]
    assert "Spend most time on 3.1 Identification of target areas" in rec["3"]["reason"]


@pytest.mark.parametrize(
    ("answers", "advice"),
    [
        ({"sdgs": 2, "maturity": 2, "egdi": 2, "data": 1}, "skim it"),   # mean 1.75
        ({"sdgs": 2, "maturity": 2, "egdi": 1, "data": 1}, "skim it"),   # mean 1.5
        ({"sdgs": 2, "maturity": 1, "egdi": 1, "data": 1}, "take it"),   # mean 1.25
        ({"sdgs": 2, "maturity": 2, "egdi": 2, "data": 0}, "take it"),   # one is new
        ({"sdgs": 2, "maturity": 2, "egdi": 2}, "take it"),              # one unanswered
    ],
)
def test_module_2_advice(answers, advice):
    assert set(MODULE_2) == {"sdgs", "maturity", "egdi", "data"}
    assert ModulePlannerModel(answers).recommendation()["2"]["advice"] == advice


def test_a_submodule_counts_its_lowest_answer():
    # "data" links 2.4 and 4.2, "interop" links 4.2
    rec = ModulePlannerModel({"data": 0, "interop": 2}).recommendation()
    assert rec["4"]["focus"] == ["4.2"] and rec["4"]["faster"] == []
    rec = ModulePlannerModel({"data": 2, "interop": 2}).recommendation()
    assert rec["4"]["faster"] == ["4.2"]


def test_overrides_change_the_plan_not_the_advice():
    m = answered(2).with_override("6", "take").with_override("1", "skip")
    m = m.with_override("2", "skip")
    assert m.recommendation()["6"]["advice"] == "skim it"
    assert [s["module"] for s in m.plan()] == ["3", "4", "5", "6"]
    assert m.total_hours() == HOURS["3"] + HOURS["4"] + HOURS["5"] + HOURS["6"]
    back = m.with_override("2", "")
    assert "2" not in back.overrides and back.final_action("2") == "skim"
    assert m.with_override("2", None).overrides == {"1": "skip", "6": "take"}


@pytest.mark.parametrize(
    ("module", "action", "message"),
    [("3", "skip", "part of the core"), ("4", "skim", "part of the core"),
     ("7", "skip", "no module"), ("2", "maybe", "must be one of"), (2.5, "take", "no module")],
)
def test_override_refusals(module, action, message):
    m = ModulePlannerModel()
    with pytest.raises(ValidationError, match=message):
        m.with_override(module, action)
    assert m.overrides == {}


@pytest.mark.parametrize(
    ("sid", "value", "message"),
    [("nope", 1, "no statement"), ("egdi", 3, "at most 2"), ("egdi", -1, "at least 0"),
     ("egdi", "lots", "must be a number"), ("egdi", True, "must be a number")],
)
def test_answer_refusals(sid, value, message):
    m = ModulePlannerModel({"egdi": 1})
    with pytest.raises(ValidationError, match=message):
        m.with_answer(sid, value)
    assert m.answers["egdi"] == 1


def test_answers_accept_labels_and_clearing():
    m = ModulePlannerModel().with_answer("egdi", "I could teach it").with_answer("kpis", "1")
    assert (m.answers["egdi"], m.answers["kpis"]) == (2, 1)
    assert m.with_answer("egdi", None).answers["egdi"] is None


def test_stored_format_and_from_dict_refusals():
    m = ModulePlannerModel({"egdi": 2}, {"2": "skim"})
    d = m.to_dict()
    assert d["answers"]["egdi"] == 2 and d["answers"]["kpis"] is None
    assert set(d["answers"]) == set(STATEMENT_IDS)
    assert d["overrides"] == {"2": "skim"}
    assert ModulePlannerModel.from_dict(json.loads(json.dumps(d))) == m
    assert ModulePlannerModel.from_dict({}) == ModulePlannerModel()
    for bad, message in [({"answers": {"x": 1}}, "no statement"),
                         ({"answers": []}, "named fields"),
                         ({"overrides": {"5": "skip"}}, "core"),
                         ({"overrides": {"6": 3}}, "must be one of"),
                         ("plan", "named fields")]:
        with pytest.raises(ValidationError, match=message):
            ModulePlannerModel.from_dict(bad)


def test_completeness_and_report():
    m = ModulePlannerModel({"egdi": 0})
    done = m.completeness()
    assert (done.done, done.total) == (1, len(STATEMENTS))
    assert "answer: the EGDI" not in done.missing and len(done.missing) == len(STATEMENTS) - 1
    assert answered(1).completeness().complete
    blocks = m.with_override("6", "skip").report()
    assert [b.kind for b in blocks] == ["table", "table", "table", "fields"]
    assert blocks[0].rows[2][1] == "new to me"
    assert blocks[1].rows[5][3] == "skip it"
    assert [r[1] for r in blocks[2].rows][-1] == "5 Monitoring & Review"
    assert blocks[3].items[0][1].endswith(" h")


# ------------------------------------------------------------------------------- view
def test_view_answers_overrides_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = ModulePlanner(workbook=wb)
    for sid in MODULE_2:
        view.toggles[sid].value = 2
    view.toggles["stakeholders"].value = 0
    assert "skim it" in view.advice.value
    assert "most time on 3.2" in view.plan_box.value
    view.overrides["6"].value = "skip"
    assert view.model.overrides == {"6": "skip"}
    assert "Moving Forward" not in view.plan_box.value
    assert "Saved" in view.status.value
    restored = ModulePlanner(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == view.model
    assert restored.toggles["egdi"].value == 2
    assert restored.overrides["6"].value == "skip"
    saved = Workbook.open(tmp_path / "wb.json").latest("module_plan")
    assert saved["overrides"] == {"6": "skip"} and saved["answers"]["stakeholders"] == 0


def test_only_optional_modules_have_a_choice():
    view = ModulePlanner(workbook=Workbook.in_memory())
    assert tuple(view.overrides) == OPTIONAL == ("1", "2", "6")
    assert [v for _, v in view.overrides["2"].options][1:] == list(ACTIONS)


def test_a_refused_change_shows_a_message_and_keeps_the_model(monkeypatch):
    view = ModulePlanner(workbook=Workbook.in_memory())
    view.toggles["egdi"].value = 1
    before = view.model

    def refuse(*_a, **_k):
        raise ValidationError("No, thank you.")

    monkeypatch.setattr(ModulePlannerModel, "with_answer", refuse)
    view.toggles["kpis"].value = 2
    assert "No, thank you." in view.answer_message.value
    assert view.model == before


def test_a_damaged_saved_answer_does_not_break_the_view(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    wb.set("1.3/module_plan", "module_plan", {"overrides": {"3": "skip"}})
    view = ModulePlanner(workbook=Workbook.open(tmp_path / "wb.json"))
    assert view.model == ModulePlannerModel()
    assert "could not be restored" in view.status.value


def test_html_is_escaped():
    view = ModulePlanner(workbook=Workbook.in_memory())
    view.toggles["stakeholders"].value = 0
    assert "Stakeholders &amp; partnerships" in view.advice.value
    assert "<script>" not in view.advice.value + view.plan_box.value


# ------------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
plan_like = st.fixed_dictionaries({
    "answers": st.dictionaries(st.sampled_from(STATEMENT_IDS) | st.text(max_size=4),
                               st.none() | st.integers(-1, 3) | st.text(max_size=4),
                               max_size=10),
    "overrides": st.dictionaries(st.sampled_from(["1", "2", "3", "6", "9"]),
                                 st.sampled_from(["take", "skim", "skip", "", "x"]) | st.none(),
                                 max_size=4),
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, plan_like))
def test_any_input_gives_a_model_or_a_refusal(data):
    try:
        m = ModulePlannerModel.from_dict(data)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    assert ModulePlannerModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert m.plan() and m.total_hours() > 0


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(STATEMENT_IDS), st.integers(0, 2) | st.none()),
       st.dictionaries(st.sampled_from(OPTIONAL), st.sampled_from(list(ACTIONS))))
def test_accepted_models_round_trip_and_plan(answers, overrides):
    m = ModulePlannerModel(answers, overrides)
    assert ModulePlannerModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    modules = [s["module"] for s in m.plan()]
    assert {"3", "4", "5"} <= set(modules) and modules == sorted(modules)
    for module, action in overrides.items():
        assert (module in modules) == (action != "skip")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(STATEMENT_IDS), st.sampled_from([0, 1, 2, None])),
    st.tuples(st.just("override"), st.sampled_from(OPTIONAL),
              st.sampled_from(["", "take", "skim", "skip"])),
), max_size=15))
def test_random_use_of_the_view_never_raises(operations):
    view = ModulePlanner(workbook=Workbook.in_memory())
    for op, key, value in operations:
        if op == "answer":
            view.toggles[key].value = value
            assert view.model.answers[key] == value
        else:
            view.overrides[key].value = value
            assert view.model.overrides.get(key, "") == value
        assert "⚠" not in view.status.value + view.answer_message.value
    assert ModulePlannerModel.from_dict(view.model.to_dict()) == view.model


# ------------------------------------------------------------------------- French
def test_the_planner_speaks_french_and_stores_english_actions():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.i18n_checks import english_left

    wb = Workbook.in_memory()
    with language("fr"):
        view = ModulePlanner(workbook=wb)
        assert [label for label, _v in view.toggles["egdi"].options] == [
            "nouveau pour moi", "je connais un peu", "je pourrais l'enseigner"]
        for sid in ("sdgs", "maturity", "egdi", "data"):
            view.toggles[sid].value = 2
        view.overrides["6"].value = "skip"
        assert "le parcourir" in view.advice.value
        assert "Vous pourriez enseigner" in view.advice.value
        assert "Environ 10 h au total." in view.plan_box.value
        assert "1,5 h" in view.plan_box.value
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/planner.py") == []
        # an answer typed in the reader's words is understood
        assert ModulePlannerModel().with_answer("egdi", "je connais un peu").answers["egdi"] == 1
    assert wb.get(view.key)["overrides"] == {"6": "skip"}
    assert view.model.recommendation()["2"]["advice"] == "skim it"
