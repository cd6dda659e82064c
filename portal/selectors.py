"""Read queries for the MSME pages, and the access helpers every view goes through."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from clusters.geo import great_circle_km_expression
from clusters.models import District
from consortia import selectors as consortia_selectors
from consortia.models import Consortium, ConsortiumMember
from eligibility.engine import CheckResult
from eligibility.engine import check as eligibility_check
from eligibility.facts import Answers, answers_from_supplier
from eligibility.models import EligibilityCheck
from matching import rules
from matching.capacity import COMMITMENT, FreeCapacity
from matching.models import SCORE_COMPONENTS, Match, ScoringProfile
from matching.reasons import Reason
from matching.rules import float_as_numeric
from matching.selectors import MatchExplanation, match_explanations
from schemes.models import Facility
from taxonomy.formatting import number
from taxonomy.models import CertificationType, Process
from vendors.models import Certification, Supplier

from .models import CurrentEnterprise

User = AbstractBaseUser | AnonymousUser


# --- Access: the owner's objects, else 404 ------------------------------------------------------
#
# An owner may run several enterprises (Supplier.owner is a foreign key). Every /me/ page shows
# one, the current enterprise: the one the owner last chose (CurrentEnterprise), else their first
# by name. A choice that no longer points to one of theirs is ignored, not trusted.


def owned_suppliers(user: User) -> QuerySet[Supplier]:
    """All the owner's enterprises, by name (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return Supplier.objects.none()
    return Supplier.objects.filter(owner=user).order_by("name", "pk")


def _current_first(user: User) -> QuerySet[Supplier]:
    chosen = CurrentEnterprise.objects.filter(owner_id=user.pk, supplier=OuterRef("pk"))
    return (
        owned_suppliers(user)
        .annotate(is_current=Exists(chosen))
        .order_by("-is_current", "name", "pk")
    )


def _with_consortium_place(suppliers: QuerySet[Supplier]) -> QuerySet[Supplier]:
    """Whether the enterprise has a place in an open consortium (the pages link to them): in
    the same query as the enterprise, so no page pays a query for it."""
    places = ConsortiumMember.objects.filter(
        supplier=OuterRef("pk"), consortium__status__in=consortia_selectors.OPEN
    )
    return suppliers.annotate(has_consortium_place=Exists(places))


def owned_supplier(user: User, supplier_id: int | None = None) -> Supplier | None:
    """The enterprise the owner works on (None if they have none yet), in one query.

    With ``supplier_id``: that enterprise if it is the owner's, else 404 (the switcher)."""
    if supplier_id is None:
        return _with_consortium_place(
            _current_first(user).select_related("state", "district")
        ).first()
    supplier = owned_suppliers(user).select_related("state", "district").filter(pk=supplier_id)
    if (found := supplier.first()) is None:
        raise Http404("No such enterprise of yours.")
    return found


def owned_match(user: User, match_id: int) -> Match:
    """One of the current enterprise's matches, with what its page shows, else 404 (in one
    query: the current enterprise is a subquery)."""
    current = _current_first(user).values("pk")[:1]
    match = (
        with_distance(Match.objects.filter(pk=match_id, supplier=Subquery(current)))
        .select_related(
            "supplier", "need__facility__cluster", "need__facility__scheme", "need__process"
        )
        .first()
    )
    if match is None:
        raise Http404("No such match of yours.")
    return match


def owned_consortium(user: User, consortium_id: int) -> tuple[Consortium, Supplier]:
    """A consortium the current enterprise has a place in, with the enterprise; else 404 (a
    consortium of someone else's, or of the owner's other enterprise, is not found)."""
    supplier = owned_supplier(user)
    consortium = (
        None
        if supplier is None
        else consortia_selectors.consortium_for_supplier(supplier.pk, consortium_id)
    )
    if consortium is None:
        raise Http404("No such consortium of yours.")
    return consortium, supplier


def owned_match_enterprise(user: User, match_id: int) -> Supplier | None:
    """Which of the owner's other enterprises holds this match (a digest links to matches of
    every enterprise): the page offers to switch to it. None for anyone else's match."""
    return owned_suppliers(user).filter(matches__pk=match_id).first()


def enterprise_choices(user: User) -> list[tuple[int, str]]:
    """The owner's enterprises as (id, name), for the switcher."""
    return list(owned_suppliers(user).values_list("pk", "name"))


