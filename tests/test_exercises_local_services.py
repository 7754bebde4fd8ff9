"""Local service checklist: areas, scores, what to improve first, persistence, escaping."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.local_services import (
    AREAS,
    CHECKLIST,
    ITEM_TEXT,
    LocalServiceChecklist,
    LocalServiceChecklistModel,
)
from digit4sd_widgets.workbook import Workbook

IDS = list(ITEM_TEXT)


def _tick_area(m, area, n=None):
    for item_id, _ in CHECKLIST[area][:n]:
        m = m.with_checked(item_id)
    return m


def test_checklist_shape():
    assert [a for a, _ in AREAS] == list(CHECKLIST)
    for items in CHECKLIST.values():
        assert 4 <= len(items) <= 5
    assert len(set(IDS)) == len(IDS)


def test_scores_total_and_improve_first():
    m = LocalServiceChecklistModel()
    assert m.total() == 0 and set(m.scores().values()) == {0}
    assert m.improve_first() == ["Institutional framework", "Content", "Services"]
    m = _tick_area(m, "institutional")
    m = _tick_area(m, "content", 2)
    m = _tick_area(m, "technology", 1)
    m = m.with_checked("svc_pay")
    assert m.area_score("institutional") == 100
    assert m.area_score("content") == 40
    assert m.total() == pytest.approx(100 * 9 / len(IDS))
    assert m.improve_first() == ["Participation and engagement", "Services", "Technology"]
    everything = LocalServiceChecklistModel().with_checked_items(IDS)
    assert everything.improve_first() == [] and everything.total() == 100
    almost = everything.with_checked("tech_mobile", False)
    assert almost.improve_first() == ["Technology"]


def test_changes_and_refusals_keep_the_model():
    m = LocalServiceChecklistModel().with_details("  Thimphu ", "www.thimphucity.bt ")
    assert (m.municipality, m.portal) == ("Thimphu", "www.thimphucity.bt")
    m2 = m.with_checked("svc_pay").with_checked("tech_mobile").with_checked("svc_pay")
    assert m2.checked == ("svc_pay", "tech_mobile")  # checklist order, no duplicates
    assert m2.with_checked("svc_pay", False).checked == ("tech_mobile",)
    assert m.checked == ()
    with pytest.raises(ValidationError, match="not an item of the checklist"):
        m2.with_checked("svc_teleport")
    with pytest.raises(ValidationError, match="too long"):
        m2.with_details("x" * 500, "")
    with pytest.raises(ValidationError, match="must be text"):
        m2.with_details("Thimphu", 42)
    assert m2.checked == ("svc_pay", "tech_mobile") and m2.municipality == "Thimphu"


def test_completeness_and_report():
    m = LocalServiceChecklistModel()
    done = m.completeness()
    assert done.done == 0 and "the portal's address" in done.missing
    m = m.with_details("Apia", "https://apia.example").with_checked("tech_mobile")
    assert m.completeness().complete
    blocks = m.report()
    assert [b.kind for b in blocks] == ["fields", "table", "image", "note", "table"]
    assert dict(blocks[0].items)["Portal address"] == "https://apia.example"
    assert blocks[1].rows[-1] == ["Total", f"{m.total():.0f}%"]
    assert blocks[2].png.startswith(b"\x89PNG")
    assert blocks[3].text.startswith("Institutional framework, Content, Services")
    assert ["Technology", ITEM_TEXT["tech_mobile"], "yes"] in blocks[4].rows


def test_round_trip_and_format():
    m = LocalServiceChecklistModel().with_details("Apia", "apia.ws").with_checked_items(
        ["tech_mobile", "inst_contacts"])
    data = m.to_dict()
    assert data == {"municipality": "Apia", "portal": "apia.ws", "no_portal": False,
                    "checked": ["inst_contacts", "tech_mobile"]}
    assert LocalServiceChecklistModel.from_dict(json.loads(json.dumps(data))) == m
    # a workbook saved before towns without a portal could be planned for still loads
    del data["no_portal"]
    assert LocalServiceChecklistModel.from_dict(data) == m


def test_a_town_with_no_portal_plans_its_first_one():
    """An official whose town has no portal can finish the exercise honestly: the ticks
    become what the first portal must offer, and no address is asked for."""
    m = LocalServiceChecklistModel().with_details("Funafuti", "", True)
    assert not m.completeness().complete
    assert "the portal's address" not in m.completeness().missing
    m = m.with_checked_items(["svc_forms", "svc_pay", "tech_mobile", "inst_contacts",
                              "part_reply"])
    assert m.completeness().complete and m.portal == ""
    # an address typed before is kept (a tick by mistake loses nothing) but not used
    kept = m.with_details("Funafuti", "old.example", True)
    assert kept.portal == "old.example" and kept.completeness().complete
    assert "old.example" not in str([b.items for b in kept.report()])
    assert kept.with_details("Funafuti", "old.example", False).portal == "old.example"
    assert m.build_first()[0] == "Services"  # the area with the most items planned
    report = {b.title: b for b in m.report()}
    assert "none yet" in dict(report["Portal"].items)["Portal address"]
    assert report["Build first"].text.startswith("Services")
    data = json.loads(json.dumps(m.to_dict()))
    assert data["no_portal"] is True and LocalServiceChecklistModel.from_dict(data) == m
    with pytest.raises(ValidationError):
        m.with_details("Funafuti", "", "yes")


def test_the_view_switches_to_a_plan_and_back():
    view = LocalServiceChecklist(workbook=Workbook.in_memory())
    view.municipality.value = "Funafuti"
    view.portal.value = "funafuti.example"
    view.no_portal.value = True
    assert view.model.no_portal and view.portal.disabled
    assert "first portal" in view.instruction.value
    for item in ("svc_forms", "svc_pay", "tech_mobile", "inst_contacts", "part_reply"):
        view.boxes[item].value = True
    assert view.model.completeness().complete
    assert "Build first" in view.summary.value and view.chart.value == b""
    view.no_portal.value = False
    assert not view.model.no_portal and not view.portal.disabled
    assert view.portal.value == view.model.portal == "funafuti.example"
    assert "true for the portal today" in view.instruction.value


@pytest.mark.parametrize(
    ("data", "message"),
    [("x", "named fields"), ({"checked": ["svc_pay", "nope"]}, "'nope' is not an item"),
     ({"checked": "svc_pay"}, "must be a list"), ({"checked": [3]}, "text ids"),
     ({"municipality": ["x"]}, "must be text")],
)
def test_from_dict_refusals(data, message):
    with pytest.raises(ValidationError, match=message):
        LocalServiceChecklistModel.from_dict(data)


# ------------------------------------------------------------------------------- view
def test_view_ticks_saves_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json", siblings=False)
    view = LocalServiceChecklist(workbook=wb)
    assert view.chart.layout.display == "none"
    view.municipality.value = "Thimphu"
    view.portal.value = "www.thimphucity.bt"
    view.details_button.click()
    assert "Saved" in view.status.value
    view.boxes["svc_pay"].value = True
    view.boxes["tech_mobile"].value = True
    assert view.model.checked == ("svc_pay", "tech_mobile")
    assert "Improve first: <b>Institutional framework, Content, Participation" \
        in view.summary.value
    assert "20%" in view.summary.value
    assert bytes(view.chart.value).startswith(b"\x89PNG")
    assert "Score per area" in view.chart.alt and "portal of Thimphu" in view.chart.alt
    assert "Services 20, " in view.chart.alt and "Total: 8%." in view.chart.alt
    assert "<table" in view.chart.numbers.value
    view.boxes["svc_pay"].value = False
    assert view.model.checked == ("tech_mobile",)
    restored = LocalServiceChecklist(workbook=Workbook.open(tmp_path / "wb.json",
                                                            siblings=False))
    assert restored.model == view.model
    assert restored.boxes["tech_mobile"].value is True
    assert restored.portal.value == "www.thimphucity.bt"


def test_unsaved_details_survive_a_tick():
    view = LocalServiceChecklist(workbook=Workbook.in_memory())
    view.municipality.value = "Typed, not saved"
    view.boxes["svc_pay"].value = True
    assert view.municipality.value == "Typed, not saved"


def test_refused_details_show_a_message():
    view = LocalServiceChecklist(workbook=Workbook.in_memory())
    view.municipality.value = "x" * 500
    view.details_button.click()
    assert "too long" in view.details_message.value
    assert view.model.municipality == ""
    view.municipality.value = "Apia"
    view.details_button.click()
    assert view.details_message.value == ""


def test_address_is_text_not_a_link():
    view = LocalServiceChecklist(workbook=Workbook.in_memory())
    view.municipality.value = "<script>alert(1)</script>"
    view.portal.value = 'https://x.example/"><a href="javascript:alert(1)">'
    view.details_button.click()
    out = view.summary.value
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<a " not in out and "<a href" not in out
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;" in out


def test_view_without_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    assert LocalServiceChecklist().model == LocalServiceChecklistModel()


# ------------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries({
    "municipality": st.text(max_size=10) | json_values,
    "portal": st.text(max_size=10) | json_values,
    "checked": st.lists(st.sampled_from(IDS) | st.text(max_size=4), max_size=8) | json_values})))
def test_any_input_is_accepted_and_round_trips_or_is_refused(data):
    try:
        m = LocalServiceChecklistModel.from_dict(data)
    except ValidationError:
        return
    assert LocalServiceChecklistModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert 0 <= m.total() <= 100


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["tick", "details"]), st.sampled_from(IDS),
                          st.booleans(), st.text(max_size=8)), max_size=10))
def test_random_use_of_the_view_never_raises(steps):
    view = LocalServiceChecklist(workbook=Workbook.in_memory())
    for op, item_id, ticked, words in steps:
        if op == "tick":
            view.boxes[item_id].value = ticked
        else:
            view.municipality.value = words
            view.portal.value = words
            view.details_button.click()
        for label in (view.details_message, view.checklist_message, view.status):
            assert "did not work" not in label.value
    m = LocalServiceChecklistModel.from_dict(view.model.to_dict())
    assert [i for i, box in view.boxes.items() if box.value] == list(m.checked)


# ------------------------------------------------------------------------- French
def test_the_checklist_speaks_french_and_stores_item_ids():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.test_exercises_stakeholders import NB, english_left

    wb = Workbook.in_memory()
    with language("fr"):
        view = LocalServiceChecklist(workbook=wb)
        assert view.boxes["tech_mobile"].description == (
            "Le site fonctionne sur un téléphone portable.")
        view.municipality.value = "Thimphou"
        view.portal.value = "www.thimphu.bt"
        view.details_button.click()
        view.boxes["tech_mobile"].value = True
        view.boxes["svc_pay"].value = True
        assert f"20{NB}%" in view.summary.value
        assert "À améliorer en premier" in view.summary.value
        assert view.chart.alt.startswith(f"Graphique à barres{NB}: Score par domaine")
        assert english_left(widget_html(view),
                            "digit4sd_widgets/exercises/local_services.py") == []
        view.no_portal.value = True
        assert "Un plan pour le premier portail de" in view.summary.value
        assert "2 éléments sur 25" in view.summary.value
        report = view.model.report()
        assert report[0].items[1] == ("Adresse du portail",
                                      f"aucune pour l'instant{NB}: un plan pour le premier portail")
        assert english_left(widget_html(view),
                            "digit4sd_widgets/exercises/local_services.py") == []
    assert wb.get(view.key)["checked"] == ["svc_pay", "tech_mobile"]
