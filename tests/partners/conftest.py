"""Personas of the partner API: two anchors with a facility each, a read-only agency, and keys
that no longer open anything (revoked, expired)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from matching.models import Match
from partners.models import Partner
from partners.services import api_key_create, api_key_revoke, partner_ensure
from schemes.models import Facility, Need
from tests import factories as f

# A sync's start within the tombstones' horizon (MATCH_TOMBSTONE_DAYS).
YESTERDAY = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class World:
    facility_a: Facility
    facility_b: Facility
    need_a: Need
    need_b: Need
    match_a: Match
    near_miss_a: Match
    match_b: Match
    partner_a: Partner
    key_a: str
    key_b: str
    key_agency: str
    key_revoked: str
    key_expired: str


def auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    process = f.ProcessFactory()
    facility_a, facility_b = f.FacilityFactory(), f.FacilityFactory()
    need_a = f.NeedFactory(facility=facility_a, process=process, external_ref="A-1")
    need_b = f.NeedFactory(facility=facility_b, process=process, external_ref="B-1")
    match_a = f.MatchFactory(need=need_a, score=80)
    near_miss_a = f.MatchFactory(need=need_a, score=60, near_miss_rule="capacity")
    match_b = f.MatchFactory(need=need_b, score=75)
    partner_a = partner_ensure(name="Anchor A", facilities=[facility_a])
    partner_b = partner_ensure(name="Anchor B", facilities=[facility_b])
    agency = partner_ensure(name="State agency", kind=Partner.Kind.STATE_AGENCY)
    _, key_a = api_key_create(partner=partner_a)
    _, key_b = api_key_create(partner=partner_b)
    _, key_agency = api_key_create(partner=agency)
    revoked, key_revoked = api_key_create(partner=partner_a)
    api_key_revoke(api_key=revoked)
    _, key_expired = api_key_create(
        partner=partner_a, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return World(
        facility_a, facility_b, need_a, need_b, match_a, near_miss_a, match_b, partner_a,
        key_a, key_b, key_agency, key_revoked, key_expired,
    )  # fmt: skip


@pytest.fixture
def api() -> Client:
    return Client()
