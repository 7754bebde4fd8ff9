"""E-Participation explorer: the fit against the data, the model, the view, properties."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises._base import Block, ValidationError
from digit4sd_widgets.exercises.eparticipation import (
    ITEMS,
    LEVELS,
    EParticipationExplorer,
    EParticipationExplorerModel,
    epi_vs_egdi,
    fit_line,
    levels_html,
    method_note,
    overperformers,
    residual_position,
    scatter_png,
)
from digit4sd_widgets.workbook import Workbook

PNG = b"\x89PNG\r\n\x1a\n"
RIGHT = {i.id: i.level for i in ITEMS}
COLUMNS = ["iso3", "country", "egdi", "epi", "predicted", "residual"]


def open_wb(tmp_path):
    return Workbook.open(tmp_path / "wb.json", siblings=False)


# ------------------------------------------------------------------------------ data
@pytest.mark.parametrize("year", data.EDITIONS)
def test_fit_matches_a_least_squares_line(year):
    df = epi_vs_egdi(year)
    ed = data.load_survey(years=year).dropna(subset=["egdi", "epi"])
    assert list(df.columns) == COLUMNS
    assert sorted(df["iso3"]) == sorted(ed["iso3"].astype(str)) == df["iso3"].tolist()
    slope, intercept = np.polyfit(ed["egdi"].astype(float), ed["epi"].astype(float), 1)
    assert fit_line(year) == pytest.approx((slope, intercept))
    assert df["predicted"].to_numpy() == pytest.approx(intercept + slope * df["egdi"])
    assert df["residual"].to_numpy() == pytest.approx(df["epi"] - df["predicted"])
    assert abs(df["residual"].sum()) < 1e-9
    mine = df.set_index("iso3")
    row = ed.set_index("iso3").iloc[0]
    assert mine.loc[ed["iso3"].iloc[0], "epi"] == pytest.approx(float(row["epi"]))


def test_editions_without_every_country():
    assert len(epi_vs_egdi(2024)) == 193
    assert len(epi_vs_egdi(2003)) == 173
    assert "SSD" not in set(epi_vs_egdi(2003)["iso3"])


def test_overperformers():
    top = overperformers(2024)
    df = epi_vs_egdi(2024)
    assert len(top) == 10 and list(top.columns) == COLUMNS
    assert top["residual"].is_monotonic_decreasing
    assert top["residual"].iloc[0] == pytest.approx(df["residual"].max())
    assert set(top["iso3"]) == set(df.nlargest(10, "residual")["iso3"])
    assert (top["residual"] > 0).all()
    assert len(overperformers(2024, n=3)) == 3
    assert overperformers(2024, n="5")["iso3"].tolist() == top["iso3"].head(5).tolist()


@pytest.mark.parametrize(("n", "message"), [(0, "at least 1"), ("x", "must be a number"),
                                            (2.5, "whole number"), (500, "at most 193")])
def test_overperformers_refuses_bad_n(n, message):
    with pytest.raises(ValidationError, match=message):
        overperformers(2024, n=n)


def test_residual_position():
    p = residual_position("bangladesh", 2024)
    df = epi_vs_egdi(2024).set_index("iso3")
    assert p["iso3"] == "BGD" and p["of"] == 193
    assert p["residual"] == pytest.approx(df.loc["BGD", "residual"])
    assert p["rank"] == int((df["residual"] > p["residual"]).sum()) + 1
    top = overperformers(2024, n=1).iloc[0]
    assert residual_position(top["iso3"], 2024)["rank"] == 1
    with pytest.raises(ValidationError, match="South Sudan has no EGDI or no EPI in 2003"):
        residual_position("SSD", 2003)
    with pytest.raises(ValidationError, match="Unknown country"):
        residual_position("Atlantis", 2024)
    with pytest.raises(ValidationError, match="Survey edition"):
        epi_vs_egdi(2007)


def test_method_note_and_levels():
    assert method_note(2014) == "" and method_note(2024) == ""
    assert "different method" in method_note(2012)
    assert list(LEVELS) == ["e-information", "e-consultation", "e-decision-making"]
    assert "<li>" in levels_html()
    assert len(ITEMS) == 8 and len(set(RIGHT)) == 8
    assert set(RIGHT.values()) == set(LEVELS)


def test_scatter_png():
    png = scatter_png("BGD", 2024)
    assert png.startswith(PNG)
    assert scatter_png("TUV", 2024).startswith(PNG)  # a SIDS with its peers


# ------------------------------------------------------------------------------ model
def test_defaults_and_changes_return_new_models():
    m = EParticipationExplorerModel()
    assert m.to_dict() == {"year": 2024, "country": "BGD", "answers": {}}
    m2 = (m.with_country("nepal").with_year("2016")
          .with_answer("budget_online", "e-information")
          .with_answer("city_budget", "e-consultation"))
    assert m2.to_dict() == {"year": 2016, "country": "NPL",
                            "answers": {"budget_online": "e-information",
                                        "city_budget": "e-consultation"}}
    assert m.to_dict() == {"year": 2024, "country": "BGD", "answers": {}}  # untouched
    assert m2.is_right("budget_online") is True and m2.is_right("city_budget") is False
    assert m2.is_right("hearings") is None and m2.score() == 1
    assert m2.with_answer("city_budget", "").answers == {"budget_online": "e-information"}
    assert m2.with_answer("city_budget", None).answers == {"budget_online": "e-information"}
    assert EParticipationExplorerModel(answers=RIGHT).score() == 8


def test_model_reads_the_data():
    m = EParticipationExplorerModel("ETH", 2022)
    assert m.position() == residual_position("ETH", 2022)
    assert m.fit().equals(epi_vs_egdi(2022))
    assert m.overperformers(4).equals(overperformers(2022, 4))
    code, label, peers = m.peers()
    assert (code, label) == analysis.peer_group("ETH", 2022)
    assert list(peers) == analysis.peer_countries("ETH", 2022)
    assert m.method_note() == "" and "different method" in m.with_year(2010).method_note()


@pytest.mark.parametrize(("change", "message"), [
    ({"country": "Atlantis"}, "Unknown country 'Atlantis'"),
    ({"country": ""}, "pick a country"),
    ({"country": 42}, "pick a country"),
    ({"year": 2007}, "must be a Survey edition"),
    ({"year": "twenty"}, "must be a number"),
    ({"country": "SSD", "year": 2003}, "has no EGDI or no EPI in 2003"),
    ({"answers": {"nope": "e-information"}}, "no initiative 'nope'"),
    ({"answers": {"hearings": "e-voting"}}, "must be one of: e-information"),
    ({"answers": {"hearings": 1}}, "must be one of"),
    ({"answers": ["hearings"]}, "named fields"),
])
def test_refusals(change, message):
    m = EParticipationExplorerModel("ETH", 2020)
    with pytest.raises(ValidationError, match=message):
        EParticipationExplorerModel.from_dict({**m.to_dict(), **change})
    assert m.to_dict() == {"year": 2020, "country": "ETH", "answers": {}}


def test_change_refusals_keep_the_model():
    m = EParticipationExplorerModel("BGD", 2003).with_answer("hearings", "e-information")
    with pytest.raises(ValidationError, match="South Sudan has no EGDI"):
        m.with_country("SSD")
    with pytest.raises(ValidationError, match="no initiative"):
        m.with_answer("x", "e-information")
    with pytest.raises(ValidationError):
        m.with_answer("hearings", "e-voting")
    assert m.to_dict() == {"year": 2003, "country": "BGD",
                           "answers": {"hearings": "e-information"}}
    with pytest.raises(ValidationError, match="named fields"):
        EParticipationExplorerModel.from_dict(None)


def test_round_trip_completeness_report():
    m = EParticipationExplorerModel("FJI", 2012, {"draft_law": "e-consultation",
                                                  "open_data": "e-decision-making"})
    d = m.to_dict()
    assert EParticipationExplorerModel.from_dict(json.loads(json.dumps(d))) == m
    assert EParticipationExplorerModel.from_dict({}) == EParticipationExplorerModel()
    done = m.completeness()
    assert (done.done, done.total, len(done.missing)) == (2, 8, 6)
    assert "a level for initiative 1" in done.missing
    assert EParticipationExplorerModel(answers=RIGHT).completeness().complete
    blocks = m.report()
    assert all(isinstance(b, Block) for b in blocks)
    fields = dict(blocks[0].items)
    p = m.position()
    assert fields["Country"] == "Fiji (FJI)" and fields["Edition"] == "2012"
    assert fields["Rank among residuals"].startswith(f"{p['rank']} of {p['of']}")
    assert blocks[1].kind == "note" and "different method" in blocks[1].text
    images = [b for b in blocks if b.kind == "image"]
    assert len(images) == 1 and images[0].png.startswith(PNG)
    top = next(b for b in blocks if b.title.startswith("More participation"))
    assert len(top.rows) == 10 and top.rows[0][1] == overperformers(2012).iloc[0]["country"]
    score = next(b for b in blocks if b.title.startswith("Levels"))
    assert score.items == [("Right", "1 of 8")]
    assert not any(b.kind == "note" for b in EParticipationExplorerModel().report())


def test_starter_uses_the_case_country():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH")
    assert EParticipationExplorerModel.starter(wb).country == "ETH"
    wb.set_case(country="XXX")
    assert EParticipationExplorerModel.starter(wb).country == "BGD"


# ------------------------------------------------------------------------------ view
def test_view_without_arguments_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    view = EParticipationExplorer()
    assert view.model.to_dict() == {"year": 2024, "country": "BGD", "answers": {}}
    assert bytes(view.chart.value).startswith(PNG)
    assert view.chart.alt.startswith("Scatter plot of EPI against EGDI, 2024: 193 countries")
    assert "Bangladesh: EGDI 0.66, EPI 0.62, above the line" in view.chart.alt
    assert "<table" in view.chart.numbers.value and "Peers (LDC)" in view.chart.numbers.value
    assert "Bangladesh" in view.summary.value and "Rank <b>" in view.summary.value
    assert "Rwanda" in view.top_table.value


def test_view_country_argument_and_case_country():
    wb = Workbook.in_memory()
    assert EParticipationExplorer(country="Nepal", workbook=wb).model.country == "NPL"
    wb.set_case(country="FJI")
    assert EParticipationExplorer(workbook=wb).model.country == "FJI"
    assert EParticipationExplorer(country="KEN", workbook=wb).model.country == "KEN"
    view = EParticipationExplorer(country="Atlantis", workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert "Unknown country" in view.country_message.value
    assert "Showing Bangladesh instead" in view.country_message.value


def test_view_selection_classification_and_reload(tmp_path):
    wb = open_wb(tmp_path)
    view = EParticipationExplorer(country="ETH", workbook=wb)
    view.edition.value = 2012
    assert view.model.year == 2012
    assert "different method" in view.summary.value
    view.country.value = "RWA"
    assert view.model.country == "RWA"
    view.check_button.click()
    assert "at least one initiative" in view.item_message.value
    view.dropdowns["city_budget"].value = "e-decision-making"
    view.dropdowns["hearings"].value = "e-consultation"
    assert view.feedback["city_budget"].value == ""  # nothing shown before Check
    view.check_button.click()
    assert "Right" in view.feedback["city_budget"].value
    assert "e-information" in view.feedback["hearings"].value
    assert "1 of 8 right" in view.score_label.value
    saved = open_wb(tmp_path).get("2.5/e_participation")
    assert saved == {"year": 2012, "country": "RWA",
                     "answers": {"city_budget": "e-decision-making",
                                 "hearings": "e-consultation"}}
    assert open_wb(tmp_path).entry("2.5/e_participation")["kind"] == "e_participation"
    view.dropdowns["hearings"].value = ""
    assert view.model.answers == {"city_budget": "e-decision-making"}

    again = EParticipationExplorer(workbook=open_wb(tmp_path))
    assert again.model == view.model
    assert (again.country.value, again.edition.value) == ("RWA", 2012)
    assert again.dropdowns["city_budget"].value == "e-decision-making"


def test_view_refuses_an_edition_without_figures():
    view = EParticipationExplorer(country="SSD", workbook=Workbook.in_memory())
    view.edition.value = 2003
    assert "South Sudan has no EGDI or no EPI in 2003" in view.country_message.value
    assert view.model.year == 2024 and view.edition.value == 2024
    view.edition.value = 2014
    assert view.model.year == 2014 and view.country_message.value == ""
    view.edition.value = 2003
    view.country.value = "BGD"
    view.edition.value = 2003
    view.country.value = "SSD"
    assert view.model.country == "BGD" and view.country.value == "BGD"
    assert "South Sudan" in view.country_message.value


def test_view_with_broken_saved_answer_starts_afresh():
    wb = Workbook.in_memory()
    wb.set("2.5/e_participation", "e_participation",
           {"year": 2024, "country": "<script>alert(1)</script>", "answers": {}})
    view = EParticipationExplorer(workbook=wb)
    assert view.model == EParticipationExplorerModel()
    assert "could not be restored" in view.status.value
    assert "<script>" not in view.status.value and "&lt;script&gt;" in view.status.value
    for widget in (view.summary, view.top_table, view.country_message):
        assert "<script>" not in widget.value


def test_view_escapes_names():
    view = EParticipationExplorer(country="CIV", workbook=Workbook.in_memory())
    assert "Côte d&#x27;Ivoire" in view.summary.value


# ------------------------------------------------------------------ properties
json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2030) | st.text(max_size=8),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)
explorer_like = st.fixed_dictionaries({
    "year": st.sampled_from([*data.EDITIONS, 2007]) | json_like,
    "country": st.sampled_from(["BGD", "SSD", "MNE", "nepal", "XXX", ""]) | json_like,
    "answers": st.dictionaries(st.sampled_from([*RIGHT, "x"]),
                               st.sampled_from([*LEVELS, "", "other"]) | json_like,
                               max_size=8) | json_like,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_like, explorer_like))
def test_from_dict_gives_model_or_validation_error(data_):
    try:
        model = EParticipationExplorerModel.from_dict(data_)
    except ValidationError:
        return
    assert isinstance(model, EParticipationExplorerModel)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["BGD", "SSD", "MNE", "TUV", "FSM", "SWE"]),
       st.sampled_from(data.EDITIONS),
       st.dictionaries(st.sampled_from(list(RIGHT)), st.sampled_from(list(LEVELS))))
def test_accepted_models_survive_json(country, year, answers):
    try:
        model = EParticipationExplorerModel(country, year, answers)
    except ValidationError:
        return
    again = EParticipationExplorerModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model


ui_op = st.one_of(
    st.tuples(st.just("country"), st.sampled_from(["BGD", "SSD", "TUV"])),
    st.tuples(st.just("year"), st.sampled_from(data.EDITIONS)),
    st.tuples(st.just("check"), st.none()),
    st.tuples(st.sampled_from(list(RIGHT)), st.sampled_from(["", *LEVELS])),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ui_op, max_size=12))
def test_random_ui_operations_never_raise(operations):
    view = EParticipationExplorer(workbook=Workbook.in_memory())
    expected: dict[str, str] = {}
    for target, value in operations:
        if target == "country":
            view.country.value = value
        elif target == "year":
            view.edition.value = value
        elif target == "check":
            view.check_button.click()
        else:
            view.dropdowns[target].value = value
            expected[target] = value
    assert "That did not work" not in view.status.value
    assert "That did not work" not in view.country_message.value
    assert view.model.answers == {k: v for k, v in expected.items() if v}
    assert (view.country.value, view.edition.value) == (view.model.country, view.model.year)
    assert EParticipationExplorerModel.from_dict(view.model.to_dict()) == view.model


# ------------------------------------------------------------------------- French
def test_the_explorer_speaks_french_and_stores_english_levels():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.i18n_checks import english_left

    english_alt = EParticipationExplorer(country="ETH", workbook=Workbook.in_memory()).chart.alt
    with language("fr"):
        view = EParticipationExplorer(country="ETH", workbook=Workbook.in_memory())
        labels = dict((v, k) for k, v in view.dropdowns["city_budget"].options)
        assert labels["e-decision-making"] == "prise de décision en ligne"
        view.dropdowns["city_budget"].value = "e-consultation"
        view.check_button.click()
        assert "c&#x27;est de la <b>prise de décision en ligne</b>" in (
            view.feedback["city_budget"].value)
        assert view.chart.alt.startswith("Nuage de points de l'EPI en fonction de l'EGDI")
        assert "Éthiopie" in view.summary.value and "Droite d&#x27;ajustement" in view.summary.value
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/eparticipation.py") == []
    assert view.model.to_dict()["answers"] == {"city_budget": "e-consultation"}
    # the cached drawings keep one copy per language
    assert EParticipationExplorer(country="ETH",
                                  workbook=Workbook.in_memory()).chart.alt == english_alt
