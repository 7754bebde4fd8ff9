"""Country explorer: model figures against the data, refusals, view, persistence."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.data import analysis
from digit4sd_widgets.exercises import explorer
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.explorer import (
    CountryExplorer,
    CountryExplorerModel,
    country_options,
    resolve_country,
)
from digit4sd_widgets.workbook import Workbook

PNG = b"\x89PNG\r\n\x1a\n"


def open_wb(tmp_path):
    """The workbook of one test (no merging with other tests' folders)."""
    return Workbook.open(tmp_path / "wb.json", siblings=False)


def survey(iso3: str, year: int):
    return data.load_survey(years=year, countries=iso3).iloc[0]


# ------------------------------------------------------------------------------ model
def test_defaults_and_changes_return_new_models():
    m = CountryExplorerModel()
    assert m.to_dict() == {"country": "BGD", "year": data.LATEST_EDITION, "notes": ""}
    m2 = m.with_country("ethiopia").with_year("2014").with_notes("  Fast growth  ")
    assert m2.to_dict() == {"country": "ETH", "year": 2014, "notes": "Fast growth"}
    assert m.country == "BGD" and m.year == data.LATEST_EDITION  # untouched


def test_countries_by_name_or_code():
    assert resolve_country("bgd") == "BGD"
    assert resolve_country("Turkey") == "TUR"
    assert len(country_options()) == 193
    assert ("Bangladesh", "BGD") in country_options()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "Atlantis"}, "Unknown country 'Atlantis'"),
        ({"country": "Bangldesh"}, "Did you mean: Bangladesh"),
        ({"country": ""}, "pick a country"),
        ({"country": 42}, "pick a country"),
        ({"year": 2007}, "must be a Survey edition"),
        ({"year": "twenty"}, "must be a number"),
        ({"year": 2014.5}, "whole number"),
        ({"notes": "x" * 3000}, "too long"),
        ({"notes": 5}, "must be text"),
    ],
)
def test_refusals(change, message):
    m = CountryExplorerModel("ETH", 2020)
    with pytest.raises(ValidationError, match=message):
        CountryExplorerModel.from_dict({**m.to_dict(), **change})
    assert m.to_dict() == {"country": "ETH", "year": 2020, "notes": ""}


def test_profile_matches_the_data():
    p = CountryExplorerModel("BGD", 2024).profile()
    row = survey("BGD", 2024)
    for col in ("egdi", "osi", "hci", "tii", "epi"):
        assert p[col] == pytest.approx(float(row[col]))
    assert p["egdi_rank"] == int(row["egdi_rank"])
    assert p["ranked"] == 193
    assert p["egdi_level"] == str(row["egdi_level"])
    assert p["groups"] == ["ldc"]
    assert (p["peer_group"], p["peer_label"]) == analysis.peer_group("BGD", 2024)
    peers = analysis.peer_countries("BGD", 2024)
    assert p["peer_count"] == len(peers)
    peer_rows = data.load_survey(years=2024, countries=peers)
    assert p["peer_mean"]["osi"] == pytest.approx(float(peer_rows["osi"].mean()))
    assert p["world_mean"]["egdi"] == pytest.approx(
        float(analysis.group_means(2024).loc["World", "egdi"]))
    assert p["note"] == ""


def test_profile_is_a_copy():
    m = CountryExplorerModel("BGD", 2024)
    p = m.profile()
    p["peer_mean"]["osi"] = -1
    assert m.profile()["peer_mean"]["osi"] != -1


def test_a_subregion_peer_group():
    p = CountryExplorerModel("DEU", 2024).profile()
    assert p["peer_group"] == "subregion" and p["peer_label"] == "Western Europe"
    assert p["groups"] == []


def test_missing_egdi_gives_a_note_and_the_components_that_exist():
    p = CountryExplorerModel("MCO", 2008).profile()
    assert p["egdi"] is None and p["egdi_rank"] is None and p["egdi_level"] is None
    assert p["note"].startswith("No EGDI was computed for Monaco in 2008.")
    assert "OSI, TII" in p["note"]
    assert p["osi"] == pytest.approx(0.38127) and p["hci"] is None
    empty = CountryExplorerModel("MNE", 2003).profile()
    assert "No EGDI was computed for Montenegro in 2003" in empty["note"]
    assert all(empty[c] is None for c in ("osi", "hci", "tii", "epi"))
    # a chart and a report still come out
    m = CountryExplorerModel("MNE", 2003)
    assert m.bar_png().startswith(PNG)
    assert any(b.kind == "note" and "Montenegro" in b.text for b in m.report())


