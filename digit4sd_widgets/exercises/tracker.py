"""KPI tracker (submodule 5.1): follow KPIs against their planned path.

Each tracked KPI has a baseline (a value in a year) and a target (a value in a later year);
the planned path is the straight line between them. At each new figure the tracker asks what
share of the planned change has been achieved so far and gives a status: on track (at least
90%, or the target reached), at risk (50% to 90%) or off track (less than 50%, or a move
away from the target).

- A **project KPI** (from the KPI builder, or added here) is measured by the initiative
  itself: the learner enters each figure measured since the baseline, with its date (a year,
  or a year and a month such as 2026-06).
- A **national indicator** (a Survey index or Internet use) is read from the data, edition
  by edition; it can be reviewed from an earlier baseline year to see the method on real
  figures. It comes with a warning: the Survey's indices are relative and rescaled in every
  edition, so a fall does not by itself show that a project failed.

>>> m = KPITrackerModel().with_added(
...     name="Births registered online", kind="project", unit="births a month",
...     goal="increase", baseline=0, baseline_year=2024, target=1200, target_year=2030)
>>> m.status("Births registered online")
'no data yet'
>>> m = m.with_figure("Births registered online", "2026", 320)  # planned: 400 by 2026
>>> [(c.date, c.planned, c.ratio, c.status) for c in m.checkpoints("Births registered online")]
[('2026', 400.0, 0.8, 'at risk')]
>>> m = m.with_added(name="Online services review", indicator="osi", country="BGD",
...                  baseline_year=2014, target=0.8, target_year=2024)
>>> [(c.year, c.status) for c in m.checkpoints("Online services review")][-2:]
[(2022, 'at risk'), (2024, 'at risk')]
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import charts
from ..i18n import N_, _, get_language, pgettext
from ..i18n import percent as local_percent
from ..workbook import Workbook
from ._base import (
    DEFAULT_COUNTRY,
    MAX_NAME,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    case_country,
    choice,
    html_table,
    index_by_name,
    mapping,
    message_label,
    require_unique_names,
    sequence,
    show_message,
    text,
)
from .kpi import (
    CONTEXT,
    FREQUENCIES,
    GOALS,
    INDEX_INDICATORS,
    INDICATOR_KEYS,
    KINDS,
    MAX_UNIT,
    NEXT_EDITION,
    PROJECT,
    KindForm,
    amount,
    country_code,
    country_name,
    fmt_amount,
    fmt_value,
    frequency_text,
    goal_options,
    history,
    indicator_name,
    indicator_options,
    is_percent,
    number_text,
    progress_message,
    short_name,
    target_value,
    target_year_value,
    upper_bound,
    value_in,
    warning_for,
    warning_html,
    year_value,
    years_with_data,
)

MAX_TRACKED = 20
MAX_FIGURES = 24
#: the statuses, stored and compared as these English words; shown through
#: :func:`status_label`
ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on track", "at risk", "off track", "no data yet"
STATUSES: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
STATUS_LABELS = {ON_TRACK: N_("on track"), AT_RISK: N_("at risk"), OFF_TRACK: N_("off track"),
                 NO_DATA: N_("no data yet")}
STATUS_COLOURS = {ON_TRACK: "#2e8540", AT_RISK: "#e07b00", OFF_TRACK: "#b00020",
                  NO_DATA: "#5f6b73"}
ON_TRACK_RATIO = 0.9
AT_RISK_RATIO = 0.5
_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2}))?")


def status_label(status: str) -> str:
    """A status ("on track") in the reader's language."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def status_for(actual: float, baseline: float, planned: float, target: float
               ) -> tuple[float | None, str]:
    """Progress ratio and status of one actual value against the plan.

    The ratio is the share of the planned change achieved: (actual - baseline) /
    (planned - baseline); None when no change was planned.

    >>> status_for(0.55, 0.5, 0.6, 0.8)
    (0.5, 'at risk')
    >>> status_for(0.85, 0.5, 0.6, 0.8)[1]
    'on track'
    >>> status_for(30, 40, 35, 20)  # a fall is the goal: 10 of the 5 planned
    (2.0, 'on track')
    """
    rising = target >= baseline
    reached = actual >= target if rising else actual <= target
    change = planned - baseline
    # rounded so that a ratio of exactly 0.9 or 0.5 is not lost to floating point
    ratio = round((actual - baseline) / change, 9) if change != 0 else None
    if reached or (ratio is not None and ratio >= ON_TRACK_RATIO):
        return ratio, ON_TRACK
    if ratio is not None and ratio >= AT_RISK_RATIO:
        return ratio, AT_RISK
    return ratio, OFF_TRACK


