"""The room's view of its pages: which kernels have a page connected, which lost theirs and
are stopped after the grace, and what the host sees of participants' files (set-aside files
are warnings, never participants)."""

from __future__ import annotations

import json

from digit4sd_widgets.serve.pages import PageTracker
from digit4sd_widgets.serve.server import RoomSettings, host_html, participants, room_warnings
from digit4sd_widgets.workbook import LEARNER_ENV, Workbook


def test_a_connected_page_keeps_its_kernel_however_quiet():
    pages = PageTracker(grace=10)
    pages.opened("k")
    assert pages.to_stop({"k": 0.0}, now=10_000.0) == []
    assert pages.connected() == 1


def test_two_sockets_of_one_kernel_count_as_one_page_until_both_close():
    pages = PageTracker(grace=10)
    pages.opened("k")
    pages.opened("k")
    pages.closed("k", now=100.0)
    assert pages.connected() == 1 and pages.to_stop({"k": None}, now=500.0) == []
    pages.closed("k", now=100.0)
    assert pages.connected() == 0
    assert pages.to_stop({"k": None}, now=109.0) == []
    assert pages.to_stop({"k": None}, now=110.0) == ["k"]


def test_a_page_that_never_connected_gets_the_grace_from_when_it_was_seen():
    pages = PageTracker(grace=10)
    assert pages.to_stop({"new": None}, now=50.0) == []  # first seen now
    assert pages.to_stop({"new": None}, now=59.0) == []
    assert pages.to_stop({"new": None}, now=60.0) == ["new"]


def test_a_kernel_still_working_for_its_page_is_not_lost():
    """Activity (a notebook still running for the page) restarts the grace."""
    pages = PageTracker(grace=10)
    pages.to_stop({"k": 0.0}, now=0.0)
    assert pages.to_stop({"k": 55.0}, now=60.0) == []
    assert pages.to_stop({"k": 55.0}, now=65.0) == ["k"]


def test_a_kernel_handed_out_from_the_pool_gets_the_whole_grace():
    pages = PageTracker(grace=10)
    pages.to_stop({"k": None}, now=0.0)  # seen once while it was still being prepared
    pages.waiting("k", now=100.0)  # then in the pool for a long time
    assert pages.to_stop({"k": None}, now=105.0) == []  # taken by a page at about 100
    assert pages.to_stop({"k": None}, now=110.0) == ["k"]


def test_a_kernel_whose_page_is_still_being_sent_is_not_lost():
    """A slow machine may run a page's cells, or send its end, for longer than the grace,
    with the kernel quiet meanwhile: the grace starts when the page has gone out."""
    pages = PageTracker(grace=10)
    pages.to_stop({"k": 0.0}, now=0.0)
    pages.serving("k")
    assert pages.to_stop({"k": 0.0}, now=300.0) == []
    assert pages.connected() == 0  # being sent is not a connected page for the host
    pages.served("k", now=300.0)
    assert pages.to_stop({"k": 0.0}, now=309.0) == []
    assert pages.to_stop({"k": 0.0}, now=310.0) == ["k"]


def test_a_page_sent_after_its_socket_opened_leaves_the_kernel_connected():
    pages = PageTracker(grace=10)
    pages.serving("k")
    pages.opened("k")
    pages.served("k", now=0.0)
    assert pages.to_stop({"k": 0.0}, now=1_000.0) == []
    pages.forget(set())
    assert pages.to_stop({"k": 0.0}, now=1_000.0) == []  # first seen again: a new grace


def test_a_reconnected_page_is_connected_again():
    pages = PageTracker(grace=10)
    pages.opened("k")
    pages.closed("k", now=0.0)
    pages.opened("k")
    assert pages.to_stop({"k": None}, now=100.0) == []
    pages.forget(set())
    assert pages.connected() == 0


def test_set_aside_files_are_warnings_for_the_host_not_participants(tmp_path, monkeypatch):
    room = tmp_path / "room"
    folder = room / "participants"
    folder.mkdir(parents=True)
    monkeypatch.setenv(LEARNER_ENV, "participant:amina-k")
    wb = Workbook.open(folder / "amina-k.json")
    wb.set_case(country="NPL", target_area="<b>Birth</b> registration")
    # a damaged file and another learner's file, set aside earlier
    (folder / "amina-k.unreadable-20261203T101010000000.json").write_text("{", "utf-8")
    doc = json.loads((folder / "amina-k.json").read_text(encoding="utf-8"))
    (folder / "amina-k.another-learner-20261203T101011000000.json").write_text(
        json.dumps(doc), "utf-8")
    rows = participants(room)
    assert [r["code"] for r in rows] == ["amina-k"]
    warnings = room_warnings(room)
    assert len(warnings) == 2
    assert any("another learner" in w for w in warnings)
    assert any("damaged" in w for w in warnings)
    page = host_html(room, RoomSettings(room), live=3, connected=1)
    assert "1 app page connected now" in page and "3 kernels running" in page
    assert "Files to look at" in page and "amina-k.unreadable-" in page
    assert "<b>Birth</b>" not in page and "&lt;b&gt;Birth&lt;/b&gt;" in page
