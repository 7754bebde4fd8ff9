"""Evaluation rubric (submodule 5.2): rate an initiative that already runs on the six
evaluation criteria of the OECD DAC, and compare its country's EGDI change with its peer
group's.

The learner evaluates something that exists and has evidence: one of a few real digital
government initiatives (:data:`CASES`, each with facts from named sources), or an initiative
they know in their own country (its name, what it does, the year it started and the evidence
they have). An initiative that is still a plan has no results to rate.

Each criterion (relevance, coherence, effectiveness, efficiency, impact, sustainability) gets
a rating from 1 (not met) to 4 (fully met), 0 while not rated yet, and the evidence behind
it, in a few words at least. The data part compares the EGDI change of the initiative's
country between two Survey editions with the mean change of its peers over the same editions;
the peers are those of the later edition
(:func:`~digit4sd_widgets.data.analysis.peer_countries`) that have an EGDI in both.

>>> m = EvaluationRubricModel(case="bgd_udc")
>>> (m.country, m.from_year, m.initiative)
('BGD', 2010, 'Union Digital Centres (a2i programme)')
>>> m = m.with_rating("relevance", score=4, evidence="Offices were 15 to 35 km away (UNDP)")
>>> m.overall()
{'score': 4.0, 'rated': 1, 'total': 6}
>>> m.comparison()["sentence"].startswith("Bangladesh gained")
True
"""

from __future__ import annotations

import datetime
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
    html_table,
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
#: where the six criteria come from, said wherever they are listed
CRITERIA_SOURCE = ("The six criteria are those of the OECD Development Assistance Committee "
                   "(DAC), as revised in 2019.")
SCALE: dict[int, str] = {0: "not rated yet", 1: "not met", 2: "partly met", 3: "largely met",
                         4: "fully met"}
DEFAULT_FROM = 2014
MAX_EVIDENCE = 1000
MAX_NAME = 200
MAX_DOES = 600
MIN_WORDS = 3  # evidence for a rating: a few words at least (what shows it, and where from)
FIRST_YEAR = 1960
OWN = "own"  # the case of an initiative the learner knows in their own country
LEVEL = 0.005  # changes smaller than this (in EGDI points) count as no change


# ============================================================================ the cases
@dataclass(frozen=True)
class Fact:
    """One fact about a case, in plain words, and where it comes from."""

    text: str
    source: str


@dataclass(frozen=True)
class Case:
    """A real digital government initiative that runs and has public evidence."""

    id: str
    name: str
    country: str  # ISO3
    since: int
    does: str
    facts: tuple[Fact, ...]
    gaps: str  # what the sources do not tell: the learner rates with that in mind

    @property
    def label(self) -> str:
        return f"{country_name(self.country)}: {self.name} (since {self.since})"

    @property
    def start_edition(self) -> int:
        """The last Survey edition before or in the year the initiative started."""
        return max(y for y in data.EDITIONS if y <= self.since)


