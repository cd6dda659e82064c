"""Partners (organisations using the REST API) and their API keys.

A key is shown once, when it is made, and stored as a SHA-256 digest: keys are 32 random bytes,
so a fast digest is as safe as a slow password hash and costs nothing per request. Its first
characters (the prefix) are stored in clear to find the row and to tell keys apart in the admin.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    """An organisation that builds REPM Connect into its own systems.

    Linked to facilities, it sees only their needs and matches and may update those matches;
    with no facility (the ministry, a state agency, an association) it reads everything and
    writes nothing.
    """

    class Kind(models.TextChoices):
        ANCHOR = "anchor", _("Anchor company")
        STATE_AGENCY = "state_agency", _("State industrial agency")
        ASSOCIATION = "association", _("Industry association")
        MINISTRY = "ministry", _("Ministry")

    name = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ANCHOR)
    facilities = models.ManyToManyField(
        "schemes.Facility",
        related_name="partners",
        blank=True,
        help_text="Empty: reads every facility's needs and matches and writes none.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Told when a webhook endpoint is paused after repeated failures."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def usable(self, now: datetime.datetime | None = None) -> ApiKeyQuerySet:
        """Keys that authenticate now: not revoked, not expired, of an active partner."""
        now = now or timezone.now()
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now),
            revoked_at__isnull=True,
            partner__is_active=True,
        )


class ApiKey(models.Model):
    PREFIX_LENGTH = 8

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80, blank=True, help_text="What the key is for.")
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the key.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.partner})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
