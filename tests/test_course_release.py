"""The course: 19 notebooks in six nbgrader assignments, a committed release with no drift
and no leaks, notebooks that execute (nbval, papermill), and a real nbgrader round trip."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from digit4sd_widgets.course import MODULES, SUBMODULES
from digit4sd_widgets.course.data_tasks import tasks_for
from digit4sd_widgets.course.release import generate_release, leaks, release_fingerprint
from digit4sd_widgets.examples import example_workbook
from digit4sd_widgets.exercises.data_tasks import DataTasksModel
from digit4sd_widgets.grade.synthetic import data_questions_read
from digit4sd_widgets.workbook import FILENAME, Workbook

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "course" / "source"
RELEASE = ROOT / "course" / "release"
WIDGET = "application/vnd.jupyter.widget-view+json"


#: the submodules with a written reflection (3 points each, graded by hand)
REFLECTIONS = {"1.1", "2.4", "3.1", "3.3", "4.1", "4.2", "5.1", "5.2", "6.3"}


def source_notebooks() -> list[Path]:
    return [SOURCE / s.path for s in SUBMODULES]


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


# ------------------------------------------------------------------------- structure
def test_six_assignments_nineteen_notebooks_in_course_order():
    assignments = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
    assert assignments == [m.assignment for m in MODULES]
    for m in MODULES:
        files = sorted(p.name for p in (SOURCE / m.assignment).glob("*.ipynb"))
        assert files == [f"{s.notebook}.ipynb" for s in m.submodules]
    assert len(source_notebooks()) == 19
    for path in source_notebooks():
        assert " " not in str(path.relative_to(ROOT))


@pytest.mark.parametrize("sub", SUBMODULES, ids=lambda s: s.id)
def test_each_notebook_has_the_house_structure(sub):
    nb = nbformat.read(SOURCE / sub.path, as_version=4)
    cells = nb.cells
    first = cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {sub.id} ")
    assert "By the end you will be able to" in first.source
    params = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "country = None" in params[0].source
    code = [c for c in cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit no outputs"
    assert "widgets" not in nb.metadata, "no stored widget state in the source"
    kinds = [nbgrader_meta(c) for c in cells]
    solutions = [m for m in kinds if m.get("solution") and not m.get("grade")]
    tests = [m for m in kinds if m.get("grade") and not m.get("solution")]
    tasks = [m for m in kinds if m.get("task")]
    assert tests, "autograder tests"
    # fewer, better reflections: one or two a module, more in the core modules 3 to 5
    reflections = [m for m in tasks if m["grade_id"].endswith("-reflection")]
    assert bool(reflections) == (sub.id in REFLECTIONS), sub.id
    if tasks_for(sub.id):
        # data questions: boxes for everyone, and a code route that stores the same answers
        assert solutions, "a code route for the data questions"
        assert any(f'DataTasks("{sub.id}")' in c.source for c in code)
        assert any("take(globals())" in c.source for c in code)
        read = {q for c in code if nbgrader_meta(c).get("grade")
                for q in data_questions_read(c)}
        assert read == {t.id for t in tasks_for(sub.id)}, "every data question is graded"
    for c in cells:
        meta = nbgrader_meta(c)
        if meta.get("grade") and not meta.get("solution"):
            assert "### BEGIN HIDDEN TESTS" in c.source, meta["grade_id"]
        if meta.get("task"):
            scheme = c.source.split("=== BEGIN MARK SCHEME ===", 1)[-1]
            assert "=== BEGIN MARK SCHEME ===" in c.source, meta["grade_id"]
            assert "Grade the content, not the English" in scheme, meta["grade_id"]
            assert "Model answer" in scheme, meta["grade_id"]
            if meta["points"] == 3:
                assert all(f"- {n} point" in scheme for n in range(4)), meta["grade_id"]
    ids = [m["grade_id"] for m in kinds if m]
    assert len(ids) == len(set(ids))
    assert any(f'Quiz("{sub.id}")' in c.source for c in code), "a knowledge check"
    assert any("load_answer(" in c.source or "submitted_workbook(" in c.source
               for c in code), "a graded check of a saved widget answer"
    last = cells[-1]
    assert last.cell_type == "markdown" and "Summary" in last.source


# ------------------------------------------------------------------------- release
def test_release_has_no_instructor_material():
    assert leaks(RELEASE) == []
    for path in RELEASE.rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in nb.get("metadata", {}), path


def make_project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "course").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(SOURCE, root / "course" / "source")
    return root


@pytest.mark.slow
def test_release_is_regenerated_without_drift(tmp_path):
    root = make_project_copy(tmp_path)
    generate_release(root)
    fresh = release_fingerprint(root / "course" / "release")
    committed = release_fingerprint(RELEASE)
    assert sorted(fresh) == sorted(committed), "release files differ from the source"
    drifted = [name for name in fresh if fresh[name] != committed[name]]
    assert not drifted, f"course/release is stale for {drifted}: regenerate and commit it"


# ------------------------------------------------------------------------- execution
def course_copy_with_workbooks(tmp_path: Path, country: str) -> Path:
    folder = tmp_path / f"course-{country}"
    shutil.copytree(SOURCE, folder)
    wb = example_workbook(Workbook.open(folder / MODULES[0].assignment / FILENAME),
                          country=country)
    for m in MODULES[1:]:
        shutil.copy(wb.path, folder / m.assignment / FILENAME)
    return folder


@pytest.mark.slow
def test_source_notebooks_run_clean_under_nbval(tmp_path):
    folder = course_copy_with_workbooks(tmp_path, "BGD")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
         "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
         "--nbval-cell-timeout=120", str(folder)],
        capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:]
    assert re.search(r"\b\d+ passed\b", result.stdout)


def papermill_run(src: Path, out: Path, country: str) -> str | None:
    # one process per run: papermill changes the working directory of its process
    result = subprocess.run(
        [sys.executable, "-m", "papermill", str(src), str(out), "-p", "country", country,
         "--cwd", str(src.parent), "--execution-timeout", "120", "--no-progress-bar"],
        capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        return f"{src.name} [{country}]: {result.stderr[-800:]}"
    nb = nbformat.read(out, as_version=4)
    shown = sum(1 for c in nb.cells for o in c.get("outputs", []) if WIDGET in o.get("data", {}))
    return None if shown else f"{src.name} [{country}]: no widget shown"


@pytest.mark.slow
@pytest.mark.parametrize("country", ["ETH", "FJI"])  # an LDC (and LLDC), a SIDS
def test_source_notebooks_run_under_papermill_for_other_countries(tmp_path, country):
    folder = course_copy_with_workbooks(tmp_path, country)
    jobs = [(folder / s.path, tmp_path / "out" / s.path) for s in SUBMODULES]
    for _, out in jobs:
        out.parent.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for p in pool.map(lambda j: papermill_run(*j, country), jobs) if p]
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------- nbgrader
def nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    from digit4sd_widgets.course.release import nbgrader as run

    result = run(*args, root=root, timeout=1800)
    assert result.returncode == 0, result.stderr[-4000:]
    return result


def submit(root: Path, student: str, assignment: str, files: list[Path]) -> Path:
    folder = root / "course" / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    return folder


def hidden_test_lines() -> set[str]:
    """Lines that appear only inside hidden tests (not anywhere a learner may see them)."""
    hidden_lines, visible_lines = set(), set()
    for path in source_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            text = cell.source
            while "### BEGIN HIDDEN TESTS" in text:
                before, rest = text.split("### BEGIN HIDDEN TESTS", 1)
                hidden, _, text = rest.partition("### END HIDDEN TESTS")
                visible_lines |= {ln.strip() for ln in before.splitlines()}
                hidden_lines |= {ln.strip() for ln in hidden.splitlines() if len(ln.strip()) > 20}
            visible_lines |= {ln.strip() for ln in text.splitlines()}
    visible_text = "\n".join(visible_lines)
    return {line for line in hidden_lines if line not in visible_text}


@pytest.mark.slow
def test_nbgrader_round_trip_on_the_real_course(tmp_path):
    from nbgrader.api import Gradebook

    root = make_project_copy(tmp_path)
    shutil.copytree(RELEASE, root / "course" / "release")
    for m in MODULES:
        nbgrader(root, "generate_assignment", m.assignment, "--force")
    wb_file = root / "perfect-workbook" / FILENAME
    example_workbook(Workbook.open(wb_file), country="NPL")
    for m in MODULES:
        released = sorted((root / "course" / "release" / m.assignment).glob("*.ipynb"))
        solved = sorted((root / "course" / "source" / m.assignment).glob("*.ipynb"))
        submit(root, "untouched", m.assignment, released)
        submit(root, "perfect", m.assignment, [*solved, wb_file])
    for m in MODULES:
        nbgrader(root, "autograde", m.assignment, "--create")

    # a learner who writes no code: the release untouched, and the data questions answered in
    # their boxes, typed as a person reads them (numbers to the decimals asked), with the
    # answers the analyst's code stored when it was graded
    boxes_file = root / "boxes-workbook" / FILENAME
    boxes = Workbook.open(boxes_file)
    example_workbook(boxes, country="NPL")
    typed = 0
    for m in MODULES:
        graded = Workbook.open(root / "course" / "autograded" / "perfect" / m.assignment
                               / FILENAME, siblings=False)
        for s in m.submodules:
            if not tasks_for(s.id):
                continue
            stored = graded.get(f"{s.id}/data_tasks")
            assert stored, f"{s.id}: the code route stored no data answer"
            by_code = DataTasksModel.from_dict(stored)
            assert by_code.completeness().complete, f"{s.id}: {by_code.completeness()}"
            by_hand = DataTasksModel(s.id)
            for task in by_code.tasks:
                by_hand = by_hand.with_answer(task.id, by_code.shown(task.id))
                typed += 1
            boxes.set(f"{s.id}/data_tasks", "data_tasks", by_hand.to_dict())
    assert typed >= 19
    for m in MODULES:
        released = sorted((root / "course" / "release" / m.assignment).glob("*.ipynb"))
        submit(root, "boxes", m.assignment, [*released, boxes_file])
        nbgrader(root, "autograde", m.assignment, "--student", "boxes")

    db = f"sqlite:///{root / 'course' / 'gradebook.db'}"
    with Gradebook(db, "digit4sd") as gb:
        for m in MODULES:
            for s in m.submodules:
                for student, full in (("untouched", False), ("perfect", True),
                                      ("boxes", True)):
                    nb = gb.find_submission_notebook(s.notebook, m.assignment, student)
                    auto = [g for g in nb.grades if g.cell_type == "code"
                            and g.auto_score is not None]
                    assert auto, f"{s.id}: no autograded cell"
                    got = sum(g.auto_score for g in auto)
                    best = sum(g.max_score for g in auto)
                    if full:
                        assert got == best, f"{s.id} {student}: {got} of {best}"
                    else:
                        assert got == 0, f"{s.id} {student}: {got} of {best}"

    for m in MODULES:
        nbgrader(root, "generate_feedback", m.assignment)
    feedback = list((root / "course" / "feedback").rglob("*.html"))
    assert len(feedback) == 3 * len(SUBMODULES)
    secret = hidden_test_lines()
    assert secret
    for page in feedback:
        text = page.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text, page
        assert "MARK SCHEME" not in text, page
        import html as _html

        unescaped = _html.unescape(re.sub(r"<[^>]+>", "", text))
        shown = [ln for ln in secret if ln in unescaped]
        assert not shown, f"{page.name} shows hidden tests: {shown[:2]}"
