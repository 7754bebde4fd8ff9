"""KPI builder (submodule 3.3): key performance indicators for the learner's own initiative.

A **project KPI** is a figure of the initiative itself: what it counts and for whom or where,
its unit, a baseline (a value, its year, who measures it and how often), a target and a
target year, the direction of the goal (more or less is better) and its level in the results
chain (output, outcome or impact). The builder checks what a tool can check (each part is
there, the target lies in the direction of the goal, the years are in order and not too far
apart) and says, for each check, what only a person can judge.

A **national index** (EGDI, OSI, HCI, TII, EPI, Internet use) stays available as a
**context** indicator: its baseline comes from the data, and the builder sets the pace a
target needs beside the country's own past pace and its peers' pace. A warning goes with it:
the Survey's indices are relative and rescaled in each edition, so they describe a country's
place among others, not the work of one project.

>>> m = KPIBuilderModel().with_added(
...     name="Births registered online", kind="project", level="outcome",
...     measure="births registered through the online service",
...     scope="children born in the three pilot districts", unit="births a month",
...     goal="increase", baseline="0", baseline_year="2024", target="1500",
...     target_year="2030", source="Civil registry office", frequency="monthly",
...     sdg_target="16.9", responsible="Civil registry office")
>>> [c.ok for c in m.checks("Births registered online")]
[True, True, True, True, True]
>>> m = m.with_added(name="Online services (context)", kind="context", indicator="osi",
...                  country="BGD", target="0,85", target_year=2030, sdg_target="16.6")
>>> k = m.kpi("Online services (context)")
>>> k.baseline_year, round(k.baseline, 4), round(k.required_change, 4)
(2024, 0.7374, 0.0188)
>>> [c.ok for c in k.checks()]
[None, True, True, True, True]
>>> m.completeness().missing
['a responsible body for every KPI']
"""

from __future__ import annotations

import html
import math
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import charts, data
from ..data import analysis
from ..i18n import N_, _, get_language, ngettext, pgettext
from ..i18n import country_name as local_country_name
from ..i18n import number as local_number
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
    integer,
    mapping,
    message_label,
    number,
    require_unique_names,
    sequence,
    show_message,
    shown_number,
    text,
)
from ._country import peer_label

INDICATOR_KEYS: tuple[str, ...] = tuple(analysis.INDICATORS)
INDEX_INDICATORS: tuple[str, ...] = ("egdi", "osi", "hci", "tii", "epi")
#: the indicators' short names (shown through :func:`short_name`)
SHORT_NAMES = {"egdi": "EGDI", "osi": "OSI", "hci": "HCI", "tii": "TII", "epi": "EPI",
               "internet_pct": N_("Internet use (%)")}
MAX_KPIS = 10
MAX_TARGET_YEAR = 2050
MIN_YEAR = 1990
MAX_HORIZON = 15  # years from baseline to target for a time-bound KPI
TREND_YEARS = 10  # the past pace is measured over this many years before the baseline
ACHIEVABLE_FACTOR = 1.5
NEXT_EDITION = data.LATEST_EDITION + 2
MAX_SDG_TARGET = 40
MAX_UNIT = 40

#: a project KPI: a figure of the learner's own initiative; a context KPI: a national index
PROJECT, CONTEXT = "project", "context"
KINDS: tuple[str, ...] = (PROJECT, CONTEXT)
#: the levels of the results chain a project KPI can sit at (activities are the work itself);
#: the stored value is the key, the words are shown through ``_()``
LEVELS: dict[str, str] = {
    "output": N_("Output: what the work delivers"),
    "outcome": N_("Outcome: what changes for people"),
    "impact": N_("Impact: the long-term change"),
}
#: what the Relevant check says of a project KPI's level
LEVEL_SENTENCES: dict[str, str] = {"output": N_("An output KPI."),
                                   "outcome": N_("An outcome KPI."),
                                   "impact": N_("An impact KPI.")}
LEVEL_HELP = N_(
    "<b>Results chain.</b> <b>Activities</b> are the work your project does (train staff, "
    "build an online form). An <b>output</b> is what that work delivers, and your project "
    "controls it (staff trained, offices connected). An <b>outcome</b> is what changes for "
    "the people served when they use it (births registered online, fewer days to get a "
    "licence). An <b>impact</b> is the long-term change in society that the project helps "
    "to bring about, together with others (every child with a legal identity).")
GOALS: dict[str, str] = {"increase": N_("More is better (a rise)"),
                         "decrease": N_("Less is better (a fall)")}
#: how often a project KPI is measured: stored as these English words, shown through ``_()``
FREQUENCIES: tuple[str, ...] = (N_("monthly"), N_("every three months"), N_("twice a year"),
                                N_("yearly"), N_("every two years"))
#: who publishes a national figure, and how often (shown through ``_()``)
CONTEXT_SOURCES = {key: N_("UN E-Government Survey, every two years")
                   for key in INDEX_INDICATORS}
CONTEXT_SOURCES["internet_pct"] = N_("ITU, yearly (the latest year differs by country)")

SURVEY_WARNING = N_(
    "A national index is context, not a measure of your project. The Survey's indices "
    "(EGDI, OSI, HCI, TII, EPI) are relative: each edition rescales them from 0 to 1 "
    "against the other countries, and the method changes between editions. A country's "
    "value can fall while its services improve, because others improved more or the method "
    "changed. Measure your project with its own figures, and read the index beside them.")
INTERNET_WARNING = N_(
    "A national figure is context, not a measure of your project. Internet use is the share "
    "of all the country's people who use the Internet: many things move it besides your "
    "initiative, and the latest figure can be several years old. Measure your project with "
    "its own figures, and read this one beside them.")

JUDGE = {
    "S": N_("Would two people count the same thing from these words?"),
    "M": N_("Does this office really publish the figure, as often as you say? The tool "
            "cannot see that: ask the office."),
    "A": N_("Is this change realistic? Compare it with what your team, your budget and "
            "similar projects have achieved."),
    "R": N_("Would this figure change if your initiative worked, and stay the same if it "
            "did not?"),
    "T": N_("Does the target year fit the project's own timetable and budget?"),
}


def level_name(level: str) -> str:
    """A level's name alone ("Outcome", a table's "Level" column), in the reader's
    language."""
    names = {"output": pgettext("results chain", "Output"),
             "outcome": pgettext("results chain", "Outcome"),
             "impact": pgettext("results chain", "Impact")}
    return names.get(level, level)


def short_name(indicator: str) -> str:
    """"OSI", "Internet use (%)": an indicator's short name in the reader's language."""
    return _(SHORT_NAMES[indicator])


def indicator_name(indicator: str) -> str:
    """An indicator's full name in the reader's language."""
    return _(analysis.INDICATORS[indicator])


def frequency_text(frequency: str) -> str:
    """How often a figure is measured ("monthly"), in the reader's language ("" if not
    said)."""
    return _(frequency) if frequency else ""


def listed(items: list[str]) -> str:
    """Several needs in one sentence: "a; b; c" ("a ; b ; c" in French)."""
    # Translators: between the items of a list inside a sentence
    return pgettext("list", "; ").join(items)


