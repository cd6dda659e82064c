"""The REPM scheme as data: its figures and sources, timeline, facilities and their needs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.geo import latitude_validators, longitude_validators, validate_coordinates_pair
from taxonomy.choices import MSME_CATEGORY_CHOICES, Unit
from taxonomy.formatting import crore, number, quantity
from taxonomy.history import AuditedHistory
from taxonomy.models import NamedInHindi

NON_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _money(help_text: str = "", **kwargs: object) -> models.DecimalField:
    """Amounts in crore rupees, to two decimals (₹1 crore = ₹1,00,00,000)."""
    return models.DecimalField(
        max_digits=12, decimal_places=2, validators=NON_NEGATIVE, help_text=help_text, **kwargs
    )


class Source(models.Model):
    """A public document that a figure in the product comes from."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=250)
    publisher = models.CharField(max_length=160, blank=True)
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField(blank=True)
    reference = models.CharField(
        max_length=160, blank=True, help_text="e.g. Gazette S.O. number or press release id."
    )

    class Meta:
        ordering = ["published_on", "title"]

    def __str__(self) -> str:
        return self.title


class Scheme(NamedInHindi):
    """The scheme and its headline figures; SchemeFigureSource records each one's source."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    short_name_hi = models.CharField("Hindi short name", max_length=60, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    implementing_ministry = models.CharField(max_length=120)
    implementing_ministry_hi = models.CharField(
        "implementing ministry in Hindi", max_length=120, blank=True
    )
    approved_on = models.DateField()
    approved_by = models.CharField(max_length=120)
    approved_by_hi = models.CharField("approved by, in Hindi", max_length=120, blank=True)
    notified_on = models.DateField(null=True, blank=True)
    notification_reference = models.CharField(max_length=120, blank=True)

    total_outlay_crore = _money("Total outlay, ₹ crore.")
    total_outlay_usd_million = models.PositiveIntegerField(null=True, blank=True)
    sales_incentive_crore = _money("Sales-linked incentives, ₹ crore.")
    sales_incentive_years = models.PositiveSmallIntegerField()
    capital_subsidy_crore = _money("Capital subsidy, ₹ crore.")
    target_capacity_mtpa = models.PositiveIntegerField(help_text="Metric tonnes per annum.")
    beneficiaries = models.PositiveSmallIntegerField()
    min_allocation_mtpa = models.PositiveIntegerField()
    max_allocation_mtpa = models.PositiveIntegerField()
    allocation_step_mtpa = models.PositiveIntegerField()
    gestation_years = models.PositiveSmallIntegerField()
    incentive_years = models.PositiveSmallIntegerField()
    value_chain = models.CharField(max_length=200)
    value_chain_hi = models.CharField("value chain in Hindi", max_length=200, blank=True)
    eligible_product = models.CharField(max_length=200)
    sales_incentive_cap_per_kg_rupees = models.PositiveIntegerField()
    sales_incentive_cap_percent = models.DecimalField(
        max_digits=5, decimal_places=2, validators=PERCENT
    )
    sales_incentive_min_per_beneficiary_crore = _money()
    sales_incentive_max_per_beneficiary_crore = _money()
    capital_subsidy_percent = models.DecimalField(
        max_digits=5, decimal_places=2, validators=PERCENT
    )
    capital_subsidy_min_per_beneficiary_crore = _money()
    capital_subsidy_max_per_beneficiary_crore = _money()
    capital_investment_counted_from = models.DateField()
    min_eligible_investment_low_crore = _money(
        "Minimum eligible investment at the lowest capacity."
    )
    min_eligible_investment_high_crore = _money(
        "Minimum eligible investment at the highest capacity."
    )
    consortium_lead_min_equity_percent = models.DecimalField(
        max_digits=5, decimal_places=2, validators=PERCENT
    )
    bidders = models.TextField()
    raw_material = models.TextField()
    context = models.TextField()
    sources = models.ManyToManyField(Source, through="SchemeFigureSource", related_name="schemes")
    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_allocation_mtpa__lte=F("max_allocation_mtpa")),
                name="scheme_allocation_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def localized_short_name(self) -> str:
        return str(self.bilingual("short_name"))

    @property
    def duration_years(self) -> int:
        return self.gestation_years + self.incentive_years


class SchemeFigureSource(models.Model):
    """Which source backs which figures of the scheme (field names, comma-separated)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="figure_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="scheme_figures")
    fields = models.CharField(max_length=500, help_text="Scheme fields this source supports.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "source"], name="scheme_source_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.fields}"


