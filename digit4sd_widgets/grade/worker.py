"""One autograding worker of ``digit4sd grade autograde`` (a process of its own).

nbgrader grades one submission at a time and an SQLite gradebook does not take parallel
writers. The command therefore starts several of these workers. Each has a scratch copy of
the course (the assignment's source and an SQLite snapshot of the gradebook) and grades the
learners it is given there, in process, with nbgrader's own ``Autograde`` converter and the
course's ``nbgrader_config.py``: the grades are nbgrader's. A worker never opens the course's
own gradebook, not even when ``nbgrader_config.py`` names one on a database server. The parent
process then moves the graded notebooks into ``course/autograded/`` and copies the grades into
the course's gradebook, being the only one to write grades there.

Before nbgrader sees a submission, the worker compares it with the learner's release: read-only
cells changed, tests deleted, grading settings edited. It lists what it finds and puts the
release's grading settings back on the cells; nbgrader then restores the original source of
locked cells (checksums) and puts deleted test cells back (``add_missing_cells``), so the
original tests are what count.

Protocol: the parent writes one JSON line of settings, then one JSON line per learner
(``{"learner": ID}``) on stdin; the worker answers with JSON lines (``ready``, ``notebook``
after each notebook, ``done`` per learner) on its original stdout, which nothing else may
write to: kernels and logs go to stderr.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import re
import shutil
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

import nbformat

META_KEYS = ("grade", "solution", "locked", "task", "points")
HIDDEN_FAILED = ("the checks shown here pass, but further checks of your answer did not: "
                 "read the task again")


# --------------------------------------------------------------------------- integrity
def release_cells(release_nb: Any) -> dict[str, Any]:
    """{grade_id: cell} of the cells nbgrader tracks in a release notebook."""
    out = {}
    for cell in release_nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            out[grade_id] = cell
    return out


def _kind(meta: dict) -> str:
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("task"):
        return "task"
    if meta.get("solution"):
        return "answer"
    return "read-only"


def _setting(meta: dict, key: str) -> Any:
    value = meta.get(key)
    if key == "points" and value is not None:
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return value


def check_integrity(nb: Any, release_nb: Any) -> list[dict[str, str]]:
    """What a learner changed in the cells they may not change, compared with the release;
    puts the release's grading settings back on ``nb`` (in place).

    Each finding is ``{"cell": grade_id, "kind": "test"|"task"|"read-only"|"answer",
    "change": "changed"|"deleted"|"settings"}``. Cells that are ``locked`` in the release carry
    a checksum there; a different checksum means a changed cell.
    """
    from nbgrader.utils import compute_checksum

    expected = release_cells(release_nb)
    seen: set[str] = set()
    findings = []
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(grade_id, str) or grade_id not in expected:
            # a graded cell the release does not have (made by the learner, or with its id
            # changed): an ordinary cell for grading; the release's cells are put back
            if isinstance(meta, dict) and (meta.get("grade") or meta.get("solution")
                                           or meta.get("task") or meta.get("locked")):
                label = grade_id if isinstance(grade_id, str) and grade_id else \
                    f"cell {index + 1}"
                findings.append({"cell": label[:80], "kind": "graded cell",
                                 "change": "added"})
            del cell.metadata["nbgrader"]
            continue
        if grade_id in seen:
            continue  # a copy of a cell: nbgrader's DeduplicateIds drops its id
        seen.add(grade_id)
        original = expected[grade_id].metadata["nbgrader"]
        kind = _kind(original)
        if any(_setting(meta, k) != _setting(original, k) for k in META_KEYS):
            findings.append({"cell": grade_id, "kind": kind, "change": "settings"})
            for key in META_KEYS:
                if key in original:
                    meta[key] = original[key]
                else:
                    meta.pop(key, None)
        if original.get("locked") and "checksum" in original:
            try:
                same = compute_checksum(cell) == original["checksum"]
            except (KeyError, TypeError, ValueError):
                same = False
            if not same:
                findings.append({"cell": grade_id, "kind": kind, "change": "changed"})
    for grade_id, cell in expected.items():
        original = cell.metadata["nbgrader"]
        if grade_id not in seen and (original.get("locked") or original.get("grade")):
            findings.append({"cell": grade_id, "kind": _kind(original), "change": "deleted"})
    return findings


def timeouts(nb: Any) -> list[str]:
    """Cells (grade id, else "cell N") that nbgrader stopped at its time limit."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "CellTimeoutError":
                found.append(cell.metadata.get("nbgrader", {}).get("grade_id")
                             or f"cell {index + 1}")
                break
    return found