def indicator_options() -> list[tuple[str, str]]:
    """(label, value) of the "Measured by" choice: the initiative's own figure, then each
    national indicator by its full name."""
    return [(_("Your initiative's own figure"), PROJECT),
            *[(indicator_name(key), key) for key in INDICATOR_KEYS]]


def goal_options() -> list[tuple[str, str]]:
    return [(_(label), key) for key, label in GOALS.items()]


def progress_message(done: Completeness, most: int | None = None) -> tuple[str, str]:
    """The progress line and its level for :func:`show_message`: "3 of 5 complete — still
    needed: ..." (at most ``most`` of the missing parts, then "…")."""
    missing = list(done.missing)
    if most is not None and len(missing) > most:
        missing = [*missing[:most], "…"]
    level = "ok" if done.complete else "info"
    if not missing:
        return str(done), level
    return _("{progress} — still needed: {items}").format(progress=done,
                                                          items=listed(missing)), level


def warning_for(indicator: str) -> str:
    """The warning that goes with a national indicator ("" for a project KPI), in the
    reader's language."""
    if indicator in INDEX_INDICATORS:
        return _(SURVEY_WARNING)
    if indicator == "internet_pct":
        return _(INTERNET_WARNING)
    return ""


def warning_html(indicator: str) -> str:
    """The warning as a visible note (escaped); "" for a project KPI."""
    words = warning_for(indicator)
    if not words:
        return ""
    heading = html.escape(_("Context only."))
    return ("<div class='d4-warning' role='note' style='border-left:4px solid #b26a00;"
            "background:#fff4e5;color:#3e2723;padding:6px 10px;margin:4px 0'>"
            f"<b>⚠ {heading}</b> {html.escape(words)}</div>")


# --------------------------------------------------------------------------- data helpers
@lru_cache(maxsize=512)
def _resolve_country(value: str) -> str:
    return data.find_country(value)


def country_code(value: Any, label: str | None = None) -> str:
    """ISO3 code for a code or a name; ValidationError with suggestions otherwise.

    >>> country_code("bangladesh")
    'BGD'
    """
    if label is None:
        # Translators: the subject of a message ("Country cannot be empty.")
        label = pgettext("subject", "Country")
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
    """A country's name in the reader's language (the Survey's name in English)."""
    english = _country_names().get(iso3)
    return iso3 if english is None else local_country_name(iso3, english)


@lru_cache(maxsize=1024)
def history(iso3: str, indicator: str) -> tuple[tuple[int, float], ...]:
    """(year, value) pairs of an indicator for a country, oldest first, no missing values."""
    s = analysis.indicator_series(iso3, indicator)
    return tuple((int(y), float(v)) for y, v in s.items())


def years_with_data(iso3: str, indicator: str) -> list[int]:
    return [y for y, _v in history(iso3, indicator)]


def value_in(iso3: str, indicator: str, year: int) -> float | None:
    for y, v in history(iso3, indicator):
        if y == year:
            return v
    return None


def latest_value(iso3: str, indicator: str) -> tuple[int, float]:
    """The latest year with a value, and that value; ValidationError when there is none."""
    points = history(iso3, indicator)
    if not points:
        raise ValidationError(_("There is no {indicator} figure for {country} in the data: "
                                "pick another indicator.").format(
                                    indicator=short_name(indicator),
                                    country=country_name(iso3)), "indicator")
    return points[-1]


def past_pace(iso3: str, indicator: str, until: int) -> float:
    """Average change a year over the ``TREND_YEARS`` years up to ``until``: the change from
    the first to the last figure in that window, divided by the years between them (as a
    learner works it out by hand); NaN with fewer than two figures.

    >>> round(past_pace("ETH", "egdi", 2024), 6)  # (0.31109 - 0.25888) / 10
    0.005221
    """
    points = [(y, v) for y, v in history(iso3, indicator) if until - TREND_YEARS <= y <= until]
    if len(points) < 2:
        return math.nan
    (y0, v0), (y1, v1) = points[0], points[-1]
    return (v1 - v0) / (y1 - y0)


@lru_cache(maxsize=1024)
def own_trend(iso3: str, indicator: str, baseline_year: int) -> float:
    """The country's own average change a year over the 10 years up to the baseline."""
    return past_pace(iso3, indicator, baseline_year)


@lru_cache(maxsize=256)
def _peer_group(iso3: str) -> tuple[str, str]:
    return analysis.peer_group(iso3)


def peer_group_label(iso3: str) -> str:
    """The name of the country's peer group, in the reader's language."""
    return peer_label(*_peer_group(iso3))


@lru_cache(maxsize=1024)
def peer_trend(iso3: str, indicator: str, baseline_year: int) -> float:
    """Median of the peers' average change a year over the same window (NaN if none)."""
    values = [past_pace(p, indicator, baseline_year) for p in analysis.peer_countries(iso3)]
    values = [v for v in values if not math.isnan(v)]
    return float(statistics.median(values)) if values else math.nan


def upper_bound(indicator: str) -> float:
    return 100.0 if indicator == "internet_pct" else 1.0


def is_percent(unit: str) -> bool:
    """Whether a unit is a percentage (then values lie between 0 and 100).

    >>> is_percent("% of births"), is_percent("per cent"), is_percent("days")
    (True, True, False)
    """
    u = unit.casefold()
    # the learner may write the unit in their own language ("pour cent", "pourcentage")
    return any(word in u for word in ("%", "percent", "per cent", "pour cent", "pourcentage"))


def _safe_number(fn: Callable[..., Any], value: Any, label: str, field: str, **kw: Any) -> Any:
    try:
        return fn(value, label, field=field, **kw)
    except OverflowError:  # a whole number too large for a float
        raise ValidationError(_("{label} must be a number.").format(label=label),
                              field) from None


_THOUSANDS = re.compile(r"[-+]?[1-9]\d{0,2}(,\d{3})+")


def amount(value: Any, label: str, field: str, example: str = "1200") -> float:
    """A figure of a project KPI, as typed: "1200", "12.5" or "12,5" (a comma is a decimal
    point). Spaces between digits are dropped; "1,200" is refused as unclear.

    >>> amount("1 200", "The target", "target"), amount("0,5", "The target", "target")
    (1200.0, 0.5)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("{label} is missing: type a number, such as {example}.")
                              .format(label=label, example=example), field)
    if isinstance(value, str):
        typed = value.strip()
        value = typed.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if _THOUSANDS.fullmatch(value):
            raise ValidationError(
                _("{label}: write {typed} with no separator, such as {plain} (a comma is "
                  "read as a decimal point).").format(label=label, typed=typed,
                                                      plain=value.replace(",", "")), field)
    return _safe_number(number, value, label, field)


def target_value(value: Any, indicator: str) -> float:
    """A target for an indicator: an index between 0 and 1, a percentage between 0 and 100."""
    target = _safe_number(number, value, _("The target"), "target")
    if indicator == "internet_pct":
        if not 0 <= target <= 100:
            raise ValidationError(_("An Internet-use target is a percentage between 0 and "
                                    "100, such as 60."), "target")
    elif not 0 <= target <= 1:
        raise ValidationError(_("An index target is a number between 0 and 1, such as "
                                "{example}.").format(example=local_number(0.75, 2)),
                              "target")
    return target


def year_value(value: Any, label: str, field: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(_("{label} is missing: type a year such as 2030.")
                              .format(label=label), field)
    return _safe_number(integer, value, label, field, lo=MIN_YEAR, hi=2100)


def target_year_value(value: Any, baseline_year: int) -> int:
    year = year_value(value, _("The target year"), "target_year")
    if year <= baseline_year:
        raise ValidationError(_("The target year must come after the baseline year "
                                "({year}).").format(year=baseline_year), "target_year")
    if year > MAX_TARGET_YEAR:
        raise ValidationError(_("The target year must be {year} or earlier.").format(
            year=MAX_TARGET_YEAR), "target_year")
    return year


def fmt_value(indicator: str, value: float | None) -> str:
    """A national figure in the reader's form: "61.2%", "0.737" ("61,2 %", "0,737")."""
    if value is None or math.isnan(value):
        return "–"
    if indicator == "internet_pct":
        return local_percent(value / 100, 1)
    return local_number(value, 3)


