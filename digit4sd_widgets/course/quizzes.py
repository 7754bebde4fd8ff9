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

SUBMODULES: tuple[str, ...] = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5",
                               "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "5.1", "5.2",
                               "6.1", "6.2", "6.3")


def _o(text: str, correct: bool, feedback: str) -> dict[str, Any]:
    return {"text": text, "correct": correct, "feedback": feedback}


def _q(qid: str, prompt: str, options: list[dict[str, Any]], multiple: bool = False
       ) -> dict[str, Any]:
    return {"id": qid, "prompt": prompt, "options": options, "multiple": multiple}


QUIZZES: dict[str, list[dict[str, Any]]] = {
    # ------------------------------------------------------------------ module 1
    "1.1": [
        _q("groups", "Which three groups of countries is the toolkit written for?", [
            _o("Least developed countries (LDCs), small island developing States (SIDS) and "
               "landlocked developing countries (LLDCs)", True,
               "Right: these are the countries in special situations the toolkit serves."),
            _o("The G20, the OECD and the BRICS", False,
               "These are clubs of large economies; the toolkit is for countries in special "
               "situations."),
            _o("Low-income countries in Africa only", False,
               "The three groups reach across Asia, the Pacific, the Caribbean, Africa and "
               "beyond."),
        ]),
        _q("barriers", "Which of these often hold back digital government in these countries? "
           "Pick all that apply.", [
            _o("Internet access costs a lot", True,
               "Yes: expensive access keeps many people offline."),
            _o("Telecom networks are weak, above all in rural areas", True,
               "Yes: infrastructure gaps are widest outside the cities."),
            _o("Laws and regulations for digital services are missing or out of date", True,
               "Yes: without a legal framework, e-services and e-signatures are hard to trust."),
            _o("There is too much online content in local languages", False,
               "It is the other way round: too little local-language content keeps people "
               "away."),
        ], multiple=True),
        _q("lldc", "Why do landlocked developing countries often pay more for international "
           "connectivity?", [
            _o("They reach the undersea fibre cables through their neighbours' networks", True,
               "Right: transit through other countries adds cost and dependence."),
            _o("Satellites cannot cover them", False,
               "Satellites can; the issue is the cost of reaching submarine cables over land."),
            _o("They are not allowed to build networks of their own", False,
               "Nothing forbids it; geography and cost are the problem."),
        ]),
    ],
    "1.2": [
        _q("aim", "What is the main aim of the DIGIT4SD toolkit?", [
            _o("To build the capacity to plan, carry out and evaluate digital government "
               "initiatives that support the SDGs", True,
               "Right: it is about capacity, for people and for institutions."),
            _o("To rank countries on e-government", False,
               "Ranking is what the UN E-Government Survey does; the toolkit builds on it."),
            _o("To supply governments with ready-made software", False,
               "The toolkit offers methods, data and cases, not software products."),
        ]),
        _q("conditions", "Digital government pays off when three conditions come together. "
           "Which are they? Pick all that apply.", [
            _o("People with the literacy and skills to use it", True,
               "Yes: skills are one of the three conditions."),
            _o("Useful online presence and services", True,
               "Yes: there must be something worth using online."),
            _o("Access to ICT, especially broadband internet", True,
               "Yes: without access, nothing else reaches people."),
            _o("A very large national ICT budget", False,
               "Money helps, but the three conditions are skills, services and access."),
        ], multiple=True),
        _q("evidence", "What does 'evidence-based' mean in this course?", [
            _o("Choices rest on data, such as the UN E-Government Survey and sector statistics",
               True, "Right: you will work with the real survey figures throughout."),
            _o("Doing what the biggest countries did", False,
               "Their context may differ from yours; evidence means checking the data."),
            _o("Asking one expert and following the advice", False,
               "Advice is welcome, but it should be checked against data."),
        ]),
    ],
    "1.3": [
        _q("core", "Which modules are the core of the toolkit? Pick all that apply.", [
            _o("Planning & Analysis (module 3)", True, "Yes: a core module."),
            _o("Design & Implementation (module 4)", True, "Yes: a core module."),
            _o("Monitoring & Review (module 5)", True, "Yes: a core module."),
            _o("Getting Started (module 1)", False,
               "Module 1 is the introduction, not one of the three core modules."),
            _o("Moving Forward (module 6)", False,
               "Module 6 closes the course with cases, templates and a checklist."),
        ], multiple=True),
        _q("stakeholders", "In which module do you build a stakeholder matrix?", [
            _o("Module 3, Planning & Analysis", True,
               "Right: stakeholders are mapped while planning, before implementation."),
            _o("Module 5, Monitoring & Review", False,
               "By then the partners should already be known: it comes in module 3."),
            _o("Module 1, Getting Started", False,
               "Module 1 is the introduction; the matrix comes in module 3."),
        ]),
        _q("path", "Do you have to take every module, in order?", [
            _o("No: you may take all modules or only those that matter for your work", True,
               "Right: the self-assessment in this submodule suggests a path."),
            _o("Yes: each module unlocks the next one", False,
               "Nothing is locked; choose the modules you need."),
            _o("Only module 1 may be skipped", False,
               "Any module may be skipped, though module 1 is a good start."),
        ]),
    ],
    # ------------------------------------------------------------------ module 2
    "2.1": [
        _q("count", "How many Sustainable Development Goals are there?", [
            _o("17", True, "Right: 17 goals, with 169 targets between them."),
            _o("8", False, "Eight was the number of the earlier Millennium Development Goals."),
            _o("169", False, "169 is the number of targets, not goals."),
        ]),
        _q("birth", "Online birth registration serves which SDG target most directly?", [
            _o("16.9: legal identity for all, including birth registration", True,
               "Right: registering every birth is the first step to a legal identity."),
            _o("9.c: affordable access to the internet", False,
               "A registration service needs access, but its purpose is legal identity."),
            _o("4.4: skills for work, including ICT skills", False,
               "That target is about skills, not civil registration."),
        ]),
        _q("digital_targets", "Which targets does digital government serve most directly? "
           "Pick all that apply.", [
            _o("16.6: effective, accountable and transparent institutions", True,
               "Yes: better public services and open data support it."),
            _o("16.10: public access to information", True,
               "Yes: open portals put public information within reach."),
            _o("17.8: use of enabling technology, especially ICT", True,
               "Yes: its indicator is the share of people using the internet."),
            _o("14.1: less marine pollution", False,
               "An important target, but digital government is not its main lever."),
        ], multiple=True),
    ],
    "2.2": [
        _q("transactional", "People can pay a fee or file a form fully online, from start to "
           "end. Which stage of online service maturity is that?", [
            _o("Transactional", True, "Right: two-way transactions happen online."),
            _o("Emerging", False,
               "Emerging is the first stage: basic information only, such as addresses."),
            _o("Connected", False,
               "Connected goes further: agencies share data and act as one government."),
        ]),
        _q("once_only", "What does the 'once-only' principle mean?", [
            _o("People and businesses give the same information to government only once; "
               "agencies reuse it, with safeguards", True,
               "Right: it saves people time and needs agencies to share data safely."),
            _o("Each service may be used only once a year", False,
               "It is about information, not how often a service is used."),
            _o("Every citizen may visit an office only once", False,
               "It is about not asking twice for the same data."),
        ]),
        _q("by_default", "Which statements are true? Pick all that apply.", [
            _o("Digital by default means online is the first choice, while other channels "
               "remain for people who cannot go online", True,
               "Yes: inclusion means nobody is left without a way in."),
            _o("Digital by default means closing counters and paper forms at once", False,
               "That would shut out people without access or skills."),
            _o("Privacy and security should be built in from the start", True,
               "Yes: trust is hard to add afterwards."),
        ], multiple=True),
    ],
    "2.3": [
        _q("formula", "How is the E-Government Development Index (EGDI) calculated?", [
            _o("As the equal-weight average of three indices: online services (OSI), human "
               "capital (HCI) and telecom infrastructure (TII)", True,
               "Right: each component counts for one third."),
            _o("As the number of internet users per 100 people", False,
               "Internet use feeds into the TII, but the EGDI combines three indices."),
            _o("As a weighted mix in which online services count double", False,
               "The three components have equal weight."),
        ]),
        _q("levels", "A country has an EGDI of 0.62. Which level is it in?", [
            _o("High", True, "Right: high runs from 0.50 to 0.75."),
            _o("Very high", False, "Very high starts at 0.75."),
            _o("Middle", False, "Middle runs from 0.25 to 0.50."),
        ]),
        _q("components", "Which of these are components of the EGDI? Pick all that apply.", [
            _o("Online Service Index (OSI)", True, "Yes."),
            _o("Human Capital Index (HCI)", True, "Yes."),
            _o("Telecommunications Infrastructure Index (TII)", True, "Yes."),
            _o("E-Participation Index (EPI)", False,
               "The EPI is published with the survey, but it is not part of the EGDI."),
        ], multiple=True),
    ],
    "2.4": [
        _q("checks", "You combine survey files from several years. What should you check "
           "for? Pick all that apply.", [
            _o("Missing values", True, "Yes: some countries have no figures in some years."),
            _o("Country names spelled differently from year to year", True,
               "Yes: names change, so match on codes instead."),
            _o("Ranks shared by two countries", True,
               "Yes: ties happen and should not be counted as errors blindly."),
            _o("Whether the file is in English", False,
               "Language is not a data-quality problem here."),
        ], multiple=True),
        _q("join", "What is the safest way to join country data from two sources?", [
            _o("On ISO 3166 three-letter codes such as BGD", True,
               "Right: codes stay the same when names are written differently."),
            _o("On country names", False,
               "Names differ between sources, for example 'Turkey' and 'Türkiye'."),
            _o("On the order of the rows", False,
               "Row order changes from file to file; it is not a key."),
        ]),
        _q("open_data", "What makes data 'open'?", [
            _o("Anyone may use, reuse and share it, in a machine-readable format under an "
               "open licence", True, "Right."),
            _o("It is published as a scanned document", False,
               "A scan cannot be read by machines, so it is hard to reuse."),
            _o("It is free for government staff only", False,
               "Open data is open to everyone, not only insiders."),
        ]),
    ],
    "2.5": [
        _q("levels", "What are the three levels of e-participation in the UN Survey, from "
           "least to most engagement?", [
            _o("e-information, e-consultation, e-decision-making", True, "Right."),
            _o("e-mail, e-forms, e-payment", False, "These are channels, not levels."),
            _o("emerging, enhanced, transactional", False,
               "Those are stages of online service maturity."),
        ]),
        _q("draft_law", "A ministry puts a draft law online and asks the public to comment. "
           "Which level is that?", [
            _o("e-consultation", True, "Right: people are asked for their views."),
            _o("e-information", False,
               "It goes further than sharing information: it asks for input."),
            _o("e-decision-making", False,
               "That would mean people take part in deciding, and see how their input is "
               "used."),
        ]),
        _q("epi", "Is the E-Participation Index (EPI) part of the EGDI?", [
            _o("No: it is a separate index published alongside the EGDI", True, "Right."),
            _o("Yes: it is a fourth component with equal weight", False,
               "The EGDI has three components: OSI, HCI and TII."),
            _o("It replaced the TII in recent editions", False,
               "The TII is still one of the three components."),
        ]),
    ],
    # ------------------------------------------------------------------ module 3
    "3.1": [
        _q("gaps", "Which kinds of gap do you look for when choosing a target area? Pick all "
           "that apply.", [
            _o("Data gaps", True, "Yes: what you cannot measure you cannot manage."),
            _o("Policy gaps", True, "Yes: missing or conflicting rules."),
            _o("Implementation gaps", True,
               "Yes: plans that exist on paper but not in practice."),
            _o("Gaps in the minister's press coverage", False,
               "Not one of the three: look at data, policy and implementation."),
        ], multiple=True),
        _q("weakest", "Your country's weakest EGDI component against its peers is human "
           "capital (HCI). What does that suggest?", [
            _o("Skills may hold back digital services, so your plan could include digital "
               "literacy", True, "Right: services need people able to use them."),
            _o("Build more online services first; skills will follow", False,
               "Services that people cannot use do not close the gap."),
            _o("Nothing: EGDI components do not matter for planning", False,
               "They show where the country lags, which is useful for planning."),
        ]),
        _q("weights", "Why give weights to criteria such as impact, feasibility and cost in "
           "a prioritisation matrix?", [
            _o("They do not all matter equally; weights make that explicit and the ranking "
               "transparent", True, "Right."),
            _o("To make sure the favourite project wins", False,
               "Weights should reflect priorities, not a result chosen in advance."),
            _o("The UN Survey requires them", False, "The survey has nothing to do with it."),
        ]),
    ],
    "3.2": [
        _q("high_high", "A stakeholder has high influence and high interest. Which strategy "
           "fits?", [
            _o("Manage closely", True, "Right: involve them fully and often."),
            _o("Keep informed", False, "That suits high interest but lower influence."),
            _o("Monitor", False, "That suits stakeholders with low influence and interest."),
        ]),
        _q("high_low", "The Ministry of Finance has great influence over your project but "
           "little interest in it. Which strategy fits?", [
            _o("Keep satisfied", True, "Right: meet their needs without overloading them."),
            _o("Manage closely", False, "That is for stakeholders with high interest too."),
            _o("Monitor", False, "Their influence is too high just to watch."),
        ]),
        _q("strategies", "Which are the four engagement strategies of the matrix? Pick all "
           "that apply.", [
            _o("Manage closely", True, "Yes."),
            _o("Keep satisfied", True, "Yes."),
            _o("Keep informed", True, "Yes."),
            _o("Monitor", True, "Yes."),
            _o("Ignore", False,
               "Even low-priority stakeholders are monitored: their position can change."),
        ], multiple=True),
    ],
    "3.3": [
        _q("smart", "What does SMART stand for?", [
            _o("Specific, Measurable, Achievable, Relevant, Time-bound", True, "Right."),
            _o("Simple, Modern, Automated, Reliable, Technical", False,
               "These words do not describe a good indicator."),
            _o("Strategic, Managed, Approved, Reported, Tracked", False, "Not quite."),
        ]),
        _q("which_smart", "Which of these KPIs is SMART?", [
            _o("Raise the Online Service Index from 0.45 (2024) to 0.55 by 2030", True,
               "Right: baseline, target, measure and deadline are all there."),
            _o("Improve online services", False, "No measure, no target, no deadline."),
            _o("Become a world leader in e-government soon", False,
               "Neither measurable nor time-bound, and hardly achievable."),
        ]),
        _q("pace", "Your target needs the OSI to grow by 0.04 a year; in the past ten years it "
           "grew about 0.01 a year. What does that tell you?", [
            _o("The target is ambitious against your own trend: check it is achievable or "
               "plan what will change the pace", True, "Right."),
            _o("The target is easy", False, "It needs four times the usual pace."),
            _o("Past trends tell you nothing", False,
               "They are the best guide to what is realistic."),
        ]),
    ],
    # ------------------------------------------------------------------ module 4
    "4.1": [
        _q("purpose", "What is the implementation canvas for?", [
            _o("A one-page snapshot of the initiative: what is in place and what still needs "
               "attention", True, "Right."),
            _o("A detailed technical design of the IT system", False,
               "It stays at the level of the whole initiative."),
            _o("A budget request form", False,
               "Resources are one part of it, but it covers much more."),
        ]),
        _q("parts", "Which of these belong on the canvas? Pick all that apply.", [
            _o("The SDG target it serves", True, "Yes."),
            _o("The stakeholders", True, "Yes."),
            _o("The risks", True, "Yes."),
            _o("The KPIs", True, "Yes."),
            _o("The full source code of the system", False,
               "Far too detailed for a one-page snapshot."),
        ], multiple=True),
        _q("prefill", "Why does the canvas start from your earlier work?", [
            _o("Your target area, stakeholders and KPIs are the raw material of the plan; the "
               "canvas brings them together", True, "Right."),
            _o("So that you cannot change them any more", False,
               "You can change anything on the canvas."),
            _o("Because the canvas is marked automatically", False,
               "It is a planning tool, not a test."),
        ]),
    ],
    "4.2": [
        _q("layers", "Which are layers of interoperability? Pick all that apply.", [
            _o("Legal", True, "Yes: the rules must allow data to be shared."),
            _o("Organisational", True, "Yes: agencies must agree who does what."),
            _o("Semantic", True, "Yes: data must mean the same thing on both sides."),
            _o("Technical", True, "Yes: systems must be able to connect."),
            _o("Financial", False, "Not one of the four layers."),
        ], multiple=True),
        _q("names", "Two agencies exchange data, but one writes \"Côte d'Ivoire\" and the other "
           "'Ivory Coast'. Which layer is at stake?", [
            _o("Semantic", True, "Right: the same thing is named differently; a shared code "
               "(CIV) solves it."),
            _o("Technical", False, "The data arrives; the problem is what it means."),
            _o("Legal", False, "No rule is in the way; the names simply differ."),
        ]),
        _q("coherence", "What does policy coherence mean for digital government?", [
            _o("Policies across sectors and levels of government pull in the same direction",
               True, "Right: for example e-health and data protection rules that fit."),
            _o("Each ministry writes its own digital strategy on its own", False,
               "That is what coherence tries to avoid."),
            _o("One IT system for the whole government", False,
               "Coherence is about aligned policies, not a single system."),
        ]),
    ],
    "4.3": [
        _q("why_local", "Why do local online services matter?", [
            _o("Local government runs many services people use most, such as permits and "
               "local taxes", True, "Right."),
            _o("They do not: only national services count", False,
               "Many daily services are local."),
            _o("Only national governments may offer online services", False,
               "Cities and districts offer them too."),
        ]),
        _q("portal", "Which features should a good municipal portal have? Pick all that "
           "apply.", [
            _o("Contact details and opening hours", True, "Yes: the basics."),
            _o("Pages that work on a mobile phone", True,
               "Yes: many people go online only by phone."),
            _o("A way to report a problem or give feedback", True, "Yes."),
            _o("Content in a foreign language only", False,
               "People need content in the languages they speak."),
        ], multiple=True),
        _q("losi", "Which UN Survey index looks at city portals?", [
            _o("The Local Online Service Index (LOSI)", True, "Right."),
            _o("The E-Participation Index (EPI)", False,
               "The EPI looks at participation on national portals."),
            _o("The Telecommunications Infrastructure Index (TII)", False,
               "The TII measures networks and access."),
        ]),
    ],
    # ------------------------------------------------------------------ module 5
    "5.1": [
        _q("status", "Your KPI's latest value is a little below the straight path from its "
           "baseline to its target. Which status fits best?", [
            _o("At risk", True, "Right: close, but it needs attention."),
            _o("On track", False, "On track means at or above the path."),
            _o("Off-track", False, "Off-track is for values far below the path."),
        ]),
        _q("why_track", "Why follow a KPI over several survey editions rather than once?", [
            _o("A trend shows whether change is fast enough to reach the target in time", True,
               "Right."),
            _o("One measurement at the end is enough", False,
               "By then it is too late to change course."),
            _o("Because values never change", False, "They do: that is why you track them."),
        ]),
        _q("frequency", "How often is the UN E-Government Survey published?", [
            _o("Every two years", True, "Right: plan your tracking around the editions."),
            _o("Every year", False, "It comes every second year."),
            _o("Every five years", False, "It comes every second year."),
        ]),
    ],
    "5.2": [
        _q("criteria", "Which are the six evaluation criteria of the course? Pick all that "
           "apply.", [
            _o("Relevance", True, "Yes."),
            _o("Coherence", True, "Yes."),
            _o("Effectiveness", True, "Yes."),
            _o("Efficiency", True, "Yes."),
            _o("Impact", True, "Yes."),
            _o("Sustainability", True, "Yes."),
            _o("Popularity", False, "Not a criterion: liked is not the same as useful."),
        ], multiple=True),
        _q("efficiency", "Which question is about efficiency?", [
            _o("Were money, time and staff used well to get the results?", True, "Right."),
            _o("Will the benefits last after funding ends?", False,
               "That is sustainability."),
            _o("Did the initiative reach its objectives?", False, "That is effectiveness."),
        ]),
        _q("group", "Your country's EGDI rose by 0.10 between two editions; the LDC average "
           "rose by 0.12. What can you say?", [
            _o("Your country improved, but a little less than its group", True,
               "Right: progress, yet not ahead of its peers."),
            _o("Your country did better than its group", False, "0.10 is less than 0.12."),
            _o("Your country fell back", False, "Its EGDI rose; it only rose less."),
        ]),
    ],
    # ------------------------------------------------------------------ module 6
    "6.1": [
        _q("countries", "Which two countries were the focus of the UN project behind the "
           "toolkit?", [
            _o("Bangladesh and Ethiopia", True, "Right."),
            _o("Nepal and Fiji", False, "Not these: the project worked in Bangladesh and "
               "Ethiopia."),
            _o("Rwanda and Bhutan", False, "Not these: the project worked in Bangladesh and "
               "Ethiopia."),
        ]),
        _q("lessons", "What is the best way to use a case study from another country?", [
            _o("Find what worked and why, then check that those conditions hold in your "
               "country", True, "Right."),
            _o("Copy its system exactly", False, "Context matters: check before copying."),
            _o("Ignore cases from developed countries", False,
               "They can still teach lessons, and pitfalls to avoid."),
        ]),
        _q("trajectory", "A country's EGDI rose steadily over several editions. What is a "
           "good next question?", [
            _o("Which components rose most, and what drove them?", True,
               "Right: that is where the lesson lies."),
            _o("None: the trend says it all", False, "The trend shows what, not why."),
            _o("Which edition had the nicest cover?", False, "Not a useful question."),
        ]),
    ],
    "6.2": [
        _q("dossier", "What is your dossier?", [
            _o("All your exercises, such as case, stakeholders, KPIs and canvas, in one "
               "printable document", True, "Right."),
            _o("A certificate of attendance", False, "It is your own work, not a certificate."),
            _o("The UN Survey report", False, "It is your own work, not the survey."),
        ]),
        _q("blank", "When is a blank template useful?", [
            _o("To run the same exercise with colleagues at work, on paper or in a meeting",
               True, "Right."),
            _o("Never", False, "Blank templates travel well, even without a computer."),
            _o("Only for the instructor's marking", False, "They are for you to use."),
        ]),
        _q("saved", "Your laptop battery dies in the middle of an exercise. What happens to "
           "your answers?", [
            _o("Accepted answers were saved in your workbook as you went; you continue where "
               "you stopped", True, "Right."),
            _o("Everything is lost", False, "Each accepted change is saved at once."),
            _o("You had to email them to the instructor first", False,
               "No need: your workbook keeps them."),
        ]),
    ],
    "6.3": [
        _q("purpose", "What is the readiness checklist for?", [
            _o("To check yourself against the learning objectives and see what to revisit",
               True, "Right."),
            _o("It is an exam that decides your certificate", False,
               "It is a self-check, for you."),
            _o("To rank participants", False, "Nobody is ranked."),
        ]),
        _q("partly", "You rate an item 'partly'. What is a good next step?", [
            _o("Revisit the submodules linked to it", True, "Right: the checklist lists them."),
            _o("Change the rating to 'yes' anyway", False,
               "An honest rating helps you more."),
            _o("Nothing", False, "A short revisit can close the gap."),
        ]),
        _q("feedback", "Why are participants asked for feedback on the toolkit?", [
            _o("To improve the toolkit for the next users", True, "Right."),
            _o("To give participants a grade", False, "Feedback is not graded."),
            _o("To choose the next host country", False, "It is about the toolkit itself."),
        ]),
    ],
}

__all__ = ["QUIZZES", "SUBMODULES"]
