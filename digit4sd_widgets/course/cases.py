"""Case studies: what five governments did, what worked, what did not, and why.

Bangladesh and Ethiopia were the two countries of the UN project behind the toolkit. Fiji is
a small island developing State, Rwanda a landlocked developing country (and an LDC, like
Ethiopia), Estonia a more developed country for contrast. Each case says what the government
did (named programmes, institutions, dates), its results, its problems, and lessons another
country could take or should avoid. Every fact names its sources (``Fact.sources`` are keys of
``SOURCES``). The figures of the Survey are not written here: the page computes them from
the data (``exercises/cases.py``). Written in the course's own words.

Figures that a government gives about its own programme are said to be its own figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from .localise import Localised, place_all


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: str
    address: str = ""


@dataclass(frozen=True)
class Fact(Localised, translate=("text",)):  # context: its case's
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Case(Localised, translate=("why", "replicate", "avoid"), context="case:{iso3}"):
    iso3: str
    name: str
    why: str  # why this case is in the course
    did: tuple[Fact, ...]
    results: tuple[Fact, ...]
    problems: tuple[Fact, ...]
    replicate: tuple[str, ...]  # lessons to take (drawn from the facts above)
    avoid: tuple[str, ...]  # lessons of what to avoid


SOURCES: dict[str, Source] = {
    # Bangladesh
    "bd-master-plan": Source("e-Government Master Plan for Digital Bangladesh",
                             "Bangladesh Computer Council (ICT Division) and KOICA", "2019"),
    "bd-undp-a2i": Source("Access to Information (a2i) II, project page", "UNDP Bangladesh",
                          "no date",
                          "https://www.bd.undp.org/content/bangladesh/en/home/operations/"
                          "projects/democratic_governance/access-to-information--ll-/"),
    "bd-unpsa-udc": Source("Union Information and Service Center, UN Public Service Awards "
                           "nomination profile", "UN DESA", "2014",
                           "https://publicadministration.un.org/en/Research/Case-Studies/"
                           "unpsacases/ctl/NominationProfilev2014/mid/1170/id/2875"),
    "bd-bss-udc": Source("a2i, USAID launch 6 digital centres in Gazipur, Khulna", "BSS",
                         "2018", "http://www.bssnews.net/?p=72619"),
    "bd-fe-udc-2023": Source("A2i celebrates 13th anniversary of providing tech services "
                             "thru digital centres", "The Financial Express (Dhaka)", "2023",
                             "https://thefinancialexpress.com.bd/sci-tech/a2i-celebrates-13th-"
                             "anniversary-of-providing-tech-services-thru-digital-centres"),
    "bd-dhaka-tribune-women": Source("Report on women entrepreneurs of the digital centres "
                                     "(Dhaka Tribune, reproduced by munshigonj24.com)",
                                     "Dhaka Tribune", "2014"),
    "bd-daily-star-portal": Source("National Web Portal launched", "The Daily Star", "2014",
                                   "https://www.thedailystar.net/national-web-portal-launched-"
                                   "30049"),
    "bd-egp": Source("e-GP press release of the Central Procurement Technical Unit",
                     "The Daily Observer", "2021",
                     "https://www.observerbd.com/news.php?id=324492"),
    "bd-cptu-2023": Source("Call for utilizing tenderers' database in e-GP (press release)",
                           "Central Procurement Technical Unit", "2023",
                           "https://cptu.gov.bd/media-communication/press-release.html"),
    "bd-birth-note": Source("Birth registration and birth certificates in Bangladesh",
                            "Danish National ID Centre", "2019"),
    "bd-bdnews-birth": Source("Bangladesh's birth certificate trouble irritates citizens",
                              "bdnews24.com", "2022",
                              "https://bdnews24.com/bangladesh/2022/03/24/bangladeshs-birth-"
                              "certificate-trouble-irritates-citizens"),
    "bd-dhaka-tribune-divide": Source("We need action to bridge the digital divide "
                                      "(editorial on the BBS ICT Access and Use Survey)",
                                      "Dhaka Tribune", "2025",
                                      "https://www.dhakatribune.com/opinion/editorial/369830/"),
    "bd-genilo": Source("Women's inclusion in digital Bangladesh (Genilo, Akther and Haque), "
                        "Proceedings of ICTD 2015", "ACM", "2015"),
    "bd-fe-2020": Source("Bangladesh slips four notches in EGDI", "The Financial Express "
                         "(Dhaka)", "2020",
                         "https://thefinancialexpress.com.bd/national/bangladesh-slips-four-"
                         "notches-in-egdi-1595302982"),
    # Ethiopia
    "et-woredanet": Source("WoredaNet, Ethiopia (case study)", "1 World Connected",
                           "no date",
                           "https://1worldconnected.org/project/africa_egov_woredanetethiopia/"),
    "et-schoolnet": Source("School Net Project", "Ethiopian Center for Educational ICT",
                           "no date", "http://eict.edu.et/school-net-project/"),
    "et-egovkb": Source("Ethiopia, country information (2016 Survey)",
                        "UN DESA E-Government Knowledgebase", "2016",
                        "https://publicadministration.un.org/egovkb/en-us/Data/"
                        "Country-Information/id/58-Ethiopia"),
    "et-mint-2025": Source("Council of Ministers Endorses Digital Ethiopia 2025 Strategy",
                           "Ministry of Innovation and Technology", "2020",
                           "https://mint.gov.et/"),
    "et-nidp": Source("National ID Program: strategy introduction", "National ID Program, "
                      "Ethiopia", "no date", "https://id.gov.et/strategy-introduction/"),
    "et-2merkato": Source("Ethiopia parliament ratifies digital identity proclamation",
                          "2merkato.com", "2023"),
    "et-bu-mosip": Source("Ethiopia's national digital ID prepares foundation ahead of "
                          "scale-up", "Biometric Update", "2022",
                          "https://www.biometricupdate.com/202210/"),
    "et-telecom": Source("Report on the telecom licence of 22 May 2021 (Ethiopian Herald)",
                         "allAfrica", "2021",
                         "https://allafrica.com/stories/202105230007.html"),
    "et-esw-launch": Source("Ethiopia launches electronic single window project",
                            "Horn Diplomat", "2020",
                            "https://www.horndiplomat.com/2020/01/04/ethiopia-launches-"
                            "electronic-single-window-project/"),
    "et-esw-2021": Source("Electronic single window saves Ethiopia 70 billion birr",
                          "Capital Ethiopia", "2021",
                          "https://capitalethiopia.com/2021/11/29/"),
    "et-shutdowns": Source("Internet shutdowns in Ethiopia (Tigray 2020; Amhara 2023)",
                           "Internet Society Pulse", "2020-2023",
                           "https://pulse.internetsociety.org/shutdowns/ethiopia-2"),
    "et-ebr-id": Source("Empowering citizens: unveiling Ethiopia's national ID programme",
                        "Ethiopian Business Review", "no date"),
    # Fiji
    "fj-escap": Source("E-Government for Women's Empowerment: Fiji, evolution of the "
                       "institutional ecosystem for e-government", "UN ESCAP", "no date",
                       "http://egov4women.unescapsdd.org/country-overviews/fiji/"),
    "fj-pmo-app": Source("Hon. Prime Minister launches the digitalFIJI mobile application",
                         "Office of the Prime Minister of Fiji", "2018",
                         "http://www.pmoffice.gov.fj/"),
    "fj-sun-2018": Source("Analysis: PM, A-G committed to making Fiji a modern nation state",
                          "Fiji Sun", "2018"),
    "fj-birth-app": Source("Speech at the rollout of the birth registration app",
                           "Fijian Government", "2019", "https://www.fiji.gov.fj/"),
    "fj-worldbank": Source("Fiji has the potential to make a digital transformation to meet "
                           "its citizens' demands for better services", "World Bank Blogs",
                           "2023", "https://blogs.worldbank.org/en/governance/"),
    "fj-winston": Source("Disaster Recovery Framework: Tropical Cyclone Winston",
                         "Government of Fiji (on ReliefWeb)", "2016",
                         "https://reliefweb.int/report/fiji/"),
    "fj-etc": Source("Tropical Cyclone Winston, situation report 2",
                     "Emergency Telecommunications Cluster (on ReliefWeb)", "2016",
                     "https://reliefweb.int/report/fiji/"),
    "fj-strategy": Source("Beyond the scope: Fiji's digital strategy", "The Fiji Times",
                          "2025", "https://www.fijitimes.com.fj/"),
    # Rwanda
    "rw-nici": Source("An Integrated ICT-led Socio-Economic Development Plan for Rwanda "
                      "2006-2010: the NICI-2010 Plan", "Government of Rwanda", "2006"),
    "rw-minict": Source("Strategy (national ICT strategies)", "Ministry of ICT and "
                        "Innovation, Rwanda", "no date",
                        "https://minict.gov.rw/policies-publications/strategy/"),
    "rw-hope": Source("Rwanda boosting e-governance with online portal", "Hope Magazine",
                      "no date", "https://hope-mag.com/"),
    "rw-xinhua": Source("Report on Irembo agents", "Xinhua", "2017",
                        "http://www.xinhuanet.com/english/2017-06/11/c_136357197.htm"),
    "rw-newtimes-pac": Source("Irembo tasked to refund citizens' duplicated payments",
                              "The New Times", "2023", "https://newtimes.co.rw/"),
    "rw-ktpress": Source("Irembo platform commits to increase access to government services",
                         "KT Press", "2023", "https://ktpress.rw/2023/09/"),
    "rw-eastafrican": Source("Report on the regional communication infrastructure project",
                             "The EastAfrican", "2008",
                             "https://www.theeastafrican.co.ke/"),
    "rw-balancing": Source("80 percent of Rwanda's fibre optic cable laid",
                           "Balancing Act", "2010", "https://www.balancingact-africa.com/"),
    # Estonia
    "ee-ria": Source("Data exchange layer X-Road", "Information System Authority (RIA), "
                     "Estonia", "no date", "https://www.ria.ee/x-road"),
    "ee-joinup": Source("eID and e-signature in cross-border situations: the Estonian "
                        "experience", "European Commission, Joinup (NIFO)", "2016",
                        "https://joinup.ec.europa.eu/"),
    "ee-thesis": Source("Diffusion of the Estonian ID-card and its electronic usage "
                        "(Palginõmm), MA thesis", "Tallinn University of Technology",
                        "2016"),
    "ee-bpc": Source("X-Road (knowledge base)", "Big Policy Canvas", "no date",
                     "https://www.bigpolicycanvas.eu/community/kb/x-road"),
    # Survey method
    "un-egdi": Source("E-Government Development Index (EGDI)",
                      "UN DESA E-Government Knowledgebase", "no date",
                      "https://publicadministration.un.org/egovkb/en-us/About/Overview/"
                      "-E-Government-Development-Index"),
}


CASES: dict[str, Case] = {
    "BGD": Case(
        "BGD", "Bangladesh",
        "An LDC and one of the two countries of the UN project behind the toolkit. It brought "
        "services close to rural people through local centres.",
        did=(
            Fact("The government dates its Digital Bangladesh programme to 2009. It has four "
                 "pillars: human resource development, connecting citizens, digital "
                 "government, and the ICT industry.", ("bd-master-plan",)),
            Fact("The Access to Information programme (a2i) started in 2007 at the Prime "
                 "Minister's Office, with support from UNDP and USAID. Its aim was to cut the "
                 "time, cost and number of visits that a public service takes.",
                 ("bd-undp-a2i",)),
            Fact("On 11 November 2010, centres opened in the country's unions (the smallest "
                 "rural local government) by video conference. They were first called Union "
                 "Information and Service Centres, later Union Digital Centres.",
                 ("bd-bss-udc",)),
            Fact("Each centre was meant to be run by two local entrepreneurs, a man and a "
                 "woman.",
                 ("bd-dhaka-tribune-women",)),
            Fact("Before the centres, rural people often had to travel at least 35 km to the "
                 "district office, or 15 km to the sub-district office, for a service.",
                 ("bd-unpsa-udc",)),
            Fact("The National Web Portal was launched on 23 June 2014. It joined 25,043 "
                 "government websites, from unions to ministries.",
                 ("bd-daily-star-portal",)),
            Fact("The electronic procurement portal (e-GP) of the Central Procurement "
                 "Technical Unit was launched on 2 June 2011, first in four agencies.",
                 ("bd-egp",)),
            Fact("Births have been registered directly into an online system (the Birth "
                 "Registration Information System) since 2010. The birth certificate is "
                 "needed for a passport, the national ID card and school enrolment.",
                 ("bd-birth-note",)),
        ),
        results=(
            Fact("In 2023 the government counted 9,397 digital centres and more than 385 "
                 "public and private services (the ministry's own figures).",
                 ("bd-fe-udc-2023",)),
            Fact("By May 2023, about 65% of public procurement spending went through e-GP "
                 "(the procurement unit's own figure).", ("bd-cptu-2023",)),
            Fact("The EGDI score rose from 0.4862 in 2018 to 0.5189 in 2020, while the rank "
                 "fell from 115th to 119th: other countries improved faster. The index "
                 "compares countries with each other.", ("bd-fe-2020", "un-egdi")),
        ),
        problems=(
            Fact("Many women entrepreneurs of the centres could not continue, for example "
                 "because their families opposed the work.", ("bd-dhaka-tribune-women",)),
            Fact("People faced server outages, and old handwritten birth certificates that "
                 "did not match the online database; corrections were hard.",
                 ("bd-bdnews-birth",)),
            Fact("A national survey of 2024-25 found 36.5% internet use in rural areas and "
                 "71.4% in urban areas.", ("bd-dhaka-tribune-divide",)),
            Fact("A 2015 study argued that the policies had not clearly improved the "
                 "digital inclusion of women.", ("bd-genilo",)),
        ),
        replicate=(
            "Bring services to where people live: an assisted centre serves people with no "
            "internet or no skills.",
            "Give the programme a home at the centre of government, with a clear measure "
            "(time, cost and visits saved).",
        ),
        avoid=(
            "Moving a record online without cleaning the old paper records first.",
            "Assuming that a partnership model works for women without asking what stops "
            "them.",
            "Counting only the government's own figures: plan an independent evaluation.",
        ),
    ),
    "ETH": Case(
        "ETH", "Ethiopia",
        "An LDC and a landlocked country, the other country of the UN project behind the "
        "toolkit. It built government networks early, then a national digital ID.",
        did=(
            Fact("WoredaNet, a ground and satellite network, linked federal, regional and "
                 "more than 611 district (woreda) offices for internet, video conferences "
                 "and messages.", ("et-woredanet",)),
            Fact("SchoolNet, a satellite network for distance learning, was designed for the "
                 "country's more than 2,000 secondary schools.", ("et-schoolnet",)),
            Fact("An e-government strategy approved in 2011 planned 219 online services and "
                 "a national portal in several languages.", ("et-woredanet", "et-egovkb")),
            Fact("The Council of Ministers endorsed the Digital Ethiopia 2025 strategy on 15 "
                 "June 2020. The Ministry of Innovation and Technology leads it.",
                 ("et-mint-2025",)),
            Fact("Parliament adopted the Digital Identity Proclamation (No. 1284/2023) in "
                 "March 2023. The ID, called Fayda, is built on MOSIP, an open-source "
                 "platform, so that the country can run and maintain it itself.",
                 ("et-2merkato", "et-nidp", "et-bu-mosip")),
            Fact("On 22 May 2021 the government decided to license a second mobile "
                 "operator, a consortium led by Safaricom, for US$850 million. Until then, only "
                 "Ethio Telecom had served the market.", ("et-telecom",)),
            Fact("The Electronic Single Window for trade, launched on 4 January 2020, joins "
                 "16 regulatory agencies: a trader submits import and export documents "
                 "once.", ("et-esw-launch",)),
        ),
        results=(
            Fact("In 2016 Ethiopia was 157th on the EGDI. But UN DESA called it one of the "
                 "best LDCs in online services, because of support from its leaders and its "
                 "plan of online services.", ("et-egovkb",)),
            Fact("By November 2021, import release time had fallen from 44 days to about "
                 "12 (the programme's own figures).", ("et-esw-2021",)),
            Fact("The ID programme aimed to issue digital IDs to more than 70 million people "
                 "by the end of 2025; 1.4 million were registered by the time the law was "
                 "adopted.", ("et-nidp", "et-2merkato")),
        ),
        problems=(
            Fact("The internet was cut in Tigray from 4 November 2020, and mobile internet "
                 "in the Amhara region from 3 August 2023.", ("et-shutdowns",)),
            Fact("The ID programme names money and reaching remote areas as its challenges.",
                 ("et-ebr-id",)),
        ),
        replicate=(
            "Connect the government's own offices: services need a network that reaches the "
            "districts.",
            "A foundation such as a digital ID serves many services; open-source software "
            "can keep the country in control of it.",
            "One window for many agencies saves days for each user.",
        ),
        avoid=(
            "Assuming the internet is always there: keep assisted channels and offline steps "
            "for when it is cut.",
            "Reading a strong online services score as success for everyone: infrastructure "
            "and skills decide who can use the services.",
        ),
    ),
    "FJI": Case(
        "FJI", "Fiji",
        "A small island developing State: islands far apart, exposed to cyclones, with "
        "equipment that must be imported.",
        did=(
            Fact("In 2006 the government started an e-government programme with a loan from "
                 "China: a portal and a government network that links offices and community "
                 "centres in schools.", ("fj-escap",)),
            Fact("The digitalFIJI programme launched its mobile app on 14 June 2018, in a "
                 "partnership with the Government of Singapore.",
                 ("fj-pmo-app", "fj-sun-2018")),
            Fact("Births can be registered with the app: a pilot at a hospital in Suva in "
                 "April 2019, then hospitals of the Western Division from 3 June 2019.",
                 ("fj-birth-app",)),
            Fact("Fiji's first National Digital Strategy (2025-2030) aims to put 80% of key "
                 "government services online by 2030.", ("fj-strategy",)),
        ),
        results=(
            Fact("The World Bank rated Fiji the most advanced Pacific country on its GovTech "
                 "Maturity Index; mobile money transactions were fifty times more in 2022 "
                 "than in 2016.", ("fj-worldbank",)),
            Fact("After Cyclone Winston (February 2016), local providers restored 90-95% of "
                 "telecom services in about two weeks.", ("fj-etc",)),
        ),
        problems=(
            Fact("Early e-government suffered from a shortage of experienced ICT staff.",
                 ("fj-escap",)),
            Fact("Cyclone Winston affected 540,414 people, 62% of the population.",
                 ("fj-winston",)),
            Fact("Pensioners still queued outside banks to receive government payments.",
                 ("fj-worldbank",)),
        ),
        replicate=(
            "Plan for disasters: services and networks must come back fast after a cyclone.",
            "A partner government can bring know-how that a small civil service lacks.",
        ),
        avoid=(
            "Putting a service online while the payment behind it still needs a queue.",
            "Building systems that depend on a few specialists.",
        ),
    ),
    "RWA": Case(
        "RWA", "Rwanda",
        "A landlocked LDC: it reaches the undersea cables through its neighbours. It runs "
        "its online services through a public-private partnership.",
        did=(
            Fact("Rwanda's ICT policy was a series of five-year national plans (the NICI "
                 "plans) over the twenty years of its Vision 2020.", ("rw-nici",)),
            Fact("The SMART Rwanda Master Plan (2015-2020) replaced the ICT sector plan.",
                 ("rw-minict",)),
            Fact("Irembo, the national portal of online services, launched in 2015 with five "
                 "services. Its operator was set up in 2014 under a 25-year public-private "
                 "partnership.", ("rw-hope",)),
            Fact("Agents such as internet cafes help people use the services; by 2017 the "
                 "aim was an agent within 3 km everywhere.", ("rw-xinhua",)),
            Fact("A national fibre ring links to the sea through Uganda and Tanzania, partly "
                 "to resist cuts such as the damage to cables in Kampala in 2010.",
                 ("rw-balancing", "rw-eastafrican")),
        ),
        results=(
            Fact("By 2023 Irembo offered 164 online services for 19 government bodies, with "
                 "more than 7,000 agents.", ("rw-newtimes-pac",)),
        ),
        problems=(
            Fact("The first Irembo system was built by a foreign contractor. After the "
                 "contract ended, an unpaid balance meant that data and source code had not "
                 "been handed over (the Auditor General's finding).", ("rw-ktpress",)),
            Fact("Irembo did not refund 14,298 duplicated payments (January 2021 to August "
                 "2022); Parliament's public accounts committee ordered the refunds.",
                 ("rw-newtimes-pac",)),
        ),
        replicate=(
            "Agents near people's homes make online services usable for people without a "
            "device or skills.",
            "A series of plans over many years keeps direction while each plan is revised.",
        ),
        avoid=(
            "Not paying what the contract says: the hand-over of the data and the source code "
            "was tied to the last payment (a risk of vendor lock-in).",
            "A payment system with no simple way to refund errors.",
        ),
    ),
    "EST": Case(
        "EST", "Estonia",
        "A more developed country for contrast: small, with a data exchange layer that many "
        "countries study.",
        did=(
            Fact("X-Road, the data exchange layer between state information systems, was "
                 "launched in 2001. By law, state databases exchange data through it.",
                 ("ee-ria",)),
            Fact("The Digital Signature Act was passed in 2000; the ID card came in 2002.",
                 ("ee-joinup", "ee-thesis")),
            Fact("Data is asked from the citizen once, then reused from the database that "
                 "keeps it (the once-only principle).", ("ee-bpc",)),
        ),
        results=(
            Fact("X-Road is also used in Finland, Azerbaijan, Namibia and the Faroe Islands.",
                 ("ee-bpc",)),
            Fact("A study of the ID card found that political agreement and the support of "
                 "banks and other businesses were crucial.", ("ee-thesis",)),
        ),
        problems=(
            Fact("Getting the ID card to everyone took five years, and people were even "
                 "slower to use it online.", ("ee-thesis",)),
        ),
        replicate=(
            "Exchange data between agencies through one secure layer, set in law.",
            "Political agreement and the support of banks and businesses helped people "
            "adopt the ID card.",
        ),
        avoid=(
            "Expecting people to use a new ID online as soon as they have it.",
        ),
    ),
}

#: the order in which the cases are shown
ORDER: tuple[str, ...] = ("BGD", "ETH", "FJI", "RWA", "EST")


@dataclass(frozen=True)
class Example(Localised, translate=("title", "intro", "point")):
    """Facts of the cases reused as a worked example in a submodule: ``picks`` are
    (country, part, index) with part "did", "results" or "problems"."""

    title: str
    intro: str
    picks: tuple[tuple[str, str, int], ...]
    point: str  # what the example shows, for the learner's own work


#: the cases as worked examples in modules 3 to 5 (the whole cases are in 6.1)
EXAMPLES: dict[str, Example] = {
    "3.1": Example(
        "A worked example: a target area chosen from the gap",
        "In Bangladesh, rural people lived far from the offices that served them. The a2i "
        "programme set out to bring services closer.",
        (("BGD", "did", 4), ("BGD", "did", 1), ("BGD", "did", 2)),
        "Your target area should answer a gap you can show, for people you can name."),
    "3.3": Example(
        "A worked example: measures that a project can move",
        "Programmes that last measure what they change for people, not only a national "
        "index.",
        (("BGD", "did", 1), ("ETH", "results", 1), ("RWA", "results", 0)),
        "Time, cost, visits, days to clear goods, services online: each can have a "
        "baseline, a unit and a source. Your KPIs can be as concrete."),
    "4.3": Example(
        "A worked example: services close to where people live",
        "Two countries brought online services to people through local places and "
        "people.",
        (("BGD", "did", 2), ("BGD", "did", 3), ("RWA", "did", 3),
         ("BGD", "problems", 0)),
        "Local delivery needs local people, a place, and support for those who may drop "
        "out, such as women."),
    "5.1": Example(
        "A worked example: a score that rose while the rank fell",
        "A country's rank can fall while its own work goes on. Bangladesh is an example.",
        (("BGD", "results", 2),),
        "Track your own project's KPIs; read the Survey's indices as context."),
}
place_all(EXAMPLES, "example")  # each example's texts: context "example:<submodule>"


def sources_of(case: Case) -> list[str]:
    """The keys of the sources a case cites, in the order first cited."""
    seen: list[str] = []
    for fact in (*case.did, *case.results, *case.problems):
        for key in fact.sources:
            if key not in seen:
                seen.append(key)
    return seen