def test_trend_and_peers():
    m = CountryExplorerModel("ETH", 2024)
    t = m.trend()
    assert t["year"].tolist() == list(data.EDITIONS)
    own = analysis.indicator_series("ETH", "egdi")
    assert t.set_index("year")["egdi"].dropna().to_dict() == pytest.approx(own.to_dict())
    last = t.iloc[-1]
    assert last["peer_mean"] == pytest.approx(m.profile()["peer_mean"]["egdi"])
    assert last["peer_count"] == m.profile()["peer_count"]
    # LDC membership of each edition, Ethiopia left out
    y2003 = data.load_survey(years=2003)
    ldc = y2003[y2003["ldc"] & (y2003["iso3"] != "ETH")]
    assert t.iloc[0]["peer_mean"] == pytest.approx(float(ldc["egdi"].mean()))

    peers = m.peers()
    assert peers["selected"].sum() == 1
    assert len(peers) == m.profile()["peer_count"] + 1
    egdi = peers["egdi"].dropna().tolist()
    assert egdi == sorted(egdi, reverse=True)
    assert peers.loc[peers["selected"], "country"].item() == "Ethiopia"
    peers.loc[0, "egdi"] = 99  # a copy: the cache is not touched
    assert m.peers().loc[0, "egdi"] != 99


def test_round_trip_completeness_report():
    m = CountryExplorerModel("NPL", 2016, "Human capital is the strong point")
    assert CountryExplorerModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert CountryExplorerModel.from_dict({}) == CountryExplorerModel()
    assert m.completeness().complete
    assert CountryExplorerModel().completeness().missing == ["a note on what stands out"]
    blocks = m.report()
    assert [b.kind for b in blocks] == ["fields", "image", "image", "table", "note"]
    assert all(b.png.startswith(PNG) for b in blocks if b.kind == "image")
    fields = dict(blocks[0].items)
    assert fields["Country"] == "Nepal (NPL)"
    assert fields["Rank"].endswith("of 193")
    assert blocks[-1].text == "Human capital is the strong point"


def test_starter_uses_the_case_country():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH")
    assert CountryExplorerModel.starter(wb).country == "ETH"
    wb.set_case(country="XXX")
    assert CountryExplorerModel.starter(wb).country == "BGD"


# ------------------------------------------------------------------------------ view
def test_view_without_arguments_starts_on_bangladesh():
    view = CountryExplorer(workbook=Workbook.in_memory())
    assert view.model.country == "BGD" and view.country.value == "BGD"
    assert view.edition.value == data.LATEST_EDITION
    assert "Bangladesh" in view.summary.value
    assert "Online services" in view.bar_chart.value and "Bangladesh" in view.bar_chart.value
    assert view.model.bar_png().startswith(PNG)
    assert bytes(view.trend_chart.value).startswith(PNG)
    assert view.trend_chart.alt.startswith("Line chart: EGDI of Bangladesh in every edition. "
                                           "Bangladesh: 0.17 in 2003, 0.66 in 2024 (up 0.49).")
    assert "World mean:" in view.trend_chart.alt
    assert "<table" in view.trend_chart.numbers.value
    assert "d4-self" in view.peers_table.value
    assert view.figures_box.titles == ("Show the figures",)


def test_view_country_argument_and_case_country():
    assert CountryExplorer(country="ETH", workbook=Workbook.in_memory()).model.country == "ETH"
    assert CountryExplorer(country="Nepal",
                           workbook=Workbook.in_memory()).country.value == "NPL"
    wb = Workbook.in_memory()
    wb.set_case(country="FJI")
    assert CountryExplorer(workbook=wb).model.country == "FJI"


