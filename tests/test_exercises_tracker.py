"""KPI tracker: planned path, progress ratio, statuses; project KPIs with the learner's own
figures; national indicators from the data with their warning; review; earlier workbooks;
start from the KPI builder."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.kpi import INDICATOR_KEYS, SURVEY_WARNING, KPIBuilderModel
from digit4sd_widgets.exercises.tracker import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    KPITracker,
    KPITrackerModel,
    TrackedKPI,
    figure_date,
    status_for,
)
from digit4sd_widgets.workbook import Workbook

from .i18n_checks import english_left

OSI = {"name": "Online services review", "indicator": "osi", "country": "BGD",
       "baseline_year": 2014, "target": 0.8, "target_year": 2024}
BIRTHS = {"name": "Births registered online", "kind": "project", "unit": "births a month",
          "goal": "increase", "baseline": 0, "baseline_year": 2024, "target": 1200,
          "target_year": 2030, "source": "Civil registry office", "frequency": "monthly"}
BUILT = {"name": "Online services for every citizen", "indicator": "osi", "country": "BGD",
         "target": "0.85", "target_year": "2030", "sdg_target": "16.6"}
BUILT_PROJECT = {"name": "Births registered online", "kind": "project", "level": "outcome",
                 "measure": "births registered online", "scope": "in the pilot districts",
                 "unit": "births a month", "goal": "increase", "baseline": "0",
                 "baseline_year": "2024", "target": "1200", "target_year": "2030",
                 "source": "Civil registry office", "frequency": "monthly",
                 "sdg_target": "16.9", "responsible": "Civil registry office"}


def osi(year: int) -> float:
    return float(analysis.indicator_series("BGD", "osi")[year])


# ------------------------------------------------------------------------- status rules
@pytest.mark.parametrize(
    ("actual", "status"),
    [(0.65, ON_TRACK), (0.59, ON_TRACK), (0.589, AT_RISK), (0.55, AT_RISK),
     (0.5499, OFF_TRACK), (0.5, OFF_TRACK), (0.4, OFF_TRACK)],
)
def test_status_thresholds(actual, status):
    # baseline 0.5, planned 0.6: ratio 0.9 (0.59) -> on track, 0.5 (0.55) -> at risk
    assert status_for(actual, 0.5, 0.6, 0.8)[1] == status


def test_ratio_and_reaching_the_target():
    ratio, status = status_for(0.53, 0.5, 0.6, 0.8)
    assert ratio == pytest.approx(0.3) and status == OFF_TRACK
    assert status_for(0.8, 0.5, 0.6, 0.8)[1] == ON_TRACK
    # no change planned: on track only if the level is kept
    assert status_for(0.5, 0.5, 0.5, 0.5) == (None, ON_TRACK)
    assert status_for(0.4, 0.5, 0.5, 0.5) == (None, OFF_TRACK)
    # a falling target is reached from above
    assert status_for(0.55, 0.8, 0.7, 0.6)[1] == ON_TRACK


def test_the_rule_the_notebook_and_the_quiz_teach():
    """5.1: on track = at least 90% of the planned change so far (or the target reached),
    at risk = 50% to 90%, off track = below 50% or a fall; the quiz's key (a rise of 0.07
    where 0.10 was planned is at risk) follows from it."""
    assert status_for(0.47, 0.40, 0.50, 0.60) == (pytest.approx(0.7), AT_RISK)
    assert status_for(0.49, 0.40, 0.50, 0.60)[1] == ON_TRACK
    assert status_for(0.485, 0.40, 0.50, 0.60)[1] == AT_RISK  # 85%: not yet on track
    assert status_for(0.45, 0.40, 0.50, 0.60)[1] == AT_RISK  # 50%
    assert status_for(0.44, 0.40, 0.50, 0.60)[1] == OFF_TRACK
    assert status_for(0.38, 0.40, 0.50, 0.60)[1] == OFF_TRACK  # a fall


# ------------------------------------------------------------------------- project KPIs
def test_a_project_kpi_is_tracked_with_the_learners_own_figures():
    m = KPITrackerModel().with_added(**BIRTHS)
    k = m.kpi(BIRTHS["name"])
    assert k.is_project and k.baseline == 0 and not k.warning
    assert k.status == NO_DATA and k.checkpoints() == ()
    # planned: 0 in 2024 -> 1200 in 2030, so 400 by 2026 and 500 by mid-2026
    m = m.with_figure(BIRTHS["name"], "2026", 380)
    (c,) = m.checkpoints(BIRTHS["name"])
    assert (c.date, c.year, c.actual, c.planned) == ("2026", 2026, 380, 400)
    assert c.ratio == pytest.approx(0.95) and c.status == ON_TRACK
    m = m.with_figure(BIRTHS["name"], "2026-07", 300)  # 2026.5: planned 500, 60%
    last = m.checkpoints(BIRTHS["name"])[-1]
    assert last.planned == pytest.approx(500) and last.ratio == pytest.approx(0.6)
    assert m.status(BIRTHS["name"]) == AT_RISK
    m = m.with_figure(BIRTHS["name"], "2027", 200)  # planned 600, 33%
    assert m.status(BIRTHS["name"]) == OFF_TRACK
    # a figure of the same date replaces the earlier one; figures stay in date order
    m = m.with_figure(BIRTHS["name"], "2026-07", 450)
    assert [f.date for f in m.kpi(BIRTHS["name"]).figures] == ["2026", "2026-07", "2027"]
    assert m.checkpoints(BIRTHS["name"])[1].actual == 450
    m = m.without_figure(BIRTHS["name"], "2027")
    assert m.status(BIRTHS["name"]) == ON_TRACK  # 450 of 500 planned: 90%
    assert m.checkpoints(BIRTHS["name"])[-1].ratio == pytest.approx(0.9)


def test_a_project_kpi_whose_goal_is_a_fall():
    m = KPITrackerModel().with_added(name="Days to register a birth", kind="project",
                                     unit="days", goal="decrease", baseline=45,
                                     baseline_year=2024, target=7, target_year=2030)
    # planned: 45 -> 7 over 6 years, so 32.33 by 2026; 40 days is a fall of 5 of 12.67
    m = m.with_figure("Days to register a birth", "2026", 40)
    c = m.checkpoints("Days to register a birth")[0]
    assert c.ratio == pytest.approx(5 / (38 / 3)) and c.status == OFF_TRACK
    m = m.with_figure("Days to register a birth", "2026", 33)
    assert m.status("Days to register a birth") == ON_TRACK
    m = m.with_figure("Days to register a birth", "2031", 6)  # after the target year
    assert m.checkpoints("Days to register a birth")[-1].planned == 7
    assert m.status("Days to register a birth") == ON_TRACK


@pytest.mark.parametrize(
    ("date", "value", "message"),
    [
        ("2024", 10, "must come after the baseline (2024)"),
        ("2023-12", 10, "must come after the baseline"),
        ("soon", 10, "Type a year such as 2026"),
        ("", 10, "Type a year such as 2026"),
        ("2026-13", 10, "month must be between 1 and 12"),
        ("2026", "", "figure is missing"),
        ("2026", "lots", "must be a number"),
        ("2026", "1,200", "no separator"),
    ],
)
def test_figure_refusals(date, value, message):
    m = KPITrackerModel().with_added(**BIRTHS)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        m.with_figure(BIRTHS["name"], date, value)
    assert m.kpi(BIRTHS["name"]).figures == ()


def test_figure_dates():
    assert figure_date("2024-06", 2024) == "2024-06"  # within the baseline year, after its start
    assert figure_date(" 2026.3 ", 2024) == "2026-03"
    with pytest.raises(ValidationError, match="percentage"):
        KPITrackerModel().with_added(**{**BIRTHS, "unit": "%", "target": 80}).with_figure(
            BIRTHS["name"], "2026", 130)


def test_national_figures_and_project_reviews_stay_apart():
    m = KPITrackerModel().with_added(**BIRTHS).with_added(**OSI)
    with pytest.raises(ValidationError, match="come from the data"):
        m.with_figure(OSI["name"], "2026", 0.5)
    with pytest.raises(ValidationError, match="enter the figures you measured"):
        m.with_review(BIRTHS["name"], 2018)
    with pytest.raises(ValidationError, match="has no figure for 2026"):
        m.without_figure(BIRTHS["name"], "2026")


# ------------------------------------------------------------------------- national indices
def test_planned_line():
    k = TrackedKPI.parse(OSI)
    assert k.baseline == osi(2014)
    assert k.planned(2019) == pytest.approx(osi(2014) + (0.8 - osi(2014)) / 2)
    assert k.planned(2024) == 0.8
    assert k.planned(2030) == 0.8  # after the target year the plan is the target


def test_checkpoints_on_real_data():
    m = KPITrackerModel().with_added(**OSI)
    points = m.checkpoints(OSI["name"])
    assert [c.year for c in points] == [2016, 2018, 2020, 2022, 2024]
    assert [c.date for c in points] == ["2016", "2018", "2020", "2022", "2024"]
    last = points[-1]
    assert last.actual == osi(2024) and last.planned == 0.8
    assert last.ratio == pytest.approx((osi(2024) - osi(2014)) / (0.8 - osi(2014)))
    assert [c.status for c in points] == [ON_TRACK, ON_TRACK, ON_TRACK, AT_RISK, AT_RISK]
    assert m.status(OSI["name"]) == AT_RISK


def test_ethiopias_osi_as_the_notebook_tells_it():
    """5.1: a 2014 baseline and a target of 0.75 by 2024 for Ethiopia's OSI: on track in
    2016 and 2018, off track from 2020 (0.632 in 2018, 0.365 in 2020)."""
    s = analysis.indicator_series("ETH", "osi")
    assert (round(float(s[2018]), 3), round(float(s[2020]), 3)) == (0.632, 0.365)
    k = TrackedKPI.parse({"name": "x", "indicator": "osi", "country": "ETH",
                          "baseline_year": 2014, "target": 0.75, "target_year": 2024})
    assert [(c.year, c.status) for c in k.checkpoints()] == [
        (2016, ON_TRACK), (2018, ON_TRACK), (2020, OFF_TRACK), (2022, OFF_TRACK),
        (2024, OFF_TRACK)]
    assert k.warning == SURVEY_WARNING


def test_no_data_after_the_baseline():
    m = KPITrackerModel().with_added(**{**OSI, "baseline_year": 2024, "target_year": 2030})
    k = m.kpi(OSI["name"])
    assert k.checkpoints() == () and k.status == NO_DATA and k.next_data_year == 2026
    web = KPITrackerModel().with_added(name="People online", indicator="internet_pct",
                                       country="SSD", baseline_year=2020, target=30,
                                       target_year=2030).kpi("people online")
    assert web.status == NO_DATA and web.next_data_year == 2021
    notes = [b.text for b in m.with_added(name="People online", indicator="internet_pct",
                                          country="SSD", baseline_year=2020, target=30,
                                          target_year=2030).report() if b.kind == "note"]
    assert any("watch for 2021" in n for n in notes)


def test_review_from_an_earlier_year():
    m = KPITrackerModel().with_added(**{**OSI, "baseline_year": 2024, "target_year": 2030})
    reviewed = m.with_review(OSI["name"], 2018)
    assert reviewed.kpi(OSI["name"]).baseline_year == 2018
    assert reviewed.status(OSI["name"]) != NO_DATA
    assert m.status(OSI["name"]) == NO_DATA  # the old model is untouched
    web = KPITrackerModel().with_added(name="People online", indicator="internet_pct",
                                       country="BGD", baseline_year=2023, target=70,
                                       target_year=2030)
    assert [c.year for c in web.with_review("People online", 2019).checkpoints(
        "People online")] == [2020, 2021, 2022, 2023]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"baseline_year": 2015}, "There is no OSI figure for Bangladesh in 2015"),
        ({"country": "SSD", "baseline_year": 2010}, "Years with data: 2012, 2014"),
        ({"target_year": 2014}, "must come after the baseline year (2014)"),
        ({"target_year": 2010}, "must come after the baseline year"),
        ({"target_year": 2060}, "2050 or earlier"),
        ({"baseline_year": "x"}, "baseline year must be a number"),
        ({"baseline_year": None}, "baseline year is missing"),
        ({"target": "1,5"}, "between 0 and 1"),
        ({"target": "many"}, "must be a number"),
        ({"name": ""}, "name cannot be empty"),
        ({"name": "ONLINE services review"}, "already tracked"),
        ({"country": "Atlantis"}, "Unknown country"),
        ({"indicator": "gdp"}, "Indicator must be one of"),
        ({"kind": "other"}, "kind of KPI must be one of"),
        ({**BIRTHS, "name": "x", "baseline": ""}, "baseline is missing"),
        ({**BIRTHS, "name": "x", "goal": "up"}, "goal must be one of"),
        ({**BIRTHS, "name": "x", "target_year": 2020}, "must come after the baseline year"),
        ({**BIRTHS, "name": "x", "figures": "many"}, "figures must be a list"),
        ({**BIRTHS, "name": "x", "figures": [{"date": "2026", "value": 1},
                                             {"date": "2026", "value": 2}]},
         "two figures for 2026"),
    ],
)
def test_refusals_keep_the_model(change, message):
    m = KPITrackerModel().with_added(**OSI)
    fields = {**OSI, "name": "Another tracked KPI", **change}
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        m.with_added(**fields)
    assert m.names() == [OSI["name"]]


def test_internet_review_names_the_years_with_data():
    with pytest.raises(ValidationError, match="Years with data: 2013–2020"):
        TrackedKPI.parse({**OSI, "indicator": "internet_pct", "country": "SSD",
                          "baseline_year": 2010, "target": 30, "target_year": 2030})


def test_update_rename_and_remove():
    m = KPITrackerModel().with_added(**OSI).with_added(**{**OSI, "name": "Second"})
    with pytest.raises(ValidationError, match="already called"):
        m.with_updated("Second", name="online services review")
    m2 = m.with_updated("second", name="Telecom", indicator="tii", target=0.5)
    assert m2.names() == [OSI["name"], "Telecom"]
    assert m2.without("Telecom").names() == [OSI["name"]]
    with pytest.raises(ValidationError, match="no tracked KPI called"):
        m2.without("nothing")


# ------------------------------------------------------------------------- storage
def test_stored_format_and_round_trip():
    m = KPITrackerModel().with_added(**{**OSI, "target": "0,8"}).with_added(
        **BIRTHS).with_figure(BIRTHS["name"], "2026-03", "350")
    assert m.to_dict() == {"tracked": [
        {"name": OSI["name"], "kind": "context", "indicator": "osi", "country": "BGD",
         "baseline_year": 2014, "target": 0.8, "target_year": 2024},
        {"name": BIRTHS["name"], "kind": "project", "unit": "births a month",
         "goal": "increase", "baseline_year": 2024, "baseline": 0.0, "target": 1200.0,
         "target_year": 2030, "source": "Civil registry office", "frequency": "monthly",
         "figures": [{"date": "2026-03", "value": 350.0}]}]}
    assert KPITrackerModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


def test_an_earlier_workbook_still_loads():
    old = {"tracked": [{"name": OSI["name"], "indicator": "osi", "country": "BGD",
                        "baseline_year": 2014, "target": 0.8, "target_year": 2024}]}
    m = KPITrackerModel.from_dict(old)
    k = m.kpi(OSI["name"])
    assert k.kind == "context" and k.status == AT_RISK and k.warning == SURVEY_WARNING
    assert not m.completeness().complete  # a project KPI is needed now


@pytest.mark.parametrize("bad", [None, "x", {"tracked": {}}, {"tracked": [None]},
                                 {"tracked": [{**OSI, "baseline_year": 2013}]},
                                 {"tracked": [OSI, OSI]},
                                 {"tracked": [{**BIRTHS, "figures": [{"date": "2020",
                                                                      "value": 3}]}]}])
def test_from_dict_refuses_junk(bad):
    with pytest.raises(ValidationError):
        KPITrackerModel.from_dict(bad)


def test_starts_from_the_kpi_builder():
    wb = Workbook.in_memory()
    built = KPIBuilderModel().with_added(**BUILT).with_added(
        name="More people online", indicator="internet_pct", country="BGD", target=70,
        target_year=2030).with_added(**BUILT_PROJECT)
    wb.set("3.3/kpi_builder", "kpi_builder", built.to_dict())
    m = KPITrackerModel.from_workbook(wb)
    assert m.names() == built.names()
    assert [k.kind for k in m.tracked] == ["context", "context", "project"]
    assert [k.baseline_year for k in m.tracked] == [2024, 2023, 2024]
    births = m.kpi(BUILT_PROJECT["name"])
    assert (births.baseline, births.target, births.unit, births.frequency) == (
        0, 1200, "births a month", "monthly")
    assert all(k.status == NO_DATA for k in m.tracked)
    # a saved tracker answer wins over the builder's list
    wb.set("5.1/kpi_tracker", "kpi_tracker", KPITrackerModel().with_added(**OSI).to_dict())
    assert KPITrackerModel.from_workbook(wb).names() == [OSI["name"]]


def test_starts_from_an_earlier_kpi_builder_too():
    wb = Workbook.in_memory()
    wb.set("3.3/kpi_builder", "kpi_builder", {"kpis": [
        {**BUILT, "baseline_year": 2024, "baseline": 0.74, "responsible": "ICT Division"}]})
    assert [k.kind for k in KPITrackerModel.from_workbook(wb).tracked] == ["context"]


def test_starter_skips_what_no_longer_fits():
    wb = Workbook.in_memory()
    wb.set("3.3/kpi_builder", "kpi_builder", {"kpis": [
        {**BUILT, "baseline_year": 2024}, {"name": 5}, "junk",
        {**BUILT, "name": "No figure that year", "baseline_year": 2015},
        {**BUILT_PROJECT, "name": "No baseline", "baseline": ""},
        {**BUILT, "baseline_year": 2024, "name": "ONLINE services for every citizen"}]})
    assert KPITrackerModel.from_workbook(wb).names() == [BUILT["name"]]
    wb.set("3.3/kpi_builder", "kpi_builder", {"kpis": "nothing"})
    assert KPITrackerModel.from_workbook(wb).names() == []


def test_completeness_needs_a_project_kpi_with_a_figure():
    m = KPITrackerModel()
    assert m.completeness().done == 0
    reviewed = m.with_added(**OSI)
    assert reviewed.status(OSI["name"]) != NO_DATA
    assert reviewed.completeness().done == 0  # a national review alone is not enough
    planned = reviewed.with_added(**BIRTHS)
    assert planned.completeness().missing == [
        "a figure measured since the baseline, with its date, for a project KPI"]
    done = planned.with_figure(BIRTHS["name"], "2026", 100).completeness()
    assert done.complete and done.missing == []


def test_report():
    m = KPITrackerModel().with_added(**OSI).with_added(**BIRTHS)
    blocks = m.report()
    assert blocks[0].rows[0][-1] == AT_RISK
    assert blocks[0].rows[1][-1] == f"{NO_DATA} (next: your next figure)"
    assert [b.kind for b in blocks] == ["table", "table", "note", "image", "note", "image"]
    assert blocks[1].rows[-1][0] == "2024"
    assert blocks[2].text == SURVEY_WARNING  # the national index carries its warning
    assert "enter the latest figure measured since 2024" in blocks[4].text
    assert "Civil registry office, monthly" in blocks[4].text
    assert all(b.png.startswith(b"\x89PNG") for b in blocks if b.kind == "image")
    with_figure = m.with_figure(BIRTHS["name"], "2026", 380).report()
    assert with_figure[0].rows[1][4:] == ["380 births a month (2026)", "400 births a month",
                                          "95%", ON_TRACK]
    assert with_figure[4].rows == [["2026", "380 births a month", "400 births a month", "95%",
                                    ON_TRACK]]
    assert "Births registered online (births a month): on track" in with_figure[5].alt


# ------------------------------------------------------------------------- view
def fill(view: KPITracker, **fields) -> None:
    for key in ("name", "indicator", "country", "baseline_year", "target", "target_year"):
        if key in fields:
            getattr(view, key).value = fields[key]


def project_fill(view: KPITracker, **fields) -> None:
    view.indicator.value = "project"
    names = {"unit": "unit", "goal": "goal", "baseline": "base_value",
             "baseline_year": "base_year", "name": "name", "target": "target",
             "target_year": "target_year"}
    for key, widget in names.items():
        if key in fields:
            getattr(view, widget).value = str(fields[key]) if key != "goal" else fields[key]


def test_view_with_no_arguments_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    view = KPITracker()
    assert view.country.value == "BGD"
    assert view.indicator.value == "project" and view.warning.value == ""
    assert view.project_box.layout.display != "none"
    assert view.context_box.layout.display == "none"
    assert view.model.names() == []
    # no KPI yet: no picture at all (never a broken image), and a sentence that says why
    assert view.chart.value == b"" and view.chart.alt == ""
    assert view.chart.image.layout.display == "none" and view.chart.numbers.value == ""
    assert "Add a KPI in 3.3" in view.heading.value and "chart here" in view.heading.value
    view.indicator.value = "osi"
    assert view.baseline_year.options[0] == 2024
    assert "rescales" in view.warning.value


def test_view_unknown_country_shows_a_message():
    view = KPITracker("Atlantis", workbook=Workbook.in_memory())
    view.indicator.value = "osi"
    assert "Unknown country" in view.country_message.value
    assert view.baseline_year.options == ()
    view.add_button.click()
    assert view.form_message.value  # refused with a message
    view.country.value = "Nepal"
    assert view.country_message.value == "" and 2024 in view.baseline_year.options


def test_view_offers_the_years_with_data():
    view = KPITracker("SSD", workbook=Workbook.in_memory())
    view.indicator.value = "osi"
    assert list(view.baseline_year.options) == [2024, 2022, 2020, 2018, 2016, 2014, 2012]
    view.indicator.value = "internet_pct"
    assert view.baseline_year.options[0] == 2020
    assert "Context only" in view.warning.value and "rescale" not in view.warning.value


def test_view_tracks_a_project_kpi_with_the_learners_figures(tmp_path):
    view = KPITracker(workbook=Workbook.open(tmp_path / "wb.json"))
    project_fill(view, **BIRTHS)
    view.add_button.click()
    assert view.form_message.value == ""
    assert view.listing.value == BIRTHS["name"]
    assert "no data yet" in view.heading.value and "Context only" not in view.heading.value
    view.figure_value.value, view.figure_date.value = "300", "2026-07"
    view.record_button.click()
    assert view.figure_message.value == ""
    assert view.model.status(BIRTHS["name"]) == AT_RISK
    assert "at risk" in view.heading.value and "#e07b00" in view.heading.value
    assert "2026-07" in view.checkpoint_table.value and "60%" in view.checkpoint_table.value
    assert view.chart.value[:4] == b"\x89PNG"
    assert view.chart.alt.startswith("Line chart: Births registered online (births a month): "
                                     "at risk.")
    assert "Planned: 0 in 2024, 1200 in 2030" in view.chart.alt
    assert "Actual: 0 in 2024, 300 in 2026" in view.chart.alt
    assert "2026-07" in view.chart.numbers.value and "500 births a month" in \
        view.chart.numbers.value  # the planned value at that date, in the numbers' table
    view.figure_date.value = "2023"
    view.record_button.click()
    assert "must come after the baseline" in view.figure_message.value
    restored = KPITracker(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == view.model
    assert restored.figure_date.value == "2026-07" and restored.figure_value.value == "300"
    restored.figure_date.value = "2026-07"
    restored.unrecord_button.click()
    assert restored.model.status(BIRTHS["name"]) == NO_DATA


def test_view_figures_need_a_project_kpi_picked():
    view = KPITracker(workbook=Workbook.in_memory())
    view.figure_value.value, view.figure_date.value = "3", "2026"
    view.record_button.click()
    assert "Pick your project KPI" in view.figure_message.value
    fill(view, **{**OSI, "target": "0.8", "target_year": "2024"})
    view.add_button.click()
    view.record_button.click()
    assert "come from the data" in view.figure_message.value


def test_view_adds_saves_restores_and_shows_the_status_of_a_national_kpi(tmp_path):
    view = KPITracker(workbook=Workbook.open(tmp_path / "wb.json"))
    fill(view, **{**OSI, "target": "0.8", "target_year": "2024"})
    view.add_button.click()
    assert view.model.status(OSI["name"]) == AT_RISK
    assert "Saved" in view.status.value
    assert view.listing.value == OSI["name"]
    assert "at risk" in view.heading.value and "#e07b00" in view.heading.value
    assert "Context only" in view.heading.value and "rescales" in view.heading.value
    assert view.chart.value[:4] == b"\x89PNG"
    assert view.chart.alt.startswith("Line chart: Online services review, Bangladesh, Online "
                                     "Service Index (OSI): at risk.")
    assert "Planned: 0.35 in 2014, 0.80 in 2024" in view.chart.alt
    assert "<table" in view.chart.numbers.value and "Planned" in view.chart.numbers.value
    assert "2024" in view.checkpoint_table.value
    restored = KPITracker(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == view.model
    assert restored.listing.value == OSI["name"] and restored.name.value == OSI["name"]
    assert "at risk" in restored.table.value
    assert restored.table.value.count("rescales them") == 1  # under the list, once


def test_view_review_of_a_builder_kpi():
    wb = Workbook.in_memory()
    wb.set("3.3/kpi_builder", "kpi_builder", KPIBuilderModel().with_added(**BUILT).to_dict())
    view = KPITracker(workbook=wb)
    assert view.listing.value == BUILT["name"]
    assert "no data yet" in view.heading.value and "2026" in view.heading.value
    view.baseline_year.value = 2016
    view.update_button.click()
    assert view.model.kpi(BUILT["name"]).baseline_year == 2016
    assert view.model.status(BUILT["name"]) != NO_DATA
    assert wb.latest("kpi_tracker") == view.model.to_dict()


def test_view_messages_and_state():
    view = KPITracker(workbook=Workbook.in_memory())
    fill(view, **{**OSI, "target": "0.8", "target_year": "2010"})
    view.add_button.click()
    assert "must come after the baseline year" in view.form_message.value
    fill(view, target_year="2024")
    view.add_button.click()
    assert view.form_message.value == ""
    view.add_button.click()
    assert "already tracked" in view.form_message.value
    fill(view, name="Second one", target="abc")
    view.add_button.click()
    assert "must be a number" in view.form_message.value
    assert view.model.names() == [OSI["name"]]
    view.remove_button.click()
    assert view.model.names() == []
    view.remove_button.click()
    assert "Pick a KPI" in view.form_message.value


def test_learner_text_is_shown_as_text():
    view = KPITracker(workbook=Workbook.in_memory())
    project_fill(view, **{**BIRTHS, "name": "<script>alert(1)</script>", "unit": "<b>x</b>"})
    view.add_button.click()
    for out in (view.table.value, view.heading.value):
        assert "<script>" not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<b>x</b>" not in view.table.value


# ------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
tracked_like = st.fixed_dictionaries(
    {"name": st.sampled_from(["KPI one", "kpi ONE", "Other", ""]) | st.text(max_size=20),
     "indicator": st.sampled_from(INDICATOR_KEYS) | st.text(max_size=5),
     "country": st.sampled_from(["BGD", "ssd", "Fiji", "Atlantis", ""]) | st.integers(),
     "baseline_year": st.integers(2000, 2026) | st.sampled_from(["2018", "x", None]),
     "target": st.floats(-1, 120) | st.sampled_from(["0,7", "x", "55"]) | st.integers(),
     "target_year": st.integers(2000, 2060) | st.sampled_from(["2030", "x"])},
    optional={"kind": st.sampled_from(["project", "context", "x"]),
              "baseline": st.floats(-5, 200) | st.sampled_from(["0", "1,200", ""]),
              "unit": st.sampled_from(["%", "days", ""]),
              "goal": st.sampled_from(["increase", "decrease", "up"]),
              "figures": st.lists(st.fixed_dictionaries(
                  {"date": st.sampled_from(["2025", "2026-06", "2019", "x"]) | st.integers(),
                   "value": st.floats(-5, 200) | st.text(max_size=4)}), max_size=3)
              | json_values},
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries(
    {"tracked": st.lists(tracked_like | json_values, max_size=4)})))
def test_any_input_is_a_model_or_a_refusal(data):
    try:
        m = KPITrackerModel.from_dict(data)
    except ValidationError:
        return
    assert isinstance(m, KPITrackerModel)
    assert all(k.status in (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA) for k in m.tracked)


@settings(max_examples=60, deadline=None)
@given(st.lists(tracked_like, max_size=5))
def test_accepted_models_round_trip(items):
    m = KPITrackerModel()
    for item in items:
        try:
            m = m.with_added(**item)
        except ValidationError:
            continue
    again = KPITrackerModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "update", "remove", "select", "record"]),
                          tracked_like), max_size=6))
def test_random_use_of_the_view_never_raises(ops):
    view = KPITracker(workbook=Workbook.in_memory())
    for op, fields in ops:
        if fields.get("kind") == "project":
            project_fill(view, **{k: v for k, v in fields.items()
                                  if k in ("unit", "baseline") and v is not None})
        elif fields["indicator"] in INDICATOR_KEYS:
            view.indicator.value = fields["indicator"]
        for key in ("name", "country"):
            if isinstance(fields[key], str):
                getattr(view, key).value = fields[key]
        if fields["baseline_year"] in view.baseline_year.options:
            view.baseline_year.value = fields["baseline_year"]
        view.base_year.value = str(fields["baseline_year"])
        view.target.value = str(fields["target"])
        view.target_year.value = str(fields["target_year"])
        view.figure_value.value = str(fields["target"])
        view.figure_date.value = str(fields["target_year"])
        if op == "add":
            view.add_button.click()
        elif op == "update":
            view.update_button.click()
        elif op == "remove":
            view.remove_button.click()
        elif op == "record":
            view.record_button.click()
        elif view.listing.options:
            view.listing.value = view.listing.options[-1]
        shown = (view.status.value + view.form_message.value + view.country_message.value
                 + view.figure_message.value)
        assert "could not be shown" not in shown and "did not work" not in shown
    assert KPITrackerModel.from_dict(view.model.to_dict()) == view.model


# ------------------------------------------------------------------------- French
NB = "\u00a0"


def test_the_tracker_speaks_french_and_keeps_english_statuses():
    from digit4sd_widgets.i18n import language

    with language("fr"):
        view = KPITracker(workbook=Workbook.in_memory())
        assert (view.record_button.description, view.add_button.description) == (
            "Enregistrer le chiffre", "Ajouter")
        project_fill(view, **BIRTHS)
        view.add_button.click()
        view.figure_value.value, view.figure_date.value = "320", "2026"
        view.record_button.click()
        assert view.model.status(BIRTHS["name"]) == AT_RISK  # stored and compared in English
        assert "à risque" in view.heading.value and "at risk" not in view.heading.value
        assert "<th scope=\"col\">État</th>" in view.checkpoint_table.value
        assert "80\u00a0%" in view.checkpoint_table.value
        assert view.chart.alt.startswith(f"Graphique linéaire{NB}: Births registered online "
                                         f"(births a month){NB}: à risque. Réel{NB}: 0 en 2024")
        fill(view, **{**OSI, "target": "0,8", "target_year": "2024"})
        view.add_button.click()
        assert re.search(r"Réel \(Bangladesh\)\u00a0: 0,\d\d en 2003", view.chart.alt)
        assert "Contexte seulement." in view.heading.value
        assert view.model.report()[0].columns[-1] == "État"
        with pytest.raises(ValidationError, match="Quand le chiffre a-t-il été mesuré"):
            view.model.with_figure(BIRTHS["name"], "soon", 3)
    assert view.model.to_dict()["tracked"][0]["figures"] == [{"date": "2026", "value": 320.0}]


def test_a_tracker_drawn_in_french_shows_no_english():
    from digit4sd_widgets.examples import example_workbook
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html

    with language("fr"):
        wb = Workbook.in_memory()
        example_workbook(wb, country="NPL")
        view = KPITracker(workbook=wb)
        for name in view.model.names():
            view.listing.value = name
            page = widget_html(view)
            assert english_left(page, "digit4sd_widgets/exercises/tracker.py",
                                "digit4sd_widgets/exercises/kpi.py",
                                "digit4sd_widgets/charts.py") == []
        assert "Tableau de suivi des ICP" in page and re.search(r"0,\d{3} \(2014\)", page)
