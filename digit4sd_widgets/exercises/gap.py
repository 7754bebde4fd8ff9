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
from ..i18n import N_, _, get_language, ngettext
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
    semicolons,
    show_message,
    text,
)
from ._country import (
    CountryView,
    chart_label,
    component_name,
    country_name,
    country_options,
    edition,
    fmt,
    peer_label,
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
#: the kinds of gap (the stored values) in words, shown through :func:`gap_kind_name`
GAP_KIND_NAMES: dict[str, str] = {"data": N_("data"), "policy": N_("policy"),
                                  "implementation": N_("implementation")}
GAP_KIND_HELP: dict[str, str] = {
    "data": N_("the figures needed to plan or follow this area are missing, old or "
               "unreliable"),
    "policy": N_("a law, strategy, rule or mandate is missing or stands in the way"),
    "implementation": N_("the plans exist but are not carried out: money, skills, staff or "
                         "coordination fall short"),
}
FOCUS_LABELS: dict[str, str] = {c: f"{analysis.COMPONENT_NAMES[c]} ({c.upper()})"
                                for c in FOCI}


def focus_label(component: str) -> str:
    """"Online services (OSI)", in the reader's language."""
    return f"{component_name(component)} ({component.upper()})"


def gap_kind_name(kind: str) -> str:
    """A kind of gap (``"policy"``) in the reader's words; ``–`` for none."""
    return _(GAP_KIND_NAMES[kind]) if kind in GAP_KIND_NAMES else (kind or "–")


@lru_cache(maxsize=512)
def _weakest(iso3: str, year: int) -> tuple[str, float]:
    try:
        return analysis.weakest_component(iso3, year)
    except (ValueError, IndexError, KeyError):
        raise ValidationError(
            _("There are no component figures for {country} in {year}: pick another "
              "country.").format(country=country_name(iso3), year=year), "country") from None


@lru_cache(maxsize=512)
def _gap_table(iso3: str, year: int) -> pd.DataFrame:
    row = survey_row(iso3, year)
    code, _label, _peers = peers_of(iso3, year)
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
              "peer_mean": ngettext("Peers: {group} ({count} other)",
                                    "Peers: {group} ({count} others)", len(peers)).format(
                  group=short_group(code, label), count=len(peers)),
              "gap": _("Gap to peers"), "world_mean": _("World mean")}
    for g in data.GROUPS:
        labels[f"{g}_mean"] = _("All {group}").format(group=short_group(g, ""))
    return labels


