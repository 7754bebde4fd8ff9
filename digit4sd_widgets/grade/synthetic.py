"""Synthetic learners for trying and testing the grading pipeline on the real course.

Each learner starts from the release (what a learner receives) and is saved the way a learner
sends it: a folder (or a zip file) named by the learner id, holding that learner's notebooks of
the assignment and, when the learner did the widget exercises, ``digit4sd_workbook.json``.

- ``perfect``: every code task answered with the instructor's solution, a complete workbook
  (:func:`digit4sd_widgets.examples.example_workbook`) in which the data questions have no
  answer: the code gives them (the analyst's route);
- ``widgets``: no code at all (the release untouched), a complete workbook in which the data
  questions were answered in their boxes (the route of a learner who does not code);
- ``partial``: the first code task of each notebook answered, a workbook with the quizzes only;
- ``empty``: the release untouched, no workbook;
- ``tampering``: no workbook; in the first notebook the first code task is answered and its test
  deleted, in the second a test is replaced by ``print("ok")`` and its points raised, another test
  is switched off as a grade cell, and in the third a read-only text cell is rewritten;
- ``looping``: a perfect learner whose first code task never ends (``while True: pass``);
- ``corrupt``: a perfect learner whose first notebook was cut short in transit.

>>> sorted(KINDS)
['corrupt', 'empty', 'looping', 'partial', 'perfect', 'tampering', 'widgets']
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import nbformat

from ..course import course_dir, module
from ..course.translate import translate_notebook
from ..workbook import ENV_VAR, FILENAME, Workbook

KINDS = ("perfect", "widgets", "partial", "empty", "tampering", "looping", "corrupt")
_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
_DATA_ANSWER = re.compile(r"""data_answer\(\s*["']([^"'/]+)/([A-Za-z_]\w*)["']""")


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _is_answer(cell) -> bool:
    meta = _meta(cell)
    return cell.cell_type == "code" and bool(meta.get("solution")) and not meta.get("grade")


def solved(release_nb, source_nb):
    """The release notebook with every code task answered as in the source (the solution)."""
    answers = {_meta(c)["grade_id"]: _SOLUTION.sub("", c.source)
               for c in source_nb.cells if _is_answer(c)}
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        if _is_answer(cell) and _meta(cell)["grade_id"] in answers:
            cell.source = answers[_meta(cell)["grade_id"]]
    return nb


def _answer_ids(nb) -> list[str]:
    return [_meta(c)["grade_id"] for c in nb.cells if _is_answer(c)]


def _solution_names(cell) -> set[str]:
    """The names a solution cell assigns (its code route's answers)."""
    import ast

    try:
        tree = ast.parse(_SOLUTION.sub("", cell.source))
    except SyntaxError:
        return set()
    return {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


#: exercises with a code route of their own: the variables their ``take`` stores
CODE_ROUTES = {"name_matching": {"matches"}}
_LOAD_ANSWER = re.compile(r"""load_answer\(\s*["'][^"'/]+/([a-z_]+)["']""")


def data_questions_read(cell) -> set[str]:
    """The answers of a code route that a test cell grades, by the variable that sets them:
    data questions (``data_answer("<sub>/<id>")``) and the exercises of ``CODE_ROUTES``."""
    read = {m.group(2) for m in _DATA_ANSWER.finditer(cell.source)}
    for m in _LOAD_ANSWER.finditer(cell.source):
        read |= CODE_ROUTES.get(m.group(1), set())
    return read


def _needs_other_work(cell) -> bool:
    """Whether a test cell also reads saved answers that no code route gives (the case
    country is not one: the course's questions fall back to an example country)."""
    kinds = {m.group(1) for m in _LOAD_ANSWER.finditer(cell.source)}
    return bool(kinds - set(CODE_ROUTES))


def data_answers(assignment: str, root: Path | None = None, country: str = "NPL"
                 ) -> list[tuple[str, str, dict]]:
    """The data questions of ``assignment`` answered as the instructor's solutions answer
    them, as (key, kind, stored) for a workbook: each source notebook is run in a scratch
    folder and its saving cells store the answers, exactly as in a learner's notebook."""
    import tempfile

    from nbclient import NotebookClient

    from ..examples import example_workbook

    course = course_dir(root)
    found: list[tuple[str, str, dict]] = []
    for sub in module(assignment).submodules:
        with tempfile.TemporaryDirectory(prefix="digit4sd-answers-") as tmp:
            wb = Workbook.open(Path(tmp) / FILENAME, siblings=False)
            example_workbook(wb, country=country)
            nb = nbformat.read(course / "source" / sub.path, as_version=4)
            # the kernel uses this workbook only (no answers from neighbouring folders)
            before = os.environ.get(ENV_VAR)
            os.environ[ENV_VAR] = str(Path(tmp) / FILENAME)
            try:
                NotebookClient(nb, timeout=300, allow_errors=True, kernel_name="python3",
                               resources={"metadata": {"path": tmp}}).execute()
            finally:
                if before is None:
                    os.environ.pop(ENV_VAR, None)
                else:
                    os.environ[ENV_VAR] = before
            done = Workbook.open(Path(tmp) / FILENAME, siblings=False)
            key = f"{sub.id}/data_tasks"
            if done.get(key) is not None:
                found.append((key, "data_tasks", done.get(key)))
    return found


def _workbook(path: Path, country: str, quizzes_only: bool = False,
              data: list[tuple[str, str, dict]] | None = None) -> None:
    from ..examples import example_answers, example_workbook

    wb = Workbook.open(path, siblings=False)
    if not quizzes_only:
        example_workbook(wb, country=country)
        for key, kind, stored in data or ():
            wb.set(key, kind, stored)
        return
    for key, kind, stored in example_answers(country):
        if kind == "quiz":
            wb.set(key, kind, stored)


def make_learner(kind: str, dest: Path, assignment: str, root: Path | None = None,
                 country: str = "NPL", as_zip: bool = False, lang: str = "en") -> Path:
    """Write the submission of a synthetic learner of ``kind`` as ``dest`` (a folder), or
    ``dest`` + ``.zip`` when ``as_zip``; return the path written. ``lang``: a learner who
    works in another language: the notebooks as that language's release
    (:func:`~digit4sd_widgets.course.translate.translate_notebook`), the workbook saying it."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    course = course_dir(root)
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=False)
    subs = module(assignment).submodules
    for index, sub in enumerate(subs):
        release = nbformat.read(course / "release" / sub.path, as_version=4)
        source = nbformat.read(course / "source" / sub.path, as_version=4)
        nb = nbformat.from_dict(release)
        if kind in ("perfect", "looping", "corrupt"):
            nb = solved(release, source)
        elif kind == "partial":
            first = _answer_ids(release)[:1]
            full = solved(release, source)
            nb.cells = [f if _meta(f).get("grade_id") in first else r
                        for r, f in zip(release.cells, full.cells, strict=True)]
        elif kind == "tampering":
            _tamper(nb, release, source, index)
        if kind == "looping" and index == 0:
            first = _answer_ids(nb)[0]
            for cell in nb.cells:
                if _meta(cell).get("grade_id") == first:
                    cell.source = "while True:\n    pass"
        path = folder / f"{sub.notebook}.ipynb"
        nbformat.write(translate_notebook(nb, lang), path)
        if kind == "corrupt" and index == 0:
            text = path.read_text(encoding="utf-8")
            path.write_text(text[: len(text) // 2], encoding="utf-8")
    if kind in ("perfect", "looping", "corrupt"):
        _workbook(folder / FILENAME, country)
    elif kind == "widgets":
        _workbook(folder / FILENAME, country, data=data_answers(assignment, root, country))
    elif kind == "partial":
        _workbook(folder / FILENAME, country, quizzes_only=True)
    if lang != "en":
        Workbook.open(folder / FILENAME, siblings=False).set_language(lang)
    if not as_zip:
        return folder
    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    shutil.rmtree(folder)
    return archive


def _tamper(nb, release, source, index: int) -> None:
    """The edits of the ``tampering`` learner (see the module's docstring)."""
    tests = [c for c in nb.cells if _meta(c).get("grade") and not _meta(c).get("solution")]
    if index == 0:
        full = solved(release, source)
        first = _answer_ids(release)[0]
        answered = {_meta(c).get("grade_id"): c for c in full.cells}
        for cell in nb.cells:
            if _meta(cell).get("grade_id") == first:
                cell.source = answered[first].source
        names = _solution_names(next(c for c in source.cells
                                     if _meta(c).get("grade_id") == first))
        graded = next(c for c in tests if data_questions_read(c) & names)
        nb.cells = [c for c in nb.cells if c is not graded]  # a test of that task
    elif index == 1:
        tests[0].source = 'print("ok")'
        tests[0].metadata["nbgrader"]["points"] = 20
        tests[1].source = "pass"
        tests[1].metadata["nbgrader"]["grade"] = False
    else:
        text = next(c for c in nb.cells
                    if c.cell_type == "markdown" and _meta(c).get("locked")
                    and not _meta(c).get("task") and _meta(c).get("grade_id", "").endswith("03"))
        text.source = "Nothing to read here."


def expected_auto_scores(kind: str, assignment: str, root: Path | None = None
                         ) -> dict[str, dict[str, float]]:
    """{notebook: {grade id: auto score}} that nbgrader should give a learner of ``kind``
    (code test cells only), read off the release: the rules the kinds above are built on."""
    course = course_dir(root)
    out: dict[str, dict[str, float]] = {}
    for index, sub in enumerate(module(assignment).submodules):
        nb = nbformat.read(course / "release" / sub.path, as_version=4)
        source = nbformat.read(course / "source" / sub.path, as_version=4)
        solutions = [c for c in source.cells if _is_answer(c)]
        first = _solution_names(solutions[0]) if solutions else set()
        scores: dict[str, float] = {}
        for cell in nb.cells:
            meta = _meta(cell)
            if not (meta.get("grade") and cell.cell_type == "code" and not meta.get("solution")):
                continue
            points = float(meta["points"])
            quiz = meta["grade_id"].endswith("-quiz")
            read = data_questions_read(cell)
            # a test of the first code task: every question it grades is answered there, and
            # it needs no other saved answer (a question on the learner's own gap analysis
            # needs that analysis in the workbook)
            needs_work = _needs_other_work(cell)
            tests_first = bool(read) and read <= first
            by_code_alone = tests_first and not needs_work
            full = {
                "perfect": True,
                "widgets": True,
                "empty": False,
                "corrupt": index != 0,  # the whole learner is refused at collect, see tests
                "partial": quiz or by_code_alone,  # its workbook holds the quizzes only
                "looping": not (index == 0 and tests_first),
                "tampering": index == 0 and by_code_alone,  # it has no workbook
            }[kind]
            scores[meta["grade_id"]] = points if full else 0.0
        out[sub.notebook] = scores
    return out