def test_unknown_country_shows_a_message():
    view = CountryExplorer(country="Atlantis", workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert "Unknown country" in view.country_message.value
    wb = Workbook.in_memory()
    wb.set_case(country="ZZZ")
    view = CountryExplorer(workbook=wb)
    assert view.model.country == "BGD"
    assert "Showing Bangladesh instead" in view.country_message.value


def test_view_saves_the_selection_and_the_notes(tmp_path):
    wb = open_wb(tmp_path)
    view = CountryExplorer(workbook=wb)
    view.country.value = "ETH"
    view.edition.value = 2008
    assert "Ethiopia" in view.summary.value and "2008" in view.summary.value
    saved = open_wb(tmp_path).get("2.3/country_explorer")
    assert saved == {"country": "ETH", "year": 2008, "notes": ""}
    view.notes.value = "Rank rose a lot"
    assert view.model.notes == ""  # notes wait for Save
    view.country.value = "NPL"
    assert view.notes.value == "Rank rose a lot"  # unsaved notes are kept in the box
    view.save_button.click()
    assert "Saved" in view.status.value
    restored = CountryExplorer(workbook=open_wb(tmp_path))
    assert restored.model.to_dict() == {"country": "NPL", "year": 2008,
                                        "notes": "Rank rose a lot"}
    assert restored.notes.value == "Rank rose a lot"
    # an explicit country wins over the saved selection, without saving it
    eth = CountryExplorer(country="ETH", workbook=open_wb(tmp_path))
    assert eth.model.country == "ETH" and eth.model.notes == "Rank rose a lot"


def test_view_missing_egdi_and_too_long_notes():
    view = CountryExplorer(country="MCO", workbook=Workbook.in_memory())
    view.edition.value = 2008
    assert "No EGDI was computed for Monaco in 2008" in view.summary.value
    assert "0.3813" in view.summary.value
    view.notes.value = "x" * 2500
    view.save_button.click()
    assert "too long" in view.notes_message.value
    assert view.model.notes == ""
    view.notes.value = "ok"
    view.save_button.click()
    assert view.notes_message.value == "" and view.model.notes == "ok"


def test_names_are_escaped_and_learner_text_stays_out_of_html():
    view = CountryExplorer(country="CIV", workbook=Workbook.in_memory())
    assert "Côte d&#x27;Ivoire" in view.summary.value
    view.notes.value = "<script>alert(1)</script>"
    view.save_button.click()
    assert view.model.notes == "<script>alert(1)</script>"
    for out in (view.summary.value, view.peers_table.value, view.figures.value,
                view.progress.value, view.status.value, view.notes_message.value):
        assert "<script>" not in out
    table = explorer.table_html(["a"], [["<script>alert(1)</script>"]])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table and "<script>" not in table


def test_revisits_use_the_cache_and_an_edition_change_keeps_the_trend():
    view = CountryExplorer(country="NPL", workbook=Workbook.in_memory())
    bar, trend = view.bar_chart.value, bytes(view.trend_chart.value)
    assert "Nepal" in bar
    view.edition.value = 2022  # same peer group kind: the trend chart stays
    assert view.model.trend_png() is CountryExplorerModel("NPL", 2024).trend_png()
    assert bytes(view.trend_chart.value) == trend
    assert view.bar_chart.value != bar
    view.edition.value = data.LATEST_EDITION
    assert view.bar_chart.value == bar


def test_a_damaged_saved_answer_does_not_break_the_view(tmp_path):
    wb = open_wb(tmp_path)
    wb.set("2.3/country_explorer", "country_explorer", {"country": "Narnia", "year": 1999})
    view = CountryExplorer(workbook=open_wb(tmp_path))
    assert view.model.country == "BGD"
    assert "could not be restored" in view.status.value


# ------------------------------------------------------------------------------ properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=10,
)
SAMPLE = ["BGD", "ETH", "NPL", "FJI", "MCO"]
answer_like = st.fixed_dictionaries({
    "country": st.sampled_from([*SAMPLE, "bangladesh", "Atlantis", ""]) | json_values,
    "year": st.sampled_from(data.EDITIONS) | st.integers(1990, 2030) | json_values,
    "notes": st.text(max_size=40) | json_values,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, answer_like))
def test_any_input_gives_a_model_or_a_refusal_and_round_trips(raw):
    try:
        m = CountryExplorerModel.from_dict(raw)
    except ValidationError:
        return
    again = CountryExplorerModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m
    p = m.profile()
    assert p["egdi"] is None or 0 <= p["egdi"] <= 1
    assert not any(isinstance(v, float) and math.isnan(v) for v in p.values())


ops = st.lists(st.one_of(
    st.tuples(st.just("country"), st.sampled_from(SAMPLE)),
    st.tuples(st.just("edition"), st.sampled_from([2003, 2008, 2014, 2024])),
    st.tuples(st.just("notes"), st.text(max_size=30) | st.just("y" * 2100)),
    st.tuples(st.just("save"), st.none()),
), max_size=6)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_use_of_the_view_never_raises(steps):
    view = CountryExplorer(workbook=Workbook.in_memory())
    for op, value in steps:
        if op == "country":
            view.country.value = value
        elif op == "edition":
            view.edition.value = value
        elif op == "notes":
            view.notes.value = value
        else:
            view.save_button.click()
        assert view.country.value == view.model.country
        assert view.edition.value == view.model.year
    CountryExplorerModel.from_dict(view.model.to_dict())
    assert "That did not work" not in view.status.value + view.country_message.value


def test_in_french_the_explorer_speaks_french_with_french_numbers():
    from digit4sd_widgets.i18n import language
    with language("fr"):
        view = CountryExplorer(country="ETH", workbook=Workbook.in_memory())
        egdi = explorer._profile("ETH", 2024)["egdi"]
        text = view.summary.value
        assert "Éthiopie" in text and f"{egdi:.4f}".replace(".", ",") in text
        assert "Pays les moins avancés (PMA)" in text and "Afrique subsaharienne" in text
        assert view.country.description == "Pays" and view.save_button.description == \
            "Enregistrer"
        for english in ("Ethiopia", "Groups in", "Region:", "Compared with", "level <b>"):
            assert english not in text
    # the English page is not changed by a French page drawn before it
    assert "Ethiopia" in CountryExplorer(country="ETH",
                                         workbook=Workbook.in_memory()).summary.value
    assert view.model.to_dict() == {"country": "ETH", "year": 2024, "notes": ""}
