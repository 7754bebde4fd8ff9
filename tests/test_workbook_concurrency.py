"""One learner, many savers: the workbook's identity is decided by the place, and every save
merges. Any interleaving of opens and saves from several workbook objects on one path keeps
every answer (threads and real processes too); damaged and other learners' files are kept
aside and reported, and the learner's next save still succeeds."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digit4sd_widgets.workbook import FILENAME, LEARNER_ENV, Workbook, is_set_aside


@pytest.fixture
def folder(tmp_path):
    """A module folder inside a course folder of its own (no other test's workbook near)."""
    path = tmp_path / "course" / "module"
    path.mkdir(parents=True)
    return path


def set_aside_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if is_set_aside(p)]


def on_disk(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_two_fresh_views_of_one_page_are_one_learner(folder):
    """The 3.1 page: the gap analysis and the prioritisation matrix open the same new file."""
    path = folder / FILENAME
    gap, matrix = Workbook.open(path), Workbook.open(path)
    assert gap.learner_id == matrix.learner_id
    gap.set("3.1/gap_analysis", "gap_analysis", {"country": "NPL"})
    gap.set_case(country="NPL")
    matrix.set("3.1/prioritisation_matrix", "prioritisation_matrix", {"areas": ["a"]})
    matrix.set_case(target_area="Online birth registration")
    final = Workbook.open(path)
    assert final.keys() == ["3.1/gap_analysis", "3.1/prioritisation_matrix"]
    assert final.country == "NPL" and final.case["target_area"] == "Online birth registration"
    assert set_aside_files(folder) == [] and gap.problems == matrix.problems == []


def test_in_a_room_the_participant_code_is_the_identity(folder, monkeypatch):
    monkeypatch.setenv(LEARNER_ENV, "participant:amina-k")
    wb = Workbook.open(folder / "amina-k.json")
    assert wb.learner_id == "participant:amina-k"


def test_a_fresh_view_takes_the_identity_another_window_saved(folder, monkeypatch):
    """Whatever order they open in: a later kernel with another idea of the place's identity
    (a workbook of an earlier version, for instance) merges instead of setting it aside."""
    path = folder / FILENAME
    first = Workbook.open(path)
    monkeypatch.setenv(LEARNER_ENV, "participant:someone")  # a different guess of identity
    second = Workbook.open(path)
    assert first.learner_id != second.learner_id
    first.set("a", "k", {"v": 1})
    second.set("b", "k", {"v": 2})
    final = Workbook.open(path)
    assert final.keys() == ["a", "b"] and final.learner_id == first.learner_id
    assert set_aside_files(folder) == []


def test_another_learners_file_put_in_place_is_kept_aside_and_reported(folder):
    path = folder / FILENAME
    mine = Workbook.open(path)
    mine.set("mine", "k", {"v": 1})
    theirs = on_disk(path)
    theirs["learner_id"] = "user:someone-else"
    theirs["answers"] = {"theirs": {"kind": "k", "saved": "2030", "data": {"v": 9}}}
    path.write_text(json.dumps(theirs), encoding="utf-8")  # an instructor's copy by mistake
    mine.set("mine-2", "k", {"v": 2})
    kept = set_aside_files(folder)
    assert len(kept) == 1 and "another-learner" in kept[0].name
    assert on_disk(kept[0])["answers"]["theirs"]["data"] == {"v": 9}
    assert Workbook.open(path).keys() == ["mine", "mine-2"]
    assert any("belonged to another learner" in p and kept[0].name in p for p in mine.problems)


def test_a_damaged_file_is_kept_reported_and_the_next_save_succeeds(folder):
    path = folder / FILENAME
    wb = Workbook.open(path)
    wb.set("before", "k", {"v": 1})
    path.write_text('{"format": "digit4sd-workbook", "trunc', encoding="utf-8")
    wb.set("after", "k", {"v": 2})
    kept = set_aside_files(folder)
    assert len(kept) == 1 and "unreadable" in kept[0].name
    assert kept[0].read_text(encoding="utf-8").endswith("trunc")
    problem = wb.problems[-1]
    assert "kept" in problem and kept[0].name in problem and str(folder) in problem
    again = Workbook.open(path)
    assert again.get("after") == {"v": 2} and again.get("before") == {"v": 1}


def test_the_case_merges_field_by_field(folder):
    path = folder / FILENAME
    a, b = Workbook.open(path), Workbook.open(path)
    a.set_case(country="ETH")
    b.set_case(target_area="Business licences online")  # b never saw a's country
    b.set_case(sdg_targets=["16.6"])
    a.set_case(target_area="Birth registration")  # a's later edit of the same field wins
    case = Workbook.open(path).case
    assert (case["country"], case["target_area"], case["sdg_targets"]) == (
        "ETH", "Birth registration", ["16.6"])


# ------------------------------------------------------------------ any interleaving
KEYS = ("3.1/gap_analysis", "3.1/prioritisation_matrix", "3.2/stakeholder_matrix")
OPS = st.lists(st.one_of(
    st.tuples(st.just("open"), st.integers(0, 3)),
    st.tuples(st.just("set"), st.integers(0, 3), st.sampled_from(KEYS), st.integers(0, 99)),
    st.tuples(st.just("case"), st.integers(0, 3), st.sampled_from(("country", "target_area")),
              st.sampled_from(("BGD", "ETH", "NPL", "FJI"))),
), max_size=30)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, existing=st.booleans())
def test_any_interleaving_of_opens_and_saves_keeps_every_answer(tmp_path_factory, ops, existing):
    folder = tmp_path_factory.mktemp("course") / "module"
    folder.mkdir()
    path = folder / FILENAME
    if existing:
        Workbook.open(path).set("0.0/earlier", "k", {"v": -1})
    books = [Workbook.open(path) for _ in range(4)]
    expected: dict[str, int] = {"0.0/earlier": -1} if existing else {}
    case: dict[str, str] = {}
    for op in ops:
        if op[0] == "open":
            books[op[1]] = Workbook.open(path)
        elif op[0] == "set":
            books[op[1]].set(op[2], "k", {"v": op[3]})
            expected[op[2]] = op[3]
        else:
            books[op[1]].set_case(**{op[2]: op[3]})
            case[op[2]] = op[3]
    final = Workbook.open(path)
    assert {k: final.get(k)["v"] for k in final.keys()} == expected  # noqa: SIM118
    assert {k: final.case[k] for k in case} == case
    assert set_aside_files(folder) == []
    assert all(b.problems == [] for b in books)


