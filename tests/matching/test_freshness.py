"""Every path that changes an input of a match rematches what it affects, on a real worker.

One table: for each path, make the change through that path, let the worker finish everything
it was given, then rematch everything in this process: it must find nothing to change. Each
change also moves the table, so a path that rematched nothing could not pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clusters.models import Cluster
from matching.engine import active_profile
from matching.models import COMPONENT_FIELDS, Match, MatchRun, ScoringProfile
from matching.services import matches_sync, scoring_profile_save
from schemes.models import Facility, Need
from taxonomy.models import CertificationType
from tests.conftest import worker_idle
from tests.factories import (
    CertificationFactory,
    CertificationTypeFactory,
    ClusterFactory,
    FacilityFactory,
    NeedFactory,
    revise_micro_investment_limit,
)
from tests.matching.conftest import SITE, supplier_near
from tests.test_celery_worker import wait_until
from vendors.models import Certification, Supplier, SupplierCapability

pytestmark = pytest.mark.django_db(transaction=True)
FIELDS = ("supplier_id", "need_id", "score", *COMPONENT_FIELDS, "near_miss_rule")
CRORE = 10_000_000


@dataclass
class World:
    facility: Facility
    other_cluster: Cluster
    needs: list[Need]
    suppliers: list[Supplier]
    iso: CertificationType
    zed: CertificationType
    nabl: CertificationType  # held by nobody, so it may be deleted


def build_world() -> World:
    facility = FacilityFactory(
        cluster=ClusterFactory(centre_latitude=SITE[0], centre_longitude=SITE[1])
    )
    other_cluster = ClusterFactory(centre_latitude=SITE[0] + 1.5, centre_longitude=SITE[1])
    iso = CertificationTypeFactory()
    zed = CertificationTypeFactory(code="ZED_SILVER", name="ZED Silver", zed_level=2)
    radius = NeedFactory(facility=facility, radius_km=300, min_monthly_capacity=Decimal("1000"))
    process = radius.process
    certified = NeedFactory(
        facility=facility,
        process=process,
        required_certifications=[iso],
        preferred_category="small",
        max_tolerance_um=Decimal("20"),
    )
    plain = NeedFactory(facility=facility, process=process)
    suppliers = [
        supplier_near(km, monthly_capacity=Decimal(capacity), best_tolerance_um=Decimal("10"))
        for km, capacity in [(20, 5000), (120, 1500), (250, 800), (40, 20000)]
    ]
    CertificationFactory(supplier=suppliers[0], certification_type=iso)
    CertificationFactory(supplier=suppliers[1], certification_type=zed)
    CertificationFactory(supplier=suppliers[3], certification_type=iso, is_verified=False)
    # Small today, so the need preferring small enterprises scores it; micro if limits rise.
    _save(suppliers[2], investment_rupees=3 * CRORE, turnover_rupees=8 * CRORE)
    assert suppliers[2].category == "small"
    nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
    return World(facility, other_cluster, [radius, certified, plain], suppliers, iso, zed, nabl)


def match_table() -> list[tuple]:
    return list(Match.objects.order_by("supplier_id", "need_id").values_list(*FIELDS))


def settled() -> bool:
    """The worker has nothing left: no message, no task, no unfinished run."""
    return worker_idle() and not MatchRun.objects.filter(finished_at__isnull=True).exists()


def admin_action(client: Client, model: type, action: str, pks: list[int]) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.post(url, {"action": action, "_selected_action": [str(p) for p in pks]})
    assert response.status_code == 302, response.content[:300]


def _verify_certificates(client: Client) -> None:
    # A certificate is verified against its scan: give them one (update(): no rematch yet).
    Certification.objects.update(document="certificates/2026/scan.pdf")
    admin_action(
        client,
        Certification,
        "mark_verified",
        list(Certification.objects.values_list("pk", flat=True)),
    )


def _save(obj: object, **values: object) -> None:
    for field, value in values.items():
        setattr(obj, field, value)
    obj.save()


def _new_active_profile() -> None:
    ScoringProfile.objects.update(is_active=False)
    profile = ScoringProfile(name="Distance first", distance_weight=Decimal("0.90"))
    scoring_profile_save(profile=profile, changed_fields=["name", "distance_weight"])


def _seed_demo() -> None:
    call_command("seed_reference", stdout=StringIO())
    call_command("seed_demo", "--suppliers", "40", "--needs", "6", stdout=StringIO())


def _clear_demo() -> None:
    call_command("seed_demo", "--suppliers", "0", "--needs", "0", "--clear", stdout=StringIO())


PATHS: dict[str, Callable[[World, Client], None]] = {
    "a supplier saved": lambda w, c: _save(w.suppliers[1], is_verified=True),
    "admin: mark suppliers verified": lambda w, c: admin_action(
        c, Supplier, "mark_verified", [s.pk for s in w.suppliers[:3]]
    ),
    "admin: mark certificates verified": lambda w, c: _verify_certificates(c),
    "admin: verify a supplier from its page": lambda w, c: c.post(
        reverse("admin:vendors_supplier_verify", args=[w.suppliers[2].pk])
    ),
    "admin: needs closed in bulk": lambda w, c: admin_action(
        c, Need, "close_needs", [w.needs[0].pk, w.needs[1].pk]
    ),
    "admin: needs duplicated in bulk": lambda w, c: admin_action(
        c, Need, "duplicate_needs", [w.needs[0].pk, w.needs[1].pk]
    ),
    "MSME limits revised (reclassified in bulk)": lambda w, c: revise_micro_investment_limit(
        5 * CRORE
    ),
    "a supplier deactivated": lambda w, c: _save(w.suppliers[0], is_active=False),
    "a supplier deleted": lambda w, c: w.suppliers[0].delete(),
    "a capability edited": lambda w, c: _save(
        SupplierCapability.objects.get(supplier=w.suppliers[2]), monthly_capacity=Decimal("2000")
    ),
    "a capability deleted": lambda w, c: SupplierCapability.objects.get(
        supplier=w.suppliers[3]
    ).delete(),
    "a certificate deleted": lambda w, c: Certification.objects.filter(
        supplier=w.suppliers[0]
    ).delete(),
    "a need's radius changed": lambda w, c: _save(w.needs[0], radius_km=100),
    "a need's required certificates changed": lambda w, c: w.needs[2].required_certifications.add(
        w.iso
    ),
    "a need closed": lambda w, c: _save(w.needs[1], status=Need.Status.CLOSED),
    "a facility's site entered": lambda w, c: _save(
        w.facility, site_latitude=SITE[0] + 0.9, site_longitude=SITE[1]
    ),
    "a facility moved to another cluster": lambda w, c: _save(w.facility, cluster=w.other_cluster),
    "a cluster's centre moved": lambda w, c: _save(
        w.facility.cluster, centre_latitude=SITE[0] - 0.8
    ),
    "a certification type's ZED level changed": lambda w, c: _save(w.zed, zed_level=3),
    "a certification type required from its own side": lambda w, c: w.nabl.required_by_needs.add(
        w.needs[0]
    ),
    "a certification type deleted": lambda w, c: w.nabl.delete(),
    "a cluster deleted": lambda w, c: w.facility.cluster.delete(),
    "the active scoring profile deleted": lambda w, c: active_profile().delete(),
    "a scoring profile's weights changed": lambda w, c: scoring_profile_save(
        profile=_profile_with(distance_weight=Decimal("1.50")),
        changed_fields=["distance_weight"],
    ),
    "another scoring profile activated": lambda w, c: _new_active_profile(),
    "demo data seeded": lambda w, c: _seed_demo(),
    "demo data cleared": lambda w, c: _clear_demo(),
}
# What a path needs in place before the "before" picture is taken.
PREPARE: dict[str, Callable[[World], None]] = {
    "demo data cleared": lambda w: _seed_demo(),
    "a certification type deleted": lambda w: w.needs[2].required_certifications.add(w.nabl),
    "the active scoring profile deleted": lambda w: scoring_profile_save(
        profile=_profile_with(distance_weight=Decimal("1.50")),
        changed_fields=["distance_weight"],
    ),
}


def _profile_with(**weights: Decimal) -> ScoringProfile:
    profile = active_profile()
    for field, value in weights.items():
        setattr(profile, field, value)
    return profile


@pytest.mark.parametrize("path", list(PATHS))
def test_each_path_leaves_nothing_for_a_full_rematch_to_change(
    celery_worker_process: object, admin_client: Client, path: str
) -> None:
    world = build_world()
    if path in PREPARE:
        PREPARE[path](world)
    assert wait_until(settled, timeout=60)
    matches_sync(need_ids=Need.objects.values_list("pk", flat=True))
    Match.objects.filter(supplier=world.suppliers[0], need=world.needs[0]).update(
        status=Match.Status.INTERESTED  # an acted-on match, whose flag must follow too
    )
    matches_sync(need_ids=Need.objects.values_list("pk", flat=True))
    before = match_table()
    assert before

    PATHS[path](world, admin_client)
    assert wait_until(settled, timeout=90), f"the worker did not settle after: {path}"

    after = match_table()
    report = matches_sync(need_ids=Need.objects.values_list("pk", flat=True))
    assert (report.created, report.updated, report.deleted, report.flagged) == (0, 0, 0, 0), (
        f"{path}: a full rematch still changed {report.summary()}"
    )
    assert match_table() == after
    assert after != before, f"{path}: the change should have moved the match table"
    assert not MatchRun.objects.filter(status=MatchRun.Status.FAILED).exists()
