"""Signals only enqueue: what changes the recommended allocation queues it, after commit.

a full rematch finished done (matching.match_run_finished)   every process (one run)
a run over some suppliers or needs finished done              their processes, debounced
one supplier or need rematched (matching.matches_rematched)   its processes, debounced

Commitments made or freed (a shortlist, a decline, a bulk status update, a deleted need) reach
the allocation through the rematch of their suppliers that the matcher queues for them: the
allocation then reads the capacity and matches as they are after it.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from matching.models import MatchRun, match_run_finished, matches_rematched

from . import services
from .models import AllocationRun
from .tasks import allocation_start, enqueue_allocation_of


@receiver(match_run_finished)
def rematch_run_finished(sender: type, run: MatchRun, **kwargs: Any) -> None:
    """Sent after the run's commit: the matches it wrote are there to read. A full run
    allocates every process at once; a run over some suppliers or needs (a bulk change, an
    import, commitments changed in bulk) their processes, debounced."""
    if run.status != MatchRun.Status.DONE:
        return  # a failed run left matches half-written: the next one allocates
    if run.scope == MatchRun.Scope.FULL:
        allocation_start(trigger=AllocationRun.Trigger.AFTER_FULL_REMATCH, match_run_id=run.pk)
        return
    need_ids: set[int] = {run.target_id} if run.scope == MatchRun.Scope.NEED else set()
    supplier_ids: set[int] = {run.target_id} if run.scope == MatchRun.Scope.SUPPLIER else set()
    for chunk_needs, chunk_suppliers in run.chunks.values_list("need_ids", "supplier_ids"):
        need_ids.update(chunk_needs or [])
        supplier_ids.update(chunk_suppliers or [])
    enqueue_allocation_of(services.processes_touched(need_ids=need_ids, supplier_ids=supplier_ids))


@receiver(matches_rematched)
def rematched(
    sender: type,
    supplier_ids: list[int] | None = None,
    need_ids: list[int] | None = None,
    **kwargs: Any,
) -> None:
    """One supplier's or one need's rematch (sent after its commit): its scores and free
    capacity changed, so its processes' allocation may have. A commitment made or freed
    arrives here too: the matcher rematches the supplier first (``matching.signals``)."""
    enqueue_allocation_of(
        services.processes_touched(need_ids=need_ids or [], supplier_ids=supplier_ids or [])
    )
