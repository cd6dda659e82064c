"""The matcher's rules and score components, each defined once: its check, its SQL, its reasons.

A supplier is a *candidate* for a need when the need is open and the supplier is active and
offers the need's exact process. A candidate *matches* when it passes every rule below, and is a
*near miss* when it fails exactly one:

  certificates  holds every required certificate, valid on the need's due date (or today)
  tolerance     best tolerance for the process at or below the need's maximum
  capacity      monthly capacity for the process meets the minimum, in the same unit, after
                what shortlists and engagements for other needs take of it (``capacity.py``)
  temperature   maximum process temperature meets the minimum
  radius        great-circle distance to the facility's site within the radius

Rule 2 (certificates) is one rule however many certificates are missing: a supplier lacking two
of a need's certificates is a near miss, and its reason names every missing one.

Both engines are built from these objects. ``engine.py`` (the reference engine, on every database)
calls each rule's ``fails`` and each component's ``value`` on a ``Pair``; ``bulk.py`` (PostgreSQL,
at national scale) puts each rule's ``sql`` and each component's ``sql`` into one statement. A
rule's SQL sees one candidate row ``p`` (its columns: ``PAIR_COLUMNS``); a component's SQL sees
the kept row ``k`` (the same columns plus ``fails_<rule>``) and ``h``, the supplier's
certificates valid today. ``tests/matching/test_bulk.py`` holds the two to the same table.

Nothing here stores a sentence: ``failure`` and ``reasons`` return ``Reason`` codes with figures,
rendered on read in the reader's language (``reasons.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.core.exceptions import ImproperlyConfigured

# The certificate warning window is the suppliers' room's, re-exported here: the admin flags
# certificates with it, and a reason says "expiring" within the same window.
from vendors.models import EXPIRY_WARNING_DAYS as EXPIRY_WARNING_DAYS
from vendors.models import expiring_soon_until as expiring_soon_until

from .facts import NeedFacts, Pair, SupplierFacts
from .models import SCORE_COMPONENTS
from .reasons import Reason

# A "high-score" match: worth an email in the MSME's weekly digest, and a threshold whose crossing
# the admin's preview of new scoring weights counts.
HIGH_SCORE = 70

NEUTRAL = Decimal("0.5")  # a component the need does not constrain neither helps nor hurts
EXPERIENCE_FULL_YEARS = 15
EXTRA_CERTIFICATIONS_FULL = 3
FOUR_PLACES = Decimal("0.0001")

# What a rule's SQL may read from ``p``: the need's side, the capability's and the supplier's.
PAIR_COLUMNS = {
    "id": "the need",
    "process_id": "the need's process",
    "unit": "the need's unit",
    "min_monthly_capacity": "the need's minimum, per month, in its unit",
    "max_tolerance_um": "the need's maximum tolerance",
    "min_process_temperature_c": "the need's minimum temperature",
    "radius_km": "the need's radius",
    "preferred_category": "the need's preferred MSME category ('' for none)",
    "match_date": "the date certificates must be valid on (due date, or today)",
    "required_ids": "the certification types the need requires (bigint[])",
    "supplier_id": "the supplier",
    "monthly_capacity": "the capability's monthly capacity",
    "free_capacity": "monthly capacity less what is committed to other needs (capacity.py)",
    "capacity_unit": "the capability's unit",
    "best_tolerance_um": "the capability's best tolerance",
    "max_temperature_c": "the capability's maximum temperature",
    "years_experience": "years of experience in the process",
    "is_verified": "the supplier's profile is verified",
    "category": "the supplier's MSME category",
    "year_established": "the supplier's founding year",
    "distance": "great-circle km to the site (NULL without a site or coordinates)",
    "latest_type_ids": "certificate types held (bigint[], NULL for none)",
    "latest_valid_until": "for each, the latest date one is valid until (date[])",
}


def four_places(value: Decimal) -> Decimal:
    """PostgreSQL's ``round(numeric, 4)``: half away from zero (components are never negative)."""
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def float_as_numeric(value: float) -> Decimal:
    """PostgreSQL's ``double precision::numeric``: the value to 15 significant digits."""
    return Decimal(f"{value:.15g}")


