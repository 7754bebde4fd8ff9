"""The workshop around the room's apps, without a browser: breakout groups mixed by country
and field (or placed by hand), each group's shared workbook and its concurrent edits, the
countdown, the host's progress table, the plenary screens, the one-day path, and
``digit4sd lab`` with a workbook downloaded from the room. Everything a participant typed is
escaped on the host's views; every change of the room's state checks origin, rate and
identity."""

from __future__ import annotations

import html
import json
import re
import sys
import threading
import time
from pathlib import Path

import pytest

from digit4sd_widgets.course import SUBMODULES
from digit4sd_widgets.course.lab import WORKBOOK_FILE, import_workbook, prepare_copy
from digit4sd_widgets.course.map import ONE_DAY, PATHS
from digit4sd_widgets.exercises import (
    ImplementationCanvas,
    KPIBuilderModel,
    StakeholderMatrix,
    StakeholderMatrixModel,
)
from digit4sd_widgets.serve import hostpages, plenary
from digit4sd_widgets.serve.groupwork import GroupWork, GroupWorkbook, group_view, merge3
from digit4sd_widgets.serve.server import RoomSettings, host_html, landing_html, prepare_room
from digit4sd_widgets.serve.workshop import (
    GROUP_WORK,
    Profile,
    Workshop,
    app_exercises,
    mix,
    open_group,
    profiles,
    progress,
    start_group_workbooks,
)
from digit4sd_widgets.workbook import FILENAME, Workbook

from .browser import free_port, server
from .test_serve_server import Client

SCRIPT = "<script>alert(1)</script>"


# ------------------------------------------------------------------------- a small room
@pytest.fixture(scope="module")
def perfect(tmp_path_factory) -> dict:
    """A complete workbook (every exercise answered), made once for the module."""
    from digit4sd_widgets.examples import example_workbook

    path = tmp_path_factory.mktemp("perfect") / "perfect.json"
    example_workbook(Workbook.open(path, siblings=False), "NPL")
    return json.loads(path.read_text(encoding="utf-8"))


def add_participant(room: Path, code: str, doc: dict | None, *, country: str | None = None,
                    organisation: str | None = None) -> Path:
    """A participant's workbook in the room: ``doc`` (a copy) or an empty one, with their
    own identity, case country and organisation (1.2)."""
    base = json.loads(json.dumps(doc)) if doc else {
        "format": "digit4sd-workbook", "version": 1, "answers": {},
        "case": {"country": None, "target_area": "", "sdg_targets": []}}
    base["learner_id"] = f"participant:{code}"
    base["case"]["country"] = country
    if organisation is not None:
        goals = base["answers"].setdefault("1.2/goals", {
            "kind": "goals", "saved": "2026-01-01T00:00:00",
            "data": {"role": "", "organisation": "", "goals": [], "sdgs": []}})
        goals["data"]["organisation"] = organisation
    path = room / "participants" / f"{code}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(base), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A room folder with its apps built once (copied into each test's room)."""
    room = tmp_path_factory.mktemp("built") / "room"
    prepare_room(RoomSettings(room))
    return room


@pytest.fixture()
def room(tmp_path, built, perfect) -> Path:
    """Six participants from four countries; one fills every exercise; names with markup."""
    import shutil

    room = tmp_path / "room"
    shutil.copytree(built / "apps", room / "apps")
    add_participant(room, "amina-k", perfect, country="NPL", organisation="Ministry of ICT")
    add_participant(room, "tomas", None, country="FJI", organisation=SCRIPT)
    add_participant(room, "li-wei", None, country="BGD", organisation="Ministry of ICT")
    add_participant(room, "sara", None, country="ETH")
    add_participant(room, "joe-b", None, country="NPL", organisation="Statistics office")
    add_participant(room, "ines", None, country="FJI")
    return room


# ------------------------------------------------------------------------ the one-day path
def test_the_one_day_path_keeps_the_core_with_a_reason_for_each_step():
    ids = ONE_DAY.order()
    assert len(ids) == len(set(ids)) and set(ids) <= {s.id for s in SUBMODULES}
    assert {"3.1", "3.2", "3.3", "4.1", "5.1"} <= set(ids) and len(ids) < len(SUBMODULES)
    assert ids == sorted(ids, key=[s.id for s in SUBMODULES].index), "course order kept"
    assert all(len(step.why) > 30 for step in ONE_DAY.steps)
    assert [s.breakout for s in ONE_DAY.steps if s.breakout] == [3, 4, 5]
    for step in ONE_DAY.steps:  # a breakout follows the last step of its module
        if step.breakout:
            later = ids[ids.index(step.submodule) + 1:]
            assert not [i for i in later if i.startswith(f"{step.breakout}.")]
    assert PATHS["one-day"] is ONE_DAY


