"""The learner's dossier: every exercise of the course, filled or as a blank template, in one
printable, self-contained HTML page (no script, no external file: styles inline, charts as
embedded PNG). Learner text is always escaped. The page is in the reader's language
(:mod:`digit4sd_widgets.i18n`): its ``lang`` and ``dir`` say which.

>>> from digit4sd_widgets.workbook import Workbook
>>> page = dossier_html(Workbook.in_memory())
>>> page.startswith("<!DOCTYPE html>") and "<script" not in page
True
"""

from __future__ import annotations

import base64
import html
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from . import i18n
from .atomic import write_atomic
from .exercises._base import (
    TABLES_CSS,
    Block,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    html_table,
)
from .i18n import _
from .workbook import Workbook, WorkbookError

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
       sans-serif; color: #1d2327;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { color: #1f5fa8; margin-bottom: 0.2rem; }
h2 { color: #1f5fa8; border-bottom: 2px solid #1f5fa8; padding-bottom: 0.2rem;
     margin-top: 2rem; }
h3 { margin: 1rem 0 0.3rem; font-size: 1rem; }
.meta { color: #5f6b73; }
.status { font-size: 0.9rem; color: #5f6b73; }
.blank { font-style: italic; color: #8a5a00; }
table { border-collapse: collapse; width: 100%; margin: 0.3rem 0 0.8rem; font-size: 0.9rem; }
th, td { border: 1px solid #b8c0c6; padding: 0.25rem 0.4rem; text-align: left;
         vertical-align: top; }
th { background: #e8eef5; }
dl { display: grid; grid-template-columns: 14rem 1fr; gap: 0.2rem 0.8rem; margin: 0.3rem 0; }
dt { font-weight: bold; }
dd { margin: 0; white-space: pre-wrap; min-height: 1.2rem; border-bottom: 1px dotted #b8c0c6; }
img { max-width: 100%; height: auto; }
@media (max-width: 720px) {
  body { margin: 1rem auto; overflow-wrap: anywhere; }
  dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.4rem; }
}
.toc li { margin: 0.1rem 0; }
@media print { body { margin: 0; max-width: none; } section { page-break-before: always; }
               section.first { page-break-before: avoid; } a { color: inherit; } }
"""


def _sort_key(submodule: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in submodule.split("."))
    except ValueError:
        return (99,)


def _exercises() -> dict[str, type[ExerciseModel]]:
    from .exercises import EXERCISES

    return {kind: model for kind, (model, _view) in EXERCISES.items()}


def dossier_entries(workbook: Workbook) -> list[dict[str, Any]]:
    """One entry per exercise in course order: key, model, whether it is filled, problems.

    Every saved answer appears; every exercise kind without any saved answer appears once as
    a blank template.
    """
    models = _exercises()
    entries = []
    seen_kinds = set()
    for key in workbook.keys():  # noqa: SIM118 (a Workbook, not a dict)
        saved = workbook.entry(key)
        model_class = models.get(saved["kind"])
        if model_class is None:
            continue
        seen_kinds.add(saved["kind"])
        try:
            model = model_class.from_dict(saved["data"])
            problem = ""
        except ValidationError as exc:
            model = model_class.starter(Workbook.in_memory())
            problem = _("The saved answer could not be read ({reason}).").format(reason=exc)
        submodule = key.split("/", 1)[0]
        entries.append({"key": key, "submodule": submodule, "model": model, "filled": True,
                        "saved": saved["saved"], "problem": problem})
    blank_source = Workbook.in_memory()
    for kind, model_class in models.items():
        if kind in seen_kinds:
            continue
        entries.append({"key": model_class.default_key(), "submodule": model_class.submodule,
                        "model": model_class.starter(blank_source), "filled": False,
                        "saved": "", "problem": ""})
    entries.sort(key=lambda e: (_sort_key(e["submodule"]), e["model"].title, e["key"]))
    return entries


def _block_html(block: Block, level: int = 3) -> str:
    """One report block as HTML, its title a heading of ``level``."""
    title = f"<h{level}>{html.escape(block.title)}</h{level}>" if block.title else ""
    if block.kind == "fields":
        items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>"
                        for k, v in block.items)
        return f"{title}<dl>{items}</dl>"
    if block.kind == "table":
        if not block.rows:
            empty = [[""] * len(block.columns) for _row in range(3)]
            return title + html_table(block.columns, empty)
        return title + html_table(block.columns, block.rows)
    if block.kind == "note":
        return f"{title}<p>{html.escape(block.text)}</p>"
    if block.kind == "image" and block.png:
        src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
        alt = block.alt or block.title or _("Chart")
        return f'{title}<img alt="{html.escape(alt)}" src="{src}">'
    return ""


def _country_name(iso3: str | None) -> str:
    if not iso3:
        return _("not chosen yet")
    from .data import load_countries

    names = load_countries().set_index("iso3")["name"]
    return i18n.country_name(iso3, str(names.get(iso3, iso3)))


def html_start() -> str:
    """The page's first lines: its language and writing direction (the reader's)."""
    lang = i18n.get_language()
    return f'<!DOCTYPE html>\n<html lang="{lang}" dir="{i18n.direction(lang)}">'


def dossier_html(workbook: Workbook, *, title: str | None = None) -> str:
    """The whole workbook as one printable, self-contained HTML page (``title``: "My
    DIGIT4SD dossier" in the reader's language when not given)."""
    title = title or _("My DIGIT4SD dossier")
    case = workbook.case
    entries = dossier_entries(workbook)
    filled = sum(e["filled"] for e in entries)
    sections, toc = [], []
    for i, e in enumerate(entries):
        model: ExerciseModel = e["model"]
        anchor = f"ex{i}"
        label = e["submodule"] + " " + _(model.title)
        blank = "" if e["filled"] else " <span class=blank>{}</span>".format(
            html.escape(_("(blank)")))
        toc.append(f'<li><a href="#{anchor}">{html.escape(label)}</a>{blank}</li>')
        try:
            blocks = "".join(_block_html(b) for b in model.report())
            done = model.completeness()
            status = f"{done}" if e["filled"] else _("Blank template: fill it in by hand.")
        except Exception as exc:  # one broken report must not lose the rest of the dossier
            failed = _("This part could not be drawn ({error}).").format(
                error=type(exc).__name__)
            blocks = f"<p>{html.escape(failed)}</p>"
            status = ""
        if e["problem"]:
            status += " " + e["problem"]
        sections.append(
            f'<section id="{anchor}"{" class=first" if i == 0 else ""}>'
            f"<h2>{html.escape(label)}</h2><p class=status>{html.escape(status)}</p>"
            f"{blocks}</section>")
    name = workbook.learner_name or _("Learner")
    stamp = i18n.date(datetime.now(UTC))
    fields = [(_("Country"), _country_name(case.get("country"))),
              (_("Target area"), case.get("target_area") or ""),
              (_("SDG targets"), ", ".join(case.get("sdg_targets") or [])),
              (_("Exercises filled"),
               _("{filled} of {total}").format(filled=filled, total=len(entries)))]
    head = (f"<h1>{html.escape(title)}</h1>"
            f"<p class=meta>{html.escape(name)} · {html.escape(stamp)}</p>"
            "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>"
                             for k, v in fields) + "</dl>"
            f"<ol class=toc>{''.join(toc)}</ol>")
    return (f'{html_start()}<head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{CSS}{TABLES_CSS}</style></head><body><main>{head}{''.join(sections)}</main>"
            "</body></html>\n")


def export_dossier(workbook: Workbook, path: str | os.PathLike) -> Path:
    """Write the dossier to ``path`` atomically and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, dossier_html(workbook))
    return target


def _download_link(label: str, filename: str, mime: str, payload: str) -> str:
    data = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return (f'<a download="{html.escape(filename)}" href="data:{mime};base64,{data}" '
            'style="margin-right:1.5rem;font-weight:bold">'
            f"{html.escape(label)}</a>")


class Dossier(widgets.VBox):
    """The learner's dossier: progress over every exercise, and downloads (HTML to print,
    JSON to keep). Works offline: the files are made in the page, nothing is fetched.

    ``blank=True`` offers the blank templates of every exercise instead, to print and fill
    by hand. Opening the dossier writes nothing; "Gather my work here" saves the learner's
    whole workbook (merged from every module folder) into this folder, so that it is
    submitted with this assignment.
    """

    def __init__(self, *, workbook: Workbook | None = None, blank: bool = False,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.blank = blank
        if blank:
            self.workbook = Workbook.in_memory()
        else:
            self.workbook = workbook if workbook is not None else Workbook.open()
        title = _("Blank templates of every exercise") if blank else _("My dossier")
        self.summary = widgets.HTML()
        self.links = widgets.HTML()
        self.message = widgets.HTML()
        self.prepare_button = widgets.Button(
            description=_("Prepare the blank templates") if blank else _("Prepare my downloads"),
            icon="download", button_style="primary", layout=widgets.Layout(width="auto"))
        self.prepare_button.on_click(lambda _=None: self.prepare())
        buttons = [self.prepare_button]
        if not blank:
            self.gather_button = widgets.Button(description=_("Gather my work here"),
                                                icon="save", layout=widgets.Layout(width="auto"))
            self.gather_button.on_click(lambda _=None: self.gather())
            buttons.append(self.gather_button)
        self.children = [widgets.HTML(f"<h3 class='d4-title'>{html.escape(title)}</h3>"),
                         self.summary,
                         widgets.HBox(buttons), self.links, self.message]
        self.refresh()

    def refresh(self) -> None:
        """Show the progress table (fast; the files are made by :meth:`prepare`)."""
        try:
            if self.workbook.path is not None:
                self.workbook = Workbook.open(self.workbook.path)
            if self.blank:
                rows = [[e["submodule"], _(e["model"].title), _("blank template")]
                        for e in dossier_entries(self.workbook)]
            else:
                rows = []
                for e in dossier_entries(self.workbook):
                    done = e["model"].completeness()
                    rows.append([e["submodule"], _(e["model"].title),
                                 str(done) if e["filled"] else _("not started")])
            self.summary.value = html_table([_("Submodule"), _("Exercise"), _("Progress")],
                                            rows)
        except Exception:
            self.summary.value = html.escape(
                _("The dossier could not be prepared; your work is safe."))

    def prepare(self) -> None:
        """Make the download links (the whole dossier is drawn now, not on opening)."""
        try:
            self.refresh()
            if self.blank:
                self.links.value = _download_link(
                    _("Download the blank templates (HTML, printable)"),
                    "digit4sd_templates.html", "text/html",
                    dossier_html(self.workbook, title=_("DIGIT4SD exercise templates")))
            else:
                self.links.value = (
                    _download_link(_("Download my dossier (HTML, printable)"),
                                   "digit4sd_dossier.html", "text/html",
                                   dossier_html(self.workbook))
                    + _download_link(_("Download my workbook (JSON)"),
                                     "digit4sd_workbook.json", "application/json",
                                     self.workbook.to_json()))
            self.message.value = "<i>{}</i>".format(html.escape(
                _("Open the HTML file in a browser and print it, or save it as PDF from the "
                  "print dialog.")))
        except Exception:
            self.message.value = html.escape(_("The files could not be made; your work is safe."))

    def gather(self) -> None:
        """Save the merged workbook into this folder (it is then submitted with it)."""
        try:
            if self.workbook.path is None:
                raise WorkbookError(_("This page has no workbook file to save into."))
            self.workbook.export_json(self.workbook.path)
            self.refresh()
            self.message.value = html.escape(
                _("Your whole workbook is saved in this folder ({file}).").format(
                    file=self.workbook.path.name))
        except (OSError, WorkbookError) as exc:
            self.message.value = html.escape(_("Not saved: {reason}").format(reason=exc))


__all__ = ["Dossier", "ExerciseView", "dossier_entries", "dossier_html", "export_dossier"]
