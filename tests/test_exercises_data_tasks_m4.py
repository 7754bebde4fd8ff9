"""Data questions of module 4 (4.1 the canvas's starting point, 4.3 who a portal reaches): the
answer a learner reads from the table as the hint says is the one the notebook's hidden test
computes, and the graded cells give their points to right answers only."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from digit4sd_widgets import data
from digit4sd_widgets.course.data_tasks import TASKS
from digit4sd_widgets.course.data_tasks.m4 import TOWN
from digit4sd_widgets.exercises.data_tasks import (
    DataTasksModel,
    filter_rows,
    summary_rows,
    table_frame,
)
from digit4sd_widgets.workbook import ENV_VAR, Workbook

SOURCE = Path(__file__).resolve().parent.parent / "course" / "source" / "m4_design_implementation"
COMPONENTS = ("osi", "hci", "tii")
LABEL = {"osi": "OSI", "hci": "HCI", "tii": "TII", "epi": "EPI"}
# the synthetic learners' and the course's example countries, countries in no group
CASES = ("NPL", "ETH", "FJI", "BGD", "KEN", "SGP", "HTI", "DNK")


def task(sub: str, task_id: str):
    return next(t for t in TASKS[sub] if t.id == task_id)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return data.load_survey(years=2024)


def group_of(survey: pd.DataFrame, iso3: str) -> str:
    own = survey.set_index("iso3").loc[iso3]
    return next((g for g in ("ldc", "lldc", "sids") if own[g]), "all")


def read_4_1(survey: pd.DataFrame, iso3: str) -> tuple[dict[str, float], float]:
    """What the table shows with the country's group chosen: own figure minus the line
    'Mean', each as printed (four decimals), for the components and the EPI."""
    frame = table_frame(task("4.1", "strongest").table, iso3)
    rows = filter_rows(frame, group_of(survey, iso3))
    cols = [c for c in frame.columns if c not in ("iso3", "ldc", "lldc", "sids", "_region")]
    means = dict(zip(cols[1:], summary_rows(rows)[1][1:], strict=True))
    me = rows[rows["iso3"] == iso3].iloc[0]
    diff = {c: round(me[LABEL[c]], 4) - round(means[LABEL[c]], 4) for c in (*COMPONENTS, "epi")}
    return {c: diff[c] for c in COMPONENTS}, diff["epi"]


@pytest.mark.parametrize("iso3", CASES)
def test_4_1_the_table_gives_the_strongest_component_and_the_epi_side(survey, iso3):
    own = survey.set_index("iso3").loc[iso3]
    group = group_of(survey, iso3)
    members = survey if group == "all" else survey[survey[group]]
    gaps = {c: own[c] - members[c].mean() for c in COMPONENTS}
    read, epi = read_4_1(survey, iso3)
    assert max(read, key=read.get) == max(gaps, key=gaps.get)
    assert (epi > 0) == (own["epi"] > members["epi"].mean())
    assert {"osi", "hci", "tii"} == {v for _, v in task("4.1", "strongest").choices}


def test_4_1_answers_by_value_or_label():
    model = DataTasksModel("4.1").with_answer("strongest", "TII")
    assert model.value("strongest") == "tii"
    assert model.with_answer("epi_side", "Below the group's mean").value("epi_side") == "below"


@pytest.mark.parametrize("iso3", CASES)
def test_4_3_the_table_gives_the_share_offline(iso3):
    net = data.load_internet_use(latest=True).set_index("iso3")
    frame = table_frame(task("4.3", "offline_share").table, iso3)
    shown = frame.loc[frame["iso3"] == iso3, "Internet users (%)"].iloc[0]
    printed = float(f"{shown:.1f}" if shown >= 10 else f"{shown:.4f}")
    offline = round(100 - printed, 1)
    assert offline == pytest.approx(100 - net.loc[iso3, "internet_pct"], abs=0.05 + 1e-6)
    # the town: rounded to the nearest hundred from the share read in question 1
    town = round(TOWN * offline / 100, -2)
    assert abs(town - TOWN * (100 - net.loc[iso3, "internet_pct"]) / 100) <= 100


# --------------------------------------------------------------------------- graded cells
def graded(notebook: str) -> dict[str, str]:
    nb = nbformat.read(SOURCE / notebook, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and "data_answer(" in c.source}


def passed(cells: dict[str, str], sub: str, answers: dict, country: str | None, tmp_path,
           monkeypatch) -> set[str]:
    path = tmp_path / "digit4sd_workbook.json"
    path.unlink(missing_ok=True)
    wb = Workbook.open(path, siblings=False)
    if country:
        wb.set_case(country=country)
    model = DataTasksModel(sub, answers)
    wb.set(DataTasksModel.default_key_for(sub), model.kind, model.to_dict())
    monkeypatch.setenv(ENV_VAR, str(path))
    ok = set()
    for grade_id, source in cells.items():
        namespace = {"load_survey": data.load_survey,
                     "load_internet_use": data.load_internet_use}  # the setup cell's imports
        try:
            exec(compile(source, grade_id, "exec"), namespace)  # the course's own cell
        except AssertionError:
            continue
        ok.add(grade_id)
    return ok


def right_4_1(iso3: str) -> dict:
    survey = data.load_survey(years=2024)
    own = survey.set_index("iso3").loc[iso3]
    group = group_of(survey, iso3)
    members = survey if group == "all" else survey[survey[group]]
    gaps = {c: own[c] - members[c].mean() for c in COMPONENTS}
    return {"strongest": max(gaps, key=gaps.get),
            "epi_side": "above" if own["epi"] > members["epi"].mean() else "below"}


@pytest.mark.parametrize("iso3", ["BGD", "FJI", "DNK", None])
def test_4_1_graded_cells(iso3, tmp_path, monkeypatch):
    cells = graded("4_1_canvas.ipynb")
    assert set(cells) == {"s4_1-strongest-tests", "s4_1-epi-tests"}
    right = right_4_1(iso3 or "BGD")  # no case: Bangladesh
    assert passed(cells, "4.1", right, iso3, tmp_path, monkeypatch) == set(cells)
    wrong_component = next(c for c in COMPONENTS if c != right["strongest"])
    wrong_side = {"above": "below", "below": "above"}[right["epi_side"]]
    assert passed(cells, "4.1", {**right, "strongest": wrong_component}, iso3, tmp_path,
                  monkeypatch) == {"s4_1-epi-tests"}
    assert passed(cells, "4.1", {**right, "epi_side": wrong_side}, iso3, tmp_path,
                  monkeypatch) == {"s4_1-strongest-tests"}
    assert passed(cells, "4.1", {}, iso3, tmp_path, monkeypatch) == set()


@pytest.mark.parametrize("iso3", ["BGD", "ETH", "KEN"])
def test_4_3_graded_cells(iso3, tmp_path, monkeypatch):
    cells = graded("4_3_local_level.ipynb")
    assert set(cells) == {"s4_3-offline-tests", "s4_3-town-tests"}
    net = data.load_internet_use(latest=True).set_index("iso3")
    offline = round(100 - float(net.loc[iso3, "internet_pct"]), 1)
    town = int(round(TOWN * offline / 100, -2))
    both = set(cells)
    assert passed(cells, "4.3", {"offline_share": offline, "town_offline": town}, iso3,
                  tmp_path, monkeypatch) == both
    # a share read as the share online (not offline) is wrong...
    slip = round(100 - offline, 1)
    assert passed(cells, "4.3", {"offline_share": slip, "town_offline": town}, iso3,
                  tmp_path, monkeypatch) == {"s4_3-town-tests"}
    # ...and the town worked out from that slip is not marked wrong a second time
    assert passed(cells, "4.3", {"offline_share": slip,
                                 "town_offline": int(round(TOWN * slip / 100, -2))},
                  iso3, tmp_path, monkeypatch) == {"s4_3-town-tests"}
    # a town figure far from both is wrong
    assert passed(cells, "4.3", {"offline_share": offline, "town_offline": town + 2000},
                  iso3, tmp_path, monkeypatch) == {"s4_3-offline-tests"}
