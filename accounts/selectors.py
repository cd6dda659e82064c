"""Read queries on accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from .services import normalise_email


def email_taken(email: str) -> bool:
    """Whether an account already uses this address, as its email or as its username."""
    email = normalise_email(email)
    return get_user_model().objects.filter(Q(email__iexact=email) | Q(username=email)).exists()
