"""A small process to allocate: needs of one facility, suppliers with stated capacities, and
their stored full matches (written directly: the matcher is not under test here)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache

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


SCORES = (
    ("a", "big", "90"),
    ("a", "small", "60"),
    ("a", "spare", "50"),
    ("b", "big", "80"),
    ("b", "small", "75"),
)


def build_shop() -> Shop:
    process = ProcessFactory()
    facility = FacilityFactory()
    needs = {
        name: NeedFactory(facility=facility, process=process, min_monthly_capacity=Decimal(5000))
        for name in ("a", "b")
    }
    suppliers = {}
    for name, capacity in (("big", 6000), ("small", 5000), ("spare", 8000)):
        suppliers[name] = SupplierFactory(name=f"{name.title()} Works")
        SupplierCapabilityFactory(
            supplier=suppliers[name], process=process, monthly_capacity=Decimal(capacity)
        )
    return Shop(process, needs["a"], needs["b"], **suppliers, matches={})


def write_matches(shop: Shop) -> Shop:
    """The shop's stored full matches, whatever a rematch wrote before."""
    needs = {"a": shop.need_a, "b": shop.need_b}
    Match.objects.filter(need__in=needs.values()).delete()
    for need_name, supplier_name, score in SCORES:
        shop.matches[(need_name, supplier_name)] = MatchFactory(
            need=needs[need_name], supplier=getattr(shop, supplier_name), score=Decimal(score)
        )
    return shop


@pytest.fixture
def shop(db: None) -> Shop:
    return write_matches(build_shop())


@pytest.fixture
def settled_shop(task_runner: None) -> Shop:
    """The shop for tests where tasks run (transactional): its rows committed at once, the
    rematches they queue finished, then the matches written as the shop describes them."""
    from django.db import transaction

    from allocation.models import AllocationRun
    from tests.conftest import matcher_settled
    from tests.test_celery_worker import wait_until

    with transaction.atomic():
        built = build_shop()
    # The shop's rematches re-allocate its process (as they should): let them finish, then
    # start each test with no run and no debounce marker left.
    assert wait_until(matcher_settled, timeout=60)
    AllocationRun.objects.all().delete()
    cache.delete_many([f"allocation:pending:process:{built.process.pk}"])
    return write_matches(built)
