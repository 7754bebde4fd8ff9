"""Data audit (submodule 2.4): data quality checks on the real UN E-Government Survey data.

The learner picks an edition and reads a data-quality panel computed from
:func:`digit4sd_widgets.data.load_survey`: missing figures per column (and for which
countries), countries that share a rank, values outside the 0-1 scale, how far the EGDI is
from the mean of its three components, and the Survey names that differ from the UN M49
table. Then the learner answers a short audit (five findings about the real data) and writes a
data governance note: what they would fix or document first.

Every expected answer is computed from the data, never written down: if the dataset changes,
the audit follows. The saved answer is the edition looked at, the learner's answers and the
note.

The panel's tables come from pure functions that graded notebook cells can call:
:func:`missing_summary`, :func:`tied_ranks`, :func:`split_ranks`, :func:`out_of_range`,
:func:`mean_gap` and :func:`name_differences`.

>>> m = DataAuditModel().with_answer("missing_2003", "20").with_answer("tie_2022", ["SWE", "ISL"])
>>> m.is_right("missing_2003"), m.is_right("tie_2022"), m.score()
(True, True, 2)
>>> m.to_dict()["answers"]
{'missing_2003': 20, 'tie_2022': ['ISL', 'SWE']}
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from .. import data
from ..i18n import N_, _, get_language, ngettext, number, pgettext
from ..i18n import country_name as local_name
from ..workbook import Workbook
from ._base import (
    MAX_TEXT,
    Block,
    Completeness,
    ExerciseModel,
    ExerciseView,
    ValidationError,
    choice,
    integer,
    mapping,
    message_label,
    scroll_region,
    sequence,
    show_message,
    text,
)
from ._country import edition, table_html
from .stakeholders import listing, progress_text

DEFAULT_YEAR = data.EDITIONS[0]  # the edition with the most quirks
COLUMNS: dict[str, str] = {
    "egdi": "EGDI",
    "osi": N_("Online services (OSI)"),
    "hci": N_("Human capital (HCI)"),
    "tii": N_("Telecom infrastructure (TII)"),
    "epi": N_("E-Participation (EPI)"),
    "egdi_rank": N_("EGDI rank"),
    "egdi_level": N_("EGDI level"),
}
SCALED: tuple[str, ...] = ("egdi", "osi", "hci", "tii", "epi")
ROUNDING = 0.0005  # a gap above this is more than the rounding of published figures
TOP_GAPS = 10


# ============================================================================ pure checks
@lru_cache(maxsize=len(data.EDITIONS))
def _edition(year: int) -> pd.DataFrame:
    return data.load_survey(years=year)


@lru_cache(maxsize=1)
def _english() -> dict[str, str]:
    c = data.load_countries()
    return {str(i): str(n) for i, n in zip(c["iso3"], c["name"], strict=True)}


def _names(codes: list[str]) -> list[str]:
    """The Survey's (English) names of countries, sorted: the tables the functions below
    return keep the data's names, whatever the reader's language."""
    return sorted((_english().get(c, c) for c in codes), key=str.casefold)


def _plain_key(name: str) -> str:
    """Sort key for names in any language: accents and case ignored ("Égypte" with "E")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(ch)).casefold()


def shown_name(iso3: str) -> str:
    """A country's name in the reader's language."""
    return local_name(iso3, _english().get(iso3, iso3))


