"""The matcher's rules, score and reasons: the one module tasks, commands, admin and tests call.

A supplier *matches* a need when it is active, offers the need's exact process, and passes every
rule below; it is a *near miss* when it offers the process and fails exactly one of them:

  certification  holds every required certificate, valid on the need's due date (or today)
  tolerance      best tolerance for the process at or below the need's maximum
  capacity       monthly capacity for the process meets the minimum, in the same unit
  temperature    maximum process temperature meets the minimum
  radius         great-circle distance to the facility's site within the radius

Candidates are generated set-based in the database (one query per chunk of needs joins needs to
capabilities by process); Python only evaluates the joined rows and writes the reasons.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from clusters.geo import great_circle_km
from schemes.models import Need
from vendors.models import Certification

from .models import SCORE_COMPONENTS, ScoringProfile

EXPIRY_WARNING_DAYS = 60
NEUTRAL = 0.5  # a component the need does not constrain neither helps nor hurts
EXPERIENCE_FULL_YEARS = 15
EXTRA_CERTIFICATIONS_FULL = 3


@dataclass(frozen=True)
class NeedFacts:
    id: int
    title: str
    process_id: int
    process_name: str
    unit: str
    min_monthly_capacity: Decimal | None
    max_tolerance_um: Decimal | None
    min_process_temperature_c: int | None
    radius_km: int | None
    preferred_category: str
    match_date: datetime.date
    facility_name: str
    site: tuple[float, float] | None
    required: dict[int, str]  # certification type id -> code
    is_open: bool


@dataclass(frozen=True)
class CertificateFacts:
    type_id: int
    code: str
    name: str
    valid_until: datetime.date
    is_verified: bool
    zed_level: int | None


@dataclass
class Evaluation:
    """The matcher's verdict on one supplier × need pair."""

    supplier_id: int
    need_id: int
    failures: list[str]
    score: Decimal = Decimal("0")
    components: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def is_match(self) -> bool:
        return not self.failures

    @property
    def is_near_miss(self) -> bool:
        return len(self.failures) == 1

    @property
    def near_miss_reason(self) -> str:
        return self.failures[0] if self.is_near_miss else ""


def active_profile() -> ScoringProfile:
    """The active scoring profile; the defaults are created on first use."""
    profile = ScoringProfile.objects.filter(is_active=True).first()
    return profile or ScoringProfile.objects.create()


