"""Verifying profiles and certificates in the admin: one at a time (a POST button) or in bulk
(actions), always recording who and when (on the row and in its history, through the admin
path), refusing expired or unscanned certificates, and rematching what it affects."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matching.models import Match, MatchRun
from matching.services import matches_sync
from tests import factories as f
from vendors.models import Certification, Supplier
from vendors.services import (
    VerificationRefused,
    certification_verify,
    certification_verify_one,
    supplier_verify,
)

pytestmark = pytest.mark.django_db

SCAN = "certificates/2026/scan.pdf"


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def scanned(**values: Any) -> Certification:
    certification = f.CertificationFactory(**values)
    Certification.objects.filter(pk=certification.pk).update(document=SCAN)
    certification.refresh_from_db()
    return certification


# --- Profiles ------------------------------------------------------------------------------------


def test_the_verify_button_records_who_and_when_on_the_row_and_in_its_history(
    scheme_admin: Client, scheme_admin_user: Any
) -> None:
    supplier = f.SupplierFactory()
    before = timezone.now()

    response = scheme_admin.post(admin_url(Supplier, "verify", supplier.pk), follow=True)

    assert "1 supplier marked verified." in response.content.decode()
    supplier.refresh_from_db()
    assert supplier.is_verified
    assert supplier.verified_by == scheme_admin_user
    assert supplier.verified_at >= before
    record = supplier.history.latest()
    assert (record.is_verified, record.history_user, record.history_path) == (
        True,
        scheme_admin_user,
        "admin",
    )
    assert record.verified_by_id == scheme_admin_user.pk
    page = response.content.decode()
    assert "Verified by scheme-admin on " in page
    assert admin_url(Supplier, "unverify", supplier.pk) in page  # the button now withdraws it


def test_withdrawing_a_verification_clears_who_and_when(
    scheme_admin: Client, scheme_admin_user: Any
) -> None:
    supplier = f.SupplierFactory()
    supplier_verify(supplier_ids=[supplier.pk], by=scheme_admin_user)

    scheme_admin.post(admin_url(Supplier, "unverify", supplier.pk))

    supplier.refresh_from_db()
    assert (supplier.is_verified, supplier.verified_by, supplier.verified_at) == (False, None, None)
    assert supplier.history.latest().history_user == scheme_admin_user


def test_the_buttons_take_a_post_with_its_csrf_token_only(scheme_admin_user: Any) -> None:
    supplier = f.SupplierFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(scheme_admin_user)
    url = admin_url(Supplier, "verify", supplier.pk)

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no token

    supplier.refresh_from_db()
    assert not supplier.is_verified


def test_someone_who_may_only_view_suppliers_cannot_verify_them(client: Client) -> None:
    user = f.UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_supplier"))
    client.force_login(user)
    supplier = f.SupplierFactory()

    assert client.post(admin_url(Supplier, "verify", supplier.pk)).status_code == 403
    page = client.get(admin_url(Supplier, "change", supplier.pk)).content.decode()

    assert admin_url(Supplier, "verify", supplier.pk) not in page
    supplier.refresh_from_db()
    assert not supplier.is_verified


def test_verifying_suppliers_in_bulk_records_each_and_skips_those_already_verified(
    scheme_admin: Client, scheme_admin_user: Any
) -> None:
    done = f.SupplierFactory()
    supplier_verify(supplier_ids=[done.pk], by=scheme_admin_user)
    versions = done.history.count()
    chosen = [f.SupplierFactory(), f.SupplierFactory(), done]

    response = scheme_admin.post(
        admin_url(Supplier, "changelist"),
        {"action": "mark_verified", "_selected_action": [s.pk for s in chosen]},
        follow=True,
    )

    assert "2 suppliers marked verified." in response.content.decode()
    for supplier in chosen[:2]:
        record = supplier.history.latest()
        assert (record.is_verified, record.history_user, record.history_path) == (
            True,
            scheme_admin_user,
            "admin",
        )
    assert done.history.count() == versions


# --- Certificates --------------------------------------------------------------------------------


def test_a_certificate_with_a_scan_is_verified_from_its_page(
    scheme_admin: Client, scheme_admin_user: Any
) -> None:
    certification = scanned()

    response = scheme_admin.post(admin_url(Certification, "verify", certification.pk), follow=True)

    assert "1 certificate marked verified." in response.content.decode()
    certification.refresh_from_db()
    assert (certification.is_verified, certification.verified_by) == (True, scheme_admin_user)
    record = certification.history.latest()
    assert (record.history_user, record.history_path) == (scheme_admin_user, "admin")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (
            lambda: scanned(valid_until=datetime.date(2025, 12, 3)),
            "it expired on 3 Dec 2025: ask the supplier for the current certificate.",
        ),
        (
            lambda: f.CertificationFactory(),
            "it has no scan: the supplier uploads one on their profile page first.",
        ),
    ],
    ids=["expired", "no scan"],
)
def test_an_expired_or_unscanned_certificate_is_refused_with_its_reason(
    scheme_admin: Client, scheme_admin_user: Any, make: Any, reason: str
) -> None:
    certification = make()
    versions = certification.history.count()

    response = scheme_admin.post(admin_url(Certification, "verify", certification.pk), follow=True)

    page = response.content.decode()
    assert "1 certificate not verified: " in page and reason in page
    certification.refresh_from_db()
    assert not certification.is_verified and certification.verified_by is None
    assert certification.history.count() == versions
    with pytest.raises(VerificationRefused, match=reason[:20]):
        certification_verify_one(certification=certification, by=scheme_admin_user)


def test_verifying_certificates_in_bulk_verifies_the_valid_ones_and_lists_the_rest(
    scheme_admin: Client,
) -> None:
    good = [scanned(), scanned()]
    expired = scanned(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    unscanned = f.CertificationFactory()

    response = scheme_admin.post(
        admin_url(Certification, "changelist"),
        {
            "action": "mark_verified",
            "_selected_action": [c.pk for c in [*good, expired, unscanned]],
        },
        follow=True,
    )

    page = response.content.decode()
    assert "2 certificates marked verified." in page
    assert "2 certificates not verified: " in page
    assert f"{expired} it expired on" in page and f"{unscanned} it has no scan" in page
    verified = set(Certification.objects.filter(is_verified=True).values_list("pk", flat=True))
    assert verified == {c.pk for c in good}


def test_the_suppliers_page_offers_each_verifiable_certificate_a_button(
    scheme_admin: Client,
) -> None:
    supplier = f.SupplierFactory()
    ready = scanned(supplier=supplier)
    lapsed = scanned(supplier=supplier, valid_until=datetime.date(2025, 12, 3))

    page = scheme_admin.get(admin_url(Supplier, "change", supplier.pk)).content.decode()

    assert f'form="verify-certificate-{ready.pk}"' in page
    hidden = page[page.index('class="verification-forms"') : page.index('id="supplier_form"')]
    assert f'id="verify-certificate-{ready.pk}"' in hidden
    back = admin_url(Supplier, "change", supplier.pk).replace("/", "%2F")
    assert f"{admin_url(Certification, 'verify', ready.pk)}?next={back}" in hidden
    assert f'form="verify-certificate-{lapsed.pk}"' not in page
    assert "Cannot be verified: it expired on 3 Dec 2025" in page

    response = scheme_admin.post(
        f"{admin_url(Certification, 'verify', ready.pk)}?next={back}", follow=True
    )
    assert response.redirect_chain[-1][0] == admin_url(Supplier, "change", supplier.pk)


def test_a_next_address_off_the_site_is_not_followed(scheme_admin: Client) -> None:
    certification = scanned()

    response = scheme_admin.post(
        f"{admin_url(Certification, 'verify', certification.pk)}?next=https://evil.example/"
    )

    assert response["Location"] == admin_url(Certification, "change", certification.pk)


# --- The matcher hears of it ---------------------------------------------------------------------


@pytest.fixture
def matched() -> Match:
    need = f.NeedFactory(min_monthly_capacity=Decimal("100"))
    supplier = f.SupplierFactory()
    f.SupplierCapabilityFactory(supplier=supplier, process=need.process)
    scanned(supplier=supplier)
    matches_sync(need_ids=[need.pk])
    return Match.objects.get()


@pytest.mark.django_db(transaction=True)
def test_verifying_a_profile_rematches_its_supplier(matched: Match, admin_user: Any) -> None:
    quality = matched.quality_component

    supplier_verify(supplier_ids=[matched.supplier_id], by=admin_user)

    matched.refresh_from_db()
    assert matched.quality_component == quality + Decimal("0.25")


@pytest.mark.django_db(transaction=True)
def test_verifying_a_certificate_rematches_its_supplier(matched: Match, admin_user: Any) -> None:
    quality = matched.quality_component

    certification_verify(
        certification_ids=Certification.objects.values_list("pk", flat=True), by=admin_user
    )

    matched.refresh_from_db()
    assert matched.quality_component == quality + Decimal("0.25")


@pytest.mark.django_db(transaction=True)
def test_verifying_many_suppliers_rematches_them_in_one_run(admin_user: Any) -> None:
    suppliers = [f.SupplierFactory() for _ in range(3)]
    runs = MatchRun.objects.count()

    supplier_verify(supplier_ids=[s.pk for s in suppliers], by=admin_user)

    run = MatchRun.objects.order_by("-pk").first()
    assert MatchRun.objects.count() == runs + 1
    assert (run.scope, run.trigger, run.status) == ("suppliers", "suppliers_changed", "done")
