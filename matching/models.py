"""Matches between suppliers and needs, and the runs of the matcher that produce them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from taxonomy.history import AuditedHistory, ChangePath


class ScoringProfile(models.Model):
    """Weights of the score's components, editable by administrators.

    Each saved change is a new version; matches record the version that scored them, so a
    rematch after a weights change rewrites them and an unchanged profile rewrites nothing.
    """

    name = models.CharField(max_length=80, default="Default")
    version = models.PositiveIntegerField(default=1, editable=False)
    is_active = models.BooleanField(default=True)
    distance_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.30"))
    capacity_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.20"))
    tolerance_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.15"))
    quality_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.20"))
    preference_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.05"))
    experience_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.10"))
    distance_scale_km = models.PositiveIntegerField(
        default=1000,
        validators=[MinValueValidator(1)],
        help_text="Distance at which the distance component reaches 0 (no radius).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(bases=[AuditedHistory], excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_scoring_profile"
            ),
            models.CheckConstraint(
                condition=Q(distance_weight__gte=0)
                & Q(capacity_weight__gte=0)
                & Q(tolerance_weight__gte=0)
                & Q(quality_weight__gte=0)
                & Q(preference_weight__gte=0)
                & Q(experience_weight__gte=0),
                name="scoring_weights_non_negative",
            ),
            # The distance component divides by it.
            models.CheckConstraint(
                condition=Q(distance_scale_km__gte=1), name="scoring_distance_scale_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def weights(self) -> dict[str, Decimal]:
        return {name: getattr(self, f"{name}_weight") for name in SCORE_COMPONENTS}


SCORE_COMPONENTS = ("distance", "capacity", "tolerance", "quality", "preference", "experience")
COMPONENT_FIELDS = tuple(f"{name}_component" for name in SCORE_COMPONENTS)


def component_field(what: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=f"The score's {what} component, 0–1.",
    )


# Sent with ``supplier_ids`` when a bulk ``update()`` may have changed what matches commit of
# their suppliers' capacity (it sends no post_save): ``signals.py`` rematches those suppliers.
commitments_changed = Signal()
# Sent with ``supplier_ids`` or ``need_ids`` after a single rematch task (one supplier, one
# need) has written, so rooms above that derive from matches (the allocation) can follow.
matches_rematched = Signal()
# Sent with ``run`` once a run has finished (done or failed), after its transaction commits: the
# rooms above (the recommended allocation, consortia) refresh after a full rematch.
match_run_finished = Signal()
COMMITMENT_FIELDS = frozenset({"status", "committed_quantity"})


class MatchQuerySet(models.QuerySet["Match"]):
    def committing(self) -> MatchQuerySet:
        """Matches holding their supplier's capacity: shortlisted or engaged for an open need.
        Closing a need is how a facility says it no longer holds anyone's capacity for it."""
        return self.with_committing_status().filter(need__status="open")

    def with_committing_status(self) -> MatchQuerySet:
        """Shortlisted or engaged, whatever their need's status (what a need's change, such as
        its closing, may take or give back)."""
        return self.filter(status__in=COMMITTING)

    def update(self, **kwargs: Any) -> int:
        """Every path counts: a bulk status change commits or releases capacity as a service
        would, so the suppliers it touched are rematched once it commits."""
        if COMMITMENT_FIELDS.isdisjoint(kwargs):
            return super().update(**kwargs)
        if kwargs.get("status", COMMITTING[0]) not in COMMITTING:
            # As match_set_status does: a quantity belongs to a commitment, and none holds now.
            kwargs.setdefault("committed_quantity", None)
        supplier_ids = sorted(set(self.order_by().values_list("supplier_id", flat=True)))
        updated = super().update(**kwargs)
        if supplier_ids:
            commitments_changed.send(sender=Match, supplier_ids=supplier_ids)
        return updated