def figure_date(value: Any, baseline_year: int) -> str:
    """The date of a measured figure: a year ("2026") or a year and a month ("2026-06"),
    later than the baseline year's start.

    >>> figure_date("2026/6", 2024), figure_date(2025, 2024)
    ('2026-06', '2025')
    """
    if isinstance(value, bool):
        value = ""
    if isinstance(value, int):
        value = str(value)
    typed = value.strip() if isinstance(value, str) else ""
    found = _DATE.fullmatch(typed)
    if not found:
        raise ValidationError(_("When was the figure measured? Type a year such as 2026, or "
                                "a year and a month such as 2026-06."), "figure_date")
    year, month = int(found[1]), int(found[2]) if found[2] else None
    if not 1990 <= year <= 2100:
        raise ValidationError(_("The year of the figure must be between 1990 and 2100."),
                              "figure_date")
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(_("The month must be between 1 and 12, as in 2026-06."),
                              "figure_date")
    date = f"{year}-{month:02d}" if month else str(year)
    if position(date) <= baseline_year:
        raise ValidationError(_("The figure must come after the baseline ({year}): give a "
                                "later year, or a month such as {year}-06.").format(
                                    year=baseline_year), "figure_date")
    return date


def position(date: str) -> float:
    """Where a date sits on the years' line: 2026 -> 2026.0, 2026-07 -> 2026.5."""
    year, _sep, month = date.partition("-")
    return int(year) + ((int(month) - 1) / 12 if month else 0.0)


def _years_text(indicator: str, years: list[int]) -> str:
    if indicator in INDEX_INDICATORS or len(years) < 3:
        return ", ".join(map(str, years))
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@dataclass(frozen=True)
class Figure:
    """A figure of a project KPI measured on a date."""

    date: str
    value: float

    @property
    def at(self) -> float:
        return position(self.date)


@dataclass(frozen=True)
class Checkpoint:
    """One figure after the baseline: actual and planned values, progress ratio, status."""

    year: int
    actual: float
    planned: float
    ratio: float | None
    status: str
    date: str = ""  # as the learner gave it (a project figure) or the edition's year


@dataclass(frozen=True)
class TrackedKPI:
    """A tracked KPI. A national one (``kind == "context"``) reads its values from the data;
    a project one carries its baseline value (``start``) and the figures the learner
    measured."""

    name: str
    kind: str = CONTEXT
    indicator: str = ""
    country: str = ""
    unit: str = ""
    goal: str = "increase"
    baseline_year: int = 0
    start: float = 0.0
    target: float = 0.0
    target_year: int = 0
    source: str = ""
    frequency: str = ""
    figures: tuple[Figure, ...] = ()

    @classmethod
    def parse(cls, data_in: Any) -> TrackedKPI:
        d = mapping(data_in, _("A tracked KPI"))
        name = text(d.get("name"), _("The KPI's name"), required=True, max_len=MAX_NAME,
                    field="name")
        # saved before project KPIs existed: a KPI on a national indicator
        kind = choice(d.get("kind", CONTEXT), _("The kind of KPI"), KINDS, field="kind")
        if kind == CONTEXT:
            return cls._parse_context(name, d)
        unit = text(d.get("unit", ""), _("The unit"), max_len=MAX_UNIT, field="unit")
        start = amount(d.get("baseline"), _("The baseline"), "baseline", example="0")
        baseline_year = year_value(d.get("baseline_year"), _("The baseline year"),
                                   "baseline_year")
        target = amount(d.get("target"), _("The target"), "target")
        for label, value, where in ((_("The baseline"), start, "baseline"),
                                    (_("The target"), target, "target")):
            if is_percent(unit) and not 0 <= value <= 100:
                raise ValidationError(_("{label} is a percentage: a number between 0 and "
                                        "100.").format(label=label), where)
        target_year = target_year_value(d.get("target_year"), baseline_year)
        figures = _figures(d.get("figures", []), baseline_year, unit)
        return cls(name=name, kind=PROJECT, unit=unit,
                   goal=choice(d.get("goal", "increase"), _("The goal"), tuple(GOALS),
                               field="goal"),
                   baseline_year=baseline_year, start=start, target=target,
                   target_year=target_year,
                   source=text(d.get("source", ""), _("The source"), max_len=MAX_NAME,
                               field="source"),
                   frequency=choice(d.get("frequency") or "", _("How often it is measured"),
                                    ("", *FREQUENCIES), field="frequency"),
                   figures=figures)

    @classmethod
    def _parse_context(cls, name: str, d: Any) -> TrackedKPI:
        indicator = choice(d.get("indicator"), pgettext("subject", "Indicator"),
                           INDICATOR_KEYS, field="indicator")
        country = country_code(d.get("country"))
        baseline_year = year_value(d.get("baseline_year"), _("The baseline year"),
                                   "baseline_year")
        if value_in(country, indicator, baseline_year) is None:
            years = years_with_data(country, indicator)
            where = (_("Years with data: {years}.").format(
                         years=_years_text(indicator, years)) if years
                     else _("There are no figures at all for it: pick another indicator."))
            raise ValidationError(_("There is no {indicator} figure for {country} in "
                                    "{year}.").format(indicator=short_name(indicator),
                                                      country=country_name(country),
                                                      year=baseline_year) + " " + where,
                                  "baseline_year")
        return cls(name=name, kind=CONTEXT, indicator=indicator, country=country,
                   baseline_year=baseline_year,
                   target=target_value(d.get("target"), indicator),
                   target_year=target_year_value(d.get("target_year"), baseline_year))

    # -- what it is
    @property
    def is_project(self) -> bool:
        return self.kind == PROJECT

    @property
    def warning(self) -> str:
        return "" if self.is_project else warning_for(self.indicator)

    @property
    def baseline(self) -> float:
        if self.is_project:
            return self.start
        value = value_in(self.country, self.indicator, self.baseline_year)
        return math.nan if value is None else value

    @property
    def measured_by(self) -> str:
        if self.is_project:
            return self.unit or "–"
        return _("{indicator}, {country} (national)").format(
            indicator=short_name(self.indicator), country=country_name(self.country))

    def show(self, value: float | None) -> str:
        return fmt_amount(value, self.unit) if self.is_project else fmt_value(self.indicator,
                                                                             value)

    def planned(self, when: float) -> float:
        """The planned value at ``when`` (a year, or a point within one): a straight line
        from baseline to target, then the target itself once the target year has passed."""
        if when >= self.target_year:
            return self.target
        share = (when - self.baseline_year) / (self.target_year - self.baseline_year)
        return self.baseline + (self.target - self.baseline) * share

    def checkpoints(self) -> tuple[Checkpoint, ...]:
        return _checkpoints(self)

    @property
    def status(self) -> str:
        points = self.checkpoints()
        return points[-1].status if points else NO_DATA

    @property
    def status_label(self) -> str:
        """The status in the reader's words ("off track", "hors trajectoire")."""
        return status_label(self.status)

    @property
    def next_data_year(self) -> int:
        """When new national figures can be expected: the next survey edition for an index,
        the year after the latest ITU figure for Internet use."""
        if self.indicator in INDEX_INDICATORS:
            return NEXT_EDITION
        latest = max(years_with_data(self.country, self.indicator), default=self.baseline_year)
        return max(latest, self.baseline_year) + 1

    def as_input(self) -> dict[str, Any]:
        if self.is_project:
            return {"name": self.name, "kind": PROJECT, "unit": self.unit, "goal": self.goal,
                    "baseline_year": self.baseline_year, "baseline": self.start,
                    "target": self.target, "target_year": self.target_year,
                    "source": self.source, "frequency": self.frequency,
                    "figures": [{"date": f.date, "value": f.value} for f in self.figures]}
        return {"name": self.name, "kind": CONTEXT, "indicator": self.indicator,
                "country": self.country, "baseline_year": self.baseline_year,
                "target": self.target, "target_year": self.target_year}