class GapAnalysisModel(ExerciseModel):
    """A country's component gaps against its peers, and the gap the learner will work on.

    >>> GapAnalysisModel(country="BGD").table().loc["osi", "country"] > 0
    np.True_
    """

    kind: ClassVar[str] = "gap_analysis"
    title: ClassVar[str] = N_("Gap analysis")
    submodule: ClassVar[str] = "3.1"

    def __init__(self, country: Any = DEFAULT_COUNTRY, year: Any = data.LATEST_EDITION,
                 focus: Any = None, gap_kind: Any = "", reason: Any = ""):
        self.country = resolve_country(country)
        self.year = edition(year)
        weakest, _gap = _weakest(self.country, self.year)
        if focus is None or focus == "":
            focus = weakest
        self.focus = choice(focus, _("The gap to focus on"), FOCI, field="focus")
        if survey_row(self.country, self.year)[self.focus] is None:
            raise ValidationError(_("There is no {component} figure for {country} in "
                                    "{year}.").format(component=focus_label(self.focus),
                                                      country=self.name, year=self.year),
                                  "focus")
        self.gap_kind = choice(gap_kind if gap_kind is not None else "", _("The kind of gap"),
                               ("", *GAP_KINDS), field="gap_kind")
        self.reason = text(reason, _("Why this gap"), max_len=MAX_TEXT, field="reason")

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
    def gap_kind_label(self) -> str:
        """The kind of gap in the reader's words ("implementation", "mise en œuvre")."""
        return gap_kind_name(self.gap_kind)

    @property
    def name(self) -> str:
        return country_name(self.country)

    def weakest(self) -> tuple[str, float]:
        """The component furthest below the peers' mean, and that gap (negative = below)."""
        return _weakest(self.country, self.year)

    def peer_group(self) -> tuple[str, str]:
        """(code, name) of the peer group; the name in the reader's language."""
        code, label, _peers = peers_of(self.country, self.year)
        return code, peer_label(code, label)

    def table(self) -> pd.DataFrame:
        """One row per component (osi, hci, tii): ``country``, ``peer_mean``, ``gap``
        (country minus peers), ``<group>_mean`` for each other group it belongs to (all
        members), ``world_mean``."""
        return _gap_table(self.country, self.year).copy()

    def sentence(self) -> str:
        comp, gap = self.weakest()
        what = component_name(comp)
        if gap < 0:
            return _("{country}'s weakest component is {component}: {gap} below the mean of "
                     "its peers.").format(country=self.name, component=what,
                                             gap=fmt(abs(gap), 2))
        return _("{country} is at or above its peers' mean on all three components; its "
                 "smallest lead is in {component} ({gap}).").format(
            country=self.name, component=what, gap=signed(gap))

    def chart_png(self) -> bytes:
        return _chart_png(self.country, self.year)

    def completeness(self) -> Completeness:
        checks = {_("which kind of gap it is"): bool(self.gap_kind),
                  _("why you chose this gap"): bool(self.reason)}
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        _code, label = self.peer_group()
        comp, gap = self.weakest()
        t = self.table()
        labels = _column_labels(self.country, self.year)
        return [
            Block("fields", _("Gap analysis"), items=[
                (_("Country"), f"{self.name} ({self.country})"), (_("Edition"), str(self.year)),
                (_("Peer group"), label),
                (_("Weakest component"), _("{component}, {gap} against peers").format(
                    component=focus_label(comp), gap=signed(gap))),
                (_("Gap chosen"), focus_label(self.focus)),
                (_("Kind of gap"), gap_kind_name(self.gap_kind)), (_("Why"), self.reason or "–")]),
            Block("table", _("Components against peers and groups"),
                  columns=[_("Component"), *(labels[c] for c in t.columns)],
                  rows=[[focus_label(c), *(fmt(v) for v in t.loc[c])] for c in t.index]),
            chart_block(_("Components against peers and groups"),
                        lambda chart: show_chart(chart, self.country, self.year)),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "year": self.year, "focus": self.focus,
                "gap_kind": self.gap_kind, "reason": self.reason}

    @classmethod
    def from_dict(cls, data_: Any) -> GapAnalysisModel:
        d = mapping(data_, _("A gap analysis"))
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
    comp, _gap = _weakest(iso3, year)
    names = [component_name(c) for c in FOCI]
    groups = {labels[c]: t[c].tolist() for c in t.columns if c != "gap"}
    top = max([1.0, *(v for vs in groups.values() for v in vs if v == v)])
    return (names, groups, _("{country}, {year}: the weakest component is outlined").format(
                country=country_name(iso3), year=year),
            top, component_name(comp))


def _chart_png(iso3: str, year: int) -> bytes:
    return _chart_png_in(iso3, year, get_language())


@lru_cache(maxsize=96)
def _chart_png_in(iso3: str, year: int, lang: str) -> bytes:
    names, groups, title, top, weakest = _chart_data(iso3, year)
    return charts.bar_chart([chart_label(n) for n in names], groups, ylim=(0, top),
                            highlight=chart_label(weakest), title=title)


