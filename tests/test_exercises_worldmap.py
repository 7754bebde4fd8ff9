"""World map exercise: categories against the data, refusals, view, persistence."""

from __future__ import annotations

import io
import json

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from digit4sd_widgets import data
from digit4sd_widgets.data import geo
from digit4sd_widgets.exercises._base import Block, Completeness, ValidationError
from digit4sd_widgets.exercises.worldmap import (
    GROUP_PALETTE,
    LEVEL_PALETTE,
    WorldMap,
    WorldMapModel,
    counts_html,
    group_category,
)
from digit4sd_widgets.workbook import ENV_VAR, Workbook

PNG = b"\x89PNG\r\n\x1a\n"
KEY = "1.1/world_map"


def open_wb(tmp_path):
    """The workbook of one test (no merging with other tests' folders)."""
    return Workbook.open(tmp_path / "wb.json", siblings=False)


def edition_rows(year: int):
    return data.load_survey(years=year).set_index("iso3")


# ------------------------------------------------------------------------------ model
def test_defaults_and_changes_return_new_models():
    m = WorldMapModel()
    assert m.to_dict() == {"mode": "groups", "year": data.LATEST_EDITION, "country": "BGD"}
    m2 = m.with_mode("egdi_level").with_year("2014").with_country("nepal")
    assert m2.to_dict() == {"mode": "egdi_level", "year": 2014, "country": "NPL"}
    assert m.to_dict() == {"mode": "groups", "year": data.LATEST_EDITION, "country": "BGD"}
    assert WorldMapModel.kind == "world_map" and WorldMapModel.submodule == "1.1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mode": "satellite"}, "What the map shows must be one of: groups, egdi_level"),
        ({"mode": 3}, "What the map shows must be one of"),
        ({"year": 2007}, "must be a Survey edition"),
        ({"year": "twenty"}, "must be a number"),
        ({"year": 2014.5}, "whole number"),
        ({"country": "Atlantis"}, "Unknown country 'Atlantis'"),
        ({"country": "Bangldesh"}, "Did you mean: Bangladesh"),
        ({"country": ""}, "pick a country"),
        ({"country": None}, "pick a country"),
    ],
)
def test_refusals(change, message):
    m = WorldMapModel("egdi_level", 2020, "ETH")
    with pytest.raises(ValidationError, match=message):
        WorldMapModel.from_dict({**m.to_dict(), **change})
    assert m.to_dict() == {"mode": "egdi_level", "year": 2020, "country": "ETH"}


def test_not_a_mapping_is_refused():
    with pytest.raises(ValidationError, match="set of named fields"):
        WorldMapModel.from_dict(["groups", 2024])


def test_group_categories():
    assert group_category(()) == "none of the three"
    assert group_category(("lldc", "ldc")) == "LDC and LLDC"
    assert group_category(["sids", "ldc"]) == "LDC and SIDS"
    assert group_category(["lldc"]) == "LLDC only"


@pytest.mark.parametrize("year", [2003, 2012, 2024])
def test_group_counts_match_the_data(year):
    rows = edition_rows(year)
    counts = dict(WorldMapModel(year=year).counts())
    assert sum(counts.values()) == 193
    assert list(counts) == list(GROUP_PALETTE)
    ldc = counts["LDC only"] + counts["LDC and LLDC"] + counts["LDC and SIDS"]
    assert ldc == int(rows["ldc"].sum())
    assert counts["LLDC only"] + counts["LDC and LLDC"] == int(rows["lldc"].sum())
    assert counts["SIDS only"] + counts["LDC and SIDS"] == int(rows["sids"].sum())
    assert counts["LDC and LLDC"] == int((rows["ldc"] & rows["lldc"]).sum())


def test_flags_are_those_of_the_edition():
    # Bhutan left the LDC list in December 2023; Cabo Verde in 2007
    assert WorldMapModel(year=2022, country="BTN").category() == "LDC and LLDC"
    assert WorldMapModel(year=2024, country="BTN").category() == "LLDC only"
    assert WorldMapModel(year=2005, country="CPV").category() == "LDC and SIDS"
    assert WorldMapModel(year=2008, country="CPV").category() == "SIDS only"


