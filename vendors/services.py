"""Actions that change supplier data. Views, admin, commands and tasks call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from taxonomy.formatting import indian_date
from taxonomy.history import bulk_history_attrs
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


# --- Verification ---------------------------------------------------------------------------
# An administrator verifies a profile against its Udyam and GST registrations, and each
# certificate against its scan. Every verification records who and when on the row and in its
# history (the path, "admin", comes from the request: taxonomy.history), and tells the matcher,
# whose quality score counts verified profiles and certificates (``signals.suppliers_changed``:
# the bulk helpers send no post_save).

VERIFY_BATCH = 1_000  # rows loaded, updated and recorded at a time, whatever was selected


class VerificationRefused(Exception):
    """This certificate cannot be verified now; the message says why, in words."""


@dataclass
class VerificationReport:
    changed: int = 0
    refused: list[tuple[Certification, str]] = field(default_factory=list)


def _in_batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(ids)
    for at in range(0, len(ids), VERIFY_BATCH):
        yield ids[at : at + VERIFY_BATCH]


def _record(model: type[models.Model], rows: list, fields: list[str], by: Any) -> None:
    bulk_update_with_history(
        rows,
        model,
        fields,
        batch_size=VERIFY_BATCH,
        default_user=by,
        custom_historical_attrs=bulk_history_attrs(),
    )


VERIFICATION_FIELDS = ["is_verified", "verified_by", "verified_at", "updated_at"]


def supplier_verify(*, supplier_ids: Iterable[int], by: Any, verified: bool = True) -> int:
    """Verify these suppliers' profiles (or, ``verified=False``, withdraw it); returns how many
    changed. Those already so are left alone, so their history and ``updated_at`` keep their
    meaning. ``supplier_ids`` may be a subquery ("select all 100,000" in the admin)."""
    changed: list[int] = []
    with transaction.atomic():
        wanted = list(
            Supplier.objects.filter(pk__in=supplier_ids)
            .exclude(is_verified=verified)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        for batch in _in_batches(wanted):
            suppliers = list(
                Supplier.objects.filter(pk__in=batch)
                .exclude(is_verified=verified)
                .select_for_update()
            )
            for supplier in suppliers:
                supplier.is_verified = verified
                supplier.verified_by = by if verified else None
                supplier.verified_at = now if verified else None
                supplier.updated_at = now
            _record(Supplier, suppliers, VERIFICATION_FIELDS, by)
            changed += [supplier.pk for supplier in suppliers]
        if changed:
            signals.suppliers_changed.send(sender=Supplier, supplier_ids=changed)
    return len(changed)


def supplier_unverify(*, supplier_ids: Iterable[int], by: Any) -> int:
    return supplier_verify(supplier_ids=supplier_ids, by=by, verified=False)


def certification_refusal(certification: Certification, today: datetime.date) -> str | None:
    """Why this certificate cannot be verified today, or None: an expired certificate proves
    nothing now, and one is verified against its scan."""
    if not certification.is_valid_on(today):
        return _("it expired on %(day)s: ask the supplier for the current certificate.") % {
            "day": indian_date(certification.valid_until)
        }
    if not certification.document:
        return _("it has no scan: the supplier uploads one on their profile page first.")
    return None


def certification_verify(
    *,
    certification_ids: Iterable[int],
    by: Any,
    verified: bool = True,
    today: datetime.date | None = None,
) -> VerificationReport:
    """Verify these certificates (or withdraw it); each that cannot be (expired, no scan) is
    refused with its reason and left as it was. One rematch for all their suppliers."""
    today = today or timezone.localdate()
    report = VerificationReport()
    suppliers: set[int] = set()
    with transaction.atomic():
        wanted = list(
            Certification.objects.filter(pk__in=certification_ids)
            .exclude(is_verified=verified)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        for batch in _in_batches(wanted):
            rows = list(
                Certification.objects.filter(pk__in=batch)
                .exclude(is_verified=verified)
                .select_related("certification_type")
                .select_for_update(of=("self",))
            )
            changing = []
            for certification in rows:
                reason = certification_refusal(certification, today) if verified else None
                if reason:
                    report.refused.append((certification, reason))
                    continue
                certification.is_verified = verified
                certification.verified_by = by if verified else None
                certification.verified_at = now if verified else None
                certification.updated_at = now
                changing.append(certification)
            _record(Certification, changing, VERIFICATION_FIELDS, by)
            report.changed += len(changing)
            suppliers.update(certification.supplier_id for certification in changing)
        if suppliers:
            signals.suppliers_changed.send(sender=Certification, supplier_ids=sorted(suppliers))
    return report


def certification_verify_one(*, certification: Certification, by: Any) -> Certification:
    """Verify one certificate (the button on its page); VerificationRefused says why not."""
    report = certification_verify(certification_ids=[certification.pk], by=by)
    if report.refused:
        raise VerificationRefused(report.refused[0][1])
    certification.refresh_from_db()
    return certification


# --- An owner's edit withdraws what was verified -----------------------------------------------


def supplier_edit_lapses_verification(*, supplier: Supplier, changed_fields: Iterable[str]) -> bool:
    """Before an owner's save: a verified profile whose checked facts changed (name, Udyam,
    GSTIN, place, figures) is no longer verified. Clears the flags on the instance, which the
    caller saves (one history row, through the MSME pages); returns whether it lapsed."""
    if not supplier.is_verified or not set(changed_fields) & set(Supplier.VERIFIED_FIELDS):
        return False
    supplier.is_verified, supplier.verified_by, supplier.verified_at = False, None, None
    return True


def certification_edit_lapses_verification(
    *, certification: Certification, changed_fields: Iterable[str]
) -> bool:
    """The same for a certificate whose type, number, issuer, date or scan changed."""
    if not certification.is_verified or not set(changed_fields) & set(
        Certification.VERIFIED_FIELDS
    ):
        return False
    certification.is_verified, certification.verified_by, certification.verified_at = (
        False,
        None,
        None,
    )
    return True


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
