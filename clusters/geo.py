"""Geography rules: India's bounding box and great-circle distance."""

import math

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Case, Expression, F, FloatField, Value, When
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

# Mainland India plus the Andaman & Nicobar and Lakshadweep islands, with a small margin.
INDIA_MIN_LATITUDE = 6.0
INDIA_MAX_LATITUDE = 37.6
INDIA_MIN_LONGITUDE = 68.0
INDIA_MAX_LONGITUDE = 97.5
EARTH_RADIUS_KM = 6371.0088


# Bounds with their messages spelled out, so each reads naturally in English and Hindi.
latitude_validators = [
    MinValueValidator(
        INDIA_MIN_LATITUDE,
        message=_("Latitude must be inside India (6.0–37.6° N); this one is too far south."),
    ),
    MaxValueValidator(
        INDIA_MAX_LATITUDE,
        message=_("Latitude must be inside India (6.0–37.6° N); this one is too far north."),
    ),
]
longitude_validators = [
    MinValueValidator(
        INDIA_MIN_LONGITUDE,
        message=_("Longitude must be inside India (68.0–97.5° E); this one is too far west."),
    ),
    MaxValueValidator(
        INDIA_MAX_LONGITUDE,
        message=_("Longitude must be inside India (68.0–97.5° E); this one is too far east."),
    ),
]


def validate_coordinates_pair(latitude: object, longitude: object) -> None:
    """A site is either fully located or not at all: half a coordinate pair is an error."""
    if (latitude is None) != (longitude is None):
        if longitude is None:
            raise ValidationError({"longitude": _("Enter the longitude too, or clear both.")})
        raise ValidationError({"latitude": _("Enter the latitude too, or clear both.")})


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres on a spherical Earth (the matcher's radius rule).

    The same operations in the same order as ``great_circle_km_sql``, so Python and PostgreSQL
    agree to the last bit (both call the C library's sin, cos, pow, sqrt and asin).
    """
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1))
        * math.cos(math.radians(lat2))
        * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def great_circle_km_sql(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """``great_circle_km`` as a SQL expression over four double-precision columns."""
    return (
        f"2 * {EARTH_RADIUS_KM} * asin(least(1.0, sqrt("
        f"power(sin(radians({lat2} - {lat1}) / 2), 2)"
        f" + cos(radians({lat1})) * cos(radians({lat2}))"
        f" * power(sin(radians({lon2} - {lon1}) / 2), 2))))"
    )


Coordinate = F | Expression | str  # a field name, or an expression over one


def great_circle_km_expression(
    lat1: Coordinate, lon1: Coordinate, lat2: Coordinate, lon2: Coordinate
) -> Case:
    """``great_circle_km`` as an ORM expression (field names or expressions), for pages that
    compute distances on read; NULL when any coordinate is NULL.

    The same operations in the same order again. Django registers these math functions on
    SQLite (as Python's ``math``), so SQLite agrees with Python exactly. The NULL guard is
    explicit because PostgreSQL's ``least(1.0, NULL)`` is 1.0, not NULL.
    """
    lat1, lon1, lat2, lon2 = (F(c) if isinstance(c, str) else c for c in (lat1, lon1, lat2, lon2))
    a = Power(Sin(Radians(lat2 - lat1) / Value(2)), 2) + Cos(Radians(lat1)) * Cos(
        Radians(lat2)
    ) * Power(Sin(Radians(lon2 - lon1) / Value(2)), 2)
    distance = Value(2 * EARTH_RADIUS_KM) * ASin(Least(Value(1.0), Sqrt(a)))
    return Case(
        *(When(IsNull(c, True), then=Value(None)) for c in (lat1, lon1, lat2, lon2)),
        default=distance,
        output_field=FloatField(),
    )
