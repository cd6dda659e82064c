"""Read queries over the newest snapshot, each with the joins its page needs.

Every figure was aggregated by the database when the snapshot was computed (``services``);
these read the rows, and where a page shows totals across rows, the database sums them too.
Figure rows are joined to the live clusters, facilities, needs and processes (``INNER JOIN``
through ``select_related``), so a row whose need or facility has since been deleted drops out.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Sum

from clusters.models import Cluster
from schemes.models import Facility
from taxonomy.models import Process
from taxonomy.selectors import process_list

from .models import NEAR_MISS_FIELDS, NeedFigure, ProcessFigure, Snapshot, SupplyFigure

PROCESS_ORDER = ("process__category__order", "process__order", "process__name")
TOTALS = (
    "open_needs",
    "needs_without_match",
    "needs_with_few_matches",
    "matches",
    *NEAR_MISS_FIELDS,
)


def snapshot_latest() -> Snapshot | None:
    return Snapshot.objects.order_by("-computed_at", "-id").first()


def processes() -> list[Process]:
    """Every process in the taxonomy's order: the rows of the supply views (a process no one
    offers near a cluster has no supply row, and still belongs in the table)."""
    return list(process_list())


def clusters() -> list[Cluster]:
    return list(Cluster.objects.order_by("kind", "name"))


def process_figures(
    snapshot: Snapshot,
    level: str,
    *,
    cluster: Cluster | None = None,
    facility: Facility | None = None,
) -> QuerySet[ProcessFigure]:
    """One level's rows (optionally one cluster's or one facility's), in the taxonomy's order,
    with the process, cluster and facility they name."""
    rows = ProcessFigure.objects.filter(snapshot=snapshot, level=level).select_related(
        "process__category", "cluster", "facility"
    )
    if cluster is not None:
        rows = rows.filter(cluster=cluster)
    if facility is not None:
        rows = rows.filter(facility=facility)
    if level == ProcessFigure.Level.CLUSTER:
        return rows.order_by(F("cluster__name").asc(nulls_last=True), *PROCESS_ORDER)
    if level == ProcessFigure.Level.FACILITY:
        return rows.order_by("facility__number", *PROCESS_ORDER)
    return rows.order_by(*PROCESS_ORDER)


def national_totals(snapshot: Snapshot) -> dict[str, int]:
    """Open needs, gaps, matches and near misses summed over the national rows (one query).

    Supplier counts are not summed: a supplier offering two processes would count twice.
    """
    totals = ProcessFigure.objects.filter(
        snapshot=snapshot, level=ProcessFigure.Level.NATIONAL
    ).aggregate(processes=Count("id"), **{name: Sum(name) for name in TOTALS})
    return {name: value or 0 for name, value in totals.items()}


def group_totals(snapshot: Snapshot, level: str) -> QuerySet:
    """Per cluster (or facility): open needs, gaps and processes asked for, summed by the
    database; rows are dicts keyed by ``cluster_id`` (or ``facility_id``)."""
    key = "cluster_id" if level == ProcessFigure.Level.CLUSTER else "facility_id"
    return (
        ProcessFigure.objects.filter(snapshot=snapshot, level=level)
        .values(key)
        .annotate(
            processes=Count("id"),
            processes_without_match=Count("id", filter=Q(needs_without_match__gt=0)),
            **{name: Sum(name) for name in TOTALS},
        )
        .order_by(key)
    )


def need_figures(snapshot: Snapshot, facility: Facility) -> QuerySet[NeedFigure]:
    """A facility's open needs as of the snapshot, fewest matches first (the gaps on top)."""
    return (
        NeedFigure.objects.filter(snapshot=snapshot, facility=facility)
        .select_related("need", "process__category")
        .order_by("matches", F("need__due_date").asc(nulls_last=True), "need_id")
    )


def supply(snapshot: Snapshot, radius_km: int | None) -> dict[tuple[int | None, int], int]:
    """Active suppliers by (cluster id, process id) within ``radius_km`` of the cluster's
    centre; ``radius_km=None`` gives the national counts, keyed (None, process id).
    A pair that is absent has none."""
    rows = SupplyFigure.objects.filter(snapshot=snapshot)
    rows = rows.filter(radius_km=radius_km) if radius_km else rows.filter(radius_km__isnull=True)
    return {
        (cluster_id, process_id): suppliers
        for cluster_id, process_id, suppliers in rows.values_list(
            "cluster_id", "process_id", "suppliers"
        )
    }


def supply_for_cluster(snapshot: Snapshot, cluster: Cluster) -> dict[tuple[int, int], int]:
    """One cluster's supply at every radius, keyed (radius km, process id)."""
    return {
        (radius_km, process_id): suppliers
        for radius_km, process_id, suppliers in SupplyFigure.objects.filter(
            snapshot=snapshot, cluster=cluster
        ).values_list("radius_km", "process_id", "suppliers")
    }


def facilities() -> QuerySet[Facility]:
    return Facility.objects.select_related("cluster").order_by("number")
