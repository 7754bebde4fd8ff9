"""The room in French in a real headless Chromium, on a phone's screen (390 x 844): a
participant chooses French on the start page of an English room, joins, opens an app and
reads no English word of the interface (start page, the app's bar and pager, the exercise's
widgets, drawn by a kernel that speaks French). The screenshots are kept in the
temporary folder
(``d4-fr-start.png``, ``d4-fr-app.png``, ``d4-fr-exercise.png``)."""

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
LIVE = "#rendered_cells"
#: the English words of the stakeholder matrix's widgets (not those French writes alike:
#: "Influence", "Notes", "Type"...)
ENGLISH_WIDGETS = ("Stakeholder matrix", "Name", "Kind", "Interest", "Role", "Add",
                   "Edit selected", "Remove selected", "In the matrix", "still needed",
                   "complete", "government", "choose", "Keep satisfied", "Manage closely",
                   "Keep informed", "Monitor", "High influence", "Save", "e.g.")
SHOTS = Path(tempfile.gettempdir())  # the screenshots, kept for a person to look at


@pytest.fixture(scope="module")
def english_room(tmp_path_factory):
    """An English room (the default) with no kernels kept ready: each page starts its own."""
    require_browser()
    with room_server(tmp_path_factory.mktemp("room-lang-browser")) as room:
        yield room


@pytest.mark.slow
def test_a_french_participant_reads_no_english_on_a_phone(english_room, browser):
    base, room_dir = english_room
    outside: list[str] = []
    page = new_page(browser, base, outside, viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(base + "/")
    assert page.get_attribute("html", "lang") == "en"
    # the choice is a real button, reached and pressed with the keyboard
    french = page.locator("button[name=lang][value=fr]")
    assert french.inner_text() == "Français" and french.get_attribute("lang") == "fr"
    french.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang=fr]")
    assert page.get_attribute("html", "dir") == "ltr"
    shown = page.inner_text("body")
    assert not english_in(shown, ENGLISH_START), english_in(shown, ENGLISH_START)
    page.fill("input[name=code]", "aminata")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Vous êtes aminata")
    page.screenshot(path=str(SHOTS / "d4-fr-start.png"), full_page=False)
    doc = json.loads((room_dir / "participants" / "aminata.json").read_text(encoding="utf-8"))
    assert doc["lang"] == "fr", "the workbook keeps the choice"
    # the French app of 3.2, its widgets drawn by a kernel that speaks French
    link = page.locator("a[href$='m3_planning_analysis/3_2_stakeholders.ipynb']").first
    assert link.get_attribute("href").startswith("voila/render/fr/")
    link.tap()
    page.wait_for_selector("body[data-d4-live]", timeout=180_000)
    title = f"{LIVE} .d4-title:has-text('Matrice des parties prenantes')"
    page.wait_for_selector(title, state="visible", timeout=60_000)
    assert page.get_attribute("html", "lang") == "fr"
    interface = "\n".join([
        page.inner_text("nav.d4-roombar"), page.inner_text("nav.d4-pager"),
        *page.locator(f"{LIVE} .d4-exercise:has({title.split(' ', 1)[1]})").all_inner_texts(),
        *[p or "" for p in page.locator(f"{LIVE} .d4-exercise input").evaluate_all(
            "els => els.map(e => e.placeholder)")],
    ])
    found = english_in(interface, ENGLISH_APP + ENGLISH_WIDGETS)
    page.screenshot(path=str(SHOTS / "d4-fr-app.png"), full_page=False)
    page.locator(f"{LIVE} .d4-exercise:has({title.split(' ', 1)[1]})").first.screenshot(
        path=str(SHOTS / "d4-fr-exercise.png"))
    assert not found, f"English on the French page: {found}"
    assert "Tous les modules" in interface and "Suivant" in interface
    # the page fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # a stakeholder added in French is saved in the workbook
    page.get_by_placeholder(re.compile("ministère")).fill("Ministère de la santé")
    page.locator(f"{LIVE} .d4-exercise button:has-text('Ajouter')").first.tap()
    deadline = time.monotonic() + 30
    names: list[str] = []
    while time.monotonic() < deadline and not names:
        doc = json.loads((room_dir / "participants" / "aminata.json").read_text("utf-8"))
        answer = doc["answers"].get("3.2/stakeholder_matrix")
        names = [s["name"] for s in answer["data"]["stakeholders"]] if answer else []
        time.sleep(0.3)
    assert names == ["Ministère de la santé"]
    assert not outside, f"requests left the room: {outside[:5]}"
