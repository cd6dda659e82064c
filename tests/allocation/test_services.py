"""The allocation on real rows: what it reads, what it writes, how its runs end."""

from __future__ import annotations

from decimal import Decimal

import pytest

from allocation import services, solver
from allocation.models import AllocationRun, Recommendation
from allocation.selectors import recommendation_for_need, recommendations_for_matches
from matching.models import Match
from schemes.models import Need
from tests.factories import MatchFactory, NeedFactory, ProcessFactory, SupplierCapabilityFactory

pytestmark = pytest.mark.django_db


def current(shop) -> dict[int, int]:
    return dict(Recommendation.objects.values_list("need_id", "supplier_id"))


def test_it_recommends_the_best_total_within_capacity(shop) -> None:
    run = services.allocate_process(process_id=shop.process.pk)
    assert run.status == AllocationRun.Status.DONE
    assert current(shop) == {shop.need_a.pk: shop.big.pk, shop.need_b.pk: shop.small.pk}
    assert (run.needs, run.needs_in_hand, run.edges, run.recommended, run.unrecommended) == (
        2,
        0,
        5,
        2,
        0,
    )
    assert run.total_score == Decimal("165.00")
    assert run.solver_status == solver.OPTIMAL
    assert run.duration is not None and run.finished_at is not None
    b = Recommendation.objects.get(need=shop.need_b)
    assert (b.rank_for_need, b.higher_elsewhere, b.reason) == (
        2,
        1,
        Recommendation.Reason.CAPACITY_ELSEWHERE,
    )
    assert (b.free_before, b.free_after, b.match_id) == (
        Decimal(5000),
        Decimal(0),
        shop.matches[("b", "small")].pk,
    )
    note = recommendation_for_need(shop.need_b.pk)
    assert "1 higher-scoring supplier is recommended for another need" in note.text
    assert "5,000 pieces" in note.text


def test_a_need_in_hand_gets_no_recommendation_and_its_commitment_counts(shop) -> None:
    # Need A has shortlisted big: it is in hand, and big's 6,000 less A's 5,000 leave 1,000,
    # too little for B, which goes to small.
    Match.objects.filter(pk=shop.matches[("a", "big")].pk).update(status=Match.Status.SHORTLISTED)
    run = services.allocate_process(process_id=shop.process.pk)
    assert current(shop) == {shop.need_b.pk: shop.small.pk}
    assert (run.needs_in_hand, run.recommended, run.unrecommended) == (1, 1, 0)


@pytest.mark.parametrize("status", [Match.Status.DECLINED, Match.Status.WITHDRAWN])
def test_declined_or_withdrawn_matches_are_never_recommended(shop, status) -> None:
    Match.objects.filter(pk=shop.matches[("a", "big")].pk).update(status=status)
    services.allocate_process(process_id=shop.process.pk)
    assert current(shop) == {shop.need_a.pk: shop.small.pk, shop.need_b.pk: shop.big.pk}


def test_near_misses_and_closed_needs_are_left_out(shop) -> None:
    Match.objects.filter(pk=shop.matches[("b", "small")].pk).update(near_miss_rule="capacity")
    Need.objects.filter(pk=shop.need_a.pk).update(status=Need.Status.CLOSED)
    run = services.allocate_process(process_id=shop.process.pk)
    assert current(shop) == {shop.need_b.pk: shop.big.pk}
    assert run.needs == 1


def test_a_supplier_is_never_recommended_beyond_its_free_capacity(shop) -> None:
    # A third need of the same size: three needs of 5,000 and big fits one, small one, spare one.
    need_c = NeedFactory(
        facility=shop.need_a.facility, process=shop.process, min_monthly_capacity=Decimal(5000)
    )
    for supplier, score in ((shop.big, "95"), (shop.small, "94")):
        MatchFactory(need=need_c, supplier=supplier, score=Decimal(score))
    run = services.allocate_process(process_id=shop.process.pk)
    loads: dict[int, Decimal] = {}
    for rec in Recommendation.objects.all():
        loads[rec.supplier_id] = loads.get(rec.supplier_id, Decimal(0)) + rec.quantity
        assert rec.free_after >= 0
    assert loads[shop.big.pk] <= 6000 and loads[shop.small.pk] <= 5000
    assert run.recommended + run.unrecommended == 3


