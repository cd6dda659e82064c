"""The vocabulary as data: processes, certification types, sectors and dated MSME limits.

These models were born in ``vendors`` and ``schemes`` and moved here without touching the
database (migration 0001 is state-only), so each keeps its original table name.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q

from .choices import MSME_CATEGORY_CHOICES
from .classification import MsmeClassification
from .localized import Name


class NamedInHindi(models.Model):
    """A row whose ``name`` people read, with its Hindi name beside it (empty until written).

    Pages show ``localized_name`` (text) or the ``localized`` template filter (HTML, the
    English fallback marked ``lang="en"`` on Hindi pages); see ``taxonomy.localized``. Other
    fields people read may have a ``<field>_hi`` twin the same way (``bilingual(field)``).
    """

    name_hi = models.CharField(
        "Hindi name",
        max_length=200,
        blank=True,
        help_text="Shown on Hindi pages; empty, the English name is shown there instead.",
    )

    class Meta:
        abstract = True

    def bilingual(self, field: str = "name") -> Name:
        """A field with its Hindi version (``<field>_hi``, empty where the model has none)."""
        return Name(getattr(self, field), getattr(self, f"{field}_hi", ""))

    @property
    def bilingual_name(self) -> Name:
        return self.bilingual("name")

    @property
    def localized_name(self) -> str:
        """The name in the reader's language: Hindi on Hindi pages when there is one."""
        return str(self.bilingual_name)


class CapabilityCategory(NamedInHindi):
    """A family of processes (machining, coatings, ...); slugs are part of the import format."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "vendors_capabilitycategory"
        ordering = ["order", "name"]
        verbose_name_plural = "capability categories"

    def __str__(self) -> str:
        return self.name


class Process(NamedInHindi):
    """A process a supplier offers and a need asks for; the matcher compares these exactly."""

    category = models.ForeignKey(
        CapabilityCategory, on_delete=models.PROTECT, related_name="processes"
    )
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "vendors_process"
        ordering = ["category__order", "order", "name"]
        verbose_name_plural = "processes"

    def __str__(self) -> str:
        return self.name


class CertificationType(NamedInHindi):
    """A certificate or accreditation a need can require (ISO 9001, NABL, ZED Gold, ...)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=160)
    description = models.CharField(max_length=250, blank=True)
    zed_level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 bronze, 2 silver, 3 gold for ZED certificates."
    )

    class Meta:
        db_table = "vendors_certificationtype"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class StrategicSector(NamedInHindi):
    """A sector the scheme serves and suppliers sell to (electric mobility, defence, ...)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    is_headline = models.BooleanField(
        default=True, help_text="Named among the scheme's main sectors (others are 'also')."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "schemes_strategicsector"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class MsmeLimitQuerySet(models.QuerySet["MsmeLimit"]):
    def in_force_on(self, day: datetime.date) -> MsmeLimitQuerySet:
        return self.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day
        )

    def classification_on(self, day: datetime.date | None = None) -> MsmeClassification:
        """The composite test with the limits in force on ``day`` (today by default)."""
        day = day or datetime.date.today()
        return MsmeClassification.from_limits(self.in_force_on(day), on=day)

    def category_for(
        self, *, investment: int, turnover: int, on: datetime.date | None = None
    ) -> str:
        return self.classification_on(on).category_for(investment=investment, turnover=turnover)


class MsmeLimit(models.Model):
    """The investment and turnover ceiling of one MSME category, for a period.

    Kept as data with effective dates so the next revision is a new row, not a code change.
    """

    category = models.CharField(max_length=10, choices=MSME_CATEGORY_CHOICES)
    max_investment_rupees = models.PositiveBigIntegerField(
        help_text="Investment in plant & machinery or equipment, at most (₹)."
    )
    max_turnover_rupees = models.PositiveBigIntegerField(help_text="Annual turnover, at most (₹).")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Empty while in force.")
    notification = models.CharField(max_length=120)

    objects = MsmeLimitQuerySet.as_manager()

    class Meta:
        db_table = "vendors_msmelimit"
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
