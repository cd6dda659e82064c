"""Per-account settings: the language of emails (from sign-up, editable on the profile page)
and the last dashboard visit, kept for the account rather than the browser."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Preferences
from accounts.selectors import email_language
from tests.factories import MatchFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kavach-magnet-2026"


def sign_up(client: Client, path: str, email: str):
    return client.post(path, {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_emails_come_in_the_language_the_owner_signed_up_in() -> None:
    sign_up(Client(), "/hi/accounts/signup/", "hindi@hosur.in")
    sign_up(Client(), "/accounts/signup/", "english@hosur.in")

    languages = dict(Preferences.objects.values_list("user__email", "email_language"))
    assert languages == {"hindi@hosur.in": "hi", "english@hosur.in": "en"}


def test_an_account_from_before_has_english_emails_until_it_chooses() -> None:
    assert email_language(UserFactory()) == "en"


def test_the_owner_changes_the_language_of_emails_on_the_profile_page() -> None:
    owner = UserFactory(username="owner@hosur.in")
    SupplierFactory(owner=owner)
    client = logged_in(owner)
    page = client.get("/me/profile/").content.decode()
    assert 'action="/me/account/"' in page and "हिंदी" in page

    response = client.post("/me/account/", {"email_language": "hi"})

    assert (response.status_code, response.url) == (302, "/me/profile/")
    assert Preferences.objects.get(user=owner).email_language == "hi"
    assert "Your account settings are saved." in client.get("/me/profile/").content.decode()
    # A language the site does not speak is refused, and changes nothing.
    client.post("/me/account/", {"email_language": "fr"})
    assert Preferences.objects.get(user=owner).email_language == "hi"
    assert client.get("/me/account/").status_code == 405


def test_new_since_the_last_visit_counts_per_account_across_browsers() -> None:
    owner = UserFactory(username="owner@hosur.in")
    supplier = SupplierFactory(owner=owner)
    MatchFactory(supplier=supplier)
    logged_in(owner).get("/me/")  # the first visit, in the office
    MatchFactory(supplier=supplier)

    board = logged_in(owner).get("/me/").context["board"]  # then on the phone

    assert board.new_since_last_visit == 1
    assert Preferences.objects.get(user=owner).dashboard_visited_at is not None
