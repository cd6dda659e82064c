"""Celery tasks for suppliers: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def suppliers_reclassify(supplier_ids: list[int] | None = None) -> int:
    """Recompute MSME categories (all suppliers when no ids are given). Idempotent."""
    return services.supplier_reclassify(supplier_ids=supplier_ids)
