"""Check course notebooks the way the course's tests do, one notebook at a time.

Usage: python scripts/check_notebook.py course/source/m3_planning_analysis/3_2_stakeholders.ipynb
           [--country ETH]

1. Solution run: the source notebook, executed in a scratch folder that holds a complete
   example workbook for the country: every cell must run without error.
2. Learner run: the learner's version (solutions and hidden tests removed by nbgrader's own
   preprocessors), executed with no workbook: only graded cells may fail, and every
   exercise cell must show a widget.
Prints the time of each run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from digit4sd_widgets.examples import example_workbook
from digit4sd_widgets.workbook import FILENAME, Workbook

WIDGET = "application/vnd.jupyter.widget-view+json"


def set_parameter(nb, name: str, value) -> None:
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source += f"\n{name} = {value!r}"
            return
    raise SystemExit("no parameters cell")


def run(nb, folder: Path, allow_errors: bool) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def learner_version(nb):
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions

    nb = nbformat.from_dict(nb)
    for pre in (ClearSolutions(), ClearHiddenTests(), ClearMarkScheme()):
        nb, _ = pre.preprocess(nb, {})
    return nb


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("notebook", type=Path)
    p.add_argument("--country", default=None)
    args = p.parse_args()
    source = nbformat.read(args.notebook, as_version=4)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "course" / "module"
        folder.mkdir(parents=True)
        example_workbook(Workbook.open(folder / FILENAME), country=args.country or "BGD")
        nb = nbformat.from_dict(source)
        if args.country:
            set_parameter(nb, "country", args.country)
        try:
            seconds = run(nb, folder, allow_errors=False)
            print(f"solution run: ok in {seconds:.1f} s")
        except CellExecutionError as exc:
            failures += 1
            print(f"solution run: FAILED\n{str(exc)[-3000:]}")
        shutil.rmtree(folder)
        folder.mkdir()
        nb = learner_version(source)
        seconds = run(nb, folder, allow_errors=True)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            graded = cell.metadata.get("nbgrader", {})
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if errors and not (graded.get("grade") or graded.get("solution")):
                failures += 1
                print(f"learner run: an ungraded cell fails:\n{cell.source[:300]}\n"
                      f"{errors[0].ename}: {errors[0].evalue}")
            calls_widget = any(name in cell.source for name in ("()", "(country"))
            if graded.get("locked") and calls_widget and "import" not in cell.source \
                    and not any(WIDGET in o.get("data", {}) for o in cell.outputs) \
                    and not graded.get("grade"):
                print(f"note: this cell shows no widget:\n{cell.source[:200]}")
        print(f"learner run: done in {seconds:.1f} s")
        if (folder / FILENAME).exists():
            failures += 1
            print("learner run: running the notebook wrote a workbook (it must not)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
