"""Template filters over the formatting layer (``taxonomy.formatting``): ``{% load indian %}``.

``{{ need.quantity|quantity:need.unit }}`` → 12,00,000 pieces; ``{{ figure|number }}``,
``{{ amount|rupees }}``, ``{{ scheme.total_outlay_crore|crore }}``, ``{{ rupees|lakh_crore }}``,
``{{ tolerance|quantity:"µm" }}``, ``{{ due_date|indian_date }}`` (``:"long"`` for 15 December
2025). A missing figure (None or "") prints nothing, as Django's own filters do.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django import template

from taxonomy import formatting

register = template.Library()

Figure = Decimal | int | float | str | None


def _missing(value: object) -> bool:
    return value is None or value == ""


def _figure(value: Decimal | int | float | str) -> Decimal | int | float:
    return Decimal(value) if isinstance(value, str) else value


@register.filter
def number(value: Figure) -> str:
    return "" if _missing(value) else formatting.number(_figure(value))


@register.filter
def rupees(value: Figure) -> str:
    return "" if _missing(value) else formatting.rupees(_figure(value))


@register.filter
def crore(value: Figure) -> str:
    return "" if _missing(value) else formatting.crore(_figure(value))


@register.filter
def lakh_crore(value: Figure) -> str:
    return "" if _missing(value) else formatting.lakh_crore(_figure(value))


@register.filter
def quantity(value: Figure, unit: str) -> str:
    return "" if _missing(value) else formatting.quantity(_figure(value), unit)


@register.filter
def indian_date(
    value: datetime.date | datetime.datetime | None, style: Literal["short", "long"] = "short"
) -> str:
    return "" if _missing(value) else formatting.indian_date(value, style)
