"""Data questions of module 6: each answer, computed here from the data, is what the question's
table shows when filtered and sorted as its hint says (the route of a learner who does not
code); the notebooks' graded cells accept the right answers for any case country and refuse
wrong ones."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from digit4sd_widgets import data
from digit4sd_widgets.course.data_tasks import TASKS
from digit4sd_widgets.course.data_tasks.m6 import NO_CASE
from digit4sd_widgets.exercises.data_tasks import (
    DataTasksModel,
    filter_rows,
    summary_rows,
    table_frame,
)
from digit4sd_widgets.workbook import FILENAME, Workbook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "course" / "source" / "m6_moving_forward"
PATHS = {"6.1": NOTEBOOKS / "6_1_case_studies.ipynb", "6.2": NOTEBOOKS / "6_2_templates.ipynb",
         "6.3": NOTEBOOKS / "6_3_checklist.ipynb"}
# the course's example countries, a country in no group (KEN), a leader of its region (SGP),
# an LDC that is also a SIDS (HTI), and countries whose TII or HCI is the median of their
# group (MOZ, TLS, VUT)
CASES = ("NPL", "ETH", "FJI", "BGD", "KEN", "SGP", "HTI", "MOZ", "TLS", "VUT")
LEVELS = ((0.75, "very high"), (0.50, "high"), (0.25, "middle"), (0.0, "low"))


def task(sub: str, task_id: str):
    return next(t for t in TASKS[sub] if t.id == task_id)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return data.load_survey(years=2024)


def line_of(rows: pd.DataFrame, label: str) -> dict[str, object]:
    """A line under the table ('Mean' or 'Median'), by column, for the rows shown."""
    cols = [c for c in rows.columns if c not in ("iso3", "ldc", "lldc", "sids", "_region")]
    line = next(r for r in summary_rows(rows) if r[0] == label)
    return dict(zip(cols[1:], line[1:], strict=True))


def shown(value: float) -> float:
    """A figure as the table prints it (four decimals below 10)."""
    return round(float(value), 4)


def readings(value: float, decimals: int = 3) -> set[float]:
    """What a learner writes for a figure the table shows with four decimals, when asked for
    three: rounded half up or half to even (0.0615 may become 0.061 or 0.062)."""
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

    step = Decimal(1).scaleb(-decimals)
    figure = Decimal(str(shown(value)))
    return {float(figure.quantize(step, rounding=r)) for r in (ROUND_HALF_UP, ROUND_HALF_EVEN)}


#: what the hidden tests accept for three decimals read from four: half a unit of each
CLOSE = 0.0005 + 0.00005 + 1e-9


def own_row(frame: pd.DataFrame, iso3: str) -> pd.Series:
    return frame[frame["iso3"] == iso3].iloc[0]


def group_of(row: pd.Series) -> str:
    """The group the 6.3 questions compare with: the first of LDC, LLDC, SIDS, else all."""
    return next((g for g in ("ldc", "lldc", "sids") if bool(row[g])), "all")


# ----------------------------------------------------------------------------- 6.1
def test_6_1_the_last_fall_of_bangladesh_is_read_down_the_editions():
    bgd = data.load_survey(countries="BGD").dropna(subset=["egdi"]).sort_values("year")
    years, values = list(bgd["year"]), list(bgd["egdi"])
    expected = max(years[i] for i in range(1, len(years)) if values[i] < values[i - 1])

    which = task("6.1", "last_fall")
    assert which.answer == "year"
    rows = table_frame(which.table).sort_values("Edition", kind="stable").reset_index(drop=True)
    assert set(rows["iso3"]) == {"BGD"} and len(rows) == len(data.EDITIONS)
    # the hint: go down the EGDI column, compare each figure with the one above it
    lower = [int(rows.loc[i, "Edition"]) for i in range(1, len(rows))
             if shown(rows.loc[i, "EGDI"]) < shown(rows.loc[i - 1, "EGDI"])]
    assert lower[-1] == expected
    assert expected != data.EDITIONS[0] and expected != data.EDITIONS[-1]
    assert DataTasksModel("6.1").with_answer("last_fall", str(expected)).value(
        "last_fall") == expected


@pytest.mark.parametrize("iso3, task_id", [("BGD", "bgd_places"), ("ETH", "eth_places")])
def test_6_1_places_gained_are_read_in_the_row_of_each_country(iso3, task_id):
    both = data.load_survey(years=[2014, 2024], countries=iso3).set_index("year")
    expected = int(both.loc[2014, "egdi_rank"]) - int(both.loc[2024, "egdi_rank"])

    which = task("6.1", task_id)
    frame = table_frame(which.table)
    # the table opens on the LDCs in the order of their names; both countries are LDCs
    rows = filter_rows(frame, which.table.group).sort_values("country", kind="stable")
    assert int(own_row(rows, iso3)["Places gained"]) == expected
    stored = DataTasksModel("6.1").with_answer(task_id, str(expected)).value(task_id)
    assert stored == expected


def test_6_1_one_of_the_two_countries_rose_and_still_lost_places():
    """The text after the questions asks whether the EGDI and the rank moved the same way:
    in these figures they did not for one of the project's two countries."""
    frame = table_frame(task("6.1", "eth_places").table)
    pair = frame[frame["iso3"].isin(["BGD", "ETH"])]
    assert ((pair["Change"].astype(float) > 0) & (pair["Places gained"] < 0)).any()
    assert ((pair["Change"].astype(float) > 0) & (pair["Places gained"] > 0)).any()


