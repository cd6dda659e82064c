"""Fault tolerance with a real worker: SIGKILL the process running a chunk mid-run, and the run
still completes with exactly the matches an undisturbed run produces."""

from __future__ import annotations

import os
import signal

import psycopg2
import pytest
from django.core.management import call_command

from matching.models import COMPONENT_FIELDS, Match, MatchRun
from matching.runs import match_run_create
from matching.services import matches_sync
from matching.tasks import match_run_enqueue
from schemes.models import Need
from seeding.services import demo_seed
from tests.conftest import (
    database_url_for_current_test_db,
    inspect_live_workers,
    waiting_for_a_lock,
)
from tests.test_celery_worker import wait_until

FIELDS = ("supplier_id", "need_id", "score", *COMPONENT_FIELDS, "near_miss_rule")


def match_table() -> list[tuple]:
    return list(Match.objects.order_by("supplier_id", "need_id").values_list(*FIELDS))


def running_chunk_pids() -> list[int]:
    """Pool processes executing a matcher chunk right now, as the workers report them."""
    active = inspect_live_workers().active() or {}
    return [
        task["worker_pid"]
        for tasks in active.values()
        for task in tasks
        if task["name"] == "matching.tasks.match_run_chunk" and task.get("worker_pid")
    ]


@pytest.mark.django_db(transaction=True)
def test_a_run_survives_a_killed_worker_process_with_identical_results(
    celery_worker_process: object,
) -> None:
    call_command("seed_reference", verbosity=0)
    demo_seed(suppliers=1500, needs=12, seed=5, rematch=False)
    Match.objects.all().delete()  # start from nothing (bulk-loaded rows queued no rematches)
    run = match_run_create(chunk_needs=2)

    # Hold a lock that a chunk's write must wait for, from a connection of our own: the chunk is
    # then provably mid-task (in its transaction, rows evaluated, nothing committed) when killed.
    locker = psycopg2.connect(database_url_for_current_test_db())
    try:
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE matching_match IN SHARE MODE")
        match_run_enqueue(run.pk)  # autocommit here: queued at once
        assert wait_until(lambda: waiting_for_a_lock("matching_match"), timeout=60)
        assert wait_until(lambda: len(running_chunk_pids()) == 1, timeout=60)
        [pid] = running_chunk_pids()
        os.kill(pid, signal.SIGKILL)  # the worker notices the lost process and requeues the task
    finally:
        locker.rollback()  # release the lock: the requeued chunk and the rest of the run proceed
        locker.close()

    assert wait_until(lambda: MatchRun.objects.get(pk=run.pk).is_finished, timeout=180)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.errors
    assert run.chunks_done == run.chunks_total > 2
    # Exactly one chunk was killed mid-write and processed again.
    attempts = sorted(run.chunks.values_list("attempts", flat=True))
    assert attempts == [1] * (run.chunks_total - 1) + [2]
    disturbed = match_table()
    assert disturbed
    assert run.rows_written == len(disturbed)  # every row counted once: counts are exact

    Match.objects.all().delete()
    matches_sync(need_ids=Need.objects.values_list("pk", flat=True))
    assert match_table() == disturbed
