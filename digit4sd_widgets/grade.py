"""The instructor's grading pipeline: ``digit4sd grade ACTION``, over nbgrader.

From the project root (the folder with ``nbgrader_config.py`` and ``course/``)::

    digit4sd grade release [ASSIGNMENT]        course/release/ and dist/release/<a>.zip
    digit4sd grade collect ASSIGNMENT PATH     zips or folders per learner -> course/submitted/
    digit4sd grade autograde ASSIGNMENT        every submission, in parallel -> gradebook
    digit4sd grade feedback ASSIGNMENT         course/feedback/ and dist/feedback/<a>/<id>.zip
    digit4sd grade export [--to FILE]          dist/grades.csv and a summary table

Everything stays in nbgrader's layout (``source/``, ``release/``, ``submitted/``,
``autograded/``, ``feedback/``), so nbgrader's own commands and the formgrader in JupyterLab
(manual grading of the written answers) work on the same course. The gradebook is the one
nbgrader itself uses: ``CourseDirectory.db_url`` of the project's ``nbgrader_config.py``
(PostgreSQL on a JupyterHub, for instance), else SQLite in ``course/gradebook.db``.
Files meant to be handed out or kept (zips, grade tables) go to ``dist/``, which is never
committed: it holds learners' work and grades. ``docs/grading.md`` is the instructor's guide.

Collecting lives in :mod:`.grade_collect`, parallel autograding in :mod:`.grade_autograde`
(workers: :mod:`.grade_worker`), synthetic learners for trying it in :mod:`.grade_synthetic`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .course import MODULES, Module, module

SKIP_NAMES = {".ipynb_checkpoints", "__pycache__", "__MACOSX", ".DS_Store", "Thumbs.db"}


class GradeError(Exception):
    """An expected problem, explained for the instructor; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- the project
def project_root(root: Path | str | None = None) -> Path:
    """The project folder (default: the current folder); it must hold the nbgrader course."""
    path = Path(root) if root is not None else Path.cwd()
    if not (path / "nbgrader_config.py").is_file() or not (path / "course").is_dir():
        raise GradeError(
            f"{path} is not the project root: run this from the folder that holds "
            "nbgrader_config.py and course/.", code=2)
    scripts_on_path()
    return path.resolve()


def scripts_on_path() -> None:
    """nbgrader runs ``alembic`` by name when it makes a new gradebook: the environment's
    scripts must be on PATH, also when ``digit4sd`` is started as ``.venv/bin/digit4sd``."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p]])


def assignment_module(name: str) -> Module:
    try:
        return module(name)
    except KeyError as exc:
        raise GradeError(exc.args[0], code=2) from None


_CONFIGS: dict[str, tuple[tuple[int, int], Any]] = {}


def project_config(root: Path) -> Any:
    """The project's ``nbgrader_config.py`` as traitlets loads it (an empty configuration if
    there is none). Read again only when the file changes; callers must not modify it."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(root) / "nbgrader_config.py"
    try:
        stat = path.stat()
    except OSError:
        return Config()
    key, stamp = str(path.resolve()), (stat.st_mtime_ns, stat.st_size)
    cached = _CONFIGS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    _CONFIGS[key] = (stamp, config)
    return config


def course_id(root: Path) -> str:
    """The course id set in ``nbgrader_config.py`` (nbgrader's default if none)."""
    return project_config(root).CourseDirectory.get("course_id", "default_course")


