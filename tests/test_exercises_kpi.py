"""KPI builder: baseline from the data, trends, SMART checks, view, persistence, refusals."""

from __future__ import annotations

import json
import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises import kpi as kpi_mod
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.kpi import (
    INDICATOR_KEYS,
    KPI,
    MAX_KPIS,
    KPIBuilder,
    KPIBuilderModel,
)
from digit4sd_widgets.workbook import Workbook

OSI = {"name": "Online services for every citizen", "indicator": "osi", "country": "BGD",
       "target": "0.85", "target_year": "2030", "sdg_target": "16.6",
       "responsible": "ICT Division"}


def osi_baseline() -> tuple[int, float]:
    s = analysis.indicator_series("BGD", "osi")
    return int(s.index[-1]), float(s.iloc[-1])


# ------------------------------------------------------------------------- model
def test_baseline_comes_from_the_data():
    k = KPIBuilderModel().with_added(**OSI).kpis[0]
    assert (k.baseline_year, k.baseline) == osi_baseline()
    assert k.country == "BGD" and k.target == 0.85 and k.target_year == 2030


def test_internet_baseline_is_the_latest_itu_year():
    m = KPIBuilderModel().with_added(name="More people online", indicator="internet_pct",
                                     country="bangladesh", target=70, target_year=2030)
    s = analysis.indicator_series("BGD", "internet_pct")
    k = m.kpis[0]
    assert (k.baseline_year, k.baseline) == (int(s.index[-1]), float(s.iloc[-1]))
    assert k.country == "BGD"


def test_required_change_and_trends():
    m = KPIBuilderModel().with_added(**OSI)
    name = OSI["name"]
    year, base = osi_baseline()
    assert m.required_change(name) == pytest.approx((0.85 - base) / (2030 - year))
    assert m.own_trend(name) == pytest.approx(
        analysis.yearly_trend("BGD", "osi", since=year - 10, until=year))
    peers = [analysis.yearly_trend(p, "osi", since=year - 10, until=year)
             for p in analysis.peer_countries("BGD")]
    assert m.peer_trend(name) == pytest.approx(
        statistics.median([v for v in peers if not math.isnan(v)]))


def test_a_good_kpi_is_smart():
    m = KPIBuilderModel().with_added(**OSI)
    checks = m.smart(OSI["name"])
    assert [c.letter for c in checks] == ["S", "M", "A", "R", "T"]
    assert all(c.ok for c in checks), checks
    assert "16.6" in checks[3].reason


@pytest.mark.parametrize(
    ("change", "letter", "reason"),
    [
        ({"name": "Web"}, "S", "too short"),
        ({"name": "More services"}, "S", "too short"),
        ({"target": "1", "target_year": "2026"}, "A", "more than 1.5 times"),
        ({"target": "0.5"}, "A", "a fall, not an improvement"),
        ({"sdg_target": ""}, "R", "Name the SDG target"),
        ({"target_year": "2045"}, "T", "within 15 years"),
    ],
)
def test_smart_failures_have_plain_reasons(change, letter, reason):
    k = KPIBuilderModel().with_added(**{**OSI, **change}).kpis[0]
    check = next(c for c in k.smart() if c.letter == letter)
    assert not check.ok
    assert reason in check.reason
    assert all(c.ok for c in k.smart() if c.letter != letter)


def test_specific_accepts_a_long_two_word_name():
    k = KPI.parse({**OSI, "name": "Online services"})  # 15 characters
    assert k.smart()[0].ok


