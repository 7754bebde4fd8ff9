"""Topics an official expects, each where it belongs in the course: a short text, an example
from a real case, and where the learner applies it to their own case.

Every example names its sources (keys of ``SOURCES``, which holds the case studies' sources
and a few more). Written in the course's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cases import SOURCES as CASE_SOURCES
from .cases import Source
from .localise import Localised


@dataclass(frozen=True)
class Topic(Localised, translate=("title", "text", "examples", "own_case"),
            context="topic:{id}"):
    id: str
    submodule: str
    title: str
    text: tuple[str, ...]  # short paragraphs
    examples: tuple[tuple[str, tuple[str, ...]], ...]  # (text, source keys)
    own_case: str  # where the learner applies it to their own case


SOURCES: dict[str, Source] = {
    **CASE_SOURCES,
    "fj-etc-talk": Source("Fiji: Tropical Cyclone Winston (discussion page)",
                          "Emergency Telecommunications Cluster", "2016",
                          "https://www.etcluster.org/discussions/fiji-tropical-cyclone-winston"),
    "seed-workshop": Source("Workshop on the Digital Government Implementation Toolkit for "
                            "Sustainable Development: aide-memoire", "UN DESA", "2019"),
    "un-dpoa": Source("Doha Programme of Action", "United Nations (LDC5 conference)",
                      "2022", "https://www.un.org/ldc5/doha-programme-of-action"),
    "desa-sids4": Source("Small islands ready for global spotlight and accelerated action at "
                         "Antigua and Barbuda conference", "UN DESA Voice", "2024",
                         "https://desapublications.un.org/un-desa-voice/feature/may-2024/"),
    "iisd-abas": Source("SIDS4 outcome outlines actions to achieve SIDS priorities by 2034",
                        "IISD SDG Knowledge Hub", "2024",
                        "https://sdg.iisd.org/news/sids4-outcome-outlines-actions-to-achieve-"
                        "sids-priorities-by-2034"),
    "lldc3-awaza": Source("Third UN Conference on Landlocked Developing Countries concludes in "
                          "Awaza with new decade-long action plan", "Pune Media", "2025",
                          "https://pune.media/third-un-conference-on-landlocked-developing-"
                          "countries-concludes-in-awaza-with-new-decade-long-action-plan"),
    "rw-dp-law": Source("The significance of Rwanda's personal data protection and privacy "
                        "law", "National Cyber Security Authority, Rwanda", "2021",
                        "https://cyber.gov.rw/updates/article/the-significance-of-rwandas-"
                        "personal-data-protection-and-privacy-law-1/"),
    "rw-dp-newtimes": Source("Why personal data protection law was necessary in Rwanda",
                             "The New Times", "2021", "http://newtimes.co.rw/article/190964/"),
    "csis-dpi": Source("Unpacking the concept of digital public infrastructure and its "
                       "importance for global development", "Center for Strategic and "
                       "International Studies (CSIS)", "2023",
                       "https://www.csis.org/analysis/unpacking-concept-digital-public-"
                       "infrastructure-and-its-importance-global-development"),
    "et-telebirr": Source("Ethiopia: M-Pesa approved for operations in the local market",
                          "Ecofin Agency", "2023", "https://www.ecofinagency.com/telecom/"),
    "gds-principles": Source("Government design principles", "Government Digital Service, "
                             "United Kingdom", "no date", "https://www.gov.uk/design-principles"),
    "kr-chung": Source("Why and how Korea transformed to a global e-government leader "
                       "(Chung)", "Kyungsung University", "2015"),
    "kr-pps": Source("KONEPS: the e-Government Special Committee", "Public Procurement "
                     "Service, Republic of Korea", "no date", "https://pps.go.kr/eng/"),
}


TOPICS: dict[str, Topic] = {
    "groups": Topic(
        "groups", "1.1", "Each group's own barriers, and its programme of action",
        (
            "The three groups share the five barriers above, but each group has its own.",
            "Least developed countries often have weak institutions and little public "
            "money. Some face political crises or conflict. Their programme of action for "
            "2022-2031 is the Doha Programme of Action; one of its six focus areas is "
            "science, technology and innovation.",
            "Small island developing States are small and far from markets, with people "
            "spread over many islands, and they are very exposed to storms and the rising "
            "sea. Their programme for the next ten years is the Antigua and Barbuda Agenda "
            "for SIDS (ABAS), adopted in May 2024. It follows the SAMOA Pathway of 2014.",
            "Landlocked developing countries have no coast. They often reach the undersea "
            "internet cables through their neighbours' networks, so a cable cut or high prices "
            "in a neighbouring country affect them too. Their programme for 2024-2034 is the "
            "Awaza Programme of Action; transit, transport and connectivity is one of its "
            "priorities.",
            "A programme of action matters for your plan: your government agreed to it at the "
            "UN, and partners often refer to it.",
        ),
        (
            ("The LDCs' programme of action was adopted on 17 March 2022 and endorsed by "
             "the UN General Assembly on 1 April 2022.", ("un-dpoa",)),
            ("The Antigua and Barbuda Agenda was adopted at the fourth conference on SIDS "
             "(27-30 May 2024). It names small size, remoteness, dispersed populations and "
             "exposure to natural disasters as reasons SIDS are particularly vulnerable to "
             "climate change.",
             ("desa-sids4", "iisd-abas")),
            ("The third UN conference on LLDCs ended in Awaza, Turkmenistan, on 8 August "
             "2025 with the Awaza Programme of Action for 2024-2034.", ("lldc3-awaza",)),
            ("Rwanda, a landlocked country, lost bandwidth when a fibre cable in Kampala, "
             "Uganda, was damaged in 2010; its national fibre ring was built to reach the sea "
             "through two neighbours.", ("rw-balancing",)),
            ("In Fiji, ICT equipment costs more because it must be imported; Cyclone Winston "
             "affected 62% of the population in 2016.", ("fj-etc-talk", "fj-winston")),
        ),
        "For your own country: which group is it in, and which of these barriers weighs "
        "most there?",
    ),
    "privacy": Topic(
        "privacy", "2.4", "Personal data, privacy and security",
        (
            "Digital services collect personal data: names, ID numbers, places, health. "
            "UN DESA's workshop on this toolkit calls privacy and security critical.",
            "A data protection law says when data may be collected, often with the person's "
            "clear consent. It says what the data may be used for and how long it is kept. "
            "It gives people rights: to see their data, to correct it, to have it deleted. "
            "An authority checks that the rules are kept.",
            "Security is the other half: systems that are protected against attacks and "
            "errors, copies of the data, and a plan for when something fails. A service "
            "that stops loses people's trust.",
            "Plan both from the start. It costs much more to add them after the launch.",
        ),
        (
            ("Rwanda's Law No. 058/2021 on the protection of personal data and privacy was "
             "published on 15 October 2021. Before it, Rwanda had no specific law on "
             "personal data in the digital domain.", ("rw-dp-law",)),
            ("As a rule, the law asks for the person's consent before data is processed. It "
             "gave organisations two years, to October 2023, to comply.", ("rw-dp-newtimes",)),
            ("In Ethiopia, internet shutdowns in two regions (from 2020 and from 2023) cut "
             "many people there off from online services: plan how a service keeps "
             "working.", ("et-shutdowns",)),
        ),
        "In the canvas of 4.1, the block 'Personal data and security' asks which personal "
        "data your initiative will collect, who may see them and which law protects them.",
    ),
    "leadership": Topic(
        "leadership", "3.2", "Leadership and change",
        (
            "A digital government initiative changes how people work. Officials lose old "
            "tasks and learn new ones; some lose power over a paper process.",
            "Initiatives that last have a leader at the top who follows progress, and a "
            "team with the authority to work across ministries.",
            "Change also needs the people who do the work: explain why, train them, and "
            "listen to what they find. They are stakeholders too.",
        ),
        (
            ("In the Republic of Korea, a Special Committee for e-government (January 2001 "
             "to January 2003) led a short list of priority projects.", ("kr-pps",)),
            ("A Korean study names strong political leadership and a clear vision as the "
             "first success factors.", ("kr-chung",)),
            ("Bangladesh placed its a2i programme at the Prime Minister's Office.",
             ("bd-undp-a2i",)),
            ("In Estonia, political agreement and the support of banks and businesses "
             "helped people adopt the ID card.", ("ee-thesis",)),
        ),
        "In the canvas of 4.1, the block 'Leadership and change' asks who leads your "
        "initiative at the top and whose work will change.",
    ),
    "design": Topic(
        "design", "4.1", "Designing the service with its users",
        (
            "Start from what users need, not from how the office works today. Watch and "
            "ask real users, including those who are hardest to reach.",
            "Build a small first version, test it with users, and improve it; then test "
            "again. A service that people do not use has no effect on the SDGs.",
            "Offer more than one channel: a website or app, a person who helps (an agent or "
            "a centre), and a simple phone menu for people without a smartphone.",
        ),
        (
            ("The United Kingdom's Government Digital Service puts 'start with user needs' "
             "first among its design principles, and asks teams to test with real users "
             "and improve the service again and again.", ("gds-principles",)),
            ("Fiji's birth registration app started with a pilot in one hospital before "
             "hospitals of a whole division.", ("fj-birth-app",)),
            ("Rwanda's Irembo works with agents, such as internet cafes, so that people "
             "without skills or a device can use the online services.", ("rw-xinhua",)),
        ),
        "In the canvas below, the block 'Users' asks how you will test the service with "
        "its users before it starts.",
    ),
    "procurement": Topic(
        "procurement", "4.1", "Buying and paying for it",
        (
            "Count the whole cost: building the service, and running it for years after "
            "the launch (staff, licences, hosting, support). The running cost is often "
            "forgotten.",
            "A business case compares that cost with what the service saves people and "
            "the government: time, money and trips.",
            "Buy through an open competition (a tender), where companies offer their "
            "prices. Write in the contract that the government owns "
            "the data and the source code and can move to another company (this avoids "
            "vendor lock-in).",
        ),
        (
            ("Rwanda: after the contract with the builder of its first online services "
             "system ended, an unpaid balance meant that data and source code were not "
             "handed over.", ("rw-ktpress",)),
            ("Bangladesh: about 65% of public procurement spending went through the "
             "electronic procurement system by 2023 (the procurement unit's figure).",
             ("bd-cptu-2023",)),
            ("Bangladesh's a2i aimed to cut the time, cost and visits that a service takes.",
             ("bd-undp-a2i",)),
        ),
        "In the canvas below, the block 'Resources and funding' asks who pays after the "
        "launch, how you will buy, and who will own the data and the source code.",
    ),
    "dpi": Topic(
        "dpi", "4.2", "Digital public infrastructure",
        (
            "Some systems serve many services at once: a digital identity, a way to pay, "
            "and a way for agencies to exchange data. Together they are called digital "
            "public infrastructure (DPI).",
            "Built once and shared, they save each ministry from building its own, and let "
            "services work together. They must be secure, work with each other "
            "(interoperable), and be governed by law.",
        ),
        (
            ("In 2023 the G20 described DPI as shared digital systems that are secure and "
             "interoperable, serve society at scale, and are governed by legal "
             "frameworks. The UN Secretary-General named DPI one of 12 high-impact "
             "initiatives for the SDGs.", ("csis-dpi",)),
            ("Identity: Ethiopia's Fayda ID is built on MOSIP, an open-source platform.",
             ("et-bu-mosip",)),
            ("Payments: Ethio Telecom launched its mobile money service, telebirr, in May "
             "2021.", ("et-telebirr",)),
            ("Data exchange: Estonia's X-Road, launched in 2001, links the state's "
             "databases; the law requires them to exchange data through it.", ("ee-ria",)),
        ),
        "In the assessment below, look at which of these your initiative needs and which "
        "your country already has.",
    ),
}


def topics_for(submodule: str) -> list[Topic]:
    return [t for t in TOPICS.values() if t.submodule == submodule]
