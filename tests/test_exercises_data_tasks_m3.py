"""Data questions of module 3: each answer, computed here from the data, is what the question's
table shows when filtered and sorted as its hint says (the route of a learner who does not
code)."""

from __future__ import annotations

import pandas as pd
import pytest

from digit4sd_widgets import data
from digit4sd_widgets.course.data_tasks import TASKS
from digit4sd_widgets.exercises.data_tasks import (
    DataTasksModel,
    filter_rows,
    summary_rows,
    table_frame,
)

COMPONENTS = ("osi", "hci", "tii")
LABEL = {"osi": "OSI", "hci": "HCI", "tii": "TII"}
# the synthetic learners' and the course's example countries, a country in no group and a
# country that leads its own group
CASES = ("NPL", "ETH", "FJI", "BGD", "KEN", "SGP", "HTI")


def task(sub: str, task_id: str):
    return next(t for t in TASKS[sub] if t.id == task_id)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return data.load_survey(years=2024)


def means_shown(frame: pd.DataFrame, group: str) -> dict[str, float]:
    """The line 'Mean' under the table, for the rows of ``group``."""
    rows = filter_rows(frame, group)
    cols = [c for c in frame.columns if c not in ("iso3", "ldc", "lldc", "sids", "_region")]
    mean_line = summary_rows(rows)[1]
    assert mean_line[0] == "Mean"
    return dict(zip(cols[1:], mean_line[1:], strict=True))


# ----------------------------------------------------------------------------- 3.1
def test_3_1_the_largest_ldc_gap_is_read_from_two_mean_lines(survey):
    ldc = survey[survey["ldc"]]
    expected = {c: ldc[c].mean() - survey[c].mean() for c in COMPONENTS}
    biggest = min(expected, key=expected.get)

    which = task("3.1", "biggest_gap")
    frame = table_frame(which.table)
    world, ldcs = means_shown(frame, "all"), means_shown(frame, "ldc")
    read = {c: ldcs[LABEL[c]] - world[LABEL[c]] for c in COMPONENTS}
    assert min(read, key=read.get) == biggest
    assert biggest in {value for _, value in which.choices}

    size = task("3.1", "gap_size")
    frame = table_frame(size.table)
    # what the learner reads: the means as the table prints them (four decimals)
    shown = round(means_shown(frame, "ldc")[LABEL[biggest]], 4) - round(
        means_shown(frame, "all")[LABEL[biggest]], 4)
    assert round(shown, size.decimals) == pytest.approx(expected[biggest], abs=0.0005)
    assert expected[biggest] < 0
    # the lowest LDC mean is another component: the question is about the distance
    assert min(COMPONENTS, key=lambda c: ldc[c].mean()) != biggest


def test_3_1_answers_are_accepted_by_value_or_label():
    model = DataTasksModel("3.1").with_answer("biggest_gap", "TII")
    assert model.value("biggest_gap") == "tii"
    model = model.with_answer("biggest_gap", "Human capital (HCI)")
    assert model.value("biggest_gap") == "hci"
    assert model.with_answer("gap_size", "-0,346").value("gap_size") == pytest.approx(-0.346)


# ----------------------------------------------------------------------------- 3.2
def peer_sets(survey: pd.DataFrame, iso3: str) -> list[pd.DataFrame]:
    """The peers the question allows: each group of the country, else its region."""
    own = survey.set_index("iso3").loc[iso3]
    groups = [survey[survey[g]] for g in ("ldc", "lldc", "sids") if own[g]]
    return groups or [survey[survey["region"] == own["region"]]]


def shown_rows(table, iso3: str, focus: str, survey: pd.DataFrame) -> list[pd.DataFrame]:
    """The table as the hint says: the country's group (or region), highest value first."""
    own = survey.set_index("iso3").loc[iso3]
    frame = table_frame(table, iso3)
    filters = [g for g in ("ldc", "lldc", "sids") if own[g]] or [own["region"]]
    return [filter_rows(frame, f).sort_values(LABEL[focus], ascending=False, kind="stable")
            .reset_index(drop=True) for f in filters]


@pytest.mark.parametrize("iso3", CASES)
@pytest.mark.parametrize("focus", COMPONENTS)
def test_3_2_the_peer_leader_is_the_first_other_row(survey, iso3, focus):
    expected = set()
    for peers in peer_sets(survey, iso3):
        others = peers[peers["iso3"] != iso3]
        expected.add(others.loc[others[focus].idxmax(), "country"])
    read = set()
    for rows in shown_rows(task("3.2", "peer_leader").table, iso3, focus, survey):
        read.add(rows.loc[rows["iso3"] != iso3, "country"].iloc[0])
    assert read == expected


@pytest.mark.parametrize("iso3", CASES)
@pytest.mark.parametrize("focus", COMPONENTS)
def test_3_2_the_peers_ahead_are_the_rows_above_the_own_row(survey, iso3, focus):
    own = survey.set_index("iso3").loc[iso3, focus]
    expected = {int((peers[focus] > own).sum()) for peers in peer_sets(survey, iso3)}
    read = set()
    for rows in shown_rows(task("3.2", "peers_ahead").table, iso3, focus, survey):
        row_number = int(rows.index[rows["iso3"] == iso3][0]) + 1  # the '#' column
        read.add(row_number - 1)
    assert read == expected


def test_3_2_a_country_in_no_group_reads_its_region(survey):
    kenya = survey.set_index("iso3").loc["KEN"]
    assert not (kenya["ldc"] or kenya["lldc"] or kenya["sids"])
    (rows,) = shown_rows(task("3.2", "peer_leader").table, "KEN", "osi", survey)
    assert set(rows["_region"]) == {kenya["region"]}


def test_3_2_the_country_box_offers_every_peer():
    model = DataTasksModel("3.2").with_answer("peer_leader", "RWA")
    assert model.value("peer_leader") == "Rwanda"
    assert model.with_answer("peers_ahead", "11").value("peers_ahead") == 11
