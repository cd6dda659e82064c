"""The snapshot's figures equal counts computed here, in plain Python, from the same rows."""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from clusters.geo import great_circle_km
from insights import services
from insights.models import NeedFigure, ProcessFigure, Snapshot, SupplyFigure
from insights.tasks import insights_refresh
from matching import rules
from matching.models import Match
from schemes.models import Need
from tests.factories import MatchFactory, SupplierCapabilityFactory, SupplierFactory
from tests.insights.conftest import FEW, Country, build_country, wait_for_snapshot
from vendors.models import SupplierCapability

pytestmark = pytest.mark.django_db

CODES = [rule.code for rule in rules.RULES]


def is_match(match: Match) -> bool:
    return match.near_miss_rule == "" and match.no_longer_meets_rules == ""


def expected_needs() -> dict[int, dict]:
    """Per open need: its matches and near misses by rule, counted one row at a time."""
    matches = list(Match.objects.all())
    expected = {}
    for need in Need.objects.select_related("facility"):
        if need.status != Need.Status.OPEN:
            continue
        own = [m for m in matches if m.need_id == need.pk]
        expected[need.pk] = {
            "facility_id": need.facility_id,
            "cluster_id": need.facility.cluster_id,
            "process_id": need.process_id,
            "matches": sum(1 for m in own if is_match(m)),
            **{f"near_{code}": sum(1 for m in own if m.near_miss_rule == code) for code in CODES},
        }
    return expected


def expected_processes(level: str) -> dict[tuple, dict]:
    needs = expected_needs()
    matches = list(Match.objects.all())
    groups: dict[tuple, list[int]] = defaultdict(list)
    for need_id, need in needs.items():
        key = {
            "national": (None, None),
            "cluster": (need["cluster_id"], None),
            "facility": (need["cluster_id"], need["facility_id"]),
        }[level] + (need["process_id"],)
        groups[key].append(need_id)
    expected = {}
    for key, need_ids in groups.items():
        own = [m for m in matches if m.need_id in need_ids]
        expected[key] = {
            "open_needs": len(need_ids),
            "needs_without_match": sum(1 for n in need_ids if needs[n]["matches"] == 0),
            "needs_with_few_matches": sum(1 for n in need_ids if 0 < needs[n]["matches"] < FEW),
            "matches": sum(needs[n]["matches"] for n in need_ids),
            "matching_suppliers": len({m.supplier_id for m in own if is_match(m)}),
            "near_miss_suppliers": len({m.supplier_id for m in own if m.near_miss_rule}),
            **{
                f"near_{code}": len({m.supplier_id for m in own if m.near_miss_rule == code})
                for code in CODES
            },
        }
    return expected


FIGURE_FIELDS = [
    "open_needs",
    "needs_without_match",
    "needs_with_few_matches",
    "matches",
    "matching_suppliers",
    "near_miss_suppliers",
    *(f"near_{code}" for code in CODES),
]


def test_each_open_need_has_its_matches_and_near_misses_by_rule(country: Country) -> None:
    snapshot = services.snapshot_refresh()

    stored = {
        row["need_id"]: {k: v for k, v in row.items() if k != "need_id"}
        for row in NeedFigure.objects.filter(snapshot=snapshot).values(
            "need_id",
            "facility_id",
            "cluster_id",
            "process_id",
            "matches",
            *(f"near_{code}" for code in CODES),
        )
    }
    expected = expected_needs()
    assert stored == expected
    # The scenario has what the figures must tell apart: gaps, few, many; closed needs out.
    assert {0, 1, 2} <= {need["matches"] for need in expected.values()}
    assert len(expected) == 12


@pytest.mark.parametrize("level", ["national", "cluster", "facility"])
def test_each_level_counts_needs_gaps_and_distinct_suppliers(country: Country, level: str) -> None:
    snapshot = services.snapshot_refresh()

    stored = {
        (row.pop("cluster_id"), row.pop("facility_id"), row.pop("process_id")): row
        for row in ProcessFigure.objects.filter(snapshot=snapshot, level=level).values(
            "cluster_id", "facility_id", "process_id", *FIGURE_FIELDS
        )
    }
    assert stored == expected_processes(level)


def test_a_cluster_counts_a_supplier_matching_needs_of_two_of_its_facilities_once(
    country: Country,
) -> None:
    first, second = country.facilities[:2]  # both in Hosur
    process = country.processes[0]
    needs = [
        Need.objects.create(facility=f, process=process, title=f"Turning {f.pk}", quantity=1)
        for f in (first, second)
    ]
    supplier = country.suppliers[1]
    for need in needs:
        MatchFactory(need=need, supplier=supplier, near_miss_rule="")

    snapshot = services.snapshot_refresh()

    by_facility = {
        row.facility_id: row.matching_suppliers
        for row in ProcessFigure.objects.filter(
            snapshot=snapshot, level="facility", process=process, facility__in=[first, second]
        )
    }
    cluster = ProcessFigure.objects.get(
        snapshot=snapshot, level="cluster", cluster=first.cluster, process=process
    )
    expected = expected_processes("cluster")[(first.cluster_id, None, process.pk)]
    assert cluster.matching_suppliers == expected["matching_suppliers"]
    assert cluster.matching_suppliers < sum(by_facility.values())