def test_the_start_page_shows_the_one_day_path_in_order_with_its_reasons():
    text = landing_html("amina-k", access_code=False, path=ONE_DAY)
    shown = re.findall(r'<ol class="path">(.*?)</ol>', text, re.S)[0]
    links = re.findall(r'href="voila/render/[^"]+/(\d)_(\d)_', shown)
    assert [f"{a}.{b}" for a, b in links] == ONE_DAY.order()
    for step in ONE_DAY.steps:
        assert html.escape(step.why) in shown
    assert "Then the breakout in groups after module 4" in shown
    assert "Day 1" not in text  # the two days are not this room's path
    assert "Day 1" in landing_html("amina-k", access_code=False)  # without --one-day


def test_serving_the_one_day_path(tmp_path):
    from digit4sd_widgets.cli import build_parser

    args = build_parser().parse_args(["serve", "--one-day"])
    assert args.one_day is True
    settings = RoomSettings(tmp_path / "room", path="one-day", expect=10)
    assert settings.order()[:len(ONE_DAY.steps)] == ONE_DAY.order()
    assert sorted(settings.order()) == sorted(s.id for s in SUBMODULES)
    assert settings.first == "1.1"
    with pytest.raises(ValueError, match="no workshop path"):
        RoomSettings(tmp_path / "room", path="half-day")
    # the pages kept ready move along the path: after 1.1 the room opens 2.3
    from digit4sd_widgets.serve.server import warm_plan

    plan, _ = warm_plan(settings, free=24 * 1024)
    assert plan.targets["1.1"] == settings.pool + 10
    assert plan.taken("1.1") == "2.3" and plan.taken("2.3") == "3.1"
    # the apps' previous and next follow the path
    prepare_room(settings)
    import nbformat

    app = nbformat.read(tmp_path / "room" / "apps" / "m2_fundamentals" / "2_3_egov_survey.ipynb",
                        as_version=4)
    assert app.metadata["d4"]["prev"]["id"] == "1.1"
    assert app.metadata["d4"]["next"]["id"] == "3.1"


# ------------------------------------------------------------------------- the groups
def people(*rows: tuple[str, str, str]) -> list[Profile]:
    return [Profile(code, country, country, field.casefold(), field)
            for code, country, field in rows]


def test_mixed_groups_spread_countries_then_fields_and_stay_even():
    room = people(*[(f"{c.lower()}{i}", c, "") for c in ("NPL", "FJI", "BGD", "ETH")
                    for i in range(3)])
    groups = mix(room, 4)
    assert sorted(len(g) for g in groups) == [3, 3, 3, 3]
    for g in groups:
        assert len({code[:3] for code in g}) == 3, groups  # three countries in each
    assert mix(room, 4) == groups, "the same room gives the same groups"
    # sizes differ by one at most
    assert sorted(len(g) for g in mix(room[:10], 4)) == [2, 2, 3, 3]
    # one country: the fields are spread instead
    same = people(("a", "NPL", "ICT"), ("b", "NPL", "ICT"), ("c", "NPL", "Health"),
                  ("d", "NPL", "Health"))
    for g in mix(same, 2):
        assert {p.field for p in same if p.code in g} == {"ICT", "Health"}
    assert mix([], 3) == [] and len(mix(room, 99)) == len(room)


def test_profiles_read_the_case_country_and_the_field(room):
    found = {p.code: p for p in profiles(room)}
    assert found["amina-k"].country == "NPL" and found["amina-k"].country_name == "Nepal"
    assert found["amina-k"].field == "Ministry of ICT"
    assert found["tomas"].field == SCRIPT and found["sara"].field == ""


