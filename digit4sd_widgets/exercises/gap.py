"""Gap analysis (submodule 3.1): where does the learner's country lag behind?

The learner's country in the latest Survey edition: each EGDI component against the mean of
its peers (:func:`~digit4sd_widgets.data.analysis.peer_group`, the country left out, as in
:func:`~digit4sd_widgets.data.analysis.weakest_component`), against the mean of the other special
groups it belongs to (LDC, LLDC, SIDS) and against the world. The weakest component is
highlighted. The learner picks the gap to work on, says what kind of gap it is (data, policy
or implementation) and why. Saving also makes that country the learner's case country.

>>> m = GapAnalysisModel(country="Ethiopia")
>>> m.focus == m.weakest()[0]
True
>>> m = m.with_answer(focus="tii", gap_kind="implementation", reason="Few towers outside cities")
>>> m.completeness().complete
True
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from .. import charts, data
from ..data import analysis
from ..workbook import Workbook
from ._base import (
    DEFAULT_COUNTRY,
    MAX_TEXT,
    Block,
    Completeness,
    ExerciseModel,
    ValidationError,
    case_country,
    chart_block,
    choice,
    mapping,
    message_label,
    show_message,
    text,
)
from ._country import (
    CountryView,
    country_name,
    country_options,
    edition,
    fmt,
    peer_means,
    peers_of,
    resolve_country,
    short_group,
    signed,
    survey_row,
    table_html,
    world_means,
)

FOCI: tuple[str, ...] = data.COMPONENTS
GAP_KINDS: tuple[str, ...] = ("data", "policy", "implementation")
GAP_KIND_HELP: dict[str, str] = {
    "data": "the figures needed to plan or follow this area are missing, old or unreliable",
    "policy": "a law, strategy, rule or mandate is missing or stands in the way",
    "implementation": "the plans exist but are not carried out: money, skills, staff or "
                      "coordination fall short",
}
FOCUS_LABELS: dict[str, str] = {c: f"{analysis.COMPONENT_NAMES[c]} ({c.upper()})"
                                for c in FOCI}


@lru_cache(maxsize=512)
def _weakest(iso3: str, year: int) -> tuple[str, float]:
    try:
        return analysis.weakest_component(iso3, year)
    except (ValueError, IndexError, KeyError):
        raise ValidationError(
            f"There are no component figures for {country_name(iso3)} in {year}: pick "
            "another country.", "country") from None


@lru_cache(maxsize=512)
def _gap_table(iso3: str, year: int) -> pd.DataFrame:
    row = survey_row(iso3, year)
    code, _, _ = peers_of(iso3, year)
    peers, world = peer_means(iso3, year), world_means(year)
    means = analysis.group_means(year)
    cols: dict[str, list[Any]] = {
        "country": [row[c] for c in FOCI],
        "peer_mean": [peers[c] for c in FOCI],
    }
    for g in row["groups"]:
        if g != code:
            cols[f"{g}_mean"] = [float(means.loc[data.GROUP_NAMES[g], c]) for c in FOCI]
    cols["world_mean"] = [world[c] for c in FOCI]
    out = pd.DataFrame(cols, index=pd.Index(list(FOCI), name="component"), dtype="float64")
    out.insert(2, "gap", out["country"] - out["peer_mean"])
    return out


def _column_labels(iso3: str, year: int) -> dict[str, str]:
    code, label, peers = peers_of(iso3, year)
    labels = {"country": country_name(iso3),
              "peer_mean": f"Peers: {short_group(code, label)} ({len(peers)} others)",
              "gap": "Gap to peers", "world_mean": "World mean"}
    for g in data.GROUPS:
        labels[f"{g}_mean"] = f"All {g.upper()}"
    return labels


class GapAnalysisModel(ExerciseModel):
    """A country's component gaps against its peers, and the gap the learner will work on.

    >>> GapAnalysisModel(country="BGD").table().loc["osi", "country"] > 0
    np.True_
    """

    kind: ClassVar[str] = "gap_analysis"
    title: ClassVar[str] = "Gap analysis"
    submodule: ClassVar[str] = "3.1"

    def __init__(self, country: Any = DEFAULT_COUNTRY, year: Any = data.LATEST_EDITION,
                 focus: Any = None, gap_kind: Any = "", reason: Any = ""):
        self.country = resolve_country(country)
        self.year = edition(year)
        weakest, _ = _weakest(self.country, self.year)
        if focus is None or focus == "":
            focus = weakest
        self.focus = choice(focus, "The gap to focus on", FOCI, field="focus")
        if survey_row(self.country, self.year)[self.focus] is None:
            raise ValidationError(f"There is no {FOCUS_LABELS[self.focus]} figure for "
                                  f"{self.name} in {self.year}.", "focus")
        self.gap_kind = choice(gap_kind if gap_kind is not None else "", "The kind of gap",
                               ("", *GAP_KINDS), field="gap_kind")
        self.reason = text(reason, "Why this gap", max_len=MAX_TEXT, field="reason")

    # -- changes
    def with_country(self, country: Any) -> GapAnalysisModel:
        """Another country; the focus moves to that country's weakest component."""
        return GapAnalysisModel(country, self.year, None, self.gap_kind, self.reason)

    def with_answer(self, focus: Any = None, gap_kind: Any = None,
                    reason: Any = None) -> GapAnalysisModel:
        return GapAnalysisModel(
            self.country, self.year, self.focus if focus is None else focus,
            self.gap_kind if gap_kind is None else gap_kind,
            self.reason if reason is None else reason)

    # -- reading
    @property
    def name(self) -> str:
        return country_name(self.country)

    def weakest(self) -> tuple[str, float]:
        """The component furthest below the peers' mean, and that gap (negative = below)."""
        return _weakest(self.country, self.year)

    def peer_group(self) -> tuple[str, str]:
        code, label, _ = peers_of(self.country, self.year)
        return code, label

    def table(self) -> pd.DataFrame:
        """One row per component (osi, hci, tii): ``country``, ``peer_mean``, ``gap``
        (country minus peers), ``<group>_mean`` for each other group it belongs to (all
        members), ``world_mean``."""
        return _gap_table(self.country, self.year).copy()

    def sentence(self) -> str:
        comp, gap = self.weakest()
        what = analysis.COMPONENT_NAMES[comp]
        if gap < 0:
            return (f"{self.name}'s weakest component is {what}: {abs(gap):.2f} below the "
                    "mean of its peers.")
        return (f"{self.name} is at or above its peers' mean on all three components; its "
                f"smallest lead is in {what} ({gap:+.2f}).")

    def chart_png(self) -> bytes:
        return _chart_png(self.country, self.year)

    def completeness(self) -> Completeness:
        checks = {"which kind of gap it is": bool(self.gap_kind),
                  "why you chose this gap": bool(self.reason)}
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        _, label = self.peer_group()
        comp, gap = self.weakest()
        t = self.table()
        labels = _column_labels(self.country, self.year)
        return [
            Block("fields", "Gap analysis", items=[
                ("Country", f"{self.name} ({self.country})"), ("Edition", str(self.year)),
                ("Peer group", label),
                ("Weakest component", f"{FOCUS_LABELS[comp]}, {signed(gap)} against peers"),
                ("Gap chosen", FOCUS_LABELS[self.focus]),
                ("Kind of gap", self.gap_kind or "–"), ("Why", self.reason or "–")]),
            Block("table", "Components against peers and groups",
                  columns=["Component", *(labels[c] for c in t.columns)],
                  rows=[[FOCUS_LABELS[c], *(fmt(v) for v in t.loc[c])] for c in t.index]),
            chart_block("Components against peers and groups",
                        lambda chart: show_chart(chart, self.country, self.year)),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "year": self.year, "focus": self.focus,
                "gap_kind": self.gap_kind, "reason": self.reason}

    @classmethod
    def from_dict(cls, data_: Any) -> GapAnalysisModel:
        d = mapping(data_, "A gap analysis")
        return cls(d.get("country", DEFAULT_COUNTRY), d.get("year", data.LATEST_EDITION),
                   d.get("focus"), d.get("gap_kind", ""), d.get("reason", ""))

    @classmethod
    def starter(cls, workbook: Workbook) -> GapAnalysisModel:
        try:
            return cls(case_country(workbook))
        except ValidationError:
            return cls()


