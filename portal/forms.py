"""Forms of the MSME pages."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clusters.forms import DistrictChoiceField
from clusters.models import Cluster
from matching.models import Match
from schemes.models import Facility
from taxonomy.choices import Material
from taxonomy.forms import LocalizedModelChoiceField
from taxonomy.models import Process
from vendors.models import Certification, Supplier, SupplierCapability
from vendors.validators import normalise_identifier


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("A short note to the facility (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you can offer for this need: lead time, similar work done, samples."),
    )


DISTANCE_CHOICES_KM = (50, 100, 250, 500)


class MatchFilterForm(forms.Form):
    """Filters of the matches list; every field optional, bad values ignored with an error."""

    facility = LocalizedModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.order_by("name"), required=False
    )
    cluster = LocalizedModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.order_by("name"), required=False
    )
    process = LocalizedModelChoiceField(
        label=_("Process"), queryset=Process.objects.order_by("name"), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Match.Status.choices], required=False
    )
    near_misses = forms.ChoiceField(
        label=_("Near misses"),
        choices=[
            ("", _("Matches and near misses")),
            ("hide", _("Matches only")),
            ("only", _("Near misses only")),
        ],
        required=False,
    )

    within = forms.TypedChoiceField(
        label=_("Distance to the site"),
        choices=[("", _("Any distance")), *((km, f"{km} km") for km in DISTANCE_CHOICES_KM)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Needs whose site or your coordinates are unknown are left out."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Worded per request, in the reader's language.
        self.fields["within"].choices = [
            ("", gettext("Any distance")),
            *((km, gettext("Within %(km)s km") % {"km": km}) for km in DISTANCE_CHOICES_KM),
        ]

    def apply(self, matches: QuerySet[Match]) -> QuerySet[Match]:
        """The matches these filters keep (all of them while the form is invalid).

        ``matches`` carry ``distance_km`` (``selectors.with_distance``); rows without one are
        left out by a distance filter, as their distance is unknown."""
        if not self.is_valid():
            return matches
        data = self.cleaned_data
        if data["facility"]:
            matches = matches.filter(need__facility=data["facility"])
        if data["cluster"]:
            matches = matches.filter(need__facility__cluster=data["cluster"])
        if data["process"]:
            matches = matches.filter(need__process=data["process"])
        if data["status"]:
            matches = matches.filter(status=data["status"])
        if data["near_misses"] == "hide":
            matches = matches.filter(near_miss_rule="")
        elif data["near_misses"] == "only":
            matches = matches.exclude(near_miss_rule="")
        if data["within"] is not None:
            matches = matches.filter(distance_km__lte=data["within"])
        return matches


class EnterpriseSwitchForm(forms.Form):
    """The switcher's POST: which of the owner's enterprises, and the page to go back to (the
    view checks ownership and that the page is on this site)."""

    enterprise = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False, max_length=2000)


# --- The profile ------------------------------------------------------------------------------


class IdentifierField(forms.CharField):
    """Udyam numbers and GSTINs as typed (" udyam-tn-12-0012345"), normalised before checking."""

    def to_python(self, value: object) -> str | None:
        value = super().to_python(value)
        return normalise_identifier(value) if value else value


class EnterpriseForm(forms.ModelForm):
    district = DistrictChoiceField(
        label=_("District"),
        help_text=_("Districts are listed under their state."),
    )

    class Meta:
        model = Supplier
        fields = [
            "name", "udyam_number", "gstin", "district", "address", "pin_code",
            "investment_rupees", "turnover_rupees", "employees", "year_established",
            "contact_name", "contact_email", "contact_phone", "website", "wants_digest",
        ]  # fmt: skip
        field_classes = {"udyam_number": IdentifierField, "gstin": IdentifierField}
        labels = {
            "name": _("Enterprise name"),
            "udyam_number": _("Udyam registration number"),
            "gstin": _("GSTIN"),
            "address": _("Address"),
            "pin_code": _("PIN code"),
            "investment_rupees": _("Investment in plant & machinery (₹)"),
            "turnover_rupees": _("Annual turnover (₹)"),
            "employees": _("Employees"),
            "year_established": _("Year established"),
            "contact_name": _("Contact person"),
            "contact_email": _("Contact email"),
            "contact_phone": _("Contact phone"),
            "website": _("Website"),
            "wants_digest": _("Weekly digest"),
        }
        help_texts = {
            "udyam_number": _("As on your Udyam certificate, e.g. UDYAM-TN-12-0012345."),
            "investment_rupees": _("In rupees, not lakh or crore: 2,50,00,000 is 25000000."),
            "turnover_rupees": _("In rupees, for the last financial year."),
            "wants_digest": _(
                "Email me once a week: new high-score matches and certificates about to expire."
            ),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].grouped()
        self.fields["pin_code"].widget.attrs.update(inputmode="numeric", autocomplete="postal-code")
        for name in ("investment_rupees", "turnover_rupees", "employees", "year_established"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("district"):
            self.instance.state = cleaned["district"].state  # checked against Udyam and GSTIN
        return cleaned


class CapabilityForm(forms.ModelForm):
    materials = forms.MultipleChoiceField(
        label=_("Materials handled"),
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SupplierCapability
        fields = [
            "process", "monthly_capacity", "capacity_unit", "best_tolerance_um",
            "max_temperature_c", "materials", "years_experience",
        ]  # fmt: skip
        field_classes = {"process": LocalizedModelChoiceField}
        labels = {
            "process": _("Process"),
            "monthly_capacity": _("Monthly capacity"),
            "capacity_unit": _("Unit"),
            "best_tolerance_um": _("Best tolerance (µm)"),
            "max_temperature_c": _("Maximum temperature (°C)"),
            "years_experience": _("Years of experience in this process"),
        }


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["certification_type", "number", "issuer", "valid_until", "document"]
        field_classes = {"certification_type": LocalizedModelChoiceField}
        labels = {
            "certification_type": _("Certificate"),
            "number": _("Certificate number"),
            "issuer": _("Issued by"),
            "valid_until": _("Valid until"),
            "document": _("Scan (PDF, JPEG or PNG, at most 5 MB)"),
        }
        # The label says it already, in the reader's language (the model's help is the admin's).
        help_texts = {"document": ""}
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


# The blank row has nothing to delete yet: no "Delete" box on it (can_delete_extra).
CapabilityFormSet = forms.inlineformset_factory(
    Supplier,
    SupplierCapability,
    form=CapabilityForm,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)
CertificateFormSet = forms.inlineformset_factory(
    Supplier,
    Certification,
    form=CertificateForm,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)