def show_chart(chart: charts.Chart, iso3: str, year: int) -> None:
    """The chart, with words for a screen reader (every bar and the weakest component) and
    its numbers as a table."""
    names, groups, _title, _top, _weakest_name = _chart_data(iso3, year)
    title = _("EGDI components of {country} against peers and groups, {year}").format(
        country=country_name(iso3), year=year)
    alt = (charts.describe_bars(names, groups, title=title) + " "
           + GapAnalysisModel(iso3, year).sentence())
    chart.show(_chart_png(iso3, year), alt,
               *charts.bars_table(names, groups, label=_("Component")))


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
        self.country = widgets.Dropdown(description=_("Country"), options=country_options(),
                                        value=m.country, style=style)
        self.country_message = message_label()
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.chart = charts.Chart()
        self.focus = widgets.RadioButtons(description=_("Gap to work on"),
                                          options=[(focus_label(c), c) for c in FOCI],
                                          value=m.focus, style=style)
        self.gap_kind = widgets.Dropdown(
            description=_("Kind of gap"), style=style, value=m.gap_kind,
            options=[(_("(choose)"), "")] + [
                (_("{kind}: {meaning}").format(kind=gap_kind_name(k),
                                               meaning=_(GAP_KIND_HELP[k])), k)
                for k in GAP_KINDS],
            layout=widgets.Layout(width="95%"))
        self.reason = widgets.Textarea(description=_("Why this gap?"), value=m.reason,
                                       style=style,
                                       placeholder=_("What makes this gap matter most for "
                                                     "your country?"),
                                       layout=widgets.Layout(width="95%", height="80px"))
        self.save_button = widgets.Button(description=_("Save"), icon="save",
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
        show_message(self.status, _("Not saved yet: press {button} to keep your choice.")
                     .format(button=_("Save")), "info")

    def _save(self, _button: Any = None) -> None:
        new = self.model.with_answer(focus=self.focus.value, gap_kind=self.gap_kind.value,
                                     reason=self.reason.value)
        self.commit(new)
        self.workbook.set_case(country=new.country)
        show_message(self.status, " ".join([self.saved_words(), _(
            "{country} is now the country of your case.").format(country=new.name)]), "ok")

    def refresh(self) -> None:
        m = self.model
        self._set(self.country, m.country)
        self._set(self.focus, m.focus)
        self.summary.value = _summary_html(m.country, m.year)
        self.table.value = _table_html(m.country, m.year)
        show_chart(self.chart, m.country, m.year)
        done = m.completeness()
        todo = semicolons(done.missing)
        show_message(self.progress, _("{progress} — still needed: {todo}").format(
            progress=done, todo=todo) if todo else str(done),
                     "ok" if done.complete else "info")


def _summary_html(iso3: str, year: int) -> str:
    return _summary_html_in(iso3, year, get_language())


@lru_cache(maxsize=256)
def _summary_html_in(iso3: str, year: int, lang: str) -> str:
    m = GapAnalysisModel(iso3, year)
    _code, label = m.peer_group()
    source = _("Figures of the {year} Survey; peers: {group}.").format(year=year, group=label)
    return (f"<div class='d4-gap'><b>{html.escape(m.sentence())}</b><br>"
            f"{html.escape(source)}</div>")


def _table_html(iso3: str, year: int) -> str:
    return _table_html_in(iso3, year, get_language())


@lru_cache(maxsize=256)
def _table_html_in(iso3: str, year: int, lang: str) -> str:
    t = _gap_table(iso3, year)
    labels = _column_labels(iso3, year)
    comp, _gap = _weakest(iso3, year)
    rows = [[_("{component} (weakest)").format(component=focus_label(c)) if c == comp
             else focus_label(c),
             *(signed(v, 4) if col == "gap" else v for col, v in t.loc[c].items())]
            for c in t.index]
    return table_html([_("Component"), *(labels[c] for c in t.columns)], rows,
                      highlight=list(t.index).index(comp))


__all__ = ["FOCI", "GAP_KINDS", "GapAnalysis", "GapAnalysisModel"]
