"""E-Participation explorer (submodule 2.5): the E-Participation Index (EPI) and its three
levels.

Part A, data. For one Survey edition the learner sees every country's EPI against its EGDI,
with a least-squares line ``EPI = intercept + slope x EGDI``. A country above the line does
more participation than its EGDI predicts (a positive residual). The exercise lists the ten
countries furthest above the line and shows where the learner's country sits: its residual and
its rank among all residuals (1 = furthest above). The learner's country and its peer group
(:func:`digit4sd_widgets.data.analysis.peer_group`) are highlighted in the chart.

Part B, levels. The learner sorts eight e-participation initiatives into the three levels
(e-information, e-consultation, e-decision-making) and checks the answers.

The saved answer is the selection (country, edition) and the classification; every figure is
computed from the data.

>>> m = EParticipationExplorerModel("Nepal", 2024).with_answer("budget_online", "e-information")
>>> m.score(), m.to_dict()
(1, {'year': 2024, 'country': 'NPL', 'answers': {'budget_online': 'e-information'}})
>>> top = overperformers(2024, n=3)
>>> list(top.columns), len(top), bool(top["residual"].is_monotonic_decreasing)
(['iso3', 'country', 'egdi', 'epi', 'predicted', 'residual'], 3, True)
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .. import charts, data
from ..i18n import N_, _, get_language, ngettext, number, pgettext
from ..workbook import Workbook
from ._base import (
    DEFAULT_COUNTRY,
    Block,
    Completeness,
    ExerciseModel,
    ValidationError,
    case_country,
    choice,
    choice_rows,
    integer,
    mapping,
    message_label,
)
from ._country import (
    CountryView,
    country_name,
    country_options,
    edition,
    fmt,
    peer_label,
    peers_of,
    resolve_country,
    short_group,
    signed,
    table_html,
)
from .data_audit import show_score

LEVELS: dict[str, str] = {
    "e-information": N_("Government puts information online (laws, budgets, data, plans) so "
                        "that people know what is going on and can take part."),
    "e-consultation": N_("Government asks people for their views online, on a plan or a "
                         "draft, and tells them what it did with the answers."),
    "e-decision-making": N_("People help decide online: what they choose or propose "
                            "directly shapes the decision."),
}
METHOD_YEAR = 2014  # the EPI's current method and scale start with this edition
TOP_N = 10
SCATTER_SIZE = (6.4, 4.0)


def level_label(level: str) -> str:
    """A level's name in the reader's language (the stored answer stays ``"e-information"``,
    ...)."""
    return {
        "e-information": pgettext("e-participation level", "e-information"),
        "e-consultation": pgettext("e-participation level", "e-consultation"),
        "e-decision-making": pgettext("e-participation level", "e-decision-making"),
    }.get(level, level)


def level_meaning(level: str) -> str:
    """What a level means, in the reader's language."""
    return _(LEVELS[level])


