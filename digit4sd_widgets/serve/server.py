"""``digit4sd serve``: the course as read-only Voila apps for a workshop room.

One laptop, a room of 20-60 participants, often no internet. The server is Voila (its app,
kernels and widget protocol) with the room around it:

- a start page listing the six modules and their submodules in course order, with the
  two-day workshop path, where a participant enters a short code and is then known by a
  cookie (no accounts);
- every app works on that participant's workbook (``<room>/participants/<code>.json``), so
  a refresh, a closed browser or a culled kernel loses nothing; participants download their
  dossier;
- a host page (a key printed at start) with every participant's workbook, dossier and
  progress per module, the toolkit feedback, the breakout groups after the core modules (mixed
  by country and field, or placed by hand, each with its moderator and its shared work:
  :mod:`.workshop`, :mod:`.groupwork`), the breakout's countdown that every page shows, and
  the plenary: any group's or participant's work as a screen for the projector
  (:mod:`.plenary`);
- the two-day path of the course, or the one-day path (``--one-day``) on the start page;
- every page, app and kernel in the participant's language: chosen on the start page, kept
  in a cookie and in their workbook, else the room's own (``--lang``); the apps of every
  language are built (:mod:`.language`);
- capacity: preheated kernels, idle kernels culled, a cap on live sessions with a "room is
  full, retry in a moment" page; kernel shutdown on page close works (Voila's own is refused
  for a missing xsrf token);
- read-only and offline: only the apps and their assets are served, no code, no tracebacks,
  no CDN; the browser can only send widget messages to a kernel (Voila's message filter).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import csv
import html
import io
import json
import os
import secrets
import socket
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from .. import i18n
from ..atomic import spreadsheet_safe, write_atomic
from ..course import MODULES, SUBMODULES
from ..course.apps import SHARE, TEMPLATE
from ..course.map import PATHS, WorkshopPath
from ..i18n import N_, _, ngettext
from ..workbook import SET_ASIDE, is_set_aside
from . import hostpages, language, plenary
from .gate import (
    JoinLimiter,
    Owners,
    RateLimit,
    check_access_code,
    new_access_code,
    same_access_code,
)
from .groupwork import GROUP_APP, group_app_cells
from .pages import PageTracker
from .room import COOKIE, COOKIE_DAYS, ROOM_ENV, cookie_secret, participant_code, workbook_path
from .snapshot import MARK, Snapshots, snapshot_block
from .warm import Warmer, WarmPlan, capacity, free_mib
from .workshop import (
    CORE,
    GROUPS_DIR,
    Workshop,
    participant_files,
    profiles,
    read_doc,
    set_participant_language,
    start_group_workbooks,
    start_participant,
)

DEFAULT_ROOM = Path("digit4sd-room")
HOST_COOKIE = "d4_host"
EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]

PLENARY_KINDS = {  # exercises worth showing to the whole room (shown through ``_()``)
    "implementation_canvas": N_("Implementation canvas"),
    "stakeholder_matrix": N_("Stakeholder matrix"),
    "kpi_builder": N_("Key performance indicators"),
    "prioritisation_matrix": N_("Prioritisation matrix"),
}
#: the word of each kind on the host's participants table ("show: canvas · matrix ...")
PLENARY_SHORT = {
    "implementation_canvas": N_("canvas"),
    "stakeholder_matrix": N_("stakeholders"),
    "kpi_builder": N_("KPIs"),
    "prioritisation_matrix": N_("priorities"),
}

__all__ = ["RoomSettings", "serve", "voila_config"]


# ------------------------------------------------------------------------------ settings
class RoomSettings:
    """What the host chose: where the room keeps its files, who may come in, capacity."""

    def __init__(self, room: Path = DEFAULT_ROOM, *, host: str = "127.0.0.1",
                 port: int = 8866, access_code: str | None = None, pool: int = 1,
                 max_sessions: int = 80, cull_minutes: float = 20.0,
                 host_key: str | None = None, grace_seconds: float = 60.0,
                 expect: int = 0, first: str | None = None, path: str | None = None,
                 lang: str | None = None):
        self.room = Path(room).expanduser().resolve()
        #: the room's language: pages are in it until a participant chooses another
        self.lang = language.checked(lang) if lang else i18n.SOURCE
        if self.lang is None:
            raise ValueError(_("The room cannot be served in {lang}: use one of {offered}.")
                             .format(lang=lang, offered=", ".join(language.offered())))
        self.host = host
        self.port = port
        if access_code and access_code.strip().lower() == "auto":
            access_code = new_access_code()
        #: ValueError with a message for the host when the code is too short to be safe
        self.access_code = check_access_code(access_code) if access_code else None
        self.pool = max(0, pool)
        self.max_sessions = max(1, max_sessions)
        self.cull_minutes = cull_minutes
        #: a kernel whose page has had no websocket this long is stopped (its work is saved)
        self.grace_seconds = max(1.0, float(grace_seconds))
        self.host_key = host_key or secrets.token_urlsafe(9)
        #: participants expected at once, and the app they open first (a submodule id)
        self.expect = max(0, int(expect))
        if path is not None and path not in PATHS:
            raise ValueError(_("There is no workshop path {name}: use one of {names}.").format(
                name=repr(path), names=", ".join(PATHS)))
        #: the shortened path the room follows (None: the whole course, over two days)
        self.path: WorkshopPath | None = PATHS[path] if path else None
        if first is not None and first not in {s.id for s in SUBMODULES}:
            raise ValueError(_("There is no submodule {id}: use an id such as 1.1 or 3.2.")
                             .format(id=first))
        self.first = first or (self.order()[0] if self.expect else None)

    def order(self) -> list[str]:
        """The submodules in the order the room takes them: the path's, then the others."""
        ids = [s.id for s in SUBMODULES]
        if self.path is None:
            return ids
        first = self.path.order()
        return first + [i for i in ids if i not in first]

    @property
    def apps(self) -> Path:
        return self.room / "apps"

    @property
    def languages(self) -> list[str]:
        """The languages whose apps the room serves: every offered one."""
        return language.offered()

    @property
    def participants(self) -> Path:
        return self.room / "participants"


def voila_config(settings: RoomSettings):
    """The traitlets configuration of Voila for the room."""
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = settings.host
    c.Voila.port = settings.port
    c.Voila.port_retries = 0
    c.Voila.open_browser = False
    c.Voila.root_dir = str(settings.apps)
    c.Voila.tornado_settings = {
        "cookie_secret": cookie_secret(settings.room),
        # a room shares one Wi-Fi: compress, and let returning browsers keep the scripts
        # (the widget extensions' file names carry a content hash)
        "compress_response": True,
        "static_immutable_cache": ["/voila/labextensions/"],
        # the room's folder and language, for the language of each request
        "d4_room": str(settings.room),
        "d4_lang": settings.lang,
    }
    c.Voila.mathjax_url = ""
    vc = c.VoilaConfiguration
    vc.template = TEMPLATE
    vc.theme = "light"
    # only the room's own template and theme, whatever a URL asks for
    vc.allow_template_override = "NO"
    vc.allow_theme_override = "NO"
    vc.strip_sources = True
    vc.show_tracebacks = False
    vc.extension_allowlist = EXTENSIONS
    vc.http_header_envs = ["Cookie"]
    vc.file_allowlist = [r".*\.(png|jpg|gif|svg)"]
    vc.preheat_kernel = settings.pool > 0
    vc.default_pool_size = settings.pool
    # kernels wait for the apps of the room's language; the others start when opened
    c.VoilaKernelManager.preheat_denylist = preheat_denylist(settings)
    vc.show_margins = True
    # Voila's front end under a URL that names its version, kept by browsers for good: a
    # returning participant's page asks for none of its 70 files again
    vc.resources = {"d4_static": STATIC_TAG}
    c.VoilaKernelManager.fill_delay = 0.5
    # under load a cell's last output can arrive long after the cell ends (seen: over 30 s
    # with 60 arrivals and cold kernels); Voila would serve the page without it (an app with
    # no widget): a participant who sees their snapshot rather waits for the live widget
    c.VoilaExecutor.iopub_timeout = 120
    # kernels of closed pages are stopped after a while; pooled kernels are kept
    c.MappingKernelManager.cull_idle_timeout = int(settings.cull_minutes * 60)
    c.MappingKernelManager.cull_interval = 30
    c.MappingKernelManager.cull_connected = False
    return c


