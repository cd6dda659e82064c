"""Signals only enqueue: every change to a match's inputs queues a rematch of what it affects,
after the transaction commits, through Celery, debounced.

  a supplier, capability or certificate saved or deleted   that supplier
  suppliers or certificates changed in bulk (services)      those suppliers (a run)
  a need saved, or its required certificates changed        that need
  a facility saved, or facilities changed in bulk           their needs
  a cluster saved                                           the needs of its facilities
  a certification type saved                                its needs and its holders

A scoring profile's change and demo seeding start a full run from their services; the nightly
sweep (beat) is the safety net, and should find nothing to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from clusters.models import Cluster
from schemes.models import Facility, Need
from schemes.signals import facilities_changed
from taxonomy.models import CertificationType
from vendors.models import Certification, Supplier, SupplierCapability
from vendors.signals import suppliers_changed

from .models import Match, MatchRun
from .tasks import enqueue_rematch, enqueue_rematch_of


def _after_commit(kind: str, pk: int | None) -> None:
    if pk is not None:
        transaction.on_commit(lambda: enqueue_rematch(kind, pk))


def _many_after_commit(kind: str, ids: Callable[[], Iterable[int]], trigger: str) -> None:
    """Queue a rematch of the ids ``ids()`` returns once committed (read then, not now)."""
    transaction.on_commit(lambda: enqueue_rematch_of(kind, ids(), trigger))


def _needs_of_facilities(facility_ids: Iterable[int]) -> list[int]:
    """The facilities' open needs and needs holding matches (a closed one may hold acted-on
    matches whose flags follow the site)."""
    needs = Need.objects.filter(facility_id__in=list(facility_ids))
    return list(
        needs.filter(
            Q(status=Need.Status.OPEN) | Q(pk__in=Match.objects.values("need_id"))
        ).values_list("pk", flat=True)
    )


@receiver(post_save, sender=Supplier)
def supplier_saved(sender: type, instance: Supplier, **kwargs: Any) -> None:
    _after_commit("supplier", instance.pk)


@receiver([post_save, post_delete], sender=SupplierCapability)
@receiver([post_save, post_delete], sender=Certification)
def supplier_part_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    _after_commit("supplier", instance.supplier_id)


@receiver(suppliers_changed)
def suppliers_changed_in_bulk(sender: type, supplier_ids: list[int], **kwargs: Any) -> None:
    ids = list(supplier_ids)
    _many_after_commit("supplier", lambda: ids, MatchRun.Trigger.SUPPLIERS_CHANGED)


@receiver(post_save, sender=Need)
def need_saved(sender: type, instance: Need, **kwargs: Any) -> None:
    _after_commit("need", instance.pk)


@receiver(m2m_changed, sender=Need.required_certifications.through)
def need_certifications_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Need):
        _after_commit("need", instance.pk)


@receiver(post_save, sender=Facility)
def facility_saved(sender: type, instance: Facility, **kwargs: Any) -> None:
    # Its site, cluster or status: every need of the facility may score differently.
    facility_id = instance.pk
    _many_after_commit(
        "need", lambda: _needs_of_facilities([facility_id]), MatchRun.Trigger.NEEDS_CHANGED
    )


@receiver(facilities_changed)
def facilities_changed_in_bulk(sender: type, facility_ids: list[int], **kwargs: Any) -> None:
    ids = list(facility_ids)
    _many_after_commit("need", lambda: _needs_of_facilities(ids), MatchRun.Trigger.NEEDS_CHANGED)


@receiver(post_save, sender=Cluster)
def cluster_saved(sender: type, instance: Cluster, **kwargs: Any) -> None:
    # Its centre places the facilities in it that have no site of their own yet.
    cluster_id = instance.pk

    def needs() -> list[int]:
        facilities = Facility.objects.filter(cluster_id=cluster_id).values_list("pk", flat=True)
        return _needs_of_facilities(facilities)

    _many_after_commit("need", needs, MatchRun.Trigger.NEEDS_CHANGED)


@receiver(post_save, sender=CertificationType)
def certification_type_saved(sender: type, instance: CertificationType, **kwargs: Any) -> None:
    # Its ZED level counts in the quality of every supplier holding one.
    type_id = instance.pk
    _many_after_commit(
        "supplier",
        lambda: (
            Certification.objects.filter(certification_type_id=type_id)
            .values_list("supplier_id", flat=True)
            .distinct()
        ),
        MatchRun.Trigger.NEEDS_CHANGED,
    )
    _many_after_commit(
        "need",
        lambda: Need.objects.filter(required_certifications=type_id).values_list("pk", flat=True),
        MatchRun.Trigger.NEEDS_CHANGED,
    )
