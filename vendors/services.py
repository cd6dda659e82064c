"""Actions that change supplier data. Views, admin, commands and tasks call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from .categories import CATEGORY_ORDER, MsmeCategory
from .models import Certification, MsmeLimit, Supplier


def supplier_reclassify(
    *, supplier_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> int:
    """Recompute the MSME category of suppliers from their figures and the limits in force.

    One set-based UPDATE (a CASE over the limits, smallest category first), touching only rows
    whose category changes, so it is cheap to run after every limits revision and safe to repeat.
    Returns the number of suppliers whose category changed.
    """
    limits = {
        limit.category: limit
        for limit in MsmeLimit.objects.in_force_on(on or datetime.date.today())
    }
    if not limits:
        raise ValueError("No MSME limits are in force for that date.")
    category = Case(
        *[
            When(
                investment_rupees__lte=limits[name].max_investment_rupees,
                turnover_rupees__lte=limits[name].max_turnover_rupees,
                then=Value(name),
            )
            for name in CATEGORY_ORDER
            if name in limits
        ],
        default=Value(MsmeCategory.NOT_MSME),
        output_field=CharField(),
    )
    suppliers = Supplier.objects.all()
    if supplier_ids is not None:
        suppliers = suppliers.filter(pk__in=list(supplier_ids))
    return (
        suppliers.alias(new_category=category)
        .filter(~Q(category=category))
        .update(category=category)
    )


def supplier_mark_verified(*, supplier_ids: Iterable[int], verified: bool) -> int:
    """Set the verified flag of the given suppliers; return how many rows actually changed.

    ``supplier_ids`` may be a list or a ``values_list("pk", flat=True)`` queryset, which becomes
    a subquery, so "select all 100,000" in the admin never loads the ids into Python.
    """
    # A conditional UPDATE: rows already in the wanted state are left alone, so the count is
    # what changed and their updated_at keeps its meaning. update() writes no history rows.
    return (
        Supplier.objects.filter(pk__in=supplier_ids)
        .exclude(is_verified=verified)
        .update(is_verified=verified, updated_at=timezone.now())
    )


def certification_mark_verified(*, certification_ids: Iterable[int]) -> int:
    """Mark the given certificates verified; return how many were not verified before."""
    return (
        Certification.objects.filter(pk__in=certification_ids)
        .exclude(is_verified=True)
        .update(is_verified=True, updated_at=timezone.now())
    )