class Match(models.Model):
    """A supplier suggested for a need, with the score's components and the rule it misses.

    The matcher owns ``suggested`` rows; any other status records what a person did and is never
    deleted by a rematch (it is flagged instead, see ``no_longer_meets_rules``).
    """

    class Status(models.TextChoices):
        # Translated: the MSME reads its match's status on its pages, in English or Hindi.
        SUGGESTED = "suggested", _("Suggested")
        INTERESTED = "interested", _("Interested")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        ENGAGED = "engaged", _("Engaged")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Indexes chosen for the rematch's writes: a chunk inserts every match of a few needs, so the
    # unique (need, supplier) index grows in a few places; a (need, -score) index cost a third of
    # the insert time (numeric keys, random positions) for ordering ~5,000 rows a need can sort.
    # The supplier index (an MSME's own matches) takes random inserts, but small integer ones.
    #
    # No foreign-key constraints in the database: their per-row checks were a third of a full
    # rematch's time. Instead, on PostgreSQL the database cascades deletes of suppliers and needs
    # to their matches (statement triggers, migration 0007), and a rematch locks the suppliers
    # and needs it writes matches for, dropping any deleted meanwhile (bulk.py); deleters at
    # READ COMMITTED then never leave an orphan. The ORM cascades on every engine.
    supplier = models.ForeignKey(
        "vendors.Supplier",
        on_delete=models.CASCADE,
        related_name="matches",
        db_constraint=False,
    )
    need = models.ForeignKey(
        "schemes.Need",
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,
        db_constraint=False,
    )
    score = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # The score's components, 0–1, one column each: building a JSON object per row was the
    # costliest expression of a full rematch, and columns are a third of the bytes.
    distance_component = component_field("distance")
    capacity_component = component_field("capacity headroom")
    tolerance_component = component_field("tolerance margin")
    quality_component = component_field("quality")
    preference_component = component_field("preferred category")
    experience_component = component_field("experience")
    # What the matcher says is stored as rule codes (rules.RULES); the sentences, with their
    # figures, are derived on read in the reader's language (selectors.match_explanations).
    near_miss_rule = models.CharField(
        max_length=16, blank=True, help_text="The one rule a near miss fails; empty for a match."
    )
    no_longer_meets_rules = models.CharField(
        max_length=120,
        blank=True,
        help_text="Set when a match someone acted on stops being a full match: the rules it "
        "fails (comma-separated), or why it is no candidate any more.",
    )
    profile_version = models.PositiveIntegerField(default=0)
    # Not indexed alone: five values over millions of rows; queries pair it with a need or
    # supplier, whose indexes are selective (an index here misled the rematch's DELETE).
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # What the MSME wrote when it expressed interest (db_default: the matcher's INSERTs omit it).
    interest_message = models.CharField(max_length=500, blank=True, default="", db_default="")
    # What the facility wrote with its decision (shortlisted, engaged, declined); the MSME reads it.
    facility_note = models.CharField(max_length=500, blank=True, default="", db_default="")
    # What a shortlist or engagement takes of the supplier's monthly capacity for the need's
    # process, in the need's unit; empty means the need's own monthly quantity (see
    # ``COMMITMENT``). Released when the match leaves COMMITTING (declined, withdrawn).
    committed_quantity = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Per month, in the need's unit; empty: the need's monthly quantity.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name_plural = "matches"
        # Changes in order for partners' syncs and webhooks: a full rematch stamps ~200,000 rows
        # with one updated_at per chunk, so a page within one instant is found by (updated_at, id)
        # in the index rather than by sorting the whole instant.
        indexes = [
            models.Index(fields=["updated_at", "id"], name="match_updated_id_idx"),
            # Committed capacity is read by every rematch: a few thousand rows among millions,
            # and the matcher's own inserts ('suggested') never enter this index.
            models.Index(
                fields=["supplier", "need"],
                condition=Q(status__in=["shortlisted", "engaged"]),
                name="match_committing_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["need", "supplier"], name="match_unique_need_supplier"),
            models.CheckConstraint(
                condition=Q(committed_quantity__isnull=True) | Q(committed_quantity__gte=0),
                name="match_committed_quantity_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="match_score_between_0_and_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} ↔ {self.need} ({self.score})"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Match:
        instance = super().from_db(db, field_names, values)
        if "status" in field_names and "committed_quantity" in field_names:
            # What this row committed when read: a save that changes it rematches the supplier.
            instance._stored_commitment = instance.commitment
        return instance

    @property
    def commitment(self) -> tuple[bool, Decimal | None]:
        """Whether this match holds its supplier's capacity, and the quantity entered."""
        committing = self.status in COMMITTING
        return committing, (self.committed_quantity if committing else None)

    @property
    def is_near_miss(self) -> bool:
        return bool(self.near_miss_rule)

    @property
    def no_longer_meets(self) -> list[str]:
        """The codes of what an acted-on match no longer meets (empty while it holds)."""
        return self.no_longer_meets_rules.split(",") if self.no_longer_meets_rules else []

    @property
    def components(self) -> dict[str, float]:
        """The score's components by name, as the matcher computed them."""
        return {name: float(getattr(self, f"{name}_component")) for name in SCORE_COMPONENTS}


# Statuses a facility sets (through the admin or its partner's API); the MSME sets the others.
FACILITY_DECISIONS = (Match.Status.SHORTLISTED, Match.Status.ENGAGED, Match.Status.DECLINED)
# Statuses that take the supplier's capacity: a facility that shortlists or engages a supplier
# counts on it, so the same capacity is not offered to another need. Declining or the MSME's
# withdrawal releases it. The matcher's SQL (bulk.COMMITTED_SQL) names these same values.
COMMITTING = (Match.Status.SHORTLISTED, Match.Status.ENGAGED)
if set(COMMITTING) != {"shortlisted", "engaged"}:  # the partial index above names them
    raise AssertionError("Match's committing index must name COMMITTING's statuses.")
# Statuses under which the facility sees the MSME's contact details: it raised its hand.
CONTACT_VISIBLE = (Match.Status.INTERESTED, Match.Status.SHORTLISTED, Match.Status.ENGAGED)


class MatchStatusChange(models.Model):
    """The audit trail of what people did with a match: who, when, through which path, from
    which status to which, and the note. Outlives the match (no constraint, no cascade)."""

    match = models.ForeignKey(
        Match,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="status_changes",
    )
    from_status = models.CharField(max_length=12, choices=Match.Status.choices)
    to_status = models.CharField(max_length=12, choices=Match.Status.choices)
    note = models.CharField(max_length=500, blank=True)
    committed_quantity = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The quantity the facility entered with a shortlist or engagement, if any.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_name = models.CharField(
        max_length=160, blank=True, help_text="The partner whose API key made the change."
    )
    path = models.CharField(max_length=8, choices=ChangePath.choices)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"match {self.match_id}: {self.from_status} → {self.to_status}"


class MatchRun(models.Model):
    """One run of the matcher: a full sweep in chunks, or one supplier or need."""

    class Scope(models.TextChoices):
        FULL = "full", "All open needs"
        SUPPLIER = "supplier", "One supplier"
        NEED = "need", "One need"
        SUPPLIERS = "suppliers", "Some suppliers"
        NEEDS = "needs", "Some needs"

    class Trigger(models.TextChoices):
        """What started the run: every path that changes a match's inputs starts one or
        queues a rematch of one supplier or need (see matching.signals)."""

        COMMAND = "command", "The rematch command"
        SCORING_PROFILE = "scoring_profile", "Scoring profile changed"
        DEMO_DATA = "demo_data", "Demo data seeded or cleared"
        SUPPLIERS_CHANGED = "suppliers_changed", "Suppliers changed in bulk"
        NEEDS_CHANGED = "needs_changed", "A facility, cluster or certification type changed"
        CERTIFICATE_DATES = "certificate_dates", "Certificates expired or near expiry"
        NEW_YEAR = "new_year", "A new year (years of experience)"
        NIGHTLY_SWEEP = "nightly_sweep", "Nightly safety sweep"
        ADMIN = "admin", "Started from the admin"
        IMPORT = "import", "Suppliers or needs imported"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    scope = models.CharField(max_length=10, choices=Scope.choices)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.COMMAND)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The administrator who started it, for runs started from the admin.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    rows_deleted = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    failure_reason = models.TextField(blank=True, help_text="Why the run failed, if it did.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # A chunk started or finished: the watchdog re-drives a run with no progress for too long.
    last_progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["full", "suppliers", "needs"]) | Q(target_id__isnull=False),
                name="match_run_target_for_single_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} run #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def progress_percent(self) -> int:
        if not self.chunks_total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.chunks_done / self.chunks_total)


