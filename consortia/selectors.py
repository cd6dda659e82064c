"""Read queries for consortia: which needs want a team, their candidates, and the pages' rows.

A need *wants a team* when it is open, asks for a monthly capacity, and has no full match (a
``Match`` with no near-miss rule, holding, not declined or withdrawn): no single supplier can
serve it. Its *candidates* are its capacity near misses (they pass every other rule of the
matcher; ``matching.rules``), not declined or withdrawn, whose capability for the need's process
is stated in the need's unit with free capacity for this need (``matching.capacity``: what is
committed to other needs is not free; the commitment to this need itself is). A supplier that
declined a place in a team for this need is not proposed for it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Value, When

from matching.capacity import committed_elsewhere, load_commitments
from matching.models import Match
from schemes.models import Facility, Need
from vendors.models import SupplierCapability

from .models import Consortium, ConsortiumMember
from .reasons import TeamReason, explanation
from .teams import Candidate, km_between

# A match or near miss the facility or the MSME has turned down is no candidate.
TURNED_DOWN = (Match.Status.DECLINED, Match.Status.WITHDRAWN)
# Consortia whose members may still answer.
OPEN = (Consortium.Status.PROPOSED, Consortium.Status.FORMED)


@dataclass
class NeedForTeams:
    """A need that wants a team, with what the builder needs to know."""

    need_id: int
    quantity: Decimal  # its minimum monthly capacity, in its unit
    unit: str
    process_id: int
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def by_supplier(self) -> dict[int, Candidate]:
        return {c.supplier_id: c for c in self.candidates}


def full_matches() -> QuerySet[Match]:
    """Matches that serve their need alone (for an ``Exists`` against ``need``)."""
    return Match.objects.filter(near_miss_rule="", no_longer_meets_rules="").exclude(
        status__in=TURNED_DOWN
    )


def needs_wanting_teams(need_ids: Iterable[int] | None = None) -> QuerySet[Need]:
    needs = Need.objects.open().filter(min_monthly_capacity__gt=0)
    if need_ids is not None:
        needs = needs.filter(pk__in=list(need_ids))
    return needs.filter(~Exists(full_matches().filter(need=OuterRef("pk"))))


def teams_wanted(need_ids: Iterable[int]) -> dict[int, NeedForTeams]:
    """The needs among these that want a team, with their candidates: five queries."""
    site_latitude, site_longitude = Facility.site_expressions("facility__")
    rows = (
        needs_wanting_teams(need_ids)
        .annotate(site_latitude=site_latitude, site_longitude=site_longitude)
        .order_by("pk")
        .values_list(
            "pk", "min_monthly_capacity", "unit", "process_id", "site_latitude", "site_longitude"
        )
    )
    wanted: dict[int, NeedForTeams] = {}
    sites: dict[int, tuple[float, float] | None] = {}
    for pk, quantity, unit, process_id, latitude, longitude in rows:
        wanted[pk] = NeedForTeams(pk, quantity, unit, process_id)
        sites[pk] = None if latitude is None else (latitude, longitude)
    if not wanted:
        return {}
    declined = set(
        ConsortiumMember.objects.filter(
            consortium__need_id__in=wanted, response=ConsortiumMember.Response.DECLINED
        ).values_list("consortium__need_id", "supplier_id")
    )
    near_misses = list(
        Match.objects.filter(
            need_id__in=wanted,
            near_miss_rule="capacity",
            no_longer_meets_rules__in=["", "capacity"],
            supplier__is_active=True,
            supplier__latitude__isnull=False,
            supplier__longitude__isnull=False,
        )
        .exclude(status__in=TURNED_DOWN)
        .order_by("need_id", "supplier_id")
        .values_list(
            "need_id",
            "supplier_id",
            "score",
            "supplier__latitude",
            "supplier__longitude",
            "supplier__district__headquarters",
        )
    )
    supplier_ids = {row[1] for row in near_misses}
    process_ids = {need.process_id for need in wanted.values()}
    capabilities = {
        (supplier_id, process_id): (capacity, unit)
        for supplier_id, process_id, capacity, unit in SupplierCapability.objects.filter(
            supplier_id__in=supplier_ids, process_id__in=process_ids
        ).values_list("supplier_id", "process_id", "monthly_capacity", "capacity_unit")
    }
    held = load_commitments(supplier_ids=supplier_ids, process_ids=process_ids)
    for need_id, supplier_id, score, latitude, longitude, place in near_misses:
        need = wanted[need_id]
        if (need_id, supplier_id) in declined:
            continue
        capacity, unit = capabilities.get((supplier_id, need.process_id), (None, ""))
        if capacity is None or unit != need.unit:
            continue
        free = capacity - committed_elsewhere(
            held[(supplier_id, need.process_id)], unit=need.unit, need_id=need_id
        )
        if free <= 0:
            continue
        site = sites[need_id]
        need.candidates.append(
            Candidate(
                supplier_id=supplier_id,
                free=free,
                score=score,
                latitude=latitude,
                longitude=longitude,
                place=place or "",
                km_to_site=None if site is None else km_between(latitude, longitude, *site),
            )
        )
    return wanted


# --- What people read -------------------------------------------------------------------------


def with_members(consortia: QuerySet[Consortium]) -> QuerySet[Consortium]:
    """Consortia with their need, facility and members (suppliers and districts): two queries."""
    members = ConsortiumMember.objects.select_related("supplier__district").order_by(
        "-share", "supplier_id"
    )
    return consortia.select_related("need__facility", "need__process").prefetch_related(
        Prefetch("members", queryset=members)
    )


def explained(consortium: Consortium) -> TeamReason:
    """The consortium's line; uses prefetched members when there are (no query then)."""
    cache = getattr(consortium, "_prefetched_objects_cache", {})
    count = len(cache["members"]) if "members" in cache else consortium.members.count()
    return explanation(consortium, count)


def for_supplier(supplier_id: int) -> QuerySet[Consortium]:
    """The consortia a supplier has a place in: open ones first, then the newest."""
    open_first = Case(When(status__in=OPEN, then=Value(1)), default=Value(0))
    return (
        Consortium.objects.filter(members__supplier_id=supplier_id)
        .alias(is_open=open_first)
        .order_by("-is_open", "-updated_at", "-pk")
    )


def consortium_for_supplier(supplier_id: int, consortium_id: int) -> Consortium | None:
    """The consortium if this supplier is one of its members, with what its page shows."""
    return (
        with_members(Consortium.objects.filter(pk=consortium_id, members__supplier_id=supplier_id))
        .select_related("need__facility__cluster")
        .first()
    )


def need_panel(need_id: int) -> list[Consortium]:
    """A need's consortia for the admin's panel: answered or not, best first (three queries)."""
    return list(with_members(Consortium.objects.filter(need_id=need_id)).order_by("rank", "pk"))


@dataclass
class SeenBy:
    """A consortium as one member reads it: its own place, the others, the line that says it."""

    consortium: Consortium
    mine: ConsortiumMember
    members: list[ConsortiumMember]
    reason: TeamReason

    @property
    def can_answer(self) -> bool:
        return self.consortium.is_open and self.consortium.need.status == Need.Status.OPEN


def seen_by(consortium: Consortium, supplier_id: int) -> SeenBy:
    """From a consortium loaded ``with_members`` (no query)."""
    members = list(consortium.members.all())
    mine = next(m for m in members if m.supplier_id == supplier_id)
    return SeenBy(consortium, mine, members, explanation(consortium, len(members)))
