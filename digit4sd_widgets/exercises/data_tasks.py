"""Data questions (READY): each submodule's "Working with the data" tasks, answered in boxes
with no code, or in code; both store the same answer, which the notebook's hidden test grades.

The questions are content (``course/data_tasks/``). This module draws them: for each question
its answer box, and the table of the data it needs, whose rows the learner filters (all
countries, a group, a region) and sorts, with the count, mean and median of the rows shown
under it. A learner who does not code finds every answer there.

A learner who codes sets a variable named as the question's id and runs the notebook's next
cell, ``tasks.take(globals())``: the values are checked as the boxes check them and saved to
the same place in the workbook (the boxes then show them).

>>> model = DataTasksModel("1.1").with_answer("sids_above", "12")
>>> model.value("sids_above"), model.completeness().done
(12, 1)
>>> DataTasksModel("1.1").with_answer("best_ldc", "btn").value("best_ldc")
'Bhutan'
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from .. import data, i18n
from ..course.data_tasks import INDICES, SURVEY_COLUMNS, TASKS, Table, Task, tasks_for
from ..i18n import N_, _, pgettext
from ..workbook import Workbook
from ._base import (
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    html_table,
    integer,
    mapping,
    message_label,
    number,
    scroll_region,
    show_message,
    shown_number,
)
from ._country import _plain, level_name, region_name
from ._country import country_name as local_name

KIND = "data_tasks"
DEFAULT_SUBMODULE = "1.1"

#: the tables' columns, named in English in the frames (the keys code and tests read);
#: :func:`column_label` gives the reader's words
LABELS = {"egdi": "EGDI", "osi": "OSI", "hci": "HCI", "tii": "TII", "epi": "EPI",
          "egdi_rank": N_("Rank"), "egdi_level": N_("EGDI level"), "region": N_("Region"),
          "internet_pct": N_("Internet users (%)"), "internet_year": N_("Year of the figure"),
          "year": N_("Edition"), "change": "Change", "rank_change": N_("Places gained")}
GROUPS = ((N_("All countries"), "all"), (N_("Least developed countries (LDCs)"), "ldc"),
          (N_("Landlocked developing countries (LLDCs)"), "lldc"),
          (N_("Small island developing States (SIDS)"), "sids"))
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


# --------------------------------------------------------------------------- the data
@lru_cache(maxsize=1)
def survey_names() -> dict[str, str]:
    """ISO3 -> the country's name in the latest Survey."""
    latest = data.load_survey(years=data.LATEST_EDITION)
    return dict(zip(latest["iso3"], latest["country"], strict=True))


@lru_cache(maxsize=1)
def _iso3_of() -> dict[str, str]:
    """The Survey's name of a country -> its ISO3 code."""
    return {n: i for i, n in survey_names().items()}


def shown_country(name: Any) -> str:
    """A country stored by its Survey name, as the reader reads it."""
    iso3 = _iso3_of().get(name) if isinstance(name, str) else None
    return local_name(iso3) if iso3 else ("" if name is None else str(name))


