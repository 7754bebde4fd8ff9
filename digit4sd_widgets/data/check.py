"""Validate the shipped dataset and summarise it on one screen (``digit4sd data check``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from . import loader as data


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_checks(report: CheckReport) -> None:
    folder = data.dataset_dir()
    for entry in data._registry()["tables"]:
        path = folder / entry["file"]
        if not path.is_file():
            report.problems.append(f"{entry['file']} is missing")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            report.problems.append(f"{entry['file']} does not match its checksum in registry.json")
        header = path.open(encoding="utf-8").readline().strip().split(",")
        if header != entry["columns"]:
            report.problems.append(f"{entry['file']} columns {header} != {entry['columns']}")


def _survey_checks(report: CheckReport, survey: pd.DataFrame) -> None:
    per_edition = survey.groupby("year").size()
    if list(per_edition.index) != list(data.EDITIONS):
        report.problems.append(f"editions present: {list(per_edition.index)}")
    wrong = per_edition[per_edition != 193]
    if len(wrong):
        report.problems.append(f"editions without 193 rows: {wrong.to_dict()}")
    if survey["iso3"].isna().any():
        report.problems.append("rows without an ISO3 code")
    if survey.duplicated(["iso3", "year"]).any():
        report.problems.append("a country appears twice in one edition")
    for col in ("egdi", *data.COMPONENTS):
        values = survey[col].dropna()
        if ((values < 0) | (values > 1.5)).any():
            report.problems.append(f"{col} outside 0-1.5")
    has_egdi = survey["egdi"].notna()
    if (survey.loc[has_egdi, "egdi_rank"].isna()).any():
        report.problems.append("an EGDI without a rank")
    if (survey.loc[~has_egdi, "egdi_rank"].notna()).any():
        report.problems.append("a rank without an EGDI")


def check_dataset() -> CheckReport:
    """Run every check on the shipped files; return problems and a printable summary."""
    report = CheckReport()
    _file_checks(report)
    try:
        survey = data.load_survey()
        internet = data.load_internet_use()
        countries = data.load_countries()
    except Exception as exc:  # a broken file must be reported, not crash the check
        report.problems.append(f"the dataset does not load: {exc}")
        return report
    _survey_checks(report, survey)
    if len(countries) != 193:
        report.problems.append(f"{len(countries)} countries instead of 193")

    by_year = survey.groupby("year").agg(
        countries=("iso3", "size"),
        egdi=("egdi", "count"),
        mean=("egdi", "mean"),
        ldc=("ldc", "sum"),
        lldc=("lldc", "sum"),
        sids=("sids", "sum"),
    )
    out = report.lines
    out.append(f"DIGIT4SD dataset in {data.dataset_dir().name}/: UN E-Government Survey, "
               f"{len(data.EDITIONS)} editions x {len(countries)} UN Member States")
    out.append("")
    out.append("edition  rows  with EGDI  mean EGDI   LDC  LLDC  SIDS   top")
    for row in by_year.itertuples():
        top = survey[(survey["year"] == row.Index) & (survey["egdi_rank"] == 1)]["iso3"]
        out.append(f"{row.Index:>7}  {row.countries:>4}  {row.egdi:>9}  {row.mean:>9.4f}  "
                   f"{row.ldc:>4}  {row.lldc:>4}  {row.sids:>4}   {', '.join(top)}")
    latest = internet.sort_values("year").groupby("iso3").tail(1)
    out.append("")
    out.append(f"SDG 17.8.1 Internet use: {len(internet)} values for {internet['iso3'].nunique()} "
               f"countries, {internet['year'].min()}-{internet['year'].max()}; latest value "
               f"from {latest['year'].min()}-{latest['year'].max()} "
               f"({(latest['year'] == latest['year'].max()).sum()} countries in "
               f"{latest['year'].max()})")
    missing = survey["egdi"].isna().sum()
    out.append(f"Missing EGDI (not computed by the UN that edition): {missing} country-editions")
    out.append("")
    out.append("OK: all checks passed" if report.ok else
               "PROBLEMS:\n" + "\n".join(f"  - {p}" for p in report.problems))
    return report
