"""Data questions of module 4 (see ``__init__.py`` for the fields).

4.1 gives the canvas its starting point: where the learner's case country stands against its
group in 2024. 4.3 asks who a local portal can reach: the share of the country's people who
are not online, and what that means for one town. Both use the case country (Bangladesh when
no country is chosen yet, as everywhere in the course). 4.2 has no questions here: its data
task is the name matching exercise (``exercises/name_matching.py``).
"""

from __future__ import annotations

from . import Table, Task

_YOURS = "your case country (Bangladesh if you have not chosen one yet)"
_GROUP_RULE = ("Its group is the first of these it belongs to: the LDCs, the LLDCs, the "
               "SIDS. If it is in none of them, use all countries.")

# 4.1: the three components and the E-Participation Index, to compare with the group's means
_START_2024 = Table(source="survey", year=2024, columns=("osi", "hci", "tii", "epi"),
                    sort="country", descending=False)
# 4.3: SDG indicator 17.8.1, each country's latest figure
_ONLINE = Table(source="internet", sort="country", descending=False)
TOWN = 20_000  # residents of the town in 4.3's second question

TASKS: dict[str, tuple[Task, ...]] = {
    "4.1": (
        Task("strongest",
             f"In 2024, on which component does {_YOURS} stand best against the mean of its "
             f"group? For each component, take your country's figure minus the group's "
             f"mean: which result is the largest? {_GROUP_RULE}",
             "choice", _START_2024,
             choices=(("Online services (OSI)", "osi"), ("Human capital (HCI)", "hci"),
                      ("Telecommunications infrastructure (TII)", "tii")),
             hint="Under 'Countries', choose your country's group. The line 'Mean' under "
                  "the table gives the group's mean of each column. Find your country's row "
                  "and, for OSI, HCI and TII, take the mean away from your country's figure. "
                  "The largest result (or the least negative one) is the answer."),
        Task("epi_side",
             "Is your country's E-Participation Index (EPI) above or below the mean EPI of "
             "its group in 2024?",
             "choice", _START_2024,
             choices=(("Above the group's mean", "above"),
                      ("Below the group's mean", "below")),
             hint="With your country's group still chosen, compare your country's EPI with "
                  "the line 'Mean' under the EPI column."),
    ),
    "4.3": (
        Task("offline_share",
             f"Going by the latest figure, what share of the people of {_YOURS} do not use "
             "the internet? Give it in percent, with one decimal.",
             "number", _ONLINE, decimals=1,
             hint="The table lists the countries in the order of their names. Find your "
                  "country and take its figure away from 100. For example, 45.0% online "
                  "means 55.0% not online."),
        Task("town_offline",
             f"A town in your country has {TOWN:,} residents. If the share of its people who "
             "are not online is the same as in the whole country, about how many of its "
             "residents cannot be reached by a portal alone? Give a whole number; rounded "
             "to the nearest hundred is fine.",
             "count", _ONLINE,
             hint=f"Take your answer to question 1 as a share of {TOWN:,}: multiply "
                  f"{TOWN:,} by it and divide by 100. For example, 55.0% of {TOWN:,} is "
                  f"{TOWN * 55 // 100:,}."),
    ),
}
