"""One code for each country (4.2): the partner's names, the learner's judgement, the two
ways to answer (boxes and code) and the notebook's graded checks."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit4sd_widgets import data
from digit4sd_widgets.dossier import dossier_html
from digit4sd_widgets.examples import example_answers
from digit4sd_widgets.exercises._base import ValidationError
from digit4sd_widgets.exercises.interop import InteroperabilityAssessmentModel
from digit4sd_widgets.exercises.name_matching import (
    NAME_TEXTS,
    NAMES,
    NameMatching,
    NameMatchingModel,
    proposals,
    take_answers,
)
from digit4sd_widgets.workbook import ENV_VAR, Workbook

NOTEBOOK = (Path(__file__).resolve().parent.parent / "course" / "source"
            / "m4_design_implementation" / "4_2_interoperability.ipynb")
KEY = {n.text: n.code for n in NAMES}
AMBIGUOUS = {"Congo", "Korea"}
QUESTIONS = {"Congo": "Do you mean Brazzaville (COG) or Kinshasa (COD)?",
             "Korea": "Do you mean the Republic of Korea or the DPR Korea?"}


def full_model(matches=None, questions=None) -> NameMatchingModel:
    return NameMatchingModel(KEY if matches is None else matches,
                             QUESTIONS if questions is None else questions)


# --------------------------------------------------------------------------- the list
def test_the_list_and_its_key():
    assert len(set(NAME_TEXTS)) == len(NAMES) == 12
    members = set(data.load_countries()["iso3"])
    assert {c for c in KEY.values() if c} <= members
    assert {n for n, c in KEY.items() if c is None} == AMBIGUOUS
    assert KEY["Congo (Kinshasa)"] == "COD"  # a capital settles what "Congo" alone cannot


def test_the_tool_proposes_what_the_notebook_says():
    """The notebook's text describes these proposals: a change to the matcher shows here."""
    assert proposals() == {
        "Ivory Coast": (None, "none"), "Lao PDR": ("LAO", "fuzzy"),
        "Congo": ("COG", "exact"), "Swaziland": (None, "none"),
        "S. Sudan": ("SDN", "fuzzy"), "The Gambia": ("GMB", "fuzzy"),
        "Korea": ("KOR", "fuzzy"), "Burma": (None, "none"),
        "Cape Verde": ("CPV", "fuzzy"), "Eq. Guinea": ("GIN", "fuzzy"),
        "Congo (Kinshasa)": (None, "none"), "Micronesia, Fed. Sts.": ("FSM", "fuzzy")}
    decisions = full_model()
    assert decisions.counts() == {"accept": 4, "other": 6, "ask": 2}
    # the proposal is wrong for both ambiguous names and for two close matches
    assert [n for n in NAME_TEXTS if proposals()[n][0] not in (KEY[n], None)] == [
        "Congo", "S. Sudan", "Korea", "Eq. Guinea"]


# --------------------------------------------------------------------------- the model
def test_decisions_and_completeness():
    m = NameMatchingModel()
    assert m.completeness().done == 0 and m.completeness().total == 12
    m = m.with_match("lao pdr ", "lao").with_match("S. Sudan", "South Sudan")
    assert m.matches == {"Lao PDR": "LAO", "S. Sudan": "SSD"}
    assert m.decision("Lao PDR") == "accept" and m.decision("S. Sudan") == "other"
    m = m.with_match("Korea", None)
    assert m.decision("Korea") == "ask"
    assert "what you would ask the source about 'Korea'" in "; ".join(
        m.completeness().missing)
    assert m.with_question("Korea", "Which one?").completeness().done == 2  # too short
    m = m.with_question("Korea", "Which Korea do you mean?")
    assert m.completeness().done == 3
    assert m.with_match("Korea", "").matches == {"Lao PDR": "LAO", "S. Sudan": "SSD"}
    assert full_model().completeness().complete