# --------------------------------------------------------------------------- the worker
class _Sender:
    def __init__(self, stream) -> None:
        self.stream = stream

    def __call__(self, **message: Any) -> None:
        self.stream.write(json.dumps(message) + "\n")
        self.stream.flush()


def _fast_sqlite() -> None:
    """The scratch gradebook is thrown away: no need to wait for the disk on every commit."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _pragma(dbapi_connection, _record):  # pragma: no cover - runs in the worker
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("PRAGMA synchronous=OFF")


class Worker:
    """Grades learners of one assignment in a scratch course."""

    def __init__(self, settings: dict[str, Any]) -> None:
        from nbgrader.apps.autogradeapp import AutogradeApp
        from nbgrader.coursedir import CourseDirectory

        self.project = Path(settings["project"])
        self.course = Path(settings["course"])
        self.assignment = settings["assignment"]
        self.scratch = Path(settings["scratch"]) / "course"
        self.release = self.course / "release" / self.assignment
        self.scratch.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.course / "source" / self.assignment,
                        self.scratch / "source" / self.assignment, dirs_exist_ok=True)
        shutil.copy(settings["base_db"], self.scratch / "gradebook.db")
        _fast_sqlite()

        # the same configuration as `nbgrader autograde` run from the project root
        os.chdir(self.project)
        app = AutogradeApp()
        app.initialize([])
        config = app.config
        config.CourseDirectory.root = str(self.scratch)
        # the snapshot, also when the configuration names the course's gradebook (a
        # database server on a Hub): only the parent process writes grades there
        config.CourseDirectory.db_url = f"sqlite:///{self.scratch / 'gradebook.db'}"
        if settings.get("timeout"):
            config.Execute.timeout = int(settings["timeout"])
        if os.name == "posix":
            # kernels talk over local sockets in the scratch folder, not TCP ports: with many
            # kernels starting at once on a shared machine, a port picked as free can be
            # taken before the kernel binds it, and that learner would fail
            config.KernelManager.transport = "ipc"
            (Path(settings["scratch"]) / "kernels").mkdir(exist_ok=True)
            config.KernelManager.ip = str(Path(settings["scratch"]) / "kernels" / "k")
        # learner code runs in the sandbox, with the guard before each test cell
        from nbgrader.preprocessors import Execute

        from .plugins import GuardedExecute

        self.sandbox = bool(settings.get("sandbox", True))
        config.GuardedExecute.sandbox = self.sandbox
        config.SandboxKernelManager.private_root = str(Path(settings["scratch"]) / "kernels")
        if settings.get("memory_mb"):
            config.SandboxKernelManager.memory_mb = int(settings["memory_mb"])
        steps = list(app.config.Autograde.get("autograde_preprocessors", [])) or list(
            _autograde_steps())
        config.Autograde.autograde_preprocessors = [
            GuardedExecute if step in (Execute, "nbgrader.preprocessors.Execute") else step
            for step in steps]
        self.config = config
        self.course_id = config.CourseDirectory.get("course_id", "default_course")
        self.coursedir = CourseDirectory(config=config)
        self.coursedir.assignment_id = self.assignment
        self.db_url = self.coursedir.db_url
        self._releases: dict[str, Any] = {}

    # ..................................................................... one learner
    def grade(self, learner: str, send: _Sender) -> dict[str, Any]:
        from nbgrader.utils import rmtree

        submitted = self.scratch / "submitted" / learner / self.assignment
        autograded = self.scratch / "autograded" / learner / self.assignment
        for folder in (submitted.parent, autograded.parent):
            if folder.exists():
                rmtree(str(folder))
        shutil.copytree(self.course / "submitted" / learner / self.assignment, submitted)
        result: dict[str, Any] = {"type": "done", "learner": learner, "ok": False,
                                  "tampering": {}, "timeouts": {}, "problems": [],
                                  "notebooks": [], "timestamp": None, "staged": None}
        self._prepare(submitted, result)

        for attempt in (1, 2):
            ok, converter, buffer = self._autograde(learner, send)
            if ok or "CellTimeoutError" in "\n".join(buffer) or attempt == 2:
                break
            # once more: a kernel that failed to start on a busy machine is no fault of the
            # learner's (a notebook that fails the same way twice is reported)
        result["ok"] = ok
        if not result["ok"] or not autograded.is_dir():
            result["ok"] = False
            where = Path(converter.current or "").stem
            reason = failure_reason(buffer)
            result["error"] = f"{where}: {reason}" if where else reason
            return result
        for finding in self._guard_findings():
            result["tampering"].setdefault(finding.pop("notebook"), []).append(finding)
        for path in sorted(autograded.glob("*.ipynb")):
            graded = nbformat.read(path, as_version=4)
            stopped = timeouts(graded)
            if stopped:
                result["timeouts"][path.stem] = stopped
            if self.sandbox:
                # the notebook kept and shown as feedback comes from a second run that never
                # held a hidden test: nothing the learner's code printed while the hidden
                # tests ran (in the first run) reaches anyone
                try:
                    _replace_notebook(path, self._feedback_run(learner, path.name, graded))
                except Exception as exc:
                    result["ok"] = False
                    result["error"] = (f"{path.stem}: the run for the feedback failed "
                                       f"({failure_reason([f'{type(exc).__name__}: {exc}'])})")
                    return result
        result.update(self._grades(learner))
        staged = (self.course / "autograded" / learner
                  / f".{self.assignment}.incoming-{uuid.uuid4().hex}")
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(autograded), str(staged))
        rmtree(str(submitted.parent))
        result["staged"] = str(staged)
        return result

    def _guard_findings(self) -> list[dict[str, str]]:
        from .plugins import GuardedExecute

        found = [{"notebook": f["notebook"], "cell": f["cell"], "kind": "test",
                  "change": "hooks", "detail": f["detail"]} for f in GuardedExecute.findings]
        GuardedExecute.findings.clear()
        return found

    def _feedback_run(self, learner: str, name: str, graded: Any) -> Any:
        """The graded notebook run again, in the sandbox, with the hidden tests taken out of
        its test cells, from a fresh copy of the submission; a test cell that passes here
        but failed in the graded run (a hidden test) says so in words."""
        from nbgrader.preprocessors import LimitOutput

        from .plugins import ClearHiddenTestsInTests, GuardedExecute, is_test

        folder = self.scratch / "feedback-run" / learner / self.assignment
        if folder.parent.exists():
            shutil.rmtree(folder.parent)
        shutil.copytree(self.course / "submitted" / learner / self.assignment, folder)
        nb = copy.deepcopy(graded)
        failed = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                if is_test(cell):
                    failed[index] = [o for o in cell.get("outputs", [])
                                        if o.get("output_type") == "error"]
                cell.outputs = []
                cell.execution_count = None
        ClearHiddenTestsInTests().preprocess(nb, {})
        runner = GuardedExecute(config=self.config, guard=False)
        try:
            nb, _ = runner.preprocess(nb, {"metadata": {"path": str(folder)}})
        finally:
            shutil.rmtree(folder.parent, ignore_errors=True)
        for index, cell in enumerate(nb.cells):
            errors_then = failed.get(index)
            if errors_then is None:
                continue
            now = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            stopped = [o for o in errors_then if o.get("ename") == "GradingStopped"]
            if stopped:
                cell.outputs = [*cell.outputs, *stopped]
            elif errors_then and not now:
                cell.outputs = [*cell.outputs, nbformat.v4.new_output(
                    "error", ename="NotYet", evalue=HIDDEN_FAILED,
                    traceback=[f"NotYet: {HIDDEN_FAILED}"])]
        nb, _ = LimitOutput(config=self.config).preprocess(nb, {})
        return nb

    def _autograde(self, learner: str, send: _Sender) -> tuple[bool, Any, list[str]]:
        """nbgrader's Autograde converter on one learner: (finished, converter, log)."""
        buffer: list[str] = []
        handler = _ListHandler(buffer)
        self.coursedir.student_id = learner
        self._guard_findings()  # nothing left from an earlier attempt
        converter = _reporting_autograde()(coursedir=self.coursedir, config=self.config)
        converter.after_notebook = lambda path: send(type="notebook", learner=learner,
                                                     notebook=Path(path).stem)
        converter.force = True
        converter.create_student = True
        converter.log.addHandler(handler)
        try:
            converter.start()
            return True, converter, buffer
        except Exception as exc:  # nbgrader logged the details
            buffer.append(f"ERROR {type(exc).__name__}: {exc}")
            return False, converter, buffer
        finally:
            converter.log.removeHandler(handler)

    def _prepare(self, submitted: Path, result: dict[str, Any]) -> None:
        """Check each notebook against its release and put back the grading settings."""
        for path in sorted(submitted.glob("*.ipynb")):
            release = self.release / path.name
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception as exc:  # collect refuses these; a hand-placed file may not be
                result["problems"].append(
                    f"{path.stem}: not a readable notebook ({type(exc).__name__}); scored 0")
                path.unlink()
                continue
            if not release.is_file():
                continue  # not a notebook of the assignment: nbgrader skips it
            if path.name not in self._releases:
                self._releases[path.name] = nbformat.read(release, as_version=4)
            findings = check_integrity(nb, self._releases[path.name])
            if findings:
                result["tampering"][path.stem] = findings
                if any(f["change"] in ("settings", "added") for f in findings):
                    nbformat.write(nb, path)

    def _grades(self, learner: str) -> dict[str, Any]:
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url, self.course_id) as gb:
            submission = gb.find_submission(self.assignment, learner)
            notebooks = []
            for nb in submission.notebooks:
                notebooks.append({
                    "name": nb.name,
                    "late_penalty": nb.late_submission_penalty,
                    "grades": [[g.name, g.auto_score, bool(g.needs_manual_grade), g.max_score]
                               for g in nb.grades],
                    "comments": [[c.name, c.auto_comment] for c in nb.comments],
                })
            stamp = submission.timestamp
        return {"notebooks": notebooks, "timestamp": stamp.isoformat() if stamp else None}


