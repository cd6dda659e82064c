"""Celery tasks for the recommended allocation: take ids, call a service. Idempotent: a run
is claimed by a conditional update, so a re-delivered task does nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from . import services
from .models import AllocationRun

logger = logging.getLogger(__name__)


def _debounce_key(process_id: int) -> str:
    return f"allocation:pending:process:{process_id}"


@shared_task(acks_late=True)
def allocation_run(run_id: int) -> str:
    run = services.allocation_run_execute(run_id=run_id)
    return f"allocation run #{run.pk}: {run.status}"


@shared_task(acks_late=True)
def allocate_process_debounced(process_id: int) -> str:
    # Clear the marker first: a change landing while we run queues a fresh allocation.
    cache.delete(_debounce_key(process_id))
    run = services.allocate_process(
        process_id=process_id, trigger=AllocationRun.Trigger.COMMITMENTS_CHANGED
    )
    return f"allocation run #{run.pk}: {run.status}"


@shared_task
def allocation_runs_watch() -> int:
    """Every minute (beat): fail runs whose worker or message was lost."""
    return len(services.allocation_runs_watch())


def allocation_start(
    *,
    process_id: int | None = None,
    trigger: str = AllocationRun.Trigger.ON_DEMAND,
    started_by: Any = None,
    match_run_id: int | None = None,
) -> AllocationRun:
    """Create a pending run and queue it once the caller's transaction commits."""
    run = services.allocation_run_create(
        process_id=process_id, trigger=trigger, started_by=started_by, match_run_id=match_run_id
    )
    allocation_run.delay_on_commit(run.pk)
    return run


def enqueue_allocation_of(process_ids: Iterable[int]) -> None:
    """One allocation per process after a burst of commitment changes (call after commit).

    ``cache.add`` is atomic in Redis: of concurrent changes, one queues.
    """
    for process_id in sorted(set(process_ids)):
        key = _debounce_key(process_id)
        # One allocation of the process after a burst of changes (settings).
        wait = settings.ALLOCATION_DEBOUNCE_SECONDS
        if not cache.add(key, 1, timeout=wait * 30):
            continue
        try:
            allocate_process_debounced.apply_async(args=[process_id], countdown=wait)
        except Exception:
            # The broker is away: the change is committed, so the request must not fail. The
            # next change, or the next full rematch, recomputes the allocation.
            cache.delete(key)
            logger.exception("Could not queue an allocation of process %s", process_id)
