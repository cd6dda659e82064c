"""The eligibility rules REPM Connect ships: one rule set per role, each with its examples.

Only the bidder's rules are the scheme's notified text (Gazette of India S.O. 5800(E) of
15 December 2025: capacity of 600 to 1,200 MTPA in multiples of 100, the net-worth slab for that
capacity, a consortium lead's equity of at least 51 %), and each of those criteria cites it.
Every other role is REPM Connect's guidance for MSMEs that want to supply or partner with the
facilities: the criteria are marked ``illustrative`` and every page, printout and API answer that
shows them says so. Administrators publish new versions in the admin as the RFP's terms and the
facilities' own vendor rules become public.
"""

from __future__ import annotations

import datetime

from schemes.reference_data import NET_WORTH_SLABS
from taxonomy.reference_data import CAPABILITY_TAXONOMY

GUIDANCE_FROM = datetime.date(2025, 11, 26)  # the Union Cabinet's approval of the scheme
NOTIFIED_FROM = datetime.date(2025, 12, 15)  # S.O. 5800(E)
GAZETTE = "gazette-so-5800e"
MSME_LIMITS = "msme-limits"

QUALITY_SYSTEMS = ["ISO_9001", "IATF_16949", "AS9100", "ZED_BRONZE", "ZED_SILVER", "ZED_GOLD"]
PLATING_AND_RECYCLING = [
    "nicuni-plating",
    "zinc-plating",
    "phosphating",
    "swarf-recovery",
    "hydrogen-recycling",
    "hydrometallurgical-recovery",
]
CLUSTER_STATES = ["AP", "GJ", "KA", "KL", "OD", "TN"]


def processes_of(*categories: str) -> list[str]:
    """The shipped processes of these kinds of work, named one by one: a published rule keeps
    its meaning even if the taxonomy is later rearranged."""
    return [
        process
        for slug, _name, *_rest, processes in CAPABILITY_TAXONOMY
        if slug in categories
        for process, *_ in processes
    ]


TESTING = processes_of("testing")
RECYCLING = processes_of("recycling")
TECHNOLOGY = processes_of(
    "heat-treatment", "testing", "inspection-equipment", "tooling", "recycling", "motors"
)
# The notified net-worth slabs, [lowest MTPA, highest MTPA, minimum ₹ crore], kept in the
# published criterion itself (the scheme's slab table may be edited; a published rule may not).
NET_WORTH_BANDS = [[low, high, str(net_worth)] for low, high, net_worth in NET_WORTH_SLABS]

