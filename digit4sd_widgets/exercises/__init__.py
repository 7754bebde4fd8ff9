"""The course exercises: for each, a plain model (``...Model``) and a widget view.

``EXERCISES`` maps each model's ``kind`` to its (model class, view class).
"""

from __future__ import annotations

from ._base import Block, Completeness, ExerciseModel, ExerciseView, ValidationError
from .stakeholders import StakeholderMatrix, StakeholderMatrixModel

EXERCISES: dict[str, tuple[type[ExerciseModel], type[ExerciseView]]] = {
    view.model_class.kind: (view.model_class, view)
    for view in (
        StakeholderMatrix,
    )
}

__all__ = [
    "EXERCISES",
    "Block",
    "Completeness",
    "ExerciseModel",
    "ExerciseView",
    "StakeholderMatrix",
    "StakeholderMatrixModel",
    "ValidationError",
]
