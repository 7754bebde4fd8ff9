"""Speed of the course: time to execute each source notebook and the whole course, and
nbgrader's autograde time per notebook, each against a bare notebook (one empty cell) run
the same way in the same run. Target: every notebook executes in under 10 s.

Run:  .venv/bin/python benchmarks/bench_course.py [--autograde]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digit4sd_widgets.course import MODULES, SUBMODULES  # noqa: E402
from digit4sd_widgets.course.release import nbgrader  # noqa: E402
from digit4sd_widgets.examples import example_workbook  # noqa: E402
from digit4sd_widgets.workbook import FILENAME, Workbook  # noqa: E402

TARGET_S = 10.0


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def bare_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / "bare.ipynb"
    nbformat.write(nb, path)
    return path


def course_copy(tmp: Path) -> Path:
    folder = tmp / "course"
    shutil.copytree(ROOT / "course" / "source", folder)
    wb = example_workbook(Workbook.open(folder / MODULES[0].assignment / FILENAME))
    for m in MODULES[1:]:
        shutil.copy(wb.path, folder / m.assignment / FILENAME)
    return folder


def bench_execution(tmp: Path) -> None:
    folder = course_copy(tmp)
    bare = bare_notebook(folder)
    base = statistics.median(execute(bare) for _ in range(3))
    print(f"\nExecuting each source notebook (nbclient, complete example workbook); "
          f"baseline: a bare notebook = {base:.2f} s")
    total, worst = 0.0, 0.0
    for s in SUBMODULES:
        seconds = execute(folder / s.path)
        total += seconds
        worst = max(worst, seconds)
        flag = "ok" if seconds < TARGET_S else "OVER 10 s"
        print(f"  {s.id:<4} {s.notebook:<26} {seconds:6.2f} s   x{seconds / base:5.2f}   {flag}")
    print(f"  whole course (19 notebooks, one after another): {total:.1f} s "
          f"(x{total / base:.1f} of one bare notebook); slowest {worst:.2f} s")


def bench_autograde(tmp: Path) -> None:
    root = tmp / "project"
    (root / "course").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "course" / "source", root / "course" / "source")
    # the baseline assignment: one bare notebook
    (root / "course" / "source" / "bare").mkdir()
    bare_notebook(root / "course" / "source" / "bare")
    wb_file = tmp / "wb" / FILENAME
    example_workbook(Workbook.open(wb_file))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    assignments = [m.assignment for m in MODULES] + ["bare"]
    for name in assignments:
        result = nbgrader("generate_assignment", name, "--force", root=root)
        assert result.returncode == 0, result.stderr[-2000:]
        sub = root / "course" / "submitted" / "learner" / name
        sub.mkdir(parents=True)
        for nb in (root / "course" / "source" / name).glob("*.ipynb"):
            shutil.copy(nb, sub)
        shutil.copy(wb_file, sub)
        (sub / "timestamp.txt").write_text(stamp, encoding="utf-8")
    times = {}
    for name in assignments:
        start = time.perf_counter()
        result = nbgrader("autograde", name, "--create", "--force", root=root)
        assert result.returncode == 0, result.stderr[-2000:]
        times[name] = time.perf_counter() - start
    base = times.pop("bare")
    print(f"\nnbgrader autograde, one learner (solutions + complete workbook); baseline: an "
          f"assignment of one bare notebook = {base:.2f} s")
    for m in MODULES:
        per = times[m.assignment] / len(m.submodules)
        print(f"  {m.assignment:<26} {times[m.assignment]:6.2f} s for {len(m.submodules)} "
              f"notebooks = {per:5.2f} s per notebook   x{per / base:5.2f}")
    print(f"  all six assignments: {sum(times.values()):.1f} s")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--autograde", action="store_true", help="also time nbgrader autograde")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_execution(Path(tmp))
        if args.autograde:
            bench_autograde(Path(tmp))


if __name__ == "__main__":
    main()