# --- Candidates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """What makes a supplier a candidate at all; failing it is why an acted-on match is gone."""

    code: str
    sql: str  # over the need ``n``, capability ``c`` and supplier ``s``
    holds: Callable[[NeedFacts, SupplierFacts], bool]

    def reason(self) -> Reason:
        return Reason(self.code)


OPEN_NEED = Condition("need_closed", "n.status = 'open'", lambda need, supplier: need.is_open)
OFFERS_PROCESS = Condition(
    "not_offered",
    "c.process_id = n.process_id",
    lambda need, supplier: supplier.process_id == need.process_id,
)
ACTIVE_SUPPLIER = Condition("not_offered", "s.is_active", lambda need, supplier: supplier.is_active)
CANDIDATE: tuple[Condition, ...] = (OPEN_NEED, OFFERS_PROCESS, ACTIVE_SUPPLIER)


def is_candidate(need: NeedFacts, supplier: SupplierFacts) -> bool:
    return all(condition.holds(need, supplier) for condition in CANDIDATE)


# --- Rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str  # stored in Match.near_miss_rule and Match.no_longer_meets_rules
    sql: str  # true when the candidate fails the rule
    fails: Callable[[Pair], bool]
    failure: Callable[[Pair], Reason]  # why it fails, with figures
    reason: Callable[[Pair], Reason | None]  # what it says when it holds (None: nothing)


def _missing_certificates(pair: Pair) -> list[str]:
    latest = pair.latest_valid_until
    return [
        required.name
        for required in pair.need.required
        if latest.get(required.type_id) is None or latest[required.type_id] < pair.need.match_date
    ]


def _tolerance_fails(pair: Pair) -> bool:
    required, tolerance = pair.need.max_tolerance_um, pair.supplier.best_tolerance_um
    return required is not None and (tolerance is None or tolerance > required)


def _tolerance_failure(pair: Pair) -> Reason:
    required, tolerance = pair.need.max_tolerance_um, pair.supplier.best_tolerance_um
    if tolerance is None:
        return Reason("tolerance_unstated", {"required": required})
    return Reason("tolerance_coarse", {"tolerance": tolerance, "required": required})


def _tolerance_reason(pair: Pair) -> Reason | None:
    if pair.need.max_tolerance_um is None:
        return None
    return Reason(
        "tolerance",
        {"tolerance": pair.supplier.best_tolerance_um, "required": pair.need.max_tolerance_um},
    )


def _capacity_fails(pair: Pair) -> bool:
    needed, supplier = pair.need.min_monthly_capacity, pair.supplier
    return needed is not None and (
        supplier.monthly_capacity is None
        or supplier.capacity_unit != pair.need.unit
        or pair.free_capacity < needed
    )


def _capacity_failure(pair: Pair) -> Reason:
    needed, supplier, unit = pair.need.min_monthly_capacity, pair.supplier, pair.need.unit
    if supplier.monthly_capacity is None:
        return Reason("capacity_unstated", {"needed": needed, "unit": unit})
    if supplier.capacity_unit != unit:
        return Reason("capacity_other_unit", {"stated_unit": supplier.capacity_unit, "unit": unit})
    if pair.committed_elsewhere:
        # Promised elsewhere, in part or in whole: "2,000 pcs/month free of 5,000; need ≥ 4,000".
        return Reason("capacity_committed", _free_figures(pair))
    return Reason(
        "capacity_short", {"capacity": supplier.monthly_capacity, "unit": unit, "needed": needed}
    )


def _free_figures(pair: Pair) -> dict[str, Decimal | str]:
    return {
        "free": max(Decimal(0), pair.free_capacity),
        "capacity": pair.supplier.monthly_capacity,
        "committed": pair.committed_elsewhere,
        "unit": pair.need.unit,
        "needed": pair.need.min_monthly_capacity,
    }