def test_egdi_levels_and_no_data():
    m = WorldMapModel("egdi_level", 2008, "TUV")
    rows = edition_rows(2008)
    counts = dict(m.counts())
    assert list(counts) == [*LEVEL_PALETTE, geo.NO_DATA]
    assert counts[geo.NO_DATA] == int(rows["egdi_level"].isna().sum()) == 11
    for level in LEVEL_PALETTE:
        assert counts[level] == int((rows["egdi_level"] == level).sum())
    assert m.category() is None
    assert "no EGDI was computed for it that year" in m.summary()
    assert geo.NO_DATA not in dict(WorldMapModel("egdi_level", 2024).counts())
    assert WorldMapModel("egdi_level", 2024, "BGD").category() == "high"


def test_summary_and_profile():
    m = WorldMapModel(country="NPL")
    assert m.summary() == (
        f"In {data.LATEST_EDITION}, Nepal is a least developed country (LDC) and a landlocked "
        "developing country (LLDC). Region: Asia (Southern Asia); EGDI level: "
        f"{edition_rows(data.LATEST_EDITION).loc['NPL', 'egdi_level']}.")
    assert "none of the three groups" in WorldMapModel(country="SWE").summary()
    p = WorldMapModel(country="FJI").profile()
    assert p["groups"] == ["sids"] and p["region"] == "Oceania"


def test_members_of_the_chosen_countrys_groups():
    m = WorldMapModel(year=2024, country="NPL")
    members = m.members()
    rows = edition_rows(2024)
    assert [g for g, _ in members] == [data.GROUP_NAMES["ldc"], data.GROUP_NAMES["lldc"]]
    assert len(members[0][1]) == int(rows["ldc"].sum())
    assert len(members[1][1]) == int(rows["lldc"].sum())
    assert ("Nepal", "LDC, LLDC", str(rows.loc["NPL", "egdi_level"])) in members[0][1]
    names = [n for n, *_ in members[0][1]]
    assert names == sorted(names, key=str.casefold)
    assert WorldMapModel(country="SWE").members() == []


def test_map_png_is_cached_and_highlights_the_country():
    m = WorldMapModel("groups", 2016, "NPL")
    png = m.map_png()
    assert png.startswith(PNG)
    assert m.map_png() is png  # cached
    assert WorldMapModel("groups", 2016, "NPL").map_png() is png
    plain = m.map_png(highlight=False)
    assert plain != png and plain.startswith(PNG)
    assert Image.open(io.BytesIO(png)).size == Image.open(io.BytesIO(plain)).size


def test_round_trip_completeness_report():
    m = WorldMapModel("egdi_level", 2012, "KIR")
    assert WorldMapModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    done = m.completeness()
    assert isinstance(done, Completeness) and done.complete
    blocks = m.report()
    assert all(isinstance(b, Block) for b in blocks)
    assert [b.kind for b in blocks] == ["fields", "image", "table", "table", "table", "note"]
    fields = dict(blocks[0].items)
    assert fields["Country"] == "Kiribati (KIR)" and fields["Map shows"] == "EGDI level"
    assert blocks[1].png.startswith(PNG)
    assert blocks[2].rows[-1][0] == geo.NO_DATA
    assert "Tuvalu" in blocks[-1].text


def test_starter_uses_the_case_country():
    wb = Workbook.in_memory()
    wb.set_case(country="ETH")
    assert WorldMapModel.starter(wb).country == "ETH"
    wb.set_case(country="XXX")
    assert WorldMapModel.starter(wb).country == "BGD"


