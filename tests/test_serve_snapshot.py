"""Snapshot-first pages and the ready room, without a browser: the server's drawing of a
participant's own work (every app, escaped, never written), its worker and its limits, and the
plan that keeps kernels ready for the room (``--expect``) and moves them along the course."""

from __future__ import annotations

import asyncio
import json

import pytest

from digit4sd_widgets.course import SUBMODULES
from digit4sd_widgets.course.apps import build_apps
from digit4sd_widgets.examples import example_workbook
from digit4sd_widgets.serve import snapshot
from digit4sd_widgets.serve.server import RoomSettings, warm_plan
from digit4sd_widgets.serve.warm import Warmer, WarmPlan, capacity, free_mib
from digit4sd_widgets.workbook import Workbook

HOSTILE = "<img src=x onerror=alert(1)>Ministry & co"


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    target = tmp_path_factory.mktemp("apps")
    build_apps(target)
    snapshot._warm()
    return target


@pytest.fixture()
def filled(tmp_path):
    path = tmp_path / "amina.json"
    wb = Workbook.open(path, siblings=False)
    example_workbook(wb, country="ETH")
    stored = wb.get("3.2/stakeholder_matrix")
    stored["stakeholders"][0]["name"] = HOSTILE
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", stored)
    return path


def test_every_app_draws_its_text_and_exercises_without_a_kernel(apps, tmp_path):
    for sub in SUBMODULES:
        page = snapshot.render_app(str(apps / sub.path), str(tmp_path / "new.json"), "amina")
        assert f"{sub.id}" in page and "d4-snap-widget" in page, sub.id
        assert "<script" not in page, sub.id
        for code in ("import join", "country = None", "from digit4sd_widgets", "Traceback"):
            assert code not in page, (sub.id, code)
    assert not (tmp_path / "new.json").exists(), "a snapshot must never start a workbook"


def test_the_snapshot_shows_the_participants_own_work_escaped_and_never_writes_it(
        apps, filled):
    before = filled.read_bytes()
    page = snapshot.render_app(str(apps / "m3_planning_analysis/3_2_stakeholders.ipynb"),
                               str(filled), "amina")
    assert "&lt;img src=x onerror=alert(1)&gt;Ministry &amp; co" in page
    assert "<img src=x" not in page
    # the case carried from earlier work shows too
    assert "disabled" in page, "a snapshot's controls cannot be used"
    assert filled.read_bytes() == before


def test_a_file_that_is_not_a_workbook_gets_no_snapshot(apps, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError):
        snapshot.render_app(str(apps / "m3_planning_analysis/3_2_stakeholders.ipynb"),
                            str(bad), "amina")
    damaged = tmp_path / "damaged.json"
    damaged.write_text("{not json")
    with pytest.raises(Exception):  # noqa: B017 - any failure: the page goes without
        snapshot.render_app(str(apps / "m3_planning_analysis/3_2_stakeholders.ipynb"),
                            str(damaged), "amina")
    assert damaged.read_text() == "{not json", "the damaged file stays as it was"


def test_the_block_marks_the_page_as_connecting_and_nothing_is_shown_without_one():
    assert snapshot.snapshot_block(None) == "" and snapshot.snapshot_block("") == ""
    block = snapshot.snapshot_block("<p>x</p>")
    assert 'id="d4-snapshot"' in block and 'role="status"' in block
    assert "Connecting" in block


@pytest.mark.slow
def test_the_worker_draws_caches_and_never_keeps_a_page_waiting(apps, filled, tmp_path):
    snaps = snapshot.Snapshots(apps)

    async def scenario():
        assert await snaps.html("m3_planning_analysis/3_2_stakeholders.ipynb", filled,
                                "amina") is None, "no worker yet: no snapshot, no wait"
        snaps.start()
        try:
            first = await snaps.html("m3_planning_analysis/3_2_stakeholders.ipynb", filled,
                                     "amina", wait=120)
            assert first and "Ministry &amp; co" in first
            again = await snaps.html("m3_planning_analysis/3_2_stakeholders.ipynb", filled,
                                     "amina", wait=0.001)
            assert again == first, "an unchanged workbook is drawn once"
            # a page never waits longer than asked: a slow drawing is skipped
            other = tmp_path / "other.json"
            skipped = await snaps.html("m3_planning_analysis/3_1_target_areas.ipynb", other,
                                       "other", wait=0.0001)
            assert skipped is None and snaps.skipped >= 2
            # too many waiting: the page goes without at once
            snaps.waiting = snapshot.MAX_WAITING
            assert await snaps.html("m4_design_implementation/4_1_canvas.ipynb", other,
                                    "other", wait=60) is None
            snaps.waiting = 0
        finally:
            snaps.stop()

    asyncio.run(scenario())


