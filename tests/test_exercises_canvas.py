"""Implementation canvas: blocks, prefill from earlier work, refresh, printable report."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import MAX_TEXT, ValidationError
from digit4sd_widgets.exercises.canvas import (
    BLANK,
    BLOCK_KEYS,
    BLOCK_LABELS,
    ImplementationCanvas,
    ImplementationCanvasModel,
    kpi_lines,
    stakeholder_lines,
    suggestions,
)
from digit4sd_widgets.workbook import Workbook

STAKEHOLDERS = {"stakeholders": [
    {"name": "Ministry of ICT", "kind": "government", "influence": 5, "interest": 5,
     "role": "sponsor", "notes": ""},
    {"name": "Telecom operators", "kind": "private sector", "influence": 4, "interest": 2,
     "role": "", "notes": ""},
    {"name": "Women's groups", "kind": "civil society", "influence": 2, "interest": 5,
     "role": "user representative", "notes": ""},
    {"name": "University", "kind": "academia", "influence": 1, "interest": 1,
     "role": "technical partner", "notes": ""},
    {"name": 42, "kind": "government"},  # unreadable: left out
]}
KPIS = {"kpis": [
    {"name": "Online services", "indicator": "osi", "country": "BGD", "baseline_year": 2024,
     "baseline": 0.6312, "target": 0.75, "target_year": 2030, "sdg_target": "16.6",
     "responsible": "a2i"},
    {"name": "Internet use", "indicator": "internet_pct", "baseline": 38.9, "target": 60,
     "target_year": 2030},
    {"indicator": "egdi"},  # no name: left out
    "junk",
]}


def _workbook(with_work: bool = True) -> Workbook:
    wb = Workbook.in_memory()
    wb.set_case(country="BGD", target_area="Digital birth registration",
                sdg_targets=["16.9", "17.8"])
    if with_work:
        wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", STAKEHOLDERS)
        wb.set("3.3/kpi_builder", "kpi_builder", KPIS)
    return wb


def test_stakeholder_and_kpi_lines():
    assert stakeholder_lines(STAKEHOLDERS) == [
        "Ministry of ICT (government, sponsor) - manage closely",
        "Telecom operators (private sector) - keep satisfied",
        "Women's groups (civil society, user representative) - keep informed",
        "University (academia, technical partner) - monitor",
    ]
    assert kpi_lines(KPIS) == ["Online services: OSI 0.63 -> 0.75 by 2030",
                               "Internet use: Internet use (%) 38.9 -> 60 by 2030"]
    for junk in (None, [], {"stakeholders": "x"}, {"kpis": None}, 3):
        assert stakeholder_lines(junk) == [] and kpi_lines(junk) == []


def test_starter_prefills_from_earlier_work():
    m = ImplementationCanvasModel.starter(_workbook())
    assert m.blocks["sdg_target"] == "16.9, 17.8"
    assert m.blocks["problem"].startswith("Target area: Digital birth registration")
    assert m.blocks["stakeholders"].splitlines()[0] == (
        "Ministry of ICT (government, sponsor) - manage closely")
    assert m.blocks["kpis"].splitlines() == kpi_lines(KPIS)
    assert m.blocks["risks"] == "" and m.name == ""
    empty = ImplementationCanvasModel.starter(Workbook.in_memory())
    assert empty == ImplementationCanvasModel()


def test_prefill_fits_in_a_block():
    many = {"stakeholders": [{"name": f"Stakeholder number {i:03d} " + "x" * 80,
                              "kind": "government", "influence": 3, "interest": 3}
                             for i in range(40)]}
    wb = Workbook.in_memory()
    wb.set("k", "stakeholder_matrix", many)
    found = suggestions(wb)["stakeholders"]
    assert 0 < len(found) <= MAX_TEXT
    ImplementationCanvasModel().with_values(blocks={"stakeholders": found})


def test_changes_refusals_and_old_model_kept():
    m = ImplementationCanvasModel().with_values("My initiative", {"risks": "  Power cuts  "})
    assert m.name == "My initiative" and m.blocks["risks"] == "Power cuts"
    with pytest.raises(ValidationError, match="too long"):
        m.with_values(blocks={"users": "x" * (MAX_TEXT + 1)})
    with pytest.raises(ValidationError, match="no block called"):
        m.with_values(blocks={"budget": "x"})
    with pytest.raises(ValidationError, match="must be text"):
        m.with_values(blocks={"users": 3})
    with pytest.raises(ValidationError, match="title is too long"):
        m.with_values(title="x" * 500)
    assert m.blocks["users"] == "" and m.name == "My initiative"


def test_fill_empty_never_overwrites():
    m = ImplementationCanvasModel().with_values(blocks={"kpis": "My own KPI"})
    new, filled = m.with_empty_filled({"kpis": "theirs", "risks": "a risk", "users": ""})
    assert filled == ["risks"]
    assert new.blocks["kpis"] == "My own KPI" and new.blocks["risks"] == "a risk"


def test_completeness_and_printable_report():
    m = ImplementationCanvasModel()
    done = m.completeness()
    assert (done.done, done.total) == (0, 13)
    assert done.missing == [BLOCK_LABELS[k] for k in BLOCK_KEYS]
    m = m.with_values("Birth registration", {"risks": "Power cuts", "kpis": "Coverage"})
    done = m.completeness()
    assert (done.done, done.total) == (2, 13)
    assert "Risks" not in done.missing and "Users" in done.missing
    fields = dict(m.report()[0].items)
    assert list(fields) == ["Initiative", *[BLOCK_LABELS[k] for k in BLOCK_KEYS]]
    assert fields["Risks"] == "Power cuts"
    assert fields["Users"] == BLANK and "____" in BLANK
    full = m.with_values(blocks={k: "x" for k in BLOCK_KEYS})
    assert full.completeness().complete
    assert [b.kind for b in full.report()] == ["fields"]


def test_round_trip_and_format():
    m = ImplementationCanvasModel.starter(_workbook()).with_values("T", {"risks": "r"})
    data = m.to_dict()
    assert set(data) == {"title", "blocks"} and list(data["blocks"]) == list(BLOCK_KEYS)
    assert ImplementationCanvasModel.from_dict(json.loads(json.dumps(data))) == m
    assert ImplementationCanvasModel.from_dict({"blocks": {"risks": "r"}}).blocks["risks"] == "r"


@pytest.mark.parametrize(
    ("data", "message"),
    [("x", "named fields"), ({"blocks": []}, "named fields"), ({"blocks": {"x": "y"}},
                                                                "no block called"),
     ({"title": 5}, "must be text"), ({"blocks": {"risks": "x" * 3000}}, "too long")],
)
def test_from_dict_refusals(data, message):
    with pytest.raises(ValidationError, match=message):
        ImplementationCanvasModel.from_dict(data)


# ------------------------------------------------------------------------------- view
def test_view_starts_prefilled_saves_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json", siblings=False)
    wb.set_case(target_area="E-procurement", sdg_targets=["16.6"])
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", STAKEHOLDERS)
    view = ImplementationCanvas(workbook=wb)
    assert view.areas["sdg_target"].value == "16.6"
    assert "Ministry of ICT" in view.areas["stakeholders"].value
    view.title_box.value = "E-procurement for all"
    view.areas["risks"].value = "Vendors resist"
    view.save_button.click()
    assert "Saved" in view.status.value
    assert view.model.blocks["risks"] == "Vendors resist"
    assert "4 of 13 blocks filled" in view.progress.value
    restored = ImplementationCanvas(workbook=Workbook.open(tmp_path / "wb.json",
                                                           siblings=False))
    assert restored.model == view.model
    assert restored.title_box.value == "E-procurement for all"


def test_too_long_text_shows_a_message_and_keeps_state():
    view = ImplementationCanvas(workbook=Workbook.in_memory())
    view.areas["users"].value = "x" * (MAX_TEXT + 1)
    view.save_button.click()
    assert "Users block is too long" in view.action_message.value
    assert view.model.blocks["users"] == ""
    assert view.areas["users"].value == "x" * (MAX_TEXT + 1)  # the learner's text stays
    view.areas["users"].value = "Farmers"
    view.save_button.click()
    assert view.action_message.value == ""
    assert view.model.blocks["users"] == "Farmers"


def test_refresh_fills_only_empty_blocks():
    wb = _workbook(with_work=False)
    view = ImplementationCanvas(workbook=wb)
    assert view.model.blocks["stakeholders"] == ""
    view.areas["kpis"].value = "My own KPI"  # typed, not saved yet
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", STAKEHOLDERS)
    wb.set("3.3/kpi_builder", "kpi_builder", KPIS)
    view.refresh_button.click()
    assert view.model.blocks["kpis"] == "My own KPI"
    assert "Ministry of ICT" in view.model.blocks["stakeholders"]
    assert "Filled 1 empty block from your earlier work: Stakeholders" in view.action_note.value
    view.refresh_button.click()
    assert "Nothing to add" in view.action_note.value


def test_replace_button_overwrites_stakeholders_and_kpis_and_says_so():
    wb = _workbook(with_work=False)
    view = ImplementationCanvas(workbook=wb)
    view.areas["stakeholders"].value = "old list"
    view.areas["kpis"].value = "old KPIs"
    view.areas["risks"].value = "keep me"
    view.replace_button.click()
    assert view.model.blocks["stakeholders"] == "old list"
    assert "Left unchanged" in view.action_note.value
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", STAKEHOLDERS)
    view.replace_button.click()
    assert view.model.blocks["stakeholders"].count("\n") == 3
    assert view.model.blocks["kpis"] == "old KPIs" and view.model.blocks["risks"] == "keep me"
    note = view.action_note.value
    assert "Replaced the Stakeholders block with 4 lines from your stakeholder matrix" in note
    assert "Left unchanged the KPIs block" in note
    wb.set("3.3/kpi_builder", "kpi_builder", KPIS)
    view.replace_button.click()
    assert view.model.blocks["kpis"].splitlines() == kpi_lines(KPIS)


def test_learner_text_is_shown_as_text():
    view = ImplementationCanvas(workbook=Workbook.in_memory())
    view.title_box.value = "<script>alert(1)</script>"
    view.areas["risks"].value = "<script>alert(1)</script>"
    view.save_button.click()
    assert "<script>" not in view.preview.value
    assert view.preview.value.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2


def test_view_without_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    assert ImplementationCanvas().model == ImplementationCanvasModel()


# ------------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries({
    "title": st.text(max_size=5) | json_values,
    "blocks": st.dictionaries(st.sampled_from(BLOCK_KEYS) | st.text(max_size=3),
                              st.text(max_size=20) | json_values, max_size=4)})))
def test_any_input_is_accepted_and_round_trips_or_is_refused(data):
    try:
        m = ImplementationCanvasModel.from_dict(data)
    except ValidationError:
        return
    assert ImplementationCanvasModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


@settings(max_examples=60, deadline=None)
@given(json_values, json_values, st.lists(json_values, max_size=3))
def test_any_earlier_work_gives_a_valid_starter(stakeholders, kpis, targets):
    wb = Workbook.in_memory()
    wb.set("a", "stakeholder_matrix", {"stakeholders": stakeholders})
    wb.set("b", "kpi_builder", {"kpis": kpis} if not isinstance(kpis, dict) else kpis)
    wb.set_case(sdg_targets=targets, target_area="x")
    m = ImplementationCanvasModel.starter(wb)
    assert ImplementationCanvasModel.from_dict(m.to_dict()) == m


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["type", "save", "refresh", "replace", "work"]),
                          st.sampled_from(BLOCK_KEYS),
                          st.text(max_size=10) | st.just("x" * (MAX_TEXT + 1))),
                max_size=10))
def test_random_use_of_the_view_never_raises(steps):
    view = ImplementationCanvas(workbook=Workbook.in_memory())
    for op, key, words in steps:
        if op == "type":
            view.areas[key].value = words
        elif op == "save":
            view.save_button.click()
        elif op == "refresh":
            view.refresh_button.click()
        elif op == "replace":
            view.replace_button.click()
        else:
            view.workbook.set("s", "stakeholder_matrix", {"stakeholders": [
                {"name": words or "n", "kind": "government", "influence": 4, "interest": 4}]})
        for label in (view.action_message, view.action_note, view.status):
            assert "did not work" not in label.value
    m = ImplementationCanvasModel.from_dict(view.model.to_dict())
    assert all(len(v) <= MAX_TEXT for v in m.blocks.values())


# ------------------------------------------------------------------------- French
def test_the_canvas_speaks_french_and_prefills_in_french():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.test_exercises_stakeholders import NB, english_left

    wb = _workbook()
    with language("fr"):
        view = ImplementationCanvas(workbook=wb)
        assert view.model.blocks["stakeholders"].splitlines()[0] == (
            "Ministry of ICT (administration publique, commanditaire) - associer étroitement")
        assert view.model.blocks["kpis"].splitlines() == [
            "Online services: OSI 0,63 -> 0,75 d'ici 2030",
            "Internet use: Usage d'Internet (%) 38,9 -> 60 d'ici 2030"]
        assert view.model.blocks["problem"].startswith(
            f"Domaine cible{NB}: Digital birth registration")
        assert view.areas["risks"].placeholder.startswith("Qu'est-ce qui pourrait mal tourner")
        view.areas["risks"].value = "Coupures d'électricité"
        view.save_button.click()
        assert f"5 blocs remplis sur 13 — encore vides{NB}: Usagers" in view.progress.value
        view.replace_button.click()
        assert ("Le bloc «\u00a0Parties prenantes\u00a0» a été remplacé par 4 lignes de votre "
                "matrice des parties prenantes.") in view.action_note.value
        report = view.model.report()
        assert report[0].title == "Canevas de mise en œuvre"
        assert report[0].items[1][0] == "Cible(s) des ODD"
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/canvas.py") == []
    assert "Canevas de mise en œuvre" in page
    assert set(wb.get(view.key)["blocks"]) == set(BLOCK_KEYS)
    # the English course still reads the labels as they were
    assert view.model.completeness().missing[0] == BLOCK_LABELS["users"] == "Users"
