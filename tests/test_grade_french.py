"""A French submission goes through nbgrader like its English twin: the French release has
the same cells, grade ids and tests; autograde gives the same points, test by test; the
feedback is in French (the notebook's text and the checks' messages)."""

from __future__ import annotations

import html
import os
import re
import zipfile

import nbformat
import pytest

from digit4sd_widgets import i18n
from digit4sd_widgets.grade import feedback as grade_feedback
from digit4sd_widgets.grade import release as grade_release
from digit4sd_widgets.grade.autograde import autograde
from digit4sd_widgets.grade.collect import collect
from digit4sd_widgets.grade.synthetic import make_learner

from .test_grade_pipeline import CELL_TIMEOUT, NOTEBOOKS, A, auto_scores, meta, project

pytestmark = pytest.mark.skipif("fr" not in i18n.languages(), reason="no French catalogues")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_french_release_zip_has_the_same_cells_and_tests(tmp_path):
    root = project(tmp_path)
    zips = grade_release.release(root, A, langs=["fr"])
    french = root / "dist" / "release" / "fr" / f"{A}.zip"
    assert french in zips and root / "dist" / "release" / f"{A}.zip" in zips
    with zipfile.ZipFile(french) as zf:
        assert sorted(zf.namelist()) == [f"{A}/{n}.ipynb" for n in NOTEBOOKS]
        for name in NOTEBOOKS:
            fr = nbformat.reads(zf.read(f"{A}/{name}.ipynb").decode("utf-8"), as_version=4)
            en = nbformat.read(root / "course" / "release" / A / f"{name}.ipynb",
                               as_version=4)
            assert fr.metadata["digit4sd"]["lang"] == "fr"
            assert [c.get("id") for c in fr.cells] == [c.get("id") for c in en.cells]
            assert [meta(c) for c in fr.cells] == [meta(c) for c in en.cells]
            assert [c.source for c in fr.cells if c.cell_type == "code"] == \
                [c.source for c in en.cells if c.cell_type == "code"]
            changed = [c for c, e in zip(fr.cells, en.cells, strict=True)
                       if c.cell_type == "markdown" and c.source != e.source]
            assert len(changed) >= len([c for c in en.cells if c.cell_type == "markdown"]) // 2


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from digit4sd_widgets.grade.sandbox import problem

    if problem() and os.environ.get("DIGIT4SD_REQUIRE_SANDBOX") != "1":
        pytest.skip(f"autograde needs its sandbox: {problem()}")
    tmp = tmp_path_factory.mktemp("grade-fr")
    root = project(tmp)
    inbox = tmp / "inbox"
    for kind in ("perfect", "partial"):
        make_learner(kind, inbox / kind, A, root)
        make_learner(kind, inbox / f"{kind}-fr", A, root, lang="fr", as_zip=True)
    collect(A, inbox, root=root)
    report = autograde(A, root=root, workers=2, timeout=CELL_TIMEOUT, progress=False)
    feedback = grade_feedback.feedback(A, root)
    return {"root": root, "report": report, "feedback": feedback}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["perfect", "partial"])
def test_a_french_submission_earns_what_its_english_twin_earns(graded, kind):
    root = graded["root"]
    english, french = auto_scores(root, kind), auto_scores(root, f"{kind}-fr")
    assert french == english
    assert graded["report"].result(f"{kind}-fr").score == graded["report"].result(kind).score


@pytest.mark.slow
def test_the_feedback_of_a_french_submission_is_in_french(graded):
    zips = {p.stem: p for p in graded["feedback"].zips}
    with zipfile.ZipFile(zips["partial-fr"]) as zf:
        page = _text(zf.read(f"{A}/3_1_target_areas.html").decode("utf-8"))
    with zipfile.ZipFile(zips["partial"]) as zf:
        english = _text(zf.read(f"{A}/3_1_target_areas.html").decode("utf-8"))
    # the notebook's text, as the learner read it
    assert "Identifying target areas" in english and "Identifying target areas" not in page
    with i18n.language("fr"):
        heading = i18n.pgettext("s3_1-text-01", "# 3.1 Identifying target areas")
        missing = i18n.gettext("The exercise '{key}' has no saved answer yet.").format(
            key="3.1/prioritisation_matrix")
    assert heading.lstrip("# ").strip() in page
    # a failing check's message, in French: the partial learner left the matrix empty (the
    # code of the check is the same in both: only its message differs)
    assert "The exercise '3.1/prioritisation_matrix' has no saved answer yet." in english
    assert missing in page and "has no saved answer yet" not in page
    assert missing != "The exercise '3.1/prioritisation_matrix' has no saved answer yet."
