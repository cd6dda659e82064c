"""Supplier profiles (MSMEs), what they can do, and the certificates they hold."""

from __future__ import annotations

import datetime
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DEFERRED, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.models import HistoricalRecords

from clusters.geo import latitude_validators, longitude_validators, validate_coordinates_pair
from taxonomy.choices import Material, MsmeCategory, Unit
from taxonomy.classification import MsmeClassification
from taxonomy.history import AuditedHistory
from taxonomy.models import CertificationType, MsmeLimit, Process

from .storage import private_storage
from .validators import (
    normalise_identifier,
    pan_from_gstin,
    validate_certificate_document,
    validate_gstin,
    validate_pin_code,
    validate_udyam_number,
)


def _current_year() -> int:
    return datetime.date.today().year


class Located(Protocol):
    latitude: float
    longitude: float


def district_coordinates(district: Located) -> tuple[float, float]:
    """Where a supplier that gave no coordinates is placed: its district's headquarters."""
    return district.latitude, district.longitude


class Supplier(models.Model):
    """An MSME's profile: who it is, where it is, and how big it is."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suppliers",
    )
    name = models.CharField(max_length=200, db_index=True)
    udyam_number = models.CharField(
        "Udyam registration number",
        max_length=19,
        unique=True,
        validators=[validate_udyam_number],
    )
    gstin = models.CharField(
        "GSTIN", max_length=15, unique=True, null=True, blank=True, validators=[validate_gstin]
    )
    pan = models.CharField("PAN", max_length=10, blank=True, editable=False, db_index=True)
    state = models.ForeignKey("clusters.State", on_delete=models.PROTECT, related_name="suppliers")
    district = models.ForeignKey(
        "clusters.District", on_delete=models.PROTECT, related_name="suppliers"
    )
    address = models.CharField(max_length=250, blank=True)
    pin_code = models.CharField("PIN code", max_length=6, validators=[validate_pin_code])
    latitude = models.FloatField(
        null=True, blank=True, validators=latitude_validators, help_text="Defaults to the district."
    )
    longitude = models.FloatField(null=True, blank=True, validators=longitude_validators)
    investment_rupees = models.PositiveBigIntegerField(
        "investment in plant & machinery (₹)", help_text="In rupees, not crore."
    )
    turnover_rupees = models.PositiveBigIntegerField("annual turnover (₹)")
    category = models.CharField(
        max_length=10, choices=MsmeCategory.choices, editable=False, db_index=True
    )
    employees = models.PositiveIntegerField(default=0)
    year_established = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(_current_year)],
    )
    sectors = models.ManyToManyField(
        "taxonomy.StrategicSector", related_name="suppliers", blank=True
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    website = models.URLField(blank=True)
    is_verified = models.BooleanField("verified", default=False, db_index=True)
    # Who verified the profile against its Udyam and GST registrations, and when: set and
    # cleared only by ``services.supplier_verify`` / ``supplier_unverify`` (and an owner's edit
    # of a key field, which withdraws it).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField("active", default=True)
    is_demo = models.BooleanField("demo", default=False, db_index=True)
    wants_digest = models.BooleanField(
        "weekly digest",
        default=True,
        help_text="Email the owner new high-score matches and expiring certificates weekly.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(bases=[AuditedHistory], excluded_fields=["updated_at"])

    # What a verifier checks against the registrations: an owner's edit of any of these
    # withdraws the verification (``services.supplier_edit_lapses_verification``).
    VERIFIED_FIELDS = (
        "name",
        "udyam_number",
        "gstin",
        "state",
        "district",
        "address",
        "pin_code",
        "investment_rupees",
        "turnover_rupees",
    )

    # (investment, turnover) as loaded from the database; empty for a new instance.
    _loaded_figures: tuple[int | None, int | None] | tuple[()] = ()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["state", "category"], name="supplier_state_category_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="supplier_coordinates_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)
        self._loaded_figures = (self.investment_rupees, self.turnover_rupees)

    @classmethod
    def from_db(cls, db: str | None, field_names: list[str], values: list[object]) -> Supplier:
        # Remember the figures as loaded (Django's "customizing model loading" recipe), so
        # save() reads the MSME limits only when the figures changed.
        instance = super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, (v for v in values if v is not DEFERRED), strict=False))
        instance._loaded_figures = (loaded.get("investment_rupees"), loaded.get("turnover_rupees"))
        return instance

    def derive_fields(self, *, classification: MsmeClassification | None = None) -> None:
        """Set the fields computed from others, never typed in: PAN, MSME category, coordinates.

        ``save()`` calls this; paths that build many suppliers at once pass the classification
        they loaded once. On a plain save the limits are read only for a new row or changed
        figures: a limits revision reclassifies every supplier set-wise instead
        (``services.supplier_reclassify``, queued on the revision and nightly).
        """
        self.pan = pan_from_gstin(self.gstin)
        figures = (self.investment_rupees, self.turnover_rupees)
        if classification is not None or not self.category or figures != self._loaded_figures:
            classification = classification or MsmeLimit.objects.classification_on()
            self.category = classification.category_for(
                investment=self.investment_rupees, turnover=self.turnover_rupees
            )
        if self.latitude is None and self.longitude is None and self.district_id:
            self.latitude, self.longitude = district_coordinates(self.district)

    def clean_fields(self, exclude: object = None) -> None:
        # Normalise before the field validators run, so " udyam-tn-12-0012345" is accepted.
        self.udyam_number = normalise_identifier(self.udyam_number)
        self.gstin = normalise_identifier(self.gstin or "") or None
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            validate_coordinates_pair(self.latitude, self.longitude)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        state = self.state if self.state_id else None
        if state is not None:
            if self.district_id and self.district.state_id != state.pk:
                errors["district"] = _("%(district)s is not in %(state)s.") % {
                    "district": self.district.localized_name,
                    "state": state.localized_name,
                }
            if self.udyam_number[6:8] and self.udyam_number.startswith("UDYAM-"):
                udyam_state = self.udyam_number[6:8]
                if udyam_state != state.code:
                    errors["udyam_number"] = _(
                        "This Udyam number is registered in state code %(udyam_state)s, but the "
                        "supplier is in %(state)s (%(code)s)."
                    ) % {
                        "udyam_state": udyam_state,
                        "state": state.localized_name,
                        "code": state.code,
                    }
            if self.gstin and self.gstin[:2].isdigit() and self.gstin[:2] != state.gst_code:
                errors["gstin"] = _(
                    "This GSTIN is registered in GST state %(gst_state)s, but the supplier is in "
                    "%(state)s, whose GST code is %(gst_code)s."
                ) % {
                    "gst_state": self.gstin[:2],
                    "state": state.localized_name,
                    "gst_code": state.gst_code,
                }
        if errors:
            raise ValidationError(errors)


class SupplierCapability(models.Model):
    """A process a supplier offers, with the specs the matcher compares against needs."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="capabilities")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="capabilities")
    monthly_capacity = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    capacity_unit = models.CharField(max_length=16, choices=Unit.choices, default=Unit.PIECES)
    best_tolerance_um = models.DecimalField(
        "best tolerance (µm)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    max_temperature_c = models.PositiveIntegerField(
        "maximum temperature (°C)", null=True, blank=True
    )
    materials = models.JSONField(
        default=list, blank=True, help_text="Materials handled: " + ", ".join(Material.values)
    )
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(bases=[AuditedHistory], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["supplier", "process"]
        verbose_name_plural = "supplier capabilities"
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "process"], name="capability_unique_per_supplier"
            ),
            models.CheckConstraint(
                condition=Q(monthly_capacity__isnull=True) | Q(monthly_capacity__gte=0),
                name="capability_capacity_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(best_tolerance_um__isnull=True) | Q(best_tolerance_um__gte=0),
                name="capability_tolerance_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["process", "supplier"], name="capability_process_idx")]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.process}"

    def clean(self) -> None:
        unknown = sorted(set(self.materials or []) - set(Material.values))
        if unknown:
            raise ValidationError(
                {
                    "materials": _("Unknown material(s) %(unknown)s; use %(known)s.")
                    % {"unknown": ", ".join(unknown), "known": ", ".join(Material.values)}
                }
            )


# A certificate valid today but ending within this many days is "expiring soon": flagged in the
# admin, warned of on the MSME's dashboard and digest, and told in a match's reasons. One
# definition for every room (matching.rules re-exports it).
EXPIRY_WARNING_DAYS = 60


def expiring_soon_until(today: datetime.date) -> datetime.date:
    """The last day a certificate valid today counts as "expiring soon" (the warning window)."""
    return today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)


