"""Read queries for the matcher."""

from __future__ import annotations

import datetime

from django.db.models import Q

from vendors.models import Certification

from .engine import EXPIRY_WARNING_DAYS


def suppliers_with_certificates_crossing(
    *, since: datetime.date, today: datetime.date
) -> list[int]:
    """Suppliers with a certificate that expired, or entered its 60-day warning, in (since, today].

    Those are the matches whose rules or reasons change with the calendar alone.
    """
    warn = datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    return sorted(
        set(
            Certification.objects.filter(
                Q(valid_until__gte=since, valid_until__lt=today)  # expired since the last sweep
                | Q(
                    valid_until__gt=since + warn, valid_until__lte=today + warn
                )  # now within 60 days
            )
            .values_list("supplier_id", flat=True)
            .distinct()
        )
    )
