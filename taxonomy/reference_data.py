"""The vocabulary of PRODUCT.md: capability taxonomy, certification types, strategic sectors.

Slugs and codes are a public format (imports and the API use them).
"""

# (category slug, name, Hindi name, [(process slug, name, Hindi name), ...]). The Hindi names use
# the English technical term where that is what Indian shop floors say (सीएनसी टर्निंग), and the
# Hindi word where there is a common one (ताप उपचार, परीक्षण, निरीक्षण).
CAPABILITY_TAXONOMY: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "machining",
        "Machining",
        "मशीनिंग",
        [
            ("cnc-turning", "CNC turning", "सीएनसी टर्निंग"),
            ("cnc-milling", "CNC milling", "सीएनसी मिलिंग"),
            ("surface-grinding", "Surface grinding", "सरफ़ेस ग्राइंडिंग"),
            ("centreless-grinding", "Centreless grinding", "सेंटरलेस ग्राइंडिंग"),
            ("wire-edm", "Wire EDM", "वायर ईडीएम"),
            ("magnet-slicing", "Magnet slicing", "मैग्नेट स्लाइसिंग"),
        ],
    ),
    (
        "heat-treatment",
        "Heat treatment",
        "ताप उपचार",
        [
            ("vacuum-sintering", "Vacuum sintering", "वैक्यूम सिंटरिंग"),
            ("ageing-annealing", "Ageing and annealing", "एजिंग और एनीलिंग"),
            ("hydrogen-decrepitation", "Hydrogen decrepitation", "हाइड्रोजन डिक्रेपिटेशन"),
            ("grain-boundary-diffusion", "Grain boundary diffusion", "ग्रेन बाउंड्री डिफ़्यूज़न"),
        ],
    ),
    (
        "coatings",
        "Coatings",
        "कोटिंग",
        [
            ("nicuni-plating", "NiCuNi plating", "निकल-कॉपर-निकल प्लेटिंग"),
            ("zinc-plating", "Zinc plating", "ज़िंक प्लेटिंग"),
            ("epoxy-coating", "Epoxy coating", "एपॉक्सी कोटिंग"),
            ("parylene-coating", "Parylene coating", "पैरिलीन कोटिंग"),
            ("aluminium-ivd", "Aluminium IVD", "एल्युमिनियम आईवीडी कोटिंग"),
            ("phosphating", "Phosphating", "फ़ॉस्फ़ेटिंग"),
        ],
    ),
    (
        "testing",
        "Testing",
        "परीक्षण",
        [
            ("bh-curve-testing", "B-H curve testing", "बी-एच कर्व परीक्षण"),
            ("flux-testing", "Flux testing", "फ़्लक्स परीक्षण"),
            ("cmm-inspection", "CMM inspection", "सीएमएम निरीक्षण"),
            ("salt-spray-testing", "Salt spray testing", "सॉल्ट स्प्रे परीक्षण"),
            ("hast-pct-testing", "HAST / PCT testing", "एचएएसटी / पीसीटी परीक्षण"),
            ("composition-analysis", "Composition analysis", "रासायनिक संघटन विश्लेषण"),
        ],
    ),
    (
        "recycling",
        "Recycling",
        "पुनर्चक्रण",
        [
            ("swarf-recovery", "Swarf recovery", "स्वार्फ़ से धातु की पुनर्प्राप्ति"),
            ("hydrogen-recycling", "Hydrogen recycling", "हाइड्रोजन पुनर्चक्रण"),
            (
                "hydrometallurgical-recovery",
                "Hydrometallurgical recovery",
                "हाइड्रोमेटलर्जिकल पुनर्प्राप्ति",
            ),
        ],
    ),
    (
        "furnace-components",
        "Furnace components",
        "भट्टी के पुर्ज़े",
        [
            ("graphite-fixtures", "Graphite fixtures", "ग्रेफ़ाइट फ़िक्स्चर"),
            ("molybdenum-parts", "Molybdenum parts", "मॉलिब्डेनम के पुर्ज़े"),
            ("heating-elements", "Heating elements", "हीटिंग एलिमेंट"),
            ("furnace-maintenance", "Furnace maintenance", "भट्टी का रखरखाव"),
        ],
    ),
    (
        "packaging",
        "Packaging",
        "पैकेजिंग",
        [
            ("shielded-packaging", "Magnetically shielded packaging", "चुंबकीय शील्डिंग वाली पैकेजिंग"),
            ("air-freight-packaging", "Air-freight packaging", "हवाई माल-ढुलाई के लिए पैकेजिंग"),
            ("industrial-crating", "Industrial crating", "औद्योगिक क्रेटिंग"),
        ],
    ),
    (
        "inspection-equipment",
        "Inspection equipment",
        "निरीक्षण उपकरण",
        [
            ("gaussmeters-fluxmeters", "Gaussmeters and fluxmeters", "गॉसमीटर और फ़्लक्समीटर"),
            ("laser-measurement", "Laser measurement", "लेज़र मापन"),
            (
                "automated-optical-inspection",
                "Automated optical inspection",
                "स्वचालित ऑप्टिकल निरीक्षण",
            ),
        ],
    ),
    (
        "tooling",
        "Tooling",
        "टूलिंग",
        [
            ("press-tooling", "Press tooling", "प्रेस टूलिंग"),
            ("jigs-fixtures", "Jigs and fixtures", "जिग और फ़िक्स्चर"),
            ("bonded-magnet-moulds", "Bonded magnet moulds", "बॉन्डेड मैग्नेट के साँचे"),
        ],
    ),
    (
        "motors",
        "Motors",
        "मोटर",
        [
            ("bldc-motor-assembly", "BLDC motor assembly", "बीएलडीसी मोटर असेंबली"),
            ("small-motor-manufacturing", "Small motor manufacturing", "छोटी मोटरों का विनिर्माण"),
        ],
    ),
]

