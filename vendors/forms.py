"""Forms of the suppliers' room (the admin's; the MSME pages' forms live in ``portal``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import Material

from .models import SupplierCapability


class MaterialsCheckboxes(forms.CheckboxSelectMultiple):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"class": "materials-choices", **(attrs or {})})


class CapabilityAdminForm(forms.ModelForm):
    """A capability with its materials ticked from the closed list, never typed as JSON."""

    materials = forms.MultipleChoiceField(
        label=_("Materials handled"),
        choices=Material.choices,
        widget=MaterialsCheckboxes,
        required=False,
    )

    class Meta:
        model = SupplierCapability
        fields = [
            "supplier", "process", "monthly_capacity", "capacity_unit", "best_tolerance_um",
            "max_temperature_c", "materials", "years_experience",
        ]  # fmt: skip
