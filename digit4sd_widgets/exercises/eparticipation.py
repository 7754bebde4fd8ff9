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
    show_message,
)
from ._country import (
    CountryView,
    country_name,
    country_options,
    edition,
    fmt,
    peers_of,
    resolve_country,
    short_group,
    signed,
    table_html,
)

LEVELS: dict[str, str] = {
    "e-information": "Government puts information online (laws, budgets, data, plans) so that "
                     "people know what is going on and can take part.",
    "e-consultation": "Government asks people for their views online, on a plan or a draft, "
                      "and tells them what it did with the answers.",
    "e-decision-making": "People help decide online: what they choose or propose directly "
                         "shapes the decision.",
}
METHOD_YEAR = 2014  # the EPI's current method and scale start with this edition
TOP_N = 10
SCATTER_SIZE = (6.4, 4.0)


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
    n = integer(n, "How many countries", lo=1, hi=len(data.load_countries()), field="n")
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
        raise ValidationError(f"{country_name(code)} has no EGDI or no EPI in {year}. "
                              "Pick another edition.", "year")
    row = ranked.loc[hit[0]]
    return {"iso3": code, "country": str(row["country"]), "egdi": float(row["egdi"]),
            "epi": float(row["epi"]), "predicted": float(row["predicted"]),
            "residual": float(row["residual"]), "rank": int(hit[0]) + 1, "of": len(ranked)}


# ============================================================================ part B items
@dataclass(frozen=True)
class Initiative:
    id: str
    text: str
    level: str
    why: str


ITEMS: tuple[Initiative, ...] = (
    Initiative("budget_online", "The finance ministry posts the draft national budget on its "
               "website, with a short summary in plain words.", "e-information",
               "People get the facts, but nobody is asked for a view."),
    Initiative("draft_law", "Citizens comment on a draft law on a government portal, and the "
               "ministry publishes how it answered the main comments.", "e-consultation",
               "People are asked for their views and get a response, but the ministry still "
               "decides."),
    Initiative("city_budget", "Residents vote online on how to spend part of the city "
               "budget; the projects with the most votes are funded.", "e-decision-making",
               "The residents' vote itself decides where the money goes."),
    Initiative("open_data", "A portal publishes school results and clinic waiting times as "
               "files anyone can download.", "e-information",
               "It is open information: useful for taking part, but no dialogue."),
    Initiative("bus_survey", "The transport agency runs an online survey on new bus routes "
               "before it draws up its plan.", "e-consultation",
               "The agency gathers opinions to inform a plan it will decide on itself."),
    Initiative("strategy_ideas", "Anyone can propose ideas for the national digital strategy "
               "online; the ideas with most support are written into it, as promised in "
               "advance.", "e-decision-making",
               "People's proposals go straight into the decision, not only into a report."),
    Initiative("hearings", "A parliament streams its committee hearings online and posts the "
               "minutes afterwards.", "e-information",
               "It makes the work visible; viewers cannot take part in it."),
    Initiative("waste_forum", "A town opens an online forum on its new waste plan, where "
               "officials answer questions and later report what they changed.",
               "e-consultation",
               "There is a two-way exchange with the town, which keeps the final say."),
)
ITEM_IDS: tuple[str, ...] = tuple(i.id for i in ITEMS)


def _item(item_id: Any) -> Initiative:
    for item in ITEMS:
        if item.id == item_id:
            return item
    raise ValidationError(f"There is no initiative {str(item_id)[:40]!r} in this exercise.",
                          "answers")


