"""Data questions of module 6 (see ``__init__.py`` for the fields).

6.1 reads the trajectories of Bangladesh and Ethiopia, the two countries of the project
behind the toolkit. 6.2 and 6.3 ask about the learner's own case country (Bangladesh when no
country is chosen yet, as everywhere in the course): 6.2 fills the country line of a
template, 6.3 checks two conditions of readiness, connectivity and skills, against the
country's group.
"""

from __future__ import annotations

from . import Table, Task

#: what the questions on "your country" use when the learner has not chosen one yet
NO_CASE = "BGD"
_YOURS = "your case country (Bangladesh if you have not chosen one yet)"

_BGD_EDITIONS = Table(source="editions", countries=("BGD",), columns=("egdi", "egdi_rank"),
                      sort="year", descending=False)
_RANKS_2014_2024 = Table(source="change", index="egdi", start=2014, year=2024, group="ldc",
                         sort="country", descending=False)
_PROFILE_2024 = Table(source="survey", year=2024, columns=("egdi", "egdi_rank", "region"),
                      sort="country", descending=False)
_CHANGE_2014_2024 = Table(source="change", index="egdi", start=2014, year=2024,
                          sort="country", descending=False)
_REGION_2024 = Table(source="survey", year=2024, columns=("egdi", "region"), sort="egdi")
_CONDITIONS_2024 = Table(source="survey", year=2024, columns=("tii", "hci"), sort="tii")

_LEVELS = (("Low (below 0.25)", "low"), ("Middle (0.25 to 0.50)", "middle"),
           ("High (0.50 to 0.75)", "high"), ("Very high (above 0.75)", "very high"))
_SIDES = (("Above the median", "above"), ("At the median (the same figure)", "at"),
          ("Below the median", "below"))
_GROUP_RULE = ("Your country's group is the first of these it belongs to: the LDCs, the "
               "LLDCs, the SIDS. If it is in none of them, use all countries.")

TASKS: dict[str, tuple[Task, ...]] = {
    "6.1": (
        Task("last_fall",
             "In which edition did the EGDI of Bangladesh fall for the last time (lower "
             "than in the edition before)?",
             "year", _BGD_EDITIONS,
             hint="The table starts with the oldest edition. Go down the EGDI column and "
                  "compare each figure with the one above it. The last row whose EGDI is "
                  "lower than the row above gives the answer."),
        Task("bgd_places",
             "How many places in the EGDI ranking did Bangladesh gain from 2014 to 2024? "
             "Give a whole number; give a negative number if it lost places.",
             "number", _RANKS_2014_2024, decimals=0,
             hint="The table shows the LDCs in the order of their names. Find Bangladesh "
                  "and read the column 'Places gained' (its 2014 rank minus its 2024 "
                  "rank)."),
        Task("eth_places",
             "How many places in the EGDI ranking did Ethiopia gain from 2014 to 2024? "
             "Give a whole number; give a negative number if it lost places.",
             "number", _RANKS_2014_2024, decimals=0,
             hint="In the same table, find Ethiopia and read 'Places gained'. Compare it "
                  "with the column 'Change': did the EGDI and the rank move the same "
                  "way?"),
    ),
    "6.2": (
        Task("own_level",
             f"At which EGDI level is {_YOURS} in the 2024 Survey?",
             "choice", _PROFILE_2024, choices=_LEVELS,
             hint="The table lists the countries in the order of their names. Find your "
                  "country, read its EGDI, and see which level that figure falls in."),
        Task("own_change",
             f"By how much did the EGDI of {_YOURS} change from 2014 to 2024? Give three "
             "decimals, with a minus sign if it fell.",
             "number", _CHANGE_2014_2024,
             hint="The table lists the countries in the order of their names. Find your "
                  "country and read the column 'Change' (its EGDI in 2024 minus its EGDI in "
                  "2014)."),
        Task("region_median",
             "What is the median EGDI of the countries of your country's region in 2024? "
             "Give three decimals.",
             "number", _REGION_2024,
             hint="The column 'Region' gives your country's region. Choose that region under "
                  "'Countries', then read the line 'Median' under the table."),
    ),
    "6.3": (
        Task("tii_median",
             f"What is the median Telecommunications Infrastructure Index (TII) of the "
             f"group of {_YOURS} in 2024? Give three decimals. {_GROUP_RULE}",
             "number", _CONDITIONS_2024,
             hint="Under 'Countries', choose your country's group (all countries if it is "
                  "in none). Then read the line 'Median' under the table, in the TII "
                  "column. Not sure of the group? Show the LDCs and look for your country; "
                  "if it is not there, try the LLDCs, then the SIDS."),
        Task("tii_side",
             "Is the TII of your country above, at or below that median?",
             "choice", _CONDITIONS_2024, choices=_SIDES,
             hint="With your country's group still chosen, find your country in the table "
                  "and compare its TII with the median."),
        Task("hci_side",
             "Is the Human Capital Index (HCI) of your country above, at or below the "
             "median HCI of its group?",
             "choice", _CONDITIONS_2024, choices=_SIDES,
             hint="With your country's group chosen, read the median of the HCI column and "
                  "compare your country's HCI with it."),
    ),
}
