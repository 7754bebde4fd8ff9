"""A right-to-left language in a real headless Chromium: a participant chooses Arabic (a
preview) on the start page of an English room; the start page and the 3.2 stakeholder app
are then in Arabic and laid out right to left, on a phone (390 x 844) and on a laptop
(1280 x 800), and the stakeholder matrix works. The screenshots are kept in the
temporary folder
(``rtl-start-phone.png``, ``rtl-app-phone.png``, ``rtl-matrix-phone.png``,
``rtl-grid-phone.png`` and the same ``-laptop``).

What JupyterLab's and ipywidgets' own styles still fix to the left on a right-to-left page
(the notebook's paragraphs, the sliders' handles, the buttons' words on a phone) is a test of
its own, expected to fail until the apps' styles put them right."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import pytest

from .browser import new_page, require_browser, room_server
from .test_serve_language import ENGLISH_APP, ENGLISH_START, english_in

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
LIVE = "#rendered_cells"
TITLE = f"{LIVE} .d4-title:has-text('مصفوفة أصحاب المصلحة')"
MATRIX = f"{LIVE} .d4-exercise:has(.d4-title:has-text('مصفوفة أصحاب المصلحة'))"
APP = "m3_planning_analysis/3_2_stakeholders.ipynb"
#: the English words of the stakeholder matrix's widgets (none may show in Arabic)
ENGLISH_WIDGETS = ("Stakeholder matrix", "Name", "Kind", "Influence", "Interest", "Role",
                   "Notes", "Add", "Update selected", "Remove selected", "In the matrix",
                   "still needed", "complete", "government", "choose", "Keep satisfied",
                   "Manage closely", "Keep informed", "Monitor", "High influence", "e.g.")
SHOTS = Path(tempfile.gettempdir())  # the screenshots, kept for a person to look at
ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z]")


def arabic_share(text: str) -> float:
    """The share of Arabic letters among the Arabic and Latin letters of ``text``."""
    arabic, latin = len(ARABIC.findall(text)), len(LATIN.findall(text))
    return arabic / max(1, arabic + latin)


def direction(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).direction")


def text_box(page, selector: str) -> dict:
    """Where the text of the element runs (the box of its words, not of the element) and
    the element's own box."""
    return page.locator(selector).first.evaluate("""e => {
        const r = document.createRange(); r.selectNodeContents(e);
        const t = r.getBoundingClientRect(), b = e.getBoundingClientRect();
        return {left: t.left, right: t.right, boxLeft: b.left, boxRight: b.right};
    }""")


def assert_right_aligned(page, selector: str) -> None:
    """The element's text starts at its right edge and leaves room on its left."""
    box = text_box(page, selector)
    assert abs(box["boxRight"] - box["right"]) <= 2, (selector, box)
    assert box["left"] - box["boxLeft"] > 20, (selector, box)


def assert_fits(page, width: int) -> None:
    """Nothing wider than the screen, on either side (a right-to-left page overflows on the
    left)."""
    wide = page.evaluate("""() => [document.documentElement.scrollWidth,
                                   document.body.scrollWidth]""")
    assert max(wide) <= width, f"the page is {wide} px wide on a {width} px screen"


def saved_names(room_dir: Path, code: str, want: int, seconds: float = 30) -> list[str]:
    """The names in the participant's saved stakeholder matrix (waiting for ``want``)."""
    deadline = time.monotonic() + seconds
    names: list[str] = []
    while time.monotonic() < deadline:
        doc = json.loads((room_dir / "participants" / f"{code}.json").read_text("utf-8"))
        answer = doc["answers"].get("3.2/stakeholder_matrix")
        names = [s["name"] for s in answer["data"]["stakeholders"]] if answer else []
        if len(names) >= want:
            break
        time.sleep(0.3)
    return names


def show(page, selector: str) -> None:
    """Scroll the app (its cells scroll in their own panel) so that ``selector`` is at the
    top of the screen."""
    page.locator(selector).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def open_live_app(page, link) -> None:
    """Open the app of ``link`` and wait for its live widgets (never left at a loading
    note)."""
    href = link.get_attribute("href")
    assert href.startswith("voila/render/ar/"), href
    link.click()
    page.wait_for_selector("body[data-d4-live]", timeout=180_000)
    page.wait_for_selector(TITLE, state="visible", timeout=60_000)
    assert page.locator("#loading").count() == 0 and page.locator("#d4-snapshot").count() == 0
    shown = page.inner_text("body")
    for note in ("Loading", "Preparing", "جارٍ إعداد تمرينك"):
        assert note not in shown, f"the page still says {note!r}"


