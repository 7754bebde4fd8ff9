"""The course exercises (registry filled in as exercises land)."""

from __future__ import annotations

from ._base import Block, Completeness, ExerciseModel, ExerciseView, ValidationError
from .stakeholders import StakeholderMatrix, StakeholderMatrixModel

VIEWS: tuple[type[ExerciseView], ...] = (StakeholderMatrix,)
EXERCISES: dict[str, tuple[type[ExerciseModel], type[ExerciseView]]] = {
    view.model_class.kind: (view.model_class, view) for view in VIEWS
}
__all__ = ["EXERCISES", "VIEWS", "Block", "Completeness", "ExerciseModel", "ExerciseView",
           "StakeholderMatrix", "StakeholderMatrixModel", "ValidationError"]