def _signed(value: float, digits: int) -> str:
    """``+0.0188``, ``-0.0100`` in the reader's form."""
    written = local_number(value, digits)
    return written if written.startswith(("-", "\u2212")) else "+" + written


def fmt_change(indicator: str, value: float | None) -> str:
    """A change a year, with its sign."""
    if value is None or math.isnan(value):
        return "–"
    if indicator == "internet_pct":
        return _("{change} points a year").format(change=_signed(value, 2))
    return _("{change} a year").format(change=_signed(value, 4))


def fmt_amount(value: float | None, unit: str = "") -> str:
    """A project figure as people read it, with its unit: 1500 births a month, 12.5 %.

    >>> fmt_amount(1500.0, "births a month"), fmt_amount(12.25, "%"), fmt_amount(2 / 3)
    ('1500 births a month', '12.25 %', '0.667')
    """
    if value is None or math.isnan(value):
        return "–"
    if float(value).is_integer():
        shown = str(int(value))
    else:
        shown = f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"
        shown = shown_number(shown.rstrip("0").rstrip("."))
    return f"{shown} {unit}".strip()


def number_text(value: float) -> str:
    """A number as a learner would type it back (no trailing .0; "0,85" in French, which
    the form reads back as 0.85)."""
    return str(int(value)) if float(value).is_integer() else shown_number(repr(float(value)))


# --------------------------------------------------------------------------- items
@dataclass(frozen=True)
class SmartCheck:
    """One SMART criterion: its letter, name, whether it is met (None: it does not apply),
    what the tool checked and what only a person can judge."""

    letter: str
    label: str
    ok: bool | None
    reason: str
    judge: str = ""

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "–"}[self.ok]


