"""What queues the allocation, run by whoever runs tasks: in-process on the embedded default,
a real worker with PostgreSQL and Redis (``task_runner``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from allocation.models import AllocationRun
from matching.models import Match, MatchRun, match_run_finished
from matching.services import match_set_status
from tests.conftest import worker_idle
from tests.factories import MatchRunFactory
from tests.test_celery_worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_debounce_markers_left(settings) -> None:
    """Ids restart with each test database: a marker an earlier run left in Redis would
    swallow this test's allocation of the process with the same id."""
    if settings.REDIS_URL:
        import redis

        broker = redis.Redis.from_url(settings.REDIS_URL)
        for key in broker.scan_iter(match="*allocation:pending:*"):
            broker.delete(key)


def ended(**lookup: Any) -> bool:
    """An allocation run matching ``lookup`` has ended (a debounced one waits a second)."""
    return AllocationRun.objects.filter(finished_at__isnull=False, **lookup).exists()


def test_a_full_rematch_that_finished_done_allocates_every_process(
    settled_shop, django_capture_on_commit_callbacks: Any
) -> None:
    run = MatchRunFactory(scope=MatchRun.Scope.FULL, status=MatchRun.Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_finished.send(sender=MatchRun, run=run)
    assert wait_until(lambda: ended(match_run_id=run.pk), timeout=60)
    allocation = AllocationRun.objects.get()
    assert (allocation.trigger, allocation.match_run_id, allocation.process_id) == (
        AllocationRun.Trigger.AFTER_FULL_REMATCH,
        run.pk,
        None,
    )
    assert allocation.status == AllocationRun.Status.DONE
    assert allocation.recommended == 2


@pytest.mark.parametrize(
    ("scope", "status"),
    [
        (MatchRun.Scope.FULL, MatchRun.Status.FAILED),
        (MatchRun.Scope.SUPPLIERS, MatchRun.Status.DONE),
    ],
)
def test_a_failed_or_partial_run_allocates_nothing(
    settled_shop, django_capture_on_commit_callbacks: Any, scope: str, status: str
) -> None:
    run = MatchRunFactory(scope=scope, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_finished.send(sender=MatchRun, run=run)
    assert wait_until(worker_idle, timeout=30)
    assert not AllocationRun.objects.exists()


def test_a_shortlist_reallocates_its_needs_process_after_commit(
    settled_shop, django_capture_on_commit_callbacks: Any
) -> None:
    with transaction.atomic():
        match_set_status(match=settled_shop.matches[("a", "big")], status=Match.Status.SHORTLISTED)
        assert not AllocationRun.objects.exists()  # nothing before the commit
    assert wait_until(lambda: ended(process_id=settled_shop.process.pk), timeout=60)
    allocation = AllocationRun.objects.get()
    assert (allocation.trigger, allocation.process_id, allocation.status) == (
        AllocationRun.Trigger.COMMITMENTS_CHANGED,
        settled_shop.process.pk,
        AllocationRun.Status.DONE,
    )
    assert allocation.needs_in_hand == 1


def test_a_bulk_status_change_reallocates_the_suppliers_processes(
    settled_shop, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Match.objects.filter(supplier=settled_shop.big).update(status=Match.Status.DECLINED)
    assert wait_until(lambda: ended(process_id=settled_shop.process.pk), timeout=60)
    runs = AllocationRun.objects.filter(trigger=AllocationRun.Trigger.COMMITMENTS_CHANGED)
    assert list(runs.values_list("process_id", "status")) == [
        (settled_shop.process.pk, AllocationRun.Status.DONE)
    ]


def test_an_edit_that_leaves_commitments_alone_queues_nothing(
    settled_shop, django_capture_on_commit_callbacks: Any
) -> None:
    match = settled_shop.matches[("a", "big")]
    match.facility_note = "Call on Monday"
    with django_capture_on_commit_callbacks(execute=True):
        match.save(update_fields=["facility_note"])
    assert wait_until(worker_idle, timeout=30)
    assert not AllocationRun.objects.exists()
