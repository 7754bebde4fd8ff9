"""Tools for writing course notebooks with the right nbgrader cell metadata.

Instructors can edit the notebooks in ``course/source/`` directly in JupyterLab (with the
nbgrader "Create Assignment" toolbar). This module does the same from code, so that new
notebooks start with the house structure and valid metadata:

>>> nb = CourseNotebook("3.2", "Stakeholders and partnerships")
>>> nb.markdown("## What you will learn").parameters().exercise("StakeholderMatrix()")
CourseNotebook('3.2', 3 cells)
>>> nb.solution("count", "n = 1")
Traceback (most recent call last):
...
ValueError: a solution cell needs '### BEGIN SOLUTION' and '### END SOLUTION' lines

Cell kinds, as nbgrader names them:

* read-only markdown and code (``locked``): instructions, the exercise calls;
* autograded answer (``solution``): code a learner writes, with the instructor's solution
  between ``### BEGIN SOLUTION`` / ``### END SOLUTION``;
* autograder tests (``grade``, points): visible asserts, then hidden ones between
  ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``;
* manually graded task (``task``, points): the question and a mark scheme between
  ``=== BEGIN MARK SCHEME ===`` / ``=== END MARK SCHEME ===``, then a cell for the answer.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

SCHEMA = 3
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False,
              locked: bool = False, task: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": SCHEMA, "solution": solution, "task": task}
    if points is not None:
        meta["points"] = points
    return meta


class CourseNotebook:
    """A course notebook being written: add cells in order, then :meth:`write`."""

    def __init__(self, submodule: str, title: str):
        self.submodule = submodule
        self.title = title
        self.prefix = "s" + submodule.replace(".", "_")
        self.nb = nbformat.v4.new_notebook()
        self.nb.metadata["kernelspec"] = dict(KERNELSPEC)
        self.nb.metadata["language_info"] = {"name": "python"}
        self.nb.metadata["digit4sd"] = {"submodule": submodule, "title": title}
        self._ids: set[str] = set()
        self._counter = 0

    def __repr__(self) -> str:
        return f"CourseNotebook({self.submodule!r}, {len(self.nb.cells)} cells)"

    def _id(self, grade_id: str | None) -> str:
        if grade_id is None:
            self._counter += 1
            grade_id = f"{self.prefix}-text-{self._counter:02d}"
        if grade_id in self._ids:
            raise ValueError(f"grade_id {grade_id!r} is used twice in this notebook")
        self._ids.add(grade_id)
        return grade_id

    def _add(self, cell, meta: dict | None, tags: list[str] | None = None) -> CourseNotebook:
        if meta is not None:
            cell.metadata["nbgrader"] = meta
        if tags:
            cell.metadata["tags"] = tags
        cell.id = (meta or {}).get("grade_id", f"cell-{len(self.nb.cells):03d}").replace(
            "_", "-")[:64]
        self.nb.cells.append(cell)
        return self

    # --------------------------------------------------------------- read-only cells
    def markdown(self, text: str, *, locked: bool = True) -> CourseNotebook:
        meta = _nbgrader(self._id(None), locked=True) if locked else None
        return self._add(nbformat.v4.new_markdown_cell(text.strip()), meta)

    def code(self, source: str, *, locked: bool = True) -> CourseNotebook:
        meta = _nbgrader(self._id(None), locked=True) if locked else None
        return self._add(nbformat.v4.new_code_cell(source.strip()), meta)

    def exercise(self, call: str) -> CourseNotebook:
        """One cell that shows one exercise, e.g. ``"StakeholderMatrix(country=country)"``."""
        return self.code(call)

    def parameters(self, **values: object) -> CourseNotebook:
        """The papermill/Voila ``parameters`` cell. ``country = None`` means the learner's
        own case country (or Bangladesh before they chose one)."""
        values = {"country": None, **values}
        lines = ["# Parameters: a host or instructor may set these (papermill, Voila)."]
        lines += [f"{k} = {v!r}" for k, v in values.items()]
        return self._add(nbformat.v4.new_code_cell("\n".join(lines)),
                         _nbgrader(self._id(f"{self.prefix}-parameters"), locked=True),
                         tags=["parameters"])

    # --------------------------------------------------------------- graded cells
    def solution(self, grade_id: str, source: str) -> CourseNotebook:
        """Code the learner writes; the solution sits between the BEGIN/END lines."""
        if "### BEGIN SOLUTION" not in source or "### END SOLUTION" not in source \
                or source.index("### BEGIN SOLUTION") > source.index("### END SOLUTION"):
            raise ValueError(
                "a solution cell needs '### BEGIN SOLUTION' and '### END SOLUTION' lines")
        return self._add(nbformat.v4.new_code_cell(source.strip()),
                         _nbgrader(self._id(grade_id), solution=True))

    def tests(self, grade_id: str, points: float, source: str) -> CourseNotebook:
        """Autograder tests: visible asserts, then hidden ones between the markers."""
        if "### BEGIN HIDDEN TESTS" not in source:
            raise ValueError("autograder tests need a '### BEGIN HIDDEN TESTS' part")
        return self._add(nbformat.v4.new_code_cell(source.strip()),
                         _nbgrader(self._id(grade_id), grade=True, locked=True,
                                   points=points))

    def task(self, grade_id: str, points: float, question: str, mark_scheme: str,
             answer_prompt: str = "*Write your answer here.*") -> CourseNotebook:
        """A manually graded written answer: the question with its mark scheme, then an
        editable cell for the learner's answer."""
        text = (f"{question.strip()}\n\n=== BEGIN MARK SCHEME ===\n\n{mark_scheme.strip()}\n\n"
                "=== END MARK SCHEME ===")
        self._add(nbformat.v4.new_markdown_cell(text),
                  _nbgrader(self._id(grade_id), task=True, locked=True, points=points))
        return self._add(nbformat.v4.new_markdown_cell(answer_prompt), None)

    # --------------------------------------------------------------- output
    def write(self, path: str | os.PathLike) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.validate(self.nb)
        nbformat.write(self.nb, target)
        return target