# ============================================================================ model
class EParticipationExplorerModel(ExerciseModel):
    """The learner's country and edition (Part A) and level for each initiative (Part B).

    >>> m = EParticipationExplorerModel().with_year(2014).with_answer("city_budget",
    ...                                                                "e-consultation")
    >>> m.is_right("city_budget"), m.position()["of"]
    (False, 193)
    """

    kind: ClassVar[str] = "e_participation"
    title: ClassVar[str] = "E-Participation explorer"
    submodule: ClassVar[str] = "2.5"

    def __init__(self, country: Any = DEFAULT_COUNTRY, year: Any = data.LATEST_EDITION,
                 answers: Any = None):
        self.country = resolve_country(country)
        self.year = edition(year)
        residual_position(self.country, self.year)  # refuses a country without figures
        given = mapping({} if answers is None else answers, "Answers")
        for item_id in given:
            _item(item_id)
        self.answers: dict[str, str] = {
            i.id: choice(given[i.id], "The level", LEVELS, field="answers")
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
        missing = [f"a level for initiative {n}" for n, i in enumerate(ITEMS, 1)
                   if i.id not in self.answers]
        return Completeness(len(self.answers), len(ITEMS), missing)

    def report(self) -> list[Block]:
        p = self.position()
        slope, intercept = fit_line(self.year)
        _, label, _ = self.peers()
        items = [
            ("Country", f"{self.name} ({self.country})"), ("Edition", str(self.year)),
            ("Line of best fit", f"EPI = {intercept:.3f} + {slope:.3f} x EGDI"),
            ("EGDI", fmt(p["egdi"])), ("EPI", fmt(p["epi"])),
            ("EPI the line predicts", fmt(p["predicted"])),
            ("Residual (EPI minus predicted)", signed(p["residual"], 4)),
            ("Rank among residuals", f"{p['rank']} of {p['of']} (1 = furthest above the line)"),
            ("Peer group", label),
        ]
        blocks = [Block("fields", "E-Participation against EGDI", items=items)]
        if self.method_note():
            blocks.append(Block("note", "Method", text=self.method_note()))
        top = self.overperformers()
        blocks += [
            Block("image", f"EPI against EGDI, {self.year}", png=self.scatter_png(),
                  alt=scatter_words(self.country, self.year)[0]),
            Block("table", f"More participation than the EGDI predicts, {self.year}",
                  columns=["#", "Country", "EGDI", "EPI", "Predicted", "Residual"],
                  rows=[[str(k), r.country, fmt(r.egdi), fmt(r.epi), fmt(r.predicted),
                         signed(r.residual, 4)] for k, r in enumerate(top.itertuples(), 1)]),
            Block("fields", "Levels of e-participation: score",
                  items=[("Right", f"{self.score()} of {len(ITEMS)}")]),
            Block("table", "Initiatives by level",
                  columns=["Initiative", "Your level", "Level", "Right"],
                  rows=[[i.text, self.answers.get(i.id, "–"), i.level,
                         {True: "yes", False: "no", None: "–"}[self.is_right(i.id)]]
                        for i in ITEMS]),
            Block("table", "The three levels", columns=["Level", "What it means"],
                  rows=[[k, v] for k, v in LEVELS.items()]),
        ]
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "country": self.country, "answers": dict(self.answers)}

    @classmethod
    def from_dict(cls, data_: Any) -> EParticipationExplorerModel:
        d = mapping(data_, "An e-participation answer")
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
    return (f"Before {METHOD_YEAR} the EPI was measured with a different method and scale "
            "(many countries scored 0). Compare countries within this edition, not with "
            "later years.")


# ============================================================================ chart
@lru_cache(maxsize=64)
def scatter_png(iso3: str, year: int) -> bytes:
    """EPI against EGDI for every country, the line of best fit, the country and its peers
    highlighted. PNG bytes."""
    df, slope, intercept = _fit(year)
    code, label, peers = peers_of(iso3, year)
    fig, ax = charts._figure(SCATTER_SIZE)
    ax.grid(axis="x", alpha=0.3)
    is_peer = df["iso3"].isin(peers)
    is_self = df["iso3"] == iso3
    rest = df[~is_peer & ~is_self]
    # markers on a line without segments: much faster to draw than ax.scatter
    ax.plot(rest["egdi"].to_numpy(), rest["epi"].to_numpy(), linestyle="none", marker="o",
            markersize=3.5, color="#b0bec5", label="Other countries", zorder=2)
    if is_peer.any():
        ax.plot(df.loc[is_peer, "egdi"].to_numpy(), df.loc[is_peer, "epi"].to_numpy(),
                linestyle="none", marker="o", markersize=4.5, color=charts.PALETTE[1],
                label=f"Peers ({short_group(code, label)})", zorder=3)
    ax.plot([0, 1], [intercept, intercept + slope], color="#37474f", linestyle="--",
            linewidth=1.2, label="Line of best fit", zorder=1)
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
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_xlabel("EGDI")
    charts._finish(ax, f"EPI against EGDI, {year}", "EPI", None, legend=True)
    return charts.to_png(fig)


@lru_cache(maxsize=256)
def scatter_words(iso3: str, year: int) -> tuple[str, list[str], list[list[str]]]:
    """What the scatter plot shows, for a screen reader: (alternative text, table columns,
    table rows). The table holds the country, its peers' and all countries' means, not
    every point."""
    df, slope, intercept = _fit(year)
    code, label, peers = peers_of(iso3, year)
    p = residual_position(iso3, year)
    side = ("above the line by" if p["residual"] > 0 else
            "below the line by" if p["residual"] < 0 else "on the line")
    by = f" {abs(p['residual']):.2f}" if p["residual"] else ""
    short = short_group(code, label)
    peer = df[df["iso3"].isin(peers)]
    alt = (f"Scatter plot of EPI against EGDI, {year}: {p['of']} countries and a line of "
           f"best fit (EPI = {intercept:.2f} + {slope:.2f} x EGDI). {p['country']}: EGDI "
           f"{p['egdi']:.2f}, EPI {p['epi']:.2f}, {side}{by} (rank {p['rank']} of {p['of']}, "
           "1 = furthest above).")
    if len(peer):
        alt += (f" Its {len(peer)} peers ({short}): mean EGDI {peer['egdi'].mean():.2f}, "
                f"mean EPI {peer['epi'].mean():.2f}.")

    def row(name: str, egdi: float, epi: float, predicted: float) -> list[str]:
        return [name, fmt(egdi), fmt(epi), fmt(predicted),
                signed(round(epi - predicted, 4) + 0.0, 4)]

    rows = [row(p["country"], p["egdi"], p["epi"], p["predicted"])]
    if len(peer):
        rows.append(row(f"Peers ({short}), mean of {len(peer)}", float(peer["egdi"].mean()),
                        float(peer["epi"].mean()), float(peer["predicted"].mean())))
    rows.append(row(f"All countries, mean of {len(df)}", float(df["egdi"].mean()),
                    float(df["epi"].mean()), float(df["predicted"].mean())))
    return alt, ["Countries", "EGDI", "EPI", "EPI the line predicts", "Residual"], rows


