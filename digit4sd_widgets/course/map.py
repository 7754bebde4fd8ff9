"""The course map: six modules (nbgrader assignments) and their 19 submodule notebooks, in
course order, with the two-day workshop path (each module's ``day``) and the shortened
one-day path (:data:`ONE_DAY`); and where the course lives on disk.

>>> [m.assignment for m in MODULES][:2]
['m1_getting_started', 'm2_fundamentals']
>>> submodule("3.2").notebook
'3_2_stakeholders'
>>> [step.submodule for step in ONE_DAY.steps][:3]
['1.1', '2.3', '3.1']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .localise import Localised


@dataclass(frozen=True)
class Submodule(Localised, translate=("title",), context="sub:{id}"):
    id: str  # "3.2"
    notebook: str  # file stem, "3_2_stakeholders"
    title: str
    module: str  # assignment name

    @property
    def path(self) -> str:
        """Path of the notebook inside ``source/`` or ``release/``."""
        return f"{self.module}/{self.notebook}.ipynb"


@dataclass(frozen=True)
class Module(Localised, translate=("title",), context="module:{number}"):
    number: int
    assignment: str
    title: str
    day: int  # day of the two-day workshop
    core: bool
    submodules: tuple[Submodule, ...]


def _module(number: int, assignment: str, title: str, day: int, core: bool,
            subs: list[tuple[str, str, str]]) -> Module:
    return Module(number, assignment, title, day, core,
                  tuple(Submodule(i, nb, t, assignment) for i, nb, t in subs))


MODULES: tuple[Module, ...] = (
    _module(1, "m1_getting_started", "Getting started", 1, False, [
        ("1.1", "1_1_background", "Background: why the toolkit exists"),
        ("1.2", "1_2_objectives", "Objectives"),
        ("1.3", "1_3_overview", "Overview of the toolkit"),
    ]),
    _module(2, "m2_fundamentals", "Fundamentals", 1, False, [
        ("2.1", "2_1_sdgs", "The SDGs and digital government"),
        ("2.2", "2_2_digital_government", "Digital government fundamentals"),
        ("2.3", "2_3_egov_survey", "The UN E-Government Survey"),
        ("2.4", "2_4_data", "Data: quality, openness, governance"),
        ("2.5", "2_5_e_participation", "E-participation"),
    ]),
    _module(3, "m3_planning_analysis", "Planning and analysis", 1, True, [
        ("3.1", "3_1_target_areas", "Identifying target areas"),
        ("3.2", "3_2_stakeholders", "Stakeholders and partnerships"),
        ("3.3", "3_3_indicators", "Performance indicators"),
    ]),
    _module(4, "m4_design_implementation", "Design and implementation", 2, True, [
        ("4.1", "4_1_canvas", "The implementation canvas"),
        ("4.2", "4_2_interoperability", "Integration and interoperability"),
        ("4.3", "4_3_local_level", "Implementation at local level"),
    ]),
    _module(5, "m5_monitoring_review", "Monitoring and review", 2, True, [
        ("5.1", "5_1_trackers", "Monitors and trackers"),
        ("5.2", "5_2_evaluation", "Evaluation and audit"),
    ]),
    _module(6, "m6_moving_forward", "Moving forward", 2, False, [
        ("6.1", "6_1_case_studies", "Case studies"),
        ("6.2", "6_2_templates", "Templates and your dossier"),
        ("6.3", "6_3_checklist", "Readiness checklist"),
    ]),
)

SUBMODULES: tuple[Submodule, ...] = tuple(s for m in MODULES for s in m.submodules)


def submodule(sub_id: str) -> Submodule:
    for s in SUBMODULES:
        if s.id == sub_id:
            return s
    raise KeyError(f"No submodule {sub_id!r}; the course has "
                   f"{', '.join(s.id for s in SUBMODULES)}.")


def module(assignment: str) -> Module:
    for m in MODULES:
        if m.assignment == assignment:
            return m
    raise KeyError(f"No assignment {assignment!r}; the course has "
                   f"{', '.join(m.assignment for m in MODULES)}.")


@dataclass(frozen=True)
class Step(Localised, translate=("why",)):  # context: its path's
    """One submodule of a workshop path: why the host keeps it, and whether a breakout
    workgroup of the module follows it."""

    submodule: str  # "3.2"
    why: str
    breakout: int | None = None  # the core module whose breakout follows this step


@dataclass(frozen=True)
class WorkshopPath(Localised, translate=("title", "summary"), context="path:{name}"):
    """A path through the course for a workshop: the submodules in the order the room takes
    them, each with its reason, and the breakouts after the core modules."""

    name: str  # as the host types it: "one-day"
    title: str  # "one day": "The workshop path: one day"
    summary: str
    steps: tuple[Step, ...]

    def order(self) -> list[str]:
        """The submodule ids of the path, in order."""
        return [step.submodule for step in self.steps]


#: the shortened workshop: one day on the three core modules, with a short start and end
ONE_DAY = WorkshopPath(
    "one-day", "one day",
    "A short start, the three core modules with a breakout after each, and a short end. "
    "The other submodules stay open to everyone: participants can take them later.",
    (
        Step("1.1", "Each participant picks their own country on the map. Every later "
             "exercise starts from that country."),
        Step("2.3", "The E-Government Survey and its index (EGDI) are the figures behind the "
             "gap analysis and the indicators later in the day."),
        Step("3.1", "Each participant finds the weakest part of their country's figures and "
             "chooses a target area: the case for the whole day."),
        Step("3.2", "Who has a stake in the initiative, and how to work with each of them."),
        Step("3.3", "Indicators with a baseline, a target and a year: what the group will "
             "track in module 5.", breakout=3),
        Step("4.1", "The whole initiative on one page. It starts from the stakeholders and "
             "indicators already entered.", breakout=4),
        Step("5.1", "Follow the indicators over time: on track, at risk or off track.",
             breakout=5),
        Step("6.3", "A last check of what was learned, and the participants' feedback on "
             "the toolkit that the workshop collects."),
    ),
)

#: the workshop paths a host can serve, by name
PATHS: dict[str, WorkshopPath] = {ONE_DAY.name: ONE_DAY}


def project_root() -> Path:
    """The folder holding ``nbgrader_config.py`` and ``course/`` (a checkout)."""
    return Path(__file__).resolve().parents[2]


def course_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "course"
