"""The demo's story for committed capacity, the recommended allocation and consortia.

The generated demo data matches needs to suppliers, but nobody has shortlisted anyone yet and
every need has a supplier large enough on its own. So ``make run`` would show no committed
capacity and no consortium. This story, told once for the demo MSME and the demo facility
manager's facility, gives each login something to see and do:

  * the facility shortlists the MSME's best match: its capacity is committed (the MSME's
    dashboard shows it promised, its other needs see what is left free);
  * two more shops in the MSME's own district offer its largest process, and the facility posts
    a need larger than any single supplier of that process can serve: a consortium of the three
    is proposed; the MSME may accept or decline its place; the facility manager sees the team.

Idempotent: the story's need (``STORY_REF``) is told once. Everything is demo data (``is_demo``),
so ``seed_demo --clear`` takes it away with the rest.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import Case, Max, When

from allocation.services import allocate_process
from consortia.services import propose_for_needs
from matching.models import Match
from matching.services import MatchActionRefused, match_facility_decide, matches_sync
from schemes.models import Facility, Need
from taxonomy.formatting import quantity
from vendors.identifiers import make_gstin, make_pan, make_udyam_number
from vendors.models import Supplier, SupplierCapability

STORY_REF = "DEMO-TEAM"
# Nobody of the process serves the story's need alone: it asks this much more than the largest.
BEYOND_THE_LARGEST = Decimal("1.5")
PARTNER_NAMES = ("Sri Murugan Precision Works", "Annapoorna Machine Tools")


@dataclass
class StoryReport:
    lines: list[str] = field(default_factory=list)


def demo_story(*, supplier: Supplier, facility: Facility) -> StoryReport:
    """Tell the story once (see the module's docstring); what it did, as lines to print."""
    report = StoryReport()
    if Need.objects.filter(facility=facility, external_ref=STORY_REF).exists():
        return report
    capability = (
        supplier.capabilities.filter(monthly_capacity__gt=0)
        .select_related("process")
        .order_by("-monthly_capacity", "process_id")
        .first()
    )
    if capability is None:
        return report
    _shortlist_best_match(supplier, facility, avoid_process=capability.process_id, report=report)
    need = _team_need(supplier, capability, facility)
    matches_sync(need_ids=[need.pk])
    proposals = propose_for_needs([need.pk])
    allocate_process(process_id=capability.process_id)
    report.lines.append(
        f"{facility.name} posted “{need.title}” ({quantity(need.min_monthly_capacity, need.unit)}"
        f" a month, more than any single shop): {proposals.created} consortium proposal(s) "
        f"for {supplier.name} and its neighbours (/me/consortia/)."
    )
    return report


def _shortlist_best_match(
    supplier: Supplier, facility: Facility, *, avoid_process: int, report: StoryReport
) -> None:
    """The facility shortlists the MSME's best full match (another process than the team's,
    where it has one, so the team still finds its capacity free)."""
    matches = Match.objects.filter(
        supplier=supplier, near_miss_rule="", status=Match.Status.SUGGESTED
    ).select_related("need__facility")
    # Best first: the manager's own facility, another process than the team's, the score.
    best = (
        matches.annotate(
            elsewhere=Case(When(need__facility=facility, then=0), default=1),
            same_process=Case(When(need__process_id=avoid_process, then=1), default=0),
        )
        .order_by("elsewhere", "same_process", "-score", "pk")
        .first()
    )
    if best is None:
        return
    # Most of the capacity, so its other needs of the process read "N free of M; need ≥ X".
    stated = (
        SupplierCapability.objects.filter(supplier=supplier, process_id=best.need.process_id)
        .values_list("monthly_capacity", flat=True)
        .first()
    )
    taken = None
    if stated:
        taken = max(best.need.min_monthly_capacity or 0, (stated * Decimal("0.9")).quantize(1))
    try:
        match_facility_decide(
            match=best,
            status=Match.Status.SHORTLISTED,
            note="We would like to visit your shop next week.",
            committed_quantity=taken,
        )
    except MatchActionRefused:
        return
    report.lines.append(
        f"{best.need.facility.name} shortlisted {supplier.name} for “{best.need.title}”: "
        "its capacity for that process is now committed."
    )


def _team_need(supplier: Supplier, capability: SupplierCapability, facility: Facility) -> Need:
    """Two partner shops beside the MSME, and a need the three can serve only together."""
    unit = capability.capacity_unit
    largest = SupplierCapability.objects.filter(
        process_id=capability.process_id, capacity_unit=unit
    ).aggregate(largest=Max("monthly_capacity"))["largest"]
    monthly = (largest * BEYOND_THE_LARGEST).quantize(Decimal(1), rounding=ROUND_CEILING)
    each = ((monthly - capability.monthly_capacity) * Decimal("0.6")).quantize(
        Decimal(1), rounding=ROUND_CEILING
    )
    rng = random.Random(supplier.pk)
    for number, name in enumerate(PARTNER_NAMES, start=1):
        partner = Supplier(
            name=f"{name} ({supplier.district.name})",
            udyam_number=make_udyam_number(
                state_code=supplier.state.code,
                district_code=supplier.udyam_number.split("-")[2],
                serial=9_000_000 + supplier.pk * 10 + number,
            ),
            gstin=make_gstin(gst_state_code=supplier.state.gst_code, pan=make_pan(rng)),
            state=supplier.state,
            district=supplier.district,
            pin_code=supplier.pin_code,
            investment_rupees=supplier.investment_rupees,
            turnover_rupees=supplier.turnover_rupees,
            employees=supplier.employees,
            year_established=supplier.year_established,
            is_verified=True,
            is_demo=True,
        )
        partner.derive_fields()
        partner.save()
        SupplierCapability.objects.create(
            supplier=partner,
            process_id=capability.process_id,
            monthly_capacity=each,
            capacity_unit=unit,
            best_tolerance_um=capability.best_tolerance_um,
            max_temperature_c=capability.max_temperature_c,
            materials=capability.materials,
            years_experience=capability.years_experience,
        )
    return Need.objects.create(
        facility=facility,
        title=f"{capability.process.name} at scale: a team of nearby shops wanted",
        description="More than any single shop offers: the platform proposes teams.",
        process_id=capability.process_id,
        quantity=monthly * 12,
        unit=unit,
        min_monthly_capacity=monthly,
        due_date=datetime.date.today() + datetime.timedelta(days=150),
        external_ref=STORY_REF,
        is_demo=True,
    )