def preheat_denylist(settings: RoomSettings) -> list[str]:
    """The apps Voila keeps no kernel waiting for: those of the languages other than the
    room's (English apps sit at the top of the apps folder, the others in a folder each).

    >>> denied = preheat_denylist(RoomSettings(lang="fr"))
    >>> "^fr/" in denied, denied[-2:]
    (False, ['^m[0-9]_', '^group_work[.]ipynb$'])
    """
    denied = [f"^{lang}/" for lang in settings.languages
              if lang not in (settings.lang, i18n.SOURCE)]
    if settings.lang != i18n.SOURCE:
        denied += ["^m[0-9]_", f"^{GROUP_APP.replace('.', '[.]')}$"]
    return denied


# --------------------------------------------------------------------------------- pages
#: tables as cards on narrow screens, as in the exercises and the dossier
TABLES_CSS = (Path(__file__).parent.parent / "share" / "tables.css").read_text(encoding="utf-8")
_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
       sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem;
       color: #1d252c; line-height: 1.45; }
header { background: #1f4e79; color: #fff; margin: -1rem -1.5rem 1rem; padding: 1rem 1.5rem; }
header h1 { margin: 0; font-size: 1.5rem; } header p { margin: 0.3rem 0 0; }
a { color: #1f4e79; } header a { color: #fff; }
.modules { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
           gap: 0.8rem; }
.module { border: 1px solid #c9d3da; border-radius: 6px; padding: 0.6rem 0.9rem; }
.module h3 { margin: 0.2rem 0 0.4rem; font-size: 1.05rem; }
.module ol { margin: 0; padding-inline-start: 1.2rem; }
.day { font-size: 0.8rem; background: #e7eef4; border-radius: 3px; padding: 0 0.3rem; }
.core { background: #fde68a; }
form.join { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: end; margin: 1rem 0; }
form.join label { display: flex; flex-direction: column; font-size: 0.9rem; }
input { font-size: 1.1rem; padding: 0.3rem 0.5rem; }
button { font-size: 1.05rem; padding: 0.35rem 1rem; }
.error { color: #9f1239; font-weight: bold; }
.ready { background: #e7f4ea; border-inline-start: 4px solid #2e8540;
         padding: 0.4rem 0.8rem; }
.warm { border: 1px solid #c9d3da; border-radius: 6px; padding: 0 0.9rem 0.6rem;
        margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #c9d3da;
        padding: 0.3rem 0.5rem; text-align: start; vertical-align: top; }
.plenary { font-size: 1.35rem; } .plenary table { font-size: 1.2rem; }
.breakout { border: 1px solid #c9d3da; border-radius: 6px; padding: 0 0.9rem 0.6rem;
            margin: 0 0 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center;
           margin: 0.4rem 0; }
.actions form { margin: 0; }
.d4-progress td.done { background: #e7f4ea; font-weight: bold; }
.group { background: #fff7e0; border-inline-start: 4px solid #b45309;
         padding: 0.4rem 0.8rem; }
.d4-lang { display: flex; flex-wrap: wrap; gap: 0.3rem 0.6rem; align-items: center;
           margin: 0.6rem 0 0; }
.d4-lang button { font-size: 1rem; padding: 0.2rem 0.7rem; }
.d4-lang-now { background: #fff; color: #1f4e79; border-radius: 3px; padding: 0.15rem 0.6rem; }
ol.path li { margin-bottom: 0.3rem; }
.d4-clock { font-weight: bold; background: #fff; color: #1f4e79; border-radius: 3px;
            padding: 1px 8px; display: inline-block; margin-top: 0.3rem; }
[hidden] { display: none !important; }
.d4-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
         white-space: nowrap; }
.plenary dd { white-space: pre-wrap; margin: 0 0 0.6rem; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible {
  outline: 3px solid #b45309; outline-offset: 2px; }
main { overflow-wrap: anywhere; } img { max-width: 100%; height: auto; }
@media (pointer: coarse), (max-width: 720px) {
  input, button, select { min-height: 44px; }
  .module li a { display: block; padding: 0.55rem 0; }
  table.d4-table a, header a, main > p > a { display: inline-block; padding: 0.55rem 0; }
  .d4-lang button { min-height: 44px; }
}
/* narrow screens (the participants' table becomes cards: tables.css) */
@media (max-width: 720px) {
  body { padding: 0.75rem; } header { margin: -0.75rem -0.75rem 1rem; padding: 0.9rem; }
  .plenary { font-size: 1.1rem; } .plenary table { font-size: 1rem; }
  .warm select, .warm input { max-width: 100%; }
}
"""


#: the breakout countdown of the room's bar (the apps' template has the same script)
CLOCK_JS = (SHARE / "voila" / "templates" / TEMPLATE / "clock.js").read_text(encoding="utf-8")


def clock_html() -> str:
    """Where the countdown shows in a room page's header (``clock.js`` fills it in, with the
    words its attributes give in the page's language)."""
    return (f'<div id="d4-clock" class="d4-clock" role="timer" hidden data-base="/" '
            f"{language.clock_attributes()}></div>"
            '<div id="d4-clock-say" class="d4-sr" role="status"></div>')


def page(title: str, body: str, *, refresh: int | None = None, clock: bool = False) -> str:
    """A room page in the current language: a leading ``<header>`` of ``body`` is the page's
    banner, the rest its main content (landmarks that a screen reader jumps between);
    ``clock``: the breakout's countdown shows in the banner."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    banner = ""
    if body.startswith("<header>"):
        banner, _end, body = body.partition("</header>")
        banner += (clock_html() if clock else "") + "</header>"
    script = f"<script>{CLOCK_JS}</script>" if clock else ""
    lang = i18n.get_language()
    return (f'<!doctype html><html lang="{lang}" dir="{i18n.direction(lang)}"><head>'
            '<meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{meta}'
            f"<title>{html.escape(title)}</title><style>{_CSS}{TABLES_CSS}</style></head>"
            f"<body>{banner}<main>{body}</main>{script}</body></html>")


def app_url(sub) -> str:
    """The address of a submodule's app in the current language's apps."""
    return app_url_of(sub.path)


def _code_in(text: str, **codes: str) -> str:
    """``text`` escaped, with each ``{name}`` replaced by ``<code>`` of its value."""
    out = html.escape(text)
    for name, value in codes.items():
        out = out.replace("{" + name + "}", f"<code>{html.escape(value)}</code>")
    return out


def path_html(path: WorkshopPath | None, links: bool) -> str:
    """The workshop path: the two days of the course, or a shortened path step by step with
    the reason for each step (links to the apps for a participant who joined)."""
    e = html.escape
    if path is None:
        day_path = []
        for day, label in ((1, _("Day 1: fundamentals and planning")),
                           (2, _("Day 2: implementation, monitoring and the way forward"))):
            mods = [m for m in MODULES if m.day == day]
            modules = ", ".join(f"{m.number} {m.title}" for m in mods)
            day_path.append("<li>" + e(_("{day}: {modules}")).format(
                day=f"<b>{e(label)}</b>", modules=e(modules)) + "</li>")
        days = _("Two days. A breakout in groups follows each core module (3, 4 and 5).")
        return ("<h2>" + e(_('The workshop path')) + f"</h2><p>{e(days)}</p>"
                "<ul>" + "".join(day_path) + "</ul>")
    subs = {s.id: s for s in SUBMODULES}
    steps = []
    for step in path.steps:
        sub = subs[step.submodule]
        name = f"{sub.id} {e(sub.title)}"
        name = f'<a href="{app_url(sub)}">{name}</a>' if links else name
        after = ("<br><i>{}</i>".format(e(_("Then the breakout in groups after module {number}.")
                                          .format(number=step.breakout)))
                 if step.breakout else "")
        steps.append("<li>" + e(_("{step}: {why}")).format(step=f"<b>{name}</b>",
                                                           why=e(step.why)) + f"{after}</li>")
    title = _("The workshop path: {name}").format(name=path.title)
    return (f"<h2>{e(title)}</h2>"
            f"<p>{e(path.summary)}</p>"
            f'<ol class="path">{"".join(steps)}</ol>')


def group_html(groups: list) -> str:
    """Where a participant finds their breakout group(s) on the start page."""
    if not groups:
        return ""
    e = html.escape
    module, group = groups[0]
    parts = [e(_("You are in {group} for the breakout after module {number}.")).format(
        group=f"<b>{e(group.name)}</b>", number=module)]
    if group.moderator:
        parts.append(e(_("Your moderator is {name}.")).format(
            name=f"<b>{e(group.moderator)}</b>"))
    parts += [e(_("You were also in {group} after module {number}.").format(group=g.name,
                                                                           number=m))
              for m, g in groups[1:]]
    label = e(_("Open your group's work"))
    link = f'<a href="{app_url_of(GROUP_APP)}">{label}</a>'
    return f'<p class="group">{" ".join(parts)} {link}</p>'


def app_url_of(path: str) -> str:
    """The address of an app (its English path) in the current language's apps."""
    return f"voila/render/{language.app_path(path, i18n.get_language())}"


def landing_html(code: str | None, *, access_code: bool, error: str = "",
                 ready: str = "", path: WorkshopPath | None = None,
                 groups: list | None = None) -> str:
    """The start page, in the current language: the choice of language, the course map,
    the workshop path (``path``: a shortened one), the participant's breakout group(s) and
    the join form."""
    e = html.escape
    head = ("<header><h1>" + e(_('DIGIT4SD: digital government for the SDGs')) + "</h1>"
            "<p>" + e(_('The course as apps for this workshop. Nothing needs the internet.')) +
            f"</p>{language.choice_html(i18n.get_language())}</header>")
    if ready:
        head += f'<p class="ready" role="status">{e(ready)}</p>'
    if code:
        who = ("<p>" + e(_("You are {code}. Your answers are saved as you work.")).format(
                   code=f"<b>{e(code)}</b>")
               + ' <a href="me/dossier.html">' + e(_("Download my dossier")) + '</a> · '
               '<a href="me/workbook.json">' + e(_("my workbook file")) + '</a> · '
               '<a href="leave">' + e(_("not you?")) + '</a></p>'
               "<p>" + _code_in(_("To go on after the workshop in your own copy of the course, "
                                  "keep your workbook file: the command {command} with that "
                                  "file opens the course with your answers in it."),
                                command="digit4sd lab")
               + "</p>" + group_html(groups or []))
    else:
        extra = ('<label>' + e(_("Room code (from your host)")) + '<input name="access" required '
                 'autocomplete="off"></label>') if access_code else ""
        msg = f'<p class="error">{e(error)}</p>' if error else ""
        who = (f"{msg}<p>"
               + e(_("Enter a short code you will remember (your name or initials, letters, "
                     "digits and dashes). Use the same code on any computer to find your work "
                     "again."))
               + "</p>"
               '<form class="join" method="post" action="join">'
               '<label>' + e(_("Your code")) + '<input name="code" required minlength="2" '
               'maxlength="24" autocomplete="off" autofocus></label>'
               f'{extra}<button type="submit">' + e(_("Start")) + '</button></form>')
    cards = []
    core = e(_("core"))
    for m in MODULES:
        items = "".join(
            (f'<li><a href="{app_url(s)}">{s.id} {e(s.title)}</a></li>' if code
             else f"<li>{s.id} {e(s.title)}</li>") for s in m.submodules)
        badge = f'<span class="day core">{core}</span>' if m.core else ""
        day = '<span class="day">' + e(_("day {number}").format(number=m.day)) + '</span> '
        cards.append(f'<div class="module" data-module="{m.number}"><h3>{m.number}. '
                     f"{e(m.title)} {day if path is None else ''}{badge}"
                     f"</h3><ol>{items}</ol></div>")
    return page(_("DIGIT4SD course"), head + who + path_html(path, links=bool(code))
                + "<h2>" + e(_('The course')) + "</h2><div class=\"modules\">" + "".join(cards)
                + "</div>", clock=True)


def full_html(retry: int) -> str:
    e = html.escape
    return page(_("The room is full"), (
        "<header><h1>" + e(_('The room is full right now')) + "</h1></header>"
        "<p>" + e(ngettext("Too many pages are open at once on this computer. This page tries "
                           "again by itself in {n} second; your work is saved.",
                           "Too many pages are open at once on this computer. This page tries "
                           "again by itself in {n} seconds; your work is saved.", retry)
                  .format(n=retry)) + "</p>"
        '<p><a href="">' + e(_("Try again now")) + '</a> · '
        '<a href="/">' + e(_("All modules")) + '</a></p>'), refresh=retry)


# ---------------------------------------------------------------------- reading the room
_read_doc = read_doc


def open_readonly(path: Path):
    """A participant's workbook, read without touching the file (``None`` if unreadable)."""
    from ..workbook import Workbook

    doc = _read_doc(path)
    return None if doc is None else Workbook(None, doc, [])


_participant_files = participant_files


def room_warnings(room: Path) -> list[str]:
    """What the host should know about the participants' files, in plain words."""
    warnings = []
    own = set(_participant_files(room))
    for path in sorted((room / "participants").glob("*.json")):
        if is_set_aside(path):
            code = path.name.split(".", 1)[0]
            if f".{SET_ASIDE['foreign']}-" in path.name:
                text = _("{file}: another learner's workbook found in this participant's "
                         "place (participant {code}); it was kept, unchanged, in the "
                         "participants folder. Nothing of it was lost.")
            else:
                text = _("{file}: a damaged workbook (participant {code}); it was kept, "
                         "unchanged, in the participants folder. Nothing of it was lost.")
            warnings.append(text.format(file=path.name, code=code))
        elif path in own and _read_doc(path) is None:
            warnings.append(_("{file}: this workbook cannot be read right now; the "
                              "participant is told when they next open an exercise.")
                            .format(file=path.name))
    return warnings


def participants(room: Path) -> list[dict[str, Any]]:
    """One row per participant workbook in the room, newest first."""
    rows = []
    for path in _participant_files(room):
        doc = _read_doc(path)
        if doc is None:
            rows.append({"code": path.stem, "updated": "", "answers": 0, "country": "",
                         "target_area": "", "readable": False})
            continue
        case = doc.get("case") or {}
        rows.append({"code": path.stem, "updated": str(doc.get("updated", ""))[:19],
                     "answers": len(doc.get("answers") or {}),
                     "country": case.get("country") or "",
                     "target_area": case.get("target_area") or "", "readable": True})
    rows.sort(key=lambda r: r["updated"], reverse=True)
    return rows


def feedback_rows(room: Path) -> list[dict[str, Any]]:
    """The toolkit feedback every participant gave (the 6.3 form), one row each."""
    from ..exercises import EXERCISES

    model_class = EXERCISES["toolkit_feedback"][0]
    rows = []
    for path in _participant_files(room):
        doc = _read_doc(path)
        if doc is None:
            continue
        for entry in (doc.get("answers") or {}).values():
            if entry.get("kind") != "toolkit_feedback":
                continue
            try:
                model = model_class.from_dict(entry.get("data"))
            except Exception:
                continue
            row = {"participant": path.stem, **model.to_dict()}
            rows.append(row)
    return rows


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_flatten(v) for v in value)
    return "" if value is None else str(value)


def feedback_csv(room: Path) -> str:
    rows = feedback_rows(room)
    columns = sorted({k for r in rows for k in r} - {"participant"})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("participant"), *columns])
    for r in rows:
        writer.writerow([spreadsheet_safe(r["participant"]),
                         *(spreadsheet_safe(_flatten(r.get(c))) for c in columns)])
    return out.getvalue()


def workbooks_zip(room: Path) -> bytes:
    """Every participant's and every group's workbook (and the room's groups), as a zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((room / "participants").glob("*.json")):
            zf.write(path, f"workbooks/{path.name}")
        for path in sorted((room / GROUPS_DIR).glob("*.json")):
            zf.write(path, f"workbooks/groups/{path.name}")
        if (room / "workshop.json").exists():
            zf.write(room / "workshop.json", "workbooks/workshop.json")
    return buf.getvalue()


def plenary_html(room: Path, code: str, kind: str) -> str | None:
    """One participant's (or group's) answer to one exercise, large, for the projector."""
    from ..dossier import _block_html, dossier_entries

    wb = open_readonly(workbook_path(room, code))
    if wb is None:
        return None
    shown = [e for e in dossier_entries(wb) if e["filled"] and e["model"].kind == kind]
    if not shown:
        return None
    body = "".join(_block_html(b, level=2) for e in shown for b in e["model"].report())
    title = _("{work}: {owner}").format(work=_(PLENARY_KINDS.get(kind, kind)), owner=code)
    return page(title, f"<header><h1>{html.escape(title)}</h1></header>"
                f'<div class="plenary">{body}</div>')


#: the columns of the host's participants table (shown through ``_()``)
HOST_COLUMNS = (N_("code"), N_("country"), N_("target area"), N_("answers"),
                N_("last saved (UTC)"), N_("download"), N_("show in plenary"))


def host_html(room: Path, settings: RoomSettings, live: int, connected: int | None = None
              ) -> str:
    """The host's page, in the current language: the room's state, the breakouts, the
    participants and their progress (every name and text a participant typed escaped)."""
    from .workshop import country_names

    e = html.escape
    rows = participants(room)
    names = country_names() if rows else {}
    columns = [e(_(name)) for name in HOST_COLUMNS]
    trs = []
    for r in rows:
        c = e(r["code"])
        # host/show/<code>/<kind> opens the projector's view of that kind of work
        shows = " ".join(f'<a href="host/show/{c}/{k}">' + e(_(v)) + '</a>'
                         for k, v in PLENARY_SHORT.items())
        cells = (c, e(names.get(r["country"], r["country"])), e(r["target_area"]),
                 r["answers"], e(r["updated"]),
                 f'<a href="host/workbook/{c}.json">' + e(_("workbook")) + '</a> · '
                 f'<a href="host/dossier/{c}.html">' + e(_("dossier")) + '</a>', shows)
        # each cell names its column, for the narrow layout where a row is a card
        trs.append("<tr>" + "".join(f'<td data-label="{name}">{cell}</td>'
                                    for name, cell in zip(columns, cells, strict=True))
                   + "</tr>")
    table = ('<table class="d4-table"><thead><tr>'
             + "".join(f'<th scope="col">{name}</th>' for name in columns)
             + "</tr></thead><tbody>" + "".join(trs) + "</tbody></table>"
             ) if trs else "<p>" + e(_('Nobody has joined yet.')) + "</p>"
    fb = feedback_rows(room)
    warnings = room_warnings(room)
    warn = ('<div class="warn" role="status"><p><b>' + e(_("Files to look at")) + '</b></p><ul>'
            + "".join(f"<li>{e(w)}</li>" for w in warnings) + "</ul></div>"
            ) if warnings else ""
    pages = connected if connected is not None else live
    warm = warm_html(WARM[0])
    path = ("<p>" + e(ngettext(
        "The room follows the workshop path of {name} ({n} submodule, on the start page).",
        "The room follows the workshop path of {name} ({n} submodules, on the start page).",
        len(settings.path.steps)).format(name=settings.path.title, n=len(settings.path.steps)))
            + "</p>") if settings.path else ""
    breakouts = hostpages.breakouts_html(Workshop.load(room), profiles(room))
    progress = hostpages.progress_html(hostpages.progress_rows(room))
    state = " · ".join([
        ngettext("{n} participant", "{n} participants", len(rows)).format(n=len(rows)),
        ngettext("{n} app page connected now", "{n} app pages connected now", pages).format(
            n=pages),
        ngettext("{n} kernel running (limit {limit})", "{n} kernels running (limit {limit})",
                 live).format(n=live, limit=settings.max_sessions)])
    folder = _code_in(_("room folder {folder}"), folder=str(room))
    return page(_("Host: DIGIT4SD room"), (
        "<header><h1>" + e(_("Host page")) + "</h1><p>"
        + e(_("Keep this page to yourself.")) + "</p>"
        + language.choice_html(i18n.get_language(), back="/host")
        + f"</header><p>{e(state)} · {folder}</p>" + path +
        '<p><a href="host/workbooks.zip">' + e(_("Download every workbook (zip)")) + '</a> · '
        '<a href="host/feedback.csv">'
        + e(ngettext("Toolkit feedback (CSV, {n} answer)", "Toolkit feedback (CSV, {n} answers)",
                     len(fb)).format(n=len(fb))) + "</a> · "
        '<a href="/host/plenary">' + e(_("Plenary")) + '</a> · '
        '<a href="/">' + e(_("Start page")) + '</a></p>' + warn + warm + breakouts
        + "<h2>" + e(_('Participants')) + "</h2>" + table + progress), refresh=None, clock=True)


def host_groups_html(room: Path, module: int, error: str = "") -> str:
    """The host's page that places participants in the groups of one breakout by hand."""
    e = html.escape
    msg = f'<p class="error" role="alert">{e(error)}</p>' if error else ""
    return page(_("Host: groups by hand"), (
        "<header><h1>" + e(_('Groups by hand')) + "</h1><p>" + e(_('Keep this page to yourself.')) +
        "</p></header>" + msg
        + hostpages.by_hand_html(Workshop.load(room), module, profiles(room))), clock=True)


def plenary_index_html(room: Path) -> str:
    e = html.escape
    return page(_("Plenary: DIGIT4SD room"), (
        "<header><h1>" + e(_('Plenary')) + "</h1><p>"
        + e(_("Choose the work to show on the projector. On its screen, the arrow keys go to "
              "the next and the previous; F fills the screen."))
        + "</p></header>" + plenary.plenary_index(room)
        + '<p><a href="/host">' + e(_("Back to the host page")) + '</a></p>'), clock=True)


def memory_message(free: int, limit: int, wanted: int, kept: int) -> str:
    """Why fewer kernels are kept ready than asked for, in the current language."""
    return _("This computer has {memory} GB of memory free: it can keep about {limit} "
             "exercise kernels ready, not {wanted}. {kept} are kept ready; other pages start "
             "their own kernel when opened (a few seconds each). Close other programs, or use "
             "--pool 0, to keep more ready.").format(memory=i18n.number(free / 1024, 1),
                                                     limit=limit, wanted=wanted, kept=kept)


def warm_html(warmer: Warmer | None) -> str:
    """The host's view of the ready kernels, and the form that moves them to the next app."""
    if warmer is None:
        return ""
    e = html.escape
    waiting = warmer.waiting()
    ready, wanted = warmer.ready()
    where = ", ".join(f"{sub_id}: {n}" for sub_id, n in waiting.items() if n) or _("none yet")
    message = (memory_message(*warmer.memory, warmer.plan.total()) if warmer.memory
               else warmer.message)
    note = f"<p>{e(message)}</p>" if message else ""
    if warmer.short_of_memory:
        note += "<p><b>{}</b> {}</p>".format(
            e(_("This computer is short of memory:")),
            e(_("no more kernels are kept ready until some pages close.")))
    options = "".join(
        f'<option value="{s.id}"{" selected" if s.id == warmer.plan.first else ""}>'
        f"{s.id} {e(s.title)}</option>" for s in SUBMODULES)
    expect = (f'<input name="expect" type="number" min="0" max="200" '
              f'value="{warmer.plan.expect}" style="width:5em">')
    return ('<div class="warm"><h2>' + e(_("Ready for the room")) + '</h2><p>'
            + e(_("{ready} of {wanted} exercise pages prepared ({where}).").format(
                ready=ready, wanted=wanted, where=where)) + f"</p>{note}"
            '<form method="post" action="host/warm"><label>'
            + e(_("Prepare pages for")) + f' <select name="first">{options}</select></label> '
            "<label>" + e(_("for {number} participants")).replace("{number}", expect)
            + '</label> <button type="submit">' + e(_("Prepare")) + '</button></form><p>'
            + e(_("Tell the room which app to open next, and prepare it a few minutes before: "
                  "each page taken is replaced by one for the app after it."))
            + "</p></div>")


# ------------------------------------------------------------------------------- server
def check_same_origin(handler) -> None:
    """Refuse a state change that does not come from the room's own pages: a browser sends
    ``Origin`` (or at least ``Referer``) with every form and fetch; a page on another site
    cannot make it name this room."""
    from urllib.parse import urlsplit

    import tornado.web

    source = handler.request.headers.get("Origin") or handler.request.headers.get("Referer")
    if not source or urlsplit(source).netloc.lower() != handler.request.host.lower():
        raise tornado.web.HTTPError(403, "cross-site request refused")


def plain_error(handler, status_code: int) -> None:
    """An error page in plain words: never a traceback, a server path or a file name."""
    with i18n.language(request_language(handler)):
        reason = {403: _("Not allowed."), 404: _("Nothing here."), 405: _("Not allowed."),
                  429: _("Too many tries: wait a moment.")}.get(
            status_code, _("Sorry, something went wrong."))
        text = page(reason, f"<h1>{html.escape(reason)}</h1><p><a href='/'>"
                    + html.escape(_('Start page')) + "</a></p>")
    handler.clear()
    handler.set_status(status_code)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(text)


def request_language(handler) -> str:
    """The language to answer a request in: the participant's choice (the language
    cookie), else their workbook's, else the room's."""
    try:
        chosen = handler.get_cookie(language.COOKIE)
    except Exception:  # a handler with no request (never seen): the room's language
        chosen = None
    if language.checked(chosen):
        return language.checked(chosen)
    settings = getattr(handler, "settings", None) or {}
    code = kept = None
    with contextlib.suppress(Exception):
        code = _cookie_code(handler)
    if code and settings.get("d4_room"):
        doc = _read_doc(workbook_path(settings["d4_room"], code))
        kept = doc.get("lang") if doc else None
    return language.choose(kept, default=settings.get("d4_lang"))


def _speaks(method):
    """A room handler's (synchronous) method, run in the language of its request."""
    import functools

    @functools.wraps(method)
    def run(self, *args: Any, **kwargs: Any) -> Any:
        with i18n.language(request_language(self)):
            return method(self, *args, **kwargs)

    return run


def _handlers(settings: RoomSettings):
    """Tornado handlers of the room, in front of Voila's."""
    import tornado.web
    from jupyter_server.base.handlers import JupyterHandler

    from ..dossier import dossier_html

    class RoomHandler(JupyterHandler):
        def check_xsrf_cookie(self):
            pass  # prepare() checks the origin of every state change, in one place

        def prepare(self):
            # the room has no Jupyter accounts: every page is open, the cookie says who is who;
            # what JupyterHandler.prepare checks is checked here (host, then for every state
            # change, that the request comes from the room's own pages)
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Referrer-Policy", "same-origin")
            if not self.check_host():
                raise tornado.web.HTTPError(403)
            if self.request.method not in ("GET", "HEAD", "OPTIONS"):
                check_same_origin(self)

        def get_current_user(self):
            return "participant"

        def participant(self) -> str | None:
            return _cookie_code(self)

        def is_host(self) -> bool:
            key = self.get_argument("key", None)
            if key is not None:
                client = self.request.remote_ip or "?"
                if HOST_KEYS.wait(client):  # many wrong keys from this computer: wait
                    raise tornado.web.HTTPError(429)
                if secrets.compare_digest(key.encode("utf-8", "replace"),
                                          settings.host_key.encode("utf-8")):
                    HOST_KEYS.succeeded(client)
                    self.set_secure_cookie(HOST_COOKIE, "1", expires_days=3, httponly=True,
                                           samesite="Strict")
                    return True
                HOST_KEYS.failed(client)
            return self.get_secure_cookie(HOST_COOKIE, max_age_days=3) == b"1"

        def set_language_cookie(self, lang: str) -> None:
            self.set_cookie(language.COOKIE, lang, expires_days=language.COOKIE_DAYS,
                            httponly=True, samesite="Lax")

        def send_json(self, data: Any) -> None:
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps(data))

        def send_html(self, text: str, status: int = 200) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(text)

        def send_file(self, data: str | bytes, name: str, ctype: str) -> None:
            self.set_header("Content-Type", ctype)
            self.set_header("Content-Disposition", f'attachment; filename="{name}"')
            self.set_header("Cache-Control", "no-store")
            self.finish(data)

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            plain_error(self, status_code)

    class Landing(RoomHandler):
        @_speaks
        def get(self):
            code = self.participant()
            groups = Workshop.load(settings.room).breakouts_of(code) if code else []
            self.send_html(landing_html(code, access_code=bool(settings.access_code),
                                        ready=readiness_text(), path=settings.path,
                                        groups=groups))

    class Join(RoomHandler):
        @_speaks
        def post(self):
            raw = self.get_body_argument("code", "")
            client = self.request.remote_ip or "?"
            if settings.access_code:
                wait = JOINS.wait(client)
                if wait:
                    seconds = int(wait) + 1
                    self.set_header("Retry-After", str(seconds))
                    return self.send_html(landing_html(None, access_code=True, error=ngettext(
                        "Too many wrong room codes from this computer: wait {n} second, then "
                        "try again.",
                        "Too many wrong room codes from this computer: wait {n} seconds, then "
                        "try again.", seconds).format(n=seconds)), 429)
                if not same_access_code(self.get_body_argument("access", ""),
                                        settings.access_code):
                    locked = int(JOINS.failed(client))
                    error = (ngettext(
                        "That room code is not right: ask your host. Too many wrong codes: "
                        "wait {n} second before the next try.",
                        "That room code is not right: ask your host. Too many wrong codes: "
                        "wait {n} seconds before the next try.", locked).format(n=locked)
                        if locked else _("That room code is not right: ask your host."))
                    return self.send_html(landing_html(None, access_code=True, error=error),
                                          403)
                JOINS.succeeded(client)
            try:
                code = participant_code(raw)
            except ValueError as exc:
                return self.send_html(landing_html(None, access_code=bool(
                    settings.access_code), error=str(exc)), 400)
            if not workbook_path(settings.room, code).exists():
                # a new participant: their workbook starts now, so that the host sees them
                # (and can put them in a group) before they save anything
                if not NEW_CODES.allow(client):
                    self.set_header("Retry-After", "60")
                    return self.send_html(landing_html(None, access_code=bool(
                        settings.access_code), error=_("Too many new codes from this "
                                                       "computer: wait a minute, then try "
                                                       "again.")), 429)
                start_participant(settings.room, code)
            self.set_secure_cookie(COOKIE, code, expires_days=COOKIE_DAYS, httponly=True,
                                   samesite="Lax")
            # the language read on this computer, else the one the workbook keeps, else the
            # room's: in both places from now on
            chosen = language.checked(self.get_cookie(language.COOKIE))
            doc = _read_doc(workbook_path(settings.room, code))
            kept = language.checked(doc.get("lang")) if doc else None
            lang = chosen or kept or settings.lang
            if kept != lang:
                set_participant_language(settings.room, code, lang)
            if chosen != lang:
                self.set_language_cookie(lang)
            self.redirect("/")

    class Lang(RoomHandler):
        """A participant (or the host) chooses the language of their pages and apps: from
        the room's own pages (the origin is checked), at a human pace."""

        def post(self):
            if not LANG_CHANGES.allow(self.request.remote_ip or "?"):
                raise tornado.web.HTTPError(429)
            lang = language.checked(self.get_body_argument("lang", ""))
            if lang is None:
                raise tornado.web.HTTPError(400)
            self.set_language_cookie(lang)
            code = self.participant()
            if code:
                set_participant_language(settings.room, code, lang)
            back = self.get_body_argument("back", "/")
            self.redirect(back if back in language.BACK else "/")

    class Leave(RoomHandler):
        def get(self):
            self.clear_cookie(COOKIE)
            self.redirect("/")

    class Mine(RoomHandler):
        @_speaks
        def get(self, what: str):
            code = self.participant()
            if code is None:
                return self.redirect("/")
            path = workbook_path(settings.room, code)
            wb = open_readonly(path)
            if wb is None:
                from ..workbook import Workbook

                wb = Workbook.in_memory()
            if what == "dossier.html":
                return self.send_file(dossier_html(wb), f"dossier-{code}.html",
                                      "text/html; charset=utf-8")
            return self.send_file(wb.to_json(), f"workbook-{code}.json", "application/json")

    class Host(RoomHandler):
        @_speaks
        def get(self, rest: str = ""):
            if not self.is_host():
                raise tornado.web.HTTPError(403)
            room = settings.room
            if rest == "":
                return self.send_html(host_html(room, settings, live_sessions(self),
                                                connected=PAGES.connected()))
            if rest == "workbooks.zip":
                return self.send_file(workbooks_zip(room), "workbooks.zip", "application/zip")
            if rest == "feedback.csv":
                return self.send_file(feedback_csv(room), "toolkit-feedback.csv",
                                      "text/csv; charset=utf-8")
            parts = rest.split("/")
            if rest == "plenary":
                return self.send_html(plenary_index_html(room))
            if parts[0] == "plenary" and len(parts) in (4, 5):
                _plenary, kind, owner, owner_id, *page_no = parts
                screen = int(page_no[0]) if page_no and page_no[0].isdigit() else 1
                if owner not in ("g", "p") or (page_no and screen < 2):
                    raise tornado.web.HTTPError(404)
                text = plenary.projector_html(room, kind, owner, owner_id, screen,
                                              clock_js=CLOCK_JS)
                if text is None:
                    raise tornado.web.HTTPError(404)
                return self.send_html(text)
            if parts[0] == "groups" and len(parts) == 2 and parts[1] in {str(m) for m in CORE}:
                return self.send_html(host_groups_html(room, int(parts[1])))
            try:
                if parts[0] == "show" and len(parts) == 3 and parts[2] in plenary.KINDS:
                    # the projector's own view of this kind of work
                    code = participant_code(parts[1])
                    if plenary.projector_html(room, parts[2], "p", code) is None:
                        raise tornado.web.HTTPError(404)
                    return self.redirect(f"/host/plenary/{parts[2]}/p/{code}")
                if parts[0] in ("workbook", "dossier") and len(parts) == 2:
                    code = participant_code(parts[1].rsplit(".", 1)[0])
                    wb = open_readonly(workbook_path(room, code))
                    if wb is None:
                        raise tornado.web.HTTPError(404)
                    if parts[0] == "workbook":
                        return self.send_file(wb.to_json(), f"workbook-{code}.json",
                                              "application/json")
                    return self.send_file(dossier_html(wb), f"dossier-{code}.html",
                                          "text/html; charset=utf-8")
                if parts[0] == "show" and len(parts) == 3:
                    text = plenary_html(room, participant_code(parts[1]), parts[2])
                    if text is None:
                        raise tornado.web.HTTPError(404)
                    return self.send_html(text)
            except ValueError as exc:
                raise tornado.web.HTTPError(404) from exc
            raise tornado.web.HTTPError(404)

    class HostBreakout(RoomHandler):
        """The host forms the groups of a breakout, places people by hand, names moderators
        and runs the countdown: the host only, from the room's own pages, at a human pace."""

        @_speaks
        def post(self, module: str):
            if not self.is_host():
                raise tornado.web.HTTPError(403)
            if not HOST_CHANGES.allow(self.request.remote_ip or "?"):
                raise tornado.web.HTTPError(429)
            room = settings.room
            workshop = Workshop.load(room)
            action = self.get_body_argument("action", "")
            try:
                if action == "mix":
                    workshop.form_mixed(module, profiles(room),
                                        self.get_body_argument("count", ""))
                elif action == "keep":
                    workshop.keep_groups(module, self.get_body_argument("source", ""))
                elif action == "hand":
                    places, moderators = {}, {}
                    for name in self.request.body_arguments:
                        if name.startswith("place:"):
                            places[name[6:]] = self.get_body_argument(name, "")
                        elif name.startswith("moderator:"):
                            moderators[name[10:]] = self.get_body_argument(name, "")
                    known = [p.stem for p in participant_files(room)]
                    workshop.set_by_hand(module, places, moderators, known)
                elif action == "start":
                    workshop.start_timer(module, self.get_body_argument("minutes", ""))
                elif action == "more":
                    workshop.add_minutes(5)
                elif action == "stop":
                    workshop.stop_timer()
                else:
                    raise ValueError(_("That is not something the host page can do."))
            except ValueError as exc:
                if action == "hand" and module in {str(m) for m in CORE}:
                    return self.send_html(host_groups_html(room, int(module), str(exc)), 400)
                return self.send_html(page(_("Host: not done"), (
                    "<header><h1>" + html.escape(_('Not done')) + "</h1></header>"
                    f'<p class="error" role="alert">{html.escape(str(exc))}</p>'
                    '<p><a href="/host">' + html.escape(_("Back to the host page")) + '</a></p>')),
                    400)
            workshop.save()
            start_group_workbooks(workshop)
            self.redirect(f"/host#breakout-{int(module)}")

    class Clock(RoomHandler):
        """The breakout's countdown, and the asking participant's group in it."""

        @_speaks
        def get(self):
            workshop = Workshop.load(settings.room)
            state = workshop.clock()
            code = self.participant()
            module = state.get("module") or workshop.current
            group = workshop.group_of(module, code) if code and module else None
            state["group"] = group.name if group else None
            self.send_json(state)

    class HostWarm(RoomHandler):
        """The host moves the ready kernels to the app the room opens next."""

        def post(self):
            if not self.is_host():
                raise tornado.web.HTTPError(403)
            warmer = WARM[0]
            if warmer is not None:
                first = self.get_body_argument("first", "")
                try:
                    expect = max(0, min(200, int(self.get_body_argument("expect", "0"))))
                    if first not in {s.id for s in SUBMODULES}:
                        raise ValueError(first)
                except ValueError as exc:
                    raise tornado.web.HTTPError(400) from exc
                warmer.warm_for(first, expect)
            self.redirect("/host")

    class KernelState(RoomHandler):
        """What the page watchdog asks: is my kernel alive, is it working?"""

        def get(self, kernel_id: str):
            if not OWNERS.owns(kernel_id, self.participant()):
                raise tornado.web.HTTPError(403)
            km = self.kernel_manager
            alive = kernel_id in km
            state = km.get_kernel(kernel_id).execution_state if alive else "dead"
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps({"alive": alive, "state": state}))

    class Shutdown(RoomHandler):
        """Stop the kernel of a page being closed (Voila's own handler refuses: no xsrf)."""

        async def post(self, kernel_id: str):
            if not OWNERS.owns(kernel_id, self.participant()):
                raise tornado.web.HTTPError(403)
            km = self.kernel_manager
            if kernel_id in km and not _is_pooled(km, kernel_id):
                await km.shutdown_kernel(kernel_id)
            self.set_status(204)
            self.finish()

    class KernelModel(RoomHandler):
        """The kernel's model, which the page reads before it connects: for the page's own
        participant only, and read-only (no stopping or restarting through the API)."""

        def get(self, kernel_id: str):
            km = self.kernel_manager
            if not OWNERS.owns(kernel_id, self.participant()) or kernel_id not in km:
                raise tornado.web.HTTPError(404)
            model = km.kernel_model(kernel_id)
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps(model, default=str))

    kid = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"
    return [
        (r"/", Landing),
        (r"/join", Join),
        (r"/lang", Lang),
        (r"/leave", Leave),
        (r"/logout", Leave),
        (rf"/api/kernels/{kid}", KernelModel),
        (r"/me/(dossier\.html|workbook\.json)", Mine),
        (r"/host/warm", HostWarm),
        (r"/host/breakout/([0-9]+)", HostBreakout),
        (r"/room/api/clock", Clock),
        (r"/host/?", Host),
        (r"/host/(.+)", Host),
        (rf"/room/api/kernel/{kid}", KernelState),
        (rf"/voila/api/shutdown/{kid}", Shutdown),
    ], RoomHandler


def _is_pooled(km, kernel_id: str) -> bool:
    for pool in getattr(km, "_pools", {}).values():
        for task in pool:
            try:
                if task.done() and task.result().get("kernel_id") == kernel_id:
                    return True
            except Exception:
                continue
    return False


def _pooled_count(km) -> int:
    return sum(len(pool) for pool in getattr(km, "_pools", {}).values())


def live_sessions(handler) -> int:
    km = handler.kernel_manager
    return max(0, len(km.list_kernel_ids()) - _pooled_count(km))


def make_server_class(settings: RoomSettings):
    """A Voila application with the room's pages in front and its own file listing gone."""
    import tornado.web
    from jupyter_server._tz import utcnow
    from tornado.web import StaticFileHandler
    from voila.app import Voila
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
    from voila.treehandler import VoilaTreeHandler

    room_handlers, _base = _handlers(settings)
    PAGES.grace = settings.grace_seconds
    room_settings = settings

    class AppHandler(TornadoVoilaHandler):
        """An app page: only for participants who joined, and only while there is room."""

        async def get(self, path=None):
            from tornado.web import HTTPError

            code = _cookie_code(self)
            if code is None:
                return self.redirect("/")
            if not path or not path.endswith(".ipynb"):
                raise HTTPError(404)
            page_lang, app = language.split_app_path(path)
            if app not in _APP_PATHS:
                raise HTTPError(404)
            lang = request_language(self)
            if page_lang != lang:  # each participant reads the apps of their language
                return self.redirect(f"/voila/render/{language.app_path(app, lang)}")
            if self.request.query:  # no template, theme or other override: the app itself
                return self.redirect(self.request.path)
            # pages being prepared count too: a burst of requests all arrive before the first
            # kernel is handed out
            if live_sessions(self) + HANDING_OUT[0] >= settings.max_sessions:
                self.set_status(503)
                self.set_header("Retry-After", "15")
                self.set_header("Cache-Control", "no-store")
                with i18n.language(lang):
                    full = full_html(15)
                return self.finish(full)
            HANDING_OUT[0] += 1
            token = PARTICIPANT.set(code)
            kernels: list[str] = []
            serving = SERVING.set(kernels)
            # the snapshot is drawn while Voila prepares the page; it waits for nothing else
            # (the group work page has none: it shows the group's work, not the participant's)
            snap = asyncio.ensure_future(_no_snapshot() if app == GROUP_APP else SNAPSHOTS.html(
                path, workbook_path(settings.room, code), code, lang=lang))
            try:
                return await self._stream(path, snap, lang)
            finally:
                snap.cancel()
                for kernel_id in kernels:
                    PAGES.served(kernel_id, time.time())
                SERVING.reset(serving)
                PARTICIPANT.reset(token)
                HANDING_OUT[0] -= 1

        @tornado.web.authenticated
        async def _stream(self, path: str, snap: asyncio.Future, lang: str) -> None:
            """Voila's page, with the participant's snapshot where the template marks it:
            the page's head goes out first, so the browser fetches its scripts meanwhile,
            and the kernel runs the page's cells while the snapshot is drawn."""
            chunks: asyncio.Queue = asyncio.Queue()
            end = object()

            async def pump() -> None:
                try:
                    async for chunk in self.get_generator(path=path):
                        chunks.put_nowait(chunk)
                finally:
                    chunks.put_nowait(end)

            task = asyncio.ensure_future(pump())
            try:
                marked = False
                while (chunk := await chunks.get()) is not end:
                    if not marked and MARK in chunk:
                        marked = True
                        before, after = chunk.split(MARK, 1)
                        self.write(before)
                        self.flush()
                        drawn = await snap
                        with i18n.language(lang):
                            chunk = snapshot_block(drawn) + after
                    self.write(chunk)
                    self.flush()
                await task  # what the page's own generator raised, if anything
            finally:
                if not task.done():
                    task.cancel()

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            plain_error(self, status_code)

    class KernelSocket(VoilaKernelWebsocketHandler):
        """The widget channel, sent at once: without TCP_NODELAY every widget round trip
        waits about 40 ms for the network stack (Nagle's algorithm and delayed ACKs)."""

        async def get(self, kernel_id):
            from tornado.web import HTTPError

            # the widget channel of a page is its participant's alone
            if not OWNERS.owns(kernel_id, _cookie_code(self)):
                raise HTTPError(403)
            return await super().get(kernel_id)

        def write_message(self, message, binary=False):
            if _kernel_noise(message):
                return None  # kernel errors and warnings name server paths: not for browsers
            return super().write_message(message, binary)

        async def open(self, *args, **kwargs):
            self.set_nodelay(True)
            PAGES.opened(self.kernel_id)
            self._counted = True
            return await super().open(*args, **kwargs)

        def on_close(self):
            if getattr(self, "_counted", False):
                self._counted = False
                PAGES.closed(self.kernel_id, time.time())
            return super().on_close()

    class KernelQuery(RequestInfoSocketHandler):
        """Where a pooled kernel waits for its page's request (with the participant's
        cookie): for the room's own kernels only, which connect from this computer."""

        def open(self, kernel_id: str) -> None:
            if self.request.remote_ip not in {"127.0.0.1", "::1", settings.host}:
                self.close(4403, "not allowed")
                return None
            return super().open(kernel_id)

    class RoomServer(Voila):
        name = "digit4sd-serve"

        def init_settings(self):
            settings = super().init_settings()
            # Voila applies its tornado_settings after tornado's Application is made, but
            # tornado reads compress_response only when it is made: give them at once
            settings.update(self.tornado_settings)
            km = self.kernel_manager
            if hasattr(km, "get_rendered_notebook"):
                handed_out = km.get_rendered_notebook

                async def fresh_from_pool(*args, **kwargs):
                    # a kernel that waited in the pool longer than the cull timeout would be
                    # culled right after it is given to a participant: it starts afresh
                    if WARM[0] is not None:
                        WARM[0].arrival(kwargs.get("notebook_name") or args[0])
                    result = await handed_out(*args, **kwargs)
                    OWNERS.give(result[2], PARTICIPANT.get())
                    _serving(result[2])
                    with contextlib.suppress(KeyError):
                        km.get_kernel(result[2]).last_activity = utcnow()
                    return result

                km.get_rendered_notebook = fresh_from_pool
            started = km.start_kernel

            async def owned_kernel(*args, **kwargs):
                kernel_id = await started(*args, **kwargs)
                env = kwargs.get("env") or {}
                if env.get("VOILA_PREHEAT") != "True":  # a page's own kernel, not the pool's
                    OWNERS.give(kernel_id, PARTICIPANT.get())
                    _serving(kernel_id)
                return kernel_id

            km.start_kernel = owned_kernel
            if hasattr(km, "_pools"):  # a preheated pool: the room keeps it filled
                from tornado.ioloop import IOLoop

                WARM[0] = make_warmer(km, room_settings, announce=self.log.warning)
                IOLoop.current().add_callback(WARM[0].start)
            return settings

        def start(self):
            from tornado.ioloop import PeriodicCallback

            SNAPSHOTS.apps = settings.apps
            SNAPSHOTS.lang = settings.lang
            SNAPSHOTS.start()
            every = max(1.0, min(10.0, settings.grace_seconds / 3)) * 1000
            PeriodicCallback(lambda: asyncio.ensure_future(stop_lost_pages(self.kernel_manager)),
                             every).start()
            return super().start()

        def init_handlers(self):
            kept = []
            for pattern, handler, *rest in super().init_handlers():
                if isinstance(handler, type) and issubclass(handler, VoilaTreeHandler):
                    continue  # no file listing: the start page lists the course
                if any(part in pattern for part in ("api/contents", "api/shutdown", "/login",
                                                    "/logout")):
                    continue
                if pattern.rstrip("$").endswith(f"/api/kernels/{_KERNEL_ID}"):
                    continue  # the room's read-only kernel model replaces it
                if isinstance(handler, type) and issubclass(handler, StaticFileHandler):
                    handler = _quiet_static(handler)
                    if pattern.endswith("/voila/static/(.*)"):
                        kept.append((pattern.replace("/voila/static/",
                                                     f"/voila/static/{STATIC_TAG}/"),
                                     _for_good(handler), *rest))
                if handler is RequestInfoSocketHandler:
                    handler = KernelQuery
                if handler is TornadoVoilaHandler:
                    handler = AppHandler
                elif handler is VoilaKernelWebsocketHandler:
                    handler = KernelSocket
                kept.append((pattern, handler, *rest))
            return [*room_handlers, *kept]

    return RoomServer


_APP_PATHS = {s.path for s in SUBMODULES} | {GROUP_APP}
_KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"

#: which participant's page each kernel serves; wrong access codes (and host keys) per client;
#: the host's changes per client
OWNERS = Owners()
JOINS = JoinLimiter()
HOST_KEYS = JoinLimiter()
HOST_CHANGES = RateLimit(count=30, seconds=60)
NEW_CODES = RateLimit(count=60, seconds=60)
LANG_CHANGES = RateLimit(count=20, seconds=60)
#: the participant whose page is being prepared (in the request's task)
PARTICIPANT: contextvars.ContextVar[str | None] = contextvars.ContextVar("participant",
                                                                       default=None)
#: app pages being prepared right now (before their kernel counts as a session)
HANDING_OUT = [0]
#: the kernels given to the page being sent (in the request's task): their grace waits
#: until the page has gone out
SERVING: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("serving",
                                                                         default=None)


def _serving(kernel_id: str) -> None:
    """The page being sent in this task has this kernel."""
    sent = SERVING.get()
    if sent is not None:
        sent.append(kernel_id)
        PAGES.serving(kernel_id)


async def _no_snapshot() -> None:
    return None


def _cookie_code(handler) -> str | None:
    raw = handler.get_secure_cookie(COOKIE, max_age_days=COOKIE_DAYS)
    if not raw:
        return None
    try:
        return participant_code(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _kernel_noise(message) -> bool:
    """A kernel message not for a participant's browser: an error, or text on stderr."""
    try:
        if isinstance(message, bytes):
            count = int.from_bytes(message[:8], "little")
            offsets = [int.from_bytes(message[8 * (i + 1):8 * (i + 2)], "little")
                       for i in range(count)]
            header = json.loads(message[offsets[1]:offsets[2]])
            kind = header.get("msg_type")
            if kind == "stream":
                content = json.loads(message[offsets[4]:offsets[5]] if count > 5
                                     else message[offsets[4]:])
            else:
                content = {}
        elif isinstance(message, str):
            data = json.loads(message)
            kind, content = data.get("header", {}).get("msg_type"), data.get("content", {})
        elif isinstance(message, dict):
            kind, content = message.get("header", {}).get("msg_type"), message.get("content")
        else:
            return False
    except (ValueError, IndexError, TypeError, AttributeError):
        return False
    if kind == "error":
        return True
    return kind == "stream" and isinstance(content, dict) and content.get("name") == "stderr"


def _quiet_static(base):
    """A static file handler that answers odd paths with 404, never a 500 with a path."""

    class Quiet(base):
        async def get(self, path, include_body=True):
            try:
                return await super().get(path, include_body)
            except Exception as exc:
                import tornado.web

                if isinstance(exc, tornado.web.HTTPError) and exc.status_code < 500:
                    raise
                raise tornado.web.HTTPError(404) from None

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            plain_error(self, status_code)

    Quiet.__name__ = f"Quiet{base.__name__}"
    return Quiet


def _for_good(base):
    """A static file handler whose answers browsers keep for good (its URLs name a version)."""

    class ForGood(base):
        def get_cache_time(self, path, modified, mime_type):
            return self.CACHE_MAX_AGE

        def set_extra_headers(self, path):
            super().set_extra_headers(path)
            self.set_header("Cache-Control", f"max-age={self.CACHE_MAX_AGE}, immutable")

    ForGood.__name__ = f"ForGood{base.__name__}"
    return ForGood


def _static_tag() -> str:
    from importlib.metadata import version  # not voila itself: importing it is slow

    return f"v{version('voila')}"


#: the version in the URLs of Voila's front end files (they change only with Voila)
STATIC_TAG = _static_tag()
#: the room's app pages and their websockets (one server per process)
PAGES = PageTracker()
#: the participants' snapshots (one warm worker per server)
SNAPSHOTS = Snapshots(DEFAULT_ROOM / "apps")
#: the kernels kept ready for the room (set when the server starts with a pool)
WARM: list[Warmer | None] = [None]


def warm_plan(settings: RoomSettings, free: int | None) -> tuple[WarmPlan, str | None]:
    """The room's plan of ready kernels, and a message for the host when this computer
    cannot hold what was asked for."""
    order = settings.order()
    limit = capacity(free)
    wanted = settings.pool * len(order) + settings.expect
    plan = WarmPlan(order, base=settings.pool, limit=limit)
    if settings.expect:
        plan.warm_for(settings.first, settings.expect)
    message = None
    if limit is not None and wanted > limit:
        message = memory_message(free, limit, wanted, plan.total())
    return plan, message


def make_warmer(km, settings: RoomSettings, *, announce=print) -> Warmer:
    """The room's warmer: kernels wait for the apps of the room's language."""
    free = free_mib()
    plan, message = warm_plan(settings, free)
    if message:
        announce(message)
    warmer = Warmer(km, plan, {s.id: language.app_path(s.path, settings.lang)
                               for s in SUBMODULES})
    warmer.message = message
    if message and free is not None:
        limit = capacity(free) or 0
        warmer.memory = (free, limit, settings.pool * len(settings.order()) + settings.expect)
    return warmer


def readiness_text() -> str:
    """One line for the start and host pages: is the room ready for the people coming?"""
    warmer = WARM[0]
    ready, wanted = warmer.ready() if warmer is not None else (0, 0)
    drawing = SNAPSHOTS.started and not SNAPSHOTS.ready  # the drawing of saved work warms up
    if ready >= wanted and not drawing:
        if not wanted:
            return _("The room is ready.") if SNAPSHOTS.ready else ""
        return ngettext("The room is ready: {n} exercise page is prepared.",
                        "The room is ready: {n} exercise pages are prepared.", ready
                        ).format(n=ready)
    if wanted:
        return _("Getting the room ready: {done} of {wanted} exercise pages prepared. You can "
                 "start now; pages prepared later open faster.").format(
                     done=min(ready, wanted), wanted=wanted)
    return _("Getting the room ready. You can start now; pages prepared later open faster.")


async def stop_lost_pages(km, pages: PageTracker | None = None) -> list[str]:
    """Stop the kernels whose page is gone (no websocket, no activity for the grace)."""
    pages = pages or PAGES
    ids = set(km.list_kernel_ids())
    pages.forget(ids)
    activity: dict[str, float | None] = {}
    now = time.time()
    for kernel_id in ids:
        if _is_pooled(km, kernel_id):
            pages.waiting(kernel_id, now)  # in the pool for a page: not lost, the grace waits
            continue
        try:
            kernel = km.get_kernel(kernel_id)
        except Exception:
            continue  # gone meanwhile
        # a kernel running its page's cells sends messages all the time (last_activity); one
        # "busy" with no message for the whole grace lost its idle message or hangs: lost too
        try:
            activity[kernel_id] = kernel.last_activity.timestamp()
        except Exception:  # never recorded (seen under load): the grace runs from first seen
            activity[kernel_id] = None
        if getattr(kernel, "execution_state", None) == "starting":
            activity[kernel_id] = now
    stopped = []
    for kernel_id in pages.to_stop(activity, now):
        with contextlib.suppress(Exception):  # already stopping, or gone meanwhile
            await km.shutdown_kernel(kernel_id)
            stopped.append(kernel_id)
    return stopped


def _free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host if host not in ("", "0.0.0.0") else "0.0.0.0", port))
        except OSError:
            return False
    return True


def _wait_free(host: str, port: int, seconds: float = 15) -> bool:
    """Whether the port is free, waiting a little for a server that is still stopping."""
    deadline = time.monotonic() + seconds
    while not _free(host, port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def prepare_room(settings: RoomSettings) -> list[Path]:
    """Make the room folder and (re)build the apps from the installed course, with the
    group work page, in every language the room offers (English at the top of the apps
    folder, each other language in its own folder); on a shortened path, each app's
    "previous" and "next" follow it."""
    import nbformat

    from ..course.apps import build_apps

    settings.participants.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    order = settings.path.order() if settings.path is not None else None
    for lang in settings.languages:
        folder = settings.apps / language.app_path("", lang)
        written += build_apps(folder, lang=lang)
        with i18n.language(lang):
            group = nbformat.v4.new_notebook(cells=group_app_cells())
            group.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                             "language": "python"},
                              "language_info": {"name": "python"}, "title": _("Group work"),
                              "d4": {"id": "group", **_app_metadata(lang)}}
        write_atomic(folder / GROUP_APP, nbformat.writes(group), mode=0o644)
        written.append(folder / GROUP_APP)
        link_apps(settings.apps, lang, order)
    return written


