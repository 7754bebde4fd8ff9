"""The course map: six modules (nbgrader assignments) and their 19 submodule notebooks, in
course order, with the two-day workshop path; and where the course lives on disk.

>>> [m.assignment for m in MODULES][:2]
['m1_getting_started', 'm2_fundamentals']
>>> submodule("3.2").notebook
'3_2_stakeholders'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Submodule:
    id: str  # "3.2"
    notebook: str  # file stem, "3_2_stakeholders"
    title: str
    module: str  # assignment name

    @property
    def path(self) -> str:
        """Path of the notebook inside ``source/`` or ``release/``."""
        return f"{self.module}/{self.notebook}.ipynb"


@dataclass(frozen=True)
class Module:
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


def project_root() -> Path:
    """The folder holding ``nbgrader_config.py`` and ``course/`` (a checkout)."""
    return Path(__file__).resolve().parents[2]


def course_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "course"
