"""What the MSME pages keep of their own: which digests went to whom, and which enterprise an
owner is working on."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Digest(models.Model):
    """One owner's digest email for one period: the unique row is what makes it "never twice"
    (it is written before the email is sent, in the same transaction as the claim)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    period_start = models.DateField(help_text="The first day of the week the digest covers.")
    matches = models.PositiveIntegerField(default=0)
    expiring = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "period_start"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.owner} · week of {self.period_start:%d %b %Y}"


class CurrentEnterprise(models.Model):
    """The enterprise an owner with several is working on, remembered per account (every /me/
    page shows it). No row, or a row whose supplier was deleted: their first, by name."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="current_enterprise",
    )
    supplier = models.ForeignKey(
        "vendors.Supplier", on_delete=models.CASCADE, related_name="chosen_by"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.owner} → {self.supplier}"
