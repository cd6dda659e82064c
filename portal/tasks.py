"""Celery tasks of the MSME pages: thin, they call services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_digests() -> int:
    """Weekly (beat): each owner who wants one gets one digest for the week, never two."""
    return services.digests_send()
