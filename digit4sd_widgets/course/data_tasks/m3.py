"""Data questions of module 3 (see ``__init__.py`` for the fields)."""

from __future__ import annotations

from . import Table, Task

_COMPONENTS_2024 = Table(source="survey", year=2024, columns=("osi", "hci", "tii"), sort="osi")
_COMPONENT_CHOICES = (("Online services (OSI)", "osi"), ("Human capital (HCI)", "hci"),
                      ("Telecommunications infrastructure (TII)", "tii"))

# 3.3: the learner's case country in every edition, oldest first (the tests take Bangladesh when
# no country is chosen yet)
_CASE_OSI = Table(source="editions", countries=("case",), columns=("osi",), sort="year",
                  descending=False)

TASKS: dict[str, tuple[Task, ...]] = {
    "3.1": (
        Task("biggest_gap",
             "In the 2024 Survey, on which component are the least developed countries "
             "(LDCs) furthest below the mean of all countries?",
             "choice", _COMPONENTS_2024,
             hint="Show all countries and write down the line 'Mean' for OSI, HCI and TII. "
                  "Then show the LDCs and write down their means. For each component, take "
                  "the LDC mean minus the mean of all countries: the most negative result is "
                  "the largest gap.",
             choices=_COMPONENT_CHOICES),
        Task("gap_size",
             "How large is that gap? Give the LDC mean minus the mean of all countries on "
             "that component, with three decimals (it is a negative number).",
             "number", Table(source="survey", year=2024, columns=("osi", "hci", "tii"),
                             group="ldc", sort="osi"),
             hint="Use the two means of that component from question 1. For example, "
                  "0.412 - 0.600 = -0.188."),
    ),
    "3.2": (
        Task("peer_leader",
             "Think of the gap you chose in your gap analysis in 3.1: one component (OSI, HCI "
             "or TII) of your country. Your country's peers are the countries of a group it "
             "belongs to: LDCs, LLDCs or SIDS (if it is in two, choose one; if it is in none, "
             "take its region). In 2024, which other peer has the highest value on that "
             "component?",
             "country", _COMPONENTS_2024,
             hint="Show your country's group (or its region) and sort by the component of "
                  "your gap, highest first. The first country that is not your own is the "
                  "answer: a partner you could learn from."),
        Task("peers_ahead",
             "In the same group (or region), how many countries have a higher value than "
             "your country on that component?",
             "count", _COMPONENTS_2024,
             hint="Keep the same rows and order, and find your own country. The first column "
                  "numbers the rows: the number of your country's row, minus one, is the "
                  "answer."),
    ),
    # 3.3: the pace a target needs, on the learner's own country (its OSI in every edition)
    "3.3": (
        Task("own_pace",
             "What was your country's average change in OSI per year over the ten years from "
             "the 2014 edition to the 2024 edition? Take its OSI in 2024 minus its OSI in "
             "2014, and divide by 10. Give four decimals, with a minus sign if it fell.",
             "number", _CASE_OSI, decimals=4,
             hint="Show the data: one row for each edition, the oldest first. Read the OSI in "
                  "the rows of 2014 and 2024. For example, (0.6500 - 0.4500) / 10 = 0.0200."),
        Task("recent_pace",
             "What was its average change in OSI per year over the last four years only, "
             "from the 2020 edition to the 2024 edition? Give four decimals, with a minus "
             "sign if it fell.",
             "number", _CASE_OSI, decimals=4,
             hint="Read the OSI in the rows of 2020 and 2024, take the difference and divide "
                  "it by 4."),
        Task("achievable",
             "A plan wants your country's OSI to rise by 0.02 a year from 2024 to 2030. The "
             "builder calls a target achievable when the change it needs each year is at "
             "most 1.5 times a past pace. At which of your two paces is 0.02 a year "
             "achievable?",
             "choice", _CASE_OSI,
             hint="Multiply each of your two paces by 1.5 and compare the result with 0.02. "
                  "For example, a pace of 0.0150 gives 0.0225, enough for 0.02; a pace of "
                  "0.0100 gives 0.0150, not enough.",
             choices=(("At both paces", "both"),
                      ("Only at the ten-year pace (question 1)", "ten_years"),
                      ("Only at the four-year pace (question 2)", "four_years"),
                      ("At neither pace", "neither"))),
    ),
}
