"""Great-circle distance: the ORM expression the pages compute on read agrees with Python."""

from __future__ import annotations

import pytest
from django.db.models import Value
from django.db.models.functions import Coalesce

from clusters.geo import great_circle_km, great_circle_km_expression
from clusters.models import District
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

PLACES = {
    "Hosur": (12.74, 77.83),
    "Rajkot": (22.30, 70.80),
    "Angul": (20.84, 85.10),
    "Port Blair": (11.67, 92.74),
    "Leh": (34.16, 77.58),
}


def distance_in_the_database(lat1, lon1, lat2, lon2) -> float | None:
    """The expression evaluated by the database over one row's columns and these values."""
    district = DistrictFactory(latitude=lat1, longitude=lon1)
    expression = great_circle_km_expression(
        "latitude",
        "longitude",
        Coalesce(Value(lat2), Value(lat2)),  # expressions too, as pages pass the facility's site
        Coalesce(Value(lon2), Value(lon2)),
    )
    return District.objects.filter(pk=district.pk).annotate(km=expression).get().km


@pytest.mark.parametrize(
    ("start", "end"),
    [("Hosur", "Rajkot"), ("Hosur", "Angul"), ("Rajkot", "Port Blair"), ("Leh", "Hosur")],
)
def test_the_database_computes_the_same_distance_as_python(start: str, end: str) -> None:
    expected = great_circle_km(*PLACES[start], *PLACES[end])

    computed = distance_in_the_database(*PLACES[start], *PLACES[end])

    assert computed == pytest.approx(expected, rel=1e-12)
    assert 500 < computed < 3000


def test_the_same_place_is_zero_km_away() -> None:
    assert distance_in_the_database(*PLACES["Hosur"], *PLACES["Hosur"]) == 0


def test_a_missing_coordinate_gives_no_distance_on_every_database() -> None:
    # PostgreSQL's least(1.0, NULL) is 1.0: without the guard this would be half the globe.
    district = DistrictFactory()
    expression = great_circle_km_expression("latitude", "longitude", Value(None), Value(None))
    assert District.objects.filter(pk=district.pk).annotate(km=expression).get().km is None
