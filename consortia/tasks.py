"""Celery tasks for consortia: take ids, call a service, retry. Idempotent: a re-proposal
finds the same teams and updates the same rows."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from matching.models import Match, MatchRun

from . import services


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def propose_after_run(run_id: int) -> int:
    """Re-propose after a matcher run: every need after a full run, else the needs it touched."""
    run = MatchRun.objects.filter(pk=run_id).first()
    if run is None or run.status != MatchRun.Status.DONE:
        return 0  # a failed run leaves matches half-written: the next run proposes
    if run.scope == MatchRun.Scope.FULL:
        return services.propose_all().needs
    need_ids: set[int] = set()
    if run.scope == MatchRun.Scope.NEED and run.target_id is not None:
        need_ids.add(run.target_id)
    chunks = run.chunks.values_list("need_ids", "supplier_ids")
    supplier_ids: set[int] = set()
    for chunk_needs, chunk_suppliers in chunks:
        need_ids.update(chunk_needs or [])
        supplier_ids.update(chunk_suppliers or [])
    if run.scope == MatchRun.Scope.SUPPLIER and run.target_id is not None:
        supplier_ids.add(run.target_id)
    if supplier_ids:
        need_ids.update(
            Match.objects.filter(supplier_id__in=supplier_ids, near_miss_rule="capacity")
            .order_by()
            .values_list("need_id", flat=True)
        )
    return services.propose_for_needs(need_ids).needs


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def propose_for_needs(need_ids: list[int]) -> int:
    return services.propose_for_needs(need_ids).needs
