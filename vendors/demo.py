"""Deterministic synthetic MSMEs and facility needs for demos and load tests (`seed_demo`).

The same seed and the same reference data give the same rows (names, Udyam numbers, GSTINs,
capabilities, certificates, needs) on any day and any database: all randomness comes from one
``random.Random(seed)`` and a Faker seeded with ``seed_instance(seed)``, reference rows are read in
a fixed order, dates are fixed (never "today + n"), and nothing iterates a set.

Speed: 100,000 suppliers bring ~300,000 capabilities, ~150,000 certificates and ~200,000 sector
links. Rows are generated as plain tuples in batches and written with COPY on PostgreSQL (ids
reserved from the table's sequence first, so children can reference them) or ``bulk_create``
elsewhere. Model ``save()`` is never called, so the derived fields it would set (PAN, category,
coordinates) are computed here, with the same rules; and no history rows are written for demo data.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from faker import Faker

from clusters.geo import (
    INDIA_MAX_LATITUDE,
    INDIA_MAX_LONGITUDE,
    INDIA_MIN_LATITUDE,
    INDIA_MIN_LONGITUDE,
)
from clusters.models import Cluster, District
from clusters.reference_data import CANDIDATE_STATE_CODES
from schemes.models import Facility, Need, StrategicSector, Unit

from .categories import MsmeCategory
from .identifiers import make_gstin, make_pan, make_udyam_number
from .models import (
    Certification,
    CertificationType,
    Material,
    MsmeLimit,
    Process,
    Supplier,
    SupplierCapability,
    classify_msme,
)

ProgressCallback = Callable[[str], None]

BATCH_SIZE = 5_000
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


class ReferenceDataMissing(Exception):
    """seed_demo needs the reference data (states, districts, taxonomy, facilities, limits)."""


# --- What the generator draws from -----------------------------------------------------------


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


# --- Reading the reference data once ----------------------------------------------------------


@dataclass(frozen=True)
class ProcessRef:
    id: int
    slug: str
    name: str
    category: str
    spec: ProcessSpec
    unit: str  # spec.unit as a plain string


@dataclass(frozen=True)
class DistrictRef:
    id: int
    code: str
    name: str
    headquarters: str
    latitude: float
    longitude: float
    state_id: int
    state_code: str
    state_name: str
    gst_code: str


@dataclass
class Reference:
    """Reference rows in a fixed order (by natural key): the random stream maps to the same rows."""

    districts: list[DistrictRef]
    district_cum_weights: list[float]
    processes: dict[str, ProcessRef]
    certification_types: dict[str, int]
    sectors: dict[str, int]
    limits: list[MsmeLimit]
    facilities: list[Facility]
    repm_clusters: list[Cluster]


def _district_weight(district: District, cluster_district_ids: set[int]) -> float:
    """Candidate states, cluster districts and industrial hubs host more suppliers."""
    weight = 1.0
    if district.state.code in CANDIDATE_STATE_CODES:
        weight *= 3
    if district.pk in cluster_district_ids:
        weight *= 2
    note = district.industrial_note.lower()
    if any(word in note for word in HUB_WORDS):
        weight *= 2
    return weight


def _process_ref(process: Process) -> ProcessRef:
    spec = (
        PROCESS_SPECS.get(process.slug)
        or CATEGORY_SPECS.get(process.category.slug)
        or ProcessSpec(Unit.PIECES, (1_000, 100_000))  # a process added after this was written
    )
    return ProcessRef(
        id=process.pk,
        slug=process.slug,
        name=process.name,
        category=process.category.slug,
        spec=spec,
        unit=str(spec.unit),
    )


def reference_read(*, today: datetime.date | None = None) -> Reference:
    """Load what generation needs, or raise ReferenceDataMissing naming what is absent."""
    districts = list(District.objects.select_related("state").order_by("state__code", "code"))
    processes = list(Process.objects.select_related("category").order_by("slug"))
    certification_types = dict(CertificationType.objects.order_by("code").values_list("code", "id"))
    sectors = dict(StrategicSector.objects.order_by("slug").values_list("slug", "id"))
    limits = list(MsmeLimit.objects.in_force_on(today or datetime.date.today()))
    facilities = list(Facility.objects.order_by("scheme__slug", "number"))
    repm_clusters = list(
        Cluster.objects.filter(kind=Cluster.Kind.REPM_CLUSTER).order_by("name", "slug")
    )
    missing = [
        name
        for name, rows in [
            ("districts", districts),
            ("processes", processes),
            ("certification types", certification_types),
            ("strategic sectors", sectors),
            ("MSME limits in force", limits),
            ("facilities", facilities),
            ("REPM clusters", repm_clusters),
        ]
        if not rows
    ]
    if missing:
        raise ReferenceDataMissing(
            f"Reference data is missing ({', '.join(missing)}): "
            "run `python manage.py seed_reference` first."
        )
    cluster_district_ids = set(
        Cluster.districts.through.objects.values_list("district_id", flat=True)
    )
    cum_weights: list[float] = []
    total = 0.0
    for district in districts:
        total += _district_weight(district, cluster_district_ids)
        cum_weights.append(total)
    return Reference(
        districts=[
            DistrictRef(
                id=d.pk,
                code=d.code,
                name=d.name,
                headquarters=d.headquarters or d.name,
                latitude=d.latitude,
                longitude=d.longitude,
                state_id=d.state_id,
                state_code=d.state.code,
                state_name=d.state.name,
                gst_code=d.state.gst_code,
            )
            for d in districts
        ],
        district_cum_weights=cum_weights,
        processes={p.slug: _process_ref(p) for p in processes},
        certification_types=certification_types,
        sectors=sectors,
        limits=limits,
        facilities=facilities,
        repm_clusters=repm_clusters,
    )


# --- Writing rows fast ---------------------------------------------------------------------


def _copy_str(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_COPY_ESCAPES)
    return text


@functools.lru_cache(maxsize=16)
def _copy_datetime(value: datetime.datetime) -> str:
    return value.isoformat()  # rows share one timestamp: format it once


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Exact types of the values generation produces; COPY text per type (dispatch beats an
# isinstance chain over ~2 million values).
_COPY_FORMATTERS: dict[type, Callable[[Any], str]] = {
    str: _copy_str,
    int: int.__repr__,
    float: float.__repr__,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: "\\N",
    Decimal: Decimal.__str__,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: _copy_datetime,
    list: lambda value: _copy_str(json.dumps(value)),
    dict: lambda value: _copy_str(json.dumps(value)),
}


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    formatter = _COPY_FORMATTERS.get(type(value))
    if formatter is not None:
        return formatter(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _copy_str(str(value))  # TextChoices members and other str subclasses


class RowWriter:
    """Inserts many rows: COPY on PostgreSQL, bulk_create elsewhere.

    COPY is several times faster than multi-row INSERT for 100k+ rows; to let child rows point at
    the parents, parent ids are reserved from the table's sequence first (``nextval`` is safe with
    concurrent writers). Columns not given get their model default, so a field added later with a
    Python-side default does not break the COPY.
    """

    def __init__(self, *, now: datetime.datetime) -> None:
        self.now = now
        self.use_copy = connection.vendor == "postgresql"
        self.seconds: dict[str, float] = {}

    def _columns(
        self, model: type[models.Model], fields: Sequence[str]
    ) -> tuple[list[str], list[models.Field]]:
        given = set(fields)
        extras = [
            f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key
        ]
        columns = [model._meta.get_field(name).column for name in fields]
        return columns + [f.column for f in extras], extras

    def _extra_values(self, extras: list[models.Field]) -> list[Any]:
        values = []
        for f in extras:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                values.append(self.now)
            else:
                values.append(f.get_default())
        return values

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        if not rows:
            return
        started = time.perf_counter()
        if self.use_copy:
            self._copy(model, fields, rows)
        else:
            model._base_manager.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=1_000
            )
        self._count(model, started)

    def insert_returning_ids(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> list[int]:
        if not rows:
            return []
        started = time.perf_counter()
        if self.use_copy:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
            self._copy(
                model, ["id", *fields], [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            )
        else:
            objects = model._base_manager.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=1_000
            )
            ids = [obj.pk for obj in objects]
            if None in ids:
                raise RuntimeError(
                    f"{connection.vendor} does not return ids from bulk inserts; seed_demo needs "
                    "PostgreSQL or SQLite ≥ 3.35."
                )
        self._count(model, started)
        return ids

    def _copy(
        self, model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        columns, extras = self._columns(model, fields)
        buffer = io.StringIO()
        write = buffer.write
        if extras:
            rows = [(*row, *self._extra_values(extras)) for row in rows]
        for row in rows:
            write("\t".join(map(_copy_text, row)))
            write("\n")
        buffer.seek(0)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, buffer)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    copy.write(buffer.getvalue())

    def _count(self, model: type[models.Model], started: float) -> None:
        name = model._meta.db_table
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


# --- Deleting demo rows fast -------------------------------------------------------------------


def _delete_with_dependents(queryset: QuerySet, *, depth: int = 0) -> dict[str, int]:
    """Delete the rows and everything that cascades from them, one DELETE per table.

    ``QuerySet.delete()`` would load every row and send a post_delete signal for each, because
    simple_history listens on Supplier, Certification and Need: minutes for 100,000 suppliers,
    plus a history row per deleted demo row. So the relations are walked here (forward and
    reverse many-to-many through rows, then reverse foreign keys by their ``on_delete``), and each
    table gets one set-based DELETE with a subquery.
    """
    model = queryset.model
    if depth > 6:  # a cycle of cascades (a self-referencing model) would never end
        raise RuntimeError(f"Cascade from {model.__name__} is too deep to delete set-wise.")
    counts: dict[str, int] = {}

    def add(name: str, n: int) -> None:
        counts[name] = counts.get(name, 0) + n

    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        rows = through._base_manager.filter(**{f"{m2m.m2m_field_name()}__in": queryset})
        add(through._meta.db_table, rows._raw_delete(rows.db))
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            rows = through._base_manager.filter(
                **{f"{rel.field.m2m_reverse_field_name()}__in": queryset}
            )
            add(through._meta.db_table, rows._raw_delete(rows.db))
            continue
        related = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": queryset})
        if rel.on_delete is models.CASCADE:
            for name, n in _delete_with_dependents(related, depth=depth + 1).items():
                add(name, n)
        elif rel.on_delete is models.SET_NULL:
            related.update(**{rel.field.name: None})
        elif rel.on_delete in (models.PROTECT, models.RESTRICT) and related.exists():
            raise models.ProtectedError(
                f"{rel.related_model._meta.verbose_name_plural} still refer to demo "
                f"{model._meta.verbose_name_plural}.",
                set(),
            )
    add(model._meta.db_table, queryset._raw_delete(queryset.db))
    return counts


@dataclass
class DemoClearReport:
    deleted: dict[str, int] = field(default_factory=dict)
    facilities_unclustered: int = 0

    @property
    def suppliers(self) -> int:
        return self.deleted.get(Supplier._meta.db_table, 0)

    @property
    def needs(self) -> int:
        return self.deleted.get(Need._meta.db_table, 0)


@transaction.atomic
def demo_clear() -> DemoClearReport:
    """Delete every demo supplier and need (and what hangs off them); undo demo clusters."""
    report = DemoClearReport()
    for queryset in (Need.objects.filter(is_demo=True), Supplier.objects.filter(is_demo=True)):
        for name, n in _delete_with_dependents(queryset).items():
            report.deleted[name] = report.deleted.get(name, 0) + n
    # Only clusters seed_demo assigned: an administrator's choice has cluster_is_demo=False.
    report.facilities_unclustered = Facility.objects.filter(cluster_is_demo=True).update(
        cluster=None, cluster_is_demo=False, updated_at=timezone.now()
    )
    return report


# --- Generating suppliers ----------------------------------------------------------------------


def _round_figure(value: float, digits: int = 2) -> int:
    """Round to ``digits`` significant figures, as people state capacities (12,000 not 12,347)."""
    if value < 1:
        return 1
    magnitude = 10 ** max(math.floor(math.log10(value)) - digits + 1, 0)
    return max(round(value / magnitude) * magnitude, 1)


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


@dataclass(frozen=True)
class NamePools:
    """Name parts drawn from Faker once per run (Faker per row would dominate the run time)."""

    last_names: list[str]
    first_names: list[str]
    streets: list[str]

    @classmethod
    def from_faker(cls, seed: int) -> NamePools:
        fake = Faker("en_IN")
        fake.seed_instance(seed)
        # Sorted and de-duplicated so the pools do not depend on draw order quirks.
        last_names = sorted({fake.last_name() for _ in range(1_500)})
        first_names = sorted({fake.first_name() for _ in range(1_500)})
        streets = sorted({fake.street_name() for _ in range(800)})
        return cls(last_names=last_names, first_names=first_names, streets=streets)


SUPPLIER_FIELDS = [
    "name",
    "udyam_number",
    "gstin",
    "pan",
    "state_id",
    "district_id",
    "address",
    "pin_code",
    "latitude",
    "longitude",
    "investment_rupees",
    "turnover_rupees",
    "category",
    "employees",
    "year_established",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "is_verified",
    "is_active",
    "is_demo",
    "created_at",
    "updated_at",
]
CAPABILITY_FIELDS = [
    "supplier_id",
    "process_id",
    "monthly_capacity",
    "capacity_unit",
    "best_tolerance_um",
    "max_temperature_c",
    "materials",
    "years_experience",
    "updated_at",
]
CERTIFICATION_FIELDS = [
    "supplier_id",
    "certification_type_id",
    "number",
    "issuer",
    "valid_until",
    "is_verified",
    "updated_at",
]


@dataclass
class SupplierDraft:
    row: tuple
    capabilities: list[tuple]  # without supplier_id
    certifications: list[tuple]  # without supplier_id
    sector_ids: list[int]


class SupplierGenerator:
    """Draws suppliers from one seeded random stream; keeps Udyam numbers and GSTINs unique."""

    def __init__(
        self,
        *,
        reference: Reference,
        rng: random.Random,
        pools: NamePools,
        now: datetime.datetime,
        taken_udyam: set[str],
        taken_gstin: set[str],
    ) -> None:
        self.ref = reference
        self.rng = rng
        self.pools = pools
        self.now = now
        self.taken_udyam = taken_udyam
        self.taken_gstin = taken_gstin
        self.archetypes = [a for a in ARCHETYPES if any(s in reference.processes for s in a.core)]
        self.archetype_cum = _cumulative([a.weight for a in self.archetypes])
        self.tier_cum = _cumulative([share for share, _ in SIZE_TIERS])
        self.legal_cum = _cumulative([share for *_, share in LEGAL_FORMS])
        self.sector_slugs = list(reference.sectors)
        by_category = {limit.category: limit for limit in reference.limits}
        # Tier bands (investment, turnover) from the limits in force: micro up to its limits,
        # small up to its, and so on; "above medium" runs to three times the medium limits.
        ceilings = [
            (by_category[c].max_investment_rupees, by_category[c].max_turnover_rupees)
            for c in (MsmeCategory.MICRO, MsmeCategory.SMALL, MsmeCategory.MEDIUM)
            if c in by_category
        ]
        floors = [(10 * LAKH, 20 * LAKH), *ceilings]
        ceilings.append((ceilings[-1][0] * 3, ceilings[-1][1] * 3))
        self.bands = list(zip(floors, ceilings, strict=False))

    def _pick(self, cum_weights: list[float], items: Sequence[Any]) -> Any:
        return self.rng.choices(items, cum_weights=cum_weights)[0]

    def draft(self) -> SupplierDraft:
        rng = self.rng
        archetype: Archetype = self._pick(self.archetype_cum, self.archetypes)
        district: DistrictRef = self._pick(self.ref.district_cum_weights, self.ref.districts)
        trading_name, name, holder = self._name(archetype, district)
        udyam = self._udyam(district)
        gstin = self._gstin(district, name, holder)

        tier = self._pick(self.tier_cum, [tier for _, tier in SIZE_TIERS])
        tier = min(tier, len(self.bands) - 1)
        (inv_floor, turn_floor), (inv_ceiling, turn_ceiling) = self.bands[tier]
        investment = _log_uniform(rng, inv_floor * 1.02, inv_ceiling)
        investment = min(_round_figure(investment, 3), inv_ceiling)
        # Turnover follows investment (asset turns of 1.5–6×), mostly inside the tier's band,
        # so some firms cross into the next category on turnover alone.
        turnover = investment * _log_uniform(rng, 1.5, 6.0)
        turnover = _round_figure(min(max(turnover, turn_floor * 1.02), turn_ceiling * 1.15), 3)
        category = str(
            classify_msme(investment=investment, turnover=turnover, limits=self.ref.limits)
        )
        employees = rng.randint(*EMPLOYEES[min(tier, 3)])
        year_established = int(rng.triangular(1985, 2025, 2012))

        latitude = min(
            max(
                district.latitude + rng.uniform(-COORDINATE_JITTER, COORDINATE_JITTER),
                INDIA_MIN_LATITUDE,
            ),
            INDIA_MAX_LATITUDE,
        )
        longitude = min(
            max(
                district.longitude + rng.uniform(-COORDINATE_JITTER, COORDINATE_JITTER),
                INDIA_MIN_LONGITUDE,
            ),
            INDIA_MAX_LONGITUDE,
        )
        pin_code = self._pin_code(district.state_code)
        street = rng.choice(self.pools.streets)
        address = f"Plot No. {rng.randint(1, 480)}, {street}, {district.headquarters}"
        contact_first = rng.choice(self.pools.first_names)
        contact_last = rng.choice(self.pools.last_names)
        handle = "".join(ch for ch in trading_name.lower() if ch.isalnum())[:40]
        # The reserved .example top-level domain (RFC 2606): demo data never mails anyone real.
        domain = f"{handle}.example"
        contact_email = f"{contact_first.lower()}.{contact_last.lower()}@{domain}".replace(" ", "")
        contact_phone = f"+91 {rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
        website = f"https://www.{domain}/" if rng.random() < 0.6 else ""

        row = (
            name,
            udyam,
            gstin,
            gstin[2:12],
            district.state_id,
            district.id,
            address,
            pin_code,
            round(latitude, 5),
            round(longitude, 5),
            investment,
            turnover,
            category,
            employees,
            year_established,
            f"{contact_first} {contact_last}",
            contact_email,
            contact_phone,
            website,
            rng.random() < 0.40,
            rng.random() < 0.95,
            True,
            self.now,
            self.now,
        )
        sector_slugs = self._sectors(archetype)
        return SupplierDraft(
            row=row,
            capabilities=self._capabilities(archetype, category, year_established),
            certifications=self._certifications(
                archetype, district, sector_slugs, year_established
            ),
            sector_ids=[self.ref.sectors[slug] for slug in sector_slugs],
        )

    def _name(self, archetype: Archetype, district: DistrictRef) -> tuple[str, str, str]:
        """(trading name, registered name with its legal form, PAN holder type)."""
        rng = self.rng
        trade = rng.choice(archetype.trades)
        roll = rng.random()
        if roll < 0.5:
            stem = rng.choice(self.pools.last_names)
        elif roll < 0.75:
            stem = district.headquarters
        elif roll < 0.87:
            honorific = (
                "Sri "
                if district.state_code in SOUTH_STATES
                else "Shree "
                if district.state_code in WEST_STATES
                else ""
            )
            stem = honorific + rng.choice(self.pools.last_names)
        else:
            stem = rng.choice(self.pools.first_names)
        suffix, holder = self._pick(self.legal_cum, [(s, h) for s, h, _ in LEGAL_FORMS])
        trading_name = f"{stem} {trade}"
        return trading_name, f"{trading_name} {suffix}".strip(), holder

    def _udyam(self, district: DistrictRef) -> str:
        while True:
            # Udyam serials run per district; the busiest have issued a few lakh.
            udyam = make_udyam_number(
                state_code=district.state_code,
                district_code=district.code,
                serial=self.rng.randint(1, 1_999_999),
            )
            if udyam not in self.taken_udyam:
                self.taken_udyam.add(udyam)
                return udyam

    def _gstin(self, district: DistrictRef, name: str, holder: str) -> str:
        while True:
            pan = make_pan(self.rng, initial=name[0])
            pan = pan[:3] + holder + pan[4:]  # 4th character: company, firm or person
            gstin = make_gstin(gst_state_code=district.gst_code, pan=pan)
            if gstin not in self.taken_gstin:
                self.taken_gstin.add(gstin)
                return gstin

    def _pin_code(self, state_code: str) -> str:
        prefix = self.rng.choice(
            PIN_PREFIXES.get(state_code, ("1", "2", "3", "4", "5", "6", "7", "8", "9"))
        )
        rest = 6 - len(prefix)
        return prefix + f"{self.rng.randint(0, 10**rest - 1):0{rest}d}"

    def _sectors(self, archetype: Archetype) -> list[str]:
        rng = self.rng
        count = rng.choices((1, 2, 3), weights=(40, 40, 20))[0]
        weights = [4 if slug in archetype.sectors else 1 for slug in self.sector_slugs]
        chosen: list[str] = []
        slugs = list(self.sector_slugs)
        while slugs and len(chosen) < count:
            index = rng.choices(range(len(slugs)), weights=weights)[0]
            chosen.append(slugs.pop(index))
            weights.pop(index)
        return sorted(chosen)

    def _capabilities(self, archetype: Archetype, category: str, since: int) -> list[tuple]:
        rng = self.rng
        core = [slug for slug in archetype.core if slug in self.ref.processes]
        count = min(rng.randint(*archetype.core_count), len(set(core)))
        slugs: list[str] = []
        while len(slugs) < count:
            slug = rng.choice(core)  # duplicates in ``core`` weight the common processes
            if slug not in slugs:
                slugs.append(slug)
        for slug, odds in archetype.extras:
            if rng.random() < odds and slug in self.ref.processes and slug not in slugs:
                slugs.append(slug)
        rows = []
        max_years = max(ANCHOR_YEAR - since, 1)
        for slug in slugs[:5]:
            process = self.ref.processes[slug]
            spec = process.spec
            low, high = spec.capacity
            capacity = _round_figure(_log_uniform(rng, low, high) * CAPACITY_SCALE[category])
            tolerance = None
            if spec.tolerance_um:
                fine, coarse = spec.tolerance_um
                tolerance = Decimal(str(round(rng.uniform(fine, coarse) * 2) / 2)).quantize(
                    Decimal("0.01")
                )
            temperature = None
            if spec.temperature_c:
                temperature = int(round(rng.uniform(*spec.temperature_c), -1))
            rows.append(
                (
                    process.id,
                    Decimal(capacity),
                    process.unit,
                    tolerance,
                    temperature,
                    self._materials(slug),
                    rng.randint(1, max_years),
                    self.now,
                )
            )
        return rows

    def _materials(self, slug: str) -> list[str]:
        if slug in FIXED_MATERIALS:
            return [str(m) for m in FIXED_MATERIALS[slug]]
        chosen = [str(m) for m, odds in MATERIAL_ODDS if self.rng.random() < odds]
        return chosen or [str(Material.NDFEB_SINTERED)]

    def _certifications(
        self, archetype: Archetype, district: DistrictRef, sectors: list[str], since: int
    ) -> list[tuple]:
        rng = self.rng
        key = archetype.key
        codes: list[str] = []
        if key == "lab":
            if rng.random() < 0.85:
                codes.append("NABL")
            if rng.random() < 0.3:
                codes.append("ISO_9001")
        elif rng.random() < 0.6:
            codes.append("ISO_9001")
        # IATF 16949 is the automotive standard: shops serving e-mobility; AS9100 for aerospace.
        serves_evs = "electric-mobility" in sectors
        if key in {"machining", "coater", "motors"} and serves_evs and rng.random() < 0.5:
            codes.append("IATF_16949")
        serves_aerospace = bool({"defence", "aerospace"} & set(sectors))
        if key in {"machining", "lab"} and serves_aerospace and rng.random() < 0.35:
            codes.append("AS9100")
        if key == "instruments" and rng.random() < 0.2:
            codes.append("NABL")
        spcb_odds = {"coater": 0.85, "recycler": 0.9, "heat-treater": 0.3}.get(key, 0.0)
        if rng.random() < spcb_odds:
            codes.append("SPCB_CONSENT")
        if rng.random() < 0.3:
            codes.append(rng.choices(("ZED_BRONZE", "ZED_SILVER", "ZED_GOLD"), (6, 3, 1))[0])
        if rng.random() < 0.12:
            codes.append("ISO_14001")
        if rng.random() < 0.08:
            codes.append("ISO_45001")
        rows = []
        for code in codes[:4]:
            type_id = self.ref.certification_types.get(code)
            if type_id is None:
                continue
            number, issuer = self._certificate_number(code, district, since)
            if rng.random() < EXPIRED_CERTIFICATE_SHARE:
                valid_until = _day_between(rng, EXPIRED_FROM, EXPIRED_TO)
            else:
                valid_until = _day_between(rng, VALID_FROM, VALID_TO)
            rows.append((type_id, number, issuer, valid_until, rng.random() < 0.5, self.now))
        return rows

    def _certificate_number(self, code: str, district: DistrictRef, since: int) -> tuple[str, str]:
        rng = self.rng
        year = rng.randint(max(since, 2016), ANCHOR_YEAR - 1)
        if code == "NABL":
            return f"TC-{rng.randint(1000, 15999)}", "NABL"
        if code.startswith("ZED_"):
            return (
                f"ZED/{district.state_code}/{year}/{rng.randint(1, 99_999):05d}",
                "Quality Council of India (QCI)",
            )
        if code == "SPCB_CONSENT":
            board = POLLUTION_CONTROL_BOARDS.get(
                district.state_code, f"{district.state_name} State Pollution Control Board"
            )
            return f"CTO/{district.state_code}/{year}/{rng.randint(1, 999_999):06d}", board
        if code == "IATF_16949":
            return f"IATF-0{rng.randint(100_000, 599_999)}", rng.choice(CERTIFICATION_BODIES)
        prefix = {"ISO_9001": "QMS", "AS9100": "AQMS", "ISO_14001": "EMS", "ISO_45001": "OHS"}
        return (
            f"IN-{prefix.get(code, 'CERT')}-{year}-{rng.randint(1, 999_999):06d}",
            rng.choice(CERTIFICATION_BODIES),
        )


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


# --- Generating needs --------------------------------------------------------------------------

NEED_FIELDS = [
    "facility_id",
    "title",
    "description",
    "process_id",
    "quantity",
    "unit",
    "min_monthly_capacity",
    "max_tolerance_um",
    "min_process_temperature_c",
    "radius_km",
    "preferred_category",
    "due_date",
    "status",
    "external_ref",
    "is_demo",
    "created_at",
    "updated_at",
]
NEED_QUANTITIES = {
    Unit.PIECES: (10_000, 2_000_000),
    Unit.KG: (1_000, 100_000),
    Unit.TONNES: (5, 500),
    Unit.SETS: (5, 200),
    Unit.TESTS: (100, 10_000),
    Unit.MACHINE_HOURS: (100, 2_000),
    Unit.SQ_METRES: (100, 10_000),
}


@dataclass
class NeedDraft:
    row: tuple
    certification_type_ids: list[int]


class NeedGenerator:
    """Draws facility needs: a process, a quantity in its unit, and what a supplier must meet."""

    def __init__(
        self,
        *,
        reference: Reference,
        rng: random.Random,
        now: datetime.datetime,
        taken_refs: dict[int, set[str]],
    ) -> None:
        self.ref = reference
        self.rng = rng
        self.now = now
        self.taken_refs = taken_refs
        self.next_serial = dict.fromkeys((f.pk for f in reference.facilities), 1)
        # Each category's weight is shared among its processes.
        self.processes: list[ProcessRef] = []
        weights: list[float] = []
        for process in reference.processes.values():
            weight = NEED_CATEGORIES.get(process.category, (0, "", ()))[0]
            if weight:
                siblings = sum(
                    1 for p in reference.processes.values() if p.category == process.category
                )
                self.processes.append(process)
                weights.append(weight / siblings)
        self.process_cum = _cumulative(weights)

    def draft(self) -> NeedDraft:
        rng = self.rng
        facility = rng.choice(self.ref.facilities)
        process: ProcessRef = rng.choices(self.processes, cum_weights=self.process_cum)[0]
        spec = process.spec
        _, connector, phrases = NEED_CATEGORIES[process.category]
        title = f"{process.name} {connector} {rng.choice(phrases)}"
        low, high = NEED_QUANTITIES.get(spec.unit, (100, 10_000))
        quantity = _round_figure(_log_uniform(rng, low, high))
        min_capacity = None
        if rng.random() < 0.7:
            min_capacity = Decimal(_round_figure(quantity / rng.randint(6, 24)))
        tolerance = None
        if spec.tolerance_um and rng.random() < 0.75:
            fine, coarse = spec.tolerance_um
            tolerance = Decimal(str(round(rng.uniform(fine * 1.5, coarse) * 2) / 2)).quantize(
                Decimal("0.01")
            )
        temperature = None
        if process.category == "heat-treatment" and spec.temperature_c and rng.random() < 0.8:
            low_c, high_c = spec.temperature_c
            temperature = int(round(rng.uniform(low_c, low_c + 0.6 * (high_c - low_c)), -1))
        candidates = [
            code
            for code in NEED_CERTIFICATIONS.get(process.category, ("ISO_9001",))
            if code in self.ref.certification_types
        ]
        count = min(rng.choices((0, 1, 2), weights=(30, 50, 20))[0], len(candidates))
        certification_ids = sorted(
            self.ref.certification_types[code] for code in rng.sample(candidates, count)
        )
        radius = rng.randrange(100, 801, 50) if rng.random() < 0.65 else None
        preferred = (
            rng.choice((MsmeCategory.MICRO, MsmeCategory.SMALL, MsmeCategory.MEDIUM))
            if rng.random() < 0.15
            else ""
        )
        due_date = _day_between(rng, DUE_FROM, DUE_TO)
        status = Need.Status.OPEN if rng.random() < 0.9 else Need.Status.CLOSED
        row = (
            facility.pk,
            title,
            f"Demo need for {facility.name}, generated by seed_demo.",
            process.id,
            Decimal(quantity),
            process.unit,
            min_capacity,
            tolerance,
            temperature,
            radius,
            str(preferred),
            due_date,
            str(status),
            self._external_ref(facility),
            True,
            self.now,
            self.now,
        )
        return NeedDraft(row=row, certification_type_ids=certification_ids)

    def _external_ref(self, facility: Facility) -> str:
        taken = self.taken_refs.setdefault(facility.pk, set())
        while True:
            ref = f"F{facility.number}-N{self.next_serial[facility.pk]:04d}"
            self.next_serial[facility.pk] += 1
            if ref not in taken:
                taken.add(ref)
                return ref


def facility_assign_demo_clusters(*, reference: Reference, now: datetime.datetime) -> int:
    """Give each facility without a cluster a candidate REPM cluster (facility N → Nth by name).

    Facilities are not awarded yet, so they have no site; a demo cluster lets distances be
    computed. The conditional UPDATE never overwrites a cluster an administrator set, even one set
    while this runs; ``cluster_is_demo`` lets ``--clear`` undo exactly these.
    """
    clusters = reference.repm_clusters
    assigned = 0
    for facility in reference.facilities:
        cluster = clusters[(facility.number - 1) % len(clusters)]
        assigned += Facility.objects.filter(pk=facility.pk, cluster__isnull=True).update(
            cluster=cluster, cluster_is_demo=True, updated_at=now
        )
    return assigned


# --- The service ---------------------------------------------------------------------------


@dataclass
class DemoSeedReport:
    suppliers: int = 0
    capabilities: int = 0
    certifications: int = 0
    sector_links: int = 0
    needs: int = 0
    need_certifications: int = 0
    facilities_clustered: int = 0
    cleared: DemoClearReport | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return self.seconds.get("total", 0.0)

    def lines(self) -> list[str]:
        lines = []
        if self.cleared is not None:
            removed = ", ".join(
                f"{n:,} {table}" for table, n in sorted(self.cleared.deleted.items()) if n
            )
            lines.append(
                f"cleared: {removed or 'nothing'}; "
                f"{self.cleared.facilities_unclustered} demo facility cluster(s) reset"
            )
        lines.append(
            f"suppliers: {self.suppliers:,} ({self.capabilities:,} capabilities, "
            f"{self.certifications:,} certifications, {self.sector_links:,} sector links)"
        )
        lines.append(
            f"needs: {self.needs:,} ({self.need_certifications:,} required certifications); "
            f"{self.facilities_clustered} facility(ies) given a demo cluster"
        )
        lines.append("time: " + ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items()))
        return lines


def demo_seed(
    *,
    suppliers: int,
    needs: int,
    seed: int,
    clear: bool = False,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoSeedReport:
    """Optionally delete all demo rows, then add ``suppliers`` MSMEs and ``needs`` needs.

    One transaction: a failure leaves the database as it was. Raises ReferenceDataMissing
    before touching anything if seed_reference has not been run.
    """
    started = time.perf_counter()
    report = DemoSeedReport()
    say = progress or (lambda message: None)
    now = timezone.now()

    def lap(name: str, since: float) -> float:
        now_counter = time.perf_counter()
        report.seconds[name] = report.seconds.get(name, 0.0) + now_counter - since
        return now_counter

    with transaction.atomic():
        reference = reference_read()
        mark = lap("reference", started)
        if clear:
            report.cleared = demo_clear()
            mark = lap("clear", mark)
            say(
                f"cleared {report.cleared.suppliers:,} demo suppliers and "
                f"{report.cleared.needs:,} demo needs · {mark - started:.1f} s"
            )
        rng = random.Random(seed)
        writer = RowWriter(now=now)
        if suppliers > 0:
            pools = NamePools.from_faker(seed)
            generator = SupplierGenerator(
                reference=reference,
                rng=rng,
                pools=pools,
                now=now,
                taken_udyam=set(Supplier.objects.values_list("udyam_number", flat=True)),
                taken_gstin=set(
                    Supplier.objects.exclude(gstin=None).values_list("gstin", flat=True)
                ),
            )
            mark = lap("generate", mark)
            for batch_start in range(0, suppliers, batch_size):
                count = min(batch_size, suppliers - batch_start)
                drafts = [generator.draft() for _ in range(count)]
                mark = lap("generate", mark)
                _write_suppliers(writer, drafts, report)
                mark = time.perf_counter()
                say(f"suppliers {report.suppliers:,}/{suppliers:,} · {mark - started:.1f} s")
        if needs > 0:
            # A separate stream for needs, so the same needs follow whatever --suppliers is.
            need_rng = random.Random(f"needs-{seed}")
            report.facilities_clustered = facility_assign_demo_clusters(
                reference=reference, now=now
            )
            taken_refs: dict[int, set[str]] = {}
            for facility_id, ref in Need.objects.exclude(external_ref="").values_list(
                "facility_id", "external_ref"
            ):
                taken_refs.setdefault(facility_id, set()).add(ref)
            need_generator = NeedGenerator(
                reference=reference, rng=need_rng, now=now, taken_refs=taken_refs
            )
            need_drafts = [need_generator.draft() for _ in range(needs)]
            mark = lap("generate", mark)
            need_ids = writer.insert_returning_ids(Need, NEED_FIELDS, [d.row for d in need_drafts])
            through = Need.required_certifications.through
            links = [
                (need_id, type_id)
                for need_id, draft in zip(need_ids, need_drafts, strict=True)
                for type_id in draft.certification_type_ids
            ]
            writer.insert(through, ["need_id", "certificationtype_id"], links)
            report.needs = len(need_ids)
            report.need_certifications = len(links)
            mark = time.perf_counter()
            say(f"needs {report.needs:,}/{needs:,} · {mark - started:.1f} s")
        for table, seconds in writer.seconds.items():
            report.seconds[f"write {table}"] = seconds
        mark = time.perf_counter()
    # PostgreSQL checks the (deferred) foreign keys of every inserted row at commit.
    lap("commit", mark)
    report.seconds["total"] = time.perf_counter() - started
    return report


def _write_suppliers(
    writer: RowWriter, drafts: list[SupplierDraft], report: DemoSeedReport
) -> None:
    ids = writer.insert_returning_ids(Supplier, SUPPLIER_FIELDS, [d.row for d in drafts])
    capabilities = []
    certifications = []
    sector_links = []
    for supplier_id, draft in zip(ids, drafts, strict=True):
        capabilities.extend((supplier_id, *row) for row in draft.capabilities)
        certifications.extend((supplier_id, *row) for row in draft.certifications)
        sector_links.extend((supplier_id, sector_id) for sector_id in draft.sector_ids)
    writer.insert(SupplierCapability, CAPABILITY_FIELDS, capabilities)
    writer.insert(Certification, CERTIFICATION_FIELDS, certifications)
    writer.insert(Supplier.sectors.through, ["supplier_id", "strategicsector_id"], sector_links)
    report.suppliers += len(ids)
    report.capabilities += len(capabilities)
    report.certifications += len(certifications)
    report.sector_links += len(sector_links)
