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

from . import webhooks


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


# --- Webhooks ------------------------------------------------------------------------------------


class ChangeKind(models.IntegerChoices):
    """Which stream a high-water mark points into; at the same instant, matches sort first."""

    MATCH = 0, "match changed"
    DELETION = 1, "match deleted"


class WebhookEndpoint(models.Model):
    """A partner's URL to which changed and deleted matches of its scope are POSTed in batches.

    Deliveries go out one at a time, in order: the next batch is built only once the one before
    is delivered, from the high-water mark (``delivered_through_*``) that only a delivered batch
    moves. So while an endpoint fails or is paused nothing is lost: changes wait behind the mark,
    and are sent (the latest state of each match once) when it recovers or is resumed.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[webhooks.validate_webhook_url],
        help_text="HTTPS, on a public host.",
    )
    description = models.CharField(max_length=160, blank=True)
    # Needed in clear to sign (HMAC); never shown after it is made (admin shows it once).
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Until then payloads are signed with the previous secret as well.",
    )
    is_active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    pause_reason = models.CharField(max_length=250, blank=True, editable=False)
    owner_notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the partner was told of the pause."
    )
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    # The high-water mark: every change up to (at, kind, id) has been delivered.
    delivered_through_at = models.DateTimeField(editable=False)
    delivered_through_kind = models.PositiveSmallIntegerField(
        choices=ChangeKind.choices, default=ChangeKind.MATCH, editable=False
    )
    delivered_through_id = models.BigIntegerField(default=0, editable=False)
    last_delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner", "pk"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return f"{self.url} ({self.partner})"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def secrets_in_use(self, now: datetime.datetime | None = None) -> list[str]:
        """The secrets to sign with now: the current one, and the previous until it expires."""
        now = now or timezone.now()
        in_use = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > now:
            in_use.append(self.previous_secret)
        return in_use


class WebhookDelivery(models.Model):
    """One batch POSTed to an endpoint, with its retries: the delivery log.

    ``event_id`` is the ``webhook-id`` header, the same on every retry and redelivery (the
    receiver's idempotency key); the body is stored as sent. ``through_*`` is the high-water
    mark the endpoint moves to once this batch is delivered.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=40, unique=True, editable=False)
    event_type = models.CharField(max_length=40, editable=False)
    payload = models.TextField(editable=False, help_text="The JSON body, byte for byte as sent.")
    match_count = models.PositiveIntegerField(default=0, editable=False)
    deleted_count = models.PositiveIntegerField(default=0, editable=False)
    through_at = models.DateTimeField(editable=False)
    through_kind = models.PositiveSmallIntegerField(choices=ChangeKind.choices, editable=False)
    through_id = models.BigIntegerField(editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    attempts = models.PositiveIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Retries stop (and the endpoint is paused) at this time: three days after the first attempt.
    retry_until = models.DateTimeField(null=True, blank=True, editable=False)
    # A worker's claim on the delivery while it POSTs; expired claims (a killed worker) lapse.
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # The sweep: pending deliveries that are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due_idx",
            ),
            models.Index(fields=["endpoint", "status"], name="webhook_delivery_endpoint_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.get_status_display()})"
