"""The grading bridge reads the submitted workbook only."""

from __future__ import annotations

import pytest

from digit4sd_widgets.exercises.stakeholders import StakeholderMatrixModel
from digit4sd_widgets.grading import AnswerMissing, load_answer, load_case
from digit4sd_widgets.workbook import ENV_VAR, FILENAME, Workbook


@pytest.fixture
def submitted(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    folder = tmp_path / "submitted" / "learner1" / "m3_planning_analysis"
    folder.mkdir(parents=True)
    wb = Workbook.open(folder / FILENAME)
    m = StakeholderMatrixModel().with_added(name="Ministry", kind="government", influence=5,
                                            interest=5, role="sponsor")
    wb.set("3.2/stakeholder_matrix", m.kind, m.to_dict())
    wb.set_case(country="NPL", target_area="e-Health")
    monkeypatch.chdir(folder)
    return folder


def test_load_answer_by_key_and_by_kind(submitted):
    by_key = load_answer("3.2/stakeholder_matrix")
    by_kind = load_answer("stakeholder_matrix")
    assert by_key == by_kind
    assert by_key.names() == ["Ministry"]
    assert load_case()["country"] == "NPL"


def test_missing_answer_fails_the_test_with_a_message(submitted):
    with pytest.raises(AnswerMissing, match="no saved answer"):
        load_answer("3.9/stakeholder_matrix")
    with pytest.raises(AssertionError):
        load_answer("9.9/stakeholder_matrix")


def test_no_workbook_in_the_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnswerMissing, match="No workbook"):
        load_answer("stakeholder_matrix")


def test_grading_never_reads_sibling_folders(submitted, tmp_path):
    other = submitted.parent / "m4_design_implementation"
    other.mkdir()
    wb = Workbook.open(other / FILENAME)  # carries the learner over, then changes 3.2
    m = StakeholderMatrixModel()
    wb.set("3.2/stakeholder_matrix", m.kind, m.to_dict())
    assert load_answer("3.2/stakeholder_matrix").names() == ["Ministry"]


def test_invalid_saved_answer_fails_with_a_message(submitted):
    Workbook.open(submitted / FILENAME, siblings=False).set(
        "3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": [{"name": ""}]})
    with pytest.raises(AnswerMissing, match="not valid"):
        load_answer("3.2/stakeholder_matrix")


def test_unknown_kind(submitted):
    with pytest.raises(KeyError, match="Unknown exercise"):
        load_answer("pony")


def test_feedback_keeps_only_the_message_of_a_failing_test_cell():
    import nbformat

    from digit4sd_widgets.grade.plugins import HideTestTracebacks

    nb = nbformat.v4.new_notebook()
    test_cell = nbformat.v4.new_code_cell("assert x\n### BEGIN HIDDEN TESTS\nsecret()")
    test_cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t"}
    test_cell.outputs = [nbformat.v4.new_output(
        "error", ename="AssertionError", evalue="Sort it.",
        traceback=["----> 3 secret()", "AssertionError: Sort it."])]
    own_cell = nbformat.v4.new_code_cell("1/0")
    own_cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "s"}
    own_cell.outputs = [nbformat.v4.new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero",
        traceback=["----> 1 1/0", "ZeroDivisionError: division by zero"])]
    nb.cells = [test_cell, own_cell]
    nb, _ = HideTestTracebacks().preprocess(nb, {})
    assert nb.cells[0].outputs[0]["traceback"] == ["AssertionError: Sort it."]
    assert len(nb.cells[1].outputs[0]["traceback"]) == 2  # the learner's own error stays whole