@pytest.mark.parametrize(("name", "code", "words"), [
    ("Burma", "XYZ", "not the ISO3 code"),
    ("Burma", 5, "ISO3 code as text"),
    ("Atlantis", "MMR", "no name 'Atlantis'"),
    (None, "MMR", "no name"),
])
def test_wrong_input_is_refused_with_a_plain_message(name, code, words):
    m = NameMatchingModel().with_match("Burma", "MMR")
    with pytest.raises(ValidationError, match=words):
        m.with_match(name, code)
    assert m.matches == {"Burma": "MMR"}


def test_a_question_needs_the_name_set_to_ask_the_source():
    with pytest.raises(ValidationError, match="Ask the source"):
        NameMatchingModel().with_match("Burma", "MMR").with_question("Burma", "Which?")
    with pytest.raises(ValidationError, match="too long"):
        NameMatchingModel().with_match("Congo", None).with_question("Congo", "x " * 200)
    # a question goes with its "ask the source": a name matched later drops it
    m = full_model().with_match("Congo", "COD")
    assert "Congo" not in m.questions


def test_storage_round_trip_and_old_shapes():
    m = full_model()
    assert NameMatchingModel.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    # an empty or partial answer, names in another case, a name no longer in the list
    assert NameMatchingModel.from_dict({}) == NameMatchingModel()
    assert NameMatchingModel.from_dict({"matches": None, "questions": None}).matches == {}
    old = NameMatchingModel.from_dict({"matches": {" burma": "MMR", "Zaire": "COD", 3: "X"},
                                       "questions": {"Zaire": "gone"}})
    assert old.matches == {"Burma": "MMR"} and old.questions == {}
    with pytest.raises(ValidationError):
        NameMatchingModel.from_dict({"matches": {"Burma": "XYZ"}})
    with pytest.raises(ValidationError):
        NameMatchingModel.from_dict({"matches": ["Burma", "MMR"]})


def test_a_workbook_from_before_the_exercise_still_opens(tmp_path):
    """A workbook saved by the earlier 4.2 (the self-assessment only) opens both exercises."""
    path = tmp_path / "wb.json"
    wb = Workbook.open(path, siblings=False)
    assessment = InteroperabilityAssessmentModel().with_rating("legal", "legal_1", 3)
    wb.set("4.2/interoperability_assessment", assessment.kind, assessment.to_dict())
    view = NameMatching(workbook=Workbook.open(path, siblings=False))
    assert view.model == NameMatchingModel()
    assert "⚠" not in view.status.value
    again = Workbook.open(path, siblings=False)
    assert InteroperabilityAssessmentModel.from_workbook(again) == assessment


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(NAME_TEXTS) | st.text(max_size=8),
                       st.none() | st.sampled_from(["CIV", "mmr", "Ghana", "", "XX"])
                       | st.integers(), max_size=6),
       st.dictionaries(st.sampled_from(NAME_TEXTS), st.text(max_size=20), max_size=3))
def test_code_answers_are_all_or_nothing(matches, questions):
    start = NameMatchingModel().with_match("Burma", "MMR")
    try:
        m = start.with_answers(matches, questions)
    except ValidationError as exc:
        assert str(exc).strip()
        return
    assert NameMatchingModel.from_dict(m.to_dict()) == m
    assert set(m.matches) <= set(NAME_TEXTS)


# --------------------------------------------------------------------------- two routes
def _by_the_boxes(view: NameMatching, answers: dict, questions: dict) -> None:
    for name, code in answers.items():
        box = view.decision_boxes[name]
        if code is None:
            box.value = "ask"
            view.question_boxes[name].value = questions[name]
        elif code == proposals()[name][0]:
            box.value = "accept"
        else:
            box.value = "other"
            view.country_boxes[name].value = code


def test_code_stores_the_same_answer_as_the_boxes(tmp_path, capsys):
    by_boxes = NameMatching(workbook=Workbook.open(tmp_path / "a.json", siblings=False))
    _by_the_boxes(by_boxes, KEY, QUESTIONS)
    by_code = NameMatching(workbook=Workbook.open(tmp_path / "b.json", siblings=False))
    by_code.take({"matches": dict(KEY), "questions": dict(QUESTIONS)})
    assert "Saved from your code: 12 names decided" in capsys.readouterr().out
    stored = [Workbook.open(tmp_path / f, siblings=False).entry("4.2/name_matching")
              for f in ("a.json", "b.json")]
    assert stored[0]["kind"] == stored[1]["kind"] == "name_matching"
    assert stored[0]["data"] == stored[1]["data"] == full_model().to_dict()
    # the boxes show what code saved
    assert by_code.decision_boxes["Congo"].value == "ask"
    assert by_code.question_boxes["Congo"].value == QUESTIONS["Congo"]
    assert by_code.decision_boxes["Eq. Guinea"].value == "other"
    assert by_code.country_boxes["Eq. Guinea"].value == "GNQ"
    assert by_code.decision_boxes["Cape Verde"].value == "accept"