class NetWorthSlab(models.Model):
    """Minimum bidder net worth for a band of allocated capacity."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="net_worth_slabs")
    min_capacity_mtpa = models.PositiveIntegerField()
    max_capacity_mtpa = models.PositiveIntegerField()
    net_worth_crore = _money()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["min_capacity_mtpa"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "min_capacity_mtpa"], name="net_worth_slab_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_capacity_mtpa__lte=F("max_capacity_mtpa")),
                name="net_worth_slab_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{number(self.min_capacity_mtpa)}–{quantity(self.max_capacity_mtpa, 'MTPA')}: "
            f"{crore(self.net_worth_crore)}"
        )


class Milestone(models.Model):
    """A dated step of the scheme's timeline; dates not yet public stay empty until entered."""

    class Kind(models.TextChoices):
        # Labels in the reader's language: the timeline shows on the home page and on MSMEs'
        # match pages.
        APPROVAL = "approval", _("Cabinet approval")
        NOTIFICATION = "notification", _("Gazette notification")
        RFP_ISSUED = "rfp_issued", _("RFP issued")
        BID_DUE = "bid_due", _("Bid due date")
        BID_OPENING = "bid_opening", _("Technical bids opened")
        AWARD = "award", _("Award")
        GESTATION_END = "gestation_end", _("End of gestation period")
        INCENTIVE_END = "incentive_end", _("End of incentive disbursement")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    date = models.DateField(null=True, blank=True, help_text="Empty while not yet public.")
    note = models.CharField(max_length=250, blank=True)
    note_hi = models.CharField("note in Hindi", max_length=250, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="milestone_kind_unique"),
        ]

    def __str__(self) -> str:
        when = self.date.isoformat() if self.date else "date not yet public"
        return f"{self.get_kind_display()}: {when}"


