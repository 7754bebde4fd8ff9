"""The workshop in a real headless Chromium: two members of a breakout group edit their group's
stakeholder matrix at the same time from their own browsers and both changes are kept; the
countdown the host starts appears in the bar of a page already open; the plenary screens fit
a 1280 x 720 projector with nothing cut, go to the next screen with the arrow key and take in
new work by themselves; no text a participant typed ever runs as a script. The screenshots
are kept in the test's folder (``plenary-*.png``, ``group-work.png``)."""

from __future__ import annotations

import json
import re
import time

import pytest

from .browser import axe_violations, describe, join, new_page

SCRIPT = "<script>alert(1)</script>"
PROJECTOR = {"width": 1280, "height": 720}
LIVE = "#rendered_cells"

#: what does not fit a projector's screen: scrollbars, and any element's box outside it
OUTSIDE = """() => {
  const W = window.innerWidth, H = window.innerHeight, out = [];
  const root = document.documentElement;
  if (root.scrollWidth > W || root.scrollHeight > H) {
    out.push('scrollbars: ' + root.scrollWidth + 'x' + root.scrollHeight);
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('script, style, title, desc, .sr-only, .d4-sr, [hidden]')) continue;
    const st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1) {
      out.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 40) + ' ' +
               [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
    }
  }
  for (const block of document.querySelectorAll('.d4-canvas-grid .block')) {
    if (block.scrollHeight > block.clientHeight + 1) {
      out.push('canvas block cut: ' + block.querySelector('h2').textContent);
    }
  }
  return out;
}"""


def host_client(room):
    from .test_serve_server import Client

    base, _, tmp = room
    key = re.search(r"/host\?key=(\S+)", (tmp / "serve.log").read_text()).group(1)
    host = Client(base)
    assert host.request(f"/host?key={key}")[0] == 200
    return host


def wait_saved(path, key: str, count: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    names: list[str] = []
    while time.monotonic() < deadline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))["answers"][key]["data"]
            names = [s["name"] for s in data["stakeholders"]]
        except (OSError, ValueError, KeyError):
            names = []
        if len(names) >= count:
            return names
        time.sleep(0.2)
    return names


