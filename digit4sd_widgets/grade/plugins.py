"""nbgrader plugins for the course (named in ``nbgrader_config.py``).

``HideTestTracebacks``: nbgrader's ``ClearHiddenTests`` removes hidden tests from the
feedback's *source*, but a failing test cell's traceback still quotes the code around the
failing line, hidden tests included. In feedback, the error of an autograder test cell is
therefore reduced to its one-line message ("AssertionError: Sort from the highest EGDI to
the lowest."), which is all a learner needs. Errors in the learner's own code keep their
full traceback.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


class HideTestTracebacks(Preprocessor):
    enabled = Bool(True, help="nbconvert skips preprocessors that are not enabled")

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    name = output.get("ename", "Error")
                    value = output.get("evalue", "")
                    output["traceback"] = [f"{name}: {value}" if value else name]
        return cell, resources
