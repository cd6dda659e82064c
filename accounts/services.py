"""Actions on accounts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation

from .models import Preferences


def normalise_email(email: str) -> str:
    """One spelling per address: logins and sign-ups compare emails in lower case."""
    return email.strip().lower()


def supported_language(language: str | None) -> str:
    """One of the site's languages for a language code ("hi-IN" → "hi"); else the default."""
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return settings.LANGUAGE_CODE


@transaction.atomic
def account_create(*, email: str, password: str, language: str | None = None) -> AbstractBaseUser:
    """A new owner's account; the email is also its username (one account per address).

    Emails go out in the language the owner signed up in until they choose another."""
    email = normalise_email(email)
    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    Preferences.objects.create(user=user, email_language=supported_language(language))
    return user


def preferences_update(*, user: AbstractBaseUser, email_language: str) -> Preferences:
    preferences, _created = Preferences.objects.update_or_create(
        user=user, defaults={"email_language": supported_language(email_language)}
    )
    return preferences


def dashboard_visit_record(
    *, user: AbstractBaseUser, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """Record a visit to the dashboard; returns the one before (None on the first).

    Two tabs loading at once may both read the same previous visit: both then count the same
    "new since", which is what the owner saw last, so no lock is taken."""
    now = now or timezone.now()
    preferences, created = Preferences.objects.get_or_create(
        user=user, defaults={"dashboard_visited_at": now}
    )
    if created:
        return None
    previous = preferences.dashboard_visited_at
    Preferences.objects.filter(pk=preferences.pk).update(dashboard_visited_at=now)
    return previous