@dataclass(frozen=True)
class KPI:
    """A KPI of one of two kinds.

    ``kind == "project"``: the initiative's own figure; every field comes from the learner.
    ``kind == "context"``: a national indicator; ``baseline`` and ``baseline_year`` always
    come from the data.
    """

    name: str
    kind: str = CONTEXT
    indicator: str = ""
    country: str = ""
    level: str = ""
    measure: str = ""
    scope: str = ""
    unit: str = ""
    goal: str = "increase"
    baseline_year: int = 0
    baseline: float = 0.0
    target: float = 0.0
    target_year: int = 0
    source: str = ""
    frequency: str = ""
    sdg_target: str = ""
    responsible: str = ""

    @classmethod
    def parse(cls, data_in: Any, *, require_name: bool = True) -> KPI:
        d = mapping(data_in, _("A KPI"))
        name = text(d.get("name"), _("The KPI's name"), required=require_name,
                    max_len=MAX_NAME, field="name")
        # saved before project KPIs existed: a KPI on a national indicator
        kind = choice(d.get("kind", CONTEXT), _("The kind of KPI"), KINDS, field="kind")
        common = {
            "sdg_target": text(d.get("sdg_target", ""), _("The SDG target"),
                               max_len=MAX_SDG_TARGET, field="sdg_target"),
            "responsible": text(d.get("responsible", ""), _("The responsible body"),
                                max_len=MAX_NAME, field="responsible"),
        }
        if kind == CONTEXT:
            indicator = choice(d.get("indicator"), pgettext("subject", "Indicator"), INDICATOR_KEYS,
                               field="indicator")
            country = country_code(d.get("country"))
            baseline_year, baseline = latest_value(country, indicator)
            return cls(name=name, kind=CONTEXT, indicator=indicator, country=country,
                       baseline_year=baseline_year, baseline=baseline,
                       target=target_value(d.get("target"), indicator),
                       target_year=target_year_value(d.get("target_year"), baseline_year),
                       **common)
        unit = text(d.get("unit", ""), _("The unit"), max_len=MAX_UNIT, field="unit")
        baseline = amount(d.get("baseline"), _("The baseline"), "baseline", example="0")
        baseline_year = year_value(d.get("baseline_year"), _("The baseline year"),
                                   "baseline_year")
        target = amount(d.get("target"), _("The target"), "target")
        if is_percent(unit):
            for label, value, where in ((_("The baseline"), baseline, "baseline"),
                                        (_("The target"), target, "target")):
                if not 0 <= value <= 100:
                    raise ValidationError(_("{label} is a percentage: a number between 0 "
                                            "and 100.").format(label=label), where)
        return cls(
            name=name, kind=PROJECT,
            level=choice(d.get("level"), _("The level in the results chain"), tuple(LEVELS),
                         field="level"),
            measure=text(d.get("measure", ""), _("What the KPI counts"), max_len=MAX_NAME,
                         field="measure"),
            scope=text(d.get("scope", ""), _("For whom or where"), max_len=MAX_NAME,
                       field="scope"),
            unit=unit, goal=choice(d.get("goal"), _("The goal"), tuple(GOALS), field="goal"),
            baseline_year=baseline_year, baseline=baseline, target=target,
            target_year=target_year_value(d.get("target_year"), baseline_year),
            source=text(d.get("source", ""), _("The source"), max_len=MAX_NAME,
                        field="source"),
            frequency=choice(d.get("frequency") or "", _("How often it is measured"),
                             ("", *FREQUENCIES), field="frequency"),
            **common)

    # -- what it is
    @property
    def is_project(self) -> bool:
        return self.kind == PROJECT

    @property
    def warning(self) -> str:
        return "" if self.is_project else warning_for(self.indicator)

    @property
    def level_label(self) -> str:
        """The level's name ("Outcome"), or "Context" for a national indicator, in the
        reader's language."""
        return level_name(self.level) if self.is_project else _("Context")

    @property
    def measured_by(self) -> str:
        """What the figure is: the unit of a project KPI, the indicator of a national one."""
        if self.is_project:
            return self.unit or "–"
        return _("{indicator}, {country} (national)").format(
            indicator=short_name(self.indicator), country=country_name(self.country))

    @property
    def source_text(self) -> str:
        if not self.is_project:
            return _(CONTEXT_SOURCES[self.indicator])
        return ", ".join(p for p in (self.source, frequency_text(self.frequency)) if p) or "–"

    def show(self, value: float | None) -> str:
        """A value of this KPI as people read it, with its unit."""
        return fmt_amount(value, self.unit) if self.is_project else fmt_value(self.indicator,
                                                                             value)

    def show_change(self, value: float | None) -> str:
        """A change a year of this KPI."""
        if not self.is_project:
            return fmt_change(self.indicator, value)
        if value is None or math.isnan(value):
            return "–"
        sign = "+" if value > 0 else ""
        return _("{change} a year").format(change=sign + fmt_amount(value))

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
        if self.is_project:
            return math.nan
        return own_trend(self.country, self.indicator, self.baseline_year)

    @property
    def peer_trend(self) -> float:
        if self.is_project:
            return math.nan
        return peer_trend(self.country, self.indicator, self.baseline_year)

    def trend_value(self, year: int) -> float:
        """Where the country's own past pace would take it by ``year`` (kept in range)."""
        trend = self.own_trend
        if math.isnan(trend):
            return math.nan
        value = self.baseline + trend * (year - self.baseline_year)
        return min(max(value, 0.0), upper_bound(self.indicator))

    def planned_path(self) -> tuple[list[int], list[float]]:
        """The planned value in each year from the baseline year to the target year."""
        years = list(range(self.baseline_year, self.target_year + 1))
        return years, [self.baseline + self.required_change * (y - self.baseline_year)
                       for y in years]

    # -- checks
    def checks(self, target_area: str = "") -> tuple[SmartCheck, ...]:
        """The five SMART checks: what the tool checked, and what a person must judge."""
        if self.is_project:
            return (self._specific(), self._measurable(), self._direction(),
                    self._relevant(target_area), self._time_bound())
        return (self._context_specific(), self._context_measurable(), self._achievable(),
                self._relevant(target_area), self._time_bound())

    smart = checks  # the name of earlier versions

    def passes(self, target_area: str = "") -> bool:
        """Every check that applies is met (a national index is not Specific to a
        project: that check does not apply to it)."""
        return all(c.ok is not False for c in self.checks(target_area))

    is_smart = passes  # the name of earlier versions

    def _specific(self) -> SmartCheck:
        label, judge = _("Specific"), _(JUDGE["S"])
        if not self.measure and not self.scope:
            return SmartCheck("S", label, False, _(
                "Say what is counted (for example: births registered online) and for whom or "
                "where (for example: in the three pilot districts)."), judge)
        if not self.measure:
            return SmartCheck("S", label, False, _(
                "Say what is counted (for example: births registered online)."), judge)
        if not self.scope:
            return SmartCheck("S", label, False, _(
                "Say for whom or where (for example: in the three pilot districts)."), judge)
        return SmartCheck("S", label, True,
                          _("What it counts: {measure}. For whom or where: {scope}.").format(
                              measure=self.measure, scope=self.scope), judge)

    def _measurable(self) -> SmartCheck:
        label, judge = _("Measurable"), _(JUDGE["M"])
        missing = [what for what, value in (
            (_("a unit (such as days, %, births a month)"), self.unit),
            (_("who measures it (the source)"), self.source),
            (_("how often it is measured"), self.frequency)) if not value]
        if missing:
            return SmartCheck("M", label, False,
                              _("Still needed: {items}.").format(items=listed(missing)),
                              judge)
        return SmartCheck("M", label, True,
                          _("Baseline {baseline} in {year}, measured by {source}, "
                            "{frequency}.").format(
                              baseline=self.show(self.baseline), year=self.baseline_year,
                              source=self.source, frequency=frequency_text(self.frequency)),
                          judge)

    def _direction(self) -> SmartCheck:
        label, judge = _("Achievable"), _(JUDGE["A"])
        change = self.target - self.baseline
        if change == 0:
            return SmartCheck("A", label, False,
                              _("The target equals the baseline: no change is planned. Set "
                                "the value you aim for."), judge)
        rise = change > 0
        if rise != (self.goal == "increase"):
            reason = (_("The target is a rise, but your goal says less is better: check the "
                        "goal, the baseline and the target.") if rise else
                      _("The target is a fall, but your goal says more is better: check the "
                        "goal, the baseline and the target."))
            return SmartCheck("A", label, False, reason, judge)
        words = (ngettext("The target is a rise of {change} in {n} year (about {pace} a "
                          "year), in the direction of your goal (more is better).",
                          "The target is a rise of {change} in {n} years (about {pace} a "
                          "year), in the direction of your goal (more is better).",
                          self.horizon) if rise else
                 ngettext("The target is a fall of {change} in {n} year (about {pace} a "
                          "year), in the direction of your goal (less is better).",
                          "The target is a fall of {change} in {n} years (about {pace} a "
                          "year), in the direction of your goal (less is better).",
                          self.horizon))
        return SmartCheck("A", label, True, words.format(
            change=fmt_amount(abs(change), self.unit), n=self.horizon,
            pace=fmt_amount(abs(change) / self.horizon)), judge)

    def _context_specific(self) -> SmartCheck:
        return SmartCheck("S", _("Specific"), None,
                          _("Does not apply: a national indicator describes the whole "
                            "country, not one project. Keep it as context."))

    def _context_measurable(self) -> SmartCheck:
        ok = (self.indicator in analysis.INDICATORS and math.isfinite(self.baseline)
              and math.isfinite(self.target))
        reason = (_("Measured by {indicator} ({source}): {baseline} in {year}, target "
                    "{target}.").format(
                        indicator=short_name(self.indicator),
                        source=_(CONTEXT_SOURCES[self.indicator]),
                        baseline=fmt_value(self.indicator, self.baseline),
                        year=self.baseline_year,
                        target=fmt_value(self.indicator, self.target)) if ok
                  else _("It needs an indicator with a figure in the data, and a number as "
                         "target."))
        return SmartCheck("M", _("Measurable"), ok, reason)

    def _achievable(self) -> SmartCheck:
        label = _("Achievable")
        ind, need = self.indicator, self.required_change
        if self.target < self.baseline:
            return SmartCheck("A", label, False,
                              _("The target is below today's value: that is a fall, not an "
                                "improvement."))
        if self.target == self.baseline:
            return SmartCheck("A", label, True,
                              _("The target keeps today's level, so no change is needed; "
                                "consider aiming higher."))
        paces = {who: v for who, v in (("own", self.own_trend),
                                       ("peers", self.peer_trend)) if not math.isnan(v)}
        if not paces:
            return SmartCheck("A", label, False,
                              _("There are not enough past figures to judge the pace "
                                "needed."))
        who, best = max(paces.items(), key=lambda kv: kv[1])
        if best <= 0:
            return SmartCheck("A", label, False, ngettext(
                "Neither {country} nor its peers improved over the last {n} year, so the "
                "data show no pace to build on.",
                "Neither {country} nor its peers improved over the last {n} years, so the "
                "data show no pace to build on.", TREND_YEARS).format(
                    country=country_name(self.country), n=TREND_YEARS))
        figures = {"need": fmt_change(ind, need), "best": fmt_change(ind, best),
                   "factor": shown_number(f"{ACHIEVABLE_FACTOR:g}")}
        if need <= ACHIEVABLE_FACTOR * best:
            words = (_("It needs {need}; the best recent pace (its own) is {best}.")
                     if who == "own" else
                     _("It needs {need}; the best recent pace (its peers') is {best}."))
            return SmartCheck("A", label, True, words.format(**figures))
        words = (_("It needs {need}, more than {factor} times the best recent pace (its own, "
                   "{best}). Lower the target or allow more time.") if who == "own" else
                 _("It needs {need}, more than {factor} times the best recent pace (its "
                   "peers', {best}). Lower the target or allow more time."))
        return SmartCheck("A", label, False, words.format(**figures))

    def _relevant(self, target_area: str) -> SmartCheck:
        label = _("Relevant")
        judge = _(JUDGE["R"]) if self.is_project else ""
        level = _(LEVEL_SENTENCES[self.level]) + " " if self.is_project else ""
        if self.sdg_target:
            return SmartCheck("R", label, True, level + _(
                "It serves SDG target {target}.").format(target=self.sdg_target), judge)
        if target_area:
            return SmartCheck("R", label, True, level + _(
                "It serves your case's target area: {area}.").format(area=target_area),
                judge)
        return SmartCheck("R", label, False,
                          _("Name the SDG target it serves (for example 16.6)."), judge)

    def _time_bound(self) -> SmartCheck:
        label = _("Time-bound")
        judge = _(JUDGE["T"]) if self.is_project else ""
        if self.horizon <= MAX_HORIZON:
            return SmartCheck("T", label, True, ngettext(
                "Due in {year}, {n} year after the baseline.",
                "Due in {year}, {n} years after the baseline.", self.horizon).format(
                    year=self.target_year, n=self.horizon), judge)
        return SmartCheck("T", label, False, ngettext(
            "{n} year is a long way off: set a year within {most} years of the baseline.",
            "{n} years is a long way off: set a year within {most} years of the baseline.",
            self.horizon).format(n=self.horizon, most=MAX_HORIZON), judge)

    # -- storage
    def as_input(self) -> dict[str, Any]:
        """The stored form: what the learner gave (a national KPI's baseline is stored too,
        for readers of the workbook, and recomputed from the data on loading)."""
        if self.is_project:
            keys = ("name", "kind", "level", "measure", "scope", "unit", "goal",
                    "baseline_year", "baseline", "target", "target_year", "source",
                    "frequency", "sdg_target", "responsible")
        else:
            keys = ("name", "kind", "indicator", "country", "baseline_year", "baseline",
                    "target", "target_year", "sdg_target", "responsible")
        return {key: getattr(self, key) for key in keys}


