"""Snapshots of supply against demand, computed set-based and read by the insights pages.

A ``Snapshot`` is one refresh (``services.snapshot_refresh``), written in one transaction: the
pages read the newest, so they never see half a refresh. Its rows point at live needs,
facilities, clusters and processes without constraints or cascades (``DO_NOTHING``): they are
figures as of the snapshot, and deleting a need must neither wait for nor touch them; a page
joins them to the live rows, so a need deleted since simply drops out until the next refresh.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching import rules


def _live(model: str, **kwargs: object) -> models.ForeignKey:
    """A reference to a live row, with no constraint or cascade (see the module's note)."""
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **kwargs
    )


class Snapshot(models.Model):
    """One refresh of the figures: when it read the data, how long it took, its threshold."""

    computed_at = models.DateTimeField(db_index=True, help_text="When the data was read.")
    duration_ms = models.PositiveIntegerField(default=0)
    few_matches = models.PositiveSmallIntegerField(
        help_text="A need with some full matches, but fewer than this, has few (and a cluster "
        "with fewer suppliers of a process than this around it has few)."
    )
    data_mark = models.CharField(
        max_length=500,
        blank=True,
        help_text="The inputs' latest changes and row counts when read: a refresh that finds "
        "the same mark has nothing new to count.",
    )

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]

    def __str__(self) -> str:
        return f"Insights snapshot {self.computed_at:%Y-%m-%d %H:%M}"


class NearMisses(models.Model):
    """Near misses by the rule they fail, one column per rule of ``matching.rules``."""

    near_certificates = models.PositiveIntegerField(default=0)
    near_tolerance = models.PositiveIntegerField(default=0)
    near_capacity = models.PositiveIntegerField(default=0)
    near_temperature = models.PositiveIntegerField(default=0)
    near_radius = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def near_misses(self) -> dict[str, int]:
        """Near misses by rule code, in the rules' order."""
        return {rule.code: getattr(self, near_miss_field(rule.code)) for rule in rules.RULES}

    @property
    def near_misses_total(self) -> int:
        return sum(self.near_misses.values())


def near_miss_field(code: str) -> str:
    return f"near_{code}"


NEAR_MISS_FIELDS = tuple(near_miss_field(rule.code) for rule in rules.RULES)
if {f.name for f in NearMisses._meta.local_fields} != set(NEAR_MISS_FIELDS):
    raise ImproperlyConfigured("insights.NearMisses needs one column per rule of matching.rules.")


class NeedFigure(NearMisses):
    """An open need: its full matches, and its near misses by rule (suppliers, one per pair)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="needs")
    need = _live("schemes.Need")
    facility = _live("schemes.Facility")
    cluster = _live("clusters.Cluster", null=True)
    process = _live("taxonomy.Process")
    matches = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "facility"], name="insights_need_facility_idx")]

    def __str__(self) -> str:
        return f"need {self.need_id}: {self.matches} matches"


class ProcessFigure(NearMisses):
    """Demand and supply for one process, nationally, in a cluster or at a facility.

    Supplier columns count distinct suppliers: one matching three needs counts once.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("India")
        CLUSTER = "cluster", _("Cluster")
        FACILITY = "facility", _("Facility")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="processes")
    level = models.CharField(max_length=8, choices=Level.choices)
    # A cluster row with no cluster gathers the facilities not yet sited in one.
    cluster = _live("clusters.Cluster", null=True)
    facility = _live("schemes.Facility", null=True)
    process = _live("taxonomy.Process")
    open_needs = models.PositiveIntegerField(default=0)
    needs_without_match = models.PositiveIntegerField(default=0)
    needs_with_few_matches = models.PositiveIntegerField(default=0)
    matches = models.PositiveIntegerField(default=0, help_text="Need–supplier pairs that match.")
    matching_suppliers = models.PositiveIntegerField(default=0)
    near_miss_suppliers = models.PositiveIntegerField(
        default=0, help_text="Suppliers with a near miss by any rule (each counted once)."
    )

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "level", "cluster"], name="insights_process_level_idx")
        ]

    def __str__(self) -> str:
        return f"{self.level} process {self.process_id}: {self.open_needs} open needs"

    @property
    def gap_needs(self) -> int:
        return self.needs_without_match + self.needs_with_few_matches


class SupplyFigure(models.Model):
    """Active suppliers offering a process within a radius of a cluster's centre; without a
    cluster (and radius), anywhere in India. A missing row means none."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="supply")
    cluster = _live("clusters.Cluster", null=True)
    process = _live("taxonomy.Process")
    radius_km = models.PositiveIntegerField(null=True)
    suppliers = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "radius_km"], name="insights_supply_radius_idx")
        ]

    def __str__(self) -> str:
        return f"process {self.process_id} within {self.radius_km} km: {self.suppliers}"
