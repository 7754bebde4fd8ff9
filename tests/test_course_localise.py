"""Course content in the reader's language: the objects translate themselves when read, with
a stable context, and stay the same data (equality, hashing, ``asdict``, JSON)."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

from digit4sd_widgets.catalogues import sources
from digit4sd_widgets.course import localise
from digit4sd_widgets.course.cases import CASES, EXAMPLES
from digit4sd_widgets.course.data_tasks import TASKS, tasks_for
from digit4sd_widgets.course.map import MODULES, ONE_DAY, SUBMODULES, submodule
from digit4sd_widgets.course.quizzes import QUIZZES
from digit4sd_widgets.course.topics import TOPICS
from digit4sd_widgets.exercises.quiz import parse_bank
from digit4sd_widgets.i18n import language


def english(obj, name):
    return object.__getattribute__(obj, name)


def test_content_comes_back_french_under_french_and_unchanged_under_english():
    question = QUIZZES["2.3"][1]
    fact = CASES["ETH"].did[0]
    sub = submodule("3.1")
    task = tasks_for("1.1")[0]
    with language("en"):
        assert question["prompt"] == "Your country's EGDI is 0.62. Which EGDI level is it in?"
        assert sub.title == "Identifying target areas"
        assert fact.text == english(fact, "text")
        assert task.prompt == english(task, "prompt")
    with language("fr"):
        # the wording may be revised; it is French, and never the English
        assert question["prompt"].startswith("L'EGDI de votre pays est de 0,62.")
        assert question["options"][0]["text"] == "Élevé"
        assert question["options"][0]["feedback"].startswith("Exact\u00a0:")
        assert question.get("prompt") == question["prompt"]
        assert sub.title == "Identifier les domaines cibles"
        assert MODULES[2].title == "Planification et analyse"
        assert task.prompt.startswith("Quel est l'EGDI moyen")
        assert fact.text != english(fact, "text") and "WoredaNet" in fact.text
        assert ONE_DAY.steps[0].why.startswith("Chaque participant")
    # what is stored never changes
    assert english(sub, "title") == "Identifying target areas"
    assert dict.__getitem__(question, "prompt").startswith("Your country's EGDI")


def test_choices_translate_their_labels_never_their_values():
    task = next(t for t in tasks_for("2.2") if t.id == "lag_group")
    with language("fr"):
        labels = dict(task.choices)
    assert set(labels.values()) == {"all", "ldc", "lldc", "sids"}
    assert labels["Pays les moins avancés (PMA)"] == "ldc"
    assert [v for _, v in task.choices] == ["all", "ldc", "lldc", "sids"]


def test_equality_and_hashing_read_the_english_whatever_the_language():
    sub, fact, task = submodule("3.2"), CASES["BGD"].did[1], tasks_for("3.3")[0]
    with language("en"):
        hashes = [hash(sub), hash(fact), hash(task), hash(CASES["BGD"]), hash(TOPICS["dpi"])]
        kept = {sub, fact, task}
    with language("fr"):
        assert [hash(sub), hash(fact), hash(task), hash(CASES["BGD"]),
                hash(TOPICS["dpi"])] == hashes
        assert sub in kept and fact in kept and task in kept
        assert sub == dataclasses.replace(sub, title=english(sub, "title"))
        assert sub != submodule("3.1")
        # a question equals the plain dict it was written as
        plain = {k: v for k, v in dict.items(QUIZZES["1.1"][0])}
        assert QUIZZES["1.1"][0] == plain
    assert hash(sub) == hash(dataclasses.astuple(sub))


def test_asdict_json_copies_and_pickles_still_work():
    with language("fr"):
        data = dataclasses.asdict(CASES["ETH"])
        assert data["iso3"] == "ETH" and isinstance(data["did"][0]["text"], str)
        json.dumps(dataclasses.asdict(TOPICS["dpi"]))
        json.dumps(dataclasses.asdict(tasks_for("2.2")[0]))
        dumped = json.dumps(QUIZZES["2.3"], ensure_ascii=False)
        question = QUIZZES["2.3"][1]
        assert json.loads(dumped)[1]["prompt"] == question["prompt"]
        assert question["prompt"].startswith("L'EGDI") and '"correct": true' in dumped
        assert dict(question)["prompt"] == question["prompt"]
        assert {**question}["prompt"] == question["prompt"]
        assert dict(question.items())["prompt"] == question["prompt"]
        for clone in (copy.copy(question), copy.deepcopy(question),
                      pickle.loads(pickle.dumps(question))):
            assert clone == question and clone["prompt"] == question["prompt"]
        clone = pickle.loads(pickle.dumps(submodule("4.1")))
        assert clone == submodule("4.1") and clone.title == submodule("4.1").title
    with language("en"):
        assert json.loads(json.dumps(QUIZZES["2.3"]))[1]["prompt"].startswith("Your country")


def test_every_bank_still_parses_in_french_with_the_same_answers():
    with language("fr"):
        for sub, questions in QUIZZES.items():
            parsed = parse_bank(questions)
            with language("en"):
                english_bank = parse_bank(questions)
            assert [q.correct for q in parsed] == [q.correct for q in english_bank], sub
            assert [q.id for q in parsed] == [q.id for q in english_bank]


def test_every_content_object_has_its_stable_context():
    contexts = set()
    for case in CASES.values():
        assert localise.context_of(case) == f"case:{case.iso3}"
        for fact in (*case.did, *case.results, *case.problems):
            assert localise.context_of(fact) == f"case:{case.iso3}"
    for key, example in EXAMPLES.items():
        assert localise.context_of(example) == f"example:{key}"
    for topic in TOPICS.values():
        assert localise.context_of(topic) == f"topic:{topic.id}"
    for module in MODULES:
        assert localise.context_of(module) == f"module:{module.number}"
    for sub in SUBMODULES:
        assert localise.context_of(sub) == f"sub:{sub.id}"
    for step in ONE_DAY.steps:
        assert localise.context_of(step) == "path:one-day"
    for sub, tasks in TASKS.items():
        for task in tasks:
            assert localise.context_of(task) == f"task:{sub}/{task.id}"
            contexts.add(localise.context_of(task))
    for sub, questions in QUIZZES.items():
        for q in questions:
            assert localise.context_of(q) == f"quiz:{sub}:{q['id']}"
            assert all(localise.context_of(o) == f"quiz:{sub}:{q['id']}"
                       for o in q["options"])
    assert "task:1.1/sids_above" in contexts


def test_extraction_walks_the_content_and_names_each_texts_file():
    found = [m for m in sources("content")]
    where = {(msg, ctx): loc.split(":")[0] for msg, ctx, loc, _ in found}
    q = QUIZZES["2.3"][1]
    prompt = dict.__getitem__(q, "prompt")
    assert where[(prompt, "quiz:2.3:levels")] == "digit4sd_widgets/course/quizzes.py"
    assert where[("Identifying target areas", "sub:3.1")] == "digit4sd_widgets/course/map.py"
    fact = english(CASES["ETH"].did[0], "text")
    assert where[(fact, "case:ETH")] == "digit4sd_widgets/course/cases.py"
    task = next(t for t in tasks_for("1.1") if t.id == "sids_above")
    assert where[(english(task, "prompt"), "task:1.1/sids_above")] == \
        "digit4sd_widgets/course/data_tasks/m1.py"
    assert where[("Least developed countries (LDCs)", "task:2.2/lag_group")] == \
        "digit4sd_widgets/course/data_tasks/m2.py"
    assert where[(english(TOPICS["dpi"], "title"), "topic:dpi")] == \
        "digit4sd_widgets/course/topics.py"
    messages = {msg for msg, *_ in found}
    # ids, values, ISO codes, source keys and addresses are not texts to translate
    for value in ("ldc", "all", "ETH", "3.1", "levels", "et-woredanet", "https://"):
        assert value not in messages
    assert not any(msg.startswith("http") for msg in messages)
    assert all(loc.startswith("digit4sd_widgets/course/") for _, _, loc, _ in found)
