"""Feedback on the toolkit: model and view."""

from __future__ import annotations

import json

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import Block, ValidationError
from digit4sd_widgets.exercises.feedback import (
    MODULES,
    FeedbackForm,
    FeedbackFormModel,
    country_names,
)
from digit4sd_widgets.workbook import Workbook

EVIL = "<script>alert(1)</script>"
EMPTY = {"module_ratings": dict.fromkeys(MODULES), "usefulness": None, "most_useful": "",
         "improve": "", "recommend": "", "role": "", "country": None}


def test_empty_form():
    m = FeedbackFormModel()
    assert m.to_dict() == EMPTY and m.is_empty()
    assert FeedbackFormModel.from_dict({}) == m
    done = m.completeness()
    assert (done.done, done.total) == (0, 10)
    assert "a rating for module 1" in done.missing


def test_answers_are_checked_and_merged():
    m = FeedbackFormModel().with_answers(module_ratings={"3": 5, "4": "4"}, usefulness=4.0,
                                         most_useful="  The KPI builder ",
                                         recommend="unsure", role="Policy officer",
                                         country="ethiopia")
    assert m.module_ratings == {"1": None, "2": None, "3": 5, "4": 4, "5": None, "6": None}
    assert (m.usefulness, m.most_useful, m.recommend, m.country) == (
        4, "The KPI builder", "unsure", "ETH")
    m2 = m.with_answers(module_ratings={"1": 2}, country=None)
    assert m2.module_ratings["3"] == 5 and m2.module_ratings["1"] == 2
    assert m2.country is None and m.country == "ETH"
    assert m.country_name() == "Ethiopia"


@pytest.mark.parametrize("fields, message", [
    ({"module_ratings": {"3": 6}}, "at most 5"),
    ({"module_ratings": {"3": 0}}, "at least 1"),
    ({"module_ratings": {"7": 3}}, "no module '7'"),
    ({"module_ratings": [3]}, "named fields"),
    ({"usefulness": "very"}, "must be a number"),
    ({"usefulness": 2.5}, "whole number"),
    ({"recommend": "maybe"}, "must be one of: , yes, no, unsure"),
    ({"most_useful": "x" * 1001}, "too long"),
    ({"improve": 5}, "must be text"),
    ({"role": "r" * 200}, "too long"),
    ({"country": "Atlantis"}, "Unknown country"),
    ({"country": 12}, "name or a code"),
    ({"colour": "blue"}, "no field 'colour'"),
])
def test_refused_answers(fields, message):
    m = FeedbackFormModel().with_answers(usefulness=3)
    with pytest.raises(ValidationError, match=message):
        m.with_answers(**fields)
    assert m.usefulness == 3 and m.module_ratings["3"] is None


def test_round_trip_and_report():
    m = FeedbackFormModel(module_ratings=dict.fromkeys(MODULES, 4), usefulness=5,
                          most_useful="Data", improve="More cases", recommend="yes",
                          role=EVIL, country="BGD")
    d = m.to_dict()
    assert d["module_ratings"] == dict.fromkeys(MODULES, 4) and d["country"] == "BGD"
    assert FeedbackFormModel.from_dict(json.loads(json.dumps(d))) == m
    assert m.completeness().complete
    blocks = m.report()
    assert all(isinstance(b, Block) for b in blocks)
    assert blocks[0].rows[0] == ["1 Getting Started", "4 of 5"]
    assert ("Country", "Bangladesh") in blocks[1].items
    assert FeedbackFormModel.from_dict({"country": "bangladesh"}).country == "BGD"


def test_country_names():
    names = country_names()
    assert len(names) == 193 and ("Bangladesh", "BGD") in names


