"""nbgrader configuration for the DIGIT4SD course.

One root configuration: the course lives in ``course/`` (``source/`` is what instructors
edit, ``release/`` is generated from it and committed). Run nbgrader from this folder.
"""

c = get_config()  # noqa: F821  (injected by traitlets)

c.CourseDirectory.root = "course"
c.CourseDirectory.course_id = "digit4sd"

# Notebook files only travel with the learner's workbook; nothing else is collected.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            ".*.lock", ".*.tmp"]

# A notebook that loops or waits is stopped rather than hanging the grading run.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A learner who deletes a test (or a written-answer prompt) gets it back when graded: the
# original tests count. Changed read-only cells are restored from their checksums anyway.
# nbgrader's own step fails when the cell before a deleted test is read-only text (a "Check
# your answers" heading); ours puts the test back after the nearest cell still there.
c.OverwriteCells.add_missing_cells = True
c.RestoreDeletedTests.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "digit4sd_widgets.grade.plugins.RestoreDeletedTests",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Hidden tests and mark schemes never reach a learner through feedback. `digit4sd grade
# autograde` keeps, as the graded notebook, a second run whose test cells never held the
# hidden tests; these steps also clear them from the instructor's cells (test cells and
# written-answer prompts: never from a learner's answer) and from failing tests' tracebacks.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "digit4sd_widgets.grade.plugins.ClearHiddenTestsInTests",
    "digit4sd_widgets.grade.plugins.ClearMarkSchemeInTasks",
    "digit4sd_widgets.grade.plugins.HideTestTracebacks",
    "digit4sd_widgets.grade.plugins.TranslateFeedback",
]

# A code task's cell, as a learner receives it: a comment, not an error. Every data question
# can be answered in boxes instead of code, so a learner who does not code runs the whole
# notebook without a traceback.
c.ClearSolutions.code_stub = {
    "python": "# Your code here. (Optional: the answer boxes above give the same points.)\n",
}