def _figures(value: Any, baseline_year: int, unit: str) -> tuple[Figure, ...]:
    items = sequence(value if value is not None else [], _("The figures"),
                     max_len=MAX_FIGURES)
    out: dict[str, Figure] = {}
    for item in items:
        d = mapping(item, _("A figure"))
        date = figure_date(d.get("date"), baseline_year)
        figure = amount(d.get("value"), _("The figure"), "figure_value")
        if is_percent(unit) and not 0 <= figure <= 100:
            raise ValidationError(_("{label} is a percentage: a number between 0 and 100.")
                                  .format(label=_("The figure")), "figure_value")
        if date in out:
            raise ValidationError(_("There are two figures for {date}: keep one.").format(
                date=date), "figure_date")
        out[date] = Figure(date, figure)
    return tuple(sorted(out.values(), key=lambda f: f.at))


@lru_cache(maxsize=512)
def _checkpoints(kpi: TrackedKPI) -> tuple[Checkpoint, ...]:
    out = []
    if kpi.is_project:
        for f in kpi.figures:
            planned = kpi.planned(f.at)
            ratio, status = status_for(f.value, kpi.baseline, planned, kpi.target)
            out.append(Checkpoint(int(f.at), f.value, planned, ratio, status, f.date))
        return tuple(out)
    for year, actual in history(kpi.country, kpi.indicator):
        if year <= kpi.baseline_year:
            continue
        planned = kpi.planned(year)
        ratio, status = status_for(actual, kpi.baseline, planned, kpi.target)
        out.append(Checkpoint(year, actual, planned, ratio, status, str(year)))
    return tuple(out)