def test_achievable_uses_the_better_of_own_and_peer_trend(monkeypatch):
    k = KPI.parse({**OSI, "target": "0.80", "target_year": "2029"})  # needs about +0.0125
    monkeypatch.setattr(kpi_mod, "own_trend", lambda *a: -0.01)
    monkeypatch.setattr(kpi_mod, "peer_trend", lambda *a: 0.01)
    check = k.smart()[2]
    assert check.ok and "its peers'" in check.reason
    monkeypatch.setattr(kpi_mod, "peer_trend", lambda *a: 0.008)
    assert not k.smart()[2].ok
    monkeypatch.setattr(kpi_mod, "peer_trend", lambda *a: -0.002)
    assert "no pace to build on" in k.smart()[2].reason
    monkeypatch.setattr(kpi_mod, "own_trend", lambda *a: math.nan)
    monkeypatch.setattr(kpi_mod, "peer_trend", lambda *a: math.nan)
    assert "not enough past figures" in k.smart()[2].reason


def test_keeping_todays_level_is_achievable():
    _, base = osi_baseline()
    k = KPI.parse({**OSI, "target": base})
    assert k.required_change == 0 and k.smart()[2].ok


def test_relevant_through_the_case_target_area():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH", target_area="Digital birth registration")
    m = KPIBuilderModel.from_workbook(wb).with_added(**{**OSI, "sdg_target": ""})
    check = m.smart(OSI["name"])[3]
    assert check.ok and "Digital birth registration" in check.reason
    # the context is not part of the stored answer
    assert KPIBuilderModel.from_dict(m.to_dict()) == m


def test_add_update_remove_keep_the_old_model():
    m = KPIBuilderModel().with_added(**OSI)
    m2 = m.with_added(**{**OSI, "name": "Human capital grows every year",
                         "indicator": "hci"})
    m3 = m2.with_updated("online services FOR every citizen", target="0,9")
    assert m3.kpis[0].target == 0.9
    assert m2.kpis[0].target == 0.85
    assert m3.without(OSI["name"]).names() == ["Human capital grows every year"]
    assert m.names() == [OSI["name"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": " "}, "name cannot be empty"),
        ({"name": "online SERVICES for every citizen"}, "already in your list"),
        ({"indicator": "gdp"}, "Indicator must be one of"),
        ({"country": "Narnia"}, "Unknown country"),
        ({"country": ""}, "Country cannot be empty"),
        ({"target": "lots"}, "must be a number"),
        ({"target": ""}, "must be a number"),
        ({"target": "1.2"}, "between 0 and 1"),
        ({"target": "-0.1"}, "between 0 and 1"),
        ({"indicator": "internet_pct", "target": "120"}, "between 0 and 100"),
        ({"target_year": "2020"}, "must come after the baseline year (2024)"),
        ({"target_year": "2024"}, "must come after the baseline year"),
        ({"target_year": "2051"}, "2050 or earlier"),
        ({"target_year": "soon"}, "must be a number"),
        ({"target_year": ""}, "target year is missing"),
        ({"target_year": "2030.5"}, "whole number"),
        ({"target": 10**400}, "far too large"),
        ({"sdg_target": "x" * 41}, "too long"),
    ],
)
def test_refusals_keep_the_model(change, message):
    m = KPIBuilderModel().with_added(**OSI)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        m.with_added(**{**OSI, "name": "Another KPI for the list", **change})
    assert m.names() == [OSI["name"]]


def test_at_most_ten_kpis():
    m = KPIBuilderModel()
    for i in range(MAX_KPIS):
        m = m.with_added(**{**OSI, "name": f"KPI number {i}"})
    with pytest.raises(ValidationError, match="remove one first"):
        m.with_added(**{**OSI, "name": "One too many"})
    with pytest.raises(ValidationError, match="too many"):
        KPIBuilderModel.from_dict({"kpis": [m.to_dict()["kpis"][0]] * 11})


def test_stored_format_and_round_trip():
    m = KPIBuilderModel().with_added(**OSI)
    year, base = osi_baseline()
    assert m.to_dict() == {"kpis": [{
        "name": OSI["name"], "indicator": "osi", "country": "BGD", "baseline_year": year,
        "baseline": base, "target": 0.85, "target_year": 2030, "sdg_target": "16.6",
        "responsible": "ICT Division"}]}
    assert list(m.to_dict()["kpis"][0]) == ["name", "indicator", "country", "baseline_year",
                                             "baseline", "target", "target_year",
                                             "sdg_target", "responsible"]
    assert KPIBuilderModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


