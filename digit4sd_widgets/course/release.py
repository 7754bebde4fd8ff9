"""Generate the learner version of the course (``course/release/``) from ``course/source/``
with nbgrader, and tidy it: no stored widget state, no outputs, stable bytes, so that the
committed release can be checked for drift.

nbgrader removes solutions, hidden tests and mark schemes. This module then checks that
nothing of them is left anywhere in the release, and fails loudly if something is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from .map import MODULES, course_dir, module, project_root

LEAK_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                "BEGIN MARK SCHEME", "END MARK SCHEME")


class ReleaseError(RuntimeError):
    """nbgrader failed, or the release would leak instructor material."""


def nbgrader(*args: str, root: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``root`` (the folder with ``nbgrader_config.py``)."""
    # nbgrader starts `alembic` by name: the environment's scripts must be on PATH
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "PATH": os.pathsep.join([bindir, os.environ.get("PATH", "")])}
    env.pop("DIGIT4SD_WORKBOOK", None)
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)


def tidy_notebook(path: Path) -> None:
    """Remove stored widget state and outputs; write in nbformat's stable layout."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def leaks(folder: Path) -> list[str]:
    """Files under ``folder`` that still carry solution, hidden-test or mark-scheme text."""
    found = []
    pattern = re.compile("|".join(re.escape(m) for m in LEAK_MARKERS))
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".ipynb", ".py", ".md", ".txt", ".html"} \
                and pattern.search(path.read_text(encoding="utf-8", errors="replace")):
            found.append(str(path.relative_to(folder)))
    return found


def generate_release(root: Path | None = None, assignments: list[str] | None = None
                     ) -> list[Path]:
    """Regenerate ``course/release/<assignment>/`` for the given assignments (default: all)
    and return the release notebooks written."""
    root = root or project_root()
    names = assignments or [m.assignment for m in MODULES]
    written: list[Path] = []
    for name in names:
        module(name)  # a clear error for an unknown assignment
        result = nbgrader("generate_assignment", name, "--force", root=root)
        if result.returncode != 0:
            raise ReleaseError(f"nbgrader could not generate {name}:\n{result.stderr[-2000:]}")
        target = course_dir(root) / "release" / name
        for nb_path in sorted(target.glob("*.ipynb")):
            tidy_notebook(nb_path)
            written.append(nb_path)
        for extra in target.glob(".ipynb_checkpoints"):
            shutil.rmtree(extra)
    found = leaks(course_dir(root) / "release")
    if found:
        raise ReleaseError(f"the release leaks instructor material in: {', '.join(found)}")
    return written


def release_fingerprint(folder: Path) -> dict[str, str]:
    """{relative path: text} of every notebook under ``folder`` (for drift checks)."""
    out = {}
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        out[str(path.relative_to(folder))] = json.dumps(nb, sort_keys=True, indent=1)
    return out
