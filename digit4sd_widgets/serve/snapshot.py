"""Snapshot first: an app page's first bytes already show the participant's own exercises.

A live widget needs the kernel and about 4 MB of JavaScript to compile and run: one to five
seconds on a workshop laptop, more when the room is busy. A snapshot needs neither: the
server runs the app's cells with the same models and views as the kernel, on a read-only copy
of the participant's workbook, and draws the widgets as static HTML (:mod:`..static`). The
page shows it at once, its controls disabled and marked "connecting"; the live widgets take
its place when they are ready (the page template does the swap, keeping the reading place).

The cells run in one worker process kept warm (the package imported, the survey loaded), never
in the server's own event loop. A snapshot is only a head start: when the worker is busy or
slow, the page is served without one, and the live widgets come as before. Nothing a snapshot
does is saved: the workbook it sees is a copy in memory.

>>> _split_last("x = 1\\nx + 1")[1]
'x + 1'
"""

from __future__ import annotations

import ast
import asyncio
import html
import logging
import multiprocessing
import os
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .. import i18n
from ..i18n import _

log = logging.getLogger("digit4sd_widgets")

#: where the template puts the snapshot (a comment, so a page without one is still valid)
MARK = "<!--d4-snapshot-->"
#: the longest a page waits for its snapshot before it is served without one
WAIT_SECONDS = 1.5
#: snapshots asked for and not yet drawn: beyond this a page goes without one
MAX_WAITING = 12

__all__ = ["MARK", "Snapshots", "render_app"]


# ------------------------------------------------------------------- in the worker process
_MARKDOWN: dict[tuple[str, float], list[tuple[str, str]]] = {}


def _split_last(source: str) -> tuple[str, str | None]:
    """The statements of a cell before its last expression, and that expression (shown)."""
    tree = ast.parse(source)
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body.pop()
        return ast.unparse(tree), ast.unparse(last)
    return source, None


def _cells(app: Path) -> list[tuple[str, str]]:
    """The app's cells as (kind, text): markdown drawn to HTML once per version of the app."""
    import nbformat
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    key = (str(app), app.stat().st_mtime)
    if key not in _MARKDOWN:
        nb = nbformat.read(app, as_version=4)
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cells.append(("markdown", markdown2html_mistune(cell.source)))
            elif cell.cell_type == "code" and cell.get("id") != "d4-join":
                cells.append(("code", cell.source))
        _MARKDOWN[key] = cells
    return _MARKDOWN[key]


def _shown(value: Any) -> str:
    """One displayed object as static HTML ('' for what a page would not show)."""
    import ipywidgets as widgets

    from ..static import widget_html

    if value is None:
        return ""
    if isinstance(value, widgets.Widget):
        return f'<div class="d4-snap-widget">{widget_html(value, note=None)}</div>'
    if hasattr(value, "_repr_html_"):
        text = value._repr_html_()
        return text if isinstance(text, str) else ""
    return ""


def _warm(apps: str | None = None, lang: str = i18n.SOURCE) -> None:
    """Start the worker ready: the course's modules imported and every app of the room's
    language drawn once (its data read and cached), so the first participant of the day
    waits no longer than the others."""
    from .language import app_path
    from .room import _warm_up

    os.environ.pop("DIGIT4SD_ROOM", None)  # the snapshot never joins: it is told who
    _warm_up()
    folder = Path(apps) / app_path("", lang) if apps else None
    for app in sorted(folder.glob("m[0-9]_*/*.ipynb")) if folder else ():
        try:
            render_app(str(app), "", "warm-up", lang)
        except Exception as exc:  # that app's pages go without; the live page still comes
            log.warning("the snapshot of %s cannot be drawn: %s", app.name, exc)


def render_app(app: str, workbook_file: str, code: str, lang: str | None = None) -> str:
    """The app at ``app`` as static HTML for participant ``code`` (their workbook read at
    ``workbook_file``, never written; ``""`` for none), in the participant's language
    ``lang`` (English when not given). Raises on any failure: the page then goes without."""
    with i18n.language(lang or i18n.SOURCE):
        return _render_app(app, workbook_file, code)


