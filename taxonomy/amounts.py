"""Amounts as Indians type them: "2,50,00,000", "₹25000000", "2.5 crore", "25 lakh".

One parser for every form and API field that takes rupees, so "2.5 crore" means the same
₹2,50,00,000 everywhere and a word like "two crore" gets the same clear error everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import formatting

LAKH = Decimal(100_000)
CRORE = Decimal(10_000_000)
_WORDS = {
    "lakh": LAKH,
    "lakhs": LAKH,
    "lac": LAKH,
    "lacs": LAKH,
    "l": LAKH,
    "लाख": LAKH,
    "crore": CRORE,
    "crores": CRORE,
    "cr": CRORE,
    "करोड़": CRORE,
    "करोड": CRORE,
}
# Hindi typed with a precomposed ड़ (U+095C) and with ड + nukta read alike: NFC (which decomposes
# U+095C, a composition exclusion) is applied to the words and to what people type.
MULTIPLIERS = {unicodedata.normalize("NFC", word): factor for word, factor in _WORDS.items()}
# Longer than anyone types an amount ("₹ 2,50,00,00,000.50 crore" is 26): refused before the
# pattern runs, so no input costs more than a glance.
MAX_TYPED = 40
# An amount larger than this is a typing slip, not an enterprise (₹10,00,000 crore).
ABSURD_RUPEES = Decimal(10) ** 13
_CURRENCY = re.compile(r"^(₹|rs\.?|inr)\s*", re.IGNORECASE)
# One way to read each digit (no nested or overlapping repeats): linear in the input's length.
_AMOUNT = re.compile(
    r"^(?P<number>-?(?:[\d,]+(?:\.\d+)?|\.\d+))\s*(?P<unit>[^\d\s.,]+\.?)?$", re.IGNORECASE
)

IN_FIGURES = _("Type the amount in figures, e.g. 2.5 crore, 25 lakh or 2,50,00,000.")


def parse_rupees(value: object) -> int:
    """Whole rupees from a number or a typed amount; ValidationError with a plain reason."""
    if isinstance(value, bool):
        raise ValidationError(IN_FIGURES, code="invalid")
    if isinstance(value, int | Decimal | float):
        amount = Decimal(str(value))
    else:
        text = str(value)
        if len(text) > MAX_TYPED:
            raise ValidationError(IN_FIGURES, code="invalid")
        text = _CURRENCY.sub("", unicodedata.normalize("NFC", text).strip()).strip()
        match = _AMOUNT.match(text)
        if not match:
            raise ValidationError(IN_FIGURES, code="invalid")
        unit = (match["unit"] or "").lower().rstrip(".")
        if unit and unit not in MULTIPLIERS:
            raise ValidationError(IN_FIGURES, code="invalid")
        try:
            amount = Decimal(match["number"].replace(",", "")) * MULTIPLIERS.get(unit, 1)
        except InvalidOperation as exc:
            raise ValidationError(IN_FIGURES, code="invalid") from exc
    if not amount.is_finite():
        raise ValidationError(IN_FIGURES, code="invalid")
    if amount < 0:
        raise ValidationError(_("An amount cannot be negative."), code="min_value")
    if amount > ABSURD_RUPEES:
        raise ValidationError(
            _("That is more than ₹10,00,000 crore: check the figure."), code="max_value"
        )
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class RupeesField(forms.CharField):
    """A rupee amount typed in figures, lakh or crore; cleans to whole rupees."""

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return super().widget_attrs(widget) | {
            "inputmode": "decimal",
            "autocomplete": "off",
            "maxlength": str(MAX_TYPED),
        }

    def to_python(self, value: object) -> int | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        return parse_rupees(text)


def _whole(value: object) -> int | None:
    """A stored amount (int, Decimal, or digits) as whole rupees; None for typed text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


class RupeesInput(forms.TextInput):
    """A rupee amount shown grouped the Indian way (2,50,00,000) with how people read it beside
    (₹2.5 crore). Typed text shown back with an error stays as typed."""

    input_type = "text"

    def format_value(self, value: object) -> str | None:
        whole = _whole(value)
        if whole is not None:
            return formatting.number(whole)
        return super().format_value(value)

    def render(
        self, name: str, value: object, attrs: dict | None = None, renderer: object = None
    ) -> str:
        html = super().render(name, value, attrs, renderer)
        whole = _whole(value)
        if whole is None or whole < formatting.LAKH:
            return html
        return format_html(
            '{}<span class="amount-in-words">{}</span>', html, formatting.lakh_crore(whole)
        )


class GroupedNumberInput(forms.TextInput):
    """A figure shown with Indian grouping (12,00,000; 1,234.5), typed with or without it."""

    def format_value(self, value: object) -> str | None:
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return formatting.number(value)
        return super().format_value(value)


class GroupedDecimalField(forms.DecimalField):
    """A decimal typed as people write it: "12,00,000" or "1,234.50" (grouping ignored)."""

    widget = GroupedNumberInput

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return super().widget_attrs(widget) | {"inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value: object) -> Decimal | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "").replace("\u202f", "")
        return super().to_python(value)


class GroupedIntegerField(forms.IntegerField):
    """A whole figure typed with or without Indian grouping ("1,200")."""

    widget = GroupedNumberInput

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return super().widget_attrs(widget) | {"inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value: object) -> int | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        return super().to_python(value)
