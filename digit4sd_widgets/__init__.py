"""DIGIT4SD courseware: exercises, data and tools for the Digital Government
Implementation Toolkit for Sustainable Development course.

Every exercise is importable from here and shows itself as the last expression of a cell::

    from digit4sd_widgets import StakeholderMatrix
    StakeholderMatrix()

Importing the package is cheap; each exercise module loads on first use.

The package is a house of rooms, one folder per capability (``ARCHITECTURE.md`` has the map):
``data/`` (the survey as typed tables), ``course/`` (the course map, question banks, release,
apps), ``exercises/`` (a model and a view per exercise), then ``serve/``, ``grade/``,
``pack/`` and ``hub/``, which never import each other; the shared pieces stay here
(``workbook``, ``atomic``, ``charts``, ``dossier``, ``grading``, ``examples``), and
``cli`` only wires the subcommands. Module paths of earlier releases (``digit4sd_widgets.analysis``
in a learner's old notebook, ``digit4sd_widgets.nbgrader_plugins`` in an nbgrader config)
still import: they are the same modules under their new names.

>>> from digit4sd_widgets.data import load_survey
>>> load_survey(years=[2024], countries=["BGD"])[["iso3", "year"]].values.tolist()
[['BGD', 2024]]
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
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
    "DataTasks": "exercises.data_tasks",
    "SDGTargetMapper": "exercises.sdg_mapper",
    "ServiceMaturityClassifier": "exercises.maturity",
    "GapAnalysis": "exercises.gap",
    "PrioritisationMatrix": "exercises.prioritisation",
    "StakeholderMatrix": "exercises.stakeholders",
    "KPIBuilder": "exercises.kpi",
    "ImplementationCanvas": "exercises.canvas",
    "InteroperabilityAssessment": "exercises.interop",
    "NameMatching": "exercises.name_matching",
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


#: module paths of earlier releases -> where each module lives now
_MOVED: dict[str, str] = {
    "analysis": "data.analysis", "geo": "data.geo", "databuild": "data.build",
    "datacheck": "data.check", "authoring": "course.authoring", "release": "course.release",
    "lab": "course.lab", "apps": "course.apps", "room": "serve.room",
    "grade_collect": "grade.collect", "grade_autograde": "grade.autograde",
    "grade_worker": "grade.worker", "grade_synthetic": "grade.synthetic",
    "nbgrader_plugins": "grade.plugins", "profile": "pack.profile",
    "hub_exchange": "hub.exchange",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an old module path as the module it became (one module object, two names)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        head, _, old = fullname.rpartition(".")
        if head == __name__ and old in _MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec: Any) -> Any:
        return importlib.import_module(f"{__name__}.{_MOVED[spec.name.rpartition('.')[2]]}")

    def exec_module(self, module: Any) -> None:
        """The module ran already under its new name."""


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    sys.meta_path.append(_MovedModules())
