"""Actions on accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction


def normalise_email(email: str) -> str:
    """One spelling per address: logins and sign-ups compare emails in lower case."""
    return email.strip().lower()


@transaction.atomic
def account_create(*, email: str, password: str) -> AbstractBaseUser:
    """A new owner's account; the email is also its username (one account per address)."""
    email = normalise_email(email)
    return get_user_model().objects.create_user(username=email, email=email, password=password)
