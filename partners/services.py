"""Actions on partners, their keys and their webhook endpoints."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from matching.models import Match
from schemes.models import Facility

from . import keys, selectors, tasks, webhooks
from .match_rows import MATCH_VALUES, matches_data
from .models import ApiKey, Partner, WebhookDelivery, WebhookEndpoint
from .renderers import dumps

logger = logging.getLogger(__name__)

# A key's last use is written at most this often: one UPDATE a minute, not one per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def partner_ensure(
    *, name: str, facilities: Iterable[Facility] = (), kind: str = Partner.Kind.ANCHOR
) -> Partner:
    """The partner of this name (made if new), linked to these facilities as well."""
    partner, _created = Partner.objects.get_or_create(name=name, defaults={"kind": kind})
    facilities = list(facilities)
    if facilities:
        partner.facilities.add(*facilities)
    return partner


def api_key_create(
    *,
    partner: Partner,
    name: str = "",
    expires_at: datetime.datetime | None = None,
    created_by: AbstractBaseUser | None = None,
) -> tuple[ApiKey, str]:
    """A new key for the partner; returns it with the key in clear, shown once."""
    key, prefix, digest = keys.new_key()
    api_key = ApiKey.objects.create(
        partner=partner,
        name=name,
        prefix=prefix,
        digest=digest,
        expires_at=expires_at,
        created_by=created_by,
    )
    return api_key, key


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once (idempotent: a revoked key keeps its first revocation time)."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_key.refresh_from_db(fields=["revoked_at"])
    selectors.forget_checked_keys()  # an UPDATE sends no signal
    return api_key


def api_key_mark_used(*, api_key: ApiKey, now: datetime.datetime | None = None) -> None:
    """Record the key's use, at most once a minute (a conditional UPDATE, no read)."""
    now = now or timezone.now()
    last = api_key.last_used_at
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).exclude(
        last_used_at__gt=now - LAST_USED_RESOLUTION
    ).update(last_used_at=now)
    api_key.last_used_at = now


# --- Webhooks ------------------------------------------------------------------------------------


def webhook_endpoint_create(
    *, partner: Partner, url: str, description: str = "", is_active: bool = True
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint with a new secret; returns it with the secret, shown once.

    Changes are sent from now on: a partner takes the current state from the API first.
    """
    endpoint = WebhookEndpoint(
        partner=partner,
        url=url,
        description=description,
        is_active=is_active,
        secret=webhooks.new_secret(),
        delivered_through_at=timezone.now(),
    )
    endpoint.full_clean()  # the URL rule: https, a public host (ValidationError otherwise)
    endpoint.save()
    return endpoint, endpoint.secret


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, now: datetime.datetime | None = None
) -> str:
    """A new secret, returned to be shown once. For WEBHOOK_SECRET_OVERLAP_HOURS payloads are
    signed with the old one as well, so the receiver can switch without losing a delivery."""
    now = now or timezone.now()
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.previous_secret = locked.secret
    locked.previous_secret_expires_at = now + datetime.timedelta(
        hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS
    )
    locked.secret = webhooks.new_secret()
    locked.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    endpoint.refresh_from_db()
    return locked.secret


def webhook_endpoint_pause(
    *,
    endpoint: WebhookEndpoint,
    reason: str,
    notify_owner: bool = False,
    now: datetime.datetime | None = None,
) -> bool:
    """Stop sending to the endpoint (changes keep waiting behind its mark); True if it was
    sending. ``notify_owner``: email the partner's contact once this commits."""
    paused = WebhookEndpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=True).update(
        paused_at=now or timezone.now(), pause_reason=reason[:250], owner_notified_at=None
    )
    endpoint.refresh_from_db()
    if paused and notify_owner:
        tasks.webhook_endpoint_notify_paused.delay_on_commit(endpoint.pk)
    return bool(paused)


@transaction.atomic
def webhook_endpoint_resume(
    *, endpoint: WebhookEndpoint, now: datetime.datetime | None = None
) -> bool:
    """Send again: pending deliveries go at once with a fresh retry window, then everything
    that changed meanwhile, in batches. True if it was paused."""
    now = now or timezone.now()
    resumed = WebhookEndpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=False).update(
        paused_at=None, pause_reason="", consecutive_failures=0
    )
    endpoint.refresh_from_db()
    if resumed:
        endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
            next_attempt_at=now, retry_until=None, locked_until=None
        )
        tasks.webhook_endpoint_dispatch.delay_on_commit(endpoint.pk)
    return bool(resumed)


