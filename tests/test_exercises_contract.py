"""Every registered exercise keeps the shared contract (model and view), checked in one place."""

from __future__ import annotations

import json

import ipywidgets as widgets
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import digit4sd_widgets as d4
from digit4sd_widgets.exercises import EXERCISES, VIEWS, ValidationError
from digit4sd_widgets.exercises._base import Block, Completeness
from digit4sd_widgets.workbook import ENV_VAR, Workbook

REQUIRED_PUBLIC = ["Workbook", "CountryExplorer", "Quiz", "StakeholderMatrix", "KPIBuilder",
                   "ImplementationCanvas"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=5),
    max_leaves=25,
)


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    folder = tmp_path / "course" / "m"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)


def test_public_names():
    for name in REQUIRED_PUBLIC:
        assert getattr(d4, name) is not None
    assert len(EXERCISES) == len(VIEWS) >= 15
    kinds = [v.model_class.kind for v in VIEWS]
    assert len(set(kinds)) == len(kinds)


@pytest.mark.parametrize("view_class", VIEWS, ids=lambda v: v.__name__)
def test_view_builds_with_no_arguments_and_writes_nothing(view_class, tmp_path):
    view = view_class()
    assert isinstance(view, widgets.VBox)
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "⚠" not in view.status.value  # no error on a fresh start
    assert list(tmp_path.glob("**/digit4sd_workbook.json")) == []


@pytest.mark.parametrize("view_class", VIEWS, ids=lambda v: v.__name__)
def test_model_contract(view_class):
    model_class = view_class.model_class
    assert model_class.kind and model_class.title and model_class.submodule
    model = model_class.starter(Workbook.in_memory())
    data = json.loads(json.dumps(model.to_dict()))
    assert model_class.from_dict(data) == model
    done = model.completeness()
    assert isinstance(done, Completeness) and 0 <= done.done <= done.total
    blocks = model.report()
    assert blocks and all(isinstance(b, Block) for b in blocks)


@pytest.mark.parametrize("view_class", VIEWS, ids=lambda v: v.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=json_values)
def test_any_stored_input_gives_a_model_or_a_clear_refusal(view_class, data):
    model_class = view_class.model_class
    try:
        model = model_class.from_dict(data)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    again = model_class.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model


@pytest.mark.parametrize("view_class", VIEWS, ids=lambda v: v.__name__)
def test_saved_answer_is_restored_by_a_new_view(view_class, tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    model = view_class.model_class.starter(wb)
    view = view_class(workbook=wb)
    view.commit(model)
    restored = view_class(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == model


def test_every_text_box_sends_its_text_when_left_not_at_every_key():
    """A click must never reach the kernel before the words typed just before it: every text
    box of every exercise sends on change (leaving the box), including rows a refresh adds."""
    import ipywidgets as widgets

    from digit4sd_widgets.examples import example_workbook
    from digit4sd_widgets.exercises import EXERCISES
    from digit4sd_widgets.workbook import Workbook

    def boxes(w):
        if isinstance(w, (widgets.Text, widgets.Textarea)):
            yield w
        for child in getattr(w, "children", ()):
            yield from boxes(child)

    wb = example_workbook(Workbook.in_memory(), "NPL")
    for kind, (_model, view_class) in EXERCISES.items():
        view = view_class(workbook=wb)
        found = list(boxes(view))
        assert all(not box.continuous_update for box in found), kind
