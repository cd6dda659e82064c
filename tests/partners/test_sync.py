"""Incremental sync: a partner that pulls everything once and then only ``updated_since`` holds
exactly the current set of matches, whatever happened between (the real matcher runs here)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from matching import services as matching
from matching.models import Match, MatchTombstone
from matching.services import tombstones_prune
from tests import factories as f

from .conftest import YESTERDAY, World, auth

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _changes_visible_at_once(settings) -> None:
    """A sync reads up to a horizon WEBHOOK_SETTLE_SECONDS back (clock skew between hosts);
    these tests change data and sync within the same second."""
    settings.WEBHOOK_SETTLE_SECONDS = 0


def pull(api: Client, key: str, query: str) -> tuple[list[dict], str | None]:
    """Every page of a list; returns the items and the sync's next_updated_since."""
    items, url, horizon = [], f"/api/v1/matches/?page_size=2&{query}", None
    while url:
        page = api.get(url, **auth(key))
        assert page.status_code == 200, page.content
        body = page.json()
        items += body["results"]
        horizon = body.get("next_updated_since", horizon)
        url = body["next"]
    return items, horizon


def apply(copy: dict[int, dict], changes: list[dict]) -> dict[int, dict]:
    """What a partner does with a sync: upsert the live, drop the deleted."""
    for item in changes:
        if item["deleted"]:
            copy.pop(item["id"], None)
        else:
            copy[item["id"]] = item
    return copy


def facts(item: dict) -> tuple:
    return (item["status"], item["score"], item["near_miss_rule"], tuple(item["no_longer_meets"]))


def supplier_offering(need, capacity: str = "10000"):
    capability = f.SupplierCapabilityFactory(
        process=need.process, monthly_capacity=Decimal(capacity)
    )
    return capability.supplier


# Committed step by step, as in production: PostgreSQL stamps a row with its transaction's start,
# and one test-long transaction would stamp every change with the same instant.
@pytest.mark.django_db(transaction=True)
def test_a_partner_reconstructs_exactly_the_current_set(api: Client, world: World) -> None:
    need = world.need_a
    need.min_monthly_capacity = Decimal("4000")
    need.save()
    s1, s2, s3 = (supplier_offering(need) for _ in range(3))
    matching.rematch_need(need_id=need.pk)
    first, since = pull(api, world.key_a, f"updated_since={YESTERDAY}")
    copy = apply({}, first)
    live = {m.supplier_id: m for m in Match.objects.filter(need=need)}
    assert {s1.pk, s2.pk, s3.pk} <= set(live)

    # A new match, a facility's decision, a match that stops holding, a deleted supplier.
    s4 = supplier_offering(need)
    matching.rematch_supplier(supplier_id=s4.pk)
    decided = api.patch(
        f"/api/v1/matches/{live[s1.pk].pk}/",
        {"status": "shortlisted"},
        content_type="application/json",
        **auth(world.key_a),
    )
    assert decided.status_code == 200
    s2.capabilities.update(monthly_capacity=Decimal("1000"))
    matching.rematch_supplier(supplier_id=s2.pk)
    s1.capabilities.all().delete()
    matching.rematch_supplier(supplier_id=s1.pk)
    gone_id = live[s3.pk].pk
    s3.delete()

    changes, _ = pull(api, world.key_a, f"updated_since={since.replace('+', '%2B')}")
    copy = apply(copy, changes)
    current = {item["id"]: item for item in pull(api, world.key_a, "")[0]}

    assert {i: facts(m) for i, m in copy.items()} == {i: facts(m) for i, m in current.items()}
    assert gone_id not in current  # the deleted supplier's match came as a tombstone
    assert any(i["deleted"] and i["id"] == gone_id for i in changes)
    assert current[live[s2.pk].pk]["near_miss_rule"] == "capacity"  # stopped holding
    assert current[live[s1.pk].pk]["status"] == "shortlisted"
    assert current[live[s1.pk].pk]["no_longer_meets"]  # acted on, then no longer a match
    assert any(m["supplier"]["id"] == s4.pk for m in current.values())  # the new match


def test_a_deleted_match_leaves_a_tombstone_with_its_facility_on_every_path(
    world: World,
) -> None:
    match_ids = {world.match_a.pk, world.near_miss_a.pk}

    world.need_a.delete()  # the need goes, its matches with it

    tombstones = MatchTombstone.objects.filter(match_id__in=match_ids)
    assert {t.match_id for t in tombstones} == match_ids
    assert {t.facility_id for t in tombstones} == {world.facility_a.pk}


def test_tombstones_stay_in_scope(api: Client, world: World) -> None:
    world.match_b.supplier.delete()

    mine, _ = pull(api, world.key_a, f"updated_since={YESTERDAY}")
    theirs, _ = pull(api, world.key_b, f"updated_since={YESTERDAY}")

    assert world.match_b.pk not in {i["id"] for i in mine}
    assert [i for i in theirs if i["deleted"]] == [
        {"id": world.match_b.pk, "deleted": True, "deleted_at": theirs[-1]["deleted_at"]}
    ]


def test_a_sync_from_before_the_tombstones_horizon_must_start_over(
    api: Client, world: World
) -> None:
    response = api.get("/api/v1/matches/?updated_since=2000-01-01", **auth(world.key_a))

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "updated_since"


def test_old_tombstones_are_pruned(world: World) -> None:
    old, recent = world.match_a.pk, world.near_miss_a.pk
    Match.objects.filter(pk__in=[old, recent]).delete()
    MatchTombstone.objects.filter(match_id=old).update(
        deleted_at=timezone.now() - datetime.timedelta(days=91)
    )

    assert tombstones_prune() == 1
    assert list(MatchTombstone.objects.values_list("match_id", flat=True)) == [recent]


def test_a_sync_stops_at_its_horizon_and_the_next_one_starts_there(
    api: Client, world: World, settings
) -> None:
    settings.WEBHOOK_SETTLE_SECONDS = 3600  # nothing of the last hour is settled yet

    first, horizon = pull(api, world.key_a, f"updated_since={YESTERDAY}")
    settings.WEBHOOK_SETTLE_SECONDS = 0
    later, _ = pull(api, world.key_a, f"updated_since={horizon.replace('+', '%2B')}")

    assert first == []
    assert {item["id"] for item in later} == {world.match_a.pk, world.near_miss_a.pk}


@pytest.mark.django_db(transaction=True)
def test_a_suppliers_own_change_reaches_a_partners_copy(api: Client, world: World) -> None:
    need = world.need_a
    supplier = supplier_offering(need)
    matching.rematch_need(need_id=need.pk)
    _, since = pull(api, world.key_a, f"updated_since={YESTERDAY}")

    supplier.name = "Renamed Precision Works"
    supplier.save()
    matching.rematch_supplier(supplier_id=supplier.pk)  # what the save queues
    changes, _ = pull(api, world.key_a, f"updated_since={since.replace('+', '%2B')}")

    assert [m["supplier"]["name"] for m in changes] == ["Renamed Precision Works"]
