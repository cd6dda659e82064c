"""A real Celery worker process, Redis and PostgreSQL: tasks queued in a transaction run
only after it commits, so the worker always sees the rows the task is about."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import redis
from django.conf import settings
from django.db import transaction

from tests.conftest import inspect_live_workers
from tests.factories import SupplierFactory
from vendors.models import Supplier
from vendors.tasks import suppliers_reclassify

CRORE = 10_000_000


def wait_until(condition: Callable[[], bool], *, timeout: float = 30.0) -> bool:
    """Poll a condition against the database until it holds or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_inside_a_transaction_reaches_the_worker_only_after_commit(
    celery_worker_process: object, redis_url: str
) -> None:
    broker = redis.Redis.from_url(redis_url)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE

    with transaction.atomic():
        supplier = SupplierFactory(investment_rupees=2 * CRORE, turnover_rupees=8 * CRORE)
        # Make the stored category stale, as a limits revision would; the task must fix it.
        Supplier.objects.filter(pk=supplier.pk).update(investment_rupees=20 * CRORE)
        suppliers_reclassify.delay_on_commit([supplier.pk])

        # Not yet published: the queue is empty and the worker holds nothing.
        assert broker.llen(queue) == 0
        inspector = inspect_live_workers()
        reserved, active = inspector.reserved(), inspector.active()
        assert reserved and active, "the worker did not answer"
        assert not any(reserved.values()) and not any(active.values())

    # After commit the worker (a separate process and connection) finds the row and updates it.
    assert wait_until(lambda: Supplier.objects.get(pk=supplier.pk).category == "small"), (
        "the worker did not reclassify the supplier within 30 s"
    )


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_in_a_rolled_back_transaction_never_runs(
    celery_worker_process: object, redis_url: str
) -> None:
    broker = redis.Redis.from_url(redis_url)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    supplier = SupplierFactory(investment_rupees=2 * CRORE, turnover_rupees=8 * CRORE)
    Supplier.objects.filter(pk=supplier.pk).update(investment_rupees=20 * CRORE)

    with pytest.raises(RuntimeError), transaction.atomic():
        suppliers_reclassify.delay_on_commit([supplier.pk])
        raise RuntimeError("roll back")

    assert broker.llen(queue) == 0
    # A sentinel task queued afterwards is processed, so anything queued before it would be too
    # (one worker, one process, prefetch 1: FIFO).
    result = suppliers_reclassify.apply_async(args=[[]])
    assert result.get(timeout=30) == 0
    assert Supplier.objects.get(pk=supplier.pk).category == "micro"
