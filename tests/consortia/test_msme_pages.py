"""The MSME's pages: the teams its enterprise is proposed for, and answering its place.

Personas (healthchecks' alice, bob, charlie): alice owns the team's lead, bob a partner,
charlie a shop in no team."""

from __future__ import annotations

import pytest
from django.test import Client

from consortia.models import Consortium, ConsortiumMember
from consortia.services import propose_for_needs
from schemes.models import Need
from taxonomy.formatting import number
from tests.factories import UserFactory
from vendors.models import Supplier

from .conftest import Area


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(area: Area) -> Consortium:
    propose_for_needs([area.need.pk])
    return Consortium.objects.get(need=area.need, rank=1)


@pytest.fixture
def alice(team: Consortium) -> object:
    user = UserFactory(username="alice@hosur.in")
    Supplier.objects.filter(pk=team.members.get(role="lead").supplier_id).update(owner=user)
    return user


@pytest.fixture
def bob(team: Consortium) -> object:
    user = UserFactory(username="bob@hosur.in")
    partner = team.members.filter(role="partner").order_by("supplier_id").first()
    Supplier.objects.filter(pk=partner.supplier_id).update(owner=user)
    return user


@pytest.fixture
def charlie(area: Area) -> object:
    user = UserFactory(username="charlie@hosur.in")
    Supplier.objects.filter(pk=area.too_far.pk).update(owner=user)
    return user


def test_the_dashboard_links_to_the_teams(alice, charlie) -> None:
    page = logged_in(alice).get("/me/").content.decode()
    assert "/me/consortia/" in page
    assert "/me/consortia/" not in logged_in(charlie).get("/me/").content.decode()


def test_the_list_shows_the_team_and_its_line(alice, team: Consortium) -> None:
    page = logged_in(alice).get("/me/consortia/").content.decode()
    assert f"/me/consortia/{team.pk}/" in page
    assert "km of Hosur" in page
    assert "You would lead" in page


def test_the_detail_names_the_members_and_the_shares(alice, team: Consortium) -> None:
    response = logged_in(alice).get(f"/me/consortia/{team.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accept my place" in page and "Decline my place" in page
    for member in team.members.all():
        assert f"{number(member.share)} pieces a month, of {number(member.free_capacity)}" in page
    assert "Your enterprise" in page


def test_accepting_records_the_answer(alice, team: Consortium) -> None:
    client = logged_in(alice)
    response = client.post(f"/me/consortia/{team.pk}/answer/", {"answer": "accept"}, follow=True)
    assert "You accepted your place" in response.content.decode()
    lead = team.members.get(role="lead")
    assert lead.response == ConsortiumMember.Response.ACCEPTED


def test_everyone_accepting_forms_the_team(team: Consortium) -> None:
    for member in team.members.all():
        owner = UserFactory()
        Supplier.objects.filter(pk=member.supplier_id).update(owner=owner)
        logged_in(owner).post(f"/me/consortia/{team.pk}/answer/", {"answer": "accept"})
    team.refresh_from_db()
    assert team.status == Consortium.Status.FORMED


def test_declining_makes_the_team_fall_through_and_others_cannot_accept(
    alice, bob, team: Consortium
) -> None:
    logged_in(bob).post(f"/me/consortia/{team.pk}/answer/", {"answer": "decline"})
    team.refresh_from_db()
    assert team.status == Consortium.Status.FALLEN
    response = logged_in(alice).post(
        f"/me/consortia/{team.pk}/answer/", {"answer": "accept"}, follow=True
    )
    assert "fallen through" in response.content.decode()
    assert team.members.get(role="lead").response == ConsortiumMember.Response.PENDING


def test_accepting_a_stale_team_is_refused_with_a_reason(alice, area: Area, team) -> None:
    client = logged_in(alice)
    client.post(f"/me/consortia/{team.pk}/answer/", {"answer": "accept"})
    Need.objects.filter(pk=area.need.pk).update(status=Need.Status.CLOSED)
    propose_for_needs([area.need.pk])
    team.refresh_from_db()
    assert team.status == Consortium.Status.STALE
    page = client.get(f"/me/consortia/{team.pk}/").content.decode()
    assert "Accept my place" not in page
    response = client.post(f"/me/consortia/{team.pk}/answer/", {"answer": "decline"}, follow=True)
    assert "no longer works for the need" in response.content.decode()
    assert team.members.get(role="lead").response == ConsortiumMember.Response.ACCEPTED


def test_it_hides_another_enterprises_team(charlie, team: Consortium) -> None:
    client = logged_in(charlie)
    assert client.get(f"/me/consortia/{team.pk}/").status_code == 404
    assert client.post(f"/me/consortia/{team.pk}/answer/", {"answer": "decline"}).status_code == 404
    team.refresh_from_db()
    assert team.status == Consortium.Status.PROPOSED
    assert not team.members.exclude(response="pending").exists()
    assert f"/me/consortia/{team.pk}/" not in client.get("/me/consortia/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(team: Consortium) -> None:
    response = Client().get(f"/me/consortia/{team.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_answering_needs_a_post(alice, team: Consortium) -> None:
    assert logged_in(alice).get(f"/me/consortia/{team.pk}/answer/").status_code == 405


def test_the_pages_speak_hindi(alice, team: Consortium) -> None:
    response = logged_in(alice).get(f"/hi/me/consortia/{team.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in page  # names entered in English are marked
    assert "मेरा स्थान स्वीकार करें" in page  # "Accept my place", in Hindi


def test_the_pages_take_a_bounded_number_of_queries(
    alice, area: Area, team: Consortium, django_assert_max_num_queries
) -> None:
    client = logged_in(alice)
    # session, user, the enterprise (with whether it has a place), the consortia, their
    # members with suppliers and districts, the switcher: 6, then a few for the messages.
    with django_assert_max_num_queries(8):
        assert client.get("/me/consortia/").status_code == 200
    # session, user, the enterprise, the consortium with need and facility, its members, the
    # switcher: 6.
    with django_assert_max_num_queries(8):
        assert client.get(f"/me/consortia/{team.pk}/").status_code == 200
    # More teams and members cost no more queries.
    from tests.consortia.conftest import shop

    for km in (5, 15, 25, 35):
        shop(9000, km_north=-km)
    from matching.services import rematch_need

    rematch_need(need_id=area.need.pk)
    propose_for_needs([area.need.pk])
    with django_assert_max_num_queries(8):
        assert client.get("/me/consortia/").status_code == 200
