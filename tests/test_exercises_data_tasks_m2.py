"""Data questions of module 2: each answer, computed here from the data, can be read in the
question's own table, with the rows and the order its hint gives."""

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

SURVEY_2024 = data.load_survey(years=2024)
LDC_2024 = SURVEY_2024[SURVEY_2024["ldc"]]


def task(sub: str, task_id: str):
    return next(t for t in TASKS[sub] if t.id == task_id)


def shown(sub: str, task_id: str, group: str, sort: str, descending: bool) -> pd.DataFrame:
    """The rows of a question's table as a learner sees them after following its hint."""
    frame = filter_rows(table_frame(task(sub, task_id).table), group)
    return frame.sort_values(sort, ascending=not descending, kind="stable").reset_index(drop=True)


def mean_of(frame: pd.DataFrame, column: str) -> float:
    rows = summary_rows(frame)
    columns = [c for c in frame.columns if c not in ("iso3", "ldc", "lldc", "sids", "_region")]
    return rows[1][columns.index(column)]


def as_shown(value: float) -> float:
    """A figure below 10 as the table prints it (four decimals)."""
    return float(f"{value:.4f}")


def test_module_2_has_its_questions_and_each_table_starts_as_its_hint_says():
    assert [t.id for t in TASKS["2.1"]] == ["below_half", "ldc_median"]
    assert [t.id for t in TASKS["2.2"]] == ["lag_group", "services_ahead"]
    assert [t.id for t in TASKS["2.3"]] == ["high_weak_osi", "risers", "rose_lost_places"]
    assert [t.id for t in TASKS["2.4"]] == ["missing_2008", "tied_2022"]
    assert [t.id for t in TASKS["2.5"]] == ["epi_link", "ldc_epi_above"]
    for sub in ("2.1", "2.2", "2.3", "2.4", "2.5"):
        for t in TASKS[sub]:
            assert t.hint, f"{sub}/{t.id}: a learner who does not code needs a hint"
            assert "your country" not in t.prompt.lower(), (
                f"{sub}/{t.id}: module 2 comes before the learner chooses a case")


# ---------------------------------------------------------------------------------- 2.1
def test_2_1_below_half_is_the_row_number_of_the_last_country_below_50():
    net = data.load_internet_use(latest=True)
    expected = int((net["internet_pct"] < 50).sum())
    rows = shown("2.1", "below_half", "all", "Internet users (%)", descending=False)
    assert len(rows) == 193
    assert rows["Internet users (%)"].iloc[expected - 1] < 50 <= \
        rows["Internet users (%)"].iloc[expected]


def test_2_1_ldc_median_is_the_median_line_of_the_ldcs():
    net = data.load_internet_use(latest=True).set_index("iso3")["internet_pct"]
    expected = float(net.reindex(list(LDC_2024["iso3"])).median())
    rows = shown("2.1", "ldc_median", "ldc", "Internet users (%)", descending=False)
    assert len(rows) == len(LDC_2024) == 45
    median = summary_rows(rows)[2][1]
    assert median == pytest.approx(expected)
    # the table prints one decimal, the question asks one: what is read is accepted
    t = task("2.1", "ldc_median")
    assert t.decimals == 1 and abs(round(median, 1) - expected) <= 0.05
    assert expected < 50  # the text after the questions says so


# ---------------------------------------------------------------------------------- 2.2
def test_2_2_lag_group_is_read_from_the_mean_lines_of_each_group():
    groups = {"all": SURVEY_2024, "ldc": LDC_2024,
              "lldc": SURVEY_2024[SURVEY_2024["lldc"]],
              "sids": SURVEY_2024[SURVEY_2024["sids"]]}
    lag = {g: rows["tii"].mean() - rows["osi"].mean() for g, rows in groups.items()}
    expected = max(lag, key=lag.get)
    read = {}
    for group in groups:
        rows = shown("2.2", "lag_group", group, "OSI", descending=True)
        read[group] = as_shown(mean_of(rows, "TII")) - as_shown(mean_of(rows, "OSI"))
    assert max(read, key=read.get) == expected
    # a clear answer: the largest gap is well ahead of the next one
    gaps = sorted(read.values(), reverse=True)
    assert gaps[0] - gaps[1] > 0.05
    assert expected in {v for _, v in task("2.2", "lag_group").choices}


def test_2_2_services_ahead_is_counted_row_by_row_in_the_ldc_table():
    expected = int((LDC_2024["osi"] > LDC_2024["tii"]).sum())
    rows = shown("2.2", "services_ahead", "ldc", "OSI", descending=True)
    assert len(rows) == 45
    osi, tii = rows["OSI"].map(as_shown), rows["TII"].map(as_shown)
    assert int((osi > tii).sum()) == expected
    assert not (osi == tii).any(), "a row that prints two equal figures would be ambiguous"


# ---------------------------------------------------------------------------------- 2.3
def test_2_3_high_weak_osi_is_the_lowest_osi_among_the_top_rows_at_level_high():
    high = LDC_2024[LDC_2024["egdi"] >= 0.5]
    expected = high.loc[high["osi"].idxmin(), "country"]
    rows = shown("2.3", "high_weak_osi", "ldc", "EGDI", descending=True)
    levels = rows["EGDI level"].astype(str)
    n = int(levels.isin(["high", "very high"]).sum())
    assert n == len(high) and n >= 3
    assert levels.iloc[:n].isin(["high", "very high"]).all()  # the first rows, as said
    top = rows.iloc[:n]
    assert top.loc[top["OSI"].idxmin(), "country"] == expected
    assert int((top["OSI"] == top["OSI"].min()).sum()) == 1  # one answer only


