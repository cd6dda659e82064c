"""Signals only enqueue: every change to a match's inputs queues a rematch of what it affects,
after the transaction commits, through Celery, debounced.

  a supplier saved (its deletion takes its matches along)   that supplier
  a capability or certificate saved or deleted              its supplier
  suppliers or certificates changed in bulk (services)      those suppliers (a run)
  a need saved, or its required certificates changed        that need
  needs opened, closed or copied in bulk (services)         those needs (a run)
  a facility saved, or facilities changed in bulk           their needs
  a cluster saved or deleted                                the needs of its facilities
  a certification type saved, deleted or relinked           its needs (and its holders)
  the active scoring profile deleted                        everything (a full run)
  suppliers or needs imported (one signal per file)         those (one run; a full run when
                                                            they are most of their table)
  a match's commitment changed: shortlisted, engaged,       its supplier (free capacity for
  declined, withdrawn, or its quantity (save or update)     its other needs changed)
  a need with commitments deleted                           the suppliers it held
  a need saved, changed in bulk or imported, that holds     those suppliers too (a commitment
  shortlists or engagements                                 may take the need's quantity)

A scoring profile's change and demo seeding start a full run from their services; 1 January
does (years of experience), and the nightly sweep (beat) is the safety net, which should find
nothing to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from clusters.models import Cluster
from schemes.models import Facility, Need
from schemes.signals import facilities_changed, needs_changed, needs_imported
from taxonomy.models import CertificationType
from vendors.models import Certification, Supplier, SupplierCapability
from vendors.signals import suppliers_changed, suppliers_imported

from .models import Match, MatchRun, ScoringProfile, commitments_changed
from .tasks import enqueue_rematch, enqueue_rematch_of, start_match_run

# robust=True: the data is committed by then, so a broker that is away must not fail the request
# (enqueue_rematch logs it; the nightly sweep catches up).


def _after_commit(kind: str, pk: int | None) -> None:
    if pk is not None:
        transaction.on_commit(lambda: enqueue_rematch(kind, pk), robust=True)


def _many_after_commit(kind: str, ids: Callable[[], Iterable[int]], trigger: str) -> None:
    """Queue a rematch of the ids ``ids()`` returns once committed (read then, not now)."""
    transaction.on_commit(lambda: enqueue_rematch_of(kind, ids(), trigger), robust=True)


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


@receiver(post_save, sender=Match)
def match_saved(sender: type, instance: Match, created: bool, **kwargs: Any) -> None:
    """A shortlist, engagement, decline or withdrawal commits or frees the supplier's capacity
    for its other needs; tell the rooms that follow commitments (and rematch it, below)."""
    before = (False, None) if created else getattr(instance, "_stored_commitment", None)
    after = instance.commitment
    instance._stored_commitment = after
    if before != after:
        commitments_changed.send(sender=Match, supplier_ids=[instance.supplier_id])


@receiver(commitments_changed)
def commitments_changed_rematch(sender: type, supplier_ids: list[int], **kwargs: Any) -> None:
    ids = list(supplier_ids)
    _many_after_commit("supplier", lambda: ids, MatchRun.Trigger.SUPPLIERS_CHANGED)


@receiver(pre_delete, sender=Need)
def need_deleted(sender: type, instance: Need, **kwargs: Any) -> None:
    # Its matches go with it (a cascade the ORM or the database runs, sending no signal per
    # match): the capacity they held is free again for the suppliers' other needs.
    ids = list(
        Match.objects.with_committing_status()
        .filter(need_id=instance.pk)
        .values_list("supplier_id", flat=True)
    )
    if ids:
        commitments_changed.send(sender=Match, supplier_ids=ids)


def _suppliers_committed_to(need_ids: Iterable[int]) -> list[int]:
    """Suppliers shortlisted or engaged for these needs: a commitment without an entered
    quantity takes the need's own monthly quantity, so their other needs follow its changes."""
    return list(
        Match.objects.with_committing_status()
        .filter(need_id__in=list(need_ids))
        .order_by()
        .values_list("supplier_id", flat=True)
        .distinct()
    )


def _with_committed_suppliers(need_ids: list[int], trigger: str) -> None:
    # Read now (one lookup in the small index of committing matches): most needs hold none.
    if supplier_ids := _suppliers_committed_to(need_ids):
        _many_after_commit("supplier", lambda: supplier_ids, trigger)


