"""Read queries on accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from .services import normalise_email


def email_taken(email: str) -> bool:
    """Whether an account already uses this address, as its email or as its username."""
    email = normalise_email(email)
    users = get_user_model().objects
    return users.filter(email__iexact=email).exists() or users.filter(username=email).exists()