class KPITrackerModel(ExerciseModel):
    """Tracked KPIs; statuses are computed from the figures, never stored.

    >>> KPITrackerModel().with_added(name="Internet use", indicator="internet_pct",
    ...     country="BGD", baseline_year=2023, target=70, target_year=2030).status("internet use")
    'no data yet'
    """

    kind: ClassVar[str] = "kpi_tracker"
    title: ClassVar[str] = N_("KPI tracker")
    submodule: ClassVar[str] = "5.1"

    def __init__(self, tracked: tuple[TrackedKPI, ...] = ()):
        require_unique_names(tracked, _("Each tracked KPI needs a different name."))
        if len(tracked) > MAX_TRACKED:
            raise ValidationError(_("The tracker holds at most {n} KPIs.").format(
                n=MAX_TRACKED), "name")
        self.tracked = tuple(tracked)

    # -- changes (each returns a new model or raises ValidationError)
    def with_added(self, **fields: Any) -> KPITrackerModel:
        new = TrackedKPI.parse(fields)
        if any(k.name.casefold() == new.name.casefold() for k in self.tracked):
            raise ValidationError(_("{name} is already tracked: pick it in the list to change "
                                    "it.").format(name=repr(new.name)), "name")
        if len(self.tracked) >= MAX_TRACKED:
            raise ValidationError(_("The tracker already holds {n} KPIs: remove one first.")
                                  .format(n=MAX_TRACKED), "name")
        return KPITrackerModel((*self.tracked, new))

    def with_updated(self, name: str, /, **fields: Any) -> KPITrackerModel:
        index = self._index(name)
        new = TrackedKPI.parse({**self.tracked[index].as_input(), **fields})
        others = [k for i, k in enumerate(self.tracked) if i != index]
        if any(k.name.casefold() == new.name.casefold() for k in others):
            raise ValidationError(_("Another tracked KPI is already called {name}.").format(
                name=repr(new.name)), "name")
        items = list(self.tracked)
        items[index] = new
        return KPITrackerModel(tuple(items))

    def with_review(self, name: str, baseline_year: Any) -> KPITrackerModel:
        """Look back: measure a national KPI from an earlier baseline year."""
        if self.kpi(name).is_project:
            raise ValidationError(_("Only a national indicator is reviewed from an earlier "
                                    "year: for your own KPI, enter the figures you "
                                    "measured."), "baseline_year")
        return self.with_updated(name, baseline_year=baseline_year)

    def with_figure(self, name: str, date: Any, value: Any) -> KPITrackerModel:
        """Record a figure of a project KPI measured on ``date`` (it replaces a figure of the
        same date)."""
        k = self.kpi(name)
        if not k.is_project:
            raise ValidationError(_("A national indicator's figures come from the data: "
                                    "record figures for your own project KPIs."),
                                  "figure_value")
        date = figure_date(date, k.baseline_year)
        figures = [{"date": f.date, "value": f.value} for f in k.figures if f.date != date]
        if len(figures) >= MAX_FIGURES:
            raise ValidationError(_("A KPI keeps at most {n} figures: remove an old one "
                                    "first.").format(n=MAX_FIGURES), "figure_date")
        figures.append({"date": date, "value": value})
        return self.with_updated(name, figures=figures)

    def without_figure(self, name: str, date: Any) -> KPITrackerModel:
        k = self.kpi(name)
        wanted = figure_date(date, k.baseline_year) if k.is_project else ""
        if not any(f.date == wanted for f in k.figures):
            raise ValidationError(_("{name} has no figure for {date}.").format(
                name=repr(k.name), date=wanted or date), "figure_date")
        return self.with_updated(name, figures=[{"date": f.date, "value": f.value}
                                                for f in k.figures if f.date != wanted])

    def without(self, name: str) -> KPITrackerModel:
        index = self._index(name)
        return KPITrackerModel(tuple(k for i, k in enumerate(self.tracked) if i != index))

    def _index(self, name: str) -> int:
        return index_by_name(self.tracked, name, _("tracked KPI"))

    # -- reading
    def names(self) -> list[str]:
        return [k.name for k in self.tracked]

    def kpi(self, name: str) -> TrackedKPI:
        return self.tracked[self._index(name)]

    def checkpoints(self, name: str) -> tuple[Checkpoint, ...]:
        return self.kpi(name).checkpoints()

    def status(self, name: str) -> str:
        return self.kpi(name).status

    def table_rows(self) -> list[list[str]]:
        return [_row(k) for k in self.tracked]

    def completeness(self) -> Completeness:
        projects = [k for k in self.tracked if k.is_project]
        checks = {
            _("a project KPI (a figure of your initiative, not a national index) in the "
              "tracker"): bool(projects),
            _("a figure measured since the baseline, with its date, for a project KPI"): any(
                k.figures for k in projects),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        blocks = [Block("table", _("Tracked KPIs"), columns=column_names(TABLE_COLUMNS),
                        rows=self.table_rows())]
        for k in self.tracked:
            points = k.checkpoints()
            if points:
                blocks.append(Block("table", _("{name}: {status}").format(
                                        name=k.name, status=status_label(k.status)),
                                    columns=column_names(CHECKPOINT_COLUMNS),
                                    rows=[_checkpoint_row(k, c) for c in points]))
            else:
                blocks.append(Block("note", k.name, text=_no_data_text(k)))
            if k.warning:
                blocks.append(Block("note", _("{name}: context only").format(name=k.name),
                                    text=k.warning))
            png, alt, _columns, _rows = chart_parts(k)
            blocks.append(Block("image", k.name, png=png, alt=alt))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"tracked": [k.as_input() for k in self.tracked]}

    @classmethod
    def from_dict(cls, data_in: Any) -> KPITrackerModel:
        d = mapping(data_in, _("A KPI tracker"))
        items = sequence(d.get("tracked", []), _("Tracked KPIs"), max_len=MAX_TRACKED)
        return cls(tuple(TrackedKPI.parse(item) for item in items))

    @classmethod
    def starter(cls, workbook: Workbook) -> KPITrackerModel:
        """Start from the KPIs of the KPI builder; any that no longer fit are left out."""
        built = workbook.latest("kpi_builder")
        items = built.get("kpis") if isinstance(built, dict) else None
        if not isinstance(items, list):
            return cls()
        tracked: list[TrackedKPI] = []
        for item in items[:MAX_TRACKED]:
            if not isinstance(item, dict):
                continue
            keys = PROJECT_FIELDS if item.get("kind") == PROJECT else FIELDS
            try:
                new = TrackedKPI.parse({key: item.get(key) for key in keys if key in item})
            except ValidationError:
                continue
            if all(k.name.casefold() != new.name.casefold() for k in tracked):
                tracked.append(new)
        return cls(tuple(tracked))


