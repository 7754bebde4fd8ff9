"""The learner's workbook: atomic saves, restore, carry-over between module folders,
damaged and foreign files set aside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from digit4sd_widgets.workbook import ENV_VAR, FILENAME, Workbook, WorkbookError


@pytest.fixture
def tmp_path(tmp_path):
    """A module folder inside a course folder of its own, so no other test's workbook
    is a sibling."""
    folder = tmp_path / "course" / "module"
    folder.mkdir(parents=True)
    return folder


def test_new_workbook_saves_on_every_change_and_restores(tmp_path):
    path = tmp_path / "wb.json"
    wb = Workbook.open(path)
    assert not path.exists()  # opening writes nothing
    wb.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": []})
    wb.set_case(country="ETH", target_area="e-Procurement")
    again = Workbook.open(path)
    assert again.get("3.2/stakeholder_matrix") == {"stakeholders": []}
    assert again.case["country"] == "ETH"
    assert again.learner_id == wb.learner_id
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "digit4sd-workbook" and doc["version"] == 1


def test_returned_data_is_a_copy(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    wb.set("k", "kind", {"items": [1]})
    got = wb.get("k")
    got["items"].append(2)
    assert wb.get("k") == {"items": [1]}


def test_default_path_is_the_current_folder_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert Workbook.default_path() == tmp_path / FILENAME
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "people" / "A7K2.json"))
    wb = Workbook.open()
    wb.set_case(country="NPL")
    assert (tmp_path / "people" / "A7K2.json").is_file()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "damaged"),
        ('{"format": "something-else"}', "not a DIGIT4SD workbook"),
        ('[1, 2, 3]', "not a DIGIT4SD workbook"),
        ('{"format": "digit4sd-workbook", "version": 99}', "newer version"),
        ('{"format": "digit4sd-workbook", "version": 1, "answers": [], "case": {}}', "damaged"),
    ],
)
def test_damaged_or_foreign_file_is_kept_aside_and_reported(tmp_path, content, reason):
    path = tmp_path / FILENAME
    path.write_text(content, encoding="utf-8")
    wb = Workbook.open(path)
    assert len(wb.problems) == 1 and reason in wb.problems[0]
    kept = [p for p in tmp_path.iterdir() if "unreadable" in p.name]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content
    wb.set_case(country="BGD")  # a new workbook starts; the old content is untouched
    assert kept[0].read_text(encoding="utf-8") == content
    assert Workbook.open(path).country == "BGD"


def test_a_crash_mid_save_leaves_the_last_good_file(tmp_path):
    path = tmp_path / FILENAME
    wb = Workbook.open(path)
    wb.set("1.2/goals", "goals", {"goals": ["first"]})
    good = path.read_bytes()
    # a separate process dies (no cleanup at all) in the middle of writing the next save
    script = textwrap.dedent(f"""
        import os
        from digit4sd_widgets import workbook
        def die(fd):
            os._exit(9)
        workbook.os.fsync = die
        wb = workbook.Workbook.open({str(path)!r})
        wb.set("1.2/goals", "goals", {{"goals": ["second", "x" * 100000]}})
    """)
    result = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert result.returncode == 9
    assert path.read_bytes() == good
    assert Workbook.open(path).get("1.2/goals") == {"goals": ["first"]}
    # the half-written temporary file is a hidden leftover, never the workbook itself
    assert all(p.name.startswith(".") for p in tmp_path.iterdir() if p != path)


def test_failed_save_raises_a_clear_error_and_keeps_state(tmp_path, monkeypatch):
    path = tmp_path / FILENAME
    wb = Workbook.open(path)
    wb.set("a", "kind", {"v": 1})

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("digit4sd_widgets.workbook.os.replace", full)
    with pytest.raises(WorkbookError, match=r"could not be saved.*No space left"):
        wb.set("a", "kind", {"v": 2})
    assert wb.get("a") == {"v": 1}
    monkeypatch.undo()
    assert Workbook.open(path).get("a") == {"v": 1}


def test_unstorable_data_is_refused_before_saving(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    with pytest.raises(TypeError):
        wb.set("a", "kind", {"v": object()})
    assert wb.get("a") is None


def test_two_windows_do_not_undo_each_other(tmp_path):
    path = tmp_path / FILENAME
    first = Workbook.open(path)
    first.set_case(country="BGD")
    second = Workbook.open(path)
    first.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": []})
    second.set("3.3/kpi_builder", "kpi_builder", {"kpis": []})
    final = Workbook.open(path)
    assert final.keys() == ["3.2/stakeholder_matrix", "3.3/kpi_builder"]


def test_a_new_module_folder_starts_from_the_learners_earlier_work(tmp_path):
    tmp_path = tmp_path.parent / "mine"
    m3 = tmp_path / "m3_planning_analysis"
    m4 = tmp_path / "m4_design_implementation"
    m3.mkdir(parents=True)
    m4.mkdir(parents=True)
    wb3 = Workbook.open(m3 / FILENAME)
    wb3.set_case(country="ETH", target_area="Online business registration")
    wb3.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": ["x"]})
    wb4 = Workbook.open(m4 / FILENAME)
    assert wb4.case["target_area"] == "Online business registration"
    assert wb4.latest("stakeholder_matrix") == {"stakeholders": ["x"]}
    assert wb4.learner_id == wb3.learner_id
    wb4.set("4.1/implementation_canvas", "implementation_canvas", {"title": "t"})
    # going back to module 3 and changing an answer: module 4 sees the newer one
    wb3.set("3.2/stakeholder_matrix", "stakeholder_matrix", {"stakeholders": ["x", "y"]})
    assert Workbook.open(m4 / FILENAME).latest("stakeholder_matrix") == {
        "stakeholders": ["x", "y"]}
    # module 3 sees module 4's work too
    assert Workbook.open(m3 / FILENAME).get("4.1/implementation_canvas") == {"title": "t"}


def test_another_learners_workbook_in_a_sibling_folder_is_ignored(tmp_path):
    tmp_path = tmp_path.parent
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    mine = Workbook.open(tmp_path / "a" / FILENAME)
    mine.set_case(country="NPL")
    theirs_doc = json.loads((tmp_path / "a" / FILENAME).read_text(encoding="utf-8"))
    theirs_doc["learner_id"] = "someone-else"
    theirs_doc["case"]["country"] = "FJI"
    theirs_doc["case"]["updated"] = "9999"
    (tmp_path / "b" / FILENAME).write_text(json.dumps(theirs_doc), encoding="utf-8")
    assert Workbook.open(tmp_path / "a" / FILENAME).country == "NPL"
    # a third, new folder next to two learners' files starts empty rather than guess
    (tmp_path / "c").mkdir()
    assert Workbook.open(tmp_path / "c" / FILENAME).country is None


def test_environment_workbook_does_not_merge_siblings(tmp_path, monkeypatch):
    tmp_path = tmp_path.parent
    (tmp_path / "x").mkdir()
    other = Workbook.open(tmp_path / "x" / FILENAME)
    other.set_case(country="FJI")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "room" / "P1.json"))
    (tmp_path / "room").mkdir()
    assert Workbook.open().country is None


def test_in_memory_workbook_never_writes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wb = Workbook.in_memory()
    wb.set("a", "kind", {"v": 1})
    wb.set_case(country="BGD")
    assert wb.get("a") == {"v": 1} and wb.country == "BGD"
    assert list(tmp_path.iterdir()) == []


def test_export_json_is_the_whole_workbook(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    wb.set("a", "kind", {"name": "<b>é</b>"})
    out = wb.export_json(tmp_path / "export" / "mine.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["answers"]["a"]["data"] == {"name": "<b>é</b>"}
    assert doc["learner_id"] == wb.learner_id


def test_case_fields_are_checked(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    with pytest.raises(KeyError):
        wb.set_case(colour="blue")
    assert not os.path.exists(tmp_path / "wb.json")


# ------------------------------------------------------------------ the learner's language
def test_the_language_is_english_until_chosen_and_old_files_load_unchanged(tmp_path):
    path = tmp_path / FILENAME
    wb = Workbook.open(path)
    wb.set_case(country="BGD")
    before = json.loads(path.read_text(encoding="utf-8"))
    assert "lang" not in before, "a workbook of an earlier version has no language field"
    again = Workbook.open(path)
    assert again.language() == "en"
    again.set("a", "kind", {"v": 1})
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "lang" not in doc and doc["case"]["country"] == "BGD"
    assert doc["answers"] == {"a": doc["answers"]["a"]} and before["answers"] == {}


def test_the_language_is_saved_at_once_and_read_by_the_course(tmp_path, monkeypatch):
    from digit4sd_widgets import i18n

    path = tmp_path / FILENAME
    wb = Workbook.open(path)
    wb.set_language("fr-FR")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["lang"] == "fr" and doc["lang_updated"]
    assert Workbook.open(path).language() == "fr"
    monkeypatch.delenv(i18n.ENV, raising=False)
    monkeypatch.setenv(ENV_VAR, str(path))
    assert i18n.workbook_language() == "fr" and i18n.get_language() == "fr"
    wb.set_language("en")
    assert i18n.get_language() == "en"


def test_an_unknown_language_is_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / FILENAME
    wb = Workbook.open(path)
    with pytest.raises(ValueError, match="not offered in the language xx"):
        wb.set_language("xx")
    assert not path.exists()


def test_the_newest_choice_of_language_wins_between_windows(tmp_path):
    path = tmp_path / FILENAME
    first, second = Workbook.open(path), Workbook.open(path)
    first.set_language("fr")
    second.set_case(country="ETH")  # second never saw the language: it keeps it
    assert Workbook.open(path).language() == "fr"
    second.set_language("en")  # a later choice wins
    first.set("a", "kind", {"v": 1})
    final = Workbook.open(path)
    assert final.language() == "en" and final.country == "ETH" and final.get("a")


def test_a_language_carries_over_to_a_new_module_folder_and_a_downloaded_copy(tmp_path):
    course = tmp_path.parent / "langs"
    (course / "m1").mkdir(parents=True)
    (course / "m2").mkdir()
    Workbook.open(course / "m1" / FILENAME).set_language("fr")
    assert Workbook.open(course / "m2" / FILENAME).language() == "fr"
    fresh = Workbook.open(tmp_path / "mine.json")
    fresh.merge_from(course / "m1" / FILENAME)
    assert fresh.language() == "fr"


def test_a_hand_edited_language_is_dropped_not_fatal(tmp_path):
    path = tmp_path / FILENAME
    Workbook.open(path).set_case(country="NPL")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["lang"] = {"not": "a code"}
    path.write_text(json.dumps(doc), encoding="utf-8")
    wb = Workbook.open(path)
    assert wb.problems == [] and wb.language() == "en" and wb.country == "NPL"
    doc["lang"] = "tlh"  # a code this course does not offer
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert Workbook.open(path).language() == "en"


def test_a_damaged_file_is_reported_in_the_learners_language(tmp_path):
    from digit4sd_widgets import i18n

    path = tmp_path / FILENAME
    path.write_text("{not json", encoding="utf-8")
    with i18n.language("fr"):
        wb = Workbook.open(path)
    assert len(wb.problems) == 1
    problem = wb.problems[0]
    assert "n'a pas pu être utilisé" in problem and "endommagé" in problem
    assert "could not be used" not in problem and "unreadable" in problem
