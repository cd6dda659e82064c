"""A need for 60,000 pieces a month near Hosur that no single shop can serve, and the shops
around it: five that fail only capacity, and others that fail something else too."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from matching.services import rematch_need
from schemes.models import Need
from tests import factories as f
from vendors.models import Supplier

SITE = (12.74, 77.83)  # the factories' cluster centre (near Hosur)
KM_PER_DEGREE = 111.195


@dataclass
class Area:
    need: Need
    # free monthly capacity (pieces) → supplier, for the five capacity near misses
    shops: dict[int, Supplier]
    too_far: Supplier
    too_coarse: Supplier
    other_unit: Supplier


def shop(
    capacity: int | None,
    *,
    km_north: float = 0.0,
    km_east: float = 0.0,
    tolerance: str = "5",
    unit: str = "pieces",
    owner: object = None,
    name: str = "",
) -> Supplier:
    district = f.DistrictFactory(
        latitude=SITE[0] + km_north / KM_PER_DEGREE,
        longitude=SITE[1] + km_east / KM_PER_DEGREE,
        headquarters="Hosur" if km_north == km_east == 0 else f"Town {km_north:g}/{km_east:g}",
    )
    supplier = f.SupplierFactory(
        district=district, state=district.state, owner=owner, **({"name": name} if name else {})
    )
    f.SupplierCapabilityFactory(
        supplier=supplier,
        process=f.ProcessFactory(),
        monthly_capacity=None if capacity is None else Decimal(capacity),
        capacity_unit=unit,
        best_tolerance_um=Decimal(tolerance),
    )
    return supplier


def big_need(**kwargs: object) -> Need:
    facility = f.FacilityFactory(
        cluster=f.ClusterFactory(centre_latitude=SITE[0], centre_longitude=SITE[1])
    )
    values = {
        "facility": facility,
        "process": f.ProcessFactory(),
        "title": "Magnet carrier shafts",
        "quantity": Decimal("720000"),
        "min_monthly_capacity": Decimal("60000"),
        "max_tolerance_um": Decimal("10"),
        "radius_km": 300,
    } | kwargs
    return f.NeedFactory(**values)


@pytest.fixture
def area(db: None) -> Area:
    need = big_need()
    shops = {
        25000: shop(25000),
        20000: shop(20000, km_north=20),
        15000: shop(15000, km_east=30),
        12000: shop(12000, km_north=-25),
        8000: shop(8000, km_north=10, km_east=10),
    }
    too_far = shop(30000, km_north=400)  # fails radius and capacity: no near miss
    too_coarse = shop(30000, km_north=5, tolerance="50")  # fails tolerance and capacity
    other_unit = shop(30000, km_east=5, unit="kg")  # capacity in kg: fails only capacity
    rematch_need(need_id=need.pk)
    return Area(need, shops, too_far, too_coarse, other_unit)