@pytest.fixture(scope="module")
def english_room(tmp_path_factory):
    """An English room (the default) with no kernels kept ready: each page starts its own."""
    require_browser()
    with room_server(tmp_path_factory.mktemp("room-rtl-browser")) as room:
        yield room


@pytest.mark.slow
def test_arabic_reads_right_to_left_on_a_phone_and_a_laptop(english_room, browser):
    base, room_dir = english_room
    outside: list[str] = []
    # ------------------------------------------------------------ the start page, phone
    page = new_page(browser, base, outside, viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(base + "/")
    assert page.get_attribute("html", "dir") == "ltr"
    arabic = page.locator("button[name=lang][value=ar]")
    assert arabic.inner_text().startswith("العربية")
    assert arabic.get_attribute("lang") == "ar" and arabic.get_attribute("dir") == "rtl"
    arabic.tap()
    page.wait_for_selector("html[lang=ar]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert direction(page, "body") == "rtl"
    shown = page.inner_text("body")
    assert not english_in(shown, ENGLISH_START), english_in(shown, ENGLISH_START)
    assert arabic_share(shown) > 0.9, shown
    assert "مسار حلقة العمل" in shown and "أصحاب المصلحة والشراكات" in shown
    assert_right_aligned(page, "main > h2")  # "مسار حلقة العمل": short, so room on its left
    # the join page: a code in Arabic letters is refused, in Arabic, right to left
    page.fill("input[name=code]", "ليلى")
    page.locator("button[type=submit]").tap()
    page.wait_for_selector("p.error")
    assert page.get_attribute("html", "dir") == "rtl"
    assert "الحروف اللاتينية" in page.inner_text("p.error")
    page.fill("input[name=code]", "layla")
    page.locator("button[type=submit]").tap()
    page.wait_for_selector("text=أنت")
    page.wait_for_selector("a[href$='me/dossier.html']")
    assert page.get_attribute("html", "dir") == "rtl"
    doc = json.loads((room_dir / "participants" / "layla.json").read_text(encoding="utf-8"))
    assert doc["lang"] == "ar", "the workbook keeps the choice"
    # the banner's heading starts at the right edge of the page, the list of modules too
    h1 = page.locator("header h1").bounding_box()
    assert h1["x"] + h1["width"] >= PHONE["width"] - 40, h1
    assert_right_aligned(page, "main > h2:has-text('الدورة')")
    item = page.locator(".module li a").first.bounding_box()
    module = page.locator(".module").first.bounding_box()
    assert item["x"] + item["width"] > module["x"] + module["width"] - 60, (item, module)
    assert_fits(page, PHONE["width"])
    page.screenshot(path=str(SHOTS / "rtl-start-phone.png"))
    # ------------------------------------------------------------ the 3.2 app, phone
    open_live_app(page, page.locator(f"a[href$='{APP}']").first)
    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("html", "dir") == "rtl"
    assert direction(page, MATRIX) == "rtl"
    bar = page.inner_text("nav.d4-roombar")
    assert "جميع الوحدات" in bar and bar.strip().startswith("→"), bar
    interface = "\n".join([bar, page.inner_text("nav.d4-pager"),
                           *page.locator(MATRIX).all_inner_texts()])
    found = english_in(interface, ENGLISH_APP + ENGLISH_WIDGETS)
    assert not found, f"English on the Arabic page: {found}"
    label = page.locator(f"{MATRIX} .widget-label:has-text('الاسم')").first
    assert label.inner_text().strip() == "الاسم"
    name = page.get_by_placeholder("مثلا: وزارة الصحة")
    assert name.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.screenshot(path=str(SHOTS / "rtl-app-phone.png"))
    show(page, TITLE)
    page.screenshot(path=str(SHOTS / "rtl-matrix-phone.png"))
    # a stakeholder added in Arabic is saved, listed and placed in the grid
    name.fill("وزارة الصحة")
    page.locator(f"{MATRIX} button:has-text('إضافة')").first.tap()
    assert saved_names(room_dir, "layla", 1) == ["وزارة الصحة"]
    page.wait_for_selector(f"{MATRIX} .d4-quad li:has-text('وزارة الصحة')")
    page.wait_for_selector(f"{MATRIX} option:has-text('وزارة الصحة')", state="attached")
    assert_fits(page, PHONE["width"])
    show(page, f"{MATRIX} .d4-grid")
    page.screenshot(path=str(SHOTS / "rtl-grid-phone.png"))
    # ------------------------------------------------------------ the same, on a laptop
    laptop = new_page(browser, base, outside, viewport=LAPTOP)
    laptop.context.add_cookies(page.context.cookies())
    laptop.goto(base + "/")
    assert laptop.get_attribute("html", "dir") == "rtl"
    assert_right_aligned(laptop, "header h1")
    assert_right_aligned(laptop, "main > h2:has-text('الدورة')")
    assert_fits(laptop, LAPTOP["width"])
    laptop.screenshot(path=str(SHOTS / "rtl-start-laptop.png"))
    open_live_app(laptop, laptop.locator(f"a[href$='{APP}']").first)
    assert laptop.get_attribute("html", "dir") == "rtl"
    # the saved stakeholder is back; on a wide screen each label stands right of its input
    laptop.wait_for_selector(f"{MATRIX} option:has-text('وزارة الصحة')", state="attached")
    label = laptop.locator(f"{MATRIX} .widget-label:has-text('الاسم')").first.bounding_box()
    field = laptop.get_by_placeholder("مثلا: وزارة الصحة").bounding_box()
    assert label["x"] >= field["x"] + field["width"] - 2, (label, field)
    laptop.screenshot(path=str(SHOTS / "rtl-app-laptop.png"))
    show(laptop, TITLE)
    laptop.screenshot(path=str(SHOTS / "rtl-matrix-laptop.png"))
    laptop.get_by_placeholder("مثلا: وزارة الصحة").fill("منظمة المجتمع المدني")
    laptop.locator(f"{MATRIX} button:has-text('إضافة')").first.click()
    assert saved_names(room_dir, "layla", 2) == ["وزارة الصحة", "منظمة المجتمع المدني"]
    laptop.wait_for_selector(f"{MATRIX} .d4-quad li:has-text('منظمة المجتمع المدني')")
    assert_fits(laptop, LAPTOP["width"])
    show(laptop, f"{MATRIX} .d4-grid")
    laptop.screenshot(path=str(SHOTS / "rtl-grid-laptop.png"))
    assert not outside, f"requests left the room: {outside[:5]}"


@pytest.mark.slow
def test_nothing_stays_left_to_right_in_the_arabic_app(english_room, browser):
    """The notebook's paragraphs start on the right, each slider's handle stands on its
    track where its value is, and a button's words start on the right on a phone."""
    base, _room_dir = english_room
    outside: list[str] = []
    page = new_page(browser, base, outside, viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(base + "/")
    page.locator("button[name=lang][value=ar]").tap()
    page.wait_for_selector("html[lang=ar]")
    page.fill("input[name=code]", "salma")
    page.locator("button[type=submit]").tap()
    page.wait_for_selector("a[href$='me/dossier.html']")
    open_live_app(page, page.locator(f"a[href$='{APP}']").first)
    problems = []
    # a paragraph's last line ends where the next starts: on the right
    align = page.locator(f"{LIVE} .jp-RenderedHTMLCommon p").first.evaluate(
        "e => getComputedStyle(e).textAlign")
    if align not in ("start", "right"):
        problems.append(f"the notebook's paragraphs are aligned {align}")
    show(page, f"{MATRIX} .widget-hslider")
    for slider in page.locator(f"{MATRIX} .widget-hslider").all():
        track = slider.locator(".noUi-base").bounding_box()
        handle = slider.locator(".noUi-handle").bounding_box()
        value = int(slider.locator(".widget-readout").inner_text())
        centre = handle["x"] + handle["width"] / 2
        # 1 to 5: the handle's centre a quarter of the track further for each step
        where = track["x"] + track["width"] * (value - 1) / 4
        if abs(centre - where) > 4:
            problems.append(f"a slider at {value} shows its handle at x={centre:.0f}, "
                            f"not {where:.0f} (its track: {track['x']:.0f} to "
                            f"{track['x'] + track['width']:.0f})")
    button = page.locator(f"{MATRIX} button:has-text('إضافة')").first
    words = text_box(page, f"{MATRIX} button:has-text('إضافة')")
    if words["boxRight"] - words["right"] > 16:
        problems.append(f"a button's words start {words['boxRight'] - words['right']:.0f} px "
                        "from its right edge")
    assert button.is_visible()
    assert not problems, problems
    assert not outside, f"requests left the room: {outside[:5]}"