def test_from_dict_recomputes_the_baseline():
    stored = KPIBuilderModel().with_added(**OSI).to_dict()
    stored["kpis"][0].update(baseline=0.1, baseline_year=2003)
    k = KPIBuilderModel.from_dict(stored).kpis[0]
    assert (k.baseline_year, k.baseline) == osi_baseline()


def test_from_dict_refuses_a_kpi_without_data(monkeypatch):
    stored = KPIBuilderModel().with_added(**OSI).to_dict()
    real = kpi_mod.history
    monkeypatch.setattr(kpi_mod, "history",
                        lambda iso3, ind: () if (iso3, ind) == ("BGD", "osi") else real(iso3,
                                                                                         ind))
    with pytest.raises(ValidationError, match="There is no OSI figure for Bangladesh"):
        KPIBuilderModel.from_dict(stored)


@pytest.mark.parametrize("bad", [None, 3, "kpis", [], {"kpis": "x"}, {"kpis": [1]},
                                 {"kpis": [{"name": "x"}]}])
def test_from_dict_refuses_junk(bad):
    with pytest.raises(ValidationError):
        KPIBuilderModel.from_dict(bad)


def test_completeness_and_report():
    m = KPIBuilderModel()
    assert m.completeness().done == 0
    m = m.with_added(**OSI).with_added(**{**OSI, "name": "Human capital grows every year",
                                          "indicator": "hci", "target": "0.65"})
    done = m.completeness()
    assert done.complete and done.missing == [], done.missing
    blocks = m.report()
    assert blocks[0].kind == "table" and blocks[0].rows[0][0] == OSI["name"]
    assert blocks[0].rows[0][-5:] == ["✓"] * 5
    assert {b.kind for b in blocks} == {"table", "fields", "image"}
    assert all(b.png.startswith(b"\x89PNG") for b in blocks if b.kind == "image")
    partial = KPIBuilderModel().with_added(**{**OSI, "responsible": "", "sdg_target": ""})
    assert "a responsible body for every KPI" in partial.completeness().missing
    assert "at least two KPIs" in partial.completeness().missing


# ------------------------------------------------------------------------- view
def fill(view: KPIBuilder, **fields) -> None:
    for key, value in fields.items():
        getattr(view, key).value = value


def test_view_with_no_arguments_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    view = KPIBuilder()
    assert view.country.value == "BGD"
    assert "Baseline from the data" in view.preview.value


def test_view_country_comes_from_the_argument_then_the_case():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH")
    assert KPIBuilder(workbook=wb).country.value == "ETH"
    assert KPIBuilder("NPL", workbook=wb).country.value == "NPL"


def test_view_unknown_country_shows_a_message():
    view = KPIBuilder("Narnia", workbook=Workbook.in_memory())
    assert "Unknown country" in view.country_message.value
    assert "Unknown country" in view.preview.value
    view.country.value = "Ethiopia"
    assert view.country_message.value == ""