@pytest.mark.slow
def test_a_group_edits_its_matrix_together_under_the_hosts_countdown(room, browser):
    from digit4sd_widgets.serve.workshop import Workshop

    base, room_dir, tmp = room
    outside: list[str] = []
    dialogs: list[str] = []
    pages = []
    for code in ("grp-amina", "grp-tomas"):
        page = new_page(browser, base, outside)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        join(page, base, code)
        pages.append(page)
    # a page already open when the host starts the breakout
    first = pages[0]
    first.click("text=3.2 Stakeholders and partnerships")
    first.wait_for_selector(f"{LIVE} .d4-title:has-text('Stakeholder matrix')",
                            state="visible", timeout=120_000)
    assert first.locator("#d4-clock").is_hidden()
    host = host_client(room)
    status, _, _ = host.request("/host/breakout/3", {
        "action": "hand", "place:grp-amina": "new", "place:grp-tomas": "new",
        "moderator:new": SCRIPT})
    assert status == 302
    assert host.request("/host/breakout/3", {"action": "start", "minutes": "15"})[0] == 302
    clock = first.locator("#d4-clock")
    clock.wait_for(state="visible", timeout=20_000)  # no reload: the bar asks every 15 s
    assert re.search(r"Breakout after module 3: 1[45]:\d\d left", clock.inner_text())
    group_link = first.locator("#d4-grouplink")
    assert group_link.is_visible() and "Group work: Group" in group_link.inner_text()
    first.reload()  # the participant's own matrix stays their own
    # both open their group's work (one from the bar, one from the start page)
    first.locator("#d4-grouplink").click()
    second = pages[1]
    second.goto(base + "/")
    second.click("text=Open your group's work")
    for page in pages:
        page.wait_for_selector(f"{LIVE} .d4-title:has-text('Stakeholder matrix')",
                               state="visible", timeout=120_000)
        head = page.locator(f"{LIVE} .d4-group-title").inner_text()
        assert "Breakout after module 3" in head
        assert SCRIPT in page.inner_text(LIVE), "the moderator's name shows as typed text"
    # each adds a stakeholder; they press Add at the same moment
    for page, name in zip(pages, ("Ministry of ICT", f"{SCRIPT} network"), strict=True):
        page.get_by_placeholder("e.g. Ministry of Health").fill(name)
    for page in pages:
        page.locator(f"{LIVE} .d4-exercise button[title='Add']").click(no_wait_after=True)
    gid = Workshop.load(room_dir).group_of(3, "grp-amina").id
    names = wait_saved(room_dir / "groups" / f"{gid}.json", "3.2/stakeholder_matrix", 2)
    assert sorted(names) == sorted(["Ministry of ICT", f"{SCRIPT} network"]), names
    # the page that saved last shows both; the other sees them on asking
    for page in pages:
        page.locator(f"{LIVE} button:has-text(\"Show the group's latest work\")").click()
    for page in pages:
        page.wait_for_selector(f"{LIVE} .d4-grid li:has-text('Ministry of ICT')",
                               timeout=30_000)
        page.wait_for_selector(f"{LIVE} .d4-grid li:has-text('network')", timeout=30_000)
    first.screenshot(path=str(tmp / "group-work.png"), full_page=True)
    serious = axe_violations(first)
    assert not serious, describe(serious)
    # the participants' own workbooks hold none of it
    own = json.loads((room_dir / "participants" / "grp-amina.json").read_text())
    assert "3.2/stakeholder_matrix" not in own["answers"]
    assert not dialogs, "typed text ran as a script"
    assert not outside, f"requests left the room: {outside[:3]}"
    host.request("/host/breakout/3", {"action": "stop"})


