"""What the country exercises share: the country names and choices, the survey figures of
one country and edition, its peers, plain number formats, an escaped HTML table, and
:class:`CountryView`, the view base of every exercise that starts on a country (the learner's
case country unless told otherwise)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import data
from ..data import analysis
from ._base import (
    DEFAULT_COUNTRY,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    html_table,
    integer,
    show_message,
)

INDICATOR_LABELS: dict[str, str] = {"egdi": "EGDI", "osi": "OSI", "hci": "HCI", "tii": "TII",
                                    "epi": "EPI"}
INDICATOR_PLAIN: dict[str, str] = {
    "egdi": "E-Government Development Index (EGDI)",
    "osi": "Online services (OSI)",
    "hci": "Human capital (HCI)",
    "tii": "Telecom infrastructure (TII)",
    "epi": "E-Participation (EPI)",
}
SHOWN: tuple[str, ...] = ("egdi", "osi", "hci", "tii", "epi")
GROUP_SHORT = {"ldc": "LDC", "lldc": "LLDC", "sids": "SIDS"}


# ============================================================================ shared helpers
# (also used by the gap analysis and the evaluation rubric)
@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    c = data.load_countries()
    return {str(i): str(n) for i, n in zip(c["iso3"], c["name"], strict=True)}


def country_options() -> list[tuple[str, str]]:
    """(name, ISO3) of the 193 countries, sorted by name: options for a Dropdown."""
    return sorted(((n, i) for i, n in _names().items()), key=lambda p: p[0].casefold())


def country_name(iso3: str) -> str:
    """The Survey's name for an ISO3 code (the code itself if unknown)."""
    return _names().get(iso3, iso3)


def resolve_country(value: Any, label: str = "Country") -> str:
    """ISO3 code for a code or a name; :class:`ValidationError` with suggestions otherwise.

    >>> resolve_country("bangladesh"), resolve_country("ETH")
    ('BGD', 'ETH')
    """
    if isinstance(value, str) and value.strip().upper() in _names():
        return value.strip().upper()
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{label}: pick a country (a name, or a code such as 'BGD').",
                              "country")
    if len(value) > 200:
        raise ValidationError(f"{label}: that is not a country name.", "country")
    try:
        return data.find_country(value)
    except ValueError as exc:
        raise ValidationError(str(exc), "country") from None


def edition(value: Any, label: str = "Edition") -> int:
    """A Survey edition (2003 ... 2024), also from text such as ``"2014"``."""
    year = integer(value, label, field="year")
    if year not in data.EDITIONS:
        raise ValidationError(f"{label} must be a Survey edition: "
                              f"{', '.join(map(str, data.EDITIONS))}.", "year")
    return year


def fmt(value: Any, digits: int = 4) -> str:
    """A figure for display: ``–`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def signed(value: float | None, digits: int = 2) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:+.{digits}f}"


def _num(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


@lru_cache(maxsize=len(data.EDITIONS))
def edition_table(year: int) -> pd.DataFrame:
    """The survey figures of one edition, indexed by ISO3 (cached: do not modify)."""
    return data.load_survey(years=year).set_index("iso3")


@lru_cache(maxsize=1024)
def survey_row(iso3: str, year: int) -> dict[str, Any]:
    """One country's figures in one edition as a plain dict (missing figures as None)."""
    row = edition_table(year).loc[iso3]
    out: dict[str, Any] = {"country": iso3, "name": str(row["country"]), "year": year}
    for col in SHOWN:
        out[col] = _num(row[col])
    rank = row["egdi_rank"]
    out["egdi_rank"] = None if pd.isna(rank) else int(rank)
    level = row["egdi_level"]
    out["egdi_level"] = None if pd.isna(level) else str(level)
    out["groups"] = [g for g in data.GROUPS if bool(row[g])]
    out["region"] = str(row["region"])
    out["subregion"] = str(row["subregion"])
    return out


