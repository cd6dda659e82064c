"""Committed capacity: a shortlist or engagement takes the supplier's capacity, so the same
capacity is never suggested to another need; declining or withdrawing frees it.

The rules run on every database (the reference engine here; ``test_bulk.py`` holds the
in-database engine to the same table with commitments). ``test_capacity_paths.py`` drives every
path that commits or frees capacity through a real worker.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from matching import services
from matching.capacity import free_capacities
from matching.models import Match, MatchStatusChange
from matching.selectors import match_capacity, match_explanations
from schemes.models import Need
from tests.factories import NeedFactory
from tests.matching.conftest import supplier_near

pytestmark = pytest.mark.django_db


def rematch(*needs: Need) -> None:
    services.matches_sync(need_ids=[n.pk for n in needs])


def match_of(supplier, need: Need) -> Match:
    return Match.objects.get(supplier=supplier, need=need)


@pytest.fixture
def world(need: Need):
    """One shop with 5,000 pieces a month, and two needs of 4,000 each at the same site."""
    need.min_monthly_capacity = Decimal("4000")
    need.save()
    other = NeedFactory(
        facility=need.facility, process=need.process, min_monthly_capacity=Decimal("4000")
    )
    shop = supplier_near(10, monthly_capacity=Decimal("5000"))
    rematch(need, other)
    return need, other, shop


def test_both_needs_match_while_nothing_is_committed(world) -> None:
    need, other, shop = world
    assert match_of(shop, need).near_miss_rule == ""
    assert match_of(shop, other).near_miss_rule == ""


def test_a_shortlist_takes_the_needs_quantity_and_the_other_need_becomes_a_near_miss(
    world,
) -> None:
    need, other, shop = world
    services.match_facility_decide(match=match_of(shop, need), status=Match.Status.SHORTLISTED)
    rematch(need, other)

    assert match_of(shop, need).near_miss_rule == ""  # its own commitment never counts
    near = match_of(shop, other)
    assert near.near_miss_rule == "capacity"
    explanation = match_explanations([near])[near.pk]
    assert explanation.near_miss.code == "capacity_committed"
    assert explanation.near_miss.text == "1,000 pieces/month free of 5,000; need ≥ 4,000"
    with translation.override("hi"):
        assert "1,000" in explanation.near_miss.text and "5,000" in explanation.near_miss.text
    line = free_capacities(supplier_ids=[shop.pk])[(shop.pk, need.process_id)]
    assert (line.capacity, line.committed, line.free) == (5000, 4000, 1000)


def test_a_quantity_the_facility_enters_is_what_is_committed(world) -> None:
    need, other, shop = world
    other.min_monthly_capacity = Decimal("2000")
    other.save()
    services.match_facility_decide(
        match=match_of(shop, need),
        status=Match.Status.ENGAGED,
        committed_quantity=Decimal("3000"),
    )
    rematch(need, other)

    still = match_of(shop, other)
    assert still.near_miss_rule == ""
    assert still.capacity_component == 0  # exactly the 2,000 free: no headroom left
    reasons = [r.code for r in match_explanations([still])[still.pk].reasons]
    assert "capacity_free" in reasons
    assert match_capacity(still).free == 2000


def test_a_commitment_beyond_the_free_capacity_is_refused_and_a_smaller_one_fits(world) -> None:
    need, other, shop = world
    services.match_facility_decide(match=match_of(shop, need), status=Match.Status.SHORTLISTED)

    with pytest.raises(services.CapacityRefused, match="1,000 pieces"):
        services.match_facility_decide(match=match_of(shop, other), status=Match.Status.SHORTLISTED)
    assert match_of(shop, other).status == Match.Status.SUGGESTED
    services.match_facility_decide(
        match=match_of(shop, other),
        status=Match.Status.SHORTLISTED,
        committed_quantity=Decimal("1000"),
    )
    assert free_capacities(supplier_ids=[shop.pk])[(shop.pk, need.process_id)].free == 0
    change = MatchStatusChange.objects.filter(match=match_of(shop, other)).get()
    assert change.committed_quantity == 1000


def test_a_note_or_engaging_what_is_shortlisted_is_never_refused(world) -> None:
    need, other, shop = world
    first = services.match_facility_decide(
        match=match_of(shop, need), status=Match.Status.SHORTLISTED
    )
    # Over-promised by a path that checks nothing (a bulk update): moving on is still allowed.
    Match.objects.filter(pk=match_of(shop, other).pk).update(status=Match.Status.ENGAGED)
    services.match_facility_decide(match=first, status=Match.Status.SHORTLISTED, note="Call us")
    engaged = services.match_facility_decide(match=first, status=Match.Status.ENGAGED)
    assert engaged.status == Match.Status.ENGAGED


@pytest.mark.parametrize("release", ["declined", "withdrawn", "admin_interested"])
def test_declining_or_withdrawing_frees_the_capacity(world, release: str, admin_user) -> None:
    need, other, shop = world
    shortlisted = services.match_facility_decide(
        match=match_of(shop, need), status=Match.Status.SHORTLISTED
    )
    rematch(need, other)
    assert match_of(shop, other).near_miss_rule == "capacity"

    if release == "declined":
        services.match_facility_decide(match=shortlisted, status=Match.Status.DECLINED)
    elif release == "withdrawn":
        services.match_withdraw(match=shortlisted)
    else:
        services.match_admin_set_status(
            match=shortlisted, status=Match.Status.INTERESTED, note="", changed_by=admin_user
        )
    rematch(need, other)

    assert match_of(shop, other).near_miss_rule == ""
    assert free_capacities(supplier_ids=[shop.pk])[(shop.pk, need.process_id)].committed == 0


def test_interest_commits_nothing(world) -> None:
    need, other, shop = world
    services.match_express_interest(match=match_of(shop, need))
    rematch(need, other)
    assert match_of(shop, other).near_miss_rule == ""


def test_a_commitment_in_another_unit_takes_nothing_from_this_capability(world) -> None:
    need, other, shop = world
    need.unit = "kg"
    need.min_monthly_capacity = None
    need.save()
    match = match_of(shop, need)
    services.match_facility_decide(
        match=match, status=Match.Status.ENGAGED, committed_quantity=Decimal("900")
    )
    rematch(other)
    assert match_of(shop, other).near_miss_rule == ""
    assert free_capacities(supplier_ids=[shop.pk])[(shop.pk, need.process_id)].committed == 0


def test_an_acted_on_match_that_loses_its_capacity_is_flagged_with_the_reason(world) -> None:
    need, other, shop = world
    services.match_express_interest(match=match_of(shop, other))
    services.match_facility_decide(match=match_of(shop, need), status=Match.Status.ENGAGED)
    rematch(need, other)

    flagged = match_of(shop, other)
    assert flagged.status == Match.Status.INTERESTED  # what the MSME did is kept
    assert flagged.no_longer_meets == ["capacity"]


def test_a_capacity_the_supplier_lowers_below_its_commitments_shows_nothing_free(world) -> None:
    need, other, shop = world
    services.match_facility_decide(match=match_of(shop, need), status=Match.Status.ENGAGED)
    capability = shop.capabilities.get()
    capability.monthly_capacity = Decimal("3000")
    capability.save()
    rematch(need, other)

    line = free_capacities(supplier_ids=[shop.pk])[(shop.pk, need.process_id)]
    assert (line.committed, line.free) == (4000, 0)  # never below zero on a page
    engaged = match_of(shop, need)
    assert engaged.no_longer_meets == ["capacity"]  # 3,000 < its own 4,000
    assert match_explanations([engaged])[engaged.pk].no_longer_meets[0].code == "capacity_short"


def test_closing_a_need_gives_back_the_capacity_its_matches_held(world) -> None:
    need, other, shop = world
    services.match_facility_decide(match=match_of(shop, need), status=Match.Status.ENGAGED)
    rematch(need, other)
    assert match_of(shop, other).near_miss_rule == "capacity"

    need.status = Need.Status.CLOSED
    need.save()
    rematch(need, other)

    assert match_of(shop, other).near_miss_rule == ""
    assert free_capacities(supplier_ids=[shop.pk])[(shop.pk, need.process_id)].committed == 0
    assert match_of(shop, need).status == Match.Status.ENGAGED  # what the facility did is kept


def test_a_decline_forgets_the_quantity_a_commitment_took(world) -> None:
    need, _other, shop = world
    match = services.match_facility_decide(
        match=match_of(shop, need), status=Match.Status.SHORTLISTED, committed_quantity=Decimal(900)
    )
    declined = services.match_facility_decide(match=match, status=Match.Status.DECLINED)
    assert declined.committed_quantity is None
    again = services.match_facility_decide(match=declined, status=Match.Status.SHORTLISTED)
    assert again.committed_quantity is None  # the need's own quantity, not the old figure


def test_a_bulk_decline_forgets_the_quantity_too(world) -> None:
    need, _other, shop = world
    match = services.match_facility_decide(
        match=match_of(shop, need), status=Match.Status.ENGAGED, committed_quantity=Decimal(900)
    )
    Match.objects.filter(pk=match.pk).update(status=Match.Status.DECLINED)
    assert Match.objects.get(pk=match.pk).committed_quantity is None


def test_a_capacity_too_small_and_partly_promised_says_what_is_free_and_what_unlocks_it(
    world,
) -> None:
    from portal.selectors import _unlock_key

    need, other, shop = world
    services.match_facility_decide(
        match=match_of(shop, need), status=Match.Status.ENGAGED, committed_quantity=Decimal(2000)
    )
    capability = shop.capabilities.get()
    capability.monthly_capacity = Decimal("3000")
    capability.save()
    rematch(need, other)

    near = match_of(shop, other)
    reason = match_explanations([near])[near.pk].near_miss
    assert reason.text == "1,000 pieces/month free of 3,000; need ≥ 4,000"
    kind, unlock = _unlock_key(reason)
    assert (kind, unlock.figures["needed"]) == ("capacity", Decimal(6000))  # 4,000 + 2,000