@receiver(post_save, sender=Need)
def need_saved(sender: type, instance: Need, **kwargs: Any) -> None:
    _after_commit("need", instance.pk)
    _with_committed_suppliers([instance.pk], MatchRun.Trigger.NEEDS_CHANGED)


@receiver(needs_changed)
def needs_changed_in_bulk(sender: type, need_ids: list[int], **kwargs: Any) -> None:
    ids = list(need_ids)
    _many_after_commit("need", lambda: ids, MatchRun.Trigger.NEEDS_CHANGED)
    _with_committed_suppliers(ids, MatchRun.Trigger.NEEDS_CHANGED)


@receiver(m2m_changed, sender=Need.required_certifications.through)
def need_certifications_changed(
    sender: type, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if isinstance(instance, Need):
        if action in {"post_add", "post_remove", "post_clear"}:
            _after_commit("need", instance.pk)
        return
    # From the certification type's side: these needs changed. A clear names none, so read them
    # before it; they are rematched after the commit either way.
    if action == "pre_clear":
        ids = list(instance.required_by_needs.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        ids = list(pk_set or ())
    else:
        return
    _many_after_commit("need", lambda: ids, MatchRun.Trigger.NEEDS_CHANGED)


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


@receiver(pre_delete, sender=Cluster)
def cluster_deleted(sender: type, instance: Cluster, **kwargs: Any) -> None:
    # Its facilities lose it by an UPDATE (SET_NULL), which sends no post_save: note them now.
    facility_ids = list(instance.facilities.values_list("pk", flat=True))
    _many_after_commit(
        "need", lambda: _needs_of_facilities(facility_ids), MatchRun.Trigger.NEEDS_CHANGED
    )


@receiver(post_save, sender=Cluster)
def cluster_saved(sender: type, instance: Cluster, **kwargs: Any) -> None:
    # Its centre places the facilities in it that have no site of their own yet.
    cluster_id = instance.pk

    def needs() -> list[int]:
        facilities = Facility.objects.filter(cluster_id=cluster_id).values_list("pk", flat=True)
        return _needs_of_facilities(facilities)

    _many_after_commit("need", needs, MatchRun.Trigger.NEEDS_CHANGED)


@receiver(pre_delete, sender=CertificationType)
def certification_type_deleted(sender: type, instance: CertificationType, **kwargs: Any) -> None:
    # Its links to needs go with it, without m2m_changed (suppliers' certificates protect it).
    need_ids = list(instance.required_by_needs.values_list("pk", flat=True))
    _many_after_commit("need", lambda: need_ids, MatchRun.Trigger.NEEDS_CHANGED)


@receiver(post_delete, sender=ScoringProfile)
def scoring_profile_deleted(sender: type, instance: ScoringProfile, **kwargs: Any) -> None:
    # Deleting the active profile makes the defaults active: everything scores anew.
    if instance.is_active:
        transaction.on_commit(
            lambda: start_match_run.delay(
                scope=MatchRun.Scope.FULL, trigger=MatchRun.Trigger.SCORING_PROFILE
            ),
            robust=True,
        )


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


# An import changes many rows at once: one run for the file, never one rematch per row (its bulk
# writes send no post_save). Past this share of the table, one full run costs less than a run
# over the ids: a full run reads each need's candidates once.
IMPORT_FULL_RUN_SHARE = 0.5


def _rematch_imported(model: type[Supplier | Need], scope: str, ids: list[int]) -> None:
    def start() -> None:
        if len(ids) > IMPORT_FULL_RUN_SHARE * model.objects.count():
            start_match_run.delay(scope=MatchRun.Scope.FULL, trigger=MatchRun.Trigger.IMPORT)
        else:
            start_match_run.delay(scope=scope, ids=ids, trigger=MatchRun.Trigger.IMPORT)

    if ids:
        transaction.on_commit(start, robust=True)


@receiver(suppliers_imported)
def suppliers_imported_rematch(sender: type, supplier_ids: list[int], **kwargs: Any) -> None:
    _rematch_imported(Supplier, MatchRun.Scope.SUPPLIERS, sorted(set(supplier_ids)))


@receiver(needs_imported)
def needs_imported_rematch(sender: type, need_ids: list[int], **kwargs: Any) -> None:
    ids = sorted(set(need_ids))
    _rematch_imported(Need, MatchRun.Scope.NEEDS, ids)
    _with_committed_suppliers(ids, MatchRun.Trigger.IMPORT)
