"""SDG target mapper: catalogue, model and view."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.exercises._base import Block, ValidationError
from digit4sd_widgets.exercises.sdg_mapper import (
    MAX_TARGETS,
    REFERENCE,
    SERVICES,
    TARGETS,
    SDGTargetMapper,
    SDGTargetMapperModel,
)
from digit4sd_widgets.workbook import Workbook

BIRTH = "Online birth registration"
EVIL = "<script>alert(1)</script>"


# ------------------------------------------------------------------ content
def test_catalogue_and_reference():
    for code in ("16.6", "16.7", "16.9", "16.10", "17.8", "9.c", "4.4", "5.b", "1.4", "8.10",
                 "13.1", "3.8", "11.3"):
        assert TARGETS.get(code)
    assert 6 <= len(SERVICES) <= 8
    for service, suggested in REFERENCE.items():
        assert 1 <= len(suggested) <= MAX_TARGETS, service
        for code, reason in suggested.items():
            assert code in TARGETS and reason.strip()


# ------------------------------------------------------------------ model
def test_mapping_a_service():
    m = SDGTargetMapperModel()
    m2 = m.with_targets(BIRTH, ["16.9", "1.4"])
    assert m.mapping == {}  # unchanged
    assert m2.targets_for(BIRTH) == ("1.4", "16.9")  # catalogue order
    cmp = m2.compare(BIRTH)
    assert cmp["matched"] == ["16.9"] and cmp["extra"] == ["1.4"]
    assert list(cmp["missed"]) == ["16.6"]
    lines = m2.feedback(BIRTH)
    assert any("16.9" in line for line in lines)
    assert any(line.startswith("The suggestion also has 16.6:") for line in lines)
    assert any("Not in the suggestion: 1.4" in line for line in lines)
    assert m2.with_targets(BIRTH, []).mapping == {}


def test_codes_and_names_are_matched_loosely():
    m = SDGTargetMapperModel().with_targets("national BROADBAND plan ", ["9.C", " 17.8"])
    assert m.mapping == {"National broadband plan": ("9.c", "17.8")}
    assert m.with_targets(BIRTH, ["16.9", "16.9"]).targets_for(BIRTH) == ("16.9",)
    assert m.with_targets(BIRTH, "16.6").targets_for(BIRTH) == ("16.6",)
    assert m.with_targets(BIRTH, {"16.9", "16.6"}).targets_for(BIRTH) == ("16.6", "16.9")


@pytest.mark.parametrize("service, codes, message", [
    (BIRTH, ["16.9", "16.6", "1.4", "4.4"], "at most 3 targets"),
    (BIRTH, ["99.9"], "not a target in the list"),
    (BIRTH, [16.9], "not a target in the list"),
    (BIRTH, 16.9, "must be a list"),
    (BIRTH, None, "must be a list"),
    ("Space travel portal", ["16.9"], "no service called"),
])
def test_refused_targets(service, codes, message):
    m = SDGTargetMapperModel().with_targets(BIRTH, ["16.9"])
    with pytest.raises(ValidationError, match=message):
        m.with_targets(service, codes)
    assert m.targets_for(BIRTH) == ("16.9",)


def test_own_services():
    m = SDGTargetMapperModel().with_service("  Online land registry ")
    assert m.custom_services == ("Online land registry",)
    assert m.services()[-1] == "Online land registry"
    m = m.with_targets("online land registry", ["1.4"])
    assert m.feedback("Online land registry")[0].startswith("This is your own service")
    assert m.compare("Online land registry")["suggested"] is False
    for bad, message in (("", "cannot be empty"), ("ONLINE land registry", "already"),
                         ("open budget portal", "already"), ("x" * 200, "too long")):
        with pytest.raises(ValidationError, match=message):
            m.with_service(bad)
    gone = m.without_service("Online land registry")
    assert gone.custom_services == () and "Online land registry" not in gone.mapping
    with pytest.raises(ValidationError, match="only your own services"):
        m.without_service(BIRTH)


def test_round_trip_completeness_report():
    m = (SDGTargetMapperModel().with_service(EVIL).with_targets(EVIL, ["16.10"])
         .with_targets("e-Procurement portal", ["16.5", "12.7"]))
    d = m.to_dict()
    assert d == {"mapping": {"e-Procurement portal": ["12.7", "16.5"], EVIL: ["16.10"]},
                 "custom_services": [EVIL]}
    assert SDGTargetMapperModel.from_dict(json.loads(json.dumps(d))) == m
    done = m.completeness()
    assert (done.done, done.total) == (2, len(SERVICES) + 1)
    assert f"targets for {BIRTH}" in done.missing
    blocks = m.report()
    assert all(isinstance(b, Block) for b in blocks)
    assert ["e-Procurement portal", "12.7, 16.5", "16.5, 16.6", "16.5"] in \
        blocks[0].rows
    assert [r[0] for r in blocks[1].rows] == ["12.7", "16.5", "16.10"]


@pytest.mark.parametrize("data, message", [
    ({"mapping": {"Unknown": ["16.9"]}}, "no service called"),
    ({"mapping": {BIRTH: ["16.9"] * 2 + ["1.4", "4.4", "5.b"]}}, "at most 3"),
    ({"custom_services": ["a", "A"]}, "already"),
    ({"custom_services": "abc"}, "must be a list"),
    ({"mapping": []}, "named fields"),
    ({"mapping": {BIRTH: ["16.9"], "online birth registration": ["16.6"]}}, "twice"),
    ("x", "named fields"),
])
def test_from_dict_refuses(data, message):
    with pytest.raises(ValidationError, match=message):
        SDGTargetMapperModel.from_dict(data)


# ------------------------------------------------------------------ view
def test_view_maps_and_saves(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = SDGTargetMapper(workbook=wb)
    assert view.service.value == SERVICES[0]
    view.targets.value = ("16.9",)
    view.save_button.click()
    assert view.model.targets_for(BIRTH) == ("16.9",)
    assert "The suggestion also has 16.6" in view.feedback.value
    assert "1 of 8 services mapped" in view.progress.value
    saved = Workbook.open(tmp_path / "wb.json").get("2.1/sdg_target_mapper")
    assert saved == {"mapping": {BIRTH: ["16.9"]}, "custom_services": []}

    view.service.value = "Open budget portal"
    assert view.targets.value == () and view.feedback.value == ""
    view.service.value = BIRTH
    assert view.targets.value == ("16.9",)

    again = SDGTargetMapper(workbook=Workbook.open(tmp_path / "wb.json"))
    assert again.model == view.model


def test_view_refuses_four_targets_and_empty_save():
    view = SDGTargetMapper(workbook=Workbook.in_memory())
    view.targets.value = ("16.9", "16.6", "1.4", "4.4")
    view.save_button.click()
    assert "at most 3 targets" in view.map_message.value
    assert view.model.mapping == {}
    view.targets.value = ()
    view.save_button.click()
    assert "at least one target" in view.map_message.value
    view.targets.value = ("16.9",)
    view.save_button.click()
    assert view.map_message.value == ""
    view.clear_button.click()
    assert view.model.mapping == {}


def test_view_own_service_is_escaped_and_removable():
    wb = Workbook.in_memory()
    view = SDGTargetMapper(workbook=wb)
    view.new_service.value = EVIL
    view.add_button.click()
    assert view.model.custom_services == (EVIL,) and view.service.value == EVIL
    view.targets.value = ("16.10",)
    view.save_button.click()
    assert "&lt;script&gt;" in view.table.value and "<script>" not in view.table.value
    assert "<script>" not in view.feedback.value
    view.new_service.value = EVIL.upper()
    view.add_button.click()
    assert "already in the list" in view.add_message.value
    view.remove_button.click()
    assert view.model.custom_services == () and view.service.value == SERVICES[0]
    view.remove_button.click()
    assert "only your own services" in view.add_message.value
    view.new_service.value = "   "
    view.add_button.click()
    assert "cannot be empty" in view.add_message.value


# ------------------------------------------------------------------ properties
json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)
codes = st.sampled_from([*TARGETS, "99.1", "9.C", ""])
mapper_like = st.fixed_dictionaries({
    "mapping": st.dictionaries(st.sampled_from([*SERVICES, "Mine", "x"]),
                               st.lists(codes, max_size=5) | json_like, max_size=4)
    | json_like,
    "custom_services": st.lists(st.sampled_from(["Mine", "mine", "", BIRTH, EVIL]),
                                max_size=3) | json_like,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_like, mapper_like))
def test_from_dict_gives_model_or_validation_error(data):
    try:
        model = SDGTargetMapperModel.from_dict(data)
    except ValidationError:
        return
    assert isinstance(model, SDGTargetMapperModel)


@st.composite
def valid_models(draw):
    custom = draw(st.lists(st.text(min_size=1, max_size=30).filter(str.strip), max_size=3,
                           unique_by=lambda s: s.strip().casefold()))
    custom = [c for c in custom if c.strip().casefold() not in {s.casefold() for s in
                                                                SERVICES}
              and "\x00" not in c]
    model = SDGTargetMapperModel({}, custom)
    for service in model.services():
        if draw(st.booleans()):
            model = model.with_targets(service, draw(st.lists(st.sampled_from(list(TARGETS)),
                                                              min_size=1, max_size=3)))
    return model


@settings(max_examples=60, deadline=None)
@given(valid_models())
def test_accepted_models_survive_json(model):
    assert SDGTargetMapperModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


ops = st.lists(st.tuples(
    st.sampled_from(["service", "targets", "save", "clear", "add", "remove"]),
    st.integers(0, 12), st.lists(st.sampled_from(list(TARGETS)), max_size=5),
    st.sampled_from(["Mine", "mine", "", " ", EVIL, BIRTH])), max_size=12)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_ui_operations_never_raise(operations):
    wb = Workbook.in_memory()
    view = SDGTargetMapper(workbook=wb)
    for op, index, picked, name in operations:
        if op == "service":
            options = list(view.service.options)
            view.service.value = options[index % len(options)][1]
        elif op == "targets":
            view.targets.value = tuple(dict.fromkeys(picked))
        elif op == "save":
            view.save_button.click()
        elif op == "clear":
            view.clear_button.click()
        elif op == "add":
            view.new_service.value = name
            view.add_button.click()
        else:
            view.remove_button.click()
    assert SDGTargetMapperModel.from_dict(view.model.to_dict()) == view.model
    assert all(1 <= len(v) <= MAX_TARGETS for v in view.model.mapping.values())
    saved = wb.get(view.key)
    assert saved is None or SDGTargetMapperModel.from_dict(saved) == view.model


# ------------------------------------------------------------------------- French
def test_the_mapper_speaks_french_and_stores_english_service_names():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.test_exercises_stakeholders import NB, english_left

    wb = Workbook.in_memory()
    with language("fr"):
        view = SDGTargetMapper(workbook=wb)
        labels = dict((value, label) for label, value in view.service.options)
        assert labels["Online birth registration"] == "Enregistrement des naissances en ligne"
        view.service.value = "Online birth registration"
        view.targets.value = ("16.9", "1.4")
        view.save_button.click()
        assert f"Conforme à la suggestion{NB}: 16.9." in view.feedback.value
        assert "Hors de la suggestion" in view.feedback.value
        assert "Enregistrer les naissances en ligne donne une identité juridique" in (
            widget_html(view))
        view.new_service.value = "Cadastre en ligne"
        view.add_button.click()
        assert view.service.value == "Cadastre en ligne"
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/sdg_mapper.py") == []
        assert "Cadastre en ligne" in page
    saved = wb.get(view.key)
    assert saved == {"mapping": {"Online birth registration": ["1.4", "16.9"]},
                     "custom_services": ["Cadastre en ligne"]}
