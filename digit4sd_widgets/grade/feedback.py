"""``digit4sd grade feedback``: nbgrader's feedback pages, made offline, one zip per learner."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomic
from .common import (
    GradeError,
    assignment_module,
    dist_dir,
    learner_folders,
    project_root,
    zip_bytes,
)

# --------------------------------------------------------------------------- feedback
EXTERNAL_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE)
EXTERNAL_REF = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
    re.IGNORECASE)


def offline_html(text: str) -> str:
    """The page without scripts or style sheets fetched from the internet (nbgrader's feedback
    template loads MathJax from a CDN): feedback opens the same with or without a network."""
    return EXTERNAL_TAG.sub("", text)


@dataclass
class FeedbackReport:
    assignment: str
    zips: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        folder = self.zips[0].parent if self.zips else None
        out = [f"feedback for {len(self.zips)} learner(s) of {self.assignment}: "
               f"course/feedback/<learner>/{self.assignment}/ and {folder}/<learner>.zip"]
        if self.problems:
            out += ["", "To look at:", *(f"  NO FEEDBACK {p}" for p in self.problems)]
        return out


def _learner_text(folder: Path) -> str:
    """Everything in a learner's graded notebooks that the learner wrote or their code
    printed: their answer cells, and the outputs of every cell but the tests."""
    import nbformat

    from .plugins import is_test

    parts = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:
            continue
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                parts.append(cell.source)
            if not is_test(cell):
                parts.append(json.dumps(cell.get("outputs", [])))
    return "\n".join(parts)


def instructor_leaks(pages: list[Path], graded: Path) -> list[str]:
    """Feedback pages showing solution, hidden-test or mark-scheme text beyond what the
    learner wrote themselves (a learner may type "BEGIN SOLUTION" in an answer)."""
    from ..course.release import LEAK_MARKERS

    own = _learner_text(graded)
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        if any(text.count(m) > own.count(m) for m in LEAK_MARKERS):
            found.append(page.name)
    return found


def feedback(assignment: str, root: Path | None = None) -> FeedbackReport:
    """nbgrader's feedback for every autograded submission, made offline, checked for
    instructor material, then one zip per learner: ``dist/feedback/<assignment>/<id>.zip``.

    A learner whose feedback cannot be made (or would show instructor material) gets a line
    in the report; the others get theirs."""
    from ..course.release import nbgrader

    root = project_root(root)
    name = assignment_module(assignment).assignment
    course = root / "course"
    learners = learner_folders(course, "autograded", name)
    if not learners:
        raise GradeError(f"no autograded submission of {name} yet: run "
                         f"`digit4sd grade autograde {name}` first")
    report = FeedbackReport(name)
    failed: dict[str, str] = {}
    result = nbgrader("generate_feedback", name, "--force", root=root)
    if result.returncode != 0:
        # one notebook stopped nbgrader: make each learner's apart, to find whose
        for learner in learners:
            one = nbgrader("generate_feedback", name, "--force", "--student", learner,
                           root=root)
            if one.returncode != 0:
                failed[learner] = _nbgrader_reason(one.stderr)
    out = dist_dir(root) / "feedback" / name
    for learner in learners:
        folder = course / "feedback" / learner / name
        pages = sorted(folder.glob("*.html"))
        if learner not in failed and not pages:
            failed[learner] = "nbgrader made no page"
        if learner in failed:
            report.problems.append(f"{learner}: {failed[learner]}")
            continue
        for page in pages:
            text = page.read_text(encoding="utf-8")
            cleaned = offline_html(text)
            if cleaned != text:
                write_atomic(page, cleaned.encode("utf-8"))
        found = instructor_leaks(pages, course / "autograded" / learner / name)
        if found:
            for page in pages:
                page.unlink()
            report.problems.append(f"{learner}: the pages would show instructor material "
                                   f"({', '.join(found)}); nothing was packaged for them")
            continue
        target = out / f"{learner}.zip"
        write_atomic(target, zip_bytes((f"{name}/{p.name}", p) for p in pages))
        report.zips.append(target)
    return report


def _nbgrader_reason(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if re.match(r"^[\w.]*(Error|Exception)\b", ln)]
    return (errors or lines or ["nbgrader failed"])[-1][:300]
