"""Audit history in the admin: each audited model's history lists who, when, through which path
and what changed from the version before; edits through the admin and its bulk actions are
recorded."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from eligibility.models import RuleSet
from matching.models import ScoringProfile
from schemes.models import Facility, Need, Scheme
from taxonomy.admin_mixins import AuditedAdmin
from tests import factories as f
from vendors.models import Certification, Supplier

pytestmark = pytest.mark.django_db

AUDITED = [Scheme, Facility, Need, Supplier, Certification, RuleSet, ScoringProfile]


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m._meta.label)
def test_every_audited_model_shows_the_path_of_each_change(model: type[Model]) -> None:
    model_admin = admin.site.get_model_admin(model)

    assert isinstance(model_admin, AuditedAdmin)
    assert "changed_through" in model_admin.history_list_display


def test_an_edit_in_the_admin_is_recorded_and_compared_with_the_version_before(
    scheme_admin: Client, scheme_admin_user: Any
) -> None:
    need = f.NeedFactory(title="Slicing lot 7", quantity=Decimal("50000"))
    data = {
        "facility": need.facility_id,
        "title": "Slicing lot 7, revised",
        "status": "open",
        "process": need.process_id,
        "quantity": "60,000",
        "unit": "pieces",
        "due_date": need.due_date.strftime("%d/%m/%Y"),
    }
    assert scheme_admin.post(admin_url(Need, "change", need.pk), data).status_code == 302

    record = need.history.latest()
    assert (record.history_type, record.history_user, record.history_path) == (
        "~",
        scheme_admin_user,
        "admin",
    )
    page = scheme_admin.get(admin_url(Need, "history", need.pk)).content.decode()
    assert '<th scope="col">Changed through</th>' in page
    assert "<td>Admin</td>" in page and "<td>System</td>" in page  # the edit; the factory's
    changes = re.sub(r"\s+", " ", page)
    assert (
        "<strong>Title:</strong> Slicing lot 7 &nbsp;&rarr;&nbsp;&nbsp;Slicing lot 7, revised"
        in (changes)
    )
    assert re.search(
        r"<td>\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}</td>", page
    )  # 6 Dec 2026, 14:05
    assert 'style="' not in page.split('id="change-history"')[1]  # no inline style (CSP)


def test_a_bulk_action_writes_a_history_row_per_row_changed(
    scheme_admin: Client, scheme_admin_user: Any
) -> None:
    needs = [f.NeedFactory(), f.NeedFactory()]

    scheme_admin.post(
        admin_url(Need, "changelist"),
        {"action": "close_needs", "_selected_action": [n.pk for n in needs]},
    )

    for need in needs:
        record = need.history.latest()
        assert (record.status, record.history_user, record.history_path) == (
            "closed",
            scheme_admin_user,
            "admin",
        )
    page = scheme_admin.get(admin_url(Need, "history", needs[0].pk)).content.decode()
    assert "<strong>Status:</strong> open &nbsp;&rarr;&nbsp;&nbsp;closed" in re.sub(
        r"\s+", " ", page
    )


def test_a_facility_manager_reads_the_history_of_their_own_needs(
    facility_manager: Client, managed_facility: Facility
) -> None:
    need = f.NeedFactory(facility=managed_facility)

    assert facility_manager.get(admin_url(Need, "history", need.pk)).status_code == 200