def webhook_endpoint_notify_paused(*, endpoint_id: int) -> bool:
    """Tell the partner's contact (else the site's administrator), in English and Hindi (a
    partner has no language of its own), that its endpoint is paused and why. Claimed with a
    conditional UPDATE, so a task delivered twice sends one email."""
    with transaction.atomic():
        # Sent inside the claim's transaction: if the mail server fails, the claim rolls back
        # and the task's retry sends it.
        claimed = WebhookEndpoint.objects.filter(
            pk=endpoint_id, paused_at__isnull=False, owner_notified_at__isnull=True
        ).update(owner_notified_at=timezone.now())
        if not claimed:
            return False
        endpoint = WebhookEndpoint.objects.select_related("partner").get(pk=endpoint_id)
        # A partner with no contact address: the site's administrator is told instead.
        recipient = endpoint.partner.contact_email or settings.ADMIN_EMAIL
        if not recipient:
            logger.warning("Webhook endpoint %s paused; nobody to tell", endpoint_id)
            return False
        context = {"endpoint": endpoint, "partner": endpoint.partner}
        parts = {}
        for language in ("en", "hi"):
            with translation.override(language):
                parts[language] = (
                    render_to_string("partners/email/webhook_paused_subject.txt", context).strip(),
                    render_to_string("partners/email/webhook_paused.txt", context).strip(),
                )
        send_mail(
            subject=f"{parts['en'][0]} / {parts['hi'][0]}",
            message=f"{parts['en'][1]}\n\n—\n\n{parts['hi'][1]}\n",
            from_email=None,
            recipient_list=[recipient],
        )
    return True


def _payload(batch: selectors.ChangeBatch, now: datetime.datetime) -> bytes:
    """The batch's body: its matches as they are now, in the API's shape (one function makes
    both, ``match_rows.match_data``), and the ids of deleted ones."""

    rows = {
        row["id"]: row
        for row in Match.objects.filter(pk__in=batch.match_ids).order_by().values(*MATCH_VALUES)
    }
    # A match deleted since its id was read is left out: its tombstone comes in a later batch.
    ordered = [rows[match_id] for match_id in batch.match_ids if match_id in rows]
    return dumps(
        {
            "type": webhooks.EVENT_TYPE,
            "timestamp": now,
            "data": {"matches": matches_data(ordered), "deleted": batch.deleted_ids},
        }
    )


def webhook_delivery_build(
    *, endpoint_id: int, now: datetime.datetime | None = None
) -> WebhookDelivery | None:
    """The endpoint's next batch as a pending delivery, unless one is still pending (batches
    go one at a time, in order) or nothing changed since its mark."""
    now = now or timezone.now()
    horizon = selectors.change_horizon(now)  # first: it reads pg_stat_activity afresh
    with transaction.atomic():
        # The endpoint's row lock: two workers building at once would send the same changes.
        endpoint = (
            selectors.webhook_endpoints_live()
            .select_for_update(of=("self",))
            .select_related("partner")
            .filter(pk=endpoint_id)
            .first()
        )
        if endpoint is None:
            return None
        if endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).exists():
            return None
        batch = selectors.webhook_changes_after(
            scope=selectors.scope_of(endpoint.partner),
            mark=selectors.ChangeMark.of_endpoint(endpoint),
            horizon=horizon,
            limit=settings.WEBHOOK_BATCH_SIZE,
        )
        if batch is None:
            return None
        return WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=webhooks.new_event_id(),
            event_type=webhooks.EVENT_TYPE,
            payload=_payload(batch, now).decode(),
            match_count=len(batch.match_ids),
            deleted_count=len(batch.deleted_ids),
            through_at=batch.through.at,
            through_kind=batch.through.kind,
            through_id=batch.through.id,
            next_attempt_at=now,
        )


