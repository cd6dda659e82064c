"""The browser's preferred language on a first visit: Hindi-preferring browsers land on /hi/;
the language cookie then remembers each page's language, so choosing English sticks."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HINDI_FIRST = "hi-IN,hi;q=0.9,en;q=0.8"
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ("/", "/hi/"),
        ("/facilities/", "/hi/facilities/"),
        ("/clusters/?kind=corridor", "/hi/clusters/?kind=corridor"),
        ("/accounts/login/?next=/me/", "/hi/accounts/login/?next=/me/"),
    ],
)
def test_a_first_visit_preferring_hindi_is_sent_to_the_hindi_page(path: str, to: str) -> None:
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE=HINDI_FIRST)

    assert (response.status_code, response.url) == (302, to)
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


@pytest.mark.parametrize("accept", ["en-IN,en;q=0.9", "ta-IN,ta;q=0.9", ""])
def test_a_first_visit_preferring_english_or_nothing_we_speak_stays(accept: str) -> None:
    response = Client().get("/facilities/", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 200
    assert response.cookies[COOKIE].value == "en"


def test_after_choosing_english_a_hindi_browser_is_not_sent_back() -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE=HINDI_FIRST)
    landed = browser.get("/facilities/", follow=True)
    assert landed.redirect_chain == [("/hi/facilities/", 302)]
    assert browser.cookies[COOKIE].value == "hi"

    english = browser.get("/facilities/")  # the switcher's "English" link

    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert browser.cookies[COOKIE].value == "en"
    assert browser.get("/").status_code == 200  # and on every page after
    assert browser.get("/clusters/").status_code == 200


def test_a_post_is_never_redirected() -> None:
    response = Client().post(
        "/accounts/login/",
        {"username": "nobody@hosur.in", "password": "wrong-password"},
        HTTP_ACCEPT_LANGUAGE=HINDI_FIRST,
    )

    assert response.status_code == 200
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("path", ["/admin/login/", "/healthz", "/static/css/site.css"])
def test_the_admin_health_check_and_static_files_are_left_alone(path: str) -> None:
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE=HINDI_FIRST)

    assert response.status_code != 302 or not response.url.startswith("/hi/")
    assert COOKIE not in response.cookies


def test_a_certificate_document_is_left_alone() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=HINDI_FIRST)
    client.force_login(UserFactory())

    response = client.get("/me/documents/certificates/none.pdf")

    assert response.status_code == 404  # the view answered: not redirected to /hi/


def test_an_unknown_page_is_not_redirected() -> None:
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=HINDI_FIRST)

    assert response.status_code == 404