CASES: dict[str, Case] = {c.id: c for c in (
    Case(
        "bgd_udc", "Union Digital Centres (a2i programme)", "BGD", 2010,
        "Service points in the offices of union councils, the lowest level of local "
        "government. Local entrepreneurs run them. They charge small fees for public services, "
        "such as birth registration and land records, and for private ones, such as banking.",
        (
            Fact("The need: for many services, people in rural areas travelled on average "
                 "15 km to a sub-district office and 35 km to a district office. A union "
                 "council office is on average 3 km away.",
                 "UNDP Bangladesh, project page 'Access to Information (a2i)'"),
            Fact("The a2i programme started in 2007 in the Prime Minister's Office, with "
                 "support from UNDP and USAID. Its aim: cut the time, the cost and the number "
                 "of visits that a public service takes.",
                 "UNDP Bangladesh, project page 'Access to Information (a2i)'"),
            Fact("The centres opened in all unions of the country on 11 November 2010, "
                 "by video link with the Prime Minister.",
                 "BSS news agency, 16 August 2018; UNB news agency in The New Nation"),
            Fact("Two local entrepreneurs, one woman and one man, run each centre in a "
                 "public-private partnership. The fees they charge pay for the centre. In "
                 "most centres the man has the larger role.",
                 "The Daily Star (Dhaka), 20 May 2019"),
            Fact("Earlier use, by UNDP's figures: about 6 million services a month from 4,547 "
                 "union centres and about 730 urban ones, of 102 kinds (38 public, 64 "
                 "private).",
                 "UNDP Bangladesh, project page 'Access to Information (a2i)'"),
            Fact("Use in 2023, by the government's own figures: 9,397 centres, more than "
                 "17,800 entrepreneurs, more than 385 kinds of service and more than 7.5 "
                 "million services a month. The minister said the centres cut the time "
                 "citizens spend on a service by 78% and its cost by 17%.",
                 "The Financial Express (Dhaka), November 2023, reporting the ICT State "
                 "Minister"),
            Fact("A survey of 383 users at 14 centres in seven divisions found positive "
                 "views on availability, cost and convenience, and asked for a stronger "
                 "public-private partnership.",
                 "European Journal of Business and Management, vol. 11, no. 2 (journal "
                 "article)"),
            Fact("A study of 399 users named the main barriers: people do not know the "
                 "services, the work overlaps with that of union council secretaries, and "
                 "network connections are weak.",
                 "'The role of Union Digital Centres in reducing social inequalities in "
                 "Bangladesh' (journal article)"),
            Fact("In July-September 2024, 36.5% of people in rural areas used the internet, "
                 "against 71.4% in urban areas.",
                 "Bangladesh Bureau of Statistics, ICT Access and Use Survey, as reported by "
                 "the Dhaka Tribune"),
            Fact("Entrepreneurs have protested to ask that their posts become permanent "
                 "government jobs, for example in Dhaka in August 2024.",
                 "UNB news agency in The New Nation; Janotarbani, 22 August 2024 (in Bangla)"),
        ),
        "These sources give no independent figure of the network's full cost. The savings "
        "figures come from the government."),
    Case(
        "eth_esw", "Electronic Single Window for trade (eSW)", "ETH", 2020,
        "One online system where importers and exporters send their documents once. It "
        "passes them to the agencies that must give permits and clear the goods.",
        (
            Fact("The need: Ethiopia has no sea coast, and more than 90% of its foreign trade "
                 "passes through one port, in Djibouti. Before the single window, clearing "
                 "imports took about 44 days.",
                 "US International Trade Administration, Ethiopia Country Commercial Guide; "
                 "Horn Diplomat, 4 January 2020"),
            Fact("It was launched on 4 January 2020 at the Prime Minister's Office; the Prime "
                 "Minister linked it to the Homegrown Economic Reform Agenda. At first it "
                 "linked 16 regulatory agencies. The goal: clearance in 13 days, and later in "
                 "3.",
                 "Horn Diplomat, 4 January 2020"),
            Fact("The Customs Commission built it with help from the World Bank Group.",
                 "Capital (Addis Ababa), 29 November 2021"),
            Fact("A directive of April 2020 made traders use it. The Food and Drug "
                 "Administration linked its own import-permit system to it: traders apply in "
                 "the single window, and the Administration's staff approve in their own "
                 "system.",
                 "JSI, 'Electronic Single Window to Facilitate Ease of Doing Business in "
                 "Ethiopia', 2 June 2021"),
            Fact("Results reported by the programme office in November 2021: the time to "
                 "release imports fell from 44 days to about 12, and the time for a permit "
                 "from 30 days to 2.5. 55 of the 73 agencies expected were using it. The "
                 "office estimated the saving at about US$70 million in a year and a half.",
                 "Capital (Addis Ababa), 29 November 2021"),
            Fact("An outside view: the US Government's guide for exporters puts customs "
                 "clearance in Ethiopia at about two weeks.",
                 "US International Trade Administration, Ethiopia Country Commercial Guide"),
            Fact("A risk for every online service: the authorities cut mobile internet in the "
                 "Amhara region, home to about 40 million people, from 3 August 2023. Mobile "
                 "data came back in 19 of its cities in July 2024.",
                 "Internet Society Pulse; Addis Standard, 16 July 2024"),
        ),
        "These sources give no full cost of the system and no independent evaluation. The "
        "figures on time and money saved come from the programme office."),
    Case(
        "rwa_irembo", "Irembo, the online portal for public services", "RWA", 2015,
        "One website for public services such as birth certificates, criminal record "
        "certificates and driving-test registration. People use it on their own or through "
        "paid agents, such as internet cafés. A private company runs it for the government.",
        (
            Fact("The need: people often travelled long distances, many on foot, to local "
                 "government offices, and sometimes had to come back another day.",
                 "The New Times (Kigali), editorial on the expansion of Irembo"),
            Fact("In 2014 the government signed a 25-year agreement with a private company, "
                 "Rwanda Online Platform Ltd, to build and run the portal and then hand it "
                 "back. Irembo went live in 2015 with five services.",
                 "The New Times, 2014; Hope Magazine, interview with RwandaOnline"),
            Fact("By June 2017: 50 services, and about 1,500 internet cafés working as "
                 "agents. The aim was an agent within 3 km of everyone.",
                 "Xinhua, 11 June 2017"),
            Fact("By September 2023: 164 online services for 19 government bodies, and more "
                 "than 7,057 agents. A project of about US$12 million aims to put more than "
                 "400 further services online.",
                 "The New Times, September 2023; The New Times, 5 June 2023"),
            Fact("Many people still pay an agent because they lack digital skills or a "
                 "smartphone. In 2020 there were about 1.6 million smartphones among "
                 "10 million mobile phone users.",
                 "Rwanda Today, 18 February 2020"),
            Fact("Audit: the Auditor General found 14,298 double payments by users (more than "
                 "Rwf 167 million, January 2021 to August 2022) that had not been paid back. "
                 "Parliament's Public Accounts Committee ordered the refunds by December "
                 "2023.",
                 "The New Times, September 2023, on the Auditor General's report 2022/23"),
            Fact("Audit: a foreign company built the first system under a 2014 contract, "
                 "which ended in 2018. Because US$5.07 million of the settlement was still "
                 "unpaid, the company had not handed over the data and source code of the "
                 "first system.",
                 "KT Press, September 2023, on the Auditor General's report"),
        ),
        "These sources give no independent study of user satisfaction or of the time people "
        "save."),
)}
CASE_IDS: tuple[str, ...] = tuple(CASES)
CHOICES: tuple[str, ...] = (*CASE_IDS, OWN)