def shown_names(codes: Any) -> str:
    """Countries' names in the reader's language, sorted, comma-separated; ``–`` for none."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(", ") if c]
    names = sorted((shown_name(c) for c in codes), key=_plain_key)
    return ", ".join(names) or "–"


@lru_cache(maxsize=len(data.EDITIONS))
def _missing_summary(year: int) -> pd.DataFrame:
    ed = _edition(year)
    rows = []
    for col, label in COLUMNS.items():
        gone = ed.loc[ed[col].isna(), "iso3"].astype(str).tolist()
        rows.append({"column": col, "label": label, "missing": len(gone),
                     "iso3": ", ".join(sorted(gone)), "countries": ", ".join(_names(gone))})
    return pd.DataFrame(rows).astype({"missing": "int64"})


def missing_summary(year: int) -> pd.DataFrame:
    """Missing figures in one edition, one row per column.

    Columns: ``column`` (egdi, osi, hci, tii, epi, egdi_rank, egdi_level), ``label``,
    ``missing`` (how many countries have no figure), ``iso3`` and ``countries`` (those
    countries, comma-separated, sorted).

    >>> s = missing_summary(2003).set_index("column")
    >>> int(s.loc["egdi", "missing"]), int(missing_summary(2024)["missing"].sum())
    (20, 0)
    """
    return _missing_summary(edition(year)).copy()


@lru_cache(maxsize=len(data.EDITIONS))
def _tied_ranks(year: int) -> pd.DataFrame:
    ed = _edition(year).dropna(subset=["egdi_rank"])
    rows = []
    for rank, part in ed.groupby("egdi_rank"):
        if len(part) < 2:
            continue
        part = part.assign(name=part["country"].astype(str)).sort_values("name")
        rows.append({"rank": int(rank), "count": len(part),
                     "iso3": ", ".join(sorted(part["iso3"].astype(str))),
                     "countries": ", ".join(part["name"]),
                     "egdi": ", ".join(sorted({f"{v:.4f}" for v in part["egdi"]}))})
    out = pd.DataFrame(rows, columns=["rank", "count", "iso3", "countries", "egdi"])
    return out.astype({"rank": "int64", "count": "int64"})


def tied_ranks(year: int) -> pd.DataFrame:
    """Groups of countries that share an EGDI rank in one edition (ties as published).

    Columns: ``rank``, ``count``, ``iso3`` (sorted codes), ``countries`` (sorted names),
    ``egdi`` (their published EGDI). Empty when no two countries share a rank.

    >>> t = tied_ranks(2022)
    >>> t.loc[t["rank"] == 5, "countries"].item()
    'Iceland, Sweden'
    """
    return _tied_ranks(edition(year)).copy()


@lru_cache(maxsize=len(data.EDITIONS))
def _split_ranks(year: int) -> pd.DataFrame:
    ed = _edition(year).dropna(subset=["egdi", "egdi_rank"])
    rows = []
    for egdi, part in ed.groupby("egdi"):
        if part["egdi_rank"].nunique() < 2:
            continue
        part = part.sort_values(["egdi_rank", "iso3"])
        rows.append({"egdi": float(egdi),
                     "iso3": ", ".join(part["iso3"].astype(str)),
                     "countries": ", ".join(part["country"].astype(str)),
                     "ranks": ", ".join(str(int(r)) for r in part["egdi_rank"])})
    out = pd.DataFrame(rows, columns=["egdi", "iso3", "countries", "ranks"])
    return out.sort_values("egdi", ascending=False, ignore_index=True)


def split_ranks(year: int) -> pd.DataFrame:
    """Countries that print the same EGDI but hold different ranks (the UN ranked on
    unrounded figures). Columns: ``egdi``, ``iso3``, ``countries``, ``ranks`` (in rank
    order).

    >>> len(split_ranks(2020)), len(split_ranks(2022))
    (4, 0)
    """
    return _split_ranks(edition(year)).copy()


@lru_cache(maxsize=len(data.EDITIONS))
def _out_of_range(year: int) -> pd.DataFrame:
    ed = _edition(year)
    rows = []
    for col in SCALED:
        bad = ed[(ed[col] < 0) | (ed[col] > 1)]
        for r in bad.itertuples():
            rows.append({"iso3": str(r.iso3), "country": str(r.country), "column": col,
                         "value": float(getattr(r, col))})
    out = pd.DataFrame(rows, columns=["iso3", "country", "column", "value"])
    return out.astype({"value": "float64"})


def out_of_range(year: int) -> pd.DataFrame:
    """Figures outside the 0-1 scale in one edition: ``iso3, country, column, value``.

    >>> out_of_range(2003)[["iso3", "column"]].values.tolist()
    [['FSM', 'hci'], ['TUV', 'hci']]
    """
    return _out_of_range(edition(year)).copy()


@lru_cache(maxsize=len(data.EDITIONS))
def _mean_gap(year: int) -> pd.DataFrame:
    ed = _edition(year).dropna(subset=["egdi", *data.COMPONENTS])
    mean = ed[list(data.COMPONENTS)].mean(axis=1)
    out = pd.DataFrame({"iso3": ed["iso3"].astype(str), "country": ed["country"].astype(str),
                        "egdi": ed["egdi"], "mean_components": mean,
                        "gap": ed["egdi"] - mean})
    out["abs_gap"] = out["gap"].abs()
    out = out.sort_values(["abs_gap", "iso3"], ascending=[False, True], ignore_index=True)
    return out.astype({"egdi": "float64", "mean_components": "float64", "gap": "float64",
                       "abs_gap": "float64"})


def mean_gap(year: int) -> pd.DataFrame:
    """How far each published EGDI is from the mean of its published OSI, HCI and TII.

    One row per country with all four figures, largest gap first. Columns: ``iso3, country,
    egdi, mean_components, gap`` (EGDI minus the mean) and ``abs_gap``.

    >>> g = mean_gap(2008)
    >>> g.loc[0, "iso3"], round(float(g.loc[0, "abs_gap"]), 4)
    ('CMR', 0.0136)
    """
    return _mean_gap(edition(year)).copy()


@lru_cache(maxsize=1)
def _name_differences() -> pd.DataFrame:
    c = data.load_countries()
    diff = c[c["name"] != c["m49_name"]]
    return pd.DataFrame({"iso3": diff["iso3"].astype(str), "survey_name": diff["name"].astype(
        str), "m49_name": diff["m49_name"].astype(str)}).reset_index(drop=True)


def name_differences() -> pd.DataFrame:
    """Countries whose Survey name differs from the UN M49 table: ``iso3, survey_name,
    m49_name``. A join on names would miss them; a join on ISO3 codes does not.

    >>> "TUR" in set(name_differences()["iso3"])
    True
    """
    return _name_differences().copy()


# ============================================================================ the audit
@dataclass(frozen=True)
class Finding:
    """One audit question. ``kind``: "count" (a whole number), "country" (one ISO3 code)
    or "group" (a set of ISO3 codes, stored sorted). ``question`` and ``why`` are English,
    shown in the reader's language by :meth:`asked` and :meth:`explained`; ``options``
    gives the values a learner chooses from (labels: :func:`options`)."""

    id: str
    question: str
    kind: str
    why: str
    solve: Callable[[], Any]
    options: Callable[[], tuple[Any, ...]] | None = None

    def asked(self) -> str:
        return _(self.question)

    def explained(self) -> str:
        return _(self.why)


def _pair_label(codes: tuple[str, ...]) -> str:
    names = sorted((shown_name(c) for c in codes), key=_plain_key)
    if len(names) == 2:
        return _("{first} and {second}").format(first=names[0], second=names[1])
    return ", ".join(names)


@lru_cache(maxsize=1)
def _tie_2022() -> tuple[str, ...]:
    t = _tied_ranks(2022)
    return tuple(t.loc[t["rank"] == 5, "iso3"].item().split(", "))


@lru_cache(maxsize=1)
def _tie_options() -> tuple[Any, ...]:
    groups = [tuple(s.split(", ")) for s in _tied_ranks(2022)["iso3"]]
    top = tuple(sorted(_edition(2022).nsmallest(2, "egdi_rank")["iso3"].astype(str)))
    if top not in groups:
        groups.append(top)
    return tuple(groups)


@lru_cache(maxsize=1)
def _hci_options() -> tuple[Any, ...]:
    return tuple(_edition(2003).nlargest(4, "hci")["iso3"].astype(str))


@lru_cache(maxsize=1)
def _gap_options() -> tuple[Any, ...]:
    return tuple(_mean_gap(2008)["iso3"].head(5))


FINDINGS: tuple[Finding, ...] = (
    Finding("missing_2003", N_("In 2003, how many countries have no EGDI?"), "count",
            N_("The file shows an EGDI of 0 at a shared last rank for them: the UN did not "
               "compute one. Treat these as missing, not as zero."),
            lambda: int(_missing_summary(2003).set_index("column").loc["egdi", "missing"])),
    Finding("tie_2022", N_("Which two countries share rank 5 in 2022?"), "group",
            N_("Tied countries keep the same rank and the next rank is skipped, so a rank is "
               "not a unique key for a country."),
            _tie_2022, _tie_options),
    Finding("hci_2003", N_("In 2003, which country has the highest Human Capital Index, "
                           "above the top of the 0-1 scale?"), "country",
            N_("A value above 1 is impossible on this scale: it is an error in the source, "
               "kept as published. Flag it before you compare countries."),
            lambda: str(_edition(2003).nlargest(1, "hci")["iso3"].iloc[0]), _hci_options),
    Finding("gap_2008", N_("In 2008, for which country is the EGDI furthest from the mean of "
                           "its three components?"), "country",
            N_("In 2008 and 2010 the published components are not exactly the ones the EGDI "
               "was computed from, so rebuilding the EGDI from them does not give the same "
               "number."),
            lambda: str(_mean_gap(2008)["iso3"].iloc[0]), _gap_options),
    Finding("names_m49", N_("How many countries have a Survey name that differs from their "
                            "name in the UN M49 country table?"), "count",
            N_("Joining tables on country names would lose these countries. Join on ISO3 "
               "codes instead."),
            lambda: len(_name_differences())),
)
FINDING_IDS: tuple[str, ...] = tuple(f.id for f in FINDINGS)
MAX_COUNT = 10_000


def _finding(finding_id: Any) -> Finding:
    for f in FINDINGS:
        if f.id == finding_id:
            return f
    raise ValidationError(_("There is no finding {finding!r} in this audit.").format(
        finding=str(finding_id)[:40]), "answers")


def expected(finding_id: str) -> Any:
    """The answer the data gives for a finding: an int, an ISO3 code, or a sorted list of
    ISO3 codes.

    >>> expected("tie_2022"), expected("hci_2003")
    (['ISL', 'SWE'], 'FSM')
    """
    value = _finding(finding_id).solve()
    return list(value) if isinstance(value, tuple) else value


def _option_label(f: Finding, value: Any) -> str:
    return _pair_label(tuple(value)) if f.kind == "group" else shown_name(str(value))


def options(finding_id: str) -> list[tuple[str, Any]]:
    """(label, value) pairs a learner chooses from, by label in the reader's language
    (empty for a count)."""
    f = _finding(finding_id)
    if f.options is None:
        return []
    pairs = [(_option_label(f, v), list(v) if isinstance(v, tuple) else v)
             for v in f.options()]
    return sorted(pairs, key=lambda p: _plain_key(p[0]))


def answer_label(finding_id: str, value: Any) -> str:
    """A stored or expected answer in words."""
    f = _finding(finding_id)
    if value is None:
        return "–"
    if f.kind == "count":
        return str(value)
    return _option_label(f, value)


def _parse_answer(f: Finding, value: Any) -> Any:
    label = _("Your answer to finding {n}").format(n=FINDING_IDS.index(f.id) + 1)
    if f.kind == "count":
        return integer(value, label, lo=0, hi=MAX_COUNT, field="answers")
    assert f.options is not None
    allowed = list(f.options())
    if f.kind == "group":
        items = sequence(value, label, max_len=10)
        if not all(isinstance(c, str) for c in items):
            raise ValidationError(_("{label} must be a list of country codes.").format(
                label=label), "answers")
        picked = tuple(sorted(c.strip().upper() for c in items))
        if picked not in allowed:
            raise ValidationError(_("{label} must be one of: {choices}.").format(
                label=label, choices=listing(name for name, _v in options(f.id))),
                "answers")
        return list(picked)
    return choice(value, label, allowed, field="answers")


# ============================================================================ model
class DataAuditModel(ExerciseModel):
    """The edition looked at, the learner's answers to the audit and a governance note.

    >>> m = DataAuditModel(year=2008).with_answer("gap_2008", "CMR").with_note("Document it.")
    >>> m.is_right("gap_2008"), m.completeness().done
    (True, 2)
    """

    kind: ClassVar[str] = "data_audit"
    title: ClassVar[str] = N_("Data audit")
    submodule: ClassVar[str] = "2.4"

    def __init__(self, year: Any = DEFAULT_YEAR, answers: Any = None, note: Any = ""):
        self.year = edition(year)
        given = mapping({} if answers is None else answers, _("Answers"))
        for finding_id in given:
            _finding(finding_id)
        self.answers: dict[str, Any] = {
            f.id: _parse_answer(f, given[f.id]) for f in FINDINGS
            if f.id in given and given[f.id] not in (None, "")}
        self.note = text(note, _("Your data governance note"), max_len=MAX_TEXT,
                         field="note")

    # -- changes (each returns a new model or raises ValidationError)
    def with_year(self, year: Any) -> DataAuditModel:
        return DataAuditModel(year, self.answers, self.note)

    def with_answer(self, finding_id: str, value: Any) -> DataAuditModel:
        """A new model with ``value`` for one finding (``""`` or None clears it)."""
        f = _finding(finding_id)
        rest = {k: v for k, v in self.answers.items() if k != f.id}
        if value is None or (isinstance(value, str) and not value.strip()):
            return DataAuditModel(self.year, rest, self.note)
        return DataAuditModel(self.year, {**rest, f.id: value}, self.note)

    def with_note(self, note: Any) -> DataAuditModel:
        return DataAuditModel(self.year, self.answers, note)

    # -- reading
    def is_right(self, finding_id: str) -> bool | None:
        f = _finding(finding_id)
        given = self.answers.get(f.id)
        return None if given is None else given == expected(f.id)

    def score(self) -> int:
        return sum(bool(self.is_right(f.id)) for f in FINDINGS)

    def completeness(self) -> Completeness:
        missing = [_("an answer to finding {n}").format(n=n)
                   for n, f in enumerate(FINDINGS, 1) if f.id not in self.answers]
        if not self.note:
            missing.append(_("a data governance note"))
        total = len(FINDINGS) + 1
        return Completeness(total - len(missing), total, missing)

    def report(self) -> list[Block]:
        verdict = {True: pgettext("answer", "yes"), False: pgettext("answer", "no"),
                   None: "–"}
        rows = [[f.asked(), answer_label(f.id, self.answers.get(f.id)),
                 answer_label(f.id, expected(f.id)), verdict[self.is_right(f.id)]]
                for f in FINDINGS]
        return [
            Block("fields", _("Audit"), items=[
                (_("Edition looked at"), str(self.year)),
                (pgettext("answer", "Right"),
                 _("{n} of {total}").format(n=self.score(), total=len(FINDINGS)))]),
            Block("table", _("Findings"), columns=[_("Question"), _("Your answer"),
                                                   _("The data says"),
                                                   pgettext("answer", "Right")], rows=rows),
            Block("table", _("Data quality in {year}").format(year=self.year),
                  columns=[_("Check"), _("Result")], rows=quality_rows(self.year)),
            Block("note", _("Data governance note"), text=self.note or "–"),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year,
                "answers": {k: list(v) if isinstance(v, list) else v
                            for k, v in self.answers.items()},
                "note": self.note}

    @classmethod
    def from_dict(cls, data_: Any) -> DataAuditModel:
        d = mapping(data_, _("A data audit"))
        return cls(d.get("year", DEFAULT_YEAR), d.get("answers"), d.get("note", ""))

    @classmethod
    def starter(cls, workbook: Workbook) -> DataAuditModel:
        return cls()


def quality_rows(year: int) -> list[list[str]]:
    """A one-line-per-check summary of an edition (for the report)."""
    miss = _missing_summary(year).set_index("column")["missing"]
    gaps = _mean_gap(year)
    big = int((gaps["abs_gap"] > ROUNDING).sum())
    return [
        [_("Countries"), str(len(_edition(year)))],
        [_("No EGDI"), str(int(miss["egdi"]))],
        [_("No EPI"), str(int(miss["epi"]))],
        [_("Groups sharing a rank"), str(len(_tied_ranks(year)))],
        [_("Same EGDI, different ranks"), str(len(_split_ranks(year)))],
        [_("Figures outside 0-1"), str(len(_out_of_range(year)))],
        [_("EGDI more than {gap} from the mean of its components").format(
            gap=number(ROUNDING, 4)),
         ngettext("{n} of {total} countries", "{n} of {total} countries", big)
         .format(n=big, total=len(gaps))],
    ]


# ============================================================================ panel
def _section(title: str, body: str) -> str:
    return f"<div class='d4-audit'><p><b>{html.escape(title)}</b></p>{body}</div>"


def _plain(message: str) -> str:
    return f"<p>{html.escape(message)}</p>"


def _signed(value: float, digits: int = 4) -> str:
    """``+0.0136`` / ``-0,0136``: a gap with its sign, in the reader's number form."""
    return ("+" if value >= 0 else "-") + number(abs(value), digits)