def country_name(value: Any, label: str) -> str:
    """A country, given by its Survey name or ISO3 code (or a common name), as its Survey
    name; refuses anything else in plain words."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("{label}: choose a country (its name, as text).").format(
            label=label))
    names = survey_names()
    key = value.strip()
    by_name = {n.casefold(): n for n in names.values()}
    if key.casefold() in by_name:
        return by_name[key.casefold()]
    try:
        iso3 = data.find_country(key)
    except (KeyError, ValueError, LookupError):
        iso3 = data.country_as_read(key)  # the name the reader reads ("Bhoutan")
    if iso3 is None:
        raise ValidationError(_("{label}: {typed} is not a country of the Survey; choose "
                                "one from the list.").format(label=label,
                                                             typed=repr(key[:40])))
    if iso3 not in names:
        raise ValidationError(_("{label}: {typed} is not in the latest Survey.").format(
            label=label, typed=repr(key[:40])))
    return names[iso3]


def _scalar(value: Any) -> Any:
    """numpy and pandas single values as plain Python values; tables refused."""
    if isinstance(value, (pd.Series, pd.DataFrame, list, tuple, dict, set)):
        raise ValidationError(_("give one value, not a table or a list"))
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()
        except (ValueError, TypeError):
            raise ValidationError(_("give one value, not a table or a list")) from None
    return value


def check_answer(task: Task, value: Any, label: str) -> Any:
    """``value`` as stored for ``task``, or a :class:`ValidationError` saying what to give."""
    try:
        value = _scalar(value)
    except ValidationError as exc:
        raise ValidationError(_("{label}: {problem}.").format(label=label,
                                                                problem=exc)) from None
    if task.answer == "number":
        return number(value, label)
    if task.answer == "count":
        return integer(value, label, lo=0)
    if task.answer == "year":
        year = integer(value, label)
        if year not in data.EDITIONS:
            raise ValidationError(_("{label}: {year} is not a Survey edition ({editions}).")
                                  .format(label=label, year=year,
                                          editions=", ".join(map(str, data.EDITIONS))))
        return year
    if task.answer == "country":
        return country_name(value, label)
    # a choice: its value, or its label
    for shown, stored in task.choices:
        if isinstance(value, str) and value.strip().casefold() in (shown.casefold(),
                                                                    stored.casefold()):
            return stored
    raise ValidationError(_("{label}: choose one of {choices}.").format(
        label=label, choices=", ".join(shown for shown, _stored in task.choices)))


def _groups_of(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the flags its rows are filtered by (from the latest Survey)."""
    flags = data.load_survey(years=data.LATEST_EDITION).set_index("iso3")[
        ["ldc", "lldc", "sids", "region"]].rename(columns={"region": "_region"})
    return frame.join(flags, on="iso3")


def difference_label(table: Table) -> str:
    """The key of a table's difference column: "OSI minus TII" (:func:`column_label`
    gives the reader's words)."""
    a, b = table.difference or ("", "")
    return f"{LABELS.get(a, a)} minus {LABELS.get(b, b)}"


_SHOWN_LABELS = {v for v in LABELS.values() if v != "Change"}


def column_label(column: str) -> str:
    """A column of :func:`table_frame` (named in English) in the reader's words.

    >>> column_label("EGDI rank 2014"), column_label("OSI minus TII")
    ('EGDI rank 2014', 'OSI minus TII')
    >>> with i18n.language("fr"):
    ...     column_label("Internet users (%)") != "Internet users (%)"
    True
    """
    if column == "country":
        return _("Country")
    if column == "Change":
        return pgettext("a figure's change", "Change")
    if column == "Places gained":
        return _("Places gained")
    if column == "EGDI places gained":
        return _("EGDI places gained")
    if column in _SHOWN_LABELS:
        return _(column)
    found = re.fullmatch(r"(.+) minus (.+)", column)
    if found:
        return _("{first} minus {second}").format(first=column_label(found[1]),
                                                  second=column_label(found[2]))
    found = re.fullmatch(r"(EGDI rank|Rank|.+) (\d{4})", column)
    if found:
        if found[1] == "EGDI rank":
            return _("EGDI rank {year}").format(year=found[2])
        if found[1] == "Rank":
            return _("Rank {year}").format(year=found[2])
        return f"{column_label(found[1])} {found[2]}"
    return column