def _saver(path: str, who: int, count: int, start) -> None:
    start.wait()
    wb = Workbook.open(path)
    for i in range(count):
        wb.set(f"p{who}/answer-{i}", "k", {"v": i})
        if i % 5 == 0:
            wb = Workbook.open(path)  # a reload, now and then
        wb.set("shared", "k", {"v": f"{who}-{i}"})


@pytest.mark.slow
def test_processes_saving_at_once_keep_every_answer(folder):
    path, savers, count = folder / FILENAME, 6, 25
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_saver, args=(str(path), w, count, start))
             for w in range(savers)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    final = Workbook.open(path)
    want = {f"p{w}/answer-{i}" for w in range(savers) for i in range(count)}
    assert want <= set(final.keys()), f"lost: {sorted(want - set(final.keys()))[:5]}"
    assert final.get("shared")["v"].endswith(f"-{count - 1}")
    assert set_aside_files(folder) == []


def test_threads_saving_at_once_keep_every_answer(folder):
    path, savers, count = folder / FILENAME, 8, 20
    start = threading.Event()
    errors: list[BaseException] = []

    def run(who: int) -> None:
        try:
            _saver(str(path), who, count, start)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(savers)]
    for t in threads:
        t.start()
    start.set()
    for t in threads:
        t.join(120)
    assert errors == []
    keys = set(Workbook.open(path).keys())
    assert {f"p{w}/answer-{i}" for w in range(savers) for i in range(count)} <= keys
    assert set_aside_files(folder) == []
