"""The self-check's questions, one group per step, and the one conversion to ``Answers``.

The API (``api.py``) takes the same fields; both turn cleaned values into ``Answers`` through
``answers_from_cleaned``, so the page and the API judge the same profile the same way.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from clusters.forms import DistrictChoiceField
from taxonomy.amounts import RupeesField
from taxonomy.localized import Name
from taxonomy.models import CertificationType, Process, StrategicSector

from .facts import Answers

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# The scheme's whole target is 6,000 MTPA: a bid above it is a typing slip.
MAX_CAPACITY_MTPA = 6000
# India's largest companies are worth a few lakh crore; this catches a figure typed in rupees.
MAX_NET_WORTH_CRORE = Decimal(1_000_000)


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            **kwargs,
        )


class ProcessChoiceField(forms.ModelMultipleChoiceField):
    """Processes by slug, grouped under their kind of work."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Process.objects.select_related("category"),
            to_field_name="slug",
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def grouped(self) -> None:
        groups: dict[str, list[tuple[str, Name]]] = {}
        for process in self.queryset.order_by("category__order", "order", "name"):
            groups.setdefault(process.category.localized_name, []).append(
                (process.slug, process.bilingual_name)
            )
        self.choices = list(groups.items())


class EnterpriseStep(forms.Form):
    title = _("Your enterprise")
    udyam_registered = YesNoField(label=_("Is the enterprise registered on Udyam?"))
    investment_rupees = RupeesField(
        label=_("Investment in plant and machinery or equipment"),
        help_text=_("In rupees, lakh or crore: 2.5 crore, 25 lakh or 2,50,00,000."),
    )
    turnover_rupees = RupeesField(
        label=_("Annual turnover"),
        help_text=_("For the last financial year, in rupees, lakh or crore."),
    )


class PlaceStep(forms.Form):
    title = _("Where you are")
    district = DistrictChoiceField(
        label=_("District"),
        to_field_name="slug",
        help_text=_("Districts are listed under their state."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].grouped()


class WorkStep(forms.Form):
    title = _("What you do")
    processes = ProcessChoiceField(
        label=_("Processes you run"), required=False, help_text=_("Tick every one that applies.")
    )
    certifications = forms.ModelMultipleChoiceField(
        label=_("Certificates you hold today"),
        queryset=CertificationType.objects.order_by("code"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors you sell to"),
        queryset=StrategicSector.objects.order_by("order", "name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exports = YesNoField(label=_("Do you export?"))
    bidding = forms.BooleanField(
        label=_("Also check whether we could bid for an integrated facility"),
        help_text=_("Three more questions: capacity, net worth and consortium share."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["processes"].grouped()
        for name in ("certifications", "sectors"):
            self.fields[name].label_from_instance = lambda row: row.bilingual_name


class BidderStep(forms.Form):
    title = _("Bidding for a facility")
    capacity_sought_mtpa = forms.IntegerField(
        label=_("Capacity you would bid for (MTPA)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY_MTPA)],
        help_text=_("Metric tonnes of sintered magnets a year; the scheme allots 600 to 1,200."),
    )
    net_worth_crore = forms.DecimalField(
        label=_("Net worth (₹ crore)"),
        min_value=Decimal(0),
        max_value=MAX_NET_WORTH_CRORE,
        max_digits=12,
        decimal_places=2,
        help_text=_("In crore: type 180 for ₹180 crore."),
    )
    consortium = YesNoField(label=_("Would you bid as a consortium?"))
    lead_equity_percent = forms.DecimalField(
        label=_("The lead member's share of the consortium's equity (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, message in bidder_answer_errors(cleaned | {"bidding": True}).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class ConfirmStep(forms.Form):
    title = _("Check your answers")


def bidder_answer_errors(data: dict[str, Any]) -> dict[str, str]:
    """What the bidder's answers lack, by field (the steps, the what-if and the API share it)."""
    if not data.get("bidding"):
        return {}
    errors = {}
    for name in ("capacity_sought_mtpa", "net_worth_crore", "consortium"):
        if data.get(name) in (None, ""):  # a blank yes/no cleans to ""
            errors[name] = str(_("Needed for the bidder role."))
    if data.get("consortium") is True and data.get("lead_equity_percent") in (None, ""):
        errors["lead_equity_percent"] = str(
            _("Enter the lead member's share, as a consortium bids.")
        )
    return errors


STEPS = [
    ("enterprise", EnterpriseStep),
    ("place", PlaceStep),
    ("work", WorkStep),
    ("bidder", BidderStep),
    ("confirm", ConfirmStep),
]


def answers_from_cleaned(data: dict[str, Any]) -> Answers:
    """Cleaned form or API values as ``Answers`` (the one conversion both use)."""

    def keys(values: Any, attribute: str) -> tuple[str, ...]:
        return tuple(
            sorted(v if isinstance(v, str) else getattr(v, attribute) for v in values or ())
        )

    district = data.get("district")
    bidding = bool(data.get("bidding"))
    consortium = bool(data.get("consortium")) if bidding else False
    return Answers(
        udyam_registered=data.get("udyam_registered"),
        investment_rupees=data.get("investment_rupees"),
        turnover_rupees=data.get("turnover_rupees"),
        district=district if isinstance(district, str) else getattr(district, "slug", ""),
        processes=keys(data.get("processes"), "slug"),
        certifications=keys(data.get("certifications"), "code"),
        sectors=keys(data.get("sectors"), "slug"),
        exports=data.get("exports"),
        bidding=bidding,
        capacity_sought_mtpa=data.get("capacity_sought_mtpa") if bidding else None,
        net_worth_crore=data.get("net_worth_crore") if bidding else None,
        consortium=consortium,
        lead_equity_percent=data.get("lead_equity_percent") if consortium else None,
    )


class WhatIfForm(forms.Form):
    """Every answer on one form, prefilled: change any and see what changes (a GET form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for _name, step in STEPS:
            for name, field in step.base_fields.items():
                self.fields[name] = copy.deepcopy(field)
        self.fields["bidding"].label = _("Include the bidder role")
        for name in ("capacity_sought_mtpa", "net_worth_crore", "consortium"):
            self.fields[name].required = False
        self.fields["as_of"] = forms.DateField(
            label=_("As of date"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text=_("The rules and MSME limits in force on this date apply."),
        )
        self.fields["district"].grouped()
        self.fields["processes"].grouped()
        for name in ("certifications", "sectors"):
            self.fields[name].label_from_instance = lambda row: row.bilingual_name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, message in bidder_answer_errors(cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    @staticmethod
    def initial_from(answers: Answers, on: datetime.date | None = None) -> dict[str, Any]:
        data = answers.as_json()
        for name in ("udyam_registered", "exports", "consortium"):
            value = data.get(name)
            data[name] = None if value is None else ("yes" if value else "no")
        data["as_of"] = on
        return data
