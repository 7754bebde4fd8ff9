"""Trajectories (submodule 6.1): case studies in the data. How did the EGDI (or one of its
components, or the E-Participation Index) of a few countries move across all Survey editions?

The comparison starts with Bangladesh and Ethiopia, the two countries of the project behind
the toolkit, the learner's case country if there is one, and the Republic of Korea for
contrast. The learner adds or removes countries (at most six), reads the chart and the
figures, and writes down the lessons. For each country the exercise computes:

- the change from its first edition with a value to its latest edition with a value;
- its rank in those two editions (for the EGDI the published rank; for the other indices
  the place among the countries with a value that edition, highest first) and the change in
  rank (positive: it moved up);
- the biggest jump: the largest change, up or down, between two consecutive editions that
  both have a value.

Only the choice (indicator, countries) and the lessons are saved; every figure is computed.

>>> m = TrajectoryComparisonModel(countries=["BGD", "ETH"])
>>> round(float(m.table().loc[2024, "BGD"]), 4)
0.657
>>> c = m.changes().set_index("iso3")
>>> int(c.loc["BGD", "first_year"]), int(c.loc["BGD", "rank_change"])
(2003, 59)
"""

from __future__ import annotations

import html
import math
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from .. import charts, data
from ..data import analysis
from ..i18n import N_, _, get_language, pgettext
from ..workbook import Workbook
from ._base import (
    MAX_TEXT,
    Block,
    Completeness,
    ExerciseModel,
    ValidationError,
    case_country,
    choice,
    mapping,
    message_label,
    semicolons,
    sequence,
    show_message,
    text,
)
from ._country import (
    INDICATOR_LABELS,
    SHOWN,
    CountryView,
    country_name,
    country_options,
    edition_table,
    fmt,
    indicator_plain,
    resolve_country,
    signed,
    table_html,
)

DEFAULT_COUNTRIES: tuple[str, ...] = ("BGD", "ETH")  # the project's two countries
CONTRAST = "KOR"  # a developed country for contrast
MAX_COUNTRIES = 6
INDICATORS: tuple[str, ...] = SHOWN  # egdi, osi, hci, tii, epi
CHANGE_COLUMNS = ["iso3", "country", "first_year", "first_value", "latest_year",
                  "latest_value", "change", "first_rank", "latest_rank", "rank_change",
                  "jump_from", "jump_to", "biggest_jump"]


# ============================================================================ computations
@lru_cache(maxsize=len(INDICATORS) * 200)
def _values(iso3: str, indicator: str) -> tuple[float, ...]:
    """The indicator of a country in every edition, NaN where missing."""
    s = analysis.indicator_series(iso3, indicator)
    return tuple(float(s.get(y, math.nan)) for y in data.EDITIONS)


@lru_cache(maxsize=len(INDICATORS) * len(data.EDITIONS))
def _ranks(indicator: str, year: int) -> dict[str, int]:
    """Rank of every country with a value in an edition: the published EGDI rank, or for the
    other indices the place by value, highest first (ties share the better place)."""
    ed = edition_table(year)
    if indicator == "egdi":
        ranks = ed["egdi_rank"].dropna()
    else:
        ranks = ed[indicator].dropna().rank(ascending=False, method="min")
    return {str(k): int(v) for k, v in ranks.items()}


def _change(iso3: str, indicator: str) -> tuple[Any, ...]:
    return _change_in(iso3, indicator, get_language())


