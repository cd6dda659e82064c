"""Read queries of the partner API: keys, and what a partner may see (its scope).

Every object a partner reaches goes through ``scoped_needs``/``scoped_matches`` and the access
helpers below, so another partner's need or match is a 404, never a leak.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from matching.models import Match, MatchTombstone
from schemes.models import Need

from . import keys
from .models import ApiKey, Partner


@dataclass(frozen=True)
class Scope:
    """What one partner sees: some facilities, or (None) every facility, read-only."""

    partner: Partner
    facility_ids: frozenset[int] | None

    @property
    def is_unscoped(self) -> bool:
        return self.facility_ids is None

    @property
    def can_write(self) -> bool:
        return self.facility_ids is not None


def api_key_for(raw_key: str) -> ApiKey | None:
    """The usable key this string is, or None (unknown, revoked, expired, partner inactive)."""
    prefix = keys.prefix_of(raw_key)
    if prefix is None:
        return None
    api_key = ApiKey.objects.usable().select_related("partner").filter(prefix=prefix).first()
    if api_key is None or not keys.digests_match(raw_key, api_key.digest):
        return None
    return api_key


def scope_of(partner: Partner) -> Scope:
    facility_ids = frozenset(partner.facilities.values_list("pk", flat=True))
    return Scope(partner=partner, facility_ids=facility_ids or None)


# Keys this process checked lately, by digest: the key, its scope, and until when the check
# holds. Two queries a request saved on the API's hot path; the price is that a key revoked,
# a partner deactivated or its facilities changed in another process takes effect there within
# KEY_CHECK_SECONDS (in this process at once: ``forget_checked_keys`` runs on every change).
# An expiry date is checked on every request. Only usable keys are kept.
KEY_CHECK_SECONDS = 10.0
_checked: dict[str, tuple[ApiKey, Scope, float]] = {}


def credentials_for(raw_key: str) -> tuple[ApiKey, Scope] | None:
    """The usable key this string is and its partner's scope, or None; see ``_checked``."""
    if keys.prefix_of(raw_key) is None:
        return None
    digest = keys.digest_of(raw_key)
    now = time.monotonic()
    checked = _checked.get(digest)
    if checked is not None and checked[2] > now and not checked[0].is_expired():
        return checked[0], checked[1]
    api_key = api_key_for(raw_key)
    if api_key is None:
        _checked.pop(digest, None)
        return None
    scope = scope_of(api_key.partner)
    _checked[digest] = (api_key, scope, now + KEY_CHECK_SECONDS)
    return api_key, scope


def forget_checked_keys(**_signal_arguments: object) -> None:
    """Check every key afresh (a key, a partner or a partner's facilities changed)."""
    _checked.clear()


def scoped_needs(scope: Scope) -> QuerySet[Need]:
    needs = Need.objects.all()
    if scope.facility_ids is not None:
        needs = needs.filter(facility_id__in=scope.facility_ids)
    return needs


def scoped_matches(scope: Scope) -> QuerySet[Match]:
    matches = Match.objects.all()
    if scope.facility_ids is not None:
        matches = matches.filter(need__facility_id__in=scope.facility_ids)
    return matches


def scoped_tombstones(scope: Scope) -> QuerySet[MatchTombstone]:
    tombstones = MatchTombstone.objects.all()
    if scope.facility_ids is not None:
        tombstones = tombstones.filter(facility_id__in=scope.facility_ids)
    return tombstones


def need_for_partner(scope: Scope, need_id: int) -> Need:
    """The need, if the partner's scope holds it; 404 otherwise."""
    need = scoped_needs(scope).filter(pk=need_id).first()
    if need is None:
        raise Http404
    return need


def match_for_partner(scope: Scope, match_id: int) -> Match:
    """The match, if the partner's scope holds it; 404 otherwise (another partner's included)."""
    match = scoped_matches(scope).select_related("need", "supplier").filter(pk=match_id).first()
    if match is None:
        raise Http404
    return match
