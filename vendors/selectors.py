"""Read queries over suppliers and their certificates, for the admin (the MSME's own pages read
through ``portal.selectors``).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Certification, Supplier, Validity, expiring_soon_until


def certificate_validity_filter(validity: str, today: datetime.date) -> Q:
    """Certificates in this state on ``today`` (valid through ``valid_until`` inclusive)."""
    if validity == Validity.EXPIRED:
        return Q(valid_until__lt=today)
    if validity == Validity.EXPIRING:
        return Q(valid_until__gte=today, valid_until__lte=expiring_soon_until(today))
    if validity == Validity.VALID:
        return Q(valid_until__gt=expiring_soon_until(today))
    raise ValueError(f"unknown validity {validity!r}")


def suppliers_holding(
    suppliers: QuerySet[Supplier], validity: str, today: datetime.date
) -> QuerySet[Supplier]:
    """Suppliers with at least one certificate in this state (EXISTS: no DISTINCT over 100k)."""
    held = Certification.objects.filter(
        certificate_validity_filter(validity, today), supplier=OuterRef("pk")
    )
    return suppliers.filter(Exists(held))


def _count_of(validity: str, today: datetime.date) -> Coalesce:
    # A correlated count per row on the page (index on supplier_id), not a join over every
    # certificate before the LIMIT.
    counted = (
        Certification.objects.filter(
            certificate_validity_filter(validity, today), supplier=OuterRef("pk")
        )
        .order_by()
        .values("supplier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_certificate_flags(
    suppliers: QuerySet[Supplier], today: datetime.date
) -> QuerySet[Supplier]:
    """``expired_certificates`` and ``expiring_certificates`` on each supplier."""
    return suppliers.annotate(
        expired_certificates=_count_of(Validity.EXPIRED, today),
        expiring_certificates=_count_of(Validity.EXPIRING, today),
    )
