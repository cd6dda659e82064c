"""Actions that change supplier data. Views, admin, commands and tasks call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from taxonomy.models import MsmeLimit

from . import signals
from .models import Certification, Supplier


def supplier_reclassify(
    *, supplier_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> int:
    """Recompute the MSME category of suppliers from their figures and the limits in force.

    Set-based: the suppliers whose category changes are found by one query (the CASE comes from
    the same ``MsmeClassification`` that classifies one supplier on save), then updated in
    batches and announced to the matcher; cheap after every limits revision and safe to repeat.
    Returns the number of suppliers whose category changed.
    """
    category = MsmeLimit.objects.classification_on(on).expression(
        investment="investment_rupees", turnover="turnover_rupees"
    )
    suppliers = Supplier.objects.all()
    if supplier_ids is not None:
        suppliers = suppliers.filter(pk__in=list(supplier_ids))
    # The ids first, locked, so exactly the suppliers this update changes are rematched.
    with transaction.atomic():
        changing = list(
            suppliers.filter(~Q(category=category)).select_for_update().values_list("pk", flat=True)
        )
        return _update_and_announce(changing, category=category)


def supplier_mark_verified(*, supplier_ids: Iterable[int], verified: bool) -> int:
    """Set the verified flag of the given suppliers; return how many rows actually changed.

    ``supplier_ids`` may be a list or a ``values_list("pk", flat=True)`` queryset (a subquery):
    "select all 100,000" in the admin reads just the ids that change, to update them in batches
    and tell the matcher which suppliers to rematch.
    """
    # Only rows not already in the wanted state, so the count is what changed and their
    # updated_at keeps its meaning. update() writes no history rows.
    with transaction.atomic():
        changing = list(
            Supplier.objects.filter(pk__in=supplier_ids)
            .exclude(is_verified=verified)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        return _update_and_announce(changing, is_verified=verified, updated_at=timezone.now())


def certification_mark_verified(*, certification_ids: Iterable[int]) -> int:
    """Mark the given certificates verified; return how many were not verified before."""
    with transaction.atomic():
        changing = (
            Certification.objects.filter(pk__in=certification_ids)
            .exclude(is_verified=True)
            .select_for_update()
        )
        rows = list(changing.values_list("pk", "supplier_id"))
        updated = Certification.objects.filter(pk__in=[pk for pk, _ in rows]).update(
            is_verified=True, updated_at=timezone.now()
        )
        if rows:
            signals.suppliers_changed.send(
                sender=Certification, supplier_ids=sorted({s for _, s in rows})
            )
    return updated


UPDATE_BATCH = 10_000  # ids per UPDATE: a bounded statement whatever the admin selected


def _update_and_announce(supplier_ids: list[int], **values: object) -> int:
    """Set these values on these suppliers and tell the matcher which ones changed."""
    updated = sum(
        Supplier.objects.filter(pk__in=supplier_ids[at : at + UPDATE_BATCH]).update(**values)
        for at in range(0, len(supplier_ids), UPDATE_BATCH)
    )
    if supplier_ids:
        signals.suppliers_changed.send(sender=Supplier, supplier_ids=supplier_ids)
    return updated