def case_options() -> list[tuple[str, str]]:
    """(label, value) of the choice of initiative: the listed cases, then one's own."""
    return ([(c.label, c.id) for c in CASES.values()]
            + [("An initiative I know in my country", OWN)])


# ============================================================================ model parts
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

    @property
    def enough_evidence(self) -> bool:
        return len(self.evidence.split()) >= MIN_WORDS


@dataclass(frozen=True)
class OwnInitiative:
    """An initiative the learner knows in their own country, which already runs."""

    name: str = ""
    does: str = ""
    since: int | None = None
    evidence: str = ""

    @classmethod
    def parse(cls, data_: Any) -> OwnInitiative:
        d = mapping({} if data_ is None else data_, "Your initiative")
        return cls(
            name=text(d.get("name", ""), "The name of the initiative", max_len=MAX_NAME,
                      field="name"),
            does=text(d.get("does", ""), "What the initiative does", max_len=MAX_DOES,
                      field="does"),
            since=_year(d.get("since")),
            evidence=text(d.get("evidence", ""), "The evidence you have",
                          max_len=MAX_EVIDENCE, field="evidence"))

    def missing(self) -> list[str]:
        return [what for what, given in (
            ("the name of your initiative", self.name), ("what it does", self.does),
            ("the year it started", self.since), ("the evidence you have about it",
                                                  self.evidence)) if not given]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "does": self.does, "since": self.since,
                "evidence": self.evidence}