# --- Lists ----------------------------------------------------------------------------------


def with_distance(matches: QuerySet[Match]) -> QuerySet[Match]:
    """Matches annotated with ``distance_km``: great-circle km from the supplier to the need's
    site (the facility's, else its cluster's centre, as the matcher measures), computed by the
    database on read; NULL where either has no coordinates. Match stores no distance."""
    site_latitude, site_longitude = Facility.site_expressions("need__facility__")
    return matches.annotate(
        distance_km=great_circle_km_expression(
            "supplier__latitude", "supplier__longitude", site_latitude, site_longitude
        )
    )


def supplier_matches(supplier: Supplier) -> QuerySet[Match]:
    """A supplier's matches and near misses, best first, with what a row shows."""
    return (
        with_distance(Match.objects.filter(supplier=supplier))
        .select_related("need__facility__cluster", "need__process")
        .order_by("-score", "pk")
    )


def km(distance: float | None) -> str | None:
    """A distance as a page prints it ("1,234"), rounded as the matcher's reasons round it."""
    if distance is None:
        return None
    return number(float_as_numeric(distance).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Explained:
    match: Match
    explanation: MatchExplanation

    @property
    def top_reasons(self) -> list[Reason]:
        return self.explanation.reasons[:3]

    @property
    def distance(self) -> str | None:
        """Km to the need's site ("1,234"); None when unknown or not annotated."""
        return km(getattr(self.match, "distance_km", None))


def explained(matches: Sequence[Match], today: datetime.date | None = None) -> list[Explained]:
    """A page of matches with their reasons (a fixed number of queries, whatever the page)."""
    explanations = match_explanations(matches, today=today)
    return [Explained(match, explanations[match.pk]) for match in matches]


# --- The dashboard --------------------------------------------------------------------------


@dataclass
class Unlock:
    """Near misses that one change would turn into matches: "get NABL → 4 more needs"."""

    reason: Reason  # what to do, with its figures
    needs: int


@dataclass
class ExpiringCertificate:
    certificate: Certification
    matches_at_stake: int  # full matches of needs that require this certificate


@dataclass
class CapacityLine:
    """One process the MSME offers: its monthly capacity, what facilities' shortlists and
    engagements take of it, and what is free for new needs."""

    process: Process
    capacity: FreeCapacity
    promises: list[Match]  # committing matches, each with ``quantity`` (what it takes)


def capacity_lines(supplier: Supplier) -> list[CapacityLine]:
    """The supplier's capacity per process, committed and free (two queries)."""
    promises: dict[int, list[Match]] = {}
    for match in (
        Match.objects.committing()
        .filter(supplier=supplier)
        .select_related("need__facility")
        .annotate(quantity=COMMITMENT)
        .order_by("need__title", "pk")
    ):
        promises.setdefault(match.need.process_id, []).append(match)
    lines = []
    for capability in supplier.capabilities.select_related("process").order_by("process__name"):
        held = promises.get(capability.process_id, [])
        committed = sum(
            (m.quantity for m in held if m.need.unit == capability.capacity_unit), Decimal(0)
        )
        free = FreeCapacity(
            supplier.pk,
            capability.process_id,
            capability.monthly_capacity,
            capability.capacity_unit,
            committed,
        )
        lines.append(CapacityLine(capability.process, free, held))
    return lines


@dataclass
class Dashboard:
    matches: int
    near_misses: int
    new_since_last_visit: int
    answered: list[Match]  # the facility answered (shortlisted, engaged, declined)
    no_longer_meets: list[Explained]
    top: list[Explained]
    unlocks: list[Unlock]
    expiring: list[ExpiringCertificate]
    missing: list[str] = field(default_factory=list)  # what the profile still lacks
    eligibility: CheckResult | None = None  # each role, by the one eligibility engine
    capacity: list[CapacityLine] = field(default_factory=list)


def _unlock_key(reason: Reason) -> tuple[str, Reason] | None:
    """What would unlock a near miss, as a reason to group by (None: nothing the MSME can do)."""
    figures = reason.figures
    if reason.code == "certificates_missing":
        return ("certificates", Reason("unlock_certificates", {"names": list(figures["names"])}))
    if reason.code == "capacity_other_unit":
        return ("capacity_unit", Reason("unlock_capacity_unit", {"unit": figures["unit"]}))
    if reason.code in {"capacity_short", "capacity_unstated"}:
        unlock = Reason("unlock_capacity", {"needed": figures["needed"], "unit": figures["unit"]})
        return ("capacity", unlock)
    if reason.code == "capacity_committed":
        # What is promised stays promised: the need fits only in capacity beyond it.
        needed = figures["needed"] + figures["committed"]
        return ("capacity", Reason("unlock_capacity", {"needed": needed, "unit": figures["unit"]}))
    if reason.code in {"tolerance_coarse", "tolerance_unstated"}:
        return ("tolerance", Reason("unlock_tolerance", {"required": figures["required"]}))
    if reason.code in {"temperature_low", "temperature_unstated"}:
        return ("temperature", Reason("unlock_temperature", {"required": figures["required"]}))
    return None


def unlocks(near_misses: Iterable[Explained]) -> list[Unlock]:
    """Group near misses by what would unlock them; figures take the hardest need of a group
    (the capacity that unlocks all of them), most needs first."""
    groups: dict[tuple, list[Reason]] = {}
    for item in near_misses:
        reason = item.explanation.near_miss
        key = _unlock_key(reason) if reason else None
        if key is None:
            continue
        kind, unlock = key
        group_key = (kind, tuple(unlock.figures.get("names", ())), unlock.figures.get("unit"))
        groups.setdefault(group_key, []).append(unlock)
    result = []
    for (kind, *_rest), reasons in groups.items():
        first = reasons[0]
        if kind == "capacity":
            needed = max(r.figures["needed"] for r in reasons)
            first = Reason(first.code, first.figures | {"needed": needed})
        elif kind == "tolerance":
            first = Reason(first.code, {"required": min(r.figures["required"] for r in reasons)})
        elif kind == "temperature":
            first = Reason(first.code, {"required": max(r.figures["required"] for r in reasons)})
        result.append(Unlock(first, len(reasons)))
    return sorted(result, key=lambda u: (-u.needs, u.reason.code))


def certificates_expiring(
    suppliers: QuerySet[Supplier] | list[Supplier], today: datetime.date
) -> QuerySet[Certification]:
    """Certificates of these suppliers valid today that expire within the warning window
    (what the dashboard and the weekly digest warn of), soonest first."""
    return (
        Certification.objects.filter(
            supplier__in=suppliers,
            valid_until__gte=today,
            valid_until__lte=rules.expiring_soon_until(today),
        )
        .select_related("certification_type", "supplier")
        .order_by("valid_until", "pk")
    )


def expiring_certificates(supplier: Supplier, today: datetime.date) -> list[ExpiringCertificate]:
    """The supplier's certificates expiring soon, with the full matches that require each
    (what letting it lapse would cost)."""
    certificates = certificates_expiring([supplier], today).annotate(
        at_stake=Count(
            "certification_type__required_by_needs__matches",
            filter=Q(
                certification_type__required_by_needs__matches__supplier=supplier,
                certification_type__required_by_needs__matches__near_miss_rule="",
            ),
            distinct=True,
        )
    )
    return [ExpiringCertificate(c, c.at_stake) for c in certificates]


def profile_missing(supplier: Supplier) -> list[str]:
    """What a complete profile has that this one lacks (codes the page words)."""
    missing = []
    if not supplier.gstin:
        missing.append("gstin")
    if not supplier.contact_email and not supplier.contact_phone:
        missing.append("contact")
    if not supplier.year_established:
        missing.append("year_established")
    capabilities = list(supplier.capabilities.all())
    if not capabilities:
        missing.append("capabilities")
    elif any(c.monthly_capacity is None for c in capabilities):
        missing.append("capacity")
    if not supplier.certifications.exists():
        missing.append("certifications")
    return missing


def dashboard(
    supplier: Supplier, *, since: datetime.datetime | None, today: datetime.date | None = None
) -> Dashboard:
    today = today or datetime.date.today()
    matches = Match.objects.filter(supplier=supplier)
    counts = matches.aggregate(
        full=Count("pk", filter=Q(near_miss_rule="")),
        near=Count("pk", filter=~Q(near_miss_rule="")),
        new=Count("pk", filter=Q(created_at__gt=since) if since else Q(pk__in=[])),
    )
    listed = supplier_matches(supplier)
    answered = list(
        listed.filter(
            status__in=[Match.Status.SHORTLISTED, Match.Status.ENGAGED, Match.Status.DECLINED]
        )[:10]
    )
    flagged = list(listed.exclude(no_longer_meets_rules="")[:10])
    top = list(listed.filter(near_miss_rule="", no_longer_meets_rules="")[:5])
    # Every near miss counts towards what would unlock it, so only the columns explaining one
    # needs are read (no joins); their facts load set-wise with the others' below, so the
    # dashboard's query count stays the same however many there are.
    near = list(
        matches.exclude(near_miss_rule="")
        .filter(status=Match.Status.SUGGESTED)
        .only("pk", "supplier_id", "need_id", "near_miss_rule", "no_longer_meets_rules")
        .order_by()
    )
    explanations = explained(flagged + top + near, today)
    by_pk = {item.match.pk: item for item in explanations}
    return Dashboard(
        matches=counts["full"],
        near_misses=counts["near"],
        new_since_last_visit=counts["new"],
        answered=answered,
        no_longer_meets=[by_pk[m.pk] for m in flagged],
        top=[by_pk[m.pk] for m in top],
        unlocks=unlocks(by_pk[m.pk] for m in near),
        expiring=expiring_certificates(supplier, today),
        missing=profile_missing(supplier),
        capacity=capacity_lines(supplier),
        eligibility=eligibility_check(
            answers_from_supplier(supplier, on=today), on=today, count_needs=False
        ),
    )


# --- Eligibility, carried over from a self-check ---------------------------------------------


@dataclass(frozen=True)
class ProfileStart:
    """A new profile's first values, from the answers of a self-check made before signing up."""

    enterprise: dict
    capabilities: list[dict]
    certificates: list[dict]


def profile_start(check_id: int | None) -> ProfileStart | None:
    """What the self-check's answers say about the enterprise, as the profile forms' initial
    values (None when there is no such check)."""
    check = EligibilityCheck.objects.filter(pk=check_id).first() if check_id else None
    if check is None:
        return None
    answers = Answers.from_json(check.answers)
    district = District.objects.filter(slug=answers.district).values_list("pk", flat=True).first()
    processes = Process.objects.filter(slug__in=answers.processes).order_by("pk")
    types = CertificationType.objects.filter(code__in=answers.certifications).order_by("code")
    return ProfileStart(
        enterprise={
            "district": district,
            "investment_rupees": answers.investment_rupees,
            "turnover_rupees": answers.turnover_rupees,
        },
        capabilities=[{"process": pk} for pk in processes.values_list("pk", flat=True)],
        certificates=[{"certification_type": pk} for pk in types.values_list("pk", flat=True)],
    )


# --- One match in full ------------------------------------------------------------------------

COMPONENT_LABELS = {
    "distance": _("Distance to the site"),
    "capacity": _("Capacity beyond what is needed"),
    "tolerance": _("Tolerance margin"),
    "quality": _("Verification, certificates and ZED level"),
    "preference": _("Preferred enterprise size"),
    "experience": _("Years of experience"),
}


@dataclass
class Component:
    label: str
    value: Decimal  # 0–1, as the matcher computed it
    weight: Decimal  # its share of the score, 0–1

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    @property
    def weight_percent(self) -> int:
        return round(self.weight * 100)


def score_components(match: Match) -> list[Component]:
    """The score's parts with the active profile's weights (the defaults if none is saved)."""
    profile = ScoringProfile.objects.filter(is_active=True).first() or ScoringProfile()
    weights = profile.weights()
    total = sum(weights.values()) or Decimal(1)
    return [
        Component(
            str(COMPONENT_LABELS[name]), getattr(match, f"{name}_component"), weights[name] / total
        )
        for name in SCORE_COMPONENTS
    ]


def owned_certificate_document(user: User, name: str) -> Certification:
    """A certificate by its stored scan's name, for its owner or staff, else 404."""
    if not user.is_authenticated:
        raise Http404("No such document.")
    certificates = Certification.objects.filter(document=name)
    if not user.is_staff:
        certificates = certificates.filter(supplier__in=owned_suppliers(user))
    certificate = certificates.first()
    if certificate is None:
        raise Http404("No such document of yours.")
    return certificate
