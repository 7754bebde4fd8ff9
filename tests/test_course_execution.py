"""A notebook that uses every exercise runs to the end, headless, under nbconvert and
papermill: nothing waits on a browser, nothing hangs, no error output."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from digit4sd_widgets import _EXPORTS

EXERCISE_CALLS = [f"{name}()" for name in _EXPORTS if name not in {"Workbook"}]


def make_notebook(path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('country = None\nlearner = "demo"')
    params.metadata["tags"] = ["parameters"]
    cells = [params, nbformat.v4.new_code_cell("import digit4sd_widgets as d4")]
    for call in EXERCISE_CALLS:
        cells.append(nbformat.v4.new_code_cell(f"d4.{call}"))
    cells.append(nbformat.v4.new_code_cell(
        "d4.CountryExplorer(country=country) if country else d4.CountryExplorer()"))
    cells.append(nbformat.v4.new_code_cell(
        "from digit4sd_widgets.workbook import Workbook\n"
        "print('workbook at', Workbook.default_path().name)"))
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def widget_outputs(nb) -> int:
    return sum(1 for cell in nb.cells for out in cell.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in out.get("data", {}))


def errors(nb) -> list:
    return [out for cell in nb.cells for out in cell.get("outputs", [])
            if out.get("output_type") == "error"
            or (out.get("name") == "stderr" and "Traceback" in out.get("text", ""))]


@pytest.mark.slow
def test_runs_under_nbconvert(tmp_path):
    src = make_notebook(tmp_path / "all.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--ExecutePreprocessor.timeout=120", "--output", "done.ipynb", str(src)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    nb = nbformat.read(tmp_path / "done.ipynb", as_version=4)
    assert errors(nb) == []
    assert widget_outputs(nb) == len(EXERCISE_CALLS) + 1
    # executing the exercises saved nothing: only accepted changes write the workbook
    assert not (tmp_path / "digit4sd_workbook.json").exists()


@pytest.mark.slow
def test_runs_under_papermill_for_another_country(tmp_path):
    src = make_notebook(tmp_path / "all.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "papermill", str(src), str(tmp_path / "eth.ipynb"),
         "-p", "country", "ETH", "--execution-timeout", "120", "--no-progress-bar"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    nb = nbformat.read(tmp_path / "eth.ipynb", as_version=4)
    assert errors(nb) == []
    last_widget = next(c for c in nb.cells if "CountryExplorer(country=country)" in c.source)
    state = json.dumps(nb.metadata.get("widgets", {}))
    assert last_widget.outputs and "Ethiopia" in state
