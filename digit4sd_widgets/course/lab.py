"""``digit4sd lab``: open JupyterLab on the learner's own copy of the course.

The first time, the learner version of the course (the release) is copied to the learner's
folder (default ``~/digit4sd-course``). Later runs never overwrite anything there: the
learner's notebooks and workbook are theirs. A notebook added to the course later is copied
in if the learner does not have it yet. nbgrader's Lab extension (assignment list, validate)
comes with the package.
"""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources
from pathlib import Path

from .map import MODULES, course_dir, project_root

DEFAULT_COPY = Path("~") / "digit4sd-course"
README_NAME = "START_HERE.md"


def release_source() -> Path:
    """The release notebooks: inside the installed package, or in a checkout."""
    packaged = resources.files("digit4sd_widgets").joinpath("course_release")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = course_dir(project_root()) / "release"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("The course release is missing: reinstall digit4sd-widgets.")


def prepare_copy(target: Path, release: Path | None = None) -> list[Path]:
    """Copy release notebooks the learner does not have yet into ``target``; never
    overwrite. Returns the files copied."""
    release = release or release_source()
    target = target.expanduser()
    copied = []
    for module in MODULES:
        src_dir = release / module.assignment
        if not src_dir.is_dir():
            continue
        for src in sorted(src_dir.iterdir()):
            if src.name.startswith(".") or not src.is_file():
                continue
            dest = target / module.assignment / src.name
            if dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{dest.name}.tmp")
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest)
            copied.append(dest)
    readme = target / README_NAME
    if not readme.exists():
        target.mkdir(parents=True, exist_ok=True)
        lines = ["# Your DIGIT4SD course", "",
                 "Open the modules in order. Your answers are saved as you work, in a file",
                 "called `digit4sd_workbook.json` in each module folder: keep it with the",
                 "notebooks when you submit an assignment.", ""]
        for m in MODULES:
            lines.append(f"- **Module {m.number}: {m.title}** (`{m.assignment}/`)")
            lines += [f"  - {s.id} {s.title}" for s in m.submodules]
        readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copied


def lab_command(target: Path, *, port: int | None = None, no_browser: bool = False,
                extra: list[str] | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={target}",
           # no news feed and no update check: both call the internet, and a classroom
           # may have none
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class="
           "jupyterlab.handlers.announcements.NeverCheckForUpdate",
           f"--LabApp.default_url=/lab/tree/{README_NAME}"]
    if port:
        cmd.append(f"--port={port}")
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + list(extra or [])


def run_lab(target: Path, *, port: int | None = None, no_browser: bool = False,
            extra: list[str] | None = None) -> int:
    target = target.expanduser().resolve()
    copied = prepare_copy(target)
    if copied:
        print(f"Copied {len(copied)} course notebooks to {target}")
    else:
        print(f"Your course copy: {target} (nothing overwritten)")
    cmd = lab_command(target, port=port, no_browser=no_browser, extra=extra)
    os.execv(cmd[0], cmd)  # pragma: no cover  (replaces this process with JupyterLab)
    return 0
