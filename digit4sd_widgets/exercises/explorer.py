"""Country explorer (submodule 2.3): one country in one Survey edition, against its peers.

The learner picks a country and an edition. The explorer shows the EGDI, the rank, the level,
the three components and the E-Participation Index; the groups the country belongs to; a bar
chart against its peers and the world; its EGDI over all editions; and its peers in a table.
The saved answer is only the selection and the learner's notes: every figure is computed
from the survey data.

The peer group is :func:`digit4sd_widgets.data.analysis.peer_group`; its mean is taken over the
*other* members of the group (:func:`~digit4sd_widgets.data.analysis.peer_countries`), as in
:func:`~digit4sd_widgets.data.analysis.weakest_component`. The trend compares the country with the
same kind of group (that of the chosen edition) as the group was in each edition.

>>> m = CountryExplorerModel(country="Ethiopia", year=2024)
>>> p = m.profile()
>>> p["country"], p["egdi_level"], p["peer_group"]
('ETH', 'middle', 'ldc')
>>> m.with_year(2008).to_dict()
{'country': 'ETH', 'year': 2008, 'notes': ''}
"""

from __future__ import annotations

import copy
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
    mapping,
    message_label,
    scroll_region,
    show_message,
    text,
)
from ._country import (
    INDICATOR_PLAIN,
    SHOWN,
    CountryView,
    _num,
    country_name,
    country_options,
    edition,
    edition_table,
    fmt,
    no_egdi_note,
    peer_means,
    peers_of,
    resolve_country,
    short_group,
    survey_row,
    table_html,
    world_means,
)


# ============================================================================ computations
@lru_cache(maxsize=512)
def _profile(iso3: str, year: int) -> dict[str, Any]:
    row = survey_row(iso3, year)
    code, label, peers = peers_of(iso3, year)
    ranked = int(edition_table(year)["egdi_rank"].notna().sum())
    return {
        **{k: row[k] for k in ("country", "name", "year", *SHOWN, "egdi_rank", "egdi_level")},
        "ranked": ranked,
        "groups": list(row["groups"]),
        "region": row["region"],
        "subregion": row["subregion"],
        "peer_group": code,
        "peer_label": label,
        "peer_count": len(peers),
        "peer_mean": peer_means(iso3, year),
        "world_mean": world_means(year),
        "note": no_egdi_note(iso3, year),
    }


@lru_cache(maxsize=1)
def _world_egdi() -> dict[int, float | None]:
    s = data.load_survey().groupby("year")["egdi"].mean()
    return {int(y): _num(v) for y, v in s.items()}


@lru_cache(maxsize=1)
def _egdi_pivot() -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """EGDI and group membership as country x edition tables (built once)."""
    survey = data.load_survey()
    egdi = survey.pivot(index="iso3", columns="year", values="egdi")
    members = {g: survey.pivot(index="iso3", columns="year", values=g).astype(bool)
               for g in data.GROUPS}
    latest_sub = survey[survey["year"] == data.LATEST_EDITION].set_index("iso3")["subregion"]
    for sub in latest_sub.unique():
        inside = (latest_sub == sub).reindex(egdi.index)
        members[f"subregion:{sub}"] = pd.DataFrame(
            {y: inside for y in egdi.columns}, index=egdi.index)
    return egdi, members


@lru_cache(maxsize=64)
def _group_sums(key: str) -> tuple[pd.Series, pd.Series]:
    """Sum and count of published EGDI over a group's members, per edition."""
    egdi, members = _egdi_pivot()
    inside = egdi.where(members[key])
    return inside.sum(), inside.count()