# --------------------------------------------------------------------------- model
class KPIBuilderModel(ExerciseModel):
    """The learner's list of KPIs (at most 10), each checked.

    ``target_area`` is the learner's case target area (from the workbook): context for the
    Relevant check, not part of the stored answer.

    >>> m = KPIBuilderModel().with_added(name="More people online", indicator="internet_pct",
    ...                                  country="Bangladesh", target=60, target_year=2030)
    >>> m.to_dict()["kpis"][0]["country"], m.kpis[0].baseline_year, m.kpis[0].kind
    ('BGD', 2023, 'context')
    """

    kind: ClassVar[str] = "kpi_builder"
    title: ClassVar[str] = N_("KPI builder")
    submodule: ClassVar[str] = "3.3"

    def __init__(self, kpis: tuple[KPI, ...] = (), *, target_area: str = ""):
        require_unique_names(kpis, _("Each KPI needs a different name."))
        if len(kpis) > MAX_KPIS:
            raise ValidationError(_("A list holds at most {n} KPIs.").format(n=MAX_KPIS),
                                  "name")
        self.kpis = tuple(kpis)
        self.target_area = target_area if isinstance(target_area, str) else ""

    def _new(self, kpis: tuple[KPI, ...]) -> KPIBuilderModel:
        return KPIBuilderModel(kpis, target_area=self.target_area)

    # -- changes (each returns a new model or raises ValidationError)
    def with_added(self, **fields: Any) -> KPIBuilderModel:
        new = KPI.parse(fields)
        if any(k.name.casefold() == new.name.casefold() for k in self.kpis):
            raise ValidationError(_("{name} is already in your list: pick it in the list to "
                                    "change it.").format(name=repr(new.name)), "name")
        if len(self.kpis) >= MAX_KPIS:
            raise ValidationError(_("Your list already has {n} KPIs: remove one first.")
                                  .format(n=MAX_KPIS), "name")
        return self._new((*self.kpis, new))

    def with_updated(self, name: str, /, **fields: Any) -> KPIBuilderModel:
        index = self._index(name)
        new = KPI.parse({**self.kpis[index].as_input(), **fields})
        others = [k for i, k in enumerate(self.kpis) if i != index]
        if any(k.name.casefold() == new.name.casefold() for k in others):
            raise ValidationError(_("Another KPI is already called {name}.").format(
                name=repr(new.name)), "name")
        items = list(self.kpis)
        items[index] = new
        return self._new(tuple(items))

    def without(self, name: str) -> KPIBuilderModel:
        index = self._index(name)
        return self._new(tuple(k for i, k in enumerate(self.kpis) if i != index))

    def with_target_area(self, target_area: str) -> KPIBuilderModel:
        return KPIBuilderModel(self.kpis, target_area=target_area)

    def _index(self, name: str) -> int:
        return index_by_name(self.kpis, name, _("KPI"))

    # -- reading
    def names(self) -> list[str]:
        return [k.name for k in self.kpis]

    def kpi(self, name: str) -> KPI:
        return self.kpis[self._index(name)]

    @property
    def project_kpis(self) -> tuple[KPI, ...]:
        return tuple(k for k in self.kpis if k.is_project)

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

    def checks(self, name: str) -> tuple[SmartCheck, ...]:
        return self.kpi(name).checks(self.target_area)

    smart = checks  # the name of earlier versions

    def completeness(self) -> Completeness:
        ks = self.kpis
        checks = {
            _("at least one project KPI (a figure of your initiative, not a national index)"):
                bool(self.project_kpis),
            _("at least two KPIs"): len(ks) >= 2,
            _("every KPI passes the checks the tool can make"): bool(ks)
            and all(k.passes(self.target_area) for k in ks),
            _("an SDG target for every KPI"): bool(ks) and all(k.sdg_target for k in ks),
            _("a responsible body for every KPI"): bool(ks)
            and all(k.responsible for k in ks),
        }
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def table_rows(self) -> list[list[str]]:
        rows = []
        for k in self.kpis:
            rows.append([k.name, k.level_label, k.measured_by,
                         f"{k.show(k.baseline)} ({k.baseline_year})",
                         f"{k.show(k.target)} ({k.target_year})",
                         k.show_change(k.required_change), k.source_text,
                         *[c.mark for c in k.checks(self.target_area)]])
        return rows

    def report(self) -> list[Block]:
        blocks = [Block("table", _("Key performance indicators"), columns=table_columns(),
                        rows=self.table_rows())]
        for k in self.kpis:
            if k.is_project:
                items = [(_("Kind"), _("Project KPI: a figure of the initiative")),
                         (_("Level in the results chain"), _(LEVELS[k.level])),
                         (_("What it counts"), k.measure or "–"),
                         (_("For whom or where"), k.scope or "–"),
                         (_("Unit"), k.unit or "–"), (_("Goal"), _(GOALS[k.goal]))]
            else:
                items = [(_("Kind"), _("National indicator: context only")),
                         (_("Indicator"), indicator_name(k.indicator)),
                         (_("Country"), f"{country_name(k.country)} ({k.country})")]
            items += [(_("Baseline"), _("{value} in {year}").format(
                          value=k.show(k.baseline), year=k.baseline_year)),
                      (_("Target"), _("{value} by {year}").format(
                          value=k.show(k.target), year=k.target_year)),
                      (_("Source"), k.source_text),
                      (_("SDG target"), k.sdg_target or "–"),
                      (_("Responsible"), k.responsible or "–")]
            for c in k.checks(self.target_area):
                items.append((f"{c.label} {c.mark}", c.reason))
                if c.judge:
                    items.append((_("{check}: only you can judge").format(check=c.label),
                                  c.judge))
            blocks.append(Block("fields", k.name, items=items))
            if k.warning:
                blocks.append(Block("note", _("{name}: context only").format(name=k.name),
                                    text=k.warning))
            png, alt = kpi_chart(k), kpi_words(k)[0]
            blocks.append(Block("image", k.name, png=png, alt=alt))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"kpis": [k.as_input() for k in self.kpis]}

    @classmethod
    def from_dict(cls, data_in: Any) -> KPIBuilderModel:
        d = mapping(data_in, _("A KPI list"))
        items = sequence(d.get("kpis", []), _("The KPIs"), max_len=MAX_KPIS)
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