# ============================================================================ pure functions
@lru_cache(maxsize=len(data.EDITIONS))
def _fit(year: int) -> tuple[pd.DataFrame, float, float]:
    ed = data.load_survey(years=year).dropna(subset=["egdi", "epi"])
    x = ed["egdi"].to_numpy(dtype=float)
    y = ed["epi"].to_numpy(dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    predicted = intercept + slope * x
    out = pd.DataFrame({"iso3": ed["iso3"].astype(str).to_numpy(),
                        "country": ed["country"].astype(str).to_numpy(),
                        "egdi": x, "epi": y, "predicted": predicted, "residual": y - predicted})
    return out.sort_values("iso3", ignore_index=True), float(slope), float(intercept)


def epi_vs_egdi(year: int = data.LATEST_EDITION) -> pd.DataFrame:
    """EPI against EGDI in one edition, with a least-squares line ``EPI ~ EGDI``.

    One row per country with both figures, sorted by ISO3. Columns: ``iso3, country, egdi,
    epi, predicted`` (the EPI the line predicts from the EGDI) and ``residual`` (EPI minus
    predicted; positive means more participation than the EGDI predicts).

    >>> df = epi_vs_egdi(2024)
    >>> len(df), abs(round(float(df["residual"].sum()), 6))
    (193, 0.0)
    """
    return _fit(edition(year))[0].copy()


def fit_line(year: int = data.LATEST_EDITION) -> tuple[float, float]:
    """(slope, intercept) of the least-squares line EPI = intercept + slope x EGDI.

    >>> slope, intercept = fit_line(2024)
    >>> slope > 0
    True
    """
    _, slope, intercept = _fit(edition(year))
    return slope, intercept


def _ranked(year: int) -> pd.DataFrame:
    df = _fit(year)[0]
    return df.sort_values(["residual", "iso3"], ascending=[False, True], ignore_index=True)


def overperformers(year: int = data.LATEST_EDITION, n: int = TOP_N) -> pd.DataFrame:
    """The ``n`` countries furthest above the line (largest positive residuals) in one
    edition, largest first. Same columns as :func:`epi_vs_egdi`.

    >>> overperformers(2024, n=1)["residual"].iloc[0] > 0
    np.True_
    """
    n = integer(n, _("How many countries"), lo=1, hi=len(data.load_countries()), field="n")
    return _ranked(edition(year)).head(n).reset_index(drop=True).copy()


def residual_position(iso3: str, year: int = data.LATEST_EDITION) -> dict[str, Any]:
    """Where a country sits against the line: ``egdi, epi, predicted, residual``, ``rank``
    (1 = furthest above the line) and ``of`` (how many countries have both figures).

    Raises :class:`ValidationError` if the country has no EGDI or EPI that edition.

    >>> p = residual_position("BGD", 2024)
    >>> 1 <= p["rank"] <= p["of"] == 193
    True
    """
    code = resolve_country(iso3)
    year = edition(year)
    ranked = _ranked(year)
    hit = ranked.index[ranked["iso3"] == code]
    if len(hit) == 0:
        raise ValidationError(_("{country} has no EGDI or no EPI in {year}. Pick another "
                                "edition.").format(country=country_name(code), year=year),
                              "year")
    row = ranked.loc[hit[0]]
    return {"iso3": code, "country": str(row["country"]), "egdi": float(row["egdi"]),
            "epi": float(row["epi"]), "predicted": float(row["predicted"]),
            "residual": float(row["residual"]), "rank": int(hit[0]) + 1, "of": len(ranked)}


# ============================================================================ part B items
@dataclass(frozen=True)
class Initiative:
    """An initiative to classify; ``text`` and ``why`` are English, shown in the reader's
    language by :meth:`shown` and :meth:`explained`."""

    id: str
    text: str
    level: str
    why: str

    def shown(self) -> str:
        return _(self.text)

    def explained(self) -> str:
        return _(self.why)


ITEMS: tuple[Initiative, ...] = (
    Initiative("budget_online", N_("The finance ministry posts the draft national budget on "
                                   "its website, with a short summary in plain words."),
               "e-information",
               N_("People get the facts, but nobody is asked for a view.")),
    Initiative("draft_law", N_("Citizens comment on a draft law on a government portal, and "
                               "the ministry publishes how it answered the main comments."),
               "e-consultation",
               N_("People are asked for their views and get a response, but the ministry "
                  "still decides.")),
    Initiative("city_budget", N_("Residents vote online on how to spend part of the city "
                                 "budget; the projects with the most votes are funded."),
               "e-decision-making",
               N_("The residents' vote itself decides where the money goes.")),
    Initiative("open_data", N_("A portal publishes school results and clinic waiting times "
                               "as files anyone can download."), "e-information",
               N_("It is open information: useful for taking part, but no dialogue.")),
    Initiative("bus_survey", N_("The transport agency runs an online survey on new bus "
                                "routes before it draws up its plan."), "e-consultation",
               N_("The agency gathers opinions to inform a plan it will decide on itself.")),
    Initiative("strategy_ideas", N_("Anyone can propose ideas for the national digital "
                                    "strategy online; the ideas with most support are "
                                    "written into it, as promised in advance."),
               "e-decision-making",
               N_("People's proposals go straight into the decision, not only into a "
                  "report.")),
    Initiative("hearings", N_("A parliament streams its committee hearings online and posts "
                              "the minutes afterwards."), "e-information",
               N_("It makes the work visible; viewers cannot take part in it.")),
    Initiative("waste_forum", N_("A town opens an online forum on its new waste plan, where "
                                 "officials answer questions and later report what they "
                                 "changed."),
               "e-consultation",
               N_("There is a two-way exchange with the town, which keeps the final say.")),
)
ITEM_IDS: tuple[str, ...] = tuple(i.id for i in ITEMS)


def _item(item_id: Any) -> Initiative:
    for item in ITEMS:
        if item.id == item_id:
            return item
    raise ValidationError(_("There is no initiative {item!r} in this exercise.").format(
        item=str(item_id)[:40]), "answers")


# ============================================================================ model
class EParticipationExplorerModel(ExerciseModel):
    """The learner's country and edition (Part A) and level for each initiative (Part B).

    >>> m = EParticipationExplorerModel().with_year(2014).with_answer("city_budget",
    ...                                                                "e-consultation")
    >>> m.is_right("city_budget"), m.position()["of"]
    (False, 193)
    """

    kind: ClassVar[str] = "e_participation"
    title: ClassVar[str] = N_("E-Participation explorer")
    submodule: ClassVar[str] = "2.5"

    def __init__(self, country: Any = DEFAULT_COUNTRY, year: Any = data.LATEST_EDITION,
                 answers: Any = None):
        self.country = resolve_country(country)
        self.year = edition(year)
        residual_position(self.country, self.year)  # refuses a country without figures
        given = mapping({} if answers is None else answers, _("Answers"))
        for item_id in given:
            _item(item_id)
        self.answers: dict[str, str] = {
            i.id: choice(given[i.id], _("The level"), LEVELS, field="answers")
            for i in ITEMS if i.id in given}

    # -- changes (each returns a new model or raises ValidationError)
    def with_country(self, country: Any) -> EParticipationExplorerModel:
        return EParticipationExplorerModel(country, self.year, self.answers)

    def with_year(self, year: Any) -> EParticipationExplorerModel:
        return EParticipationExplorerModel(self.country, year, self.answers)

    def with_answer(self, item_id: str, level: str | None) -> EParticipationExplorerModel:
        """A new model with ``level`` for one initiative (``""`` or None clears it)."""
        item = _item(item_id)
        rest = {k: v for k, v in self.answers.items() if k != item.id}
        if level in ("", None):
            return EParticipationExplorerModel(self.country, self.year, rest)
        return EParticipationExplorerModel(self.country, self.year, {**rest, item.id: level})

    # -- reading (Part A)
    @property
    def name(self) -> str:
        return country_name(self.country)

    def fit(self) -> pd.DataFrame:
        """:func:`epi_vs_egdi` for the chosen edition."""
        return epi_vs_egdi(self.year)

    def overperformers(self, n: int = TOP_N) -> pd.DataFrame:
        return overperformers(self.year, n)

    def position(self) -> dict[str, Any]:
        """:func:`residual_position` of the chosen country in the chosen edition."""
        return residual_position(self.country, self.year)

    def peers(self) -> tuple[str, str, tuple[str, ...]]:
        """(group code, group label, ISO3 codes of the peers) in the chosen edition."""
        return peers_of(self.country, self.year)

    def method_note(self) -> str:
        return method_note(self.year)

    def scatter_png(self) -> bytes:
        return scatter_png(self.country, self.year)

    # -- reading (Part B)
    def is_right(self, item_id: str) -> bool | None:
        item = _item(item_id)
        given = self.answers.get(item.id)
        return None if given is None else given == item.level

    def score(self) -> int:
        return sum(bool(self.is_right(i.id)) for i in ITEMS)

    def completeness(self) -> Completeness:
        missing = [_("a level for initiative {n}").format(n=n) for n, i in enumerate(ITEMS, 1)
                   if i.id not in self.answers]
        return Completeness(len(self.answers), len(ITEMS), missing)

    def report(self) -> list[Block]:
        p = self.position()
        code, label, _peers = self.peers()
        items = [
            (_("Country"), f"{self.name} ({self.country})"), (_("Edition"), str(self.year)),
            (_("Line of best fit"), line_words(self.year, 3)),
            ("EGDI", fmt(p["egdi"])), ("EPI", fmt(p["epi"])),
            (_("EPI the line predicts"), fmt(p["predicted"])),
            (_("Residual (EPI minus predicted)"), signed(p["residual"], 4)),
            (_("Rank among residuals"),
             _("{rank} of {total} (1 = furthest above the line)").format(rank=p["rank"],
                                                                         total=p["of"])),
            (_("Peer group"), peer_label(code, label)),
        ]
        blocks = [Block("fields", _("E-Participation against EGDI"), items=items)]
        if self.method_note():
            blocks.append(Block("note", _("Method"), text=self.method_note()))
        top = self.overperformers()
        verdict = {True: pgettext("answer", "yes"), False: pgettext("answer", "no"),
                   None: "–"}
        blocks += [
            Block("image", _("EPI against EGDI, {year}").format(year=self.year),
                  png=self.scatter_png(), alt=scatter_words(self.country, self.year)[0]),
            Block("table", _("More participation than the EGDI predicts, {year}")
                  .format(year=self.year),
                  columns=["#", _("Country"), "EGDI", "EPI", _("Predicted"), _("Residual")],
                  rows=[[str(k), country_name(r.iso3), fmt(r.egdi), fmt(r.epi),
                         fmt(r.predicted), signed(r.residual, 4)]
                        for k, r in enumerate(top.itertuples(), 1)]),
            Block("fields", _("Levels of e-participation: score"),
                  items=[(pgettext("answer", "Right"),
                          _("{n} of {total}").format(n=self.score(), total=len(ITEMS)))]),
            Block("table", _("Initiatives by level"),
                  columns=[_("Initiative"), _("Your level"), _("Level"),
                           pgettext("answer", "Right")],
                  rows=[[i.shown(), level_label(self.answers.get(i.id, "–")),
                         level_label(i.level), verdict[self.is_right(i.id)]]
                        for i in ITEMS]),
            Block("table", _("The three levels"), columns=[_("Level"), _("What it means")],
                  rows=[[level_label(k), level_meaning(k)] for k in LEVELS]),
        ]
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "country": self.country, "answers": dict(self.answers)}

    @classmethod
    def from_dict(cls, data_: Any) -> EParticipationExplorerModel:
        d = mapping(data_, _("An e-participation answer"))
        return cls(d.get("country", DEFAULT_COUNTRY), d.get("year", data.LATEST_EDITION),
                   d.get("answers"))

    @classmethod
    def starter(cls, workbook: Workbook) -> EParticipationExplorerModel:
        try:
            return cls(case_country(workbook))
        except ValidationError:
            return cls()


