"""Signals only enqueue: after a matcher run finishes, or one supplier's or need's rematch
(a shortlist committing capacity, a decline freeing it), re-propose consortia (a task)."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from matching.models import MatchRun, match_run_finished, matches_rematched

logger = logging.getLogger(__name__)


@receiver(match_run_finished)
def run_finished(sender: type, run: MatchRun, **kwargs: Any) -> None:
    # Sent after the run's transaction committed: queue at once (in-process on the embedded
    # default, where tasks run eagerly).
    from .tasks import propose_after_run

    try:
        propose_after_run.delay(run.pk)
    except Exception:
        # The broker is away: the matches are committed; the next run proposes again.
        logger.exception("Could not queue consortium proposals after run %s", run.pk)


@receiver(matches_rematched)
def rematched(
    sender: type,
    supplier_ids: list[int] | None = None,
    need_ids: list[int] | None = None,
    **kwargs: Any,
) -> None:
    # Sent by the rematch task once its transaction committed.
    from .tasks import propose_after_rematch

    try:
        propose_after_rematch.delay(list(need_ids or []), list(supplier_ids or []))
    except Exception:
        logger.exception("Could not queue consortium proposals after a rematch")
