"""Fault tolerance with a real worker: SIGKILL the process running a chunk mid-run, and the run
still completes with exactly the matches an undisturbed run produces."""

from __future__ import annotations

import os
import signal

import pytest
from django.core.management import call_command

from config.celery import app
from matching.models import Match, MatchRun, MatchRunChunk
from matching.services import match_run_create, matches_sync
from matching.tasks import match_run_enqueue
from schemes.models import Need
from tests.test_celery_worker import wait_until
from vendors.demo import demo_seed

FIELDS = ("supplier_id", "need_id", "score", "components", "reasons", "near_miss_reason")


def match_table() -> list[tuple]:
    return list(Match.objects.order_by("supplier_id", "need_id").values_list(*FIELDS))


def running_chunk_pids() -> list[int]:
    """Pool processes executing a matcher chunk right now, as the workers report them."""
    active = app.control.inspect(timeout=1.0).active() or {}
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
    # Enough suppliers that a chunk takes a noticeable moment, so the kill lands inside one.
    demo_seed(suppliers=3000, needs=24, seed=5)
    Match.objects.all().delete()  # start from nothing; saves above queued no rematches (bulk)

    run = match_run_create(chunk_needs=2)
    match_run_enqueue(run.pk)  # autocommit: queued at once

    kills = 0
    while kills < 3 and not MatchRun.objects.get(pk=run.pk).is_finished:
        pids = running_chunk_pids()
        if not pids:
            continue
        try:
            os.kill(pids[0], signal.SIGKILL)  # dies mid-task; the worker requeues the message
        except ProcessLookupError:
            continue  # that chunk finished and its process was replaced meanwhile
        kills += 1
        if MatchRunChunk.objects.filter(run=run, attempts__gte=2).exists():
            break

    assert wait_until(lambda: MatchRun.objects.get(pk=run.pk).is_finished, timeout=180)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.errors
    assert run.chunks_done == run.chunks_total == 12
    # At least one chunk was interrupted and processed again.
    assert MatchRunChunk.objects.filter(run=run, attempts__gte=2).exists()
    disturbed = match_table()
    assert disturbed

    Match.objects.all().delete()
    matches_sync(need_ids=Need.objects.values_list("pk", flat=True))
    assert match_table() == disturbed
