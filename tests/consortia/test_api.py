"""``/api/v1/consortia/``: the scope matrix (partner A, partner B, a read-only agency, no key),
filters, paging and a query count that does not grow with the page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from consortia.models import Consortium
from consortia.services import member_respond, propose_for_needs
from matching.services import rematch_need
from partners.models import Partner
from partners.services import api_key_create, partner_ensure

from .conftest import Area, big_need, shop


@dataclass
class Keys:
    a: str
    b: str
    agency: str


@dataclass
class Teams:
    a: Consortium  # facility A's best team
    b: Consortium  # facility B's


def auth(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def teams(area: Area) -> Teams:
    other = big_need()
    shop(40000, km_north=100, km_east=100)
    shop(30000, km_north=110, km_east=100)
    rematch_need(need_id=other.pk)
    propose_for_needs([area.need.pk, other.pk])
    return Teams(
        Consortium.objects.get(need=area.need, rank=1), Consortium.objects.get(need=other, rank=1)
    )


@pytest.fixture
def keys(teams: Teams) -> Keys:
    partner_a = partner_ensure(name="Anchor A", facilities=[teams.a.need.facility])
    partner_b = partner_ensure(name="Anchor B", facilities=[teams.b.need.facility])
    agency = partner_ensure(name="State agency", kind=Partner.Kind.STATE_AGENCY)
    return Keys(
        api_key_create(partner=partner_a)[1],
        api_key_create(partner=partner_b)[1],
        api_key_create(partner=agency)[1],
    )


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_partner_lists_only_its_needs_teams(teams: Teams, keys: Keys) -> None:
    client = Client()
    a_ids = set(Consortium.objects.filter(need=teams.a.need_id).values_list("pk", flat=True))
    b_ids = set(Consortium.objects.filter(need=teams.b.need_id).values_list("pk", flat=True))
    assert ids(client.get("/api/v1/consortia/", **auth(keys.a))) == a_ids
    assert ids(client.get("/api/v1/consortia/", **auth(keys.b))) == b_ids
    assert ids(client.get("/api/v1/consortia/", **auth(keys.agency))) == a_ids | b_ids
    assert client.get("/api/v1/consortia/").status_code == 401


@pytest.mark.parametrize(
    ("who", "team", "status"),
    [("a", "a", 200), ("a", "b", 404), ("b", "a", 404), ("b", "b", 200), ("agency", "a", 200)],
)
def test_another_partners_team_is_a_404(teams: Teams, keys: Keys, who, team, status) -> None:
    consortium = getattr(teams, team)
    response = Client().get(f"/api/v1/consortia/{consortium.pk}/", **auth(getattr(keys, who)))
    assert response.status_code == status
    if status == 404:
        assert response.json()["type"] == "client_error"


def test_a_team_carries_its_members_answers_and_explanation(teams: Teams, keys: Keys) -> None:
    lead = teams.a.members.get(role="lead")
    member_respond(consortium=teams.a, supplier_id=lead.supplier_id, accept=True)
    data = Client().get(f"/api/v1/consortia/{teams.a.pk}/", **auth(keys.a)).json()
    assert data["need"]["id"] == teams.a.need_id
    assert data["explanation"]["code"] == "team"
    assert "km of Hosur" in data["explanation"]["text"]
    members = data["members"]
    assert sum(m["share"] for m in members) == 60000
    assert [m["role"] for m in members].count("lead") == 1
    assert {m["response"] for m in members if m["role"] == "lead"} == {"accepted"}


def test_filters_by_need_facility_and_status(teams: Teams, keys: Keys) -> None:
    client = Client()
    by_need = client.get(f"/api/v1/consortia/?need={teams.b.need_id}", **auth(keys.agency))
    assert ids(by_need) == set(
        Consortium.objects.filter(need=teams.b.need_id).values_list("pk", flat=True)
    )
    slug = teams.a.need.facility.slug
    assert ids(client.get(f"/api/v1/consortia/?facility={slug}", **auth(keys.agency))) == set(
        Consortium.objects.filter(need=teams.a.need_id).values_list("pk", flat=True)
    )
    assert ids(client.get("/api/v1/consortia/?status=formed", **auth(keys.agency))) == set()
    for bad in ("status=nope", "need=0", "facility=nowhere", "colour=red", "need="):
        response = client.get(f"/api/v1/consortia/?{bad}", **auth(keys.agency))
        assert response.status_code == 400, bad
        assert response.json()["type"] == "validation_error"


def test_pages_follow_the_cursor_in_flat_queries(
    teams: Teams, keys: Keys, django_assert_max_num_queries
) -> None:
    client = Client()
    total = Consortium.objects.count()
    assert total >= 2
    seen: set[int] = set()
    url = "/api/v1/consortia/?page_size=1"
    while url:
        # the key, its scope and its last use (the first request only; then cached), the
        # page, its members: 5 at most, whatever the page size.
        with django_assert_max_num_queries(5):
            response = client.get(url, **auth(keys.agency))
        seen |= ids(response)
        url = response.json()["next"]
    assert len(seen) == total
    with django_assert_max_num_queries(4):
        assert (
            len(ids(client.get("/api/v1/consortia/?page_size=200", **auth(keys.agency)))) == total
        )
