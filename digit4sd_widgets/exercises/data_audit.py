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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import pandas as pd

from .. import data
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
from ._country import country_name, edition, table_html

DEFAULT_YEAR = data.EDITIONS[0]  # the edition with the most quirks
COLUMNS: dict[str, str] = {
    "egdi": "EGDI",
    "osi": "Online services (OSI)",
    "hci": "Human capital (HCI)",
    "tii": "Telecom infrastructure (TII)",
    "epi": "E-Participation (EPI)",
    "egdi_rank": "EGDI rank",
    "egdi_level": "EGDI level",
}
SCALED: tuple[str, ...] = ("egdi", "osi", "hci", "tii", "epi")
ROUNDING = 0.0005  # a gap above this is more than the rounding of published figures
TOP_GAPS = 10


# ============================================================================ pure checks
@lru_cache(maxsize=len(data.EDITIONS))
def _edition(year: int) -> pd.DataFrame:
    return data.load_survey(years=year)


def _names(codes: list[str]) -> list[str]:
    return sorted((country_name(c) for c in codes), key=str.casefold)


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
    or "group" (a set of ISO3 codes, stored sorted)."""

    id: str
    question: str
    kind: str
    why: str
    solve: Callable[[], Any]
    options: Callable[[], tuple[tuple[str, Any], ...]] | None = None


def _pair_label(codes: tuple[str, ...]) -> str:
    return " and ".join(_names(list(codes)))


@lru_cache(maxsize=1)
def _tie_2022() -> tuple[str, ...]:
    t = _tied_ranks(2022)
    return tuple(t.loc[t["rank"] == 5, "iso3"].item().split(", "))


@lru_cache(maxsize=1)
def _tie_options() -> tuple[tuple[str, Any], ...]:
    groups = [tuple(s.split(", ")) for s in _tied_ranks(2022)["iso3"]]
    top = tuple(sorted(_edition(2022).nsmallest(2, "egdi_rank")["iso3"].astype(str)))
    if top not in groups:
        groups.append(top)
    return tuple(sorted(((_pair_label(g), g) for g in groups), key=lambda p: p[0]))


@lru_cache(maxsize=1)
def _hci_options() -> tuple[tuple[str, Any], ...]:
    top = _edition(2003).nlargest(4, "hci")["iso3"].astype(str)
    return tuple(sorted(((country_name(c), c) for c in top), key=lambda p: p[0]))


@lru_cache(maxsize=1)
def _gap_options() -> tuple[tuple[str, Any], ...]:
    top = _mean_gap(2008)["iso3"].head(5)
    return tuple(sorted(((country_name(c), c) for c in top), key=lambda p: p[0]))


FINDINGS: tuple[Finding, ...] = (
    Finding("missing_2003", "In 2003, how many countries have no EGDI?", "count",
            "The file shows an EGDI of 0 at a shared last rank for them: the UN did not "
            "compute one. Treat these as missing, not as zero.",
            lambda: int(_missing_summary(2003).set_index("column").loc["egdi", "missing"])),
    Finding("tie_2022", "Which two countries share rank 5 in 2022?", "group",
            "Tied countries keep the same rank and the next rank is skipped, so a rank is "
            "not a unique key for a country.",
            _tie_2022, _tie_options),
    Finding("hci_2003", "In 2003, which country has the highest Human Capital Index, above "
            "the top of the 0-1 scale?", "country",
            "A value above 1 is impossible on this scale: it is an error in the source, kept "
            "as published. Flag it before you compare countries.",
            lambda: str(_edition(2003).nlargest(1, "hci")["iso3"].iloc[0]), _hci_options),
    Finding("gap_2008", "In 2008, for which country is the EGDI furthest from the mean of "
            "its three components?", "country",
            "In 2008 and 2010 the published components are not exactly the ones the EGDI was "
            "computed from, so rebuilding the EGDI from them does not give the same number.",
            lambda: str(_mean_gap(2008)["iso3"].iloc[0]), _gap_options),
    Finding("names_m49", "How many countries have a Survey name that differs from their "
            "name in the UN M49 country table?", "count",
            "Joining tables on country names would lose these countries. Join on ISO3 codes "
            "instead.",
            lambda: len(_name_differences())),
)
FINDING_IDS: tuple[str, ...] = tuple(f.id for f in FINDINGS)
MAX_COUNT = 10_000


def _finding(finding_id: Any) -> Finding:
    for f in FINDINGS:
        if f.id == finding_id:
            return f
    raise ValidationError(f"There is no finding {str(finding_id)[:40]!r} in this audit.",
                          "answers")


def expected(finding_id: str) -> Any:
    """The answer the data gives for a finding: an int, an ISO3 code, or a sorted list of
    ISO3 codes.

    >>> expected("tie_2022"), expected("hci_2003")
    (['ISL', 'SWE'], 'FSM')
    """
    value = _finding(finding_id).solve()
    return list(value) if isinstance(value, tuple) else value


def options(finding_id: str) -> list[tuple[str, Any]]:
    """(label, value) pairs a learner chooses from (empty for a count)."""
    f = _finding(finding_id)
    if f.options is None:
        return []
    return [(label, list(v) if isinstance(v, tuple) else v) for label, v in f.options()]


def answer_label(finding_id: str, value: Any) -> str:
    """A stored or expected answer in words."""
    f = _finding(finding_id)
    if value is None:
        return "–"
    if f.kind == "count":
        return str(value)
    if f.kind == "group":
        return _pair_label(tuple(value))
    return country_name(str(value))


def _parse_answer(f: Finding, value: Any) -> Any:
    label = f"Your answer to finding {FINDING_IDS.index(f.id) + 1}"
    if f.kind == "count":
        return integer(value, label, lo=0, hi=MAX_COUNT, field="answers")
    assert f.options is not None
    allowed = [v for _, v in f.options()]
    if f.kind == "group":
        items = sequence(value, label, max_len=10)
        if not all(isinstance(c, str) for c in items):
            raise ValidationError(f"{label} must be a list of country codes.", "answers")
        picked = tuple(sorted(c.strip().upper() for c in items))
        if picked not in allowed:
            raise ValidationError(f"{label} must be one of: "
                                  f"{'; '.join(name for name, _ in f.options())}.", "answers")
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
    title: ClassVar[str] = "Data audit"
    submodule: ClassVar[str] = "2.4"

    def __init__(self, year: Any = DEFAULT_YEAR, answers: Any = None, note: Any = ""):
        self.year = edition(year)
        given = mapping({} if answers is None else answers, "Answers")
        for finding_id in given:
            _finding(finding_id)
        self.answers: dict[str, Any] = {
            f.id: _parse_answer(f, given[f.id]) for f in FINDINGS
            if f.id in given and given[f.id] not in (None, "")}
        self.note = text(note, "Your data governance note", max_len=MAX_TEXT, field="note")

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
        missing = [f"an answer to finding {n}" for n, f in enumerate(FINDINGS, 1)
                   if f.id not in self.answers]
        if not self.note:
            missing.append("a data governance note")
        total = len(FINDINGS) + 1
        return Completeness(total - len(missing), total, missing)

    def report(self) -> list[Block]:
        rows = [[f.question, answer_label(f.id, self.answers.get(f.id)),
                 answer_label(f.id, expected(f.id)),
                 {True: "yes", False: "no", None: "–"}[self.is_right(f.id)]]
                for f in FINDINGS]
        return [
            Block("fields", "Audit", items=[("Edition looked at", str(self.year)),
                                            ("Right", f"{self.score()} of {len(FINDINGS)}")]),
            Block("table", "Findings", columns=["Question", "Your answer", "The data says",
                                                "Right"], rows=rows),
            Block("table", f"Data quality in {self.year}",
                  columns=["Check", "Result"], rows=quality_rows(self.year)),
            Block("note", "Data governance note", text=self.note or "–"),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year,
                "answers": {k: list(v) if isinstance(v, list) else v
                            for k, v in self.answers.items()},
                "note": self.note}

    @classmethod
    def from_dict(cls, data_: Any) -> DataAuditModel:
        d = mapping(data_, "A data audit")
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
        ["Countries", str(len(_edition(year)))],
        ["No EGDI", str(int(miss["egdi"]))],
        ["No EPI", str(int(miss["epi"]))],
        ["Groups sharing a rank", str(len(_tied_ranks(year)))],
        ["Same EGDI, different ranks", str(len(_split_ranks(year)))],
        ["Figures outside 0-1", str(len(_out_of_range(year)))],
        ["EGDI more than 0.0005 from the mean of its components",
         f"{big} of {len(gaps)} countries"],
    ]


# ============================================================================ panel
def _section(title: str, body: str) -> str:
    return f"<div class='d4-audit'><p><b>{html.escape(title)}</b></p>{body}</div>"


def _plain(message: str) -> str:
    return f"<p>{html.escape(message)}</p>"


@lru_cache(maxsize=len(data.EDITIONS))
def panel_html(year: int) -> tuple[str, str, str, str, str]:
    """The five parts of the data-quality panel (missing, ranks, range, EGDI check, names),
    every cell escaped."""
    ed = _edition(year)
    miss = _missing_summary(year)
    missing = _plain(f"{len(ed)} countries in {year}. A dash means no country is missing.")
    missing += table_html(["Column", "Missing", "Countries"],
                          [[r.label, r.missing, r.countries or "–"]
                           for r in miss.itertuples()])
    if int(miss.loc[miss["column"] == "egdi", "missing"].item()):
        missing += _plain("Where the file shows an EGDI of 0 at a shared last rank, the UN did "
                          "not compute one: those figures are counted as missing here.")

    ties = _tied_ranks(year)
    ranks = (table_html(["Rank", "Countries", "EGDI"],
                        [[r.rank, r.countries, r.egdi] for r in ties.itertuples()])
             if len(ties) else _plain(f"No two countries share a rank in {year}."))
    split = _split_ranks(year)
    if len(split):
        ranks += _plain("Same published EGDI, different ranks (the UN ranked on figures "
                        "with more decimals than it published):")
        ranks += table_html(["EGDI", "Countries", "Ranks"],
                            [[f"{r.egdi:.4f}", r.countries, r.ranks]
                             for r in split.itertuples()])

    out = _out_of_range(year)
    scale = (table_html(["Country", "Column", "Value"],
                        [[r.country, COLUMNS[r.column], f"{r.value:g}"]
                         for r in out.itertuples()])
             if len(out) else _plain(f"Every figure in {year} is between 0 and 1."))

    gaps = _mean_gap(year)
    big = int((gaps["abs_gap"] > ROUNDING).sum())
    check = _plain(f"For {big} of {len(gaps)} countries the EGDI is more than {ROUNDING} "
                   "away from the mean of OSI, HCI and TII (a smaller gap is only rounding). "
                   f"The {TOP_GAPS} largest gaps:")
    check += table_html(["Country", "EGDI", "Mean of the components", "Gap"],
                        [[r.country, f"{r.egdi:.4f}", f"{r.mean_components:.4f}",
                          f"{r.gap:+.4f}"] for r in gaps.head(TOP_GAPS).itertuples()])

    names = _name_differences()
    naming = _plain("These Survey names differ from the UN M49 country table (the same in "
                    "every edition). Joining on ISO3 codes avoids the problem.")
    naming += table_html(["ISO3", "Survey name", "M49 name"],
                         [[r.iso3, r.survey_name, r.m49_name] for r in names.itertuples()])
    return missing, ranks, scale, check, naming


PANEL_TITLES = ("Missing figures", "Shared ranks", "Outside 0-1", "EGDI and its parts",
                "Country names")


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
        self.edition = widgets.Dropdown(description="Edition", options=list(data.EDITIONS),
                                        value=self.model.year,
                                        style={"description_width": "70px"},
                                        layout=widgets.Layout(width="180px"))
        self.edition_message = message_label()
        self.panels = [widgets.HTML() for _ in PANEL_TITLES]
        self.tabs = widgets.Tab(children=self.panels, titles=PANEL_TITLES)
        self.edition.observe(self._guard(self._pick_year, self.edition_message),
                             names="value")

        self.entries: dict[str, widgets.ValueWidget] = {}
        self.messages: dict[str, widgets.HTML] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        rows: list[widgets.Widget] = []
        for n, f in enumerate(FINDINGS, 1):
            # the question is the control's own label, read out with it by a screen reader
            asked = {"description": f"{n}. {f.question}",
                     "style": {"description_width": "420px"}}
            if f.kind == "count":
                entry: widgets.ValueWidget = widgets.Text(
                    placeholder="a whole number", continuous_update=False,
                    layout=widgets.Layout(width="570px"), **asked)
            else:
                entry = widgets.Dropdown(
                    options=[("(choose)", "")] + [(label, ",".join(v) if isinstance(v, list)
                                                   else v) for label, v in options(f.id)],
                    value="", layout=widgets.Layout(width="660px"), **asked)
            self.entries[f.id] = entry
            self.messages[f.id] = message_label()
            self.feedback[f.id] = widgets.HTML()
            entry.observe(self._guard(self._changed_for(f.id), self.messages[f.id]),
                          names="value")
            row = widgets.VBox([entry, self.messages[f.id], self.feedback[f.id]])
            row.add_class("d4-choice-row")
            rows.append(row)
        self.check_button = widgets.Button(description="Check", button_style="primary",
                                           icon="check")
        self.check_message = message_label()
        self.check_button.on_click(self._guard(self._check, self.check_message))
        self.score_label = widgets.HTML()

        self.note = widgets.Textarea(
            value=self.model.note, description="Governance note",
            placeholder="What would you fix or document first in this data, and why?",
            style={"description_width": "120px"},
            layout=widgets.Layout(width="95%", height="90px"))
        self.save_button = widgets.Button(description="Save note", icon="save")
        self.note_message = message_label()
        self.save_button.on_click(self._guard(self._save_note, self.note_message))
        self.progress = widgets.HTML()
        intro = widgets.HTML(
            "<p>Pick an edition and look through the tabs: they show what is missing, "
            "where countries share a rank, values off the 0-1 scale and whether the EGDI "
            "matches its three parts. Then answer the findings below (switch editions to "
            "find them) and click Check.</p>")
        return [intro, self.edition, self.edition_message, self.tabs,
                widgets.HTML("<p><b>Your audit</b></p>"), *rows,
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

    def _check(self, _: Any = None) -> None:
        if not self.model.answers:
            raise ValidationError("Answer at least one finding first.")
        self.checked = True
        self._safe_refresh()

    def _save_note(self, _: Any = None) -> None:
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
                        f"<span style='color:#1b5e20'>✓ Right. {html.escape(f.why)}</span>")
                else:
                    self.feedback[f.id].value = (
                        "<span style='color:#b00020'>✗ Not quite: the data says "
                        f"<b>{html.escape(answer_label(f.id, expected(f.id)))}</b>. "
                        f"{html.escape(f.why)}</span>")
        finally:
            self._refreshing = False
        for panel, title, part in zip(self.panels, PANEL_TITLES, panel_html(m.year),
                                      strict=True):
            part = scroll_region(part, title)
            if panel.value != part:
                panel.value = part
        answered = len(m.answers)
        if self.checked:
            show_message(self.score_label, f"Score: {m.score()} of {len(FINDINGS)} right "
                         f"({answered} of {len(FINDINGS)} answered).",
                         "ok" if m.score() == len(FINDINGS) else "info")
        else:
            show_message(self.score_label, f"{answered} of {len(FINDINGS)} answered. Click "
                         "Check to see how you did.", "info")
        done = m.completeness()
        show_message(self.progress, str(done) + ("" if done.complete else
                                                 " — still needed: " + "; ".join(done.missing)),
                     "ok" if done.complete else "info")


__all__ = ["FINDINGS", "DataAudit", "DataAuditModel", "Finding", "Workbook", "answer_label",
           "expected", "mean_gap", "missing_summary", "name_differences", "options",
           "out_of_range", "panel_html", "quality_rows", "split_ranks", "tied_ranks"]
