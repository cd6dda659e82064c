"""Actions on the recommended allocation: compute it for a process or all, and watch its runs.

What the allocation reads, per process:
- *open needs*; a need with a shortlisted or engaged match is **in hand** and gets no
  recommendation (its facility has chosen);
- *edges*: its full matches (no near miss, nothing no longer met) that are suggested or
  interested: declined and withdrawn matches are never recommended;
- each supplier's *free capacity* for the process (``matching.capacity``: its capacity less
  what shortlists and engagements commit). A need takes its ``min_monthly_capacity`` (none:
  nothing) in its unit; an edge whose supplier cannot take it alone (another unit, no stated
  capacity, too little free) is left out, so no supplier is recommended beyond its capacity.

A process is computed under a lock on its row and its recommendations are replaced in the same
transaction: two runs for one process take turns, and readers see one run's set, whole.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matching.capacity import FreeCapacity, free_capacities
from matching.models import Match
from schemes.models import Need
from taxonomy.models import Process
from vendors.models import SupplierCapability

from . import solver
from .models import AllocationRun, Recommendation

logger = logging.getLogger(__name__)

EDGE_STATUSES = (Match.Status.SUGGESTED, Match.Status.INTERESTED)
# Worst first: a run's solver status is its worst process's.
STATUS_ORDER = (solver.GREEDY, solver.FEASIBLE, solver.OPTIMAL)


@dataclass
class ProcessOutcome:
    needs: int = 0
    needs_in_hand: int = 0
    edges: int = 0
    edges_solved: int = 0
    recommended: int = 0
    total_score: Decimal = Decimal(0)
    solver_status: str = solver.OPTIMAL

    @property
    def unrecommended(self) -> int:
        return self.needs - self.needs_in_hand - self.recommended

    def add(self, other: ProcessOutcome) -> None:
        for name in ("needs", "needs_in_hand", "edges", "edges_solved", "recommended"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.total_score += other.total_score
        self.solver_status = min(self.solver_status, other.solver_status, key=STATUS_ORDER.index)


def allocation_process(*, run: AllocationRun, process_id: int) -> ProcessOutcome:
    """Compute one process's allocation and replace its recommendations, in one transaction.

    Queries: the process's row (locked), its open needs, the in-hand ones, the edges, its free
    capacities (two), then the delete and the insert.
    """
    outcome = ProcessOutcome()
    with transaction.atomic():
        # Lock the process: a second run for it waits here, then reads what this one wrote.
        if not Process.objects.select_for_update().filter(pk=process_id).exists():
            return outcome
        needs = {
            pk: (demand or Decimal(0), unit)
            for pk, demand, unit in Need.objects.open()
            .filter(process_id=process_id)
            .values_list("pk", "min_monthly_capacity", "unit")
        }
        in_hand = set(
            Match.objects.committing()
            .filter(need__process_id=process_id)
            .values_list("need_id", flat=True)
        )
        edges = list(
            Match.objects.filter(
                need__process_id=process_id,
                need__status=Need.Status.OPEN,
                status__in=EDGE_STATUSES,
                near_miss_rule="",
                no_longer_meets_rules="",
            )
            .exclude(need_id__in=in_hand)
            .order_by()
            .values_list("pk", "need_id", "supplier_id", "score")
        )
        free = {
            supplier_id: held
            for (supplier_id, _), held in free_capacities(process_ids=[process_id]).items()
        }
        candidates = []
        match_of: dict[tuple[int, int], int] = {}
        for match_id, need_id, supplier_id, score in edges:
            if need_id not in needs:
                continue  # reopened between the two reads: the next run counts it
            demand, unit = needs[need_id]
            held = free.get(supplier_id)
            if held is None:
                continue  # the capability is gone; its rematch is on its way
            if demand and (held.capacity is None or held.unit != unit or held.free < demand):
                continue  # the supplier cannot take this need alone
            candidates.append(solver.Edge(need_id, supplier_id, score))
            match_of[(need_id, supplier_id)] = match_id
        capacities = {edge.supplier_id: free[edge.supplier_id].free for edge in candidates}
        result = solver.allocate(
            [solver.NeedDemand(pk, demand) for pk, (demand, _) in needs.items()],
            capacities,
            candidates,
        )
        # The process's, and these needs' own under another process (a need moved to this
        # process keeps its one recommendation until now).
        Recommendation.objects.filter(
            Q(process_id=process_id) | Q(need_id__in=list(needs))
        ).delete()
        Recommendation.objects.bulk_create(
            Recommendation(
                **_recommendation(run, process_id, a, needs[a.need_id], free[a.supplier_id], result)
                | {"match_id": match_of[(a.need_id, a.supplier_id)]}
            )
            for a in result.assignments.values()
        )
    outcome.needs = len(needs)
    outcome.needs_in_hand = len(in_hand)
    outcome.edges = result.stats.edges
    outcome.edges_solved = result.stats.edges_after_pruning
    outcome.recommended = len(result.assignments)
    outcome.total_score = result.total_score
    outcome.solver_status = result.status
    return outcome


def _recommendation(
    run: AllocationRun,
    process_id: int,
    assignment: solver.Assignment,
    need: tuple[Decimal, str],
    held: FreeCapacity,
    result: solver.Result,
) -> dict[str, Any]:
    demand, unit = need
    stated = held.capacity is not None
    if assignment.rank == 1:
        reason = Recommendation.Reason.BEST
    elif assignment.higher_elsewhere == assignment.rank - 1:
        reason = Recommendation.Reason.CAPACITY_ELSEWHERE
    else:  # only when the solver stopped at its time limit
        reason = Recommendation.Reason.BEST_FOUND
    return {
        "run": run,
        "process_id": process_id,
        "need_id": assignment.need_id,
        "supplier_id": assignment.supplier_id,
        "score": assignment.score,
        "quantity": demand,
        "unit": unit,
        "rank_for_need": assignment.rank,
        "higher_elsewhere": assignment.higher_elsewhere,
        "reason": reason,
        "capacity": held.capacity,
        "free_before": held.free if stated else None,
        "free_after": held.free - result.loads.get(assignment.supplier_id, 0) if stated else None,
    }


# --- Runs ----------------------------------------------------------------------------------------


def allocation_run_create(
    *,
    process_id: int | None = None,
    trigger: str = AllocationRun.Trigger.ON_DEMAND,
    started_by: Any = None,
    match_run_id: int | None = None,
) -> AllocationRun:
    """A pending run, for a task (or ``allocation_run_execute``) to carry out."""
    return AllocationRun.objects.create(
        process_id=process_id, trigger=trigger, started_by=started_by, match_run_id=match_run_id
    )


def _processes_to_allocate() -> list[int]:
    """Processes with open needs, and those still holding recommendations (to clear them)."""
    wanted = set(Need.objects.open().values_list("process_id", flat=True).distinct())
    wanted |= set(Recommendation.objects.values_list("process_id", flat=True).distinct())
    return sorted(wanted)


def allocation_run_execute(*, run_id: int) -> AllocationRun:
    """Carry out a pending run: done with exact counts, or failed with the reason.

    The claim is a conditional UPDATE (pending → running): a task delivered twice runs once.
    Each process commits on its own, so a failure leaves every process's set whole (the ones
    done are new, the others as they were).
    """
    now = timezone.now()
    claimed = AllocationRun.objects.filter(pk=run_id, status=AllocationRun.Status.PENDING).update(
        status=AllocationRun.Status.RUNNING, started_at=now
    )
    run = AllocationRun.objects.get(pk=run_id)
    if not claimed:
        return run
    total = ProcessOutcome()
    processes = [run.process_id] if run.process_id else _processes_to_allocate()
    try:
        for process_id in processes:
            total.add(allocation_process(run=run, process_id=process_id))
    except Exception as exc:  # the run records why, rather than raising to nobody
        logger.exception("Allocation run #%s failed", run_id)
        _finish(run, status=AllocationRun.Status.FAILED, reason=repr(exc)[:2000])
        return run
    _finish(run, status=AllocationRun.Status.DONE, outcome=total, processes=len(processes))
    return run


def _finish(
    run: AllocationRun,
    *,
    status: str,
    outcome: ProcessOutcome | None = None,
    processes: int = 0,
    reason: str = "",
) -> None:
    finished_at = timezone.now()
    values: dict[str, Any] = {
        "status": status,
        "failure_reason": reason,
        "finished_at": finished_at,
        "duration": finished_at - run.started_at if run.started_at else None,
    }
    if outcome is not None:
        values |= {
            "processes": processes,
            "needs": outcome.needs,
            "needs_in_hand": outcome.needs_in_hand,
            "edges": outcome.edges,
            "edges_solved": outcome.edges_solved,
            "recommended": outcome.recommended,
            "unrecommended": outcome.unrecommended,
            "total_score": outcome.total_score,
            "solver_status": outcome.solver_status,
        }
    # Only a running run finishes: the watch may have failed it as stale meanwhile.
    AllocationRun.objects.filter(pk=run.pk, status=AllocationRun.Status.RUNNING).update(**values)
    run.refresh_from_db()
    logger.log(
        logging.WARNING if status == AllocationRun.Status.FAILED else logging.INFO,
        "Allocation run #%s %s: %s recommended, %s without%s",
        run.pk,
        run.status,
        run.recommended,
        run.unrecommended,
        f"; {reason}" if reason else "",
    )


def allocate_process(
    *,
    process_id: int,
    trigger: str = AllocationRun.Trigger.ON_DEMAND,
    started_by: Any = None,
) -> AllocationRun:
    """Compute one process's allocation now, in this process (a task calls this)."""
    run = allocation_run_create(process_id=process_id, trigger=trigger, started_by=started_by)
    return allocation_run_execute(run_id=run.pk)