# ---------------------------------------------------------------------------- ready room
ORDER = [s.id for s in SUBMODULES]


def test_expected_kernels_wait_for_the_first_app_and_move_on_as_they_are_taken():
    plan = WarmPlan(ORDER, expect=3, first="3.1", base=1)
    assert plan.targets["3.1"] == 4 and plan.total() == 19 + 3
    assert plan.taken("3.1") == "3.2"
    assert plan.targets["3.1"] == 3 and plan.targets["3.2"] == 2 and plan.total() == 22
    for _ in range(2):
        plan.taken("3.1")
    assert plan.targets["3.1"] == 1, "the base kernel of an app stays"
    assert plan.taken("3.1") == "3.1", "below the base, an app refills itself"
    # the last app of the course passes nothing on
    plan = WarmPlan(ORDER, expect=2, first=ORDER[-1], base=0)
    assert plan.taken(ORDER[-1]) is None and plan.total() == 1


def test_the_plan_never_asks_for_more_kernels_than_the_computer_holds():
    assert capacity(None) is None
    assert capacity(8 * 1024) == (8 * 1024 - 1536) // 110
    plan = WarmPlan(ORDER, expect=60, first="1.1", base=1, limit=30)
    assert plan.total() == 30 and plan.expect == 11
    with pytest.raises(ValueError, match="no submodule"):
        WarmPlan(ORDER, expect=1, first="9.9")


def test_the_host_is_told_in_plain_words_when_the_laptop_cannot_hold_the_room(tmp_path):
    settings = RoomSettings(tmp_path, expect=60, first="3.2")
    plan, message = warm_plan(settings, free=4 * 1024)
    assert plan.total() == capacity(4 * 1024)
    assert "4.0 GB of memory free" in message and "not 79" in message
    plan, message = warm_plan(settings, free=24 * 1024)
    assert message is None and plan.targets["3.2"] == 61
    with pytest.raises(ValueError, match="no submodule"):
        RoomSettings(tmp_path, expect=10, first="7.1")
    assert free_mib() is None or free_mib() > 0


class FakeKernels:
    """Voila's pool as the warmer sees it: per app, a list of kernel-start tasks."""

    def __init__(self, paths):
        self._pools = {p: [] for p in paths}
        self.kernel_pools_config = {"default": {"pool_size": 0}}
        self.started = []

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        pool = self._pools.setdefault(notebook_name, [])
        size = self.kernel_pools_config[notebook_name]["pool_size"]
        loop = asyncio.get_running_loop()
        while len(pool) < size:
            future = loop.create_future()
            future.set_result({"kernel_id": f"k{len(self.started)}"})
            self.started.append(notebook_name)
            pool.append(future)

    def take(self, path):
        return self._pools[path].pop(0)


def test_the_warmer_fills_a_few_at_a_time_holds_refills_while_people_arrive():
    paths = {s.id: s.path for s in SUBMODULES}
    km = FakeKernels(paths.values())
    now = [100.0]
    warmer = Warmer(km, WarmPlan(ORDER, expect=5, first="3.1", base=0), paths, parallel=2,
                    quiet=4, clock=lambda: now[0])
    warmer.free = lambda: 24 * 1024

    async def scenario():
        started = await warmer.step()
        assert started == 1, "one kernel per app and round, at most two at a time"
        while await warmer.step():
            pass
        assert warmer.ready() == (5, 5) and km.started == [paths["3.1"]] * 5
        # a participant arrives: the kernel they take is replaced by one for 3.2, later
        warmer.arrival(paths["3.1"])
        km.take(paths["3.1"])
        assert km.kernel_pools_config[paths["3.1"]]["pool_size"] == 4, \
            "Voila must not refill by itself"
        assert await warmer.step() == 0, "the page just opened has the computer first"
        now[0] += 2.5
        assert await warmer.step() == 1, "then an app with no kernel left is filled"
        assert km.started[-1] == paths["3.2"]
        now[0] += 1
        warmer.arrival(paths["3.1"])
        km.take(paths["3.1"])
        assert await warmer.step() == 0, "refills wait while people are arriving"
        now[0] += 5
        assert await warmer.step() == 1 and km.started[-1] == paths["3.2"]
        assert warmer.waiting()["3.2"] == 2 and warmer.ready() == (5, 5)
        # a wave: two arrivals close together; the app left empty is filled at once
        for _ in range(2):
            now[0] += 0.5
            warmer.arrival(paths["3.2"])
            km.take(paths["3.2"])
        assert await warmer.step() == 1 and km.started[-1] == paths["3.3"]
        # the laptop is full: nothing more is started, and the host is told
        warmer.warm_for("4.1", 8)
        warmer.free = lambda: 1000
        assert await warmer.step() == 0 and warmer.short_of_memory

    asyncio.run(scenario())
