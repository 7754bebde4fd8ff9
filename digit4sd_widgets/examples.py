"""A complete, valid answer to every exercise of the course, for one country.

Instructors use it to see what a finished workbook looks like; the course's checks use it
as the "perfect learner" (solutions submitted with a complete workbook score full marks);
the grading pipeline uses it to make synthetic learners.

>>> from digit4sd_widgets.workbook import Workbook
>>> wb = example_workbook(Workbook.in_memory(), country="ETH")
>>> wb.country, len(wb.keys()) >= 20
('ETH', True)
"""

from __future__ import annotations

from typing import Any

from . import data
from .course import SUBMODULES
from .course.quizzes import QUIZZES
from .data import analysis
from .workbook import Workbook

__all__ = ["example_answers", "example_case", "example_workbook"]


def example_case(country: str = "BGD") -> dict[str, Any]:
    return {"country": data.find_country(country),
            "target_area": "Online registration of births and deaths",
            "sdg_targets": ["16.9", "16.6"]}


def _quiz_answers(sub: str) -> dict[str, Any]:
    answers = {}
    for q in QUIZZES[sub]:
        answers[q["id"]] = [i for i, o in enumerate(q["options"]) if o["correct"]]
    return {"submodule": sub, "answers": answers}


# (name, SDG target, indicators to try in turn): national indicators, kept as context
KPI_SLOTS = (
    ("Online services in the country (national context)", "16.6",
     ("osi", "egdi", "tii", "hci", "epi")),
    ("People who use the Internet (national context)", "17.8",
     ("internet_pct", "tii", "hci", "egdi", "epi")),
)

# the initiative's own KPI: births registered online (the service starts with the project)
PROJECT_KPI = {
    "name": "Birth registrations made online", "kind": "project", "level": "outcome",
    "measure": "share of new birth registrations made through the online service",
    "scope": "births in the pilot districts", "unit": "% of birth registrations",
    "goal": "increase", "baseline_year": 2024, "baseline": 0.0, "target": 60.0,
    "target_year": 2030, "source": "Civil registry office, registration records",
    "frequency": "every three months", "sdg_target": "16.9",
    "responsible": "Civil registry office"}


def _kpis(iso3: str) -> list[dict[str, Any]]:
    """The initiative's own KPI, then two national indicators as context on real baselines
    that pass every check: for each slot, the first indicator with a recent baseline and the
    most ambitious of a few targets that the country's own and its peers' paces make
    achievable."""
    from .exercises.kpi import KPIBuilderModel

    chosen = [dict(PROJECT_KPI)]
    for name, sdg, indicators in KPI_SLOTS:
        for indicator in indicators:
            series = analysis.indicator_series(iso3, indicator)
            if series.empty or 2030 - int(series.index[-1]) > 15:
                continue  # no baseline, or too old a one for a time-bound KPI
            baseline_year, baseline = int(series.index[-1]), float(series.iloc[-1])
            ceiling, extra = (100.0, 15.0) if indicator == "internet_pct" else (1.0, 0.12)
            found = None
            for share in (1.0, 0.6, 0.35, 0.2, 0.1):
                target = round(min(baseline + share * extra, ceiling), 4)
                if target <= baseline:
                    continue
                kpi = {"name": name, "kind": "context", "indicator": indicator,
                       "country": iso3, "baseline_year": baseline_year, "baseline": baseline,
                       "target": target, "target_year": 2030, "sdg_target": sdg,
                       "responsible": "Ministry responsible for ICT"}
                if KPIBuilderModel.from_dict({"kpis": [kpi]}).kpis[0].passes():
                    found = kpi
                    break
            if found:
                chosen.append(found)
                break
    return chosen


def _tracked(iso3: str) -> list[dict[str, Any]]:
    own = {key: PROJECT_KPI[key] for key in ("name", "kind", "unit", "goal", "baseline_year",
                                             "baseline", "target", "target_year", "source",
                                             "frequency")}
    return [
        {**own, "figures": [{"date": "2026", "value": 15.0}]},  # planned 20 by then: at risk
        {"name": "Online services review 2014-2024", "indicator": "osi", "country": iso3,
         "baseline_year": 2014, "target": 0.9, "target_year": 2024},
        {"name": "E-government review 2014-2024", "indicator": "egdi", "country": iso3,
         "baseline_year": 2014, "target": 0.8, "target_year": 2024},
    ]


