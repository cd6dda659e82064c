"""Celery tasks for the matcher: take ids, call a service, retry. Idempotent by design."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.core.cache import cache

from . import services
from .models import MatchRun, MatchRunChunk
from .selectors import suppliers_with_certificates_crossing

# Debounce window: a burst of edits to one entity collapses into one rematch.
REMATCH_DEBOUNCE_SECONDS = 2


def _debounce_key(kind: str, pk: int) -> str:
    return f"matching:rematch-pending:{kind}:{pk}"


def enqueue_rematch(kind: str, pk: int) -> bool:
    """Queue one rematch of a supplier or need unless one is already waiting (call after commit).

    ``cache.add`` is atomic in Redis, so concurrent saves race safely: one wins and queues.
    """
    if not cache.add(_debounce_key(kind, pk), 1, timeout=REMATCH_DEBOUNCE_SECONDS * 30):
        return False
    task = rematch_supplier if kind == "supplier" else rematch_need
    task.apply_async(args=[pk], countdown=REMATCH_DEBOUNCE_SECONDS)
    return True


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def rematch_supplier(supplier_id: int) -> str:
    # Clear the marker first: an edit landing while we run queues a fresh rematch.
    cache.delete(_debounce_key("supplier", supplier_id))
    return services.rematch_supplier(supplier_id=supplier_id).summary()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def rematch_need(need_id: int) -> str:
    cache.delete(_debounce_key("need", need_id))
    return services.rematch_need(need_id=need_id).summary()


@shared_task(bind=True, acks_late=True, max_retries=3)
def match_run_chunk(self, chunk_id: int) -> bool:
    """One chunk of a full run. A retry or a re-delivery after a killed worker is harmless."""
    try:
        return services.match_run_chunk_process(chunk_id=chunk_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            services.match_run_chunk_failed(chunk_id=chunk_id, error=repr(exc))
            raise
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc


@shared_task(acks_late=True)
def match_run_single(run_id: int) -> str:
    return services.match_run_single(run_id=run_id).summary()


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
    for supplier_id in supplier_ids:
        enqueue_rematch("supplier", supplier_id)
    return len(supplier_ids)


def match_run_enqueue(run_id: int, chunk_ids: list[int] | None = None) -> None:
    """Queue a run's chunks (all of them, or those given when resuming) after commit."""
    run = MatchRun.objects.get(pk=run_id)
    if run.scope != MatchRun.Scope.FULL:
        match_run_single.delay_on_commit(run_id)
        return
    if chunk_ids is None:
        chunk_ids = list(
            MatchRunChunk.objects.filter(run_id=run_id)
            .order_by("index")
            .values_list("pk", flat=True)
        )
    for chunk_id in chunk_ids:
        match_run_chunk.delay_on_commit(chunk_id)