@lru_cache(maxsize=1024)
def peers_of(iso3: str, year: int) -> tuple[str, str, tuple[str, ...]]:
    """(group code, group label, peer ISO3 codes) of a country in an edition."""
    code, label = analysis.peer_group(iso3, year)
    return code, label, tuple(analysis.peer_countries(iso3, year))


def short_group(code: str, label: str) -> str:
    """``LDC``, ``LLDC``, ``SIDS`` or the sub-region's name."""
    return GROUP_SHORT.get(code, label)


def peer_means(iso3: str, year: int) -> dict[str, float | None]:
    """Mean of each indicator over the country's peers (itself left out) in an edition."""
    return dict(_peer_means(iso3, year))


@lru_cache(maxsize=1024)
def _peer_means(iso3: str, year: int) -> tuple[tuple[str, float | None], ...]:
    _, _, peers = peers_of(iso3, year)
    if not peers:
        return tuple((c, None) for c in SHOWN)
    means = edition_table(year).loc[list(peers), list(SHOWN)].mean()
    return tuple((c, _num(means[c])) for c in SHOWN)


def world_means(year: int) -> dict[str, float | None]:
    row = analysis.group_means(year).loc["World"]
    return {c: _num(row[c]) for c in SHOWN}


def no_egdi_note(iso3: str, year: int) -> str:
    row = survey_row(iso3, year)
    if row["egdi"] is not None:
        return ""
    have = [INDICATOR_LABELS[c] for c in data.COMPONENTS if row[c] is not None]
    tail = (f" Only {', '.join(have)} {'is' if len(have) == 1 else 'are'} available."
            if have else " No figures were published for it that year.")
    return f"No EGDI was computed for {row['name']} in {year}.{tail}"


def table_html(columns: list[str], rows: list[list[Any]], highlight: int | None = None,
               css_class: str = "d4-table") -> str:
    """An HTML table of figures with every cell escaped; row ``highlight`` is shown in
    bold."""
    return html_table(columns, rows, css_class, highlight=highlight, fmt=fmt)


class CountryView(ExerciseView):
    """A view that starts on a country: ``country=`` if given, else the saved answer, else
    the learner's case country, else Bangladesh. An unknown country shows a message."""

    def __init__(self, country: str | None = None, **kwargs: Any):
        self._asked_country = country
        self._start_problem = ""
        self._syncing = False
        model = kwargs.get("model")
        if model is not None and country is not None:
            kwargs["model"] = self._start_on(model, country)
        self._example_only = False
        super().__init__(**kwargs)
        if self._start_problem:
            show_message(self.country_message, self._start_problem, "error")
        elif self._example_only and self.shows_example_note:
            # nothing says which country is the learner's yet: say the one shown is an example
            show_message(self.country_message, self.example_note(), "info")

    def example_note(self) -> str:
        """What the view says when it shows the default country, not the learner's own."""
        name = country_name(getattr(self.model, "country", DEFAULT_COUNTRY))
        return (f"{name} is shown as an example. Choose your own country in the list "
                "(the course follows the country you choose in 1.1's map).")

    country_message: widgets.HTML
    #: say "shown as an example" when nothing says which country is the learner's yet
    shows_example_note = True

    def _start_on(self, model: Any, country: Any) -> Any:
        try:
            return model.with_country(country)
        except ValidationError as exc:
            self._start_problem = f"{exc} Showing {country_name(model.country)} instead."
            return model

    def _load_model(self) -> ExerciseModel:
        model = super()._load_model()
        wanted = self._asked_country
        if wanted is None and self.workbook.get(self.key) is None and self.workbook.country:
            wanted = self.workbook.country
        if wanted is not None and wanted != getattr(model, "country", None):
            model = self._start_on(model, wanted)
        self._example_only = (wanted is None and self.workbook.get(self.key) is None
                               and not self.workbook.country)
        return model

    def _set(self, control: widgets.ValueWidget, value: Any) -> None:
        """Show a value in a control without treating it as the learner's change."""
        if control.value != value:
            self._syncing = True
            try:
                control.value = value
            finally:
                self._syncing = False
