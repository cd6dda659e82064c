"""Consortia: teams of nearby MSMEs proposed for a need no single supplier can serve.

The builder (``teams.py``) proposes; ``services.py`` stores proposals and the members' answers.
A proposal nobody answered belongs to the builder and is replaced at will; once a member has
answered, the row records what a person did and is never deleted by a re-proposal: it is kept,
and marked stale when it no longer holds.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxonomy.choices import Unit
from taxonomy.formatting import number


class Consortium(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        FORMED = "formed", _("Formed")  # every member accepted
        FALLEN = "fallen", _("Fallen through")  # a member declined
        STALE = "stale", _("No longer valid")  # the need, a member or a capacity changed

    need = models.ForeignKey("schemes.Need", on_delete=models.CASCADE, related_name="consortia")
    # The member ids, sorted, joined by "-": a team is proposed once per need, and the same
    # team found again updates its row.
    team_key = models.CharField(max_length=160)
    rank = models.PositiveSmallIntegerField(help_text="1 is the best team for the need.")
    score = models.DecimalField(
        max_digits=5, decimal_places=2, help_text="The team score, 0–100 (consortia.teams)."
    )
    quantity = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="The need's monthly quantity the team was proposed for, in its unit.",
    )
    unit = models.CharField(max_length=16, choices=Unit.choices)
    total_free = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="The members' free capacity together."
    )
    spread_km = models.DecimalField(
        max_digits=7, decimal_places=1, help_text="The farthest partner from the lead."
    )
    place = models.CharField(
        max_length=80, help_text="Where the lead is (its district's headquarters)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["need", "rank", "id"]
        verbose_name_plural = "consortia"
        constraints = [
            models.UniqueConstraint(fields=["need", "team_key"], name="consortium_unique_team"),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="consortium_updated_id_idx")]

    def __str__(self) -> str:
        return f"Consortium #{self.pk} for need {self.need_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        """Members may still answer."""
        return self.status in {self.Status.PROPOSED, self.Status.FORMED}


class ConsortiumMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")

    class Response(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    supplier = models.ForeignKey(
        "vendors.Supplier", on_delete=models.CASCADE, related_name="consortium_places"
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    share = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Its monthly share of the need, in its unit."
    )
    free_capacity = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Its free monthly capacity when proposed."
    )
    match_score = models.DecimalField(max_digits=5, decimal_places=2)
    km_to_lead = models.DecimalField(max_digits=7, decimal_places=1)
    km_to_site = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    response = models.CharField(max_length=8, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consortium", "-share", "supplier_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "supplier"], name="consortium_member_unique"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=models.F("free_capacity")),
                name="consortium_share_within_free_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {number(self.share)} a month"
