"""The MSME composite test, defined once: in Python for one enterprise, in SQL for many.

An enterprise is in the smallest category whose investment AND turnover limits both hold; above
medium it is not an MSME. ``MsmeClassification`` holds the limits in force on one date, smallest
first, and builds both forms of the test from them, so ``Supplier.save()``, demo seeding, imports
and the set-based reclassification all apply the same rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Case, CharField, Value, When

from .choices import CATEGORY_ORDER, MsmeCategory


class NoLimitsInForce(ValueError):
    """No MSME limits cover the date asked about: an error, never a guess."""


class _Limit(Protocol):
    category: str
    max_investment_rupees: int
    max_turnover_rupees: int


@dataclass(frozen=True)
class CategoryLimit:
    category: str
    max_investment_rupees: int
    max_turnover_rupees: int


@dataclass(frozen=True)
class MsmeClassification:
    """The MSME limits in force on ``on``, smallest category first."""

    on: datetime.date
    limits: tuple[CategoryLimit, ...]

    @classmethod
    def from_limits(cls, limits: Iterable[_Limit], *, on: datetime.date) -> MsmeClassification:
        by_category = {limit.category: limit for limit in limits}
        if not by_category:
            raise NoLimitsInForce(
                f"No MSME limits are in force on {on.isoformat()}; load reference data."
            )
        return cls(
            on=on,
            limits=tuple(
                CategoryLimit(
                    category=str(category.value),
                    max_investment_rupees=by_category[category].max_investment_rupees,
                    max_turnover_rupees=by_category[category].max_turnover_rupees,
                )
                for category in CATEGORY_ORDER
                if category in by_category
            ),
        )

    def category_for(self, *, investment: int, turnover: int) -> str:
        """The category of one enterprise with these figures (₹)."""
        for limit in self.limits:
            if investment <= limit.max_investment_rupees and turnover <= limit.max_turnover_rupees:
                return limit.category
        return MsmeCategory.NOT_MSME.value

    def expression(self, *, investment: str, turnover: str) -> Case:
        """The same test as a SQL ``CASE`` over the named fields, for set-based updates."""
        return Case(
            *[
                When(
                    **{
                        f"{investment}__lte": limit.max_investment_rupees,
                        f"{turnover}__lte": limit.max_turnover_rupees,
                    },
                    then=Value(limit.category),
                )
                for limit in self.limits
            ],
            default=Value(MsmeCategory.NOT_MSME.value),
            output_field=CharField(),
        )
