"""What every exercise is made of: a plain model and a thin widget view over it.

Model
    A plain Python object: data plus validation, no widgets. Built and checked from code,
    stored in the workbook as JSON (``to_dict`` / ``from_dict``). Every change goes through
    a method that validates first and raises :class:`ValidationError` with a message meant
    for the learner; on refusal the model is unchanged.

View
    An ``ipywidgets.VBox`` that shows one model and edits it. Each callback runs through
    :meth:`ExerciseView._guard`: a refused change shows its message next to the control; an
    unexpected error shows a plain apology; nothing ever raises into the learner's page.
    Accepted changes are saved to the workbook at once.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self

import ipywidgets as widgets

from .. import i18n
from ..i18n import _
from ..workbook import Workbook, WorkbookError

log = logging.getLogger("digit4sd_widgets")

#: the exercises' own style rules, carried by each exercise's title so that they apply in
#: JupyterLab, in the room's apps and in the country packs alike
EXERCISE_CSS = (Path(__file__).with_name("exercise.css")).read_text(encoding="utf-8")
#: tables as cards on narrow screens: the exercises, the dossier and the room's pages
TABLES_CSS = (Path(__file__).parent.parent / "share" / "tables.css").read_text(encoding="utf-8")

MAX_TEXT = 2000
MAX_NAME = 120
DEFAULT_COUNTRY = "BGD"


class ValidationError(ValueError):
    """An input the exercise refuses; ``str(err)`` is the message shown to the learner."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --------------------------------------------------------------------------- validators