def table_frame(table: Table, case: str | None = None) -> pd.DataFrame:
    """The rows of ``table``: ``iso3``, ``country``, the columns shown (named for people),
    and the group flags used to filter (``ldc``, ``lldc``, ``sids``, ``_region``)."""
    if table.source == "survey":
        cols = [c for c in table.columns if c in SURVEY_COLUMNS]
        survey = data.load_survey(years=table.year)
        frame = survey[["iso3", "country", *cols]].rename(columns={c: LABELS[c] for c in cols})
        if table.difference:
            a, b = table.difference
            frame[difference_label(table)] = (survey[a] - survey[b]).to_numpy()
    elif table.source == "change":
        if table.index not in INDICES or table.start is None:
            raise ValueError(f"a change table needs one of {INDICES} and a start edition")
        both = data.load_survey(years=[table.start, table.year])
        wide = both.pivot(index="iso3", columns="year", values=[table.index, "egdi_rank"])
        wide = wide.dropna().astype(float)  # numbers, so the summary lines are computed
        name = LABELS[table.index]
        frame = pd.DataFrame({
            "iso3": wide.index,
            f"{name} {table.start}": wide[(table.index, table.start)].to_numpy(),
            f"{name} {table.year}": wide[(table.index, table.year)].to_numpy(),
        })
        frame["Change"] = frame[f"{name} {table.year}"] - frame[f"{name} {table.start}"]
        frame[f"Rank {table.start}"] = wide[("egdi_rank", table.start)].astype(int).to_numpy()
        frame[f"Rank {table.year}"] = wide[("egdi_rank", table.year)].astype(int).to_numpy()
        frame["Places gained"] = frame[f"Rank {table.start}"] - frame[f"Rank {table.year}"]
        if table.index != "egdi":  # ranks are of the EGDI: say so
            frame = frame.rename(columns={f"Rank {table.start}": f"EGDI rank {table.start}",
                                          f"Rank {table.year}": f"EGDI rank {table.year}",
                                          "Places gained": "EGDI places gained"})
        frame.insert(1, "country", frame["iso3"].map(survey_names()))
    elif table.source == "internet":
        net = data.load_internet_use(latest=table.latest)
        if not table.latest:
            net = net[net["year"] == table.year]
        net = net[net["iso3"].isin(survey_names())]
        frame = pd.DataFrame({"iso3": net["iso3"].to_numpy(),
                              "country": net["iso3"].map(survey_names()).to_numpy(),
                              LABELS["internet_pct"]: net["internet_pct"].to_numpy()})
        if table.latest:
            frame[LABELS["internet_year"]] = net["year"].astype(int).to_numpy()
    else:  # editions
        wanted = [case if c == "case" else c for c in table.countries]
        wanted = [c for c in wanted if c]
        cols = [c for c in table.columns if c in (*INDICES, "egdi_rank")]
        frame = data.load_survey(countries=wanted or None)[["iso3", "country", "year", *cols]]
        frame = frame.rename(columns={"year": LABELS["year"],
                                      **{c: LABELS[c] for c in cols}})
        frame = frame.sort_values(["country", LABELS["year"]])
    frame = _groups_of(frame.reset_index(drop=True))
    return frame


def filter_rows(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    if group in ("ldc", "lldc", "sids"):
        return frame[frame[group].fillna(False).astype(bool)]
    if group in REGIONS:
        return frame[frame["_region"] == group]
    return frame


def shown_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns
            if c not in ("iso3", "ldc", "lldc", "sids", "_region")]


def number_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in shown_columns(frame) if c not in ("country", LABELS["year"],
                                                        LABELS["internet_year"])
            and pd.api.types.is_numeric_dtype(frame[c])]


def summary_rows(rows: pd.DataFrame) -> list[list[Any]]:
    """Count, mean and median of each number column, for the rows shown."""
    cols = shown_columns(rows)
    nums = set(number_columns(rows))
    out = []
    for label, how in ((_("Mean"), "mean"), (_("Median"), "median")):
        out.append([label, *[getattr(rows[c], how)() if c in nums and len(rows) else None
                             for c in cols[1:]]])
    out.insert(0, [_("Rows shown"), len(rows), *[None] * (len(cols) - 2)])
    return out


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return shown_number(f"{value:.1f}" if abs(value) >= 10 else f"{value:.4f}")
    return str(value)


