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
    mapping,
    message_label,
    scroll_region,
    show_message,
    text,
)
from ._country import (
    SHOWN,
    CountryView,
    _num,
    chart_label,
    component_name,
    country_name,
    country_options,
    edition,
    edition_table,
    fmt,
    group_name,
    indicator_plain,
    level_name,
    no_egdi_note,
    peer_label,
    peer_means,
    peers_of,
    region_name,
    resolve_country,
    short_group,
    survey_row,
    table_html,
    world_means,
)


# ============================================================================ computations
def _profile(iso3: str, year: int) -> dict[str, Any]:
    return _profile_in(iso3, year, get_language())


@lru_cache(maxsize=512)
def _profile_in(iso3: str, year: int, lang: str) -> dict[str, Any]:
    """The figures of :meth:`CountryExplorerModel.profile`; the names and the note in
    ``lang`` (the reader's language)."""
    row = survey_row(iso3, year)
    code, label, peers = peers_of(iso3, year)
    ranked = int(edition_table(year)["egdi_rank"].notna().sum())
    return {
        **{k: row[k] for k in ("country", "year", *SHOWN, "egdi_rank", "egdi_level")},
        "name": country_name(iso3),
        "ranked": ranked,
        "groups": list(row["groups"]),
        "region": row["region"],
        "subregion": row["subregion"],
        "peer_group": code,
        "peer_label": peer_label(code, label),
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
    _code, _label, peers = peers_of(iso3, year)
    ed = edition_table(year).loc[[iso3, *peers]]
    out = pd.DataFrame({"iso3": ed.index.astype(str), "country": ed["country"].astype(str),
                        "egdi": ed["egdi"], "egdi_rank": ed["egdi_rank"]}).reset_index(drop=True)
    out["selected"] = out["iso3"] == iso3
    out = out.sort_values(["egdi", "country"], ascending=[False, True], na_position="last")
    return out.reset_index(drop=True)


def peers_mean_label(code: str, label: str) -> str:
    """"Peers (LDC) mean", in the reader's language."""
    return _("Peers ({group}) mean").format(group=short_group(code, label))


def _bar_groups(iso3: str, year: int) -> tuple[list[str], dict[str, list[float | None]]]:
    p = _profile(iso3, year)
    code, label, _peers = peers_of(iso3, year)
    own = [p[c] for c in data.COMPONENTS]
    groups: dict[str, list[float | None]] = {}
    if any(v is not None for v in own):
        groups[p["name"]] = own
    groups[peers_mean_label(code, label)] = [p["peer_mean"][c] for c in data.COMPONENTS]
    groups[_("World mean")] = [p["world_mean"][c] for c in data.COMPONENTS]
    labels = [component_name(c) for c in data.COMPONENTS]
    return labels, groups


def _bar_title(iso3: str, year: int) -> str:
    return _("{country}, {year}: the three components").format(country=country_name(iso3),
                                                               year=year)


def _bar_html(iso3: str, year: int) -> str:
    return _bar_html_in(iso3, year, get_language())


@lru_cache(maxsize=96)
def _bar_html_in(iso3: str, year: int, lang: str) -> str:
    """The component comparison for the page: HTML bars, redrawn in well under a
    millisecond (the PNG version below is for the printable dossier)."""
    labels, groups = _bar_groups(iso3, year)
    return charts.html_bars(labels, groups, title=_bar_title(iso3, year))


def _bar_png(iso3: str, year: int) -> bytes:
    return _bar_png_in(iso3, year, get_language())


@lru_cache(maxsize=96)
def _bar_png_in(iso3: str, year: int, lang: str) -> bytes:
    labels, groups = _bar_groups(iso3, year)
    top = max([1.0, *(v for vs in groups.values() for v in vs if v is not None)])
    return charts.bar_chart([chart_label(label) for label in labels], groups,
                            title=_bar_title(iso3, year), ylim=(0, top))


def _trend_series(iso3: str, code: str, label: str
                  ) -> tuple[dict[str, tuple[list, list]], str]:
    t = _trend(iso3, code)
    years = t["year"].tolist()
    name = country_name(iso3)
    series = {name: (years, t["egdi"].tolist()),
              peers_mean_label(code, label): (years, t["peer_mean"].tolist()),
              _("World mean"): (years, t["world_mean"].tolist())}
    return series, _("EGDI of {country} in every edition").format(country=name)


def _trend_png(iso3: str, code: str, label: str) -> bytes:
    return _trend_png_in(iso3, code, label, get_language())


@lru_cache(maxsize=96)
def _trend_png_in(iso3: str, code: str, label: str, lang: str) -> bytes:
    series, title = _trend_series(iso3, code, label)
    return charts.line_chart(series, title=title, ylim=(0, 1), dashed=(_("World mean"),))


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
    title: ClassVar[str] = N_("Country explorer")
    submodule: ClassVar[str] = "2.3"

    def __init__(self, country: Any = DEFAULT_COUNTRY, year: Any = data.LATEST_EDITION,
                 notes: Any = ""):
        self.country = resolve_country(country)
        self.year = edition(year)
        self.notes = text(notes, _("Your notes"), max_len=MAX_TEXT, field="notes")

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
        code, _label, _peers = peers_of(self.country, self.year)
        return _trend(self.country, code).copy()

    def peers(self) -> pd.DataFrame:
        """The peer group in the chosen edition, the country included (``selected``), sorted
        by EGDI: ``iso3, country, egdi, egdi_rank, selected``."""
        return _peer_table(self.country, self.year).copy()

    def bar_png(self) -> bytes:
        return _bar_png(self.country, self.year)

    def trend_png(self) -> bytes:
        code, label, _peers = peers_of(self.country, self.year)
        return _trend_png(self.country, code, label)

    def trend_words(self) -> str:
        """What the trend chart shows, in words."""
        code, label, _peers = peers_of(self.country, self.year)
        series, title = _trend_series(self.country, code, label)
        return charts.describe_lines(series, title=title)

    def completeness(self) -> Completeness:
        missing = [] if self.notes else [_("a note on what stands out")]
        return Completeness(1 - len(missing), 1, missing)

    def report(self) -> list[Block]:
        p = _profile(self.country, self.year)
        items = [(_("Country"), f"{p['name']} ({p['country']})"),
                 (_("Edition"), str(self.year))]
        items += summary_items(p)
        blocks = [Block("fields", _("Country profile"), items=items)]
        if p["note"]:
            blocks.append(Block("note", _("Missing figures"), text=p["note"]))
        blocks += [
            Block("image", _("Against its peers and the world"), png=self.bar_png(),
                  alt=charts.describe_bars(*_bar_groups(self.country, self.year),
                                           title=f"{p['name']}, {self.year}")),
            Block("image", _("EGDI in every edition"), png=self.trend_png(),
                  alt=self.trend_words()),
            Block("table", _("Peers in {year}: {group}").format(year=self.year,
                                                                group=p["peer_label"]),
                  columns=[_("Country"), "EGDI", _("Rank")],
                  rows=[[(_("{country} (this country)") if r.selected else "{country}")
                         .format(country=country_name(r.iso3)), fmt(r.egdi),
                         fmt(r.egdi_rank)] for r in self.peers().itertuples()]),
            Block("note", _("What stands out"), text=self.notes or "–"),
        ]
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "year": self.year, "notes": self.notes}

    @classmethod
    def from_dict(cls, data_: Any) -> CountryExplorerModel:
        d = mapping(data_, _("A country explorer answer"))
        return cls(d.get("country", DEFAULT_COUNTRY), d.get("year", data.LATEST_EDITION),
                   d.get("notes", ""))

    @classmethod
    def starter(cls, workbook: Workbook) -> CountryExplorerModel:
        try:
            return cls(case_country(workbook))
        except ValidationError:
            return cls()