# (code, name, Hindi name, description, ZED level). Standards keep their numbers; the body's
# initials are written as Hindi readers say them (आईएसओ, एनएबीएल).
CERTIFICATION_TYPES: list[tuple[str, str, str, str, int | None]] = [
    ("ISO_9001", "ISO 9001", "आईएसओ 9001", "Quality management system", None),
    (
        "IATF_16949",
        "IATF 16949",
        "आईएटीएफ़ 16949",
        "Automotive quality management system",
        None,
    ),
    ("AS9100", "AS9100", "एएस 9100", "Aerospace and defence quality management system", None),
    ("ISO_14001", "ISO 14001", "आईएसओ 14001", "Environmental management system", None),
    (
        "ISO_45001",
        "ISO 45001",
        "आईएसओ 45001",
        "Occupational health and safety management system",
        None,
    ),
    (
        "NABL",
        "NABL accreditation",
        "एनएबीएल प्रत्यायन",
        "ISO/IEC 17025 accreditation, for testing laboratories",
        None,
    ),
    (
        "ZED_BRONZE",
        "ZED Bronze",
        "ज़ेड कांस्य",
        "Zero Defect Zero Effect certification, bronze level",
        1,
    ),
    (
        "ZED_SILVER",
        "ZED Silver",
        "ज़ेड रजत",
        "Zero Defect Zero Effect certification, silver level",
        2,
    ),
    ("ZED_GOLD", "ZED Gold", "ज़ेड स्वर्ण", "Zero Defect Zero Effect certification, gold level", 3),
    (
        "SPCB_CONSENT",
        "SPCB consent",
        "एसपीसीबी सहमति",
        "State Pollution Control Board consent to operate (platers and recyclers)",
        None,
    ),
]

# (slug, name, Hindi name, headline?)
STRATEGIC_SECTORS = [
    ("electric-mobility", "Electric mobility", "इलेक्ट्रिक मोबिलिटी", True),
    ("defence", "Defence", "रक्षा", True),
    ("renewable-energy", "Renewable energy", "नवीकरणीय ऊर्जा", True),
    ("industrial-automation", "Industrial automation", "औद्योगिक स्वचालन", True),
    ("electronics", "Electronics", "इलेक्ट्रॉनिक्स", True),
    ("aerospace", "Aerospace", "एयरोस्पेस", False),
    ("medical-devices", "Medical devices", "चिकित्सा उपकरण", False),
]
