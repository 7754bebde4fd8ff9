"""Typed, validated access to the course dataset.

Notebooks and exercises read data only through these functions. The tidy CSV files ship
inside the package (see ``DATA_DICTIONARY.md`` next to them for every column).

>>> from digit4sd_widgets.data import load_survey
>>> df = load_survey(years=2024, countries=["BGD", "ETH"])
>>> df[["iso3", "egdi_level"]].values.tolist()
[['BGD', 'high'], ['ETH', 'middle']]
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..i18n import N_, _, country_name

EDITIONS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
LATEST_EDITION = EDITIONS[-1]
COMPONENTS: tuple[str, ...] = ("osi", "hci", "tii")
EGDI_LEVELS: tuple[str, ...] = ("low", "middle", "high", "very high")
GROUPS: tuple[str, ...] = ("ldc", "lldc", "sids")
#: English, also the row labels of ``analysis.group_means``; shown through ``_()``
GROUP_NAMES = {
    "ldc": N_("Least developed countries (LDC)"),
    "lldc": N_("Landlocked developing countries (LLDC)"),
    "sids": N_("Small island developing States (SIDS)"),
}

__all__ = [
    "COMPONENTS",
    "EDITIONS",
    "EGDI_LEVELS",
    "GROUPS",
    "LATEST_EDITION",
    "dataset_dir",
    "find_country",
    "load_countries",
    "load_internet_use",
    "load_survey",
]


def dataset_dir() -> Path:
    """Folder holding the tidy CSV files (inside the installed package, or in a checkout)."""
    packaged = resources.files("digit4sd_widgets").joinpath("datasets")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    if (checkout / "registry.json").is_file():
        return checkout
    raise FileNotFoundError(
        _("The DIGIT4SD dataset is missing: reinstall the package (pip install "
          "digit4sd-widgets).")
    )


@lru_cache(maxsize=1)
def _registry() -> dict:
    return json.loads((dataset_dir() / "registry.json").read_text(encoding="utf-8"))


def _read(name: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(dataset_dir() / f"{name}.csv", keep_default_na=False,
                       na_values=[""], **kwargs)


@lru_cache(maxsize=1)
def _countries() -> pd.DataFrame:
    df = _read("countries", dtype={"iso2": "string", "m49": "string",
                                   "intermediate_region": "string"})
    df["intermediate_region"] = df["intermediate_region"].fillna("")
    for col in ("iso3", "name", "m49_name"):
        df[col] = df[col].astype("string")
    for col in ("region", "subregion"):
        df[col] = df[col].astype("category")
    return df


@lru_cache(maxsize=1)
def _groups() -> pd.DataFrame:
    df = _read("groups", dtype={"iso3": "string", "year": "int64"})
    return df


@lru_cache(maxsize=1)
def _survey() -> pd.DataFrame:
    df = _read("survey", dtype={"iso3": "string", "country": "string", "year": "int64",
                                "egdi": "float64", "osi": "float64", "hci": "float64",
                                "tii": "float64", "epi": "float64", "egdi_rank": "Int64"})
    df["egdi_level"] = pd.Categorical(df["egdi_level"], categories=list(EGDI_LEVELS),
                                      ordered=True)
    df = df.merge(_groups(), on=["iso3", "year"], how="left", validate="one_to_one")
    regions = _countries()[["iso3", "region", "subregion"]]
    df = df.merge(regions, on="iso3", how="left", validate="many_to_one")
    return df.sort_values(["year", "iso3"], ignore_index=True)


@lru_cache(maxsize=1)
def _internet() -> pd.DataFrame:
    df = _read("internet_use", dtype={"iso3": "string", "year": "int64",
                                      "internet_pct": "float64", "note": "string",
                                      "source": "string"})
    df["note"] = df["note"].fillna("")
    df["source"] = df["source"].fillna("")
    return df


def _as_list(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def _check_years(years) -> list[int] | None:
    asked = _as_list(years)
    if asked is None:
        return None
    valid = []
    for y in asked:
        try:
            year = int(y)
            ok = year == y or str(year) == str(y).strip()
        except (TypeError, ValueError):
            ok = False
        if not ok or year not in EDITIONS:
            raise ValueError(
                _("{year!r} is not a survey edition. Valid editions: {editions}.").format(
                    year=y, editions=", ".join(map(str, EDITIONS)))
            )
        valid.append(year)
    return valid


def find_country(text: str) -> str:
    """Return the ISO3 code for a code or a name; raise ``ValueError`` with suggestions.

    >>> find_country("bangladesh"), find_country("eth"), find_country("Turkey")
    ('BGD', 'ETH', 'TUR')
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(_("Give a country as an ISO3 code (such as 'BGD') or a name."))
    key = text.strip().casefold()
    c = _countries()
    for col in ("iso3", "name", "m49_name", "iso2"):
        hit = c[c[col].str.casefold() == key]
        if len(hit) == 1:
            return str(hit["iso3"].iloc[0])
    raise ValueError(_unknown_country_message(text))


