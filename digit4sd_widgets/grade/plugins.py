"""nbgrader plugins for the course (named in ``nbgrader_config.py`` or set by the worker).

``GuardedExecute``: nbgrader's ``Execute``, with each kernel in the sandbox
(:class:`.sandbox.SandboxKernelManager`) and, before every autograder test cell, the guard's
report (:mod:`.guard`): when learner code has changed how Python or IPython runs a cell, the
test cell is not run, it gets an error output that says why (so nbgrader scores it 0), and
the finding is kept for the instructor's report.

``HideTestTracebacks``: nbgrader's ``ClearHiddenTests`` removes hidden tests from the
feedback's *source*, but a failing test cell's traceback still quotes the code around the
failing line, hidden tests included. In feedback, the error of an autograder test cell is
therefore reduced to its one-line message ("AssertionError: Sort from the highest EGDI to
the lowest."), which is all a learner needs. Errors in the learner's own code keep their
full traceback.

``ClearHiddenTestsInTests`` and ``ClearMarkSchemeInTasks``: nbgrader's own preprocessors,
applied to the instructor's cells only (test cells, written-answer prompts). nbgrader's look at
every cell and stop the feedback of the whole class when a learner's answer happens to contain
"BEGIN HIDDEN TESTS" or "BEGIN MARK SCHEME".
"""

from __future__ import annotations

import ast
import json
import secrets
from typing import Any, ClassVar

from nbconvert.preprocessors import Preprocessor
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, Execute, OverwriteCells
from traitlets import Bool

GUARD_EXPRESSION = "__import__('sys').modules['digit4sd_widgets.grade.guard'].report()"
STOPPED = "GradingStopped"


def is_test(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_task(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("task"))


class GuardedExecute(Execute):
    """nbgrader's Execute with sandboxed kernels and the guard before each test cell."""

    sandbox = Bool(True, help="run kernels in the sandbox").tag(config=True)
    guard = Bool(True, help="ask the guard before each test cell").tag(config=True)

    # what the guard found, for the worker: {"notebook", "cell", "detail"}
    findings: ClassVar[list[dict[str, str]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.sandbox:
            from .sandbox import SandboxKernelManager

            self.kernel_manager_class = SandboxKernelManager

    def preprocess(self, nb, resources=None, km=None):
        self._notebook = (resources or {}).get("unique_key", "")
        self._started = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self.guard and self.sandbox and not self._started:
            self._started = True
            problems = self._ask_guard()
            if problems:  # before any cell of the notebook: the grader's fault, not theirs
                raise RuntimeError("the grading guard did not start in the kernel: "
                                   + "; ".join(problems))
        if self.guard and self.sandbox and is_test(cell):
            problems = self._ask_guard()
            if problems:
                detail = "; ".join(problems)
                grade_id = cell.metadata["nbgrader"].get("grade_id", f"cell {index + 1}")
                type(self).findings.append({"notebook": self._notebook, "cell": grade_id,
                                            "detail": detail})
                message = ("not graded: code in this notebook changed how Python runs cells "
                           f"({detail})")
                cell.outputs = [NotebookNode(output_type="error", ename=STOPPED,
                                             evalue=message,
                                             traceback=[f"{STOPPED}: {message}"])]
                cell.execution_count = None
                return cell, resources
        return super().preprocess_cell(cell, resources, index)

    def _ask_guard(self) -> list[str]:
        from nbclient.util import run_sync

        return run_sync(self._async_ask_guard)()

    async def _async_ask_guard(self) -> list[str]:
        token = getattr(self.km, "guard_token", "")
        msg_id = self.kc.execute("", silent=True, store_history=False, allow_stdin=False,
                                 user_expressions={"r": GUARD_EXPRESSION})
        reply = await self.async_wait_for_reply(msg_id)
        if reply is None:
            return ["the grader's check got no answer"]
        answer = (reply.get("content", {}).get("user_expressions") or {}).get("r") or {}
        try:
            report = json.loads(ast.literal_eval(answer["data"]["text/plain"]))
            findings = [str(f) for f in report["findings"]]
            genuine = secrets.compare_digest(str(report["token"]), token) and bool(token)
        except (KeyError, TypeError, ValueError, SyntaxError):
            return ["the grader's check could not run"]
        if not genuine:
            return ["the grader's check was answered by code in the notebook"]
        return findings


class HideTestTracebacks(Preprocessor):
    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled")

    def preprocess_cell(self, cell, resources, index):
        if is_test(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    name = output.get("ename", "Error")
                    value = output.get("evalue", "")
                    output["traceback"] = [f"{name}: {value}" if value else name]
        return cell, resources


class ClearHiddenTestsInTests(ClearHiddenTests):
    def preprocess_cell(self, cell, resources, index):
        if is_test(cell):
            self._remove_hidden_test_region(cell)
        return cell, resources


class ClearMarkSchemeInTasks(ClearMarkScheme):
    def preprocess_cell(self, cell, resources, index):
        if is_task(cell):
            return super().preprocess_cell(cell, resources, index)
        return cell, resources


class RestoreDeletedTests(OverwriteCells):
    """nbgrader's ``OverwriteCells``, with deleted test cells put back after the nearest cell
    before them that the submission still has. nbgrader looks only at the cell right before
    a deleted test and fails (a KeyError, the learner not graded) when that cell is a
    read-only text or code cell, as a "Check your answers" heading is."""

    def add_missing_grade_cells(self, nb: NotebookNode, resources: dict) -> tuple:
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = list(source_nb.source_cells)
        order = [cell.name for cell in source_cells]
        tests = {cell.name: cell for cell in source_nb.grade_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        for index, grade_id in enumerate(order):
            if grade_id not in tests:
                continue
            where = {cell.metadata.get("nbgrader", {}).get("grade_id"): i
                     for i, cell in enumerate(nb.cells)}
            if grade_id in where:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_id)
            restored = self.missing_cell_transform(source_cells[index],
                                                   tests[grade_id].max_score,
                                                   is_solution=grade_id in solutions)
            at = next((where[prev] + 1 for prev in reversed(order[:index]) if prev in where), 0)
            nb.cells.insert(at, restored)
        return nb, resources


class TranslateFeedback(Preprocessor):
    """The feedback in the language of the submission. nbgrader puts the English of the
    gradebook back into every locked cell before grading (the same grade ids, the same
    tests); the checks themselves printed their messages in the learner's language (the
    workbook's ``lang``). This step gives the text cells of a notebook that says it is in
    another language (``metadata.digit4sd.lang``, :mod:`~digit4sd_widgets.course.translate`)
    their translation again, so the learner reads their feedback as they read the notebook."""

    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled")

    def preprocess(self, nb, resources):
        from ..course.translate import notebook_language, translate_notebook
        lang = notebook_language(nb)
        if lang == "en":
            return nb, resources
        translated = translate_notebook(nb, lang)
        return translated, resources