def _capacity_reason(pair: Pair) -> Reason | None:
    if pair.need.min_monthly_capacity is None:
        return None
    if pair.committed_elsewhere:
        return Reason("capacity_free", _free_figures(pair))
    return Reason(
        "capacity",
        {
            "capacity": pair.supplier.monthly_capacity,
            "unit": pair.need.unit,
            "needed": pair.need.min_monthly_capacity,
        },
    )


def _temperature_fails(pair: Pair) -> bool:
    required, temperature = pair.need.min_process_temperature_c, pair.supplier.max_temperature_c
    return required is not None and (temperature is None or temperature < required)


def _temperature_failure(pair: Pair) -> Reason:
    required, temperature = pair.need.min_process_temperature_c, pair.supplier.max_temperature_c
    if temperature is None:
        return Reason("temperature_unstated", {"required": required})
    return Reason("temperature_low", {"temperature": temperature, "required": required})


def _temperature_reason(pair: Pair) -> Reason | None:
    if pair.need.min_process_temperature_c is None:
        return None
    return Reason("temperature", {"temperature": pair.supplier.max_temperature_c})


def _radius_fails(pair: Pair) -> bool:
    radius, distance = pair.need.radius_km, pair.distance
    return radius is not None and distance is not None and distance > radius


def _radius_failure(pair: Pair) -> Reason:
    # Within 1 km of the radius a whole number would read like the radius itself: one decimal
    # ("250.4 km away, radius 250 km"), rounded up where rounding would print the radius.
    distance, radius = float_as_numeric(pair.distance), pair.need.radius_km
    if distance - radius >= 1:
        km = distance.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    else:
        km = distance.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if km <= radius:
            km = distance.quantize(Decimal("0.1"), rounding=ROUND_CEILING)
    return Reason("too_far", {"km": km, "radius": radius})


def _distance_reason(pair: Pair) -> Reason | None:
    if pair.distance is None:
        return None
    km = float_as_numeric(pair.distance).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Reason("distance", {"km": km, "facility": pair.need.facility_name})


CERTIFICATES = Rule(
    code="certificates",
    sql="""CASE cardinality(p.required_ids)
        WHEN 0 THEN false
        WHEN 1 THEN NOT COALESCE(p.latest_valid_until[array_position(p.latest_type_ids,
            p.required_ids[1])] >= p.match_date, false)
        ELSE EXISTS (SELECT FROM unnest(p.required_ids) AS q(id)
                      WHERE NOT COALESCE(p.latest_valid_until[array_position(
                          p.latest_type_ids, q.id)] >= p.match_date, false))
    END""",
    fails=lambda pair: bool(_missing_certificates(pair)),
    failure=lambda pair: Reason("certificates_missing", {"names": _missing_certificates(pair)}),
    reason=lambda pair: None,  # what the supplier holds is told with the quality reasons
)
TOLERANCE = Rule(
    code="tolerance",
    sql="p.max_tolerance_um IS NOT NULL AND (p.best_tolerance_um IS NULL"
    " OR p.best_tolerance_um > p.max_tolerance_um)",
    fails=_tolerance_fails,
    failure=_tolerance_failure,
    reason=_tolerance_reason,
)
CAPACITY = Rule(
    code="capacity",
    sql="p.min_monthly_capacity IS NOT NULL AND (p.monthly_capacity IS NULL"
    " OR p.capacity_unit <> p.unit OR p.free_capacity < p.min_monthly_capacity)",
    fails=_capacity_fails,
    failure=_capacity_failure,
    reason=_capacity_reason,
)
TEMPERATURE = Rule(
    code="temperature",
    sql="p.min_process_temperature_c IS NOT NULL AND (p.max_temperature_c IS NULL"
    " OR p.max_temperature_c < p.min_process_temperature_c)",
    fails=_temperature_fails,
    failure=_temperature_failure,
    reason=_temperature_reason,
)
RADIUS = Rule(
    code="radius",
    sql="COALESCE(p.radius_km IS NOT NULL AND p.distance > p.radius_km, false)",
    fails=_radius_fails,
    failure=_radius_failure,
    reason=_distance_reason,
)
# In this order a match's reasons are told (the distance comes first, see ``reasons``).
RULES: tuple[Rule, ...] = (CERTIFICATES, TOLERANCE, CAPACITY, TEMPERATURE, RADIUS)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


