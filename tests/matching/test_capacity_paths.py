"""Every path that commits or frees a supplier's capacity rematches what it affects: the admin,
the partner API, the MSME's pages, a bulk update and a deleted need. With REDIS_URL set (CI) a
real worker runs the rematches; on the embedded default they run in-process after the commit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.dispatch import receiver
from django.test import Client

from matching import services
from matching.models import Match, commitments_changed
from partners.services import api_key_create, partner_ensure
from tests.factories import ClusterFactory, FacilityFactory, NeedFactory, UserFactory
from tests.matching.conftest import SITE, supplier_near
from tests.test_admin import admin_url
from tests.test_celery_worker import wait_until


def near_miss_rule(match_id: int) -> str:
    return Match.objects.filter(pk=match_id).values_list("near_miss_rule", flat=True).get()


@pytest.mark.django_db(transaction=True)
def test_every_path_that_commits_or_frees_capacity_rematches_the_suppliers_other_needs(
    task_runner: None,
) -> None:
    facility = FacilityFactory(
        cluster=ClusterFactory(centre_latitude=SITE[0], centre_longitude=SITE[1])
    )
    needs = [NeedFactory(facility=facility, min_monthly_capacity=Decimal("4000")) for _ in range(3)]
    owner = UserFactory(username="owner@hosur.in")
    shop = supplier_near(10, monthly_capacity=Decimal("5000"))
    shop.owner = owner
    shop.save()
    services.matches_sync(need_ids=[n.pk for n in needs])
    a, b, c = (Match.objects.get(supplier=shop, need=n).pk for n in needs)
    assert {near_miss_rule(a), near_miss_rule(b), near_miss_rule(c)} == {""}
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin)

    # The admin shortlists A: B and C no longer fit in what is left.
    response = admin_client.post(
        admin_url(Match, "change", a),
        {"status": "shortlisted", "facility_note": "Visit on Monday", "committed_quantity": ""},
    )
    assert response.status_code == 302
    assert wait_until(lambda: near_miss_rule(b) == near_miss_rule(c) == "capacity")

    # The MSME withdraws from A on its page: its capacity is free again.
    msme = Client()
    msme.force_login(owner)
    assert msme.post(f"/me/matches/{a}/withdraw/").status_code == 302
    assert wait_until(lambda: near_miss_rule(b) == near_miss_rule(c) == "")

    # The facility's partner shortlists B through the API, taking 4,500 of the 5,000.
    _, key = api_key_create(partner=partner_ensure(name="Anchor", facilities=[facility]))
    response = Client().patch(
        f"/api/v1/matches/{b}/",
        {"status": "shortlisted", "committed_quantity": "4500"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["committed_quantity"] == 4500
    assert wait_until(lambda: near_miss_rule(c) == "capacity")

    # A bulk update declines B (no service, no post_save): C fits again.
    with transaction.atomic():
        Match.objects.filter(pk=b).update(status=Match.Status.DECLINED)
    assert wait_until(lambda: near_miss_rule(c) == "")

    # Engaged on C for C's own monthly quantity, which the facility then lowers and raises.
    services.match_facility_decide(match=Match.objects.get(pk=c), status=Match.Status.ENGAGED)
    assert wait_until(lambda: near_miss_rule(b) == "capacity")
    needs[2].min_monthly_capacity = Decimal("500")
    needs[2].save()
    assert wait_until(lambda: near_miss_rule(b) == "")
    needs[2].min_monthly_capacity = Decimal("4000")
    needs[2].save()
    assert wait_until(lambda: near_miss_rule(b) == "capacity")

    # C's need is deleted, its engagement with it: B fits again.
    needs[2].delete()
    assert wait_until(lambda: near_miss_rule(b) == "")


@pytest.mark.django_db
def test_the_admin_refuses_a_commitment_beyond_free_capacity_as_a_field_error(
    admin_client: Client,
) -> None:
    facility = FacilityFactory()
    first, second = (
        NeedFactory(facility=facility, min_monthly_capacity=Decimal("4000")) for _ in range(2)
    )
    shop = supplier_near(0, monthly_capacity=Decimal("5000"))
    services.matches_sync(need_ids=[first.pk, second.pk])
    taken, wanted = (Match.objects.get(supplier=shop, need=n) for n in (first, second))
    services.match_facility_decide(match=taken, status=Match.Status.ENGAGED)

    refused = admin_client.post(
        admin_url(Match, "change", wanted.pk),
        {"status": "shortlisted", "facility_note": "", "committed_quantity": ""},
    )
    assert refused.status_code == 200
    assert "1,000 pieces a month free of 5,000" in str(
        refused.context["adminform"].form.errors["committed_quantity"]
    )
    wanted.refresh_from_db()
    assert wanted.status == Match.Status.SUGGESTED

    accepted = admin_client.post(
        admin_url(Match, "change", wanted.pk),
        {"status": "shortlisted", "facility_note": "", "committed_quantity": "1,000"},
    )
    assert accepted.status_code == 302
    wanted.refresh_from_db()
    assert (wanted.status, wanted.committed_quantity) == ("shortlisted", 1000)
    page = admin_client.get(admin_url(Match, "change", wanted.pk)).content.decode()
    assert "5,000 pieces a month: 4,000 committed to other needs, 1,000 free" in page


@pytest.mark.django_db
def test_the_api_refuses_a_commitment_beyond_free_capacity_with_409() -> None:
    facility = FacilityFactory()
    first, second = (
        NeedFactory(facility=facility, min_monthly_capacity=Decimal("4000")) for _ in range(2)
    )
    shop = supplier_near(0, monthly_capacity=Decimal("5000"))
    services.matches_sync(need_ids=[first.pk, second.pk])
    taken, wanted = (Match.objects.get(supplier=shop, need=n) for n in (first, second))
    services.match_facility_decide(match=taken, status=Match.Status.ENGAGED)
    _, key = api_key_create(partner=partner_ensure(name="Anchor", facilities=[facility]))

    response = Client().patch(
        f"/api/v1/matches/{wanted.pk}/",
        {"status": "engaged"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )

    assert response.status_code == 409
    assert response.json()["errors"][0]["attr"] == "committed_quantity"
    wanted.refresh_from_db()
    assert wanted.status == Match.Status.SUGGESTED
    listed = Client().get(f"/api/v1/matches/{taken.pk}/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert listed.json()["committed_quantity"] == 4000


@pytest.mark.django_db
def test_deleting_a_need_frees_what_its_matches_committed() -> None:
    need = NeedFactory(min_monthly_capacity=Decimal("100"))
    shop = supplier_near(0)
    services.matches_sync(need_ids=[need.pk])
    services.match_facility_decide(
        match=Match.objects.get(supplier=shop, need=need), status=Match.Status.ENGAGED
    )
    told: list[list[int]] = []

    @receiver(commitments_changed)
    def heard(sender: type, supplier_ids: list[int], **kwargs: object) -> None:
        told.append(list(supplier_ids))

    try:
        need.delete()
    finally:
        commitments_changed.disconnect(heard)
    assert told == [[shop.pk]]


@pytest.mark.django_db
def test_the_msme_reads_what_a_shortlist_takes_and_what_is_free() -> None:
    owner = UserFactory(username="owner@pune.in")
    need = NeedFactory(min_monthly_capacity=Decimal("4000"))
    shop = supplier_near(0, monthly_capacity=Decimal("5000"))
    shop.owner = owner
    shop.save()
    services.matches_sync(need_ids=[need.pk])
    match = Match.objects.get(supplier=shop, need=need)
    services.match_facility_decide(
        match=match, status=Match.Status.SHORTLISTED, committed_quantity=Decimal("3000")
    )
    client = Client()
    client.force_login(owner)

    page = client.get(f"/me/matches/{match.pk}/").content.decode()
    dashboard = client.get("/me/").content.decode()

    assert "The facility counts on 3,000 pieces a month of your capacity" in page
    assert "2,000 pieces a month free of 5,000" in dashboard
    assert need.title in dashboard.split('id="capacity-heading"')[1]