def test_the_host_forms_keeps_and_changes_groups(room):
    ws = Workshop.load(room)
    groups = ws.form_mixed(3, profiles(room), 2)
    assert sorted(c for g in groups for c in g.members) == sorted(p.code for p in
                                                                  profiles(room))
    for g in groups:  # the two from Nepal and the two from Fiji are split
        countries = [p.country for p in profiles(room) if p.code in g.members]
        assert len(set(countries)) == len(countries)
    ws.save()
    start_group_workbooks(ws)
    for g in groups:
        book = open_group(room, g.id)
        assert book.learner_id == f"group:{g.id}" and book.learner_name == g.name
    ws = Workshop.load(room)
    assert ws.current == 3 and ws.group_of(3, "amina-k") is not None
    kept = ws.keep_groups(4, 3)
    assert [g.id for g in kept] == [g.id for g in groups], "the same groups, the same work"
    # by hand: move one participant, a new group for another, a moderator with markup
    first, second = kept
    mover = first.members[0]
    places = {c: g.id for g in kept for c in g.members}
    places[mover] = second.id
    places[first.members[1]] = "new"
    after = ws.set_by_hand(4, places, {first.id: SCRIPT, "new": "Ms Officer"},
                           [p.code for p in profiles(room)])
    assert mover in ws.group_of(4, mover).members and ws.group_of(4, mover).id == second.id
    assert len(after) == 3 and after[-1].moderator == "Ms Officer"
    assert after[0].moderator == SCRIPT  # kept as typed, escaped where shown
    with pytest.raises(ValueError, match="no participant"):
        ws.set_by_hand(4, {"stranger": first.id}, {}, ["amina-k"])
    with pytest.raises(ValueError, match="3, 4 or 5"):
        ws.form_mixed(2, profiles(room), 2)
    with pytest.raises(ValueError, match="between 1 and"):
        ws.form_mixed(5, profiles(room), 0)
    assert Workshop.load(room).groups(4) == [], "nothing is saved until the server saves"


def test_a_damaged_state_file_is_an_empty_room_not_an_error(tmp_path):
    (tmp_path / "workshop.json").write_text('{"format": "digit4sd-workshop", "breakouts": '
                                           '{"3": {"groups": [{"id": "../x"}]}}, "timer": 5}')
    ws = Workshop.load(tmp_path)
    assert ws.groups(3) == [] and ws.clock() == {"running": False}
    (tmp_path / "workshop.json").write_text("{not json")
    assert Workshop.load(tmp_path).formed() == []


def test_the_countdown(tmp_path):
    ws = Workshop(tmp_path)
    ws.start_timer(4, "25", now=1000.0)
    assert ws.clock(now=1060.0) == {"running": True, "module": 4, "minutes": 25.0,
                                    "remaining": 1440, "label": "Breakout after module 4"}
    ws.add_minutes(5, now=1060.0)
    assert ws.clock(now=1060.0)["remaining"] == 1740
    assert ws.clock(now=99999.0)["remaining"] == 0
    for bad in ("0", "abc", "9999", "nan"):
        with pytest.raises(ValueError, match="1 to 240"):
            ws.start_timer(4, bad)
    ws.stop_timer()
    assert ws.clock() == {"running": False}


# --------------------------------------------------------------------- the group's work
def test_merge3_keeps_both_sides():
    base = {"stakeholders": [{"name": "A", "influence": 3}, {"name": "B", "influence": 3}]}
    mine = {"stakeholders": [{"name": "A", "influence": 5}, {"name": "B", "influence": 3},
                             {"name": "C"}]}
    theirs = {"stakeholders": [{"name": "A", "influence": 3}, {"name": "D"}]}  # B removed
    merged = merge3(base, mine, theirs)
    assert [s["name"] for s in merged["stakeholders"]] == ["A", "C", "D"]
    assert merged["stakeholders"][0]["influence"] == 5
    # both changed one field: the later save (mine) wins
    assert merge3({"x": "1"}, {"x": "2"}, {"x": "3"}) == {"x": "2"}
    # one side renamed an item the other did not touch
    assert merge3(base, {"stakeholders": [{"name": "A2", "influence": 3},
                                          {"name": "B", "influence": 3}]},
                  base) == {"stakeholders": [{"name": "A2", "influence": 3},
                                             {"name": "B", "influence": 3}]}


def group_room(tmp_path: Path) -> tuple[Path, str]:
    room = tmp_path / "room"
    for code in ("amina-k", "tomas"):
        add_participant(room, code, None, country="NPL")
    ws = Workshop(room)
    ws.set_by_hand(3, {"amina-k": "new", "tomas": "new"}, {}, ["amina-k", "tomas"])
    ws.save()
    start_group_workbooks(ws)
    return room, ws.groups(3)[0].id


