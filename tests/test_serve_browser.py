"""The classroom server in a real headless Chromium: the start page, an app whose widgets render
and respond, work that survives a reload and a new browser, no request leaving the host, no
source or traceback on the page, and a page that recovers when its end never arrives."""

from __future__ import annotations

import json
import time

import pytest

from .browser import join, new_page

APP_LINK = "3.2 Stakeholders and partnerships"
#: the live page (the snapshot drawn before it shows the same titles, but cannot be used)
LIVE = "#rendered_cells"
TITLE = f"{LIVE} .d4-title:has-text('Stakeholder matrix')"


def open_app(page) -> float:
    start = time.monotonic()
    page.click(f"text={APP_LINK}")
    page.wait_for_selector(TITLE, state="visible", timeout=120_000)
    return time.monotonic() - start


def stakeholder_names(page) -> list[str]:
    return [t.strip() for t in page.locator(f"{LIVE} .d4-grid li").all_inner_texts()]


@pytest.mark.slow
def test_a_participants_stakeholder_survives_reload_and_a_new_browser(room, browser):
    base, room_dir, tmp = room
    outside: list[str] = []
    page = new_page(browser, base, outside)
    page.goto(base + "/")
    # the start page: six modules, 19 submodules, the two-day path, a join form
    assert page.locator(".module").count() == 6
    assert page.locator(".module li").count() == 19
    assert page.get_by_text("Day 2: implementation").count() == 1
    join(page, base, "amina-k")
    assert page.locator(".module li a").count() == 19
    open_app(page)
    # the widget responds: a stakeholder typed with markup is added, as text
    page.get_by_placeholder("e.g. Ministry of Health").fill("Ministry of <b>Health</b>")
    page.locator(".d4-exercise button[title='Add']").click()
    page.wait_for_selector(f"{LIVE} .d4-grid li:has-text('Ministry of <b>Health</b>')",
                           timeout=30_000)
    saved = room_dir / "participants" / "amina-k.json"
    deadline = time.monotonic() + 20
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    doc = json.loads(saved.read_text(encoding="utf-8"))
    names = [s["name"] for s in
             doc["answers"]["3.2/stakeholder_matrix"]["data"]["stakeholders"]]
    assert names == ["Ministry of <b>Health</b>"]
    page.screenshot(path=str(tmp / "app.png"))
    # no source, no traceback, no join warning on the page
    text = page.inner_text("body")
    for secret in ("Traceback", "import ", "digit4sd_widgets", "You have not joined",
                   "NotImplementedError", "'amina-k'"):
        assert secret not in text, secret
    # a refresh finds the work again
    page.reload()
    page.wait_for_selector(TITLE, state="visible", timeout=120_000)
    page.wait_for_selector(f"{LIVE} .d4-grid li:has-text('Ministry of')", timeout=30_000)
    # so does another browser with the same code
    other = new_page(browser, base, outside)
    join(other, base, "amina-k")
    open_app(other)
    other.wait_for_selector(f"{LIVE} .d4-grid li:has-text('Ministry of')", timeout=30_000)
    # and a different participant starts empty
    third = new_page(browser, base, outside)
    join(third, base, "table-2")
    open_app(third)
    time.sleep(1)
    assert not [n for n in stakeholder_names(third) if "Ministry" in n]
    assert not outside, f"requests left the host: {outside[:5]}"


@pytest.mark.slow
def test_a_page_whose_end_is_lost_recovers_by_itself(room, browser):
    """Cut the page's HTML before its last part, as when Voila loses the final message: the
    page must notice its kernel is idle and reload itself, and show its widgets."""
    base, _, _ = room
    outside: list[str] = []
    page = new_page(browser, base, outside)
    join(page, base, "lost-end")
    served = []

    def cut_once(route):
        served.append(route.request.url)
        if len(served) > 1:
            return route.continue_()
        response = route.fetch(timeout=120_000)
        body = response.text()
        route.fulfill(response=response, body=body[: body.index("window.voila_finish();")])

    page.route("**/voila/render/**", cut_once)
    start = time.monotonic()
    page.click(f"text={APP_LINK}", no_wait_after=True)
    page.wait_for_selector(TITLE, state="visible", timeout=180_000)
    assert len(served) == 2, "the stuck page did not reload itself"
    assert time.monotonic() - start < 170
    assert not outside