TABLE_COLUMNS = [N_("KPI"), N_("Level"), N_("Measured in"), N_("Baseline"), N_("Target"),
                 N_("Change needed"), N_("Source"), "S", "M", "A", "R", "T"]


def table_columns() -> list[str]:
    """The KPI table's column headings, in the reader's language (the SMART letters
    stay)."""
    return [_(c) for c in TABLE_COLUMNS]


# --------------------------------------------------------------------------- charts
def _history_series(iso3: str, indicator: str) -> dict[str, tuple[list, list]]:
    points = history(iso3, indicator)
    return {country_name(iso3): ([y for y, _v in points], [v for _y, v in points])}


def _alt_title(iso3: str, indicator: str) -> str:
    """The chart's title in words: the country and the indicator's full name."""
    return f"{country_name(iso3)}, {indicator_name(indicator)}"


def _chart_title(iso3: str, indicator: str) -> str:
    """The title drawn on the chart: "Bangladesh: OSI"."""
    return _("{country}: {indicator}").format(country=country_name(iso3),
                                              indicator=short_name(indicator))


def _digits(indicator: str) -> int:
    return 1 if indicator == "internet_pct" else 2


def history_chart(iso3: str, indicator: str) -> bytes:
    return _history_chart(iso3, indicator, get_language())


@lru_cache(maxsize=64)
def _history_chart(iso3: str, indicator: str, lang: str) -> bytes:
    # keyed on the language too: the title, the names and the ticks' decimals are in it
    return charts.line_chart(_history_series(iso3, indicator),
                             title=_chart_title(iso3, indicator),
                             ylim=(0, upper_bound(indicator)))


def show_history(chart: charts.Chart, iso3: str, indicator: str) -> None:
    """The indicator's past values, with words and numbers for a screen reader."""
    chart.lines(_history_series(iso3, indicator), title=_alt_title(iso3, indicator),
                digits=_digits(indicator), png=history_chart(iso3, indicator))


def _project_series(kpi: KPI) -> dict[str, tuple[list, list]]:
    return {_("Planned path"): kpi.planned_path()}


def _project_title(kpi: KPI) -> str:
    name = kpi.name or _("Your KPI")
    if kpi.unit:
        return _("{name}: planned path ({unit})").format(name=name, unit=kpi.unit)
    return _("{name}: planned path").format(name=name)


def _project_digits(kpi: KPI) -> int:
    _years, values = kpi.planned_path()
    return 0 if all(float(v).is_integer() for v in values) else 2


def kpi_words(kpi: KPI) -> tuple[str, list[str], list[list[str]]]:
    """What the KPI chart shows, for a screen reader: (alternative text, table columns,
    table rows)."""
    if kpi.is_project:
        series = _project_series(kpi)
        alt = (charts.describe_lines(series, title=_project_title(kpi),
                                     digits=_project_digits(kpi))
               + " " + _("Change needed: {change}.").format(
                   change=kpi.show_change(kpi.required_change)))
        return (alt, *charts.lines_table(series, digits=max(_project_digits(kpi), 2)))
    series, _dashed = _kpi_series(kpi.country, kpi.indicator, kpi.target, kpi.target_year)
    alt = (charts.describe_lines(series, title=_alt_title(kpi.country, kpi.indicator),
                                 digits=_digits(kpi.indicator))
           + " " + _("Change needed: {change}.").format(
               change=fmt_change(kpi.indicator, kpi.required_change)))
    return (alt, *charts.lines_table(series))


def kpi_chart(kpi: KPI) -> bytes:
    """A national KPI: history, the straight path from baseline to target and where the own
    past pace leads. A project KPI: its planned path, year by year."""
    if kpi.is_project:
        return _project_chart(kpi.name, kpi.unit, kpi.baseline_year, kpi.baseline,
                              kpi.target_year, kpi.target, get_language())
    return _kpi_chart(kpi.country, kpi.indicator, kpi.target, kpi.target_year,
                      get_language())


@lru_cache(maxsize=128)
def _project_chart(name: str, unit: str, baseline_year: int, baseline: float,
                   target_year: int, target: float, lang: str) -> bytes:
    kpi = KPI(name=name, kind=PROJECT, unit=unit, baseline_year=baseline_year,
              baseline=baseline, target_year=target_year, target=target, level="outcome")
    ylim = (0, 100) if is_percent(unit) else None
    return charts.line_chart(_project_series(kpi), dashed=[_("Planned path")],
                             title=_project_title(kpi), ylim=ylim)


def _kpi_series(iso3: str, indicator: str, target: float, target_year: int
                ) -> tuple[dict[str, tuple[list, list]], list[str]]:
    points = history(iso3, indicator)
    baseline_year, baseline = points[-1]
    kpi = KPI(name="", kind=CONTEXT, indicator=indicator, country=iso3,
              baseline_year=baseline_year, baseline=baseline, target=target,
              target_year=target_year)
    ends = [baseline_year, target_year]
    path, pace = _("Path to the target"), _("Own past pace")
    series = {country_name(iso3): ([y for y, _v in points], [v for _y, v in points]),
              path: (ends, [baseline, target])}
    dashed = [path]
    if not math.isnan(kpi.own_trend):
        series[pace] = (ends, [baseline, kpi.trend_value(target_year)])
        dashed.append(pace)
    return series, dashed


def _kpi_axes(iso3: str, indicator: str, target_year: int) -> dict[str, object]:
    points = history(iso3, indicator)
    first = min(y for y, _v in points)
    last = max(target_year, points[-1][0])
    step = 5 if last - first <= 30 else 10
    ticks = list(range(first - first % step + step, last + 1, step))
    return {"xlim": (first - 1, last + 1), "ylim": (0, upper_bound(indicator)), "xticks": ticks}


@lru_cache(maxsize=128)
def _kpi_chart(iso3: str, indicator: str, target: float, target_year: int,
               lang: str) -> bytes:
    # keyed on what the chart shows only (and its language): typing a name or an SDG target
    # does not redraw it
    series, dashed = _kpi_series(iso3, indicator, target, target_year)
    return charts.line_chart(series, dashed=dashed, title=_chart_title(iso3, indicator),
                             ylim=(0, upper_bound(indicator)))


