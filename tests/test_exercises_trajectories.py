"""Trajectories (6.1): figures from the survey data, model, view, persistence, escaping."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.trajectories import (
    CHANGE_COLUMNS,
    INDICATORS,
    MAX_COUNTRIES,
    TrajectoryComparison,
    TrajectoryComparisonModel,
)
from digit4sd_widgets.workbook import Workbook

SIX = ["BGD", "ETH", "KOR", "DNK", "NPL", "SSD"]


def test_defaults_and_starter():
    assert TrajectoryComparisonModel().countries == ("BGD", "ETH", "KOR")
    wb = Workbook.in_memory()
    wb.set_case(country="NPL")
    assert TrajectoryComparisonModel.starter(wb).countries == ("BGD", "ETH", "NPL", "KOR")
    wb.set_case(country="ETH")
    assert TrajectoryComparisonModel.starter(wb).countries == ("BGD", "ETH", "KOR")
    assert TrajectoryComparisonModel.starter(Workbook.in_memory()) == TrajectoryComparisonModel()


def test_table_matches_the_survey_with_gaps():
    m = TrajectoryComparisonModel(countries=["BGD", "SSD"])
    t = m.table()
    assert list(t.index) == list(data.EDITIONS) and t.index.name == "year"
    assert list(t.columns) == ["BGD", "SSD"]
    survey = data.load_survey(countries=["BGD", "SSD"]).pivot(index="year", columns="iso3",
                                                              values="egdi")
    pd.testing.assert_frame_equal(t, survey[["BGD", "SSD"]].rename_axis(columns=None),
                                  check_names=False, check_column_type=False)
    assert math.isnan(t.loc[2010, "SSD"])  # South Sudan joined the UN in 2011


def test_changes_from_first_to_latest_with_ranks_and_jumps():
    c = TrajectoryComparisonModel(countries=["BGD", "SSD"]).changes().set_index("iso3")
    assert list(c.reset_index().columns) == CHANGE_COLUMNS
    bgd = c.loc["BGD"]
    assert (bgd["first_year"], bgd["latest_year"]) == (2003, 2024)
    assert bgd["change"] == pytest.approx(0.65696 - 0.16537)
    assert (bgd["first_rank"], bgd["latest_rank"], bgd["rank_change"]) == (159, 100, 59)
    assert (bgd["jump_from"], bgd["jump_to"]) == (2005, 2008)
    assert bgd["biggest_jump"] == pytest.approx(0.29360 - 0.17618)
    ssd = c.loc["SSD"]
    assert ssd["first_year"] == 2012  # its first edition with a value
    assert ssd["rank_change"] < 0 and ssd["change"] < 0
    # the biggest jump may be a fall: the largest change either way
    assert ssd["biggest_jump"] == pytest.approx(0.14184 - 0.22392)


def test_biggest_jump_is_between_consecutive_editions_only():
    m = TrajectoryComparisonModel(countries=["SSD"])
    values = m.table()["SSD"]
    row = m.changes().iloc[0]
    diffs = values.diff().dropna()
    assert abs(row["biggest_jump"]) == pytest.approx(diffs.abs().max())


def test_ranks_of_other_indices_are_places_by_value():
    c = TrajectoryComparisonModel("osi", ["KOR"]).changes().iloc[0]
    latest = data.load_survey(years=2024)
    place = int((latest["osi"] > latest.loc[latest["iso3"] == "KOR", "osi"].iloc[0]).sum()) + 1
    assert c["latest_rank"] == place
    assert c["rank_change"] == c["first_rank"] - c["latest_rank"]


@pytest.mark.parametrize("indicator", INDICATORS)
def test_every_indicator_gives_figures_and_a_chart(indicator):
    m = TrajectoryComparisonModel(indicator, SIX)
    assert m.table().shape == (12, 6)
    assert m.changes()["change"].notna().all()
    assert m.chart_png()[:4] == b"\x89PNG"


def test_add_remove_and_indicator():
    m = TrajectoryComparisonModel().with_added("Denmark").with_added("npl")
    assert m.countries == ("BGD", "ETH", "KOR", "DNK", "NPL")
    m2 = m.without("KOR")
    assert m2.countries == ("BGD", "ETH", "DNK", "NPL")
    assert m.countries[2] == "KOR"  # the old model is untouched
    assert m2.with_indicator("tii").indicator == "tii"
    assert m2.with_country("ETH") is m2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.with_added("Bangladesh"), "already in the comparison"),
        (lambda m: m.with_added("Narnia"), "Unknown country"),
        (lambda m: m.with_added(""), "pick a country"),
        (lambda m: m.with_added(42), "pick a country"),
        (lambda m: m.without("NPL"), "not in the comparison"),
        (lambda m: m.with_indicator("gdp"), "must be one of"),
        (lambda m: m.with_lessons("x" * 3000), "too long"),
        (lambda m: m.with_lessons(7), "must be text"),
    ],
)
def test_refusals_keep_the_model(change, message):
    m = TrajectoryComparisonModel()
    with pytest.raises(ValidationError, match=message):
        change(m)
    assert m == TrajectoryComparisonModel()


def test_at_most_six_and_at_least_one():
    m = TrajectoryComparisonModel(countries=SIX)
    with pytest.raises(ValidationError, match="remove one to add Denmark"):
        TrajectoryComparisonModel(countries=[*SIX[:3], "NPL", "SSD", "TLS"]).with_added("DNK")
    with pytest.raises(ValidationError, match="already"):
        m.with_added("DNK")
    with pytest.raises(ValidationError, match="at most 6"):
        TrajectoryComparisonModel(countries=[*SIX, "TLS"])
    with pytest.raises(ValidationError, match="at least one"):
        TrajectoryComparisonModel(countries=["BGD"]).without("BGD")
    with pytest.raises(ValidationError, match="twice"):
        TrajectoryComparisonModel(countries=["BGD", "bangladesh"])


def test_stored_format():
    m = TrajectoryComparisonModel("hci", ["BGD", "ETH", "DNK"], "  Skills came first.  ")
    assert m.to_dict() == {"indicator": "hci", "countries": ["BGD", "ETH", "DNK"],
                           "lessons": "Skills came first."}
    assert TrajectoryComparisonModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert TrajectoryComparisonModel.from_dict({"countries": ["bangladesh"]}).countries == (
        "BGD",)
    for bad, message in [({"countries": []}, "at least one"), ({"countries": "BGD"}, "a list"),
                         ({"indicator": None}, "must be one of"), (3, "named fields")]:
        with pytest.raises(ValidationError, match=message):
            TrajectoryComparisonModel.from_dict(bad)


def test_completeness_and_report():
    m = TrajectoryComparisonModel(countries=["BGD"])
    done = m.completeness()
    assert (done.done, done.total) == (0, 2)
    m = m.with_added("ETH").with_lessons("Bangladesh moved faster after 2014.")
    assert m.completeness().complete
    blocks = m.report()
    assert [b.kind for b in blocks] == ["fields", "image", "table", "table", "note", "note"]
    assert blocks[1].png[:4] == b"\x89PNG"
    assert blocks[2].columns == ["Edition", "Bangladesh", "Ethiopia"]
    assert blocks[2].rows[-1] == ["2024", "0.6570", "0.3111"]
    assert blocks[3].rows[0][4] == "159 to 100 (up 59)"
    assert "Bangladesh: EGDI rose by 0.49 from 2003 to 2024" in blocks[4].text
    assert blocks[5].text == "Bangladesh moved faster after 2014."


# ------------------------------------------------------------------------------- view
def test_view_defaults_and_case_country():
    view = TrajectoryComparison()
    assert view.model.countries == ("BGD", "ETH", "KOR")
    wb = Workbook.in_memory()
    wb.set_case(country="TLS")
    assert TrajectoryComparison(workbook=wb).model.countries == ("BGD", "ETH", "TLS", "KOR")
    view = TrajectoryComparison(country="Nepal", workbook=Workbook.in_memory())
    assert view.model.countries == ("BGD", "ETH", "KOR", "NPL")


def test_view_with_an_unknown_or_extra_country_shows_a_message():
    view = TrajectoryComparison(country="Atlantis", workbook=Workbook.in_memory())
    assert "Unknown country" in view.country_message.value
    assert view.model.countries == ("BGD", "ETH", "KOR")
    full = TrajectoryComparisonModel(countries=SIX)
    view = TrajectoryComparison(country="TLS", model=full, workbook=Workbook.in_memory())
    assert "remove one" in view.country_message.value
    assert view.model == full


def test_view_adds_removes_switches_saves_and_restores(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    view = TrajectoryComparison(workbook=wb)
    view.picker.value = "DNK"
    view.add_button.click()
    assert view.model.countries == ("BGD", "ETH", "KOR", "DNK")
    assert "Denmark" in view.changes_table.value and "Denmark" in view.values_table.value
    view.listing.value = "KOR"
    view.remove_button.click()
    assert view.model.countries == ("BGD", "ETH", "DNK")
    view.indicator.value = "epi"
    assert view.model.indicator == "epi"
    assert "E-Participation" in view.values_table.value or "EPI" in view.sentences.value
    view.lessons.value = "Participation grew late."
    view.save_button.click()
    assert view.model.lessons == "Participation grew late."
    assert "Saved" in view.status.value
    assert view.chart.value[:4] == b"\x89PNG"
    assert view.chart.alt.startswith("Line chart: E-Participation (EPI) in every Survey "
                                     "edition. Bangladesh: ")
    assert "Denmark:" in view.chart.alt and "Republic of Korea" not in view.chart.alt
    assert "<table" in view.chart.numbers.value and "Edition" in view.chart.numbers.value
    restored = TrajectoryComparison(workbook=Workbook.open(tmp_path / "wb.json"))
    assert restored.model == view.model
    assert restored.indicator.value == "epi"
    assert restored.lessons.value == "Participation grew late."
    assert Workbook.open(tmp_path / "wb.json").latest("trajectories") == {
        "indicator": "epi", "countries": ["BGD", "ETH", "DNK"],
        "lessons": "Participation grew late."}


def test_view_refusals_show_next_to_the_controls():
    view = TrajectoryComparison(workbook=Workbook.in_memory())
    view.picker.value = "BGD"
    view.add_button.click()
    assert "already in the comparison" in view.country_message.value
    view.listing.value = None
    view.remove_button.click()
    assert "Pick a country" in view.country_message.value
    for code in ("DNK", "NPL", "SSD"):
        view.picker.value = code
        view.add_button.click()
    assert len(view.model.countries) == MAX_COUNTRIES
    view.picker.value = "TLS"
    view.add_button.click()
    assert "remove one to add Timor-Leste" in view.country_message.value
    assert len(view.model.countries) == MAX_COUNTRIES
    view.lessons.value = "x" * 3000
    view.save_button.click()
    assert "too long" in view.lessons_message.value
    assert view.model.lessons == ""
    assert view.lessons.value == "x" * 3000  # the learner's text is not thrown away


def test_switching_indicator_keeps_unsaved_lessons():
    view = TrajectoryComparison(workbook=Workbook.in_memory())
    view.lessons.value = "draft"
    view.indicator.value = "tii"
    assert view.lessons.value == "draft" and view.model.lessons == ""


def test_learner_text_is_never_shown_as_html():
    view = TrajectoryComparison(workbook=Workbook.in_memory())
    view.lessons.value = "<script>alert(1)</script>"
    view.save_button.click()
    assert view.model.lessons == "<script>alert(1)</script>"
    shown = "".join(w.value for w in (view.sentences, view.changes_table, view.values_table,
                                      view.progress, view.status, view.lessons_message))
    assert "<script>" not in shown
    view.picker.value = "CIV"  # a name with an apostrophe: Côte d'Ivoire
    view.add_button.click()
    assert "d&#x27;Ivoire" in view.changes_table.value


def test_a_damaged_saved_answer_does_not_break_the_view(tmp_path):
    wb = Workbook.open(tmp_path / "wb.json")
    wb.set("6.1/trajectories", "trajectories", {"countries": ["XXX"]})
    view = TrajectoryComparison(workbook=Workbook.open(tmp_path / "wb.json"))
    assert view.model == TrajectoryComparisonModel()
    assert "could not be restored" in view.status.value


# ------------------------------------------------------------------------------- properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
codes = st.sampled_from(["BGD", "ETH", "KOR", "DNK", "NPL", "SSD", "TLS", "bangladesh",
                         "XXX", ""])
trajectory_like = st.fixed_dictionaries({
    "indicator": st.sampled_from([*INDICATORS, "gdp"]),
    "countries": st.lists(codes, max_size=8) | json_values,
    "lessons": st.text(max_size=30) | st.integers(),
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, trajectory_like))
def test_any_input_gives_a_model_or_a_refusal(data_in):
    try:
        m = TrajectoryComparisonModel.from_dict(data_in)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    assert TrajectoryComparisonModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(INDICATORS),
       st.lists(st.sampled_from(data.load_countries()["iso3"].astype(str).tolist()),
                min_size=1, max_size=6, unique=True),
       st.text(max_size=40))
def test_accepted_models_round_trip_and_compute(indicator, countries, lessons):
    try:
        m = TrajectoryComparisonModel(indicator, countries, lessons)
    except ValidationError:
        return
    assert TrajectoryComparisonModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    c = m.changes()
    assert list(c["iso3"]) == list(m.countries)
    assert ((c["change"] - (c["latest_value"] - c["first_value"])).abs() < 1e-12).all()


@settings(max_examples=30, deadline=None)  # each step redraws the chart
@given(st.lists(st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["BGD", "DNK", "NPL", "SSD", "TLS", "FJI", "HTI"])),
    st.tuples(st.just("remove"), st.integers(0, 6)),
    st.tuples(st.just("indicator"), st.sampled_from(INDICATORS)),
    st.tuples(st.just("save"), st.text(max_size=20)),
), max_size=8))
def test_random_use_of_the_view_never_raises(operations):
    view = TrajectoryComparison(workbook=Workbook.in_memory())
    for op, arg in operations:
        if op == "add":
            view.picker.value = arg
            view.add_button.click()
        elif op == "remove":
            options = [v for _, v in view.listing.options]
            view.listing.value = options[arg % len(options)]
            view.remove_button.click()
        elif op == "indicator":
            view.indicator.value = arg
        else:
            view.lessons.value = arg
            view.save_button.click()
        messages = view.status.value + view.country_message.value + view.lessons_message.value
        assert "That did not work" not in messages
        assert "could not be shown" not in messages
    m = view.model
    assert 1 <= len(m.countries) <= MAX_COUNTRIES
    assert TrajectoryComparisonModel.from_dict(m.to_dict()) == m
    assert [v for _, v in view.listing.options] == list(m.countries)


def test_in_french_the_sentences_and_tables_are_french():
    from digit4sd_widgets.i18n import language
    with language("fr"):
        view = TrajectoryComparison(workbook=Workbook.in_memory())
        text = view.sentences.value + view.changes_table.value
        assert "Bangladesh\u00a0: l&#x27;indice EGDI a augmenté de 0,49" in text
        assert "Éthiopie" in text and "Corée du Sud" in text
        assert view.add_button.description == "Ajouter"
        for english in ("rose by", "biggest jump", "Biggest jump", "Korea", "Ethiopia"):
            assert english not in text
    assert view.model.to_dict()["countries"] == ["BGD", "ETH", "KOR"]
