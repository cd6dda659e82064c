"""Celery tasks for consortia: take ids, call a service, retry. Idempotent: a re-proposal
finds the same teams and updates the same rows."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from matching.models import Match, MatchRun

from . import services
from .models import ConsortiumMember


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
    return services.propose_for_needs(_needs_touched(need_ids, supplier_ids)).needs


def _needs_touched(need_ids: set[int], supplier_ids: set[int]) -> set[int]:
    """These needs, and those where these suppliers are candidates or members: a supplier's
    rematch (its capacity committed or freed, its facts changed) can make a need want a team,
    stop wanting one (a full match), or change its teams."""
    needs = set(need_ids)
    if supplier_ids:
        needs.update(
            Match.objects.filter(supplier_id__in=supplier_ids, near_miss_rule__in=["", "capacity"])
            .order_by()
            .values_list("need_id", flat=True)
        )
        needs.update(
            ConsortiumMember.objects.filter(supplier_id__in=supplier_ids)
            .order_by()
            .values_list("consortium__need_id", flat=True)
        )
    return needs


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def propose_after_rematch(need_ids: list[int], supplier_ids: list[int]) -> int:
    """Re-propose after one supplier's or one need's rematch (no run)."""
    return services.propose_for_needs(_needs_touched(set(need_ids), set(supplier_ids))).needs


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def propose_for_needs(need_ids: list[int]) -> int:
    return services.propose_for_needs(need_ids).needs