def db_url(root: Path) -> str:
    """The gradebook's address: ``CourseDirectory.db_url`` of ``nbgrader_config.py`` when it
    is set (a relative SQLite path counts from the project root, where nbgrader runs), else
    SQLite in ``course/gradebook.db``."""
    root = Path(root)
    configured = project_config(root).CourseDirectory.get("db_url")
    if not configured:
        return f"sqlite:///{root / 'course' / 'gradebook.db'}"
    url = str(configured)
    path = sqlite_path(url)
    if path is not None and not path.is_absolute():
        from sqlalchemy.engine import make_url

        url = make_url(url).set(database=str(root / path)).render_as_string(
            hide_password=False)
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite gradebook address; ``None`` for any other database (or an SQLite
    database in memory)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    return Path(database) if database and database != ":memory:" else None


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def gradebook_label(root: Path, url: str | None = None) -> str:
    """Where the gradebook is, for messages: a path (relative to the project when inside it)
    or ``host:port/database``; never a password."""
    from sqlalchemy.engine import make_url

    url = url or db_url(root)
    path = sqlite_path(url)
    if path is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)
    if is_sqlite(url):
        return url
    parsed = make_url(url)
    host = parsed.host or "localhost"
    return f"{host}:{parsed.port}/{parsed.database}" if parsed.port else \
        f"{host}/{parsed.database}"


def gradebook_exists(root: Path) -> bool:
    """Whether the gradebook has been made (nbgrader's tables are there); looks without
    creating anything."""
    url = db_url(root)
    if is_sqlite(url):
        path = sqlite_path(url)
        return path is None or path.is_file()
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        with db_errors(root, url), engine.connect() as connection:
            return inspect(connection).has_table("assignment")
    finally:
        engine.dispose()


@contextlib.contextmanager
def db_errors(root: Path, url: str | None = None) -> Iterator[None]:
    """A gradebook that cannot be reached (server down, wrong password, no such database)
    becomes a :class:`GradeError` that says where it was looked for."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        where = gradebook_label(root, url)
        if project_config(root).CourseDirectory.get("db_url"):
            where += " (CourseDirectory.db_url in nbgrader_config.py)"
        raise GradeError(f"cannot use the gradebook at {where}: "
                         f"{reason[0] if reason else type(exc).__name__}") from None


@contextlib.contextmanager
def open_gradebook(root: Path) -> Iterator[Any]:
    """nbgrader's :class:`~nbgrader.api.Gradebook` on the project's gradebook; one that cannot
    be opened is a :class:`GradeError`."""
    from nbgrader.api import Gradebook

    url = db_url(root)
    with db_errors(root, url):
        gb = Gradebook(url, course_id(root))
    with gb:
        yield gb


def dist_dir(root: Path) -> Path:
    return root / "dist"


def visible(path: Path) -> bool:
    """Not a hidden file, not a checkpoint or cache folder."""
    return not path.name.startswith(".") and path.name not in SKIP_NAMES


def learner_folders(course: Path, stage: str, assignment: str) -> list[str]:
    """Learner ids with a ``course/<stage>/<id>/<assignment>/`` folder, sorted."""
    base = course / stage
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir()
                  if visible(p) and (p / assignment).is_dir())


# --------------------------------------------------------------------------- safe writes
def zip_bytes(files: Iterable[tuple[str, Path]]) -> bytes:
    """A zip of (name inside the zip, file) pairs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, path in files:
            zf.write(path, arcname)
    return buffer.getvalue()


# --------------------------------------------------------------------------- release
def release(root: Path | None = None, assignment: str | None = None) -> list[Path]:
    """Regenerate ``course/release/`` (all assignments, or one) with nbgrader and write one
    zip per assignment to ``dist/release/<assignment>.zip`` for handing out by hand.

    Each zip holds ``<assignment>/<notebook>.ipynb`` and any other released file, never
    checkpoints, hidden files, workbooks or instructor material (the zip is unpacked and
    checked before it is written)."""
    from .release import ReleaseError, generate_release, leaks

    root = project_root(root)
    names = [assignment_module(assignment).assignment] if assignment else \
        [m.assignment for m in MODULES]
    try:
        generate_release(root, names)
    except ReleaseError as exc:
        raise GradeError(str(exc)) from None
    written = []
    for name in names:
        folder = root / "course" / "release" / name
        files = [(f"{name}/{p.relative_to(folder).as_posix()}", p)
                 for p in sorted(folder.rglob("*"))
                 if p.is_file() and all(visible(Path(part)) for part in
                                        p.relative_to(folder).parts)
                 and p.name != "digit4sd_workbook.json"]
        target = dist_dir(root) / "release" / f"{name}.zip"
        data = zip_bytes(files)
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names_inside = zf.namelist()
                zf.extractall(tmp)
            found = leaks(Path(tmp))
        hidden = [n for n in names_inside if any(not visible(Path(part)) for part in
                                                 n.split("/"))]
        if found or hidden:
            raise GradeError(f"the zip of {name} would hand out instructor material or hidden "
                             f"files ({', '.join(found + hidden)}); nothing was written")
        write_atomic(target, data)
        written.append(target)
    return written


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
    from .release import leaks, nbgrader

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
    writer.writerows(rows)
    write_atomic(target, text.getvalue().encode("utf-8"))
    return ExportReport(target, rows, summary_table(rows))