# ----------------------------------------------------------------------------- 6.2
def level_of(value: float) -> str:
    return next(name for bound, name in LEVELS if value >= bound)


@pytest.mark.parametrize("iso3", CASES)
def test_6_2_the_level_follows_the_egdi_shown_in_the_own_row(survey, iso3):
    value = float(survey.set_index("iso3").loc[iso3, "egdi"])
    expected = level_of(value)
    assert expected == str(survey.set_index("iso3").loc[iso3, "egdi_level"])

    which = task("6.2", "own_level")
    rows = filter_rows(table_frame(which.table), "all").sort_values("country", kind="stable")
    assert level_of(shown(own_row(rows, iso3)["EGDI"])) == expected
    assert expected in {value for _, value in which.choices}


def test_6_2_no_egdi_sits_on_a_level_boundary_in_the_table(survey):
    """The choices say 'above 0.75', '0.50 to 0.75': no figure shown lies on a boundary, so a
    learner never has to guess which side it belongs to."""
    figures = {shown(v) for v in survey["egdi"]}
    assert not figures & {0.25, 0.5, 0.75}


@pytest.mark.parametrize("iso3", CASES)
def test_6_2_the_change_since_2014_is_read_in_the_own_row(iso3):
    both = data.load_survey(years=[2014, 2024], countries=iso3).set_index("year")["egdi"]
    expected = float(both[2024] - both[2014])

    which = task("6.2", "own_change")
    rows = filter_rows(table_frame(which.table), "all").sort_values("country", kind="stable")
    for read in readings(own_row(rows, iso3)["Change"], which.decimals):
        assert abs(read - expected) <= CLOSE


@pytest.mark.parametrize("iso3", CASES)
def test_6_2_the_median_of_the_region_is_the_line_under_the_region(survey, iso3):
    region = survey.set_index("iso3").loc[iso3, "region"]
    expected = float(survey.loc[survey["region"] == region, "egdi"].median())

    which = task("6.2", "region_median")
    frame = table_frame(which.table)
    # the hint: the column 'Region' gives the region, chosen under 'Countries'
    chosen = str(own_row(frame, iso3)["Region"])
    median = line_of(filter_rows(frame, chosen), "Median")["EGDI"]
    for read in readings(median, which.decimals):
        assert abs(read - expected) <= CLOSE


# ----------------------------------------------------------------------------- 6.3
def expected_sides(value: float, median: float) -> set[str]:
    exact = "above" if value > median else "below" if value < median else "at"
    return {exact, "at"} if abs(value - median) < 0.00005 else {exact}


@pytest.mark.parametrize("iso3", CASES)
def test_6_3_the_median_tii_of_the_group_is_the_line_under_the_group(survey, iso3):
    me = survey.set_index("iso3").loc[iso3]
    members = survey[survey[group_of(me)]] if group_of(me) != "all" else survey
    expected = float(members["tii"].median())

    which = task("6.3", "tii_median")
    rows = filter_rows(table_frame(which.table), group_of(me))
    assert iso3 in set(rows["iso3"])
    for read in readings(line_of(rows, "Median")["TII"], which.decimals):
        assert abs(read - expected) <= CLOSE


@pytest.mark.parametrize("iso3", CASES)
@pytest.mark.parametrize("task_id, column", [("tii_side", "tii"), ("hci_side", "hci")])
def test_6_3_the_side_is_the_own_row_against_the_median_line(survey, iso3, task_id, column):
    me = survey.set_index("iso3").loc[iso3]
    members = survey[survey[group_of(me)]] if group_of(me) != "all" else survey
    accepted = expected_sides(float(me[column]), float(members[column].median()))

    which = task("6.3", task_id)
    rows = filter_rows(table_frame(which.table), group_of(me))
    label = column.upper()
    mine, median = shown(own_row(rows, iso3)[label]), shown(line_of(rows, "Median")[label])
    read = "above" if mine > median else "below" if mine < median else "at"
    assert read in accepted
    assert read in {value for _, value in which.choices}


