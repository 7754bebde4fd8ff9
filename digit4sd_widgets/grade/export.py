"""``digit4sd grade export``: every grade of the gradebook as CSV and a summary table."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..atomic import spreadsheet_safe, write_atomic
from ..course import MODULES
from .common import (
    GradeError,
    dist_dir,
    gradebook_exists,
    gradebook_label,
    open_gradebook,
    project_root,
)

# --------------------------------------------------------------------------- export
CSV_FIELDS = ("learner", "assignment", "notebook", "submitted", "timestamp", "auto_score",
              "manual_score", "max_score", "late_penalty", "total_score", "to_grade_by_hand")


def _num(value: float | None) -> str:
    return "" if value is None else f"{round(float(value), 4):g}"


@dataclass
class ExportReport:
    path: Path
    rows: list[dict[str, str]]
    table: list[str]

    def lines(self) -> list[str]:
        return [*self.table, "", f"wrote {self.path} ({len(self.rows)} rows: one per learner "
                                 "and notebook)"]


def grade_rows(root: Path) -> list[dict[str, str]]:
    """One row per learner, assignment and notebook of the gradebook (course order)."""
    order = {m.assignment: i for i, m in enumerate(MODULES)}
    rows = []
    with open_gradebook(root) as gb:
        students = sorted(s.id for s in gb.students)
        for assignment in sorted(gb.assignments, key=lambda a: (order.get(a.name, 99), a.name)):
            notebooks = sorted(nb.name for nb in assignment.notebooks)
            maxima = {nb.name: nb.max_score for nb in assignment.notebooks}
            subs = {s.student.id: s for s in assignment.submissions}
            for student in students:
                sub = subs.get(student)
                found = {nb.name: nb for nb in sub.notebooks} if sub else {}
                for name in notebooks:
                    nb = found.get(name)
                    row = dict.fromkeys(CSV_FIELDS, "")
                    row.update(learner=student, assignment=assignment.name, notebook=name,
                               submitted="yes" if sub else "no", max_score=_num(maxima[name]))
                    if nb is None:
                        row.update(auto_score="0", total_score="0", to_grade_by_hand="0")
                    else:
                        manual = [g.manual_score for g in nb.grades if g.manual_score is not None]
                        penalty = nb.late_submission_penalty or 0.0
                        row.update(
                            timestamp=sub.timestamp.strftime("%Y-%m-%d %H:%M:%S UTC")
                            if sub.timestamp else "",
                            auto_score=_num(sum(g.auto_score or 0.0 for g in nb.grades)),
                            manual_score=_num(sum(manual)) if manual else "",
                            late_penalty=_num(penalty) if penalty else "",
                            total_score=_num(max(nb.score - penalty, 0.0)),
                            to_grade_by_hand=str(sum(1 for g in nb.grades
                                                     if g.needs_manual_grade)))
                    rows.append(row)
    return rows


def summary_table(rows: list[dict[str, str]]) -> list[str]:
    """Learners by assignments: score / maximum per assignment, the total, cells still to be
    graded by hand; a last line with the class mean."""
    assignments = list(dict.fromkeys(r["assignment"] for r in rows))
    learners = sorted({r["learner"] for r in rows})
    cells: dict[tuple[str, str], list[float]] = {}
    pending: dict[str, int] = {}
    submitted: set[tuple[str, str]] = set()
    for r in rows:
        key = (r["learner"], r["assignment"])
        got = cells.setdefault(key, [0.0, 0.0])
        got[0] += float(r["total_score"] or 0)
        got[1] += float(r["max_score"] or 0)
        pending[r["learner"]] = pending.get(r["learner"], 0) + int(r["to_grade_by_hand"] or 0)
        if r["submitted"] == "yes":
            submitted.add(key)
    short = [a.split("_")[0] for a in assignments]
    header = ["learner", *short, "total", "by hand"]
    body = []
    for learner in learners:
        line = [learner]
        total = maximum = 0.0
        for a in assignments:
            score, top = cells[(learner, a)]
            total, maximum = total + score, maximum + top
            line.append(f"{score:g}/{top:g}" if (learner, a) in submitted else "-")
        line += [f"{total:g}/{maximum:g}", str(pending.get(learner, 0))]
        body.append(line)
    if learners:
        mean = ["class mean"]
        for a in assignments:
            scores = [cells[(s, a)][0] for s in learners if (s, a) in submitted]
            mean.append(f"{sum(scores) / len(scores):.1f}" if scores else "-")
        mean += ["", ""]
        body.append(mean)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return [fmt.format(*header), fmt.format(*("-" * w for w in widths)),
            *(fmt.format(*row) for row in body)]


def export(root: Path | None = None, to: Path | str | None = None) -> ExportReport:
    """Write the grades (one row per learner, assignment and notebook) as CSV, atomically, to
    ``to`` (default ``dist/grades.csv``); return it with the summary table."""
    root = project_root(root)
    if not gradebook_exists(root):
        raise GradeError(f"there is no gradebook yet ({gradebook_label(root)}): release, "
                         "collect and autograde an assignment first")
    rows = grade_rows(root)
    target = Path(to) if to else dist_dir(root) / "grades.csv"
    if not target.is_absolute():
        target = Path.cwd() / target
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    write_atomic(target, text.getvalue().encode("utf-8"))
    return ExportReport(target, rows, summary_table(rows))
