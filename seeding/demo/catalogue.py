"""What demo generation draws from: kinds of MSME, their processes and sizes, what plants buy.

Plain data and a few small types; no queries. The generators in ``suppliers.py`` and ``needs.py``
read these with one seeded random stream each, so editing a table here changes the rows a seed
gives (the determinism test in tests/seeding/test_seed_demo.py shows by how much).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from taxonomy.choices import Material, MsmeCategory, Unit

# Fixed dates, so a seed gives the same rows on any day. Certificates: ~18% expired in
# 2024-06-01 … 2026-09-30, the rest valid until 2027-01-01 … 2029-12-31 (the expired share
# therefore grows once 2027 starts). Needs fall due 2027–2029, as facilities commission.
ANCHOR_YEAR = 2026
EXPIRED_CERTIFICATE_SHARE = 0.18
EXPIRED_FROM, EXPIRED_TO = datetime.date(2024, 6, 1), datetime.date(2026, 9, 30)
VALID_FROM, VALID_TO = datetime.date(2027, 1, 1), datetime.date(2029, 12, 31)
DUE_FROM, DUE_TO = datetime.date(2027, 1, 1), datetime.date(2029, 12, 31)
COORDINATE_JITTER = 0.08
CRORE = 10_000_000
LAKH = 100_000


@dataclass(frozen=True)
class ProcessSpec:
    """How a capability or need for a process is measured."""

    unit: str
    capacity: tuple[int, int]  # monthly capacity of a small supplier, low–high, in ``unit``
    tolerance_um: tuple[float, float] | None = None  # best achievable, fine–coarse
    temperature_c: tuple[int, int] | None = None  # maximum process temperature, low–high


CATEGORY_SPECS: dict[str, ProcessSpec] = {
    "machining": ProcessSpec(Unit.PIECES, (5_000, 400_000), tolerance_um=(5, 50)),
    "heat-treatment": ProcessSpec(Unit.KG, (500, 40_000), temperature_c=(600, 1_000)),
    "coatings": ProcessSpec(Unit.PIECES, (20_000, 2_000_000)),
    "testing": ProcessSpec(Unit.TESTS, (200, 20_000)),
    "recycling": ProcessSpec(Unit.KG, (1_000, 200_000)),
    "furnace-components": ProcessSpec(Unit.SETS, (5, 400), temperature_c=(1_000, 1_400)),
    "packaging": ProcessSpec(Unit.PIECES, (1_000, 100_000)),
    "inspection-equipment": ProcessSpec(Unit.SETS, (5, 300)),
    "tooling": ProcessSpec(Unit.SETS, (5, 200)),
    "motors": ProcessSpec(Unit.PIECES, (500, 50_000)),
}
PROCESS_SPECS: dict[str, ProcessSpec] = {
    "cnc-turning": ProcessSpec(Unit.PIECES, (5_000, 400_000), tolerance_um=(5, 50)),
    "cnc-milling": ProcessSpec(Unit.PIECES, (5_000, 300_000), tolerance_um=(8, 50)),
    "surface-grinding": ProcessSpec(Unit.PIECES, (10_000, 500_000), tolerance_um=(2, 10)),
    "centreless-grinding": ProcessSpec(Unit.PIECES, (20_000, 800_000), tolerance_um=(2, 8)),
    "wire-edm": ProcessSpec(Unit.PIECES, (2_000, 100_000), tolerance_um=(2, 8)),
    "magnet-slicing": ProcessSpec(Unit.PIECES, (20_000, 1_000_000), tolerance_um=(5, 30)),
    "vacuum-sintering": ProcessSpec(Unit.KG, (2_000, 60_000), temperature_c=(1_100, 1_400)),
    "ageing-annealing": ProcessSpec(Unit.KG, (1_000, 50_000), temperature_c=(600, 1_000)),
    "hydrogen-decrepitation": ProcessSpec(Unit.KG, (2_000, 60_000), temperature_c=(600, 900)),
    "grain-boundary-diffusion": ProcessSpec(Unit.KG, (500, 20_000), temperature_c=(800, 1_000)),
    "composition-analysis": ProcessSpec(Unit.TESTS, (100, 5_000)),
    "furnace-maintenance": ProcessSpec(
        Unit.MACHINE_HOURS, (100, 2_000), temperature_c=(1_000, 1_400)
    ),
    "industrial-crating": ProcessSpec(Unit.PIECES, (200, 10_000)),
}
# Capacity grows with the firm: a medium plant does several times what a micro shop does.
CAPACITY_SCALE = {
    MsmeCategory.MICRO: 0.5,
    MsmeCategory.SMALL: 1.0,
    MsmeCategory.MEDIUM: 2.5,
    MsmeCategory.NOT_MSME: 4.0,
}
# Materials a shop handles, with how often; slugs whose chemistry fixes the material override it.
MATERIAL_ODDS = [
    (Material.NDFEB_SINTERED, 0.85),
    (Material.NDFEB_BONDED, 0.3),
    (Material.SMCO, 0.25),
    (Material.FERRITE, 0.35),
]
FIXED_MATERIALS = {
    "hydrogen-decrepitation": [Material.NDFEB_SINTERED],
    "grain-boundary-diffusion": [Material.NDFEB_SINTERED],
    "hydrogen-recycling": [Material.NDFEB_SINTERED],
    "bonded-magnet-moulds": [Material.NDFEB_BONDED],
}


@dataclass(frozen=True)
class Archetype:
    """A kind of MSME: the processes it combines, what it is called, whom it serves."""

    key: str
    weight: int
    core: tuple[str, ...]
    core_count: tuple[int, int]
    extras: tuple[tuple[str, float], ...]  # (process slug, probability)
    trades: tuple[str, ...]  # "Precision Works", "Coatings", ...
    sectors: tuple[str, ...]  # sector slugs it leans towards


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        "machining",
        30,
        (
            "cnc-turning",
            "cnc-milling",
            "surface-grinding",
            "centreless-grinding",
            "wire-edm",
            "magnet-slicing",
        ),
        (2, 4),
        (("cmm-inspection", 0.35), ("jigs-fixtures", 0.1)),
        (
            "Precision Works",
            "Precision Engineering",
            "Engineering",
            "CNC Technologies",
            "Precision Components",
            "Industries",
            "Tool Room",
        ),
        ("electric-mobility", "defence", "aerospace", "industrial-automation"),
    ),
    Archetype(
        "coater",
        14,
        (
            "nicuni-plating",
            "zinc-plating",
            "epoxy-coating",
            "parylene-coating",
            "aluminium-ivd",
            "phosphating",
        ),
        (1, 3),
        (("salt-spray-testing", 0.5),),
        ("Coatings", "Surface Finishers", "Electroplaters", "Surface Technologies", "Industries"),
        ("electric-mobility", "electronics", "renewable-energy"),
    ),
    Archetype(
        "lab",
        7,
        (
            "bh-curve-testing",
            "flux-testing",
            "cmm-inspection",
            "salt-spray-testing",
            "hast-pct-testing",
            "composition-analysis",
        ),
        (2, 4),
        (),
        ("Testing Labs", "Metrology Labs", "Analytical Labs", "Test House", "Quality Labs"),
        ("defence", "aerospace", "electronics", "medical-devices"),
    ),
    Archetype(
        "heat-treater",
        6,
        (
            "ageing-annealing",
            "ageing-annealing",
            "vacuum-sintering",
            "hydrogen-decrepitation",
            "grain-boundary-diffusion",
        ),
        (1, 2),
        (("furnace-maintenance", 0.25),),
        ("Heat Treaters", "Thermal Processing", "Vacuum Technologies", "Heat Treatment Services"),
        ("electric-mobility", "renewable-energy", "defence"),
    ),
    Archetype(
        "recycler",
        5,
        ("swarf-recovery", "hydrogen-recycling", "hydrometallurgical-recovery"),
        (1, 2),
        (("composition-analysis", 0.15),),
        ("Metal Recyclers", "Green Metals", "Recycling Industries", "Resource Recovery"),
        ("renewable-energy", "electric-mobility"),
    ),
    Archetype(
        "furnace",
        6,
        ("graphite-fixtures", "molybdenum-parts", "heating-elements", "furnace-maintenance"),
        (1, 3),
        (),
        ("Furnace Engineering", "Graphite Products", "Thermal Systems", "Refractory Works"),
        ("industrial-automation", "renewable-energy"),
    ),
    Archetype(
        "packaging",
        8,
        ("shielded-packaging", "air-freight-packaging", "industrial-crating"),
        (1, 3),
        (),
        ("Packaging Industries", "Crates & Pallets", "Packaging Solutions", "Enterprises"),
        ("electronics", "electric-mobility"),
    ),
    Archetype(
        "instruments",
        5,
        ("gaussmeters-fluxmeters", "laser-measurement", "automated-optical-inspection"),
        (1, 3),
        (("flux-testing", 0.2),),
        ("Instruments", "Measurement Systems", "Electronics", "Magnetics"),
        ("electronics", "industrial-automation", "medical-devices"),
    ),
    Archetype(
        "tooling",
        10,
        ("press-tooling", "jigs-fixtures", "bonded-magnet-moulds"),
        (1, 3),
        (("cnc-milling", 0.3), ("wire-edm", 0.25)),
        ("Tools & Dies", "Moulds", "Tooling Solutions", "Press Tools", "Engineering"),
        ("electric-mobility", "industrial-automation"),
    ),
    Archetype(
        "motors",
        9,
        ("bldc-motor-assembly", "small-motor-manufacturing"),
        (1, 2),
        (("flux-testing", 0.15),),
        ("Motors", "Electricals", "Magnetics", "Drives", "Electro Mechanicals"),
        ("electric-mobility", "industrial-automation", "renewable-energy", "electronics"),
    ),
)

# Size tiers, as fractions of the limits in force (so a revision of the limits moves them):
# (share of suppliers, tier index: 0 micro … 3 above medium).
SIZE_TIERS = [(0.70, 0), (0.22, 1), (0.06, 2), (0.02, 3)]
EMPLOYEES = {0: (3, 40), 1: (20, 250), 2: (100, 1_000), 3: (500, 3_000)}

# Legal form → (name suffix, PAN holder type: company, firm/LLP, person), with shares.
LEGAL_FORMS = [("Pvt Ltd", "C", 0.40), ("LLP", "F", 0.15), ("", "P", 0.45)]
SOUTH_STATES = {"TN", "KA", "AP", "TS", "KL"}
WEST_STATES = {"GJ", "RJ", "MH", "MP"}
HUB_WORDS = (
    "auto",
    "engineering",
    "electronic",
    "aerospace",
    "precision",
    "foundr",
    "machine",
    "tool",
    "steel",
    "electrical",
    "pump",
)

# First digits of PIN codes by state (India Post's postal circles).
PIN_PREFIXES: dict[str, tuple[str, ...]] = {
    "DL": ("110",),
    "HR": ("12", "13"),
    "PB": ("14", "15", "16"),
    "HP": ("17",),
    "UP": ("20", "21", "22", "23", "27", "28"),
    "UK": ("24", "26"),
    "RJ": ("30", "31", "32", "33", "34"),
    "GJ": ("36", "37", "38", "39"),
    "MH": ("40", "41", "42", "43", "44"),
    "GA": ("403",),
    "MP": ("45", "46", "47", "48"),
    "CG": ("49",),
    "TS": ("50",),
    "AP": ("51", "52", "53"),
    "KA": ("56", "57", "58", "59"),
    "TN": ("60", "61", "62", "63", "64"),
    "KL": ("67", "68", "69"),
    "WB": ("70", "71", "72", "73", "74"),
    "OD": ("75", "76", "77"),
    "BR": ("80", "84", "85"),
    "JH": ("81", "82", "83"),
}

CERTIFICATION_BODIES = (
    "TÜV SÜD South Asia",
    "Bureau Veritas (India)",
    "Intertek India",
    "TÜV Rheinland (India)",
    "DNV Business Assurance India",
    "BSI Group India",
)
POLLUTION_CONTROL_BOARDS = {
    "AP": "Andhra Pradesh Pollution Control Board",
    "CG": "Chhattisgarh Environment Conservation Board",
    "DL": "Delhi Pollution Control Committee",
    "GA": "Goa State Pollution Control Board",
    "GJ": "Gujarat Pollution Control Board",
    "HP": "Himachal Pradesh State Pollution Control Board",
    "HR": "Haryana State Pollution Control Board",
    "JH": "Jharkhand State Pollution Control Board",
    "KA": "Karnataka State Pollution Control Board",
    "KL": "Kerala State Pollution Control Board",
    "MH": "Maharashtra Pollution Control Board",
    "MP": "Madhya Pradesh Pollution Control Board",
    "OD": "State Pollution Control Board, Odisha",
    "PB": "Punjab Pollution Control Board",
    "RJ": "Rajasthan State Pollution Control Board",
    "TN": "Tamil Nadu Pollution Control Board",
    "TS": "Telangana State Pollution Control Board",
    "UK": "Uttarakhand Environment Protection and Pollution Control Board",
    "UP": "Uttar Pradesh Pollution Control Board",
    "WB": "West Bengal Pollution Control Board",
}

# What a magnet plant buys, by capability category: (weight, title connector, what it is for).
NEED_CATEGORIES: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "machining": (
        30,
        "of",
        (
            "N48H arc segments for traction motors",
            "N52 rectangular blocks for wind generators",
            "sintered rings for servo motors",
            "discs for speed sensors",
            "tiles for BLDC rotors",
        ),
    ),
    "coatings": (
        20,
        "of",
        ("finished arc segments", "sintered ring magnets", "rotor magnet sets", "sensor discs"),
    ),
    "testing": (
        15,
        "of",
        (
            "production lots",
            "incoming alloy lots",
            "customer PPAP samples",
            "coated magnet batches",
        ),
    ),
    "heat-treatment": (8, "of", ("green compacts", "strip-cast alloy flakes", "sintered blocks")),
    "recycling": (6, "of", ("grinding swarf", "rejected magnets", "slicing sludge")),
    "furnace-components": (8, "for", ("sintering furnaces", "ageing furnaces", "the furnace hall")),
    "packaging": (6, "for", ("export consignments", "magnetised rotor sets", "bulk magnet blocks")),
    "inspection-equipment": (
        4,
        "for",
        ("the quality lab", "the magnetising line", "final inspection"),
    ),
    "tooling": (3, "for", ("the pressing line", "the bonded-magnet line", "the assembly line")),
}
NEED_CERTIFICATIONS: dict[str, tuple[str, ...]] = {
    "machining": ("ISO_9001", "IATF_16949", "AS9100"),
    "coatings": ("ISO_9001", "SPCB_CONSENT", "IATF_16949"),
    "testing": ("NABL", "ISO_9001"),
    "heat-treatment": ("ISO_9001", "SPCB_CONSENT"),
    "recycling": ("SPCB_CONSENT", "ISO_14001"),
    "furnace-components": ("ISO_9001", "ISO_45001"),
    "packaging": ("ISO_9001",),
    "inspection-equipment": ("ISO_9001", "NABL"),
    "tooling": ("ISO_9001",),
    "motors": ("ISO_9001", "IATF_16949"),
}

# A need's quantity by unit, low–high (log-uniform).
NEED_QUANTITIES = {
    Unit.PIECES: (10_000, 2_000_000),
    Unit.KG: (1_000, 100_000),
    Unit.TONNES: (5, 500),
    Unit.SETS: (5, 200),
    Unit.TESTS: (100, 10_000),
    Unit.MACHINE_HOURS: (100, 2_000),
    Unit.SQ_METRES: (100, 10_000),
}
