"""An owner who changes what an administrator verified (on /me/profile/) withdraws the
verification: the profile's checked facts, or a certificate's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.portal.test_profile import logged_in, profile_data
from vendors.models import Certification, Supplier
from vendors.services import certification_verify, supplier_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(world: dict) -> tuple[Client, Supplier, Certification]:
    owner = UserFactory(username="owner@hosur.in")
    client = logged_in(owner)
    assert client.post("/me/profile/", profile_data(world)).status_code == 302
    supplier = Supplier.objects.get(owner=owner)
    certification = supplier.certifications.get()
    verifier = UserFactory(username="meena", is_staff=True)
    supplier_verify(supplier_ids=[supplier.pk], by=verifier)
    certification_verify(certification_ids=[certification.pk], by=verifier)
    return client, supplier, certification


def edit_data(world: dict, supplier: Supplier, **changes: Any) -> dict:
    """The profile form as the owner posts it back, the saved rows included."""
    capability = supplier.capabilities.get()
    certification = supplier.certifications.get()
    data = profile_data(world, **{"certificates-0-document": ""})
    data |= {
        "udyam_number": supplier.udyam_number,
        "gstin": supplier.gstin,
        "capabilities-INITIAL_FORMS": "1",
        "capabilities-0-id": capability.pk,
        "certificates-INITIAL_FORMS": "1",
        "certificates-0-id": certification.pk,
        "certificates-0-valid_until": certification.valid_until.isoformat(),
    }
    del data["certificates-0-document"]
    return data | changes


def test_changing_the_enterprises_name_withdraws_its_verification(
    world: dict, verified: tuple[Client, Supplier, Certification]
) -> None:
    client, supplier, certification = verified

    response = client.post(
        "/me/profile/", edit_data(world, supplier, name="Hosur Precision Turning LLP"), follow=True
    )

    assert "no longer marked verified" in response.content.decode()
    supplier.refresh_from_db()
    assert (supplier.is_verified, supplier.verified_by, supplier.verified_at) == (False, None, None)
    record = supplier.history.latest()
    assert (record.is_verified, record.history_path) == (False, "msme")
    certification.refresh_from_db()
    assert certification.is_verified  # untouched


def test_changing_a_contact_number_keeps_the_verification(
    world: dict, verified: tuple[Client, Supplier, Certification]
) -> None:
    client, supplier, _certification = verified

    response = client.post(
        "/me/profile/", edit_data(world, supplier, contact_phone="+91 98400 99999"), follow=True
    )

    assert "no longer marked verified" not in response.content.decode()
    supplier.refresh_from_db()
    assert supplier.is_verified and supplier.contact_phone == "+91 98400 99999"


def test_changing_a_certificates_number_withdraws_that_certificates_verification(
    world: dict, verified: tuple[Client, Supplier, Certification]
) -> None:
    client, supplier, certification = verified

    client.post("/me/profile/", edit_data(world, supplier, **{"certificates-0-number": "QMS-9"}))

    certification.refresh_from_db()
    assert (certification.number, certification.is_verified) == ("QMS-9", False)
    assert certification.verified_by is None
    supplier.refresh_from_db()
    assert supplier.is_verified
