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
from ..i18n import N_, _, get_language, ngettext
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
    fmt,
    peer_label,
    peers_of,
    resolve_country,
    short_group,
    signed,
    survey_row,
    table_html,
)
from .kpi import progress_message

#: the six criteria: stored as these keys; their names shown through :func:`criterion_name`
CRITERIA: tuple[str, ...] = ("relevance", "coherence", "effectiveness", "efficiency", "impact",
                             "sustainability")
CRITERION_NAMES: dict[str, str] = {
    "relevance": N_("relevance"), "coherence": N_("coherence"),
    "effectiveness": N_("effectiveness"), "efficiency": N_("efficiency"),
    "impact": N_("impact"), "sustainability": N_("sustainability"),
}
#: each criterion's question (shown through ``_()``)
QUESTIONS: dict[str, str] = {
    "relevance": N_("Does it answer a real need of the people it serves and a priority of the "
                    "country?"),
    "coherence": N_("Does it fit with the other policies, programmes and systems, inside and "
                    "outside government?"),
    "effectiveness": N_("Is it reaching the results it set out to reach?"),
    "efficiency": N_("Are money, time and staff used well for what it delivers?"),
    "impact": N_("What lasting difference does it make to people's lives, planned or not?"),
    "sustainability": N_("Will the benefits last once the project money and attention end?"),
}
#: where the six criteria come from, said wherever they are listed (shown through ``_()``)
CRITERIA_SOURCE = N_("The six criteria are those of the OECD Development Assistance "
                     "Committee (DAC), as revised in 2019.")
#: the ratings' words (shown through :func:`score_text`)
SCALE: dict[int, str] = {0: N_("not rated yet"), 1: N_("not met"), 2: N_("partly met"),
                         3: N_("largely met"), 4: N_("fully met")}
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
        return _("{country}: {name} (since {year})").format(
            country=country_name(self.country), name=_(self.name), year=self.since)

    @property
    def start_edition(self) -> int:
        """The last Survey edition before or in the year the initiative started."""
        return max(y for y in data.EDITIONS if y <= self.since)


