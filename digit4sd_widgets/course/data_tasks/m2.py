"""Data questions of module 2 (see ``__init__.py`` for the fields).

Module 2 comes before the learner chooses a case country (in 3.1), so its questions are about
groups of countries and named examples, never about "your country".
"""

from __future__ import annotations

from . import Table, Task

# 2.1: SDG indicator 17.8.1, each country's latest figure
_INTERNET = Table(source="internet", sort="internet_pct", descending=False)
# 2.2: online services against telecom infrastructure
_SERVICES_ACCESS = Table(source="survey", year=2024, columns=("osi", "tii"), sort="osi")
# 2.3: the EGDI and its three parts; the LDCs' change from 2014 to 2024
_PARTS_2024 = Table(source="survey", year=2024,
                    columns=("egdi", "egdi_level", "osi", "hci", "tii"), group="ldc",
                    sort="egdi")
_LDC_MOVES = Table(source="change", start=2014, year=2024, index="egdi", group="ldc",
                   sort="change")
# 2.4: two editions joined on the country code; the ranks of 2022
_JOIN_2008_2024 = Table(source="change", start=2008, year=2024, index="egdi",
                        descending=False)
_RANKS_2022 = Table(source="survey", year=2022, columns=("egdi_rank", "egdi"),
                    sort="egdi_rank", descending=False)
# 2.5: participation against e-government
_EPI_EGDI = Table(source="survey", year=2024, columns=("egdi", "epi"), sort="egdi")

TASKS: dict[str, tuple[Task, ...]] = {
    "2.1": (
        Task("below_half",
             "How many countries have fewer than half of their people online (internet use "
             "below 50%), going by each country's latest figure?",
             "count", _INTERNET,
             hint="Show all countries, lowest internet use first. The first column numbers "
                  "the rows: find the last row below 50."),
        Task("ldc_median",
             "What is the median internet use of the least developed countries (LDCs), "
             "going by their latest figures? Give it in percent, with one decimal.",
             "number", Table(source="internet", group="ldc", sort="internet_pct",
                             descending=False),
             decimals=1,
             hint="Show the LDCs: the line 'Median' under the table gives the middle value "
                  "of the rows shown."),
    ),
    "2.2": (
        Task("lag_group",
             "In 2024, in which group do online services lag furthest behind telecom "
             "infrastructure? Compare the group's mean TII with its mean OSI: where is the "
             "TII furthest above the OSI?",
             "choice", _SERVICES_ACCESS,
             choices=(("All countries", "all"),
                      ("Least developed countries (LDCs)", "ldc"),
                      ("Landlocked developing countries (LLDCs)", "lldc"),
                      ("Small island developing States (SIDS)", "sids")),
             hint="Show each group in turn and read the line 'Mean' under OSI and under TII. "
                  "For each group, take the mean OSI away from the mean TII: the largest "
                  "result is the answer."),
        Task("services_ahead",
             "In how many LDCs is the OSI higher than the TII in 2024, that is, online "
             "services ahead of telecom infrastructure?",
             "count", Table(source="survey", year=2024, columns=("osi", "tii"), group="ldc",
                            sort="difference", difference=("osi", "tii")),
             hint="Show the LDCs, sorted by 'OSI minus TII', highest first. The OSI is "
                  "higher wherever that column is above zero: count those rows."),
    ),
    "2.3": (
        Task("high_weak_osi",
             "Some LDCs reach the 'high' EGDI level (0.50 or more) in 2024. Among them, "
             "which one has the lowest OSI?",
             "country", _PARTS_2024,
             hint="Show the LDCs, highest EGDI first. The first rows are at the level "
                  "'high': among those rows only, find the lowest OSI."),
        Task("risers",
             "How many LDCs raised their EGDI by 0.20 or more between the 2014 and 2024 "
             "Surveys?",
             "count", _LDC_MOVES,
             hint="The table puts both editions side by side. Show the LDCs, biggest change "
                  "first, and count the rows whose 'Change' is 0.20 or more."),
        Task("rose_lost_places",
             "How many LDCs raised their EGDI between 2014 and 2024, yet fell in the "
             "ranking (lost places)?",
             "count", Table(source="change", start=2014, year=2024, index="egdi",
                            group="ldc", sort="rank_change", descending=False),
             hint="Show the LDCs, sorted by 'Places gained', lowest first. The rows with a "
                  "negative number lost places: among them, count the rows whose 'Change' is "
                  "above zero."),
    ),
    "2.4": (
        Task("missing_2008",
             "This table joins the 2008 and 2024 editions on the country code. A country "
             "stays in it only if it has an EGDI in both editions, and every one of the 193 "
             "countries has one in 2024. How many countries does the join leave out, because "
             "they have no EGDI in 2008?",
             "count", _JOIN_2008_2024,
             hint="Show all countries: the line 'Rows shown' gives the number of countries "
                  "the joined table keeps. Take it away from 193."),
        Task("tied_2022",
             "In the 2022 edition, how many countries share their EGDI rank with another "
             "country?",
             "count", _RANKS_2022,
             hint="Show all countries, sorted by rank, lowest first. Where two rows have the "
                  "same rank, the next rank number is skipped. Count every country that has "
                  "such a shared rank."),
    ),
    "2.5": (
        Task("epi_link",
             "In 2024, how closely do the EPI and the EGDI of the countries go together?",
             "choice", _EPI_EGDI,
             choices=(("Closely: countries with a higher EGDI mostly have a higher EPI "
                       "(a correlation above 0.7)", "close"),
                      ("Loosely: a weak link with many exceptions (a correlation from 0.3 "
                       "to 0.7)", "loose"),
                      ("Not at all: the EPI does not follow the EGDI (a correlation from "
                       "-0.3 to 0.3)", "none"),
                      ("The opposite: a higher EGDI goes with a lower EPI (a correlation "
                       "below -0.3)", "opposite")),
             hint="Show all countries, highest EGDI first, and look down the EPI column. "
                  "Compare the EPI of the first twenty rows with that of the last twenty, "
                  "and see how often a row breaks the pattern."),
        Task("ldc_epi_above",
             "In how many LDCs is the EPI higher than the EGDI in 2024?",
             "count", Table(source="survey", year=2024, columns=("egdi", "epi"),
                            group="ldc", sort="difference", difference=("epi", "egdi")),
             hint="Show the LDCs, sorted by 'EPI minus EGDI', highest first. The EPI is "
                  "higher wherever that column is above zero: count those rows."),
    ),
}