def test_code_route_refusals_keep_the_earlier_answer(capsys):
    view = NameMatching(workbook=Workbook.in_memory())
    view.take({})
    assert "No answer set in code" in capsys.readouterr().out
    view.take({"matches": {"Burma": "MMR"}})
    view.take({"matches": {"Burma": "BUR"}})
    out = capsys.readouterr().out
    assert "Not saved:" in out and "kept" in out
    view.take({"matches": [("Burma", "MMR")]})
    assert "must be a dict" in capsys.readouterr().out
    assert view.model.matches == {"Burma": "MMR"}
    model, saved, refused = take_answers(view.model, {"matches": {"Korea": None},
                                                      "questions": {"Burma": "Which?"}})
    assert saved is None and "Ask the source" in refused and model == view.model


# --------------------------------------------------------------------------- the view
def test_view_shows_the_control_each_decision_needs():
    view = NameMatching(workbook=Workbook.in_memory())
    assert "Accept the proposal" not in [label for label, _ in
                                         view.decision_boxes["Burma"].options]
    assert "accept" in [v for _, v in view.decision_boxes["Congo"].options]
    view.decision_boxes["Ivory Coast"].value = "other"
    assert view.model.matches == {}  # nothing saved before a country is chosen
    assert view._extras["Ivory Coast"].children == (view.country_boxes["Ivory Coast"],)
    view.country_boxes["Ivory Coast"].value = "CIV"
    assert view.model.matches == {"Ivory Coast": "CIV"}
    view.decision_boxes["Korea"].value = "accept"
    assert view.model.matches["Korea"] == "KOR"
    view.decision_boxes["Korea"].value = "ask"
    assert view.model.matches["Korea"] is None
    assert view._extras["Korea"].children == (view.question_boxes["Korea"],)
    assert "still:" in view.progress.value
    view.decision_boxes["Korea"].value = ""
    assert "Korea" not in view.model.matches and view._extras["Korea"].children == ()


def test_learner_text_is_escaped(tmp_path):
    attack = "<script>alert('x')</script> which one?"
    model = full_model(questions={**QUESTIONS, "Korea": attack})
    wb = Workbook.in_memory()
    wb.set("4.2/name_matching", model.kind, model.to_dict())
    view = NameMatching(workbook=wb)
    assert view.question_boxes["Korea"].value == attack  # a text box, not HTML
    page = dossier_html(wb)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; which one?" in page
    view.names_box.value = "Viet Nam\nLao PDR\n<script>alert(1)</script>\n"
    view.match_button.click()
    assert "2 of 3 names got a proposal" in view.match_note.value
    assert "<script>" not in view.match_table.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view.match_table.value


def test_sandbox_refuses_an_empty_list():
    view = NameMatching(workbook=Workbook.in_memory())
    view.match_button.click()
    assert "at least one country name" in view.match_message.value


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["decide", "country", "ask"]),
                          st.sampled_from(NAME_TEXTS),
                          st.sampled_from(["", "accept", "other", "ask"]),
                          st.sampled_from(["", "CIV", "MMR", "COD"]), st.text(max_size=12)),
                max_size=10))
def test_random_use_of_the_view_never_raises(steps):
    view = NameMatching(workbook=Workbook.in_memory())
    for op, name, decision, code, words in steps:
        box = view.decision_boxes[name]
        if op == "decide" and decision in [v for _, v in box.options]:
            box.value = decision
        elif op == "country" and name in view.country_boxes:
            view.country_boxes[name].value = code
        elif op == "ask" and name in view.question_boxes:
            view.question_boxes[name].value = words
        for label in (*view.row_messages.values(), view.status):
            assert "did not work" not in label.value
    again = NameMatchingModel.from_dict(view.model.to_dict())
    for name in NAME_TEXTS:
        shown, decision = view.decision_boxes[name].value, again.decision(name)
        if shown == "other":  # waiting for a country, or a country from the list
            assert decision in (None, "accept", "other")
        else:
            assert shown == (decision or "")