def _chart_data(iso3: str, year: int
                ) -> tuple[list[str], dict[str, list[float]], str, float, str]:
    """(labels, groups, title, top of the y axis, weakest component's name) of the chart."""
    t = _gap_table(iso3, year)
    labels = _column_labels(iso3, year)
    comp, _ = _weakest(iso3, year)
    names = [analysis.COMPONENT_NAMES[c] for c in FOCI]
    groups = {labels[c]: t[c].tolist() for c in t.columns if c != "gap"}
    top = max([1.0, *(v for vs in groups.values() for v in vs if v == v)])
    return (names, groups, f"{country_name(iso3)}, {year}: the weakest component is outlined",
            top, analysis.COMPONENT_NAMES[comp])


@lru_cache(maxsize=96)
def _chart_png(iso3: str, year: int) -> bytes:
    names, groups, title, top, weakest = _chart_data(iso3, year)
    return charts.bar_chart(names, groups, ylim=(0, top), highlight=weakest, title=title)


def show_chart(chart: charts.Chart, iso3: str, year: int) -> None:
    """The chart, with words for a screen reader (every bar and the weakest component) and
    its numbers as a table."""
    names, groups, _, _, _ = _chart_data(iso3, year)
    title = f"EGDI components of {country_name(iso3)} against peers and groups, {year}"
    alt = (charts.describe_bars(names, groups, title=title) + " "
           + GapAnalysisModel(iso3, year).sentence())
    chart.show(_chart_png(iso3, year), alt,
               *charts.bars_table(names, groups, label="Component"))