# --------------------------------------------------------------------------- the model
def _known(submodule: Any) -> str:
    if not isinstance(submodule, str) or submodule.strip() not in TASKS:
        raise ValidationError(_("There are no data questions for submodule {submodule}.")
                              .format(submodule=repr(submodule)), "submodule")
    return submodule.strip()


class DataTasksModel(ExerciseModel):
    """A learner's answers to one submodule's data questions: ``{question id: value}``."""

    kind: ClassVar[str] = KIND
    title: ClassVar[str] = N_("Questions on the data")
    submodule: ClassVar[str] = DEFAULT_SUBMODULE  # each instance sets its own

    def __init__(self, submodule: str = DEFAULT_SUBMODULE,
                 answers: Mapping[str, Any] | None = None):
        self.submodule = _known(submodule)  # type: ignore[misc]
        self.tasks = tasks_for(self.submodule)
        answers = dict(mapping(answers or {}, _("The answers")))
        clean: dict[str, Any] = {}
        for n, task in enumerate(self.tasks, 1):
            if answers.get(task.id) is not None:
                clean[task.id] = check_answer(task, answers[task.id], question_label(n))
        self.answers = clean

    def task(self, task_id: str) -> tuple[int, Task]:
        for n, task in enumerate(self.tasks, 1):
            if task.id == task_id:
                return n, task
        raise ValidationError(_("There is no question {question} in {submodule}.").format(
            question=repr(task_id), submodule=self.submodule))

    def with_answer(self, task_id: str, value: Any) -> DataTasksModel:
        n, task = self.task(task_id)
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.without_answer(task_id)
        stored = check_answer(task, value, question_label(n))
        return DataTasksModel(self.submodule, {**self.answers, task_id: stored})

    def without_answer(self, task_id: str) -> DataTasksModel:
        self.task(task_id)
        return DataTasksModel(self.submodule, {k: v for k, v in self.answers.items()
                                               if k != task_id})

    def value(self, task_id: str) -> Any:
        self.task(task_id)
        return self.answers.get(task_id)

    def shown(self, task_id: str) -> str:
        """The stored answer as a person reads it."""
        value = self.value(task_id)
        if value is None:
            return ""
        _n, task = self.task(task_id)
        if task.answer == "choice":
            return next((s for s, v in task.choices if v == value), str(value))
        if task.answer == "number":
            return shown_number(f"{value:.{max(task.decimals, 0)}f}")
        if task.answer == "country":
            return shown_country(value)
        return str(value)

    @classmethod
    def default_key_for(cls, submodule: str) -> str:
        return f"{submodule}/{KIND}"

    def completeness(self) -> Completeness:
        missing = [_("question {number}").format(number=n) for n, t in enumerate(self.tasks, 1)
                   if t.id not in self.answers]
        return Completeness(len(self.tasks) - len(missing), len(self.tasks), missing)

    def report(self) -> list[Block]:
        items = [(f"{n}. {t.prompt}", self.shown(t.id) or _("(not answered)"))
                 for n, t in enumerate(self.tasks, 1)]
        return [Block("fields", _("Questions on the data {submodule}").format(
            submodule=self.submodule), items=items)]

    def to_dict(self) -> dict[str, Any]:
        return {"submodule": self.submodule, "answers": dict(self.answers)}

    @classmethod
    def from_dict(cls, data_: Any) -> DataTasksModel:
        data_ = mapping(data_ or {}, _("A saved answer"))
        submodule = data_.get("submodule", DEFAULT_SUBMODULE)
        answers = mapping(data_.get("answers") or {}, _("The answers"))
        if isinstance(submodule, str) and submodule.strip() in TASKS:
            # a question taken out of the course, or a value no longer valid, is dropped
            kept = {}
            model = cls(submodule)
            for key, value in answers.items():
                try:
                    kept[key] = model.with_answer(key, value).answers[key]
                except (ValidationError, KeyError):
                    continue
            return cls(submodule, kept)
        return cls(submodule, answers)