def allocate_all(
    *,
    trigger: str = AllocationRun.Trigger.ON_DEMAND,
    started_by: Any = None,
    match_run_id: int | None = None,
) -> AllocationRun:
    """Compute every process's allocation now."""
    run = allocation_run_create(trigger=trigger, started_by=started_by, match_run_id=match_run_id)
    return allocation_run_execute(run_id=run.pk)


def stale_after() -> datetime.timedelta:
    """Longer than a run may take: the task's hard time limit, and a margin."""
    return datetime.timedelta(seconds=settings.ALLOCATION_RUN_STALE_SECONDS)


def allocation_runs_watch(*, now: datetime.datetime | None = None) -> list[int]:
    """Fail runs that cannot finish any more; returns their ids.

    A run still running after the task's hard time limit lost its worker (killed, or the
    machine restarted: the broker may redeliver the task, but the claim is taken, so it would
    do nothing). A run still pending that long lost its message. Either way it ends failed
    with the reason; the next trigger, or the admin's action, computes the allocation again.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    failed = []
    for status, since, reason in (
        (
            AllocationRun.Status.RUNNING,
            "started_at__lt",
            "Stale: still running after {s} s (its worker was lost).",
        ),
        (
            AllocationRun.Status.PENDING,
            "created_at__lt",
            "Stale: not started within {s} s (its task was lost).",
        ),
    ):
        ids = list(
            AllocationRun.objects.filter(status=status, **{since: cutoff}).values_list(
                "pk", flat=True
            )
        )
        for run_id in ids:
            # Conditional: a run that finishes meanwhile keeps its own ending.
            if AllocationRun.objects.filter(pk=run_id, status=status).update(
                status=AllocationRun.Status.FAILED,
                failure_reason=reason.format(s=int(stale_after().total_seconds())),
                finished_at=now,
            ):
                logger.warning("Allocation run #%s failed as stale", run_id)
                failed.append(run_id)
    return failed


def processes_touched(*, need_ids: Iterable[int], supplier_ids: Iterable[int]) -> list[int]:
    """The processes of these needs and the processes these suppliers offer."""
    processes = set(processes_of_suppliers(supplier_ids))
    need_ids = list(need_ids)
    if need_ids:
        processes.update(Need.objects.filter(pk__in=need_ids).values_list("process_id", flat=True))
    return sorted(processes)


def processes_of_suppliers(supplier_ids: Iterable[int]) -> list[int]:
    """The processes these suppliers offer: where a change of their commitments counts."""
    return sorted(
        set(
            SupplierCapability.objects.filter(supplier_id__in=list(supplier_ids))
            .values_list("process_id", flat=True)
            .distinct()
        )
    )
