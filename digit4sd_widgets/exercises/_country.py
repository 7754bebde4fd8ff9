"""What the country exercises share: the country names and choices, the survey figures of
one country and edition, its peers, plain number formats, an escaped HTML table, and
:class:`CountryView`, the view base of every exercise that starts on a country (the learner's
case country unless told otherwise).

Names shown to people are in the reader's language (countries, groups, regions, components,
EGDI levels); the data and the stored answers keep the Survey's English names and codes.

>>> from digit4sd_widgets.i18n import language
>>> with language("fr"):
...     country_name("CIV"), short_group("ldc", ""), level_name("high"), fmt(0.5, 2)
('Côte d’Ivoire', 'PMA', 'élevé', '0,50')
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import data, i18n
from ..data import analysis
from ..i18n import N_, _, ngettext, pgettext
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
#: the indicators' names (English: shown through :func:`indicator_plain`)
INDICATOR_PLAIN: dict[str, str] = {
    "egdi": N_("E-Government Development Index (EGDI)"),
    "osi": N_("Online services (OSI)"),
    "hci": N_("Human capital (HCI)"),
    "tii": N_("Telecom infrastructure (TII)"),
    "epi": N_("E-Participation (EPI)"),
}
SHOWN: tuple[str, ...] = ("egdi", "osi", "hci", "tii", "epi")
#: the groups' short names (English: shown through :func:`short_group`)
GROUP_SHORT = {"ldc": N_("LDC"), "lldc": N_("LLDC"), "sids": N_("SIDS")}
#: the groups' names, as ``data.GROUP_NAMES`` (shown through :func:`group_name`)
GROUP_NAMES = {"ldc": N_("Least developed countries (LDC)"),
               "lldc": N_("Landlocked developing countries (LLDC)"),
               "sids": N_("Small island developing States (SIDS)")}
#: the components' names, as ``analysis.COMPONENT_NAMES`` (shown through
#: :func:`component_name`)
COMPONENT_NAMES = {"osi": N_("Online services"), "hci": N_("Human capital"),
                   "tii": N_("Telecom infrastructure")}
#: the Survey's regions and sub-regions (UN M49), shown through :func:`region_name`
REGION_NAMES = (
    N_("Africa"), N_("Americas"), N_("Asia"), N_("Europe"), N_("Oceania"),
    N_("Australia and New Zealand"), N_("Central Asia"), N_("Eastern Asia"),
    N_("Eastern Europe"), N_("Latin America and the Caribbean"), N_("Melanesia"),
    N_("Micronesia"), N_("Northern Africa"), N_("Northern America"), N_("Northern Europe"),
    N_("Polynesia"), N_("South-eastern Asia"), N_("Southern Asia"), N_("Southern Europe"),
    N_("Sub-Saharan Africa"), N_("Western Asia"), N_("Western Europe"),
)


# ============================================================================ names shown
def indicator_plain(code: str) -> str:
    """"Online services (OSI)", in the reader's language."""
    return _(INDICATOR_PLAIN[code])


def group_name(code: str) -> str:
    """"Least developed countries (LDC)", in the reader's language."""
    return _(GROUP_NAMES[code]) if code in GROUP_NAMES else code


def component_name(code: str) -> str:
    """"Online services", in the reader's language."""
    return _(COMPONENT_NAMES[code]) if code in COMPONENT_NAMES else code


def region_name(name: str) -> str:
    """A region or sub-region of the Survey (its English name) in the reader's language."""
    return _(name) if name in REGION_NAMES else name


def chart_label(text: str, width: int = 24) -> str:
    """A label under a bar chart's group, on two lines when it is long (a French component
    name would run into its neighbour)."""
    import textwrap
    return "\n".join(textwrap.wrap(text, width)) if len(text) > width else text


def level_name(level: str | None) -> str:
    """An EGDI level of the Survey ("very high" ... "low") in the reader's language."""
    names = {"very high": pgettext("EGDI level", "very high"),
             "high": pgettext("EGDI level", "high"),
             "middle": pgettext("EGDI level", "middle"),
             "low": pgettext("EGDI level", "low")}
    return "–" if level is None else names.get(str(level), str(level))


# ============================================================================ shared helpers
# (also used by the gap analysis and the evaluation rubric)
@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    c = data.load_countries()
    return {str(i): str(n) for i, n in zip(c["iso3"], c["name"], strict=True)}


