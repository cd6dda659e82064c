"""The recommended allocation of open needs to suppliers' free capacity, and its runs.

A run computes, for one process or all of them, which supplier each open need is recommended
to (``solver.py``); its recommendations replace the process's current set in one transaction.
So the set a page reads is always one run's, whole, per process.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import Unit


class AllocationRun(models.Model):
    """One computation of the allocation: for a process, or for all (``process`` empty).

    Every run ends *done* with exact counts or *failed* with a reason: a run left running by a
    worker that died is failed as stale by ``services.allocation_runs_watch`` (beat).
    """

    class Trigger(models.TextChoices):
        AFTER_FULL_REMATCH = "after_full_rematch", _("After a full rematch")
        ON_DEMAND = "on_demand", _("On demand")
        # Value kept from the first release; any rematch of some suppliers or needs (a commitment
        # made or freed among them) re-allocates their processes.
        COMMITMENTS_CHANGED = "commitments_changed", _("Matches or commitments changed")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    process = models.ForeignKey(
        "taxonomy.Process",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every process."),
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    match_run_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("The full rematch that started it, if one did.")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    processes = models.PositiveIntegerField(default=0)
    needs = models.PositiveIntegerField(default=0, help_text=_("Open needs considered."))
    needs_in_hand = models.PositiveIntegerField(
        default=0, help_text=_("Open needs with a shortlisted or engaged supplier: none given.")
    )
    edges = models.PositiveIntegerField(default=0, help_text=_("Candidate matches."))
    edges_solved = models.PositiveIntegerField(
        default=0, help_text=_("Candidate matches left for the solver after exact pruning.")
    )
    recommended = models.PositiveIntegerField(default=0)
    unrecommended = models.PositiveIntegerField(
        default=0, help_text=_("Open needs (not in hand) left without a recommendation.")
    )
    total_score = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    solver_status = models.CharField(max_length=10, blank=True)
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The watch reads unfinished runs; they are few among many.
            models.Index(
                fields=["status"],
                condition=Q(status__in=["pending", "running"]),
                name="allocation_run_unfinished_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Allocation run #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class Recommendation(models.Model):
    """The supplier an open need is recommended to, with why, from the run that chose it."""

    class Reason(models.TextChoices):
        BEST = "best", _("Its best match, within the supplier's free capacity")
        CAPACITY_ELSEWHERE = (
            "capacity_elsewhere",
            _("Higher-scoring suppliers are recommended for other needs of the process"),
        )
        BEST_FOUND = "best_found", _("The best allocation found in the time allowed")

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="+")
    process = models.ForeignKey("taxonomy.Process", on_delete=models.CASCADE, related_name="+")
    need = models.OneToOneField(
        "schemes.Need", on_delete=models.CASCADE, related_name="recommendation"
    )
    supplier = models.ForeignKey(
        "vendors.Supplier", on_delete=models.CASCADE, related_name="recommendations"
    )
    # No constraint: the matcher deletes matches with bulk statements (see Match.need); a
    # recommendation whose match is gone is not shown, and the next run replaces it.
    match = models.OneToOneField(
        "matching.Match",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="recommendation",
    )
    score = models.DecimalField(max_digits=5, decimal_places=2)
    quantity = models.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Per month, in the need's unit.")
    )
    unit = models.CharField(max_length=16, choices=Unit.choices)
    rank_for_need = models.PositiveIntegerField(help_text=_("1: the need's best match."))
    higher_elsewhere = models.PositiveIntegerField(
        default=0, help_text=_("Higher-scoring suppliers recommended for other needs instead.")
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    capacity = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, help_text=_("Empty: no capacity stated.")
    )
    free_before = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    free_after = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "need"]
        indexes = [models.Index(fields=["supplier", "process"], name="recommendation_supplier_idx")]

    def __str__(self) -> str:
        return f"need {self.need_id} → supplier {self.supplier_id}"
