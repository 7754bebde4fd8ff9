"""Data questions of module 1 (see ``__init__.py`` for the fields)."""

from __future__ import annotations

from . import Table, Task

_SURVEY_2024 = Table(source="survey", year=2024, columns=("egdi", "osi", "hci", "tii"),
                     sort="egdi")

TASKS: dict[str, tuple[Task, ...]] = {
    "1.1": (
        Task("world_mean",
             "What is the mean EGDI of all countries in the 2024 Survey? Give three decimals.",
             "number", Table(source="survey", year=2024, columns=("egdi",), sort="egdi"),
             hint="Open the data with all countries shown: the line 'Mean' under the table "
                  "gives the mean EGDI of the rows shown."),
        Task("sids_above",
             "How many small island developing States (SIDS) have an EGDI above that world "
             "mean in 2024?",
             "count", Table(source="survey", year=2024, columns=("egdi",), group="sids",
                            sort="egdi"),
             hint="Show the SIDS, highest EGDI first. The first column numbers the rows: "
                  "find the last SIDS whose EGDI is above the world mean."),
        Task("best_ldc",
             "Which least developed country (LDC) has the highest EGDI in 2024?",
             "country", Table(source="survey", year=2024, columns=("egdi",), group="ldc",
                              sort="egdi"),
             hint="Show the LDCs, highest EGDI first: the answer is the first row."),
    ),
}
