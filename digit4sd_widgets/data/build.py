"""Rebuild the tidy dataset in ``datasets/`` from the raw published files in ``data/raw/``.

This is the refresh tool, not run-time code: learners and notebooks only ever read the tidy
files through :mod:`digit4sd_widgets.data`. Run it with ``digit4sd data build``.

The build is deterministic (same raw files, same bytes out) and checks itself as it goes:
every survey name must map to an ISO3 code, every published EGDI and component must agree
with the World Bank Data360 republication, and the LDC list per edition must agree with the
M49 snapshots. A failed check stops the build before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..atomic import shared_mode, write_atomic

EDITIONS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)

#: Survey names (stripped) that differ from the M49 2025 "Country or Area" name.
SURVEY_TO_M49_NAME: dict[str, str] = {
    "Georgia (Country)": "Georgia",
    "Czech Republic": "Czechia",
    "Bolivia": "Bolivia (Plurinational State of)",
    "Venezuela": "Venezuela (Bolivarian Republic of)",
    "Netherlands": "Netherlands (Kingdom of the)",
    "Côte d'Ivoire": "Côte d’Ivoire",
    "Türkiye": "Turkey",
}

#: Changes to the LDC list since 2003, as (ISO3, "in" or "out", year, month).
#: "in": the General Assembly added the country; "out": the country graduated.
LDC_CHANGES: tuple[tuple[str, str, int, int], ...] = (
    ("TLS", "in", 2003, 12),
    ("CPV", "out", 2007, 12),
    ("MDV", "out", 2011, 1),
    ("SSD", "in", 2012, 12),
    ("WSM", "out", 2014, 1),
    ("GNQ", "out", 2017, 6),
    ("VUT", "out", 2020, 12),
    ("BTN", "out", 2023, 12),
    ("STP", "out", 2024, 12),
)

#: A survey edition reflects the LDC list as it stood on this (month, day) of its year.
#: Editions are published around the middle of the year.
EDITION_REFERENCE_MONTH = 7

SURVEY_COLUMNS = ["iso3", "country", "year", "egdi", "osi", "hci", "tii", "epi", "egdi_rank",
                  "egdi_level"]
COUNTRY_COLUMNS = ["iso3", "iso2", "m49", "name", "m49_name", "region", "subregion",
                   "intermediate_region", "ldc", "lldc", "sids"]
GROUP_COLUMNS = ["iso3", "year", "ldc", "lldc", "sids"]
INTERNET_COLUMNS = ["iso3", "year", "internet_pct", "note", "source"]

LEVEL_BOUNDS = ((0.75, "very high"), (0.50, "high"), (0.25, "middle"), (0.0, "low"))


class BuildError(RuntimeError):
    """The raw files do not pass a check; nothing was written."""


@dataclass(frozen=True)
class BuiltTable:
    name: str
    file: str
    text: str
    description: str
    sources: tuple[str, ...]


def egdi_level(value: float) -> str:
    """Return the UN EGDI level for an EGDI value (lower bounds inclusive).

    >>> egdi_level(0.75), egdi_level(0.7499), egdi_level(0.25), egdi_level(0.1)
    ('very high', 'high', 'middle', 'low')
    """
    for bound, name in LEVEL_BOUNDS:
        if value >= bound:
            return name
    raise ValueError(f"EGDI must be between 0 and 1, got {value!r}")


def _read_m49(raw: Path, year: int) -> pd.DataFrame:
    if year == 2025:
        df = pd.read_csv(raw / "UNSD_M49_overview_2025.csv", sep=";", dtype=str,
                         keep_default_na=False, encoding="utf-8-sig")
    else:
        df = pd.read_csv(raw / "UNSD_M49_overview_2021.csv", sep=",", dtype=str,
                         keep_default_na=False, encoding="utf-8-sig")
    return df.rename(columns={
        "Region Name": "region", "Sub-region Name": "subregion",
        "Intermediate Region Name": "intermediate_region", "Country or Area": "m49_name",
        "M49 Code": "m49", "ISO-alpha2 Code": "iso2", "ISO-alpha3 Code": "iso3",
        "Least Developed Countries (LDC)": "ldc",
        "Land Locked Developing Countries (LLDC)": "lldc",
        "Small Island Developing States (SIDS)": "sids",
    })


def _read_survey_raw(raw: Path, year: int) -> pd.DataFrame:
    df = pd.read_csv(raw / f"EGOV_DATA_{year}.csv", dtype=str, keep_default_na=False)
    df.columns = ["year", "country", "egdi_rank", "egdi", "epi", "osi", "hci", "tii"]
    if set(df["year"]) != {str(year)}:
        raise BuildError(f"EGOV_DATA_{year}.csv holds other survey years: {set(df['year'])}")
    df["country"] = df["country"].str.strip()
    return df


def _ldc_in_edition(base_2025: set[str], year: int) -> set[str]:
    """LDC list as it stood in the middle of ``year``, replaying changes back from 2025."""
    members = set(base_2025)
    for iso3, change, cy, cm in sorted(LDC_CHANGES, key=lambda c: (c[2], c[3]), reverse=True):
        if (cy, cm) > (year, EDITION_REFERENCE_MONTH):
            # the change happened after the edition: undo it
            if change == "in":
                members.discard(iso3)
            else:
                members.add(iso3)
    return members


def _clean_survey_year(df: pd.DataFrame) -> pd.DataFrame:
    """Blank out what the UN did not compute; keep every published non-zero figure as text."""
    out = df.copy()
    not_computed = out["egdi"].astype(float) == 0.0
    for col in ("egdi", "osi", "hci", "tii", "epi"):
        zero = out[col].astype(float) == 0.0
        out.loc[not_computed & zero, col] = ""
    out.loc[not_computed, "egdi_rank"] = ""
    # ranks read as "174.0" in some copies; keep whole numbers as integers
    out["egdi_rank"] = out["egdi_rank"].map(lambda r: str(int(float(r))) if r else "")
    out["egdi_level"] = out["egdi"].map(lambda v: egdi_level(float(v)) if v else "")
    return out


def _check_against_world_bank(raw: Path, survey: pd.DataFrame) -> None:
    for indicator in ("EGDI", "OSI", "HCI", "TII"):
        wb = pd.read_csv(raw / f"WB_DATA360_UN_EGDI_{indicator}_WIDEF.csv", dtype=str,
                         keep_default_na=False)
        long = wb.melt(id_vars=["REF_AREA"], value_vars=[str(y) for y in EDITIONS],
                       var_name="year", value_name="wb")
        long["year"] = long["year"].astype(int)
        long = long.rename(columns={"REF_AREA": "iso3"})
        merged = survey.merge(long, on=["iso3", "year"], how="left", validate="one_to_one")
        if merged["wb"].isna().any():
            missing = merged.loc[merged["wb"].isna(), ["iso3", "year"]].head().values.tolist()
            raise BuildError(f"World Bank {indicator} file lacks rows, e.g. {missing}")
        ours = merged[indicator.lower()].replace("", "0").astype(float)
        theirs = merged["wb"].replace("", "0").astype(float)
        bad = merged[ours != theirs]
        if len(bad):
            sample = bad[["iso3", "year", indicator.lower(), "wb"]].head().values.tolist()
            raise BuildError(f"{len(bad)} {indicator} values differ from the World Bank copy, "
                             f"e.g. {sample}")


def _to_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()


def build_tables(raw: Path) -> list[BuiltTable]:
    """Build every tidy table from the raw folder and return them as CSV text."""
    raw = Path(raw)
    m49 = _read_m49(raw, 2025)
    m49_2021 = _read_m49(raw, 2021)

    frames = [_read_survey_raw(raw, y) for y in EDITIONS]
    names = set(frames[0]["country"])
    for y, f in zip(EDITIONS, frames, strict=True):
        if len(f) != 193 or set(f["country"]) != names:
            raise BuildError(f"edition {y} does not list the same 193 countries")

    by_name = m49.set_index("m49_name")
    lookup = {n: SURVEY_TO_M49_NAME.get(n, n) for n in names}
    unknown = sorted(n for n, m in lookup.items() if m not in by_name.index)
    if unknown:
        raise BuildError(f"survey names with no M49 entry: {unknown}")

    countries = pd.DataFrame({"name": sorted(names)})
    countries["m49_name"] = countries["name"].map(lookup)
    countries = countries.merge(m49, on="m49_name", how="left", validate="one_to_one")
    countries["m49"] = countries["m49"].str.zfill(3)
    for flag in ("ldc", "lldc", "sids"):
        countries[flag] = countries[flag].eq("x")
    countries = countries.sort_values("iso3", ignore_index=True)
    if countries["iso3"].eq("").any() or countries["iso3"].duplicated().any():
        raise BuildError("ISO3 codes missing or repeated after the name mapping")

    # LLDC and SIDS lists did not change between the two M49 snapshots; LDC did.
    old = m49_2021.set_index("iso3")
    for flag in ("lldc", "sids"):
        then = old.loc[countries["iso3"], flag].eq("x").to_numpy()
        if (then != countries[flag].to_numpy()).any():
            raise BuildError(f"{flag.upper()} membership differs between the M49 snapshots")

    iso_of = dict(zip(countries["name"], countries["iso3"], strict=True))
    ldc_2025 = set(countries.loc[countries["ldc"], "iso3"])
    group_rows = []
    for y in EDITIONS:
        ldc = _ldc_in_edition(ldc_2025, y)
        for row in countries.itertuples():
            group_rows.append((row.iso3, y, row.iso3 in ldc, row.lldc, row.sids))
    groups = pd.DataFrame(group_rows, columns=GROUP_COLUMNS)
    ldc_2021 = set(old.index[old["ldc"].eq("x")]) & set(countries["iso3"])
    if set(groups.query("year == 2022 and ldc")["iso3"]) != ldc_2021:
        raise BuildError("LDC list for 2022 does not match the 2021 M49 snapshot")

    survey = pd.concat([_clean_survey_year(f) for f in frames], ignore_index=True)
    survey["iso3"] = survey["country"].map(iso_of)
    survey["year"] = survey["year"].astype(int)
    survey = survey[SURVEY_COLUMNS].sort_values(["year", "iso3"], kind="stable")
    _check_against_world_bank(raw, survey)

    itu = pd.read_csv(raw / "ITU_individuals_using_the_internet.csv", dtype=str,
                      keep_default_na=False, encoding="utf-8-sig")
    itu = itu[itu["entityIso"].isin(set(countries["iso3"]))]
    internet = pd.DataFrame({
        "iso3": itu["entityIso"],
        "year": itu["dataYear"].astype(int),
        "internet_pct": itu["dataValue"],
        "note": itu["dataNote"].str.replace(r"\s+", " ", regex=True).str.strip(),
        "source": itu["dataSource"].str.replace(r"\s+", " ", regex=True).str.strip(),
    }).sort_values(["iso3", "year"], kind="stable")
    if internet.duplicated(["iso3", "year"]).any():
        raise BuildError("ITU file has two values for one country and year")
    if set(internet["iso3"]) != set(countries["iso3"]):
        raise BuildError("ITU file misses some of the 193 countries")

    countries = countries[COUNTRY_COLUMNS]
    return [
        BuiltTable("survey", "survey.csv", _to_csv(survey),
                   "UN E-Government Survey figures, one row per country and edition",
                   tuple(f"EGOV_DATA_{y}.csv" for y in EDITIONS)),
        BuiltTable("countries", "countries.csv", _to_csv(countries),
                   "The 193 UN Member States: codes, M49 regions, current group flags",
                   ("UNSD_M49_overview_2025.csv",)),
        BuiltTable("groups", "groups.csv", _to_csv(groups),
                   "LDC, LLDC and SIDS membership as of each survey edition",
                   ("UNSD_M49_overview_2025.csv", "UNSD_M49_overview_2021.csv")),
        BuiltTable("internet_use", "internet_use.csv", _to_csv(internet),
                   "SDG 17.8.1: share of individuals using the Internet (ITU), by year",
                   ("ITU_individuals_using_the_internet.csv",)),
    ]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def registry(tables: list[BuiltTable]) -> str:
    entries = []
    for t in tables:
        rows = t.text.count("\n") - 1
        header = next(csv.reader(io.StringIO(t.text)))
        entries.append({
            "name": t.name,
            "file": t.file,
            "description": t.description,
            "rows": rows,
            "columns": header,
            "sha256": sha256_text(t.text),
            "raw_sources": list(t.sources),
            "licence": "UN DESA, UNSD and ITU public data; see PROVENANCE.md",
        })
    return json.dumps({"editions": list(EDITIONS), "tables": entries}, indent=2,
                      ensure_ascii=False) + "\n"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old or the new file. The
    dataset is read by every account of a shared server: the usual permissions, not a
    temporary file's private ones."""
    write_atomic(path, text, mode=shared_mode())


def build(raw: Path, out: Path) -> list[BuiltTable]:
    """Build all tables from ``raw`` and write them, with their registry, into ``out``."""
    tables = build_tables(raw)
    for t in tables:
        atomic_write_text(Path(out) / t.file, t.text)
    atomic_write_text(Path(out) / "registry.json", registry(tables))
    return tables