UDYAM = {
    "code": "udyam",
    "label_en": "Udyam registration",
    "label_hi": "उद्यम पंजीकरण",
    "fact": "udyam_registered",
    "operator": "is_true",
    "value": None,
    "attainable": True,
    "explanation_en": "Facilities and cluster programmes recognise an MSME by its Udyam "
    "registration, the government's free online registration of enterprises.",
    "explanation_hi": "सुविधाएँ और क्लस्टर कार्यक्रम किसी एमएसएमई को उसके उद्यम पंजीकरण से "
    "पहचानते हैं, जो उद्यमों का सरकार का निःशुल्क ऑनलाइन पंजीकरण है।",
    "how_to_qualify_en": "Register free on the Udyam Registration portal with the owner's "
    "Aadhaar and the enterprise's PAN; it takes one sitting.",
    "how_to_qualify_hi": "स्वामी के आधार और उद्यम के पैन से उद्यम पंजीकरण पोर्टल पर "
    "निःशुल्क पंजीकरण करें; यह एक ही बार में हो जाता है।",
    "source": MSME_LIMITS,
}
IS_MSME = {
    "code": "msme",
    "label_en": "An MSME by the limits in force",
    "label_hi": "लागू सीमाओं के अनुसार एमएसएमई",
    "fact": "msme_category",
    "operator": "one_of",
    "value": ["micro", "small", "medium"],
    "attainable": False,
    "explanation_en": "The MSME roles are for enterprises whose investment and turnover are "
    "both within the medium-enterprise limits in force on the date of the check.",
    "explanation_hi": "एमएसएमई भूमिकाएँ उन उद्यमों के लिए हैं जिनका निवेश और कारोबार दोनों जाँच "
    "की तिथि पर लागू मध्यम उद्यम की सीमाओं के भीतर हों।",
    "how_to_qualify_en": "Larger firms take part as anchor companies or bidders rather than "
    "through the MSME roles.",
    "how_to_qualify_hi": "बड़ी कंपनियाँ एमएसएमई भूमिकाओं के बजाय प्रमुख कंपनी या बोलीदाता के रूप में भाग लेती हैं।",
    "source": MSME_LIMITS,
}
OFFERS_A_PROCESS = {
    "code": "process",
    "label_en": "Runs a process the facilities need",
    "label_hi": "सुविधाओं को चाहिए ऐसी कोई प्रक्रिया चलाता है",
    "fact": "processes",
    "operator": "not_empty",
    "value": None,
    "attainable": True,
    "explanation_en": "Facilities buy machining, heat treatment, coatings, testing, recycling, "
    "furnace parts, packaging, tooling and inspection work from MSMEs.",
    "explanation_hi": "सुविधाएँ एमएसएमई से मशीनिंग, ताप उपचार, कोटिंग, परीक्षण, पुनर्चक्रण, "
    "भट्ठी के पुर्ज़े, पैकेजिंग, टूलिंग और निरीक्षण का काम लेती हैं।",
    "how_to_qualify_en": "Choose the processes your shop runs; each one is matched to the "
    "facilities' open needs.",
    "how_to_qualify_hi": "अपनी इकाई में चलने वाली प्रक्रियाएँ चुनें; हर एक को सुविधाओं की खुली "
    "ज़रूरतों से मिलाया जाता है।",
    "source": None,
}
QUALITY = {
    "code": "quality",
    "label_en": "A quality system: ISO 9001, IATF 16949, AS9100 or ZED",
    "label_hi": "गुणवत्ता प्रणाली: आईएसओ 9001, आईएटीएफ 16949, एएस9100 या ज़ेड",
    "fact": "certifications",
    "operator": "includes_any",
    "value": QUALITY_SYSTEMS,
    "attainable": True,
    "explanation_en": "Magnet makers qualify their vendors on a certified quality system; the "
    "ZED certificates are the MSME ministry's route to one.",
    "explanation_hi": "मैग्नेट निर्माता अपने विक्रेताओं को प्रमाणित गुणवत्ता प्रणाली के आधार पर "
    "चुनते हैं; ज़ेड प्रमाणपत्र एमएसएमई मंत्रालय का इसका रास्ता है।",
    "how_to_qualify_en": "Apply for ZED Bronze under the MSME ministry's ZED scheme (its cost "
    "is largely subsidised for micro enterprises) or for ISO 9001 certification.",
    "how_to_qualify_hi": "एमएसएमई मंत्रालय की ज़ेड योजना में ज़ेड ब्रॉन्ज़ (सूक्ष्म उद्यमों के लिए "
    "इसकी लागत पर बड़ी सब्सिडी है) या आईएसओ 9001 प्रमाणन के लिए आवेदन करें।",
    "source": None,
}
NABL_FOR_TESTING = {
    "code": "nabl",
    "label_en": "NABL accreditation for testing work",
    "label_hi": "परीक्षण कार्य के लिए एनएबीएल प्रत्यायन",
    "fact": "certifications",
    "operator": "includes_any",
    "value": ["NABL"],
    "condition_fact": "processes",
    "condition_operator": "includes_any",
    "condition_value": TESTING,
    "attainable": True,
    "explanation_en": "Test reports a facility relies on come from labs accredited to "
    "ISO/IEC 17025 by NABL.",
    "explanation_hi": "सुविधा जिन परीक्षण रिपोर्टों पर भरोसा करती है, वे एनएबीएल द्वारा "
    "आईएसओ/आईईसी 17025 के लिए प्रत्यायित प्रयोगशालाओं से आती हैं।",
    "how_to_qualify_en": "Apply to NABL for ISO/IEC 17025 accreditation of the tests you run.",
    "how_to_qualify_hi": "अपने परीक्षणों के आईएसओ/आईईसी 17025 प्रत्यायन के लिए एनएबीएल में आवेदन करें।",
    "source": None,
}
SPCB_FOR_PLATING = {
    "code": "spcb",
    "label_en": "Pollution-control consent for plating or recycling",
    "label_hi": "प्लेटिंग या पुनर्चक्रण के लिए प्रदूषण नियंत्रण सहमति",
    "fact": "certifications",
    "operator": "includes_any",
    "value": ["SPCB_CONSENT"],
    "condition_fact": "processes",
    "condition_operator": "includes_any",
    "condition_value": PLATING_AND_RECYCLING,
    "attainable": True,
    "explanation_en": "Plating, phosphating and recycling units need the State Pollution "
    "Control Board's consent to operate.",
    "explanation_hi": "प्लेटिंग, फ़ॉस्फ़ेटिंग और पुनर्चक्रण इकाइयों को चलाने के लिए राज्य प्रदूषण "
    "नियंत्रण बोर्ड की सहमति चाहिए।",
    "how_to_qualify_en": "Apply to your State Pollution Control Board for consent to operate.",
    "how_to_qualify_hi": "संचालन की सहमति के लिए अपने राज्य प्रदूषण नियंत्रण बोर्ड में आवेदन करें।",
    "source": None,
}


