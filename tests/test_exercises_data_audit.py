"""Data audit: quality checks against the data, the audit model, the view, properties."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.exercises._base import Block, ValidationError
from digit4sd_widgets.exercises.data_audit import (
    FINDINGS,
    DataAudit,
    DataAuditModel,
    answer_label,
    expected,
    mean_gap,
    missing_summary,
    name_differences,
    options,
    out_of_range,
    panel_html,
    quality_rows,
    split_ranks,
    tied_ranks,
)
from digit4sd_widgets.workbook import Workbook

IDS = [f.id for f in FINDINGS]


def open_wb(tmp_path):
    return Workbook.open(tmp_path / "wb.json", siblings=False)


def edition(year: int) -> pd.DataFrame:
    return data.load_survey(years=year)


def right_answers() -> dict:
    return {f.id: expected(f.id) for f in FINDINGS}


# ------------------------------------------------------------------------------ checks
@pytest.mark.parametrize("year", data.EDITIONS)
def test_missing_summary_counts_every_column(year):
    s = missing_summary(year).set_index("column")
    ed = edition(year)
    for col in ("egdi", "osi", "hci", "tii", "epi", "egdi_rank", "egdi_level"):
        gone = sorted(ed.loc[ed[col].isna(), "iso3"].astype(str))
        assert int(s.loc[col, "missing"]) == len(gone)
        assert s.loc[col, "iso3"] == ", ".join(gone)


def test_missing_summary_matches_the_data_dictionary():
    per_year = {y: int(missing_summary(y).set_index("column").loc["egdi", "missing"])
                for y in data.EDITIONS}
    assert per_year == {2003: 20, 2004: 15, 2005: 14, 2008: 11, 2010: 10, 2012: 3, 2014: 0,
                        2016: 0, 2018: 0, 2020: 0, 2022: 0, 2024: 0}
    s = missing_summary(2003).set_index("column")
    assert "Montenegro" in s.loc["egdi", "countries"]
    assert "South Sudan" in s.loc["osi", "countries"]


@pytest.mark.parametrize("year", data.EDITIONS)
def test_tied_ranks_are_the_shared_ranks(year):
    t = tied_ranks(year)
    ranks = edition(year)["egdi_rank"].dropna()
    shared = ranks.value_counts()
    shared = shared[shared > 1]
    assert sorted(t["rank"]) == sorted(int(r) for r in shared.index)
    assert int(t["count"].sum()) == int(shared.sum())
    ed = edition(year).set_index("iso3")
    for r in t.itertuples():
        codes = r.iso3.split(", ")
        assert len(codes) == r.count
        assert {int(ed.loc[c, "egdi_rank"]) for c in codes} == {r.rank}


def test_known_ties_and_split_ranks():
    t = tied_ranks(2022).set_index("rank")
    assert t.loc[5, "iso3"] == "ISL, SWE" and t.loc[5, "countries"] == "Iceland, Sweden"
    assert len(tied_ranks(2003)) == 0  # no EGDI at a shared last rank: those are missing
    s = split_ranks(2020)
    assert len(s) == 4
    pairs = {frozenset(r.iso3.split(", ")) for r in s.itertuples()}
    assert frozenset({"MDA", "AND"}) in pairs
    row = s[s["iso3"].str.contains("MDA")].iloc[0]
    assert row["ranks"] == "79, 80" and row["countries"] == "Republic of Moldova, Andorra"
    assert all(len(split_ranks(y)) == 0 for y in data.EDITIONS if y != 2020)


@pytest.mark.parametrize("year", data.EDITIONS)
def test_out_of_range(year):
    o = out_of_range(year)
    ed = edition(year)
    n = sum(int(((ed[c] < 0) | (ed[c] > 1)).sum()) for c in ("egdi", "osi", "hci", "tii", "epi"))
    assert len(o) == n
    if year == 2003:
        assert o[["iso3", "column"]].values.tolist() == [["FSM", "hci"], ["TUV", "hci"]]
        assert o["value"].tolist() == pytest.approx([1.422, 1.03])
    else:
        assert n == 0


def test_mean_gap():
    g = mean_gap(2008)
    assert g.loc[0, "iso3"] == "CMR" and g.loc[0, "abs_gap"] == pytest.approx(0.0136, abs=1e-4)
    assert g["abs_gap"].is_monotonic_decreasing
    ed = edition(2008).dropna(subset=["egdi", "osi", "hci", "tii"]).set_index("iso3")
    assert len(g) == len(ed)
    row = ed.loc["KHM"]
    mine = g.set_index("iso3").loc["KHM"]
    assert mine["gap"] == pytest.approx(row["egdi"] - (row["osi"] + row["hci"] + row["tii"]) / 3)
    assert (g["abs_gap"] > 0.0005).sum() == 141
    assert (mean_gap(2010)["abs_gap"] > 0.0005).sum() == 161
    for year in (2003, 2012, 2024):
        assert mean_gap(year)["abs_gap"].max() <= 0.0001 + 1e-9


def test_name_differences():
    n = name_differences()
    assert len(n) == 7
    assert set(n["iso3"]) == {"BOL", "CIV", "CZE", "GEO", "NLD", "TUR", "VEN"}
    assert n.set_index("iso3").loc["TUR", "m49_name"] == "Turkey"


@pytest.mark.parametrize("bad", [2007, "twenty", None])
def test_checks_refuse_a_bad_edition(bad):
    for fn in (missing_summary, tied_ranks, split_ranks, out_of_range, mean_gap):
        with pytest.raises(ValidationError, match=r"edition|number"):
            fn(bad)


def test_results_are_copies():
    first = missing_summary(2003)
    first.loc[0, "missing"] = 999
    assert int(missing_summary(2003).loc[0, "missing"]) != 999


# ------------------------------------------------------------------------------ findings
def test_expected_answers_come_from_the_data():
    assert expected("missing_2003") == int(edition(2003)["egdi"].isna().sum()) == 20
    assert expected("tie_2022") == ["ISL", "SWE"]
    hci = edition(2003).set_index("iso3")["hci"]
    assert expected("hci_2003") == hci.idxmax() == "FSM"
    assert expected("gap_2008") == "CMR"
    assert expected("names_m49") == 7
    for f in FINDINGS:
        if f.kind != "count":
            values = [v for _, v in options(f.id)]
            assert expected(f.id) in values and len(values) >= 4
            assert len({json.dumps(v) for v in values}) == len(values)
        else:
            assert options(f.id) == []
    assert answer_label("tie_2022", ["ISL", "SWE"]) == "Iceland and Sweden"
    assert answer_label("gap_2008", "CMR") == "Cameroon"
    assert answer_label("names_m49", None) == "–"


# ------------------------------------------------------------------------------ model
def test_defaults_and_changes_return_new_models():
    m = DataAuditModel()
    assert m.to_dict() == {"year": 2003, "answers": {}, "note": ""}
    m2 = (m.with_year("2008").with_answer("missing_2003", " 20 ")
          .with_answer("tie_2022", ["swe", "isl"]).with_answer("gap_2008", "KHM")
          .with_note("  Mark zeros as missing.  "))
    assert m2.to_dict() == {"year": 2008,
                            "answers": {"missing_2003": 20, "tie_2022": ["ISL", "SWE"],
                                        "gap_2008": "KHM"},
                            "note": "Mark zeros as missing."}
    assert m.to_dict() == {"year": 2003, "answers": {}, "note": ""}  # untouched
    assert m2.is_right("missing_2003") and m2.is_right("tie_2022")
    assert m2.is_right("gap_2008") is False and m2.is_right("names_m49") is None
    assert m2.score() == 2
    assert m2.with_answer("gap_2008", "").answers.keys() == {"missing_2003", "tie_2022"}
    assert "gap_2008" not in m2.with_answer("gap_2008", None).answers
    assert m2.with_answer("missing_2003", "20,0").answers["missing_2003"] == 20
    assert DataAuditModel(answers=right_answers()).score() == len(FINDINGS)


@pytest.mark.parametrize(("finding", "value", "message"), [
    ("missing_2003", "twenty", "must be a number, not 'twenty'"),
    ("missing_2003", "2.5", "whole number"),
    ("missing_2003", -1, "at least 0"),
    ("missing_2003", True, "must be a number"),
    ("tie_2022", ["ISL"], "must be one of: Bahamas and Grenada"),
    ("tie_2022", "ISL,SWE", "must be a list"),
    ("tie_2022", [1, 2], "list of country codes"),
    ("hci_2003", "XXX", "must be one of"),
    ("gap_2008", 5, "must be one of"),
    ("nope", "1", "no finding 'nope'"),
])
def test_refused_answers(finding, value, message):
    m = DataAuditModel().with_answer("missing_2003", 20)
    with pytest.raises(ValidationError, match=message):
        m.with_answer(finding, value)
    assert m.answers == {"missing_2003": 20}


@pytest.mark.parametrize(("data_", "message"), [
    ({"year": 2007}, "must be a Survey edition"),
    ({"year": "x"}, "must be a number"),
    ({"answers": {"nope": 1}}, "no finding"),
    ({"answers": ["missing_2003"]}, "named fields"),
    ({"answers": {"names_m49": "seven"}}, "must be a number"),
    ({"note": 5}, "must be text"),
    ({"note": "x" * 3000}, "too long"),
    (None, "named fields"),
    ("audit", "named fields"),
])
def test_from_dict_refuses(data_, message):
    with pytest.raises(ValidationError, match=message):
        DataAuditModel.from_dict(data_)


def test_round_trip_completeness_report():
    m = DataAuditModel(2010, {"missing_2003": 19, "hci_2003": "FSM"}, "Document the zeros.")
    d = m.to_dict()
    assert DataAuditModel.from_dict(json.loads(json.dumps(d))) == m
    assert DataAuditModel.from_dict({}) == DataAuditModel()
    done = m.completeness()
    assert (done.done, done.total) == (3, 6)
    assert "an answer to finding 2" in done.missing and "a data governance note" not in \
        done.missing
    assert DataAuditModel().completeness().missing[-1] == "a data governance note"
    full = DataAuditModel(answers=right_answers(), note="ok")
    assert full.completeness().complete
    blocks = m.report()
    assert all(isinstance(b, Block) for b in blocks)
    assert blocks[0].items == [("Edition looked at", "2010"), ("Right", "1 of 5")]
    findings = blocks[1].rows
    assert findings[0][1:] == ["19", "20", "no"] and findings[2][1:] == [
        "Micronesia (Federated States of)", "Micronesia (Federated States of)", "yes"]
    assert blocks[2].rows == quality_rows(2010)
    assert ["No EGDI", "10"] in blocks[2].rows
    assert blocks[3].text == "Document the zeros."


def test_panel_covers_the_checks():
    missing, ranks, scale, _, names = panel_html(2003)
    assert "Montenegro" in missing and "did not compute" in missing
    assert "No two countries share a rank in 2003" in ranks
    assert "Micronesia" in scale and "1.422" in scale
    assert "Turkey" in names
    _, ranks2020, scale2020, _, _ = panel_html(2020)
    assert "Andorra" in ranks2020 and "79, 80" in ranks2020
    assert "between 0 and 1" in scale2020
    assert "141 of 182" in panel_html(2008)[3] and "Cameroon" in panel_html(2008)[3]
    assert "Côte d&#x27;Ivoire" in names  # escaped apostrophe


# ------------------------------------------------------------------------------ view
def test_view_without_arguments_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIGIT4SD_WORKBOOK", raising=False)
    view = DataAudit()
    assert view.model == DataAuditModel()
    assert view.edition.value == 2003


def test_view_answer_check_note_and_reload(tmp_path):
    wb = open_wb(tmp_path)
    view = DataAudit(workbook=wb)
    view.check_button.click()
    assert "at least one finding" in view.check_message.value
    view.edition.value = 2022
    assert view.model.year == 2022 and "Iceland" in view.panels[1].value
    view.entries["missing_2003"].value = "20"
    view.entries["tie_2022"].value = "ISL,SWE"
    view.entries["gap_2008"].value = "KHM"
    assert view.model.answers == {"missing_2003": 20, "tie_2022": ["ISL", "SWE"],
                                  "gap_2008": "KHM"}
    assert view.feedback["missing_2003"].value == ""  # nothing shown before Check
    view.check_button.click()
    assert "Right" in view.feedback["missing_2003"].value
    assert "Not quite" in view.feedback["gap_2008"].value
    assert "Cameroon" in view.feedback["gap_2008"].value
    assert "2 of 5 right" in view.score_label.value
    view.note.value = "First mark the zeros as missing."
    view.save_button.click()
    assert "Saved" in view.status.value
    saved = open_wb(tmp_path).get("2.4/data_audit")
    assert saved == {"year": 2022, "answers": {"missing_2003": 20, "tie_2022": ["ISL", "SWE"],
                                               "gap_2008": "KHM"},
                     "note": "First mark the zeros as missing."}
    assert open_wb(tmp_path).entry("2.4/data_audit")["kind"] == "data_audit"

    again = DataAudit(workbook=open_wb(tmp_path))
    assert again.model == view.model
    assert again.edition.value == 2022
    assert again.entries["missing_2003"].value == "20"
    assert again.entries["tie_2022"].value == "ISL,SWE"
    assert again.note.value == "First mark the zeros as missing."
    again.entries["gap_2008"].value = ""
    assert "gap_2008" not in again.model.answers


def test_view_refuses_bad_text_and_keeps_the_model():
    view = DataAudit(workbook=Workbook.in_memory())
    view.entries["names_m49"].value = "7"
    view.entries["names_m49"].value = "<script>alert(1)</script>"
    message = view.messages["names_m49"].value
    assert "must be a number" in message
    assert "<script>" not in message and "&lt;script&gt;" in message
    assert view.model.answers == {"names_m49": 7}
    assert view.entries["names_m49"].value == "<script>alert(1)</script>"  # kept to fix
    view.entries["names_m49"].value = "8"
    assert view.model.answers == {"names_m49": 8} and view.messages["names_m49"].value == ""
    view.note.value = "x" * 3000
    view.save_button.click()
    assert "too long" in view.note_message.value and view.model.note == ""


def test_view_with_broken_saved_answer_starts_afresh():
    wb = Workbook.in_memory()
    wb.set("2.4/data_audit", "data_audit", {"year": 2003, "answers": {"<script>": 1}})
    view = DataAudit(workbook=wb)
    assert view.model == DataAuditModel()
    assert "could not be restored" in view.status.value
    assert "<script>" not in view.status.value


# ------------------------------------------------------------------ properties
json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 30) | st.floats(allow_nan=True)
    | st.text(max_size=8),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                              max_size=4),
    max_leaves=12)
answer_like = st.one_of(json_like, st.sampled_from(["ISL", "SWE", "FSM", "CMR", "KHM", "20"]),
                        st.lists(st.sampled_from(["ISL", "SWE", "BHS", "GRD", "x"]),
                                 max_size=3))
audit_like = st.fixed_dictionaries({
    "year": st.sampled_from([*data.EDITIONS, 2007, "2010"]) | json_like,
    "answers": st.dictionaries(st.sampled_from([*IDS, "x"]), answer_like, max_size=5)
    | json_like,
    "note": st.text(max_size=20) | json_like,
})


@settings(max_examples=60, deadline=None)
@given(st.one_of(json_like, audit_like))
def test_from_dict_gives_model_or_validation_error(data_):
    try:
        model = DataAuditModel.from_dict(data_)
    except ValidationError:
        return
    assert isinstance(model, DataAuditModel)


def _valid_answer(finding_id):
    f = next(f for f in FINDINGS if f.id == finding_id)
    if f.kind == "count":
        return st.integers(0, 10_000) | st.integers(0, 500).map(str)
    return st.sampled_from([v for _, v in options(finding_id)])


valid_answers = st.fixed_dictionaries({}, optional={i: _valid_answer(i) for i in IDS})


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(data.EDITIONS), valid_answers, st.text(max_size=40))
def test_accepted_models_survive_json(year, answers, note):
    try:
        model = DataAuditModel(year, answers, note)
    except ValidationError:  # e.g. a character that cannot be stored
        return
    again = DataAuditModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model


def _entry_values(finding_id):
    f = next(f for f in FINDINGS if f.id == finding_id)
    if f.kind == "count":
        return st.sampled_from(["", "20", "7", "abc", "-3", "2.5", "1e9", " 4 "])
    return st.sampled_from([""] + [",".join(v) if isinstance(v, list) else v
                                   for _, v in options(finding_id)])


ui_op = st.one_of(
    st.tuples(st.just("year"), st.sampled_from(data.EDITIONS)),
    st.tuples(st.just("check"), st.none()),
    st.tuples(st.just("note"), st.text(max_size=12)),
    *[st.tuples(st.just(i), _entry_values(i)) for i in IDS],
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ui_op, max_size=12))
def test_random_ui_operations_never_raise(operations):
    view = DataAudit(workbook=Workbook.in_memory())
    for target, value in operations:
        if target == "year":
            view.edition.value = value
        elif target == "check":
            view.check_button.click()
        elif target == "note":
            view.note.value = value
            view.save_button.click()
        else:
            view.entries[target].value = value
    assert "That did not work" not in view.status.value
    assert all("That did not work" not in m.value for m in view.messages.values())
    assert DataAuditModel.from_dict(view.model.to_dict()) == view.model
    assert view.edition.value == view.model.year


# ------------------------------------------------------------------------- French
def test_the_audit_speaks_french_and_keeps_its_tables_in_english():
    from digit4sd_widgets.i18n import language
    from digit4sd_widgets.static import widget_html
    from tests.i18n_checks import english_left

    english_panel = panel_html(2008)
    with language("fr"):
        view = DataAudit(workbook=Workbook.in_memory())
        view.edition.value = 2008
        french_panel = panel_html(2008)
        assert "Pour 141 pays sur 182" in french_panel[3] and "Cameroun" in french_panel[3]
        assert "0,2734" in french_panel[3]
        assert dict(options("tie_2022"))["Islande et Suède"] == ["ISL", "SWE"]
        view.entries["tie_2022"].value = "ISL,SWE"
        view.entries["missing_2003"].value = "19"
        view.check_button.click()
        assert "Bonne réponse." in view.feedback["tie_2022"].value
        assert "selon les données, c&#x27;est <b>20</b>" in view.feedback["missing_2003"].value
        page = widget_html(view)
        assert english_left(page, "digit4sd_widgets/exercises/data_audit.py") == []
        # the tables the graded cells read keep the data's English names
        assert tied_ranks(2022).loc[lambda t: t["rank"] == 5, "countries"].item() == (
            "Iceland, Sweden")
    assert panel_html(2008) == english_panel and "Cameroon" in english_panel[3]
    assert view.model.to_dict()["answers"] == {"missing_2003": 19, "tie_2022": ["ISL", "SWE"]}
