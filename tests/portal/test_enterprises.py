"""Owners who run several enterprises: add one, switch between them (remembered per account),
and every /me/ page and access helper follows the current one; someone else's id is 404."""

from __future__ import annotations

import pytest
from django.test import Client

from portal import selectors
from portal.models import CurrentEnterprise
from tests.factories import MatchFactory, SupplierFactory, UserFactory
from tests.portal.test_profile import profile_data
from vendors.models import Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(username="owner@hosur.in")


@pytest.fixture
def turning(owner) -> Supplier:
    return SupplierFactory(owner=owner, name="Anand Turning")  # first by name


@pytest.fixture
def plating(owner) -> Supplier:
    return SupplierFactory(owner=owner, name="Bharat Plating")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def switch(client: Client, supplier_id: object, next: str = "/me/matches/"):
    return client.post("/me/enterprise/", {"enterprise": supplier_id, "next": next})


def test_the_pages_show_the_first_enterprise_until_the_owner_switches(
    owner, turning, plating
) -> None:
    turning_match = MatchFactory(supplier=turning)
    plating_match = MatchFactory(supplier=plating)
    client = logged_in(owner)
    dashboard = client.get("/me/").content.decode()
    assert "Anand Turning" in dashboard
    assert 'action="/me/enterprise/"' in dashboard and "Bharat Plating" in dashboard  # switcher

    response = switch(client, plating.pk)

    assert (response.status_code, response.url) == (302, "/me/matches/")
    listed = client.get("/me/matches/")
    assert [row.match for row in listed.context["rows"]] == [plating_match]
    assert client.get("/me/").context["supplier"] == plating
    assert client.get("/me/profile/").context["enterprise"].instance == plating
    assert client.get(f"/me/matches/{plating_match.pk}/").status_code == 200
    assert selectors.owned_supplier(owner) == plating
    assert selectors.owned_match(owner, plating_match.pk) == plating_match
    # The other enterprise's match is not this page's: the owner is offered to switch back.
    other = client.get(f"/me/matches/{turning_match.pk}/")
    assert "This match is for Anand Turning" in other.content.decode()
    assert client.post(f"/me/matches/{turning_match.pk}/interest/").status_code == 404


def test_the_choice_is_remembered_for_the_account_not_the_browser(owner, turning, plating) -> None:
    switch(logged_in(owner), plating.pk)

    # Another browser (a fresh session) of the same account.
    assert logged_in(owner).get("/me/").context["supplier"] == plating


def test_switching_to_someone_elses_enterprise_is_404_and_changes_nothing(
    owner, turning, plating
) -> None:
    stranger = SupplierFactory(owner=UserFactory(username="other@rajkot.in"))
    client = logged_in(owner)
    switch(client, plating.pk)

    for bad in (stranger.pk, 999_999, 10**20, -1, "x", ""):
        assert switch(client, bad).status_code == 404, bad

    assert CurrentEnterprise.objects.get(owner=owner).supplier == plating
    assert not CurrentEnterprise.objects.filter(supplier=stranger).exists()
    assert client.get("/me/").context["supplier"] == plating


def test_switching_takes_a_post_with_a_csrf_token(owner, turning, plating) -> None:
    assert logged_in(owner).get("/me/enterprise/", {"enterprise": plating.pk}).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert switch(strict, plating.pk).status_code == 403
    assert not CurrentEnterprise.objects.exists()
    assert Client().post("/me/enterprise/", {"enterprise": plating.pk}).status_code == 302  # login


def test_switching_goes_back_only_to_a_page_of_this_site(owner, turning, plating) -> None:
    client = logged_in(owner)

    assert switch(client, plating.pk, next="https://evil.example/").url == "/me/"
    assert switch(client, turning.pk, next="/hi/me/profile/").url == "/hi/me/profile/"


def test_an_owner_with_one_enterprise_sees_no_switcher_but_can_add_one(owner, turning) -> None:
    page = logged_in(owner).get("/me/profile/").content.decode()

    assert 'action="/me/enterprise/"' not in page
    assert 'href="/me/profile/new/"' in page


def test_an_owner_adds_a_second_enterprise_and_works_on_it(owner, world) -> None:
    first = SupplierFactory(owner=owner, name="Anand Turning")
    client = logged_in(owner)
    assert client.get("/me/profile/new/").context["enterprise"].instance.pk is None

    response = client.post("/me/profile/new/", profile_data(world, name="Zenith Coatings"))

    assert response.status_code == 302
    second = Supplier.objects.get(name="Zenith Coatings")
    assert second.owner == owner and second.capabilities.count() == 1
    assert first.capabilities.count() == 0  # the first enterprise is untouched
    assert client.get("/me/").context["supplier"] == second  # the new one is current
    switcher = client.get("/me/").context["enterprises"]
    assert switcher == [(first.pk, "Anand Turning"), (second.pk, "Zenith Coatings")]


def test_a_deleted_choice_falls_back_to_the_first_enterprise(owner, turning, plating) -> None:
    client = logged_in(owner)
    switch(client, plating.pk)
    plating.delete()

    assert client.get("/me/").context["supplier"] == turning


def test_an_enterprise_given_to_another_owner_is_no_longer_shown(owner, turning, plating) -> None:
    switch(logged_in(owner), plating.pk)
    Supplier.objects.filter(pk=plating.pk).update(owner=UserFactory(username="new@owner.in"))

    assert selectors.owned_supplier(owner) == turning


def test_the_switcher_and_the_account_settings_speak_hindi(owner, turning, plating) -> None:
    client = logged_in(owner)

    dashboard = client.get("/hi/me/").content.decode()
    profile = client.get("/hi/me/profile/").content.decode()

    assert 'action="/hi/me/enterprise/"' in dashboard and ">बदलें</button>" in dashboard
    assert "एक और उद्यम जोड़ें" in profile  # Add another enterprise
    assert "ईमेल की भाषा" in profile  # Language of emails


def test_a_digest_link_to_the_other_enterprises_match_switches_then_shows_it(
    owner, turning, plating
) -> None:
    match = MatchFactory(supplier=plating)
    client = logged_in(owner)
    offer = client.get(f"/me/matches/{match.pk}/").content.decode()
    assert f'name="enterprise" value="{plating.pk}"' in offer
    assert "Switch to Bharat Plating" in offer

    response = switch(client, plating.pk, next=f"/me/matches/{match.pk}/")

    assert response.url == f"/me/matches/{match.pk}/"
    assert client.get(response.url).context["match"] == match
