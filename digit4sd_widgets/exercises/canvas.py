"""Implementation canvas (submodule 4.1): the whole initiative on one page.

Thirteen blocks, from the SDG target to the KPIs. A new canvas starts from the learner's
earlier work: the case (target area and SDG targets), the stakeholder matrix (3.2) and the
KPI builder (3.3). The printable version shows empty blocks as lines to write on by hand.

>>> m = ImplementationCanvasModel().with_values(title="Birth registration online",
...                                             blocks={"risks": "Power cuts in rural offices"})
>>> m.completeness().done, m.completeness().total
(1, 13)
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any, ClassVar

import ipywidgets as widgets

from ..i18n import N_, _, ngettext
from ..workbook import Workbook
from ._base import (
    MAX_TEXT,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    mapping,
    message_label,
    show_message,
    shown_number,
    text,
)
from .stakeholders import Stakeholder, kind_label, role_label, strategy_for, strategy_label

#: (key, label, guiding question); the labels and questions are English, shown in the
#: reader's language through :func:`block_label` and :func:`block_prompt`
BLOCKS: tuple[tuple[str, str, str], ...] = (
    ("sdg_target", N_("SDG target(s)"),
     N_("Which SDG target(s) will the initiative help reach? For example 16.9.")),
    ("problem", N_("Problem"),
     N_("What goes wrong today, for whom, and how do you know?")),
    ("users", N_("Users"),
     N_("Who will use the service? Name the groups that are hardest to reach, and say how "
        "you will test the service with them before it starts.")),
    ("stakeholders", N_("Stakeholders"),
     N_("Who has a stake or a say, and how will you work with each of them?")),
    ("activities", N_("Key activities"),
     N_("What are the main steps, in order, to get it running?")),
    ("services_channels", N_("Services and channels"),
     N_("What will people get, and how: website, phone, SMS, service centre, agent?")),
    ("data_infrastructure", N_("Data and infrastructure"),
     N_("Which registers, data, systems and connections does it need?")),
    ("legal_policy", N_("Legal and policy basis"),
     N_("Which laws, policies or rules allow it, and which stand in the way?")),
    ("resources_funding", N_("Resources and funding"),
     N_("Who pays, roughly how much, and for how long after the launch? How will you buy "
        "(an open tender?), and will the government own the data and the source code?")),
    ("privacy_security", N_("Personal data and security"),
     N_("Which personal data will it collect, who may see them, which law protects them, "
        "and how will you keep the systems safe and working?")),
    ("leadership_change", N_("Leadership and change"),
     N_("Who leads it at the top, whose daily work will change, and how will you help "
        "them change?")),
    ("risks", N_("Risks"),
     N_("What could go wrong, and what will you do about it?")),
    ("kpis", N_("KPIs"),
     N_("How will you measure progress? A baseline, a target and a year for each.")),
)
BLOCK_KEYS: tuple[str, ...] = tuple(key for key, _, _ in BLOCKS)
BLOCK_LABELS: dict[str, str] = {key: label for key, label, _ in BLOCKS}
BLOCK_PROMPTS: dict[str, str] = {key: prompt for key, _, prompt in BLOCKS}
PREFILLED: tuple[str, ...] = ("sdg_target", "problem", "stakeholders", "kpis")
MAX_TITLE = 200
BLANK = "\n".join(["_" * 50] * 3)  # lines to write on, in the printed canvas
INDICATOR_LABELS = {"egdi": "EGDI", "osi": "OSI", "hci": "HCI", "tii": "TII", "epi": "EPI",
                    "internet_pct": N_("Internet use (%)")}


def block_label(key: str) -> str:
    """A block's name in the reader's language."""
    return _(BLOCK_LABELS[key])


def block_prompt(key: str) -> str:
    """A block's guiding question in the reader's language."""
    return _(BLOCK_PROMPTS[key])


# --------------------------------------------------------------------------- prefill
def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _num(value: Any, digits: int | None = None) -> str:
    """A number as people read it: rounded to ``digits`` decimals when given (a baseline of
    55.7716 % reads 55.8, a target of 60 reads 60)."""
    if isinstance(value, bool) or value is None:
        return "?"
    if isinstance(value, (int, float)) and math.isfinite(value):
        return shown_number(f"{round(value, digits) if digits is not None else value:g}")
    return _one_line(value)[:20] or "?"


def _fit(lines: list[str]) -> str:
    """Join lines, dropping those that would not fit in a block."""
    out: list[str] = []
    for line in lines:
        if len("\n".join([*out, line])) > MAX_TEXT:
            break
        out.append(line)
    return "\n".join(out)


def stakeholder_lines(saved: Any) -> list[str]:
    """One line per stakeholder of a saved stakeholder matrix: "Name (kind, role) - strategy".

    Entries that cannot be read are left out.

    >>> stakeholder_lines({"stakeholders": [{"name": "Ministry of ICT", "kind": "government",
    ...                    "influence": 5, "interest": 5, "role": "sponsor"}]})
    ['Ministry of ICT (government, sponsor) - manage closely']
    """
    if not isinstance(saved, Mapping) or not isinstance(saved.get("stakeholders"), list):
        return []
    lines = []
    for item in saved["stakeholders"]:
        try:
            s = Stakeholder.parse(item)
        except ValidationError:
            continue
        about = ", ".join(p for p in (kind_label(s.kind), role_label(s.role)) if p)
        lines.append(_("{name} ({about}) - {strategy}").format(
            name=_one_line(s.name), about=about,
            strategy=strategy_label(strategy_for(s.influence, s.interest))))
    return lines


def kpi_lines(saved: Any) -> list[str]:
    """One line per KPI of a saved KPI builder: "Name: indicator baseline -> target by year".

    >>> kpi_lines({"kpis": [{"name": "Online services", "indicator": "osi", "baseline": 0.52,
    ...            "target": 0.65, "target_year": 2030}]})
    ['Online services: OSI 0.52 -> 0.65 by 2030']
    >>> kpi_lines({"kpis": [{"name": "Online", "indicator": "internet_pct",
    ...            "baseline": 55.7716, "target": 80, "target_year": 2030}]})
    ['Online: Internet use (%) 55.8 -> 80 by 2030']
    >>> kpi_lines({"kpis": [{"name": "Births registered online", "kind": "project",
    ...            "unit": "a month", "baseline": 0, "target": 600, "target_year": 2028}]})
    ['Births registered online: 0 a month -> 600 a month by 2028']
    """
    if not isinstance(saved, Mapping) or not isinstance(saved.get("kpis"), list):
        return []
    lines = []
    for item in saved["kpis"]:
        if not isinstance(item, Mapping):
            continue
        name = _one_line(item.get("name") or "")
        if not name:
            continue
        indicator = item.get("indicator")
        digits = 1 if indicator == "internet_pct" else 2
        indicator = (_(INDICATOR_LABELS[indicator]) if indicator in INDICATOR_LABELS
                     else _one_line(indicator) if isinstance(indicator, str) else "")
        unit = _one_line(item.get("unit") or "") if isinstance(item.get("unit"), str) else ""
        unit = f" {unit}" if unit else ""
        change = _("{baseline} -> {target} by {year}").format(
            baseline=f"{_num(item.get('baseline'), digits)}{unit}",
            target=f"{_num(item.get('target'), digits)}{unit}",
            year=_num(item.get("target_year")))
        lines.append(f"{name}: {indicator} {change}" if indicator else f"{name}: {change}")
    return lines


def suggestions(workbook: Workbook) -> dict[str, str]:
    """What earlier work suggests for the prefilled blocks (only blocks with something)."""
    case = workbook.case
    out: dict[str, str] = {}
    targets = case.get("sdg_targets") or []
    if isinstance(targets, list) and targets:
        out["sdg_target"] = _fit([", ".join(_one_line(t) for t in targets)])
    area = case.get("target_area") or ""
    if isinstance(area, str) and area.strip():
        out["problem"] = _fit([_("Target area: {area}").format(area=_one_line(area)), ""])
    people = stakeholder_lines(workbook.latest("stakeholder_matrix"))
    if people:
        out["stakeholders"] = _fit(people)
    kpis = kpi_lines(workbook.latest("kpi_builder"))
    if kpis:
        out["kpis"] = _fit(kpis)
    return {k: v.strip() for k, v in out.items() if v.strip()}


# --------------------------------------------------------------------------- model
class ImplementationCanvasModel(ExerciseModel):
    """The initiative's title and its thirteen blocks of text.

    >>> ImplementationCanvasModel().with_values(blocks={"kpis": ""}).blocks["kpis"]
    ''
    """

    kind: ClassVar[str] = "implementation_canvas"
    title: ClassVar[str] = N_("Implementation canvas")
    submodule: ClassVar[str] = "4.1"

    def __init__(self, name: str = "", blocks: Mapping[str, str] | None = None):
        blocks = dict(blocks or {})
        self.name = name
        self.blocks: dict[str, str] = {key: blocks.get(key, "") for key in BLOCK_KEYS}

    # -- changes
    def with_values(self, title: Any = None, blocks: Mapping[str, Any] | None = None
                    ) -> ImplementationCanvasModel:
        """A new canvas with a new title (when given) and some blocks changed."""
        name = self.name if title is None else text(title, _("The title"), max_len=MAX_TITLE,
                                                     field="title")
        new = dict(self.blocks)
        for key, value in (blocks or {}).items():
            if key not in BLOCK_LABELS:
                raise ValidationError(_("The canvas has no block called {block!r}.").format(
                    block=str(key)[:40]), "blocks")
            new[key] = text(value, _("The {block} block").format(block=block_label(key)),
                            max_len=MAX_TEXT, field=key)
        return ImplementationCanvasModel(name, new)

    def with_empty_filled(self, found: Mapping[str, str]) -> tuple[ImplementationCanvasModel,
                                                                   list[str]]:
        """Fill the blocks that are still empty; returns the new canvas and what was filled."""
        filled = [k for k in BLOCK_KEYS if not self.blocks[k] and found.get(k)]
        return self.with_values(blocks={k: found[k] for k in filled}), filled

    # -- reading
    def filled(self) -> list[str]:
        return [k for k in BLOCK_KEYS if self.blocks[k].strip()]

    def completeness(self) -> Completeness:
        missing = [block_label(k) for k in BLOCK_KEYS if not self.blocks[k].strip()]
        return Completeness(len(BLOCK_KEYS) - len(missing), len(BLOCK_KEYS), missing)

    def report(self) -> list[Block]:
        items = [(_("Initiative"), self.name or BLANK)]
        items += [(block_label(k), self.blocks[k] or BLANK) for k in BLOCK_KEYS]
        blocks = [Block("fields", _("Implementation canvas"), items=items)]
        missing = self.completeness().missing
        if missing:
            blocks.append(Block("note", _("Still to fill in"),
                                text=_("{blocks}.").format(blocks=", ".join(missing))))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"title": self.name, "blocks": dict(self.blocks)}

    @classmethod
    def from_dict(cls, data: Any) -> ImplementationCanvasModel:
        data = mapping(data, _("A canvas"))
        raw = data.get("blocks")
        blocks = mapping({} if raw is None else raw, _("The canvas blocks"))
        return cls().with_values(title=data.get("title", "") or "", blocks=blocks)

    @classmethod
    def starter(cls, workbook: Workbook) -> ImplementationCanvasModel:
        """A new canvas prefilled from the learner's case, stakeholders and KPIs."""
        return cls().with_values(blocks=suggestions(workbook))


