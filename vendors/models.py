"""Supplier profiles (MSMEs), what they can do, and the certificates they hold."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from clusters.geo import latitude_validators, longitude_validators, validate_coordinates_pair
from schemes.models import Unit

from .categories import CATEGORY_ORDER, MsmeCategory
from .validators import (
    normalise_identifier,
    pan_from_gstin,
    validate_gstin,
    validate_pin_code,
    validate_udyam_number,
)


class CapabilityCategory(models.Model):
    """A family of processes (machining, coatings, ...); slugs are part of the import format."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "capability categories"

    def __str__(self) -> str:
        return self.name


class Process(models.Model):
    """A process a supplier offers and a need asks for; the matcher compares these exactly."""

    category = models.ForeignKey(
        CapabilityCategory, on_delete=models.PROTECT, related_name="processes"
    )
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__order", "order", "name"]
        verbose_name_plural = "processes"

    def __str__(self) -> str:
        return self.name


class CertificationType(models.Model):
    """A certificate or accreditation a need can require (ISO 9001, NABL, ZED Gold, ...)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=160)
    description = models.CharField(max_length=250, blank=True)
    zed_level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 bronze, 2 silver, 3 gold for ZED certificates."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Material(models.TextChoices):
    NDFEB_SINTERED = "ndfeb_sintered", "NdFeB sintered"
    NDFEB_BONDED = "ndfeb_bonded", "NdFeB bonded"
    SMCO = "smco", "SmCo"
    FERRITE = "ferrite", "Ferrite"


class MsmeLimitQuerySet(models.QuerySet["MsmeLimit"]):
    def in_force_on(self, day: datetime.date) -> MsmeLimitQuerySet:
        return self.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day
        )

    def category_for(
        self, *, investment: int, turnover: int, on: datetime.date | None = None
    ) -> str:
        return classify_msme(
            investment=investment,
            turnover=turnover,
            limits=self.in_force_on(on or datetime.date.today()),
        )


class MsmeLimit(models.Model):
    """The investment and turnover ceiling of one MSME category, for a period.

    Kept as data with effective dates so the next revision is a new row, not a code change.
    """

    category = models.CharField(
        max_length=10, choices=[c for c in MsmeCategory.choices if c[0] != MsmeCategory.NOT_MSME]
    )
    max_investment_rupees = models.PositiveBigIntegerField(
        help_text="Investment in plant & machinery or equipment, at most (₹)."
    )
    max_turnover_rupees = models.PositiveBigIntegerField(help_text="Annual turnover, at most (₹).")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Empty while in force.")
    notification = models.CharField(max_length=120)

    objects = MsmeLimitQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from", "max_investment_rupees"]
        verbose_name = "MSME classification limit"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="msme_limit_unique_per_period"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="msme_limit_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} from {self.effective_from}"


def classify_msme(*, investment: int, turnover: int, limits: Iterable[MsmeLimit]) -> str:
    """The smallest category whose investment AND turnover limits both hold (composite test)."""
    by_category = {limit.category: limit for limit in limits}
    if not by_category:
        raise ValueError("No MSME limits are in force for that date; load reference data.")
    for category in CATEGORY_ORDER:
        limit = by_category.get(category)
        if (
            limit is not None
            and investment <= limit.max_investment_rupees
            and turnover <= limit.max_turnover_rupees
        ):
            return category
    return MsmeCategory.NOT_MSME


def _current_year() -> int:
    return datetime.date.today().year


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
        "schemes.StrategicSector", related_name="suppliers", blank=True
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    website = models.URLField(blank=True)
    is_verified = models.BooleanField("verified", default=False, db_index=True)
    is_active = models.BooleanField("active", default=True)
    is_demo = models.BooleanField("demo", default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

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
        # Derived fields are data rules, so they live with the data: PAN from the GSTIN,
        # the category from the figures (never typed in), coordinates from the district.
        self.pan = pan_from_gstin(self.gstin) if self.gstin else ""
        self.category = MsmeLimit.objects.category_for(
            investment=self.investment_rupees, turnover=self.turnover_rupees
        )
        if self.latitude is None and self.longitude is None and self.district_id:
            self.latitude, self.longitude = self.district.latitude, self.district.longitude
        super().save(*args, **kwargs)

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
                errors["district"] = f"{self.district.name} is not in {state.name}."
            if self.udyam_number[6:8] and self.udyam_number.startswith("UDYAM-"):
                udyam_state = self.udyam_number[6:8]
                if udyam_state != state.code:
                    errors["udyam_number"] = (
                        f"This Udyam number is registered in state code {udyam_state}, "
                        f"but the supplier is in {state.name} ({state.code})."
                    )
            if self.gstin and self.gstin[:2].isdigit() and self.gstin[:2] != state.gst_code:
                errors["gstin"] = (
                    f"This GSTIN is registered in GST state {self.gstin[:2]}, but the supplier is "
                    f"in {state.name}, whose GST code is {state.gst_code}."
                )
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
                    "materials": f"Unknown material(s) {', '.join(unknown)}; use "
                    f"{', '.join(Material.values)}."
                }
            )


class Certification(models.Model):
    """A certificate a supplier holds; valid through ``valid_until`` inclusive."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="certifications")
    certification_type = models.ForeignKey(
        CertificationType, on_delete=models.PROTECT, related_name="certifications"
    )
    number = models.CharField(max_length=80)
    issuer = models.CharField(max_length=160)
    valid_until = models.DateField()
    document = models.FileField(upload_to="certificates/%Y/", null=True, blank=True)
    is_verified = models.BooleanField("verified", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

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
