"""World map (submodule 1.1): where the LDCs, LLDCs and SIDS are, and how e-government
stands around the world.

Two views of one Survey edition: the three country groups (countries in two groups have a
colour of their own) or the EGDI level (very high, high, middle, low). The learner's country
is outlined, and a line under the map says its groups, region and EGDI level that edition.
The map is drawn offline by :mod:`digit4sd_widgets.data.geo`; the counts behind it are one click
away. The saved answer is only the selection: everything shown is computed from the data.

>>> m = WorldMapModel(country="Nepal", year=2024)
>>> m.category()
'LDC and LLDC'
>>> m.with_mode("egdi_level").to_dict()
{'mode': 'egdi_level', 'year': 2024, 'country': 'NPL'}
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from .. import charts, data
from ..data import geo
from ..workbook import Workbook
from ._base import (
    DEFAULT_COUNTRY,
    Block,
    Completeness,
    ExerciseModel,
    ValidationError,
    case_country,
    choice,
    html_table,
    mapping,
    message_label,
    scroll_region,
    show_message,
)
from ._country import (
    CountryView,
    country_name,
    country_options,
    edition,
    edition_table,
    resolve_country,
)

MODES: tuple[str, ...] = ("groups", "egdi_level")
MODE_LABELS = {"groups": "Country groups", "egdi_level": "EGDI level"}
GROUP_SHORT = {"ldc": "LDC", "lldc": "LLDC", "sids": "SIDS"}
GROUP_ONE = {
    "ldc": "a least developed country (LDC)",
    "lldc": "a landlocked developing country (LLDC)",
    "sids": "a small island developing State (SIDS)",
}
NONE_OF_THEM = "none of the three"
# one colour per combination of groups (colour-blind-safe); countries in no group are pale
GROUP_PALETTE: dict[str, str] = {
    "LDC only": "#e69f00",
    "LLDC only": "#56b4e9",
    "SIDS only": "#009e73",
    "LDC and LLDC": "#cc79a7",
    "LDC and SIDS": "#d55e00",
    NONE_OF_THEM: "#efe7d4",
}
LEVEL_PALETTE: dict[str, str] = {
    "very high": "#084081",
    "high": "#2b8cbe",
    "middle": "#7bccc4",
    "low": "#d4eecb",
}
MAP_WIDTH = f"{int(geo.WIDTH_IN * geo.DPI)}px"


def group_category(groups: list[str] | tuple[str, ...]) -> str:
    """The map category of a set of group codes.

    >>> group_category(["ldc", "lldc"]), group_category(["sids"]), group_category([])
    ('LDC and LLDC', 'SIDS only', 'none of the three')
    """
    names = [GROUP_SHORT[g] for g in data.GROUPS if g in groups]
    if not names:
        return NONE_OF_THEM
    return f"{names[0]} only" if len(names) == 1 else " and ".join(names)


def _level(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


# ============================================================================ data
@lru_cache(maxsize=len(data.EDITIONS))
def _rows(year: int) -> tuple[tuple[str, tuple[str, ...], str | None, str, str], ...]:
    """(iso3, groups, EGDI level, region, sub-region) of every Member State in an edition."""
    t = edition_table(year)
    flags = zip(*(t[g].astype(bool).tolist() for g in data.GROUPS), strict=True)
    return tuple(
        (str(iso3), tuple(g for g, on in zip(data.GROUPS, row, strict=True) if on),
         _level(level), str(region), str(subregion))
        for iso3, row, level, region, subregion in zip(
            t.index, flags, t["egdi_level"].tolist(), t["region"].tolist(),
            t["subregion"].tolist(), strict=True))


@lru_cache(maxsize=2 * len(data.EDITIONS))
def _categories(mode: str, year: int) -> tuple[tuple[str, str | None], ...]:
    """(iso3, category) of every Member State; None where there is no figure."""
    if mode == "groups":
        return tuple((iso3, group_category(groups)) for iso3, groups, *_ in _rows(year))
    return tuple((iso3, level) for iso3, _, level, *_ in _rows(year))


def palette(mode: str) -> dict[str, str]:
    return dict(GROUP_PALETTE if mode == "groups" else LEVEL_PALETTE)


def map_title(mode: str, year: int) -> str:
    if mode == "groups":
        return f"LDCs, LLDCs and SIDS in the {year} Survey"
    return f"EGDI level of each country in the {year} Survey"


@lru_cache(maxsize=48)
def _map_png(mode: str, year: int, country: str | None) -> bytes:
    """The map of one (mode, edition). The map itself is drawn once and kept by the map
    canvas; each country's version only adds its outline to a copy."""
    return geo.draw_map(dict(_categories(mode, year)), kind="category", palette=palette(mode),
                        title=map_title(mode, year), highlight=country)


