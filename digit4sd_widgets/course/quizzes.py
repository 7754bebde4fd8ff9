"""Knowledge checks: three questions for each of the 19 submodules.

Each question is a plain dict::

    {"id": "levels", "prompt": "...", "multiple": False,
     "options": [{"text": "...", "correct": True, "feedback": "..."}, ...]}

``multiple`` is False for a single-choice question (exactly one correct option) and True for
"pick all that apply" (at least one correct option). Ids are unique within a submodule.
Facts come from the workshop aide-memoire and the course map; the wording is the course's own.
"""

from __future__ import annotations

from typing import Any

from .localise import quiz_banks

SUBMODULES: tuple[str, ...] = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5",
                               "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "5.1", "5.2",
                               "6.1", "6.2", "6.3")


def _o(text: str, correct: bool, feedback: str) -> dict[str, Any]:
    return {"text": text, "correct": correct, "feedback": feedback}


def _q(qid: str, prompt: str, options: list[dict[str, Any]], multiple: bool = False
       ) -> dict[str, Any]:
    return {"id": qid, "prompt": prompt, "options": options, "multiple": multiple}


#: read in the reader's language (:func:`~.localise.quiz_banks`): each question's texts with
#: the context ``quiz:<submodule>:<question id>``
QUIZZES: dict[str, list[dict[str, Any]]] = quiz_banks({
    # ------------------------------------------------------------------ module 1
    "1.1": [
        _q("groups", "Which three groups of countries is the toolkit written for?", [
            _o("Least developed, small island developing and landlocked developing countries",
               True, "Right: LDCs, SIDS and LLDCs are the countries in special situations that "
               "the toolkit serves."),
            _o("Low-income, lower-middle-income and fragile or conflict-affected countries",
               False, "The toolkit does not group countries by income or fragility. It serves "
               "LDCs, SIDS and LLDCs."),
            _o("Least developed countries (LDCs) only, wherever they are in the world", False,
               "LDCs are one of the three groups. Small island and landlocked developing "
               "countries are the other two."),
        ]),
        _q("barriers", "Which of these often hold back digital government in LDCs, SIDS "
           "and LLDCs?", [
            _o("Internet access costs a large share of people's income", True,
               "Yes: when access costs a lot, many people stay offline."),
            _o("Telecom networks are weak, above all outside the cities", True,
               "Yes: infrastructure gaps are widest in rural areas."),
            _o("Laws on e-services, e-signatures and data are missing or out of date", True,
               "Yes: without a legal framework, people cannot trust e-services and "
               "e-signatures."),
            _o("Digital services cost more to run than offices, so they never save money", False,
               "The course says the opposite: done well, digital government saves money by "
               "making procedures simpler."),
            _o("The UN E-Government Survey leaves these countries out, so no figures exist",
               False, "The Survey scores every UN Member State, these countries included. "
               "A lack of figures is not the barrier."),
        ], multiple=True),
        _q("lldc", "An official in a landlocked developing country sees that international "
           "internet capacity costs more there than in coastal countries. What is the usual "
           "reason?", [
            _o("Their traffic must cross neighbours' networks to reach the undersea cables",
               True, "Right: transit through other countries adds cost and makes them "
               "depend on their neighbours."),
            _o("Satellite links are the only option for them, and satellite capacity is expensive",
               False, "The course names geography: with no coast, they reach the undersea "
               "cables through their neighbours' networks."),
            _o("They may not build or own international networks of their own", False,
               "The course names geography, not a rule: the way to the undersea cables "
               "crosses other countries."),
            _o("Their governments tax internet use more heavily than coastal countries do",
               False, "The course names geography, not taxes: traffic must cross neighbours' "
               "networks to reach the undersea cables."),
        ]),
    ],
    "1.2": [
        _q("aim", "Your director asks what the DIGIT4SD toolkit is for. What is its main aim?", [
            _o("To build capacity to plan, carry out and evaluate digital government for the "
               "SDGs", True,
               "Right: it builds the capacity of people and institutions, so that choices rest "
               "on evidence."),
            _o("To score and rank all UN Member States on e-government every two years", False,
               "That is what the UN E-Government Survey does. The toolkit builds on the "
               "Survey's findings."),
            _o("To provide ready-made software that ministries install for online services",
               False, "The toolkit offers know-how, methods, data and cases, not software "
               "products."),
            _o("To pay for digital government projects in the least developed countries", False,
               "The toolkit is about capacity: know-how and methods to plan and run "
               "initiatives, not money for them."),
        ]),
        _q("conditions", "A ministry plans a new online service. Digital government pays off "
           "when three conditions come together. Which are they?", [
            _o("People with the literacy and skills to use it", True,
               "Yes: skills are one of the three conditions. Without them, people cannot use "
               "what is built."),
            _o("Useful government information and services online", True,
               "Yes: there must be something worth using online."),
            _o("Access to the internet, above all broadband, at a fair price", True,
               "Yes: without access, even the best portal reaches nobody."),
            _o("A large national budget for ICT", False,
               "Money helps, but it is not one of the three conditions: skills, services and "
               "access."),
            _o("A law that makes the online channel the only way to reach the service", False,
               "That is not one of the three conditions. The best portal is of little use to "
               "people who cannot get online."),
        ], multiple=True),
        _q("evidence", "Your minister asks for an 'evidence-based' plan for e-services. What "
           "does that mean in this course?", [
            _o("Choices rest on data, such as the UN E-Government Survey, not on guesswork",
               True, "Right: you work with the real Survey figures throughout the course."),
            _o("The plan copies the plan of the country at the top of the Survey ranking",
               False, "That country's situation may differ from yours. Evidence means checking "
               "the data for your own country."),
            _o("The plan follows the advice of a senior international expert", False,
               "Advice is welcome, but the course asks you to check it against data."),
            _o("The plan lists the services that ministry staff would most like to build",
               False, "Staff views matter, but evidence means data, such as the Survey figures "
               "on skills, services and access."),
        ]),
    ],
    "1.3": [
        _q("core", "Which modules are the core of the toolkit?", [
            _o("Planning & analysis (module 3)", True,
               "Yes: a core module, where you choose your case and set measurable targets."),
            _o("Design & implementation (module 4)", True,
               "Yes: a core module, where you put the initiative on one page."),
            _o("Monitoring & review (module 5)", True,
               "Yes: a core module, where you follow progress and judge results."),
            _o("Getting started (module 1)", False,
               "Module 1 is the introduction, not one of the three core modules."),
            _o("Moving forward (module 6)", False,
               "Module 6 gives the way forward: cases, templates and a checklist. It is not a "
               "core module."),
            _o("Fundamentals (module 2)", False,
               "Module 2 gives the background that the rest builds on. The core is modules 3, "
               "4 and 5."),
        ], multiple=True),
        _q("stakeholders", "Your director wants a map of who matters for your initiative and "
           "how to work with each. In which module do you build this stakeholder matrix?", [
            _o("Module 3, Planning & analysis", True,
               "Right: stakeholders are mapped while planning, right after you choose your "
               "case."),
            _o("Module 5, Monitoring & review", False,
               "By then the partners should already be known. The matrix comes in module 3, "
               "while planning."),
            _o("Module 1, Getting started", False,
               "Module 1 is the introduction. The matrix comes in module 3, once you have "
               "chosen your case."),
            _o("Module 4, Design & implementation", False,
               "The canvas of module 4 reuses the matrix, but you build it earlier, in "
               "module 3."),
        ]),
        _q("path_core", "An official already knows the SDGs and the UN Survey well and has "
           "little time. Which path does the course plan for them?", [
            _o("Modules 1, 2 and 6 may be skimmed or skipped; modules 3, 4 and 5 stay", True,
               "Right: modules 3 to 5 are the core and are for everyone. The plan shows which "
               "of their submodules need most time."),
            _o("Any module may be skipped, the core included, if rated 'I could teach it'",
               False, "The core modules 3, 4 and 5 always stay in the plan. Only modules 1, 2 "
               "and 6 may be skimmed or skipped."),
            _o("All six modules, in full and in course order: nothing may be skipped", False,
               "Nothing is locked: modules 1, 2 and 6 may be skimmed or skipped. Only the core "
               "stays."),
            _o("Only modules 1 and 6, the introduction and the way forward", False,
               "It is the other way round: modules 1, 2 and 6 may be skipped, while the core "
               "modules 3, 4 and 5 stay."),
        ]),
    ],
    # ------------------------------------------------------------------ module 2
    "2.1": [
        _q("count", "A draft briefing says the 2030 Agenda has 169 Sustainable Development "
           "Goals. How many goals are there?", [
            _o("17 goals", True, "Right: 17 goals, with 169 targets between them."),
            _o("8 goals", False,
               "Eight was the number of the earlier Millennium Development Goals. The 2030 "
               "Agenda has 17."),
            _o("169 goals", False, "169 is the number of targets, not goals. There are 17 goals."),
            _o("Over 200 goals", False,
               "Over 200 is the number of indicators, not goals. There are 17 goals."),
        ]),
        _q("birth", "Your ministry plans online birth registration. Which SDG target does it "
           "serve most directly?", [
            _o("16.9: a legal identity for all, birth registration included", True,
               "Right: registering every birth is the first step to a legal identity."),
            _o("9.c: affordable access to ICT and the internet for all", False,
               "The service needs internet access, but its purpose is a legal identity (16.9)."),
            _o("4.4: more people with the ICT skills that they need for work", False,
               "That target is about skills for work, not civil registration."),
            _o("17.8: more use of ICT, measured by the share of people online", False,
               "17.8 is measured by internet use. A registration service does not change that "
               "figure directly."),
        ]),
        _q("digital_targets", "Which SDG targets does digital government serve most "
           "directly?", [
            _o("16.6: effective, accountable and transparent institutions", True,
               "Yes: faster services and records that can be audited support it."),
            _o("16.10: public access to information", True,
               "Yes: open data and public information portals put information within reach."),
            _o("17.8: use of enabling technology, especially ICT", True,
               "Yes: its indicator, 17.8.1, is the share of people using the internet."),
            _o("14.1: less marine pollution", False,
               "An important target, but digital government is not its main lever."),
            _o("All 169 targets equally, since digital government touches every goal", False,
               "It touches almost every goal, but only a handful of targets depend on it "
               "directly. Claiming them all makes a plan look vague."),
        ], multiple=True),
    ],
    "2.2": [
        _q("transactional", "The course describes four stages of online services. A land "
           "office lets people apply for a certificate, prove who they are and pay the fee "
           "online, from start to end. Which stage is that?", [
            _o("Transactional: people can finish the whole service online", True,
               "Right: applying, identity checks and payment all happen online."),
            _o("Emerging: the office's address and its forms to print are online", False,
               "Emerging is the first stage: basic facts only. Here people do much more "
               "online."),
            _o("Connected: its agencies share their data and work as one", False,
               "Connected goes further than one office: agencies share data and act as one "
               "government. Nothing here says the land office shares data."),
            _o("Enhanced: people can fill in the forms on screen and send them", False,
               "Enhanced means more content and some forms on screen. Here the whole service, "
               "payment included, is online."),
        ]),
        _q("once_only", "A ministry wants to apply the 'once-only' principle. What does it "
           "mean?", [
            _o("People give a piece of information to government once; agencies then reuse it, "
               "with safeguards", True,
               "Right: it saves people time, and agencies share the data under legal "
               "safeguards."),
            _o("Each person gets one single account that works for all the online services of "
               "government", False,
               "One account may help, but once-only is about not asking people twice for the "
               "same information."),
            _o("Each agency collects the data it needs once a year and keeps its own copy of it",
               False, "Separate copies mean people are asked again and again. Once-only means "
               "agencies reuse what people already gave."),
            _o("Once one agency holds people's data, any other agency may use it for any "
               "purpose", False,
               "Reuse needs legal safeguards: collect only what is needed and control who "
               "sees it."),
        ]),
        _q("by_default", "A ministry drafts its digital strategy. Which of these statements "
           "follow the principles of this submodule?", [
            _o("Digital by default: online is the first choice, while offices and phone lines "
               "stay open for those who cannot go online", True,
               "Yes: inclusion means nobody is left without a way in."),
            _o("Digital by default: counters and paper forms close as soon as the online "
               "service opens", False,
               "That would shut out people without access or skills. Other channels must stay "
               "open."),
            _o("Privacy and security are built in from the start, not added later", True,
               "Yes: collect only what is needed, control who sees it, and keep systems safe "
               "from attack."),
            _o("One service at the transactional stage shows that the whole government is "
               "mature", False,
               "A stage says how far one service has come, not how good a whole government "
               "is."),
        ], multiple=True),
    ],
    "2.3": [
        _q("formula", "A colleague asks how the E-Government Development Index (EGDI) is "
           "calculated. What do you answer?", [
            _o("The average of OSI, HCI and TII, each with one third of the weight", True,
               "Right: EGDI = (OSI + HCI + TII) / 3, so each part counts for one third."),
            _o("The share of people who use the internet, rescaled from 0 to 1", False,
               "Internet users feed the TII, which is one of three parts. The EGDI averages "
               "OSI, HCI and TII."),
            _o("A weighted mix of OSI, HCI and TII in which online services count double",
               False, "The three parts have equal weight: one third each."),
            _o("The average of OSI, HCI, TII and the E-Participation Index (EPI)", False,
               "The EPI is published with the Survey, but it is not one of the parts of the "
               "EGDI."),
        ]),
        _q("levels", "Your country's EGDI is 0.62. Which EGDI level is it in?", [
            _o("High", True, "Right: high runs from 0.50 to 0.75, and 0.62 is in that range."),
            _o("Very high", False, "Very high starts at 0.75, and 0.62 is below that."),
            _o("Middle", False, "Middle runs from 0.25 to 0.50, and 0.62 is above that."),
        ]),
        _q("components", "Which of these are components of the EGDI?", [
            _o("Online Service Index (OSI)", True,
               "Yes: it assesses the national portal and online services."),
            _o("Human Capital Index (HCI)", True,
               "Yes: it measures adult literacy, school enrolment and years of schooling."),
            _o("Telecommunications Infrastructure Index (TII)", True,
               "Yes: it measures internet users and mobile and broadband subscriptions."),
            _o("E-Participation Index (EPI)", False,
               "The EPI is published with the survey, but it is not part of the EGDI."),
            _o("Internet users per 100 people, as a fourth part", False,
               "Internet users feed into the TII; they are not a part of their own. The EGDI "
               "has three parts."),
        ], multiple=True),
    ],
    "2.4": [
        _q("checks", "You combine UN Survey files from several editions for a report. What "
           "should you check for?", [
            _o("Missing values, including zeros that stand for a missing figure", True,
               "Yes: some countries have no figure in some editions, and a 0 may hide a "
               "missing EGDI."),
            _o("Country names spelled differently from one edition to another", True,
               "Yes: names change, so match countries on codes, not on names."),
            _o("Ranks shared by two or more countries", True,
               "Yes: tied countries share a rank and the next rank is skipped."),
            _o("Countries whose EGDI fell, since a fall must be a data error", False,
               "A fall is not an error in itself: indices are rescaled in each edition, and "
               "countries move."),
            _o("Whether the ranks run 1, 2, 3 with no gaps, so that you can join on rank",
               False, "Ranks are shared when countries tie, and they change each edition. Join "
               "on ISO codes, never on ranks."),
        ], multiple=True),
        _q("join", "You join the UN Survey with a table from another source, country by "
           "country. Which column is the safest key?", [
            _o("The ISO 3166 three-letter code, such as BGD", True,
               "Right: codes do not change with spelling. They can change in rare cases "
               "(ZAR became COD), so check old files."),
            _o("The country name, after a check of the spelling by eye", False,
               "Names differ between sources, such as Türkiye and Turkey, and a check by eye "
               "misses some."),
            _o("The row number, when both tables are sorted the same way", False,
               "Row order changes between files. One missing country shifts every row after "
               "it."),
            _o("The EGDI rank, since each country has a rank of its own", False,
               "Tied countries share a rank, and ranks change each edition. Never use a rank "
               "as a key."),
        ]),
        _q("open_data", "Your ministry wants to publish its list of schools as open data. "
           "What must be true of it?", [
            _o("Anyone may use, reuse and share it, under an open licence and in a format "
               "machines can read", True,
               "Right: for example a CSV file with an open licence, free of charge."),
            _o("It is on the ministry's website as a scanned PDF document that anyone can "
               "download", False,
               "A scan cannot be read by machines, so it is hard to reuse. Open data needs a "
               "format such as CSV."),
            _o("It is shared free of charge between government agencies, but not with the "
               "public", False, "Open data is open to everyone, not only to agencies."),
            _o("It includes the pupils' personal records, so that anyone can check the "
               "figures", False, "Personal data is never opened: it is protected."),
        ]),
    ],
    "2.5": [
        _q("levels", "What are the three levels of e-participation in the UN Survey, from "
           "least to most engagement?", [
            _o("e-information, e-consultation, e-decision-making", True,
               "Right: from sharing information, to asking for views, to letting people's "
               "choices shape the decision."),
            _o("e-information, e-decision-making, e-consultation", False,
               "Wrong order: decision-making lets people's choices shape the decision, so it "
               "comes last."),
            _o("e-information, e-services, e-decision-making", False,
               "E-services are not a level of participation. The middle level is "
               "e-consultation: asking for views."),
            _o("emerging, enhanced, transactional", False,
               "Those are stages of online services (see 2.2), not levels of "
               "participation."),
        ]),
        _q("draft_law", "A ministry puts a draft law online, asks the public to comment, and "
           "later reports what it did with the comments. Which level is that?", [
            _o("e-consultation", True,
               "Right: people are asked for their views, and the ministry reports what it did "
               "with them."),
            _o("e-information", False,
               "It goes further than sharing information: it asks for people's input."),
            _o("e-decision-making", False,
               "That would mean people's choices shape the decision, as in voting on part of "
               "a city budget. Here the ministry still decides."),
        ]),
        _q("epi", "Is the E-Participation Index (EPI) one of the parts of the EGDI?", [
            _o("No: it is published with the Survey, but it is not part of the EGDI", True,
               "Right: the EGDI has three parts, OSI, HCI and TII. The EPI is a separate "
               "index."),
            _o("Yes: it is a fourth part, with the same weight as OSI, HCI and TII", False,
               "The EGDI has only three parts: OSI, HCI and TII."),
            _o("Yes: in recent editions it replaced the TII as one of the three parts", False,
               "The TII is still one of the three parts. The EPI stays separate."),
            _o("Yes, in part: the EGDI counts it inside the Online Service Index", False,
               "The EPI is not inside the OSI or any other part: it is a separate index."),
        ]),
    ],
    # ------------------------------------------------------------------ module 3
    "3.1": [
        _q("gaps", "When something does not work, the course asks which kind of gap is behind "
           "it. Which are the three kinds of gap?", [
            _o("Data gaps", True,
               "Yes: the figures needed to plan or follow the area are missing."),
            _o("Policy gaps", True, "Yes: a law, strategy, rule or mandate is missing."),
            _o("Implementation gaps", True,
               "Yes: money, skills, staff or coordination are missing to carry out plans that "
               "exist."),
            _o("Funding gaps", False,
               "Missing money is part of an implementation gap, not a kind of its own."),
            _o("Technology gaps", False,
               "Not one of the three kinds. Ask whether data, a policy or the means to carry "
               "out a plan are missing."),
        ], multiple=True),
        _q("weakest_part", "In a colleague's gap analysis, one EGDI component of the country "
           "is far below the mean of its peers. What should the colleague do with this "
           "finding?", [
            _o("Say what kind of gap it is, then rank candidate target areas in the matrix",
               True,
               "Right: a gap shows where the problem is. The matrix helps you decide what to "
               "do first."),
            _o("Make that component the target area at once, with no further comparison",
               False, "A gap tells you where the problem is, not yet what to do first. Rank "
               "candidate areas with weighted criteria."),
            _o("Set it aside: only the overall EGDI matters when choosing a target area", False,
               "The overall EGDI hides where the country lags. The components show it."),
            _o("Work on the Online Service Index instead, since the other parts cannot move",
               False, "Any component where the country is below its peers can be worked on, "
               "not only the OSI."),
        ]),
        _q("weights", "Your team scores candidate areas on impact, feasibility, cost, SDG "
           "alignment and urgency. Why give each criterion a weight?", [
            _o("To show openly how much each criterion counts, so the ranking can be explained",
               True, "Right: criteria do not all matter equally, and people can argue with the "
               "weights rather than with the result."),
            _o("So that the ranking cannot be questioned once the matrix is filled in", False,
               "The opposite: weights make priorities visible, so that people can discuss "
               "them."),
            _o("To give every criterion exactly the same importance, whatever the context",
               False, "Weights exist because criteria do not all matter equally."),
            _o("So that cost always decides the ranking, since money is the main limit", False,
               "No criterion must always decide. How much cost counts is your choice, stated "
               "openly."),
        ]),
    ],
    "3.2": [
        _q("high_high", "The ministry that will own your new e-service has high influence "
           "and high interest in it. Which strategy fits?", [
            _o("Manage closely", True,
               "Right: involve them fully and often. They can stop the initiative and they "
               "care about it."),
            _o("Keep informed", False, "That suits high interest but lower influence."),
            _o("Monitor", False, "That suits stakeholders with lower influence and interest."),
            _o("Keep satisfied", False,
               "That suits high influence but lower interest. This ministry cares a lot too."),
        ]),
        _q("high_low", "The Ministry of Finance has great influence over your project but "
           "little interest in it. Which strategy fits?", [
            _o("Keep satisfied", True,
               "Right: meet their needs without overloading them with detail."),
            _o("Manage closely", False,
               "That is for stakeholders with high interest as well as high influence."),
            _o("Monitor", False,
               "Their influence is too high just to watch: they sign off the budget."),
            _o("Keep informed", False,
               "That suits high interest and lower influence, the reverse of this case."),
        ]),
        _q("strategies", "Which are the four engagement strategies of the stakeholder "
           "matrix?", [
            _o("Manage closely", True, "Yes: for high influence and high interest."),
            _o("Keep satisfied", True, "Yes: for high influence and lower interest."),
            _o("Keep informed", True, "Yes: for lower influence and high interest."),
            _o("Monitor", True, "Yes: for lower influence and lower interest."),
            _o("Ignore", False,
               "Not one of the four: even stakeholders with low influence and interest are "
               "monitored, since their position can change."),
            _o("Consult", False,
               "Not one of the four strategies. Asking for views can be part of several of "
               "them."),
        ], multiple=True),
    ],
    "3.3": [
        _q("smart", "Your director asks what the 'SMART' check on KPIs stands for. What do "
           "you answer?", [
            _o("Specific, Measurable, Achievable, Relevant, Time-bound", True,
               "Right: five questions that keep a KPI honest."),
            _o("Simple, Measurable, Affordable, Reportable, Time-bound", False,
               "Three words are wrong: the course uses Specific, Achievable and Relevant."),
            _o("Strategic, Measurable, Ambitious, Results-based, Timely", False,
               "Only Measurable is right. The course uses Specific, Achievable, Relevant and "
               "Time-bound."),
            _o("Specific, Monitored, Approved, Reported, Time-bound", False,
               "Three words are wrong: the course uses Measurable, Achievable and Relevant."),
        ]),
        _q("which_smart_project", "Your project puts birth registration online in one "
           "district. Which of these is a SMART KPI for it?", [
            _o("Births registered online there: 0 a month (2025) to 600 a month by 2028",
               True, "Right: it counts what the project changes, where, with a baseline, a "
               "unit, a target and a year."),
            _o("The country's Online Service Index (OSI): from 0.45 in 2024 to 0.55 by 2028",
               False, "The OSI is national context: it is relative, rescaled in each "
               "edition, and one project does not move it alone."),
            _o("More births registered online in the district as soon as the budget allows",
               False, "No baseline, no target value, and 'as soon as the budget allows' is "
               "not a year."),
            _o("Births registered online there: 0 a month (2025) to 600 a month by 2045",
               False, "Not time-bound: a target more than 15 years away does not count."),
        ]),
        _q("pace", "Your target needs the OSI to grow by 0.04 a year. In the past ten years it "
           "grew about 0.01 a year. What does that tell you?", [
            _o("Four times the past pace: plan what will change the pace, or revise the target",
               True, "Right: the course calls a target achievable when it needs at most 1.5 "
               "times the best recent pace."),
            _o("It is fine: the pace will rise by itself once the new project has started",
               False,
               "Nothing changes the pace by itself. The plan must say what will change it, "
               "such as investment, a law or a partner."),
            _o("Nothing useful: past trends say little about what a country can reach", False,
               "Past paces, your country's own and its peers', are the course's guide to what "
               "is achievable."),
            _o("It fails the Relevant check, so the KPI must serve another SDG target", False,
               "Relevant is about the SDG target it serves. The pace is the Achievable check."),
        ]),
    ],
    # ------------------------------------------------------------------ module 4
    "4.1": [
        _q("purpose", "You meet a minister or a funding partner about your initiative. What "
           "does the implementation canvas give you?", [
            _o("The whole initiative on one page: what is settled and what still needs work",
               True, "Right: thirteen short blocks show at a glance where the gaps are."),
            _o("A detailed technical design of the IT system, for the firm that will build it",
               False, "The canvas stays at the level of the whole initiative, with a few lines "
               "per block."),
            _o("A request for funding that lists each cost and who pays for it", False,
               "Resources and funding is one block of thirteen. The canvas covers the whole "
               "initiative."),
            _o("A full project document, with a long chapter on each part of the plan", False,
               "The canvas is the opposite: one page instead of a long document that few "
               "people read to the end."),
        ]),
        _q("parts", "Which of these are blocks of the implementation canvas?", [
            _o("The SDG targets it serves", True,
               "Yes: one block says which targets the initiative will help reach."),
            _o("The stakeholders", True,
               "Yes: who has a stake or a say, and how you work with each."),
            _o("The risks", True, "Yes: what could go wrong, and what the answer is."),
            _o("The KPIs", True, "Yes: how progress will be measured."),
            _o("The ratings of the six evaluation criteria", False,
               "Evaluation comes later, in module 5. It is not a block of the canvas."),
            _o("A day-by-day timetable of every task", False,
               "Key activities lists the main steps in order, in a few lines. A daily "
               "timetable is too detailed for one page."),
        ], multiple=True),
        _q("prefill", "Why should your canvas start from your target area, stakeholders and "
           "KPIs, rather than from a blank page?", [
            _o("So that the plan builds on your earlier work instead of starting again", True,
               "Right: your target area, stakeholders and KPIs are the raw material of the "
               "plan."),
            _o("To lock those answers, so that the plan cannot drift away from them", False,
               "Nothing is locked: you can change any block, and keep it in line with your "
               "latest lists."),
            _o("Because the other blocks must repeat those answers word for word", False,
               "You complete all thirteen blocks in your own words. The earlier work is a "
               "starting point."),
            _o("Because those blocks are all a canvas needs; the other blocks are optional",
               False, "All thirteen blocks are needed. A block you cannot fill is a finding in "
               "itself."),
        ]),
    ],
    "4.2": [
        _q("dpi_reuse", "Three ministries each plan their own system to check who a person is "
           "before they give a service. What does a digital public infrastructure approach "
           "suggest?", [
            _o("One secure identity service, set in law, that every ministry can use", True,
               "Right: built once and shared, it saves each ministry the cost, and people prove "
               "who they are the same way everywhere."),
            _o("Let each ministry build its own check, so each keeps full control of its data",
               False, "Three checks cost three times, and people must prove who they are "
               "three times. A shared service can still keep each ministry's data separate."),
            _o("Wait until every ministry uses the same software, then merge the three systems",
               False, "Shared systems do not need the same software everywhere: they work "
               "with others through open standards (interoperability)."),
            _o("Buy the same system three times from one company, at a lower price for each",
               False, "The same product three times is still three systems to run, and one "
               "company for everything risks vendor lock-in."),
        ]),
        _q("names", "Two agencies exchange data, but one writes \"Côte d'Ivoire\" and the other "
           "'Ivory Coast'. Which layer is at stake?", [
            _o("Semantic", True, "Right: the same thing is named differently; a shared code "
               "(CIV) solves it."),
            _o("Technical", False, "The data arrives; the problem is what it means."),
            _o("Legal", False, "No rule is in the way; the names simply differ."),
            _o("Organisational", False,
               "The agencies may agree who does what and still name the country differently. "
               "The problem is meaning."),
        ]),
        _q("coherence", "A birth registered online touches the civil registry, health, the "
           "identity agency and local offices. What does policy coherence ask of them?", [
            _o("Their strategies, budgets and rules support each other instead of clashing",
               True, "Right: for example, no law demands a paper form that another ministry "
               "is trying to abolish."),
            _o("Each body writes its own digital strategy, with its own priorities", False,
               "That is what coherence tries to avoid. Sector plans should refer to one "
               "national digital strategy."),
            _o("They all move to one single IT system, run by one of the agencies", False,
               "Coherence is about aligned policies, not a single system."),
            _o("Each keeps its own counter, forms and records, so that its role stays clear",
               False, "That sends people from office to office. Services should be designed "
               "around people's life events."),
        ]),
    ],
    "4.3": [
        _q("why_local", "A colleague says the national e-government plan can leave out the "
           "municipalities. Why do local online services matter?", [
            _o("Local governments run many of the services people use most often", True,
               "Right: permits, market fees and business registration are often local, and "
               "local offices are closest to the people hardest to reach."),
            _o("They matter less: people use national services far more often than local ones",
               False, "The reverse: local governments run many of the services people use "
               "most often."),
            _o("Because local governments have larger budgets and more technical staff", False,
               "Usually the opposite: they often have the smallest budgets and the fewest "
               "technical staff."),
            _o("Because the EGDI is calculated mainly from what city portals offer", False,
               "City portals have their own index, the LOSI. The EGDI is built from OSI, HCI "
               "and TII."),
        ]),
        _q("portal", "You assess a municipal portal with the checklist. Which features count "
           "in its favour?", [
            _o("Contact details and opening hours", True,
               "Yes: residents need to know who is in charge and how to reach them."),
            _o("Pages that work on a mobile phone", True,
               "Yes: many people go online only by phone, often on a slow line."),
            _o("A way to report a problem or give feedback", True,
               "Yes: residents can report problems, give views and see what was done."),
            _o("A design made for office computers, with large pages and many images", False,
               "Many residents use a phone on a slow line. The checklist asks that the portal "
               "works there."),
            _o("Texts in the legal terms of the by-laws, so that they are exact", False,
               "The checklist asks for plain words, in the languages residents speak."),
        ], multiple=True),
        _q("losi", "A mayor wants to know how the UN Survey scores city portals. Which index "
           "should she look at?", [
            _o("The Local Online Service Index (LOSI)", True,
               "Right: it scores city portals in five areas, which the checklist follows."),
            _o("The E-Participation Index (EPI)", False,
               "The EPI looks at participation on national portals."),
            _o("The Telecommunications Infrastructure Index (TII)", False,
               "The TII measures networks and access, not portals."),
            _o("The Online Service Index (OSI)", False,
               "The OSI assesses the national portal. City portals have their own index, the "
               "LOSI."),
        ]),
    ],
    # ------------------------------------------------------------------ module 5
    "5.1": [
        _q("status_70", "Your KPI's planned path called for a rise of 0.10 by 2020. The real "
           "rise by 2020 is 0.07. Which status fits?", [
            _o("At risk", True,
               "Right: 70% of the planned change is between 50% and 90%. Find out why and "
               "adjust activities or resources."),
            _o("On track", False,
               "On track needs at least 90% of the planned change. A value a little below the "
               "path, such as 95%, is on track; 70% is not."),
            _o("Off track", False,
               "Off track means less than 50% of the planned change, or a fall. 70% is above "
               "that."),
        ]),
        _q("why_track", "Your KPI has a baseline in 2024 and a target for 2030. Why check it "
           "at each new figure, not only in 2030?", [
            _o("A slipping KPI is spotted while there is still time to act", True,
               "Right: the trend shows whether change is fast enough to reach the target in "
               "time."),
            _o("One check in 2030 is enough to say whether the target was met", False,
               "It says whether the target was met, but too late to act."),
            _o("Because the target should be raised each time the KPI is on track", False,
               "Tracking compares the figures with the plan. It does not ask you to raise the "
               "target."),
            _o("So that no evaluation is needed at the end of the initiative", False,
               "Tracking only follows the figures. Evaluation (5.2) asks harder questions, "
               "such as whether the money was well spent."),
        ]),
        _q("frequency", "Your KPI uses the Online Service Index, with a 2024 baseline. How "
           "often will the UN Survey give you a new figure?", [
            _o("Every two years", True,
               "Right: the next edition is in 2026. Plan your tracking around the editions."),
            _o("Every year", False,
               "Internet use is reported every year, but the Survey indices come every second "
               "year."),
            _o("Every five years", False,
               "The Survey comes every two years, so you get new figures more often than "
               "that."),
        ]),
    ],
    "5.2": [
        _q("criteria", "You plan an evaluation of your initiative. Which are the six criteria "
           "the course asks you to rate?", [
            _o("Relevance", True,
               "Yes: does it answer a real need of its users and a priority of the country?"),
            _o("Coherence", True, "Yes: does it fit with other policies, programmes and "
               "systems?"),
            _o("Effectiveness", True, "Yes: is it reaching the results it set out to reach?"),
            _o("Efficiency", True, "Yes: are money, time and staff used well?"),
            _o("Impact", True, "Yes: what lasting difference does it make to people's lives?"),
            _o("Sustainability", True, "Yes: will the benefits last when the project money "
               "ends?"),
            _o("Popularity", False,
               "Not a criterion: being liked is not the same as being useful."),
            _o("Compliance", False,
               "Checking that rules and budget were respected is the job of an audit. It is "
               "not one of the six criteria."),
        ], multiple=True),
        _q("efficiency", "An evaluator of your e-service asks several questions. Which one is "
           "about efficiency?", [
            _o("Were money, time and staff used well for what was delivered?", True,
               "Right: efficiency compares what was used with what was delivered."),
            _o("Will the benefits last when the project money ends?", False,
               "That asks about sustainability: whether the benefits last."),
            _o("Is the initiative reaching the results it set out to reach?", False,
               "That asks about effectiveness: whether the results are reached."),
            _o("Were the rules and the budget respected when money was spent?", False,
               "That is compliance, which an audit checks. Efficiency asks whether resources "
               "were used well."),
        ]),
        _q("group", "Your country's EGDI rose by 0.10 between two editions; the LDC average "
           "rose by 0.12. What can you say?", [
            _o("It improved, but a little less than its group did", True,
               "Right: progress, but not ahead of its peers. The group comparison shows "
               "this."),
            _o("It did better than its group, since its own EGDI rose", False,
               "Its rise of 0.10 is less than the group's 0.12. Compare with the group, not "
               "with zero."),
            _o("Your initiative worked: the rise of 0.10 is its effect", False,
               "A national index moves for many reasons. The comparison gives context; it "
               "does not prove the effect of one initiative."),
            _o("Nothing: changes between two editions can never be compared", False,
               "They can, with care. Indices are rescaled in each edition, so compare with a "
               "group over the same years."),
        ]),
    ],
    # ------------------------------------------------------------------ module 6
    "6.1": [
        _q("countries", "Which two countries were the focus of the UN project behind the "
           "toolkit?", [
            _o("Bangladesh and Ethiopia", True,
               "Right: both are LDCs, and you follow their paths in this submodule."),
            _o("Bangladesh and Nepal", False,
               "Bangladesh is right, but the second country was Ethiopia."),
            _o("Ethiopia and the Republic of Korea", False,
               "Ethiopia is right. The Republic of Korea is the leading country shown for "
               "contrast."),
            _o("Haiti and Nepal", False,
               "Not these: the project worked with Bangladesh and Ethiopia."),
        ]),
        _q("lessons", "Your minister admires the online services of a leading country and "
           "wants the same system at home. What is the best way to use that case?", [
            _o("Ask what worked and why, then check that those conditions exist at home", True,
               "Right: funding, connectivity, skills and political support behind a success "
               "must exist in your country too."),
            _o("Copy the system as it is, since it has already proved itself", False,
               "Copying a system as it is rarely works. The conditions behind its success may "
               "be missing at home."),
            _o("Set the case aside: lessons from developed countries do not apply to LDCs",
               False, "Cases from developed countries still teach, above all about pitfalls "
               "to avoid."),
            _o("Judge it by its EGDI rank: a top rank shows the system will work anywhere",
               False, "A rank says where a country stands, not why, or whether it would work "
               "in your conditions."),
        ]),
        _q("trajectory", "A country's EGDI rose steadily over several editions. What is a good "
           "next question to ask?", [
            _o("Which of the three components rose most, and what drove them?", True,
               "Right: the components show which part moved. Then ask what drove it: that is "
               "where the lesson lies."),
            _o("None: a steady rise proves that its policies worked", False,
               "The trend shows what changed, not why. Ask which parts moved and what drove "
               "them."),
            _o("Which single edition shows the highest EGDI, to quote in a report?", False,
               "Compare editions rather than single years. One edition hides the path."),
            _o("Did its rank also rise? If it did, no other question is needed", False,
               "Level and rank together are useful, but neither says why the country moved."),
        ]),
    ],
    "6.2": [
        _q("together", "Your stakeholder matrix is finished on your laptop. What does the "
           "course suggest you do with it back at work?", [
            _o("Fill it in again with the people it names, so they own the project too", True,
               "Right: a plan that stays on a laptop rarely changes anything. Working on it "
               "together builds ownership."),
            _o("Keep it to yourself, since some stakeholders may not like their ratings", False,
               "A plan that stays on a laptop rarely changes anything. Working on it with them "
               "makes the project theirs too."),
            _o("Email it to every stakeholder as the final version, for their records", False,
               "A final version sent by email does not make people own the project. Filling "
               "it in together does."),
            _o("Print it for the ministry's files, as the record of your training", False,
               "A printed record that nobody uses changes little. Use it in a meeting with "
               "the people it names."),
        ]),
        _q("blank", "When is a blank template of a course exercise most useful?", [
            _o("When your team fills in an exercise together, on paper, without computers",
               True, "Right: blank templates suit a workshop room without computers or a team "
               "meeting at your ministry."),
            _o("Only in a formal workshop run by an instructor, with all its participants",
               False,
               "Any team can use them, for example in a meeting at your ministry."),
            _o("When you hand in your work to the instructor for marking at the end", False,
               "Blank templates are for you and your team to use at work, not for marking."),
            _o("When you show a minister the finished plan of your initiative, on paper",
               False,
               "A finished plan is your filled template or dossier. A blank one has empty "
               "fields for others to fill."),
        ]),
        _q("offline_figures", "Next week you will fill in a blank canvas with district staff, "
           "in a room with no computers and no internet. What should you bring?", [
            _o("The blank canvas and your country's figures, each with its year and source",
               True, "Right: with the figures on paper, the team starts from facts, and the "
               "year and source let each figure serve as a baseline."),
            _o("The blank canvas only: figures can be looked up once the team agrees a plan",
               False, "Without figures the talk rests on guesses, and the room has no internet "
               "to look them up."),
            _o("Your own canvas, already filled in, so that the staff only read and sign it",
               False, "A canvas filled in advance leaves the team little to own. Bring a blank "
               "one, with the figures."),
            _o("The latest figures without their year: in a meeting the year does not matter",
               False, "A figure without its year cannot serve as a baseline, and nobody can "
               "check it. Write the year and the source."),
        ]),
    ],
    "6.3": [
        _q("revisit", "Back at work, you must set measurable targets for your initiative, and "
           "you feel unsure. Which module should you revisit?", [
            _o("Module 3, Planning & analysis", True,
               "Right: module 3 covers your target area, stakeholders and SMART indicators "
               "(KPIs)."),
            _o("Module 5, Monitoring & review", False,
               "Module 5 tracks KPIs once they exist. You set them in module 3."),
            _o("Module 4, Design & implementation", False,
               "Module 4 puts the KPIs on the canvas, but you set them in module 3."),
            _o("Module 2, Fundamentals", False,
               "Module 2 gives the background: SDGs, service maturity, the Survey, data and "
               "e-participation. Targets are set in module 3."),
        ]),
        _q("not_yet", "You rate yourself 'not yet' on interoperability, and your initiative "
           "must link the systems of two agencies. What should you do before the work "
           "starts?", [
            _o("Revisit 4.2, and ask for help, training or a partner with that skill", True,
               "Right: an honest 'not yet' tells you where to get help before you start."),
            _o("Start anyway: the skill will come while the systems are being built", False,
               "The checklist is there to find such gaps before you start, while help can "
               "still be arranged."),
            _o("Change the rating to 'yes', so that the plan looks ready to your managers",
               False, "An honest rating helps you more: it shows where to ask for help."),
            _o("Drop the link between the two agencies, so that the gap no longer matters",
               False, "The link is what makes the initiative work. Close the gap instead, with "
               "help, training or a partner."),
        ]),
        _q("first_people", "Your case is ready and you are back at your ministry. Who should "
           "you involve first?", [
            _o("The stakeholders you would manage closely, as named in your matrix", True,
               "Right: they have high influence and high interest, so the initiative needs "
               "them from the start."),
            _o("Nobody yet: finish the whole plan alone, then present it when it is complete",
               False, "A plan made alone is owned by nobody else. Those with high influence "
               "and interest should be involved early."),
            _o("Only the IT unit, since it will build and run the system", False,
               "The IT unit matters, but the stakeholders with high influence and interest "
               "decide whether the initiative moves."),
            _o("The public, through an online poll, before any agency is asked", False,
               "People's views matter, but the bodies that can stop or speed up the "
               "initiative come first."),
        ]),
    ],
})

__all__ = ["QUIZZES", "SUBMODULES"]
