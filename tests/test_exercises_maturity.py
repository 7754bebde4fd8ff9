"""Online service maturity classifier: content, model and view."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import Block, ValidationError
from digit4sd_widgets.exercises.maturity import (
    ITEMS,
    STAGES,
    ServiceMaturityClassifier,
    ServiceMaturityClassifierModel,
    stages_html,
)
from digit4sd_widgets.workbook import Workbook

RIGHT = {i.id: i.stage for i in ITEMS}


def test_content():
    assert list(STAGES) == ["emerging", "enhanced", "transactional", "connected"]
    assert len(ITEMS) == 8 and len({i.id for i in ITEMS}) == 8
    assert {i.stage for i in ITEMS} == set(STAGES)
    by_text = {i.text: i.stage for i in ITEMS}
    assert by_text["A ministry page with the office address and a PDF form to print"] == \
        "emerging"
    assert by_text["Pay property tax online with a card"] == "transactional"
    assert "<li>" in stages_html()


def test_answers_and_score():
    m = ServiceMaturityClassifierModel()
    m2 = m.with_answer("tax", "transactional").with_answer("newborn", "enhanced")
    assert m.answers == {}
    assert m2.is_right("tax") is True and m2.is_right("newborn") is False
    assert m2.is_right("town_hall") is None
    assert m2.score() == 1
    assert m2.with_answer("newborn", "").answers == {"tax": "transactional"}
    assert m2.with_answer("newborn", None).answers == {"tax": "transactional"}
    assert ServiceMaturityClassifierModel(RIGHT).score() == 8


@pytest.mark.parametrize("item, stage, message", [
    ("tax", "advanced", "must be one of: emerging, enhanced, transactional, connected"),
    ("tax", 2, "must be one of"),
    ("nope", "emerging", "no service 'nope'"),
])
def test_refused_answers(item, stage, message):
    m = ServiceMaturityClassifierModel().with_answer("tax", "emerging")
    with pytest.raises(ValidationError, match=message):
        m.with_answer(item, stage)
    assert m.answers == {"tax": "emerging"}


@pytest.mark.parametrize("data, message", [
    ({"answers": {"nope": "emerging"}}, "no service"),
    ({"answers": {"tax": "best"}}, "must be one of"),
    ({"answers": ["tax"]}, "named fields"),
    (None, "named fields"),
])
def test_from_dict_refuses(data, message):
    with pytest.raises(ValidationError, match=message):
        ServiceMaturityClassifierModel.from_dict(data)


def test_round_trip_completeness_report():
    m = ServiceMaturityClassifierModel({"tax": "transactional", "licence": "enhanced"})
    d = m.to_dict()
    assert d == {"answers": {"tax": "transactional", "licence": "enhanced"}}
    assert ServiceMaturityClassifierModel.from_dict(json.loads(json.dumps(d))) == m
    assert ServiceMaturityClassifierModel.from_dict({}) == ServiceMaturityClassifierModel()
    done = m.completeness()
    assert (done.done, done.total, len(done.missing)) == (2, 8, 6)
    blocks = m.report()
    assert all(isinstance(b, Block) for b in blocks)
    assert blocks[0].items == [("Right", "1 of 8")]
    assert len(blocks[1].rows) == 8 and len(blocks[2].rows) == 4


def test_view_classify_check_and_reload(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = ServiceMaturityClassifier(workbook=wb)
    view.check_button.click()
    assert "at least one service" in view.item_message.value
    view.dropdowns["tax"].value = "transactional"
    view.dropdowns["newborn"].value = "emerging"
    assert view.model.answers == {"tax": "transactional", "newborn": "emerging"}
    assert view.feedback["tax"].value == ""  # nothing shown before Check
    view.check_button.click()
    assert "Right" in view.feedback["tax"].value
    assert "connected" in view.feedback["newborn"].value
    assert "1 of 8 right" in view.score_label.value
    saved = Workbook.open(tmp_path / "wb.json")
    assert saved.get("2.2/service_maturity") == {
        "answers": {"tax": "transactional", "newborn": "emerging"}}
    assert saved.entry("2.2/service_maturity")["kind"] == "service_maturity"
    view.dropdowns["newborn"].value = ""
    assert view.model.answers == {"tax": "transactional"}
    assert view.feedback["newborn"].value == ""

    again = ServiceMaturityClassifier(workbook=Workbook.open(tmp_path / "wb.json"))
    assert again.dropdowns["tax"].value == "transactional"
    assert again.dropdowns["newborn"].value == ""


def test_view_with_broken_saved_answer_starts_afresh():
    wb = Workbook.in_memory()
    wb.set("2.2/service_maturity", "service_maturity", {"answers": {"tax": "<script>"}})
    view = ServiceMaturityClassifier(workbook=wb)
    assert view.model.answers == {}
    assert "could not be restored" in view.status.value
    assert "<script>" not in view.status.value


# ------------------------------------------------------------------ properties
json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.text(max_size=8),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)
maturity_like = st.fixed_dictionaries({"answers": st.dictionaries(
    st.sampled_from([*RIGHT, "x"]), st.sampled_from([*STAGES, "", "other"]) | json_like,
    max_size=8) | json_like})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_like, maturity_like))
def test_from_dict_gives_model_or_validation_error(data):
    try:
        model = ServiceMaturityClassifierModel.from_dict(data)
    except ValidationError:
        return
    assert isinstance(model, ServiceMaturityClassifierModel)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(list(RIGHT)), st.sampled_from(list(STAGES))))
def test_accepted_models_survive_json(answers):
    model = ServiceMaturityClassifierModel(answers)
    again = ServiceMaturityClassifierModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model


ops = st.lists(st.tuples(st.sampled_from([*RIGHT, "check"]),
                         st.sampled_from(["", *STAGES])), max_size=15)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_ui_operations_never_raise(operations):
    wb = Workbook.in_memory()
    view = ServiceMaturityClassifier(workbook=wb)
    for target, stage in operations:
        if target == "check":
            view.check_button.click()
        else:
            view.dropdowns[target].value = stage
    expected = {t: s for t, s in operations if t != "check"}
    assert view.model.answers == {k: v for k, v in expected.items() if v}
    assert ServiceMaturityClassifierModel.from_dict(view.model.to_dict()) == view.model


# ------------------------------------------------------------------------- French
def test_the_classifier_speaks_french_and_stores_english_stages():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.test_exercises_stakeholders import NB, english_left

    wb = Workbook.in_memory()
    # an answer saved before the course spoke French: its English stages still load
    wb.set("2.2/service_maturity", "service_maturity",
           {"answers": {"town_hall": "emerging"}})
    with language("fr"):
        view = ServiceMaturityClassifier(workbook=wb)
        assert view.dropdowns["town_hall"].value == "emerging"
        labels = dict((v, k) for k, v in view.dropdowns["tax"].options)
        assert [labels[s] for s in STAGES] == ["émergent", "amélioré", "transactionnel",
                                               "connecté"]
        assert view.dropdowns["tax"].description == (
            "2. Payer l'impôt foncier en ligne par carte bancaire")
        assert f"<li><b>Émergent</b>{NB}: Des informations de base en ligne" in stages_html()
        view.dropdowns["tax"].value = "transactional"
        view.dropdowns["newborn"].value = "enhanced"
        view.check_button.click()
        assert "Bonne réponse" in view.feedback["tax"].value
        assert f"Pas tout à fait{NB}: ce service est au stade <b>connecté</b>" in (
            view.feedback["newborn"].value)
        assert "2 sur 8 réponses justes (3 sur 8" in view.score_label.value
        assert view.model.completeness().missing[0] == "un stade pour le service 1"
        blocks = view.model.report()
        assert [b.title for b in blocks] == ["Score", "Services par stade", "Les quatre stades"]
        assert blocks[1].rows[2][1:] == ["amélioré", "connecté", "non"]
        with pytest.raises(ValidationError, match="Cet exercice ne comporte pas de service"):
            view.model.with_answer("nope", "emerging")
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/maturity.py") == []
    assert "Stades des services en ligne" in page and "<b>Connecté</b>" in page
    assert wb.get("2.2/service_maturity") == {"answers": {
        "town_hall": "emerging", "tax": "transactional", "newborn": "enhanced"}}


def test_data_messages_in_french():
    """The loader's and the analysis' messages, which the exercises show as they are."""
    from digit4sd_widgets.data import analysis, find_country, load_survey
    from digit4sd_widgets.i18n import language
    from tests.test_exercises_stakeholders import NB

    with language("fr"):
        with pytest.raises(ValueError, match=f"Pays inconnu{NB}: «{NB}Ethiopie{NB}».*"
                                             f"Vouliez-vous dire{NB}: Éthiopie \\(ETH\\)"):
            find_country("Ethiopie")
        with pytest.raises(ValueError, match="par son code ISO3"):
            find_country(" ")
        with pytest.raises(ValueError, match="n'est pas une édition de l'Étude"):
            load_survey(years=2025)
        with pytest.raises(ValueError, match=f"Indicateur inconnu{NB}:"):
            analysis.indicator_series("BGD", "gdp")
    with pytest.raises(ValueError, match=r"Unknown country 'Ethiopie'.*Ethiopia \(ETH\)"):
        find_country("Ethiopie")