FIELDS = ("name", "kind", "indicator", "country", "baseline_year", "target", "target_year")
PROJECT_FIELDS = ("name", "kind", "unit", "goal", "baseline_year", "baseline", "target",
                  "target_year", "source", "frequency")
TABLE_COLUMNS = [N_("KPI"), N_("Measured in"), N_("Baseline"), N_("Target"),
                 N_("Latest figure"), N_("Planned then"), N_("Progress"), N_("Status")]
CHECKPOINT_COLUMNS = [N_("Date"), N_("Actual"), N_("Planned"), N_("Progress"), N_("Status")]


def column_names(headings: list[str]) -> list[str]:
    """A table's column headings in the reader's language."""
    return [_(c) for c in headings]


def _pct(ratio: float | None) -> str:
    return "–" if ratio is None else local_percent(ratio)


def _no_data_text(k: TrackedKPI) -> str:
    if k.is_project:
        source = ", ".join(p for p in (k.source, frequency_text(k.frequency)) if p)
        if source:
            return _("No figure yet: enter the latest figure measured since {year} (source: "
                     "{source}), with its date.").format(year=k.baseline_year, source=source)
        return _("No figure yet: enter the latest figure measured since {year}, with its "
                 "date.").format(year=k.baseline_year)
    return _("No figures after {year} yet: watch for {next}. To try the method now, pick an "
             "earlier baseline year.").format(year=k.baseline_year, next=k.next_data_year)


def _row(k: TrackedKPI) -> list[str]:
    head = [k.name, k.measured_by, f"{k.show(k.baseline)} ({k.baseline_year})",
            f"{k.show(k.target)} ({k.target_year})"]
    points = k.checkpoints()
    if not points:
        later = (_("no data yet (next: your next figure)") if k.is_project else
                 _("no data yet (next: {year})").format(year=k.next_data_year))
        return [*head, "–", "–", "–", later]
    last = points[-1]
    return [*head, f"{k.show(last.actual)} ({last.date})", k.show(last.planned),
            _pct(last.ratio), status_label(last.status)]


def _checkpoint_row(k: TrackedKPI, c: Checkpoint) -> list[str]:
    return [c.date, k.show(c.actual), k.show(c.planned), _pct(c.ratio),
            status_label(c.status)]


def _tracker_series(k: TrackedKPI) -> dict[str, tuple[list, list]]:
    plan_years = [k.baseline_year, k.target_year]
    planned, target = _("Planned"), _("Target")
    if k.is_project:
        actual = ([k.baseline_year, *[f.at for f in k.figures]],
                  [k.baseline, *[f.value for f in k.figures]])
        return {_("Actual"): actual, planned: (plan_years, [k.baseline, k.target]),
                target: ([k.target_year], [k.target])}
    points = history(k.country, k.indicator)
    return {_("Actual ({country})").format(country=country_name(k.country)): (
                [y for y, _v in points], [v for _y, v in points]),
            planned: (plan_years, [k.baseline, k.target]),
            target: ([k.target_year], [k.target])}


