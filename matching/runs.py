"""Runs of the matcher: planned in chunks, processed by workers, watched until they end.

Every run ends *done* with exact counts or *failed* with a reason, never stuck:
- a chunk's writes, its completion and its counts commit in one transaction, and so does
  finishing the run after its last chunk, so a worker killed at any point leaves either nothing
  of the chunk or all of it, and no run waiting for a chunk that is done;
- a redelivered or re-driven chunk that is already done does nothing (its row is locked, then
  checked), so re-queuing is always safe;
- ``match_run_watch`` (beat, every minute, and the waiting ``rematch`` command) re-queues the
  chunks of a run that made no progress for longer than a chunk can take (a worker killed
  outright, messages lost with a Redis restart), and after ``MAX_CHUNK_ATTEMPTS`` deliveries
  marks a chunk failed with the reason, which fails the run.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from schemes.models import Need
from vendors.models import SupplierCapability

from . import services
from .models import Match, MatchRun, MatchRunChunk, match_run_finished

logger = logging.getLogger(__name__)

FULL_RUN_CHUNK_NEEDS = 25
CHUNK_SUPPLIERS = 500  # suppliers per chunk of a bulk change: a few thousand candidate pairs
MAX_CHUNK_ATTEMPTS = 5
UNFINISHED = (MatchRunChunk.Status.PENDING,)


def stale_after() -> datetime.timedelta:
    """No progress for longer than the longest chunk may take (the task's hard time limit)."""
    return datetime.timedelta(seconds=settings.MATCH_RUN_STALE_SECONDS)


# --- Planning ---------------------------------------------------------------------------------


def _plan_need_chunks(needs: list[tuple[int, int]], chunk_needs: int) -> list[list[int]]:
    """Split (need, process) pairs, sorted by process, into chunks, heaviest first.

    A process's needs share their candidate suppliers (one pass over their certificates), so a
    chunk holds needs of one process where it can: a process with more needs than a chunk holds
    splits into near-equal chunks. Every chunk also pays a fixed cost (reading the candidates'
    certificates and suppliers: about 0.4 s at national scale, a third of a light process's
    chunk), so light chunks are packed together, first fit, up to half the candidate pairs of
    the heaviest. Handing out the chunks with the most candidate pairs first keeps every worker
    busy to the end.
    """
    offered = dict(
        SupplierCapability.objects.values("process")
        .annotate(n=Count("pk"))
        .values_list("process", "n")
    )
    parts: list[tuple[int, list[int]]] = []  # (candidate pairs, need ids)
    for process_id, group in groupby(needs, key=itemgetter(1)):
        ids = [pk for pk, _ in group]
        size = -(-len(ids) // -(-len(ids) // chunk_needs))  # ceil(n / ceil(n / chunk_needs))
        per_need = offered.get(process_id, 0)
        parts += [
            (per_need * len(ids[i : i + size]), ids[i : i + size]) for i in range(0, len(ids), size)
        ]
    parts.sort(key=lambda part: -part[0])
    budget = parts[0][0] // 2 if parts else 0
    chunks: list[tuple[int, list[int]]] = []
    for pairs, ids in parts:
        for at, (packed_pairs, packed_ids) in enumerate(chunks):
            if packed_pairs + pairs <= budget:
                chunks[at] = (packed_pairs + pairs, packed_ids + ids)
                break
        else:
            chunks.append((pairs, ids))
    chunks.sort(key=lambda chunk: -chunk[0])
    return [ids for _, ids in chunks]


def _needs_to_rematch(need_ids: Iterable[int] | None) -> list[tuple[int, int]]:
    """(need, process) of the given needs, or of every open need and every need with matches."""
    if need_ids is None:
        # order_by(): without it the model's ordering (-score, id) joined the DISTINCT, which
        # sorted and shipped every match (17 s at four million) instead of 915 need ids.
        matched = set(Match.objects.order_by().values_list("need_id", flat=True).distinct())
        wanted = set(Need.objects.open().values_list("pk", flat=True)) | matched
    else:
        wanted = set(need_ids)
    needs = list(
        Need.objects.filter(pk__in=wanted)
        .order_by("process_id", "pk")
        .values_list("pk", "process_id")
    )
    if need_ids is None:
        # Matches whose need was deleted without the database's cascade (see Match.need) have
        # nothing left to rematch.
        Match.objects.filter(need_id__in=matched - {pk for pk, _ in needs}).delete()
    return needs


def match_run_create(
    *,
    scope: str = MatchRun.Scope.FULL,
    target_id: int | None = None,
    ids: Iterable[int] | None = None,
    trigger: str = MatchRun.Trigger.COMMAND,
    chunk_needs: int = FULL_RUN_CHUNK_NEEDS,
    chunk_suppliers: int = CHUNK_SUPPLIERS,
    started_by: Any = None,
) -> MatchRun:
    """Plan a run in chunks: every need (full), some needs or suppliers, or one of either."""
    Scope = MatchRun.Scope
    with transaction.atomic():
        run = MatchRun.objects.create(
            scope=scope, target_id=target_id, trigger=trigger, started_by=started_by
        )
        if scope in {Scope.FULL, Scope.NEEDS, Scope.NEED}:
            wanted = None if scope == Scope.FULL else ([target_id] if target_id else ids)
            needs = _needs_to_rematch(wanted)
            chunks = [
                MatchRunChunk(run=run, index=i, need_ids=need_ids)
                for i, need_ids in enumerate(_plan_need_chunks(needs, chunk_needs))
            ]
        else:
            suppliers = sorted({target_id} if scope == Scope.SUPPLIER else set(ids or ()))
            chunks = [
                MatchRunChunk(run=run, index=i, supplier_ids=suppliers[at : at + chunk_suppliers])
                for i, at in enumerate(range(0, len(suppliers), chunk_suppliers))
            ]
        MatchRunChunk.objects.bulk_create(chunks)
        run.chunks_total = len(chunks)
        run.save(update_fields=["chunks_total"])
        if not chunks:
            _finish(run.pk)
    return run


def match_run_chunks_queued(*, chunk_ids: list[int]) -> None:
    MatchRunChunk.objects.filter(pk__in=chunk_ids).update(queued_at=timezone.now())


# --- Processing -------------------------------------------------------------------------------


def match_run_chunk_start(*, chunk_id: int) -> bool:
    """Count a delivery of the chunk; False when there is nothing (more) to do.

    Its own short transaction, before the work: a delivery that kills its worker still counts,
    so a chunk that always does is failed after MAX_CHUNK_ATTEMPTS instead of tried forever.
    """
    now = timezone.now()
    started = MatchRunChunk.objects.filter(pk=chunk_id, status__in=UNFINISHED).update(
        attempts=F("attempts") + 1, started_at=now
    )
    if not started:
        return False
    chunk = MatchRunChunk.objects.get(pk=chunk_id)
    MatchRun.objects.filter(pk=chunk.run_id).update(last_progress_at=now)
    MatchRun.objects.filter(pk=chunk.run_id, started_at__isnull=True).update(
        started_at=now, status=MatchRun.Status.RUNNING
    )
    if chunk.attempts > MAX_CHUNK_ATTEMPTS:
        match_run_chunk_failed(
            chunk_id=chunk_id,
            error=chunk.error
            or f"Delivered {MAX_CHUNK_ATTEMPTS} times without finishing (worker lost?).",
        )
        return False
    return True


def match_run_chunk_process(*, chunk_id: int) -> bool:
    """Process one chunk: its writes, completion and counts in one transaction.

    The chunk's row is locked first, so two deliveries of the same chunk run one after the
    other and the second finds it done. Returns True when this call completed the chunk.
    """
    with transaction.atomic():
        chunk = MatchRunChunk.objects.select_for_update().get(pk=chunk_id)
        if chunk.status not in UNFINISHED:
            return False
        if chunk.supplier_ids is not None:
            report = services.rematch_suppliers(supplier_ids=chunk.supplier_ids)
        else:
            report = services.matches_sync(need_ids=chunk.need_ids)
        now = timezone.now()
        MatchRunChunk.objects.filter(pk=chunk.pk).update(
            status=MatchRunChunk.Status.DONE,
            rows_written=report.rows_written,
            rows_deleted=report.deleted,
            error="",
            finished_at=now,
        )
        # Updating the run's row locks it: completions of concurrent chunks take turns, so the
        # one that completes the last chunk sees every other done and finishes the run.
        MatchRun.objects.filter(pk=chunk.run_id).update(
            chunks_done=F("chunks_done") + 1,
            rows_written=F("rows_written") + report.rows_written,
            rows_deleted=F("rows_deleted") + report.deleted,
            last_progress_at=now,
        )
        _finish_if_complete(chunk.run_id)
    return True


def match_run_chunk_failed(*, chunk_id: int, error: str) -> None:
    """Record a chunk that exhausted its attempts; the run fails once nothing else is left."""
    with transaction.atomic():
        chunk = MatchRunChunk.objects.select_for_update().get(pk=chunk_id)
        if chunk.status not in UNFINISHED:
            return
        MatchRunChunk.objects.filter(pk=chunk_id).update(
            status=MatchRunChunk.Status.FAILED, error=error[:2000], finished_at=timezone.now()
        )
        run = MatchRun.objects.select_for_update().get(pk=chunk.run_id)
        run.errors = [*run.errors, {"chunk": chunk.index, "error": error[:500]}]
        run.save(update_fields=["errors"])
        _finish_if_complete(run.pk)


def _finish_if_complete(run_id: int) -> None:
    if not MatchRunChunk.objects.filter(run_id=run_id, status__in=UNFINISHED).exists():
        _finish(run_id)


def _finish(run_id: int) -> None:
    failed = list(
        MatchRunChunk.objects.filter(run_id=run_id, status=MatchRunChunk.Status.FAILED)
        .order_by("index")
        .values_list("index", "error")
    )
    reason = ""
    if failed:
        index, error = failed[0]
        reason = f"{len(failed)} chunk(s) failed; chunk {index}: {error}"[:2000]
    finished = MatchRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
        status=MatchRun.Status.FAILED if failed else MatchRun.Status.DONE,
        failure_reason=reason,
        finished_at=timezone.now(),
    )
    if finished:
        run = MatchRun.objects.get(pk=run_id)
        if run.scope == MatchRun.Scope.FULL:
            transaction.on_commit(_analyze_matches)
        transaction.on_commit(
            lambda: match_run_finished.send(sender=MatchRun, run=run), robust=True
        )
        corrected = run.rows_written + run.rows_deleted
        level = (
            logging.WARNING
            if failed or (run.trigger == MatchRun.Trigger.NIGHTLY_SWEEP and corrected)
            else logging.INFO
        )
        logger.log(
            level,
            "Match run #%s (%s, %s) %s: %s row(s) written, %s deleted%s",
            run.pk,
            run.scope,
            run.trigger,
            run.status,
            run.rows_written,
            run.rows_deleted,
            f"; {reason}" if reason else "",
        )


def _analyze_matches() -> None:
    """Fresh planner statistics after a full run rewrote the table: incremental rematches right
    after one were measured at 25 ms (median) on stale statistics and 17 ms once analysed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Match._meta.db_table}")


# --- Watching and resuming --------------------------------------------------------------------


def match_run_watch(*, run_id: int | None = None) -> list[int]:
    """Finish runs whose chunks have all ended; re-drive runs with no progress for too long.

    Returns the ids of the chunks to queue again. Safe to call any time, from anywhere: a chunk
    queued twice runs once.
    """
    now = timezone.now()
    runs = MatchRun.objects.filter(finished_at__isnull=True)
    if run_id is not None:
        runs = runs.filter(pk=run_id)
    requeue: list[int] = []
    for run in runs:
        waiting = list(run.chunks.filter(status__in=UNFINISHED).order_by("index"))
        if not waiting:
            _finish(run.pk)
            continue
        moments = [run.last_progress_at, run.created_at, *(c.queued_at for c in waiting)]
        last_seen = max(moment for moment in moments if moment is not None)
        if now - last_seen < stale_after():
            continue
        for chunk in waiting:
            if chunk.attempts >= MAX_CHUNK_ATTEMPTS:
                match_run_chunk_failed(
                    chunk_id=chunk.pk,
                    error=chunk.error
                    or f"No progress after {chunk.attempts} deliveries (worker lost?).",
                )
            else:
                requeue.append(chunk.pk)
        if requeue:
            logger.warning(
                "Match run #%s made no progress: re-queuing %s chunk(s)", run.pk, len(requeue)
            )
    return requeue


def match_run_resume(*, run_id: int) -> list[int]:
    """Reopen a run's failed or unfinished chunks; returns the chunk ids to queue again.

    A run with nothing left to do is finished at once, so ``rematch --resume`` always returns.
    """
    with transaction.atomic():
        # Chunks first, then the run: the order a chunk's processing locks them in.
        chunk_ids = list(
            MatchRunChunk.objects.filter(run_id=run_id)
            .exclude(status=MatchRunChunk.Status.DONE)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not chunk_ids:
            MatchRun.objects.filter(pk=run_id).update(finished_at=None)
            _finish(run_id)
            return []
        MatchRunChunk.objects.filter(pk__in=chunk_ids).update(
            status=MatchRunChunk.Status.PENDING, attempts=0, error="", finished_at=None
        )
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.RUNNING,
            finished_at=None,
            failure_reason="",
            errors=[],
            last_progress_at=timezone.now(),
        )
    return chunk_ids