@lru_cache(maxsize=512)
def _change_in(iso3: str, indicator: str, lang: str) -> tuple[Any, ...]:
    """The figures of one row of :meth:`TrajectoryComparisonModel.changes`, the country's
    name in ``lang``."""
    values = _values(iso3, indicator)
    have = [(y, v) for y, v in zip(data.EDITIONS, values, strict=True) if not math.isnan(v)]
    row: dict[str, Any] = dict.fromkeys(CHANGE_COLUMNS)
    row.update(iso3=iso3, country=country_name(iso3))
    if have:
        (y0, v0), (y1, v1) = have[0], have[-1]
        r0, r1 = _ranks(indicator, y0).get(iso3), _ranks(indicator, y1).get(iso3)
        row.update(first_year=y0, first_value=v0, latest_year=y1, latest_value=v1,
                   change=v1 - v0, first_rank=r0, latest_rank=r1,
                   rank_change=None if r0 is None or r1 is None else r0 - r1)
    jumps = [(b - a, y_a, y_b) for (y_a, a), (y_b, b)
             in zip(zip(data.EDITIONS, values, strict=True),
                    zip(data.EDITIONS[1:], values[1:], strict=True), strict=False)
             if not (math.isnan(a) or math.isnan(b))]
    if jumps:
        jump, y_a, y_b = max(jumps, key=lambda j: abs(j[0]))
        row.update(jump_from=y_a, jump_to=y_b, biggest_jump=jump)
    return tuple(row[c] for c in CHANGE_COLUMNS)


def _series(countries: tuple[str, ...], indicator: str
            ) -> dict[str, tuple[list[int], list[float]]]:
    return {country_name(c): (list(data.EDITIONS), list(_values(c, indicator)))
            for c in countries}


def _title(indicator: str) -> str:
    return _("{indicator} in every Survey edition").format(indicator=indicator_plain(indicator))


def _chart_png(countries: tuple[str, ...], indicator: str) -> bytes:
    return _chart_png_in(countries, indicator, get_language())


@lru_cache(maxsize=64)
def _chart_png_in(countries: tuple[str, ...], indicator: str, lang: str) -> bytes:
    return charts.line_chart(_series(countries, indicator), title=_title(indicator),
                             ylim=(0, 1))


def trajectory_chart() -> charts.LineChart:
    """The chart a view keeps and redraws."""
    return charts.LineChart(xlim=(2002, 2025), ylim=(0, 1),
                            xticks=[2003, 2008, 2012, 2016, 2020, 2024])


def jump_text(row: dict[str, Any]) -> str:
    """``"+0.1040 (2016 to 2018)"`` or ``–``."""
    if row["biggest_jump"] is None:
        return "–"
    return _("{change} ({start} to {end})").format(change=signed(row["biggest_jump"], 4),
                                                  start=row["jump_from"], end=row["jump_to"])


def rank_text(row: dict[str, Any]) -> str:
    """``"159 to 100 (up 59)"``."""
    r0, r1, dr = row["first_rank"], row["latest_rank"], row["rank_change"]
    if dr is None:
        return "–"
    if dr == 0:
        return _("{first} to {latest} (no change)").format(first=r0, latest=r1)
    if dr > 0:
        return _("{first} to {latest} (up {places})").format(first=r0, latest=r1, places=dr)
    return _("{first} to {latest} (down {places})").format(first=r0, latest=r1, places=-dr)


def summary_sentence(row: dict[str, Any], indicator: str) -> str:
    """One plain sentence per country."""
    label = INDICATOR_LABELS[indicator]
    if row["change"] is None:
        return _("{country}: no {indicator} figure in any edition.").format(
            country=row["country"], indicator=label)
    figures = dict(country=row["country"], indicator=label, start=row["first_year"],
                   end=row["latest_year"], first=fmt(row["first_value"], 2),
                   latest=fmt(row["latest_value"], 2), amount=fmt(abs(row["change"]), 2))
    if row["change"] > 0.0005:
        out = _("{country}: {indicator} rose by {amount} from {start} to {end} ({first} to "
                "{latest})").format(**figures)
    elif row["change"] < -0.0005:
        out = _("{country}: {indicator} fell by {amount} from {start} to {end} ({first} to "
                "{latest})").format(**figures)
    else:
        out = _("{country}: {indicator} stayed about level from {start} to {end} ({first} "
                "to {latest})").format(**figures)
    if row["rank_change"] is not None:
        out += _("; rank {ranks}").format(ranks=rank_text(row))
    if row["biggest_jump"] is not None:
        out += _("; biggest jump {jump}").format(jump=jump_text(row))
    return out + "."