def test_two_members_adding_at_once_both_keep_their_stakeholder(tmp_path):
    room, gid = group_room(tmp_path)
    view_class = group_view(StakeholderMatrix)
    pages = [view_class(workbook=open_group(room, gid, GroupWorkbook)) for _ in range(2)]
    for page, name in zip(pages, ("Ministry of ICT", "Women's network"), strict=True):
        page.name.value = name
    for page in pages:  # the second opened before the first saved
        page.add_button.click()
    saved = open_group(room, gid).get("3.2/stakeholder_matrix")
    assert [s["name"] for s in saved["stakeholders"]] == ["Women's network", "Ministry of ICT"]
    assert pages[1].model.names() == ["Women's network", "Ministry of ICT"], \
        "the later page shows the others' work with its own"
    assert "together with what others" in pages[1].status.value
    # the first page's next change keeps the second's stakeholder
    pages[0].name.value = "Central bank"
    pages[0].add_button.click()
    saved = open_group(room, gid).get("3.2/stakeholder_matrix")
    assert sorted(s["name"] for s in saved["stakeholders"]) == [
        "Central bank", "Ministry of ICT", "Women's network"]
    # a removal on one page stays removed
    pages[1].listing.value = "Ministry of ICT"
    pages[1].remove_button.click()
    saved = open_group(room, gid).get("3.2/stakeholder_matrix")
    assert sorted(s["name"] for s in saved["stakeholders"]) == ["Central bank",
                                                                "Women's network"]
    # the participants' own workbooks are untouched
    assert json.loads((room / "participants" / "amina-k.json").read_text())["answers"] == {}


