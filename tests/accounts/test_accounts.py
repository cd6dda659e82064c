"""Accounts: sign up, log in and out, password reset, and the login lockout (django-axes)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "kavach-magnet-2026"
User = get_user_model()


def sign_up(client: Client, email: str, password: str = PASSWORD, again: str | None = None):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": again or password},
    )


def log_in(client: Client, username: str, password: str, path: str = "/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_signing_up_creates_one_account_per_email_and_logs_it_in(client: Client) -> None:
    response = sign_up(client, "  Owner@Hosur-Precision.in ")

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.username, user.email) == ("owner@hosur-precision.in", "owner@hosur-precision.in")
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)

    again = sign_up(Client(), "OWNER@hosur-precision.in")
    assert again.status_code == 200
    assert "An account with this email already exists" in again.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("email", "password", "again", "field", "error"),
    [
        ("not-an-email", PASSWORD, None, "email", "Enter a valid email address."),
        ("a@b.in", PASSWORD, "something-else-2026", "password2", "The two passwords differ"),
        ("a@b.in", "password123", None, "password1", "This password is too common."),
        ("a@b.in", "73920184", None, "password1", "This password is entirely numeric."),
        ("a@b.in", "short1", None, "password1", "This password is too short."),
    ],
)
def test_sign_up_errors_are_shown_on_their_fields_and_create_nothing(
    client: Client, email: str, password: str, again: str | None, field: str, error: str
) -> None:
    response = sign_up(client, email, password, again)

    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert error in response.content.decode()
    assert not User.objects.exists()


def test_login_takes_the_email_in_any_case_and_logout_takes_a_post(client: Client) -> None:
    User.objects.create_user("owner@rajkot-coatings.in", "owner@rajkot-coatings.in", PASSWORD)

    assert log_in(client, "Owner@Rajkot-Coatings.in", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get("/accounts/logout/").status_code == 405  # a link cannot log anyone out
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_out_from_that_address(
    client: Client, path: str, settings
) -> None:
    User.objects.create_user("ravi", "ravi@example.in", PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "ravi", "wrong-guess", path).status_code == 200

    locked = log_in(client, "ravi", "wrong-guess", path)
    right_password = log_in(client, "ravi", PASSWORD, path)

    for response in (locked, right_password):
        assert response.status_code == 429
        page = response.content.decode()
        assert "Too many failed logins" in page
        assert "Try again in 15 minutes." in page
    assert "_auth_user_id" not in client.session
    # Another address is not locked out of the same account (a lockout is not a denial of it).
    other = Client()
    response = other.post(path, {"username": "ravi", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_a_right_password_resets_the_count_of_wrong_ones(client: Client, settings) -> None:
    User.objects.create_user("meena", "meena@example.in", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "meena", "wrong-guess")
    assert log_in(client, "meena", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "meena", "wrong-guess").status_code == 200
    assert log_in(client, "meena", PASSWORD).status_code == 302


def test_password_reset_by_email_sets_a_new_password_once(client: Client) -> None:
    User.objects.create_user("owner@hosur.in", "owner@hosur.in", PASSWORD)

    response = client.post("/accounts/password-reset/", {"email": "owner@hosur.in"})
    assert response.status_code == 302
    assert client.post("/accounts/password-reset/", {"email": "nobody@x.in"}).status_code == 302
    [message] = mail.outbox  # an unknown address is told nothing, and sent nothing
    assert message.to == ["owner@hosur.in"]
    assert message.subject == "Reset your REPM Connect password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "grain-boundary-9090"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert User.objects.get().check_password(new_password)
    assert not client.get(link, follow=True).context["validlink"]  # used once


def test_pages_send_a_content_security_policy_with_no_inline_code(client: Client) -> None:
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/admin/login/", "/hi/"):
        policy = client.get(path).headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'", path
        assert directives["object-src"] == "'none'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert "unsafe" not in policy, path


def test_no_template_of_ours_holds_inline_script_or_style() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    templates = [
        path
        for path in root.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "var" not in path.parts
    ]
    assert templates
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [str(path) for path in templates if inline.search(path.read_text())]
    assert offenders == []