def test_a_run_replaces_the_process_set(shop) -> None:
    first = services.allocate_process(process_id=shop.process.pk)
    Match.objects.filter(pk=shop.matches[("b", "small")].pk).update(status=Match.Status.DECLINED)
    second = services.allocate_process(process_id=shop.process.pk)
    assert set(Recommendation.objects.values_list("run_id", flat=True)) == {second.pk}
    assert first.pk != second.pk
    # B's best left is big (80): A moves to small (60), 140 against 90 for A alone at big.
    assert current(shop) == {shop.need_a.pk: shop.small.pk, shop.need_b.pk: shop.big.pk}
    assert second.total_score == Decimal(140)


def test_a_need_moved_to_another_process_takes_its_recommendation_along(shop) -> None:
    services.allocate_process(process_id=shop.process.pk)
    moved = ProcessFactory(slug="heat-treatment", name="Heat treatment")
    Need.objects.filter(pk=shop.need_b.pk).update(process=moved)
    for supplier in (shop.big, shop.small):
        SupplierCapabilityFactory(supplier=supplier, process=moved, monthly_capacity=Decimal(9000))

    run = services.allocate_process(process_id=moved.pk)

    assert run.status == AllocationRun.Status.DONE, run.failure_reason
    assert Recommendation.objects.get(need=shop.need_b).process_id == moved.pk
    again = services.allocate_process(process_id=shop.process.pk)
    assert again.status == AllocationRun.Status.DONE
    assert current(shop) == {shop.need_a.pk: shop.big.pk, shop.need_b.pk: shop.big.pk}


def test_allocating_all_covers_every_process_and_clears_a_process_without_open_needs(
    shop,
) -> None:
    services.allocate_all()
    assert Recommendation.objects.count() == 2
    Need.objects.filter(process=shop.process).update(status=Need.Status.CLOSED)
    run = services.allocate_all()
    assert run.status == AllocationRun.Status.DONE
    assert (run.processes, run.needs, run.recommended) == (1, 0, 0)
    assert not Recommendation.objects.exists()


def test_a_failed_run_records_its_reason_and_keeps_the_previous_set(shop, monkeypatch) -> None:
    services.allocate_process(process_id=shop.process.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("solver unavailable")

    monkeypatch.setattr(solver, "allocate", broken)
    run = services.allocate_process(process_id=shop.process.pk)
    assert run.status == AllocationRun.Status.FAILED
    assert "solver unavailable" in run.failure_reason
    assert run.finished_at is not None
    assert len(current(shop)) == 2


def test_a_run_is_carried_out_once(shop) -> None:
    run = services.allocation_run_create(process_id=shop.process.pk)
    services.allocation_run_execute(run_id=run.pk)
    finished = AllocationRun.objects.get(pk=run.pk).finished_at
    again = services.allocation_run_execute(run_id=run.pk)
    assert again.finished_at == finished


def test_the_watch_fails_runs_left_running_or_pending(shop, settings) -> None:
    import datetime

    from django.utils import timezone

    settings.ALLOCATION_RUN_STALE_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    running = AllocationRun.objects.create(
        trigger=AllocationRun.Trigger.ON_DEMAND,
        status=AllocationRun.Status.RUNNING,
        started_at=long_ago,
    )
    pending = services.allocation_run_create()
    AllocationRun.objects.filter(pk=pending.pk).update(created_at=long_ago)
    fresh = services.allocation_run_create()
    assert sorted(services.allocation_runs_watch()) == sorted([running.pk, pending.pk])
    running.refresh_from_db()
    assert running.status == AllocationRun.Status.FAILED
    assert running.failure_reason.startswith("Stale")
    assert AllocationRun.objects.get(pk=fresh.pk).status == AllocationRun.Status.PENDING


def test_notes_for_a_page_of_matches_take_one_query(shop, django_assert_num_queries) -> None:
    services.allocate_process(process_id=shop.process.pk)
    ids = [m.pk for m in shop.matches.values()]
    with django_assert_num_queries(1):
        notes = recommendations_for_matches(ids)
    assert set(notes) == {shop.matches[("a", "big")].pk, shop.matches[("b", "small")].pk}
    assert notes[shop.matches[("a", "big")].pk].text.startswith("Recommended: its best match")