def _title(k: TrackedKPI) -> str:
    status = status_label(k.status)
    if k.is_project:
        if k.unit:
            return _("{name} ({unit}): {status}").format(name=k.name, unit=k.unit,
                                                         status=status)
        return _("{name}: {status}").format(name=k.name, status=status)
    return _("{country}, {indicator}: {status}").format(
        country=country_name(k.country), indicator=short_name(k.indicator), status=status)


def tracker_chart(k: TrackedKPI) -> bytes:
    """Actual values, the planned line and the target; the status in the title."""
    return _tracker_chart(k, get_language())


@lru_cache(maxsize=128)
def _tracker_chart(k: TrackedKPI, lang: str) -> bytes:
    # keyed on the language too: the title, the legend and the ticks' decimals are in it
    if k.is_project:
        ylim = (0, 100) if is_percent(k.unit) else None
    else:
        ylim = (0, upper_bound(k.indicator))
    return charts.line_chart(_tracker_series(k), dashed=[_("Planned")], title=_title(k),
                             ylim=ylim)


def _digits(k: TrackedKPI) -> int:
    if not k.is_project:
        return 1 if k.indicator == "internet_pct" else 2
    values = [k.baseline, k.target, *[f.value for f in k.figures]]
    return 0 if all(float(v).is_integer() for v in values) else 2


def chart_parts(k: TrackedKPI) -> tuple[bytes, str, list[str], list[list[str]]]:
    """The KPI's chart and what it shows, for a screen reader: (PNG, alternative text, table
    columns, table rows): the KPI, what it is measured in, the actual and planned values and
    the status."""
    if k.is_project:
        title = _title(k)
    else:
        title = _("{name}, {country}, {indicator}: {status}").format(
            name=k.name, country=country_name(k.country),
            indicator=indicator_name(k.indicator), status=status_label(k.status))
    series = _tracker_series(k)
    alt = charts.describe_lines(series, title=title, digits=_digits(k))
    if k.is_project:
        rows = [[str(k.baseline_year), k.show(k.baseline), k.show(k.baseline),
                 _("baseline")]]
        rows += [[c.date, k.show(c.actual), k.show(c.planned), status_label(c.status)]
                 for c in k.checkpoints()]
        rows.append([str(k.target_year), "–", k.show(k.target), _("target")])
        columns = column_names([N_("Date"), N_("Actual"), N_("Planned"), N_("Status")])
    else:
        columns, rows = charts.lines_table(series, digits=3)
    return tracker_chart(k), alt, columns, rows


def show_tracker_chart(chart: charts.Chart, k: TrackedKPI) -> None:
    """The KPI's chart with words and numbers for a screen reader."""
    chart.show(*chart_parts(k))


NO_KPI_TEXT = N_("No KPI to track yet. Add a KPI in 3.3 (KPI builder) or with the form "
                 "above to see its chart here.")


def no_kpi_html() -> str:
    return f"<p class='d4-hint'>{html.escape(_(NO_KPI_TEXT))}</p>"


def status_html(k: TrackedKPI) -> str:
    colour = STATUS_COLOURS[k.status]
    extra = f" — {html.escape(_no_data_text(k))}" if k.status == NO_DATA else ""
    shown = _("{name}: {status}").format(
        name=f"<b>{html.escape(k.name)}</b>",
        status=f"<span style='color:{colour};font-weight:bold'>"
               f"{html.escape(status_label(k.status))}</span>")
    return (f"<div class='d4-status'>{shown}{extra}</div>"
            + ("" if k.is_project else warning_html(k.indicator)))


