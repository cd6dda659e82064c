"""What eligibility criteria read: the facts, defined once, and how they are derived.

A ``Criterion`` names a fact by its key and compares it with a value (``operators.py``). Facts
come from a questionnaire's ``Answers`` or from a saved supplier profile, through the same
derivations (the MSME category from the limits in force on the date asked about, the kinds of
work from the processes), so the
self-check, the dashboard and the API judge alike. A new criterion over these facts is data; a
new fact is the one thing that needs code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusters.models import District, State
from taxonomy.choices import MsmeCategory
from taxonomy.classification import MsmeClassification
from taxonomy.models import (
    CapabilityCategory,
    CertificationType,
    MsmeLimit,
    Process,
    StrategicSector,
)
from vendors.models import Supplier


class FactKind(TextChoices):
    BOOLEAN = "boolean", _("yes or no")
    AMOUNT = "amount", _("an amount in rupees")
    NUMBER = "number", _("a number")
    CHOICE = "choice", _("one of a list")
    CHOICES = "choices", _("several of a list")


@dataclass(frozen=True)
class Fact:
    key: str
    label: Promise
    kind: str
    unit: str = ""  # how a figure of this fact reads: "MTPA", "%", "₹ crore"
    # The codes a criterion may name for this fact (None: figures, or yes/no), checked when an
    # administrator saves one, so a typo is an error rather than a rule nobody can meet.
    vocabulary: Callable[[], set[str]] | None = None


def _codes(model: type[models.Model], field: str) -> Callable[[], set[str]]:
    return lambda: set(model.objects.values_list(field, flat=True))


FACTS: dict[str, Fact] = {
    fact.key: fact
    for fact in [
        Fact("udyam_registered", _("Udyam registration"), FactKind.BOOLEAN),
        Fact(
            "investment_rupees",
            _("Investment in plant and machinery or equipment"),
            FactKind.AMOUNT,
            "₹",
        ),
        Fact("turnover_rupees", _("Annual turnover"), FactKind.AMOUNT, "₹"),
        Fact(
            "msme_category",
            _("MSME category"),
            FactKind.CHOICE,
            vocabulary=lambda: set(MsmeCategory.values),
        ),
        Fact("state", _("State"), FactKind.CHOICE, vocabulary=_codes(State, "code")),
        Fact("district", _("District"), FactKind.CHOICE, vocabulary=_codes(District, "slug")),
        Fact(
            "processes",
            _("Processes offered"),
            FactKind.CHOICES,
            vocabulary=_codes(Process, "slug"),
        ),
        # Follows the taxonomy: moving a process to another category changes what a criterion
        # on kinds of work means, so the shipped rules name processes instead.
        Fact(
            "process_categories",
            _("Kinds of work"),
            FactKind.CHOICES,
            vocabulary=_codes(CapabilityCategory, "slug"),
        ),
        Fact(
            "certifications",
            _("Certifications held"),
            FactKind.CHOICES,
            vocabulary=_codes(CertificationType, "code"),
        ),
        Fact(
            "sectors",
            _("Sectors served"),
            FactKind.CHOICES,
            vocabulary=_codes(StrategicSector, "slug"),
        ),
        Fact("exports", _("Exports"), FactKind.BOOLEAN),
        Fact("capacity_sought_mtpa", _("Capacity sought"), FactKind.NUMBER, "MTPA"),
        Fact("net_worth_crore", _("Net worth"), FactKind.NUMBER, "₹ crore"),
        # 100 when the bidder bids alone: a single company holds all of its own equity.
        Fact("lead_equity_percent", _("Lead member's equity"), FactKind.NUMBER, "%"),
    ]
}
FACT_CHOICES = [(fact.key, fact.label) for fact in FACTS.values()]


def plain(value: Decimal) -> str:
    """A decimal as typed, without trailing zeros or an exponent: 200.00 → "200", 45.50 → "45.5"."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Answers:
    """A questionnaire's answers (or a profile's), as plain data: what a saved check keeps.

    Amounts are whole rupees; identities are natural keys (district slug, process slug,
    certificate code, sector slug) so saved answers and shipped examples survive reloads.
    """

    udyam_registered: bool | None = None
    investment_rupees: int | None = None
    turnover_rupees: int | None = None
    district: str = ""
    processes: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    exports: bool | None = None
    bidding: bool = False
    capacity_sought_mtpa: int | None = None
    net_worth_crore: Decimal | None = None
    consortium: bool = False
    lead_equity_percent: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, Decimal):
                data[name] = plain(value)
            elif isinstance(value, tuple):
                data[name] = list(value)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answers:
        values: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            if name not in data:
                continue
            value = data[name]
            if name in {"processes", "certifications", "sectors"}:
                value = tuple(sorted(value or ()))
            elif name in {"net_worth_crore", "lead_equity_percent"} and value is not None:
                value = Decimal(str(value))
            values[name] = value
        return cls(**values)

    def replace(self, **changes: Any) -> Answers:
        return Answers.from_json(self.as_json() | changes)

    @classmethod
    def problems(cls, data: Any) -> dict[str, str]:
        """What is wrong with stored answers (an example an administrator typed), by field;
        empty when ``from_json`` can read them as the questionnaire would have answered."""
        if not isinstance(data, dict):
            return {"answers": "Enter the answers as a JSON object."}
        problems = {
            name: "Not a question of the self-check."
            for name in data
            if name not in cls.__dataclass_fields__
        }
        for name in ("udyam_registered", "exports", "bidding", "consortium"):
            if name in data and not (data[name] is None or isinstance(data[name], bool)):
                problems[name] = "Enter true or false."
        for name, highest in (
            ("investment_rupees", 10**13),
            ("turnover_rupees", 10**13),
            ("capacity_sought_mtpa", 6000),
        ):
            value = data.get(name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= highest
            ):
                problems[name] = f"Enter a whole number from 0 to {highest}."
        for name in ("net_worth_crore", "lead_equity_percent"):
            value = data.get(name)
            if value is None:
                continue
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = None
            if number is None or isinstance(value, bool) or not number.is_finite() or number < 0:
                problems[name] = "Enter a number of zero or more."
        vocabularies = {
            "processes": FACTS["processes"],
            "certifications": FACTS["certifications"],
            "sectors": FACTS["sectors"],
        }
        for name, fact in vocabularies.items():
            value = data.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems[name] = "Enter a list of codes."
            elif unknown := sorted(set(value) - fact.vocabulary()):
                problems[name] = f"Unknown: {', '.join(unknown)}."
        district = data.get("district", "")
        if not isinstance(district, str) or (
            district and district not in FACTS["district"].vocabulary()
        ):
            problems["district"] = "Enter a district's slug, e.g. krishnagiri."
        return problems