def _figures(text_: str) -> str:
    """Published figures kept as text in a table ("0.9xxx, 0.9yyy") in the reader's form."""
    return ", ".join(number(float(v), 4) for v in text_.split(", ") if v)


def panel_html(year: int) -> tuple[str, str, str, str, str]:
    """The five parts of the data-quality panel (missing, ranks, range, EGDI check, names),
    every cell escaped, in the reader's language."""
    return _panel_html(year, get_language())


@lru_cache(maxsize=4 * len(data.EDITIONS))
def _panel_html(year: int, lang: str) -> tuple[str, str, str, str, str]:
    ed = _edition(year)
    miss = _missing_summary(year)
    missing = _plain(ngettext("{n} country in {year}. A dash means no country is missing.",
                              "{n} countries in {year}. A dash means no country is missing.",
                              len(ed)).format(n=len(ed), year=year))
    missing += table_html([_("Column"), _("Missing"), _("Countries")],
                          [[_(COLUMNS[r.column]), r.missing, shown_names(r.iso3)]
                           for r in miss.itertuples()])
    if int(miss.loc[miss["column"] == "egdi", "missing"].item()):
        missing += _plain(_("Where the file shows an EGDI of 0 at a shared last rank, the UN "
                            "did not compute one: those figures are counted as missing here."))

    ties = _tied_ranks(year)
    ranks = (table_html([_("Rank"), _("Countries"), "EGDI"],
                        [[r.rank, shown_names(r.iso3), _figures(r.egdi)]
                         for r in ties.itertuples()])
             if len(ties) else _plain(_("No two countries share a rank in {year}.")
                                      .format(year=year)))
    split = _split_ranks(year)
    if len(split):
        ranks += _plain(_("Same published EGDI, different ranks (the UN ranked on figures "
                          "with more decimals than it published):"))
        # the names in rank order, as the ranks are listed
        ranks += table_html(["EGDI", _("Countries"), _("Ranks")],
                            [[number(r.egdi, 4),
                              ", ".join(shown_name(c) for c in r.iso3.split(", ")), r.ranks]
                             for r in split.itertuples()])

    out = _out_of_range(year)
    scale = (table_html([_("Country"), _("Column"), _("Value")],
                        [[shown_name(r.iso3), _(COLUMNS[r.column]), number(r.value, 4)]
                         for r in out.itertuples()])
             if len(out) else _plain(_("Every figure in {year} is between 0 and 1.")
                                     .format(year=year)))

    gaps = _mean_gap(year)
    big = int((gaps["abs_gap"] > ROUNDING).sum())
    check = _plain(ngettext(
        "For {n} of {total} countries the EGDI is more than {gap} away from the mean of OSI, "
        "HCI and TII (a smaller gap is only rounding). The {top} largest gaps:",
        "For {n} of {total} countries the EGDI is more than {gap} away from the mean of OSI, "
        "HCI and TII (a smaller gap is only rounding). The {top} largest gaps:",
        big).format(n=big, total=len(gaps), gap=number(ROUNDING, 4), top=TOP_GAPS))
    check += table_html([_("Country"), "EGDI", _("Mean of the components"), _("Gap")],
                        [[shown_name(r.iso3), number(r.egdi, 4),
                          number(r.mean_components, 4), _signed(r.gap)]
                         for r in gaps.head(TOP_GAPS).itertuples()])

    names = _name_differences()
    naming = _plain(_("These Survey names differ from the UN M49 country table (the same in "
                      "every edition). Joining on ISO3 codes avoids the problem."))
    naming += table_html(["ISO3", _("Survey name"), _("M49 name")],
                         [[r.iso3, r.survey_name, r.m49_name] for r in names.itertuples()])
    return missing, ranks, scale, check, naming