@lru_cache(maxsize=512)
def _trend(iso3: str, code: str) -> pd.DataFrame:
    """EGDI of a country in every edition, with the mean of its peer group (``code``: ldc,
    lldc, sids or subregion) as that group was in each edition, the country left out."""
    egdi, members = _egdi_pivot()
    key = (f"subregion:{survey_row(iso3, data.LATEST_EDITION)['subregion']}"
           if code == "subregion" else code)
    sums, counts = _group_sums(key)
    own = egdi.loc[iso3]
    counted = members[key].loc[iso3] & own.notna()  # the country's own share, taken out
    count = counts - counted.astype(int)
    mean = (sums - own.where(counted, 0.0)) / count.where(count > 0)
    world = _world_egdi()
    return pd.DataFrame({
        "year": list(data.EDITIONS),
        "egdi": [_num(own.get(y)) for y in data.EDITIONS],
        "peer_mean": [_num(mean.get(y)) for y in data.EDITIONS],
        "peer_count": [int(count.get(y, 0)) for y in data.EDITIONS],
        "world_mean": [world.get(y) for y in data.EDITIONS],
    }).astype({"egdi": "float64", "peer_mean": "float64", "world_mean": "float64"})


@lru_cache(maxsize=512)
def _peer_table(iso3: str, year: int) -> pd.DataFrame:
    _, _, peers = peers_of(iso3, year)
    ed = edition_table(year).loc[[iso3, *peers]]
    out = pd.DataFrame({"iso3": ed.index.astype(str), "country": ed["country"].astype(str),
                        "egdi": ed["egdi"], "egdi_rank": ed["egdi_rank"]}).reset_index(drop=True)
    out["selected"] = out["iso3"] == iso3
    out = out.sort_values(["egdi", "country"], ascending=[False, True], na_position="last")
    return out.reset_index(drop=True)


def _bar_groups(iso3: str, year: int) -> tuple[list[str], dict[str, list[float | None]]]:
    p = _profile(iso3, year)
    peer_name = f"Peers ({short_group(p['peer_group'], p['peer_label'])}) mean"
    own = [p[c] for c in data.COMPONENTS]
    groups: dict[str, list[float | None]] = {}
    if any(v is not None for v in own):
        groups[p["name"]] = own
    groups[peer_name] = [p["peer_mean"][c] for c in data.COMPONENTS]
    groups["World mean"] = [p["world_mean"][c] for c in data.COMPONENTS]
    labels = [analysis.COMPONENT_NAMES[c] for c in data.COMPONENTS]
    return labels, groups


@lru_cache(maxsize=96)
def _bar_html(iso3: str, year: int) -> str:
    """The component comparison for the page: HTML bars, redrawn in well under a
    millisecond (the PNG version below is for the printable dossier)."""
    labels, groups = _bar_groups(iso3, year)
    return charts.html_bars(labels, groups,
                            title=f"{country_name(iso3)}, {year}: the three components")


@lru_cache(maxsize=96)
def _bar_png(iso3: str, year: int) -> bytes:
    p = _profile(iso3, year)
    labels, groups = _bar_groups(iso3, year)
    top = max([1.0, *(v for vs in groups.values() for v in vs if v is not None)])
    return charts.bar_chart(labels, groups, title=f"{p['name']}, {year}: the three components",
                            ylim=(0, top))


def _trend_series(iso3: str, code: str, label: str
                  ) -> tuple[dict[str, tuple[list, list]], str]:
    t = _trend(iso3, code)
    years = t["year"].tolist()
    name = country_name(iso3)
    series = {name: (years, t["egdi"].tolist()),
              f"Peers ({short_group(code, label)}) mean": (years, t["peer_mean"].tolist()),
              "World mean": (years, t["world_mean"].tolist())}
    return series, f"EGDI of {name} in every edition"


@lru_cache(maxsize=96)
def _trend_png(iso3: str, code: str, label: str) -> bytes:
    series, title = _trend_series(iso3, code, label)
    return charts.line_chart(series, title=title, ylim=(0, 1), dashed=("World mean",))


def trend_chart() -> charts.LineChart:
    """The chart a view keeps and redraws (faster than drawing a new figure)."""
    ticks = [2003, 2008, 2012, 2016, 2020, 2024]
    return charts.LineChart(xlim=(2002, 2025), ylim=(0, 1), xticks=ticks)


