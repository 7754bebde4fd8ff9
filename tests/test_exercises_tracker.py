"""KPI tracker: planned line, progress ratio, statuses, review, start from the KPI builder."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.kpi import INDICATOR_KEYS, KPIBuilderModel
from digit4sd_widgets.exercises.tracker import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    KPITracker,
    KPITrackerModel,
    TrackedKPI,
    status_for,
)
from digit4sd_widgets.workbook import Workbook

OSI = {"name": "Online services review", "indicator": "osi", "country": "BGD",
       "baseline_year": 2014, "target": 0.8, "target_year": 2024}
BUILT = {"name": "Online services for every citizen", "indicator": "osi", "country": "BGD",
         "target": "0.85", "target_year": "2030", "sdg_target": "16.6"}


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
    last = points[-1]
    assert last.actual == osi(2024) and last.planned == 0.8
    assert last.ratio == pytest.approx((osi(2024) - osi(2014)) / (0.8 - osi(2014)))
    assert [c.status for c in points] == [ON_TRACK, ON_TRACK, ON_TRACK, AT_RISK, AT_RISK]
    assert m.status(OSI["name"]) == AT_RISK


def test_no_data_after_the_baseline():
    m = KPITrackerModel().with_added(**{**OSI, "baseline_year": 2024, "target_year": 2030})
    k = m.kpi(OSI["name"])
    assert k.checkpoints() == () and k.status == NO_DATA and k.next_data_year == 2026
    web = KPITrackerModel().with_added(name="People online", indicator="internet_pct",
                                       country="SSD", baseline_year=2020, target=30,
                                       target_year=2030).kpi("people online")
    assert web.status == NO_DATA and web.next_data_year == 2021
    assert "watch for 2021" in m.with_added(name="People online", indicator="internet_pct",
                                            country="SSD", baseline_year=2020, target=30,
                                            target_year=2030).report()[3].text


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


def test_stored_format_and_round_trip():
    m = KPITrackerModel().with_added(**{**OSI, "target": "0,8"})
    assert m.to_dict() == {"tracked": [{"name": OSI["name"], "indicator": "osi",
                                        "country": "BGD", "baseline_year": 2014,
                                        "target": 0.8, "target_year": 2024}]}
    assert KPITrackerModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


@pytest.mark.parametrize("bad", [None, "x", {"tracked": {}}, {"tracked": [None]},
                                 {"tracked": [{**OSI, "baseline_year": 2013}]},
                                 {"tracked": [OSI, OSI]}])
def test_from_dict_refuses_junk(bad):
    with pytest.raises(ValidationError):
        KPITrackerModel.from_dict(bad)


def test_starts_from_the_kpi_builder():
    wb = Workbook.in_memory()
    built = KPIBuilderModel().with_added(**BUILT).with_added(
        name="More people online", indicator="internet_pct", country="BGD", target=70,
        target_year=2030)
    wb.set("3.3/kpi_builder", "kpi_builder", built.to_dict())
    m = KPITrackerModel.from_workbook(wb)
    assert m.names() == built.names()
    assert [k.baseline_year for k in m.tracked] == [2024, 2023]
    assert all(k.status == NO_DATA for k in m.tracked)
    # a saved tracker answer wins over the builder's list
    wb.set("5.1/kpi_tracker", "kpi_tracker", KPITrackerModel().with_added(**OSI).to_dict())
    assert KPITrackerModel.from_workbook(wb).names() == [OSI["name"]]


def test_starter_skips_what_no_longer_fits():
    wb = Workbook.in_memory()
    wb.set("3.3/kpi_builder", "kpi_builder", {"kpis": [
        {**BUILT, "baseline_year": 2024}, {"name": 5}, "junk",
        {**BUILT, "name": "No figure that year", "baseline_year": 2015},
        {**BUILT, "baseline_year": 2024, "name": "ONLINE services for every citizen"}]})
    assert KPITrackerModel.from_workbook(wb).names() == [BUILT["name"]]
    wb.set("3.3/kpi_builder", "kpi_builder", {"kpis": "nothing"})
    assert KPITrackerModel.from_workbook(wb).names() == []


def test_completeness_and_report():
    m = KPITrackerModel()
    assert m.completeness().done == 0
    m = m.with_added(**OSI).with_added(**{**OSI, "name": "Later", "baseline_year": 2024,
                                          "target_year": 2030})
    done = m.completeness()
    assert done.complete and done.missing == []
    blocks = m.report()
    assert blocks[0].rows[0][-1] == AT_RISK
    assert blocks[0].rows[1][-1] == f"{NO_DATA} (next: 2026)"
    assert [b.kind for b in blocks] == ["table", "table", "image", "note", "image"]
    assert blocks[1].rows[-1][0] == "2024"
    assert all(b.png.startswith(b"\x89PNG") for b in blocks if b.kind == "image")
    only_new = KPITrackerModel().with_added(**{**OSI, "baseline_year": 2024,
                                                "target_year": 2030})
    assert "at least one KPI reviewed against later figures" in only_new.completeness().missing


# ------------------------------------------------------------------------- view
def fill(view: KPITracker, **fields) -> None:
    for key in ("name", "indicator", "country", "baseline_year", "target", "target_year"):
        if key in fields:
            getattr(view, key).value = fields[key]


def test_view_with_no_arguments_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    view = KPITracker()
    assert view.country.value == "BGD"
    assert view.baseline_year.options[0] == 2024
    assert view.model.names() == []
    # no KPI yet: no picture at all (never a broken image), and a sentence that says why
    assert view.chart.value == b"" and view.chart.alt == ""
    assert view.chart.image.layout.display == "none" and view.chart.numbers.value == ""
    assert "Add a KPI in 3.3" in view.heading.value and "chart here" in view.heading.value


def test_view_unknown_country_shows_a_message():
    view = KPITracker("Atlantis", workbook=Workbook.in_memory())
    assert "Unknown country" in view.country_message.value
    assert view.baseline_year.options == ()
    view.add_button.click()
    assert view.form_message.value  # refused with a message
    view.country.value = "Nepal"
    assert view.country_message.value == "" and 2024 in view.baseline_year.options


def test_view_offers_the_years_with_data():
    view = KPITracker("SSD", workbook=Workbook.in_memory())
    assert list(view.baseline_year.options) == [2024, 2022, 2020, 2018, 2016, 2014, 2012]
    view.indicator.value = "internet_pct"
    assert view.baseline_year.options[0] == 2020


def test_view_adds_saves_restores_and_shows_the_status(tmp_path):
    view = KPITracker(workbook=Workbook.open(tmp_path / "wb.json"))
    fill(view, **{**OSI, "target": "0.8", "target_year": "2024"})
    view.add_button.click()
    assert view.model.status(OSI["name"]) == AT_RISK
    assert "Saved" in view.status.value
    assert view.listing.value == OSI["name"]
    assert "at risk" in view.heading.value and "#e07b00" in view.heading.value
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
    fill(view, **{**OSI, "name": "<script>alert(1)</script>", "target": "0.8",
                  "target_year": "2024"})
    view.add_button.click()
    for out in (view.table.value, view.heading.value):
        assert "<script>" not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


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
@given(st.lists(st.tuples(st.sampled_from(["add", "update", "remove", "select"]),
                          tracked_like), max_size=6))
def test_random_use_of_the_view_never_raises(ops):
    view = KPITracker(workbook=Workbook.in_memory())
    for op, fields in ops:
        for key in ("name", "country"):
            if isinstance(fields[key], str):
                getattr(view, key).value = fields[key]
        if fields["indicator"] in INDICATOR_KEYS:
            view.indicator.value = fields["indicator"]
        if fields["baseline_year"] in view.baseline_year.options:
            view.baseline_year.value = fields["baseline_year"]
        view.target.value = str(fields["target"])
        view.target_year.value = str(fields["target_year"])
        if op == "add":
            view.add_button.click()
        elif op == "update":
            view.update_button.click()
        elif op == "remove":
            view.remove_button.click()
        elif view.listing.options:
            view.listing.value = view.listing.options[-1]
        shown = view.status.value + view.form_message.value + view.country_message.value
        assert "could not be shown" not in shown and "did not work" not in shown
    assert KPITrackerModel.from_dict(view.model.to_dict()) == view.model
