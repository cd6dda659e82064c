"""Expired and expiring certificates are flagged in the admin's lists and forms, with the one
warning window the MSME pages and the matcher use."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matching import rules
from tests import factories as f
from vendors import models as vendor_models
from vendors.models import Certification, Supplier, Validity

pytestmark = pytest.mark.django_db


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(client: Client, model: type[Model], **params: str) -> list[Any]:
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def certificates(today: datetime.date) -> dict[str, Certification]:
    return {
        "expired": f.CertificationFactory(valid_until=today - datetime.timedelta(days=3)),
        "last_day": f.CertificationFactory(valid_until=today),
        "expiring": f.CertificationFactory(valid_until=today + datetime.timedelta(days=60)),
        "valid": f.CertificationFactory(valid_until=today + datetime.timedelta(days=61)),
    }


def test_the_warning_window_is_defined_once() -> None:
    assert rules.EXPIRY_WARNING_DAYS is vendor_models.EXPIRY_WARNING_DAYS == 60
    assert rules.expiring_soon_until is vendor_models.expiring_soon_until


def test_each_certificate_knows_where_it_stands(
    certificates: dict[str, Certification], today: datetime.date
) -> None:
    assert {name: c.validity_on(today) for name, c in certificates.items()} == {
        "expired": Validity.EXPIRED,
        "last_day": Validity.EXPIRING,
        "expiring": Validity.EXPIRING,
        "valid": Validity.VALID,
    }


def test_the_certificate_list_flags_expired_and_expiring_ones_in_words(
    admin_client: Client, certificates: dict[str, Certification], today: datetime.date
) -> None:
    page = admin_client.get(admin_url(Certification, "changelist")).content.decode()

    expired_on = (today - datetime.timedelta(days=3)).strftime("%-d %b %Y")
    assert f'<span class="validity validity-expired">Expired {expired_on}</span>' in page
    assert page.count("validity validity-expiring") == 2
    assert page.count("validity validity-valid") == 1


@pytest.mark.parametrize(
    ("validity", "expected"),
    [("expired", ["expired"]), ("expiring", ["last_day", "expiring"]), ("valid", ["valid"])],
)
def test_the_validity_filter_picks_each_kind(
    admin_client: Client,
    certificates: dict[str, Certification],
    validity: str,
    expected: list[str],
) -> None:
    shown = listed(admin_client, Certification, validity=validity)

    assert sorted(c.pk for c in shown) == sorted(certificates[name].pk for name in expected)


def test_the_supplier_list_flags_and_filters_suppliers_by_their_certificates(
    admin_client: Client, certificates: dict[str, Certification]
) -> None:
    lapsed = certificates["expired"].supplier
    f.SupplierFactory()  # holds nothing

    assert listed(admin_client, Supplier, certificates="expired") == [lapsed]
    expiring = listed(admin_client, Supplier, certificates="expiring")
    assert sorted(s.pk for s in expiring) == sorted(
        certificates[name].supplier_id for name in ("last_day", "expiring")
    )
    page = admin_client.get(admin_url(Supplier, "changelist")).content.decode()
    assert '<span class="validity validity-expired">1 expired</span>' in page
    assert page.count('<span class="validity validity-expiring">1 expiring</span>') == 2


def test_the_certificate_form_and_the_suppliers_inline_show_the_flag(
    admin_client: Client, certificates: dict[str, Certification]
) -> None:
    expired = certificates["expired"]

    form = admin_client.get(admin_url(Certification, "change", expired.pk)).content.decode()
    inline = admin_client.get(admin_url(Supplier, "change", expired.supplier_id)).content.decode()

    for page in (form, inline):
        assert "validity validity-expired" in page
