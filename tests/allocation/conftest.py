"""A small process to allocate: needs of one facility, suppliers with stated capacities, and
their stored full matches (written directly: the matcher is not under test here)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from matching.models import Match
from schemes.models import Need
from taxonomy.models import Process
from tests.factories import (
    FacilityFactory,
    MatchFactory,
    NeedFactory,
    ProcessFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
)
from vendors.models import Supplier


@dataclass
class Shop:
    """A process with two needs and three suppliers.

    need A (5,000 pcs) scores 90 at big, 60 at small, 50 at spare;
    need B (5,000 pcs) scores 80 at big, 75 at small.
    big has 6,000 pcs free: one need only. The best total is A→big, B→small (165).
    """

    process: Process
    need_a: Need
    need_b: Need
    big: Supplier
    small: Supplier
    spare: Supplier
    matches: dict[tuple[str, str], Match]


@pytest.fixture
def shop(db: None) -> Shop:
    process = ProcessFactory()
    facility = FacilityFactory()
    need_a = NeedFactory(facility=facility, process=process, min_monthly_capacity=Decimal(5000))
    need_b = NeedFactory(facility=facility, process=process, min_monthly_capacity=Decimal(5000))
    suppliers = {}
    for name, capacity in (("big", 6000), ("small", 5000), ("spare", 8000)):
        suppliers[name] = SupplierFactory(name=f"{name.title()} Works")
        SupplierCapabilityFactory(
            supplier=suppliers[name], process=process, monthly_capacity=Decimal(capacity)
        )
    matches = {}
    for need_name, need, supplier_name, score in (
        ("a", need_a, "big", "90"),
        ("a", need_a, "small", "60"),
        ("a", need_a, "spare", "50"),
        ("b", need_b, "big", "80"),
        ("b", need_b, "small", "75"),
    ):
        matches[(need_name, supplier_name)] = MatchFactory(
            need=need, supplier=suppliers[supplier_name], score=Decimal(score)
        )
    return Shop(process, need_a, need_b, **suppliers, matches=matches)