def test_many_saves_from_two_members_at_the_same_time_are_all_kept(tmp_path):
    room, gid = group_room(tmp_path)
    view_class = group_view(StakeholderMatrix)
    errors: list[str] = []

    def member(prefix: str) -> None:
        page = view_class(workbook=open_group(room, gid, GroupWorkbook))
        for i in range(8):
            page.name.value = f"{prefix} {i}"
            page.add_button.click()
            if "⚠" in page.form_message.value + page.status.value:
                errors.append(page.form_message.value + page.status.value)

    threads = [threading.Thread(target=member, args=(p,)) for p in ("North", "South")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    names = [s["name"] for s in open_group(room, gid).get("3.2/stakeholder_matrix")
             ["stakeholders"]]
    assert not errors and len(names) == 16 and len(set(names)) == 16, names


def test_two_members_writing_different_blocks_of_the_canvas(tmp_path):
    room, gid = group_room(tmp_path)
    view_class = group_view(ImplementationCanvas)
    first, second = (view_class(workbook=open_group(room, gid, GroupWorkbook))
                     for _ in range(2))
    first.areas["risks"].value = "Power cuts"
    second.areas["users"].value = "Farmers in remote districts"
    first.save_button.click()
    second.save_button.click()
    blocks = open_group(room, gid).get("4.1/implementation_canvas")["blocks"]
    assert blocks["risks"] == "Power cuts" and blocks["users"] == "Farmers in remote districts"
    assert second.areas["risks"].value == "Power cuts"


def test_the_group_page_shows_the_group_its_members_and_its_work(room):
    ws = Workshop.load(room)
    ws.set_by_hand(3, {"amina-k": "new", "tomas": "new"}, {"new": SCRIPT},
                   [p.code for p in profiles(room)])
    ws.keep_groups(5, 3)
    ws.save()
    page = GroupWork("tomas", room=room)
    head = page.body.children[0].value
    assert "Group 1" in head and "Breakout after module 5" in head  # the current breakout
    assert SCRIPT not in head and html.escape(SCRIPT) in head  # the moderator and a field
    assert "Nepal" in head and "Fiji" in head
    assert type(page.views[0]).__name__ == "GroupKPIBuilder"
    assert page.views[0].key == f"{GROUP_WORK[5][0]}/kpi_builder"
    page.choice.value = 3  # the participant looks back at the first breakout
    assert type(page.views[0]).__name__ == "GroupStakeholderMatrix"
    assert "not in a group yet" in GroupWork("sara", room=room).message.value
    assert "part of a workshop room" in GroupWork("sara", room=None).message.value
    assert "part of a workshop room" in GroupWork("<b>", room=room).message.value


# ------------------------------------------------------------------------- host's views
def test_the_host_page_shows_breakouts_and_progress_with_everything_escaped(room):
    ws = Workshop.load(room)
    ws.form_mixed(3, profiles(room), 2)
    group = ws.groups(3)[0]
    ws.set_by_hand(3, {c: g.id for g in ws.groups(3) for c in g.members}, {group.id: SCRIPT},
                   [p.code for p in profiles(room)])
    ws.save()
    start_group_workbooks(ws)
    book = open_group(room, group.id)
    book.set("3.2/stakeholder_matrix", "stakeholder_matrix", StakeholderMatrixModel()
             .with_added(name=SCRIPT, kind="government", influence=5, interest=5).to_dict())
    page = host_html(room, RoomSettings(room, path="one-day"), live=0)
    assert "<script>alert" not in page
    assert page.count(html.escape(SCRIPT)) >= 2  # the moderator and a participant's field
    assert "Breakout after module 3" in page and "Mix the room into groups" in page
    assert "Keep the groups of module 3" in page  # offered for modules 4 and 5
    assert f'href="/host/plenary/stakeholder_matrix/g/{group.id}"' in page
    assert "1 of 4 complete" in page
    assert "workshop path of one day" in page
    # progress: every exercise the complete learner answered counts, out of the apps' own
    rows = {r["code"]: r["modules"] for r in hostpages.progress_rows(room)}
    exercises = app_exercises(room / "apps")
    answered = json.loads((room / "participants" / "amina-k.json").read_text())["answers"]
    for module in range(1, 7):
        keys = [k for s in SUBMODULES if s.id.startswith(f"{module}.")
                for k in exercises[s.id]]
        assert rows["amina-k"][module] == (sum(k in answered for k in keys), len(keys))
        assert rows["sara"][module] == (0, len(keys))
    assert rows["amina-k"][3][0] >= 6
    done, total = rows["amina-k"][4]
    full = ' class="done"' if done == total else ""
    assert f'<td data-label="module 4"{full}>{done} of {total}</td>' in page
    # the page that places people by hand
    form = hostpages.by_hand_html(Workshop.load(room), 3, profiles(room))
    assert "<script>alert" not in form and html.escape(SCRIPT) in form
    assert 'name="place:amina-k"' in form and 'value="new"' in form


def test_progress_counts_only_complete_exercises():
    exercises = {"3.1": ["3.1/gap_analysis"], "3.2": ["3.2/stakeholder_matrix"]}
    half = StakeholderMatrixModel().with_added(name="A", kind="government", influence=5,
                                               interest=5).to_dict()
    doc = {"answers": {"3.2/stakeholder_matrix": {"kind": "stakeholder_matrix",
                                                  "saved": "x", "data": half}}}
    assert progress(doc, exercises)[3] == (0, 2)
    assert progress(None, exercises)[3] == (0, 2) and progress(doc, exercises)[1] == (0, 0)


def test_the_apps_exercises_are_read_from_the_apps(built):
    found = app_exercises(built / "apps")
    assert {"3.2/stakeholder_matrix", "3.2/quiz"} <= set(found["3.2"])
    assert "2.3/world_map" in found["2.3"]  # a view given its own key
    assert all(found[s.id] for s in SUBMODULES)


def test_plenary_screens_for_groups_and_participants_escape_everything(room):
    ws = Workshop.load(room)
    ws.set_by_hand(4, {"tomas": "new", "sara": "new"}, {}, [p.code for p in profiles(room)])
    ws.save()
    start_group_workbooks(ws)
    gid = ws.groups(4)[0].id
    book = open_group(room, gid)
    book.set("4.1/implementation_canvas", "implementation_canvas",
             {"title": SCRIPT, "blocks": {"risks": f"{SCRIPT}\nsecond line"}})
    kpis = KPIBuilderModel()
    for i in range(5):
        kpis = kpis.with_added(name=f"{SCRIPT} {i}", kind="context", indicator="osi",
                               country="NPL", target="0.7", target_year="2030")
    book.set("3.3/kpi_builder", "kpi_builder", kpis.to_dict())
    every = plenary.slides(room, "kpi_builder")
    assert [(s.owner, s.id, s.page) for s in every[:3]] == [("g", gid, 1), ("g", gid, 2),
                                                            ("p", "amina-k", 1)]
    for kind, owner, who, screen in (("implementation_canvas", "g", gid, 1),
                                     ("kpi_builder", "g", gid, 1),
                                     ("kpi_builder", "g", gid, 2),
                                     ("stakeholder_matrix", "p", "amina-k", 1),
                                     ("implementation_canvas", "p", "amina-k", 1)):
        text = plenary.projector_html(room, kind, owner, who, screen)
        assert text is not None, (kind, who)
        assert "<script>alert" not in text, (kind, who)
        assert ('rel="next"' in text or 'rel="prev"' in text) == (
            len(plenary.slides(room, kind)) > 1)
    canvas = plenary.projector_html(room, "implementation_canvas", "g", gid)
    assert html.escape(SCRIPT) in canvas and "Members: sara, tomas" in canvas
    screen = plenary.projector_html(room, "kpi_builder", "g", gid, 2)
    assert screen.count('<section class="kpi">') == 1 and "(2 of 2)" in screen
    assert plenary.projector_html(room, "kpi_builder", "g", gid, 3) is None
    assert plenary.projector_html(room, "stakeholder_matrix", "p", "sara") is None  # no work
    assert plenary.projector_html(room, "goals", "p", "amina-k") is None
    matrix = plenary.projector_html(room, "stakeholder_matrix", "p", "amina-k")
    assert '<svg class="d4-plot"' in matrix and 'role="img"' in matrix
    assert "Manage closely" in matrix and "Influence" in matrix
    index = plenary.plenary_index(room)
    assert f"/host/plenary/implementation_canvas/g/{gid}" in index


def test_a_crowded_matrix_names_everyone():
    m = StakeholderMatrixModel()
    for i in range(12):
        m = m.with_added(name=f"Stakeholder number {i}", kind="government", influence=5,
                         interest=5)
    svg = plenary.stakeholder_svg(m, "Group 1")
    assert all(f"Stakeholder number {i}" in svg for i in range(12))  # the plot's description
    shown = re.findall(r'class="name"[^>]*>(.*?)</text>', svg)
    assert len(shown) == 12, "a full cell grows its row: every name is drawn"


# ------------------------------------------------------------------------ digit4sd lab
def test_lab_takes_in_a_workbook_from_the_room_without_losing_newer_work(tmp_path, perfect,
                                                                        capsys, monkeypatch):
    from digit4sd_widgets.course import lab

    download = tmp_path / "workbook-amina-k.json"
    download.write_text(json.dumps({**perfect, "learner_id": "participant:amina-k"}))
    copy = tmp_path / "course"
    prepare_copy(copy)
    # work done in the copy before, and later than the workshop, on one exercise
    mine = Workbook.open(copy / "m3_planning_analysis" / FILENAME, siblings=False)
    later = StakeholderMatrixModel().with_added(name="My later stakeholder", kind="academia",
                                                influence=2, interest=2).to_dict()
    mine.set("3.2/stakeholder_matrix", "stakeholder_matrix", later)
    before = download.read_bytes()
    taken, folders, learner, held = import_workbook(copy, download, Workbook)
    assert learner == "amina-k" and len(folders) == 6 and WORKBOOK_FILE == FILENAME
    assert held == len(perfect["answers"])
    assert "3.3/kpi_builder" in taken and download.read_bytes() == before
    m3 = Workbook.open(copy / "m3_planning_analysis" / FILENAME, siblings=False)
    assert m3.get("3.2/stakeholder_matrix") == later, "newer work in the copy is kept"
    assert m3.learner_id == mine.learner_id and not m3.problems  # the copy's own learner
    assert m3.get("3.3/kpi_builder") == perfect["answers"]["3.3/kpi_builder"]["data"]
    m6 = Workbook.open(copy / "m6_moving_forward" / FILENAME, siblings=False)
    assert m6.get("3.2/stakeholder_matrix") == perfect["answers"]["3.2/stakeholder_matrix"][
        "data"]
    assert not [p for p in copy.rglob("*.json") if "another-learner" in p.name]
    # a second time: nothing new
    assert import_workbook(copy, download, Workbook)[0] == []
    # the command: a message, then JupyterLab (here: recorded, not started)
    started = []
    monkeypatch.setattr(lab.os, "execv", lambda *a: started.append(a))
    assert lab.run_lab(copy, workbook=download, workbook_class=Workbook) == 0
    out = capsys.readouterr().out
    assert "already has every answer" in out and started
    # a file that is not a workbook: a plain message, nothing changed, no Lab
    bad = tmp_path / "notes.json"
    bad.write_text("{not json")
    assert lab.run_lab(copy, workbook=bad, workbook_class=Workbook) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and "Nothing was changed" in err and "Traceback" not in err
    assert bad.read_text() == "{not json", "the learner's file is left as it was"
    assert lab.run_lab(copy, workbook=tmp_path / "nope.json", workbook_class=Workbook) == 2
    assert "there is no file" in capsys.readouterr().err
    assert len(started) == 1
    # a participant who joined and saved nothing yet: Lab opens, and says so
    empty = tmp_path / "workbook-new.json"
    empty.write_text(Workbook.in_memory().to_json())
    assert lab.run_lab(copy, workbook=empty, workbook_class=Workbook) == 0
    assert "no answers in it yet" in capsys.readouterr().out and len(started) == 2


def test_the_lab_command_takes_a_workbook_argument(tmp_path, monkeypatch):
    from digit4sd_widgets import cli
    from digit4sd_widgets.course import lab

    seen = {}
    monkeypatch.setattr(lab, "run_lab", lambda target, **kw: seen.update(kw, target=target)
                        or 0)
    assert cli.main(["lab", str(tmp_path / "wb.json"), "--dir", str(tmp_path / "c")]) == 0
    assert seen["workbook"] == tmp_path / "wb.json" and seen["workbook_class"] is Workbook


# ------------------------------------------------------------------------ a real server
@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workshop-server")
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp / "room"), "--pool", "0", "--one-day"]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp, log=tmp / "serve.log"):
        deadline = time.monotonic() + 30
        while "host?key=" not in (tmp / "serve.log").read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        key = re.search(r"host\?key=(\S+)", (tmp / "serve.log").read_text()).group(1)
        yield {"base": base, "room": tmp / "room", "key": key}


