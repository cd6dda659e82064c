"""Actions that change the scheme's data. Views, admin, commands and tasks call these."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Facility
from .signals import facilities_changed


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