GAP = f"{LIVE} .d4-exercise:has(.d4-title:has-text('Gap analysis'))"
MATRIX = f"{LIVE} .d4-exercise:has(.d4-title:has-text('Prioritisation matrix'))"
APP_31 = "3.1 Identifying target areas"


def open_31(page) -> None:
    page.click(f"text={APP_31}")
    page.wait_for_selector(f"{MATRIX} .d4-title", state="visible", timeout=120_000)


def save_gap(page, country: str, reason: str) -> None:
    gap = page.locator(GAP)
    gap.locator(".widget-dropdown:has(label:text-is('Country')) select").select_option(
        label=country)
    gap.locator("textarea").fill(reason)
    gap.locator("button:has-text('Save')").click()


def add_area(page, name: str) -> None:
    matrix = page.locator(MATRIX)
    matrix.locator(".widget-text:has(label:text-is('Target area')) input").fill(name)
    matrix.locator("button:has-text('Add area')").click()


def wait_saved(path, keys: set[str], timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    doc: dict = {}
    while time.monotonic() < deadline:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = {}
        if keys <= set(doc.get("answers", {})):
            return doc
        time.sleep(0.2)
    return doc


@pytest.mark.slow
def test_two_exercises_of_one_page_saved_at_once_both_survive_a_reload(room, browser):
    """The 3.1 page holds the gap analysis and the prioritisation matrix: each opened the
    participant's new workbook; saving one then the other must keep both, and the case."""
    base, room_dir, tmp = room
    outside: list[str] = []
    page = new_page(browser, base, outside)
    join(page, base, "two-views")
    open_31(page)
    save_gap(page, "Nepal", "Few services are online yet.")
    add_area(page, "Online birth registration")
    saved = room_dir / "participants" / "two-views.json"
    doc = wait_saved(saved, {"3.1/gap_analysis", "3.1/prioritisation_matrix"})
    assert {"3.1/gap_analysis", "3.1/prioritisation_matrix"} <= set(doc["answers"])
    # the participant sees the last confirmation, then reloads
    page.wait_for_selector(f"{MATRIX} :text('Your case is now: Online birth registration')",
                           timeout=30_000)
    page.reload()
    page.wait_for_selector(f"{MATRIX} .d4-title", state="visible", timeout=120_000)
    page.wait_for_selector(f"{MATRIX} option:has-text('Online birth registration')",
                           state="attached", timeout=30_000)
    assert page.locator(f"{GAP} textarea").input_value() == "Few services are online yet."
    page.screenshot(path=str(tmp / "app-3-1.png"), full_page=True)
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["case"]["country"] == "NPL"
    assert doc["case"]["target_area"] == "Online birth registration"
    assert doc["learner_id"] == "participant:two-views"
    assert sorted(p.name for p in saved.parent.glob("two-views*")) == ["two-views.json"]
    assert not outside


@pytest.mark.slow
def test_two_browsers_of_one_code_saving_at_once_keep_both(room, browser):
    base, room_dir, _ = room
    outside: list[str] = []
    first, second = new_page(browser, base, outside), new_page(browser, base, outside)
    for page in (first, second):
        join(page, base, "same-code")
        open_31(page)
    # both press at once: the first its gap analysis, the second a candidate area
    save_gap(first, "Ethiopia", "Online services lag behind the peers.")
    add_area(second, "Business licences online")
    saved = room_dir / "participants" / "same-code.json"
    doc = wait_saved(saved, {"3.1/gap_analysis", "3.1/prioritisation_matrix"})
    assert {"3.1/gap_analysis", "3.1/prioritisation_matrix"} <= set(doc["answers"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (
            doc["case"].get("country") == "ETH" and doc["case"].get("target_area")):
        time.sleep(0.2)
        doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["case"]["country"] == "ETH"
    assert doc["case"]["target_area"] == "Business licences online"
    assert sorted(p.name for p in saved.parent.glob("same-code*")) == ["same-code.json"]
    # a third window of the same code finds both
    third = new_page(browser, base, outside)
    join(third, base, "same-code")
    open_31(third)
    third.wait_for_selector(f"{MATRIX} option:has-text('Business licences online')",
                            state="attached", timeout=30_000)
    assert third.locator(f"{GAP} textarea").input_value() == \
        "Online services lag behind the peers."
    assert not outside


@pytest.mark.slow
def test_the_participants_own_work_shows_first_and_the_live_widgets_take_its_place(
        room, browser):
    """The page's first bytes carry the participant's saved work, drawn by the server; it is
    visible before any of Voila's front end runs, cannot be edited, and gives way to the live
    widgets, which then work as usual."""
    from digit4sd_widgets.examples import example_answers
    from digit4sd_widgets.workbook import Workbook

    base, room_dir, _ = room
    outside: list[str] = []
    page = new_page(browser, base, outside)
    join(page, base, "snap-first")
    wb = Workbook.open(room_dir / "participants" / "snap-first.json", siblings=False)
    stored = dict(next(s for k, kind, s in example_answers("ETH")
                       if kind == "stakeholder_matrix"))
    stored["stakeholders"] = [{**stored["stakeholders"][0],
                               "name": "<img src=x onerror=alert(1)>Regional bureau"},
                              *stored["stakeholders"][1:]]
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", stored)
    held = []
    page.route("**/voila/static/*/voila.js", lambda route: held.append(route))
    page.click(f"text={APP_LINK}", no_wait_after=True)
    snap = page.locator("#d4-snapshot")
    snap.locator(":text('Regional bureau')").first.wait_for(state="visible", timeout=60_000)
    # the work is visible before the page even asks for the live front end; hold it back
    deadline = time.monotonic() + 120
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held, "the page never asked for the live front end"
    assert snap.is_visible() and page.locator("body[data-d4-live]").count() == 0
    assert page.locator(LIVE).is_hidden()
    assert page.locator("#d4-snapshot img[src=x]").count() == 0, "typed text became HTML"
    assert "<img src=x onerror=alert(1)>Regional bureau" in snap.inner_text()
    assert snap.locator("button:not([disabled]), input:not([disabled]), "
                        "textarea:not([disabled])").count() == 0, "a copy cannot be edited"
    assert page.locator(".d4-connecting").is_visible()
    assert "Executing" not in page.inner_text("body")
    for route in held:
        route.continue_()
    page.unroute("**/voila/static/*/voila.js")
    page.wait_for_selector("body[data-d4-live]", timeout=120_000)
    page.wait_for_selector(TITLE, state="visible", timeout=30_000)
    assert page.locator("#d4-snapshot").count() == 0 and page.locator("#loading").count() == 0
    assert page.locator(".d4-title:has-text('Stakeholder matrix')").count() == 1
    names = stakeholder_names(page)
    assert any("<img src=x onerror=alert(1)>Regional bureau" in n for n in names)
    assert page.locator(f"{LIVE} img[src=x]").count() == 0
    assert not outside


@pytest.mark.slow
def test_the_host_moves_the_ready_pages_and_only_the_host(room):
    """The host page shows the ready kernels and its form prepares an app for the room; the
    form answers the host only, and only from the room's own pages."""
    import re

    from .test_serve_server import Client

    base, _, tmp = room
    key = re.search(r"/host\?key=(\S+)", (tmp / "serve.log").read_text()).group(1)
    stranger = Client(base)
    stranger.request("/join", {"code": "not-host"})
    assert stranger.request("/host/warm", {"first": "4.1", "expect": "3"})[0] == 403
    host = Client(base)
    status, text, _ = host.request(f"/host?key={key}")
    assert status == 200 and "Ready for the room" in text and "exercise pages prepared" in text
    assert host.request("/host/warm", {"first": "4.1", "expect": "3"}, origin=False)[0] == 403
    assert host.request("/host/warm", {"first": "9.9", "expect": "3"})[0] == 400
    status, _, _ = host.request("/host/warm", {"first": "4.1", "expect": "3"})
    assert status == 302
    status, text, _ = host.request("/host")
    assert '<option value="4.1" selected>' in text and 'value="3"' in text
