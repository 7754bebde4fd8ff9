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
from ..i18n import N_, SOURCE, _, get_language, number
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
    semicolons,
    show_message,
)
from ._country import (
    CountryView,
    _plain,
    country_name,
    country_options,
    edition,
    edition_table,
    group_name,
    level_name,
    region_name,
    resolve_country,
)
from ._country import short_group as _short_group

MODES: tuple[str, ...] = ("groups", "egdi_level")
MODE_LABELS = {"groups": N_("Country groups"), "egdi_level": N_("EGDI level")}
GROUP_SHORT = {"ldc": "LDC", "lldc": "LLDC", "sids": "SIDS"}
GROUP_ONE = {
    "ldc": N_("a least developed country (LDC)"),
    "lldc": N_("a landlocked developing country (LLDC)"),
    "sids": N_("a small island developing State (SIDS)"),
}
NONE_OF_THEM = "none of the three"
#: the map's categories (English: the keys of the palettes and the counts) as shown
CATEGORY_WORDS = {
    "LDC only": N_("LDC only"), "LLDC only": N_("LLDC only"), "SIDS only": N_("SIDS only"),
    "LDC and LLDC": N_("LDC and LLDC"), "LDC and SIDS": N_("LDC and SIDS"),
    "LLDC and SIDS": N_("LLDC and SIDS"), NONE_OF_THEM: N_("none of the three"),
}
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


def category_name(category: str | None) -> str:
    """A category of the map (a group combination, an EGDI level or "no data") in the
    reader's words."""
    if category is None or category == geo.NO_DATA:
        return _("no data")
    if category in CATEGORY_WORDS:
        return _(CATEGORY_WORDS[category])
    return level_name(category)


def _groups_short(groups: tuple[str, ...] | list[str]) -> str:
    return ", ".join(_short_group(g, "") for g in groups)


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
    return tuple((iso3, level) for iso3, _groups, level, *_rest in _rows(year))


def palette(mode: str) -> dict[str, str]:
    return dict(GROUP_PALETTE if mode == "groups" else LEVEL_PALETTE)


def map_title(mode: str, year: int) -> str:
    if mode == "groups":
        return _("LDCs, LLDCs and SIDS in the {year} Survey").format(year=year)
    return _("EGDI level of each country in the {year} Survey").format(year=year)


def _map_png(mode: str, year: int, country: str | None) -> bytes:
    return _map_png_in(mode, year, country, get_language())


@lru_cache(maxsize=48)
def _map_png_in(mode: str, year: int, country: str | None, lang: str) -> bytes:
    """The map of one (mode, edition), its title and legend in ``lang``. The map itself is
    drawn once and kept by the map canvas; each country's version only adds its outline to
    a copy."""
    values = {iso3: None if cat is None else category_name(cat)
              for iso3, cat in _categories(mode, year)}
    shown = {category_name(cat): colour for cat, colour in palette(mode).items()}
    return geo.draw_map(values, kind="category", palette=shown, title=map_title(mode, year),
                        highlight=country)


