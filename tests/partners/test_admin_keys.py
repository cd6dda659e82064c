"""Keys in the admin: made and shown once, revoked; a facility manager handles only the keys of
partners confined to their facilities (the partner view of the API), and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from partners.models import ApiKey, Partner
from partners.selectors import api_key_for
from partners.services import api_key_create, partner_ensure
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(managed_facility: Any) -> dict[str, Partner]:
    other = f.FacilityFactory()
    return {
        "ours": partner_ensure(name="Our anchor", facilities=[managed_facility]),
        "shared": partner_ensure(name="Two facilities", facilities=[managed_facility, other]),
        "theirs": partner_ensure(name="Their anchor", facilities=[other]),
        "agency": partner_ensure(name="Agency", kind=Partner.Kind.STATE_AGENCY),
    }


def test_a_manager_lists_only_partners_confined_to_their_facilities(
    facility_manager: Client, partners: dict[str, Partner]
) -> None:
    page = facility_manager.get(reverse("admin:partners_partner_changelist"))

    assert page.status_code == 200
    assert [p.name for p in page.context["cl"].result_list] == ["Our anchor"]


@pytest.mark.parametrize("which", ["shared", "theirs", "agency"])
def test_another_partner_and_its_keys_are_404_to_a_manager(
    facility_manager: Client, partners: dict[str, Partner], which: str
) -> None:
    api_key, _ = api_key_create(partner=partners[which])

    partner_page = facility_manager.get(
        reverse("admin:partners_partner_change", args=[partners[which].pk])
    )
    key_page = facility_manager.get(reverse("admin:partners_apikey_change", args=[api_key.pk]))
    revoke = facility_manager.post(
        reverse("admin:partners_apikey_changelist"),
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )

    assert (partner_page.status_code, key_page.status_code) == (404, 404)
    assert revoke.status_code in {200, 302}
    api_key.refresh_from_db()
    assert api_key.revoked_at is None


def test_a_manager_makes_a_key_for_their_partner_and_it_is_shown_once(
    facility_manager: Client, partners: dict[str, Partner]
) -> None:
    response = facility_manager.post(
        reverse("admin:partners_partner_changelist"),
        {"action": "make_key", "_selected_action": [partners["ours"].pk, partners["theirs"].pk]},
    )

    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 1  # "theirs" is not in the manager's queryset: no key for it
    key = said[0].rsplit(" ", 1)[-1]
    assert api_key_for(key).partner == partners["ours"]
    assert not ApiKey.objects.filter(partner=partners["theirs"]).exists()
    assert key not in str(list(ApiKey.objects.values()))  # only its digest is stored


def test_a_manager_revokes_their_partners_key(
    facility_manager: Client, partners: dict[str, Partner]
) -> None:
    api_key, key = api_key_create(partner=partners["ours"])

    facility_manager.post(
        reverse("admin:partners_apikey_changelist"),
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )

    assert api_key_for(key) is None


def test_a_scheme_administrator_sees_every_partner(
    scheme_admin: Client, partners: dict[str, Partner]
) -> None:
    page = scheme_admin.get(reverse("admin:partners_partner_changelist"))

    assert {p.name for p in page.context["cl"].result_list} == {p.name for p in partners.values()}