@dataclass
class Facts:
    """The facts of one profile on one date, and what the derivations used (shown on results)."""

    on: datetime.date
    values: dict[str, Any]
    classification: MsmeClassification | None = None
    limits_notification: str = ""
    district_name: str = ""
    state_name: str = ""
    coordinates: tuple[float, float] | None = None

    def get(self, key: str) -> Any:
        return self.values.get(key)


def msme_category(
    investment: int | None, turnover: int | None, on: datetime.date
) -> tuple[str | None, MsmeClassification | None, str]:
    """The category by the limits in force on ``on``, with those limits and their notification."""
    limits = list(MsmeLimit.objects.in_force_on(on))
    if not limits or investment is None or turnover is None:
        return None, None, ""
    classification = MsmeClassification.from_limits(limits, on=on)
    notifications = sorted({limit.notification for limit in limits})
    category = classification.category_for(investment=investment, turnover=turnover)
    return category, classification, "; ".join(notifications)


def facts_from_answers(answers: Answers, *, on: datetime.date) -> Facts:
    """Every fact of these answers on this date (a handful of queries)."""
    category, classification, notification = msme_category(
        answers.investment_rupees, answers.turnover_rupees, on
    )
    district = (
        District.objects.select_related("state").filter(slug=answers.district).first()
        if answers.district
        else None
    )
    processes = dict(
        Process.objects.filter(slug__in=answers.processes).values_list("slug", "category__slug")
    )
    bidding = answers.bidding
    capacity = answers.capacity_sought_mtpa if bidding else None
    lead_equity = (
        (answers.lead_equity_percent if answers.consortium else Decimal(100)) if bidding else None
    )
    values = {
        "udyam_registered": answers.udyam_registered,
        "investment_rupees": answers.investment_rupees,
        "turnover_rupees": answers.turnover_rupees,
        "msme_category": category,
        "state": district.state.code if district else None,
        "district": district.slug if district else None,
        "processes": frozenset(processes),
        "process_categories": frozenset(processes.values()),
        "certifications": frozenset(answers.certifications),
        "sectors": frozenset(answers.sectors),
        "exports": answers.exports,
        "capacity_sought_mtpa": capacity,
        "net_worth_crore": answers.net_worth_crore if bidding else None,
        "lead_equity_percent": lead_equity,
    }
    return Facts(
        on=on,
        values=values,
        classification=classification,
        limits_notification=notification,
        district_name=district.name if district else "",
        state_name=district.state.name if district else "",
        coordinates=(district.latitude, district.longitude) if district else None,
    )


def answers_from_supplier(supplier: Supplier, *, on: datetime.date) -> Answers:
    """A saved profile as answers: certificates count when valid on the date asked about."""
    return Answers(
        udyam_registered=bool(supplier.udyam_number),
        investment_rupees=supplier.investment_rupees,
        turnover_rupees=supplier.turnover_rupees,
        district=supplier.district.slug if supplier.district_id else "",
        processes=tuple(
            sorted(supplier.capabilities.values_list("process__slug", flat=True).distinct())
        ),
        certifications=tuple(
            sorted(
                supplier.certifications.filter(valid_until__gte=on)
                .values_list("certification_type__code", flat=True)
                .distinct()
            )
        ),
        sectors=tuple(sorted(supplier.sectors.values_list("slug", flat=True))),
    )


NOT_MSME = MsmeCategory.NOT_MSME.value
