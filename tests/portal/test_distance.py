"""Distance on the owner's match pages: computed by the database on read, filtered by "within
N km", and "distance unknown" where a coordinate is missing."""

from __future__ import annotations

import pytest
from django.test import Client

from clusters.geo import great_circle_km
from matching.models import Match
from portal.selectors import km
from tests.factories import (
    ClusterFactory,
    DistrictFactory,
    FacilityFactory,
    MatchFactory,
    NeedFactory,
    SupplierFactory,
    UserFactory,
)
from vendors.models import Supplier

pytestmark = pytest.mark.django_db

HOSUR = (12.74, 77.83)
KRISHNAGIRI = (12.52, 78.21)  # ~48 km from Hosur
CHENNAI = (13.08, 80.27)  # ~267 km
RAJKOT = (22.30, 70.80)  # ~1,290 km


@pytest.fixture
def owner():
    return UserFactory(username="owner@hosur.in")


@pytest.fixture
def supplier(owner) -> Supplier:
    district = DistrictFactory(name="Krishnagiri", latitude=HOSUR[0], longitude=HOSUR[1])
    return SupplierFactory(owner=owner, district=district)


def need_at(title: str, *, site=None, cluster_centre=None, no_cluster: bool = False):
    cluster = (
        None
        if no_cluster or site
        else ClusterFactory(centre_latitude=cluster_centre[0], centre_longitude=cluster_centre[1])
    )
    facility = FacilityFactory(
        cluster=cluster,
        site_latitude=site[0] if site else None,
        site_longitude=site[1] if site else None,
    )
    return NeedFactory(title=title, facility=facility)


@pytest.fixture
def matches(supplier) -> dict[str, Match]:
    return {
        "near": MatchFactory(supplier=supplier, need=need_at("Near need", site=KRISHNAGIRI)),
        "chennai": MatchFactory(
            supplier=supplier, need=need_at("Chennai need", cluster_centre=CHENNAI)
        ),
        "far": MatchFactory(supplier=supplier, need=need_at("Rajkot need", site=RAJKOT)),
        "unknown": MatchFactory(supplier=supplier, need=need_at("Unplaced need", no_cluster=True)),
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(response) -> list[str]:
    return [row.match.need.title for row in response.context["rows"]]


def test_each_row_shows_the_km_to_the_site_or_that_it_is_unknown(owner, matches) -> None:
    response = logged_in(owner).get("/me/matches/")
    page = response.content.decode()

    near = round(great_circle_km(*HOSUR, *KRISHNAGIRI))
    chennai = round(great_circle_km(*HOSUR, *CHENNAI))  # the cluster's centre: no site yet
    far = great_circle_km(*HOSUR, *RAJKOT)
    assert f"{near} km to the site" in page
    assert f"{chennai} km to the site" in page
    assert f"{km(far)} km to the site" in page and km(far).startswith("1,")  # Indian grouping
    assert "distance unknown" in page
    by_title = {row.match.need.title: row.match.distance_km for row in response.context["rows"]}
    assert by_title["Rajkot need"] == pytest.approx(far, rel=1e-12)
    assert by_title["Unplaced need"] is None


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        ("50", {"Near need"}),
        ("100", {"Near need"}),
        ("500", {"Near need", "Chennai need"}),
        ("", {"Near need", "Chennai need", "Rajkot need", "Unplaced need"}),
    ],
)
def test_the_within_filter_keeps_needs_that_near_and_drops_unknown_distances(
    owner, matches, within: str, expected: set[str]
) -> None:
    response = logged_in(owner).get("/me/matches/", {"within": within})

    assert set(titles(response)) == expected


def test_a_supplier_without_coordinates_sees_distance_unknown_everywhere(
    owner, supplier, matches
) -> None:
    Supplier.objects.filter(pk=supplier.pk).update(latitude=None, longitude=None)
    client = logged_in(owner)

    assert titles(client.get("/me/matches/", {"within": "500"})) == []
    page = client.get("/me/matches/").content.decode()
    assert page.count("distance unknown") == 4


def test_a_bad_distance_is_ignored_with_the_other_filters(owner, matches) -> None:
    response = logged_in(owner).get("/me/matches/", {"within": "70000"})

    assert len(titles(response)) == 4
    assert "within" in response.context["filters"].errors


def test_the_match_page_shows_the_distance_and_says_when_it_is_to_the_clusters_centre(
    owner, matches
) -> None:
    client = logged_in(owner)

    near = client.get(f"/me/matches/{matches['near'].pk}/").content.decode()
    chennai = client.get(f"/me/matches/{matches['chennai'].pk}/").content.decode()
    unknown = client.get(f"/me/matches/{matches['unknown'].pk}/").content.decode()

    assert f"{round(great_circle_km(*HOSUR, *KRISHNAGIRI))} km" in near
    assert "to the cluster's centre" not in near
    assert f"{round(great_circle_km(*HOSUR, *CHENNAI))} km" in chennai
    assert "to the cluster's centre, until the site is known" in chennai
    assert "distance unknown" in unknown


def test_hindi_pages_say_the_distance_in_hindi(owner, matches) -> None:
    client = logged_in(owner)
    page = client.get("/hi/me/matches/", {"within": "50"}).content.decode()
    detail = client.get(f"/hi/me/matches/{matches['chennai'].pk}/").content.decode()
    unknown = client.get(f"/hi/me/matches/{matches['unknown'].pk}/").content.decode()

    assert f"स्थल तक {round(great_circle_km(*HOSUR, *KRISHNAGIRI))} किमी" in page
    assert "50 किमी के भीतर" in page  # the filter's choice
    assert f"{round(great_circle_km(*HOSUR, *CHENNAI))} किमी" in detail
    assert "स्थल तय होने तक, क्लस्टर के केंद्र तक" in detail
    assert "दूरी ज्ञात नहीं" in unknown
