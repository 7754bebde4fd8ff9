"""The grading bridge: graded notebook cells read the learner's saved widget answers.

nbgrader cannot see what a learner did in a widget: widget state is not in the saved
notebook. The answers are in the learner's workbook file, ``digit4sd_workbook.json``, which
sits in the assignment folder and is submitted with it. Autograding runs in the submitted
folder on the instructor's machine, so these functions read that file only: never the
instructor's own work, never a sibling folder, and they never write.

In a graded cell::

    from digit4sd_widgets.grading import load_answer
    matrix = load_answer("3.2/stakeholder_matrix")
    assert matrix.completeness().complete, matrix.completeness().missing
"""

from __future__ import annotations

import os
from pathlib import Path

from .exercises import EXERCISES, ExerciseModel, ValidationError
from .i18n import _
from .workbook import ENV_VAR, FILENAME, Workbook

__all__ = ["AnswerMissing", "country_name", "data_answer", "load_answer", "load_case",
           "submitted_workbook"]


class AnswerMissing(AssertionError):
    """The exercise has no saved answer (an AssertionError, so a graded test fails with it).

    In a notebook it shows as one plain sentence, not a traceback: it is a "not yet", not a
    crash. nbgrader still sees a failed cell and gives it no points.
    """

    def _render_traceback_(self) -> list[str]:  # IPython's hook for how an error shows
        return [_("Not yet: {reason}").format(reason=self)]


def submitted_workbook(folder: str | os.PathLike | None = None) -> Workbook:
    """The workbook of the assignment being graded: ``digit4sd_workbook.json`` in ``folder``
    (default: the current folder; ``DIGIT4SD_WORKBOOK`` when the classroom server set it)."""
    if folder is None and os.environ.get(ENV_VAR, "").strip():
        path = Path(os.environ[ENV_VAR])
    else:
        path = Path(folder or Path.cwd()) / FILENAME
    if not path.is_file():
        raise AnswerMissing(
            _("No workbook ({file}) was found with this notebook: do the exercises above "
              "and keep the workbook file in the assignment folder when you submit.").format(
                  file=FILENAME))
    wb = Workbook.open(path, siblings=False)
    if wb.problems:
        raise AnswerMissing(" ".join(wb.problems))
    return wb


def load_answer(key: str, folder: str | os.PathLike | None = None) -> ExerciseModel:
    """The learner's saved answer as a validated model.

    ``key`` is a workbook key such as ``"3.2/stakeholder_matrix"`` or just an exercise kind
    such as ``"stakeholder_matrix"`` (then the most recent answer of that kind).
    """
    wb = submitted_workbook(folder)
    if "/" in key:
        entry = wb.entry(key)
        kind = entry["kind"] if entry else key.split("/", 1)[1]
        data = entry["data"] if entry else None
    else:
        kind, data = key, wb.latest(key)
    if kind not in EXERCISES:
        raise KeyError(f"Unknown exercise {kind!r}; known: {', '.join(sorted(EXERCISES))}.")
    if data is None:
        raise AnswerMissing(_("The exercise '{key}' has no saved answer yet.").format(key=key))
    model_class = EXERCISES[kind][0]
    try:
        return model_class.from_dict(data)
    except ValidationError as exc:
        raise AnswerMissing(_("The saved answer for '{key}' is not valid: {reason}").format(
            key=key, reason=exc)) from exc
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        # a workbook edited by hand: a plain "not yet", never a crash of the grading
        raise AnswerMissing(_("The saved answer for '{key}' is not valid (it was changed "
                              "outside the course).").format(key=key)) from exc


def load_case(folder: str | os.PathLike | None = None) -> dict:
    """The learner's case (country, target area, SDG targets) from the submitted workbook."""
    return submitted_workbook(folder).case


def country_name(iso3: str) -> str:
    """A country's name, for an ISO3 code, as the learner reads it in their feedback
    ("Ethiopia", "Éthiopie")."""
    from .exercises._country import country_name as shown

    return shown(iso3)


def data_answer(key: str, folder: str | os.PathLike | None = None):
    """The learner's answer to one data question, ``"<submodule>/<question id>"`` (given in
    the boxes or saved from code: both are stored in the same place)."""
    from .exercises.data_tasks import DataTasksModel

    sub, _sep, task_id = key.partition("/")
    try:
        model = load_answer(f"{sub}/data_tasks", folder)
    except AnswerMissing:
        model = None
    if not isinstance(model, DataTasksModel):
        model = None
    try:
        n, _task = DataTasksModel(sub).task(task_id)
    except ValidationError as exc:
        raise KeyError(str(exc)) from None
    value = model.value(task_id) if model is not None else None
    if value is None:
        raise AnswerMissing(
            _("Question {n} of the questions on the data is not answered yet: answer it in "
              "its box, or set {name} in code and run the cell that saves it.").format(
                  n=n, name=task_id))
    return value