# ============================================================================ model
class WorldMapModel(ExerciseModel):
    """The learner's selection: what the map shows, the edition and their country.

    >>> m = WorldMapModel().with_year(2014).with_country("Fiji")
    >>> m.profile()["groups"], m.category(), m.map_png()[:4] == b"\\x89PNG"
    (['sids'], 'SIDS only', True)
    """

    kind: ClassVar[str] = "world_map"
    title: ClassVar[str] = "World map of the country groups"
    submodule: ClassVar[str] = "1.1"

    def __init__(self, mode: Any = "groups", year: Any = data.LATEST_EDITION,
                 country: Any = DEFAULT_COUNTRY):
        self.mode = choice(mode, "What the map shows", MODES, field="mode")
        self.year = edition(year)
        self.country = resolve_country(country)

    # -- changes (each returns a new model or raises ValidationError)
    def with_mode(self, mode: Any) -> WorldMapModel:
        return WorldMapModel(mode, self.year, self.country)

    def with_year(self, year: Any) -> WorldMapModel:
        return WorldMapModel(self.mode, year, self.country)

    def with_country(self, country: Any) -> WorldMapModel:
        return WorldMapModel(self.mode, self.year, country)

    # -- reading
    @property
    def name(self) -> str:
        return country_name(self.country)

    def categories(self) -> dict[str, str | None]:
        """ISO3 -> category on the map (None: no EGDI level that edition)."""
        return dict(_categories(self.mode, self.year))

    def category(self) -> str | None:
        """The chosen country's category on the map."""
        return self.categories()[self.country]

    def counts(self) -> list[tuple[str, int]]:
        """How many Member States are in each category (legend order), "no data" last when
        any country lacks a figure."""
        values = list(self.categories().values())
        # no country is both an LLDC and a SIDS, but should one be, it is counted too
        extra = sorted({v for v in values if v is not None} - set(palette(self.mode)))
        rows = [(cat, values.count(cat)) for cat in [*palette(self.mode), *extra]]
        missing = sum(v is None for v in values)
        if missing:
            rows.append((geo.NO_DATA, missing))
        return rows

    def profile(self) -> dict[str, Any]:
        """The chosen country that edition: ``name``, ``groups`` (codes), ``egdi_level``
        (None if not computed), ``region`` and ``subregion``."""
        for iso3, groups, level, region, subregion in _rows(self.year):
            if iso3 == self.country:
                return {"country": iso3, "name": self.name, "groups": list(groups),
                        "egdi_level": level, "region": region, "subregion": subregion}
        raise ValidationError(f"There are no figures for {self.name} in {self.year}.",
                              "country")  # pragma: no cover (all 193 are in every edition)

    def summary(self) -> str:
        """One plain sentence on the chosen country (text, not HTML)."""
        p = self.profile()
        groups = [GROUP_ONE[g] for g in p["groups"]]
        if not groups:
            in_groups = "is in none of the three groups (LDC, LLDC, SIDS)"
        else:
            in_groups = "is " + " and ".join(groups)
        level = (f"EGDI level: {p['egdi_level']}" if p["egdi_level"] is not None
                 else "no EGDI was computed for it that year")
        return (f"In {self.year}, {p['name']} {in_groups}. Region: {p['region']} "
                f"({p['subregion']}); {level}.")

    def members(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """For each group the chosen country is in that edition: the group's name and its
        members as (name, groups, EGDI level), sorted by name."""
        out = []
        rows = _rows(self.year)
        for g in self.profile()["groups"]:
            people = sorted(
                ((country_name(iso3), ", ".join(GROUP_SHORT[x] for x in groups),
                  level or "–") for iso3, groups, level, *_ in rows if g in groups),
                key=lambda r: r[0].casefold())
            out.append((data.GROUP_NAMES[g], people))
        return out

    def map_png(self, highlight: bool = True) -> bytes:
        return _map_png(self.mode, self.year, self.country if highlight else None)

    def map_words(self) -> tuple[str, list[str], list[list[str]]]:
        """What the map shows, for a screen reader: (alternative text, table columns, table
        rows). The table counts the countries per category and marks the chosen one's."""
        own = self.category() or geo.NO_DATA
        counts = self.counts()
        total = sum(n for _, n in counts)
        if self.mode == "groups":
            what = f"World map of the LDCs, LLDCs and SIDS, {self.year}"
            groups = [GROUP_ONE[g] for g in self.profile()["groups"]]
            where = (f"{self.name} is " + " and ".join(groups) if groups
                     else f"{self.name} is in none of the three groups")
        else:
            what = f"World map of EGDI levels, {self.year}"
            where = (f"{self.name} has no EGDI level that year" if own == geo.NO_DATA
                     else f"{self.name} is in the {own} EGDI level")
        spread = "; ".join(f"{cat}: {n}" for cat, n in counts)
        alt = (f"{what}, {self.name} outlined. {where}. Countries per category, of "
               f"{total}: {spread}.")
        rows = [[cat, str(n), self.name if cat == own else ""] for cat, n in counts]
        return alt, ["Category", "Countries", "Your country"], rows

    def completeness(self) -> Completeness:
        # nothing to write: looking at the map for one's own country is the exercise
        return Completeness(1, 1, [])

    def report(self) -> list[Block]:
        p = self.profile()
        groups = ", ".join(data.GROUP_NAMES[g] for g in p["groups"]) or (
            "none of LDC, LLDC, SIDS")
        blocks = [
            Block("fields", "Your country on the map", items=[
                ("Country", f"{p['name']} ({p['country']})"), ("Edition", str(self.year)),
                ("Map shows", MODE_LABELS[self.mode]), ("Groups that edition", groups),
                ("Region", f"{p['region']} ({p['subregion']})"),
                ("EGDI level", p["egdi_level"] or "not computed that year")]),
            Block("image", map_title(self.mode, self.year), png=self.map_png(),
                  alt=self.map_words()[0]),
            Block("table", f"Countries per category, {self.year}",
                  columns=["Category", "Countries"],
                  rows=[[cat, str(n)] for cat, n in self.counts()]),
        ]
        for group, people in self.members():
            blocks.append(Block("table", f"{group} in {self.year} ({len(people)})",
                                columns=["Country", "Groups", "EGDI level"],
                                rows=[list(r) for r in people]))
        blocks.append(Block("note", "About the map", text=geo.default_note()))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "year": self.year, "country": self.country}

    @classmethod
    def from_dict(cls, data_: Any) -> WorldMapModel:
        d = mapping(data_, "A world map answer")
        return cls(d.get("mode", "groups"), d.get("year", data.LATEST_EDITION),
                   d.get("country", DEFAULT_COUNTRY))

    @classmethod
    def starter(cls, workbook: Workbook) -> WorldMapModel:
        try:
            return cls(country=case_country(workbook))
        except ValidationError:
            return cls()


