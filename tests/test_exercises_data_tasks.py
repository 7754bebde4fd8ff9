"""Data questions: answered in boxes or in code, stored in one place, read by the grading."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from digit4sd_widgets import data
from digit4sd_widgets.course.data_tasks import TASKS, Table, Task, _check
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.data_tasks import (
    DataTasks,
    DataTasksModel,
    filter_rows,
    summary_rows,
    table_frame,
    take_answers,
)
from digit4sd_widgets.grading import AnswerMissing, data_answer
from digit4sd_widgets.workbook import FILENAME, Workbook


@pytest.fixture
def wb(tmp_path):
    return Workbook.open(tmp_path / FILENAME)


def test_every_question_is_well_formed_and_its_table_can_be_drawn():
    assert "1.1" in TASKS
    for sub, tasks in TASKS.items():
        for task in tasks:
            frame = table_frame(task.table, "NPL")
            assert len(frame) > 0, f"{sub}/{task.id}: an empty table"
            assert "country" in frame.columns
            for group in ("all", "ldc", "lldc", "sids", "Africa"):
                summary_rows(filter_rows(frame, group))


def test_question_rules_are_enforced():
    with pytest.raises(ValueError, match="Python name"):
        _check("9.9", (Task("not a name", "?", "count"),))
    with pytest.raises(ValueError, match="twice"):
        _check("9.9", (Task("a", "?", "count"), Task("a", "?", "count")))
    with pytest.raises(ValueError, match="choices"):
        _check("9.9", (Task("a", "?", "choice"),))


def test_answers_are_checked_and_normalised():
    model = DataTasksModel("1.1")
    assert model.with_answer("world_mean", "0,638").value("world_mean") == pytest.approx(0.638)
    assert model.with_answer("world_mean", np.float64(0.6381)).value("world_mean") == \
        pytest.approx(0.6381)
    assert model.with_answer("sids_above", np.int64(12)).value("sids_above") == 12
    assert model.with_answer("sids_above", 12.0).value("sids_above") == 12
    assert model.with_answer("best_ldc", "BTN").value("best_ldc") == "Bhutan"
    assert model.with_answer("best_ldc", " bhutan ").value("best_ldc") == "Bhutan"
    for task_id, bad, words in (("sids_above", "twelve", "must be a number"),
                                ("sids_above", 12.5, "whole number"),
                                ("sids_above", -1, "at least 0"),
                                ("world_mean", pd.Series([0.5, 0.6]), "not a table"),
                                ("world_mean", "nan", "must be a number"),
                                ("best_ldc", "Atlantis", "not a country"),
                                ("best_ldc", 5, "choose a country")):
        with pytest.raises(ValidationError, match=words):
            model.with_answer(task_id, bad)
    assert model.completeness().done == 0
    with pytest.raises(ValidationError, match="no question"):
        model.with_answer("nothing", 1)


def test_saved_answers_round_trip_and_bad_saved_values_are_dropped():
    model = DataTasksModel("1.1").with_answer("sids_above", 12).with_answer("best_ldc", "BTN")
    again = DataTasksModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model
    edited = {"submodule": "1.1", "answers": {"sids_above": "x", "best_ldc": "Bhutan",
                                              "gone": 3}}
    assert DataTasksModel.from_dict(edited).answers == {"best_ldc": "Bhutan"}
    with pytest.raises(ValidationError):
        DataTasksModel.from_dict({"submodule": "9.9", "answers": {}})


def test_the_boxes_save_each_answer_and_say_so(wb):
    view = DataTasks("1.1", workbook=wb)
    view.inputs["world_mean"].value = "0.638"
    assert "Saved: 0.638" in view.messages["world_mean"].value
    view.inputs["sids_above"].value = "<b>12</b>"
    assert "&lt;b&gt;" in view.messages["sids_above"].value  # shown as text
    assert "sids_above" not in wb.get("1.1/data_tasks")["answers"]
    view.inputs["best_ldc"].value = "Bhutan"
    reopened = Workbook.open(wb.path)
    assert reopened.get("1.1/data_tasks")["answers"] == {"world_mean": 0.638,
                                                         "best_ldc": "Bhutan"}
    # a second page shows the saved answers
    second = DataTasks("1.1", workbook=reopened)
    assert second.inputs["world_mean"].value == "0.638"
    assert second.inputs["best_ldc"].value == "Bhutan"
    view.inputs["world_mean"].value = ""
    assert "world_mean" not in Workbook.open(wb.path).get("1.1/data_tasks")["answers"]


def test_code_answers_are_stored_where_the_boxes_store_them(wb, capsys):
    view = DataTasks("1.1", workbook=wb)
    view.inputs["best_ldc"].value = "Bhutan"
    namespace = {"world_mean": np.float64(0.6382), "sids_above": np.int64(12),
                 "best_ldc": 7, "unrelated": 1}
    view.take(namespace)
    out = capsys.readouterr().out
    assert "Saved from your code" in out and "sids_above = 12" in out
    assert "Not saved: best_ldc" in out and "earlier answer to question 3 is kept" in out
    stored = Workbook.open(wb.path).get("1.1/data_tasks")["answers"]
    assert stored == {"world_mean": pytest.approx(0.6382), "sids_above": 12,
                      "best_ldc": "Bhutan"}
    assert view.inputs["sids_above"].value == "12"  # the box shows the code's answer
    view.take({})
    assert "your answers in the boxes count" in capsys.readouterr().out


def test_take_answers_ignores_unset_variables():
    model, saved, refused = take_answers(DataTasksModel("1.1"), {"sids_above": None})
    assert model.answers == {} and saved == [] and refused == []


def test_the_grading_reads_the_stored_answer_from_either_route(tmp_path):
    wb = Workbook.open(tmp_path / FILENAME)
    with pytest.raises(AnswerMissing, match=r"Question 2 .* not answered yet"):
        data_answer("1.1/sids_above", tmp_path)
    wb.set("1.1/data_tasks", "data_tasks",
           DataTasksModel("1.1").with_answer("sids_above", "12").to_dict())
    assert data_answer("1.1/sids_above", tmp_path) == 12
    with pytest.raises(AnswerMissing):
        data_answer("1.1/best_ldc", tmp_path)
    with pytest.raises(KeyError):
        data_answer("1.1/nothing", tmp_path)


def test_the_table_lets_a_learner_find_the_answers_of_1_1():
    survey = data.load_survey(years=2024)
    mean = survey["egdi"].mean()
    (world, sids, best) = TASKS["1.1"]
    frame = table_frame(world.table)
    assert summary_rows(filter_rows(frame, "all"))[1][1] == pytest.approx(mean)
    shown = filter_rows(table_frame(sids.table), "sids").sort_values("EGDI", ascending=False)
    above = int((survey.loc[survey["sids"], "egdi"] > mean).sum())
    assert shown["EGDI"].iloc[above - 1] > mean >= shown["EGDI"].iloc[above]
    ldcs = filter_rows(table_frame(best.table), "ldc").sort_values("EGDI", ascending=False)
    assert ldcs["country"].iloc[0] == survey[survey["ldc"]].sort_values(
        "egdi", ascending=False)["country"].iloc[0]


def test_change_table_ranks_rise_as_positive_places():
    frame = table_frame(Table(source="change", start=2014, year=2024, index="egdi"))
    row = frame.iloc[0]
    assert row["Places gained"] == row["Rank 2014"] - row["Rank 2024"]
    assert row["Change"] == pytest.approx(row["EGDI 2024"] - row["EGDI 2014"])


def test_editions_table_follows_the_learners_case():
    frame = table_frame(Table(source="editions", countries=("case",), columns=("egdi",)),
                        "ETH")
    assert set(frame["iso3"]) == {"ETH"} and len(frame) == len(data.EDITIONS)


# ---------------------------------------------------------------- module 1: 1.2 and 1.3
def test_the_table_lets_a_learner_find_the_answers_of_1_2():
    from digit4sd_widgets.exercises.data_tasks import shown_columns

    survey = data.load_survey(years=2024)
    ldc = survey[survey["ldc"]]
    means = {c: float(ldc[c].mean()) for c in ("osi", "hci", "tii")}
    weakest = min(means, key=means.get)
    choice, mean_task = TASKS["1.2"]
    assert weakest in {value for _, value in choice.choices}
    for task in (choice, mean_task):
        assert task.table.group == "ldc"  # the table opens on the LDCs, as the hint says
        rows = filter_rows(table_frame(task.table, "FJI"), "ldc")
        summary = summary_rows(rows)
        assert summary[0][1] == int(survey["ldc"].sum())
        line = dict(zip(shown_columns(rows)[1:], summary[1][1:], strict=True))  # 'Mean'
        shown = {c: line[c.upper()] for c in means}
        assert min(shown, key=shown.get) == weakest
        assert round(shown[weakest], 3) == round(means[weakest], 3)


def test_the_table_lets_a_learner_find_the_answers_of_1_3():
    from itertools import pairwise

    nepal = data.load_survey(countries="NPL").sort_values("year")
    first_high = int(nepal.loc[nepal["egdi"] >= 0.5, "year"].iloc[0])
    ranks = [int(r) for r in nepal["egdi_rank"]]
    steps_back = sum(b > a for a, b in pairwise(ranks))
    high, back = TASKS["1.3"]
    for task in (high, back):
        assert task.table.sort == "year" and not task.table.descending  # oldest first
        for case in (None, "ETH", "NPL"):  # a named example: the same for every learner
            frame = table_frame(task.table, case)
            shown = filter_rows(frame, "all").sort_values("Edition", kind="stable")
            assert set(shown["country"]) == {"Nepal"}
            assert list(shown["Edition"]) == list(data.EDITIONS)
            assert shown.loc[shown["EGDI"] >= 0.5, "Edition"].iloc[0] == first_high
            rows = list(shown["Rank"])
            assert sum(b > a for a, b in pairwise(rows)) == steps_back


def test_the_boxes_of_1_2_and_1_3_store_what_the_grading_reads(tmp_path):
    wb = Workbook.open(tmp_path / FILENAME)
    view = DataTasks("1.2", workbook=wb)
    view.inputs["weakest"].value = "osi"
    view.inputs["weakest_mean"].value = "0.326"
    view = DataTasks("1.3", workbook=wb)
    view.inputs["nepal_high"].value = 2022
    view.inputs["nepal_steps_back"].value = "6"
    assert data_answer("1.2/weakest", tmp_path) == "osi"
    assert data_answer("1.2/weakest_mean", tmp_path) == pytest.approx(0.326)
    assert data_answer("1.3/nepal_high", tmp_path) == 2022
    assert data_answer("1.3/nepal_steps_back", tmp_path) == 6


def test_a_difference_column_lets_a_learner_count_rows_above_zero():
    table = Table(source="survey", year=2024, columns=("osi", "tii"), group="ldc",
                  sort="difference", difference=("osi", "tii"))
    rows = filter_rows(table_frame(table), "ldc")
    survey = data.load_survey(years=2024)
    ldc = survey[survey["ldc"]]
    assert int((rows["OSI minus TII"] > 0).sum()) == int((ldc["osi"] > ldc["tii"]).sum())


def test_every_number_column_has_a_mean_and_a_median():
    for table in (Table(source="change", start=2014, year=2024, index="egdi"),
                  Table(source="internet"),
                  Table(source="survey", columns=("egdi", "osi", "egdi_rank"))):
        frame = table_frame(table)
        summary = summary_rows(frame)
        shown = [c for c in frame.columns if c not in ("iso3", "ldc", "lldc", "sids", "_region")]
        numbers = [i for i, c in enumerate(shown[1:], 1)
                   if c not in ("Year of the figure",)]
        assert all(summary[1][i] is not None for i in numbers), (table.source, summary[1])


def test_in_french_the_boxes_and_tables_speak_french_and_store_the_same(wb):
    from digit4sd_widgets.i18n import language
    with language("fr"):
        view = DataTasks("1.1", workbook=wb)
        view.inputs["world_mean"].value = "0,638"
        assert "Enregistré\u00a0: 0,638." in view.messages["world_mean"].value
        assert view.inputs["world_mean"].value == "0,638"
        labels = dict(view.inputs["best_ldc"].options)
        assert labels["Bhoutan"] == "Bhutan"  # the name shown in French, stored in English
        view.inputs["best_ldc"].value = "Bhutan"
        assert "Bhoutan" in view.messages["best_ldc"].value
        assert DataTasksModel("1.1").with_answer("best_ldc", "bhoutan").value("best_ldc") == \
            "Bhutan"  # typed in code as the reader reads it
        assert view.inputs["sids_above"].description == "Réponse"
        frame = table_frame(TASKS["1.1"][0].table)
        line = summary_rows(filter_rows(frame, "all"))[1]
        assert line[0] == "Moyenne"
    stored = Workbook.open(wb.path).get("1.1/data_tasks")["answers"]
    assert stored == {"world_mean": 0.638, "best_ldc": "Bhutan"}