def summary_items(p: dict[str, Any]) -> list[tuple[str, str]]:
    rank = (_("{rank} of {ranked}").format(rank=p["egdi_rank"], ranked=p["ranked"])
            if p["egdi_rank"] is not None else "–")
    groups = ", ".join(group_name(g) for g in p["groups"]) or _("none of LDC, LLDC, SIDS")
    others = ngettext("{count} other country", "{count} other countries",
                      p["peer_count"]).format(count=p["peer_count"])
    return [
        ("EGDI", fmt(p["egdi"])), (_("Rank"), rank), (_("Level"), level_name(p["egdi_level"])),
        *((indicator_plain(c), fmt(p[c])) for c in ("osi", "hci", "tii", "epi")),
        (_("Groups that edition"), groups),
        (_("Region"), f"{region_name(p['region'])} ({region_name(p['subregion'])})"),
        (_("Peer group"), f"{p['peer_label']} ({others})"),
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
        self.country = widgets.Dropdown(description=_("Country"), options=country_options(),
                                        value=self.model.country, style=style)
        self.edition = widgets.Dropdown(description=_("Edition"), options=list(data.EDITIONS),
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
                                             titles=(_("Show the figures"),))
        self.figures_box.selected_index = None
        self.notes = widgets.Textarea(value=self.model.notes,
                                      description=_("What stands out?"),
                                      placeholder=_("A few words on what you notice"),
                                      style={"description_width": "120px"},
                                      layout=widgets.Layout(width="95%", height="80px"))
        self.save_button = widgets.Button(description=_("Save"), icon="save",
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
                                                        dashed=(_("World mean"),))
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

    def _save(self, _button: Any = None) -> None:
        self.commit(self.model.with_notes(self.notes.value))

    # -- display
    def refresh(self) -> None:
        m = self.model
        self._set(self.country, m.country)
        self._set(self.edition, m.year)
        summary, title, peers, figures = _panel(m.country, m.year)
        self.summary.value = summary
        self.peers_title.value = title
        self.peers_table.value = scroll_region(peers, _("Peer countries"), "320px")
        self.figures.value = figures
        self.bar_chart.value = _bar_html(m.country, m.year)
        code, label = peers_of(m.country, m.year)[:2]
        series, title = _trend_series(m.country, code, label)
        self.trend_chart.lines(series, title=title, png=self._trend_png(m),
                               x_label=_("Edition"))
        done = m.completeness()
        show_message(self.progress, str(done) if done.complete else
                     _("{progress} — add a note on what stands out").format(progress=done),
                     "ok" if done.complete else "info")


def _panel(iso3: str, year: int) -> tuple[str, str, str, str]:
    return _panel_in(iso3, year, get_language())


@lru_cache(maxsize=512)
def _panel_in(iso3: str, year: int, lang: str) -> tuple[str, str, str, str]:
    """The HTML parts of the explorer for one selection, in ``lang`` (all text escaped)."""
    p = _profile(iso3, year)
    e = html.escape
    name = e(p["name"])
    if p["egdi_rank"] is not None:
        rank = _("rank <b>{rank}</b> of {ranked}").format(rank=p["egdi_rank"],
                                                          ranked=p["ranked"])
    else:
        rank = e(_("not ranked"))
    groups = ", ".join(e(group_name(g)) for g in p["groups"]) or e(
        _("none of the three special groups (LDC, LLDC, SIDS)"))
    note = (f"<div class='d4-note' style='color:#8a4b00'>⚠ {e(p['note'])}</div>"
            if p["note"] else "")
    comps = " · ".join(e(_("{indicator}: {value}")).format(
        indicator=e(indicator_plain(c)), value=f"<b>{fmt(p[c])}</b>")
        for c in ("osi", "hci", "tii", "epi"))
    others = ngettext("{count} other country", "{count} other countries",
                      p["peer_count"]).format(count=p["peer_count"])
    headline = _("<b>{country}</b>, {year}: EGDI <b>{egdi}</b>, {rank}, level "
                 "<b>{level}</b>").format(country=name, year=year, egdi=fmt(p["egdi"]),
                                          rank=rank, level=e(level_name(p["egdi_level"])))
    where = e(_("Groups in {year}: {groups}. Region: {region} ({subregion}).")).format(
        year=year, groups=groups, region=e(region_name(p["region"])),
        subregion=e(region_name(p["subregion"])))
    compared = e(_("Compared with: {group} ({others}).").format(group=p["peer_label"],
                                                                others=others))
    summary = (
        f"<div class='d4-profile'><div style='font-size:1.2em'>{headline}</div>{note}"
        f"<div>{comps}</div><div>{where}</div><div>{compared}</div></div>")
    title = _("<b>Peers in {year}: {group}</b>, highest EGDI first ({country} "
              "highlighted)").format(year=year, group=e(p["peer_label"]), country=name)
    t = _peer_table(iso3, year)
    rows = [[i + 1, country_name(r.iso3), r.egdi, r.egdi_rank]
            for i, r in enumerate(t.itertuples())]
    own = int(t.index[t["selected"]][0])
    peers = table_html(["#", _("Country"), "EGDI", _("Rank")], rows, highlight=own)
    code, label, _peers = peers_of(iso3, year)
    fig_rows = [[indicator_plain(c), p[c], p["peer_mean"][c], p["world_mean"][c]]
                for c in SHOWN]
    peers_mean = peers_mean_label(code, label)
    figs = table_html([_("Indicator"), p["name"], peers_mean, _("World mean")], fig_rows)
    tr = _trend(iso3, code)
    trend_rows = [[r.year, r.egdi, r.peer_mean, r.world_mean] for r in tr.itertuples()]
    figs += ("<p>" + _("<b>EGDI in every edition</b> (peers: {group}, as the group was in "
                       "each edition)").format(group=e(p["peer_label"])) + "</p>"
             ) + table_html([_("Edition"), p["name"], peers_mean, _("World mean")], trend_rows)
    return summary, title, peers, figs


__all__ = ["CountryExplorer", "CountryExplorerModel", "CountryView", "country_name",
           "country_options", "edition", "edition_table", "peer_means", "peers_of",
           "resolve_country", "survey_row", "world_means"]
