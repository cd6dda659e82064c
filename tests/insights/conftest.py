"""A small country for the insights tests: two clusters, four facilities (one not yet sited
in a cluster), needs in three processes (some closed), suppliers placed at known distances
from the clusters (some inactive) and match rows of every kind, made by the factories.

Match rows are written directly (no rematch runs: the tests' transactions never commit, so
the matcher's after-commit hooks never fire), so every kind the snapshot must tell apart is
there: matches, near misses by each rule, and acted-on rows flagged as no longer meeting the
rules.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from clusters.models import Cluster
from matching import rules
from matching.models import Match
from schemes.models import Facility, Need
from taxonomy.models import Process
from tests.factories import (
    CapabilityCategoryFactory,
    ClusterFactory,
    FacilityFactory,
    NeedFactory,
    ProcessFactory,
    StateFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
    UserFactory,
)
from vendors.models import Supplier

FEW = 3
KM_PER_DEGREE = 111.195  # of latitude, on the matcher's sphere
SUPPLIER_NAME = "Zorawar Precision Forge"  # every supplier's name starts so: easy to look for


@dataclass
class Country:
    clusters: list[Cluster]
    facilities: list[Facility]
    processes: list[Process]
    needs: list[Need]
    suppliers: list[Supplier] = field(default_factory=list)


@pytest.fixture
def country(settings) -> Country:
    settings.INSIGHTS_FEW_MATCHES = FEW
    return build_country()


def build_country() -> Country:
    """The scenario (the browser tests build it too, outside this directory)."""
    rng = random.Random(17)
    state = StateFactory()
    hosur = ClusterFactory(name="Hosur REPM Cluster", state=state, centre_latitude=12.74)
    vizag = ClusterFactory(
        name="Vizag Rare Earth Corridor",
        state=state,
        centre_latitude=17.69,
        centre_longitude=83.30,
        kind=Cluster.Kind.RARE_EARTH_CORRIDOR,
    )
    facilities = [
        FacilityFactory(cluster=hosur),
        FacilityFactory(cluster=hosur),
        FacilityFactory(cluster=vizag),
        FacilityFactory(cluster=None),
    ]
    machining = CapabilityCategoryFactory()
    coatings = CapabilityCategoryFactory(slug="coatings", name="Coatings", order=2)
    processes = [
        ProcessFactory(slug="cnc-turning", name="CNC turning", category=machining, order=1),
        ProcessFactory(slug="wire-edm", name="Wire EDM", category=machining, order=2),
        ProcessFactory(
            slug="nicuni-plating",
            name="NiCuNi plating",
            name_hi="निकल-तांबा-निकल प्लेटिंग",
            category=coatings,
            order=1,
        ),
        # Offered by suppliers, asked for by no need: supply without demand.
        ProcessFactory(slug="flux-testing", name="Flux testing", category=coatings, order=2),
    ]
    needs = []
    for index in range(14):
        needs.append(
            NeedFactory(
                facility=facilities[index % 4],
                process=processes[index % 3],
                status=Need.Status.CLOSED if index in (5, 11) else Need.Status.OPEN,
                radius_km=rng.choice([None, 150, 300]),
                external_ref=f"N-{index:03d}",
            )
        )
    world = Country([hosur, vizag], facilities, processes, needs)
    # Suppliers north of Hosur, at 0–700 km (Vizag is ~800 km north-east), a few far beyond.
    for index in range(36):
        km_north = rng.choice([rng.uniform(0, 700), rng.uniform(900, 1500)])
        supplier = SupplierFactory(
            name=f"{SUPPLIER_NAME} {index}",
            latitude=12.74 + km_north / KM_PER_DEGREE,
            longitude=77.83 + rng.uniform(-1, 1),
            is_active=index % 9 != 0,
        )
        for process in rng.sample(processes, rng.randint(1, 3)):
            SupplierCapabilityFactory(supplier=supplier, process=process)
        world.suppliers.append(supplier)
    # Match rows: a few needs get none, some few, the rest many, of every kind.
    kinds = [
        ("", "", Match.Status.SUGGESTED),
        ("", "", Match.Status.SUGGESTED),
        ("", "", Match.Status.INTERESTED),
        *((rule.code, "", Match.Status.SUGGESTED) for rule in rules.RULES),
        ("radius", "radius", Match.Status.SHORTLISTED),  # acted on, then a near miss
        ("", "need_closed", Match.Status.ENGAGED),  # acted on, no candidate any more
        ("", "capacity,radius", Match.Status.INTERESTED),  # acted on, fails two rules now
    ]
    for index, need in enumerate(needs):
        how_many = [0, 1, 2, 12, 20, 30][index % 6]
        for supplier in rng.sample(world.suppliers, how_many):
            near_miss_rule, flagged, status = rng.choice(kinds)
            # update_or_create: where the tests commit (the browser's), the matcher has already
            # written its own rows for these suppliers; this one overwrites them.
            Match.objects.update_or_create(
                need=need,
                supplier=supplier,
                defaults={
                    "near_miss_rule": near_miss_rule,
                    "no_longer_meets_rules": flagged,
                    "status": status,
                    "score": Decimal(rng.randint(10, 99)),
                },
            )
    return world


def wait_for_snapshot(*, deadline_seconds: float = 60) -> None:
    """Until a snapshot exists: at once where tasks run in-process, else when the worker has
    run the refresh (the deadline only bounds a broken worker)."""
    from insights.models import Snapshot

    deadline = time.monotonic() + deadline_seconds
    while not Snapshot.objects.exists():
        if time.monotonic() > deadline:
            raise AssertionError("no snapshot was computed")
        time.sleep(0.1)


@pytest.fixture
def staff_user(scheme_admin_user):
    """Who reads the insights: a scheme administrator (staff in the group, not a superuser)."""
    return scheme_admin_user


@pytest.fixture
def msme_user():
    user = UserFactory(username="owner@zorawar.in")
    assert not get_user_model().objects.get(pk=user.pk).is_staff
    return user
