"""``digit4sd grade autograde ASSIGNMENT``: every collected submission, graded in parallel.

nbgrader grades one notebook after another, and most of each notebook's time is a fresh
kernel starting and importing the course; an SQLite gradebook takes one writer at a time.
This command runs ``--workers`` processes (:mod:`.grade_worker`), each grading learners in a
scratch copy of the course with its own SQLite snapshot of the gradebook, with nbgrader's own
``Autograde`` converter and the course's ``nbgrader_config.py``. This process hands out one
learner at a time to whichever worker is free, and is the only one to write grades into the
gradebook (:func:`.grade.db_url`: SQLite in ``course/gradebook.db``, or the database that
``nbgrader_config.py`` names, such as PostgreSQL on a JupyterHub): it copies in each learner's
grades (auto scores, flags for manual grading, "No response" comments, late penalties, the
submission time) exactly as the worker's nbgrader computed them, and swaps the graded
notebooks into ``course/autograded/``.

A cell that runs longer than the time limit (``--timeout``, default from the course's config)
is stopped by nbgrader, and the learner is graded with the rest of the notebook; the report
names it. A worker that stops answering altogether (a kernel that cannot be interrupted) is
ended after a generous limit and the learner reported as not graded; the others go on.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..atomic import swap_folder
from .common import (
    GradeError,
    assignment_module,
    course_id,
    db_errors,
    db_url,
    is_sqlite,
    learner_folders,
    open_gradebook,
    project_config,
    project_root,
    sqlite_path,
)

NOT_GRADED_HINT = "earlier grades of this learner, if any, are unchanged"


@dataclass
class LearnerResult:
    learner: str
    ok: bool
    score: float = 0.0
    max_score: float = 0.0
    by_hand: int = 0
    tampering: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    timeouts: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class AutogradeReport:
    assignment: str
    workers: int
    timeout: int | None
    results: list[LearnerResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sandboxed: bool = True

    @property
    def failed(self) -> list[LearnerResult]:
        return [r for r in self.results if not r.ok]

    def result(self, learner: str) -> LearnerResult:
        return next(r for r in self.results if r.learner == learner)

    def lines(self) -> list[str]:
        graded = [r for r in self.results if r.ok]
        out = [f"{self.assignment}: graded {len(graded)} learner(s) in {self.seconds:.1f} s "
               f"with {self.workers} worker(s); not graded {len(self.failed)}; skipped "
               f"{len(self.skipped)} already graded and unchanged (--force grades them again)"]
        width = max((len(r.learner) for r in self.results), default=7)
        for r in sorted(self.results, key=lambda r: r.learner):
            if r.ok:
                hand = f", {r.by_hand} cell(s) to grade by hand" if r.by_hand else ""
                out.append(f"  {r.learner:<{width}}  {r.score:g}/{r.max_score:g} autograded{hand}")
            else:
                out.append(f"  {r.learner:<{width}}  NOT GRADED")
        problems = []
        limit = f"the {self.timeout} s limit" if self.timeout else "the time limit"
        for r in sorted(self.results, key=lambda r: r.learner):
            for nb, cells in sorted(r.timeouts.items()):
                problems.append(
                    f"TIMEOUT    {r.learner}, {nb}: stopped at {limit} in {', '.join(cells)}; "
                    "the rest of the notebook was graded")
            for nb, findings in sorted(r.tampering.items()):
                problems.append(f"TAMPERING  {r.learner}, {nb}: {describe(findings)}; the "
                                "original cells and tests were used for grading")
            problems += [f"PROBLEM    {r.learner}: {p}" for p in r.problems]
            if not r.ok:
                problems.append(f"NOT GRADED {r.learner}: {r.error} ({NOT_GRADED_HINT})")
        if not self.sandboxed:
            problems.append("NO SANDBOX learner code ran with your own rights (--no-sandbox)")
        if problems:
            out += ["", "To look at:", *(f"  {p}" for p in problems)]
        return out


def describe(findings: list[dict[str, str]]) -> str:
    """"changed test cells s3_2-quiz; deleted test cells s3_1-ldc-gaps-tests", in a stable
    order."""
    words = {"changed": "changed", "deleted": "deleted", "settings": "edited the grading "
             "settings of", "added": "added", "hooks": "changed how Python runs cells "
             "before"}
    kinds = {"test": "test cells", "task": "written-answer prompts", "read-only":
             "read-only cells", "answer": "answer cells", "graded cell": "graded cells"}
    after = {"added": " (graded as ordinary cells)", "hooks": " (those cells scored 0)"}
    groups: dict[tuple[str, str], list[str]] = {}
    details: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        groups.setdefault((f["change"], f["kind"]), []).append(f["cell"])
        if f.get("detail") and f["detail"] not in details.get((f["change"], f["kind"]), []):
            details.setdefault((f["change"], f["kind"]), []).append(f["detail"])
    out = []
    for (change, kind), cells in sorted(groups.items()):
        detail = details.get((change, kind))
        out.append(f"{words.get(change, change)} {kinds.get(kind, kind)} {', '.join(cells)}"
                   + (f": {'; '.join(detail)}" if detail else "") + after.get(change, ""))
    return "; ".join(out)


# --------------------------------------------------------------------------- workers
def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class WorkerGone(Exception):
    pass


class _WorkerProcess:
    """One :mod:`.grade_worker` process: send learners, read its JSON lines."""

    def __init__(self, settings: dict[str, Any], log: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("DIGIT4SD_WORKBOOK", None)
        self.log = log
        self._log_fh = open(log, "ab")  # noqa: SIM115 - closed in close()
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "digit4sd_widgets.grade.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._log_fh, cwd=settings["project"], env=env,
            text=True, encoding="utf-8", **kwargs)
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.send(settings)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self.messages.put(json.loads(line))
            except ValueError:
                continue
        self.messages.put(None)

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(message) + "\n")
            self.proc.stdin.flush()
        except OSError as exc:
            raise WorkerGone(str(exc)) from None

    def receive(self, deadline: float) -> dict[str, Any]:
        wait = deadline - time.monotonic()
        if wait <= 0:
            raise TimeoutError
        try:
            message = self.messages.get(timeout=wait)
        except queue.Empty:
            raise TimeoutError from None
        if message is None:
            raise WorkerGone(self.log_tail())
        return message

    def log_tail(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        errors = [ln.strip() for ln in lines
                  if re.match(r"^\s*[\w.]*(Error|Exception)\b", ln) or "| ERROR]" in ln]
        return errors[-1] if errors else ""

    def kill(self) -> None:
        """End the worker and every kernel it started (kernels run in sessions of their own)."""
        try:
            import psutil

            children = psutil.Process(self.proc.pid).children(recursive=True)
        except Exception:
            children = []
        for proc in children:
            with contextlib.suppress(Exception):
                proc.kill()
        self.proc.kill()
        self.close()

    def close(self, wait: float = 60) -> None:
        try:
            if self.proc.stdin and not self.proc.stdin.closed:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.kill()
        self._log_fh.close()


# --------------------------------------------------------------------------- the command
def _needs_grading(course: Path, assignment: str, learner: str) -> bool:
    """As nbgrader decides without --force: not graded yet, or submitted again since."""
    done = course / "autograded" / learner / assignment
    if not done.is_dir():
        return True
    submitted = sorted(p.name for p in (course / "submitted" / learner / assignment)
                       .glob("*.ipynb"))
    if any(not (done / name).is_file() for name in submitted):
        return True
    new = course / "submitted" / learner / assignment / "timestamp.txt"
    old = done / "timestamp.txt"
    if new.is_file() and old.is_file():
        from nbgrader.utils import parse_utc

        try:
            return parse_utc(new.read_text().strip()) > parse_utc(old.read_text().strip())
        except ValueError:
            return True
    return False


def _ensure_in_gradebook(root: Path, assignment: str) -> None:
    """nbgrader grades against the assignment as ``generate_assignment`` stored it."""
    from nbgrader.api import MissingEntry

    from ..course import module

    expected_notebooks = {s.notebook for s in module(assignment).submodules}
    have: set[str] = set()
    with open_gradebook(root) as gb, contextlib.suppress(MissingEntry):
        have = {nb.name for nb in gb.find_assignment(assignment).notebooks}
    if have != expected_notebooks:
        from ..course.release import ReleaseError, generate_release

        print(f"{assignment} is not in the gradebook yet: generating it from course/source/",
              file=sys.stderr)
        try:
            generate_release(root, [assignment])
        except ReleaseError as exc:
            raise GradeError(str(exc)) from None


def _snapshot(root: Path, target: Path) -> None:
    """A consistent SQLite copy of the project's gradebook in ``target``, for the workers.

    An SQLite gradebook is copied with SQLite's backup (not a file copy: the formgrader may be
    writing). Any other database (PostgreSQL) is copied row by row into a new SQLite gradebook
    made by nbgrader, see :func:`_copy_gradebook`."""
    url = db_url(root)
    source = sqlite_path(url)
    if source is None:
        if is_sqlite(url):
            raise GradeError(f"the gradebook {url} is held in memory: set "
                             "CourseDirectory.db_url in nbgrader_config.py to a file or a "
                             "database server")
        with db_errors(root, url):
            _copy_gradebook(url, target, course_id(root))
        return
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_gradebook(url: str, target: Path, course: str) -> None:
    """Copy every row of nbgrader's tables from the gradebook at ``url`` into a new SQLite
    gradebook ``target``, in one read-only transaction that sees a single moment of the
    source (other graders may be writing meanwhile).

    The workers need more than the assignment's definition (its due date, notebooks with
    their kernelspecs, grade, solution, task and source cells, in the order the source
    returns them, since nbgrader puts deleted tests back by that order) and the students:
    nbgrader's autograder also reads what a learner already has in the gradebook, i.e. the
    extension of their submission (late penalties) and scores given by hand (an autograded
    cell with a manual score is flagged for review). Copying whole rows, with their ids, gives
    the workers what an SQLite backup would: the same gradebook."""
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import create_engine, delete, insert, select

    # an empty gradebook as nbgrader makes one (its tables, the alembic stamp)
    with Gradebook(f"sqlite:///{target}", course):
        pass
    tables = Base.metadata.sorted_tables  # parents before children
    source = create_engine(url)
    copy = create_engine(f"sqlite:///{target}")
    try:
        with source.connect() as read, copy.begin() as write:
            read = read.execution_options(isolation_level="REPEATABLE READ",
                                          postgresql_readonly=True)
            for table in reversed(tables):
                write.execute(delete(table))
            for table in tables:
                result = read.execute(select(table).execution_options(yield_per=2000))
                for rows in result.mappings().partitions():
                    write.execute(insert(table), [dict(row) for row in rows])
            read.rollback()
    finally:
        copy.dispose()
        source.dispose()


def autograde(assignment: str, root: Path | None = None, workers: int | None = None,
              timeout: int | None = None, learners: list[str] | None = None,
              force: bool = False, progress: bool = True,
              learner_limit: float | None = None, sandbox: bool = True,
              memory_mb: int | None = None) -> AutogradeReport:
    """Autograde the collected submissions of ``assignment`` (see the module docstring).

    ``learner_limit``: seconds after which a learner still being graded is given up (the
    worker and its kernel are ended); by default generous, from the cell time limit.
    ``sandbox``: run learner code in the sandbox (:mod:`.sandbox`); False only for learners
    the instructor trusts, on a machine where no sandbox can be made."""
    from .sandbox import problem

    started = time.monotonic()
    root = project_root(root)
    if memory_mb is not None and memory_mb < 256:
        raise GradeError("--memory-mb must be 256 or more", code=2)
    if sandbox and (why := problem()):
        raise GradeError(f"learner code is graded in a sandbox, and none can be made here: "
                         f"{why}. To grade learners you trust with your own rights instead, "
                         "add --no-sandbox.")
    name = assignment_module(assignment).assignment
    course = root / "course"
    if workers is not None and workers < 1:
        raise GradeError("--workers must be 1 or more", code=2)
    if timeout is not None and timeout < 1:
        raise GradeError("--timeout must be 1 second or more", code=2)
    collected = learner_folders(course, "submitted", name)
    if learners:
        unknown = sorted(set(learners) - set(collected))
        if unknown:
            raise GradeError(f"no collected submission of {name} for {', '.join(unknown)}")
        collected = [s for s in collected if s in set(learners)]
    if not collected:
        raise GradeError(f"no submission of {name} in course/submitted/: run "
                         f"`digit4sd grade collect {name} PATH` first")
    todo = [s for s in collected if force or _needs_grading(course, name, s)]
    n_workers = min(workers or default_workers(), max(len(todo), 1))
    report = AutogradeReport(name, n_workers, timeout or _config_timeout(root),
                             sandboxed=sandbox)
    report.skipped = [s for s in collected if s not in todo]
    if not todo:
        report.seconds = time.monotonic() - started
        return report
    _ensure_in_gradebook(root, name)
    remove_stale(course, name)
    with tempfile.TemporaryDirectory(prefix="digit4sd-grade-", ignore_cleanup_errors=True) as tmp:
        base_db = Path(tmp) / "gradebook-snapshot.db"
        _snapshot(root, base_db)
        settings = {"project": str(root), "course": str(course), "assignment": name,
                    "base_db": str(base_db), "timeout": timeout, "sandbox": sandbox,
                    "memory_mb": memory_mb}
        _run(report, todo, settings, Path(tmp), root, progress, learner_limit)
    report.seconds = time.monotonic() - started
    return report


def _config_timeout(root: Path) -> int | None:
    value = project_config(root).Execute.get("timeout")
    return int(value) if value else None


def _run(report: AutogradeReport, todo: list[str], settings: dict[str, Any], tmp: Path,
         root: Path, progress: bool, learner_limit: float | None) -> None:
    from tqdm import tqdm

    from ..course import module

    name = report.assignment
    per_learner = len(module(name).submodules)
    cell_limit = report.timeout or 120
    # a learner's whole run, with every cell at its limit twice over, still ends
    learner_limit = learner_limit or 60 + per_learner * (2 * cell_limit + 60)
    tasks: queue.Queue[str] = queue.Queue()
    for learner in todo:
        tasks.put(learner)
    events: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()
    spawned = [0]
    live: set[_WorkerProcess] = set()
    lock = threading.Lock()

    def spawn() -> _WorkerProcess:
        with lock:
            if stop.is_set():
                raise WorkerGone("stopped")
            spawned[0] += 1
            number = spawned[0]
            scratch = tmp / f"worker-{number}"
            scratch.mkdir()
            worker = _WorkerProcess({**settings, "scratch": str(scratch)},
                                    tmp / f"worker-{number}.log")
            live.add(worker)
        try:
            message = worker.receive(time.monotonic() + 300)
        except TimeoutError:
            message = {"error": "it did not start within 300 s"}
        if message.get("type") != "ready":
            worker.kill()
            raise WorkerGone(message.get("error") or "it did not start")
        return worker

    def drive() -> None:
        worker = None
        try:
            while not stop.is_set():
                try:
                    learner = tasks.get_nowait()
                except queue.Empty:
                    return
                try:
                    if worker is None:
                        worker = spawn()
                    worker.send({"learner": learner})
                    deadline = time.monotonic() + learner_limit
                    while True:
                        message = worker.receive(deadline)
                        if message["type"] == "notebook":
                            events.put(("notebook", learner))
                        elif message["type"] == "done":
                            events.put(("done", message))
                            break
                except TimeoutError:
                    worker.kill()
                    worker = None
                    events.put(("lost", (learner, f"still running after {learner_limit:g} s: "
                                                  "ended (a kernel that could not be stopped)")))
                except WorkerGone as exc:
                    if worker is not None:
                        worker.kill()
                    worker = None
                    detail = str(exc).strip() or "a notebook may have ended it"
                    events.put(("lost", (learner, f"the grading process stopped while grading "
                                                  f"this learner ({detail[:300]})")))
                except Exception as exc:  # a bug here must not lose the learner silently
                    if worker is not None:
                        worker.kill()
                    worker = None
                    events.put(("lost", (learner, f"{type(exc).__name__}: {exc}")))
        finally:
            if worker is not None:
                if stop.is_set():
                    worker.kill()
                else:
                    worker.close()
            events.put(("exit", None))

    threads = [threading.Thread(target=drive, daemon=True) for _ in range(report.workers)]
    bar = tqdm(total=len(todo) * per_learner, unit="notebook", file=sys.stderr,
               disable=not progress, desc=f"autograde {name}", dynamic_ncols=True)
    counted: dict[str, int] = {}
    try:
        with open_gradebook(root) as gb:
            for thread in threads:
                thread.start()
            running = len(threads)
            while running:
                kind, payload = events.get()
                if kind == "exit":
                    running -= 1
                elif kind == "notebook":
                    counted[payload] = counted.get(payload, 0) + 1
                    if counted[payload] <= per_learner:  # not again for a second attempt
                        bar.update(1)
                else:
                    learner = payload["learner"] if kind == "done" else payload[0]
                    bar.update(max(per_learner - counted.get(learner, 0), 0))
                    if kind == "done":
                        result = merge(gb, Path(settings["course"]), name, payload)
                    else:
                        result = LearnerResult(learner, ok=False, error=payload[1])
                    report.results.append(result)
                    if not result.ok:
                        bar.write(f"not graded: {learner}: {result.error}", file=sys.stderr)
        done = {r.learner for r in report.results}
        report.results += [LearnerResult(s, ok=False, error="not graded (the run stopped early)")
                           for s in todo if s not in done]
    except BaseException:  # stopped by the user (or a bug): leave no process behind
        stop.set()
        with lock:
            for worker in list(live):
                worker.kill()
        for thread in threads:
            thread.join(timeout=10)
        raise
    finally:
        bar.close()


def merge(gb, course: Path, assignment: str, message: dict[str, Any]) -> LearnerResult:
    """Copy one learner's grades from a worker into the gradebook, then swap the graded
    notebooks into ``course/autograded/``."""
    from nbgrader.utils import rmtree

    learner = message["learner"]
    result = LearnerResult(learner, ok=bool(message.get("ok")),
                           tampering=message.get("tampering") or {},
                           timeouts=message.get("timeouts") or {},
                           problems=list(message.get("problems") or []))
    staged = Path(message["staged"]) if message.get("staged") else None
    if not result.ok or staged is None:
        result.ok = False
        result.error = message.get("error") or "nbgrader could not grade it"
        if staged is not None:
            rmtree(str(staged))
        return result
    with warnings.catch_warnings():
        # nbgrader's own way of adding a submission makes SQLAlchemy 2 warn about its
        # autoflush order ("not in session"); `nbgrader autograde` prints the same, harmlessly
        warnings.filterwarnings("ignore", message=".*not in session.*")
        _write_grades(gb, assignment, message, result)

    swap_folder(staged, course / "autograded" / learner / assignment,
                remove=lambda old: rmtree(str(old)))
    return result


def _write_grades(gb, assignment: str, message: dict[str, Any], result: LearnerResult) -> None:
    learner = message["learner"]
    gb.update_or_create_student(learner)
    if message.get("timestamp"):
        gb.update_or_create_submission(assignment, learner,
                                       timestamp=datetime.fromisoformat(message["timestamp"]))
    else:
        gb.update_or_create_submission(assignment, learner)
    for nb in message["notebooks"]:
        notebook = gb.find_submission_notebook(nb["name"], assignment, learner)
        grades = {g.name: g for g in notebook.grades}
        comments = {c.name: c for c in notebook.comments}
        for grade_id, auto_score, needs_manual, max_score in nb["grades"]:
            grade = grades[grade_id]
            grade.auto_score = auto_score
            grade.needs_manual_grade = needs_manual
            result.score += auto_score or 0.0
            result.max_score += max_score if auto_score is not None else 0.0
            result.by_hand += bool(needs_manual)
        for grade_id, text in nb["comments"]:
            comments[grade_id].auto_comment = text
        notebook.late_submission_penalty = nb["late_penalty"]
    gb.db.commit()


def remove_stale(course: Path, assignment: str) -> None:
    """Staging folders left by an interrupted run."""
    from nbgrader.utils import rmtree

    for pattern in (f"*/.{assignment}.incoming-*", f"*/.{assignment}.old-*"):
        for path in (course / "autograded").glob(pattern):
            rmtree(str(path))
