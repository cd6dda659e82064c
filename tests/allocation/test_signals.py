"""What queues the allocation (in-process here: the embedded default runs tasks eagerly)."""

from __future__ import annotations

from typing import Any

import pytest

from allocation.models import AllocationRun
from matching.models import Match, MatchRun, match_run_finished
from matching.services import match_set_status
from tests.factories import MatchRunFactory

pytestmark = pytest.mark.django_db


def test_a_full_rematch_that_finished_done_allocates_every_process(
    shop, django_capture_on_commit_callbacks: Any
) -> None:
    run = MatchRunFactory(scope=MatchRun.Scope.FULL, status=MatchRun.Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_finished.send(sender=MatchRun, run=run)
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
    shop, django_capture_on_commit_callbacks: Any, scope: str, status: str
) -> None:
    run = MatchRunFactory(scope=scope, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_finished.send(sender=MatchRun, run=run)
    assert not AllocationRun.objects.exists()


def test_a_shortlist_reallocates_its_needs_process_after_commit(
    shop, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        match_set_status(match=shop.matches[("a", "big")], status=Match.Status.SHORTLISTED)
        assert not AllocationRun.objects.exists()  # nothing before the commit
    assert callbacks
    allocation = AllocationRun.objects.get()
    assert (allocation.trigger, allocation.process_id, allocation.status) == (
        AllocationRun.Trigger.COMMITMENTS_CHANGED,
        shop.process.pk,
        AllocationRun.Status.DONE,
    )
    assert allocation.needs_in_hand == 1


def test_a_bulk_status_change_reallocates_the_suppliers_processes(
    shop, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Match.objects.filter(supplier=shop.big).update(status=Match.Status.DECLINED)
    runs = AllocationRun.objects.filter(trigger=AllocationRun.Trigger.COMMITMENTS_CHANGED)
    assert list(runs.values_list("process_id", "status")) == [
        (shop.process.pk, AllocationRun.Status.DONE)
    ]


def test_an_edit_that_leaves_commitments_alone_queues_nothing(
    shop, django_capture_on_commit_callbacks: Any
) -> None:
    match = shop.matches[("a", "big")]
    match.facility_note = "Call on Monday"
    with django_capture_on_commit_callbacks(execute=True):
        match.save(update_fields=["facility_note"])
    assert not AllocationRun.objects.exists()
