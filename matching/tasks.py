"""Celery tasks for the matcher: take ids, call a service, retry. Idempotent by design."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from celery import shared_task
from django.core.cache import cache
from django.db import DatabaseError

from . import runs, services
from .models import MatchRun, matches_rematched
from .selectors import suppliers_with_certificates_crossing

logger = logging.getLogger(__name__)

# Debounce window: a burst of edits to one entity collapses into one rematch.
REMATCH_DEBOUNCE_SECONDS = 2


def _debounce_key(kind: str, pk: int) -> str:
    return f"matching:rematch-pending:{kind}:{pk}"


def enqueue_rematch(kind: str, pk: int) -> bool:
    """Queue one rematch of a supplier or need unless one is already waiting (call after commit).

    ``cache.add`` is atomic in Redis, so concurrent saves race safely: one wins and queues.
    """
    key = _debounce_key(kind, pk)
    if not cache.add(key, 1, timeout=REMATCH_DEBOUNCE_SECONDS * 30):
        return False
    task = rematch_supplier if kind == "supplier" else rematch_need
    try:
        task.apply_async(args=[pk], countdown=REMATCH_DEBOUNCE_SECONDS)
    except Exception:
        # The broker is away: the data is committed, so the request must not fail now. Forget
        # the marker so the next edit queues again; the nightly sweep catches what is left.
        cache.delete(key)
        logger.exception("Could not queue a rematch of %s %s", kind, pk)
        return False
    return True


def enqueue_rematch_of(kind: str, ids: Iterable[int], trigger: str) -> None:
    """Rematch these suppliers or needs (call after commit): one debounced task for a single
    one, a run in chunks (visible in the admin) for more."""
    ids = sorted(set(ids))
    if len(ids) == 1:
        enqueue_rematch(kind, ids[0])
    elif ids:
        scope = MatchRun.Scope.SUPPLIERS if kind == "supplier" else MatchRun.Scope.NEEDS
        start_match_run.delay(scope=scope, ids=ids, trigger=trigger)


# A database blip, or a first write racing another rematch of the same pair (see bulk.py),
# is retried: the rematch then finds the database as it is and writes what differs.
TRANSIENT = (OSError, DatabaseError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def rematch_supplier(supplier_id: int) -> str:
    # Clear the marker first: an edit landing while we run queues a fresh rematch.
    cache.delete(_debounce_key("supplier", supplier_id))
    summary = services.rematch_supplier(supplier_id=supplier_id).summary()
    matches_rematched.send(sender=MatchRun, supplier_ids=[supplier_id])
    return summary


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def rematch_need(need_id: int) -> str:
    cache.delete(_debounce_key("need", need_id))
    summary = services.rematch_need(need_id=need_id).summary()
    matches_rematched.send(sender=MatchRun, need_ids=[need_id])
    return summary


@shared_task(bind=True, acks_late=True, max_retries=5)
def start_match_run(
    self,
    scope: str = MatchRun.Scope.FULL,
    ids: list[int] | None = None,
    trigger: str = MatchRun.Trigger.COMMAND,
) -> int | None:
    """Plan a run and queue its chunks; returns the run's id.

    Only planning is retried (it commits nothing until it succeeds): a retry after the run was
    created would plan it twice, and chunks whose messages fail to reach the broker are
    re-driven by the watchdog anyway.
    """
    try:
        run = runs.match_run_create(scope=scope, ids=ids, trigger=trigger)
    except DatabaseError as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    match_run_enqueue(run.pk)
    return run.pk


@shared_task(bind=True, acks_late=True, max_retries=3)
def match_run_chunk(self, chunk_id: int) -> bool:
    """One chunk of a run. A retry, a re-delivery or a re-drive of a done chunk does nothing."""
    if not runs.match_run_chunk_start(chunk_id=chunk_id):
        return False
    try:
        return runs.match_run_chunk_process(chunk_id=chunk_id)
    except Exception as exc:
        # In-process (no broker) a retry would only repeat the failure at once.
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
        # Out of retries: the run records the failure and its reason (its status is what
        # people and the rematch command read), rather than the task raising to nobody.
        logger.exception("Match run chunk %s failed after %s retries", chunk_id, self.max_retries)
        runs.match_run_chunk_failed(chunk_id=chunk_id, error=repr(exc))
        return False


@shared_task
def match_runs_watch() -> int:
    """Every minute (beat): finish or re-drive runs that stopped making progress."""
    chunk_ids = runs.match_run_watch()
    queue_chunks(chunk_ids)
    return len(chunk_ids)


@shared_task(acks_late=True)
def rematch_certificate_expiries(lookback_days: int = 2) -> int:
    """Nightly: rematch suppliers whose certificates crossed an expiry or warning date.

    The lookback overlaps the previous night's window, so a missed night is caught up; rematches
    are idempotent, so the overlap costs nothing but a no-op.
    """
    today = datetime.date.today()
    supplier_ids = suppliers_with_certificates_crossing(
        since=today - datetime.timedelta(days=lookback_days), today=today
    )
    enqueue_rematch_of("supplier", supplier_ids, trigger=MatchRun.Trigger.CERTIFICATE_DATES)
    return len(supplier_ids)


@shared_task(acks_late=True)
def rematch_all_nightly() -> int | None:
    """Nightly safety net: a full run that should find nothing to change (it logs what it did)."""
    return start_match_run(scope=MatchRun.Scope.FULL, trigger=MatchRun.Trigger.NIGHTLY_SWEEP)


@shared_task(acks_late=True)
def rematch_all_new_year() -> int | None:
    """1 January: years of experience counted from a founding year move with the calendar."""
    return start_match_run(scope=MatchRun.Scope.FULL, trigger=MatchRun.Trigger.NEW_YEAR)


@shared_task(acks_late=True, soft_time_limit=300)
def scoring_preview_compute(key: str, weights: dict[str, str]) -> None:
    """What new scoring weights would do, worked out for the admin (``services``)."""
    services.scoring_preview_store(
        key=key, weights={name: Decimal(value) for name, value in weights.items()}
    )


def match_run_enqueue(run_id: int, chunk_ids: list[int] | None = None) -> None:
    """Queue a run's unfinished chunks (or those given, when resuming) after commit."""
    if chunk_ids is None:
        chunk_ids = list(
            MatchRun.objects.get(pk=run_id)
            .chunks.filter(status__in=runs.UNFINISHED)
            .order_by("index")
            .values_list("pk", flat=True)
        )
    queue_chunks(chunk_ids)


def queue_chunks(chunk_ids: list[int]) -> None:
    runs.match_run_chunks_queued(chunk_ids=chunk_ids)
    for chunk_id in chunk_ids:
        match_run_chunk.delay_on_commit(chunk_id)


@shared_task
def prune_match_tombstones() -> int:
    """Nightly: forget deleted matches older than MATCH_TOMBSTONE_DAYS (partners' sync horizon)."""
    return services.tombstones_prune()