# --------------------------------------------------------------------------- grading
def graded_cells() -> dict[str, str]:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
            and "name_matching" in c.source}


def passed(cells: dict[str, str], model: NameMatchingModel, tmp_path, monkeypatch) -> set:
    path = tmp_path / "digit4sd_workbook.json"
    path.unlink(missing_ok=True)
    wb = Workbook.open(path, siblings=False)
    wb.set("4.2/name_matching", model.kind, model.to_dict())
    monkeypatch.setenv(ENV_VAR, str(path))
    ok = set()
    for grade_id, source in cells.items():
        try:
            exec(compile(source, grade_id, "exec"), {})  # the course's own graded cell
        except AssertionError:
            continue
        ok.add(grade_id)
    return ok


def test_graded_cells_give_three_points_to_the_right_answer_only(tmp_path, monkeypatch):
    cells = graded_cells()
    nb = nbformat.read(NOTEBOOK, as_version=4)
    points = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
              for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") in cells}
    assert sum(points.values()) == 3
    every = set(cells)
    # the perfect learner scores full points
    stored = next(d for k, _kind, d in example_answers("BGD") if k == "4.2/name_matching")
    assert passed(cells, NameMatchingModel.from_dict(stored), tmp_path, monkeypatch) == every
    assert passed(cells, full_model(), tmp_path, monkeypatch) == every

    # a wrong code is refused as wrong: the tool's wrong proposal accepted
    wrong = passed(cells, full_model({**KEY, "S. Sudan": "SDN"}), tmp_path, monkeypatch)
    assert len(wrong) == len(every) - 1
    wrong = passed(cells, full_model({**KEY, "Burma": "THA"}), tmp_path, monkeypatch)
    assert len(wrong) == len(every) - 1
    # an ambiguous name must be asked about, not guessed
    for guess in ("COG", "COD"):
        guessed = passed(cells, full_model({**KEY, "Congo": guess},
                                           {"Korea": QUESTIONS["Korea"]}),
                         tmp_path, monkeypatch)
        assert len(guessed) == len(every) - 1
    # ... with a question to the source
    silent = passed(cells, full_model(questions={"Korea": QUESTIONS["Korea"]}), tmp_path,
                    monkeypatch)
    assert len(silent) == len(every) - 1
    # one name asked about that the learner could have matched costs that name's point
    unsure = passed(cells, full_model({**KEY, "Burma": None},
                                      {**QUESTIONS, "Burma": "Which country is Burma?"}),
                    tmp_path, monkeypatch)
    assert len(unsure) == len(every) - 1
    # asking about every name is no answer at all
    everything = passed(cells, full_model(dict.fromkeys(KEY),
                                          {n: "Which country do you mean?" for n in KEY}),
                        tmp_path, monkeypatch)
    assert everything == set()
    assert passed(cells, NameMatchingModel(), tmp_path, monkeypatch) == set()


def test_in_french_the_decisions_speak_french_and_store_the_same():
    from digit4sd_widgets.i18n import language
    with language("fr"):
        view = NameMatching(workbook=Workbook.in_memory())
        box = view.decision_boxes["Burma"]
        assert dict(box.options)["Choisir un autre pays"] == "other"
        assert box.description == "Votre décision sur «\u00a0Burma\u00a0»"
        box.value = "other"
        options = dict(view.country_boxes["Burma"].options)
        assert options["Myanmar (Birmanie) (MMR)"] == "MMR"
        view.country_boxes["Burma"].value = "MMR"
        assert "Noms traités\u00a0: 1 sur 12" in view.progress.value
        missing = view.model.completeness().missing
        assert missing[0] == "une décision sur «\u00a0Ivory Coast\u00a0»"
    assert view.model.matches == {"Burma": "MMR"}
