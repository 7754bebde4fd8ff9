"""The instructor's pipeline (``digit4sd grade``): collect's refusals on their own (fast), then
the whole pipeline once on the real course (module 3) with synthetic learners: perfect,
partial, empty, tampering, looping, corrupt, one that ignores interrupts and one that tries to
kill its grading process (from the sandbox, it cannot)."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from digit4sd_widgets.course import module
from digit4sd_widgets.course.release import leaks
from digit4sd_widgets.grade import common as grade_common
from digit4sd_widgets.grade import export as grade_export
from digit4sd_widgets.grade import feedback as grade_feedback
from digit4sd_widgets.grade import release as grade_release
from digit4sd_widgets.grade.autograde import autograde
from digit4sd_widgets.grade.collect import STAMP_FORMAT, collect
from digit4sd_widgets.grade.synthetic import make_learner
from digit4sd_widgets.grade.worker import check_integrity

ROOT = Path(__file__).resolve().parent.parent
A = "m3_planning_analysis"
NOTEBOOKS = [s.notebook for s in module(A).submodules]
CELL_TIMEOUT = 15  # seconds: ample for a normal cell on a busy machine, short for a loop


def project(tmp: Path) -> Path:
    root = tmp / "project"
    (root / "course").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "course" / "source", root / "course" / "source")
    shutil.copytree(ROOT / "course" / "release", root / "course" / "release")
    return root


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def set_answer(folder: Path, notebook: str, grade_id: str, source: str) -> None:
    path = folder / f"{notebook}.ipynb"
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if meta(c).get("grade_id") == grade_id]
    cell.source = source
    nbformat.write(nb, path)


def zip_folder(folder: Path, inner: str = "") -> Path:
    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, f"{inner}{path.name}")
    shutil.rmtree(folder)
    return archive


def refusal(report, entry: str) -> str:
    reasons = [reason for name, reason in report.refused if name == entry]
    assert reasons, f"{entry} was not refused: {report.lines()}"
    return reasons[0]


# --------------------------------------------------------------------------- collect (fast)
@pytest.fixture
def course_copy(tmp_path) -> Path:
    """A copy of the project (configuration, source, release) without a gradebook."""
    return project(tmp_path)


def test_collect_takes_zips_and_folders_into_nbgraders_layout(course_copy, tmp_path):
    root = course_copy
    from nbgrader.utils import parse_utc

    inbox = tmp_path / "inbox"
    make_learner("partial", inbox / "amina", A, root)
    zipped = zip_folder(make_learner("empty", inbox / "bo", A, root), inner="m3/")
    os.utime(zipped, (1_700_000_000, 1_700_000_000))
    report = collect(A, inbox, root=root)
    assert report.collected == ["amina", "bo"] and not report.refused
    amina = root / "course" / "submitted" / "amina" / A
    assert sorted(p.name for p in amina.iterdir()) == sorted(
        [f"{n}.ipynb" for n in NOTEBOOKS] + ["digit4sd_workbook.json", "timestamp.txt"])
    bo = root / "course" / "submitted" / "bo" / A
    stamp = (bo / "timestamp.txt").read_text(encoding="utf-8")
    assert parse_utc(stamp).timestamp() == pytest.approx(
        parse_utc("2023-11-14 22:13:20.000000 UTC").timestamp())
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC", stamp), STAMP_FORMAT
    assert "  note       bo: no digit4sd_workbook.json: the widget exercises score 0" in \
        report.lines()
    assert not list((root / "course" / "submitted").glob("*/.*incoming*"))


def test_collect_refuses_what_is_not_a_submission_of_the_assignment(course_copy, tmp_path):
    root = course_copy
    inbox = tmp_path / "inbox"
    other = inbox / "carla"  # the notebooks of module 2
    other.mkdir(parents=True)
    for nb in (root / "course" / "release" / "m2_fundamentals").glob("*.ipynb"):
        shutil.copy(nb, other)
    swapped = make_learner("empty", inbox / "dev", A, root)  # 3.2's notebook saved as 3.1
    shutil.copy(swapped / "3_2_stakeholders.ipynb", swapped / "3_1_target_areas.ipynb")
    plain = inbox / "eli"
    plain.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]),
                   plain / "3_1_target_areas.ipynb")
    (inbox / "notes.txt").write_text("not a submission", encoding="utf-8")
    make_learner("empty", inbox / "fay", A, root)
    report = collect(A, inbox, root=root)
    assert report.collected == ["fay"]
    assert "2_1_sdgs.ipynb is not a notebook of m3_planning_analysis" in refusal(report, "carla")
    assert "its cells are from 3.2 (m3_planning_analysis)" in refusal(report, "dev")
    assert "none of its graded cells belong to it" in refusal(report, "eli")
    assert "not a zip file or a folder" in refusal(report, "notes.txt")
    assert sorted(p.name for p in (root / "course" / "submitted").iterdir()) == ["fay"]


def test_collect_refuses_corrupt_files_and_goes_on(course_copy, tmp_path):
    root = course_copy
    inbox = tmp_path / "inbox"
    make_learner("corrupt", inbox / "gus", A, root, as_zip=True)
    damaged = make_learner("partial", inbox / "hana", A, root)
    (damaged / "digit4sd_workbook.json").write_text('{"format": "digit4sd-wor', "utf-8")
    (inbox / "ivo.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    make_learner("empty", inbox / "jo", A, root, as_zip=True)
    report = collect(A, inbox, root=root)
    assert report.collected == ["jo"]
    assert "3_1_target_areas.ipynb is not a readable notebook" in refusal(report, "gus.zip")
    assert "digit4sd_workbook.json is damaged" in refusal(report, "hana")
    assert "not a readable zip file" in refusal(report, "ivo.zip")
    assert any("REFUSED    gus.zip" in line for line in report.lines())


def test_collect_refuses_a_duplicate_learner(course_copy, tmp_path):
    root = course_copy
    inbox = tmp_path / "inbox"
    make_learner("empty", inbox / "kim", A, root, as_zip=True)
    make_learner("partial", inbox / "Kim", A, root)
    make_learner("empty", inbox / "lee", A, root)
    report = collect(A, inbox, root=root)
    assert report.collected == ["lee"]
    assert "two submissions for one learner (Kim, kim.zip)" in refusal(report, "kim.zip")
    assert "two submissions for one learner" in refusal(report, "Kim")
    assert not (root / "course" / "submitted" / "kim").exists()


def test_collect_refuses_paths_that_leave_the_learners_folder(course_copy, tmp_path):
    root = course_copy
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    release = root / "course" / "release" / A / "3_1_target_areas.ipynb"
    for learner, member in [("mo", "../../escaped.ipynb"), ("ned", "/absolute/escaped.ipynb"),
                            ("oz", "m3\\..\\..\\escaped.ipynb")]:
        with zipfile.ZipFile(inbox / f"{learner}.zip", "w") as zf:
            zf.write(release, "3_2_stakeholders.ipynb")
            zf.writestr(zipfile.ZipInfo(member), release.read_bytes())  # names kept as given
    linked = make_learner("empty", inbox / "pia", A, root)
    (linked / "3_3_indicators.ipynb").unlink()
    (linked / "3_3_indicators.ipynb").symlink_to(release)
    make_learner("empty", inbox / "bad id", A, root)
    report = collect(A, inbox, root=root)
    assert report.collected == []
    assert "leaves its folder" in refusal(report, "mo.zip")
    assert "unsafe path" in refusal(report, "ned.zip")
    assert "unsafe path" in refusal(report, "oz.zip")
    assert "link" in refusal(report, "pia")
    assert "not a usable learner id" in refusal(report, "bad id")
    assert not list(tmp_path.rglob("escaped.ipynb"))
    assert not (root / "course" / "submitted").exists() or \
        not list((root / "course" / "submitted").iterdir())


def test_collect_never_overwrites_silently(course_copy, tmp_path):
    root = course_copy
    first = tmp_path / "first"
    make_learner("empty", first / "quinn", A, root)
    assert collect(A, first, root=root).collected == ["quinn"]
    kept = root / "course" / "submitted" / "quinn" / A
    before = {p.name: p.read_bytes() for p in kept.iterdir()}

    assert collect(A, first, root=root).unchanged == ["quinn"]  # the same files again

    second = tmp_path / "second"
    make_learner("partial", second / "quinn", A, root)
    report = collect(A, second, root=root)
    assert "already has a submission" in refusal(report, "quinn")
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == before

    report = collect(A, second, root=root, replace=True)
    assert report.collected == ["quinn"]
    assert (kept / "digit4sd_workbook.json").is_file()
    (aside,) = (root / "course" / "submitted" / ".replaced" / "quinn").iterdir()
    assert {p.name: p.read_bytes() for p in aside.iterdir()} == before
    assert any("kept in course/submitted/.replaced/quinn/" in line for line in report.lines())


def test_integrity_check_finds_each_edit_and_puts_back_the_grading_settings(course_copy, tmp_path):
    root = course_copy
    folder = make_learner("tampering", tmp_path / "rex", A, root)
    found = {}
    for name in NOTEBOOKS:
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        release = nbformat.read(root / "course" / "release" / A / f"{name}.ipynb", as_version=4)
        found[name] = {(f["cell"], f["kind"], f["change"]) for f in check_integrity(nb, release)}
        if name == "3_2_stakeholders":
            restored = {meta(c)["grade_id"]: meta(c) for c in nb.cells if meta(c)}
            assert restored["s3_2-matrix-complete"]["points"] == 2
            assert restored["s3_2-peer-leader-tests"]["grade"] is True
    assert found["3_1_target_areas"] == {("s3_1-ldc-gaps-tests", "test", "deleted")}
    assert found["3_2_stakeholders"] == {
        ("s3_2-matrix-complete", "test", "changed"), ("s3_2-matrix-complete", "test", "settings"),
        ("s3_2-peer-leader-tests", "test", "changed"),
        ("s3_2-peer-leader-tests", "test", "settings")}
    assert found["3_3_indicators"] == {("s3_3-text-03", "read-only", "changed")}
    untouched = make_learner("partial", tmp_path / "sam", A, root)
    for name in NOTEBOOKS:
        nb = nbformat.read(untouched / f"{name}.ipynb", as_version=4)
        release = nbformat.read(root / "course" / "release" / A / f"{name}.ipynb", as_version=4)
        assert check_integrity(nb, release) == [], name


def test_offline_html_drops_scripts_and_styles_from_the_internet():
    page = ('<head><script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js'
            '?config=TeX"> </script><link rel="stylesheet" href="http://cdn.example/x.css">'
            '<script type="text/x-mathjax-config">init()</script><style>a{}</style></head>'
            '<body><a href="https://un.org">the Survey</a></body>')
    out = grade_feedback.offline_html(page)
    assert not grade_feedback.EXTERNAL_REF.search(out)
    assert "text/x-mathjax-config" in out and '<a href="https://un.org">' in out


def test_cli_explains_instead_of_a_traceback(tmp_path, course_copy):
    root = course_copy
    def run(*args, cwd):
        return subprocess.run([sys.executable, "-m", "digit4sd_widgets.cli", "grade", *args],
                              capture_output=True, text=True, timeout=120, cwd=cwd)

    outside = run("export", cwd=tmp_path)
    assert outside.returncode == 2 and "is not the project root" in outside.stderr
    unknown = run("autograde", "m9_nothing", cwd=root)
    assert unknown.returncode == 2 and "No assignment 'm9_nothing'" in unknown.stderr
    nothing = run("autograde", A, cwd=root)
    assert nothing.returncode == 1 and "no submission of m3_planning_analysis" in nothing.stderr
    no_book = run("export", cwd=root)
    assert no_book.returncode == 1 and "no gradebook yet" in no_book.stderr
    inbox = tmp_path / "inbox"
    make_learner("corrupt", inbox / "val", A, root, as_zip=True)
    refused = run("collect", A, str(inbox), cwd=root)
    assert refused.returncode == 1 and "REFUSED    val.zip" in refused.stdout
    for result in (outside, unknown, nothing, no_book, refused):
        assert "Traceback" not in result.stderr + result.stdout


# --------------------------------------------------------------------------- the pipeline
def expected_scores(kind: str) -> dict[str, dict[str, float]]:
    """{notebook: {test cell: points}} by the rules the synthetic learners are built on, for
    module 3 (tests of a code task follow it; quizzes are graded on the workbook)."""
    full = {
        "3_1_target_areas": {"s3_1-gap-analysis": 2, "s3_1-prioritisation": 2,
                             "s3_1-ldc-gaps-tests": 2, "s3_1-quiz": 1},
        "3_2_stakeholders": {"s3_2-matrix-complete": 2, "s3_2-peer-leader-tests": 2,
                             "s3_2-peers-ahead-tests": 1, "s3_2-quiz": 1},
        "3_3_indicators": {"s3_3-kpis": 3, "s3_3-pace-tests": 2, "s3_3-needed-tests": 1,
                           "s3_3-quiz": 1},
    }
    earned = {
        "perfect": lambda cell: True,
        "widgets": lambda cell: True,  # no code at all: every answer in the boxes
        "empty": lambda cell: False,
        # the first code task of each notebook and the quizzes
        # the code of each notebook's data questions and the quizzes; 3.2's questions are on
        # the learner's own 3.1 gap analysis, which this workbook does not hold
        "partial": lambda cell: cell in {"s3_1-ldc-gaps-tests", "s3_3-pace-tests",
                                         "s3_3-needed-tests"} or cell.endswith("-quiz"),
        # the answer under the deleted test was right: the restored test gives its points
        "tampering": lambda cell: cell == "s3_1-ldc-gaps-tests",
        # everything but the test of the looping answer
        "looping": lambda cell: cell != "s3_1-ldc-gaps-tests",
    }[kind]
    return {nb: {cell: float(points if earned(cell) else 0) for cell, points in cells.items()}
            for nb, cells in full.items()}


def hidden_lines(root: Path) -> set[str]:
    """Lines of module 3's hidden tests that appear nowhere a learner sees them."""
    hidden, shown = set(), set()
    for name in NOTEBOOKS:
        for cell in nbformat.read(root / "course" / "source" / A / f"{name}.ipynb",
                                  as_version=4).cells:
            text = cell.source
            while "### BEGIN HIDDEN TESTS" in text:
                before, rest = text.split("### BEGIN HIDDEN TESTS", 1)
                secret, _, text = rest.partition("### END HIDDEN TESTS")
                shown |= {ln.strip() for ln in before.splitlines()}
                hidden |= {ln.strip() for ln in secret.splitlines() if len(ln.strip()) > 20}
            shown |= {ln.strip() for ln in text.splitlines()}
    visible = "\n".join(shown)
    return {ln for ln in hidden if ln not in visible}


