"""Stakeholder matrix: model, view, persistence, refusals, escaping."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.stakeholders import (
    KINDS,
    ROLES,
    StakeholderMatrix,
    StakeholderMatrixModel,
    strategy_for,
)
from digit4sd_widgets.workbook import Workbook

from .i18n_checks import english_left

MOH = {"name": "Ministry of Health", "kind": "government", "influence": 5, "interest": 4,
       "role": "sponsor"}


@pytest.mark.parametrize(
    ("influence", "interest", "strategy"),
    [(5, 5, "manage closely"), (4, 4, "manage closely"), (4, 3, "keep satisfied"),
     (3, 4, "keep informed"), (3, 3, "monitor"), (1, 5, "keep informed")],
)
def test_the_four_strategies(influence, interest, strategy):
    assert strategy_for(influence, interest) == strategy


def test_add_update_remove():
    m = StakeholderMatrixModel().with_added(**MOH)
    m = m.with_added(name="Telecom operators' association", kind="private sector", influence=3,
                     interest=2, role="technical partner")
    assert m.names() == ["Ministry of Health", "Telecom operators' association"]
    m2 = m.with_updated("ministry of health", interest=1)
    assert m2.stakeholders[0].strategy == "keep satisfied"
    assert m.stakeholders[0].interest == 4  # the old model is untouched
    assert m2.without("Ministry of Health").names() == ["Telecom operators' association"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "name cannot be empty"),
        ({"name": "ministry OF health"}, "already in the matrix"),
        ({"kind": "aliens"}, "Kind must be one of"),
        ({"influence": 6}, "Influence must be at most 5"),
        ({"interest": "lots"}, "Interest must be a number"),
        ({"interest": 2.5}, "whole number"),
        ({"role": "boss"}, "Role must be one of"),
        ({"name": "x" * 500}, "too long"),
    ],
)
def test_refusals_keep_the_model(change, message):
    m = StakeholderMatrixModel().with_added(**MOH)
    with pytest.raises(ValidationError, match=message):
        m.with_added(**{**MOH, "name": "Other", **change})
    assert m.names() == ["Ministry of Health"]


def test_renaming_onto_another_name_is_refused():
    m = StakeholderMatrixModel().with_added(**MOH).with_added(**{**MOH, "name": "NGO forum"})
    with pytest.raises(ValidationError, match="already called"):
        m.with_updated("NGO forum", name="Ministry of Health")


def test_completeness_and_report():
    m = StakeholderMatrixModel()
    assert m.completeness().done == 0
    for i, kind in enumerate(KINDS[:4]):
        m = m.with_added(name=f"S{i}", kind=kind, influence=5 - i, interest=5, role="advocate")
    done = m.completeness()
    assert done.complete and done.missing == []
    blocks = m.report()
    assert blocks[0].rows[0][:5] == ["S0", "government", "5", "5", "manage closely"]


def test_view_adds_saves_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = StakeholderMatrix(workbook=wb)
    view.name.value = "Ministry of ICT"
    view.influence.value, view.interest.value = 5, 5
    view.role.value = "sponsor"
    view.add_button.click()
    assert view.model.names() == ["Ministry of ICT"]
    assert "Saved" in view.status.value
    restored = StakeholderMatrix(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == view.model
    assert "Ministry of ICT" in restored.grid.value


def test_view_shows_a_message_next_to_the_form_and_keeps_state(tmp_path):
    view = StakeholderMatrix(workbook=Workbook.open(tmp_path / "wb.json"))
    view.name.value = "Ministry of ICT"
    view.add_button.click()
    view.name.value = "ministry of ict"
    view.add_button.click()
    assert "already in the matrix" in view.form_message.value
    assert view.model.names() == ["Ministry of ICT"]
    view.name.value = ""
    view.add_button.click()
    assert "cannot be empty" in view.form_message.value
    view.listing.value = None
    view.remove_button.click()
    assert "Pick a stakeholder" in view.form_message.value
    # a good change clears the message
    view.name.value = "Civil society forum"
    view.add_button.click()
    assert view.form_message.value == ""


def test_view_select_update_remove():
    view = StakeholderMatrix(workbook=Workbook.in_memory())
    view.name.value = "A"
    view.add_button.click()
    view.name.value = "B"
    view.add_button.click()
    view.listing.value = "A"
    assert view.name.value == "A"
    view.interest.value = 5
    view.influence.value = 5
    view.update_button.click()
    assert view.model.stakeholders[0].strategy == "manage closely"
    view.listing.value = "B"
    view.remove_button.click()
    assert view.model.names() == ["A"]


def test_learner_text_is_shown_as_text():
    view = StakeholderMatrix(workbook=Workbook.in_memory())
    view.name.value = "<script>alert(1)</script>"
    view.add_button.click()
    for html_out in (view.grid.value, view.table.value):
        assert "<script>" not in html_out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_out


def test_a_damaged_saved_answer_does_not_break_the_view(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": [{"name": 3}]})
    view = StakeholderMatrix(workbook=Workbook.open(tmp_path / "wb.json"))
    assert view.model.names() == []
    assert "could not be restored" in view.status.value


def test_a_save_failure_is_shown_and_the_model_is_kept(tmp_path, monkeypatch):
    view = StakeholderMatrix(workbook=Workbook.open(tmp_path / "wb.json"))
    monkeypatch.setattr("digit4sd_widgets.workbook.os.replace",
                        lambda *a: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    view.name.value = "A"
    view.add_button.click()
    assert "could not be saved" in view.status.value
    assert view.model.names() == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
stakeholder_like = st.fixed_dictionaries(
    {"name": st.text(max_size=30) | st.integers(), "kind": st.sampled_from(KINDS) | st.text(),
     "influence": st.integers(-1, 7) | st.text(max_size=3), "interest": st.integers(0, 6),
     "role": st.sampled_from(ROLES) | st.text(max_size=5)},
)


@settings(max_examples=80, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries(
    {"stakeholders": st.lists(stakeholder_like | json_values, max_size=5)})))
def test_any_input_is_accepted_and_round_trips_or_is_refused(data):
    try:
        m = StakeholderMatrixModel.from_dict(data)
    except ValidationError:
        return
    again = StakeholderMatrixModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "update", "remove", "select"]),
                          stakeholder_like), max_size=8))
def test_random_use_of_the_view_never_raises(ops):
    view = StakeholderMatrix(workbook=Workbook.in_memory())
    for op, fields in ops:
        if isinstance(fields["name"], str):
            view.name.value = fields["name"]
        if fields["kind"] in KINDS:
            view.kind.value = fields["kind"]
        if op == "add":
            view.add_button.click()
        elif op == "update":
            view.update_button.click()
        elif op == "remove":
            view.remove_button.click()
        elif view.listing.options:
            view.listing.value = view.listing.options[0]
    StakeholderMatrixModel.from_dict(view.model.to_dict())


# ------------------------------------------------------------------------- French
NB = "\u00a0"


def test_the_matrix_speaks_french_and_stores_english_values():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html

    wb = Workbook.in_memory()
    # an answer saved before the course spoke French: its English values still load
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": [
        {"name": "Ministère de la santé", "kind": "government", "influence": 5,
         "interest": 5, "role": "sponsor", "notes": ""}]})
    with language("fr"):
        view = StakeholderMatrix(workbook=wb)
        assert dict((v, k) for k, v in view.kind.options)["civil society"] == "société civile"
        assert view.role.options[1][0].startswith(f"commanditaire{NB}: porte l'initiative")
        view.name.value = "Forum des ONG"
        view.kind.value = "civil society"
        view.role.value = "advocate"
        view.influence.value, view.interest.value = 2, 5
        view.add_button.click()
        assert "Enregistré" in view.status.value
        assert "Associer étroitement" in view.grid.value
        assert "administration publique" in view.table.value
        assert "informer régulièrement" in view.table.value
        assert f"encore nécessaire{NB}: au moins quatre parties prenantes" in (
            view.progress.value)
        blocks = view.model.report()
        assert blocks[0].title == "Parties prenantes"
        assert blocks[0].rows[1][1:5] == ["société civile", "2", "5", "informer régulièrement"]
        view.name.value = "forum des ong"
        view.add_button.click()
        assert "figure déjà dans la matrice" in view.form_message.value
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/stakeholders.py") == []
    assert "Matrice des parties prenantes" in page
    saved = wb.get("3.2/stakeholder_matrix")["stakeholders"]
    assert [(s["kind"], s["role"]) for s in saved] == [("government", "sponsor"),
                                                       ("civil society", "advocate")]
    assert view.model.stakeholders[1].strategy == "keep informed"