PANEL_TITLES = (N_("Missing figures"), N_("Shared ranks"), N_("Outside 0-1"),
                N_("EGDI and its parts"), N_("Country names"))


# ============================================================================ view
class DataAudit(ExerciseView):
    """Data audit: a data-quality panel for an edition, five findings, a governance note.

    >>> view = DataAudit(workbook=Workbook.in_memory())
    >>> view.entries["missing_2003"].value = "20"; view.check_button.click()
    >>> view.model.score()
    1
    """

    model_class = DataAuditModel
    model: DataAuditModel

    def _build(self) -> list[widgets.Widget]:
        self.checked = False
        self._refreshing = False
        self.edition = widgets.Dropdown(description=_("Edition"), options=list(data.EDITIONS),
                                        value=self.model.year,
                                        style={"description_width": "70px"},
                                        layout=widgets.Layout(width="180px"))
        self.edition_message = message_label()
        self.panels = [widgets.HTML() for _title in PANEL_TITLES]
        self.tabs = widgets.Tab(children=self.panels,
                                titles=[_(title) for title in PANEL_TITLES])
        self.edition.observe(self._guard(self._pick_year, self.edition_message),
                             names="value")

        self.entries: dict[str, widgets.ValueWidget] = {}
        self.messages: dict[str, widgets.HTML] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        rows: list[widgets.Widget] = []
        for n, f in enumerate(FINDINGS, 1):
            # the question is the control's own label, read out with it by a screen reader
            asked = {"description": f"{n}. {f.asked()}",
                     "style": {"description_width": "420px"}}
            if f.kind == "count":
                entry: widgets.ValueWidget = widgets.Text(
                    placeholder=_("a whole number"), continuous_update=False,
                    layout=widgets.Layout(width="570px"), **asked)
            else:
                entry = widgets.Dropdown(
                    options=[(_("(choose)"), "")]
                    + [(label, ",".join(v) if isinstance(v, list) else v)
                       for label, v in options(f.id)],
                    value="", layout=widgets.Layout(width="660px"), **asked)
            self.entries[f.id] = entry
            self.messages[f.id] = message_label()
            self.feedback[f.id] = widgets.HTML()
            entry.observe(self._guard(self._changed_for(f.id), self.messages[f.id]),
                          names="value")
            row = widgets.VBox([entry, self.messages[f.id], self.feedback[f.id]])
            row.add_class("d4-choice-row")
            rows.append(row)
        self.check_button = widgets.Button(description=_("Check"), button_style="primary",
                                           icon="check")
        self.check_message = message_label()
        self.check_button.on_click(self._guard(self._check, self.check_message))
        self.score_label = widgets.HTML()

        self.note = widgets.Textarea(
            value=self.model.note, description=_("Governance note"),
            placeholder=_("What would you fix or document first in this data, and why?"),
            style={"description_width": "120px"},
            layout=widgets.Layout(width="95%", height="90px"))
        self.save_button = widgets.Button(description=_("Save note"), icon="save")
        self.note_message = message_label()
        self.save_button.on_click(self._guard(self._save_note, self.note_message))
        self.progress = widgets.HTML()
        intro = widgets.HTML("<p>" + html.escape(_(
            "Pick an edition and look through the tabs: they show what is missing, where "
            "countries share a rank, values off the 0-1 scale and whether the EGDI matches its "
            "three parts. Then answer the findings below (switch editions to find them) and "
            "click Check.")) + "</p>")
        return [intro, self.edition, self.edition_message, self.tabs,
                widgets.HTML("<p><b>" + html.escape(_("Your audit")) + "</b></p>"), *rows,
                widgets.HBox([self.check_button, self.score_label]), self.check_message,
                self.note, widgets.HBox([self.save_button, self.progress]), self.note_message]

    # -- callbacks
    def _pick_year(self, change: dict[str, Any]) -> None:
        if not self._refreshing and change["new"] != self.model.year:
            self.commit(self.model.with_year(change["new"]))

    def _changed_for(self, finding_id: str) -> Callable[[dict[str, Any]], None]:
        f = _finding(finding_id)

        def changed(change: dict[str, Any]) -> None:
            if self._refreshing:
                return
            value = change["new"]
            if f.kind == "group" and value:
                value = value.split(",")
            self.commit(self.model.with_answer(f.id, value))
        return changed

    def _check(self, _button: Any = None) -> None:
        if not self.model.answers:
            raise ValidationError(_("Answer at least one finding first."))
        self.checked = True
        self._safe_refresh()

    def _save_note(self, _button: Any = None) -> None:
        self.commit(self.model.with_note(self.note.value))

    # -- display
    def _shown(self, f: Finding) -> Any:
        given = self.model.answers.get(f.id)
        if given is None:
            return ""
        if f.kind == "count":
            return str(given)
        return ",".join(given) if isinstance(given, list) else given

    def refresh(self) -> None:
        m = self.model
        self._refreshing = True
        try:
            if self.edition.value != m.year:
                self.edition.value = m.year
            for f in FINDINGS:
                entry = self.entries[f.id]
                shown = self._shown(f)
                # a count the learner is typing stays as typed while it is refused
                if entry.value != shown and not (f.kind == "count" and self.messages[f.id].value):
                    entry.value = shown
                right = m.is_right(f.id)
                if not self.checked or right is None:
                    self.feedback[f.id].value = ""
                elif right:
                    self.feedback[f.id].value = (
                        "<span style='color:#1b5e20'>✓ "
                        + html.escape(_("Right. {why}").format(why=f.explained()))
                        + "</span>")
                else:
                    said = "<b>" + html.escape(answer_label(f.id, expected(f.id))) + "</b>"
                    self.feedback[f.id].value = (
                        "<span style='color:#b00020'>✗ "
                        + html.escape(_("Not quite: the data says {answer}. {why}")).format(
                            answer=said, why=html.escape(f.explained()))
                        + "</span>")
        finally:
            self._refreshing = False
        for panel, title, part in zip(self.panels, PANEL_TITLES, panel_html(m.year),
                                      strict=True):
            part = scroll_region(part, _(title))
            if panel.value != part:
                panel.value = part
        answered = len(m.answers)
        show_score(self.score_label, self.checked, m.score(), answered, len(FINDINGS))
        done = m.completeness()
        show_message(self.progress, progress_text(done), "ok" if done.complete else "info")


def show_score(where: widgets.HTML, checked: bool, score: int, answered: int,
               total: int) -> None:
    """The score after "Check" (or how many are answered before it), in the reader's
    language."""
    if checked:
        show_message(where, _("Score: {score} of {total} right ({answered} of {total} "
                              "answered).").format(score=score, total=total,
                                                    answered=answered),
                     "ok" if score == total else "info")
    else:
        show_message(where, _("{answered} of {total} answered. Click Check to see how you "
                              "did.").format(answered=answered, total=total), "info")


__all__ = [
    "FINDINGS",
    "DataAudit",
    "DataAuditModel",
    "Finding",
    "Workbook",
    "answer_label",
    "expected",
    "mean_gap",
    "missing_summary",
    "name_differences",
    "options",
    "out_of_range",
    "panel_html",
    "quality_rows",
    "show_score",
    "shown_name",
    "shown_names",
    "split_ranks",
    "tied_ranks",
]