@pytest.mark.slow
def test_the_host_runs_a_breakout_and_only_the_host(live):
    base = live["base"]
    members = []
    for code in ("amina-k", "tomas", "li-wei", "sara"):
        me = Client(base)
        assert me.request("/join", {"code": code})[0] == 302
        members.append(me)
    assert (live["room"] / "participants" / "sara.json").exists(), "joined: the host sees them"
    mix_form = {"action": "mix", "count": "2"}
    # identity: a participant, or nobody, cannot form groups or start the countdown
    assert members[0].request("/host/breakout/3", mix_form)[0] == 403
    assert members[0].request("/host/groups/3")[0] == 403
    assert Client(base).request("/host/plenary")[0] == 403
    host = Client(base)
    assert host.request(f"/host?key={live['key']}")[0] == 200
    # origin: a form from another site is refused
    assert host.request("/host/breakout/3", mix_form, origin=False)[0] == 403
    assert host.request("/host/breakout/3", mix_form,
                        headers={"Origin": "http://evil.example"}, origin=False)[0] == 403
    assert not (live["room"] / "workshop.json").exists()
    status, _, headers = host.request("/host/breakout/3", mix_form)
    assert status == 302 and headers["Location"] == "/host#breakout-3"
    ws = Workshop.load(live["room"])
    assert len(ws.groups(3)) == 2
    # a plain message for a wrong number, never a traceback
    status, text, _ = host.request("/host/breakout/3", {"action": "mix", "count": "ten"})
    assert status == 400 and "as a number" in text and "Traceback" not in text
    status, text, _ = host.request("/host/breakout/9", {"action": "mix", "count": "2"})
    assert status == 400 and "3, 4 or 5" in text
    # the countdown, seen by every page from a small JSON answer
    mine = ws.group_of(3, "amina-k").name
    assert json.loads(members[0].request("/room/api/clock")[1]) == {"running": False,
                                                                     "group": mine}
    assert host.request("/host/breakout/3", {"action": "start", "minutes": "20"})[0] == 302
    clock = json.loads(members[0].request("/room/api/clock")[1])
    assert clock["running"] and 1190 <= clock["remaining"] <= 1200
    assert clock["group"] == ws.group_of(3, "amina-k").name
    assert json.loads(Client(base).request("/room/api/clock")[1])["group"] is None
    # by hand: unknown codes are refused in plain words
    status, text, _ = host.request("/host/breakout/3", {"action": "hand",
                                                        "place:stranger": "new"})
    assert status == 400 and "no participant stranger" in text
    # the start page shows the participant's group
    text = members[0].request("/")[1]
    assert "Open your group&#x27;s work" in text or "Open your group's work" in text
    # the group page: for participants only
    assert Client(base).request("/voila/render/group_work.ipynb")[0] == 302
    # rate: a script forming groups again and again is stopped
    statuses = [host.request("/host/breakout/3", {"action": "start", "minutes": "20"})[0]
                for _ in range(35)]
    assert 429 in statuses and "Traceback" not in host.request("/host/breakout/3",
                                                               mix_form)[1]