# ============================================================================ model
class CountryExplorerModel(ExerciseModel):
    """The learner's selection (country, edition) and notes; every figure is computed.

    >>> m = CountryExplorerModel().with_country("Nepal").with_year(2014)
    >>> m.profile()["egdi_rank"] > 0, len(m.trend()), m.peers()["selected"].sum()
    (True, 12, np.int64(1))
    """

    kind: ClassVar[str] = "country_explorer"
    title: ClassVar[str] = "Country explorer"
    submodule: ClassVar[str] = "2.3"

    def __init__(self, country: Any = DEFAULT_COUNTRY, year: Any = data.LATEST_EDITION,
                 notes: Any = ""):
        self.country = resolve_country(country)
        self.year = edition(year)
        self.notes = text(notes, "Your notes", max_len=MAX_TEXT, field="notes")

    # -- changes
    def with_country(self, country: Any) -> CountryExplorerModel:
        return CountryExplorerModel(country, self.year, self.notes)

    def with_year(self, year: Any) -> CountryExplorerModel:
        return CountryExplorerModel(self.country, year, self.notes)

    def with_notes(self, notes: Any) -> CountryExplorerModel:
        return CountryExplorerModel(self.country, self.year, notes)

    # -- reading
    @property
    def name(self) -> str:
        return country_name(self.country)

    def profile(self) -> dict[str, Any]:
        """The figures shown for the selection: ``egdi``, ``egdi_rank``, ``ranked`` (how many
        countries were ranked), ``egdi_level``, ``osi``, ``hci``, ``tii``, ``epi``, ``groups``
        (of ldc/lldc/sids that edition), ``region``, ``subregion``, ``peer_group``,
        ``peer_label``, ``peer_count``, ``peer_mean`` and ``world_mean`` (dicts by indicator)
        and ``note`` (non-empty when no EGDI was computed). Missing figures are None."""
        return copy.deepcopy(_profile(self.country, self.year))

    def trend(self) -> pd.DataFrame:
        """EGDI in every edition: ``year, egdi, peer_mean, peer_count, world_mean``. The peer
        group is the one of the chosen edition (LDC, LLDC, SIDS or the sub-region), with its
        members of each edition, the country left out."""
        code, _, _ = peers_of(self.country, self.year)
        return _trend(self.country, code).copy()

    def peers(self) -> pd.DataFrame:
        """The peer group in the chosen edition, the country included (``selected``), sorted
        by EGDI: ``iso3, country, egdi, egdi_rank, selected``."""
        return _peer_table(self.country, self.year).copy()

    def bar_png(self) -> bytes:
        return _bar_png(self.country, self.year)

    def trend_png(self) -> bytes:
        code, label, _ = peers_of(self.country, self.year)
        return _trend_png(self.country, code, label)

    def trend_words(self) -> str:
        """What the trend chart shows, in words."""
        code, label, _ = peers_of(self.country, self.year)
        series, title = _trend_series(self.country, code, label)
        return charts.describe_lines(series, title=title)

    def completeness(self) -> Completeness:
        missing = [] if self.notes else ["a note on what stands out"]
        return Completeness(1 - len(missing), 1, missing)

    def report(self) -> list[Block]:
        p = _profile(self.country, self.year)
        items = [("Country", f"{p['name']} ({p['country']})"), ("Edition", str(self.year))]
        items += summary_items(p)
        blocks = [Block("fields", "Country profile", items=items)]
        if p["note"]:
            blocks.append(Block("note", "Missing figures", text=p["note"]))
        blocks += [
            Block("image", "Against its peers and the world", png=self.bar_png(),
                  alt=charts.describe_bars(*_bar_groups(self.country, self.year),
                                           title=f"{p['name']}, {self.year}")),
            Block("image", "EGDI in every edition", png=self.trend_png(),
                  alt=self.trend_words()),
            Block("table", f"Peers in {self.year}: {p['peer_label']}",
                  columns=["Country", "EGDI", "Rank"],
                  rows=[[r.country + (" (this country)" if r.selected else ""), fmt(r.egdi),
                         fmt(r.egdi_rank)] for r in self.peers().itertuples()]),
            Block("note", "What stands out", text=self.notes or "–"),
        ]
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "year": self.year, "notes": self.notes}

    @classmethod
    def from_dict(cls, data_: Any) -> CountryExplorerModel:
        d = mapping(data_, "A country explorer answer")
        return cls(d.get("country", DEFAULT_COUNTRY), d.get("year", data.LATEST_EDITION),
                   d.get("notes", ""))

    @classmethod
    def starter(cls, workbook: Workbook) -> CountryExplorerModel:
        try:
            return cls(case_country(workbook))
        except ValidationError:
            return cls()