# --- Score components ---------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    name: str  # the score's weight is ScoringProfile.<name>_weight, stored in <name>_component
    sql: str  # 0–1, numeric, rounded to 4 places; sees k, h and the statement's parameters
    value: Callable[[Pair, int], Decimal]  # (pair, distance scale km) → 0–1, 4 places


def _distance_value(pair: Pair, distance_scale_km: int) -> Decimal:
    if pair.distance is None:
        return NEUTRAL
    scale = pair.need.radius_km or distance_scale_km  # a radius of 0 falls back to the scale
    return four_places(float_as_numeric(max(0.0, 1.0 - pair.distance / scale)))


def _capacity_value(pair: Pair, distance_scale_km: int) -> Decimal:
    needed = pair.need.min_monthly_capacity
    if needed is None or CAPACITY.fails(pair):
        return NEUTRAL
    if needed == 0:
        return Decimal(1)
    return four_places(min(Decimal(1), (pair.free_capacity - needed) / needed))


def _tolerance_value(pair: Pair, distance_scale_km: int) -> Decimal:
    allowed = pair.need.max_tolerance_um
    if allowed is None or TOLERANCE.fails(pair):
        return NEUTRAL
    if allowed == 0:
        return Decimal(0)
    return four_places((allowed - pair.supplier.best_tolerance_um) / allowed)


def _quality_value(pair: Pair, distance_scale_km: int) -> Decimal:
    """A verified profile, verified certificates, certificates beyond those required, ZED level:
    a quarter each. Operations in the SQL's order, so both round alike."""
    valid = pair.valid_today
    quarter = Decimal("0.25")
    verified_share = Decimal(sum(c.is_verified for c in valid)) / len(valid) if valid else 0
    extra = len({c.type_id for c in valid} - pair.need.required_ids)
    zed = max((c.zed_level for c in valid), default=0)
    return four_places(
        quarter * int(pair.supplier.is_verified)
        + quarter * verified_share
        + quarter * min(Decimal(1), Decimal(extra) / EXTRA_CERTIFICATIONS_FULL)
        + quarter * zed / 3
    )


def _preference_value(pair: Pair, distance_scale_km: int) -> Decimal:
    if not pair.need.preferred_category:
        return NEUTRAL
    return Decimal(1) if pair.supplier.category == pair.need.preferred_category else Decimal(0)


def experience_years(pair: Pair) -> int:
    years = pair.supplier.years_experience
    if years is None and pair.supplier.year_established:
        years = max(0, pair.today.year - pair.supplier.year_established)
    return years or 0


def _experience_value(pair: Pair, distance_scale_km: int) -> Decimal:
    return four_places(min(Decimal(1), Decimal(experience_years(pair)) / EXPERIENCE_FULL_YEARS))


