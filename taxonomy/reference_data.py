"""The vocabulary of PRODUCT.md: capability taxonomy, certification types, strategic sectors.

Slugs and codes are a public format (imports and the API use them).
"""

# (category slug, category name, [(process slug, process name), ...])
CAPABILITY_TAXONOMY: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "machining",
        "Machining",
        [
            ("cnc-turning", "CNC turning"),
            ("cnc-milling", "CNC milling"),
            ("surface-grinding", "Surface grinding"),
            ("centreless-grinding", "Centreless grinding"),
            ("wire-edm", "Wire EDM"),
            ("magnet-slicing", "Magnet slicing"),
        ],
    ),
    (
        "heat-treatment",
        "Heat treatment",
        [
            ("vacuum-sintering", "Vacuum sintering"),
            ("ageing-annealing", "Ageing and annealing"),
            ("hydrogen-decrepitation", "Hydrogen decrepitation"),
            ("grain-boundary-diffusion", "Grain boundary diffusion"),
        ],
    ),
    (
        "coatings",
        "Coatings",
        [
            ("nicuni-plating", "NiCuNi plating"),
            ("zinc-plating", "Zinc plating"),
            ("epoxy-coating", "Epoxy coating"),
            ("parylene-coating", "Parylene coating"),
            ("aluminium-ivd", "Aluminium IVD"),
            ("phosphating", "Phosphating"),
        ],
    ),
    (
        "testing",
        "Testing",
        [
            ("bh-curve-testing", "B-H curve testing"),
            ("flux-testing", "Flux testing"),
            ("cmm-inspection", "CMM inspection"),
            ("salt-spray-testing", "Salt spray testing"),
            ("hast-pct-testing", "HAST / PCT testing"),
            ("composition-analysis", "Composition analysis"),
        ],
    ),
    (
        "recycling",
        "Recycling",
        [
            ("swarf-recovery", "Swarf recovery"),
            ("hydrogen-recycling", "Hydrogen recycling"),
            ("hydrometallurgical-recovery", "Hydrometallurgical recovery"),
        ],
    ),
    (
        "furnace-components",
        "Furnace components",
        [
            ("graphite-fixtures", "Graphite fixtures"),
            ("molybdenum-parts", "Molybdenum parts"),
            ("heating-elements", "Heating elements"),
            ("furnace-maintenance", "Furnace maintenance"),
        ],
    ),
    (
        "packaging",
        "Packaging",
        [
            ("shielded-packaging", "Magnetically shielded packaging"),
            ("air-freight-packaging", "Air-freight packaging"),
            ("industrial-crating", "Industrial crating"),
        ],
    ),
    (
        "inspection-equipment",
        "Inspection equipment",
        [
            ("gaussmeters-fluxmeters", "Gaussmeters and fluxmeters"),
            ("laser-measurement", "Laser measurement"),
            ("automated-optical-inspection", "Automated optical inspection"),
        ],
    ),
    (
        "tooling",
        "Tooling",
        [
            ("press-tooling", "Press tooling"),
            ("jigs-fixtures", "Jigs and fixtures"),
            ("bonded-magnet-moulds", "Bonded magnet moulds"),
        ],
    ),
    (
        "motors",
        "Motors",
        [
            ("bldc-motor-assembly", "BLDC motor assembly"),
            ("small-motor-manufacturing", "Small motor manufacturing"),
        ],
    ),
]

# (code, name, description, ZED level)
CERTIFICATION_TYPES: list[tuple[str, str, str, int | None]] = [
    ("ISO_9001", "ISO 9001", "Quality management system", None),
    ("IATF_16949", "IATF 16949", "Automotive quality management system", None),
    ("AS9100", "AS9100", "Aerospace and defence quality management system", None),
    ("ISO_14001", "ISO 14001", "Environmental management system", None),
    ("ISO_45001", "ISO 45001", "Occupational health and safety management system", None),
    ("NABL", "NABL accreditation", "ISO/IEC 17025 accreditation, for testing laboratories", None),
    ("ZED_BRONZE", "ZED Bronze", "Zero Defect Zero Effect certification, bronze level", 1),
    ("ZED_SILVER", "ZED Silver", "Zero Defect Zero Effect certification, silver level", 2),
    ("ZED_GOLD", "ZED Gold", "Zero Defect Zero Effect certification, gold level", 3),
    (
        "SPCB_CONSENT",
        "SPCB consent",
        "State Pollution Control Board consent to operate (platers and recyclers)",
        None,
    ),
]

# (slug, name, headline?)
STRATEGIC_SECTORS = [
    ("electric-mobility", "Electric mobility", True),
    ("defence", "Defence", True),
    ("renewable-energy", "Renewable energy", True),
    ("industrial-automation", "Industrial automation", True),
    ("electronics", "Electronics", True),
    ("aerospace", "Aerospace", False),
    ("medical-devices", "Medical devices", False),
]
