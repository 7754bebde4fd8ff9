"""A hostile class, graded for real: learner code that attacks the gradebook, the instructor's
files, other learners and the hidden tests; hooks that change how IPython runs cells; answers
that carry nbgrader's markers; a graded cell of the learner's own; a workbook nested 200,000
levels deep. Module 3, on a scratch copy of the course, with nbgrader's own autograde."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import os
import re
import zipfile
import zlib
from pathlib import Path

import nbformat
import pytest

from digit4sd_widgets.grade import common as grade_common
from digit4sd_widgets.grade import export as grade_export
from digit4sd_widgets.grade import feedback as grade_feedback
from digit4sd_widgets.grade import release as grade_release
from digit4sd_widgets.grade.autograde import autograde
from digit4sd_widgets.grade.collect import collect
from digit4sd_widgets.grade.sandbox import problem
from digit4sd_widgets.grade.synthetic import make_learner
from digit4sd_widgets.workbook import FILENAME
from tests.test_grade_pipeline import (
    CELL_TIMEOUT,
    NOTEBOOKS,
    A,
    hidden_lines,
    meta,
    project,
    set_answer,
)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    problem() is not None and os.environ.get("DIGIT4SD_REQUIRE_SANDBOX") != "1",
    reason=f"no sandbox here: {problem()}")]

WIPER = '''
import base64, os, sqlite3, zlib
ROOT = {root!r}
report = []
for db in (os.environ.get("PWD", ".") + "/course/gradebook.db", ROOT + "/course/gradebook.db"):
    try:
        con = sqlite3.connect("file:" + db + "?mode=rw", uri=True)
        con.execute("update grade set manual_score=0")
        con.commit()
        report.append("WIPED " + db)
    except Exception as exc:
        report.append("gradebook blocked: " + type(exc).__name__)
try:
    source = open(ROOT + "/course/source/{a}/3_2_stakeholders.ipynb").read()
    print("LEAK " + base64.b64encode(zlib.compress(source.encode())).decode())
except Exception as exc:
    report.append("source blocked: " + type(exc).__name__)
OTHER = ROOT + "/course/submitted/honest/{a}/3_1_target_areas.ipynb"
for target in (ROOT + "/course/PWNED", OTHER):
    try:
        open(target, "w").write("pwned")
        report.append("WROTE " + target)
    except Exception as exc:
        report.append("write blocked: " + type(exc).__name__)
try:
    import socket
    socket.create_connection(("10.0.0.1", 80), timeout=2)
    report.append("NETWORK")
except Exception as exc:
    report.append("network blocked: " + type(exc).__name__)
print(" | ".join(report))
'''

TRANSFORMER = '''
def _swallow(lines):
    body = ["    " + line for line in lines]
    return ["try:\\n", *body, "\\nexcept BaseException:\\n", "    pass\\n"]
get_ipython().input_transformers_post.append(_swallow)
'''

SPY = '''
import base64, zlib
def _spy(info):
    print("SPY " + base64.b64encode(zlib.compress(info.raw_cell.encode())).decode())
get_ipython().events.register("pre_run_cell", _spy)
'''

PATCHER = '''
import digit4sd_widgets.grading as g
class _Yes:
    def __getattr__(self, name):
        return lambda *a, **k: self
    complete = True
    missing = []
    def score(self):
        return 3
g.load_answer = lambda *a, **k: _Yes()
'''


def add_first_cell(folder: Path, source: str) -> None:
    for name in NOTEBOOKS:
        path = folder / f"{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(source))
        nbformat.write(nb, path)


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("hostile")
    root = project(tmp)
    grade_release.release(root, A)
    inbox = tmp / "inbox"
    honest = make_learner("perfect", inbox / "honest", A, root)
    workbook = honest / FILENAME
    workbook.write_bytes(b"\xef\xbb\xbf" + workbook.read_bytes())  # saved with a BOM
    wiper = make_learner("empty", inbox / "wiper", A, root)
    set_answer(wiper, "3_1_target_areas", "s3_1-ldc-gaps", WIPER.format(root=str(root), a=A))
    add_first_cell(make_learner("empty", inbox / "transformer", A, root), TRANSFORMER)
    add_first_cell(make_learner("empty", inbox / "spy", A, root), SPY)
    add_first_cell(make_learner("empty", inbox / "patcher", A, root), PATCHER)
    markers = make_learner("perfect", inbox / "markers", A, root)
    for name, marker in (("3_2_stakeholders", "# BEGIN HIDDEN TESTS"),
                         ("3_3_indicators", "# BEGIN SOLUTION\n# BEGIN MARK SCHEME")):
        nb = nbformat.read(markers / f"{name}.ipynb", as_version=4)
        answer = next(c for c in nb.cells if meta(c).get("solution") and c.cell_type == "code")
        answer.source = f"{marker}\n{answer.source}"  # still the right answer
        nbformat.write(nb, markers / f"{name}.ipynb")
    extra = make_learner("partial", inbox / "extra", A, root)
    path = extra / "3_1_target_areas.ipynb"
    nb = nbformat.read(path, as_version=4)
    mine = nbformat.v4.new_code_cell("assert True")
    mine.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "points": 50, "grade_id": "my-own", "schema_version": 3}
    nb.cells.append(mine)
    nbformat.write(nb, path)
    deep = make_learner("empty", inbox / "deep", A, root)
    (deep / FILENAME).write_text("[" * 200_000 + "]" * 200_000)

    collected = collect(A, inbox, root=root)
    first = autograde(A, root=root, learners=["honest"], timeout=CELL_TIMEOUT, progress=False)
    with Gradebook(grade_common.db_url(root), "digit4sd") as gb:
        reflection = gb.find_grade("s3_1-reflection", "3_1_target_areas", A, "honest")
        reflection.manual_score = 2.5
        reflection.needs_manual_grade = False
        gb.db.commit()
    before = {"source": tree_hash(root / "course" / "source"),
              "honest": tree_hash(root / "course" / "submitted" / "honest")}
    graded = autograde(A, root=root, workers=2, timeout=CELL_TIMEOUT, progress=False)
    fed = grade_feedback.feedback(A, root)
    return {"root": root, "collected": collected, "first": first, "graded": graded,
            "before": before, "feedback": fed}


def scores(root: Path, learner: str) -> dict[str, float | None]:
    from nbgrader.api import Gradebook

    with Gradebook(grade_common.db_url(root), "digit4sd") as gb:
        return {g.name: g.auto_score for nb in gb.find_submission(A, learner).notebooks
                for g in nb.grades if g.cell_type == "code"}


def outputs_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(str(o.get("text", "")) + str(o.get("evalue", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_collect_refuses_a_workbook_nested_too_deep_and_takes_the_rest(hostile):
    report = hostile["collected"]
    reasons = dict(report.refused)
    assert list(reasons) == ["deep"], report.lines()
    assert "nested too deeply" in reasons["deep"]
    assert sorted(report.collected) == ["extra", "honest", "markers", "patcher", "spy",
                                        "transformer", "wiper"]
    assert hostile["first"].result("honest").score == 20  # its workbook has a BOM


def test_learner_code_reaches_no_gradebook_no_instructor_file_no_other_learner(hostile):
    from nbgrader.api import Gradebook

    root = hostile["root"]
    with Gradebook(grade_common.db_url(root), "digit4sd") as gb:
        kept = gb.find_grade("s3_1-reflection", "3_1_target_areas", A, "honest")
        assert kept.manual_score == 2.5
    assert not (root / "course" / "PWNED").exists()
    assert tree_hash(root / "course" / "source") == hostile["before"]["source"]
    assert tree_hash(root / "course" / "submitted" / "honest") == hostile["before"]["honest"]
    # what the wiper's code saw, in its own feedback notebook
    seen = outputs_text(root / "course" / "autograded" / "wiper" / A / "3_1_target_areas.ipynb")
    assert seen.count("gradebook blocked") == 2 and "WIPED" not in seen, seen
    assert "source blocked" in seen and "LEAK" not in seen
    assert seen.count("write blocked") == 2 and "WROTE" not in seen
    assert "network blocked" in seen and "NETWORK" not in seen
    assert hostile["graded"].result("wiper").ok


def test_hooks_that_change_how_cells_run_score_zero_and_are_reported(hostile):
    report = hostile["graded"]
    text = "\n".join(report.lines())
    for learner, what in (("transformer", "input_transformers_post"),
                          ("spy", "'pre_run_cell' event"),
                          ("patcher", "digit4sd_widgets.grading.load_answer")):
        result = report.result(learner)
        assert result.ok and result.score == 0, (learner, result)
        assert set(result.tampering) == set(NOTEBOOKS), (learner, result.tampering)
        lines = [ln for ln in text.splitlines() if ln.strip().startswith(
            f"TAMPERING  {learner},")]
        assert len(lines) == 3 and all("changed how Python runs cells before test cells"
                                       in ln and what in ln and "scored 0" in ln
                                       for ln in lines), lines
    honest = [ln for ln in text.splitlines() if "TAMPERING" in ln and any(
        f" {s}," in ln for s in ("honest", "wiper", "markers"))]
    assert honest == [], honest


def test_no_feedback_carries_hidden_tests_even_encoded(hostile):
    root = hostile["root"]
    secret = hidden_lines(root)
    fed = hostile["feedback"]
    assert fed.problems == [], fed.problems
    assert sorted(p.stem for p in fed.zips) == ["extra", "honest", "markers", "patcher", "spy",
                                                "transformer", "wiper"]
    for path in fed.zips:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                page = html.unescape(re.sub(r"<[^>]+>", "", zf.read(name).decode("utf-8")))
                decoded = []
                for blob in re.findall(r"[A-Za-z0-9+/=]{40,}", page):
                    try:
                        decoded.append(zlib.decompress(base64.b64decode(blob)).decode())
                    except Exception:
                        continue
                every = page + "\n".join(decoded)
                shown = [line for line in secret if line in every]
                assert not shown, f"{path.name}/{name} carries hidden tests: {shown[:2]}"
    spy = outputs_text(root / "course" / "autograded" / "spy" / A / "3_2_stakeholders.ipynb")
    assert "SPY " in spy  # the spy ran in the feedback run, and saw only what learners see


def test_markers_and_a_graded_cell_of_their_own_do_not_stop_anyone(hostile):
    root = hostile["root"]
    report = hostile["graded"]
    markers, extra = report.result("markers"), report.result("extra")
    assert markers.ok and markers.score == 20, markers
    assert extra.ok and extra.score == 8, extra  # a partial learner's score, no more
    assert {c["cell"] for c in extra.tampering["3_1_target_areas"]} == {"my-own"}
    assert "added graded cells my-own (graded as ordinary cells)" in "\n".join(report.lines())
    assert scores(root, "extra").get("my-own") is None
    table = grade_export.export(root, root / "grades.csv")
    rows = list(csv.DictReader(io.StringIO((root / "grades.csv").read_text("utf-8"))))
    assert {"extra", "markers"} <= {r["learner"] for r in rows}
    assert table.rows
