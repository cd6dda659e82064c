"""A facility manager sees and changes only their own facility's needs and matches in the admin.

Personas: ``facility_manager`` manages ``managed_facility``; ``theirs`` is another facility's
need (and match), which must answer 404 (or 403) on every page and path and never change.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from matching.models import Match
from schemes.models import Facility, Need
from schemes.selectors import managed_facility_ids, sees_every_facility
from tests import factories as f
from vendors.models import Supplier

pytestmark = pytest.mark.django_db


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def ours(managed_facility: Facility) -> Need:
    return f.NeedFactory(facility=managed_facility, title="Our slicing lot")


@pytest.fixture
def theirs() -> Need:
    return f.NeedFactory(title="Their plating lot")


def need_form(need: Need, **changes: Any) -> dict[str, Any]:
    data = {
        "facility": need.facility_id,
        "title": need.title,
        "description": need.description,
        "external_ref": need.external_ref,
        "status": need.status,
        "process": need.process_id,
        "quantity": str(need.quantity),
        "unit": need.unit,
        "due_date": need.due_date.isoformat() if need.due_date else "",
        "radius_km": "",
        "preferred_category": "",
    }
    return data | changes


def test_the_selectors_say_who_sees_what(
    facility_manager_user: Any, managed_facility: Facility, scheme_admin_user: Any
) -> None:
    f.FacilityFactory()

    assert managed_facility_ids(facility_manager_user) == {managed_facility.pk}
    assert not sees_every_facility(facility_manager_user)
    assert sees_every_facility(scheme_admin_user)


def test_the_needs_list_shows_only_the_managers_facility(
    facility_manager: Client, ours: Need, theirs: Need
) -> None:
    response = facility_manager.get(admin_url(Need, "changelist"))

    assert list(response.context["cl"].result_list) == [ours]
    page = response.content.decode()
    assert theirs.facility.name not in page  # not even as a filter choice


def test_a_manager_changes_their_own_need(facility_manager: Client, ours: Need) -> None:
    response = facility_manager.post(
        admin_url(Need, "change", ours.pk), need_form(ours, title="Our slicing lot, revised")
    )

    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.title == "Our slicing lot, revised"


def test_another_facilitys_need_answers_404_and_nothing_changes(
    facility_manager: Client, theirs: Need
) -> None:
    change = admin_url(Need, "change", theirs.pk)

    assert facility_manager.get(change).status_code == 404
    assert facility_manager.post(change, need_form(theirs, title="Hijacked")).status_code == 404
    assert facility_manager.get(admin_url(Need, "history", theirs.pk)).status_code == 404
    version = theirs.history.latest().history_id
    history_form = reverse("admin:schemes_need_simple_history", args=[theirs.pk, version])
    assert facility_manager.get(history_form).status_code == 404
    assert facility_manager.post(
        admin_url(Need, "delete", theirs.pk), {"post": "yes"}
    ).status_code in {
        403,
        404,
    }

    theirs.refresh_from_db()
    assert theirs.title == "Their plating lot"


def test_a_bulk_action_on_another_facilitys_need_changes_nothing(
    facility_manager: Client, ours: Need, theirs: Need
) -> None:
    facility_manager.post(
        admin_url(Need, "changelist"),
        {"action": "close_needs", "_selected_action": [theirs.pk]},
    )

    theirs.refresh_from_db()
    assert theirs.status == Need.Status.OPEN


def test_a_manager_cannot_file_a_need_under_another_facility(
    facility_manager: Client, ours: Need, theirs: Need
) -> None:
    before = Need.objects.count()
    data = need_form(ours, facility=theirs.facility_id, title="Sneaked in")

    response = facility_manager.post(admin_url(Need, "add"), data)

    assert response.status_code == 200
    assert "facility" in response.context["adminform"].form.errors
    assert Need.objects.count() == before
    choices = response.context["adminform"].form.fields["facility"].queryset
    assert list(choices) == [ours.facility]


def test_a_manager_files_a_need_under_their_own_facility(
    facility_manager: Client, ours: Need
) -> None:
    data = need_form(ours, title="Tooling for press line 2", external_ref="")

    response = facility_manager.post(admin_url(Need, "add"), data)

    assert response.status_code == 302
    assert Need.objects.get(title="Tooling for press line 2").facility == ours.facility


def test_a_manager_may_not_delete_even_their_own_need(facility_manager: Client, ours: Need) -> None:
    response = facility_manager.post(admin_url(Need, "delete", ours.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Need.objects.filter(pk=ours.pk).exists()


def test_the_matches_list_and_pages_are_scoped_the_same_way(
    facility_manager: Client, ours: Need, theirs: Need
) -> None:
    our_match = f.MatchFactory(need=ours)
    their_match = f.MatchFactory(need=theirs)

    listed = facility_manager.get(admin_url(Match, "changelist")).context["cl"].result_list
    assert list(listed) == [our_match]
    assert facility_manager.get(admin_url(Match, "change", our_match.pk)).status_code == 200

    response = facility_manager.post(
        admin_url(Match, "change", their_match.pk), {"status": Match.Status.SHORTLISTED}
    )
    assert response.status_code == 404
    their_match.refresh_from_db()
    assert their_match.status == Match.Status.SUGGESTED

    facility_manager.post(
        admin_url(Match, "change", our_match.pk), {"status": Match.Status.SHORTLISTED}
    )
    our_match.refresh_from_db()
    assert our_match.status == Match.Status.SHORTLISTED


def test_a_manager_sees_their_facility_only_and_no_suppliers(
    facility_manager: Client, ours: Need, theirs: Need
) -> None:
    listed = facility_manager.get(admin_url(Facility, "changelist")).context["cl"].result_list
    assert list(listed) == [ours.facility]
    assert facility_manager.get(admin_url(Facility, "change", ours.facility_id)).status_code == 200
    assert (
        facility_manager.get(admin_url(Facility, "change", theirs.facility_id)).status_code == 404
    )
    assert facility_manager.get(admin_url(Supplier, "changelist")).status_code == 403


def test_a_manager_finds_processes_for_their_needs_form(
    facility_manager: Client, ours: Need
) -> None:
    response = facility_manager.get(
        "/admin/autocomplete/",
        {"app_label": "schemes", "model_name": "need", "field_name": "process", "term": "cnc"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["CNC turning"]


def test_a_scheme_administrator_sees_every_facilitys_needs(
    scheme_admin: Client, ours: Need, theirs: Need
) -> None:
    listed = scheme_admin.get(admin_url(Need, "changelist")).context["cl"].result_list

    assert {need.pk for need in listed} == {ours.pk, theirs.pk}
    assert scheme_admin.get(admin_url(Need, "change", theirs.pk)).status_code == 200


def test_a_manager_of_no_facility_sees_no_need(client: Client, theirs: Need) -> None:
    from django.contrib.auth.models import Group

    user = f.UserFactory(username="new-manager", is_staff=True)
    user.groups.add(Group.objects.get(name="Facility manager"))
    client.force_login(user)

    assert list(client.get(admin_url(Need, "changelist")).context["cl"].result_list) == []
    assert client.get(admin_url(Need, "change", theirs.pk)).status_code == 404


def test_due_dates_and_quantities_post_as_typed(facility_manager: Client, ours: Need) -> None:
    response = facility_manager.post(
        admin_url(Need, "change", ours.pk),
        need_form(ours, due_date="15/12/2026", quantity="12,00,000"),
    )

    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.due_date == datetime.date(2026, 12, 15)
    assert ours.quantity == Decimal("1200000")
