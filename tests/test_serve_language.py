"""The room in the participant's language, without a browser: the start page, the host page
and the apps' words in French, the language choice (a cookie checked against the offered
languages, kept in the participant's workbook, changed only from the room's own pages at a
human pace), the room's own language (``--lang``), right-to-left pages, the kernel and the
snapshot in the participant's language, and the apps of every language."""

from __future__ import annotations

import html
import json
import re
import sys
from typing import ClassVar

import nbformat
import pytest

from digit4sd_widgets import i18n
from digit4sd_widgets.course import SUBMODULES
from digit4sd_widgets.examples import example_workbook
from digit4sd_widgets.serve import language
from digit4sd_widgets.serve import room as room_mod
from digit4sd_widgets.serve.server import (
    RoomSettings,
    host_html,
    landing_html,
    page,
    plain_error,
    preheat_denylist,
    prepare_room,
)
from digit4sd_widgets.serve.snapshot import render_app, snapshot_block
from digit4sd_widgets.serve.workshop import Workshop, profiles
from digit4sd_widgets.workbook import ENV_VAR, LEARNER_ENV, Workbook

from .browser import free_port, server
from .test_serve_server import Client, _signed_cookie

#: the English words of the start page (none may show on the French one)
ENGLISH_START = ("Your code", "Start", "Room code", "Enter a short code", "The course",
                 "The workshop path", "Day 1", "Day 2", "core", "day 1", "Language",
                 "You are", "Download my dossier", "my workbook file", "not you",
                 "digital government for the SDGs", "Nothing needs the internet",
                 "Getting started", "Stakeholders and partnerships")
#: the English words of the host page (not those French writes alike: "participants")
ENGLISH_HOST = ("Host page", "Keep this page to yourself", "kernels running", "connected now",
                "Download every workbook", "Toolkit feedback", "Start page", "Breakout groups",
                "Mix the room into groups", "Place people by hand", "Start the countdown",
                "target area", "last saved", "show in plenary", "Progress", "room folder",
                "Breakout after module", "No groups yet", "Groups are mixed", "moderator",
                "members", "Plenary", "of 0")
#: the English words of an app's bar, pager and loading note
ENGLISH_APP = ("All modules", "Previous:", "Next:", "Your work is saved as you go",
               "Group work", "Preparing your exercise", "did not finish loading",
               "time is up", "minute left", "minutes left")