def take_answers(model: DataTasksModel, namespace: Mapping[str, Any]
                 ) -> tuple[DataTasksModel, list[str], list[str]]:
    """The answers that code set (variables named as the questions' ids, not None) put into
    ``model``: (new model, lines saved, lines refused). A refused value keeps the earlier
    answer."""
    saved, refused = [], []
    for n, task in enumerate(model.tasks, 1):
        if task.id not in namespace or namespace[task.id] is None:
            continue
        try:
            model = model.with_answer(task.id, namespace[task.id])
        except ValidationError as exc:
            refused.append(_("{variable}: {problem} Your earlier answer to question {number} "
                             "is kept.").format(variable=task.id, problem=exc, number=n))
        else:
            saved.append(_("{variable} = {value} (question {number})").format(
                variable=task.id, value=model.shown(task.id), number=n))
    return model, saved, refused


# --------------------------------------------------------------------------- the view
class _TablePanel(widgets.VBox):
    """A question's data: rows chosen and sorted by the learner, with their count, mean and
    median; drawn when first opened (a page of questions stays light)."""

    def __init__(self, table: Table, case: str | None, title: str):
        super().__init__()
        self.add_class("d4-data-panel")
        self.table, self.case, self.title = table, case, title
        self._frame: pd.DataFrame | None = None
        self.toggle = widgets.ToggleButton(value=False, description=_("Show the data"),
                                           icon="table")
        self.toggle.observe(lambda _c: self._toggled(), names="value")
        self.body = widgets.VBox()
        self.children = [self.toggle, self.body]

    def _toggled(self) -> None:
        if not self.toggle.value:
            self.toggle.description = _("Show the data")
            self.body.children = []
            return
        self.toggle.description = _("Hide the data")
        if self._frame is None:
            self._frame = table_frame(self.table, self.case)
            cols = shown_columns(self._frame)
            self.rows = widgets.Dropdown(
                description=_("Countries"), options=self._group_options(),
                value=self.table.group if self.table.group in
                {v for _label, v in self._group_options()} else "all")
            self.sort = widgets.Dropdown(description=_("Sort by"),
                                         options=[(column_label(c), c) for c in cols],
                                         value=self._first_sort(cols))
            self.order = widgets.Dropdown(description=_("Order"),
                                          options=[(_("Highest first"), True),
                                                   (_("Lowest first"), False)],
                                          value=self.table.descending)
            for control in (self.rows, self.sort, self.order):
                control.observe(lambda _c: self._draw(), names="value")
            self.grid = widgets.HTML()
            controls = widgets.HBox([self.rows, self.sort, self.order])
            controls.add_class("d4-wrap")
            self.panel = [controls, self.grid]
        self.body.children = self.panel
        self._draw()

    def _group_options(self) -> list[tuple[str, str]]:
        if self.table.source == "editions":
            return [(_("All shown"), "all")]
        return [*((_(label), value) for label, value in GROUPS),
                *((region_name(r), r) for r in REGIONS)]

    def _first_sort(self, cols: list[str]) -> str:
        wanted = LABELS.get(self.table.sort, self.table.sort)
        if self.table.sort == "difference" and self.table.difference:
            wanted = difference_label(self.table)
        if self.table.source == "change" and self.table.sort == "change":
            wanted = "Change"
        return wanted if wanted in cols else cols[0]

    def _draw(self) -> None:
        frame = filter_rows(self._frame, self.rows.value)
        if i18n.get_language() != i18n.SOURCE:  # the names the reader reads, sorted as read
            frame = frame.assign(country=frame["iso3"].map(local_name))
        cols = shown_columns(frame)
        key = self.sort.value
        if key == "country" and i18n.get_language() != i18n.SOURCE:
            frame = frame.sort_values(key, ascending=not self.order.value, kind="stable",
                                      key=lambda names: names.map(_plain))
        elif key == "country":
            frame = frame.sort_values(key, ascending=not self.order.value, kind="stable")
        else:
            frame = frame.sort_values(key, ascending=not self.order.value, kind="stable",
                                      na_position="last")
        level = LABELS["egdi_level"]
        if level in cols and i18n.get_language() != i18n.SOURCE:  # "élevé", sorted as levels
            frame = frame.assign(**{level: frame[level].map(
                lambda v: None if pd.isna(v) else level_name(v)).astype(object)})
        rows = [[i, *row] for i, row in enumerate(frame[cols].itertuples(index=False), 1)]
        table = html_table(["#", *[column_label(c) for c in cols]], rows, fmt=_fmt)
        summary = html_table(["", *[column_label(c) for c in cols[1:]]],
                             summary_rows(frame), fmt=_fmt)
        self.grid.value = (scroll_region(table, _("Data for {question}").format(
                               question=self.title), "320px")
                           + "<p style='margin:6px 0 2px'><b>"
                           + html.escape(_("The rows shown:")) + "</b></p>"
                           + summary)