def summary_items(p: dict[str, Any]) -> list[tuple[str, str]]:
    rank = (f"{p['egdi_rank']} of {p['ranked']}" if p["egdi_rank"] is not None else "–")
    groups = ", ".join(data.GROUP_NAMES[g] for g in p["groups"]) or "none of LDC, LLDC, SIDS"
    return [
        ("EGDI", fmt(p["egdi"])), ("Rank", rank), ("Level", p["egdi_level"] or "–"),
        ("Online services (OSI)", fmt(p["osi"])), ("Human capital (HCI)", fmt(p["hci"])),
        ("Telecom infrastructure (TII)", fmt(p["tii"])), ("E-Participation (EPI)", fmt(p["epi"])),
        ("Groups that edition", groups), ("Region", f"{p['region']} ({p['subregion']})"),
        ("Peer group", f"{p['peer_label']} ({p['peer_count']} other countries)"),
    ]


# ============================================================================ view

class CountryExplorer(CountryView):
    """Country explorer: a country's EGDI, components, groups, trend and peers.

    >>> view = CountryExplorer(country="ETH", workbook=Workbook.in_memory())
    >>> view.edition.value = 2014
    >>> view.model.to_dict()
    {'country': 'ETH', 'year': 2014, 'notes': ''}
    """

    model_class = CountryExplorerModel
    model: CountryExplorerModel

    def _build(self) -> list[widgets.Widget]:
        self._trend_cache: dict[tuple[str, str, str], bytes] = {}
        style = {"description_width": "80px"}
        self.country = widgets.Dropdown(description="Country", options=country_options(),
                                        value=self.model.country, style=style)
        self.edition = widgets.Dropdown(description="Edition", options=list(data.EDITIONS),
                                        value=self.model.year, style=style,
                                        layout=widgets.Layout(width="180px"))
        self.country_message = message_label()
        self.summary = widgets.HTML()
        self.bar_chart = widgets.HTML()
        self.trend_chart = charts.Chart()
        self.peers_title = widgets.HTML()
        self.peers_table = widgets.HTML()
        self.figures = widgets.HTML()
        self.figures_box = widgets.Accordion(children=[self.figures],
                                             titles=("Show the figures",))
        self.figures_box.selected_index = None
        self.notes = widgets.Textarea(value=self.model.notes, description="What stands out?",
                                      placeholder="A few words on what you notice",
                                      style={"description_width": "120px"},
                                      layout=widgets.Layout(width="95%", height="80px"))
        self.save_button = widgets.Button(description="Save", icon="save",
                                          button_style="primary")
        self.notes_message = message_label()
        self.progress = widgets.HTML()

        self.country.observe(self._guard(self._pick_country, self.country_message),
                             names="value")
        self.edition.observe(self._guard(self._pick_year, self.country_message), names="value")
        self.save_button.on_click(self._guard(self._save, self.notes_message))
        return [
            widgets.HBox([self.country, self.edition]), self.country_message, self.summary,
            widgets.HBox([self.bar_chart, self.trend_chart],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.peers_title, self.peers_table, self.figures_box,
            self.notes, widgets.HBox([self.save_button, self.progress]), self.notes_message,
        ]

    def _trend_png(self, m: CountryExplorerModel) -> bytes:
        code, label = peers_of(m.country, m.year)[:2]
        key = (m.country, code, label)
        if key not in self._trend_cache:
            if not hasattr(self, "_chart"):
                self._chart = trend_chart()
            series, title = _trend_series(*key)
            self._trend_cache[key] = self._chart.render(series, title=title,
                                                        dashed=("World mean",))
            if len(self._trend_cache) > 64:
                self._trend_cache.pop(next(iter(self._trend_cache)))
        return self._trend_cache[key]

    # -- callbacks
    def _pick_country(self, change: dict[str, Any]) -> None:
        if not self._syncing and change["new"] != self.model.country:
            self.commit(self.model.with_country(change["new"]))

    def _pick_year(self, change: dict[str, Any]) -> None:
        if not self._syncing and change["new"] != self.model.year:
            self.commit(self.model.with_year(change["new"]))

    def _save(self, _: Any = None) -> None:
        self.commit(self.model.with_notes(self.notes.value))

    # -- display
    def refresh(self) -> None:
        m = self.model
        self._set(self.country, m.country)
        self._set(self.edition, m.year)
        summary, title, peers, figures = _panel(m.country, m.year)
        self.summary.value = summary
        self.peers_title.value = title
        self.peers_table.value = scroll_region(peers, "Peer countries", "320px")
        self.figures.value = figures
        self.bar_chart.value = _bar_html(m.country, m.year)
        code, label = peers_of(m.country, m.year)[:2]
        series, title = _trend_series(m.country, code, label)
        self.trend_chart.lines(series, title=title, png=self._trend_png(m), x_label="Edition")
        done = m.completeness()
        show_message(self.progress, str(done) + ("" if done.complete else
                                                 " — add a note on what stands out"),
                     "ok" if done.complete else "info")


@lru_cache(maxsize=512)
def _panel(iso3: str, year: int) -> tuple[str, str, str, str]:
    """The HTML parts of the explorer for one selection (all text escaped)."""
    p = _profile(iso3, year)
    e = html.escape
    rank = (f"rank <b>{p['egdi_rank']}</b> of {p['ranked']}" if p["egdi_rank"] is not None
            else "not ranked")
    groups = ", ".join(e(data.GROUP_NAMES[g]) for g in p["groups"]) or (
        "none of the three special groups (LDC, LLDC, SIDS)")
    note = (f"<div class='d4-note' style='color:#8a4b00'>⚠ {e(p['note'])}</div>"
            if p["note"] else "")
    comps = " · ".join(f"{e(INDICATOR_PLAIN[c])}: <b>{fmt(p[c])}</b>"
                       for c in ("osi", "hci", "tii", "epi"))
    summary = (
        f"<div class='d4-profile'><div style='font-size:1.2em'><b>{e(p['name'])}</b>, "
        f"{year}: EGDI <b>{fmt(p['egdi'])}</b>, {rank}, level "
        f"<b>{e(p['egdi_level'] or '–')}</b></div>{note}<div>{comps}</div>"
        f"<div>Groups in {year}: {groups}. Region: {e(p['region'])} "
        f"({e(p['subregion'])}).</div>"
        f"<div>Compared with: {e(p['peer_label'])} ({p['peer_count']} other countries).</div>"
        "</div>")
    title = (f"<b>Peers in {year}: {e(p['peer_label'])}</b>, highest EGDI first "
             f"({e(p['name'])} highlighted)")
    t = _peer_table(iso3, year)
    rows = [[i + 1, r.country, r.egdi, r.egdi_rank] for i, r in enumerate(t.itertuples())]
    own = int(t.index[t["selected"]][0])
    peers = table_html(["#", "Country", "EGDI", "Rank"], rows, highlight=own)
    code, label, _ = peers_of(iso3, year)
    fig_rows = [[INDICATOR_PLAIN[c], p[c], p["peer_mean"][c], p["world_mean"][c]]
                for c in SHOWN]
    short = short_group(code, label)
    figs = table_html(["Indicator", p["name"], f"Peers ({short}) mean", "World mean"], fig_rows)
    tr = _trend(iso3, code)
    trend_rows = [[r.year, r.egdi, r.peer_mean, r.world_mean] for r in tr.itertuples()]
    figs += (f"<p><b>EGDI in every edition</b> (peers: {e(label)}, as the group was in each "
             "edition)</p>") + table_html(
        ["Edition", p["name"], f"Peers ({short}) mean", "World mean"], trend_rows)
    return summary, title, peers, figs


__all__ = ["CountryExplorer", "CountryExplorerModel", "CountryView", "country_name",
           "country_options", "edition", "edition_table", "peer_means", "peers_of",
           "resolve_country", "survey_row", "world_means"]