def _app_metadata(lang: str) -> dict[str, Any]:
    """What the apps' template reads in an app's metadata besides its links: its language
    and direction, its words, and where its group work is (in the current language)."""
    return {"lang": lang, "dir": i18n.direction(lang), "text": language.app_texts(),
            "group": language.app_path(GROUP_APP, lang)}


def link_apps(apps: Path, lang: str, order: list[str] | None = None) -> None:
    """Point each app of ``lang`` at its neighbours in the same language (on the path
    ``order`` when given and the app is on it, else in course order), and give it its
    title and the template's words in that language."""
    import nbformat

    course = [s.id for s in SUBMODULES]
    subs = {s.id: s for s in SUBMODULES}
    folder = apps / language.app_path("", lang)
    with i18n.language(lang):
        extra = _app_metadata(lang)
        for sub in SUBMODULES:
            seq = order if order and sub.id in order else course
            n = seq.index(sub.id)
            links: dict[str, Any] = {"id": sub.id}
            for name, i in (("prev", n - 1), ("next", n + 1)):
                if 0 <= i < len(seq):
                    other = subs[seq[i]]
                    links[name] = {"path": language.app_path(other.path, lang), "id": other.id,
                                   "title": str(other.title)}
            path = folder / sub.path
            nb = nbformat.read(path, as_version=4)
            nb.metadata["d4"] = {**links, **extra}
            nb.metadata["title"] = f"{sub.id} {sub.title}"
            write_atomic(path, nbformat.writes(nb), mode=0o644)


