"""Benchmark the recommended allocation (and the consortia proposals) against a full rematch.

    make bench-allocation   # the scratch database repm_bench (100,000 suppliers, 1,000 needs)

Prints, measured in the same run on the same data:
  - a full rematch with 2 Celery workers (every open need, in chunks);
  - the allocation run its finish triggers in the worker (match_run_finished), as recorded;
  - the allocation for all processes, in this process, timed alone (workers idle);
  - the consortia proposals for every need (``consortia.services.propose_all``);
  - the ratio (allocation + consortia) / full rematch. Target: ≤ 1.
A benchmark, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"bench-allocation-{os.getpid()}")

from bench.matcher import start_workers, wait_for_worker  # noqa: E402

WORKERS = 2


# What facilities would have done by now, so the rematch, the allocation and the proposals all
# meet it (set once, directly in SQL: a benchmark's set-up, not a path users take):
#  - every 10th open need asks 25 times its monthly quantity: few single shops can serve it,
#    so consortia are proposed for many needs;
#  - 1 in 2,000 full matches is shortlisted or engaged (about half the needs hold one): capacity
#    committed across the country, and needs in hand the allocation leaves alone.
BIG_NEEDS_SQL = """
UPDATE schemes_need SET min_monthly_capacity = min_monthly_capacity * 25,
       external_ref = 'BENCH-BIG-' || id
 WHERE status = 'open' AND id % 10 = 0 AND min_monthly_capacity IS NOT NULL
   AND external_ref NOT LIKE 'BENCH-BIG-%'
"""
COMMITMENTS_SQL = """
UPDATE matching_match SET status = CASE WHEN id % 4000 = 0 THEN 'engaged' ELSE 'shortlisted' END,
       status_changed_at = now()
 WHERE status = 'suggested' AND near_miss_rule = '' AND id % 2000 = 0
   AND NOT EXISTS (SELECT 1 FROM matching_match WHERE status IN ('shortlisted', 'engaged'))
"""


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from allocation.models import AllocationRun
    from allocation.services import allocate_all
    from config.celery import app
    from consortia.services import propose_all
    from matching.models import Match, MatchRun
    from matching.runs import match_run_create
    from matching.tasks import match_run_enqueue
    from schemes.models import Need
    from vendors.models import Supplier

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        raise SystemExit("Run with DATABASE_URL=postgres://... and REDIS_URL=redis://...")
    with connection.cursor() as cursor:
        cursor.execute(BIG_NEEDS_SQL)
        cursor.execute(COMMITMENTS_SQL)
    print(
        f"set-up: {Need.objects.filter(external_ref__startswith='BENCH-BIG-').count():,} needs "
        f"asking 25× their quantity; {Match.objects.committing().count():,} matches shortlisted "
        "or engaged"
    )
    print(
        f"data: {Supplier.objects.count():,} suppliers, {Need.objects.open().count():,} open needs"
    )
    worker = start_workers(WORKERS)
    try:
        wait_for_worker(app, worker)
        started = time.perf_counter()
        run = match_run_create()
        match_run_enqueue(run.pk)
        while not MatchRun.objects.get(pk=run.pk).is_finished:
            time.sleep(0.2)
        rematch_seconds = time.perf_counter() - started
        run.refresh_from_db()
        print(
            f"full rematch, {WORKERS} workers: {rematch_seconds:.1f} s, status {run.status}, "
            f"{Match.objects.filter(near_miss_rule='').count():,} full matches"
        )
        # The allocation its finish queued, in a worker: wait for it to end (never stuck).
        deadline = time.monotonic() + 900
        triggered = None
        while time.monotonic() < deadline:
            triggered = AllocationRun.objects.filter(match_run_id=run.pk).first()
            if triggered is not None and triggered.is_finished:
                break
            time.sleep(0.5)
        if triggered is not None:
            took = triggered.duration.total_seconds() if triggered.duration else float("nan")
            print(f"allocation triggered by the rematch (worker): {triggered.status}, {took:.1f} s")
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    started = time.perf_counter()
    allocation = allocate_all()
    allocation_seconds = time.perf_counter() - started
    print(
        f"allocation, all processes (in-process): {allocation_seconds:.1f} s, "
        f"status {allocation.status} {allocation.solver_status}; {allocation.processes} processes, "
        f"{allocation.needs:,} open needs ({allocation.needs_in_hand:,} in hand), "
        f"{allocation.edges:,} candidate edges → {allocation.edges_solved:,} after exact pruning, "
        f"{allocation.recommended:,} recommended, {allocation.unrecommended:,} without, "
        f"total score {allocation.total_score:,}"
    )
    started = time.perf_counter()
    proposals = propose_all()
    consortia_seconds = time.perf_counter() - started
    print(
        f"consortia proposals, all needs (in-process): {consortia_seconds:.1f} s; "
        f"{proposals.needs:,} needs looked at, {proposals.wanting:,} wanting a team, "
        f"{proposals.created:,} created, {proposals.updated:,} updated, "
        f"{proposals.deleted:,} replaced, {proposals.stale:,} stale"
    )
    ratio = (allocation_seconds + consortia_seconds) / rematch_seconds
    print(f"ratio (allocation + consortia) / full rematch: {ratio:.2f} (target <= 1)")


if __name__ == "__main__":
    main()