def _ldc_change_2014_2024() -> pd.DataFrame:
    old = data.load_survey(years=2014).set_index("iso3")[["egdi", "egdi_rank"]]
    new = LDC_2024.set_index("iso3")[["egdi", "egdi_rank"]]
    both = new.merge(old, left_index=True, right_index=True, suffixes=("_2024", "_2014"))
    both["change"] = both["egdi_2024"] - both["egdi_2014"]
    return both


def test_2_3_risers_are_the_first_rows_by_change():
    both = _ldc_change_2014_2024()
    expected = int((both["change"] >= 0.2).sum())
    rows = shown("2.3", "risers", "ldc", "Change", descending=True)
    assert len(rows) == 45
    assert rows["Change"].iloc[expected - 1] >= 0.2 > rows["Change"].iloc[expected]
    # no change sits so close to 0.20 that the printed figure would mislead
    assert ((rows["Change"] - 0.2).abs() > 0.0005).all()


def test_2_3_rose_lost_places_is_read_where_places_gained_is_negative():
    both = _ldc_change_2014_2024()
    expected = int(((both["change"] > 0)
                    & (both["egdi_rank_2024"] > both["egdi_rank_2014"])).sum())
    rows = shown("2.3", "rose_lost_places", "ldc", "Places gained", descending=False)
    lost = rows[rows["Places gained"] < 0]
    assert lost.index.tolist() == list(range(len(lost)))  # the first rows, lowest first
    assert int((lost["Change"] > 0).sum()) == expected
    assert 0 < expected < len(lost)  # some fell in EGDI too: the count needs reading


# ---------------------------------------------------------------------------------- 2.4
def test_2_4_missing_2008_is_193_less_the_rows_of_the_join():
    expected = int(data.load_survey(years=2008)["egdi"].isna().sum())
    assert SURVEY_2024["egdi"].notna().all() and len(SURVEY_2024) == 193
    rows = filter_rows(table_frame(task("2.4", "missing_2008").table), "all")
    assert summary_rows(rows)[0][1] == len(rows) == 193 - expected


def test_2_4_tied_2022_is_counted_in_the_sorted_rank_column():
    s2022 = data.load_survey(years=2022)
    counts = s2022["egdi_rank"].value_counts()
    expected = int(counts[counts > 1].sum())
    rows = shown("2.4", "tied_2022", "all", "Rank", descending=False)
    rank = rows["Rank"]
    shared = (rank == rank.shift(1)) | (rank == rank.shift(-1))
    assert int(shared.sum()) == expected > 0
    # after each shared rank the next rank number is skipped, as the hint says
    for r in rank[shared].unique():
        after = rank[rank > r]
        assert after.empty or after.min() == r + int((rank == r).sum())


# ---------------------------------------------------------------------------------- 2.5
def test_2_5_epi_link_matches_the_correlation_and_shows_in_the_table():
    r = float(SURVEY_2024["egdi"].corr(SURVEY_2024["epi"]))
    expected = ("close" if r > 0.7 else "loose" if r >= 0.3 else "none" if r >= -0.3
                else "opposite")
    rows = shown("2.5", "epi_link", "all", "EGDI", descending=True)
    assert float(rows["EGDI"].corr(rows["EPI"])) == pytest.approx(r)
    assert expected == "close" and r > 0.75  # not at the edge of its band
    # what a reader of the table sees: the first twenty rows far above the last twenty
    assert rows["EPI"].head(20).min() > rows["EPI"].tail(20).max()
    assert expected in {v for _, v in task("2.5", "epi_link").choices}


def test_2_5_ldc_epi_above_is_counted_row_by_row_in_the_ldc_table():
    expected = int((LDC_2024["epi"] > LDC_2024["egdi"]).sum())
    rows = shown("2.5", "ldc_epi_above", "ldc", "EPI", descending=True)
    epi, egdi = rows["EPI"].map(as_shown), rows["EGDI"].map(as_shown)
    assert int((epi > egdi).sum()) == expected > 0
    assert not (epi == egdi).any()


# ------------------------------------------------------------------------ the boxes
def test_the_right_answers_can_be_given_in_the_boxes_of_each_question():
    answers = {"2.1": {"below_half": "50", "ldc_median": "32.5"},
               "2.2": {"lag_group": "Small island developing States (SIDS)",
                       "services_ahead": 23},
               "2.3": {"high_weak_osi": "Myanmar", "risers": 10, "rose_lost_places": 15},
               "2.4": {"missing_2008": 11, "tied_2022": 8},
               "2.5": {"epi_link": "close", "ldc_epi_above": 8}}
    for sub, given in answers.items():
        model = DataTasksModel(sub)
        for task_id, value in given.items():
            model = model.with_answer(task_id, value)
        assert model.completeness().complete, sub
    assert DataTasksModel("2.2").with_answer("lag_group", "sids").shown("lag_group") == \
        "Small island developing States (SIDS)"