def checks_html(checks: tuple[SmartCheck, ...]) -> str:
    """The checks as a list: the mark, what the tool checked, and what a person must judge
    (all escaped)."""
    items = []
    only_you = html.escape(_("Only you can judge:"))
    for c in checks:
        judge = (f"<br><i>{only_you}</i> {html.escape(c.judge)}" if c.judge else "")
        # Translators: a check's mark and name before what it found ("✓ Specific:")
        label = html.escape(_("{check}:").format(check=f"{c.mark} {c.label}"))
        items.append(f"<li><b>{label}</b> {html.escape(c.reason)}{judge}</li>")
    hint = html.escape(_("✓ met, ✗ not yet, – does not apply. The tool checks that each part "
                         "is there and that the figures fit together; it cannot judge the "
                         "words."))
    return f"<p class='d4-hint'>{hint}</p><ul class='d4-smart'>{''.join(items)}</ul>"


smart_html = checks_html  # the name of earlier versions


def preview_html(kpi: KPI, target_area: str = "") -> str:
    esc = html.escape
    if kpi.is_project:
        change = esc(kpi.show_change(kpi.required_change))
        need = (_("Needed to reach {target} by {year}: <b>{change}</b> ({unit}).")
                if kpi.unit else _("Needed to reach {target} by {year}: <b>{change}</b>."))
        lines = [
            _("Baseline: <b>{value}</b> in {year}.").format(value=esc(kpi.show(kpi.baseline)),
                                                          year=kpi.baseline_year),
            need.format(target=esc(kpi.show(kpi.target)), year=kpi.target_year,
                        change=change, unit=esc(kpi.unit)),
        ]
    else:
        ind = kpi.indicator
        since = kpi.baseline_year - TREND_YEARS
        lines = [
            _("Baseline from the data: <b>{value}</b> in {year}.").format(
                value=esc(fmt_value(ind, kpi.baseline)), year=kpi.baseline_year),
            _("Needed to reach {target} by {year}: <b>{change}</b>.").format(
                target=esc(fmt_value(ind, kpi.target)), year=kpi.target_year,
                change=esc(fmt_change(ind, kpi.required_change))),
            _("{country}'s own pace since {year}: {change}.").format(
                country=esc(country_name(kpi.country)), year=since,
                change=esc(fmt_change(ind, kpi.own_trend))),
            _("Peers' pace ({group}, median): {change}.").format(
                group=esc(peer_group_label(kpi.country)),
                change=esc(fmt_change(ind, kpi.peer_trend))),
        ]
    return "<div class='d4-preview'>" + "<br>".join(lines) + checks_html(
        kpi.checks(target_area)) + "</div>"


# --------------------------------------------------------------------------- view
class KindForm:
    """What the KPI builder's and the tracker's forms share: the ``indicator`` choice says
    whether the KPI is the project's own or a national indicator, and shows that kind's
    fields (``project_box`` or ``context_box``), the warning and a fitting example target."""

    indicator: widgets.Dropdown
    project_box: widgets.Box
    context_box: widgets.Box
    warning: widgets.HTML
    target: widgets.Text
    #: the example in an empty target box, for a project KPI
    project_example: ClassVar[str] = N_("e.g. 1500")

    @property
    def is_project(self) -> bool:
        return self.indicator.value == PROJECT

    def _mode(self, _change=None) -> None:
        """Show the form of the kind of KPI chosen; a national indicator brings its warning."""
        project = self.is_project
        self.project_box.layout.display = None if project else "none"
        self.context_box.layout.display = "none" if project else None
        self.warning.value = warning_html(self.indicator.value)
        self.target.placeholder = (
            _(self.project_example) if project
            else _("e.g. 60 (%)") if self.indicator.value == "internet_pct"
            else _("e.g. {example}").format(example=local_number(0.75, 2)))