def method_note(year: int) -> str:
    """A warning for editions before the EPI's current method (empty from 2014)."""
    if year >= METHOD_YEAR:
        return ""
    return _("Before {year} the EPI was measured with a different method and scale (many "
             "countries scored 0). Compare countries within this edition, not with later "
             "years.").format(year=METHOD_YEAR)


def line_words(year: int, digits: int = 3) -> str:
    """``"EPI = 0.123 + 0.987 x EGDI"``, the line of best fit in the reader's number form."""
    slope, intercept = fit_line(year)
    return _("EPI = {intercept} + {slope} × EGDI").format(
        intercept=number(intercept, digits), slope=number(slope, digits))


# ============================================================================ chart
def scatter_png(iso3: str, year: int) -> bytes:
    """EPI against EGDI for every country, the line of best fit, the country and its peers
    highlighted, in the reader's language. PNG bytes."""
    return _scatter_png(iso3, year, get_language())


@lru_cache(maxsize=64)
def _scatter_png(iso3: str, year: int, lang: str) -> bytes:
    df, slope, intercept = _fit(year)
    code, label, peers = peers_of(iso3, year)
    fig, ax = charts._figure(SCATTER_SIZE)
    ax.grid(axis="x", alpha=0.3)
    is_peer = df["iso3"].isin(peers)
    is_self = df["iso3"] == iso3
    rest = df[~is_peer & ~is_self]
    # markers on a line without segments: much faster to draw than ax.scatter
    ax.plot(rest["egdi"].to_numpy(), rest["epi"].to_numpy(), linestyle="none", marker="o",
            markersize=3.5, color="#b0bec5", label=_("Other countries"), zorder=2)
    if is_peer.any():
        ax.plot(df.loc[is_peer, "egdi"].to_numpy(), df.loc[is_peer, "epi"].to_numpy(),
                linestyle="none", marker="o", markersize=4.5, color=charts.PALETTE[1],
                label=_("Peers ({group})").format(group=short_group(code, label)), zorder=3)
    ax.plot([0, 1], [intercept, intercept + slope], color="#37474f", linestyle="--",
            linewidth=1.2, label=_("Line of best fit"), zorder=1)
    name = country_name(iso3)
    if is_self.any():
        x, y = float(df.loc[is_self, "egdi"].iloc[0]), float(df.loc[is_self, "epi"].iloc[0])
        ax.plot([x], [y], linestyle="none", marker="o", markersize=9,
                color=charts.PALETTE[0], markeredgecolor="#000000", markeredgewidth=1,
                label=name, zorder=5)
        ax.annotate(name, (x, y), xytext=(6, -12), textcoords="offset points", fontsize=8,
                    color=charts.PALETTE[0])
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.03, 1.05)
    ticks = [0, 0.25, 0.5, 0.75, 1]
    ax.set_xticks(ticks, [_tick(t) for t in ticks])
    ax.set_yticks(ticks, [_tick(t) for t in ticks])
    ax.set_xlabel("EGDI")
    charts._finish(ax, _("EPI against EGDI, {year}").format(year=year), "EPI", None,
                   legend=True)
    return charts.to_png(fig)