# ============================================================================ view
def counts_html(model: WorldMapModel) -> str:
    """The numbers behind the map and the chosen country's groups (all text escaped)."""
    e = html.escape
    parts = [f"<p><b>Countries per category in {model.year}</b> "
             f"({e(MODE_LABELS[model.mode])})</p>",
             html_table(["Category", "Countries"], model.counts())]
    members = model.members()
    if not members:
        parts.append(f"<p>{e(model.name)} is in none of the three groups in "
                     f"{model.year}.</p>")
    for group, people in members:
        parts.append(f"<p><b>{e(group)} in {model.year}</b>: {len(people)} countries "
                     f"({e(model.name)} is one of them)</p>")
        parts.append(html_table(["Country", "Groups", "EGDI level"], people))
    return "".join(parts)


def legend_html(mode: str) -> str:
    """A short key in words under the map."""
    if mode == "groups":
        return ("<div class='d4-hint' style='font-size:12px;color:#37474f'>Each colour is a "
                "group or a pair of groups a country belongs to that year. Pale: in none of "
                "the three. Grey: no data (places that are not UN Member States).</div>")
    return ("<div class='d4-hint' style='font-size:12px;color:#37474f'>EGDI levels: very high "
            "(above 0.75), high (0.50 to 0.75), middle (0.25 to 0.50), low (below 0.25). Grey: "
            "no EGDI that year, or not a UN Member State.</div>")