# ============================================================================ model
class WorldMapModel(ExerciseModel):
    """The learner's selection: what the map shows, the edition and their country.

    >>> m = WorldMapModel().with_year(2014).with_country("Fiji")
    >>> m.profile()["groups"], m.category(), m.map_png()[:4] == b"\\x89PNG"
    (['sids'], 'SIDS only', True)
    """

    kind: ClassVar[str] = "world_map"
    title: ClassVar[str] = N_("World map of the country groups")
    submodule: ClassVar[str] = "1.1"

    def __init__(self, mode: Any = "groups", year: Any = data.LATEST_EDITION,
                 country: Any = DEFAULT_COUNTRY):
        self.mode = choice(mode, _("What the map shows"), MODES, field="mode")
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
        raise ValidationError(_("There are no figures for {country} in {year}.").format(
            country=self.name, year=self.year),
            "country")  # pragma: no cover (all 193 are in every edition)

    def summary(self) -> str:
        """One plain sentence on the chosen country (text, not HTML)."""
        p = self.profile()
        groups = [_(GROUP_ONE[g]) for g in p["groups"]]
        if not groups:
            first = _("In {year}, {country} is in none of the three groups (LDC, LLDC, "
                      "SIDS).").format(year=self.year, country=p["name"])
        elif len(groups) == 1:
            first = _("In {year}, {country} is {group}.").format(
                year=self.year, country=p["name"], group=groups[0])
        else:
            first = _("In {year}, {country} is {group} and {other_group}.").format(
                year=self.year, country=p["name"], group=groups[0],
                other_group=" ".join(groups[1:]))
        region = _("Region: {region} ({subregion})").format(
            region=region_name(p["region"]), subregion=region_name(p["subregion"]))
        if p["egdi_level"] is not None:
            level = _("EGDI level: {level}").format(level=level_name(p["egdi_level"]))
        else:
            level = _("no EGDI was computed for it that year")
        return _("{sentence} {region}; {level}.").format(sentence=first, region=region,
                                                          level=level)

    def members(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """For each group the chosen country is in that edition: the group's name and its
        members as (name, groups, EGDI level), sorted by name."""
        out = []
        rows = _rows(self.year)
        for g in self.profile()["groups"]:
            people = sorted(
                ((country_name(iso3), _groups_short(groups), level_name(level))
                 for iso3, groups, level, *_rest in rows if g in groups),
                key=lambda r: r[0].casefold() if get_language() == SOURCE else _plain(r[0]))
            out.append((group_name(g), people))
        return out

    def map_png(self, highlight: bool = True) -> bytes:
        return _map_png(self.mode, self.year, self.country if highlight else None)

    def map_words(self) -> tuple[str, list[str], list[list[str]]]:
        """What the map shows, for a screen reader: (alternative text, table columns, table
        rows). The table counts the countries per category and marks the chosen one's."""
        own = self.category() or geo.NO_DATA
        counts = self.counts()
        total = sum(n for _cat, n in counts)
        name = self.name
        if self.mode == "groups":
            what = _("World map of the LDCs, LLDCs and SIDS, {year}, {country} outlined.")
            groups = [_(GROUP_ONE[g]) for g in self.profile()["groups"]]
            if not groups:
                where = _("{country} is in none of the three groups.").format(country=name)
            elif len(groups) == 1:
                where = _("{country} is {group}.").format(country=name, group=groups[0])
            else:
                where = _("{country} is {group} and {other_group}.").format(
                    country=name, group=groups[0], other_group=" ".join(groups[1:]))
        else:
            what = _("World map of EGDI levels, {year}, {country} outlined.")
            where = (_("{country} has no EGDI level that year.").format(country=name)
                     if own == geo.NO_DATA else
                     _("{country} is in the EGDI level: {level}.").format(
                         country=name, level=level_name(own)))
        spread = semicolons(_("{category}: {count}").format(category=category_name(cat),
                                                           count=n) for cat, n in counts)
        alt = " ".join([what.format(year=self.year, country=name), where,
                        _("Countries per category, of {total}: {spread}.").format(
                            total=total, spread=spread)])
        rows = [[category_name(cat), str(n), name if cat == own else ""] for cat, n in counts]
        return alt, [_("Category"), _("Countries"), _("Your country")], rows

    def completeness(self) -> Completeness:
        # nothing to write: looking at the map for one's own country is the exercise
        return Completeness(1, 1, [])

    def report(self) -> list[Block]:
        p = self.profile()
        groups = ", ".join(group_name(g) for g in p["groups"]) or _("none of LDC, LLDC, SIDS")
        level = (level_name(p["egdi_level"]) if p["egdi_level"] is not None
                 else _("not computed that year"))
        blocks = [
            Block("fields", _("Your country on the map"), items=[
                (_("Country"), f"{p['name']} ({p['country']})"),
                (_("Edition"), str(self.year)),
                (_("Map shows"), _(MODE_LABELS[self.mode])),
                (_("Groups that edition"), groups),
                (_("Region"), f"{region_name(p['region'])} ({region_name(p['subregion'])})"),
                (_("EGDI level"), level)]),
            Block("image", map_title(self.mode, self.year), png=self.map_png(),
                  alt=self.map_words()[0]),
            Block("table", _("Countries per category, {year}").format(year=self.year),
                  columns=[_("Category"), _("Countries")],
                  rows=[[category_name(cat), str(n)] for cat, n in self.counts()]),
        ]
        for group, people in self.members():
            blocks.append(Block("table", _("{group} in {year} ({count})").format(
                                    group=group, year=self.year, count=len(people)),
                                columns=[_("Country"), _("Groups"), _("EGDI level")],
                                rows=[list(r) for r in people]))
        blocks.append(Block("note", _("About the map"), text=geo.default_note()))
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "year": self.year, "country": self.country}

    @classmethod
    def from_dict(cls, data_: Any) -> WorldMapModel:
        d = mapping(data_, _("A world map answer"))
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
    heading = _("Countries per category in {year}").format(year=model.year)
    parts = [f"<p><b>{e(heading)}</b> ({e(_(MODE_LABELS[model.mode]))})</p>",
             html_table([_("Category"), _("Countries")],
                        [(category_name(cat), n) for cat, n in model.counts()])]
    members = model.members()
    if not members:
        parts.append("<p>" + e(_("{country} is in none of the three groups in {year}.").format(
            country=model.name, year=model.year)) + "</p>")
    for group, people in members:
        parts.append("<p><b>" + e(_("{group} in {year}").format(group=group, year=model.year))
                     + "</b>: " + e(_("{count} countries ({country} is one of them)").format(
                         count=len(people), country=model.name)) + "</p>")
        parts.append(html_table([_("Country"), _("Groups"), _("EGDI level")], people))
    return "".join(parts)