# ============================================================================ view
class GapAnalysis(CountryView):
    """Gap analysis: the learner's country against its peers; pick the gap to work on.

    >>> view = GapAnalysis(country="ETH", workbook=Workbook.in_memory())
    >>> view.gap_kind.value = "policy"; view.reason.value = "No e-signature law yet"
    >>> view.save_button.click()
    >>> view.workbook.country
    'ETH'
    """

    model_class = GapAnalysisModel
    model: GapAnalysisModel

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "110px"}
        m = self.model
        self.country = widgets.Dropdown(description="Country", options=country_options(),
                                        value=m.country, style=style)
        self.country_message = message_label()
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.chart = charts.Chart()
        self.focus = widgets.RadioButtons(description="Gap to work on",
                                          options=[(FOCUS_LABELS[c], c) for c in FOCI],
                                          value=m.focus, style=style)
        self.gap_kind = widgets.Dropdown(
            description="Kind of gap", style=style, value=m.gap_kind,
            options=[("(choose)", "")] + [(f"{k}: {GAP_KIND_HELP[k]}", k) for k in GAP_KINDS],
            layout=widgets.Layout(width="95%"))
        self.reason = widgets.Textarea(description="Why this gap?", value=m.reason, style=style,
                                       placeholder="What makes this gap matter most for your "
                                                   "country?",
                                       layout=widgets.Layout(width="95%", height="80px"))
        self.save_button = widgets.Button(description="Save", icon="save",
                                          button_style="primary")
        self.save_message = message_label()
        self.progress = widgets.HTML()
        self.country.observe(self._guard(self._pick_country, self.country_message),
                             names="value")
        self.save_button.on_click(self._guard(self._save, self.save_message))
        return [self.country, self.country_message, self.summary, self.table, self.chart,
                self.focus, self.gap_kind, self.reason,
                widgets.HBox([self.save_button, self.progress]), self.save_message]

    def _pick_country(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == self.model.country:
            return
        self.model = self.model.with_country(change["new"])
        self._safe_refresh()
        show_message(self.status, "Not saved yet: press Save to keep your choice.", "info")

    def _save(self, _: Any = None) -> None:
        new = self.model.with_answer(focus=self.focus.value, gap_kind=self.gap_kind.value,
                                     reason=self.reason.value)
        self.commit(new)
        self.workbook.set_case(country=new.country)
        where = "in your workbook" if self.workbook.path else "for this page only"
        show_message(self.status, f"Saved {where}. {new.name} is now the country of your "
                                  "case.", "ok")

    def refresh(self) -> None:
        m = self.model
        self._set(self.country, m.country)
        self._set(self.focus, m.focus)
        self.summary.value = _summary_html(m.country, m.year)
        self.table.value = _table_html(m.country, m.year)
        show_chart(self.chart, m.country, m.year)
        done = m.completeness()
        todo = "; ".join(done.missing)
        show_message(self.progress, f"{done}" + (f" — still needed: {todo}" if todo else ""),
                     "ok" if done.complete else "info")


@lru_cache(maxsize=256)
def _summary_html(iso3: str, year: int) -> str:
    m = GapAnalysisModel(iso3, year)
    _, label = m.peer_group()
    return (f"<div class='d4-gap'><b>{html.escape(m.sentence())}</b><br>Figures of the "
            f"{year} Survey; peers: {html.escape(label)}.</div>")


@lru_cache(maxsize=256)
def _table_html(iso3: str, year: int) -> str:
    t = _gap_table(iso3, year)
    labels = _column_labels(iso3, year)
    comp, _ = _weakest(iso3, year)
    rows = [[FOCUS_LABELS[c] + (" (weakest)" if c == comp else ""),
             *(signed(v, 4) if col == "gap" else v for col, v in t.loc[c].items())]
            for c in t.index]
    return table_html(["Component", *(labels[c] for c in t.columns)], rows,
                      highlight=list(t.index).index(comp))


__all__ = ["FOCI", "GAP_KINDS", "GapAnalysis", "GapAnalysisModel"]