def test_hostile_workbooks_fail_the_test_in_plain_words(submitted):
    import json

    path = submitted / FILENAME
    good = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + good)  # a byte-order mark, as some editors save
    assert load_answer("3.2/stakeholder_matrix").names() == ["Ministry"]
    for data in ("[" * 200_000 + "]" * 200_000, '{"a":' * 100 + "1" + "}" * 100):
        path.write_text(data)
        with pytest.raises(AnswerMissing, match="nested too deeply"):
            load_answer("3.2/stakeholder_matrix")
        for aside in submitted.glob("*.unreadable-*"):
            aside.unlink()
    for wrong in ([1, 2], "text", {"stakeholders": "not a list"}, {"stakeholders": [7]},
                  {"stakeholders": [{"name": {"x": 1}, "influence": "high"}]}):
        doc = json.loads(good.decode("utf-8"))
        doc["answers"]["3.2/stakeholder_matrix"]["data"] = wrong  # edited by hand
        path.write_text(json.dumps(doc))
        with pytest.raises(AnswerMissing, match="not valid"):
            load_answer("3.2/stakeholder_matrix")


def test_a_workbook_with_a_case_of_the_wrong_types_keeps_its_answers(submitted):
    import json

    path = submitted / FILENAME
    doc = json.loads(path.read_text())
    doc["case"] = {"country": ["NPL"], "target_area": 42, "sdg_targets": "16.9"}
    path.write_text(json.dumps(doc))
    wb = Workbook.open(path, siblings=False)
    assert wb.problems == []
    assert wb.case["country"] is None and wb.case["target_area"] == ""
    assert wb.case["sdg_targets"] == []
    assert load_answer("3.2/stakeholder_matrix").names() == ["Ministry"]


def test_a_town_with_no_portal_earns_the_points_of_4_3(tmp_path, monkeypatch):
    """The graded cell of 4.3, hidden tests included, passes for an official whose town has
    no portal and who planned its first one, and still fails an empty plan."""
    import json
    from pathlib import Path

    from digit4sd_widgets.exercises.local_services import LocalServiceChecklistModel

    source = Path(__file__).parent.parent / "course" / "source" / "m4_design_implementation"
    cells = json.loads((source / "4_3_local_level.ipynb").read_text(encoding="utf-8"))["cells"]
    (graded,) = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"
                 and "load_answer(\"4.3/local_service_checklist\")" in "".join(c["source"])]
    monkeypatch.delenv(ENV_VAR, raising=False)
    folder = tmp_path / "submitted" / "learner1" / "m4_design_implementation"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    wb = Workbook.open(folder / FILENAME)
    plan = LocalServiceChecklistModel().with_details("Funafuti", "", True)
    wb.set("4.3/local_service_checklist", plan.kind, plan.to_dict())
    with pytest.raises(AssertionError, match="at least 5 items"):
        exec(graded, {})  # the course's own grading cell
    plan = plan.with_checked_items(["svc_forms", "svc_pay", "tech_mobile", "inst_contacts",
                                    "part_reply"])
    wb.set("4.3/local_service_checklist", plan.kind, plan.to_dict())
    exec(graded, {})


def test_a_french_learners_checks_speak_french(submitted, monkeypatch):
    """The language is the learner's, read from the submitted workbook: nbgrader grading a
    French copy shows the learner French messages."""
    from digit4sd_widgets import i18n
    from digit4sd_widgets.grading import data_answer

    monkeypatch.delenv(i18n.ENV, raising=False)
    Workbook.open(submitted / FILENAME, siblings=False).set_language("fr")
    with pytest.raises(AnswerMissing) as missing:
        load_answer("3.9/stakeholder_matrix")
    assert str(missing.value) == ("L'exercice «\u00a03.9/stakeholder_matrix\u00a0» n'a pas "
                                  "encore de réponse enregistrée.")
    assert missing.value._render_traceback_()[0].startswith("Pas encore\u00a0: L'exercice")
    with pytest.raises(AnswerMissing, match="La question 1 des questions sur les données"):
        data_answer("1.1/world_mean")
    Workbook.open(submitted / FILENAME, siblings=False).set_language("en")
    with pytest.raises(AnswerMissing, match="no saved answer"):
        load_answer("3.9/stakeholder_matrix")