# ------------------------------------------------------------------------------ view
def test_view_with_no_arguments(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    view = WorldMap()
    assert isinstance(view, widgets.VBox)
    assert view.model.to_dict() == {"mode": "groups", "year": data.LATEST_EDITION,
                                    "country": "BGD"}
    assert bytes(view.map.value).startswith(PNG)
    assert view.map.alt.startswith("World map of the LDCs, LLDCs and SIDS, 2024, Bangladesh "
                                   "outlined. Bangladesh is a least developed country (LDC).")
    assert "of 193: LDC only: 21;" in view.map.alt
    assert "<table" in view.map.numbers.value and "Bangladesh" in view.map.numbers.value
    assert "Bangladesh is a least developed country" in view.caption.value
    assert view.figures_box.titles == ("Show the numbers",)
    assert "Least developed countries (LDC)" in view.figures.value
    assert "⚠" not in view.status.value
    assert list(tmp_path.glob("**/*.json")) == []  # nothing written before a change


def test_view_country_argument_and_case_country():
    assert WorldMap(country="Nepal", workbook=Workbook.in_memory()).country.value == "NPL"
    wb = Workbook.in_memory()
    wb.set_case(country="FJI")
    assert WorldMap(workbook=wb).model.country == "FJI"
    assert WorldMap(country="ETH", workbook=wb).model.country == "ETH"


def test_unknown_country_shows_a_clear_message_escaped():
    view = WorldMap(country="<script>alert(1)</script>", workbook=Workbook.in_memory())
    assert view.model.country == "BGD"
    assert "Unknown country" in view.country_message.value
    assert "Showing Bangladesh instead" in view.country_message.value
    assert "<script>" not in view.country_message.value
    assert "&lt;script&gt;" in view.country_message.value


def test_view_changes_are_saved_and_restored(tmp_path):
    wb = open_wb(tmp_path)
    view = WorldMap(workbook=wb)
    groups_png = bytes(view.map.value)
    view.mode.value = "egdi_level"
    assert bytes(view.map.value) != groups_png
    assert "EGDI levels: very high" in view.key_text.value
    view.edition.value = 2008
    view.country.value = "TUV"
    assert "Tuvalu" in view.caption.value and "2008" in view.caption.value
    assert "Saved" in view.status.value
    assert open_wb(tmp_path).get(KEY) == {"mode": "egdi_level", "year": 2008,
                                          "country": "TUV"}
    restored = WorldMap(workbook=open_wb(tmp_path))
    assert restored.model.to_dict() == {"mode": "egdi_level", "year": 2008, "country": "TUV"}
    assert restored.mode.value == "egdi_level" and restored.edition.value == 2008
    assert bytes(restored.map.value) == bytes(view.map.value)


def test_country_change_only_redraws_the_outline():
    view = WorldMap(country="NPL", workbook=Workbook.in_memory())
    before = bytes(view.map.value)
    view.country.value = "BOL"
    after = bytes(view.map.value)
    assert after != before
    assert after == WorldMapModel("groups", data.LATEST_EDITION, "BOL").map_png()
    view.country.value = "NPL"
    assert bytes(view.map.value) == before


def test_a_damaged_saved_answer_does_not_break_the_view(tmp_path):
    wb = open_wb(tmp_path)
    wb.set(KEY, "world_map", {"mode": "3d", "year": 1999, "country": "Narnia"})
    view = WorldMap(workbook=open_wb(tmp_path))
    assert view.model.to_dict()["mode"] == "groups"
    assert "could not be restored" in view.status.value


def test_a_refused_change_keeps_the_model_and_shows_a_message():
    view = WorldMap(workbook=Workbook.in_memory())
    before = view.model
    view._guard(view._pick_year, view.country_message)({"new": 2007})
    assert "must be a Survey edition" in view.country_message.value
    view._guard(view._pick_country, view.country_message)({"new": "<b>Atlantis</b>"})
    assert "<b>" not in view.country_message.value
    assert view.model == before


def test_html_is_escaped():
    html_out = counts_html(WorldMapModel(country="CIV"))
    assert "Côte d&#x27;Ivoire" in html_out
    view = WorldMap(country="CIV", workbook=Workbook.in_memory())
    assert "Côte d&#x27;Ivoire" in view.caption.value
    for out in (view.caption.value, view.figures.value, view.key_text.value):
        assert "<script" not in out


# ------------------------------------------------------------------------------ properties
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=10,
)
SAMPLE = ["BGD", "NPL", "FJI", "TUV", "SWE", "BOL"]
answer_like = st.fixed_dictionaries({
    "mode": st.sampled_from(["groups", "egdi_level", "Groups", ""]) | json_values,
    "year": st.sampled_from(data.EDITIONS) | st.integers(1990, 2030) | json_values,
    "country": st.sampled_from([*SAMPLE, "nepal", "Atlantis", ""]) | json_values,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_values, answer_like))
