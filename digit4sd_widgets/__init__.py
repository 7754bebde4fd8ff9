"""DIGIT4SD courseware: exercises, data and tools for the Digital Government
Implementation Toolkit for Sustainable Development course.

Every exercise is importable from here and shows itself as the last expression of a cell::

    from digit4sd_widgets import StakeholderMatrix
    StakeholderMatrix()

Importing the package is cheap; each exercise module loads on first use.

>>> from digit4sd_widgets.data import load_survey
>>> load_survey(years=[2024], countries=["BGD"])[["iso3", "year"]].values.tolist()
[['BGD', 2024]]
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Workbook": "workbook",
    "Dossier": "dossier",
    "WorldMap": "exercises.worldmap",
    "GoalsForm": "exercises.goals",
    "ModulePlanner": "exercises.planner",
    "CountryExplorer": "exercises.explorer",
    "DataAudit": "exercises.data_audit",
    "EParticipationExplorer": "exercises.eparticipation",
    "TrajectoryComparison": "exercises.trajectories",
    "Quiz": "exercises.quiz",
    "SDGTargetMapper": "exercises.sdg_mapper",
    "ServiceMaturityClassifier": "exercises.maturity",
    "GapAnalysis": "exercises.gap",
    "PrioritisationMatrix": "exercises.prioritisation",
    "StakeholderMatrix": "exercises.stakeholders",
    "KPIBuilder": "exercises.kpi",
    "ImplementationCanvas": "exercises.canvas",
    "InteroperabilityAssessment": "exercises.interop",
    "LocalServiceChecklist": "exercises.local_services",
    "KPITracker": "exercises.tracker",
    "EvaluationRubric": "exercises.evaluation",
    "ReadinessChecklist": "exercises.readiness",
    "FeedbackForm": "exercises.feedback",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'digit4sd_widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
