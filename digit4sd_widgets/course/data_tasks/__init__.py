"""Data questions: the "Working with the data" tasks of each submodule, as content.

Each question is answered in one of two ways, and both store the same answer in the
learner's workbook (``<submodule>/data_tasks``), graded by the same hidden test:

- in boxes, with no code: the question comes with a table of the data it needs, whose rows
  the learner can filter (all countries, a group, a region) and sort, and which shows the
  count, mean and median of the rows shown (``exercises/data_tasks.py`` draws it);
- in code: the learner sets a variable named as the question's ``id`` and the notebook's
  next cell saves it (``DataTasks.take``).

The questions of a module live in ``m<N>.py`` as ``TASKS = {"<submodule>": (Task, ...)}``.
The expected answers are not here: each notebook's hidden test computes them from the data.

``Task.answer`` is one of:

- ``"number"``: a decimal number, to ``decimals`` places (a test accepts half a unit of the
  last place either side);
- ``"count"``: a whole number, zero or more;
- ``"country"``: a country, by its name in the Survey (the box lists the table's countries;
  code may give the name or the ISO3 code);
- ``"choice"``: one of ``choices``, pairs ``(label, value)``; the value is stored;
- ``"year"``: a Survey edition.

``Table.source`` is one of:

- ``"survey"``: one edition (``year``); ``columns`` among egdi, osi, hci, tii, epi,
  egdi_rank, egdi_level, region; with ``difference=("osi", "tii")``, a column "OSI minus
  TII" too (sorted on it, a learner counts the rows above zero);
- ``"change"``: ``index`` from edition ``start`` to edition ``year``: both values, the change,
  both ranks and the change of rank (a rise in rank is a positive number);
- ``"internet"``: the share of people using the internet (%), the latest year each country
  has, or the year ``year`` when ``latest`` is False;
- ``"editions"``: ``countries`` (ISO3 codes, or ``("case",)`` for the learner's own country)
  over every edition; ``columns`` among egdi, osi, hci, tii, epi, egdi_rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..localise import Localised, place

ANSWERS = ("number", "count", "country", "choice", "year")
SOURCES = ("survey", "change", "internet", "editions")
INDICES = ("egdi", "osi", "hci", "tii", "epi")
SURVEY_COLUMNS = (*INDICES, "egdi_rank", "egdi_level", "region")


@dataclass(frozen=True)
class Table:
    """The data a question needs, as the learner first sees it."""

    source: str = "survey"
    year: int = 2024
    start: int | None = None
    index: str = "egdi"
    columns: tuple[str, ...] = ("egdi",)
    group: str = "all"  # all | ldc | lldc | sids | a region's name
    sort: str = ""  # a column shown; "" keeps the table's own order
    descending: bool = True
    countries: tuple[str, ...] = ()
    latest: bool = True
    difference: tuple[str, str] | None = None  # ("osi", "tii"): a column "OSI minus TII"


@dataclass(frozen=True)
class Task(Localised, translate=("prompt", "hint", "choices")):
    """One data question."""

    id: str  # also the variable of the code route: a Python name
    prompt: str
    answer: str
    table: Table = field(default_factory=Table)
    hint: str = ""  # how to find it in the table, for a learner who does not code
    decimals: int = 3
    choices: tuple[tuple[str, str], ...] = ()
    unit: str = ""


def _check(sub: str, tasks: tuple[Task, ...]) -> tuple[Task, ...]:
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise ValueError(f"data questions of {sub}: an id is used twice")
    for t in tasks:
        if not t.id.isidentifier() or t.id.startswith("_"):
            raise ValueError(f"data question {sub}/{t.id}: the id must be a Python name")
        if t.answer not in ANSWERS:
            raise ValueError(f"data question {sub}/{t.id}: unknown answer {t.answer!r}")
        if t.table.source not in SOURCES:
            raise ValueError(f"data question {sub}/{t.id}: unknown table {t.table.source!r}")
        if t.answer == "choice" and not t.choices:
            raise ValueError(f"data question {sub}/{t.id}: a choice needs its choices")
        place(t, f"task:{sub}/{t.id}")  # its texts, in the reader's language
    return tasks


def _collect() -> dict[str, tuple[Task, ...]]:
    from . import m1, m2, m3, m4, m5, m6

    found: dict[str, tuple[Task, ...]] = {}
    for bank in (m1, m2, m3, m4, m5, m6):
        for sub, tasks in bank.TASKS.items():
            if sub in found:
                raise ValueError(f"data questions of {sub} are written twice")
            found[sub] = _check(sub, tuple(tasks))
    return found


#: every submodule's data questions, in course order
TASKS: dict[str, tuple[Task, ...]] = _collect()


def tasks_for(submodule: str) -> tuple[Task, ...]:
    """The data questions of ``submodule`` (empty if it has none)."""
    return TASKS.get(submodule, ())