def test_any_input_gives_a_model_or_a_refusal(raw):
    try:
        m = WorldMapModel.from_dict(raw)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    assert isinstance(m, WorldMapModel)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["groups", "egdi_level"]), st.sampled_from(data.EDITIONS),
       st.sampled_from([str(c) for c in data.load_countries()["iso3"]]))
def test_accepted_models_round_trip(mode, year, country):
    m = WorldMapModel(mode, year, country)
    again = WorldMapModel.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m and again.to_dict() == {"mode": mode, "year": year, "country": country}
    assert m.category() is None or m.category() in (GROUP_PALETTE if mode == "groups"
                                                    else LEVEL_PALETTE)


ops = st.lists(st.one_of(
    st.tuples(st.just("mode"), st.sampled_from(["groups", "egdi_level"])),
    st.tuples(st.just("edition"), st.sampled_from([2003, 2008, 2024])),
    st.tuples(st.just("country"), st.sampled_from(SAMPLE)),
    st.tuples(st.just("bad"), st.sampled_from(["Atlantis", 2007, "x", None])),
), max_size=6)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_random_use_of_the_view_never_raises(steps):
    view = WorldMap(workbook=Workbook.in_memory())
    for op, value in steps:
        if op == "mode":
            view.mode.value = value
        elif op == "edition":
            view.edition.value = value
        elif op == "country":
            view.country.value = value
        else:
            view._guard(view._pick_country, view.country_message)({"new": value})
            view._guard(view._pick_year, view.country_message)({"new": value})
        assert view.mode.value == view.model.mode
        assert view.edition.value == view.model.year
        assert view.country.value == view.model.country
    WorldMapModel.from_dict(view.model.to_dict())
    assert "That did not work" not in view.status.value + view.country_message.value


def test_mode_argument_sets_the_start_but_a_saved_choice_wins(tmp_path):
    from digit4sd_widgets.exercises.worldmap import WorldMap as _WorldMap
    from digit4sd_widgets.workbook import Workbook as _Workbook

    wb = _Workbook.open(tmp_path / "wb.json")
    view = _WorldMap(key="2.3/world_map", mode="egdi_level", workbook=wb)
    assert view.model.mode == "egdi_level"
    view.commit(view.model.with_mode("groups"))
    again = _WorldMap(key="2.3/world_map", mode="egdi_level",
                      workbook=_Workbook.open(tmp_path / "wb.json"))
    assert again.model.mode == "groups"
    wrong = _WorldMap(mode="colours", workbook=_Workbook.in_memory())
    assert wrong.model.mode == "groups" and "must be one of" in wrong.country_message.value


def test_the_country_chosen_on_the_map_becomes_the_case_until_one_is_chosen(tmp_path):
    from digit4sd_widgets.workbook import Workbook as _Workbook

    wb = _Workbook.open(tmp_path / "digit4sd_workbook.json")
    view = WorldMap(workbook=wb)
    # nothing says which country is the learner's: the one shown is called an example
    assert "shown as an example" in view.country_message.value
    view.country.value = "NPL"
    assert _Workbook.open(wb.path).country == "NPL"
    assert "case country is now Nepal" in view.status.value
    view.country.value = "FJI"  # exploring another country never replaces the case
    assert _Workbook.open(wb.path).country == "NPL"
    again = WorldMap(workbook=_Workbook.open(wb.path))
    assert "example" not in again.country_message.value


def test_in_french_the_map_speaks_french_and_stores_the_same():
    from digit4sd_widgets.i18n import language
    with language("fr"):
        view = WorldMap(country="NPL", workbook=Workbook.in_memory())
        view.mode.value = "egdi_level"
        assert [label for label, _ in view.mode.options] == ["Groupes de pays",
                                                             "Niveau de l'EGDI"]
        assert view.country.description == "Pays"
        assert "Népal" in view.caption.value and "Région" in view.caption.value
        assert "0,75" in view.key_text.value  # a French number form
        alt, columns, rows = view.model.map_words()
        assert columns == ["Catégorie", "Pays", "Votre pays"]
        assert {r[0] for r in rows} >= {"très élevé", "élevé", "moyen", "faible"}
        for english in ("Country groups", "Region:", "EGDI level:", "very high", "outlined"):
            assert english not in alt + view.caption.value + view.key_text.value
    assert view.model.to_dict() == {"mode": "egdi_level", "year": 2024, "country": "NPL"}