# ============================================================================ model
class TrajectoryComparisonModel(ExerciseModel):
    """An indicator, up to six countries and the learner's lessons; figures are computed.

    >>> m = TrajectoryComparisonModel().with_added("Denmark").with_indicator("osi")
    >>> m.to_dict()
    {'indicator': 'osi', 'countries': ['BGD', 'ETH', 'KOR', 'DNK'], 'lessons': ''}
    >>> list(m.table().columns), len(m.table())
    (['BGD', 'ETH', 'KOR', 'DNK'], 12)
    """

    kind: ClassVar[str] = "trajectories"
    title: ClassVar[str] = N_("Trajectories: case studies in the data")
    submodule: ClassVar[str] = "6.1"

    def __init__(self, indicator: Any = "egdi", countries: Any = None, lessons: Any = ""):
        self.indicator = choice(indicator, _("The indicator"), INDICATORS, field="indicator")
        given = (*DEFAULT_COUNTRIES, CONTRAST) if countries is None else countries
        items = sequence(given, _("Countries"), max_len=50)
        codes = [resolve_country(c) for c in items]
        if not codes:
            raise ValidationError(_("Compare at least one country."), "countries")
        if len(set(codes)) != len(codes):
            dup = next(c for c in codes if codes.count(c) > 1)
            raise ValidationError(_("{country} is in the list twice.").format(
                country=country_name(dup)), "countries")
        if len(codes) > MAX_COUNTRIES:
            raise ValidationError(_("Compare at most {count} countries: the chart gets hard "
                                    "to read with more.").format(count=MAX_COUNTRIES),
                                  "countries")
        self.countries: tuple[str, ...] = tuple(codes)
        self.lessons = text(lessons, _("Your lessons"), max_len=MAX_TEXT, field="lessons")

    # -- changes (each returns a new model or raises ValidationError)
    def _with(self, **changes: Any) -> TrajectoryComparisonModel:
        fields = {"indicator": self.indicator, "countries": self.countries,
                  "lessons": self.lessons}
        fields.update(changes)
        return TrajectoryComparisonModel(**fields)

    def with_indicator(self, indicator: Any) -> TrajectoryComparisonModel:
        return self._with(indicator=indicator)

    def with_added(self, country: Any) -> TrajectoryComparisonModel:
        code = resolve_country(country)
        if code in self.countries:
            raise ValidationError(_("{country} is already in the comparison.").format(
                country=country_name(code)), "countries")
        if len(self.countries) >= MAX_COUNTRIES:
            raise ValidationError(_("You already compare {count} countries: remove one to add "
                                    "{country}.").format(count=MAX_COUNTRIES,
                                                         country=country_name(code)),
                                  "countries")
        return self._with(countries=(*self.countries, code))

    def without(self, country: Any) -> TrajectoryComparisonModel:
        code = resolve_country(country)
        if code not in self.countries:
            raise ValidationError(_("{country} is not in the comparison.").format(
                country=country_name(code)), "countries")
        if len(self.countries) == 1:
            raise ValidationError(_("Keep at least one country: add another before removing "
                                    "this one."), "countries")
        return self._with(countries=tuple(c for c in self.countries if c != code))

    def with_country(self, country: Any) -> TrajectoryComparisonModel:
        """The same comparison with ``country`` in it (unchanged if it is there already)."""
        code = resolve_country(country)
        return self if code in self.countries else self.with_added(code)

    def with_lessons(self, lessons: Any) -> TrajectoryComparisonModel:
        return self._with(lessons=lessons)

    # -- reading
    def names(self) -> list[str]:
        return [country_name(c) for c in self.countries]

    def table(self) -> pd.DataFrame:
        """The indicator per edition: one row per edition (index ``year``, all 12), one
        column per country (ISO3 code, in the order of the comparison); NaN where the
        Survey has no figure."""
        df = pd.DataFrame({c: list(_values(c, self.indicator)) for c in self.countries},
                          index=pd.Index(list(data.EDITIONS), name="year"), dtype="float64")
        return df

    def changes(self) -> pd.DataFrame:
        """One row per country: ``iso3, country, first_year, first_value, latest_year,
        latest_value, change`` (latest minus first), ``first_rank, latest_rank,
        rank_change`` (first minus latest rank: positive means it moved up), ``jump_from,
        jump_to, biggest_jump`` (the largest change, up or down, between two consecutive
        editions that both have a value). Missing figures are None / NaN."""
        rows = [_change(c, self.indicator) for c in self.countries]
        df = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
        for col in ("first_year", "latest_year", "first_rank", "latest_rank", "rank_change",
                    "jump_from", "jump_to"):
            df[col] = df[col].astype("Int64")
        for col in ("first_value", "latest_value", "change", "biggest_jump"):
            df[col] = df[col].astype("float64")
        return df

    def change_rows(self) -> list[dict[str, Any]]:
        """:meth:`changes` as plain dicts (None where missing)."""
        return [dict(zip(CHANGE_COLUMNS, _change(c, self.indicator), strict=True))
                for c in self.countries]

    def chart_png(self) -> bytes:
        return _chart_png(self.countries, self.indicator)

    def completeness(self) -> Completeness:
        checks = {_("at least two countries to compare"): len(self.countries) >= 2,
                  _("the lessons you draw"): bool(self.lessons)}
        missing = [k for k, ok in checks.items() if not ok]
        return Completeness(len(checks) - len(missing), len(checks), missing)

    def report(self) -> list[Block]:
        rows = self.change_rows()
        label = INDICATOR_LABELS[self.indicator]
        return [
            Block("fields", _("Comparison"), items=[
                (_("Indicator"), indicator_plain(self.indicator)),
                (_("Countries"), ", ".join(self.names()))]),
            Block("image", _title(self.indicator), png=self.chart_png(),
                  alt=charts.describe_lines(_series(self.countries, self.indicator),
                                            title=_title(self.indicator))),
            Block("table", _("{indicator} per edition").format(indicator=label),
                  columns=[_("Edition"), *self.names()], rows=values_rows(self)),
            Block("table", _("Change per country"), columns=change_headers(),
                  rows=[change_cells(r) for r in rows]),
            Block("note", _("In short"), text="\n".join(summary_sentence(r, self.indicator)
                                                        for r in rows)),
            Block("note", _("Lessons"), text=self.lessons or "–"),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "countries": list(self.countries),
                "lessons": self.lessons}

    @classmethod
    def from_dict(cls, data_: Any) -> TrajectoryComparisonModel:
        d = mapping(data_, _("A trajectory comparison"))
        return cls(d.get("indicator", "egdi"), d.get("countries"), d.get("lessons", ""))

    @classmethod
    def starter(cls, workbook: Workbook) -> TrajectoryComparisonModel:
        """Bangladesh, Ethiopia, the learner's case country (if any) and the Republic of
        Korea."""
        model = cls()
        own = case_country(workbook, "")
        if own:
            try:
                codes = [*DEFAULT_COUNTRIES, resolve_country(own), CONTRAST]
                model = cls(countries=list(dict.fromkeys(codes)))
            except ValidationError:
                pass
        return model