# ------------------------------------------------------------------ view
def test_view_submit_saves(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = FeedbackForm(workbook=wb)
    view.submit_button.click()
    assert "The form is empty" in view.form_message.value
    assert wb.get(view.key) is None

    view.ratings["2"].value = 5
    view.usefulness.value = 4
    view.most_useful.value = EVIL
    view.recommend.value = "yes"
    view.role.value = "Statistician or data analyst"
    view.country.value = "NPL"
    assert view.model.is_empty()  # nothing is taken before Submit
    view.submit_button.click()
    assert view.form_message.value == ""
    assert "Thank you" in view.thanks.value
    saved = Workbook.open(tmp_path / "wb.json")
    assert saved.entry("6.3/toolkit_feedback")["kind"] == "toolkit_feedback"
    data = saved.get("6.3/toolkit_feedback")
    assert data == {**EMPTY, "module_ratings": {**EMPTY["module_ratings"], "2": 5},
                    "usefulness": 4, "most_useful": EVIL, "recommend": "yes",
                    "role": "Statistician or data analyst", "country": "NPL"}

    again = FeedbackForm(workbook=Workbook.open(tmp_path / "wb.json"))
    assert again.ratings["2"].value == 5 and again.country.value == "NPL"
    assert again.most_useful.value == EVIL
    assert "earlier feedback" in again.thanks.value
    for w in _all_widgets(again):
        if isinstance(w, widgets.HTML):
            assert "<script>" not in w.value


def test_view_refused_submit_keeps_last_saved():
    wb = Workbook.in_memory()
    view = FeedbackForm(workbook=wb)
    view.recommend.value = "no"
    view.submit_button.click()
    view.improve.value = "x" * 1500
    view.submit_button.click()
    assert "too long" in view.form_message.value
    assert view.model.recommend == "no" and view.model.improve == ""
    assert wb.get(view.key)["improve"] == ""
    view.role.value = EVIL  # free text in the role box is fine, and stays text
    view.improve.value = "shorter"
    view.submit_button.click()
    assert view.model.role == EVIL and view.form_message.value == ""


def _all_widgets(root):
    yield root
    for child in getattr(root, "children", ()):
        yield from _all_widgets(child)


# ------------------------------------------------------------------ properties
json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)
rating = st.none() | st.integers(0, 6) | st.sampled_from(["3", "", "x"])
form_like = st.fixed_dictionaries({}, optional={
    "module_ratings": st.dictionaries(st.sampled_from([*MODULES, "0", "7"]), rating,
                                      max_size=6) | json_like,
    "usefulness": rating | json_like,
    "most_useful": st.text(max_size=20) | json_like,
    "improve": st.text(max_size=20) | json_like,
    "recommend": st.sampled_from(["", "yes", "no", "unsure", "maybe"]) | json_like,
    "role": st.text(max_size=20) | json_like,
    "country": st.sampled_from([None, "BGD", "fiji", "Atlantis", ""]) | json_like,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_like, form_like))
def test_from_dict_gives_model_or_validation_error(data):
    try:
        model = FeedbackFormModel.from_dict(data)
    except ValidationError:
        return
    assert isinstance(model, FeedbackFormModel)


valid_forms = st.builds(
    FeedbackFormModel,
    module_ratings=st.dictionaries(st.sampled_from(list(MODULES)),
                                   st.none() | st.integers(1, 5)),
    usefulness=st.none() | st.integers(1, 5),
    most_useful=st.text(max_size=50).filter(lambda s: "\x00" not in s),
    improve=st.text(max_size=50).filter(lambda s: "\x00" not in s),
    recommend=st.sampled_from(["", "yes", "no", "unsure"]),
    role=st.text(max_size=30).filter(lambda s: "\x00" not in s),
    country=st.sampled_from([None, "BGD", "ETH", "Tuvalu", "nepal"]),
)


@settings(max_examples=60, deadline=None)
@given(valid_forms)
def test_accepted_models_survive_json(model):
    assert FeedbackFormModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


ops = st.lists(st.tuples(
    st.sampled_from(["rate", "useful", "text", "recommend", "role", "country", "submit"]),
    st.sampled_from(list(MODULES)), st.sampled_from([None, 1, 3, 5]),
    st.sampled_from(["", "ok", EVIL, "y" * 1200])), max_size=12)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_ui_operations_never_raise(operations):
    wb = Workbook.in_memory()
    view = FeedbackForm(workbook=wb)
    for op, module, value, words in operations:
        if op == "rate":
            view.ratings[module].value = value
        elif op == "useful":
            view.usefulness.value = value
        elif op == "text":
            view.improve.value = words
        elif op == "recommend":
            view.recommend.value = "yes" if value else ""
        elif op == "role":
            view.role.value = words
        elif op == "country":
            view.country.value = None if value is None else "FJI"
        else:
            view.submit_button.click()
    assert FeedbackFormModel.from_dict(view.model.to_dict()) == view.model
    saved = wb.get(view.key)
    assert saved is None or FeedbackFormModel.from_dict(saved) == view.model


# ------------------------------------------------------------------------- French
def test_the_form_speaks_french_and_stores_english_answers():
    from digit4sd_widgets.exercises.readiness import module_name
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.i18n_checks import english_left

    wb = Workbook.in_memory()
    with language("fr"):
        view = FeedbackForm(workbook=wb)
        assert view.ratings["6"].description == f"6. {module_name('6')}" != f"6. {MODULES['6']}"
        assert ("je ne sais pas", "unsure") in view.recommend.options
        assert dict(view.country.options)["Éthiopie"] == "ETH"
        view.recommend.value = "unsure"
        view.country.value = "CIV"
        view.submit_button.click()
        assert "Merci" in view.thanks.value
        assert ("Pays", "Côte d’Ivoire") in view.model.report()[1].items
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/feedback.py") == []
    assert wb.get(view.key)["recommend"] == "unsure" and wb.get(view.key)["country"] == "CIV"
