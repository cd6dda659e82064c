"""Geography (states, districts) and the industrial clusters that anchor the facilities."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taxonomy.models import NamedInHindi

from .geo import latitude_validators, longitude_validators


class State(NamedInHindi):
    """A state or union territory, with the codes that Udyam numbers and GSTINs use."""

    code = models.CharField(
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", "Use the two capital letters of the state code.")
        ],
        help_text="Two-letter code used in Udyam registration numbers, e.g. TN.",
    )
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    gst_code = models.CharField(
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", "The GST state code is two digits, e.g. 33.")],
        help_text="First two digits of every GSTIN registered in this state.",
    )
    geonames_admin1 = models.CharField(max_length=4, blank=True, help_text="GeoNames admin1 code.")
    capital = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(NamedInHindi):
    """A district and its headquarters' coordinates (GeoNames): its suppliers' default site."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    code = models.CharField(
        max_length=2,
        validators=[RegexValidator(r"^\d{2}$", "The district code is two digits, e.g. 07.")],
        help_text="Two-digit district code within the state, as used in Udyam numbers.",
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    headquarters = models.CharField(max_length=80)
    latitude = models.FloatField(validators=latitude_validators)
    longitude = models.FloatField(validators=longitude_validators)
    geonameid = models.PositiveIntegerField(
        null=True, blank=True, help_text="GeoNames id of the place the coordinates come from."
    )
    location_basis = models.CharField(
        max_length=120,
        default="headquarters",
        help_text="'headquarters', or the listed town used where GeoNames lacks the headquarters.",
    )
    industrial_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["state__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["state", "code"], name="district_code_unique_in_state"),
            models.UniqueConstraint(fields=["state", "name"], name="district_name_unique_in_state"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.state.name}"


class Cluster(NamedInHindi):
    """An industrial cluster: a candidate REPM cluster or a Rare Earth Corridor."""

    class Kind(models.TextChoices):
        REPM_CLUSTER = "repm_cluster", _("REPM manufacturing cluster")
        RARE_EARTH_CORRIDOR = "rare_earth_corridor", _("Rare Earth Corridor")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        NOTIFIED = "notified", _("Notified")
        OPERATIONAL = "operational", _("Operational")

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.REPM_CLUSTER)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="clusters")
    districts = models.ManyToManyField(District, related_name="clusters", blank=True)
    centre_latitude = models.FloatField(validators=latitude_validators)
    centre_longitude = models.FloatField(validators=longitude_validators)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    summary = models.TextField(blank=True)
    summary_hi = models.TextField("summary in Hindi", blank=True)
    source_title = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:detail", kwargs={"slug": self.slug})


class ClusterAsset(NamedInHindi):
    """Shared infrastructure in a cluster that MSMEs can use."""

    class Kind(models.TextChoices):
        VENDOR_PARK = "vendor_park", _("Vendor park")
        TOOL_ROOM = "tool_room", _("Tool room")
        TRAINING_CENTRE = "training_centre", _("Training centre")
        TESTING_LAB = "testing_lab", _("Testing lab")
        COMMON_FACILITY_CENTRE = "common_facility_centre", _("Common facility centre")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        OPERATIONAL = "operational", _("Operational")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    name = models.CharField(max_length=160)
    capacity = models.CharField(
        max_length=120, blank=True, help_text="Free text, e.g. '40 plots' or '500 trainees a year'."
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["cluster__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="cluster_asset_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