CHANGE_HEADERS = [N_("Country"), N_("First edition"), N_("Latest edition"), "Change",
                  N_("Rank"), N_("Biggest jump")]


def change_headers() -> list[str]:
    """The headers of the change table, in the reader's language."""
    return [_("Country"), _("First edition"), _("Latest edition"),
            pgettext("a figure's change", "Change"), _("Rank"), _("Biggest jump")]


def change_cells(row: dict[str, Any]) -> list[str]:
    if row["change"] is None:
        return [row["country"], "–", "–", "–", "–", "–"]
    return [row["country"],
            _("{year}: {value}").format(year=row["first_year"], value=fmt(row["first_value"])),
            _("{year}: {value}").format(year=row["latest_year"],
                                        value=fmt(row["latest_value"])),
            signed(row["change"], 4),
            rank_text(row), jump_text(row)]


def values_rows(model: TrajectoryComparisonModel) -> list[list[str]]:
    t = model.table()
    return [[str(year), *(fmt(None if math.isnan(v) else float(v)) for v in row)]
            for year, row in zip(t.index, t.to_numpy(), strict=True)]


def _figures_html(countries: tuple[str, ...], indicator: str) -> tuple[str, str, str]:
    return _figures_html_in(countries, indicator, get_language())


@lru_cache(maxsize=128)
def _figures_html_in(countries: tuple[str, ...], indicator: str, lang: str
                     ) -> tuple[str, str, str]:
    """(sentences, change table, values table) for the page; every text escaped."""
    model = TrajectoryComparisonModel(indicator, countries)
    rows = model.change_rows()
    sentences = "".join(f"<li>{html.escape(summary_sentence(r, indicator))}</li>"
                        for r in rows)
    if indicator == "egdi":
        rank_note = _("Rank: the published EGDI rank; fewer countries were ranked in the "
                      "early editions.")
    else:
        rank_note = _("Rank: the place by {indicator} among the countries with a figure that "
                      "edition; fewer countries were ranked in the early editions.").format(
            indicator=INDICATOR_LABELS[indicator])
    jump_note = _("Biggest jump: the largest change, up or down, between two editions in a "
                  "row. The Survey's method changed a little between some editions, so read "
                  "a sudden jump as a question to ask, not a proof.")
    changes = (table_html(change_headers(), [change_cells(r) for r in rows])
               + f"<small>{html.escape(rank_note)} {html.escape(jump_note)}</small>")
    values = table_html([_("Edition"), *model.names()], values_rows(model))
    return f"<ul class='d4-sentences'>{sentences}</ul>", changes, values


