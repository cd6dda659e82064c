"""Read queries on accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from .models import Preferences
from .services import normalise_email


def email_taken(email: str) -> bool:
    """Whether an account already uses this address, as its email or as its username."""
    email = normalise_email(email)
    return get_user_model().objects.filter(Q(email__iexact=email) | Q(username=email)).exists()


def preferences_of(user: AbstractBaseUser) -> Preferences:
    """The account's preferences, or the defaults (unsaved) for an account that has none yet.

    Reads ``user.preferences`` (select_related("preferences") makes it free for many users)."""
    try:
        return user.preferences
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def email_language(user: AbstractBaseUser) -> str:
    """The language emails to this account are written in."""
    language = preferences_of(user).email_language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
