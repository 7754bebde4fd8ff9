"""Case studies: every fact names a source that the page lists; the page computes the
figures from the Survey and escapes everything."""

from __future__ import annotations

import html
import re

import pytest

from digit4sd_widgets import data
from digit4sd_widgets.course.cases import CASES, ORDER, SOURCES, sources_of
from digit4sd_widgets.exercises.cases import CaseStudies, case_html, context_lines


def test_the_cases_cover_the_groups_the_toolkit_serves_and_a_contrast():
    assert set(ORDER) == set(CASES) and len(ORDER) >= 5
    latest = data.load_survey(years=data.LATEST_EDITION).set_index("iso3")
    groups = {g for iso3 in ORDER for g in data.GROUPS if latest.loc[iso3, g]}
    assert groups == set(data.GROUPS)
    assert {"BGD", "ETH"} <= set(ORDER)
    assert any(not any(latest.loc[i, g] for g in data.GROUPS) for i in ORDER), "a contrast"


@pytest.mark.parametrize("iso3", ORDER)
def test_every_fact_has_a_source_and_the_sources_section_lists_them(iso3):
    case = CASES[iso3]
    facts = (*case.did, *case.results, *case.problems)
    assert len(case.did) >= 3 and case.results and case.problems
    assert case.replicate and case.avoid
    for fact in facts:
        assert fact.sources, fact.text
        assert all(key in SOURCES for key in fact.sources), fact.text
    page = case_html(iso3)
    section = page.split(">Sources<", 1)[1]
    listed = re.findall(r"<li value='(\d+)'>", section)
    assert [int(n) for n in listed] == list(range(1, len(sources_of(case)) + 1))
    for key in sources_of(case):
        source = SOURCES[key]
        assert source.title and source.publisher and source.year
        assert source.title.replace("'", "&#x27;") in section
    cited = {int(n) for refs in re.findall(r"<sup>\[([\d, ]+)\]</sup>", page)
             for n in refs.split(",")}
    assert cited == set(range(1, len(sources_of(case)) + 1)), "every source is cited"


def test_the_context_is_computed_from_the_data():
    lines = context_lines(CASES["BGD"])
    row = data.load_survey(years=2024, countries="BGD").iloc[0]
    assert f"{row['egdi']:.3f} in 2024" in lines[0]
    assert f"rank {int(row['egdi_rank'])} of 193" in lines[0]


def test_the_page_escapes_text_and_shows_every_case():
    view = CaseStudies("nowhere")
    assert view.choice.value == ORDER[0]
    for iso3 in ORDER:
        view.choice.value = iso3
        assert CASES[iso3].name in view.body.value
    assert "<script" not in "".join(case_html(i) for i in ORDER)


def test_every_topic_example_names_sources_that_exist_and_shows_them():
    from digit4sd_widgets.course.map import SUBMODULES
    from digit4sd_widgets.course.topics import SOURCES as TOPIC_SOURCES
    from digit4sd_widgets.course.topics import TOPICS
    from digit4sd_widgets.exercises.cases import TopicNote, topic_html

    subs = {s.id for s in SUBMODULES}
    assert {"groups", "privacy", "leadership", "design", "procurement", "dpi"} <= set(TOPICS)
    for topic in TOPICS.values():
        assert topic.submodule in subs and topic.text and topic.own_case
        page = topic_html(topic.id)
        for text, sources in topic.examples:
            assert sources and all(k in TOPIC_SOURCES for k in sources), text
        section = page.split("<summary>Sources</summary>", 1)[1]
        n = len({k for _t, s in topic.examples for k in s})
        assert len(re.findall(r"<li value='\d+'>", section)) == n
        assert html.escape(topic.title) in TopicNote(topic.id).value


def test_worked_examples_reuse_the_cases_in_modules_3_to_5_with_their_sources():
    from digit4sd_widgets.course.cases import EXAMPLES
    from digit4sd_widgets.exercises.cases import WorkedExample, example_html

    assert {s[0] for s in EXAMPLES} == {"3", "4", "5"}
    for sub, example in EXAMPLES.items():
        page = example_html(sub)
        for iso3, part, i in example.picks:
            fact = getattr(CASES[iso3], part)[i]
            assert html.escape(fact.text) in page
        cited = {int(n) for refs in re.findall(r"<sup>\[([\d, ]+)\]</sup>", page)
                 for n in refs.split(",")}
        listed = {int(n) for n in re.findall(r"<li value='(\d+)'>", page)}
        assert cited == listed and listed
        assert "6.1" in WorkedExample(sub).value


def test_in_french_the_frame_of_a_case_is_french_with_french_numbers():
    from digit4sd_widgets.i18n import language
    with language("fr"):
        page = case_html("ETH")
        lines = context_lines(CASES["ETH"])
        view = CaseStudies("ETH")
    row = data.load_survey(years=2024, countries="ETH").iloc[0]
    assert f"{row['egdi']:.3f}".replace(".", ",") + " en 2024" in lines[0]
    assert "Le contexte dans les données" in page and ">Sources<" in page
    assert "<section class='d4-case' lang='fr'>" in page
    assert view.choice.description == "Cas" and "Éthiopie" in view.body.value
    for english in ("The context in the data", "What the government did", "world mean"):
        assert english not in page
