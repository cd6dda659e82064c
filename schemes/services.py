"""Actions that change the scheme's data. Views, admin, commands and tasks call these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from taxonomy.history import bulk_history_attrs

from .models import Facility, Need
from .signals import facilities_changed, needs_changed


def facility_assign_demo_cluster(
    *,
    facility_id: int,
    cluster_id: int,
    now: datetime.datetime | None = None,
    signal_change: bool = True,
) -> bool:
    """Place a facility that has no cluster in a demo one, so distances can be computed.

    Facilities are not awarded yet, so they have no site. The conditional UPDATE never
    overwrites a cluster an administrator set, even one set meanwhile; ``cluster_is_demo`` lets
    ``facility_clear_demo_clusters`` undo exactly these. Returns whether the facility changed.
    ``signal_change=False`` is for a caller that rematches everything itself (demo seeding).
    """
    changed = Facility.objects.filter(pk=facility_id, cluster__isnull=True).update(
        cluster_id=cluster_id, cluster_is_demo=True, updated_at=now or timezone.now()
    )
    if changed and signal_change:
        facilities_changed.send(sender=Facility, facility_ids=[facility_id])
    return bool(changed)


def facility_clear_demo_clusters(*, signal_change: bool = True) -> int:
    """Take every facility out of the cluster demo seeding gave it; returns how many."""
    facility_ids = list(Facility.objects.filter(cluster_is_demo=True).values_list("pk", flat=True))
    changed = Facility.objects.filter(pk__in=facility_ids).update(
        cluster=None, cluster_is_demo=False, updated_at=timezone.now()
    )
    if facility_ids and signal_change:
        facilities_changed.send(sender=Facility, facility_ids=facility_ids)
    return changed


# --- Needs in bulk (the admin's actions) ----------------------------------------------------


def need_set_status(
    *, need_ids: Iterable[int], status: str, by: AbstractBaseUser | None = None
) -> int:
    """Open or close these needs; returns how many changed (those already so are left alone).

    Each change writes a history row (who, when, through which path), and the matcher hears of
    all of them at once (``needs_changed``): one rematch, not one per need.
    """
    if status not in Need.Status.values:
        raise ValueError(f"Unknown need status {status!r}.")
    with transaction.atomic():
        needs = list(
            Need.objects.filter(pk__in=need_ids).exclude(status=status).select_for_update()
        )
        now = timezone.now()
        for need in needs:
            need.status, need.updated_at = status, now
        bulk_update_with_history(
            needs,
            Need,
            ["status", "updated_at"],
            batch_size=500,
            default_user=by,
            custom_historical_attrs=bulk_history_attrs(),
        )
        if needs:
            needs_changed.send(sender=Need, need_ids=[need.pk for need in needs])
    return len(needs)


def need_duplicate(*, need_ids: Iterable[int], by: AbstractBaseUser | None = None) -> list[Need]:
    """Copy these needs as new open needs of the same facilities (a repeat order): same
    process, figures and required certificates; a title marked as a copy and no reference (the
    facility's reference is unique). Returns the copies, each with its history row."""
    originals = list(
        Need.objects.filter(pk__in=need_ids)
        .prefetch_related("required_certifications")
        .order_by("pk")
    )
    title_length = Need._meta.get_field("title").max_length
    with transaction.atomic():
        copies = [
            Need(
                facility_id=need.facility_id,
                title=f"{need.title} (copy)"[:title_length],
                description=need.description,
                process_id=need.process_id,
                quantity=need.quantity,
                unit=need.unit,
                min_monthly_capacity=need.min_monthly_capacity,
                max_tolerance_um=need.max_tolerance_um,
                min_process_temperature_c=need.min_process_temperature_c,
                radius_km=need.radius_km,
                preferred_category=need.preferred_category,
                due_date=need.due_date,
                status=Need.Status.OPEN,
                is_demo=need.is_demo,
            )
            for need in originals
        ]
        # PostgreSQL and SQLite return the new keys from a bulk insert.
        copies = bulk_create_with_history(
            copies,
            Need,
            batch_size=500,
            default_user=by,
            custom_historical_attrs=bulk_history_attrs(),
        )
        Required = Need.required_certifications.through
        Required.objects.bulk_create(
            [
                Required(need_id=copy.pk, certificationtype_id=certificate.pk)
                for need, copy in zip(originals, copies, strict=True)
                for certificate in need.required_certifications.all()
            ]
        )
        if copies:
            needs_changed.send(sender=Need, need_ids=[copy.pk for copy in copies])
    return copies
