"""Signals only enqueue: what changes the recommended allocation queues it, after commit.

a full rematch finished done (matching.match_run_finished)   every process (one run)
a match's status or committed quantity saved                 its need's process, debounced
commitments changed in bulk (matching.commitments_changed)   the suppliers' processes, debounced
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from matching.models import (
    COMMITMENT_FIELDS,
    COMMITTING,
    Match,
    MatchRun,
    commitments_changed,
    match_run_finished,
)
from schemes.models import Need

from . import services
from .models import AllocationRun
from .tasks import allocation_start, enqueue_allocation_of


@receiver(match_run_finished)
def full_rematch_finished(sender: type, run: MatchRun, **kwargs: Any) -> None:
    # Sent after the run's commit: the matches it wrote are there to read.
    if run.scope == MatchRun.Scope.FULL and run.status == MatchRun.Status.DONE:
        allocation_start(trigger=AllocationRun.Trigger.AFTER_FULL_REMATCH, match_run_id=run.pk)


@receiver(post_save, sender=Match)
def match_saved(
    sender: type, instance: Match, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if update_fields is not None and COMMITMENT_FIELDS.isdisjoint(update_fields):
        return
    if created and instance.status not in COMMITTING:
        return  # a new suggestion commits nothing; the rematch that wrote it is followed
    need_id = instance.need_id

    def enqueue() -> None:
        enqueue_allocation_of(Need.objects.filter(pk=need_id).values_list("process_id", flat=True))

    transaction.on_commit(enqueue, robust=True)


@receiver(commitments_changed)
def commitments_changed_in_bulk(sender: type, supplier_ids: list[int], **kwargs: Any) -> None:
    ids = list(supplier_ids)
    transaction.on_commit(
        lambda: enqueue_allocation_of(services.processes_of_suppliers(ids)), robust=True
    )
