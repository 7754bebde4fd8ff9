"""Evaluation rubric (submodule 5.2): rate an initiative on six criteria, and compare a
country's EGDI change with its peer group's.

Each criterion (relevance, coherence, effectiveness, efficiency, impact, sustainability) gets
a rating from 1 (not met) to 4 (fully met), 0 while not rated yet, and the evidence behind
it. The data part compares the country's EGDI change between two Survey editions with the
mean change of its peers over the same editions; the peers are those of the later edition
(:func:`~digit4sd_widgets.data.analysis.peer_countries`) that have an EGDI in both.

>>> m = EvaluationRubricModel(initiative="Online birth registration", country="BGD")
>>> m = m.with_rating("relevance", score=4, evidence="Top demand in the user survey")
>>> m.overall()
{'score': 4.0, 'rated': 1, 'total': 6}
>>> m.comparison()["sentence"].startswith("Bangladesh gained")
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import charts, data
from ..workbook import Workbook
from ._base import (
    DEFAULT_COUNTRY,
    Block,
    Completeness,
    ExerciseModel,
    ValidationError,
    case_country,
    chart_block,
    integer,
    mapping,
    message_label,
    show_message,
    text,
)
from ._country import (
    CountryView,
    country_name,
    country_options,
    edition,
    edition_table,
    peers_of,
    resolve_country,
    short_group,
    signed,
    survey_row,
    table_html,
)

CRITERIA: tuple[str, ...] = ("relevance", "coherence", "effectiveness", "efficiency", "impact",
                             "sustainability")
QUESTIONS: dict[str, str] = {
    "relevance": "Does it answer a real need of the people it serves and a priority of the "
                 "country?",
    "coherence": "Does it fit with the other policies, programmes and systems, inside and "
                 "outside government?",
    "effectiveness": "Is it reaching the results it set out to reach?",
    "efficiency": "Are money, time and staff used well for what it delivers?",
    "impact": "What lasting difference does it make to people's lives, planned or not?",
    "sustainability": "Will the benefits last once the project money and attention end?",
}
SCALE: dict[int, str] = {0: "not rated yet", 1: "not met", 2: "partly met", 3: "largely met",
                         4: "fully met"}
DEFAULT_FROM = 2014
MAX_EVIDENCE = 1000
MAX_INITIATIVE = 200
LEVEL = 0.005  # changes smaller than this (in EGDI points) count as no change


@dataclass(frozen=True)
class Rating:
    score: int = 0
    evidence: str = ""

    @classmethod
    def parse(cls, data_: Any, criterion: str) -> Rating:
        d = mapping(data_, f"The rating for {criterion}")
        return cls(
            score=integer(d.get("score", 0), f"The rating for {criterion}", lo=0, hi=4,
                          field="score"),
            evidence=text(d.get("evidence", ""), f"The evidence for {criterion}",
                          max_len=MAX_EVIDENCE, field="evidence"))


# ============================================================================ data part
def _changed(x: float) -> str:
    if x >= LEVEL:
        return f"gained {x:.2f}"
    if x <= -LEVEL:
        return f"lost {abs(x):.2f}"
    return "stayed about level"


def _verdict(own: float, group: float) -> str:
    diff = own - group
    if abs(diff) < LEVEL:
        return "about the same as its group"
    if diff > 0:
        return "faster than its group" if own > 0 and group >= 0 else "ahead of its group"
    return "slower than its group" if own >= 0 and group > 0 else "behind its group"


@lru_cache(maxsize=512)
def _comparison(iso3: str, from_year: int, to_year: int) -> Mapping[str, Any]:
    name = country_name(iso3)
    if from_year >= to_year:
        raise ValidationError("The first edition must come before the second one: pick an "
                              "earlier 'From' or a later 'To' edition.", "year")
    own = {}
    for year in (from_year, to_year):
        own[year] = survey_row(iso3, year)["egdi"]
        if own[year] is None:
            raise ValidationError(f"No EGDI was computed for {name} in {year}: pick another "
                                  "edition.", "year")
    code, label, peers = peers_of(iso3, to_year)
    start = edition_table(from_year).reindex(list(peers))["egdi"]
    end = edition_table(to_year).reindex(list(peers))["egdi"]
    both = start.notna() & end.notna()
    if not both.any():
        raise ValidationError(f"None of {name}'s peers has an EGDI in both {from_year} and "
                              f"{to_year}: pick other editions.", "year")
    g_from, g_to = float(start[both].mean()), float(end[both].mean())
    change = own[to_year] - own[from_year]
    g_change = float((end[both] - start[both]).mean())
    return {
        "country": iso3, "name": name, "from_year": from_year, "to_year": to_year,
        "egdi_from": own[from_year], "egdi_to": own[to_year], "change": change,
        "group": code, "group_label": label, "peer_count": int(both.sum()),
        "group_from": g_from, "group_to": g_to, "group_change": g_change,
        "difference": change - g_change,
        "sentence": _sentence(name, change, g_change),
    }


def _sentence(name: str, own: float, group: float) -> str:
    """``"Bangladesh gained 0.21, its group 0.09: faster than its group."``"""
    both_gained = own >= LEVEL and group >= LEVEL
    group_part = f"{group:.2f}" if both_gained else _changed(group)
    return f"{name} {_changed(own)}, its group {group_part}: {_verdict(own, group)}."


def _chart_data(iso3: str, from_year: int, to_year: int
                ) -> tuple[list[str], dict[str, list[float]], str]:
    """(labels, groups, title) of the chart: the country's EGDI and its peers' mean."""
    c = _comparison(iso3, from_year, to_year)
    peers = f"Peers ({short_group(c['group'], c['group_label'])}) mean"
    return ([str(from_year), str(to_year)],
            {c["name"]: [c["egdi_from"], c["egdi_to"]], peers: [c["group_from"], c["group_to"]]},
            f"EGDI of {c['name']} and its peers, {from_year} and {to_year}")


@lru_cache(maxsize=96)
def _chart_png(iso3: str, from_year: int, to_year: int) -> bytes:
    labels, groups, title = _chart_data(iso3, from_year, to_year)
    return charts.bar_chart(labels, groups, title=title)


def show_chart(chart: charts.Chart, iso3: str, from_year: int, to_year: int) -> None:
    """The chart, with words for a screen reader (both EGDIs and who moved faster) and its
    numbers as a table."""
    labels, groups, title = _chart_data(iso3, from_year, to_year)
    alt = (charts.describe_bars(labels, groups, title=title)
           + f" {_comparison(iso3, from_year, to_year)['sentence']}")
    chart.show(_chart_png(iso3, from_year, to_year), alt,
               *charts.bars_table(labels, groups, label="Edition"))


# ============================================================================ model
class EvaluationRubricModel(ExerciseModel):
    """Ratings on six evaluation criteria, and a country's EGDI change against its group's.

    >>> m = EvaluationRubricModel(country="ETH", from_year=2016, to_year=2024)
    >>> c = m.comparison()
    >>> round(c["egdi_to"] - c["egdi_from"], 5) == round(c["change"], 5), c["peer_count"] > 30
    (True, True)
    """

    kind: ClassVar[str] = "evaluation_rubric"
    title: ClassVar[str] = "Evaluation rubric"
    submodule: ClassVar[str] = "5.2"

    def __init__(self, initiative: Any = "", ratings: Any = None,
                 country: Any = DEFAULT_COUNTRY, from_year: Any = DEFAULT_FROM,
                 to_year: Any = data.LATEST_EDITION):
        self.initiative = text(initiative, "The initiative", max_len=MAX_INITIATIVE,
                               field="initiative")
        given = mapping({} if ratings is None else ratings, "The ratings")
        unknown = [str(k) for k in given if k not in CRITERIA]
        if unknown:
            raise ValidationError(f"Unknown criterion {unknown[0][:40]!r}; the criteria are: "
                                  f"{', '.join(CRITERIA)}.", "ratings")
        self.ratings: dict[str, Rating] = {
            c: (given[c] if isinstance(given.get(c), Rating) else
                Rating.parse(given[c], c) if c in given else Rating())
            for c in CRITERIA}
        self.country = resolve_country(country)
        self.from_year = edition(from_year, "The 'From' edition")
        self.to_year = edition(to_year, "The 'To' edition")
        _comparison(self.country, self.from_year, self.to_year)  # refuses a bad pair

    # -- changes
    def _with(self, **changes: Any) -> EvaluationRubricModel:
        fields = {"initiative": self.initiative, "ratings": self.ratings,
                  "country": self.country, "from_year": self.from_year,
                  "to_year": self.to_year}
        fields.update(changes)
        return EvaluationRubricModel(**fields)

    def with_initiative(self, initiative: Any) -> EvaluationRubricModel:
        return self._with(initiative=initiative)

    def with_rating(self, criterion: Any, score: Any = None,
                    evidence: Any = None) -> EvaluationRubricModel:
        if criterion not in CRITERIA:
            raise ValidationError(f"Unknown criterion {str(criterion)[:40]!r}.", "ratings")
        old = self.ratings[criterion]
        new = Rating.parse({"score": old.score if score is None else score,
                            "evidence": old.evidence if evidence is None else evidence},
                           criterion)
        return self._with(ratings={**self.ratings, criterion: new})

    def with_comparison(self, country: Any = None, from_year: Any = None,
                        to_year: Any = None) -> EvaluationRubricModel:
        return self._with(country=self.country if country is None else country,
                          from_year=self.from_year if from_year is None else from_year,
                          to_year=self.to_year if to_year is None else to_year)

    def with_country(self, country: Any) -> EvaluationRubricModel:
        return self.with_comparison(country=country)

    # -- reading
    @property
    def name(self) -> str:
        return country_name(self.country)

    def overall(self) -> dict[str, Any]:
        """Mean of the rated criteria (None if none is rated), how many are rated, of 6."""
        rated = [r.score for r in self.ratings.values() if r.score > 0]
        return {"score": sum(rated) / len(rated) if rated else None, "rated": len(rated),
                "total": len(CRITERIA)}

    def comparison(self) -> dict[str, Any]:
        """The country's EGDI change from ``from_year`` to ``to_year`` against its peers':
        ``egdi_from, egdi_to, change, group, group_label, peer_count, group_from, group_to,
        group_change, difference`` (change minus group change) and a ``sentence``."""
        return dict(_comparison(self.country, self.from_year, self.to_year))

    def chart_png(self) -> bytes:
        return _chart_png(self.country, self.from_year, self.to_year)

    def completeness(self) -> Completeness:
        missing = [] if self.initiative else ["the initiative you evaluate"]
        for c, r in self.ratings.items():
            if not r.score:
                missing.append(f"a rating for {c}")
            elif not r.evidence:
                missing.append(f"evidence for {c}")
        total = 1 + len(CRITERIA)
        return Completeness(total - len(missing), total, missing)

    def report(self) -> list[Block]:
        c = self.comparison()
        return [
            Block("fields", "Evaluation", items=[
                ("Initiative", self.initiative or "–"), ("Overall", overall_text(self))]),
            Block("table", "Ratings", columns=["Criterion", "Question", "Rating", "Evidence"],
                  rows=[[crit, QUESTIONS[crit], score_text(r.score), r.evidence or "–"]
                        for crit, r in self.ratings.items()]),
            Block("fields", "EGDI change against the peer group", items=[
                ("Country", f"{c['name']} ({c['country']})"),
                ("Editions", f"{c['from_year']} to {c['to_year']}"),
                ("Change of the country", signed(c["change"], 4)),
                (f"Mean change of its peers ({c['peer_count']})", signed(c["group_change"], 4)),
                ("Difference", signed(c["difference"], 4)),
                ("Peer group", c["group_label"]), ("In short", c["sentence"])]),
            chart_block("EGDI of the country and its peers", lambda chart: show_chart(
                chart, self.country, self.from_year, self.to_year)),
        ]

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"initiative": self.initiative,
                "ratings": {c: {"score": r.score, "evidence": r.evidence}
                            for c, r in self.ratings.items()},
                "country": self.country, "from_year": self.from_year, "to_year": self.to_year}

    @classmethod
    def from_dict(cls, data_: Any) -> EvaluationRubricModel:
        d = mapping(data_, "An evaluation rubric")
        return cls(d.get("initiative", ""), d.get("ratings"), d.get("country", DEFAULT_COUNTRY),
                   d.get("from_year", DEFAULT_FROM), d.get("to_year", data.LATEST_EDITION))

    @classmethod
    def starter(cls, workbook: Workbook) -> EvaluationRubricModel:
        initiative = workbook.case.get("target_area") or ""
        if not isinstance(initiative, str):
            initiative = ""
        initiative = initiative.strip()[:MAX_INITIATIVE]
        for country in (case_country(workbook), DEFAULT_COUNTRY):
            try:
                return cls(initiative=initiative, country=country)
            except ValidationError:
                continue
        return cls()


def score_text(score: int) -> str:
    return f"{score} – {SCALE[score]}" if score else SCALE[0]


def overall_text(model: EvaluationRubricModel) -> str:
    o = model.overall()
    if not o["rated"]:
        return "no criterion rated yet"
    return f"{o['score']:.1f} out of 4 ({o['rated']} of {o['total']} criteria rated)"


# ============================================================================ view
class EvaluationRubric(CountryView):
    """Evaluation rubric: rate an initiative, then compare a country's change with its group.

    >>> view = EvaluationRubric(workbook=Workbook.in_memory())
    >>> view.scores["impact"].value = 3
    >>> view.model.overall()["rated"]
    1
    """

    model_class = EvaluationRubricModel
    model: EvaluationRubricModel

    def _build(self) -> list[widgets.Widget]:
        m = self.model
        style = {"description_width": "110px"}
        self.initiative = widgets.Text(description="Initiative", value=m.initiative,
                                       placeholder="e.g. Online business registration",
                                       continuous_update=False, style=style,
                                       layout=widgets.Layout(width="95%"))
        self.initiative_message = message_label()
        self.initiative.observe(self._guard(self._set_initiative, self.initiative_message),
                                names="value")
        rows: list[widgets.Widget] = []
        self.scores: dict[str, widgets.Dropdown] = {}
        self.evidence: dict[str, widgets.Textarea] = {}
        self.rating_messages: dict[str, widgets.HTML] = {}
        for c in CRITERIA:
            r = m.ratings[c]
            self.scores[c] = widgets.Dropdown(
                description="Rating", value=r.score, style={"description_width": "50px"},
                options=[(score_text(n), n) for n in SCALE], layout=widgets.Layout(
                    width="220px"))
            self.evidence[c] = widgets.Textarea(
                value=r.evidence, placeholder="What shows it? (a figure, a report, a survey…)",
                continuous_update=False, layout=widgets.Layout(width="60%", height="52px"))
            self.rating_messages[c] = message_label()
            where = self.rating_messages[c]
            self.scores[c].observe(self._guard(self._rate(c), where), names="value")
            self.evidence[c].observe(self._guard(self._rate(c), where), names="value")
            rows.append(widgets.VBox([
                widgets.HTML(f"<b>{html.escape(c.capitalize())}</b>: "
                             f"{html.escape(QUESTIONS[c])}"),
                widgets.HBox([self.scores[c], self.evidence[c]]), where]))
        self.overall = widgets.HTML()

        dstyle = {"description_width": "60px"}
        self.country = widgets.Dropdown(description="Country", options=country_options(),
                                        value=m.country, style=dstyle)
        self.from_year = widgets.Dropdown(description="From", options=list(data.EDITIONS),
                                          value=m.from_year, style=dstyle,
                                          layout=widgets.Layout(width="150px"))
        self.to_year = widgets.Dropdown(description="To", options=list(data.EDITIONS),
                                        value=m.to_year, style=dstyle,
                                        layout=widgets.Layout(width="150px"))
        self.country_message = message_label()
        for control in (self.country, self.from_year, self.to_year):
            control.observe(self._guard(self._compare, self.country_message), names="value")
        self.result = widgets.HTML()
        self.chart = charts.Chart()
        self.progress = widgets.HTML()
        return [
            self.initiative, self.initiative_message,
            widgets.HTML("<p>Rate each criterion from 1 (not met) to 4 (fully met), and note "
                         "the evidence for your rating.</p>"),
            *rows, self.overall,
            widgets.HTML("<h4>Did the country move faster than its group?</h4>"),
            widgets.HBox([self.country, self.from_year, self.to_year]), self.country_message,
            self.result, self.chart,
            widgets.HTML("<small>The Survey's method changes a little between editions: read "
                         "a change as a signal, not an exact measure.</small>"),
            self.progress,
        ]

    # -- callbacks
    def _set_initiative(self, change: dict[str, Any]) -> None:
        if not self._syncing:
            self.commit(self.model.with_initiative(change["new"]))

    def _rate(self, criterion: str):
        def run(_: Any = None) -> None:
            if not self._syncing:
                self.commit(self.model.with_rating(criterion,
                                                   score=self.scores[criterion].value,
                                                   evidence=self.evidence[criterion].value))
        return run

    def _compare(self, _: Any = None) -> None:
        if self._syncing:
            return
        new = self.model.with_comparison(self.country.value, self.from_year.value,
                                         self.to_year.value)
        if new != self.model:
            self.commit(new)

    # -- display
    def refresh(self) -> None:
        m = self.model
        self._set(self.initiative, m.initiative)
        for c, r in m.ratings.items():
            self._set(self.scores[c], r.score)
            self._set(self.evidence[c], r.evidence)
        shown = (self.country.value, self.from_year.value, self.to_year.value)
        if shown != (m.country, m.from_year, m.to_year):
            show_message(self.country_message, "")  # a refused pick is put back
        self._set(self.country, m.country)
        self._set(self.from_year, m.from_year)
        self._set(self.to_year, m.to_year)
        self.overall.value = f"<b>Overall: {html.escape(overall_text(m))}</b>"
        self.result.value = _result_html(m.country, m.from_year, m.to_year)
        show_chart(self.chart, m.country, m.from_year, m.to_year)
        done = m.completeness()
        todo = "; ".join(done.missing[:3]) + ("; …" if len(done.missing) > 3 else "")
        show_message(self.progress, f"{done}" + (f" — still needed: {todo}" if todo else ""),
                     "ok" if done.complete else "info")


@lru_cache(maxsize=256)
def _result_html(iso3: str, from_year: int, to_year: int) -> str:
    c = _comparison(iso3, from_year, to_year)
    rows = [
        [c["name"], c["egdi_from"], c["egdi_to"], signed(c["change"], 4)],
        [f"Peers: {short_group(c['group'], c['group_label'])} (mean of {c['peer_count']})",
         c["group_from"], c["group_to"], signed(c["group_change"], 4)],
    ]
    table = table_html(["EGDI of", str(from_year), str(to_year), "Change"], rows, highlight=0)
    return (f"<div class='d4-compare'><b>{html.escape(c['sentence'])}</b> "
            f"(difference {html.escape(signed(c['difference'], 4))})</div>{table}"
            f"<small>Peers: {html.escape(c['group_label'])} in {to_year}, each with an EGDI "
            f"in both editions.</small>")


__all__ = ["CRITERIA", "QUESTIONS", "SCALE", "EvaluationRubric", "EvaluationRubricModel",
           "Rating"]
