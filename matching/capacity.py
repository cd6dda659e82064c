"""Committed capacity, defined once: what shortlists and engagements take of a supplier.

A match that is shortlisted or engaged (``COMMITTING``) for an open need commits its
``committed_quantity`` of the supplier's monthly capacity for the need's process, or the need's
own monthly quantity when the facility entered none; closing the need, declining or the MSME's
withdrawal gives it back (``Match.objects.committing``). A commitment counts against a
capability stated in the same unit (pieces are not kilograms); a need without a monthly
quantity commits nothing unless a quantity is entered. Free capacity is the capability's
monthly capacity less what is committed to other needs: a match never competes with its own
commitment.

The reference engine reads commitments through ``load_commitments``; the in-database engine
through ``COMMITTED_SQL``, the same definition as SQL. ``tests/matching/test_bulk.py`` holds
them to the same table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, QuerySet, Value
from django.db.models.functions import Coalesce

from vendors.models import SupplierCapability

from .models import COMMITTING, Match

ZERO = Decimal(0)

# What one committing match takes, in its need's unit.
COMMITMENT = Coalesce(
    F("committed_quantity"),
    F("need__min_monthly_capacity"),
    Value(ZERO),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)


def commitment_of(
    *, status: str, committed_quantity: Decimal | None, need_quantity: Decimal | None
) -> Decimal | None:
    """What a match with this status takes of its supplier's capacity (the entered quantity,
    else the need's monthly quantity, else nothing), or None when it holds none. ``COMMITMENT``
    is this as an ORM expression, ``COMMITTED_SQL`` as SQL."""
    if status not in COMMITTING:
        return None
    if committed_quantity is not None:
        return committed_quantity
    return need_quantity or ZERO


# The same as SQL, over ``matching_match m`` joined to its need ``n``: one row per committing
# match, with the process and unit it commits in.
COMMITTED_SQL = """
SELECT m.supplier_id, m.need_id, n.process_id, n.unit,
       COALESCE(m.committed_quantity, n.min_monthly_capacity, 0) AS quantity
  FROM matching_match m
  JOIN schemes_need n ON n.id = m.need_id
 WHERE m.status IN ({statuses}) AND n.status = 'open'
""".format(statuses=", ".join(f"'{status}'" for status in COMMITTING))


@dataclass(frozen=True)
class Commitment:
    need_id: int
    unit: str
    quantity: Decimal


def commitments(
    *, supplier_ids: Iterable[int] | None = None, process_ids: Iterable[int] | None = None
) -> QuerySet:
    """Committing matches as rows: supplier_id, need_id, process_id, unit, quantity."""
    rows = Match.objects.committing()
    if supplier_ids is not None:
        rows = rows.filter(supplier_id__in=set(supplier_ids))
    if process_ids is not None:
        rows = rows.filter(need__process_id__in=set(process_ids))
    return (
        rows.order_by("supplier_id", "need_id")
        .annotate(process_id=F("need__process_id"), unit=F("need__unit"), quantity=COMMITMENT)
        .values_list("supplier_id", "need_id", "process_id", "unit", "quantity")
    )


def load_commitments(
    *, supplier_ids: Iterable[int] | None = None, process_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], tuple[Commitment, ...]]:
    """Each (supplier, process)'s commitments, in one query."""
    held: dict[tuple[int, int], list[Commitment]] = defaultdict(list)
    for supplier_id, need_id, process_id, unit, quantity in commitments(
        supplier_ids=supplier_ids, process_ids=process_ids
    ):
        held[(supplier_id, process_id)].append(Commitment(need_id, unit, quantity))
    return defaultdict(tuple, {key: tuple(value) for key, value in held.items()})


def committed_elsewhere(
    held: Iterable[Commitment], *, unit: str, need_id: int | None = None
) -> Decimal:
    """What these commitments take in ``unit``, leaving out the one to ``need_id``."""
    return sum((c.quantity for c in held if c.unit == unit and c.need_id != need_id), start=ZERO)


@dataclass(frozen=True)
class FreeCapacity:
    """A capability's monthly capacity and how much of it is promised."""

    supplier_id: int
    process_id: int
    capacity: Decimal | None
    unit: str
    committed: Decimal

    @property
    def free(self) -> Decimal | None:
        """Capacity not promised to any need (never below zero); None when unstated."""
        if self.capacity is None:
            return None
        return max(ZERO, self.capacity - self.committed)

    @property
    def free_share(self) -> float | None:
        if not self.capacity:
            return None
        return float(self.free / self.capacity)


def free_capacities(
    *, supplier_ids: Iterable[int] | None = None, process_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], FreeCapacity]:
    """Free capacity of each (supplier, process) capability, in two queries."""
    supplier_ids = None if supplier_ids is None else set(supplier_ids)
    process_ids = None if process_ids is None else set(process_ids)
    capabilities = SupplierCapability.objects.all()
    if supplier_ids is not None:
        capabilities = capabilities.filter(supplier_id__in=supplier_ids)
    if process_ids is not None:
        capabilities = capabilities.filter(process_id__in=process_ids)
    held = load_commitments(supplier_ids=supplier_ids, process_ids=process_ids)
    return {
        (supplier_id, process_id): FreeCapacity(
            supplier_id,
            process_id,
            capacity,
            unit,
            committed_elsewhere(held[(supplier_id, process_id)], unit=unit),
        )
        for supplier_id, process_id, capacity, unit in capabilities.order_by(
            "supplier_id", "process_id"
        ).values_list("supplier_id", "process_id", "monthly_capacity", "capacity_unit")
    }


def free_for_need(
    *, supplier_id: int, need_id: int, process_id: int, lock: bool = False
) -> FreeCapacity | None:
    """The supplier's capacity for a need's process, with what it has committed to *other*
    needs (what a commitment to this one may take); None if it does not offer the process.
    ``lock``: hold the capability's row until the transaction ends, so two decisions about the
    same capacity are counted one after the other."""
    capabilities = SupplierCapability.objects.filter(supplier_id=supplier_id, process_id=process_id)
    if lock:
        capabilities = capabilities.select_for_update()
    stated = capabilities.values_list("monthly_capacity", "capacity_unit").first()
    if stated is None:
        return None
    key = (supplier_id, process_id)
    held = load_commitments(supplier_ids=[supplier_id], process_ids=[process_id])[key]
    elsewhere = committed_elsewhere(held, unit=stated[1], need_id=need_id)
    return FreeCapacity(supplier_id, process_id, stated[0], stated[1], elsewhere)
