"""Shared fixtures for matcher tests: a need at a known site, suppliers placed around it."""

from __future__ import annotations

import pytest

from tests.factories import (
    ClusterFactory,
    DistrictFactory,
    FacilityFactory,
    NeedFactory,
    ProcessFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
)

SITE = (12.74, 77.83)  # the factories' cluster centre (near Hosur)


@pytest.fixture
def need():
    facility = FacilityFactory(
        cluster=ClusterFactory(centre_latitude=SITE[0], centre_longitude=SITE[1])
    )
    return NeedFactory(facility=facility, process=ProcessFactory())


def supplier_near(km_north: float = 0.0, **capability: object):
    """A supplier km_north of the site (1° of latitude ≈ 111.2 km) offering the need's process."""
    district = DistrictFactory(latitude=SITE[0] + km_north / 111.195, longitude=SITE[1])
    supplier = SupplierFactory(district=district, state=district.state)
    SupplierCapabilityFactory(supplier=supplier, process=ProcessFactory(), **capability)
    return supplier
