"""Incremental rematch: saves queue one debounced rematch after commit, run by a real worker."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from matching.models import Match
from matching.tasks import _debounce_key, enqueue_rematch
from tests.conftest import worker_idle
from tests.factories import CertificationFactory, SupplierCapabilityFactory
from tests.matching.conftest import supplier_near
from tests.test_celery_worker import wait_until


@pytest.mark.django_db(transaction=True)
def test_saving_a_capability_rematches_its_supplier_on_a_real_worker_after_commit(
    celery_worker_process: object, need
) -> None:
    supplier = supplier_near(10)
    # The saves above queued rematches too; let them finish so they cannot answer for ours.
    assert wait_until(lambda: worker_idle() and Match.objects.filter(supplier=supplier).exists())
    Match.objects.all().delete()
    cache.delete(_debounce_key("supplier", supplier.pk))

    with transaction.atomic():
        capability = supplier.capabilities.get()
        capability.monthly_capacity = 123456
        capability.save()
        CertificationFactory(supplier=supplier)  # a second edit in the same burst
        assert not Match.objects.filter(supplier=supplier).exists()

    assert wait_until(lambda: Match.objects.filter(supplier=supplier, need=need).exists())


@pytest.mark.django_db
def test_a_burst_of_edits_to_one_supplier_queues_one_rematch(redis_url: str) -> None:
    """Against the real broker (no worker listening): five requests put one message on it."""
    import redis
    from django.conf import settings

    broker = redis.Redis.from_url(redis_url)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    broker.delete(queue)
    supplier = SupplierCapabilityFactory().supplier
    cache.delete(_debounce_key("supplier", supplier.pk))
    try:
        queued = [enqueue_rematch("supplier", supplier.pk) for _ in range(5)]
        assert queued == [True, False, False, False, False]
        assert broker.llen(queue) == 1
    finally:
        broker.delete(queue)
        cache.delete(_debounce_key("supplier", supplier.pk))