def visible(page_html: str) -> str:
    """What a reader sees of a page: its text, without styles, scripts and tags."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page_html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def english_in(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


@pytest.fixture(autouse=True)
def _english_again():
    yield
    i18n.set_language(None)


# ------------------------------------------------------------------------------ pages
def test_the_start_page_in_french():
    with i18n.language("fr"):
        anonymous = landing_html(None, access_code=True)
        joined = landing_html("amina-k", access_code=False)
    for text in (anonymous, joined):
        assert text.startswith('<!doctype html><html lang="fr" dir="ltr">')
        assert not english_in(visible(text), ENGLISH_START), english_in(visible(text),
                                                                        ENGLISH_START)
    shown = visible(anonymous)
    assert "Votre code" in shown and "Commencer" in shown and "Code de la salle" in shown
    assert "Langue\u00a0:" in shown
    # the choice: every offered language named in its own words, a real button each, the
    # current one marked
    assert '<button name="lang" value="en" lang="en" dir="ltr">English</button>' in anonymous
    assert 'aria-current="true" lang="fr" dir="ltr">Français</b>' in anonymous
    assert '<form class="d4-lang" method="post" action="/lang"' in anonymous
    # a participant's links go to the French apps, with French titles
    links = re.findall(r'href="voila/render/([^"]+)"', joined)
    assert links == [f"fr/{s.path}" for s in SUBMODULES]
    with i18n.language("fr"):
        assert f"3.2 {html.escape(SUBMODULES[9].title)}" in joined
    # the English page is as before, and offers French
    english = landing_html(None, access_code=False)
    assert english.startswith('<!doctype html><html lang="en" dir="ltr">')
    assert '<button name="lang" value="fr" lang="fr" dir="ltr">Français</button>' in english
    assert "Your code" in english


def test_a_preview_language_says_so_and_a_right_to_left_one_turns_the_page(monkeypatch):
    monkeypatch.setattr(i18n, "languages", lambda: ["en", "fr", "ar"])
    monkeypatch.setattr(i18n, "preview_languages", lambda: ["ar"])
    with i18n.language("ar"):
        text = landing_html(None, access_code=False)
    assert text.startswith('<!doctype html><html lang="ar" dir="rtl">')
    assert 'value="ar" lang="ar" dir="rtl">' not in text  # the current one: not a button
    # a preview says so in its own words when they are translated, else in English
    with i18n.language("ar"):
        note = html.escape(i18n._("preview: not complete"))
    assert f'lang="ar" dir="rtl">العربية ({note})</b>' in text
    english = landing_html(None, access_code=False)
    assert f'<button name="lang" value="ar" lang="ar" dir="rtl">العربية ({note})</button>' \
        in english
    # the room's own rules read well right to left: no left or right margins, borders or
    # alignment
    css = page("x", "<p>x</p>")
    assert not re.search(r"(margin|padding|border)-(left|right)\s*:|text-align:\s*(left|right)"
                         r"|(padding|margin):\s*[\w.-]+ [\w.-]+ [\w.-]+ [\w.-]+;", css)


def test_the_host_page_in_french(tmp_path, monkeypatch):
    room = tmp_path / "room"
    monkeypatch.setenv(LEARNER_ENV, "participant:amina-k")
    example_workbook(Workbook.open(room / "participants" / "amina-k.json", siblings=False),
                     country="ETH")
    monkeypatch.setenv(LEARNER_ENV, "participant:tomas")
    example_workbook(Workbook.open(room / "participants" / "tomas.json", siblings=False),
                     country="NPL")
    workshop = Workshop.load(room)
    workshop.form_mixed(3, profiles(room), 2)
    workshop.start_timer(3, 20)
    workshop.save()
    with i18n.language("fr"):
        text = host_html(room, RoomSettings(room, path="one-day"), live=3, connected=2)
    assert text.startswith('<!doctype html><html lang="fr" dir="ltr">')
    shown = visible(text)
    assert not english_in(shown, ENGLISH_HOST), english_in(shown, ENGLISH_HOST)
    assert "Page de l'animateur" in shown and "2 participants" in shown
    assert '<input type="hidden" name="back" value="/host">' in text  # the host's choice
    assert "Travail en groupes après le module 3" in shown and "Groupe 1" in shown
    assert "Éthiopie" in shown and "Népal" in shown  # country names in French
    assert "Compte à rebours\u00a0: il reste 20:00." in shown
    # what the host stored stays language-neutral: the groups' names and how they were made
    stored = json.loads((room / "workshop.json").read_text(encoding="utf-8"))
    assert stored["names"] == {"g1": "Group 1", "g2": "Group 2"}
    assert stored["breakouts"]["3"]["how"] == "mixed by country and field"


def test_the_countdown_and_the_apps_words_come_in_the_pages_language():
    with i18n.language("fr"):
        attributes = language.clock_attributes()
        texts = language.app_texts()
    assert 'data-t-left="{label}\u00a0: il reste {time}"' in attributes
    assert 'data-t-group="Travail de groupe\u00a0: {group}"' in attributes
    assert texts["preparing"] == "Préparation de votre exercice…"
    assert texts["all_modules"] == "Tous les modules"
    with i18n.language("fr"):
        note = snapshot_block("<p>x</p>")
    assert "Connexion à votre exercice" in note
    # the clock's own script has no words of its own: they come from the page
    from digit4sd_widgets.serve.server import CLOCK_JS

    code = re.sub(r"//[^\n]*", "", CLOCK_JS)
    words = {w for w in re.findall(r"'([^'\n]*)'", code) if re.search(r"[A-Za-z] ", w)}
    assert words == {"use strict"}, words


def test_an_error_page_speaks_the_readers_language():
    class Handler:
        settings: ClassVar[dict] = {"d4_lang": "fr"}
        sent = ""

        def get_cookie(self, name):
            return None

        def get_secure_cookie(self, *a, **k):
            return None

        def clear(self): ...
        def set_status(self, status): ...
        def set_header(self, *a): ...

        def finish(self, text):
            Handler.sent = text

    plain_error(Handler(), 404)
    assert '<html lang="fr"' in Handler.sent and "Cette page n'existe pas." in visible(Handler.sent)


# ------------------------------------------------------------------ the room's language
def test_the_room_language_comes_from_the_command_line(tmp_path):
    from digit4sd_widgets.cli import build_parser

    assert build_parser().parse_args(["serve", "--lang", "fr"]).lang == "fr"
    assert build_parser().parse_args(["serve"]).lang == "en"
    assert RoomSettings(tmp_path, lang="fr").lang == "fr"
    assert RoomSettings(tmp_path, lang="fr-FR").lang == "fr"
    assert RoomSettings(tmp_path).lang == "en"
    with pytest.raises(ValueError, match="xx"):
        RoomSettings(tmp_path, lang="xx")
    # kernels wait for the apps of the room's language only
    others = [lang for lang in language.offered() if lang not in ("en", "fr")]
    assert sorted(preheat_denylist(RoomSettings(tmp_path))) == sorted(
        ["^fr/"] + [f"^{o}/" for o in others])
    assert preheat_denylist(RoomSettings(tmp_path, lang="fr")) == [
        *(f"^{o}/" for o in others), "^m[0-9]_", "^group_work[.]ipynb$"]


def test_a_language_is_taken_only_if_the_room_offers_it():
    assert language.choose(None, "fr-CA", default="en") == "fr"
    assert language.choose("xx", "<b>", None, default="fr") == "fr"
    assert language.choose(default="zz") == "en"
    assert language.from_cookie_header('d4_lang=fr; d4_participant="x|1"') == "fr"
    for forged in ("d4_lang=xx", "d4_lang=../fr", 'd4_lang="fr<script>"', "garbage;;==", None):
        assert language.from_cookie_header(forged) is None


# ----------------------------------------------------------------------------- kernel
def test_the_kernel_speaks_the_participants_language(tmp_path, monkeypatch):
    secret = room_mod.cookie_secret(tmp_path)
    monkeypatch.setenv(room_mod.ROOM_ENV, str(tmp_path))
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.delenv(i18n.ENV, raising=False)
    monkeypatch.delenv(language.ROOM_LANG_ENV, raising=False)
    monkeypatch.setattr(room_mod, "_warm_up", lambda: None)
    # the language chosen on the start page (its cookie)
    monkeypatch.setenv("HTTP_COOKIE", _signed_cookie(secret, "amina-k") + "; d4_lang=fr")
    assert room_mod.join() == "amina-k" and i18n.get_language() == "fr"
    # no cookie: the participant's workbook
    monkeypatch.setenv(LEARNER_ENV, "participant:tomas")
    Workbook.open(tmp_path / "participants" / "tomas.json", siblings=False).set_language("fr")
    i18n.set_language(None)
    monkeypatch.setenv("HTTP_COOKIE", _signed_cookie(secret, "tomas"))
    assert room_mod.join() == "tomas" and i18n.get_language() == "fr"
    # neither: the page's own (a French app), else the room's
    i18n.set_language(None)
    monkeypatch.setenv("HTTP_COOKIE", _signed_cookie(secret, "li-wei"))
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/fr/m1_getting_started/1_2_objectives.ipynb")
    assert room_mod.join() == "li-wei" and i18n.get_language() == "fr"
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/m1_getting_started/1_2_objectives.ipynb")
    assert room_mod.join() == "li-wei" and i18n.get_language() == "en"
    monkeypatch.delenv("SCRIPT_NAME")
    monkeypatch.setenv(language.ROOM_LANG_ENV, "fr")
    assert room_mod.join() == "li-wei" and i18n.get_language() == "fr"
    assert ENV_VAR in __import__("os").environ


# ------------------------------------------------------------------------------- apps
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    room = tmp_path_factory.mktemp("lang") / "room"
    prepare_room(RoomSettings(room, path="one-day"))
    return room / "apps"


def test_the_apps_of_every_language_link_to_each_other_in_that_language(built):
    sub = next(s for s in SUBMODULES if s.id == "2.3")
    english = nbformat.read(built / sub.path, as_version=4)
    french = nbformat.read(built / "fr" / sub.path, as_version=4)
    assert english.metadata["d4"]["prev"]["path"] == "m1_getting_started/1_1_background.ipynb"
    assert french.metadata["d4"]["prev"]["path"] == "fr/m1_getting_started/1_1_background.ipynb"
    assert french.metadata["d4"]["next"]["id"] == "3.1", "the one-day path, in French too"
    assert (french.metadata["d4"]["lang"], french.metadata["d4"]["dir"]) == ("fr", "ltr")
    assert french.metadata["d4"]["group"] == "fr/group_work.ipynb"
    assert french.metadata["d4"]["text"]["preparing"] == "Préparation de votre exercice…"
    assert english.metadata["d4"]["text"]["preparing"] == "Preparing your exercise..."
    with i18n.language("fr"):
        assert french.metadata["title"] == f"2.3 {sub.title}"
        assert french.metadata["d4"]["next"]["title"] == str(SUBMODULES[8].title)
    group = nbformat.read(built / "fr" / "group_work.ipynb", as_version=4)
    assert group.cells[1].source.startswith("# Travail de groupe")
    assert group.metadata["d4"]["lang"] == "fr"
    # the same apps, cell for cell: only the words differ
    assert [c.cell_type for c in english.cells] == [c.cell_type for c in french.cells]
    assert [c.source for c in english.cells if c.cell_type == "code"] == \
        [c.source for c in french.cells if c.cell_type == "code"]


def test_the_snapshot_is_drawn_in_the_participants_language(built, tmp_path):
    app = tmp_path / "app.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import ipywidgets as w\nfrom digit4sd_widgets import i18n\n"
        "w.HTML(f'<b>{i18n.get_language()}</b>')")])
    nbformat.write(nb, app)
    assert "<b>fr</b>" in render_app(str(app), "", "amina", "fr")
    assert "<b>en</b>" in render_app(str(app), "", "amina")
    assert i18n.get_language() == "en", "the worker's language is the page's alone"
    drawn = render_app(str(built / "fr" / "m3_planning_analysis" / "3_2_stakeholders.ipynb"),
                       "", "amina", "fr")
    assert "Matrice des parties prenantes" in drawn


# ------------------------------------------------------------------- a real French room
@pytest.fixture(scope="module")
def french_room(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-fr")
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp / "room"), "--pool", "0", "--lang", "fr"]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp, log=tmp / "serve.log"):
        yield base, tmp / "room", tmp / "serve.log"


def _lang_cookie(client: Client) -> str | None:
    return next((c.value for c in client.jar if c.name == language.COOKIE), None)


@pytest.mark.slow
def test_a_french_room_greets_in_french_and_each_participant_chooses(french_room):
    base, room, _ = french_room
    me = Client(base)
    status, text, _ = me.request("/")
    assert status == 200 and text.startswith('<!doctype html><html lang="fr" dir="ltr">')
    assert "Votre code" in text and not english_in(visible(text), ENGLISH_START)
    # the participant chooses English: a cookie, and the pages in English
    status, _, headers = me.request("/lang", {"lang": "en"})
    assert status == 302 and _lang_cookie(me) == "en"
    assert "HttpOnly" in headers.get("Set-Cookie", "")
    status, text, _ = me.request("/")
    assert '<html lang="en" dir="ltr">' in text and "Your code" in text
    # joined: the workbook keeps the choice
    assert me.request("/join", {"code": "amina-k"})[0] == 302
    doc = json.loads((room / "participants" / "amina-k.json").read_text(encoding="utf-8"))
    assert doc["lang"] == "en"
    # on another computer, the same code finds its language in the workbook
    other = Client(base)
    assert other.request("/join", {"code": "amina-k"})[0] == 302
    assert _lang_cookie(other) == "en"
    assert "You are <b>amina-k</b>" in other.request("/")[1]
    # back to French: the cookie and the workbook follow
    assert me.request("/lang", {"lang": "fr"})[0] == 302 and _lang_cookie(me) == "fr"
    doc = json.loads((room / "participants" / "amina-k.json").read_text(encoding="utf-8"))
    assert doc["lang"] == "fr"
    status, text, _ = me.request("/")
    assert "Vous êtes <b>amina-k</b>" in text
    assert len(re.findall(r'href="voila/render/fr/', text)) == len(SUBMODULES)
    # a forged or unknown language is nobody's: the room's own
    forged = Client(base)
    status, text, _ = forged.request("/", headers={"Cookie": "d4_lang=xx"})
    assert '<html lang="fr"' in text
    assert forged.request("/lang", {"lang": "xx"})[0] == 400


@pytest.mark.slow
def test_changing_language_is_a_state_change_from_the_rooms_own_pages(french_room):
    base, room, _ = french_room
    me = Client(base)
    me.request("/join", {"code": "tomas"})
    before = json.loads((room / "participants" / "tomas.json").read_text(encoding="utf-8"))
    for headers in ({}, {"Origin": "http://evil.example"}, {"Referer": "http://evil.example/"}):
        status, _, _ = me.request("/lang", {"lang": "en"}, origin=False, headers=headers)
        assert status == 403, headers
    assert _lang_cookie(me) == before["lang"] == "fr"
    after = json.loads((room / "participants" / "tomas.json").read_text(encoding="utf-8"))
    assert after.get("lang") == "fr"
    # from the room's own pages: back to the page it was chosen on, never elsewhere
    assert me.request("/lang", {"lang": "fr", "back": "/host"})[2]["Location"] == "/host"
    for elsewhere in ("//evil.example/", "http://evil.example/", "/voila/render/x"):
        assert me.request("/lang", {"lang": "fr", "back": elsewhere})[2]["Location"] == "/"


@pytest.mark.slow
def test_a_french_participant_gets_the_french_apps(french_room):
    base, _, _ = french_room
    me = Client(base)
    me.request("/join", {"code": "li-wei"})
    english = "/voila/render/m3_planning_analysis/3_2_stakeholders.ipynb"
    status, _, headers = me.request(english)
    assert status == 302
    assert headers["Location"] == "/voila/render/fr/m3_planning_analysis/3_2_stakeholders.ipynb"
    status, text, _ = me.request(headers["Location"], timeout=180)
    assert status == 200
    assert '<html lang="fr" dir="ltr">' in text
    assert "Préparation de votre exercice…" in text and "Tous les modules" in text
    assert 'data-t-left="{label}\u00a0: il reste {time}"' in text
    assert 'href="/voila/render/fr/m3_planning_analysis/3_3_indicators.ipynb"' in text
    shown = visible(text.split('<div id="rendered_cells"')[0])
    assert not english_in(shown, ENGLISH_APP), english_in(shown, ENGLISH_APP)
    # choosing English sends the same participant to the English apps
    me.request("/lang", {"lang": "en"})
    status, _, headers = me.request("/voila/render/fr/m3_planning_analysis/3_2_stakeholders"
                                    ".ipynb")
    assert status == 302 and headers["Location"] == english


@pytest.mark.slow
def test_the_host_page_and_the_countdown_in_the_rooms_language(french_room):
    base, _, log = french_room
    key = re.search(r"/host\?key=(\S+)", log.read_text(encoding="utf-8")).group(1)
    host = Client(base)
    status, text, _ = host.request(f"/host?key={key}")
    assert status == 200 and '<html lang="fr" dir="ltr">' in text
    assert not english_in(visible(text), ENGLISH_HOST), english_in(visible(text), ENGLISH_HOST)
    status, _, _ = host.request("/host/breakout/3", {"action": "start", "minutes": "10"})
    assert status == 302
    status, text, _ = host.request("/room/api/clock")
    assert json.loads(text)["label"] == "Travail en groupes après le module 3"
    status, text, _ = host.request("/host/breakout/3", {"action": "start", "minutes": "x"})
    assert status == 400 and "Indiquez les minutes" in text


@pytest.mark.slow
def test_language_changes_come_at_a_human_pace(french_room):
    base, _, _ = french_room
    me = Client(base)
    seen = [me.request("/lang", {"lang": "en" if i % 2 else "fr"})[0] for i in range(25)]
    assert seen[0] == 302 and 429 in seen