def legend_html(mode: str) -> str:
    """A short key in words under the map."""
    style = "<div class='d4-hint' style='font-size:12px;color:#37474f'>"
    if mode == "groups":
        return style + html.escape(_(
            "Each colour is a group or a pair of groups a country belongs to that year. "
            "Pale: in none of the three. Grey: no data (places that are not UN Member "
            "States).")) + "</div>"
    return style + html.escape(_(
        "EGDI levels: very high (above {very_high}), high ({high} to {very_high}), middle "
        "({middle} to {high}), low (below {middle}). Grey: no EGDI that year, or not a UN "
        "Member State.").format(very_high=number(0.75, 2), high=number(0.5, 2),
                                middle=number(0.25, 2))) + "</div>"


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
            options=[(_(MODE_LABELS[m]), m) for m in MODES], value=self.model.mode,
            tooltips=[_("LDC, LLDC and SIDS"), _("Very high, high, middle or low EGDI")])
        self.edition = widgets.Dropdown(description=_("Edition"), options=list(data.EDITIONS),
                                        value=self.model.year, style=style,
                                        layout=widgets.Layout(width="170px"))
        self.country = widgets.Dropdown(description=_("Country"), options=country_options(),
                                        value=self.model.country, style=style)
        self.country_message = message_label()
        self.map = charts.Chart(width=MAP_WIDTH)
        self.caption = widgets.HTML()
        self.key_text = widgets.HTML()
        self.figures = widgets.HTML()
        self.figures_box = widgets.Accordion(children=[self.figures],
                                             titles=(_("Show the numbers"),))
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
                show_message(self.status, _("Saved. Your case country is now {country}: the "
                                            "next exercises start from it.").format(
                    country=country_name(self.model.country)), "ok")

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
        self.figures.value = scroll_region(counts_html(m), _("The numbers of the map"))


__all__ = ["GROUP_PALETTE", "LEVEL_PALETTE", "MODES", "WorldMap", "WorldMapModel",
           "group_category"]