def test_6_3_the_edge_cases_are_covered(survey):
    """A country in two groups is compared with the first (Nepal: the LDCs), a country in
    none with all countries, and some countries sit exactly on their group's median."""
    by = survey.set_index("iso3")
    assert group_of(by.loc["NPL"]) == "ldc" and bool(by.loc["NPL", "lldc"])
    assert group_of(by.loc["KEN"]) == "all"
    ats = set()
    for iso3 in CASES:
        me = by.loc[iso3]
        members = survey[survey[group_of(me)]] if group_of(me) != "all" else survey
        for column in ("tii", "hci"):
            ats |= {iso3} if me[column] == members[column].median() else set()
    assert ats  # the choice 'At the median' can be the right one


# ------------------------------------------------------------------ the notebooks' checks
def right_answers(sub: str, iso3: str) -> dict[str, object]:
    """Each question's answer, computed here from the data, for case country ``iso3``."""
    s24 = data.load_survey(years=2024).set_index("iso3")
    if sub == "6.1":
        bgd = data.load_survey(countries="BGD").dropna(subset=["egdi"]).set_index("year")
        falls = bgd.index[bgd["egdi"].diff() < 0]
        ranks = data.load_survey(years=[2014, 2024], countries=["BGD", "ETH"]).pivot(
            index="iso3", columns="year", values="egdi_rank")
        return {"last_fall": int(falls.max()),
                "bgd_places": int(ranks.loc["BGD", 2014] - ranks.loc["BGD", 2024]),
                "eth_places": int(ranks.loc["ETH", 2014] - ranks.loc["ETH", 2024])}
    me = s24.loc[iso3]
    if sub == "6.2":
        both = data.load_survey(years=[2014, 2024], countries=iso3).set_index("year")["egdi"]
        return {"own_level": level_of(float(me["egdi"])),
                "own_change": float(both[2024] - both[2014]),
                "region_median": float(s24.loc[s24["region"] == me["region"], "egdi"].median())}
    group = group_of(me)
    members = s24[s24[group]] if group != "all" else s24
    out: dict[str, object] = {"tii_median": float(members["tii"].median())}
    for column in ("tii", "hci"):
        median = float(members[column].median())
        out[f"{column}_side"] = ("above" if me[column] > median
                                 else "below" if me[column] < median else "at")
    return out


def wrong(sub: str, task_id: str, value: object) -> object:
    kind = task(sub, task_id)
    if kind.answer == "year":
        return next(y for y in data.EDITIONS if y not in (value, data.EDITIONS[0]))
    if kind.answer == "choice":
        return next(v for _, v in kind.choices if v != value)
    return value + (1 if kind.decimals == 0 else 0.01)


def graded_cells(sub: str) -> list[tuple[str, str]]:
    """(grade_id, source) of the notebook's graded cells that read data answers."""
    nb = nbformat.read(PATHS[sub], as_version=4)
    return [(c.metadata["nbgrader"]["grade_id"], c.source) for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            and "data_answer(" in c.source]


def run_checks(sub: str, folder: Path, monkeypatch) -> dict[str, str]:
    """Each graded data cell run as the grader runs it (hidden tests included):
    {grade_id: "pass" or the error's name}."""
    monkeypatch.chdir(folder)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    namespace: dict[str, object] = {"load_survey": data.load_survey}
    out = {}
    for grade_id, source in graded_cells(sub):
        try:
            exec(compile(source, grade_id, "exec"), namespace)
        except AssertionError as exc:
            out[grade_id] = type(exc).__name__
        else:
            out[grade_id] = "pass"
    return out


def workbook(folder: Path, sub: str, iso3: str | None, answers: dict[str, object]) -> None:
    wb = Workbook.open(folder / FILENAME, siblings=False)
    if iso3 is not None:
        wb.set_case(country=iso3)
    model = DataTasksModel(sub)
    for key, value in answers.items():
        model = model.with_answer(key, value)
    wb.set(f"{sub}/data_tasks", "data_tasks", model.to_dict())


GRADED = {"6.1": {"s6_1-best-edition-tests": 2, "s6_1-rank-change-tests": 2},
          "6.2": {"s6_2-level-tests": 1, "s6_2-profile-tests": 2},
          "6.3": {"s6_3-tii-median-tests": 1, "s6_3-sides-tests": 1}}


@pytest.mark.parametrize("sub", ["6.1", "6.2", "6.3"])
@pytest.mark.parametrize("iso3", ["NPL", "ETH", "FJI", "BGD", "KEN", "TLS", None])
def test_the_graded_cells_accept_the_right_answers_for_any_case(sub, iso3, tmp_path,
                                                                monkeypatch):
    answers = right_answers(sub, iso3 or NO_CASE)
    workbook(tmp_path, sub, iso3, answers)
    assert run_checks(sub, tmp_path, monkeypatch) == dict.fromkeys(GRADED[sub], "pass")