class DataTasks(ExerciseView):
    """A submodule's data questions: an answer box for each, and its data in a table that
    the learner can filter and sort. Answers are saved as they are given."""

    model_class = DataTasksModel

    def __init__(self, submodule: str | None = None, **kwargs: Any):
        chosen = DEFAULT_SUBMODULE if submodule is None else str(submodule).strip()
        problem = ""
        if chosen not in TASKS:
            problem = _("There are no data questions for submodule {submodule}; showing "
                        "those of {default}.").format(submodule=repr(chosen),
                                                      default=DEFAULT_SUBMODULE)
            chosen = DEFAULT_SUBMODULE
        self.task_submodule = chosen
        kwargs.setdefault("key", DataTasksModel.default_key_for(chosen))
        super().__init__(**kwargs)
        if problem:
            show_message(self.status, problem, "info")

    def page_title(self) -> str:
        return _("Questions on the data, {submodule}").format(submodule=self.task_submodule)

    def _load_model(self) -> DataTasksModel:
        saved = self.workbook.get(self.key)
        if saved is None:
            return DataTasksModel(self.task_submodule)
        try:
            model = DataTasksModel.from_dict(saved)
            if model.submodule != self.task_submodule:
                raise ValidationError(_("it belongs to submodule {submodule}").format(
                    submodule=model.submodule))
            return model
        except ValidationError as exc:
            self.workbook.problems.append(
                _("Your saved answers could not be restored ({problem}); starting afresh. The "
                  "saved copy is still in your workbook file.").format(problem=exc))
            return DataTasksModel(self.task_submodule)

    def _build(self) -> list[widgets.Widget]:
        model: DataTasksModel = self.model
        case = self.workbook.country if self.workbook is not None else None
        self.inputs: dict[str, widgets.Widget] = {}
        self.messages: dict[str, widgets.HTML] = {}
        parts: list[widgets.Widget] = []
        for n, task in enumerate(model.tasks, 1):
            title = question_label(n)
            prompt = widgets.HTML(f"<p class='d4-question'><b>{html.escape(title)}.</b> "
                                  f"{html.escape(task.prompt)}</p>")
            box = self._input(task, title, case)
            self.inputs[task.id] = box
            self.messages[task.id] = message_label()
            box.observe(lambda _c, t=task.id: self._save_and_say(t), names="value")
            if isinstance(box, widgets.Text):
                save = widgets.Button(description=_("Save"), button_style="primary",
                                      icon="check")
                save.on_click(lambda _b, t=task.id: self._save_and_say(t))
                row = widgets.HBox([box, save])
            else:
                row = widgets.HBox([box])
            row.add_class("d4-wrap")
            hint = (widgets.HTML(f"<p class='d4-hint'><i>{html.escape(task.hint)}</i></p>")
                    if task.hint else None)
            panel = _TablePanel(task.table, case, title)
            item = widgets.VBox([w for w in (prompt, row, self.messages[task.id], hint, panel)
                                 if w is not None])
            item.add_class("d4-data-question")
            parts.append(item)
        return parts

    def _input(self, task: Task, title: str, case: str | None) -> widgets.Widget:
        if task.answer in ("number", "count"):
            figure = ("12" if task.answer == "count" or task.decimals <= 0
                      else shown_number(
                          f"{45.123456 if '%' in task.unit else 0.512345:.{task.decimals}f}"))
            example = (_("e.g. {example} ({unit})").format(example=figure, unit=task.unit)
                       if task.unit else _("e.g. {example}").format(example=figure))
            return widgets.Text(description=_("Answer"), placeholder=example,
                                continuous_update=False)
        if task.answer == "year":
            options = [(_("(choose)"), None), *[(str(y), y) for y in data.EDITIONS]]
        elif task.answer == "choice":
            options = [(_("(choose)"), None), *task.choices]
        else:
            names = sorted(survey_names().values())
            if task.table.source != "editions":
                shown = table_frame(task.table, case)
                names = sorted(set(shown["country"]))
            labelled = [(shown_country(n), n) for n in names]
            if i18n.get_language() != i18n.SOURCE:
                labelled.sort(key=lambda p: _plain(p[0]))
            options = [(_("(choose)"), None), *labelled]
        return widgets.Dropdown(description=_("Answer"), options=options, value=None)

    def _save_and_say(self, task_id: str) -> None:
        """Save the box's answer; say next to it what was saved, or why not."""
        said: list[tuple[str, str]] = []
        self._guard(lambda: said.append(self._save(task_id)), self.messages[task_id])()
        if said and said[0][0]:
            show_message(self.messages[task_id], *said[0])

    def _save(self, task_id: str) -> tuple[str, str]:
        box = self.inputs[task_id]
        value = box.value
        model: DataTasksModel = self.model
        if value == self._shown_value(task_id):
            # nothing new (a refresh, or Save pressed twice)
            shown = model.shown(task_id)
            return (_("Saved: {answer}.").format(answer=shown), "ok") if shown else ("", "")
        if value is None or (isinstance(value, str) and not value.strip()):
            if model.value(task_id) is None:
                return "", ""
            self.commit(model.without_answer(task_id))
            return _("Answer removed."), "info"
        self.commit(model.with_answer(task_id, value))
        return _("Saved: {answer}.").format(answer=self.model.shown(task_id)), "ok"

    def _shown_value(self, task_id: str) -> Any:
        model: DataTasksModel = self.model
        value = model.value(task_id)
        box = self.inputs[task_id]
        if isinstance(box, widgets.Text):
            return "" if value is None else shown_number(str(value))
        return value

    def refresh(self) -> None:
        for task_id, box in getattr(self, "inputs", {}).items():
            want = self._shown_value(task_id)
            if box.value != want:
                if isinstance(box, widgets.Dropdown) and want not in \
                        [v for _label, v in box.options]:
                    continue
                box.value = want

    def take(self, namespace: Mapping[str, Any]) -> None:
        """Save the answers that code set (variables named as the questions' ids) and show
        them in the boxes; say in plain words what was saved and what was not."""
        model, saved, refused = take_answers(self.model, namespace)
        if saved:
            self.commit(model)
        for line in refused:
            print(_("Not saved:"), line)
        if saved:
            print(_("Saved from your code:") + "\n  " + "\n  ".join(saved))
        if not saved and not refused:
            print(_("No answer set in code: your answers in the boxes count."))


def question_label(n: int) -> str:
    """"Question 2", in the reader's language."""
    return _("Question {number}").format(number=n)


def open_tasks(submodule: str, workbook: Workbook | None = None) -> DataTasksModel:
    """The saved answers of ``submodule`` (an empty model if none)."""
    wb = workbook if workbook is not None else Workbook.open()
    saved = wb.get(DataTasksModel.default_key_for(submodule))
    return DataTasksModel.from_dict(saved) if saved else DataTasksModel(submodule)