def _replace_notebook(path: Path, nb: Any) -> None:
    """Write ``nb`` in place of the notebook at ``path``, which nbgrader made read-only: a
    new file, with the same permissions, moved over it."""
    mode = path.stat().st_mode & 0o777
    fresh = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    nbformat.write(nb, fresh)
    os.chmod(fresh, mode)
    os.replace(fresh, path)


def _autograde_steps() -> list[Any]:
    """nbgrader's own autograde steps (when the course's configuration does not name them)."""
    from nbgrader.converters import Autograde

    return list(Autograde.class_traits()["autograde_preprocessors"].default())


_REPORTING = None


def _reporting_autograde():
    """nbgrader's Autograde converter, telling when each notebook is done."""
    global _REPORTING
    if _REPORTING is None:
        from nbgrader.converters import Autograde

        class ReportingAutograde(Autograde):
            after_notebook = None
            current = None

            def convert_single_notebook(self, notebook_filename: str) -> None:
                self.current = notebook_filename
                super().convert_single_notebook(notebook_filename)
                self.current = None
                if self.after_notebook:
                    self.after_notebook(notebook_filename)

        _REPORTING = ReportingAutograde
    return _REPORTING


_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit)): ?(.*)$")


def failure_reason(log: list[str]) -> str:
    """One sentence for the instructor from nbgrader's log of a failed learner."""
    text = "\n".join(log)
    if "CellTimeoutError" in text:
        return ("a cell ran past the time limit and did not stop when interrupted (it may "
                "block interrupts); grade this notebook by hand or ask for a corrected one")
    if "UnresponsiveKernelError" in text or "kernel became unresponsive" in text:
        return "the kernel stopped responding (the notebook may use too much memory)"
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the kernel died while running the notebook"
    found = [m for line in text.splitlines() if (m := _EXCEPTION.match(line.strip()))]
    if found:
        name, message = found[-1].groups()
        return f"{name.rsplit('.', 1)[-1]}: {message[:200]}".rstrip(": ")
    errors = [line for line in log if line.startswith(("ERROR", "CRITICAL"))]
    return (errors or log or ["nbgrader stopped without saying why"])[-1][:300]


class _ListHandler(logging.Handler):
    def __init__(self, buffer: list[str]) -> None:
        super().__init__(logging.INFO)
        self.buffer = buffer

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # a broken log record must not stop grading
            self.buffer.append(f"{record.levelname} {record.getMessage()}")


def main() -> int:  # pragma: no cover - runs as a child process of the autograde command
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # kernels and prints go to the log, never into the protocol
    send = _Sender(protocol)
    os.environ.pop("DIGIT4SD_WORKBOOK", None)
    bindir = str(Path(sys.executable).parent)
    os.environ["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])
    settings = json.loads(sys.stdin.readline())
    try:
        worker = Worker(settings)
    except Exception as exc:
        send(type="fatal", error=f"{type(exc).__name__}: {exc}")
        return 1
    send(type="ready")
    for line in sys.stdin:
        if not line.strip():
            continue
        learner = json.loads(line)["learner"]
        try:
            send(**worker.grade(learner, send))
        except Exception as exc:
            send(type="done", learner=learner, ok=False, error=f"{type(exc).__name__}: {exc}",
                 tampering={}, timeouts={}, problems=[], notebooks=[], timestamp=None,
                 staged=None)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