def _plain(name: str) -> str:
    """A name without its accents, for sorting ("Éthiopie" next to "Érythrée")."""
    import unicodedata
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def country_options() -> list[tuple[str, str]]:
    """(name, ISO3) of the 193 countries, sorted by name: options for a Dropdown (names in
    the reader's language)."""
    return sorted(((country_name(i), i) for i in _names()), key=lambda p: _plain(p[0]))


def country_name(iso3: str) -> str:
    """A country's name for an ISO3 code, in the reader's language (the Survey's name in
    English; the code itself if unknown)."""
    english = _names().get(iso3)
    return iso3 if english is None else i18n.country_name(iso3, english)


def resolve_country(value: Any, label: str | None = None) -> str:
    """ISO3 code for a code or a name; :class:`ValidationError` with suggestions otherwise.

    >>> resolve_country("bangladesh"), resolve_country("ETH")
    ('BGD', 'ETH')

    A name as the reader reads it is found too, accents optional ("Ethiopie" in French).
    """
    label = _("Country") if label is None else label
    if isinstance(value, str) and value.strip().upper() in _names():
        return value.strip().upper()
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("{label}: pick a country (a name, or a code such as "
                                "'BGD').").format(label=label), "country")
    if len(value) > 200:
        raise ValidationError(_("{label}: that is not a country name.").format(label=label),
                              "country")
    try:
        return data.find_country(value)
    except ValueError as exc:
        read = data.country_as_read(value)  # "Bhoutan", "Cote d'Ivoire" for a French reader
        if read is not None:
            return read
        raise ValidationError(str(exc), "country") from None


def edition(value: Any, label: str | None = None) -> int:
    """A Survey edition (2003 ... 2024), also from text such as ``"2014"``."""
    label = _("Edition") if label is None else label
    year = integer(value, label, field="year")
    if year not in data.EDITIONS:
        raise ValidationError(_("{label} must be a Survey edition: {editions}.").format(
            label=label, editions=", ".join(map(str, data.EDITIONS))), "year")
    return year


def fmt(value: Any, digits: int = 4) -> str:
    """A figure for display, in the reader's form (``0.6120``, ``0,6120``): ``–`` when
    missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, float):
        if i18n.get_language() == i18n.SOURCE:
            return f"{value:.{digits}f}"
        return i18n.number(value, digits)
    return str(value)


def signed(value: float | None, digits: int = 2) -> str:
    """A change with its sign, in the reader's form (``+0.05``, ``+0,05``)."""
    if value is None or math.isnan(value):
        return "–"
    written = f"{value:+.{digits}f}"
    if i18n.get_language() == i18n.SOURCE:
        return written
    return written[0] + i18n.number(abs(value), digits)


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
    """``LDC``, ``LLDC``, ``SIDS`` or the sub-region's name, in the reader's language."""
    return _(GROUP_SHORT[code]) if code in GROUP_SHORT else region_name(label)


def peer_label(code: str, label: str) -> str:
    """The peer group's name (as :func:`digit4sd_widgets.data.analysis.peer_group` gives
    it) in the reader's language."""
    return group_name(code) if code in GROUP_NAMES else region_name(label)


def peer_means(iso3: str, year: int) -> dict[str, float | None]:
    """Mean of each indicator over the country's peers (itself left out) in an edition."""
    return dict(_peer_means(iso3, year))


@lru_cache(maxsize=1024)
def _peer_means(iso3: str, year: int) -> tuple[tuple[str, float | None], ...]:
    _code, _label, peers = peers_of(iso3, year)
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
    head = _("No EGDI was computed for {country} in {year}.").format(
        country=country_name(iso3), year=year)
    tail = (ngettext("Only {indices} is available.", "Only {indices} are available.",
                     len(have)).format(indices=", ".join(have))
            if have else _("No figures were published for it that year."))
    return f"{head} {tail}"


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
        return _("{country} is shown as an example. Choose your own country in the list "
                 "(the course follows the country you choose in 1.1's map).").format(
            country=name)

    country_message: widgets.HTML
    #: say "shown as an example" when nothing says which country is the learner's yet
    shows_example_note = True

    def _start_on(self, model: Any, country: Any) -> Any:
        try:
            return model.with_country(country)
        except ValidationError as exc:
            self._start_problem = " ".join([str(exc), _("Showing {country} instead.").format(
                country=country_name(model.country))])
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
