"""KPI builder (submodule 3.3): key performance indicators on real survey data.

The learner names a KPI, picks an indicator and a country; the baseline (latest value and
its year) comes from the data. With a target value and a target year the exercise shows the
yearly change the target needs, sets it beside the country's own past trend and its peers'
trend, and checks the KPI against the five SMART criteria.

>>> m = KPIBuilderModel().with_added(name="Online services for every citizen",
...                                  indicator="osi", country="BGD", target="0,85",
...                                  target_year=2030, sdg_target="16.6")
>>> k = m.kpis[0]
>>> k.baseline_year, round(k.baseline, 4)
(2024, 0.7374)
>>> round(m.required_change(k.name), 4)
0.0188
>>> [c.ok for c in m.smart(k.name)]
[True, True, True, True, True]
"""

from __future__ import annotations

import html
import math
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import charts, data
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
    integer,
    mapping,
    message_label,
    number,
    require_unique_names,
    sequence,
    show_message,
    text,
)

INDICATOR_KEYS: tuple[str, ...] = tuple(analysis.INDICATORS)
INDEX_INDICATORS: tuple[str, ...] = ("egdi", "osi", "hci", "tii", "epi")
SHORT_NAMES = {"egdi": "EGDI", "osi": "OSI", "hci": "HCI", "tii": "TII", "epi": "EPI",
               "internet_pct": "Internet use (%)"}
MAX_KPIS = 10
MAX_TARGET_YEAR = 2050
MIN_YEAR = 1990
MAX_HORIZON = 15  # years from baseline to target for a time-bound KPI
TREND_YEARS = 10  # the past trend is measured over this many years before the baseline
ACHIEVABLE_FACTOR = 1.5
NEXT_EDITION = data.LATEST_EDITION + 2
MAX_SDG_TARGET = 40


# --------------------------------------------------------------------------- data helpers
@lru_cache(maxsize=512)
def _resolve_country(value: str) -> str:
    return data.find_country(value)


def country_code(value: Any, label: str = "Country") -> str:
    """ISO3 code for a code or a name; ValidationError with suggestions otherwise.

    >>> country_code("bangladesh")
    'BGD'
    """
    value = text(value, label, required=True, max_len=80, field="country")
    try:
        return _resolve_country(value)
    except ValueError as exc:
        raise ValidationError(str(exc), "country") from None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    c = data.load_countries()
    return {str(i): str(n) for i, n in zip(c["iso3"], c["name"], strict=True)}


def country_name(iso3: str) -> str:
    return _country_names().get(iso3, iso3)


@lru_cache(maxsize=1024)
def history(iso3: str, indicator: str) -> tuple[tuple[int, float], ...]:
    """(year, value) pairs of an indicator for a country, oldest first, no missing values."""
    s = analysis.indicator_series(iso3, indicator)
    return tuple((int(y), float(v)) for y, v in s.items())


def years_with_data(iso3: str, indicator: str) -> list[int]:
    return [y for y, _ in history(iso3, indicator)]


def value_in(iso3: str, indicator: str, year: int) -> float | None:
    for y, v in history(iso3, indicator):
        if y == year:
            return v
    return None


def latest_value(iso3: str, indicator: str) -> tuple[int, float]:
    """The latest year with a value, and that value; ValidationError when there is none."""
    points = history(iso3, indicator)
    if not points:
        raise ValidationError(f"There is no {SHORT_NAMES[indicator]} figure for "
                              f"{country_name(iso3)} in the data: pick another indicator.",
                              "indicator")
    return points[-1]


@lru_cache(maxsize=1024)
def own_trend(iso3: str, indicator: str, baseline_year: int) -> float:
    """The country's average change a year over the 10 years up to the baseline (NaN when
    there are fewer than two values)."""
    return analysis.yearly_trend(iso3, indicator, since=baseline_year - TREND_YEARS,
                                 until=baseline_year)


@lru_cache(maxsize=256)
def peer_group_label(iso3: str) -> str:
    return analysis.peer_group(iso3)[1]