def _advisory(criterion: dict, **changes: object) -> dict:
    return criterion | {"requirement": "advisory"} | changes


def _example(name: str, expected: str, **answers: object) -> dict:
    base = {
        "udyam_registered": True,
        "investment_rupees": 20_000_000,
        "turnover_rupees": 60_000_000,
        "district": "krishnagiri",
        "processes": ["cnc-turning"],
        "certifications": ["ZED_BRONZE"],
        "sectors": [],
        "exports": False,
    }
    return {"name": name, "expected_outcome": expected, "answers": base | answers}


RULE_SETS: list[dict] = [
    {
        "role": "supplier",
        "version": 1,
        "effective_from": GUIDANCE_FROM,
        "source": None,
        "summary_en": "Supply a facility with a process it buys (machining, coatings, testing, "
        "…) as a qualified vendor.",
        "summary_hi": "किसी सुविधा को उसकी ख़रीदी जाने वाली प्रक्रिया (मशीनिंग, कोटिंग, परीक्षण, …) "
        "योग्य विक्रेता के रूप में देना।",
        "criteria": [UDYAM, IS_MSME, OFFERS_A_PROCESS, QUALITY, NABL_FOR_TESTING, SPCB_FOR_PLATING],
        "examples": [
            _example("Micro CNC shop in Krishnagiri with ZED Bronze", "eligible"),
            _example("The same shop with no quality certificate", "not_yet", certifications=[]),
            _example(
                "A testing lab without NABL",
                "not_yet",
                processes=["bh-curve-testing"],
                certifications=["ISO_9001"],
            ),
            _example(
                "A plater with ISO 9001 and SPCB consent",
                "eligible",
                processes=["nicuni-plating"],
                certifications=["ISO_9001", "SPCB_CONSENT"],
            ),
            _example(
                "A firm above the medium limits",
                "not_eligible",
                investment_rupees=2_000_000_000,
                turnover_rupees=8_000_000_000,
            ),
        ],
    },
    {
        "role": "ancillary",
        "version": 1,
        "effective_from": GUIDANCE_FROM,
        "source": None,
        "summary_en": "Set up or run a supporting unit in a state that hosts an REPM cluster or a "
        "Rare Earth Corridor, serving the facility and its suppliers.",
        "summary_hi": "आरईपीएम क्लस्टर या रेयर अर्थ कॉरिडोर वाले राज्य में सहायक इकाई लगाना या चलाना, "
        "जो सुविधा और उसके आपूर्तिकर्ताओं की सेवा करे।",
        "criteria": [
            UDYAM,
            IS_MSME,
            OFFERS_A_PROCESS,
            {
                "code": "cluster_state",
                "label_en": "Located in a cluster or corridor state",
                "label_hi": "क्लस्टर या कॉरिडोर वाले राज्य में स्थित",
                "fact": "state",
                "operator": "one_of",
                "value": CLUSTER_STATES,
                "attainable": False,
                "explanation_en": "The Union Budget 2026-27 announced Rare Earth Corridors in "
                "Odisha, Kerala, Andhra Pradesh and Tamil Nadu; public commentary names Gujarat "
                "and Karnataka among the candidate REPM cluster states too.",
                "explanation_hi": "केंद्रीय बजट 2026-27 में ओडिशा, केरल, आंध्र प्रदेश और तमिलनाडु "
                "में रेयर अर्थ कॉरिडोर की घोषणा हुई; सार्वजनिक चर्चा में गुजरात और कर्नाटक भी संभावित "
                "आरईपीएम क्लस्टर राज्यों में गिने जाते हैं।",
                "how_to_qualify_en": "Supply the facilities directly as a certified supplier, "
                "or open a unit in one of these states.",
                "how_to_qualify_hi": "प्रमाणित आपूर्तिकर्ता के रूप में सीधे सुविधाओं को आपूर्ति "
                "करें, या इनमें से किसी राज्य में इकाई खोलें।",
                "source": None,  # the Budget names four of the six states: guidance, unsourced
            },
            _advisory(QUALITY),
        ],
        "examples": [
            _example("A CNC shop in Krishnagiri", "eligible", certifications=[]),
            _example("A CNC shop in Kolkata", "not_eligible", district="kolkata"),
            _example(
                "An unregistered shop in Rajkot",
                "not_yet",
                district="rajkot",
                udyam_registered=False,
            ),
        ],
    },
    {
        "role": "technology_partner",
        "version": 1,
        "effective_from": GUIDANCE_FROM,
        "source": None,
        "summary_en": "Bring a process or equipment to a facility as a technology or joint-"
        "venture partner: heat treatment, testing, inspection, tooling, recycling or motors.",
        "summary_hi": "किसी सुविधा में तकनीकी या संयुक्त उद्यम भागीदार के रूप में प्रक्रिया या उपकरण "
        "लाना: ताप उपचार, परीक्षण, निरीक्षण, टूलिंग, पुनर्चक्रण या मोटर।",
        "criteria": [
            UDYAM,
            {
                "code": "technology",
                "label_en": "Runs technology-intensive work",
                "label_hi": "तकनीक-प्रधान काम करता है",
                "fact": "processes",
                "operator": "includes_any",
                "value": TECHNOLOGY,
                "attainable": False,
                "explanation_en": "Partners bring know-how a magnet plant lacks: sintering and "
                "heat treatment, magnetic testing, inspection equipment, tooling, recycling or "
                "motor assembly.",
                "explanation_hi": "भागीदार वह जानकारी लाते हैं जो मैग्नेट संयंत्र के पास नहीं "
                "होती: सिंटरिंग और ताप उपचार, चुंबकीय परीक्षण, निरीक्षण उपकरण, टूलिंग, पुनर्चक्रण "
                "या मोटर असेंबली।",
                "how_to_qualify_en": "Supply as a certified supplier first; partnerships grow "
                "from a track record.",
                "how_to_qualify_hi": "पहले प्रमाणित आपूर्तिकर्ता के रूप में आपूर्ति करें; साझेदारी "
                "अनुभव से बनती है।",
                "source": None,
            },
            QUALITY
            | {
                "code": "quality",
                "value": ["ISO_9001", "IATF_16949", "AS9100"],
                "label_en": "A certified quality system: ISO 9001, IATF 16949 or AS9100",
                "label_hi": "प्रमाणित गुणवत्ता प्रणाली: आईएसओ 9001, आईएटीएफ 16949 या एएस9100",
            },
            {
                "code": "exports",
                "label_en": "Export experience",
                "label_hi": "निर्यात का अनुभव",
                "fact": "exports",
                "operator": "is_true",
                "value": None,
                "requirement": "advisory",
                "attainable": True,
                "explanation_en": "Exporting shows a partner meets international buyers' "
                "specifications.",
                "explanation_hi": "निर्यात दिखाता है कि भागीदार अंतरराष्ट्रीय ख़रीदारों के विनिर्देश "
                "पूरे करता है।",
                "how_to_qualify_en": "",
                "how_to_qualify_hi": "",
                "source": None,
            },
        ],
        "examples": [
            _example(
                "A heat-treatment shop with ISO 9001",
                "eligible",
                processes=["vacuum-sintering"],
                certifications=["ISO_9001"],
            ),
            _example(
                "The same shop with ZED only",
                "not_yet",
                processes=["vacuum-sintering"],
                certifications=["ZED_BRONZE"],
            ),
            _example("A CNC turning shop", "not_eligible", certifications=["ISO_9001"]),
        ],
    },
    {
        "role": "recycling_partner",
        "version": 1,
        "effective_from": GUIDANCE_FROM,
        "source": None,
        "summary_en": "Recover rare earths from swarf, rejects and end-of-life magnets for a "
        "facility.",
        "summary_hi": "किसी सुविधा के लिए स्वार्फ़, अस्वीकृत माल और पुराने मैग्नेट से रेयर अर्थ वापस निकालना।",
        "criteria": [
            UDYAM,
            IS_MSME,
            {
                "code": "recycling",
                "label_en": "Runs a recycling process",
                "label_hi": "पुनर्चक्रण की प्रक्रिया चलाता है",
                "fact": "processes",
                "operator": "includes_any",
                "value": RECYCLING,
                "attainable": False,
                "explanation_en": "Swarf recovery, hydrogen recycling or hydrometallurgical "
                "recovery of rare earths.",
                "explanation_hi": "स्वार्फ़ से पुनःप्राप्ति, हाइड्रोजन पुनर्चक्रण या रेयर अर्थ की "
                "हाइड्रोमेटलर्जिकल पुनःप्राप्ति।",
                "how_to_qualify_en": "",
                "how_to_qualify_hi": "",
                "source": None,
            },
            SPCB_FOR_PLATING
            | {
                "condition_fact": "",
                "condition_operator": "",
                "condition_value": None,
                "label_en": "Pollution-control consent",
                "label_hi": "प्रदूषण नियंत्रण सहमति",
            },
            _advisory(
                QUALITY,
                code="iso14001",
                value=["ISO_14001"],
                label_en="ISO 14001 environmental management",
                label_hi="आईएसओ 14001 पर्यावरण प्रबंधन",
                explanation_en="Magnet makers report on the recycled content and the "
                "environmental management of their suppliers.",
                explanation_hi="मैग्नेट निर्माता अपने आपूर्तिकर्ताओं की पुनर्चक्रित सामग्री और "
                "पर्यावरण प्रबंधन की जानकारी देते हैं।",
                how_to_qualify_en="Get ISO 14001 certification from an accredited body.",
                how_to_qualify_hi="किसी प्रत्यायित संस्था से आईएसओ 14001 प्रमाणन लें।",
            ),
        ],
        "examples": [
            _example(
                "A swarf recoverer with SPCB consent",
                "eligible",
                processes=["swarf-recovery"],
                certifications=["SPCB_CONSENT"],
            ),
            _example(
                "A swarf recoverer without consent",
                "not_yet",
                processes=["swarf-recovery"],
                certifications=[],
            ),
            _example("A CNC turning shop", "not_eligible"),
        ],
    },
    {
        "role": "training_partner",
        "version": 1,
        "effective_from": GUIDANCE_FROM,
        "source": None,
        "summary_en": "Train a facility's and its cluster's workforce in a process you run "
        "to a certified standard.",
        "summary_hi": "किसी सुविधा और उसके क्लस्टर के कर्मचारियों को प्रमाणित मानक पर चलने वाली "
        "अपनी प्रक्रिया में प्रशिक्षित करना।",
        "criteria": [
            UDYAM,
            OFFERS_A_PROCESS,
            QUALITY,
            _advisory(
                NABL_FOR_TESTING,
                condition_fact="",
                condition_operator="",
                condition_value=None,
                label_en="NABL-accredited lab",
                label_hi="एनएबीएल-प्रत्यायित प्रयोगशाला",
            ),
        ],
        "examples": [
            _example("A CNC shop with ZED Bronze", "eligible"),
            _example("A CNC shop with no certificate", "not_yet", certifications=[]),
        ],
    },
    {
        "role": "bidder",
        "version": 1,
        "effective_from": NOTIFIED_FROM,
        "source": GAZETTE,
        "summary_en": "Bid in the Global Tender Enquiry for one of the five integrated "
        "facilities, alone or as the lead of a consortium. Few MSMEs can; most take part through "
        "the other roles.",
        "summary_hi": "पाँच एकीकृत सुविधाओं में से किसी एक के लिए वैश्विक निविदा में अकेले या किसी "
        "संघ (कंसोर्टियम) के प्रमुख के रूप में बोली लगाना। कम एमएसएमई ऐसा कर सकते हैं; अधिकतर अन्य "
        "भूमिकाओं से जुड़ते हैं।",
        "criteria": [
            {
                "code": "capacity_range",
                "label_en": "Capacity of 600 to 1,200 MTPA",
                "label_hi": "600 से 1,200 एमटीपीए की क्षमता",
                "fact": "capacity_sought_mtpa",
                "operator": "between",
                "value": [600, 1200],
                "basis": "notified",
                "attainable": True,
                "explanation_en": "Each beneficiary is allotted between 600 and 1,200 metric "
                "tonnes a year of integrated sintered magnet capacity.",
                "explanation_hi": "हर लाभार्थी को 600 से 1,200 मीट्रिक टन प्रति वर्ष की एकीकृत "
                "सिंटर्ड मैग्नेट क्षमता आवंटित होती है।",
                "how_to_qualify_en": "Bid for a capacity between 600 and 1,200 MTPA.",
                "how_to_qualify_hi": "600 से 1,200 एमटीपीए के बीच की क्षमता के लिए बोली लगाएँ।",
                "source": GAZETTE,
            },
            {
                "code": "capacity_step",
                "label_en": "In multiples of 100 MTPA",
                "label_hi": "100 एमटीपीए के गुणकों में",
                "fact": "capacity_sought_mtpa",
                "operator": "multiple_of",
                "value": 100,
                "basis": "notified",
                "attainable": True,
                "explanation_en": "Capacity is allotted in steps of 100 MTPA.",
                "explanation_hi": "क्षमता 100 एमटीपीए के चरणों में आवंटित होती है।",
                "how_to_qualify_en": "Round the capacity you bid for to a multiple of 100 MTPA.",
                "how_to_qualify_hi": "बोली की क्षमता को 100 एमटीपीए के गुणक में रखें।",
                "source": GAZETTE,
            },
            {
                "code": "net_worth",
                "label_en": "Net worth of the slab for that capacity",
                "label_hi": "उस क्षमता के स्लैब जितनी निवल संपत्ति",
                "fact": "net_worth_crore",
                "operator": "at_least_by_band",
                "value": {"by": "capacity_sought_mtpa", "bands": NET_WORTH_BANDS},
                "basis": "notified",
                "attainable": False,
                "explanation_en": "A bidder's net worth must reach the slab for the capacity "
                "sought: ₹180 crore for 600 MTPA, ₹245 crore for 700–800, ₹310 crore for "
                "900–1,000 and ₹375 crore for 1,100–1,200.",
                "explanation_hi": "बोलीदाता की निवल संपत्ति माँगी गई क्षमता के स्लैब तक होनी "
                "चाहिए: 600 एमटीपीए के लिए ₹180 करोड़, 700–800 के लिए ₹245 करोड़, 900–1,000 "
                "के लिए ₹310 करोड़ और 1,100–1,200 के लिए ₹375 करोड़।",
                "how_to_qualify_en": "Bid for a capacity your net worth covers, or bid as part "
                "of a consortium whose lead meets the slab.",
                "how_to_qualify_hi": "उतनी क्षमता के लिए बोली लगाएँ जितनी आपकी निवल संपत्ति से "
                "पूरी हो, या ऐसे संघ के हिस्से के रूप में जिसका प्रमुख स्लैब पूरा करता हो।",
                "source": GAZETTE,
            },
            {
                "code": "lead_equity",
                "label_en": "A consortium's lead holds at least 51 % equity",
                "label_hi": "संघ के प्रमुख के पास कम से कम 51 % इक्विटी",
                "fact": "lead_equity_percent",
                "operator": "at_least",
                "value": 51,
                "basis": "notified",
                "attainable": True,
                "explanation_en": "Companies may bid alone or as a consortium whose lead member "
                "holds at least 51 % of its equity.",
                "explanation_hi": "कंपनियाँ अकेले या ऐसे संघ के रूप में बोली लगा सकती हैं जिसके "
                "प्रमुख सदस्य के पास उसकी कम से कम 51 % इक्विटी हो।",
                "how_to_qualify_en": "Restructure the consortium so its lead holds 51 % or more.",
                "how_to_qualify_hi": "संघ को ऐसे गठित करें कि प्रमुख के पास 51 % या अधिक हो।",
                "source": GAZETTE,
            },
        ],
        "examples": [
            _example(
                "A company seeking 600 MTPA with ₹200 crore net worth",
                "eligible",
                bidding=True,
                capacity_sought_mtpa=600,
                net_worth_crore="200",
            ),
            _example(
                "A consortium seeking 800 MTPA, lead at 45 %",
                "not_yet",
                bidding=True,
                capacity_sought_mtpa=800,
                net_worth_crore="300",
                consortium=True,
                lead_equity_percent="45",
            ),
            _example(
                "A company seeking 1,200 MTPA with ₹300 crore",
                "not_eligible",
                bidding=True,
                capacity_sought_mtpa=1200,
                net_worth_crore="300",
            ),
            _example("An MSME not bidding", "not_assessed"),
        ],
    },
]