COMPONENTS: tuple[Component, ...] = (
    Component(
        "distance",
        f"""CASE WHEN k.distance IS NULL THEN {NEUTRAL}
            ELSE round(greatest(0, 1 - k.distance / COALESCE(NULLIF(k.radius_km, 0),
                 %(distance_scale)s))::numeric, 4) END""",
        _distance_value,
    ),
    Component(
        "capacity",
        f"""CASE WHEN k.min_monthly_capacity IS NULL OR k.fails_capacity THEN {NEUTRAL}
            WHEN k.min_monthly_capacity = 0 THEN 1
            ELSE round(least(1, (k.free_capacity - k.min_monthly_capacity)
                 / k.min_monthly_capacity), 4) END""",
        _capacity_value,
    ),
    Component(
        "tolerance",
        f"""CASE WHEN k.max_tolerance_um IS NULL OR k.fails_tolerance THEN {NEUTRAL}
            WHEN k.max_tolerance_um = 0 THEN 0
            ELSE round((k.max_tolerance_um - k.best_tolerance_um) / k.max_tolerance_um, 4)
            END""",
        _tolerance_value,
    ),
    Component(
        "quality",
        f"""round(0.25 * k.is_verified::int
            + 0.25 * COALESCE(h.verified_count::numeric / h.valid_count, 0)
            + 0.25 * least(1, (CASE
                WHEN h.type_ids IS NULL THEN 0
                WHEN cardinality(k.required_ids) = 0 THEN cardinality(h.type_ids)
                WHEN cardinality(k.required_ids) = 1 THEN cardinality(h.type_ids)
                     - (k.required_ids[1] = ANY(h.type_ids))::int
                ELSE (SELECT count(*) FROM unnest(h.type_ids) AS t(id)
                       WHERE t.id <> ALL(k.required_ids)) END)::numeric
                / {EXTRA_CERTIFICATIONS_FULL})
            + 0.25 * COALESCE(h.zed, 0)::numeric / 3, 4)""",
        _quality_value,
    ),
    Component(
        "preference",
        f"""CASE WHEN k.preferred_category = '' THEN {NEUTRAL}
            WHEN k.category = k.preferred_category THEN 1 ELSE 0 END""",
        _preference_value,
    ),
    Component(
        "experience",
        f"""round(least(1, COALESCE(k.years_experience,
            greatest(0, %(year)s - nullif(k.year_established, 0)), 0)::numeric
            / {EXPERIENCE_FULL_YEARS}), 4)""",
        _experience_value,
    ),
)
if tuple(component.name for component in COMPONENTS) != SCORE_COMPONENTS:
    raise ImproperlyConfigured("rules.COMPONENTS must define Match's component columns, in order.")


def weighted_score(components: dict[str, Decimal], weights: dict[str, Decimal]) -> Decimal:
    """0–100 to two places, as the statement's ``round(100 * Σ w·c / Σ w, 2)``."""
    total = sum(weights.values()) or Decimal(1)
    weighted = sum(weights[name] * components[name] for name in SCORE_COMPONENTS)
    return (100 * weighted / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


SCORE_SQL = "round(100 * ({terms}) / %(w_total)s, 2)".format(
    terms=" + ".join(f"%(w_{name})s * s.c_{name}" for name in SCORE_COMPONENTS)
)


# --- Reasons ------------------------------------------------------------------------------


def reasons(pair: Pair) -> list[Reason]:
    """What a match (or near miss) has going for it, in the order an MSME reads them."""
    told: list[Reason] = []
    if not RADIUS.fails(pair) and (distance := _distance_reason(pair)) is not None:
        told.append(distance)
    for rule in (TOLERANCE, CAPACITY, TEMPERATURE):
        if not rule.fails(pair) and (reason := rule.reason(pair)) is not None:
            told.append(reason)
    if pair.supplier.is_verified:
        told.append(Reason("verified"))
    required = pair.need.required_ids
    for certificate in sorted(pair.valid_today, key=lambda c: (c.code, c.valid_until)):
        if certificate.type_id in required or certificate.zed_level:
            told.append(
                Reason(
                    "certificate_valid",
                    {"name": certificate.name, "until": certificate.valid_until},
                )
            )
        if (certificate.valid_until - pair.today).days <= EXPIRY_WARNING_DAYS:
            told.append(
                Reason(
                    "certificate_expiring",
                    {"name": certificate.name, "until": certificate.valid_until},
                )
            )
    if pair.need.preferred_category and pair.supplier.category == pair.need.preferred_category:
        told.append(Reason("preferred", {"category": pair.supplier.category}))
    return told


def failures(pair: Pair) -> list[Rule]:
    return [rule for rule in RULES if rule.fails(pair)]