# ============================================================================ view
def levels_html() -> str:
    rows = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>"
                   for k, v in LEVELS.items())
    return ("<p>The E-Participation Index (EPI) measures how governments use online tools "
            "to involve people, on three levels:</p>"
            f"<ol class='d4-levels'>{rows}</ol>"
            "<p>The EPI is reported next to the EGDI but is not part of it.</p>")


@lru_cache(maxsize=512)
def _summary_html(iso3: str, year: int) -> str:
    p = residual_position(iso3, year)
    slope, intercept = fit_line(year)
    e = html.escape
    where = ("above the line: more participation than its EGDI predicts"
             if p["residual"] > 0 else "below the line: less participation than its EGDI "
             "predicts" if p["residual"] < 0 else "exactly on the line")
    note = method_note(year)
    warn = (f"<div class='d4-note' style='color:#8a4b00'>⚠ {e(note)}</div>" if note else "")
    return (f"<div class='d4-profile'>{warn}<div>Line of best fit in {year}: EPI = "
            f"{intercept:.3f} + {slope:.3f} × EGDI ({p['of']} countries).</div>"
            f"<div><b>{e(p['country'])}</b>: EGDI <b>{fmt(p['egdi'])}</b>, EPI "
            f"<b>{fmt(p['epi'])}</b>; the line predicts {fmt(p['predicted'])}. Residual "
            f"<b>{signed(p['residual'], 4)}</b>, {e(where)}. Rank <b>{p['rank']}</b> of "
            f"{p['of']} (1 = furthest above the line).</div></div>")


@lru_cache(maxsize=512)
def _top_html(iso3: str, year: int) -> str:
    top = _ranked(year).head(TOP_N)
    rows = [[k, r.country, r.egdi, r.epi, r.predicted, signed(r.residual, 4)]
            for k, r in enumerate(top.itertuples(), 1)]
    own = top.index[top["iso3"] == iso3]
    title = (f"<p><b>The {TOP_N} countries furthest above the line in {year}</b> "
             "(more participation than their EGDI predicts)</p>")
    return title + table_html(["#", "Country", "EGDI", "EPI", "Predicted", "Residual"], rows,
                              highlight=int(own[0]) if len(own) else None)


def edition_options() -> list[tuple[str, int]]:
    return [(str(y) if y >= METHOD_YEAR else f"{y} (older method)", y)
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
        self.country = widgets.Dropdown(description="Country", options=country_options(),
                                        value=self.model.country, style=style)
        self.edition = widgets.Dropdown(description="Edition", options=edition_options(),
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
        return [
            widgets.HTML(levels_html()),
            widgets.HTML("<p><b>Part A.</b> Who does more participation than their EGDI "
                         "predicts?</p>"),
            widgets.HBox([self.country, self.edition]), self.country_message, self.summary,
            self.chart, self.top_table,
            widgets.HTML("<p><b>Part B.</b> Pick the level of each initiative, then click "
                         "Check.</p>"),
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

    def _check(self, _: Any = None) -> None:
        if not self.model.answers:
            raise ValidationError("Pick a level for at least one initiative first.")
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
                    f"<span style='color:#1b5e20'>✓ Right. {html.escape(item.why)}</span>")
            else:
                self.feedback[item.id].value = (
                    f"<span style='color:#b00020'>✗ Not quite: this is "
                    f"<b>{html.escape(item.level)}</b>. {html.escape(item.why)}</span>")
        answered = len(m.answers)
        if self.checked:
            show_message(self.score_label, f"Score: {m.score()} of {len(ITEMS)} right "
                         f"({answered} of {len(ITEMS)} answered).",
                         "ok" if m.score() == len(ITEMS) else "info")
        else:
            show_message(self.score_label, f"{answered} of {len(ITEMS)} answered. Click Check "
                         "to see how you did.", "info")


__all__ = ["ITEMS", "LEVELS", "EParticipationExplorer", "EParticipationExplorerModel",
           "Initiative", "Workbook", "epi_vs_egdi", "fit_line", "levels_html", "method_note",
           "overperformers", "residual_position", "scatter_png"]
