"""Facility managers in the admin: the teams of their needs, read-only, and no one else's."""

from __future__ import annotations

import pytest
from django.test import Client

from consortia.models import Consortium
from consortia.services import propose_for_needs
from schemes.models import Need

from .conftest import Area, big_need


@pytest.fixture
def managed_team(area: Area, managed_facility) -> Consortium:
    Need.objects.filter(pk=area.need.pk).update(facility=managed_facility)
    propose_for_needs([area.need.pk])
    return Consortium.objects.get(need=area.need, rank=1)


@pytest.fixture
def other_team(db: None) -> Consortium:
    from matching.services import rematch_need

    from .conftest import shop

    need = big_need()
    shop(40000, km_north=100, km_east=100)
    shop(30000, km_north=110, km_east=100)
    rematch_need(need_id=need.pk)
    propose_for_needs([need.pk])
    return Consortium.objects.get(need=need, rank=1)


def test_a_manager_sees_their_needs_teams_with_the_answers(
    facility_manager: Client, managed_team: Consortium
) -> None:
    response = facility_manager.get(f"/admin/consortia/consortium/{managed_team.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "km of Hosur" in page
    assert "Not answered yet" in page
    listing = facility_manager.get("/admin/consortia/consortium/").content.decode()
    assert f"/admin/consortia/consortium/{managed_team.pk}/change/" in listing


def test_another_facilitys_team_is_a_404(
    facility_manager: Client, managed_team: Consortium, other_team: Consortium
) -> None:
    response = facility_manager.get(f"/admin/consortia/consortium/{other_team.pk}/change/")
    assert response.status_code == 404
    listing = facility_manager.get("/admin/consortia/consortium/").content.decode()
    assert f"/admin/consortia/consortium/{other_team.pk}/change/" not in listing


def test_the_needs_page_shows_its_teams_in_bounded_queries(
    facility_manager: Client, managed_team: Consortium, django_assert_max_num_queries
) -> None:
    url = f"/admin/schemes/need/{managed_team.need_id}/change/"
    facility_manager.get(url)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(40) as captured:
        response = facility_manager.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="consortia"' in page and 'id="matches"' in page  # both rooms' panels
    assert "km of Hosur" in page
    baseline = len(captured)
    # More teams cost no more queries.
    from matching.services import rematch_need

    from .conftest import shop

    for km in (5, 15, 25, 35):
        shop(9000, km_north=-km)
    rematch_need(need_id=managed_team.need_id)
    propose_for_needs([managed_team.need_id])
    with django_assert_max_num_queries(baseline):
        facility_manager.get(url)


def test_the_action_proposes_for_chosen_needs(scheme_admin: Client, area: Area) -> None:
    response = scheme_admin.post(
        "/admin/schemes/need/",
        {"action": "propose_consortia", "_selected_action": [area.need.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Teams proposed for 1 need(s)" in response.content.decode()
    assert Consortium.objects.filter(need=area.need).exists()


def test_a_manager_cannot_change_or_delete_a_team(
    facility_manager: Client, managed_team: Consortium
) -> None:
    url = f"/admin/consortia/consortium/{managed_team.pk}/delete/"
    assert facility_manager.post(url, {"post": "yes"}).status_code == 403
    assert Consortium.objects.filter(pk=managed_team.pk).exists()
