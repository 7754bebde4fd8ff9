"""Classroom apps: the course notebooks as read-only Voila apps.

An app is made from the learner version of a notebook (the release: no solutions, hidden
tests or mark schemes ever). It keeps the text and the exercises and drops what only makes
sense in a notebook one can edit and submit: code tasks, graded checks and written answers,
with the lines that introduce them. Its first cell ties the kernel to the participant
(:func:`digit4sd_widgets.serve.room.join`).

>>> from digit4sd_widgets.course import SUBMODULES
>>> cells = app_cells(read_release(SUBMODULES[10]))
>>> cells[0].source.splitlines()[-1]
'participant = join()'
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from .. import i18n
from ..i18n import _
from .lab import release_source
from .map import SUBMODULES, Submodule
from .release import leaks
from .translate import translate_notebook

#: the apps' Voila template (no CDN links, a watchdog), used by the room and on a Hub: Voila
#: finds it as ``voila/templates/digit4sd`` under this folder on ``JUPYTER_PATH``
TEMPLATE = "digit4sd"
SHARE = Path(__file__).resolve().parent.parent / "share"

JOIN_SOURCE = "# Ties this page to the participant who opened it.\n" \
              "from digit4sd_widgets.serve.room import join\n\nparticipant = join()"

__all__ = ["SHARE", "TEMPLATE", "app_cells", "app_texts", "build_apps", "clock_texts",
           "read_release"]


def read_release(sub: Submodule, release: Path | None = None) -> nbformat.NotebookNode:
    return nbformat.read((release or release_source()) / sub.path, as_version=4)


#: a cell tag for text that speaks of code or output the apps do not show ("Try the same with
#: `survey`..."): it stays in JupyterLab and is left out of the app
LAB_ONLY = "lab-only"


def _kept(cell: nbformat.NotebookNode) -> bool:
    if LAB_ONLY in cell.metadata.get("tags", []):
        return False
    meta = cell.metadata.get("nbgrader", {})
    if not meta.get("locked"):
        return False  # a learner's answer cell (code task or written answer)
    return not (meta.get("grade") or meta.get("solution") or meta.get("task"))


def _heading_only(cell: nbformat.NotebookNode) -> bool:
    lines = [ln for ln in cell.source.strip().splitlines() if ln.strip()]
    return len(lines) == 1 and lines[0].startswith("#")


def app_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells of the app made from release notebook ``nb``."""
    cells = list(nb.cells)
    keep = [_kept(c) for c in cells]
    # a text that introduces a dropped task or check goes with it; so does a bare heading
    # whose section is gone
    for i in range(len(cells) - 2, -1, -1):
        nxt = cells[i + 1]
        if cells[i].cell_type == "markdown" and keep[i] and not keep[i + 1] and (
                nxt.cell_type == "code" or _heading_only(cells[i])
                or nxt.metadata.get("nbgrader", {}).get("task")):
            keep[i] = False
    out = [nbformat.v4.new_code_cell(JOIN_SOURCE, id="d4-join")]
    for cell, kept in zip(cells, keep, strict=True):
        if not kept:
            continue
        copy = nbformat.from_dict(dict(cell))
        copy.metadata = {}
        if copy.cell_type == "code":
            copy.outputs = []
            copy.execution_count = None
        out.append(copy)
    return out


def _neighbours(n: int) -> dict[str, dict[str, str]]:
    """The submodules before and after the ``n``-th, in course order, for the app's links."""
    out = {}
    for name, i in (("prev", n - 1), ("next", n + 1)):
        if 0 <= i < len(SUBMODULES):
            sub = SUBMODULES[i]
            out[name] = {"path": sub.path, "id": sub.id, "title": sub.title}
    return out


def clock_texts() -> dict[str, str]:
    """The words of the breakout's countdown (``clock.js``), in the current language:
    ``{label}`` is the breakout ("Breakout after module 3"), ``{time}`` the time left,
    ``{group}`` the participant's group."""
    return {
        "left": _("{label}: {time} left"),
        "up": _("{label}: time is up"),
        "one": _("{label}: one minute left."),
        "five": _("{label}: five minutes left."),
        "group": _("Group work: {group}"),
    }


def app_texts() -> dict[str, str]:
    """The words of the apps' template (``index.html.j2``, ``nav.html.j2``, ``clock.js``)
    in the current language, for the app's metadata (``d4.text``)."""
    return {
        "bar": _("Course"),
        "pager": _("Next and previous submodule"),
        "all_modules": _("All modules"),
        "previous": _("Previous: {id}"),
        "next": _("Next: {id}"),
        "group_work": _("Group work"),
        "saved": _("Your work is saved as you go."),
        "preparing": _("Preparing your exercise..."),
        "not_loaded": _("This page did not finish loading."),
        "recover": _("Your work is saved: reload the page to open it again."),
        "reload": _("Reload the page"),
        **{f"clock_{key}": text for key, text in clock_texts().items()},
    }


def build_apps(target: Path, release: Path | None = None, lang: str = i18n.SOURCE
               ) -> list[Path]:
    """Write one app per submodule under ``target`` (same layout as the course); return them.

    ``lang``: the apps' language: their text comes from the catalogues
    (:func:`~digit4sd_widgets.course.translate.translate_notebook`), their titles and links
    too; the notebook's metadata says the language (``d4.lang``), which the room's template
    puts on the page. Files are replaced atomically, so a running server never reads half
    an app.
    """
    written = []
    lang = i18n.normalise(lang) or i18n.SOURCE
    for n, sub in enumerate(SUBMODULES):
        nb = translate_notebook(read_release(sub, release), lang)
        app = nbformat.v4.new_notebook(cells=app_cells(nb))
        with i18n.language(lang):
            app.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                           "language": "python"},
                            "language_info": {"name": "python"},
                            "title": f"{sub.id} {sub.title}",
                            # the template's previous and next links, and the page's language
                            "d4": {"id": sub.id, **_neighbours(n), "lang": lang,
                                   "dir": i18n.direction(lang), "text": app_texts()}}
        path = target / sub.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        nbformat.write(app, tmp)
        os.replace(tmp, path)
        written.append(path)
    found = leaks(target)
    if found:  # the release is checked already; this guards the filter above
        raise RuntimeError(f"an app would show instructor material: {', '.join(found)}")
    return written