# --------------------------------------------------------------------------- command line
def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``grade`` subcommand and its actions (called by :mod:`digit4sd_widgets.cli`)."""
    grade = sub.add_parser(
        "grade", help="release, collect, autograde, feedback and export grades (nbgrader)",
        description="The instructor's pipeline over nbgrader. Run it from the project root "
                    "(the folder with nbgrader_config.py and course/). Guide: docs/grading.md.")
    actions = grade.add_subparsers(dest="grade_command", metavar="ACTION")

    p = actions.add_parser("release", help="generate the learner version and one zip per "
                                           "assignment in dist/release/")
    p.add_argument("assignment", nargs="?", help="one assignment (default: all six)")

    p = actions.add_parser("collect", help="take submissions (zips or folders named by learner "
                                           "id) into course/submitted/")
    p.add_argument("assignment")
    p.add_argument("path", help="a folder with one zip file or one folder per learner (or one "
                                "learner's zip file)")
    p.add_argument("--replace", action="store_true",
                   help="replace submissions already collected (the old ones are kept aside)")

    p = actions.add_parser("autograde", help="grade every collected submission, in parallel")
    p.add_argument("assignment")
    p.add_argument("--workers", type=int, help="grading processes (default: one per core)")
    p.add_argument("--timeout", type=int,
                   help="seconds a cell may run before it is stopped (default: the course's "
                        "nbgrader_config.py, 120)")
    p.add_argument("--learner", action="append", dest="learners", metavar="ID",
                   help="grade only this learner (repeat for more)")
    p.add_argument("--force", action="store_true",
                   help="grade again submissions already graded and unchanged since")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    p = actions.add_parser("feedback", help="feedback pages per learner, zipped in "
                                            "dist/feedback/")
    p.add_argument("assignment")

    p = actions.add_parser("export", help="grades as CSV and a summary table")
    p.add_argument("--to", help="CSV file to write (default: dist/grades.csv)")

    grade.set_defaults(func=lambda args: run(args, grade))
    return grade


def run(args: argparse.Namespace, parser: argparse.ArgumentParser | None = None) -> int:
    """Run one ``digit4sd grade`` action; expected problems become a message and exit 1 or 2."""
    action = getattr(args, "grade_command", None)
    if not action:
        if parser is not None:
            parser.print_help()
        return 0
    try:
        if action == "release":
            for path in release(assignment=args.assignment):
                print(f"wrote {path}")
            return 0
        if action == "collect":
            from .grade_collect import collect

            report = collect(args.assignment, Path(args.path), replace=args.replace)
            print("\n".join(report.lines()))
            return 1 if report.refused else 0
        if action == "autograde":
            from .grade_autograde import autograde

            report = autograde(args.assignment, workers=args.workers, timeout=args.timeout,
                               learners=args.learners, force=args.force,
                               progress=not args.no_progress)
            print("\n".join(report.lines()))
            return 1 if report.failed else 0
        if action == "feedback":
            print("\n".join(feedback(args.assignment).lines()))
            return 0
        if action == "export":
            print("\n".join(export(to=args.to).lines()))
            return 0
    except GradeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("stopped: what was finished is saved; run the command again for the rest",
              file=sys.stderr)
        return 130
    raise AssertionError(action)  # pragma: no cover - argparse only gives the actions above
