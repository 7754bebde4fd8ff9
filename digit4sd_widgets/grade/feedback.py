"""``digit4sd grade feedback``: nbgrader's feedback pages, made offline, one zip per learner."""

from __future__ import annotations

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

    def lines(self) -> list[str]:
        folder = self.zips[0].parent if self.zips else None
        return [f"feedback for {len(self.zips)} learner(s) of {self.assignment}: "
                f"course/feedback/<learner>/{self.assignment}/ and {folder}/<learner>.zip"]


def feedback(assignment: str, root: Path | None = None) -> FeedbackReport:
    """nbgrader's feedback for every autograded submission, made offline, checked for
    instructor material, then one zip per learner: ``dist/feedback/<assignment>/<id>.zip``."""
    from ..course.release import leaks, nbgrader

    root = project_root(root)
    name = assignment_module(assignment).assignment
    course = root / "course"
    learners = learner_folders(course, "autograded", name)
    if not learners:
        raise GradeError(f"no autograded submission of {name} yet: run "
                         f"`digit4sd grade autograde {name}` first")
    result = nbgrader("generate_feedback", name, "--force", root=root)
    if result.returncode != 0:
        raise GradeError(f"nbgrader could not generate the feedback:\n{result.stderr[-2000:]}")
    report = FeedbackReport(name)
    out = dist_dir(root) / "feedback" / name
    for learner in learners:
        folder = course / "feedback" / learner / name
        pages = sorted(folder.glob("*.html"))
        for page in pages:
            text = page.read_text(encoding="utf-8")
            cleaned = offline_html(text)
            if cleaned != text:
                write_atomic(page, cleaned.encode("utf-8"))
        found = leaks(folder)
        if found:
            raise GradeError(f"the feedback of {learner} shows instructor material "
                             f"({', '.join(found)}); nothing was packaged for them or after")
        target = out / f"{learner}.zip"
        write_atomic(target, zip_bytes((f"{name}/{p.name}", p) for p in pages))
        report.zips.append(target)
    return report
