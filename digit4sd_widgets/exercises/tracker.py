"""KPI tracker (submodule 5.1): follow KPIs over the years against their targets.

Each tracked KPI has a baseline year; at every later year with data the tracker compares the
actual value with the planned one (a straight line from the baseline to the target) and gives
a status: on track, at risk or off track. The KPIs from the KPI builder start at the latest
data, so there is nothing to track yet; the learner can review one from an earlier baseline
year to see how the method works on real figures.

>>> m = KPITrackerModel().with_added(name="Online services review", indicator="osi",
...                                  country="BGD", baseline_year=2014, target=0.8,
...                                  target_year=2024)
>>> [(c.year, c.status) for c in m.checkpoints("Online services review")][-2:]
[(2022, 'at risk'), (2024, 'at risk')]
>>> m.status("Online services review")
'at risk'
"""

from __future__ import annotations

import html
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import charts
from ..data import analysis
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
    INDEX_INDICATORS,
    INDICATOR_KEYS,
    NEXT_EDITION,
    SHORT_NAMES,
    country_code,
    country_name,
    fmt_value,
    history,
    number_text,
    target_value,
    target_year_value,
    upper_bound,
    value_in,
    year_value,
    years_with_data,
)

MAX_TRACKED = 20
ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on track", "at risk", "off track", "no data yet"
STATUSES: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
STATUS_COLOURS = {ON_TRACK: "#2e8540", AT_RISK: "#e07b00", OFF_TRACK: "#b00020",
                  NO_DATA: "#5f6b73"}
ON_TRACK_RATIO = 0.9
AT_RISK_RATIO = 0.5