class Validity(models.TextChoices):
    """Where a certificate stands on a day: the admin flags the last two."""

    VALID = "valid", _lazy("Valid")
    EXPIRING = "expiring", _lazy("Expiring soon")
    EXPIRED = "expired", _lazy("Expired")


class Certification(models.Model):
    """A certificate a supplier holds; valid through ``valid_until`` inclusive."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="certifications")
    certification_type = models.ForeignKey(
        CertificationType, on_delete=models.PROTECT, related_name="certifications"
    )
    number = models.CharField(max_length=80)
    issuer = models.CharField(max_length=160)
    valid_until = models.DateField()
    document = models.FileField(
        upload_to="certificates/%Y/",
        storage=private_storage,
        null=True,
        blank=True,
        validators=[validate_certificate_document],
        help_text="A scan of the certificate: PDF, JPEG or PNG, at most 5 MB.",
    )
    is_verified = models.BooleanField("verified", default=False)
    # Who checked the scan, and when (``services.certification_verify``).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(bases=[AuditedHistory], excluded_fields=["updated_at"])

    # What a verifier checks against the scan: an edit of any of these withdraws it.
    VERIFIED_FIELDS = ("certification_type", "number", "issuer", "valid_until", "document")

    class Meta:
        ordering = ["supplier", "certification_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "certification_type", "number"],
                name="certification_unique_per_supplier",
            ),
        ]
        indexes = [
            models.Index(fields=["certification_type", "valid_until"], name="cert_type_valid_idx")
        ]

    def __str__(self) -> str:
        return f"{self.certification_type} {self.number}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_until >= day

    def validity_on(self, day: datetime.date) -> Validity:
        if not self.is_valid_on(day):
            return Validity.EXPIRED
        if self.valid_until <= expiring_soon_until(day):
            return Validity.EXPIRING
        return Validity.VALID