CASES: dict[str, Case] = {c.id: c for c in (
    Case(
        "bgd_udc", N_("Union Digital Centres (a2i programme)"), "BGD", 2010,
        N_("Service points in the offices of union councils, the lowest level of local "
           "government. Local entrepreneurs run them. They charge small fees for public services, "
           "such as birth registration and land records, and for private ones, such as banking."),
        (
            Fact(N_("The need: for many services, people in rural areas travelled on average 15 "
                    "km to a sub-district office and 35 km to a district office. A union council "
                    "office is on average 3 km away."),
                 N_("UNDP Bangladesh, project page 'Access to Information (a2i)'")),
            Fact(N_("The a2i programme started in 2007 in the Prime Minister's Office, with "
                    "support from UNDP and USAID. Its aim: cut the time, the cost and the number "
                    "of visits that a public service takes."),
                 N_("UNDP Bangladesh, project page 'Access to Information (a2i)'")),
            Fact(N_("The centres opened in all unions of the country on 11 November 2010, by "
                    "video link with the Prime Minister."),
                 N_("BSS news agency, 16 August 2018; UNB news agency in The New Nation")),
            Fact(N_("Two local entrepreneurs, one woman and one man, run each centre in a "
                    "public-private partnership. The fees they charge pay for the centre. In most "
                    "centres the man has the larger role."),
                 N_("The Daily Star (Dhaka), 20 May 2019")),
            Fact(N_("Earlier use, by UNDP's figures: about 6 million services a month from 4,547 "
                    "union centres and about 730 urban ones, "
                    "of 102 kinds (38 public, 64 private)."),
                 N_("UNDP Bangladesh, project page 'Access to Information (a2i)'")),
            Fact(N_("Use in 2023, by the government's own figures: 9,397 centres, more than "
                    "17,800 entrepreneurs, more than 385 kinds of service and more than 7.5 "
                    "million services a month. The minister said the centres cut the time "
                    "citizens spend on a service by 78% and its cost by 17%."),
                 N_("The Financial Express (Dhaka), November 2023, reporting the ICT State "
                    "Minister")),
            Fact(N_("A survey of 383 users at 14 centres in seven divisions found positive views "
                    "on availability, cost and convenience, and asked for a stronger "
                    "public-private partnership."),
                 N_("European Journal of Business and Management, "
                    "vol. 11, no. 2 (journal article)")),
            Fact(N_("A study of 399 users named the main barriers: people do not know the "
                    "services, the work overlaps with that of union council secretaries, and "
                    "network connections are weak."),
                 N_("'The role of Union Digital Centres in reducing social inequalities in "
                    "Bangladesh' (journal article)")),
            Fact(N_("In July-September 2024, 36.5% of people in rural areas used the internet, "
                    "against 71.4% in urban areas."),
                 N_("Bangladesh Bureau of Statistics, ICT Access and Use Survey, as reported by "
                    "the Dhaka Tribune")),
            Fact(N_("Entrepreneurs have protested to ask that their posts become permanent "
                    "government jobs, for example in Dhaka in August 2024."),
                 N_("UNB news agency in The New Nation; Janotarbani, 22 August 2024 (in Bangla)")),
        ),
        N_("These sources give no independent figure of the network's full cost. The savings "
           "figures come from the government.")),
    Case(
        "eth_esw", N_("Electronic Single Window for trade (eSW)"), "ETH", 2020,
        N_("One online system where importers and exporters send their documents once. It passes "
           "them to the agencies that must give permits and clear the goods."),
        (
            Fact(N_("The need: Ethiopia has no sea coast, and more than 90% of its foreign trade "
                    "passes through one port, in Djibouti. Before the single window, clearing "
                    "imports took about 44 days."),
                 N_("US International Trade Administration, Ethiopia Country Commercial Guide; "
                    "Horn Diplomat, 4 January 2020")),
            Fact(N_("It was launched on 4 January 2020 at the Prime Minister's Office; the Prime "
                    "Minister linked it to the Homegrown Economic Reform Agenda. At first it "
                    "linked 16 regulatory agencies. The goal: clearance in 13 days, and later in "
                    "3."),
                 N_("Horn Diplomat, 4 January 2020")),
            Fact(N_("The Customs Commission built it with help from the World Bank Group."),
                 N_("Capital (Addis Ababa), 29 November 2021")),
            Fact(N_("A directive of April 2020 made traders use it. The Food and Drug "
                    "Administration linked its own import-permit system to it: traders apply in "
                    "the single window, and the Administration's staff approve in their own "
                    "system."),
                 N_("JSI, 'Electronic Single Window to Facilitate Ease of Doing Business in "
                    "Ethiopia', 2 June 2021")),
            Fact(N_("Results reported by the programme office in November 2021: the time to "
                    "release imports fell from 44 days to about 12, and the time for a permit "
                    "from 30 days to 2.5. 55 of the 73 agencies expected were using it. The "
                    "office estimated the saving at about US$70 million in a year and a half."),
                 N_("Capital (Addis Ababa), 29 November 2021")),
            Fact(N_("An outside view: the US Government's guide for exporters puts customs "
                    "clearance in Ethiopia at about two weeks."),
                 N_("US International Trade Administration, Ethiopia Country Commercial Guide")),
            Fact(N_("A risk for every online service: the authorities cut mobile internet in the "
                    "Amhara region, home to about 40 million people, from 3 August 2023. Mobile "
                    "data came back in 19 of its cities in July 2024."),
                 N_("Internet Society Pulse; Addis Standard, 16 July 2024")),
        ),
        N_("These sources give no full cost of the system and no independent evaluation. The "
           "figures on time and money saved come from the programme office.")),
    Case(
        "rwa_irembo", N_("Irembo, the online portal for public services"), "RWA", 2015,
        N_("One website for public services such as birth certificates, criminal record "
           "certificates and driving-test registration. People use it on their own or through "
           "paid agents, such as internet cafés. A private company runs it for the government."),
        (
            Fact(N_("The need: people often travelled long distances, many on foot, to local "
                    "government offices, and sometimes had to come back another day."),
                 N_("The New Times (Kigali), editorial on the expansion of Irembo")),
            Fact(N_("In 2014 the government signed a 25-year agreement with a private company, "
                    "Rwanda Online Platform Ltd, to build and run the portal and then hand it "
                    "back. Irembo went live in 2015 with five services."),
                 N_("The New Times, 2014; Hope Magazine, interview with RwandaOnline")),
            Fact(N_("By June 2017: 50 services, and about 1,500 internet cafés working as agents. "
                    "The aim was an agent within 3 km of everyone."),
                 N_("Xinhua, 11 June 2017")),
            Fact(N_("By September 2023: 164 online services for 19 government bodies, and more "
                    "than 7,057 agents. A project of about US$12 million aims to put more than "
                    "400 further services online."),
                 N_("The New Times, September 2023; The New Times, 5 June 2023")),
            Fact(N_("Many people still pay an agent because they lack digital skills or a "
                    "smartphone. In 2020 there were about 1.6 million smartphones among 10 "
                    "million mobile phone users."),
                 N_("Rwanda Today, 18 February 2020")),
            Fact(N_("Audit: the Auditor General found 14,298 double payments by users (more than "
                    "Rwf 167 million, January 2021 to August 2022) that had not been paid back. "
                    "Parliament's Public Accounts Committee ordered "
                    "the refunds by December 2023."),
                 N_("The New Times, September 2023, on the Auditor General's report 2022/23")),
            Fact(N_("Audit: a foreign company built the first system under a 2014 contract, which "
                    "ended in 2018. Because US$5.07 million of the settlement was still unpaid, "
                    "the company had not handed over the "
                    "data and source code of the first system."),
                 N_("KT Press, September 2023, on the Auditor General's report")),
        ),
        N_("These sources give no independent study of user satisfaction or of the time people "
           "save.")),
)}
CASE_IDS: tuple[str, ...] = tuple(CASES)
CHOICES: tuple[str, ...] = (*CASE_IDS, OWN)