def _render_app(app: str, workbook_file: str, code: str) -> str:
    import IPython.display
    from IPython.core import display_functions

    from ..workbook import Workbook, _empty, parse_json

    try:
        doc = parse_json(Path(workbook_file).read_bytes()) if workbook_file else None
    except FileNotFoundError:
        doc = None
    if doc is not None and not (isinstance(doc, dict) and doc.get("format")
                                == "digit4sd-workbook"):
        raise ValueError("not a workbook")  # the live page tells the participant why
    # a participant with no workbook yet is still themselves (what an exercise shows can
    # depend on who it is for: the order of a knowledge check's options)
    book = Workbook(None, doc if doc is not None else _empty(f"participant:{code}"), [])
    shown: list[str] = []

    def display(*objs: Any, **_: Any) -> None:
        shown.extend(_shown(o) for o in objs)

    def opened(cls, *_: Any, **__: Any) -> Workbook:
        return book

    saved = (IPython.display.display, display_functions.display, Workbook.__dict__["open"])
    IPython.display.display = display_functions.display = display
    Workbook.open = classmethod(opened)
    try:
        namespace: dict[str, Any] = {"participant": code, "display": display,
                                     "__name__": "__main__"}
        parts = []
        for kind, text in _cells(Path(app)):
            if kind == "markdown":
                parts.append('<div class="jp-Cell jp-MarkdownCell"><div class="'
                             'jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
                             f"{text}</div></div>")
                continue
            shown.clear()
            body, last = _split_last(text)
            exec(compile(body, app, "exec"), namespace)  # the course's own cells, from the release
            if last is not None:
                display(eval(compile(last, app, "eval"), namespace))
            out = "".join(shown)
            if out:
                parts.append(f'<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea">'
                             f"{out}</div></div>")
        return "".join(parts)
    finally:
        IPython.display.display, display_functions.display, Workbook.open = saved


# ---------------------------------------------------------------------- in the server
class Snapshots:
    """The server's side: one warm worker, a small cache, never a wait longer than asked."""

    def __init__(self, apps: Path, *, cache_size: int = 256, lang: str = i18n.SOURCE):
        self.apps = Path(apps)
        #: the room's language: the worker warms up its apps
        self.lang = lang
        self._pool: ProcessPoolExecutor | None = None
        self._warmed: Future | None = None
        self._cache: OrderedDict[tuple[str, str, float, str], str] = OrderedDict()
        self._cache_size = cache_size
        self.waiting = 0
        #: how the last snapshots went, for the host page and the benchmark
        self.drawn = self.skipped = 0
        self.seconds: list[float] = []

    def start(self) -> None:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")  # never fork a server with threads
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_warm,
                                             initargs=(str(self.apps), self.lang))
            # start (and warm) the worker now, not at the first page
            self._warmed = self._pool.submit(int)

    @property
    def started(self) -> bool:
        return self._pool is not None

    @property
    def ready(self) -> bool:
        """The worker is warm: pages from now on open with their snapshot."""
        return self._warmed is not None and self._warmed.done()

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._warmed = None

    def _key(self, app: str, workbook_file: Path, lang: str) -> tuple[str, str, float, str]:
        try:
            stamp = workbook_file.stat().st_mtime
        except OSError:
            stamp = 0.0
        return app, str(workbook_file), stamp, lang

    async def html(self, app: str, workbook_file: Path, code: str,
                   wait: float = WAIT_SECONDS, lang: str = i18n.SOURCE) -> str | None:
        """The snapshot of ``app`` (a path under the apps folder) in ``lang``, or ``None``."""
        key = self._key(app, workbook_file, lang)
        if key in self._cache:
            self._cache.move_to_end(key)
            self.drawn += 1
            return self._cache[key]
        if self._pool is None or self.waiting >= MAX_WAITING:
            self.skipped += 1
            return None
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        self.waiting += 1
        try:
            future = loop.run_in_executor(self._pool, render_app, str(self.apps / app),
                                          str(workbook_file), code, lang)
            future.add_done_callback(lambda done: self._keep(key, done))
            text = await asyncio.wait_for(asyncio.shield(future), wait)
        except Exception as exc:  # slow, busy or failed: the live page comes as before
            log.info("no snapshot of %s: %s", app, type(exc).__name__)
            self.skipped += 1
            return None
        finally:
            self.waiting -= 1
        self.seconds = [*self.seconds[-99:], time.monotonic() - started]
        self.drawn += 1
        return text

    def _keep(self, key: tuple[str, str, float, str], done: asyncio.Future) -> None:
        """Cache a drawing when it is done, also one that came too late for its page: the
        page's next load (a reload, the participant's return) has it at once."""
        if done.cancelled() or done.exception() is not None:
            return
        self._cache[key] = done.result()
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def snapshot_block(body: str | None) -> str:
    """What replaces :data:`MARK` in the page: the snapshot and its 'connecting' note (in
    the current language)."""
    if not body:
        return ""
    note = html.escape(_("Your saved work is shown. Connecting to your exercise: you can "
                         "change it in a moment."))
    return ('<div id="d4-snapshot"><div>'
            f'<p class="d4-connecting" role="status">{note}</p>'
            f"{body}</div></div>")

