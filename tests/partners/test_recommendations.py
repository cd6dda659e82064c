"""``/api/v1/recommendations/``: the recommended allocation, scoped like needs, paged by need."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from allocation.services import allocate_all
from matching.services import matches_sync
from partners.services import api_key_create, partner_ensure
from tests import factories as f
from tests.matching.conftest import SITE, supplier_near

from .conftest import auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocated() -> dict[str, Any]:
    """Two facilities with three needs each; one large shop that only one need of each
    facility can have, and a smaller one."""
    cluster = f.ClusterFactory(centre_latitude=SITE[0], centre_longitude=SITE[1])
    facility_a, facility_b = f.FacilityFactory(cluster=cluster), f.FacilityFactory(cluster=cluster)
    needs = {
        facility: [
            f.NeedFactory(facility=facility, min_monthly_capacity=Decimal(3000)) for _ in range(3)
        ]
        for facility in (facility_a, facility_b)
    }
    for km, capacity in ((5, 10000), (40, 6000), (80, 3000)):
        supplier_near(km, monthly_capacity=Decimal(capacity))
    matches_sync(need_ids=[n.pk for listed in needs.values() for n in listed])
    allocate_all()
    _, key_a = api_key_create(partner=partner_ensure(name="A", facilities=[facility_a]))
    _, key_b = api_key_create(partner=partner_ensure(name="B", facilities=[facility_b]))
    _, agency = api_key_create(partner=partner_ensure(name="Agency"))
    return {"needs": needs, "a": facility_a, "key_a": key_a, "key_b": key_b, "agency": agency}


def test_a_partner_reads_its_own_needs_recommendations_with_why(allocated) -> None:
    response = Client().get("/api/v1/recommendations/", **auth(allocated["key_a"]))

    assert response.status_code == 200
    results = response.json()["results"]
    own = {n.pk for n in allocated["needs"][allocated["a"]]}
    assert {r["need"]["id"] for r in results} == own
    assert all(r["need"]["facility"] == allocated["a"].slug for r in results)
    assert all(r["text"].startswith("Recommended: ") for r in results)
    # Never more than a supplier has: 10,000 + 6,000 + 3,000 across six needs of 3,000.
    taken: dict[int, float] = {}
    everything = Client().get("/api/v1/recommendations/", **auth(allocated["agency"])).json()
    for row in everything["results"]:
        taken[row["supplier"]["id"]] = taken.get(row["supplier"]["id"], 0) + row["quantity"]
    assert len(everything["results"]) == 6
    assert sorted(taken.values()) == [3000, 6000, 9000]


def test_another_partners_and_no_key(allocated) -> None:
    other = allocated["needs"][allocated["a"]][0].pk
    filtered = Client().get("/api/v1/recommendations/", {"need": other}, **auth(allocated["key_b"]))
    assert filtered.status_code == 200 and filtered.json()["results"] == []
    assert Client().get("/api/v1/recommendations/").status_code == 401


@pytest.mark.parametrize("page_size", [1, 2, 50])
def test_pages_by_need_at_a_flat_query_count(
    allocated, page_size: int, django_assert_max_num_queries: Any
) -> None:
    seen: list[int] = []
    url = f"/api/v1/recommendations/?page_size={page_size}"
    while url:
        # the key, its facilities, the last use, the page (joined), the notes: whatever the size.
        with django_assert_max_num_queries(5):
            body = Client().get(url, **auth(allocated["agency"])).json()
        seen += [row["need"]["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 6