# ------------------------------------------------------------------------------- view
def canvas_html(model: ImplementationCanvasModel) -> str:
    """The canvas as a one-page grid; every piece of learner text is escaped."""
    cells = []
    for key in BLOCK_KEYS:
        body = html.escape(model.blocks[key]).replace("\n", "<br>") or "<i>–</i>"
        cells.append(f"<div class='d4-canvas-cell' style='border:1px solid #b8c0c6;"
                     f"padding:4px;font-size:90%'><b>{html.escape(block_label(key))}</b>"
                     f"<div>{body}</div></div>")
    untitled = html.escape(_("(no title yet)"))
    heading = html.escape(model.name) or f"<i>{untitled}</i>"
    return (f"<div class='d4-canvas'><div style='font-weight:bold'>{heading}</div>"
            "<div style='display:grid;grid-template-columns:repeat(3,1fr);gap:4px'>"
            + "".join(cells) + "</div></div>")


class ImplementationCanvas(ExerciseView):
    """Implementation canvas: a one-page snapshot of the initiative.

    >>> view = ImplementationCanvas(workbook=Workbook.in_memory())
    >>> view.areas["risks"].value = "Staff turnover"; view.save_button.click()
    >>> view.model.blocks["risks"]
    'Staff turnover'
    """

    model_class = ImplementationCanvasModel
    model: ImplementationCanvasModel

    def _build(self) -> list[widgets.Widget]:
        self.title_box = widgets.Text(description=_("Initiative"),
                                      placeholder=_("Name of the initiative"),
                                      style={"description_width": "90px"},
                                      layout=widgets.Layout(width="95%"))
        self.areas: dict[str, widgets.Textarea] = {}
        parts: list[widgets.Widget] = [self.title_box]
        for key in BLOCK_KEYS:
            label, prompt = block_label(key), block_prompt(key)
            area = widgets.Textarea(placeholder=prompt, rows=3,
                                    layout=widgets.Layout(width="95%"))
            self.areas[key] = area
            parts.append(widgets.VBox([
                widgets.HTML(f"<b>{html.escape(label)}</b> "
                             f"<span style='color:#5f6b73'>{html.escape(prompt)}</span>"),
                area]))
        self.save_button = widgets.Button(description=_("Save"), button_style="primary",
                                          icon="save")
        self.refresh_button = widgets.Button(description=_("Refresh from my earlier work"),
                                             icon="refresh",
                                             layout=widgets.Layout(width="auto"))
        self.replace_button = widgets.Button(
            description=_("Replace stakeholders and KPIs with my latest lists"),
            icon="exchange", layout=widgets.Layout(width="auto"))
        self.action_message = message_label()  # refusals
        self.action_note = message_label()  # what a button did
        self.progress = widgets.HTML()
        self.preview = widgets.HTML()
        self.save_button.on_click(self._guard(self._save, self.action_message))
        self.refresh_button.on_click(self._guard(self._refill, self.action_message))
        self.replace_button.on_click(self._guard(self._replace, self.action_message))
        buttons = widgets.HBox([self.save_button, self.refresh_button, self.replace_button])
        return [widgets.VBox(parts), buttons, self.action_message, self.action_note,
                self.progress,
                widgets.HTML("<b>" + html.escape(_("Your canvas on one page")) + "</b>"),
                self.preview]

    def _typed(self) -> ImplementationCanvasModel:
        """The canvas as typed on the page (not yet saved)."""
        return self.model.with_values(
            title=self.title_box.value,
            blocks={key: area.value for key, area in self.areas.items()})

    def _save(self, _button=None) -> None:
        show_message(self.action_note, "")
        self.commit(self._typed())

    def _refill(self, _button=None) -> None:
        show_message(self.action_note, "")
        new, filled = self._typed().with_empty_filled(suggestions(self.workbook))
        self.commit(new)
        if filled:
            names = ", ".join(block_label(k) for k in filled)
            show_message(self.action_note, ngettext(
                "Filled {n} empty block from your earlier work: {blocks}. Nothing you wrote "
                "was changed.",
                "Filled {n} empty blocks from your earlier work: {blocks}. Nothing you wrote "
                "was changed.", len(filled)).format(n=len(filled), blocks=names), "ok")
        else:
            show_message(self.action_note, _("Nothing to add: the blocks your earlier work "
                                             "can fill already have text (or there is no "
                                             "earlier work yet). Nothing you wrote was "
                                             "changed."), "info")

    def _replace(self, _button=None) -> None:
        show_message(self.action_note, "")
        found = suggestions(self.workbook)
        typed = self._typed()
        changes: dict[str, str] = {}
        parts = []
        for key in ("stakeholders", "kpis"):
            block = block_label(key)
            if found.get(key):
                changes[key] = found[key]
                n = found[key].count("\n") + 1
                if key == "stakeholders":
                    words = ngettext(
                        "Replaced the {block} block with {n} line from your stakeholder "
                        "matrix.", "Replaced the {block} block with {n} lines from your "
                        "stakeholder matrix.", n)
                else:
                    words = ngettext(
                        "Replaced the {block} block with {n} line from your KPI builder.",
                        "Replaced the {block} block with {n} lines from your KPI builder.", n)
                parts.append(words.format(block=block, n=n))
            elif key == "stakeholders":
                parts.append(_("Left unchanged the {block} block (nothing saved yet in your "
                               "stakeholder matrix).").format(block=block))
            else:
                parts.append(_("Left unchanged the {block} block (nothing saved yet in your "
                               "KPI builder).").format(block=block))
        self.commit(typed.with_values(blocks=changes))
        show_message(self.action_note, " ".join(parts), "ok" if changes else "info")

    def refresh(self) -> None:
        self.title_box.value = self.model.name
        for key, area in self.areas.items():
            area.value = self.model.blocks[key]
        done = self.model.completeness()
        # the English says "blocks" either way; a language may count the blocks filled
        words = ngettext("{done} of {total} blocks filled", "{done} of {total} blocks filled",
                         done.done).format(done=done.done, total=done.total)
        if done.missing:
            words = _("{done} — still empty: {todo}").format(done=words,
                                                             todo=", ".join(done.missing))
        show_message(self.progress, words, "ok" if done.complete else "info")
        self.preview.value = canvas_html(self.model)


__all__ = ["BLOCKS", "BLOCK_KEYS", "BLOCK_LABELS", "ImplementationCanvas",
           "ImplementationCanvasModel", "Workbook", "block_label", "block_prompt", "kpi_lines",
           "stakeholder_lines", "suggestions"]