class MatchRunChunk(models.Model):
    """A slice of a run that one worker processes idempotently: some needs (against every
    candidate), or some suppliers (against every need they can match)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    need_ids = models.JSONField(default=list, blank=True)
    supplier_ids = models.JSONField(null=True, blank=True, help_text="Set for a supplier chunk.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    rows_deleted = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="match_run_chunk_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run} chunk {self.index} ({self.get_status_display()})"


class MatchTombstone(models.Model):
    """A deleted match, kept so that a partner syncing with ``updated_since`` learns it is gone.

    Written by the database itself (triggers, migration 0012), whoever deletes: the rematch's
    bulk statements, a cascade from a deleted supplier or need, the ORM. ``facility_id`` is the
    deleted match's need's facility, kept for scoping even once the need is gone. Pruned after
    ``MATCH_TOMBSTONE_DAYS``; a sync older than that must start again.
    """

    match_id = models.BigIntegerField()
    need_id = models.BigIntegerField()
    supplier_id = models.BigIntegerField()
    facility_id = models.BigIntegerField(null=True)
    deleted_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["deleted_at", "id"]
        indexes = [
            models.Index(fields=["facility_id", "deleted_at"], name="tombstone_facility_idx")
        ]

    def __str__(self) -> str:
        return f"match {self.match_id} deleted {self.deleted_at:%Y-%m-%d %H:%M}"