def _tick(value: float) -> str:
    """An axis tick: ``0``, ``0.25``, ``0,25``."""
    return "0" if value == 0 else "1" if value == 1 else number(value, 2)


def scatter_words(iso3: str, year: int) -> tuple[str, list[str], list[list[str]]]:
    """What the scatter plot shows, for a screen reader: (alternative text, table columns,
    table rows), in the reader's language. The table holds the country, its peers' and all
    countries' means, not every point."""
    return _scatter_words(iso3, year, get_language())


@lru_cache(maxsize=256)
def _scatter_words(iso3: str, year: int, lang: str
                   ) -> tuple[str, list[str], list[list[str]]]:
    df = _fit(year)[0]
    code, label, peers = peers_of(iso3, year)
    p = residual_position(iso3, year)
    name = country_name(iso3)
    gap = number(abs(p["residual"]), 2)
    if p["residual"] > 0:
        side = _("above the line by {gap}").format(gap=gap)
    elif p["residual"] < 0:
        side = _("below the line by {gap}").format(gap=gap)
    else:
        side = _("on the line")
    short = short_group(code, label)
    peer = df[df["iso3"].isin(peers)]
    alt = _("Scatter plot of EPI against EGDI, {year}: {n} countries and a line of best fit "
            "({line}). {country}: EGDI {egdi}, EPI {epi}, {side} (rank {rank} of {n}, 1 = "
            "furthest above).").format(
        year=year, n=p["of"], line=line_words(year, 2), country=name,
        egdi=number(p["egdi"], 2), epi=number(p["epi"], 2), side=side, rank=p["rank"])
    if len(peer):
        alt += " " + ngettext(
            "Its {n} peer ({group}): mean EGDI {egdi}, mean EPI {epi}.",
            "Its {n} peers ({group}): mean EGDI {egdi}, mean EPI {epi}.", len(peer)).format(
            n=len(peer), group=short, egdi=number(peer["egdi"].mean(), 2),
            epi=number(peer["epi"].mean(), 2))

    def row(name: str, egdi: float, epi: float, predicted: float) -> list[str]:
        return [name, fmt(egdi), fmt(epi), fmt(predicted),
                signed(round(epi - predicted, 4) + 0.0, 4)]

    rows = [row(name, p["egdi"], p["epi"], p["predicted"])]
    if len(peer):
        rows.append(row(_("Peers ({group}), mean of {n}").format(group=short, n=len(peer)),
                        float(peer["egdi"].mean()), float(peer["epi"].mean()),
                        float(peer["predicted"].mean())))
    rows.append(row(_("All countries, mean of {n}").format(n=len(df)),
                    float(df["egdi"].mean()), float(df["epi"].mean()),
                    float(df["predicted"].mean())))
    return alt, [_("Countries"), "EGDI", "EPI", _("EPI the line predicts"), _("Residual")], rows


