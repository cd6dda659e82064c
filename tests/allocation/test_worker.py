"""With a real Celery worker, Redis and PostgreSQL: a full rematch's finish queues an
allocation of every process, which ends done with its counts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from allocation.models import AllocationRun, Recommendation
from matching.models import Match, MatchRun
from matching.runs import match_run_create
from matching.tasks import match_run_enqueue
from seeding.services import demo_seed
from tests.test_celery_worker import wait_until


@pytest.mark.django_db(transaction=True)
def test_a_full_rematch_that_finishes_done_triggers_an_allocation_that_ends_done(
    celery_worker_process: object,
) -> None:
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=400, needs=12, seed=5, rematch=False)
    run = match_run_create(chunk_needs=4)
    match_run_enqueue(run.pk)  # autocommit: queued at once

    assert wait_until(lambda: MatchRun.objects.get(pk=run.pk).is_finished, timeout=180)
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE
    assert wait_until(
        lambda: (
            AllocationRun.objects.filter(match_run_id=run.pk, finished_at__isnull=False)
            .exclude(status=AllocationRun.Status.RUNNING)
            .exists()
        ),
        timeout=120,
    ), "the rematch's finish queued no allocation, or it did not end"

    allocation = AllocationRun.objects.get(match_run_id=run.pk)
    assert allocation.status == AllocationRun.Status.DONE, allocation.failure_reason
    assert allocation.trigger == AllocationRun.Trigger.AFTER_FULL_REMATCH
    assert allocation.process_id is None
    recommended = Recommendation.objects.filter(run=allocation)
    assert allocation.recommended == recommended.count() > 0
    assert allocation.needs == allocation.needs_in_hand + allocation.recommended + (
        allocation.unrecommended
    )
    # Every recommendation is one of its need's stored full matches.
    assert not recommended.exclude(
        match_id__in=Match.objects.filter(near_miss_rule="", no_longer_meets_rules="").values("pk")
    ).exists()
