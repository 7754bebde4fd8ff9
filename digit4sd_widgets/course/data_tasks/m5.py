"""Data questions of module 5 (see ``__init__.py`` for the fields)."""

from __future__ import annotations

from . import Table, Task

# 5.2: the countries of two of the rubric's real cases, over every edition (one row each)
_COMPONENTS = ("egdi", "osi", "hci", "tii", "egdi_rank")
_BANGLADESH = Table(source="editions", countries=("BGD",), columns=_COMPONENTS, sort="year",
                    descending=False)
_RWANDA = Table(source="editions", countries=("RWA",), columns=_COMPONENTS, sort="year",
                descending=False)

# 5.1: the learner's case country in every edition, oldest first (the tests take Bangladesh when
# no country is chosen yet); the plan: its 2014 OSI plus 0.02 a year, to +0.20 in 2024
_CASE_OSI = Table(source="editions", countries=("case",), columns=("osi",), sort="year",
                  descending=False)

TASKS: dict[str, tuple[Task, ...]] = {
    "5.1": (
        Task("planned_2020",
             "The plan: your country's OSI rises by 0.02 a year from its 2014 value. What OSI "
             "did the plan call for in 2020? Give three decimals.",
             "number", _CASE_OSI,
             hint="Show the data and read the OSI in the row of 2014. 2020 is six years later, "
                  "so the plan adds 6 x 0.02 = 0.12 to it."),
        Task("progress_2020",
             "What share of the planned change had your country achieved in 2020? Give a "
             "percentage with no decimals; it is negative if the OSI fell.",
             "number", _CASE_OSI, decimals=0, unit="%",
             hint="The planned change by 2020 is 0.12. The real change is the OSI of 2020 "
                  "minus the OSI of 2014. Divide the real change by 0.12 and multiply by 100: "
                  "for example, 0.09 / 0.12 x 100 = 75."),
        Task("on_track_editions",
             "In how many of the five editions after 2014 (2016, 2018, 2020, 2022 and 2024) "
             "was this KPI on track, with at least 90% of the planned change achieved by "
             "then?",
             "count", _CASE_OSI,
             hint="For each edition, the planned change is 0.02 times the years since 2014: "
                  "0.04 in 2016, 0.08 in 2018, 0.12 in 2020, 0.16 in 2022, 0.20 in 2024. "
                  "Take that edition's OSI minus the OSI of 2014: the KPI is on track when "
                  "the result is at least 0.9 times the planned change."),
    ),
    "5.2": (
        Task("bgd_osi_gain",
             "Bangladesh opened its Union Digital Centres in 2010. By how much did its Online "
             "Service Index (OSI) change from the 2010 edition to the 2024 edition? Give three "
             "decimals (a fall is a negative number).",
             "number", _BANGLADESH,
             hint="Show the data: one row for each edition. Take Bangladesh's OSI in 2024 and "
                  "subtract its OSI in 2010."),
        Task("bgd_top_component",
             "Which of the three components of Bangladesh's EGDI rose the most from the 2010 "
             "edition to the 2024 edition?",
             "choice", _BANGLADESH,
             hint="For each of OSI, HCI and TII, subtract the 2010 value from the 2024 value, "
                  "then compare the three changes.",
             choices=(("Online services (OSI)", "osi"), ("Human capital (HCI)", "hci"),
                      ("Telecommunication infrastructure (TII)", "tii"))),
        Task("rwa_osi_2016",
             "Rwanda's Irembo portal went live in 2015. What happened to Rwanda's OSI from the "
             "2014 edition to the 2016 edition?",
             "choice", _RWANDA,
             hint="Compare Rwanda's OSI in the row of 2014 with the row of 2016.",
             choices=(("It rose by 0.01 or more", "rose"),
                      ("It changed by less than 0.01", "same"),
                      ("It fell by 0.01 or more", "fell"))),
    ),
}