# ============================================================================ view
def levels_html() -> str:
    e = html.escape
    rows = "".join("<li>" + e(_("{level}: {meaning}")).format(
        level=f"<b>{e(level_label(k))}</b>", meaning=e(level_meaning(k))) + "</li>"
        for k in LEVELS)
    return ("<p>" + e(_("The E-Participation Index (EPI) measures how governments use online "
                        "tools to involve people, on three levels:"))
            + f"</p><ol class='d4-levels'>{rows}</ol><p>"
            + e(_("The EPI is reported next to the EGDI but is not part of it.")) + "</p>")


def _summary_html(iso3: str, year: int) -> str:
    return _summary_html_in(iso3, year, get_language())


@lru_cache(maxsize=512)
def _summary_html_in(iso3: str, year: int, lang: str) -> str:
    p = residual_position(iso3, year)
    e = html.escape
    if p["residual"] > 0:
        where = _("above the line: more participation than its EGDI predicts")
    elif p["residual"] < 0:
        where = _("below the line: less participation than its EGDI predicts")
    else:
        where = _("exactly on the line")
    note = method_note(year)
    warn = (f"<div class='d4-note' style='color:#8a4b00'>⚠ {e(note)}</div>" if note else "")
    line = e(ngettext("Line of best fit in {year}: {line} ({n} country).",
                      "Line of best fit in {year}: {line} ({n} countries).", p["of"])
             .format(year=year, line=line_words(year, 3), n=p["of"]))
    place = e(_("{country}: EGDI {egdi}, EPI {epi}; the line predicts {predicted}. Residual "
                "{residual}, {where}. Rank {rank} of {n} (1 = furthest above the line)."))
    place = place.format(country=f"<b>{e(country_name(iso3))}</b>",
                         egdi=f"<b>{e(fmt(p['egdi']))}</b>", epi=f"<b>{e(fmt(p['epi']))}</b>",
                         predicted=e(fmt(p["predicted"])),
                         residual=f"<b>{e(signed(p['residual'], 4))}</b>", where=e(where),
                         rank=f"<b>{p['rank']}</b>", n=p["of"])
    return f"<div class='d4-profile'>{warn}<div>{line}</div><div>{place}</div></div>"