# ------------------------------------------------------------------------------- view
class KPITracker(KindForm, ExerciseView):
    """KPI tracker: actual against planned values, with a status for each KPI.

    >>> view = KPITracker(workbook=Workbook.in_memory())
    >>> view.name.value = "Online services"; view.indicator.value = "osi"
    >>> view.baseline_year.value = 2018; view.target.value = "0.9"
    >>> view.target_year.value = "2026"; view.add_button.click()
    >>> view.model.status("Online services")
    'off track'
    >>> "rescales" in view.heading.value
    True
    """

    project_example = N_("e.g. 1200")
    model_class = KPITrackerModel
    model: KPITrackerModel

    def __init__(self, country: str | None = None, **kwargs: Any):
        self._country_arg = country
        self._quiet = False
        super().__init__(**kwargs)

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "120px"}

        def wide() -> widgets.Layout:
            return widgets.Layout(width="480px", max_width="100%")

        example = _("e.g. {example}")
        self.listing = widgets.Select(description=_("Tracked KPIs"), options=[], rows=6,
                                      style=style)
        self.name = widgets.Text(description=_("KPI name"), style=style, layout=wide(),
                                 placeholder=_("e.g. Births registered online"))
        self.indicator = widgets.Dropdown(
            description=_("Measured by"), style=style, layout=wide(),
            options=indicator_options(), value=PROJECT)
        self.warning = widgets.HTML()
        # a project KPI: its own baseline
        self.unit = widgets.Text(description=_("Unit"), style=style, layout=wide(),
                                 placeholder=_("e.g. births a month, days, %"))
        self.goal = widgets.Dropdown(description=_("Goal"), style=style, layout=wide(),
                                     options=goal_options())
        self.base_value = widgets.Text(description=_("Baseline value"), style=style,
                                       layout=wide(), placeholder=example.format(example=0))
        self.base_year = widgets.Text(description=_("Baseline year"), style=style,
                                      layout=wide(), placeholder=example.format(example=2024))
        self.project_box = widgets.VBox([self.unit, self.goal, self.base_value,
                                         self.base_year])
        # a national indicator: the baseline year is one with data
        start = (self._country_arg if self._country_arg is not None
                 else case_country(self.workbook, DEFAULT_COUNTRY))
        self.country = widgets.Text(description=_("Country"), value=str(start), style=style,
                                    layout=wide(),
                                    placeholder=_("ISO3 code or name, e.g. BGD"),
                                    continuous_update=False)
        self.country_message = message_label()
        self.baseline_year = widgets.Dropdown(description=_("Baseline year"), options=[],
                                              style=style)
        self.hint = widgets.HTML("<i>{}</i>".format(html.escape(_(
            "To review a national indicator, pick it in the list, choose an earlier baseline "
            "year and click “Update selected”."))))
        self.context_box = widgets.VBox([self.country, self.country_message,
                                         self.baseline_year, self.hint])
        self.target = widgets.Text(description=_("Target value"), style=style, layout=wide(),
                                   placeholder=_(self.project_example))
        self.target_year = widgets.Text(description=_("Target year"), style=style,
                                        layout=wide(), placeholder=example.format(example=2030))
        self.form_message = message_label()
        self.add_button = widgets.Button(description=_("Add"), button_style="primary",
                                         icon="plus")
        self.update_button = widgets.Button(description=_("Update selected"), icon="pencil")
        self.remove_button = widgets.Button(description=_("Remove selected"), icon="trash")
        # a figure measured for the project KPI picked in the list
        self.figure_value = widgets.Text(description=_("Latest figure"), style=style,
                                         layout=wide(), placeholder=example.format(example=320))
        self.figure_date = widgets.Text(description=_("Measured in"), style=style,
                                        layout=wide(), placeholder=_("e.g. 2026 or 2026-06"))
        self.record_button = widgets.Button(description=_("Record figure"),
                                            button_style="primary", icon="check")
        self.unrecord_button = widgets.Button(description=_("Remove figure"), icon="trash")
        self.figure_message = message_label()
        self.figure_box = widgets.VBox([
            widgets.HTML(_("<b>Your latest figure</b> <span class='d4-hint'>(for the project "
                           "KPI picked in the list)</span>")),
            self.figure_value, self.figure_date,
            widgets.HBox([self.record_button, self.unrecord_button]), self.figure_message])
        self.progress = widgets.HTML()
        self.heading = widgets.HTML()
        self.chart = charts.Chart()
        self.checkpoint_table = widgets.HTML()
        self.table = widgets.HTML()

        self.add_button.on_click(self._guard(self._add, self.form_message))
        self.update_button.on_click(self._guard(self._update, self.form_message))
        self.remove_button.on_click(self._guard(self._remove, self.form_message))
        self.record_button.on_click(self._guard(self._record, self.figure_message))
        self.unrecord_button.on_click(self._guard(self._unrecord, self.figure_message))
        self.listing.observe(self._guard(self._select, self.form_message), names="value")
        self.indicator.observe(self._guard(self._mode), names="value")
        for control in (self.indicator, self.country):
            # _years shows its own message about the country: the guard must not clear it
            control.observe(self._guard(self._years), names="value")
        self._mode()
        self._years()

        form = widgets.VBox([self.name, self.indicator, self.warning, self.project_box,
                             self.context_box, self.target, self.target_year,
                             widgets.HBox([self.add_button, self.update_button,
                                           self.remove_button]),
                             self.form_message])
        return [widgets.HBox([form, widgets.VBox([self.listing, self.progress,
                                                  self.figure_box])],
                             layout=widgets.Layout(flex_flow="row wrap")),
                self.heading, self.chart, self.checkpoint_table, self.table]

    # -- callbacks
    def _fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"name": self.name.value, "target": self.target.value,
                                  "target_year": self.target_year.value}
        if self.is_project:
            fields.update(kind=PROJECT, unit=self.unit.value, goal=self.goal.value,
                          baseline=self.base_value.value, baseline_year=self.base_year.value)
        else:
            fields.update(kind=CONTEXT, indicator=self.indicator.value,
                          country=self.country.value, baseline_year=self.baseline_year.value)
        return fields

    def _years(self, _change=None) -> None:
        """Offer the years with data for the indicator and country in the form."""
        if self._quiet or self.is_project:
            return
        try:
            years = years_with_data(country_code(self.country.value), self.indicator.value)
        except ValidationError as exc:
            self.baseline_year.options = []
            show_message(self.country_message, str(exc), "error")
            return
        show_message(self.country_message, "")
        keep = self.baseline_year.value
        self.baseline_year.options = list(reversed(years))
        if keep in years:
            self.baseline_year.value = keep

    def _add(self, _change=None) -> None:
        new = self.model.with_added(**self._fields())
        self.commit(new)
        self._show_selected(new.tracked[-1].name)

    def _update(self, _change=None) -> None:
        if not self.listing.value:
            raise ValidationError(_("Pick a KPI in the list first."))
        index = self.model.names().index(self.listing.value)
        new = self.model.with_updated(self.listing.value, **self._fields())
        self.commit(new)
        self._show_selected(new.tracked[index].name)

    def _remove(self, _change=None) -> None:
        if not self.listing.value:
            raise ValidationError(_("Pick a KPI in the list first."))
        self.commit(self.model.without(self.listing.value))

    def _picked_project(self) -> TrackedKPI:
        if not self.listing.value:
            raise ValidationError(_("Pick your project KPI in the list first."))
        k = self.model.kpi(self.listing.value)
        if not k.is_project:
            raise ValidationError(_("A national indicator's figures come from the data: pick "
                                    "one of your own project KPIs in the list."))
        return k

    def _record(self, _change=None) -> None:
        k = self._picked_project()
        self.commit(self.model.with_figure(k.name, self.figure_date.value,
                                           self.figure_value.value))
        self._show_selected(k.name)

    def _unrecord(self, _change=None) -> None:
        k = self._picked_project()
        self.commit(self.model.without_figure(k.name, self.figure_date.value))
        self._show_selected(k.name)

    def _show_selected(self, name: str) -> None:
        self._quiet = True
        try:
            self.listing.value = name
        finally:
            self._quiet = False
        self._show_kpi()

    def _select(self, change) -> None:
        if self._quiet or not change["new"]:
            return
        k = next((k for k in self.model.tracked if k.name == change["new"]), None)
        if k is not None:
            self._fill(k)
        self._show_kpi()

    def _fill(self, k: TrackedKPI) -> None:
        """Show a tracked KPI in the form."""
        self._quiet = True
        try:
            self.name.value = k.name
            self.indicator.value = PROJECT if k.is_project else k.indicator
            if k.is_project:
                self.unit.value, self.goal.value = k.unit, k.goal
                self.base_value.value = number_text(k.start)
                self.base_year.value = str(k.baseline_year)
                if k.figures:
                    self.figure_value.value = number_text(k.figures[-1].value)
                    self.figure_date.value = k.figures[-1].date
            else:
                self.country.value = k.country
                self.baseline_year.options = list(reversed(years_with_data(k.country,
                                                                           k.indicator)))
                self.baseline_year.value = k.baseline_year
            self.target.value = number_text(k.target)
            self.target_year.value = str(k.target_year)
        finally:
            self._quiet = False
        self._mode()
        show_message(self.country_message, "")

    def _show_kpi(self) -> None:
        """Chart, status and checkpoints of the selected KPI."""
        name = self.listing.value
        k = next((k for k in self.model.tracked if k.name == name), None)
        if k is None:
            self.heading.value = no_kpi_html() if not self.model.tracked else ""
            self.chart.show(b"", "")
            self.checkpoint_table.value = ""
            return
        self.heading.value = status_html(k)
        show_tracker_chart(self.chart, k)
        points = k.checkpoints()
        self.checkpoint_table.value = html_table(
            column_names(CHECKPOINT_COLUMNS),
            [_checkpoint_row(k, c) for c in points]) if points else ""

    def refresh(self) -> None:
        names = self.model.names()
        keep = self.listing.value if self.listing.value in names else None
        auto = keep is None and bool(names)
        if auto:  # show the first KPI rather than nothing
            keep = names[0]
        self._quiet = True
        try:
            if list(self.listing.options) != names:
                self.listing.options = names
            self.listing.value = keep
        finally:
            self._quiet = False
        if auto:
            self._fill(self.model.kpi(keep))
        rows = self.model.table_rows()
        # the list's national indicators keep their warning in sight, once for each kind
        warnings = dict.fromkeys(warning_html(k.indicator) for k in self.model.tracked
                                 if not k.is_project)
        self.table.value = (html_table(column_names(TABLE_COLUMNS), rows)
                            + "".join(warnings)) if rows else ""
        show_message(self.progress, *progress_message(self.model.completeness()))
        self._show_kpi()


__all__ = ["AT_RISK", "NO_DATA", "OFF_TRACK", "ON_TRACK", "STATUSES", "Checkpoint", "Figure",
           "KPITracker", "KPITrackerModel", "TrackedKPI", "figure_date", "status_for"]
