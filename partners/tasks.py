"""Webhook tasks: thin, take ids, safe to run twice (the services claim their work)."""

from __future__ import annotations

from celery import shared_task

from . import selectors, services

# Batches one dispatch sends before queueing another round: a long catch-up (an endpoint
# resumed after days) yields the worker between rounds instead of holding it for an hour.
BATCHES_PER_ROUND = 20


@shared_task
def webhooks_tick() -> int:
    """Every minute (beat): a round of sending for every live endpoint — due retries, and the
    changes since its mark. Returns how many endpoints were queued."""
    endpoint_ids = list(selectors.webhook_endpoints_live().values_list("pk", flat=True))
    for endpoint_id in endpoint_ids:
        webhook_endpoint_dispatch.delay(endpoint_id)
    return len(endpoint_ids)


@shared_task
def webhook_endpoint_dispatch(endpoint_id: int) -> None:
    if services.webhook_endpoint_catch_up(endpoint_id=endpoint_id, max_batches=BATCHES_PER_ROUND):
        webhook_endpoint_dispatch.delay(endpoint_id)


@shared_task
def webhook_delivery_send(delivery_id: int) -> None:
    """One attempt of one delivery (a redelivery from the admin); nothing if not due."""
    services.webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def webhook_endpoint_notify_paused(endpoint_id: int) -> None:
    services.webhook_endpoint_notify_paused(endpoint_id=endpoint_id)


@shared_task
def webhook_deliveries_prune() -> int:
    return services.webhook_deliveries_prune()