def our_processes() -> list[str]:
    """Processes still working in a scratch folder of the autograde command."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "cwd", "cmdline"]):
        with_cwd = proc.info.get("cwd") or ""
        if "digit4sd-grade-" in with_cwd:
            found.append(f"{proc.info['pid']} {' '.join(proc.info.get('cmdline') or [])}")
    return found


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    from digit4sd_widgets.grade.sandbox import problem

    if problem() and os.environ.get("DIGIT4SD_REQUIRE_SANDBOX") != "1":
        pytest.skip(f"autograde needs its sandbox: {problem()}")
    tmp = tmp_path_factory.mktemp("grade")
    root = project(tmp)
    zips = grade_release.release(root, A)

    inbox = tmp / "usb-stick"
    make_learner("perfect", inbox / "perfect", A, root, as_zip=True)
    make_learner("widgets", inbox / "widgets", A, root)
    make_learner("partial", inbox / "partial", A, root)
    make_learner("empty", inbox / "empty", A, root, as_zip=True)
    make_learner("tampering", inbox / "tampering", A, root)
    make_learner("looping", inbox / "looping", A, root, as_zip=True)
    make_learner("corrupt", inbox / "corrupt", A, root, as_zip=True)
    stubborn = make_learner("empty", inbox / "stubborn", A, root)
    set_answer(stubborn, "3_1_target_areas", "s3_1-ldc-gaps",
               "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
               "    pass")
    saboteur = make_learner("empty", inbox / "saboteur", A, root)
    set_answer(saboteur, "3_2_stakeholders", "s3_2-data-code",
               "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    collected = collect(A, inbox, root=root)

    graded = autograde(A, root=root, workers=2, timeout=CELL_TIMEOUT, progress=False)
    leftovers = our_processes()
    for _ in range(20):  # kernels whose grading process was killed leave on their own
        if not leftovers:
            break
        time.sleep(0.5)
        leftovers = our_processes()
    return {"root": root, "zips": zips, "collected": collected, "graded": graded,
            "leftovers": leftovers}


def auto_scores(root: Path, learner: str) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(grade_common.db_url(root), "digit4sd") as gb:
        return {nb.name: {g.name: g.auto_score for g in nb.grades if g.cell_type == "code"}
                for nb in gb.find_submission(A, learner).notebooks}


@pytest.mark.slow
def test_release_zip_holds_the_learner_version_only(pipeline):
    (path,) = pipeline["zips"]
    assert path == pipeline["root"] / "dist" / "release" / f"{A}.zip"
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == [f"{A}/{n}.ipynb" for n in NOTEBOOKS]
        zf.extractall(path.parent / "unpacked")
    assert leaks(path.parent / "unpacked") == []


@pytest.mark.slow
def test_collect_takes_the_class_and_refuses_the_corrupt_file(pipeline):
    report = pipeline["collected"]
    assert report.collected == ["empty", "looping", "partial", "perfect", "saboteur",
                                "stubborn", "tampering", "widgets"]
    assert "3_1_target_areas.ipynb is not a readable notebook" in refusal(report, "corrupt.zip")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["perfect", "widgets", "partial", "empty", "tampering",
                                  "looping"])
def test_grades_are_as_expected_for_each_learner(pipeline, kind):
    assert auto_scores(pipeline["root"], kind) == expected_scores(kind)
    result = pipeline["graded"].result(kind)
    assert result.ok and result.max_score == 20
    assert result.score == sum(sum(nb.values()) for nb in expected_scores(kind).values())
    assert result.by_hand == 2  # the written reflections of 3.1 and 3.3


@pytest.mark.slow
def test_the_report_names_tampering_timeouts_and_learners_not_graded(pipeline):
    report = pipeline["graded"]
    text = "\n".join(report.lines())
    assert "perfect    20/20 autograded" in text and "partial    8/20" in text
    assert ("TIMEOUT    looping, 3_1_target_areas: stopped at the 15 s limit in s3_1-ldc-gaps; "
            "the rest of the notebook was graded") in text
    assert ("TAMPERING  tampering, 3_1_target_areas: deleted test cells s3_1-ldc-gaps-tests; "
            "the original cells and tests were used for grading") in text
    assert "TAMPERING  tampering, 3_2_stakeholders: changed test cells s3_2-matrix-complete, " \
           "s3_2-peer-leader-tests" in text
    assert "TAMPERING  tampering, 3_3_indicators: changed read-only cells s3_3-text-03" in text
    assert [line for line in text.splitlines() if "TAMPERING" in line
            and "tampering," not in line] == []  # no false alarm for the honest learners
    stubborn, saboteur = report.result("stubborn"), report.result("saboteur")
    assert not stubborn.ok and "3_1_target_areas: a cell ran past the time limit" in \
        stubborn.error
    # the saboteur's kernel runs in the sandbox: the grading process is out of its reach
    assert saboteur.ok and saboteur.score == 0, saboteur
    assert f"NOT GRADED stubborn: {stubborn.error}" in text
    assert sorted(r.learner for r in report.failed) == ["stubborn"]
    assert pipeline["leftovers"] == []


@pytest.mark.slow
def test_tampered_cells_are_graded_with_the_original_tests(pipeline):
    root = pipeline["root"]
    graded = root / "course" / "autograded" / "tampering" / A
    nb = nbformat.read(graded / "3_2_stakeholders.ipynb", as_version=4)
    cells = {meta(c).get("grade_id"): c for c in nb.cells}
    assert 'load_answer("3.2/stakeholder_matrix")' in cells["s3_2-matrix-complete"].source
    assert meta(cells["s3_2-peer-leader-tests"])["grade"] is True
    nb = nbformat.read(graded / "3_1_target_areas.ipynb", as_version=4)
    assert any(meta(c).get("grade_id") == "s3_1-ldc-gaps-tests" for c in nb.cells)
    submitted = root / "course" / "submitted" / "tampering" / A / "3_2_stakeholders.ipynb"
    kept = {meta(c).get("grade_id"): c.source
            for c in nbformat.read(submitted, as_version=4).cells}
    assert kept["s3_2-matrix-complete"] == 'print("ok")', "the evidence is kept"


@pytest.mark.slow
def test_feedback_is_offline_and_shows_no_hidden_tests(pipeline):
    root = pipeline["root"]
    report = grade_feedback.feedback(A, root)
    learners = ["empty", "looping", "partial", "perfect", "saboteur", "tampering", "widgets"]
    assert [p.name for p in report.zips] == [f"{s}.zip" for s in learners]
    secret = hidden_lines(root)
    assert secret
    for path in report.zips:
        with zipfile.ZipFile(path) as zf:
            assert sorted(zf.namelist()) == [f"{A}/{n}.html" for n in NOTEBOOKS]
            for name in zf.namelist():
                page = zf.read(name).decode("utf-8")
                assert "BEGIN HIDDEN TESTS" not in page and "MARK SCHEME" not in page
                assert not grade_feedback.EXTERNAL_REF.search(page), \
                    f"{path.name}/{name} needs the web"
                text = html.unescape(re.sub(r"<[^>]+>", "", page))
                shown = [line for line in secret if line in text]
                assert not shown, f"{path.name}/{name} shows hidden tests: {shown[:2]}"


@pytest.mark.slow
def test_export_writes_the_grades_and_a_summary(pipeline, tmp_path):
    root = pipeline["root"]
    report = grade_export.export(root, tmp_path / "grades.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "grades.csv").read_text("utf-8"))))
    assert len(rows) == 7 * 3 and rows == report.rows
    assert {r["learner"] for r in rows} == {"empty", "looping", "partial", "perfect", "widgets",
                                            "saboteur", "tampering"}
    perfect = {r["notebook"]: r for r in rows if r["learner"] == "perfect"}
    assert [perfect[n]["auto_score"] for n in NOTEBOOKS] == ["7", "6", "7"]
    assert [perfect[n]["max_score"] for n in NOTEBOOKS] == ["10", "6", "10"]
    assert [perfect[n]["to_grade_by_hand"] for n in NOTEBOOKS] == ["1", "0", "1"]
    assert {perfect[n]["total_score"] for n in NOTEBOOKS} == {"7", "6"}
    table = "\n".join(report.table)
    assert re.search(r"^perfect\s+20/26\s+20/26\s+2$", table, re.MULTILINE), table
    assert re.search(r"^tampering\s+2/26", table, re.MULTILINE)


@pytest.mark.slow
def test_grading_again_keeps_manual_scores_and_skips_unchanged_work(pipeline):
    from nbgrader.api import Gradebook

    root = pipeline["root"]
    with Gradebook(grade_common.db_url(root), "digit4sd") as gb:
        reflection = gb.find_grade("s3_1-reflection", "3_1_target_areas", A, "perfect")
        reflection.manual_score = 2.5
        reflection.needs_manual_grade = False
        gb.db.commit()
    again = subprocess.run(
        [sys.executable, "-m", "digit4sd_widgets.cli", "grade", "autograde", A,
         "--no-progress", "--learner", "perfect", "--learner", "partial"],
        capture_output=True, text=True, timeout=600, cwd=root)
    assert again.returncode == 0, again.stderr
    assert "graded 0 learner(s)" in again.stdout and "skipped 2" in again.stdout

    report = autograde(A, root=root, learners=["perfect"], force=True, timeout=CELL_TIMEOUT,
                       progress=False)
    assert report.result("perfect").score == 20
    with Gradebook(grade_common.db_url(root), "digit4sd") as gb:
        reflection = gb.find_grade("s3_1-reflection", "3_1_target_areas", A, "perfect")
        assert reflection.manual_score == 2.5
        notebook = gb.find_submission_notebook("3_1_target_areas", A, "perfect")
        assert notebook.score == 7 + 2.5
    assert auto_scores(root, "perfect") == expected_scores("perfect")
    # an instructor who trusts the class (or has no bubblewrap) grades with their own rights
    plain = autograde(A, root=root, learners=["perfect"], force=True, timeout=CELL_TIMEOUT,
                      progress=False, sandbox=False)
    assert plain.result("perfect").score == 20, plain.lines()
    assert "NO SANDBOX" in "\n".join(plain.lines())
    assert auto_scores(root, "perfect") == expected_scores("perfect")