class KPIBuilder(KindForm, ExerciseView):
    """KPI builder: project KPIs of the learner's initiative, national indices as context.

    >>> view = KPIBuilder(workbook=Workbook.in_memory())
    >>> view.indicator.value
    'project'
    >>> view.name.value = "More services online for citizens"
    >>> view.indicator.value = "osi"; view.target.value = "0.85"; view.target_year.value = "2030"
    >>> "Context only" in view.warning.value
    True
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

        self.name = widgets.Text(description=_("KPI name"), style=style, layout=wide(),
                                 placeholder=_("e.g. Births registered online"))
        self.indicator = widgets.Dropdown(
            description=_("Measured by"), style=style, layout=wide(),
            options=indicator_options(), value=PROJECT)
        self.warning = widgets.HTML()
        # a project KPI: the learner's own figures
        self.measure = widgets.Text(description=_("What it counts"), style=style,
                                    layout=wide(),
                                    placeholder=_("e.g. births registered online"))
        self.scope = widgets.Text(description=_("For whom / where"), style=style,
                                  layout=wide(), placeholder=_("e.g. in the 3 pilot districts"))
        self.unit = widgets.Text(description=_("Unit"), style=style, layout=wide(),
                                 placeholder=_("e.g. births a month, days, %"))
        self.goal = widgets.Dropdown(description=_("Goal"), style=style, layout=wide(),
                                     options=goal_options())
        self.level = widgets.Dropdown(description=_("Results level"), style=style,
                                      layout=wide(), value="outcome",
                                      options=[(_(label), key) for key, label in LEVELS.items()])
        self.level_help = widgets.HTML(f"<p class='d4-hint'>{_(LEVEL_HELP)}</p>",
                                       layout=widgets.Layout(max_width="600px"))
        self.baseline = widgets.Text(description=_("Baseline value"), style=style,
                                     layout=wide(), placeholder=_("e.g. {example}").format(
                                         example=0), continuous_update=False)
        self.baseline_year = widgets.Text(description=_("Baseline year"), style=style,
                                          layout=wide(),
                                          placeholder=_("e.g. {example}").format(example=2024),
                                          continuous_update=False)
        self.source = widgets.Text(description=_("Who measures it"), style=style,
                                   layout=wide(), placeholder=_("e.g. civil registry office"))
        self.frequency = widgets.Dropdown(
            description=_("How often"), style=style, layout=wide(),
            options=[(_("(choose)"), ""), *[(_(f).capitalize(), f) for f in FREQUENCIES]])
        self.project_box = widgets.VBox([self.measure, self.scope, self.unit, self.goal,
                                         self.level, self.level_help, self.baseline,
                                         self.baseline_year, self.source, self.frequency])
        # a national indicator: its country (the baseline comes from the data)
        start = (self._country_arg if self._country_arg is not None
                 else case_country(self.workbook, DEFAULT_COUNTRY))
        self.country = widgets.Text(description=_("Country"), value=str(start), style=style,
                                    placeholder=_("ISO3 code or name, e.g. BGD"),
                                    layout=wide(), continuous_update=False)
        self.country_message = message_label()
        self.context_box = widgets.VBox([self.country, self.country_message])
        # numbers are taken when the learner presses Enter or leaves the box: a half-typed
        # number does not redraw the chart at every key
        self.target = widgets.Text(description=_("Target value"), style=style, layout=wide(),
                                   placeholder=_(self.project_example),
                                   continuous_update=False)
        self.target_year = widgets.Text(description=_("Target year"), style=style,
                                        layout=wide(),
                                        placeholder=_("e.g. {example}").format(example=2030),
                                        continuous_update=False)
        self.sdg_target = widgets.Text(description=_("SDG target"), style=style,
                                       layout=wide(),
                                       placeholder=_("e.g. {example}").format(example="16.9"))
        self.responsible = widgets.Text(description=_("Responsible"), style=style,
                                        layout=wide(),
                                        placeholder=_("e.g. civil registry office"))
        self.form_message = message_label()
        self.add_button = widgets.Button(description=_("Add KPI"), button_style="primary",
                                         icon="plus")
        self.update_button = widgets.Button(description=_("Update selected"), icon="pencil")
        self.remove_button = widgets.Button(description=_("Remove selected"), icon="trash")
        self.listing = widgets.Select(description=_("Your KPIs"), options=[], rows=6,
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
        self.indicator.observe(self._guard(self._mode), names="value")
        for control in (self.name, self.indicator, self.country, self.target,
                        self.target_year, self.sdg_target, self.measure, self.scope,
                        self.unit, self.goal, self.level, self.baseline, self.baseline_year,
                        self.source, self.frequency):
            control.observe(self._guard(self._preview, self.preview_message), names="value")
        self._mode()
        self._check_country()

        form = widgets.VBox([self.name, self.indicator, self.warning, self.project_box,
                             self.context_box, self.target, self.target_year,
                             self.sdg_target, self.responsible,
                             widgets.HBox([self.add_button, self.update_button,
                                           self.remove_button]),
                             self.form_message])
        return [widgets.HBox([form, widgets.VBox([self.listing, self.progress])],
                             layout=widgets.Layout(flex_flow="row wrap")),
                self.preview, self.preview_message, self.chart, self.table]

    # -- callbacks
    def _fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "name": self.name.value, "target": self.target.value,
            "target_year": self.target_year.value, "sdg_target": self.sdg_target.value,
            "responsible": self.responsible.value}
        if self.is_project:
            fields.update(kind=PROJECT, level=self.level.value, measure=self.measure.value,
                          scope=self.scope.value, unit=self.unit.value, goal=self.goal.value,
                          baseline=self.baseline.value,
                          baseline_year=self.baseline_year.value, source=self.source.value,
                          frequency=self.frequency.value)
        else:
            fields.update(kind=CONTEXT, indicator=self.indicator.value,
                          country=self.country.value)
        return fields

    def _check_country(self) -> None:
        try:
            country_code(self.country.value)
        except ValidationError as exc:
            show_message(self.country_message, str(exc), "error")
        else:
            show_message(self.country_message, "")

    def _add(self, _change=None) -> None:
        new = self.model.with_added(**self._fields())
        self.commit(new)
        self._show_selected(new.kpis[-1].name)

    def _update(self, _change=None) -> None:
        if not self.listing.value:
            raise ValidationError(_("Pick a KPI in the list first."))
        new = self.model.with_updated(self.listing.value, **self._fields())
        index = self.model.names().index(self.listing.value)
        self.commit(new)
        self._show_selected(new.kpis[index].name)

    def _remove(self, _change=None) -> None:
        if not self.listing.value:
            raise ValidationError(_("Pick a KPI in the list first."))
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
            self.name.value = k.name
            self.indicator.value = PROJECT if k.is_project else k.indicator
            if k.is_project:
                self.measure.value, self.scope.value, self.unit.value = (k.measure, k.scope,
                                                                         k.unit)
                self.goal.value, self.level.value = k.goal, k.level
                self.baseline.value = number_text(k.baseline)
                self.baseline_year.value = str(k.baseline_year)
                self.source.value, self.frequency.value = k.source, k.frequency
            else:
                self.country.value = k.country
            self.target.value = number_text(k.target)
            self.target_year.value = str(k.target_year)
            self.sdg_target.value, self.responsible.value = k.sdg_target, k.responsible
        finally:
            self._quiet = False
        self._mode()
        self._preview()

    def _chart_png(self, kpi: KPI) -> bytes:
        """The preview chart, redrawn on the view's own kept figure (see charts.LineChart)."""
        key = (kpi.country, kpi.indicator, kpi.target, kpi.target_year)
        cache = self.__dict__.setdefault("_chart_cache", {})
        if (*key, get_language()) not in cache:
            if "_line_chart" not in self.__dict__:
                self._line_chart = charts.LineChart(xlim=(2000, 2031), ylim=(0, 1))
            series, dashed = _kpi_series(*key)
            cache[(*key, get_language())] = self._line_chart.render(
                series, dashed=dashed, **_kpi_axes(kpi.country, kpi.indicator, kpi.target_year),
                title=_chart_title(kpi.country, kpi.indicator))
            if len(cache) > 128:
                cache.pop(next(iter(cache)))
        return cache[(*key, get_language())]

    def _preview(self, _change=None) -> None:
        """Recompute the preview for the KPI in the form (the model -> view path)."""
        if self._quiet:
            return
        if self.is_project:
            self._preview_project()
        else:
            self._preview_context()

    def _preview_project(self) -> None:
        fields = self._fields()
        try:
            kpi = self.model.draft(**fields)
        except ValidationError as exc:
            self.preview.value = "<i>{}</i>".format(html.escape(
                _("To check the KPI: {problem}").format(problem=exc)))
            self.chart.show(b"", "")
            return
        self.preview.value = preview_html(kpi, self.model.target_area)
        self.chart.show(kpi_chart(kpi), *kpi_words(kpi))

    def _preview_context(self) -> None:
        self._check_country()
        fields = self._fields()
        try:
            iso3 = country_code(fields["country"])
            indicator = choice(fields["indicator"], pgettext("subject", "Indicator"),
                               INDICATOR_KEYS)
            year, value = latest_value(iso3, indicator)
        except ValidationError as exc:
            self.preview.value = f"<i>{html.escape(str(exc))}</i>"
            self.chart.show(b"", "")
            return
        try:
            if not str(fields.get("target", "")).strip() or not str(
                    fields.get("target_year", "")).strip():
                raise ValidationError(_("enter a target value and a target year."))
            kpi = self.model.draft(**fields)
        except ValidationError as exc:
            self.preview.value = (
                _("Baseline from the data: <b>{value}</b> in {year}.").format(
                    value=html.escape(fmt_value(indicator, value)), year=year)
                + "<br><i>{}</i>".format(html.escape(
                    _("To check the KPI: {problem}").format(problem=exc))))
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
        # the list's national indicators keep their warning in sight, once for each kind
        warnings = dict.fromkeys(warning_html(k.indicator) for k in self.model.kpis
                                 if not k.is_project)
        self.table.value = (html_table(table_columns(), rows) + "".join(warnings)
                            if rows else "")
        show_message(self.progress, *progress_message(self.model.completeness()))
        self._preview()


__all__ = ["CONTEXT", "GOALS", "INDICATOR_KEYS", "KPI", "LEVELS", "MAX_KPIS", "NEXT_EDITION",
           "PROJECT", "SURVEY_WARNING", "KPIBuilder", "KPIBuilderModel", "SmartCheck",
           "country_code", "history", "latest_value", "own_trend", "peer_trend",
           "warning_for"]
