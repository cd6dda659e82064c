"""Actions that change supplier data. Views, admin, commands and tasks call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from taxonomy.models import MsmeLimit

from .models import Certification, Supplier


def supplier_reclassify(
    *, supplier_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> int:
    """Recompute the MSME category of suppliers from their figures and the limits in force.

    One set-based UPDATE, touching only rows whose category changes, so it is cheap to run after
    every limits revision and safe to repeat. The CASE is built by the same
    ``MsmeClassification`` that classifies one supplier on save. Returns the number of suppliers
    whose category changed.
    """
    category = MsmeLimit.objects.classification_on(on).expression(
        investment="investment_rupees", turnover="turnover_rupees"
    )
    suppliers = Supplier.objects.all()
    if supplier_ids is not None:
        suppliers = suppliers.filter(pk__in=list(supplier_ids))
    return suppliers.filter(~Q(category=category)).update(category=category)


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