# ============================================================================ view
class TrajectoryComparison(CountryView):
    """Compare the trajectories of up to six countries; write down the lessons.

    >>> view = TrajectoryComparison(workbook=Workbook.in_memory())
    >>> view.picker.value = "DNK"; view.add_button.click()
    >>> view.model.countries
    ('BGD', 'ETH', 'KOR', 'DNK')
    """

    shows_example_note = False  # it compares named countries; the learner's is added
    model_class = TrajectoryComparisonModel
    model: TrajectoryComparisonModel

    def _build(self) -> list[widgets.Widget]:
        m = self.model
        self._chart: charts.LineChart | None = None
        self._png_cache: dict[tuple[tuple[str, ...], str], bytes] = {}
        self._shown_lessons = m.lessons
        style = {"description_width": "80px"}
        self.indicator = widgets.Dropdown(
            description=_("Indicator"), value=m.indicator, style=style,
            options=[(indicator_plain(i), i) for i in INDICATORS],
            layout=widgets.Layout(width="420px"))
        self.picker = widgets.Dropdown(description=_("Country"), options=country_options(),
                                       value="DNK", style=style)
        self.add_button = widgets.Button(description=_("Add"), icon="plus",
                                         button_style="primary")
        self.listing = widgets.Select(description=_("Compared"), options=[], rows=6,
                                      style=style)
        self.remove_button = widgets.Button(description=_("Remove selected"), icon="trash")
        self.country_message = message_label()
        self.chart = charts.Chart()
        self.sentences = widgets.HTML()
        self.changes_table = widgets.HTML()
        self.values_table = widgets.HTML()
        self.figures_box = widgets.Accordion(children=[self.values_table],
                                             titles=(_("Show the figures per edition"),))
        self.figures_box.selected_index = None
        self.lessons = widgets.Textarea(
            value=m.lessons,
            placeholder=_("What do these trajectories suggest for your country?"),
            description=_("Lessons"), style=style,
            layout=widgets.Layout(width="95%", height="100px"))
        self.save_button = widgets.Button(description=_("Save"), icon="save",
                                          button_style="primary")
        self.lessons_message = message_label()
        self.progress = widgets.HTML()

        self.indicator.observe(self._guard(self._pick_indicator, self.country_message),
                               names="value")
        self.add_button.on_click(self._guard(self._add, self.country_message))
        self.remove_button.on_click(self._guard(self._remove, self.country_message))
        self.save_button.on_click(self._guard(self._save, self.lessons_message))
        return [
            widgets.HTML("<p>" + html.escape(_(
                "{first} and {second} were the two countries of the project behind this "
                "toolkit. Compare their path with your own country's and with a country near "
                "the top. A gap in a line means the Survey has no figure for that edition.")
                .format(first=country_name(DEFAULT_COUNTRIES[0]),
                        second=country_name(DEFAULT_COUNTRIES[1]))) + "</p>"),
            self.indicator,
            widgets.HBox([self.picker, self.add_button]),
            widgets.HBox([self.listing, self.remove_button]), self.country_message,
            self.chart, self.sentences, self.changes_table, self.figures_box,
            widgets.HTML(_("<b>What do the trajectories suggest?</b> Which country moved "
                           "most, when, and what might explain it? What could your country "
                           "learn?")),
            self.lessons, widgets.HBox([self.save_button, self.progress]),
            self.lessons_message,
        ]

    def _start_on(self, model: Any, country: Any) -> Any:
        """Start with ``country`` in the comparison; a refusal is shown, never raised."""
        try:
            return model.with_country(country)
        except ValidationError as exc:
            self._start_problem = str(exc)
            return model

    # -- callbacks
    def _pick_indicator(self, change: dict[str, Any]) -> None:
        if not self._syncing and change["new"] != self.model.indicator:
            self.commit(self.model.with_indicator(change["new"]))

    def _add(self, _button: Any = None) -> None:
        if self.picker.value is None:
            raise ValidationError(_("Pick a country in the list first."))
        self.commit(self.model.with_added(self.picker.value))

    def _remove(self, _button: Any = None) -> None:
        if self.listing.value is None:
            raise ValidationError(_("Pick a country in the '{list}' list first.").format(
                list=_("Compared")))
        self.commit(self.model.without(self.listing.value))

    def _save(self, _button: Any = None) -> None:
        self.commit(self.model.with_lessons(self.lessons.value))

    # -- display
    def _png(self, m: TrajectoryComparisonModel) -> bytes:
        key = (m.countries, m.indicator)
        if key not in self._png_cache:
            if self._chart is None:
                self._chart = trajectory_chart()
            self._png_cache[key] = self._chart.render(_series(*key), title=_title(m.indicator))
            if len(self._png_cache) > 32:
                self._png_cache.pop(next(iter(self._png_cache)))
        return self._png_cache[key]

    def refresh(self) -> None:
        m = self.model
        self._set(self.indicator, m.indicator)
        options = [(country_name(c), c) for c in m.countries]
        if list(self.listing.options) != options:
            self.listing.options = options
        if m.lessons != self._shown_lessons:  # unsaved typing is kept otherwise
            self._set(self.lessons, m.lessons)
            self._shown_lessons = m.lessons
        self.chart.lines(_series(m.countries, m.indicator), title=_title(m.indicator),
                         png=self._png(m), x_label=_("Edition"))
        sentences, changes, values = _figures_html(m.countries, m.indicator)
        self.sentences.value = sentences
        self.changes_table.value = changes
        self.values_table.value = values
        done = m.completeness()
        todo = semicolons(done.missing)
        show_message(self.progress, _("{progress} — still needed: {todo}").format(
            progress=done, todo=todo) if todo else str(done),
                     "ok" if done.complete else "info")


__all__ = ["CHANGE_COLUMNS", "CONTRAST", "DEFAULT_COUNTRIES", "INDICATORS", "MAX_COUNTRIES",
           "TrajectoryComparison", "TrajectoryComparisonModel", "Workbook"]
