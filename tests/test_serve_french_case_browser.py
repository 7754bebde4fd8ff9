"""A French participant's whole case, 3.1 to 6.3, in a real headless Chromium: a room served
in French (``digit4sd serve --lang fr``), one participant who joins and opens every app of
modules 3 to 6 with its live widgets. No English interface text may show on any of them.

The list of English labels is not written by hand: it is every English text of the
interface and content catalogues (and every heading of the notebooks of modules 3 to 6)
whose French differs, so a label added later is covered at once. A text of the page is
English when it is exactly one of them (a whole text of an element, a placeholder, an
accessible name, an alternative text): that finds "Save" on a button without calling
"Type" or "Note" English because French writes them alike."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from digit4sd_widgets import catalogues, i18n
from digit4sd_widgets.course import SUBMODULES

from .browser import free_port, new_page, require_browser, server, wait_until_ready

pytestmark = pytest.mark.skipif("fr" not in i18n.languages(), reason="no French catalogues")

CASE = [s for s in SUBMODULES if s.id.split(".")[0] in {"3", "4", "5", "6"}]

#: English the French pages show on purpose: the partner's raw names of 4.2 are data, and
#: 3.3 explains the letters R and T of SMART with their English words beside the French
#: ("Pertinent (*Relevant*)"), since the acronym stays English
DATA = {"Relevant", "Time-bound",
        "Ivory Coast", "Swaziland", "Burma", "Congo (Kinshasa)", "Lao PDR", "S. Sudan",
        "The Gambia", "Cape Verde", "Eq. Guinea", "Micronesia, Fed. Sts.", "Korea", "Congo"}

TEXTS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || el.closest('script,style,[hidden]')) continue;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const t = n.textContent.trim();
    if (t) out.push(t);
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[alt],[title]')) {
    for (const a of ['placeholder', 'aria-label', 'alt', 'title']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  for (const el of document.querySelectorAll('option')) out.push(el.textContent.trim());
  return out;
}"""


def english_labels() -> set[str]:
    """Every English text of the interface, content and module 3-6 headings whose French
    differs, as a reader would see it alone (one line, no markdown)."""
    found: set[str] = set()
    with i18n.language("fr"):
        for domain in ("digit4sd", "content"):
            for message in catalogues.template(domain):
                if not message.id or not isinstance(message.id, str):
                    continue
                text = message.id.strip()
                if "{" in text or "<" in text or "\n" in text or len(text) < 3:
                    continue
                french = (i18n.pgettext(message.context, message.id) if message.context
                          else i18n.gettext(message.id)).strip()
                if french != text:
                    found.add(text)
        for domain in ("m3", "m4", "m5", "m6"):
            for message in catalogues.template(domain):
                text = message.id if isinstance(message.id, str) else ""
                if text.startswith("#") and "\n" not in text:
                    heading = text.lstrip("#").strip().strip("*")
                    if i18n.pgettext(message.context, text).lstrip("#").strip() != heading:
                        found.add(heading)
    return found - DATA


@pytest.fixture(scope="module")
def french_room(tmp_path_factory):
    require_browser()
    tmp = tmp_path_factory.mktemp("room-fr-case")
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp / "room"), "--lang", "fr", "--pool", "1"]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp, log=tmp / "serve.log"):
        wait_until_ready(base, lang="fr")  # as a host does before the room comes in
        yield base, tmp / "room"


@pytest.mark.slow
def test_a_french_participants_case_from_31_to_63_shows_no_english(french_room, browser):
    base, _room = french_room
    english = english_labels()
    assert {"Save", "Add", "Knowledge check"} & english, "the list must hold the labels"
    outside: list[str] = []
    page = new_page(browser, base, outside)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.goto(base + "/", timeout=180_000)
    assert page.get_attribute("html", "lang") == "fr"
    page.fill("input[name=code]", "ousmane")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Vous êtes ousmane")
    found: dict[str, list[str]] = {}
    for sub in CASE:
        page.goto(f"{base}/voila/render/fr/{sub.path}", timeout=240_000)
        page.wait_for_selector("body[data-d4-live]", timeout=240_000)
        try:
            page.wait_for_selector("#rendered_cells .d4-exercise, #rendered_cells .widget-box",
                                   timeout=90_000)
        except Exception as exc:
            shot = Path(tempfile.gettempdir()) / f"french-case-{sub.id}.png"
            page.screenshot(path=str(shot), full_page=True)
            log = (_room.parent / "serve.log").read_text(encoding="utf-8", errors="replace")
            raise AssertionError(f"{sub.id}: no exercise drawn ({exc}); page {shot}; "
                                 f"console {console[-10:]}; server log:\n{log[-4000:]}") from None
        page.wait_for_timeout(500)
        assert page.get_attribute("html", "lang") == "fr"
        shown = page.evaluate(TEXTS_JS)
        hits = sorted({t for t in shown if t in english})
        if hits:
            found[sub.id] = hits
    assert not found, f"English on the French pages: {found}"
    assert not outside, f"requests left the room: {outside[:5]}"
