"""The instructor's pipeline on a gradebook that ``nbgrader_config.py`` names, as in the grader
account of a JupyterHub: PostgreSQL, with the password in a password file (never in a config
file). First where the gradebook address comes from (fast), then collect, autograde with two
workers and export of two synthetic learners against a real PostgreSQL server.

The server needs root and PostgreSQL's server binaries (Debian's ``postgresql``); without them
the PostgreSQL tests are skipped, and with ``DIGIT4SD_REQUIRE_HUB=1`` (as in CI) they fail.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from digit4sd_widgets.grade import common as grade_common
from digit4sd_widgets.grade import feedback as grade_feedback
from digit4sd_widgets.grade.collect import collect
from digit4sd_widgets.grade.synthetic import expected_auto_scores, make_learner
from tests import hub_harness as hh
from tests.test_grade_pipeline import project

ROOT = Path(__file__).resolve().parent.parent
A = "m1_getting_started"
KINDS = ("perfect", "partial")
CELL_TIMEOUT = 60  # seconds


def set_db_url(root: Path, url: str) -> None:
    with (root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write(f"\nc.CourseDirectory.db_url = {url!r}\n")


def cli(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digit4sd_widgets.cli", "grade", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd)


# --------------------------------------------------------------------------- the address (fast)
def test_db_url_is_the_configured_gradebook_else_sqlite_in_the_course(tmp_path):
    root = project(tmp_path)
    assert grade_common.db_url(root) == f"sqlite:///{root / 'course' / 'gradebook.db'}"
    assert grade_common.gradebook_label(root) == "course/gradebook.db"
    assert not grade_common.gradebook_exists(root)

    url = "postgresql+psycopg://grader@db.example:5433/gradebook"
    set_db_url(root, url)  # read again: the file changed
    assert grade_common.db_url(root) == url
    assert grade_common.course_id(root) == "digit4sd"
    assert grade_common.gradebook_label(root) == "db.example:5433/gradebook"

    (root / "nbgrader_config.py").write_text(
        'c = get_config()  # noqa\nc.CourseDirectory.db_url = "sqlite:///books/grades.db"\n',
        encoding="utf-8")
    assert grade_common.db_url(root) == f"sqlite:///{root / 'books' / 'grades.db'}"
    assert grade_common.course_id(root) == "default_course"


def test_a_worker_grades_in_its_snapshot_never_in_the_configured_gradebook(tmp_path,
                                                                           monkeypatch):
    from digit4sd_widgets.grade import worker as grade_worker

    root = project(tmp_path)
    set_db_url(root, "postgresql+psycopg://grader@db.example:5433/gradebook")
    snapshot = tmp_path / "snapshot.db"
    snapshot.touch()
    monkeypatch.chdir(tmp_path)  # the worker moves to the project root, as nbgrader runs
    monkeypatch.setattr(grade_worker, "_fast_sqlite", lambda: None)
    worker = grade_worker.Worker({"project": str(root), "course": str(root / "course"),
                                  "assignment": A, "scratch": str(tmp_path / "worker-1"),
                                  "base_db": str(snapshot), "timeout": None})
    mine = f"sqlite:///{tmp_path / 'worker-1' / 'course' / 'gradebook.db'}"
    assert worker.db_url == mine and worker.coursedir.db_url == mine
    assert worker.course_id == "digit4sd"


def test_export_without_a_reachable_gradebook_says_where_it_looked(tmp_path):
    root = project(tmp_path)
    set_db_url(root, f"postgresql+psycopg://grader@127.0.0.1:{hh.free_port()}/gradebook")
    result = cli("export", cwd=root, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cannot use the gradebook at 127.0.0.1:" in result.stderr
    assert "CourseDirectory.db_url in nbgrader_config.py" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "course" / "gradebook.db").exists()


# --------------------------------------------------------------------------- PostgreSQL
def why_not() -> str | None:
    if os.geteuid() != 0:
        return "needs root (PostgreSQL's server runs as the postgres account)"
    if hh.postgres_bin() is None:
        return "needs PostgreSQL's server (Debian package postgresql)"
    return None


@pytest.fixture(scope="module")
def postgres():
    reason = why_not()
    if reason and os.environ.get("DIGIT4SD_REQUIRE_HUB") == "1":
        pytest.fail(f"the PostgreSQL gradebook test cannot run: {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="digit4sd-pg-"))
    os.chmod(base, 0o755)  # the server runs as the postgres account
    server = hh.Postgres(base / "server")
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def pipeline(postgres, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grade-pg")
    passfile = tmp / "pgpass"
    passfile.touch(mode=0o600)
    passfile.write_text(f"127.0.0.1:{postgres.port}:{postgres.database}:{postgres.role}:"
                        f"{postgres.password}\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PGPASSFILE", str(passfile))
        mp.delenv("PGPASSWORD", raising=False)
        root = project(tmp)
        set_db_url(root, postgres.url)
        inbox = tmp / "inbox"
        make_learner("perfect", inbox / "perfect", A, root)
        make_learner("partial", inbox / "partial", A, root, as_zip=True)
        collected = collect(A, inbox, root=root)
        # the assignment is not in the gradebook yet: autograde puts it there
        graded = cli("autograde", A, "--workers", "2", "--timeout", str(CELL_TIMEOUT),
                     "--no-progress", cwd=root)
        exported = cli("export", cwd=root, timeout=300)
        yield {"root": root, "passfile": passfile, "collected": collected, "graded": graded,
               "exported": exported}


def scores(url: str) -> dict[str, dict[str, dict[str, float]]]:
    """{learner: {notebook: {code grade cell: auto score}}} read from the gradebook at ``url``."""
    from nbgrader.api import Gradebook

    with Gradebook(url, "digit4sd") as gb:
        return {sub.student.id: {nb.name: {g.name: g.auto_score for g in nb.grades
                                           if g.cell_type == "code"}
                                 for nb in sub.notebooks}
                for sub in gb.find_assignment(A).submissions}


@pytest.mark.slow
def test_the_config_names_the_postgres_gradebook_without_its_password(pipeline, postgres):
    root = pipeline["root"]
    assert grade_common.db_url(root) == postgres.url
    assert postgres.password not in (root / "nbgrader_config.py").read_text(encoding="utf-8")
    assert pipeline["passfile"].stat().st_mode & 0o777 == 0o600


@pytest.mark.slow
def test_autograde_writes_nbgraders_scores_into_postgres(pipeline, postgres):
    assert pipeline["collected"].collected == sorted(KINDS)
    graded = pipeline["graded"]
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "graded 2 learner(s)" in graded.stdout and "2 worker(s)" in graded.stdout
    # it looked in PostgreSQL, found no assignment there and had nbgrader put it in
    assert f"{A} is not in the gradebook yet" in graded.stderr
    got = scores(postgres.url)  # straight from PostgreSQL
    assert sorted(got) == sorted(KINDS)
    for kind in KINDS:
        assert got[kind] == expected_auto_scores(kind, A, root=pipeline["root"]), kind


@pytest.mark.slow
def test_export_reads_postgres(pipeline):
    root = pipeline["root"]
    exported = pipeline["exported"]
    assert exported.returncode == 0, exported.stdout + exported.stderr
    rows = list(csv.DictReader(io.StringIO(
        (root / "dist" / "grades.csv").read_text(encoding="utf-8"))))
    assert {r["learner"] for r in rows} == set(KINDS)
    for kind in KINDS:
        expected = expected_auto_scores(kind, A, root=root)
        mine = {r["notebook"]: r for r in rows if r["learner"] == kind}
        assert sorted(mine) == sorted(expected)
        for notebook, cells in expected.items():
            assert float(mine[notebook]["auto_score"]) == sum(cells.values()), (kind, notebook)
            assert mine[notebook]["submitted"] == "yes"


@pytest.mark.slow
def test_feedback_reads_postgres(pipeline):
    report = grade_feedback.feedback(A, pipeline["root"])
    assert [p.name for p in report.zips] == [f"{kind}.zip" for kind in sorted(KINDS)]
    with zipfile.ZipFile(report.zips[1]) as zf:  # perfect
        page = zf.read(f"{A}/1_2_objectives.html").decode("utf-8")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    got = sum(expected_auto_scores("perfect", A, root=pipeline["root"])["1_2_objectives"].values())
    assert f"Score: {got:.1f} / 5.0" in text, text[:600]  # 1.2: five autograded points


@pytest.mark.slow
def test_no_sqlite_gradebook_is_made_beside_postgres(pipeline):
    root = pipeline["root"]
    assert not (root / "course" / "gradebook.db").exists()
    assert not list(root.rglob("*.db"))


@pytest.mark.slow
def test_grading_again_keeps_manual_scores_in_postgres(pipeline, postgres):
    """The workers see what the learner has in the gradebook: an autograded cell whose score
    was changed by hand is flagged for a second look, as ``nbgrader autograde`` does."""
    from nbgrader.api import Gradebook

    from digit4sd_widgets.grade.autograde import autograde

    root = pipeline["root"]
    cell, notebook = "s1_1-sids-above-tests", "1_1_background"
    with Gradebook(postgres.url, "digit4sd") as gb:
        g = gb.find_grade(cell, notebook, A, "perfect")
        assert g.auto_score == 2 and not g.needs_manual_grade
        g.manual_score = 1.5
        gb.db.commit()
    report = autograde(A, root=root, workers=1, learners=["perfect"], force=True,
                       timeout=CELL_TIMEOUT, progress=False)
    assert report.result("perfect").ok, report.lines()
    with Gradebook(postgres.url, "digit4sd") as gb:
        g = gb.find_grade(cell, notebook, A, "perfect")
        assert (g.auto_score, g.manual_score, bool(g.needs_manual_grade)) == (2, 1.5, True)
        other = gb.find_grade("s1_2-weakest-condition-tests", "1_2_objectives", A, "perfect")
        assert not other.needs_manual_grade
    assert scores(postgres.url)["perfect"] == expected_auto_scores("perfect", A, root=root)
    assert not (root / "course" / "gradebook.db").exists()