class WorldMap(CountryView):
    """World map: the country groups or the EGDI levels of one edition, the learner's
    country outlined.

    >>> view = WorldMap(country="NPL", workbook=Workbook.in_memory())
    >>> view.mode.value = "egdi_level"
    >>> view.model.to_dict()
    {'mode': 'egdi_level', 'year': 2024, 'country': 'NPL'}
    """

    model_class = WorldMapModel
    model: WorldMapModel

    def __init__(self, country: str | None = None, *, mode: str | None = None, **kwargs: Any):
        """``mode`` ("groups" or "egdi_level") is where a map with no saved answer starts;
        a saved answer keeps the learner's own choice."""
        self._asked_mode = mode
        super().__init__(country, **kwargs)

    def _load_model(self) -> ExerciseModel:
        model = super()._load_model()
        if self._asked_mode is not None and self.workbook.get(self.key) is None:
            try:
                model = model.with_mode(self._asked_mode)
            except ValidationError as exc:
                self._start_problem = str(exc)
        return model

    def _build(self) -> list[widgets.Widget]:
        style = {"description_width": "70px"}
        self.mode = widgets.ToggleButtons(
            options=[(MODE_LABELS[m], m) for m in MODES], value=self.model.mode,
            tooltips=["LDC, LLDC and SIDS", "Very high, high, middle or low EGDI"])
        self.edition = widgets.Dropdown(description="Edition", options=list(data.EDITIONS),
                                        value=self.model.year, style=style,
                                        layout=widgets.Layout(width="170px"))
        self.country = widgets.Dropdown(description="Country", options=country_options(),
                                        value=self.model.country, style=style)
        self.country_message = message_label()
        self.map = charts.Chart(width=MAP_WIDTH)
        self.caption = widgets.HTML()
        self.key_text = widgets.HTML()
        self.figures = widgets.HTML()
        self.figures_box = widgets.Accordion(children=[self.figures],
                                             titles=("Show the numbers",))
        self.figures_box.selected_index = None

        self.mode.observe(self._guard(self._pick_mode, self.country_message), names="value")
        self.edition.observe(self._guard(self._pick_year, self.country_message),
                             names="value")
        self.country.observe(self._guard(self._pick_country, self.country_message),
                             names="value")
        return [self.mode, widgets.HBox([self.country, self.edition]), self.country_message,
                self.map, self.caption, self.key_text, self.figures_box]

    # -- callbacks
    def _pick_mode(self, change: dict[str, Any]) -> None:
        if not self._syncing and change["new"] != self.model.mode:
            self.commit(self.model.with_mode(change["new"]))

    def _pick_year(self, change: dict[str, Any]) -> None:
        if not self._syncing and change["new"] != self.model.year:
            self.commit(self.model.with_year(change["new"]))

    def _pick_country(self, change: dict[str, Any]) -> None:
        if not self._syncing and change["new"] != self.model.country:
            self.commit(self.model.with_country(change["new"]))
            if not self.workbook.country:
                # the map asks for the learner's own country: the course follows it from here
                # (3.1 may change it; a country already chosen is never replaced)
                self.workbook.set_case(country=self.model.country)
                show_message(self.status, f"Saved. Your case country is now "
                             f"{country_name(self.model.country)}: the next exercises "
                             "start from it.", "ok")

    # -- display
    def refresh(self) -> None:
        m = self.model
        self._set(self.mode, m.mode)
        self._set(self.edition, m.year)
        self._set(self.country, m.country)
        self.map.show(m.map_png(), *m.map_words())
        self.caption.value = (f"<div class='d4-caption' style='font-size:14px'>"
                              f"{html.escape(m.summary())}</div>")
        self.key_text.value = legend_html(m.mode)
        self.figures.value = scroll_region(counts_html(m), "The numbers of the map")


__all__ = ["GROUP_PALETTE", "LEVEL_PALETTE", "MODES", "WorldMap", "WorldMapModel",
           "group_category"]
