"""Needs opened, closed and duplicated in bulk from the admin: through services that write
history and rematch the needs once, together."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from matching.models import Match, MatchRun
from schemes.models import Need
from schemes.services import need_duplicate, need_set_status
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def matched_needs() -> list[Need]:
    """Two open needs a supplier fully matches (suggested matches, written by the matcher)."""
    certificate = f.CertificationTypeFactory()
    needs = [f.NeedFactory(required_certifications=[certificate]) for _ in range(2)]
    supplier = f.SupplierFactory()
    f.SupplierCapabilityFactory(supplier=supplier, process=needs[0].process)
    f.CertificationFactory(supplier=supplier, certification_type=certificate)
    from matching.services import matches_sync

    matches_sync(need_ids=[need.pk for need in needs])
    assert Match.objects.count() == 2
    return needs


def test_closing_needs_in_bulk_writes_history_and_rematches_them_once(
    admin_client: Client, admin_user: Any, matched_needs: list[Need]
) -> None:
    runs_before = MatchRun.objects.count()

    response = admin_client.post(
        admin_url(Need, "changelist"),
        {"action": "close_needs", "_selected_action": [n.pk for n in matched_needs]},
        follow=True,
    )

    assert "2 needs closed." in response.content.decode()
    assert set(Need.objects.values_list("status", flat=True)) == {Need.Status.CLOSED}
    for need in matched_needs:
        latest = need.history.latest()
        assert (latest.status, latest.history_path, latest.history_user) == (
            "closed",
            "admin",
            admin_user,
        )
    # One run for both needs (in-process here), which removed their suggestions.
    runs = MatchRun.objects.order_by("pk")[runs_before:]
    assert [(run.scope, run.status) for run in runs] == [("needs", "done")]
    assert not Match.objects.exists()


def test_closing_needs_already_closed_changes_and_records_nothing(
    matched_needs: list[Need],
) -> None:
    need_set_status(need_ids=[matched_needs[0].pk], status=Need.Status.CLOSED)
    versions = matched_needs[0].history.count()

    assert need_set_status(need_ids=[matched_needs[0].pk], status=Need.Status.CLOSED) == 0
    assert matched_needs[0].history.count() == versions


def test_opening_closed_needs_brings_their_matches_back(
    admin_client: Client, matched_needs: list[Need]
) -> None:
    need_set_status(need_ids=[n.pk for n in matched_needs], status=Need.Status.CLOSED)
    assert not Match.objects.exists()

    admin_client.post(
        admin_url(Need, "changelist"),
        {"action": "open_needs", "_selected_action": [n.pk for n in matched_needs]},
    )

    assert set(Need.objects.values_list("status", flat=True)) == {Need.Status.OPEN}
    assert Match.objects.count() == 2


def test_duplicating_needs_copies_them_as_open_needs_with_history_and_matches(
    admin_client: Client, admin_user: Any, matched_needs: list[Need]
) -> None:
    original = matched_needs[0]
    Need.objects.filter(pk=original.pk).update(external_ref="F1-N0001")
    need_set_status(need_ids=[original.pk], status=Need.Status.CLOSED)

    response = admin_client.post(
        admin_url(Need, "changelist"),
        {"action": "duplicate_needs", "_selected_action": [original.pk]},
        follow=True,
    )

    assert "1 need duplicated." in response.content.decode()
    copy = Need.objects.exclude(pk__in=[n.pk for n in matched_needs]).get()
    assert copy.title == f"{original.title} (copy)"
    assert (copy.status, copy.external_ref, copy.facility_id) == ("open", "", original.facility_id)
    assert list(copy.required_certifications.all()) == list(original.required_certifications.all())
    created = copy.history.get()
    assert (created.history_type, created.history_path, created.history_user) == (
        "+",
        "admin",
        admin_user,
    )
    assert Match.objects.filter(need=copy).count() == 1  # rematched as soon as it exists


def test_duplicating_many_needs_rematches_them_in_one_run(matched_needs: list[Need]) -> None:
    runs_before = MatchRun.objects.count()

    copies = need_duplicate(need_ids=[n.pk for n in matched_needs])

    assert len(copies) == 2
    assert MatchRun.objects.count() == runs_before + 1
    assert Match.objects.filter(need__in=copies).count() == 2
