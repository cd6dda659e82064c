"""Signals only enqueue: saving a supplier, capability, certification or need queues one
debounced rematch of that supplier or need after the transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from schemes.models import Need
from vendors.models import Certification, Supplier, SupplierCapability

from .tasks import enqueue_rematch


def _after_commit(kind: str, pk: int | None) -> None:
    if pk is not None:
        transaction.on_commit(lambda: enqueue_rematch(kind, pk))


@receiver(post_save, sender=Supplier)
def supplier_saved(sender: type, instance: Supplier, **kwargs: Any) -> None:
    _after_commit("supplier", instance.pk)


@receiver([post_save, post_delete], sender=SupplierCapability)
@receiver([post_save, post_delete], sender=Certification)
def supplier_part_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    _after_commit("supplier", instance.supplier_id)


@receiver(post_save, sender=Need)
def need_saved(sender: type, instance: Need, **kwargs: Any) -> None:
    _after_commit("need", instance.pk)


@receiver(m2m_changed, sender=Need.required_certifications.through)
def need_certifications_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Need):
        _after_commit("need", instance.pk)