def country_as_read(text: str) -> str | None:
    """The ISO3 code of the country whose name the reader reads ("Bhoutan" in French), also
    typed without its accents or with a straight apostrophe; ``None`` when no country, or
    more than one, has that name. For what people type: :func:`find_country` stays exact,
    and the same in every language.

    >>> from digit4sd_widgets import i18n
    >>> with i18n.language("fr"):
    ...     country_as_read("Bhoutan"), country_as_read("cote d'ivoire")
    ('BTN', 'CIV')
    """
    if not isinstance(text, str) or not text.strip():
        return None
    plain = _plain(text)
    c = _countries()
    hits = {str(i) for n, i in zip(c["name"], c["iso3"], strict=True)
            if _plain(country_name(str(i), str(n))) == plain}
    return hits.pop() if len(hits) == 1 else None


def _plain(name: str) -> str:
    """A name as a person may type it: no accents, straight apostrophes, any case.

    >>> _plain("Côte d’Ivoire") == _plain("cote d'ivoire")
    True
    """
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.strip().replace("’", "'"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch))
                    .casefold().split())


def _unknown_country_message(text: str) -> str:
    c = _countries()
    # the names shown in the reader's language, each with its code (which always works)
    labels = {f"{country_name(str(i), str(n))} ({i})": str(i)
              for n, i in zip(c["name"], c["iso3"], strict=True)}
    by_key = {_plain(str(n)): label for n, label in zip(c["name"], labels, strict=True)}
    by_key.update({_plain(label.rsplit(" (", 1)[0]): label for label in labels})
    by_key.update({str(i).casefold(): label for i, label in zip(c["iso3"], labels, strict=True)})
    typed = _plain(str(text))
    close = difflib.get_close_matches(typed, list(by_key), n=3, cutoff=0.6)
    if not close:
        # a prefix or part of a name is a strong hint too
        close = [k for k in by_key if typed in k][:3]
    message = _("Unknown country {text!r}. Use one of the 193 UN Member States' ISO3 codes, "
                "for example 'BGD' for Bangladesh.").format(text=text)
    if not close:
        return message
    return message + " " + _("Did you mean: {names}?").format(
        names=", ".join(dict.fromkeys(by_key[k] for k in close)))


def _check_countries(countries) -> list[str] | None:
    asked = _as_list(countries)
    if asked is None:
        return None
    known = set(_countries()["iso3"])
    out = []
    for code in asked:
        if isinstance(code, str) and code.strip().upper() in known:
            out.append(code.strip().upper())
        else:
            raise ValueError(_unknown_country_message(str(code)))
    return out


def load_survey(years=None, countries=None) -> pd.DataFrame:
    """UN E-Government Survey figures, one row per country and edition.

    Parameters
    ----------
    years : int or list of int, optional
        Survey editions to keep (default: all 12, 2003-2024).
    countries : str or list of str, optional
        ISO3 codes to keep (default: all 193 UN Member States).

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, country, year, egdi, osi, hci, tii, epi, egdi_rank, egdi_level,
        ldc, lldc, sids, region, subregion``. Group flags are those of each row's edition.
        Missing figures (no EGDI computed that edition) are NaN / <NA>.

    >>> load_survey(years=[2022], countries="SWE")[["egdi_rank"]].iloc[0, 0]
    np.int64(5)
    """
    year_list = _check_years(years)
    country_list = _check_countries(countries)
    df = _survey()
    mask = pd.Series(True, index=df.index)
    if year_list is not None:
        mask &= df["year"].isin(year_list)
    if country_list is not None:
        mask &= df["iso3"].isin(country_list)
    return df[mask].reset_index(drop=True)


def load_countries(year: int | None = None) -> pd.DataFrame:
    """The 193 UN Member States with codes, M49 regions and LDC/LLDC/SIDS flags.

    With ``year`` (a survey edition) the flags are those of that edition; without it they
    are the current ones.

    >>> c = load_countries()
    >>> int(c["ldc"].sum()), int(load_countries(2003)["ldc"].sum())
    (44, 49)
    """
    df = _countries().copy()
    if year is None:
        return df
    (edition,) = _check_years(year)
    flags = _groups()[_groups()["year"] == edition].drop(columns="year")
    return df.drop(columns=list(GROUPS)).merge(flags, on="iso3", how="left",
                                                validate="one_to_one")


def load_internet_use(countries=None, latest: bool = False) -> pd.DataFrame:
    """SDG indicator 17.8.1: percentage of individuals using the Internet (ITU).

    Each value keeps its own ``year``. With ``latest=True`` there is one row per country: its
    most recent value and the year of that value.

    >>> row = load_internet_use("BGD", latest=True).iloc[0]
    >>> row["iso3"], int(row["year"]) >= 2020
    ('BGD', True)
    """
    country_list = _check_countries(countries)
    df = _internet()
    if country_list is not None:
        df = df[df["iso3"].isin(country_list)]
    if latest:
        df = df.sort_values(["iso3", "year"]).groupby("iso3", as_index=False).tail(1)
    return df.reset_index(drop=True).copy()
