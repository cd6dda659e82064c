"""The audit history records who changed what and through which path: here the MSME pages,
the partner API and the system (the admin, bulk actions and imports are tested with them)."""

from __future__ import annotations

import pytest
from django.test import Client

from matching.models import MatchStatusChange
from partners.services import api_key_create, partner_ensure
from taxonomy.history import ChangePath, changed_via
from tests import factories as f
from tests.portal.test_profile import logged_in, profile_data
from vendors.models import Supplier

pytestmark = pytest.mark.django_db


def test_an_msme_page_edit_is_recorded_as_made_there_by_its_owner(world: dict) -> None:
    owner = f.UserFactory()
    client = logged_in(owner)

    response = client.post("/me/profile/", profile_data(world))

    assert response.status_code == 302
    supplier = Supplier.objects.get(owner=owner)
    created = supplier.history.get()
    assert (created.history_type, created.history_path, created.history_user) == (
        "+",
        ChangePath.MSME,
        owner,
    )
    capability = supplier.capabilities.get().history.get()
    certificate = supplier.certifications.get().history.get()
    assert capability.history_path == certificate.history_path == ChangePath.MSME


def test_a_decision_through_the_api_is_recorded_with_its_partner() -> None:
    match = f.MatchFactory()
    partner = partner_ensure(name="Anchor", facilities=[match.need.facility])
    _, key = api_key_create(partner=partner)

    Client().patch(
        f"/api/v1/matches/{match.pk}/",
        {"status": "engaged", "note": "PO follows"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )

    change = MatchStatusChange.objects.get(match=match)
    assert (change.path, change.partner_name, change.note) == ("api", "Anchor", "PO follows")


def test_a_change_outside_any_request_is_the_systems_unless_a_job_names_its_path() -> None:
    supplier = f.SupplierFactory()
    with changed_via(ChangePath.COMMAND):
        supplier.employees = 41
        supplier.save()

    paths = list(supplier.history.order_by("history_id").values_list("history_path", flat=True))
    assert paths == [ChangePath.SYSTEM, ChangePath.COMMAND]
