"""The in-database matcher (PostgreSQL) and the reference engine write the same table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count

from matching.models import COMPONENT_FIELDS, Match
from matching.services import matches_sync
from schemes.models import Need
from seeding.services import demo_seed
from tests.factories import (
    CertificationFactory,
    CertificationTypeFactory,
    FacilityFactory,
    NeedFactory,
)
from tests.matching.conftest import supplier_near

FIELDS = ("supplier_id", "need_id", "score", *COMPONENT_FIELDS, "near_miss_rule")

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def match_table() -> list[tuple]:
    return list(Match.objects.order_by("supplier_id", "need_id").values_list(*FIELDS))


@pytest.mark.parametrize("seed", [3, 11])
def test_both_implementations_agree_on_every_row_of_randomised_data(
    postgres: None, seed: int
) -> None:
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=600, needs=40, seed=seed, rematch=False)
    need_ids = list(Need.objects.values_list("pk", flat=True))

    reference = matches_sync(need_ids=need_ids, in_database=False)
    expected = match_table()
    Match.objects.all().delete()
    in_database = matches_sync(need_ids=need_ids, in_database=True)

    assert len(expected) > 500  # the data exercises the rules: matches and near misses
    assert any(row[5] for row in expected) and any(not row[5] for row in expected)
    assert match_table() == expected
    assert in_database.created == reference.created == len(expected)
    again = matches_sync(need_ids=need_ids, in_database=True)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)


def test_both_implementations_agree_on_committed_capacity(postgres: None) -> None:
    """Shortlists and engagements (with and without an entered quantity) on randomised data:
    both engines take the same capacity and write the same table, flags included."""
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=600, needs=40, seed=5, rematch=False)
    need_ids = list(Need.objects.values_list("pk", flat=True))
    matches_sync(need_ids=need_ids, in_database=False)
    full = list(
        Match.objects.filter(near_miss_rule="").order_by("need_id", "-score", "supplier_id")
    )
    committed = full[::2]
    for index, match in enumerate(committed):
        Match.objects.filter(pk=match.pk).update(
            status=Match.Status.ENGAGED if index % 2 else Match.Status.SHORTLISTED,
            committed_quantity=None if index % 3 else Decimal(500 * (index % 7)),
        )
    table = ("supplier_id", "need_id", "score", *COMPONENT_FIELDS, "near_miss_rule",
             "no_longer_meets_rules", "status")  # fmt: skip

    reference = matches_sync(need_ids=need_ids, in_database=False)
    expected = list(Match.objects.order_by("supplier_id", "need_id").values_list(*table))
    Match.objects.filter(status=Match.Status.SUGGESTED).delete()
    matches_sync(need_ids=need_ids, in_database=True)

    assert len(committed) > 30
    assert reference.updated + reference.deleted + reference.flagged > 0  # commitments bit
    assert list(Match.objects.order_by("supplier_id", "need_id").values_list(*table)) == expected


def test_both_implementations_agree_on_cases_the_demo_data_never_makes(
    postgres: None, need: Need
) -> None:
    """A due date already past, no due date with two required certificates, a need without a
    site, a radius of 0; suppliers with an expired, an expiring and no certificate."""
    today = datetime.date.today()
    iatf = CertificationTypeFactory(code="IATF_16949", name="IATF 16949")
    iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001")
    past_due = NeedFactory(facility=need.facility, process=need.process, due_date=today - DAY * 30)
    past_due.required_certifications.set([iatf])
    undated = NeedFactory(facility=need.facility, process=need.process, due_date=None)
    undated.required_certifications.set([iatf, iso])
    siteless = NeedFactory(
        facility=FacilityFactory(cluster=None), process=need.process, radius_km=100
    )
    zero_radius = NeedFactory(facility=need.facility, process=need.process, radius_km=0)
    expired_today = supplier_near(10)  # IATF valid on the past due date, not today
    CertificationFactory(supplier=expired_today, certification_type=iatf, valid_until=today - DAY)
    CertificationFactory(
        supplier=expired_today, certification_type=iso, is_verified=True, valid_until=today + DAY
    )
    expiring = supplier_near(30)
    CertificationFactory(supplier=expiring, certification_type=iatf, valid_until=today + DAY * 20)
    supplier_near(0)  # at the site, no certificates
    need_ids = [need.pk, past_due.pk, undated.pk, siteless.pk, zero_radius.pk]

    matches_sync(need_ids=need_ids, in_database=False)
    expected = match_table()
    Match.objects.all().delete()
    matches_sync(need_ids=need_ids, in_database=True)

    assert {row[1] for row in expected} == set(need_ids)  # every case wrote rows
    assert {row[-1] for row in expected} >= {"", "certificates"}
    assert match_table() == expected


def test_the_in_database_path_flags_acted_matches_and_deletes_stale_suggestions(
    postgres: None,
) -> None:
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=300, needs=10, seed=4, rematch=False)
    matches_sync(need_ids=Need.objects.values_list("pk", flat=True), in_database=True)
    need = Need.objects.annotate(n=Count("matches")).filter(n__gte=2).first()
    acted, suggested = Match.objects.filter(need=need)[:2]
    Match.objects.filter(pk=acted.pk).update(status="shortlisted")
    Need.objects.filter(pk=need.pk).update(status="closed")

    report = matches_sync(need_ids=[need.pk], in_database=True)

    assert not Match.objects.filter(pk=suggested.pk).exists()
    acted.refresh_from_db()
    assert (acted.status, acted.no_longer_meets_rules) == ("shortlisted", "need_closed")
    assert report.flagged == 1 and report.deleted >= 1