class ValueChainStage(NamedInHindi):
    """Oxide → metal → alloy → magnet: the steps each integrated facility covers."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Facility(NamedInHindi):
    """One of the scheme's integrated REPM facilities, awarded by global competitive bidding."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        BIDDING = "bidding", _("Bidding")
        AWARDED = "awarded", _("Awarded")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        COMMISSIONING = "commissioning", _("Commissioning")
        OPERATIONAL = "operational", _("Operational")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="facilities")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BIDDING)
    awardee = models.CharField(
        max_length=200, blank=True, help_text="Empty until the award is public; never invented."
    )
    awarded_on = models.DateField(null=True, blank=True)
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilities",
    )
    site_latitude = models.FloatField(null=True, blank=True, validators=latitude_validators)
    site_longitude = models.FloatField(null=True, blank=True, validators=longitude_validators)
    cluster_is_demo = models.BooleanField(
        default=False,
        help_text="The cluster was assigned by seed_demo for demo matching; --clear removes it.",
    )
    capacity_mtpa = models.PositiveIntegerField(
        null=True, blank=True, help_text="Allocated capacity, 600–1,200 MTPA in steps of 100."
    )
    stages = models.ManyToManyField(ValueChainStage, related_name="facilities", blank=True)
    summary = models.TextField(blank=True)
    summary_hi = models.TextField("summary in Hindi", blank=True)
    # Facility managers: staff who run this facility's needs and matches in the admin (and the
    # partner API); they see no other facility's. ``schemes.selectors.managed_facility_ids``.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_facilities",
        blank=True,
        help_text="Staff who manage this facility's needs and matches (and only this "
        "facility's, unless they may manage every facility).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(bases=[AuditedHistory], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["scheme", "number"]
        verbose_name_plural = "facilities"
        permissions = [
            (
                "manage_every_facility",
                "Can manage the needs and matches of every facility, not only those managed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="facility_number_unique"),
            models.CheckConstraint(
                condition=Q(capacity_mtpa__isnull=True)
                | Q(capacity_mtpa__gte=600, capacity_mtpa__lte=1200),
                name="facility_capacity_in_allocation_range",
            ),
            models.CheckConstraint(
                condition=Q(site_latitude__isnull=True, site_longitude__isnull=True)
                | Q(site_latitude__isnull=False, site_longitude__isnull=False),
                name="facility_site_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schemes:facility_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        validate_coordinates_pair(self.site_latitude, self.site_longitude)
        if self.capacity_mtpa is not None and self.capacity_mtpa % 100:
            raise ValidationError(
                {"capacity_mtpa": "Capacity is allotted in multiples of 100 MTPA."}
            )
        if self.status in {self.Status.PLANNED, self.Status.BIDDING} and self.awardee:
            raise ValidationError(
                {"awardee": "A facility still in bidding has no awardee; set the status too."}
            )

    @property
    def site(self) -> tuple[float, float] | None:
        """The facility's site, or its cluster's centre until a real site is entered."""
        if self.site_latitude is not None and self.site_longitude is not None:
            return (self.site_latitude, self.site_longitude)
        if self.cluster_id is not None:
            return (self.cluster.centre_latitude, self.cluster.centre_longitude)
        return None

    @property
    def site_is_provisional(self) -> bool:
        return self.site_latitude is None

    @staticmethod
    def site_expressions(path: str = "") -> tuple[Coalesce, Coalesce]:
        """``site`` as two ORM expressions (latitude, longitude) over the facility at ``path``
        (e.g. ``"need__facility__"``), for distances computed in the database; NULL without a
        site or a cluster. bulk.py's statement spells the same rule in SQL."""
        return (
            Coalesce(f"{path}site_latitude", f"{path}cluster__centre_latitude"),
            Coalesce(f"{path}site_longitude", f"{path}cluster__centre_longitude"),
        )


class NeedQuerySet(models.QuerySet["Need"]):
    def open(self) -> NeedQuerySet:
        return self.filter(status=Need.Status.OPEN)


class Need(models.Model):
    """A facility's procurement need that MSMEs can supply."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="needs")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    process = models.ForeignKey("taxonomy.Process", on_delete=models.PROTECT, related_name="needs")
    quantity = models.DecimalField(max_digits=14, decimal_places=2, validators=NON_NEGATIVE)
    unit = models.CharField(max_length=16, choices=Unit.choices, default=Unit.PIECES)
    min_monthly_capacity = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="In the need's unit, per month.",
    )
    max_tolerance_um = models.DecimalField(
        "maximum tolerance (µm)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    min_process_temperature_c = models.PositiveIntegerField(
        "minimum process temperature (°C)", null=True, blank=True
    )
    required_certifications = models.ManyToManyField(
        "taxonomy.CertificationType", related_name="required_by_needs", blank=True
    )
    radius_km = models.PositiveIntegerField(null=True, blank=True)
    preferred_category = models.CharField(
        max_length=10,
        blank=True,
        choices=MSME_CATEGORY_CHOICES,
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    external_ref = models.CharField(
        max_length=64, blank=True, help_text="The facility's own reference (unique per facility)."
    )
    is_demo = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(bases=[AuditedHistory], excluded_fields=["updated_at"])

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "process"], name="need_status_process_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "external_ref"],
                condition=~Q(external_ref=""),
                name="need_external_ref_unique_per_facility",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="need_quantity_non_negative"),
            models.CheckConstraint(
                condition=Q(min_monthly_capacity__isnull=True) | Q(min_monthly_capacity__gte=0),
                name="need_min_capacity_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(max_tolerance_um__isnull=True) | Q(max_tolerance_um__gte=0),
                name="need_tolerance_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.facility})"

    def match_date(self, today: datetime.date | None = None) -> datetime.date:
        """Certificates must be valid on this date: the due date, or today if there is none."""
        return self.match_date_for(self.due_date, today)

    @staticmethod
    def match_date_for(
        due_date: datetime.date | None, today: datetime.date | None = None
    ) -> datetime.date:
        """``match_date`` from a due date read as a column (the matcher's facts)."""
        return due_date or today or datetime.date.today()
