"""The beat task that keeps the insights snapshot fresh (``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(
    autoretry_for=(OSError, DatabaseError), retry_backoff=True, max_retries=3, ignore_result=True
)
def insights_refresh(force: bool = False) -> int | None:
    """Recompute the snapshot; a no-op while another refresh runs or nothing changed.

    Idempotent: a redelivered or retried task computes a snapshot as of when it runs.
    """
    snapshot = services.snapshot_refresh(force=force)
    return snapshot.pk if snapshot is not None else None