@pytest.mark.slow
def test_the_projector_views_and_the_zip_come_from_the_server(live):
    host = Client(live["base"])
    assert host.request(f"/host?key={live['key']}")[0] == 200
    room = live["room"]
    add_participant(room, "kpi-host", None, country="NPL")
    book = Workbook.open(room / "participants" / "kpi-host.json", siblings=False)
    book.set("3.2/stakeholder_matrix", "stakeholder_matrix", StakeholderMatrixModel()
             .with_added(name=SCRIPT, kind="government", influence=5, interest=5).to_dict())
    status, _, headers = host.request("/host/show/kpi-host/stakeholder_matrix")
    assert status == 302 and headers["Location"] == "/host/plenary/stakeholder_matrix/p/kpi-host"
    status, text, _ = host.request("/host/plenary/stakeholder_matrix/p/kpi-host")
    assert status == 200 and "<script>alert" not in text and html.escape(SCRIPT) in text
    for odd in ("/host/plenary/stakeholder_matrix/p/nobody", "/host/plenary/goals/p/kpi-host",
                "/host/plenary/stakeholder_matrix/x/kpi-host",
                "/host/plenary/stakeholder_matrix/g/..%2f..",
                "/host/plenary/kpi_builder/p/kpi-host/0", "/host/groups/7"):
        status, body, _ = host.request(odd)
        assert status == 404 and "Traceback" not in body, odd
    status, text, _ = host.request("/host/plenary")
    assert status == 200 and "/host/plenary/stakeholder_matrix/p/kpi-host" in text
    # the participant's own download goes on at home with digit4sd lab
    me = Client(live["base"])
    me.request("/join", {"code": "kpi-host"})
    status, text, headers = me.request("/me/workbook.json")
    assert status == 200 and "workbook-kpi-host.json" in headers["Content-Disposition"]
    download = room.parent / "workbook-kpi-host.json"
    download.write_text(text, encoding="utf-8")
    copy = room.parent / "course-copy"
    prepare_copy(copy)
    taken, _, learner, held = import_workbook(copy, download, Workbook)
    assert taken == ["3.2/stakeholder_matrix"] and learner == "kpi-host" and held == 1
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(_raw(host, "/host/workbooks.zip"))).namelist()
    assert "workbooks/kpi-host.json" in names
    assert any(n.startswith("workbooks/groups/") for n in names)


def _raw(client: Client, path: str) -> bytes:
    import urllib.request

    with client.opener.open(urllib.request.Request(client.base + path), timeout=60) as r:
        return r.read()


@pytest.mark.slow
def test_wrong_host_keys_lock_the_computer_out(live):
    guesser = Client(live["base"])
    statuses = [guesser.request(f"/host?key=guess{i}")[0] for i in range(6)]
    assert statuses[:5] == [403] * 5 and statuses[5] == 429
    assert guesser.request(f"/host?key={live['key']}")[0] == 429, "even the right key waits"


def test_the_plenary_canvas_shows_every_block_of_the_canvas():
    from digit4sd_widgets.exercises.canvas import (
        BLOCK_KEYS,
        BLOCK_LABELS,
        ImplementationCanvasModel,
    )

    assert sorted(plenary.CANVAS_ORDER) == sorted(BLOCK_KEYS)
    page = plenary.canvas_html(ImplementationCanvasModel())
    assert all(f"<h2>{html.escape(BLOCK_LABELS[k])}</h2>" in page for k in BLOCK_KEYS)