def status_for(actual: float, baseline: float, planned: float, target: float
               ) -> tuple[float | None, str]:
    """Progress ratio and status of one actual value against the plan.

    The ratio is the share of the planned change achieved: (actual - baseline) /
    (planned - baseline); None when no change was planned.

    >>> status_for(0.55, 0.5, 0.6, 0.8)
    (0.5, 'at risk')
    >>> status_for(0.85, 0.5, 0.6, 0.8)[1]
    'on track'
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
class Checkpoint:
    """One later year with data: actual and planned values, progress ratio and status."""

    year: int
    actual: float
    planned: float
    ratio: float | None
    status: str


@dataclass(frozen=True)
class TrackedKPI:
    name: str
    indicator: str
    country: str
    baseline_year: int
    target: float
    target_year: int

    @classmethod
    def parse(cls, data_in: Any) -> TrackedKPI:
        d = mapping(data_in, "A tracked KPI")
        name = text(d.get("name"), "The KPI's name", required=True, max_len=MAX_NAME,
                    field="name")
        indicator = choice(d.get("indicator"), "Indicator", INDICATOR_KEYS, field="indicator")
        country = country_code(d.get("country"))
        baseline_year = year_value(d.get("baseline_year"), "The baseline year",
                                   "baseline_year")
        if value_in(country, indicator, baseline_year) is None:
            years = years_with_data(country, indicator)
            where = (f"Years with data: {_years_text(indicator, years)}." if years
                     else "There are no figures at all for it: pick another indicator.")
            raise ValidationError(f"There is no {SHORT_NAMES[indicator]} figure for "
                                  f"{country_name(country)} in {baseline_year}. {where}",
                                  "baseline_year")
        return cls(name=name, indicator=indicator, country=country,
                   baseline_year=baseline_year,
                   target=target_value(d.get("target"), indicator),
                   target_year=target_year_value(d.get("target_year"), baseline_year))

    @property
    def baseline(self) -> float:
        value = value_in(self.country, self.indicator, self.baseline_year)
        return math.nan if value is None else value

    def planned(self, year: int) -> float:
        """The planned value in ``year``: a straight line from baseline to target, then the
        target itself once the target year has passed."""
        if year >= self.target_year:
            return self.target
        share = (year - self.baseline_year) / (self.target_year - self.baseline_year)
        return self.baseline + (self.target - self.baseline) * share

    def checkpoints(self) -> tuple[Checkpoint, ...]:
        return _checkpoints(self)

    @property
    def status(self) -> str:
        points = self.checkpoints()
        return points[-1].status if points else NO_DATA

    @property
    def next_data_year(self) -> int:
        """When new figures can be expected: the next survey edition for an index, the year
        after the latest ITU figure for Internet use."""
        if self.indicator in INDEX_INDICATORS:
            return NEXT_EDITION
        latest = max(years_with_data(self.country, self.indicator), default=self.baseline_year)
        return max(latest, self.baseline_year) + 1

    def as_input(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=512)
def _checkpoints(kpi: TrackedKPI) -> tuple[Checkpoint, ...]:
    out = []
    for year, actual in history(kpi.country, kpi.indicator):
        if year <= kpi.baseline_year:
            continue
        planned = kpi.planned(year)
        ratio, status = status_for(actual, kpi.baseline, planned, kpi.target)
        out.append(Checkpoint(year, actual, planned, ratio, status))
    return tuple(out)


class KPITrackerModel(ExerciseModel):
    """Tracked KPIs; statuses are computed from the data, never stored.

    >>> KPITrackerModel().with_added(name="Internet use", indicator="internet_pct",
    ...     country="BGD", baseline_year=2023, target=70, target_year=2030).status("internet use")
    'no data yet'
    """

    kind: ClassVar[str] = "kpi_tracker"
    title: ClassVar[str] = "KPI tracker"
    submodule: ClassVar[str] = "5.1"

    def __init__(self, tracked: tuple[TrackedKPI, ...] = ()):
        require_unique_names(tracked, "Each tracked KPI needs a different name.")
        if len(tracked) > MAX_TRACKED:
            raise ValidationError(f"The tracker holds at most {MAX_TRACKED} KPIs.", "name")
        self.tracked = tuple(tracked)

    # -- changes (each returns a new model or raises ValidationError)
    def with_added(self, **fields: Any) -> KPITrackerModel:
        new = TrackedKPI.parse(fields)
        if any(k.name.casefold() == new.name.casefold() for k in self.tracked):
            raise ValidationError(f"{new.name!r} is already tracked: pick it in the list to "
                                  "change it.", "name")
        if len(self.tracked) >= MAX_TRACKED:
            raise ValidationError(f"The tracker already holds {MAX_TRACKED} KPIs: remove one "
                                  "first.", "name")
        return KPITrackerModel((*self.tracked, new))

    def with_updated(self, name: str, /, **fields: Any) -> KPITrackerModel:
        index = self._index(name)
        new = TrackedKPI.parse({**self.tracked[index].as_input(), **fields})
        others = [k for i, k in enumerate(self.tracked) if i != index]
        if any(k.name.casefold() == new.name.casefold() for k in others):
            raise ValidationError(f"Another tracked KPI is already called {new.name!r}.",
                                  "name")
        items = list(self.tracked)
        items[index] = new
        return KPITrackerModel(tuple(items))

    def with_review(self, name: str, baseline_year: Any) -> KPITrackerModel:
        """Look back: measure the KPI from an earlier baseline year."""
        return self.with_updated(name, baseline_year=baseline_year)

    def without(self, name: str) -> KPITrackerModel:
        index = self._index(name)
        return KPITrackerModel(tuple(k for i, k in enumerate(self.tracked) if i != index))

    def _index(self, name: str) -> int:
        return index_by_name(self.tracked, name, "tracked KPI")

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
        checks = {
            "at least two KPIs tracked": len(self.tracked) >= 2,
            "at least one KPI reviewed against later figures": any(
                k.status != NO_DATA for k in self.tracked),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        blocks = [Block("table", "Tracked KPIs", columns=TABLE_COLUMNS,
                        rows=self.table_rows())]
        for k in self.tracked:
            points = k.checkpoints()
            if points:
                blocks.append(Block("table", f"{k.name}: {k.status}",
                                    columns=CHECKPOINT_COLUMNS,
                                    rows=[_checkpoint_row(k, c) for c in points]))
            else:
                blocks.append(Block("note", k.name, text=_no_data_text(k)))
            blocks.append(Block("image", k.name, png=tracker_chart(k),
                                alt=charts.describe_lines(_tracker_series(k),
                                                          **_chart_words(k))))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"tracked": [asdict(k) for k in self.tracked]}

    @classmethod
    def from_dict(cls, data_in: Any) -> KPITrackerModel:
        d = mapping(data_in, "A KPI tracker")
        items = sequence(d.get("tracked", []), "Tracked KPIs", max_len=MAX_TRACKED)
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
            try:
                new = TrackedKPI.parse({key: item.get(key) for key in FIELDS})
            except ValidationError:
                continue
            if all(k.name.casefold() != new.name.casefold() for k in tracked):
                tracked.append(new)
        return cls(tuple(tracked))


FIELDS = ("name", "indicator", "country", "baseline_year", "target", "target_year")
TABLE_COLUMNS = ["KPI", "Indicator", "Country", "Baseline", "Target", "Latest figure",
                 "Planned then", "Progress", "Status"]
CHECKPOINT_COLUMNS = ["Year", "Actual", "Planned", "Progress", "Status"]


def _pct(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


def _no_data_text(k: TrackedKPI) -> str:
    return (f"No figures after {k.baseline_year} yet: watch for {k.next_data_year}. "
            "To try the method now, pick an earlier baseline year.")


def _row(k: TrackedKPI) -> list[str]:
    ind = k.indicator
    head = [k.name, SHORT_NAMES[ind], k.country,
            f"{fmt_value(ind, k.baseline)} ({k.baseline_year})",
            f"{fmt_value(ind, k.target)} ({k.target_year})"]
    points = k.checkpoints()
    if not points:
        return [*head, "–", "–", "–", f"{NO_DATA} (next: {k.next_data_year})"]
    last = points[-1]
    return [*head, f"{fmt_value(ind, last.actual)} ({last.year})",
            fmt_value(ind, last.planned), _pct(last.ratio), last.status]


def _checkpoint_row(k: TrackedKPI, c: Checkpoint) -> list[str]:
    return [str(c.year), fmt_value(k.indicator, c.actual), fmt_value(k.indicator, c.planned),
            _pct(c.ratio), c.status]


def _tracker_series(k: TrackedKPI) -> dict[str, tuple[list, list]]:
    points = history(k.country, k.indicator)
    plan_years = [k.baseline_year, k.target_year]
    return {f"Actual ({country_name(k.country)})": ([y for y, _ in points],
                                                     [v for _, v in points]),
            "Planned": (plan_years, [k.baseline, k.target]),
            "Target": ([k.target_year], [k.target])}


@lru_cache(maxsize=128)
def tracker_chart(k: TrackedKPI) -> bytes:
    """Actual values, the planned line and the target; the status in the title."""
    return charts.line_chart(_tracker_series(k), dashed=["Planned"],
                             title=f"{country_name(k.country)}, {SHORT_NAMES[k.indicator]}: "
                                   f"{k.status}",
                             ylim=(0, upper_bound(k.indicator)))


def _chart_words(k: TrackedKPI) -> dict[str, Any]:
    return {"title": f"{k.name}, {country_name(k.country)}, "
                     f"{analysis.INDICATORS[k.indicator]}: {k.status}",
            "digits": 1 if k.indicator == "internet_pct" else 2}


def show_tracker_chart(chart: charts.Chart, k: TrackedKPI) -> None:
    """The KPI's chart with words and numbers for a screen reader: the country, the
    indicator, actual and planned values and the status."""
    chart.lines(_tracker_series(k), png=tracker_chart(k), **_chart_words(k))


NO_KPI_TEXT = ("<p class='d4-hint'>No KPI to track yet. Add a KPI in 3.3 (KPI builder) or "
               "with the form above to see its chart here.</p>")


def status_html(k: TrackedKPI) -> str:
    colour = STATUS_COLOURS[k.status]
    extra = f" — {html.escape(_no_data_text(k))}" if k.status == NO_DATA else ""
    return (f"<div class='d4-status'><b>{html.escape(k.name)}</b>: "
            f"<span style='color:{colour};font-weight:bold'>{html.escape(k.status)}</span>"
            f"{extra}</div>")


# ------------------------------------------------------------------------------- view
class KPITracker(ExerciseView):
    """KPI tracker: actual against planned values, with a status for each KPI.

    >>> view = KPITracker(workbook=Workbook.in_memory())
    >>> view.name.value = "Online services"; view.indicator.value = "osi"
    >>> view.baseline_year.value = 2018; view.target.value = "0.9"
    >>> view.target_year.value = "2026"; view.add_button.click()
    >>> view.model.status("Online services")
    'off track'
    """

    model_class = KPITrackerModel
    model: KPITrackerModel

    def __init__(self, country: str | None = None, **kwargs: Any):
        self._country_arg = country
        self._quiet = False
        super().__init__(**kwargs)

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "120px"}
        self.listing = widgets.Select(description="Tracked KPIs", options=[], rows=6,
                                      style=style)
        self.name = widgets.Text(description="KPI name", style=style,
                                 placeholder="e.g. More people online")
        self.indicator = widgets.Dropdown(
            description="Indicator", style=style,
            layout=widgets.Layout(width="480px", max_width="100%"),
            options=[(label, key) for key, label in analysis.INDICATORS.items()])
        start = (self._country_arg if self._country_arg is not None
                 else case_country(self.workbook, DEFAULT_COUNTRY))
        self.country = widgets.Text(description="Country", value=str(start), style=style,
                                    placeholder="ISO3 code or name, e.g. BGD",
                                    continuous_update=False)
        self.country_message = message_label()
        self.baseline_year = widgets.Dropdown(description="Baseline year", options=[],
                                              style=style)
        self.target = widgets.Text(description="Target value", style=style,
                                   placeholder="e.g. 0.75")
        self.target_year = widgets.Text(description="Target year", style=style,
                                        placeholder="e.g. 2030")
        self.hint = widgets.HTML(
            "<i>To review a KPI, pick it in the list, choose an earlier baseline year and "
            "click “Update selected”.</i>")
        self.form_message = message_label()
        self.add_button = widgets.Button(description="Add", button_style="primary",
                                         icon="plus")
        self.update_button = widgets.Button(description="Update selected", icon="pencil")
        self.remove_button = widgets.Button(description="Remove selected", icon="trash")
        self.progress = widgets.HTML()
        self.heading = widgets.HTML()
        self.chart = charts.Chart()
        self.checkpoint_table = widgets.HTML()
        self.table = widgets.HTML()

        self.add_button.on_click(self._guard(self._add, self.form_message))
        self.update_button.on_click(self._guard(self._update, self.form_message))
        self.remove_button.on_click(self._guard(self._remove, self.form_message))
        self.listing.observe(self._guard(self._select, self.form_message), names="value")
        for control in (self.indicator, self.country):
            control.observe(self._guard(self._years, self.country_message), names="value")
        self._years()

        form = widgets.VBox([self.name, self.indicator, self.country, self.country_message,
                             self.baseline_year, self.target, self.target_year,
                             widgets.HBox([self.add_button, self.update_button,
                                           self.remove_button]),
                             self.form_message, self.hint])
        return [widgets.HBox([form, widgets.VBox([self.listing, self.progress])],
                             layout=widgets.Layout(flex_flow="row wrap")),
                self.heading, self.chart, self.checkpoint_table, self.table]

    # -- callbacks
    def _fields(self) -> dict[str, Any]:
        return {"name": self.name.value, "indicator": self.indicator.value,
                "country": self.country.value, "baseline_year": self.baseline_year.value,
                "target": self.target.value, "target_year": self.target_year.value}

    def _years(self, _=None) -> None:
        """Offer the years with data for the indicator and country in the form."""
        if self._quiet:
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

    def _add(self, _=None) -> None:
        new = self.model.with_added(**self._fields())
        self.commit(new)
        self._show_selected(new.tracked[-1].name)

    def _update(self, _=None) -> None:
        if not self.listing.value:
            raise ValidationError("Pick a KPI in the list first.")
        index = self.model.names().index(self.listing.value)
        new = self.model.with_updated(self.listing.value, **self._fields())
        self.commit(new)
        self._show_selected(new.tracked[index].name)

    def _remove(self, _=None) -> None:
        if not self.listing.value:
            raise ValidationError("Pick a KPI in the list first.")
        self.commit(self.model.without(self.listing.value))

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
            self.name.value, self.indicator.value, self.country.value = (k.name, k.indicator,
                                                                         k.country)
            self.baseline_year.options = list(reversed(years_with_data(k.country,
                                                                       k.indicator)))
            self.baseline_year.value = k.baseline_year
            self.target.value = number_text(k.target)
            self.target_year.value = str(k.target_year)
        finally:
            self._quiet = False
        show_message(self.country_message, "")

    def _show_kpi(self) -> None:
        """Chart, status and checkpoints of the selected KPI."""
        name = self.listing.value
        k = next((k for k in self.model.tracked if k.name == name), None)
        if k is None:
            self.heading.value = NO_KPI_TEXT if not self.model.tracked else ""
            self.chart.show(b"", "")
            self.checkpoint_table.value = ""
            return
        self.heading.value = status_html(k)
        show_tracker_chart(self.chart, k)
        points = k.checkpoints()
        self.checkpoint_table.value = html_table(
            CHECKPOINT_COLUMNS, [_checkpoint_row(k, c) for c in points]) if points else ""

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
        self.table.value = html_table(TABLE_COLUMNS, rows) if rows else ""
        done = self.model.completeness()
        todo = "; ".join(done.missing)
        show_message(self.progress, f"{done}" + (f" — still needed: {todo}" if todo else ""),
                     "ok" if done.complete else "info")
        self._show_kpi()


__all__ = ["AT_RISK", "NO_DATA", "OFF_TRACK", "ON_TRACK", "STATUSES", "Checkpoint",
           "KPITracker", "KPITrackerModel", "TrackedKPI", "status_for"]