def test_view_adds_saves_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = KPIBuilder(workbook=wb)
    fill(view, **OSI)
    assert "Needed to reach 0.850 by 2030" in view.preview.value
    view.add_button.click()
    assert view.model.names() == [OSI["name"]]
    assert "Saved" in view.status.value
    assert view.listing.value == OSI["name"]
    restored = KPIBuilder(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == view.model
    assert OSI["name"] in restored.table.value
    assert Workbook.open(tmp_path / "wb.json").latest("kpi_builder") == view.model.to_dict()


def test_view_accepts_a_comma_and_refuses_bad_numbers():
    view = KPIBuilder(workbook=Workbook.in_memory())
    fill(view, **{**OSI, "target": "abc"})
    assert "must be a number" in view.preview.value
    view.add_button.click()
    assert "must be a number" in view.form_message.value
    assert view.model.names() == []
    fill(view, target="0,8", target_year="2020")
    view.add_button.click()
    assert "must come after the baseline year" in view.form_message.value
    fill(view, target_year="2030")
    view.add_button.click()
    assert view.form_message.value == ""
    assert view.model.kpis[0].target == 0.8
    view.add_button.click()
    assert "already in your list" in view.form_message.value
    assert len(view.model.kpis) == 1


def test_view_select_update_remove():
    view = KPIBuilder(workbook=Workbook.in_memory())
    fill(view, **OSI)
    view.add_button.click()
    fill(view, name="Better telecom infrastructure", indicator="tii", target="0.8")
    view.add_button.click()
    view.listing.value = OSI["name"]
    assert view.indicator.value == "osi" and view.target.value == "0.85"
    assert view.chart.value[:4] == b"\x89PNG"
    assert view.chart.alt.startswith("Line chart: Bangladesh, Online Service Index (OSI). "
                                     "Bangladesh: 0.09 in 2003, 0.74 in 2024")
    assert "Path to the target: 0.74 in 2024, 0.85 in 2030" in view.chart.alt
    assert "Change needed: +0.0188 a year." in view.chart.alt
    assert "<table" in view.chart.numbers.value and "2030" in view.chart.numbers.value
    view.target.value = "0.9"
    view.update_button.click()
    assert view.model.kpis[0].target == 0.9
    assert view.listing.value == OSI["name"]
    view.remove_button.click()
    assert view.model.names() == ["Better telecom infrastructure"]
    view.listing.value = None
    view.update_button.click()
    assert "Pick a KPI" in view.form_message.value


def test_view_preview_follows_the_form():
    view = KPIBuilder(workbook=Workbook.in_memory())
    fill(view, **OSI)
    first = view.chart.value
    view.indicator.value = "internet_pct"
    assert "between 0 and 100" not in view.preview.value  # 0.85 % is a valid percentage
    view.target.value = "150"
    assert "between 0 and 100" in view.preview.value
    view.target.value = "70"
    assert "points a year" in view.preview.value
    assert view.chart.value != first
    assert "Individuals using the Internet" in view.chart.alt and "70 in 2030" in view.chart.alt


def test_view_chart_without_a_target_or_a_country():
    view = KPIBuilder(workbook=Workbook.in_memory())
    fill(view, **{**OSI, "target": ""})
    assert view.chart.value[:4] == b"\x89PNG"  # the past values only
    assert view.chart.alt.startswith("Line chart: Bangladesh, Online Service Index (OSI).")
    assert "Path to the target" not in view.chart.alt
    assert "<table" in view.chart.numbers.value
    view.country.value = "Atlantis"
    assert view.chart.value == b"" and view.chart.alt == ""  # nothing, not a broken image
    assert view.chart.image.layout.display == "none" and view.chart.numbers.value == ""


def test_form_boxes_fit_their_text():
    view = KPIBuilder(workbook=Workbook.in_memory())
    longest = max(len(label) for label in analysis.INDICATORS.values())
    assert view.indicator.layout.width == "480px" and view.indicator.layout.max_width == "100%"
    assert longest <= 46  # what 480px minus the 120px description shows
    for box in (view.name, view.country, view.target, view.target_year, view.sdg_target,
                view.responsible):
        assert len(box.placeholder) <= 32, box.placeholder


def test_learner_text_is_shown_as_text():
    view = KPIBuilder(workbook=Workbook.in_memory())
    fill(view, **{**OSI, "name": "<script>alert(1)</script>", "sdg_target": "<b>16</b>"})
    view.add_button.click()
    assert view.model.names() == ["<script>alert(1)</script>"]
    for out in (view.table.value, view.preview.value):
        assert "<script>" not in out and "<b>16</b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view.table.value
    assert "&lt;b&gt;16&lt;/b&gt;" in view.preview.value


def test_a_damaged_saved_answer_does_not_break_the_view(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    wb.set("3.3/kpi_builder", "kpi_builder", {"kpis": [{"name": 3}]})
    view = KPIBuilder(workbook=Workbook.open(tmp_path / "wb.json"))
    assert view.model.names() == []
    assert "could not be restored" in view.status.value


def test_a_save_failure_is_shown_and_the_model_is_kept(tmp_path, monkeypatch):
    view = KPIBuilder(workbook=Workbook.open(tmp_path / "wb.json"))
    monkeypatch.setattr("digit4sd_widgets.workbook.os.replace",
                        lambda *a: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    fill(view, **OSI)
    view.add_button.click()
    assert "could not be saved" in view.status.value
    assert view.model.names() == []


def test_typing_a_name_does_not_redraw_the_chart(monkeypatch):
    """Speed is measured in benchmarks/bench_exercises.py; here only that the chart is
    redrawn when what it shows changes, and not otherwise."""
    view = KPIBuilder(workbook=Workbook.in_memory())
    fill(view, **OSI)
    drawn = []
    original = view._line_chart.render if "_line_chart" in view.__dict__ else None
    assert original is not None
    monkeypatch.setattr(view._line_chart, "render",
                        lambda *a, **k: drawn.append(1) or original(*a, **k))
    view.name.value = "Another name for the same KPI"
    view.sdg_target.value = "16.9"
    assert drawn == []
    view.target.value = "0.91"
    assert drawn == [1]
    view.target.value = "0.91"
    assert drawn == [1]


# ------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
kpi_like = st.fixed_dictionaries(
    {"name": st.sampled_from(["Online services for all", "KPI one", "kpi ONE", ""])
     | st.text(max_size=20) | st.integers(),
     "indicator": st.sampled_from(INDICATOR_KEYS) | st.text(max_size=5),
     "country": st.sampled_from(["BGD", "eth", "Fiji", "Narnia", "", "SWE"]) | st.integers(),
     "target": st.floats(-1, 120) | st.sampled_from(["0,7", "x", "", "55"]) | st.integers(),
     "target_year": st.integers(2000, 2060) | st.sampled_from(["2030", "x", "2030.5"]),
     "sdg_target": st.sampled_from(["16.6", "", None]) | st.text(max_size=50),
     "responsible": st.text(max_size=10)},
    optional={"baseline": json_values, "baseline_year": json_values},
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries(
    {"kpis": st.lists(kpi_like | json_values, max_size=4)})))
def test_any_input_is_a_model_or_a_refusal(data):
    try:
        m = KPIBuilderModel.from_dict(data)
    except ValidationError:
        return
    assert isinstance(m, KPIBuilderModel)


@settings(max_examples=60, deadline=None)
@given(st.lists(kpi_like, max_size=5))
def test_accepted_models_round_trip(items):
    m = KPIBuilderModel()
    for item in items:
        try:
            m = m.with_added(**item)
        except ValidationError:
            continue
    again = KPIBuilderModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "update", "remove", "select"]), kpi_like),
                max_size=6))
def test_random_use_of_the_view_never_raises(ops):
    view = KPIBuilder(workbook=Workbook.in_memory())
    for op, fields in ops:
        for key in ("name", "country", "sdg_target", "responsible"):
            if isinstance(fields[key], str):
                getattr(view, key).value = fields[key]
        if fields["indicator"] in INDICATOR_KEYS:
            view.indicator.value = fields["indicator"]
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
        shown = view.status.value + view.form_message.value + view.preview_message.value
        assert "could not be shown" not in shown and "did not work" not in shown
    assert KPIBuilderModel.from_dict(view.model.to_dict()) == view.model