def _year(value: Any) -> int | None:
    """The year an initiative started: empty for not given; never in the future."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    year = integer(value, "The year it started", lo=FIRST_YEAR, field="since")
    if year > datetime.date.today().year:
        raise ValidationError(f"The year it started ({year}) is in the future: choose an "
                              "initiative that already runs. A plan has no results to rate "
                              "yet.", "since")
    return year


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
    """The initiative evaluated (a listed case or the learner's own, which already runs), its
    ratings on the six criteria, and its country's EGDI change against its group's.

    ``case`` is ``""`` (not chosen yet), an id of :data:`CASES` or ``"own"``. For a listed
    case the country is the case's; for an initiative of the learner's own, it is theirs.

    >>> m = EvaluationRubricModel(case="eth_esw")
    >>> (m.country, m.from_year)
    ('ETH', 2020)
    >>> c = m.comparison()
    >>> round(c["egdi_to"] - c["egdi_from"], 5) == round(c["change"], 5), c["peer_count"] > 30
    (True, True)
    >>> m.with_country("NPL")
    Traceback (most recent call last):
    ...
    digit4sd_widgets.exercises._base.ValidationError: The country follows the initiative you \
evaluate: Electronic Single Window for trade (eSW) runs in Ethiopia. To compare another \
country, choose an initiative you know in that country.
    """

    kind: ClassVar[str] = "evaluation_rubric"
    title: ClassVar[str] = "Evaluation rubric"
    submodule: ClassVar[str] = "5.2"

    def __init__(self, case: Any = "", own: Any = None, ratings: Any = None,
                 country: Any = None, from_year: Any = None,
                 to_year: Any = data.LATEST_EDITION):
        if case is None:
            case = ""
        if not isinstance(case, str) or case not in ("", *CHOICES):
            raise ValidationError(f"Unknown initiative {str(case)[:40]!r}: choose one of the "
                                  "list, or an initiative you know in your country.", "case")
        self.case = case
        self.own = own if isinstance(own, OwnInitiative) else OwnInitiative.parse(own)
        given = mapping({} if ratings is None else ratings, "The ratings")
        unknown = [str(k) for k in given if k not in CRITERIA]
        if unknown:
            raise ValidationError(f"Unknown criterion {unknown[0][:40]!r}; the criteria are: "
                                  f"{', '.join(CRITERIA)}.", "ratings")
        self.ratings: dict[str, Rating] = {
            c: (given[c] if isinstance(given.get(c), Rating) else
                Rating.parse(given[c], c) if c in given else Rating())
            for c in CRITERIA}
        listed = CASES.get(case)
        if listed is None:
            self.country = resolve_country(DEFAULT_COUNTRY if country is None else country)
        else:
            self.country = listed.country
            if country is not None and resolve_country(country) != listed.country:
                raise ValidationError(self._fixed_country(listed), "country")
        if from_year is None:
            from_year = listed.start_edition if listed else DEFAULT_FROM
        self.from_year = edition(from_year, "The 'From' edition")
        self.to_year = edition(data.LATEST_EDITION if to_year is None else to_year,
                               "The 'To' edition")
        _comparison(self.country, self.from_year, self.to_year)  # refuses a bad pair

    @staticmethod
    def _fixed_country(listed: Case) -> str:
        return (f"The country follows the initiative you evaluate: {listed.name} runs in "
                f"{country_name(listed.country)}. To compare another country, choose an "
                "initiative you know in that country.")

    # -- changes
    def _with(self, **changes: Any) -> EvaluationRubricModel:
        fields = {"case": self.case, "own": self.own, "ratings": self.ratings,
                  "country": self.country, "from_year": self.from_year,
                  "to_year": self.to_year}
        fields.update(changes)
        return EvaluationRubricModel(**fields)

    def with_case(self, case: Any, country: Any = None) -> EvaluationRubricModel:
        """Evaluate another initiative. A listed case brings its country and the Survey
        edition of its start; for one's own initiative, ``country`` (if given) is the
        country to compare. The ratings are kept."""
        listed = CASES.get(case) if isinstance(case, str) else None
        if listed is not None:
            return self._with(case=case, country=listed.country,
                              from_year=listed.start_edition, to_year=data.LATEST_EDITION)
        new_country = self.country if country is None else country
        try:
            return self._with(case=case, country=new_country)
        except ValidationError as exc:
            if exc.field != "year" or country is None:
                raise
            # the editions of the last case do not suit this country: start on the defaults
            return self._with(case=case, country=new_country, from_year=DEFAULT_FROM,
                              to_year=data.LATEST_EDITION)

    def with_own(self, name: Any = None, does: Any = None, since: Any = None,
                 evidence: Any = None) -> EvaluationRubricModel:
        """Describe the learner's own initiative (``None`` keeps a field; ``since=""``
        clears the year). A new start year moves the comparison to the Survey edition of
        that year, when the country has figures for it; otherwise the editions stay."""
        old = self.own
        new = OwnInitiative.parse({
            "name": old.name if name is None else name,
            "does": old.does if does is None else does,
            "since": old.since if since is None else since,
            "evidence": old.evidence if evidence is None else evidence})
        if self.case == OWN and new.since is not None and new.since != old.since:
            start = max((y for y in data.EDITIONS if y <= new.since), default=data.EDITIONS[0])
            try:
                return self._with(own=new, from_year=start, to_year=data.LATEST_EDITION)
            except ValidationError:
                pass  # no comparison from that edition (the latest, or no figures)
        return self._with(own=new)

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
        listed = CASES.get(self.case)
        if listed is not None and country is not None \
                and resolve_country(country) != listed.country:
            raise ValidationError(self._fixed_country(listed), "country")
        return self._with(country=self.country if country is None else country,
                          from_year=self.from_year if from_year is None else from_year,
                          to_year=self.to_year if to_year is None else to_year)

    def with_country(self, country: Any) -> EvaluationRubricModel:
        return self.with_comparison(country=country)

    # -- reading
    @property
    def name(self) -> str:
        """The name of the initiative's country."""
        return country_name(self.country)

    @property
    def listed(self) -> Case | None:
        """The listed case evaluated, if one is."""
        return CASES.get(self.case)

    @property
    def initiative(self) -> str:
        """The name of the initiative evaluated ("" while none is chosen or named)."""
        if self.listed is not None:
            return self.listed.name
        return self.own.name if self.case == OWN else ""

    @property
    def since(self) -> int | None:
        if self.listed is not None:
            return self.listed.since
        return self.own.since if self.case == OWN else None

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
        """Seven parts: the initiative (chosen; one's own also described), then each
        criterion rated with evidence of at least a few words."""
        if not self.case:
            missing = ["choose the initiative you evaluate"]
        elif self.case == OWN:
            missing = self.own.missing()
        else:
            missing = []
        done = 0 if missing else 1
        for c, r in self.ratings.items():
            if not r.score:
                missing.append(f"a rating for {c}")
            elif not r.evidence:
                missing.append(f"evidence for {c}")
            elif not r.enough_evidence:
                missing.append(f"more evidence for {c} (at least {MIN_WORDS} words: what "
                               "shows it, and where it comes from)")
            else:
                done += 1
        return Completeness(done, 1 + len(CRITERIA), missing)

    def report(self) -> list[Block]:
        c = self.comparison()
        listed = self.listed
        if not self.case:
            items = [("Initiative", "not chosen yet")]
        elif listed is not None:
            items = [("Initiative", listed.name), ("Country", country_name(listed.country)),
                     ("Running since", str(listed.since)), ("What it does", listed.does)]
        else:
            o = self.own
            items = [("Initiative", o.name or "–"), ("Country", self.name),
                     ("Running since", str(o.since) if o.since else "–"),
                     ("What it does", o.does or "–"), ("Evidence you have", o.evidence or "–")]
        blocks = [Block("fields", "The initiative evaluated",
                        items=[*items, ("Overall", overall_text(self))])]
        if listed is not None:
            blocks.append(Block("table", "What the sources say", columns=["Fact", "Source"],
                                rows=[[f.text, f.source] for f in listed.facts]))
            blocks.append(Block("note", "What the sources do not tell", text=listed.gaps))
        blocks += [
            Block("table", "Ratings", columns=["Criterion", "Question", "Rating", "Evidence"],
                  rows=[[crit, QUESTIONS[crit], score_text(r.score), r.evidence or "–"]
                        for crit, r in self.ratings.items()]),
            Block("note", "The criteria", text=CRITERIA_SOURCE),
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
        return blocks

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "own": self.own.to_dict(),
                "ratings": {c: {"score": r.score, "evidence": r.evidence}
                            for c, r in self.ratings.items()},
                "country": self.country, "from_year": self.from_year, "to_year": self.to_year}

    @classmethod
    def from_dict(cls, data_: Any) -> EvaluationRubricModel:
        """Also reads the earlier shape, ``{"initiative", "ratings", "country", "from_year",
        "to_year"}``: its initiative becomes the learner's own, to be described."""
        d = mapping(data_, "An evaluation rubric")
        if "case" in d:
            case, own = d.get("case"), d.get("own")
        else:  # an answer saved before the choice of a real initiative
            old = text(d.get("initiative", ""), "The initiative", max_len=MAX_NAME,
                       field="initiative")
            case, own = (OWN, {"name": old}) if old else ("", None)
        return cls(case, own, d.get("ratings"), d.get("country"), d.get("from_year"),
                   d.get("to_year", data.LATEST_EDITION))

    @classmethod
    def starter(cls, workbook: Workbook) -> EvaluationRubricModel:
        """Nothing chosen yet; the comparison starts on the learner's case country. The
        learner's planned initiative is not offered: it has no results to rate yet."""
        for country in (case_country(workbook), DEFAULT_COUNTRY):
            try:
                return cls(country=country)
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