@lru_cache(maxsize=1024)
def peer_trend(iso3: str, indicator: str, baseline_year: int) -> float:
    """Median yearly change of the country's peers over the same window (NaN if none)."""
    values = [analysis.yearly_trend(p, indicator, since=baseline_year - TREND_YEARS,
                                    until=baseline_year)
              for p in analysis.peer_countries(iso3)]
    values = [v for v in values if not math.isnan(v)]
    return float(statistics.median(values)) if values else math.nan


def upper_bound(indicator: str) -> float:
    return 100.0 if indicator == "internet_pct" else 1.0


def _safe_number(fn: Callable[..., Any], value: Any, label: str, field: str, **kw: Any) -> Any:
    try:
        return fn(value, label, field=field, **kw)
    except OverflowError:  # a whole number too large for a float
        raise ValidationError(f"{label} must be a number.", field) from None


def target_value(value: Any, indicator: str) -> float:
    """A target for an indicator: an index between 0 and 1, a percentage between 0 and 100."""
    target = _safe_number(number, value, "The target", "target")
    if indicator == "internet_pct":
        if not 0 <= target <= 100:
            raise ValidationError("An Internet-use target is a percentage between 0 and 100, "
                                  "such as 60.", "target")
    elif not 0 <= target <= 1:
        raise ValidationError("An index target is a number between 0 and 1, such as 0.75.",
                              "target")
    return target


