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

from .. import data
from ..course.cases import CASES, EXAMPLES, ORDER, SOURCES, Case, Fact, sources_of
from ..course.topics import SOURCES as TOPIC_SOURCES
from ..course.topics import TOPICS
from ..data import analysis
from ._base import EXERCISE_CSS, TABLES_CSS, html_table

__all__ = ["CaseStudies", "TopicNote", "WorkedExample", "case_html", "context_lines",
           "example_html", "topic_html"]


def context_lines(case: Case) -> list[str]:
    """The case's context in the data: where it started, where it stands, against its
    groups (the Survey's own figures, computed here)."""
    rows = data.load_survey(countries=case.iso3).sort_values("year")
    first, last = rows.iloc[0], rows.iloc[-1]
    count = len(data.load_survey(years=int(last["year"])))
    means = analysis.group_means(int(last["year"]))["egdi"]
    groups = [data.GROUP_NAMES[g] for g in data.GROUPS if bool(last[g])]
    lines = [
        f"EGDI {first['egdi']:.3f} in {int(first['year'])} and {last['egdi']:.3f} in "
        f"{int(last['year'])}; rank {int(last['egdi_rank'])} of {count} in "
        f"{int(last['year'])}.",
    ]
    compare = [f"world mean {means['World']:.3f}"] + [
        f"{name} mean {means[name]:.3f}" for name in groups]
    lines.append(f"In {int(last['year'])}: " + "; ".join(compare) + ".")
    parts = {c: float(last[c]) for c in data.COMPONENTS}
    weakest = min(parts, key=parts.get)
    lines.append(f"Components in {int(last['year'])}: online services (OSI) "
                 f"{parts['osi']:.3f}, human capital (HCI) {parts['hci']:.3f}, "
                 f"infrastructure (TII) {parts['tii']:.3f}; the lowest is "
                 f"{weakest.upper()}.")
    return lines


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

    context = "".join(f"<li>{html.escape(line)}</li>" for line in context_lines(case))
    return (
        f"<section class='d4-case' lang='en'><{h}>{html.escape(case.name)}</{h}>"
        f"<p>{html.escape(case.why)}</p>"
        f"<{h2}>The context in the data</{h2}><ul>{context}</ul>"
        "<p><i>The Survey's indices are relative: a country is scored against the others, "
        "and each edition is rescaled. A fall can mean that others moved faster.</i></p>"
        + facts("What the government did", case.did)
        + facts("Results", case.results)
        + facts("Problems", case.problems)
        + lessons("Lessons to take", case.replicate)
        + lessons("Lessons: what to avoid", case.avoid)
        + f"<{h2}>Sources</{h2}><ol class='d4-sources'>"
        + "".join(_source(numbers[k], k) for k in keys) + "</ol></section>"
    )


def cases_table() -> str:
    """The cases side by side: group and EGDI in the first and the latest edition."""
    rows = []
    for iso3 in ORDER:
        survey = data.load_survey(countries=iso3).sort_values("year")
        last = survey.iloc[-1]
        groups = ", ".join(g.upper() for g in data.GROUPS if bool(last[g])) or "none"
        rows.append([CASES[iso3].name, groups, f"{survey.iloc[0]['egdi']:.3f}",
                     f"{last['egdi']:.3f}", int(last["egdi_rank"])])
    return html_table(["Country", "Groups", "First EGDI", "Latest EGDI", "Latest rank"],
                      rows)


class CaseStudies(widgets.VBox):
    """The course's case studies: choose one to read it. Nothing is saved."""

    def __init__(self, first: str = ORDER[0], **kwargs: Any):
        super().__init__(**kwargs)
        self.add_class("d4-exercise")
        start = first if first in CASES else ORDER[0]
        self.choice = widgets.Dropdown(
            description="Case", options=[(CASES[c].name, c) for c in ORDER], value=start)
        self.body = widgets.HTML()
        self.choice.observe(lambda _c: self._show(), names="value")
        header = widgets.HTML(f"<style>{EXERCISE_CSS}{TABLES_CSS}</style>"
                              "<h3 class='d4-title'>Case studies</h3>" + cases_table())
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
    return (f"<section class='d4-topic'><{h}>{html.escape(topic.title)}</{h}>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in topic.text)
            + f"<{h2}>Examples</{h2}><ul>{examples}</ul>"
            + f"<p><b>Your case.</b> {html.escape(topic.own_case)}</p>"
            + f"<details><summary>Sources</summary><ol class='d4-sources'>{listed}</ol>"
            "</details></section>")


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
    items = "".join(
        f"<li><b>{html.escape(CASES[iso3].name)}.</b> {html.escape(fact.text)} "
        f"<sup>[{', '.join(str(numbers[k]) for k in fact.sources)}]</sup></li>"
        for iso3, fact in facts)
    listed = "".join(_source(numbers[k], k) for k in keys)
    return (f"<section class='d4-example'><h3>{html.escape(ex.title)}</h3>"
            f"<p>{html.escape(ex.intro)}</p><ul>{items}</ul>"
            f"<p><b>For your case.</b> {html.escape(ex.point)} The whole cases, with what "
            "worked and what did not, are in 6.1.</p>"
            f"<details><summary>Sources</summary><ol class='d4-sources'>{listed}</ol>"
            "</details></section>")


class WorkedExample(widgets.HTML):
    """The worked example of a submodule, taken from the case studies."""

    def __init__(self, submodule: str, **kwargs: Any):
        super().__init__(example_html(submodule), **kwargs)