@pytest.mark.parametrize("sub", ["6.1", "6.2", "6.3"])
def test_each_wrong_answer_fails_its_check(sub, tmp_path, monkeypatch):
    iso3 = "ETH"
    right = right_answers(sub, iso3)
    cells = dict(graded_cells(sub))
    for task_id in right:
        folder = tmp_path / task_id
        folder.mkdir()
        workbook(folder, sub, iso3, {**right, task_id: wrong(sub, task_id, right[task_id])})
        result = run_checks(sub, folder, monkeypatch)
        failing = {g for g, r in result.items() if r != "pass"}
        assert failing == {g for g, src in cells.items() if f'"{sub}/{task_id}"' in src}, \
            task_id


def test_the_answers_of_another_country_fail(tmp_path, monkeypatch):
    """The checks follow the learner's case: the answers for Fiji (a SIDS of Oceania) do not
    pass for Ethiopia (an LDC of Africa)."""
    for sub in ("6.2", "6.3"):
        folder = tmp_path / sub
        folder.mkdir()
        workbook(folder, sub, "ETH", right_answers(sub, "FJI"))
        assert "pass" not in set(run_checks(sub, folder, monkeypatch).values()), sub


def test_a_missing_answer_is_a_plain_not_yet(tmp_path, monkeypatch):
    workbook(tmp_path, "6.3", "NPL", {})
    assert set(run_checks("6.3", tmp_path, monkeypatch).values()) == {"AnswerMissing"}


# ------------------------------------------------------------------ the notebooks' shape
def cells(sub: str) -> list:
    return nbformat.read(PATHS[sub], as_version=4).cells


@pytest.mark.parametrize("sub", ["6.1", "6.2", "6.3"])
def test_the_data_questions_keep_the_notebooks_points(sub):
    nb = cells(sub)
    graded = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in nb
              if c.metadata.get("nbgrader", {}).get("grade") and "data_answer(" in c.source}
    assert graded == GRADED[sub]
    assert sum(graded.values()) == {"6.1": 4, "6.2": 3, "6.3": 2}[sub]
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    sources = [c.source for c in nb]
    assert f'tasks = DataTasks("{sub}")\ntasks' in sources
    assert "tasks.take(globals())" in sources
    # every question's id is set by the solution, and by nothing else before the checks
    solution = next(c.source for c in nb if c.metadata.get("nbgrader", {}).get("solution"))
    for t in TASKS[sub]:
        assert re.search(rf"^{t.id} = ", solution, re.MULTILINE), t.id
    take = sources.index("tasks.take(globals())")
    for c in nb[:take]:
        if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("solution"):
            for t in TASKS[sub]:
                assert not re.search(rf"^{t.id}\s*=", c.source, re.MULTILINE), t.id


def test_only_6_3_keeps_a_reflection_with_a_mark_scheme_of_the_course_shape():
    for sub in ("6.1", "6.2"):
        text = "\n".join(c.source for c in cells(sub))
        assert "Reflection" not in text and "MARK SCHEME" not in text
        assert "Write your answer here" not in text
    kept = [c for c in cells("6.3") if "=== BEGIN MARK SCHEME ===" in c.source]
    assert [c.metadata["nbgrader"]["grade_id"] for c in kept] == ["s6_3-reflection"]
    assert kept[0].metadata["nbgrader"]["task"] and kept[0].metadata["nbgrader"]["points"] == 3
    reflection = kept[0].source
    assert "Grade the content, not the English" in reflection
    assert "The three parts: (a)" in reflection
    for points in ("- 3 points:", "- 2 points:", "- 1 point:", "- 0 points:"):
        assert points in reflection
    model = re.search(r'Model answer \(an example for (\w+), about 120 words\): "(.+?)"\n',
                      reflection, re.DOTALL)
    assert model and model.group(1) == "Bangladesh"
    assert 100 <= len(model.group(2).split()) <= 150


def test_the_apps_speak_only_of_what_they_show():
    """The text an app keeps names no variable, printed row, cell, assignment or mark."""
    from digit4sd_widgets.course.apps import app_cells

    hidden = re.compile(r"`[a-z_][a-z0-9_]*`|printed above|rows? printed|cell below|"
                        r"run the cell|\bassignments?\b|\bmarks?\b|\bcode\b", re.IGNORECASE)
    for sub, path in PATHS.items():
        kept = app_cells(nbformat.read(path, as_version=4))
        text = "\n".join(c.source for c in kept if c.cell_type == "markdown")
        assert not [line for line in text.splitlines() if hidden.search(line)], sub
        assert f'DataTasks("{sub}")' in "\n".join(c.source for c in kept)