def webhook_delivery_attempt(
    *, delivery_id: int, now: datetime.datetime | None = None
) -> WebhookDelivery | None:
    """POST the delivery if it is due and this worker claims it; record what came back.

    The claim is a conditional UPDATE (pending, due, not held by another worker, endpoint
    live), so two workers never send the same attempt; it is a lease, so a worker killed
    mid-POST leaves the delivery to be retried once the lease lapses. Returns the delivery
    as recorded, or None when there was nothing to send.
    """
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=2 * settings.WEBHOOK_TIMEOUT_SECONDS + 30)
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=now,
            endpoint__in=selectors.webhook_endpoints_live(),
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(
            locked_until=now + lease,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            retry_until=Coalesce("retry_until", Value(now + webhooks.RETRY_WINDOW)),
        )
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = delivery.payload.encode()
    # The attempt's own time (not ``now``, which tests move): receivers check it within minutes.
    headers = webhooks.signed_headers(
        secrets_in_use=endpoint.secrets_in_use(now),
        event_id=delivery.event_id,
        timestamp=timezone.now(),
        body=body,
    )
    result = webhooks.post(
        endpoint.url, body=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    return _delivery_record(delivery=delivery, result=result, attempted_at=now)


def _failure_text(result: webhooks.PostResult) -> str:
    if result.status is None:
        return result.error
    return f"HTTP {result.status}: {result.body}"[:2000]


@transaction.atomic
def _delivery_record(
    *, delivery: WebhookDelivery, result: webhooks.PostResult, attempted_at: datetime.datetime
) -> WebhookDelivery | None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    # Only the claimant records: a worker whose lease lapsed and whose delivery was claimed
    # again finds ``attempts`` moved on and writes nothing.
    mine = WebhookDelivery.objects.filter(
        pk=delivery.pk, attempts=delivery.attempts, status=WebhookDelivery.Status.PENDING
    )
    if result.delivered:
        if not mine.update(
            status=WebhookDelivery.Status.DELIVERED,
            delivered_at=timezone.now(),
            next_attempt_at=None,
            locked_until=None,
            last_response_code=result.status,
            last_error="",
        ):
            return None
        through = selectors.ChangeMark(
            delivery.through_at, delivery.through_kind, delivery.through_id
        )
        # Forward only: a redelivered old batch must not send everything after it again.
        if through > selectors.ChangeMark.of_endpoint(endpoint):
            endpoint.delivered_through_at = through.at
            endpoint.delivered_through_kind = through.kind
            endpoint.delivered_through_id = through.id
        endpoint.consecutive_failures = 0
        endpoint.last_delivered_at = timezone.now()
        endpoint.save(
            update_fields=[
                "delivered_through_at",
                "delivered_through_kind",
                "delivered_through_id",
                "consecutive_failures",
                "last_delivered_at",
            ]
        )
    else:
        gone = result.status == 410  # the spec: the receiver wants no more; stop at once
        retry_at = None
        if not gone and delivery.retry_until is not None:
            retry_at = webhooks.next_attempt_at(
                failed_attempts=delivery.attempts,
                attempted_at=attempted_at,
                deadline=delivery.retry_until,
                retry_after=result.retry_after,
            )
        if not mine.update(
            status=WebhookDelivery.Status.PENDING if retry_at else WebhookDelivery.Status.FAILED,
            next_attempt_at=retry_at,
            locked_until=None,
            last_response_code=result.status,
            last_error=_failure_text(result),
        ):
            return None
        endpoint.consecutive_failures += 1
        endpoint.save(update_fields=["consecutive_failures"])
        if retry_at is None:
            if gone:
                reason = "The endpoint answered 410 Gone."
            else:
                reason = (
                    f"Every attempt failed for {webhooks.RETRY_WINDOW.days} days "
                    f"({delivery.attempts} attempts); last: {_failure_text(result)}"
                )
            webhook_endpoint_pause(endpoint=endpoint, reason=reason, notify_owner=True)
    delivery.refresh_from_db()
    return delivery


def webhook_endpoint_catch_up(
    *, endpoint_id: int, max_batches: int, now: datetime.datetime | None = None
) -> bool:
    """Send what the endpoint is owed, one batch after the other: a due pending delivery first,
    then new batches from its mark, until one fails, nothing is left, or ``max_batches`` went
    (True then: more may be waiting, and the caller queues another round)."""
    for _round in range(max_batches):
        pending = (
            WebhookDelivery.objects.filter(
                endpoint_id=endpoint_id, status=WebhookDelivery.Status.PENDING
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        delivery_id = pending
        if delivery_id is None:
            built = webhook_delivery_build(endpoint_id=endpoint_id, now=now)
            if built is None:
                return False
            delivery_id = built.pk
        delivery = webhook_delivery_attempt(delivery_id=delivery_id, now=now)
        if delivery is None or delivery.status != WebhookDelivery.Status.DELIVERED:
            return False  # not due yet, held by another worker, or failed: retried later
    return True


def webhook_delivery_redeliver(
    *, delivery: WebhookDelivery, now: datetime.datetime | None = None
) -> bool:
    """Send a delivery again (same ``webhook-id``, body as first sent), at once and with a fresh
    retry window; not one a worker is sending right now. True if it was queued."""
    now = now or timezone.now()
    queued = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status=WebhookDelivery.Status.PENDING, locked_until__gt=now)
        .update(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=now,
            retry_until=None,
            locked_until=None,
        )
    )
    if queued:
        tasks.webhook_delivery_send.delay_on_commit(delivery.pk)
    delivery.refresh_from_db()
    return bool(queued)


def webhook_deliveries_prune(
    *, now: datetime.datetime | None = None, batch_size: int = 5000
) -> int:
    """Delete log entries older than WEBHOOK_DELIVERY_LOG_DAYS (never a pending one), in batches
    of ids so no statement holds many rows locked. Returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.WEBHOOK_DELIVERY_LOG_DAYS)
    old = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(
        status=WebhookDelivery.Status.PENDING
    )
    deleted = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        deleted += WebhookDelivery.objects.filter(pk__in=ids).delete()[0]
    return deleted