def _top_html(iso3: str, year: int) -> str:
    return _top_html_in(iso3, year, get_language())


@lru_cache(maxsize=512)
def _top_html_in(iso3: str, year: int, lang: str) -> str:
    top = _ranked(year).head(TOP_N)
    rows = [[k, country_name(r.iso3), r.egdi, r.epi, r.predicted, signed(r.residual, 4)]
            for k, r in enumerate(top.itertuples(), 1)]
    own = top.index[top["iso3"] == iso3]
    title = ("<p><b>" + html.escape(_("The {n} countries furthest above the line in {year}")
                                    .format(n=TOP_N, year=year)) + "</b> "
             + html.escape(_("(more participation than their EGDI predicts)")) + "</p>")
    return title + table_html(["#", _("Country"), "EGDI", "EPI", _("Predicted"),
                               _("Residual")], rows,
                              highlight=int(own[0]) if len(own) else None)


def edition_options() -> list[tuple[str, int]]:
    return [(str(y) if y >= METHOD_YEAR else _("{year} (older method)").format(year=y), y)
            for y in reversed(data.EDITIONS)]


class EParticipationExplorer(CountryView):
    """E-Participation explorer: EPI against EGDI for an edition, then classify initiatives.

    >>> view = EParticipationExplorer(country="NPL", workbook=Workbook.in_memory())
    >>> view.dropdowns["city_budget"].value = "e-decision-making"; view.check_button.click()
    >>> view.model.to_dict()
    {'year': 2024, 'country': 'NPL', 'answers': {'city_budget': 'e-decision-making'}}
    """

    model_class = EParticipationExplorerModel
    model: EParticipationExplorerModel

    def _build(self) -> list[widgets.Widget]:
        self.checked = False
        style = {"description_width": "80px"}
        self.country = widgets.Dropdown(description=_("Country"), options=country_options(),
                                        value=self.model.country, style=style)
        self.edition = widgets.Dropdown(description=_("Edition"), options=edition_options(),
                                        value=self.model.year, style=style,
                                        layout=widgets.Layout(width="240px"))
        self.country_message = message_label()
        self.summary = widgets.HTML()
        self.chart = charts.Chart()
        self.top_table = widgets.HTML()
        self.country.observe(self._guard(self._pick_country, self.country_message),
                             names="value")
        self.edition.observe(self._guard(self._pick_year, self.country_message), names="value")

        rows = choice_rows(self, ITEMS, LEVELS, choice_width="170px", feedback_width="340px")
        # the initiatives and the levels in the reader's language (the values stay)
        levels = [(_("(choose)"), "")] + [(level_label(k), k) for k in LEVELS]
        for n, item in enumerate(ITEMS, 1):
            self.dropdowns[item.id].description = f"{n}. {item.shown()}"
            self.dropdowns[item.id].options = levels
            self.dropdowns[item.id].value = ""
        return [
            widgets.HTML(levels_html()),
            widgets.HTML("<p><b>" + html.escape(_("Part A.")) + "</b> "
                         + html.escape(_("Who does more participation than their EGDI "
                                         "predicts?")) + "</p>"),
            widgets.HBox([self.country, self.edition]), self.country_message, self.summary,
            self.chart, self.top_table,
            widgets.HTML("<p><b>" + html.escape(_("Part B.")) + "</b> "
                         + html.escape(_("Pick the level of each initiative, then click "
                                         "Check.")) + "</p>"),
            *rows, self.item_message, widgets.HBox([self.check_button, self.score_label]),
        ]

    # -- callbacks
    def _pick_country(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == self.model.country:
            return
        try:
            model = self.model.with_country(change["new"])
        except ValidationError:
            self._set(self.country, self.model.country)
            raise
        self.commit(model)

    def _pick_year(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == self.model.year:
            return
        try:
            model = self.model.with_year(change["new"])
        except ValidationError:
            self._set(self.edition, self.model.year)
            raise
        self.commit(model)

    def _changed_for(self, item_id: str):
        def changed(change: dict[str, Any]) -> None:
            if not self._syncing:
                self.commit(self.model.with_answer(item_id, change["new"]))
        return changed

    def _check(self, _button: Any = None) -> None:
        if not self.model.answers:
            raise ValidationError(_("Pick a level for at least one initiative first."))
        self.checked = True
        self._safe_refresh()

    # -- display
    def refresh(self) -> None:
        m = self.model
        self._set(self.country, m.country)
        self._set(self.edition, m.year)
        self.summary.value = _summary_html(m.country, m.year)
        self.chart.show(scatter_png(m.country, m.year), *scatter_words(m.country, m.year))
        self.top_table.value = _top_html(m.country, m.year)
        for item in ITEMS:
            self._set(self.dropdowns[item.id], m.answers.get(item.id, ""))
            right = m.is_right(item.id)
            if not self.checked or right is None:
                self.feedback[item.id].value = ""
            elif right:
                self.feedback[item.id].value = (
                    "<span style='color:#1b5e20'>✓ "
                    + html.escape(_("Right. {why}").format(why=item.explained())) + "</span>")
            else:
                self.feedback[item.id].value = (
                    "<span style='color:#b00020'>✗ "
                    + html.escape(_("Not quite: this is {level}. {why}")).format(
                        level=f"<b>{html.escape(level_label(item.level))}</b>",
                        why=html.escape(item.explained()))
                    + "</span>")
        show_score(self.score_label, self.checked, m.score(), len(m.answers), len(ITEMS))


__all__ = ["ITEMS", "LEVELS", "EParticipationExplorer", "EParticipationExplorerModel",
           "Initiative", "Workbook", "epi_vs_egdi", "fit_line", "level_label", "level_meaning",
           "levels_html", "line_words", "method_note", "overperformers", "residual_position",
           "scatter_png", "scatter_words"]
