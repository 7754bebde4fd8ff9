"""Data questions of module 1 (see ``__init__.py`` for the fields)."""

from __future__ import annotations

from . import Table, Task

_SURVEY_2024 = Table(source="survey", year=2024, columns=("egdi", "osi", "hci", "tii"),
                     sort="egdi")
# 1.2: the three conditions (the EGDI's parts) of the LDCs
_CONDITIONS_LDC = Table(source="survey", year=2024, columns=("osi", "hci", "tii"), group="ldc",
                        sort="osi")
# 1.3: one country's path over every edition, oldest first (a named example: module 1 comes
# before the learner chooses a case country, in 3.1)
_NEPAL = Table(source="editions", countries=("NPL",), columns=("egdi", "egdi_rank"),
               sort="year", descending=False)

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
    "1.2": (
        Task("weakest",
             "In the 2024 Survey, which of the three conditions is weakest on average for the "
             "least developed countries (LDCs), that is, has the lowest mean?",
             "choice", _CONDITIONS_LDC,
             hint="Show the LDCs. The line 'Mean' under the table gives the mean of each "
                  "column: the lowest of the three is the weakest condition. Two of them are "
                  "close, so compare all the decimals.",
             choices=(("Services: online services (OSI)", "osi"),
                      ("Education: human capital (HCI)", "hci"),
                      ("Access: telecommunications infrastructure (TII)", "tii"))),
        Task("weakest_mean",
             "What is the LDCs' mean for that weakest condition in 2024? Give three decimals.",
             "number", _CONDITIONS_LDC,
             hint="With the LDCs shown, read it in the line 'Mean', under the column of the "
                  "weakest condition."),
    ),
    "1.3": (
        Task("nepal_high",
             "In which edition of the Survey did Nepal's EGDI first reach 0.50 or more, the "
             "level the Survey calls 'high'?",
             "year", _NEPAL,
             hint="The table lists Nepal's editions from the oldest. Go down the EGDI column: "
                  "the answer is the first edition with 0.50 or more."),
        Task("nepal_steps_back",
             "In how many editions was Nepal's EGDI rank worse than in the edition before? "
             "A worse rank is a larger number: rank 1 is the best.",
             "count", _NEPAL,
             hint="Keep the editions from the oldest. For each edition after the first, "
                  "compare its rank with the rank in the row above it, and count the editions "
                  "whose rank number is larger."),
    ),
}
