"""Case studies on the page: the context in the data (computed from the Survey), what the
government did, results, problems, lessons, and numbered sources. The facts are content
(``course/cases.py``); nothing here is saved, so there is no model.

>>> "Sources" in case_html("RWA") and "Irembo" in case_html("RWA")
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from .. import data, i18n
from ..course.cases import CASES, EXAMPLES, ORDER, SOURCES, Case, Fact, sources_of
from ..course.topics import SOURCES as TOPIC_SOURCES
from ..course.topics import TOPICS
from ..data import analysis
from ..i18n import _, get_language, number
from ._base import EXERCISE_CSS, TABLES_CSS, html_table, semicolons
from ._country import group_name, short_group

__all__ = ["CaseStudies", "TopicNote", "WorkedExample", "case_html", "context_lines",
           "example_html", "topic_html"]


def context_lines(case: Case) -> list[str]:
    """The case's context in the data: where it started, where it stands, against its
    groups (the Survey's own figures, computed here)."""
    rows = data.load_survey(countries=case.iso3).sort_values("year")
    first, last = rows.iloc[0], rows.iloc[-1]
    year = int(last["year"])
    count = len(data.load_survey(years=year))
    means = analysis.group_means(year)["egdi"]
    groups = [g for g in data.GROUPS if bool(last[g])]
    lines = [
        _("EGDI {first_egdi} in {first_year} and {egdi} in {year}; rank {rank} of {count} in "
          "{year}.").format(first_egdi=number(first["egdi"], 3), first_year=int(first["year"]),
                            egdi=number(last["egdi"], 3), year=year,
                            rank=int(last["egdi_rank"]), count=count),
    ]
    compare = [_("world mean {mean}").format(mean=number(means["World"], 3))] + [
        _("{group} mean {mean}").format(group=group_name(g),
                                        mean=number(means[data.GROUP_NAMES[g]], 3))
        for g in groups]
    lines.append(_("In {year}: {means}.").format(year=year, means=semicolons(compare)))
    parts = {c: float(last[c]) for c in data.COMPONENTS}
    weakest = min(parts, key=parts.get)
    lines.append(_("Components in {year}: online services (OSI) {osi}, human capital (HCI) "
                   "{hci}, infrastructure (TII) {tii}; the lowest is {lowest}.").format(
        year=year, osi=number(parts["osi"], 3), hci=number(parts["hci"], 3),
        tii=number(parts["tii"], 3), lowest=weakest.upper()))
    return lines


def case_name(case: Case) -> str:
    """The case's country in the reader's language."""
    return i18n.country_name(case.iso3, case.name)


def _fact(fact: Fact, numbers: dict[str, int]) -> str:
    refs = ", ".join(str(numbers[k]) for k in fact.sources)
    return f"<li>{html.escape(fact.text)} <sup>[{refs}]</sup></li>"


def _source(n: int, key: str) -> str:
    s = SOURCES[key]
    where = f" {html.escape(s.address)}" if s.address else ""
    return (f"<li value='{n}'>{html.escape(s.title)}. {html.escape(s.publisher)}, "
            f"{html.escape(s.year)}.{where}</li>")


def case_html(iso3: str, *, level: int = 3) -> str:
    """One case study as HTML (every text escaped)."""
    case = CASES[iso3]
    keys = sources_of(case)
    numbers = {k: i for i, k in enumerate(keys, 1)}
    h, h2 = f"h{level}", f"h{level + 1}"

    def facts(title: str, items: tuple[Fact, ...]) -> str:
        if not items:
            return ""
        return (f"<{h2}>{html.escape(title)}</{h2}><ul>"
                + "".join(_fact(f, numbers) for f in items) + "</ul>")

    def lessons(title: str, items: tuple[str, ...]) -> str:
        return (f"<{h2}>{html.escape(title)}</{h2}><ul>"
                + "".join(f"<li>{html.escape(t)}</li>" for t in items) + "</ul>")

    e = html.escape
    context = "".join(f"<li>{e(line)}</li>" for line in context_lines(case))
    return (
        f"<section class='d4-case' lang='{e(get_language())}'>"
        f"<{h}>{e(case_name(case))}</{h}>"
        f"<p>{e(case.why)}</p>"
        f"<{h2}>" + e(_("The context in the data")) + f"</{h2}><ul>{context}</ul>"
        "<p><i>" + e(_("The Survey's indices are relative: a country is scored against the "
                       "others, and each edition is rescaled. A fall can mean that others "
                       "moved faster.")) + "</i></p>"
        + facts(_("What the government did"), case.did)
        + facts(_("Results"), case.results)
        + facts(_("Problems"), case.problems)
        + lessons(_("Lessons to take"), case.replicate)
        + lessons(_("Lessons: what to avoid"), case.avoid)
        + f"<{h2}>" + e(_("Sources")) + f"</{h2}><ol class='d4-sources'>"
        + "".join(_source(numbers[k], k) for k in keys) + "</ol></section>"
    )


def cases_table() -> str:
    """The cases side by side: group and EGDI in the first and the latest edition."""
    rows = []
    for iso3 in ORDER:
        survey = data.load_survey(countries=iso3).sort_values("year")
        last = survey.iloc[-1]
        groups = ", ".join(short_group(g, "") for g in data.GROUPS if bool(last[g])) \
            or _("none")
        rows.append([case_name(CASES[iso3]), groups, number(survey.iloc[0]["egdi"], 3),
                     number(last["egdi"], 3), int(last["egdi_rank"])])
    return html_table([_("Country"), _("Groups"), _("First EGDI"), _("Latest EGDI"),
                       _("Latest rank")], rows)


class CaseStudies(widgets.VBox):
    """The course's case studies: choose one to read it. Nothing is saved."""

    def __init__(self, first: str = ORDER[0], **kwargs: Any):
        super().__init__(**kwargs)
        self.add_class("d4-exercise")
        start = first if first in CASES else ORDER[0]
        self.choice = widgets.Dropdown(
            description=_("Case"), options=[(case_name(CASES[c]), c) for c in ORDER],
            value=start)
        self.body = widgets.HTML()
        self.choice.observe(lambda _c: self._show(), names="value")
        header = widgets.HTML(f"<style>{EXERCISE_CSS}{TABLES_CSS}</style>"
                              "<h3 class='d4-title'>" + html.escape(_("Case studies"))
                              + "</h3>"
                              + cases_table())
        self.children = [header, self.choice, self.body]
        self._show()

    def _show(self) -> None:
        self.body.value = case_html(self.choice.value, level=4)


def topic_html(topic_id: str, *, level: int = 2) -> str:
    """A topic of the course: its text, examples from real cases with numbered sources, and
    where the learner applies it (every text escaped)."""
    topic = TOPICS[topic_id]
    keys: list[str] = []
    for _text, sources in topic.examples:
        keys += [k for k in sources if k not in keys]
    numbers = {k: i for i, k in enumerate(keys, 1)}
    h, h2 = f"h{level}", f"h{level + 1}"
    examples = "".join(
        f"<li>{html.escape(text)} <sup>[{', '.join(str(numbers[k]) for k in sources)}]"
        "</sup></li>" for text, sources in topic.examples)
    listed = "".join(
        f"<li value='{numbers[k]}'>{html.escape(TOPIC_SOURCES[k].title)}. "
        f"{html.escape(TOPIC_SOURCES[k].publisher)}, {html.escape(TOPIC_SOURCES[k].year)}."
        + (f" {html.escape(TOPIC_SOURCES[k].address)}" if TOPIC_SOURCES[k].address else "")
        + "</li>" for k in keys)
    e = html.escape
    return (f"<section class='d4-topic'><{h}>{e(topic.title)}</{h}>"
            + "".join(f"<p>{e(p)}</p>" for p in topic.text)
            + f"<{h2}>" + e(_("Examples")) + f"</{h2}><ul>{examples}</ul>"
            + "<p><b>" + e(_("Your case.")) + f"</b> {e(topic.own_case)}</p>"
            + "<details><summary>" + e(_("Sources")) + "</summary><ol class='d4-sources'>"
            f"{listed}</ol></details></section>")


class TopicNote(widgets.HTML):
    """A topic of the course on the page (see ``course/topics.py``)."""

    def __init__(self, topic_id: str, **kwargs: Any):
        super().__init__(f"<style>{TABLES_CSS}</style>" + topic_html(topic_id), **kwargs)


def example_html(submodule: str) -> str:
    """The cases' facts reused as the worked example of ``submodule``, with their sources."""
    ex = EXAMPLES[submodule]
    facts = [(iso3, getattr(CASES[iso3], part)[i]) for iso3, part, i in ex.picks]
    keys: list[str] = []
    for _iso3, fact in facts:
        keys += [k for k in fact.sources if k not in keys]
    numbers = {k: i for i, k in enumerate(keys, 1)}
    e = html.escape
    items = "".join(
        f"<li><b>{e(case_name(CASES[iso3]))}.</b> {e(fact.text)} "
        f"<sup>[{', '.join(str(numbers[k]) for k in fact.sources)}]</sup></li>"
        for iso3, fact in facts)
    listed = "".join(_source(numbers[k], k) for k in keys)
    return (f"<section class='d4-example'><h3>{e(ex.title)}</h3>"
            f"<p>{e(ex.intro)}</p><ul>{items}</ul>"
            "<p><b>" + e(_("For your case.")) + f"</b> {e(ex.point)} "
            + e(_("The whole cases, with what worked and what did not, are in {submodule}.")
                .format(submodule="6.1")) + "</p>"
            "<details><summary>" + e(_("Sources")) + f"</summary><ol class='d4-sources'>{listed}"
            "</ol></details></section>")


class WorkedExample(widgets.HTML):
    """The worked example of a submodule, taken from the case studies."""

    def __init__(self, submodule: str, **kwargs: Any):
        super().__init__(example_html(submodule), **kwargs)