def test_supply_counts_active_suppliers_within_each_radius_of_each_cluster(
    country: Country,
) -> None:
    snapshot = services.snapshot_refresh()

    capabilities = list(SupplierCapability.objects.select_related("supplier"))
    expected = {}
    for capability in capabilities:
        supplier = capability.supplier
        if not supplier.is_active:
            continue
        key = (None, capability.process_id, None)
        expected[key] = expected.get(key, 0) + 1
        for cluster in country.clusters:
            km = great_circle_km(
                supplier.latitude,
                supplier.longitude,
                cluster.centre_latitude,
                cluster.centre_longitude,
            )
            for radius in services.RADII_KM:
                if km <= radius:
                    key = (cluster.pk, capability.process_id, radius)
                    expected[key] = expected.get(key, 0) + 1
    stored = {
        (row.cluster_id, row.process_id, row.radius_km): row.suppliers
        for row in SupplyFigure.objects.filter(snapshot=snapshot)
    }
    assert stored == expected
    # Some supply near Hosur, some not, and inactive suppliers were there to leave out.
    assert any(key[0] == country.clusters[0].pk and key[2] == 100 for key in stored)
    assert any(not capability.supplier.is_active for capability in capabilities)


def test_a_refresh_with_nothing_changed_writes_nothing_until_the_snapshot_is_an_hour_old(
    country: Country,
) -> None:
    first = services.snapshot_refresh()

    assert services.snapshot_refresh() is None
    assert Snapshot.objects.count() == 1

    Snapshot.objects.filter(pk=first.pk).update(
        computed_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    assert services.snapshot_refresh() is not None


@pytest.mark.parametrize(
    "change",
    [
        "match",
        "need",
        "capability",
        "capability_deleted",
        "supplier",
    ],
)
def test_a_change_to_any_input_makes_the_next_refresh_recompute(
    country: Country, change: str
) -> None:
    services.snapshot_refresh()
    match = Match.objects.order_by("id").first()
    if change == "match":
        match.near_miss_rule = "certificates"
        match.save()
    elif change == "need":
        country.needs[0].status = Need.Status.CLOSED
        country.needs[0].save()
    elif change == "capability":
        SupplierCapabilityFactory(
            supplier=SupplierFactory(name="New Supplier"), process=country.processes[3]
        )
    elif change == "capability_deleted":
        SupplierCapability.objects.order_by("id").first().delete()
    elif change == "supplier":
        country.suppliers[0].is_active = not country.suppliers[0].is_active
        country.suppliers[0].save()

    snapshot = services.snapshot_refresh()

    assert snapshot is not None
    assert {
        row["need_id"]: row["matches"]
        for row in NeedFigure.objects.filter(snapshot=snapshot).values("need_id", "matches")
    } == {need_id: need["matches"] for need_id, need in expected_needs().items()}


def test_a_deleted_match_makes_the_next_refresh_recompute(country: Country, postgres) -> None:
    """Deletions are seen through the tombstones the database writes. (On SQLite the trigger
    that writes them is lost when migration matching 0013 rebuilds the table; there the hourly
    recomputation catches a deletion.)"""
    services.snapshot_refresh()
    Match.objects.filter(pk=Match.objects.order_by("id").first().pk).delete()

    assert services.snapshot_refresh() is not None


def test_a_forced_refresh_recomputes_and_only_the_newest_two_snapshots_are_kept(
    country: Country,
) -> None:
    snapshots = [services.snapshot_refresh(force=True) for _ in range(4)]

    assert list(Snapshot.objects.order_by("-id").values_list("pk", flat=True)) == [
        snapshots[3].pk,
        snapshots[2].pk,
    ]
    assert not NeedFigure.objects.filter(snapshot_id__in=[s.pk for s in snapshots[:2]]).exists()
    assert not ProcessFigure.objects.exclude(snapshot_id__in=[s.pk for s in snapshots[2:]]).exists()
    assert not SupplyFigure.objects.exclude(snapshot_id__in=[s.pk for s in snapshots[2:]]).exists()


def test_the_refresh_task_computes_a_snapshot_and_then_has_nothing_to_do(
    country: Country,
) -> None:
    # The task's body, run here (apply): a worker runs the same body (see the next test).
    first = insights_refresh.apply().get()
    assert Snapshot.objects.get().pk == first

    assert insights_refresh.apply().get() is None
    assert insights_refresh.apply(kwargs={"force": True}).get() != first
    assert Snapshot.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_queued_refresh(task_runner, settings) -> None:
    """Queued as the beat queues it: a real worker where REDIS_URL is set, in-process else."""
    settings.INSIGHTS_FEW_MATCHES = FEW
    build_country()

    insights_refresh.delay(force=True)

    wait_for_snapshot()
    snapshot = Snapshot.objects.get()
    assert NeedFigure.objects.filter(snapshot=snapshot).count() == len(expected_needs())


def test_the_refresh_is_on_the_beat_schedule(settings) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-insights"]
    assert entry["task"] == insights_refresh.name
    assert entry["schedule"] == settings.INSIGHTS_REFRESH_SECONDS


def test_a_need_deleted_after_the_snapshot_drops_out_of_its_pages(country: Country) -> None:
    from insights import selectors

    snapshot = services.snapshot_refresh()
    facility = country.facilities[0]
    before = [figure.need_id for figure in selectors.need_figures(snapshot, facility)]
    Need.objects.filter(pk=before[0]).delete()

    after = [figure.need_id for figure in selectors.need_figures(snapshot, facility)]
    assert after == before[1:]