def year_value(value: Any, label: str, field: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(f"{label} is missing: type a year such as 2030.", field)
    return _safe_number(integer, value, label, field, lo=MIN_YEAR, hi=2100)


def target_year_value(value: Any, baseline_year: int) -> int:
    year = year_value(value, "The target year", "target_year")
    if year <= baseline_year:
        raise ValidationError(f"The target year must come after the baseline year "
                              f"({baseline_year}).", "target_year")
    if year > MAX_TARGET_YEAR:
        raise ValidationError(f"The target year must be {MAX_TARGET_YEAR} or earlier.",
                              "target_year")
    return year


def fmt_value(indicator: str, value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.1f}%" if indicator == "internet_pct" else f"{value:.3f}"


def fmt_change(indicator: str, value: float | None) -> str:
    """A change a year, with its sign."""
    if value is None or math.isnan(value):
        return "–"
    if indicator == "internet_pct":
        return f"{value:+.2f} points a year"
    return f"{value:+.4f} a year"


def number_text(value: float) -> str:
    """A number as a learner would type it back (no trailing .0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# --------------------------------------------------------------------------- items
@dataclass(frozen=True)
class SmartCheck:
    """One SMART criterion: its letter, name, whether it is met and why."""

    letter: str
    label: str
    ok: bool
    reason: str


@dataclass(frozen=True)
class KPI:
    """A KPI; ``baseline`` and ``baseline_year`` always come from the data."""

    name: str
    indicator: str
    country: str
    baseline_year: int
    baseline: float
    target: float
    target_year: int
    sdg_target: str = ""
    responsible: str = ""

    @classmethod
    def parse(cls, data_in: Any, *, require_name: bool = True) -> KPI:
        d = mapping(data_in, "A KPI")
        name = text(d.get("name"), "The KPI's name", required=require_name,
                    max_len=MAX_NAME, field="name")
        indicator = choice(d.get("indicator"), "Indicator", INDICATOR_KEYS, field="indicator")
        country = country_code(d.get("country"))
        baseline_year, baseline = latest_value(country, indicator)
        return cls(
            name=name, indicator=indicator, country=country,
            baseline_year=baseline_year, baseline=baseline,
            target=target_value(d.get("target"), indicator),
            target_year=target_year_value(d.get("target_year"), baseline_year),
            sdg_target=text(d.get("sdg_target", ""), "The SDG target",
                            max_len=MAX_SDG_TARGET, field="sdg_target"),
            responsible=text(d.get("responsible", ""), "The responsible body",
                             max_len=MAX_NAME, field="responsible"),
        )

    # -- figures
    @property
    def horizon(self) -> int:
        return self.target_year - self.baseline_year

    @property
    def required_change(self) -> float:
        """Change a year needed to go in a straight line from baseline to target."""
        return (self.target - self.baseline) / self.horizon

    @property
    def own_trend(self) -> float:
        return own_trend(self.country, self.indicator, self.baseline_year)

    @property
    def peer_trend(self) -> float:
        return peer_trend(self.country, self.indicator, self.baseline_year)

    def trend_value(self, year: int) -> float:
        """Where the country's own past trend would take it by ``year`` (kept in range)."""
        trend = self.own_trend
        if math.isnan(trend):
            return math.nan
        value = self.baseline + trend * (year - self.baseline_year)
        return min(max(value, 0.0), upper_bound(self.indicator))

    # -- SMART
    def smart(self, target_area: str = "") -> tuple[SmartCheck, ...]:
        return (self._specific(), self._measurable(), self._achievable(),
                self._relevant(target_area), self._time_bound())

    def is_smart(self, target_area: str = "") -> bool:
        return all(c.ok for c in self.smart(target_area))

    def _specific(self) -> SmartCheck:
        ok = (len(self.name.split()) >= 3 or len(self.name) >= 15) and bool(self.indicator)
        if ok:
            reason = "The name says what should change, and the indicator says how."
        elif not self.name:
            reason = "Give the KPI a name that says what should change, and for whom."
        else:
            reason = ("The name is too short to say what should change: use at least three "
                      "words.")
        return SmartCheck("S", "Specific", ok, reason)

    def _measurable(self) -> SmartCheck:
        ok = (self.indicator in analysis.INDICATORS and math.isfinite(self.baseline)
              and math.isfinite(self.target))
        reason = (f"Measured by {SHORT_NAMES[self.indicator]}: "
                  f"{fmt_value(self.indicator, self.baseline)} in {self.baseline_year}, target "
                  f"{fmt_value(self.indicator, self.target)}." if ok
                  else "It needs an indicator with a figure in the data, and a number as "
                       "target.")
        return SmartCheck("M", "Measurable", ok, reason)

    def _achievable(self) -> SmartCheck:
        ind, need = self.indicator, self.required_change
        if self.target < self.baseline:
            return SmartCheck("A", "Achievable", False,
                              "The target is below today's value: that is a fall, not an "
                              "improvement.")
        if self.target == self.baseline:
            return SmartCheck("A", "Achievable", True,
                              "The target keeps today's level, so no change is needed; "
                              "consider aiming higher.")
        paces = {who: v for who, v in (("its own", self.own_trend),
                                       ("its peers'", self.peer_trend)) if not math.isnan(v)}
        if not paces:
            return SmartCheck("A", "Achievable", False,
                              "There are not enough past figures to judge the pace needed.")
        who, best = max(paces.items(), key=lambda kv: kv[1])
        if best <= 0:
            return SmartCheck("A", "Achievable", False,
                              f"Neither {country_name(self.country)} nor its peers improved "
                              f"over the last {TREND_YEARS} years, so the data show no pace "
                              "to build on.")
        if need <= ACHIEVABLE_FACTOR * best:
            return SmartCheck("A", "Achievable", True,
                              f"It needs {fmt_change(ind, need)}; the best recent pace "
                              f"({who}) is {fmt_change(ind, best)}.")
        return SmartCheck("A", "Achievable", False,
                          f"It needs {fmt_change(ind, need)}, more than {ACHIEVABLE_FACTOR:g} "
                          f"times the best recent pace ({who}, {fmt_change(ind, best)}). "
                          "Lower the target or allow more time.")

    def _relevant(self, target_area: str) -> SmartCheck:
        if self.sdg_target:
            return SmartCheck("R", "Relevant", True,
                              f"It serves SDG target {self.sdg_target}.")
        if target_area:
            return SmartCheck("R", "Relevant", True,
                              f"It serves your case's target area: {target_area}.")
        return SmartCheck("R", "Relevant", False,
                          "Name the SDG target it serves (for example 16.6).")

    def _time_bound(self) -> SmartCheck:
        if self.horizon <= MAX_HORIZON:
            return SmartCheck("T", "Time-bound", True,
                              f"Due in {self.target_year}, {self.horizon} years after the "
                              "baseline.")
        return SmartCheck("T", "Time-bound", False,
                          f"{self.horizon} years is a long way off: set a year within "
                          f"{MAX_HORIZON} years of the baseline.")

    def as_input(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- model
class KPIBuilderModel(ExerciseModel):
    """The learner's list of KPIs (at most 10), each checked against the data.

    ``target_area`` is the learner's case target area (from the workbook): context for the
    Relevant check, not part of the stored answer.

    >>> m = KPIBuilderModel().with_added(name="More people online", indicator="internet_pct",
    ...                                  country="Bangladesh", target=60, target_year=2030)
    >>> m.to_dict()["kpis"][0]["country"], m.kpis[0].baseline_year
    ('BGD', 2023)
    """

    kind: ClassVar[str] = "kpi_builder"
    title: ClassVar[str] = "KPI builder"
    submodule: ClassVar[str] = "3.3"

    def __init__(self, kpis: tuple[KPI, ...] = (), *, target_area: str = ""):
        require_unique_names(kpis, "Each KPI needs a different name.")
        if len(kpis) > MAX_KPIS:
            raise ValidationError(f"A list holds at most {MAX_KPIS} KPIs.", "name")
        self.kpis = tuple(kpis)
        self.target_area = target_area if isinstance(target_area, str) else ""

    def _new(self, kpis: tuple[KPI, ...]) -> KPIBuilderModel:
        return KPIBuilderModel(kpis, target_area=self.target_area)

    # -- changes (each returns a new model or raises ValidationError)
    def with_added(self, **fields: Any) -> KPIBuilderModel:
        new = KPI.parse(fields)
        if any(k.name.casefold() == new.name.casefold() for k in self.kpis):
            raise ValidationError(f"{new.name!r} is already in your list: pick it in the list "
                                  "to change it.", "name")
        if len(self.kpis) >= MAX_KPIS:
            raise ValidationError(f"Your list already has {MAX_KPIS} KPIs: remove one first.",
                                  "name")
        return self._new((*self.kpis, new))

    def with_updated(self, name: str, /, **fields: Any) -> KPIBuilderModel:
        index = self._index(name)
        new = KPI.parse({**self.kpis[index].as_input(), **fields})
        others = [k for i, k in enumerate(self.kpis) if i != index]
        if any(k.name.casefold() == new.name.casefold() for k in others):
            raise ValidationError(f"Another KPI is already called {new.name!r}.", "name")
        items = list(self.kpis)
        items[index] = new
        return self._new(tuple(items))

    def without(self, name: str) -> KPIBuilderModel:
        index = self._index(name)
        return self._new(tuple(k for i, k in enumerate(self.kpis) if i != index))

    def with_target_area(self, target_area: str) -> KPIBuilderModel:
        return KPIBuilderModel(self.kpis, target_area=target_area)

    def _index(self, name: str) -> int:
        return index_by_name(self.kpis, name, "KPI")

    # -- reading
    def names(self) -> list[str]:
        return [k.name for k in self.kpis]

    def kpi(self, name: str) -> KPI:
        return self.kpis[self._index(name)]

    @staticmethod
    def draft(**fields: Any) -> KPI:
        """A KPI from form fields, not added (for a preview); the name may still be empty."""
        return KPI.parse(fields, require_name=False)

    def required_change(self, name: str) -> float:
        return self.kpi(name).required_change

    def own_trend(self, name: str) -> float:
        return self.kpi(name).own_trend

    def peer_trend(self, name: str) -> float:
        return self.kpi(name).peer_trend

    def smart(self, name: str) -> tuple[SmartCheck, ...]:
        return self.kpi(name).smart(self.target_area)

    def completeness(self) -> Completeness:
        ks = self.kpis
        checks = {
            "at least two KPIs": len(ks) >= 2,
            "every KPI passes the five SMART checks": bool(ks)
            and all(k.is_smart(self.target_area) for k in ks),
            "an SDG target for every KPI": bool(ks) and all(k.sdg_target for k in ks),
            "a responsible body for every KPI": bool(ks) and all(k.responsible for k in ks),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def table_rows(self) -> list[list[str]]:
        rows = []
        for k in self.kpis:
            ticks = ["✓" if c.ok else "✗" for c in k.smart(self.target_area)]
            rows.append([k.name, SHORT_NAMES[k.indicator], k.country,
                         f"{fmt_value(k.indicator, k.baseline)} ({k.baseline_year})",
                         f"{fmt_value(k.indicator, k.target)} ({k.target_year})",
                         fmt_change(k.indicator, k.required_change),
                         fmt_change(k.indicator, k.own_trend),
                         fmt_change(k.indicator, k.peer_trend), *ticks])
        return rows

    def report(self) -> list[Block]:
        blocks = [Block("table", "Key performance indicators", columns=TABLE_COLUMNS,
                        rows=self.table_rows())]
        for k in self.kpis:
            blocks.append(Block("fields", k.name, items=[
                ("Indicator", analysis.INDICATORS[k.indicator]),
                ("Country", f"{country_name(k.country)} ({k.country})"),
                ("Baseline", f"{fmt_value(k.indicator, k.baseline)} in {k.baseline_year}"),
                ("Target", f"{fmt_value(k.indicator, k.target)} by {k.target_year}"),
                ("SDG target", k.sdg_target or "–"),
                ("Responsible", k.responsible or "–"),
                *[(f"{c.label} {'✓' if c.ok else '✗'}", c.reason)
                  for c in k.smart(self.target_area)],
            ]))
            blocks.append(Block("image", k.name, png=kpi_chart(k), alt=kpi_words(k)[0]))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"kpis": [asdict(k) for k in self.kpis]}

    @classmethod
    def from_dict(cls, data_in: Any) -> KPIBuilderModel:
        d = mapping(data_in, "A KPI list")
        items = sequence(d.get("kpis", []), "KPIs", max_len=MAX_KPIS)
        return cls(tuple(KPI.parse(item) for item in items))

    @classmethod
    def starter(cls, workbook: Workbook) -> KPIBuilderModel:
        return cls(target_area=_case_area(workbook))

    @classmethod
    def from_workbook(cls, workbook: Workbook, key: str | None = None) -> KPIBuilderModel:
        return super().from_workbook(workbook, key).with_target_area(_case_area(workbook))


def _case_area(workbook: Workbook | None) -> str:
    if workbook is None:
        return ""
    area = workbook.case.get("target_area")
    return area.strip()[:MAX_NAME] if isinstance(area, str) else ""


TABLE_COLUMNS = ["KPI", "Indicator", "Country", "Baseline", "Target", "Needed",
                 "Own trend", "Peers' trend", "S", "M", "A", "R", "T"]


# --------------------------------------------------------------------------- charts
def _history_series(iso3: str, indicator: str) -> dict[str, tuple[list, list]]:
    points = history(iso3, indicator)
    return {country_name(iso3): ([y for y, _ in points], [v for _, v in points])}


def _alt_title(iso3: str, indicator: str) -> str:
    """The chart's title in words: the country and the indicator's full name."""
    return f"{country_name(iso3)}, {analysis.INDICATORS[indicator]}"


def _digits(indicator: str) -> int:
    return 1 if indicator == "internet_pct" else 2


@lru_cache(maxsize=64)
def history_chart(iso3: str, indicator: str) -> bytes:
    return charts.line_chart(_history_series(iso3, indicator),
                             title=f"{country_name(iso3)}: {SHORT_NAMES[indicator]}",
                             ylim=(0, upper_bound(indicator)))


def show_history(chart: charts.Chart, iso3: str, indicator: str) -> None:
    """The indicator's past values, with words and numbers for a screen reader."""
    chart.lines(_history_series(iso3, indicator), title=_alt_title(iso3, indicator),
                digits=_digits(indicator), png=history_chart(iso3, indicator))


def kpi_words(kpi: KPI) -> tuple[str, list[str], list[list[str]]]:
    """What the KPI chart shows, for a screen reader: (alternative text, table columns,
    table rows)."""
    series, _ = _kpi_series(kpi.country, kpi.indicator, kpi.target, kpi.target_year)
    alt = (charts.describe_lines(series, title=_alt_title(kpi.country, kpi.indicator),
                                 digits=_digits(kpi.indicator))
           + f" Change needed: {fmt_change(kpi.indicator, kpi.required_change)}.")
    return (alt, *charts.lines_table(series))


def kpi_chart(kpi: KPI) -> bytes:
    """History, the straight path from baseline to target and where the own trend leads."""
    return _kpi_chart(kpi.country, kpi.indicator, kpi.target, kpi.target_year)


def _kpi_series(iso3: str, indicator: str, target: float, target_year: int
                ) -> tuple[dict[str, tuple[list, list]], list[str]]:
    points = history(iso3, indicator)
    baseline_year, baseline = points[-1]
    kpi = KPI("", indicator, iso3, baseline_year, baseline, target, target_year)
    ends = [baseline_year, target_year]
    series = {country_name(iso3): ([y for y, _ in points], [v for _, v in points]),
              "Path to the target": (ends, [baseline, target])}
    dashed = ["Path to the target"]
    if not math.isnan(kpi.own_trend):
        series["Own past trend"] = (ends, [baseline, kpi.trend_value(target_year)])
        dashed.append("Own past trend")
    return series, dashed


def _kpi_axes(iso3: str, indicator: str, target_year: int) -> dict[str, object]:
    points = history(iso3, indicator)
    first = min(y for y, _ in points)
    last = max(target_year, points[-1][0])
    step = 5 if last - first <= 30 else 10
    ticks = list(range(first - first % step + step, last + 1, step))
    return {"xlim": (first - 1, last + 1), "ylim": (0, upper_bound(indicator)), "xticks": ticks}


@lru_cache(maxsize=128)
def _kpi_chart(iso3: str, indicator: str, target: float, target_year: int) -> bytes:
    # keyed on what the chart shows only: typing a name or an SDG target does not redraw it
    series, dashed = _kpi_series(iso3, indicator, target, target_year)
    return charts.line_chart(series, dashed=dashed,
                             title=f"{country_name(iso3)}: {SHORT_NAMES[indicator]}",
                             ylim=(0, upper_bound(indicator)))


def smart_html(checks: tuple[SmartCheck, ...]) -> str:
    items = "".join(
        f"<li><b>{'✓' if c.ok else '✗'} {html.escape(c.label)}</b>: {html.escape(c.reason)}</li>"
        for c in checks)
    return f"<ul class='d4-smart'>{items}</ul>"


def preview_html(kpi: KPI, target_area: str = "") -> str:
    ind = kpi.indicator
    since = kpi.baseline_year - TREND_YEARS
    lines = [
        f"Baseline from the data: <b>{fmt_value(ind, kpi.baseline)}</b> in "
        f"{kpi.baseline_year}.",
        f"Needed to reach {fmt_value(ind, kpi.target)} by {kpi.target_year}: "
        f"<b>{fmt_change(ind, kpi.required_change)}</b>.",
        f"{html.escape(country_name(kpi.country))}'s own trend since {since}: "
        f"{fmt_change(ind, kpi.own_trend)}.",
        f"Peers' trend ({html.escape(peer_group_label(kpi.country))}, median): "
        f"{fmt_change(ind, kpi.peer_trend)}.",
    ]
    return "<div class='d4-preview'>" + "<br>".join(lines) + smart_html(
        kpi.smart(target_area)) + "</div>"


# --------------------------------------------------------------------------- view
class KPIBuilder(ExerciseView):
    """KPI builder: baseline from the data, a target, and a SMART check.

    >>> view = KPIBuilder(workbook=Workbook.in_memory())
    >>> view.name.value = "More services online for citizens"
    >>> view.indicator.value = "osi"; view.target.value = "0.85"; view.target_year.value = "2030"
    >>> view.add_button.click()
    >>> view.model.names()
    ['More services online for citizens']
    """

    model_class = KPIBuilderModel
    model: KPIBuilderModel

    def __init__(self, country: str | None = None, **kwargs: Any):
        self._country_arg = country
        self._quiet = False
        super().__init__(**kwargs)

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "120px"}

        def wide() -> widgets.Layout:
            # room for the longest indicator name; a narrow screen shrinks the boxes
            return widgets.Layout(width="480px", max_width="100%")

        self.name = widgets.Text(description="KPI name", style=style, layout=wide(),
                                 placeholder="e.g. Births registered online")
        self.indicator = widgets.Dropdown(
            description="Indicator", style=style, layout=wide(),
            options=[(label, key) for key, label in analysis.INDICATORS.items()])
        start = (self._country_arg if self._country_arg is not None
                 else case_country(self.workbook, DEFAULT_COUNTRY))
        self.country = widgets.Text(description="Country", value=str(start), style=style,
                                    placeholder="ISO3 code or name, e.g. BGD", layout=wide(),
                                    continuous_update=False)
        self.country_message = message_label()
        # numbers are taken when the learner presses Enter or leaves the box: a half-typed
        # number does not redraw the chart at every key
        self.target = widgets.Text(description="Target value", style=style, layout=wide(),
                                   placeholder="e.g. 0.75", continuous_update=False)
        self.target_year = widgets.Text(description="Target year", style=style, layout=wide(),
                                        placeholder="e.g. 2030", continuous_update=False)
        self.sdg_target = widgets.Text(description="SDG target", style=style, layout=wide(),
                                       placeholder="e.g. 16.9 (optional)")
        self.responsible = widgets.Text(description="Responsible", style=style, layout=wide(),
                                        placeholder="e.g. ICT ministry (optional)")
        self.form_message = message_label()
        self.add_button = widgets.Button(description="Add KPI", button_style="primary",
                                         icon="plus")
        self.update_button = widgets.Button(description="Update selected", icon="pencil")
        self.remove_button = widgets.Button(description="Remove selected", icon="trash")
        self.listing = widgets.Select(description="Your KPIs", options=[], rows=6,
                                      style=style)
        self.progress = widgets.HTML()
        self.preview = widgets.HTML()
        self.preview_message = message_label()
        self.chart = charts.Chart()
        self.table = widgets.HTML()

        self.add_button.on_click(self._guard(self._add, self.form_message))
        self.update_button.on_click(self._guard(self._update, self.form_message))
        self.remove_button.on_click(self._guard(self._remove, self.form_message))
        self.listing.observe(self._guard(self._select, self.form_message), names="value")
        for control in (self.name, self.indicator, self.country, self.target,
                        self.target_year, self.sdg_target):
            control.observe(self._guard(self._preview, self.preview_message), names="value")
        self.indicator.observe(self._guard(self._placeholder), names="value")
        self._check_country()

        form = widgets.VBox([self.name, self.indicator, self.country, self.country_message,
                             self.target, self.target_year, self.sdg_target, self.responsible,
                             widgets.HBox([self.add_button, self.update_button,
                                           self.remove_button]),
                             self.form_message])
        return [widgets.HBox([form, widgets.VBox([self.listing, self.progress])],
                             layout=widgets.Layout(flex_flow="row wrap")),
                self.preview, self.preview_message, self.chart, self.table]

    # -- callbacks
    def _fields(self) -> dict[str, Any]:
        return {"name": self.name.value, "indicator": self.indicator.value,
                "country": self.country.value, "target": self.target.value,
                "target_year": self.target_year.value, "sdg_target": self.sdg_target.value,
                "responsible": self.responsible.value}

    def _check_country(self) -> None:
        try:
            country_code(self.country.value)
        except ValidationError as exc:
            show_message(self.country_message, str(exc), "error")
        else:
            show_message(self.country_message, "")

    def _placeholder(self, _=None) -> None:
        self.target.placeholder = ("e.g. 60 (%)"
                                   if self.indicator.value == "internet_pct" else "e.g. 0.75")

    def _add(self, _=None) -> None:
        new = self.model.with_added(**self._fields())
        self.commit(new)
        self._show_selected(new.kpis[-1].name)

    def _update(self, _=None) -> None:
        if not self.listing.value:
            raise ValidationError("Pick a KPI in the list first.")
        new = self.model.with_updated(self.listing.value, **self._fields())
        index = self.model.names().index(self.listing.value)
        self.commit(new)
        self._show_selected(new.kpis[index].name)

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

    def _select(self, change) -> None:
        if self._quiet or not change["new"]:
            return
        k = next((k for k in self.model.kpis if k.name == change["new"]), None)
        if k is None:
            return
        self._quiet = True
        try:
            self.name.value, self.indicator.value, self.country.value = (k.name, k.indicator,
                                                                         k.country)
            self.target.value = number_text(k.target)
            self.target_year.value = str(k.target_year)
            self.sdg_target.value, self.responsible.value = k.sdg_target, k.responsible
        finally:
            self._quiet = False
        self._preview()

    def _chart_png(self, kpi: KPI) -> bytes:
        """The preview chart, redrawn on the view's own kept figure (see charts.LineChart)."""
        key = (kpi.country, kpi.indicator, kpi.target, kpi.target_year)
        cache = self.__dict__.setdefault("_chart_cache", {})
        if key not in cache:
            if "_line_chart" not in self.__dict__:
                self._line_chart = charts.LineChart(xlim=(2000, 2031), ylim=(0, 1))
            series, dashed = _kpi_series(*key)
            cache[key] = self._line_chart.render(
                series, dashed=dashed, **_kpi_axes(kpi.country, kpi.indicator, kpi.target_year),
                title=f"{country_name(kpi.country)}: {SHORT_NAMES[kpi.indicator]}")
            if len(cache) > 128:
                cache.pop(next(iter(cache)))
        return cache[key]

    def _preview(self, _=None) -> None:
        """Recompute the preview for the KPI in the form (the model -> view path)."""
        if self._quiet:
            return
        self._check_country()
        fields = self._fields()
        try:
            iso3 = country_code(fields["country"])
            indicator = choice(fields["indicator"], "Indicator", INDICATOR_KEYS)
            year, value = latest_value(iso3, indicator)
        except ValidationError as exc:
            self.preview.value = f"<i>{html.escape(str(exc))}</i>"
            self.chart.show(b"", "")
            return
        try:
            if not str(fields.get("target", "")).strip() or not str(
                    fields.get("target_year", "")).strip():
                raise ValidationError("enter a target value and a target year.")
            kpi = self.model.draft(**fields)
        except ValidationError as exc:
            self.preview.value = (
                f"Baseline from the data: <b>{fmt_value(indicator, value)}</b> in {year}."
                f"<br><i>To check the KPI: {html.escape(str(exc))}</i>")
            show_history(self.chart, iso3, indicator)
            return
        self.preview.value = preview_html(kpi, self.model.target_area)
        self.chart.show(self._chart_png(kpi), *kpi_words(kpi))

    def refresh(self) -> None:
        names = self.model.names()
        keep = self.listing.value if self.listing.value in names else None
        self._quiet = True
        try:
            if list(self.listing.options) != names:
                self.listing.options = names
            self.listing.value = keep
        finally:
            self._quiet = False
        rows = self.model.table_rows()
        self.table.value = html_table(TABLE_COLUMNS, rows) if rows else ""
        done = self.model.completeness()
        todo = "; ".join(done.missing)
        show_message(self.progress, f"{done}" + (f" — still needed: {todo}" if todo else ""),
                     "ok" if done.complete else "info")
        self._preview()


__all__ = ["INDICATOR_KEYS", "KPI", "MAX_KPIS", "NEXT_EDITION", "KPIBuilder", "KPIBuilderModel",
           "SmartCheck", "country_code", "history", "latest_value", "own_trend", "peer_trend"]