@pytest.mark.slow
def test_the_plenary_fits_a_projector_and_follows_new_work(room, browser, monkeypatch):
    from digit4sd_widgets.examples import example_workbook
    from digit4sd_widgets.exercises import KPIBuilderModel, StakeholderMatrixModel
    from digit4sd_widgets.serve.workshop import Workshop, open_group, start_group_workbooks
    from digit4sd_widgets.workbook import Workbook

    base, room_dir, tmp = room
    host = host_client(room)
    # a participant with every exercise done, and a group with a crowded matrix and KPIs
    monkeypatch.setenv("DIGIT4SD_LEARNER", "participant:plenary-one")
    example_workbook(Workbook.open(room_dir / "participants" / "plenary-one.json",
                                   siblings=False), "ETH")
    monkeypatch.delenv("DIGIT4SD_LEARNER")
    ws = Workshop.load(room_dir)
    ws.set_by_hand(4, {"plenary-one": "new"}, {"new": SCRIPT}, ["plenary-one"])
    ws.save()
    start_group_workbooks(ws)
    gid = ws.groups(4)[0].id
    book = open_group(room_dir, gid)
    matrix = StakeholderMatrixModel()
    for i, (name, influence, interest) in enumerate([
            ("Ministry of Information and Communication Technology", 5, 5), (SCRIPT, 5, 5),
            ("Central bank", 5, 5), ("Telecom regulator", 5, 4), ("Farmers' union", 2, 5),
            ("District councils", 3, 4), ("World Bank", 4, 2), ("Software firms", 1, 1),
            ("University of Addis Ababa", 3, 3), ("Women's cooperative network", 5, 5)]):
        matrix = matrix.with_added(name=name, kind=("government", "civil society",
                                                    "private sector", "academia",
                                                    "international partner")[i % 5],
                                   influence=influence, interest=interest)
    book.set("3.2/stakeholder_matrix", "stakeholder_matrix", matrix.to_dict())
    kpis = KPIBuilderModel()
    for i, indicator in enumerate(("osi", "egdi", "internet_pct")):
        kpis = kpis.with_added(name=f"{SCRIPT} {indicator}", kind="context",
                               indicator=indicator, country="ETH",
                               target="60" if indicator == "internet_pct" else "0.6",
                               target_year=str(2030 + i))
    kpis = kpis.with_added(name="Births registered online", kind="project", level="outcome",
                           measure="births registered online", scope="three districts",
                           unit="births a month", goal="increase", baseline="0",
                           baseline_year="2024", target="1500", target_year="2030")
    book.set("3.3/kpi_builder", "kpi_builder", kpis.to_dict())
    person = Workbook.open(room_dir / "participants" / "plenary-one.json", siblings=False)
    canvas = person.get("4.1/implementation_canvas")
    canvas["blocks"]["risks"] = ("Power cuts in rural offices; staff who leave after "
                                 "training; low trust in paying online; " * 3).strip()
    person.set("4.1/implementation_canvas", "implementation_canvas", canvas)

    context = browser.new_context(viewport=PROJECTOR)
    context.add_cookies([{"name": c.name, "value": c.value, "url": base} for c in host.jar])
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    screens = [("stakeholder_matrix", "g", gid), ("stakeholder_matrix", "p", "plenary-one"),
               ("implementation_canvas", "p", "plenary-one"), ("kpi_builder", "g", gid),
               ("kpi_builder", "p", "plenary-one")]
    problems = []
    for kind, owner, who in screens:
        page.goto(f"{base}/host/plenary/{kind}/{owner}/{who}")
        page.wait_for_selector("main > *", timeout=30_000)
        page.wait_for_timeout(300)  # the canvas sizes its text
        shot = tmp / f"plenary-{kind}-{owner}.png"
        page.screenshot(path=str(shot))
        problems += [f"{kind} {owner}: {p}" for p in page.evaluate(OUTSIDE)]
        assert page.locator("main script").count() == 0, "typed text became a script"
    assert not problems, "\n".join(problems)
    # the crowded matrix draws every name; the canvas text is as large as it can be
    page.goto(f"{base}/host/plenary/stakeholder_matrix/g/{gid}")
    assert page.locator("svg.d4-plot text.name").count() == 10
    page.goto(f"{base}/host/plenary/implementation_canvas/p/plenary-one")
    page.wait_for_timeout(300)
    sizes = [int(b.get_attribute("data-font")) for b in page.locator(".block").all()]
    assert min(sizes) >= 12 and max(sizes) >= 18, sizes
    # the arrow key goes to the next screen, as a presenter's remote does
    page.goto(f"{base}/host/plenary/stakeholder_matrix/g/{gid}")
    after = page.locator("a[rel=next]").get_attribute("href")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(base + after, timeout=10_000)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(rf"/host/plenary/stakeholder_matrix/g/{gid}$"),
                      timeout=10_000)
    # new work shows by itself, without a reload
    page.evaluate("window.d4_marker = 1")
    book.set("3.2/stakeholder_matrix", "stakeholder_matrix",
             matrix.with_added(name="Late arrival", kind="academia", influence=1,
                               interest=3).to_dict())
    page.wait_for_selector("svg.d4-plot text:has-text('Late arrival')", timeout=30_000)
    assert page.evaluate("window.d4_marker") == 1, "the page was reloaded"
    # the host page and the page that places people by hand: the typed names are text
    for path in ("/host/groups/4", "/host/plenary", "/host"):
        page.goto(base + path)
        page.wait_for_selector("h1")
        assert page.locator("main script").count() == 0, path
        serious = axe_violations(page)
        assert not serious, f"{path}: {describe(serious)}"
    assert SCRIPT in page.inner_text("body"), "the moderator's name shows as typed"
    assert not dialogs, "typed text ran as a script"
    print("screenshots:", sorted(str(p) for p in tmp.glob("plenary-*.png")))