def weighted_score(components: dict[str, float], weights: dict[str, Decimal]) -> Decimal:
    """0-100, in exact decimal arithmetic rounded half up (as PostgreSQL's numeric round does)."""
    total = sum(weights.values()) or Decimal(1)
    weighted = sum(weights[name] * Decimal(repr(components[name])) for name in SCORE_COMPONENTS)
    return (100 * weighted / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _number(value: Decimal | float | int) -> str:
    value = Decimal(value).normalize()
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def load_needs(need_ids: Iterable[int], today: datetime.date) -> dict[int, NeedFacts]:
    """Everything the rules need to know about each need, in three queries."""
    needs = (
        Need.objects.filter(pk__in=list(need_ids))
        .select_related("process", "facility__cluster")
        .prefetch_related("required_certifications")
    )
    facts = {}
    for need in needs:
        facts[need.pk] = NeedFacts(
            id=need.pk,
            title=need.title,
            process_id=need.process_id,
            process_name=need.process.name,
            unit=need.unit,
            min_monthly_capacity=need.min_monthly_capacity,
            max_tolerance_um=need.max_tolerance_um,
            min_process_temperature_c=need.min_process_temperature_c,
            radius_km=need.radius_km,
            preferred_category=need.preferred_category,
            match_date=need.match_date(today),
            facility_name=need.facility.name,
            site=need.facility.site,
            required={c.pk: c.code for c in need.required_certifications.all()},
            is_open=need.status == Need.Status.OPEN,
        )
    return facts


CANDIDATES_SQL = """
    SELECT n.id, c.supplier_id, c.monthly_capacity, c.capacity_unit, c.best_tolerance_um,
           c.max_temperature_c, c.years_experience, s.latitude, s.longitude, s.is_verified,
           s.category, s.year_established
    FROM schemes_need n
    JOIN vendors_suppliercapability c ON c.process_id = n.process_id
    JOIN vendors_supplier s ON s.id = c.supplier_id
    WHERE s.is_active AND n.id IN ({needs}) {supplier_filter}
"""


def _candidate_rows(need_ids: list[int], supplier_ids: list[int] | None) -> list[tuple]:
    """Active suppliers offering each need's exact process: one set-based join."""
    params: list[int] = list(need_ids)
    supplier_filter = ""
    if supplier_ids is not None:
        supplier_filter = f"AND c.supplier_id IN ({', '.join(['%s'] * len(supplier_ids))})"
        params += supplier_ids
    sql = CANDIDATES_SQL.format(
        needs=", ".join(["%s"] * len(need_ids)), supplier_filter=supplier_filter
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _certificates(supplier_ids: set[int]) -> dict[int, list[CertificateFacts]]:
    held: dict[int, list[CertificateFacts]] = defaultdict(list)
    rows = Certification.objects.filter(supplier_id__in=supplier_ids).values_list(
        "supplier_id",
        "certification_type_id",
        "certification_type__code",
        "certification_type__name",
        "valid_until",
        "is_verified",
        "certification_type__zed_level",
    )
    for supplier_id, *facts in rows.iterator(chunk_size=5000):
        held[supplier_id].append(CertificateFacts(*facts))
    return held


def evaluate_needs(
    need_ids: Iterable[int],
    *,
    supplier_ids: Iterable[int] | None = None,
    profile: ScoringProfile | None = None,
    today: datetime.date | None = None,
) -> list[Evaluation]:
    """Evaluate every active supplier offering each need's process (optionally only some)."""
    today = today or datetime.date.today()
    profile = profile or active_profile()
    needs = load_needs(need_ids, today)
    if not needs:
        return []
    suppliers = sorted(set(supplier_ids)) if supplier_ids is not None else None
    if suppliers == []:
        return []
    rows = _candidate_rows(sorted(needs), suppliers)
    certificates = _certificates({row[1] for row in rows})
    weights = profile.weights()
    return [
        _evaluate(row, needs[row[0]], certificates.get(row[1], []), weights, profile, today)
        for row in rows
    ]


def _evaluate(
    row: tuple,
    need: NeedFacts,
    certificates: list[CertificateFacts],
    weights: dict[str, Decimal],
    profile: ScoringProfile,
    today: datetime.date,
) -> Evaluation:
    (
        _,
        supplier_id,
        capacity,
        capacity_unit,
        tolerance,
        max_temperature,
        years_experience,
        latitude,
        longitude,
        is_verified,
        category,
        year_established,
    ) = row
    capacity = Decimal(capacity) if capacity is not None else None
    tolerance = Decimal(tolerance) if tolerance is not None else None
    failures: list[str] = []
    reasons: list[str] = []
    components: dict[str, float] = {}

    # Rule 2: every required certificate valid on the need's date.
    valid_types = {c.type_id for c in certificates if c.valid_until >= need.match_date}
    missing = [code for type_id, code in need.required.items() if type_id not in valid_types]
    if missing:
        failures.append("needs " + ", ".join(code.replace("_", " ") for code in sorted(missing)))

    # Rule 3: tolerance.
    components["tolerance"] = NEUTRAL
    if need.max_tolerance_um is not None:
        if tolerance is None:
            failures.append(f"tolerance not stated, need ≤ {_number(need.max_tolerance_um)} µm")
        elif tolerance > need.max_tolerance_um:
            failures.append(
                f"tolerance {_number(tolerance)} µm, need ≤ {_number(need.max_tolerance_um)} µm"
            )
        else:
            allowed = need.max_tolerance_um
            margin = float((allowed - tolerance) / allowed) if allowed else 0.0
            components["tolerance"] = round(margin, 4)
            reasons.append(
                f"Tolerance {_number(tolerance)} µm, within the "
                f"{_number(need.max_tolerance_um)} µm required"
            )

    # Rule 4: capacity, same unit only.
    components["capacity"] = NEUTRAL
    if need.min_monthly_capacity is not None:
        needed = need.min_monthly_capacity
        if capacity is None:
            failures.append(f"capacity not stated, need ≥ {_number(needed)} {need.unit}/month")
        elif capacity_unit != need.unit:
            failures.append(f"capacity stated in {capacity_unit}, need counts {need.unit}")
        elif capacity < needed:
            failures.append(
                f"capacity {_number(capacity)} {need.unit}/month, need ≥ {_number(needed)}"
            )
        else:
            headroom = float((capacity - needed) / needed) if needed else 1.0
            components["capacity"] = round(min(1.0, headroom), 4)
            reasons.append(
                f"Capacity {_number(capacity)} {need.unit}/month for {_number(needed)} needed"
            )

    # Rule 5: temperature.
    if need.min_process_temperature_c is not None:
        if max_temperature is None or max_temperature < need.min_process_temperature_c:
            stated = f"{max_temperature} °C" if max_temperature is not None else "not stated"
            failures.append(f"max temperature {stated}, need ≥ {need.min_process_temperature_c} °C")
        else:
            reasons.append(f"Processes up to {max_temperature} °C")

    # Rule 6: radius from the facility's site.
    components["distance"] = NEUTRAL
    if need.site is not None and latitude is not None:
        distance = great_circle_km(latitude, longitude, *need.site)
        scale = need.radius_km or profile.distance_scale_km
        components["distance"] = round(max(0.0, 1.0 - distance / scale), 4)
        if need.radius_km is not None and distance > need.radius_km:
            failures.append(f"{distance:.0f} km away, radius {need.radius_km} km")
        else:
            reasons.insert(0, f"{distance:.0f} km from {need.facility_name}")

    # Quality: verified profile, verified certificates, certificates beyond those required, ZED.
    valid = [c for c in certificates if c.valid_until >= today]
    extra = {c.type_id for c in valid} - set(need.required)
    zed = max((c.zed_level or 0 for c in valid), default=0)
    verified_share = sum(c.is_verified for c in valid) / len(valid) if valid else 0.0
    components["quality"] = round(
        0.25 * bool(is_verified)
        + 0.25 * verified_share
        + 0.25 * min(1.0, len(extra) / EXTRA_CERTIFICATIONS_FULL)
        + 0.25 * zed / 3,
        4,
    )
    if is_verified:
        reasons.append("Verified profile")
    for certificate in sorted(valid, key=lambda c: (c.code, c.valid_until)):
        if certificate.type_id in need.required or certificate.zed_level:
            reasons.append(f"{certificate.name} valid until {certificate.valid_until:%Y-%m}")
        if (certificate.valid_until - today).days <= EXPIRY_WARNING_DAYS:
            reasons.append(
                f"{certificate.name} expires on {certificate.valid_until.isoformat()}: renew it"
            )

    # Preference and experience.
    if need.preferred_category:
        components["preference"] = 1.0 if category == need.preferred_category else 0.0
        if category == need.preferred_category:
            reasons.append(f"Preferred for {category} enterprises")
    else:
        components["preference"] = NEUTRAL
    years = years_experience
    if years is None and year_established:
        years = max(0, today.year - year_established)
    components["experience"] = round(min(1.0, (years or 0) / EXPERIENCE_FULL_YEARS), 4)

    score = weighted_score(components, weights)
    return Evaluation(
        supplier_id=supplier_id,
        need_id=need.id,
        failures=failures,
        score=score,
        components={name: components[name] for name in SCORE_COMPONENTS},
        reasons=reasons,
    )