def case_html(case: Case) -> str:
    """What a listed case does, its facts with their sources, and what they do not tell:
    every word escaped."""
    return (f"<div class='d4-case'><p><b>{html.escape(case.name)}</b>, "
            f"{html.escape(country_name(case.country))}, since {case.since}. "
            f"{html.escape(case.does)}</p>"
            + html_table(["Fact", "Source"], [[f.text, f.source] for f in case.facts])
            + f"<p><i>What the sources do not tell:</i> {html.escape(case.gaps)}</p></div>")


# ============================================================================ view
class EvaluationRubric(CountryView):
    """Evaluation rubric: choose an initiative that runs, rate it with evidence, then compare
    its country's change with its group's.

    >>> view = EvaluationRubric(workbook=Workbook.in_memory())
    >>> view.case.value = "rwa_irembo"
    >>> view.scores["impact"].value = 3
    >>> view.model.overall()["rated"], view.model.country, view.country.disabled
    (1, 'RWA', True)
    """

    model_class = EvaluationRubricModel
    model: EvaluationRubricModel

    def _build(self) -> list[widgets.Widget]:
        m = self.model
        self.case = widgets.RadioButtons(description="Initiative", options=case_options(),
                                         value=m.case or None,
                                         style={"description_width": "80px"},
                                         layout=widgets.Layout(width="auto"))
        self.case_message = message_label()
        self.case.observe(self._guard(self._choose, self.case_message), names="value")
        self.case_info = widgets.HTML()

        # an initiative the learner knows in their own country
        wide = widgets.Layout(width="95%")
        style = {"description_width": "120px"}
        self.own_name = widgets.Text(description="Name", value=m.own.name, style=style,
                                     layout=wide, placeholder="e.g. the name of a portal, "
                                     "a registry or a service centre network")
        self.own_does = widgets.Textarea(description="What it does", value=m.own.does,
                                         style=style, layout=wide,
                                         placeholder="Who uses it, for what service")
        self.own_since = widgets.Text(description="Running since", style=style,
                                      value="" if m.own.since is None else str(m.own.since),
                                      placeholder="year, e.g. 2016",
                                      layout=widgets.Layout(width="260px"))
        self.own_evidence = widgets.Textarea(
            description="Evidence you have", value=m.own.evidence, style=style, layout=wide,
            placeholder="Reports, figures, surveys, audits: what they say and who published "
                        "them")
        self.own_message = message_label()
        for field, control in (("name", self.own_name), ("does", self.own_does),
                               ("since", self.own_since), ("evidence", self.own_evidence)):
            control.observe(self._guard(self._describe(field), self.own_message),
                            names="value")
        self.own_box = widgets.VBox([
            widgets.HTML("<p>Choose an initiative that already runs and has results, not one "
                         "you are planning: a plan has no results to rate yet.</p>"),
            self.own_name, self.own_does, self.own_since, self.own_evidence,
            self.own_message])

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
                description="Evidence", style={"description_width": "70px"},
                value=r.evidence, placeholder="What shows it? Name the fact and its source.",
                continuous_update=False, layout=widgets.Layout(width="65%", height="52px"))
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
        self.compare_title = widgets.HTML()
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
            widgets.HTML("<p>Evaluate an initiative that already runs and has evidence: one "
                         "of the real cases below, or one you know in your own country.</p>"),
            self.case, self.case_message, self.case_info, self.own_box,
            widgets.HTML("<h4>Rate it on the six criteria</h4>"
                         f"<p>{html.escape(CRITERIA_SOURCE)} Rate each criterion from 1 (not "
                         "met) to 4 (fully met), and write the evidence behind your rating: "
                         "what shows it, and where it comes from.</p>"),
            *rows, self.overall,
            self.compare_title,
            widgets.HBox([self.country, self.from_year, self.to_year]), self.country_message,
            self.result, self.chart,
            widgets.HTML("<small>The Survey's indices are relative: they compare countries "
                         "with each other in each edition, and the method changes a little "
                         "between editions. A national index also moves for many reasons, so "
                         "this comparison gives context; it does not prove the effect of one "
                         "initiative.</small>"),
            self.progress,
        ]

    # -- callbacks
    def _choose(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        new = change["new"] or ""
        home = None if new in CASES else (self.workbook.country or None)
        self.commit(self.model.with_case(new, country=home))

    def _describe(self, field: str):
        def run(change: dict[str, Any]) -> None:
            if not self._syncing:
                self.commit(self.model.with_own(**{field: change["new"]}))
        return run

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
        self._set(self.case, m.case or None)
        listed = m.listed
        self.case_info.value = case_html(listed) if listed is not None else ""
        self.own_box.layout.display = "" if m.case == OWN else "none"
        self._set(self.own_name, m.own.name)
        self._set(self.own_does, m.own.does)
        self._set(self.own_since, "" if m.own.since is None else str(m.own.since))
        self._set(self.own_evidence, m.own.evidence)
        for c, r in m.ratings.items():
            self._set(self.scores[c], r.score)
            self._set(self.evidence[c], r.evidence)
        shown = (self.country.value, self.from_year.value, self.to_year.value)
        if shown != (m.country, m.from_year, m.to_year):
            show_message(self.country_message, "")  # a refused pick is put back
        self._set(self.country, m.country)
        self.country.disabled = listed is not None
        self._set(self.from_year, m.from_year)
        self._set(self.to_year, m.to_year)
        self.overall.value = f"<b>Overall: {html.escape(overall_text(m))}</b>"
        self.compare_title.value = (f"<h4>Did {html.escape(m.name)} move faster than its "
                                    "peers?</h4>")
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


__all__ = ["CASES", "CRITERIA", "CRITERIA_SOURCE", "QUESTIONS", "SCALE", "Case",
           "EvaluationRubric", "EvaluationRubricModel", "Fact", "OwnInitiative", "Rating"]