def text(value: Any, label: str, *, required: bool = False, max_len: int = MAX_TEXT,
         field: str | None = None) -> str:
    """Plain text, trimmed. Refuses non-text and over-long text."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("{label} must be text.").format(label=label), field)
    value = value.strip()
    if "\x00" in value:
        raise ValidationError(_("{label} contains a character that cannot be stored.")
                              .format(label=label), field)
    if required and not value:
        raise ValidationError(_("{label} cannot be empty.").format(label=label), field)
    if len(value) > max_len:
        raise ValidationError(_("{label} is too long (at most {max_len} characters).")
                              .format(label=label, max_len=max_len), field)
    return value


def number(value: Any, label: str, *, lo: float | None = None, hi: float | None = None,
           field: str | None = None) -> float:
    """A finite number, also from text such as ``"0.62"`` or ``"62,5"``."""
    if isinstance(value, bool):
        raise ValidationError(_("{label} must be a number.").format(label=label), field)
    if isinstance(value, str):
        cleaned = value.strip().replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            raise ValidationError(_("{label} must be a number, not {typed}.").format(
                label=label, typed=repr(value.strip()[:30])), field) from None
    if not isinstance(value, (int, float)):
        raise ValidationError(_("{label} must be a number.").format(label=label), field)
    try:
        value = float(value)
    except OverflowError:
        raise ValidationError(_("{label} is far too large.").format(label=label),
                              field) from None
    if not math.isfinite(value):
        raise ValidationError(_("{label} must be a number.").format(label=label), field)
    if lo is not None and value < lo:
        raise ValidationError(_("{label} must be at least {lowest}.").format(
            label=label, lowest=_fmt(lo)), field)
    if hi is not None and value > hi:
        raise ValidationError(_("{label} must be at most {highest}.").format(
            label=label, highest=_fmt(hi)), field)
    return value


def integer(value: Any, label: str, *, lo: int | None = None, hi: int | None = None,
            field: str | None = None) -> int:
    """A whole number, also from text; ``4.0`` is accepted, ``4.5`` is not."""
    as_float = number(value, label, lo=lo, hi=hi, field=field)
    if as_float != int(as_float):
        raise ValidationError(_("{label} must be a whole number.").format(label=label),
                              field)
    return int(as_float)


def choice(value: Any, label: str, options: Iterable[str], *, field: str | None = None) -> str:
    options = list(options)
    if not isinstance(value, str) or value not in options:
        raise ValidationError(_("{label} must be one of: {options}.").format(
            label=label, options=", ".join(options)), field)
    return value


def mapping(value: Any, label: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(_("{label} must be a set of named fields.").format(label=label))
    return value


def sequence(value: Any, label: str, *, max_len: int = 200) -> Sequence[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValidationError(_("{label} must be a list.").format(label=label))
    if len(value) > max_len:
        raise ValidationError(_("{label} has too many entries (at most {max_len}).")
                              .format(label=label, max_len=max_len))
    return value


def index_by_name(items: Sequence[Any], name: Any, what: str) -> int:
    """Position of the item called ``name`` (case and outer spaces ignored)."""
    key = str(name).strip().casefold()
    for i, item in enumerate(items):
        if item.name.casefold() == key:
            return i
    raise ValidationError(_("There is no {what} called '{name}'.").format(
        what=what, name=name), "name")


def require_unique_names(items: Sequence[Any], message: str) -> None:
    """Refuse two items whose names differ only by case."""
    names = [item.name.casefold() for item in items]
    if len(set(names)) != len(names):
        raise ValidationError(message, "name")


def _fmt(x: float) -> str:
    """A limit or a weight as short as it can be written, in the reader's form ("0.5",
    "0,5")."""
    return str(int(x)) if float(x).is_integer() else shown_number(f"{x:g}")


def semicolons(items: Iterable[str]) -> str:
    """Items joined by semicolons, with the reader's spacing ("a; b", "a ; b").

    >>> semicolons(["a", "b"])
    'a; b'
    """
    return i18n.pgettext("list separator", "; ").join(items)


def shown_number(written: str) -> str:
    """A number written the English way (``"0.512"``, ``"-3.5"``) in the reader's form: the
    reader's decimal sign (``"0,512"`` in French); for numbers whose digits vary (fixed
    digits: :func:`digit4sd_widgets.i18n.number`).

    >>> shown_number("0.512")
    '0.512'
    >>> with i18n.language("fr"):
    ...     shown_number("-0.512")
    '-0,512'
    """
    lang = i18n.get_language()
    if lang == i18n.SOURCE:
        return written
    from babel.numbers import get_decimal_symbol
    return written.replace(".", get_decimal_symbol(lang))


# --------------------------------------------------------------------------- reports
@dataclass
class Completeness:
    done: int
    total: int
    missing: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    def __str__(self) -> str:
        return _("{done} of {total} complete").format(done=self.done, total=self.total)


@dataclass
class Block:
    """One piece of a printable report: fields, a table, a note or a chart (PNG bytes)."""

    kind: str  # "fields" | "table" | "note" | "image"
    title: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    text: str = ""
    png: bytes = b""
    alt: str = ""  # what an image shows, in words (its alternative text)


class _ChartRecord:
    """Takes what a page's chart function shows (``show(png, alt, columns, rows)``, as
    :class:`charts.Chart` does) without making a widget."""

    value: bytes = b""
    alt: str = ""

    def show(self, png: bytes, alt: str, *_numbers: Any) -> None:
        self.value, self.alt = bytes(png or b""), alt if png else ""


def chart_block(title: str, draw: Callable[[Any], None]) -> Block:
    """A report's chart drawn by ``draw(chart)`` (the function that draws it on the page),
    so that the printed chart carries the same words for a screen reader; no widget is
    made (a report is also built inside a kernel, for the dossier)."""
    record = _ChartRecord()
    draw(record)
    return Block("image", title, png=record.value, alt=record.alt)


def html_table(columns: Sequence[str], rows: Iterable[Sequence[Any]],
               css_class: str = "d4-table", *, highlight: int | None = None,
               fmt: Callable[[Any], str] | None = None) -> str:
    """An HTML table where every cell is escaped: learner text stays text. Each cell names
    its column (``data-label``: a row reads as a card on a phone); row ``highlight`` is
    shown in bold; ``fmt`` turns a value into its text.

    >>> html_table(["Name"], [["<b>A</b>"]]).split("<tbody>")[1]
    '<tr><td data-label="Name">&lt;b&gt;A&lt;/b&gt;</td></tr></tbody></table>'
    """
    fmt = fmt or _cell
    labels = [html.escape(str(c)) for c in columns]
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    body = []
    for i, row in enumerate(rows):
        attrs = (' class="d4-self" style="font-weight:bold;background:#fff3c4"'
                 if i == highlight else "")
        cells = "".join(
            (f'<td data-label="{labels[j]}">' if j < len(labels) and labels[j] else "<td>")
            + f"{html.escape(fmt(v))}</td>" for j, v in enumerate(row))
        body.append(f"<tr{attrs}>{cells}</tr>")
    return (f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return shown_number(f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 10
                            else f"{value:.1f}")
    return str(value)


# --------------------------------------------------------------------------- model
class ExerciseModel:
    """Base of every exercise model. Subclasses set the class attributes and implement
    ``to_dict``, ``from_dict``, ``completeness`` and ``report``."""

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""
    submodule: ClassVar[str] = ""

    @classmethod
    def default_key(cls) -> str:
        return f"{cls.submodule}/{cls.kind}"

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        raise NotImplementedError

    @classmethod
    def starter(cls, workbook: Workbook) -> Self:
        """A fresh model for a learner with no saved answer; may start from earlier work."""
        return cls.from_dict({})

    @classmethod
    def from_workbook(cls, workbook: Workbook, key: str | None = None) -> Self:
        saved = workbook.get(key or cls.default_key())
        return cls.from_dict(saved) if saved is not None else cls.starter(workbook)

    def completeness(self) -> Completeness:
        raise NotImplementedError

    def report(self) -> list[Block]:
        raise NotImplementedError

    def copy(self) -> Self:
        return type(self).from_dict(self.to_dict())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_dict() == self.to_dict()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_dict()!r})"


def case_country(workbook: Workbook | None, fallback: str = DEFAULT_COUNTRY) -> str:
    if workbook is not None and workbook.country:
        return workbook.country
    return fallback


# --------------------------------------------------------------------------- view
def message_label() -> widgets.HTML:
    """A place for a message next to a control (text is escaped when shown); the room's
    pages announce its changes to screen readers (a live region)."""
    label = widgets.HTML(value="", layout=widgets.Layout(min_height="0"))
    label.add_class("d4-message")
    return label


def show_message(where: widgets.HTML, message: str, level: str = "error") -> None:
    colour = {"error": "#b00020", "ok": "#1b5e20", "info": "#37474f"}[level]
    icon = {"error": "⚠ ", "ok": "✓ ", "info": ""}[level]
    where.value = (f'<span class="d4-msg d4-{level}" style="color:{colour}">'
                   f"{html.escape(icon + message)}</span>") if message else ""


def choice_rows(view: ExerciseView, items: Iterable[Any], choices: Iterable[str], *,
                choice_width: str = "150px", feedback_width: str = "360px"
                ) -> list[widgets.Widget]:
    """Rows for a classification exercise: each item's text, a Dropdown of ``choices`` and
    a feedback area; then a "Check" button. Items need ``id`` and ``text``; the view needs
    ``_changed_for(item_id)`` and ``_check()``. Sets ``view.dropdowns``, ``view.feedback``,
    ``view.item_message``, ``view.check_button`` and ``view.score_label``."""
    view.dropdowns = {}
    view.feedback = {}
    view.item_message = message_label()
    options = [(_("(choose)"), "")] + [(c, c) for c in choices]
    rows: list[widgets.Widget] = []
    for n, item in enumerate(items, 1):
        # the item's text is the dropdown's own label, so a screen reader reads it with it
        dropdown = widgets.Dropdown(
            description=f"{n}. {item.text}", options=options, value="",
            style={"description_width": "420px"},
            layout=widgets.Layout(width=f"calc(420px + {choice_width})"))
        dropdown.observe(view._guard(view._changed_for(item.id), view.item_message),
                         names="value")
        view.dropdowns[item.id] = dropdown
        view.feedback[item.id] = widgets.HTML(layout=widgets.Layout(width=feedback_width))
        row = widgets.HBox([dropdown, view.feedback[item.id]])
        row.add_class("d4-choice-row")
        rows.append(row)
    view.check_button = widgets.Button(description=_("Check"), button_style="primary",
                                       icon="check")
    view.check_button.on_click(view._guard(view._check, view.item_message))
    view.score_label = widgets.HTML()
    return rows


def scroll_region(content: str, label: str, max_height: str = "360px") -> str:
    """``content`` (HTML) in a panel that scrolls: the keyboard can reach it and a screen
    reader names it by ``label`` (escaped).

    >>> scroll_region("<p>x</p>", "Peers & groups")[:60]
    '<div class="d4-scroll" tabindex="0" role="region" aria-label'
    """
    return (f'<div class="d4-scroll" tabindex="0" role="region" '
            f'aria-label="{html.escape(label)}" style="max-height:{max_height};'
            f'overflow:auto">{content}</div>')


class CheckboxList(widgets.VBox):
    """Several choices as a list of checkboxes: a tap or the space bar ticks one (a
    multi-select would need Ctrl-click, impossible on a phone). ``value`` is the tuple of
    ticked values, in the order of the options, as with ``SelectMultiple``.

    >>> box = CheckboxList([("Sixteen nine", "16.9"), ("Sixteen six", "16.6")], "Targets")
    >>> box.value = ("16.6",); box.value
    ('16.6',)
    >>> box.boxes["16.9"].value = True; box.value
    ('16.9', '16.6')
    """

    def __init__(self, options: Sequence[tuple[str, str]], description: str = "",
                 **kwargs: Any):
        self.boxes = {value: widgets.Checkbox(value=False, description=label, indent=False,
                                              layout=widgets.Layout(width="auto"))
                      for label, value in options}
        heading = [widgets.HTML(f"<b>{html.escape(description)}</b>")] if description else []
        super().__init__([*heading, *self.boxes.values()], **kwargs)
        self.add_class("d4-checklist")

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(v for v, box in self.boxes.items() if box.value)

    @value.setter
    def value(self, chosen: Iterable[str]) -> None:
        chosen = set(chosen)
        for v, box in self.boxes.items():
            box.value = v in chosen

    def on_change(self, callback: Callable[[], Any]) -> None:
        """Call ``callback()`` whenever a box is ticked or unticked."""
        for box in self.boxes.values():
            box.observe(lambda _change: callback(), names="value")


def _settle_controls(widget: widgets.Widget) -> None:
    """Buttons as wide as their words (the default width cuts labels such as "Update
    selected"); text boxes that send their text when the learner leaves them, not at every
    key. A box that sends at every key has a message under way while the learner types, and
    the browser holds its later letters back until that message is answered; a button's
    click is not held back, so a quick "Save" could reach the kernel before the last words
    (seen with a name typed and "Add" tapped at once). Leaving the box sends the whole text
    before the click."""
    if isinstance(widget, widgets.Button) and not widget.layout.width:
        widget.layout.width = "auto"
    if isinstance(widget, (widgets.Text, widgets.Textarea)):
        widget.continuous_update = False
    for child in getattr(widget, "children", ()):
        _settle_controls(child)


class ExerciseView(widgets.VBox):
    """Base of every exercise widget: binds a model to the learner's workbook."""

    model_class: ClassVar[type[ExerciseModel]] = ExerciseModel

    def __init__(self, model: ExerciseModel | None = None, *, workbook: Workbook | None = None,
                 key: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.add_class("d4-exercise")
        self.key = key or self.model_class.default_key()
        self.status = message_label()
        self.workbook = workbook if workbook is not None else self._open_workbook()
        self.model = model if model is not None else self._load_model()
        try:
            body = self._build()
        except Exception:  # a broken view must not take the page down
            log.exception("building %s failed", type(self).__name__)
            body = [widgets.HTML(html.escape(
                _("This exercise could not be shown. Your saved work is safe.")))]
        header = widgets.HTML(f"<style>{EXERCISE_CSS}{TABLES_CSS}</style>"
                              f"<h3 class='d4-title'>{html.escape(self.page_title())}</h3>")
        self.children = [header, *body, self.status]
        _settle_controls(self)
        for problem in self.workbook.problems:
            show_message(self.status, problem, "info")
        self._safe_refresh()

    # -- wiring
    def page_title(self) -> str:
        """The exercise's title on the page (the model's title unless a view says more),
        in the reader's language (a model marks its title with ``N_``)."""
        return _(self.model_class.title)

    def _open_workbook(self) -> Workbook:
        try:
            return Workbook.open()
        except Exception as exc:  # unreadable folder, permissions...
            log.exception("opening the workbook failed")
            wb = Workbook.in_memory()
            wb.problems.append(_("Your workbook could not be opened ({problem}); answers "
                                 "in this page will not be saved.").format(problem=exc))
            return wb

    def _load_model(self) -> ExerciseModel:
        try:
            return self.model_class.from_workbook(self.workbook, self.key)
        except ValidationError as exc:
            self.workbook.problems.append(
                _("Your saved answer could not be restored ({problem}); starting afresh. The "
                  "saved copy is still in your workbook file.").format(problem=exc))
            return self.model_class.starter(self.workbook)

    def _build(self) -> list[widgets.Widget]:
        """Create the controls; return them in display order."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Show ``self.model`` in the controls."""

    def _safe_refresh(self) -> None:
        try:
            self.refresh()
            _settle_controls(self)  # rows a refresh made (criteria, areas) included
        except Exception:
            log.exception("refreshing %s failed", type(self).__name__)
            show_message(self.status, _("Part of this exercise could not be shown."),
                         "error")

    def _guard(self, action: Callable[..., Any], where: widgets.HTML | None = None
               ) -> Callable[..., None]:
        """Wrap a callback: refused input shows a message; nothing raises into the page."""
        target = where if where is not None else self.status

        def run(*args: Any, **kwargs: Any) -> None:
            try:
                action(*args, **kwargs)
            except ValidationError as exc:
                show_message(target, str(exc), "error")
            except WorkbookError as exc:
                show_message(self.status, str(exc), "error")
            except Exception:
                log.exception("%s: unexpected error", type(self).__name__)
                show_message(target, _("That did not work; your last saved answer is "
                                       "kept."), "error")
            else:
                if target is not self.status:
                    show_message(target, "")

        return run

    def commit(self, model: ExerciseModel) -> None:
        """Accept a new model state: save it, then show it (with anything the save had to
        set aside, in plain words)."""
        before = len(self.workbook.problems)
        self.workbook.set(self.key, model.kind, model.to_dict())
        self.model = model
        self._safe_refresh()
        news = self.workbook.problems[before:]
        if news:
            show_message(self.status, " ".join([self.saved_words(), *news]), "info")
        else:
            show_message(self.status, self.saved_words(), "ok")

    def saved_words(self) -> str:
        """The words after a save: in the workbook, or (no workbook file) for this page
        only."""
        return (_("Saved in your workbook.") if self.workbook.path
                else _("Saved for this page only."))

    def _repr_keys(self) -> Iterable[str]:  # keep widget reprs short in logs
        yield from ()