def case_options() -> list[tuple[str, str]]:
    """(label, value) of the choice of initiative: the listed cases, then one's own."""
    return ([(c.label, c.id) for c in CASES.values()]
            + [(_("An initiative I know in my country"), OWN)])


def criterion_name(criterion: str) -> str:
    """A criterion's name ("relevance") in the reader's language."""
    return _(CRITERION_NAMES[criterion]) if criterion in CRITERION_NAMES else criterion


# ============================================================================ model parts
@dataclass(frozen=True)
class Rating:
    score: int = 0
    evidence: str = ""

    @classmethod
    def parse(cls, data_: Any, criterion: str) -> Rating:
        name = criterion_name(criterion)
        rating = _("The rating for {criterion}").format(criterion=name)
        d = mapping(data_, rating)
        return cls(
            score=integer(d.get("score", 0), rating, lo=0, hi=4, field="score"),
            evidence=text(d.get("evidence", ""),
                          _("The evidence for {criterion}").format(criterion=name),
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
        d = mapping({} if data_ is None else data_, _("Your initiative"))
        return cls(
            name=text(d.get("name", ""), _("The name of the initiative"), max_len=MAX_NAME,
                      field="name"),
            does=text(d.get("does", ""), _("What the initiative does"), max_len=MAX_DOES,
                      field="does"),
            since=_year(d.get("since")),
            evidence=text(d.get("evidence", ""), _("The evidence you have"),
                          max_len=MAX_EVIDENCE, field="evidence"))

    def missing(self) -> list[str]:
        return [_(what) for what, given in (
            (N_("the name of your initiative"), self.name), (N_("what it does"), self.does),
            (N_("the year it started"), self.since),
            (N_("the evidence you have about it"), self.evidence)) if not given]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "does": self.does, "since": self.since,
                "evidence": self.evidence}


def _year(value: Any) -> int | None:
    """The year an initiative started: empty for not given; never in the future."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    year = integer(value, _("The year it started"), lo=FIRST_YEAR, field="since")
    if year > datetime.date.today().year:
        raise ValidationError(_("The year it started ({year}) is in the future: choose an "
                                "initiative that already runs. A plan has no results to rate "
                                "yet.").format(year=year), "since")
    return year


# ============================================================================ data part
def _own_part(name: str, x: float) -> str:
    """What the country did: "Bangladesh gained 0.21"."""
    if x >= LEVEL:
        return _("{country} gained {change}").format(country=name, change=fmt(x, 2))
    if x <= -LEVEL:
        return _("{country} lost {change}").format(country=name, change=fmt(abs(x), 2))
    return _("{country} stayed about level").format(country=name)


def _group_part(x: float, both_gained: bool) -> str:
    """What its group did: "its group 0.09" (when both gained), "its group lost 0.04"."""
    if both_gained:
        return _("its group {change}").format(change=fmt(x, 2))
    if x >= LEVEL:
        return _("its group gained {change}").format(change=fmt(x, 2))
    if x <= -LEVEL:
        return _("its group lost {change}").format(change=fmt(abs(x), 2))
    return _("its group stayed about level")


def _verdict(own: float, group: float) -> str:
    diff = own - group
    if abs(diff) < LEVEL:
        return _("about the same as its group")
    if diff > 0:
        return (_("faster than its group") if own > 0 and group >= 0
                else _("ahead of its group"))
    return _("slower than its group") if own >= 0 and group > 0 else _("behind its group")


@lru_cache(maxsize=512)
def _figures(iso3: str, from_year: int, to_year: int) -> Mapping[str, Any]:
    """The comparison's figures (the same in every language)."""
    if from_year >= to_year:
        raise ValidationError(_("The first edition must come before the second one: pick an "
                                "earlier 'From' or a later 'To' edition."), "year")
    own = {}
    for year in (from_year, to_year):
        own[year] = survey_row(iso3, year)["egdi"]
        if own[year] is None:
            raise ValidationError(_("No EGDI was computed for {country} in {year}: pick "
                                    "another edition.").format(country=country_name(iso3),
                                                               year=year), "year")
    code, label, peers = peers_of(iso3, to_year)
    start = edition_table(from_year).reindex(list(peers))["egdi"]
    end = edition_table(to_year).reindex(list(peers))["egdi"]
    both = start.notna() & end.notna()
    if not both.any():
        raise ValidationError(_("None of {country}'s peers has an EGDI in both {first} and "
                                "{second}: pick other editions.").format(
                                    country=country_name(iso3), first=from_year,
                                    second=to_year), "year")
    g_from, g_to = float(start[both].mean()), float(end[both].mean())
    change = own[to_year] - own[from_year]
    g_change = float((end[both] - start[both]).mean())
    return {
        "country": iso3, "from_year": from_year, "to_year": to_year,
        "egdi_from": own[from_year], "egdi_to": own[to_year], "change": change,
        "group": code, "group_label": label, "peer_count": int(both.sum()),
        "group_from": g_from, "group_to": g_to, "group_change": g_change,
        "difference": change - g_change,
    }


def _comparison(iso3: str, from_year: int, to_year: int) -> dict[str, Any]:
    """The figures, with the country's name and the sentence in the reader's language."""
    c = dict(_figures(iso3, from_year, to_year))
    c["name"] = country_name(iso3)
    c["sentence"] = _sentence(c["name"], c["change"], c["group_change"])
    return c


def _sentence(name: str, own: float, group: float) -> str:
    """``"Bangladesh gained 0.21, its group 0.09: faster than its group."``"""
    both_gained = own >= LEVEL and group >= LEVEL
    return _("{country_part}, {group_part}: {verdict}.").format(
        country_part=_own_part(name, own), group_part=_group_part(group, both_gained),
        verdict=_verdict(own, group))


def _chart_data(iso3: str, from_year: int, to_year: int
                ) -> tuple[list[str], dict[str, list[float]], str]:
    """(labels, groups, title) of the chart: the country's EGDI and its peers' mean."""
    c = _comparison(iso3, from_year, to_year)
    peers = _("Peers ({group}) mean").format(group=short_group(c["group"], c["group_label"]))
    return ([str(from_year), str(to_year)],
            {c["name"]: [c["egdi_from"], c["egdi_to"]], peers: [c["group_from"], c["group_to"]]},
            _("EGDI of {country} and its peers, {first} and {second}").format(
                country=c["name"], first=from_year, second=to_year))


def _chart_png(iso3: str, from_year: int, to_year: int) -> bytes:
    return _chart_drawn(iso3, from_year, to_year, get_language())


@lru_cache(maxsize=96)
def _chart_drawn(iso3: str, from_year: int, to_year: int, lang: str) -> bytes:
    # keyed on the language too: the title, the legend and the ticks' decimals are in it
    labels, groups, title = _chart_data(iso3, from_year, to_year)
    return charts.bar_chart(labels, groups, title=title)


def show_chart(chart: charts.Chart, iso3: str, from_year: int, to_year: int) -> None:
    """The chart, with words for a screen reader (both EGDIs and who moved faster) and its
    numbers as a table."""
    labels, groups, title = _chart_data(iso3, from_year, to_year)
    alt = (charts.describe_bars(labels, groups, title=title)
           + f" {_comparison(iso3, from_year, to_year)['sentence']}")
    chart.show(_chart_png(iso3, from_year, to_year), alt,
               *charts.bars_table(labels, groups, label=_("Edition")))


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
    title: ClassVar[str] = N_("Evaluation rubric")
    submodule: ClassVar[str] = "5.2"

    def __init__(self, case: Any = "", own: Any = None, ratings: Any = None,
                 country: Any = None, from_year: Any = None,
                 to_year: Any = data.LATEST_EDITION):
        if case is None:
            case = ""
        if not isinstance(case, str) or case not in ("", *CHOICES):
            raise ValidationError(_("Unknown initiative {case}: choose one of the list, or an "
                                    "initiative you know in your country.").format(
                                        case=repr(str(case)[:40])), "case")
        self.case = case
        self.own = own if isinstance(own, OwnInitiative) else OwnInitiative.parse(own)
        given = mapping({} if ratings is None else ratings, _("The ratings"))
        unknown = [str(k) for k in given if k not in CRITERIA]
        if unknown:
            raise ValidationError(_("Unknown criterion {criterion}; the criteria are: "
                                    "{criteria}.").format(criterion=repr(unknown[0][:40]),
                                                          criteria=", ".join(CRITERIA)),
                                  "ratings")
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
        self.from_year = edition(from_year, _("The 'From' edition"))
        self.to_year = edition(data.LATEST_EDITION if to_year is None else to_year,
                               _("The 'To' edition"))
        _figures(self.country, self.from_year, self.to_year)  # refuses a bad pair

    @staticmethod
    def _fixed_country(listed: Case) -> str:
        return _("The country follows the initiative you evaluate: {initiative} runs in "
                 "{country}. To compare another country, choose an initiative you know in "
                 "that country.").format(initiative=_(listed.name),
                                         country=country_name(listed.country))

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
            raise ValidationError(_("Unknown criterion {criterion}.").format(
                criterion=repr(str(criterion)[:40])), "ratings")
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
            return _(self.listed.name)
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
            missing = [_("choose the initiative you evaluate")]
        elif self.case == OWN:
            missing = self.own.missing()
        else:
            missing = []
        done = 0 if missing else 1
        for c, r in self.ratings.items():
            name = criterion_name(c)
            if not r.score:
                missing.append(_("a rating for {criterion}").format(criterion=name))
            elif not r.evidence:
                missing.append(_("evidence for {criterion}").format(criterion=name))
            elif not r.enough_evidence:
                missing.append(_("more evidence for {criterion} (at least {n} words: what "
                                 "shows it, and where it comes from)").format(
                                     criterion=name, n=MIN_WORDS))
            else:
                done += 1
        return Completeness(done, 1 + len(CRITERIA), missing)

    def report(self) -> list[Block]:
        c = self.comparison()
        listed = self.listed
        if not self.case:
            items = [(_("Initiative"), _("not chosen yet"))]
        elif listed is not None:
            items = [(_("Initiative"), _(listed.name)),
                     (_("Country"), country_name(listed.country)),
                     (_("Running since"), str(listed.since)),
                     (_("What it does"), _(listed.does))]
        else:
            o = self.own
            items = [(_("Initiative"), o.name or "–"), (_("Country"), self.name),
                     (_("Running since"), str(o.since) if o.since else "–"),
                     (_("What it does"), o.does or "–"),
                     (_("Evidence you have"), o.evidence or "–")]
        blocks = [Block("fields", _("The initiative evaluated"),
                        items=[*items, (_("Overall"), overall_text(self))])]
        if listed is not None:
            blocks.append(Block("table", _("What the sources say"),
                                columns=[_("Fact"), _("Source")], rows=fact_rows(listed)))
            blocks.append(Block("note", _("What the sources do not tell"),
                                text=_(listed.gaps)))
        blocks += [
            Block("table", _("Ratings"),
                  columns=[_("Criterion"), _("Question"), _("Rating"), _("Evidence")],
                  rows=[[criterion_name(crit), _(QUESTIONS[crit]), score_text(r.score),
                         r.evidence or "–"] for crit, r in self.ratings.items()]),
            Block("note", _("The criteria"), text=_(CRITERIA_SOURCE)),
            Block("fields", _("EGDI change against the peer group"), items=[
                (_("Country"), f"{c['name']} ({c['country']})"),
                (_("Editions"), _("{first} to {second}").format(first=c["from_year"],
                                                                second=c["to_year"])),
                (_("Change of the country"), signed(c["change"], 4)),
                (_("Mean change of its peers ({n})").format(n=c["peer_count"]),
                 signed(c["group_change"], 4)),
                (_("Difference"), signed(c["difference"], 4)),
                (_("Peer group"), peer_label(c["group"], c["group_label"])),
                (_("In short"), c["sentence"])]),
            chart_block(_("EGDI of the country and its peers"), lambda chart: show_chart(
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
        d = mapping(data_, _("An evaluation rubric"))
        if "case" in d:
            case, own = d.get("case"), d.get("own")
        else:  # an answer saved before the choice of a real initiative
            old = text(d.get("initiative", ""), _("The initiative"), max_len=MAX_NAME,
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
    """A rating in words: "3 – largely met", "not rated yet"."""
    return f"{score} – {_(SCALE[score])}" if score else _(SCALE[0])


def overall_text(model: EvaluationRubricModel) -> str:
    o = model.overall()
    if not o["rated"]:
        return _("no criterion rated yet")
    # Translators: the plural follows the number of criteria rated ({rated})
    return ngettext("{score} out of 4 ({rated} of {total} criteria rated)",
                    "{score} out of 4 ({rated} of {total} criteria rated)",
                    o["rated"]).format(score=fmt(float(o["score"]), 1), rated=o["rated"],
                                       total=o["total"])


def fact_rows(case: Case) -> list[list[str]]:
    """A listed case's facts and their sources, in the reader's language."""
    return [[_(f.text), _(f.source)] for f in case.facts]


def case_html(case: Case) -> str:
    """What a listed case does, its facts with their sources, and what they do not tell:
    every word escaped."""
    esc = html.escape
    head = _("{name}, {country}, since {year}.").format(
        name=f"<b>{esc(_(case.name))}</b>", country=esc(country_name(case.country)),
        year=case.since)
    return (f"<div class='d4-case'><p>{head} {esc(_(case.does))}</p>"
            + html_table([_("Fact"), _("Source")], fact_rows(case))
            + "<p><i>{}</i> {}</p></div>".format(esc(_("What the sources do not tell:")),
                                                 esc(_(case.gaps))))


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
        self.case = widgets.RadioButtons(description=_("Initiative"), options=case_options(),
                                         value=m.case or None,
                                         style={"description_width": "80px"},
                                         layout=widgets.Layout(width="auto"))
        self.case_message = message_label()
        self.case.observe(self._guard(self._choose, self.case_message), names="value")
        self.case_info = widgets.HTML()

        # an initiative the learner knows in their own country
        wide = widgets.Layout(width="95%")
        style = {"description_width": "120px"}
        self.own_name = widgets.Text(description=_("Name"), value=m.own.name, style=style,
                                     layout=wide,
                                     placeholder=_("e.g. the name of a portal, a registry or "
                                                   "a service centre network"))
        self.own_does = widgets.Textarea(description=_("What it does"), value=m.own.does,
                                         style=style, layout=wide,
                                         placeholder=_("Who uses it, for what service"))
        self.own_since = widgets.Text(description=_("Running since"), style=style,
                                      value="" if m.own.since is None else str(m.own.since),
                                      placeholder=_("year, e.g. 2016"),
                                      layout=widgets.Layout(width="260px"))
        self.own_evidence = widgets.Textarea(
            description=_("Evidence you have"), value=m.own.evidence, style=style,
            layout=wide,
            placeholder=_("Reports, figures, surveys, audits: what they say and who "
                          "published them"))
        self.own_message = message_label()
        for field, control in (("name", self.own_name), ("does", self.own_does),
                               ("since", self.own_since), ("evidence", self.own_evidence)):
            control.observe(self._guard(self._describe(field), self.own_message),
                            names="value")
        self.own_box = widgets.VBox([
            widgets.HTML("<p>{}</p>".format(html.escape(_(
                "Choose an initiative that already runs and has results, not one you are "
                "planning: a plan has no results to rate yet.")))),
            self.own_name, self.own_does, self.own_since, self.own_evidence,
            self.own_message])

        rows: list[widgets.Widget] = []
        self.scores: dict[str, widgets.Dropdown] = {}
        self.evidence: dict[str, widgets.Textarea] = {}
        self.rating_messages: dict[str, widgets.HTML] = {}
        for c in CRITERIA:
            r = m.ratings[c]
            self.scores[c] = widgets.Dropdown(
                description=_("Rating"), value=r.score, style={"description_width": "50px"},
                options=[(score_text(n), n) for n in SCALE], layout=widgets.Layout(
                    width="220px"))
            self.evidence[c] = widgets.Textarea(
                description=_("Evidence"), style={"description_width": "70px"},
                value=r.evidence,
                placeholder=_("What shows it? Name the fact and its source."),
                continuous_update=False, layout=widgets.Layout(width="65%", height="52px"))
            self.rating_messages[c] = message_label()
            where = self.rating_messages[c]
            self.scores[c].observe(self._guard(self._rate(c), where), names="value")
            self.evidence[c].observe(self._guard(self._rate(c), where), names="value")
            rows.append(widgets.VBox([
                widgets.HTML(_("{criterion}: {question}").format(
                    criterion=f"<b>{html.escape(criterion_name(c).capitalize())}</b>",
                    question=html.escape(_(QUESTIONS[c])))),
                widgets.HBox([self.scores[c], self.evidence[c]]), where]))
        self.overall = widgets.HTML()

        dstyle = {"description_width": "60px"}
        self.compare_title = widgets.HTML()
        self.country = widgets.Dropdown(description=_("Country"), options=country_options(),
                                        value=m.country, style=dstyle)
        self.from_year = widgets.Dropdown(description=_("From"), options=list(data.EDITIONS),
                                          value=m.from_year, style=dstyle,
                                          layout=widgets.Layout(width="150px"))
        self.to_year = widgets.Dropdown(description=_("To"), options=list(data.EDITIONS),
                                        value=m.to_year, style=dstyle,
                                        layout=widgets.Layout(width="150px"))
        self.country_message = message_label()
        for control in (self.country, self.from_year, self.to_year):
            control.observe(self._guard(self._compare, self.country_message), names="value")
        self.result = widgets.HTML()
        self.chart = charts.Chart()
        self.progress = widgets.HTML()
        return [
            widgets.HTML("<p>{}</p>".format(html.escape(_(
                "Evaluate an initiative that already runs and has evidence: one of the real "
                "cases below, or one you know in your own country.")))),
            self.case, self.case_message, self.case_info, self.own_box,
            widgets.HTML("<h4>{}</h4><p>{} {}</p>".format(
                html.escape(_("Rate it on the six criteria")),
                html.escape(_(CRITERIA_SOURCE)),
                html.escape(_("Rate each criterion from 1 (not met) to 4 (fully met), and "
                              "write the evidence behind your rating: what shows it, and "
                              "where it comes from.")))),
            *rows, self.overall,
            self.compare_title,
            widgets.HBox([self.country, self.from_year, self.to_year]), self.country_message,
            self.result, self.chart,
            widgets.HTML("<small>{}</small>".format(html.escape(_(
                "The Survey's indices are relative: they compare countries with each other in "
                "each edition, and the method changes a little between editions. A national "
                "index also moves for many reasons, so this comparison gives context; it does "
                "not prove the effect of one initiative.")))),
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
        def run(_change: Any = None) -> None:
            if not self._syncing:
                self.commit(self.model.with_rating(criterion,
                                                   score=self.scores[criterion].value,
                                                   evidence=self.evidence[criterion].value))
        return run

    def _compare(self, _change: Any = None) -> None:
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
        self.overall.value = "<b>{}</b>".format(html.escape(
            _("Overall: {result}").format(result=overall_text(m))))
        self.compare_title.value = "<h4>{}</h4>".format(html.escape(
            _("Did {country} move faster than its peers?").format(country=m.name)))
        self.result.value = _result_html(m.country, m.from_year, m.to_year)
        show_chart(self.chart, m.country, m.from_year, m.to_year)
        show_message(self.progress, *progress_message(m.completeness(), most=3))


def _result_html(iso3: str, from_year: int, to_year: int) -> str:
    return _result_drawn(iso3, from_year, to_year, get_language())


@lru_cache(maxsize=256)
def _result_drawn(iso3: str, from_year: int, to_year: int, lang: str) -> str:
    c = _comparison(iso3, from_year, to_year)
    rows = [
        [c["name"], c["egdi_from"], c["egdi_to"], signed(c["change"], 4)],
        [_("Peers: {group} (mean of {n})").format(
            group=short_group(c["group"], c["group_label"]), n=c["peer_count"]),
         c["group_from"], c["group_to"], signed(c["group_change"], 4)],
    ]
    table = table_html([_("EGDI of"), str(from_year), str(to_year), _("Change")], rows,
                       highlight=0)
    difference = _("(difference {difference})").format(
        difference=signed(c["difference"], 4))
    peers = _("Peers: {group} in {year}, each with an EGDI in both editions.").format(
        group=peer_label(c["group"], c["group_label"]), year=to_year)
    return (f"<div class='d4-compare'><b>{html.escape(c['sentence'])}</b> "
            f"{html.escape(difference)}</div>{table}<small>{html.escape(peers)}</small>")


__all__ = ["CASES", "CRITERIA", "CRITERIA_SOURCE", "QUESTIONS", "SCALE", "Case",
           "EvaluationRubric", "EvaluationRubricModel", "Fact", "OwnInitiative", "Rating"]