def example_answers(country: str = "BGD") -> list[tuple[str, str, dict[str, Any]]]:
    """(workbook key, exercise kind, stored data) for every exercise of the course."""
    from .exercises import (
        data_audit,
        eparticipation,
        interop,
        local_services,
        maturity,
        name_matching,
        planner,
        readiness,
        sdg_mapper,
    )
    from .exercises.canvas import BLOCK_KEYS, stakeholder_lines
    from .exercises.evaluation import CASES, CRITERIA

    iso3 = data.find_country(country)
    weakest, _ = analysis.weakest_component(iso3)
    stakeholders = [
        {"name": "Ministry of Home Affairs (civil registry)", "kind": "government",
         "influence": 5, "interest": 5, "role": "sponsor", "notes": "owns the registers"},
        {"name": "Ministry of Finance", "kind": "government", "influence": 5, "interest": 2,
         "role": "funder", "notes": ""},
        {"name": "Mobile network operators", "kind": "private sector", "influence": 3,
         "interest": 4, "role": "technical partner", "notes": "SMS notifications"},
        {"name": "Community health workers' association", "kind": "civil society",
         "influence": 2, "interest": 5, "role": "user representative", "notes": ""},
        {"name": "National university statistics department", "kind": "academia",
         "influence": 2, "interest": 3, "role": "data provider", "notes": ""},
        {"name": "UNICEF country office", "kind": "international partner", "influence": 4,
         "interest": 4, "role": "technical partner", "notes": "birth registration support"},
    ]
    answers: list[tuple[str, str, dict[str, Any]]] = []
    answers += [(f"{s.id}/quiz", "quiz", _quiz_answers(s.id)) for s in SUBMODULES]
    contrast = "KOR" if iso3 != "KOR" else "DNK"
    answers += [
        ("1.1/world_map", "world_map", {
            "mode": "groups", "year": data.LATEST_EDITION, "country": iso3}),
        ("1.2/goals", "goals", {
            "role": "Head of the e-government unit", "organisation": "Ministry of ICT",
            "goals": ["Plan one initiative with measurable targets",
                      "Learn to read my country's Survey figures"],
            "sdgs": [9, 16, 17]}),
        ("1.3/module_plan", "module_plan", {
            "answers": {sid: 1 for sid in planner.STATEMENT_IDS}, "overrides": {}}),
        ("2.4/data_audit", "data_audit", {
            "year": 2008,
            "answers": {fid: data_audit.expected(fid) for fid in data_audit.FINDING_IDS},
            "note": "Publish zeros that mean 'not computed' as empty cells, with a note."}),
        ("2.5/e_participation", "e_participation", {
            "year": data.LATEST_EDITION, "country": iso3,
            "answers": {i.id: i.level for i in eparticipation.ITEMS}}),
        ("6.1/trajectories", "trajectories", {
            "indicator": "egdi",
            "countries": list(dict.fromkeys(["BGD", "ETH", iso3, contrast])),
            "lessons": "Steady investment in online services moved both countries up the "
                       "ranking; infrastructure set the pace."}),
        ("2.1/sdg_target_mapper", "sdg_target_mapper", {
            "mapping": {s: list(sdg_mapper.REFERENCE[s])[:3] for s in sdg_mapper.SERVICES},
            "custom_services": []}),
        ("2.2/service_maturity", "service_maturity", {
            "answers": {i.id: i.stage for i in maturity.ITEMS}}),
        ("2.3/country_explorer", "country_explorer", {
            "country": iso3, "year": data.LATEST_EDITION,
            "notes": "Online services improved faster than telecom infrastructure."}),
        ("3.1/gap_analysis", "gap_analysis", {
            "country": iso3, "year": data.LATEST_EDITION, "focus": weakest,
            "gap_kind": "implementation",
            "reason": "This component lags most behind the country's peers and limits the "
                      "reach of every online service."}),
        ("3.1/prioritisation_matrix", "prioritisation_matrix", {
            "criteria": [{"name": "Impact on the SDGs", "weight": 3},
                         {"name": "Feasibility", "weight": 2}, {"name": "Cost", "weight": 2},
                         {"name": "SDG alignment", "weight": 2}, {"name": "Urgency", "weight": 1}],
            "areas": [
                {"name": "Online registration of births and deaths", "sdg_targets": "16.9, 16.6",
                 "scores": {"Impact on the SDGs": 5, "Feasibility": 4, "Cost": 4,
                            "SDG alignment": 5, "Urgency": 5}},
                {"name": "e-Procurement portal", "sdg_targets": "16.5, 16.6",
                 "scores": {"Impact on the SDGs": 4, "Feasibility": 3, "Cost": 3,
                            "SDG alignment": 4, "Urgency": 3}},
                {"name": "Digital skills for civil servants", "sdg_targets": "4.4",
                 "scores": {"Impact on the SDGs": 3, "Feasibility": 4, "Cost": 4,
                            "SDG alignment": 3, "Urgency": 2}},
            ]}),
        ("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": stakeholders}),
        ("3.3/kpi_builder", "kpi_builder", {"kpis": _kpis(iso3)}),
        ("4.1/implementation_canvas", "implementation_canvas", {
            "title": "Every birth and death registered online",
            "blocks": {**{key: f"Worked example for {key.replace('_', ' ')}: see the notes."
                          for key in BLOCK_KEYS},
                       "stakeholders": "\n".join(
                           stakeholder_lines({"stakeholders": stakeholders}))}}),
        ("4.2/interoperability_assessment", "interoperability_assessment", {
            "ratings": {layer: {sid: 2 for sid, _ in interop.STATEMENTS[layer]}
                        for layer in interop.LAYERS},
            "notes": "Semantic standards are the first gap to close."}),
        ("4.2/name_matching", "name_matching", {
            "matches": {n.text: n.code for n in name_matching.NAMES},
            "questions": {n.text: f"Which country do you mean by '{n.text}'? Please send "
                                  "its ISO3 code." for n in name_matching.NAMES
                          if n.code is None}}),
        ("4.3/local_service_checklist", "local_service_checklist", {
            "municipality": "Capital city", "portal": "city portal (address written here)",
            "checked": list(local_services.ITEM_ORDER[::2])}),
        ("5.1/kpi_tracker", "kpi_tracker", {"tracked": _tracked(iso3)}),
        ("5.2/evaluation_rubric", "evaluation_rubric", {
            # a real initiative that runs: the country's own case if the course has one
            "case": next((c.id for c in CASES.values() if c.country == iso3), "bgd_udc"),
            "ratings": {c: {"score": 3, "evidence": f"Evidence for {c}: the facts of the "
                                                    "case and their sources."}
                        for c in CRITERIA},
            "to_year": data.LATEST_EDITION}),
        ("6.3/readiness_checklist", "readiness_checklist", {
            "ratings": {i: 2 for i in readiness.ITEM_IDS}}),
        ("6.3/toolkit_feedback", "toolkit_feedback", {
            "module_ratings": {str(m): 4 for m in range(1, 7)}, "usefulness": 4,
            "most_useful": "The stakeholder matrix and the KPI builder.",
            "improve": "More case studies from small island States.", "recommend": "yes",
            "role": "Policy officer", "country": iso3}),
    ]
    return answers


def example_workbook(workbook: Workbook, country: str = "BGD") -> Workbook:
    """Fill ``workbook`` with the complete example answers and case for ``country``."""
    from .exercises import EXERCISES

    workbook.set_learner_name("Example learner")
    workbook.set_case(**example_case(country))
    for key, kind, stored in example_answers(country):
        if kind in EXERCISES:  # every example is checked against its exercise first
            stored = EXERCISES[kind][0].from_dict(stored).to_dict()
        workbook.set(key, kind, stored)
    return workbook
