"""Computations on the survey data shared by several exercises: peers, group averages,
trends. Pure functions over :mod:`digit4sd_widgets.data`, no widgets.

>>> peer_group("BGD", 2024)
('ldc', 'Least developed countries (LDC)')
>>> round(yearly_trend("BGD", "egdi", since=2014), 4) > 0
True
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from ..i18n import N_, _, country_name
from . import loader as data

# English names; whoever shows them calls _() on them
INDICATORS: dict[str, str] = {
    "egdi": N_("E-Government Development Index (EGDI)"),
    "osi": N_("Online Service Index (OSI)"),
    "hci": N_("Human Capital Index (HCI)"),
    "tii": N_("Telecommunications Infrastructure Index (TII)"),
    "epi": N_("E-Participation Index (EPI)"),
    "internet_pct": N_("Individuals using the Internet, % (SDG 17.8.1)"),
}
COMPONENT_NAMES = {"osi": N_("Online services"), "hci": N_("Human capital"),
                   "tii": N_("Telecom infrastructure")}

__all__ = [
    "COMPONENT_NAMES",
    "INDICATORS",
    "group_means",
    "indicator_series",
    "peer_countries",
    "peer_group",
    "weakest_component",
    "yearly_trend",
]


def peer_group(iso3: str, year: int = data.LATEST_EDITION) -> tuple[str, str]:
    """The group a country is best compared with in an edition: its first special-situation
    group (LDC, then LLDC, then SIDS), else its M49 sub-region.

    Returns (code, label): code is ``"ldc"``, ``"lldc"``, ``"sids"`` or ``"subregion"``.
    """
    row = data.load_survey(years=year, countries=iso3).iloc[0]
    for group in data.GROUPS:
        if bool(row[group]):
            return group, data.GROUP_NAMES[group]
    return "subregion", str(row["subregion"])


def peer_countries(iso3: str, year: int = data.LATEST_EDITION) -> list[str]:
    """ISO3 codes of the country's peers in an edition (its :func:`peer_group`, without
    itself), sorted."""
    code, _label = peer_group(iso3, year)
    ed = data.load_survey(years=year)
    if code == "subregion":
        sub = ed.loc[ed["iso3"] == iso3, "subregion"].iloc[0]
        members = ed[ed["subregion"] == sub]
    else:
        members = ed[ed[code]]
    return sorted(str(c) for c in members["iso3"] if c != iso3)


@lru_cache(maxsize=64)
def _group_means(year: int) -> pd.DataFrame:
    ed = data.load_survey(years=year)
    cols = ["egdi", "osi", "hci", "tii", "epi"]
    rows = {"World": ed[cols].mean()}
    for group in data.GROUPS:
        rows[data.GROUP_NAMES[group]] = ed.loc[ed[group], cols].mean()
    for region, part in ed.groupby("region", observed=True):
        rows[str(region)] = part[cols].mean()
    return pd.DataFrame(rows).T


def group_means(year: int = data.LATEST_EDITION) -> pd.DataFrame:
    """Mean EGDI, components and EPI per group in an edition (rows: World, the three
    groups, the five regions). Missing figures are left out of the means."""
    (year,) = data._check_years(year)
    return _group_means(year).copy()


def weakest_component(iso3: str, year: int = data.LATEST_EDITION) -> tuple[str, float]:
    """The component (osi, hci or tii) where the country is furthest below its peer group's
    mean, with that gap (country minus group mean; negative means below)."""
    row = data.load_survey(years=year, countries=iso3).iloc[0]
    peers = data.load_survey(years=year, countries=[*peer_countries(iso3, year)])
    gaps = {}
    for comp in data.COMPONENTS:
        value = row[comp]
        if pd.isna(value):
            continue
        gaps[comp] = float(value) - float(peers[comp].mean())
    if not gaps:
        raise ValueError(_("{country} has no component figures in {year}.").format(
            country=country_name(iso3, str(row["country"])), year=year))
    comp = min(gaps, key=gaps.get)
    return comp, gaps[comp]


def indicator_series(iso3: str, indicator: str) -> pd.Series:
    """Values of an indicator for one country by year (editions for survey indices, every
    reported year for ``internet_pct``), missing values dropped."""
    if indicator not in INDICATORS:
        raise ValueError(_("Unknown indicator {indicator!r}; choose one of {indicators}.")
                         .format(indicator=indicator, indicators=", ".join(INDICATORS)))
    if indicator == "internet_pct":
        df = data.load_internet_use(countries=iso3)
        return pd.Series(df["internet_pct"].to_numpy(), index=df["year"].to_numpy(),
                         name=indicator).dropna()
    df = data.load_survey(countries=iso3)
    return pd.Series(df[indicator].to_numpy(), index=df["year"].to_numpy(),
                     name=indicator).dropna()


def yearly_trend(iso3: str, indicator: str = "egdi", since: int | None = None,
                 until: int | None = None) -> float:
    """Average change per year of an indicator for a country: the slope of a least-squares
    line through its values from ``since`` to ``until`` (inclusive). NaN with fewer than two
    values."""
    s = indicator_series(iso3, indicator)
    if since is not None:
        s = s[s.index >= since]
    if until is not None:
        s = s[s.index <= until]
    if len(s) < 2:
        return math.nan
    slope = np.polyfit(s.index.to_numpy(dtype=float), s.to_numpy(dtype=float), 1)[0]
    return float(slope)
