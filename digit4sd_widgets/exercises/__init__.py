"""The exercises room: for each exercise, a plain model (``...Model``) and a thin widget view.

Public face: every view and model below (``from digit4sd_widgets import StakeholderMatrix``
is the notebooks' way in); ``EXERCISES`` maps each model's ``kind`` to its (model class,
view class), in course order.

- ``<exercise>.py``: one module per exercise: the model (plain data, validation, storage in
  the workbook, ``report()`` blocks for the dossier) and its view;
- ``_base.py``: what every model and view shares (``ExerciseModel``, ``ExerciseView``,
  ``ValidationError``, message and text helpers);
- ``_country.py``: what the country exercises share (names, figures, peers, ``CountryView``).

May import: the data, the course (its map and question banks), and the shared ``workbook``,
``charts``, ``atomic`` and ``i18n``. An exercise may use another exercise's model or helpers,
never its widgets.
"""

from __future__ import annotations

from ._base import Block, Completeness, ExerciseModel, ExerciseView, ValidationError
from .canvas import ImplementationCanvas, ImplementationCanvasModel
from .data_audit import DataAudit, DataAuditModel
from .data_tasks import DataTasks, DataTasksModel
from .eparticipation import EParticipationExplorer, EParticipationExplorerModel
from .evaluation import EvaluationRubric, EvaluationRubricModel
from .explorer import CountryExplorer, CountryExplorerModel
from .feedback import FeedbackForm, FeedbackFormModel
from .gap import GapAnalysis, GapAnalysisModel
from .goals import GoalsForm, GoalsFormModel
from .interop import InteroperabilityAssessment, InteroperabilityAssessmentModel
from .kpi import KPIBuilder, KPIBuilderModel
from .local_services import LocalServiceChecklist, LocalServiceChecklistModel
from .maturity import ServiceMaturityClassifier, ServiceMaturityClassifierModel
from .name_matching import NameMatching, NameMatchingModel
from .planner import ModulePlanner, ModulePlannerModel
from .prioritisation import PrioritisationMatrix, PrioritisationMatrixModel
from .quiz import Quiz, QuizModel
from .readiness import ReadinessChecklist, ReadinessChecklistModel
from .sdg_mapper import SDGTargetMapper, SDGTargetMapperModel
from .stakeholders import StakeholderMatrix, StakeholderMatrixModel
from .tracker import KPITracker, KPITrackerModel
from .trajectories import TrajectoryComparison, TrajectoryComparisonModel
from .worldmap import WorldMap, WorldMapModel

VIEWS: tuple[type[ExerciseView], ...] = (
    Quiz,
    DataTasks,
    WorldMap,
    GoalsForm,
    ModulePlanner,
    SDGTargetMapper,
    ServiceMaturityClassifier,
    CountryExplorer,
    DataAudit,
    EParticipationExplorer,
    GapAnalysis,
    PrioritisationMatrix,
    StakeholderMatrix,
    KPIBuilder,
    ImplementationCanvas,
    InteroperabilityAssessment,
    NameMatching,
    LocalServiceChecklist,
    KPITracker,
    EvaluationRubric,
    TrajectoryComparison,
    ReadinessChecklist,
    FeedbackForm,
)

EXERCISES: dict[str, tuple[type[ExerciseModel], type[ExerciseView]]] = {
    view.model_class.kind: (view.model_class, view) for view in VIEWS
}

__all__ = [
    "EXERCISES",
    "VIEWS",
    "Block",
    "Completeness",
    "CountryExplorer",
    "CountryExplorerModel",
    "DataAudit",
    "DataAuditModel",
    "DataTasks",
    "DataTasksModel",
    "EParticipationExplorer",
    "EParticipationExplorerModel",
    "EvaluationRubric",
    "EvaluationRubricModel",
    "ExerciseModel",
    "ExerciseView",
    "FeedbackForm",
    "FeedbackFormModel",
    "GapAnalysis",
    "GapAnalysisModel",
    "GoalsForm",
    "GoalsFormModel",
    "ImplementationCanvas",
    "ImplementationCanvasModel",
    "InteroperabilityAssessment",
    "InteroperabilityAssessmentModel",
    "KPIBuilder",
    "KPIBuilderModel",
    "KPITracker",
    "KPITrackerModel",
    "LocalServiceChecklist",
    "LocalServiceChecklistModel",
    "ModulePlanner",
    "ModulePlannerModel",
    "NameMatching",
    "NameMatchingModel",
    "PrioritisationMatrix",
    "PrioritisationMatrixModel",
    "Quiz",
    "QuizModel",
    "ReadinessChecklist",
    "ReadinessChecklistModel",
    "SDGTargetMapper",
    "SDGTargetMapperModel",
    "ServiceMaturityClassifier",
    "ServiceMaturityClassifierModel",
    "StakeholderMatrix",
    "StakeholderMatrixModel",
    "TrajectoryComparison",
    "TrajectoryComparisonModel",
    "ValidationError",
    "WorldMap",
    "WorldMapModel",
]
