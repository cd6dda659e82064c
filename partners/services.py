"""Actions on partners and their keys."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from schemes.models import Facility

from . import keys, selectors
from .models import ApiKey, Partner

# A key's last use is written at most this often: one UPDATE a minute, not one per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def partner_ensure(
    *, name: str, facilities: Iterable[Facility] = (), kind: str = Partner.Kind.ANCHOR
) -> Partner:
    """The partner of this name (made if new), linked to these facilities as well."""
    partner, _created = Partner.objects.get_or_create(name=name, defaults={"kind": kind})
    facilities = list(facilities)
    if facilities:
        partner.facilities.add(*facilities)
    return partner


def api_key_create(
    *,
    partner: Partner,
    name: str = "",
    expires_at: datetime.datetime | None = None,
    created_by: AbstractBaseUser | None = None,
) -> tuple[ApiKey, str]:
    """A new key for the partner; returns it with the key in clear, shown once."""
    key, prefix, digest = keys.new_key()
    api_key = ApiKey.objects.create(
        partner=partner,
        name=name,
        prefix=prefix,
        digest=digest,
        expires_at=expires_at,
        created_by=created_by,
    )
    return api_key, key


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once (idempotent: a revoked key keeps its first revocation time)."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_key.refresh_from_db(fields=["revoked_at"])
    selectors.forget_checked_keys()  # an UPDATE sends no signal
    return api_key


def api_key_mark_used(*, api_key: ApiKey, now: datetime.datetime | None = None) -> None:
    """Record the key's use, at most once a minute (a conditional UPDATE, no read)."""
    now = now or timezone.now()
    last = api_key.last_used_at
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).exclude(
        last_used_at__gt=now - LAST_USED_RESOLUTION
    ).update(last_used_at=now)
    api_key.last_used_at = now