def follow_path(apps: Path, order: list[str]) -> None:
    """Point each (English) app's "previous" and "next" links at its neighbours on the
    path."""
    link_apps(apps, i18n.SOURCE, order)


def serve(settings: RoomSettings, *, announce=print) -> int:
    """Build the apps and serve the room until stopped (Ctrl+C)."""
    if not _wait_free(settings.host, settings.port):
        announce(_("error: port {port} is in use; choose another with --port N").format(
            port=settings.port))
        return 2
    i18n.set_language(settings.lang)  # what the host reads here, and pages by default
    prepare_room(settings)
    # kernels inherit the environment: where the room is, its language, and how to reach
    # the server
    os.environ[ROOM_ENV] = str(settings.room)
    os.environ[language.ROOM_LANG_ENV] = settings.lang
    if settings.host not in ("", "0.0.0.0", "127.0.0.1", "localhost"):
        os.environ["VOILA_APP_IP"] = settings.host
    paths = [str(SHARE), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
    # a served notebook must never show learner-facing tracebacks or warnings noise
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    server_class = make_server_class(settings)
    app = server_class(config=voila_config(settings))
    app.initialize([str(settings.apps)])
    where = "localhost" if settings.host in ("127.0.0.1", "localhost") else settings.host
    if settings.host in ("", "0.0.0.0"):
        where = socket.gethostname()
    announce(_("DIGIT4SD room open at {address}").format(
        address=f"http://{where}:{settings.port}/"))
    if settings.access_code:
        announce(_("Participants need the room code: {code}").format(
            code=settings.access_code))
    if settings.path is not None:
        announce(_("The room follows the workshop path of {name}: {ids}.").format(
            name=settings.path.title, ids=", ".join(settings.path.order())))
    announce(_("Host page (keep it to yourself): {address}").format(
        address=f"http://{where}:{settings.port}/host?key={settings.host_key}"))
    announce(_("Participants' work is kept in {folder}. Stop with Ctrl+C.").format(
        folder=settings.room / "participants"))
    sys.stdout.flush()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            app.start()
    finally:
        SNAPSHOTS.stop()
    return 0

