"""The course exercises: for each, a plain model (``...Model``) and a widget view.

``EXERCISES`` maps each model's ``kind`` to its (model class, view class), in course order.
"""

from __future__ import annotations

from ._base import Block, Completeness, ExerciseModel, ExerciseView, ValidationError
from .canvas import ImplementationCanvas, ImplementationCanvasModel
from .evaluation import EvaluationRubric, EvaluationRubricModel
from .explorer import CountryExplorer, CountryExplorerModel
from .feedback import FeedbackForm, FeedbackFormModel
from .gap import GapAnalysis, GapAnalysisModel
from .interop import InteroperabilityAssessment, InteroperabilityAssessmentModel
from .kpi import KPIBuilder, KPIBuilderModel
from .local_services import LocalServiceChecklist, LocalServiceChecklistModel
from .maturity import ServiceMaturityClassifier, ServiceMaturityClassifierModel
from .prioritisation import PrioritisationMatrix, PrioritisationMatrixModel
from .quiz import Quiz, QuizModel
from .readiness import ReadinessChecklist, ReadinessChecklistModel
from .sdg_mapper import SDGTargetMapper, SDGTargetMapperModel
from .stakeholders import StakeholderMatrix, StakeholderMatrixModel
from .tracker import KPITracker, KPITrackerModel

VIEWS: tuple[type[ExerciseView], ...] = (
    Quiz,
    SDGTargetMapper,
    ServiceMaturityClassifier,
    CountryExplorer,
    GapAnalysis,
    PrioritisationMatrix,
    StakeholderMatrix,
    KPIBuilder,
    ImplementationCanvas,
    InteroperabilityAssessment,
    LocalServiceChecklist,
    KPITracker,
    EvaluationRubric,
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
    "EvaluationRubric",
    "EvaluationRubricModel",
    "ExerciseModel",
    "ExerciseView",
    "FeedbackForm",
    "FeedbackFormModel",
    "GapAnalysis",
    "GapAnalysisModel",
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
    "ValidationError",
]
