"""Webhook endpoints and deliveries in the admin: the secret shown once, the actions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from partners import services, webhooks
from partners.models import WebhookDelivery, WebhookEndpoint
from tests.factories import FacilityFactory, MatchFactory, NeedFactory, PartnerFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:partners_webhookendpoint_changelist"


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def partner():
    return PartnerFactory(facilities=[FacilityFactory()])


@pytest.fixture
def endpoint(partner) -> WebhookEndpoint:
    return services.webhook_endpoint_create(partner=partner, url="https://hooks.example.in/a")[0]


def test_adding_an_endpoint_shows_its_secret_once(admin_client: Client, partner) -> None:
    response = admin_client.post(
        reverse("admin:partners_webhookendpoint_add"),
        {"partner": partner.pk, "url": "https://hooks.example.in/repm", "is_active": "on"},
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get()
    [shown] = [m for m in messages_of(response) if "not shown again" in m]
    secret = shown.rsplit(": ", 1)[1]
    assert secret == endpoint.secret and secret.startswith(webhooks.SECRET_PREFIX)
    Webhook(secret)  # a secret the receiver's library accepts
    page = admin_client.get(reverse("admin:partners_webhookendpoint_change", args=[endpoint.pk]))
    assert secret not in page.content.decode()


def test_an_http_or_internal_url_is_a_form_error_not_a_500(admin_client: Client, partner) -> None:
    for url in ("http://hooks.example.in/repm", "https://169.254.169.254/"):
        response = admin_client.post(
            reverse("admin:partners_webhookendpoint_add"), {"partner": partner.pk, "url": url}
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["url"]
    assert not WebhookEndpoint.objects.exists()


def test_rotating_shows_the_new_secret_and_keeps_the_old_for_a_day(
    admin_client: Client, endpoint: WebhookEndpoint
) -> None:
    old = endpoint.secret
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    endpoint.refresh_from_db()
    assert any(endpoint.secret in m for m in messages_of(response))
    assert endpoint.secrets_in_use() == [endpoint.secret, old]
    assert endpoint.secrets_in_use(timezone.now() + datetime.timedelta(hours=25)) == [
        endpoint.secret
    ]


def test_pausing_and_resuming_from_the_admin(
    admin_client: Client, endpoint: WebhookEndpoint
) -> None:
    admin_client.post(reverse(CHANGELIST), {"action": "pause", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.is_paused and "Paused by admin" in endpoint.pause_reason
    listed = admin_client.get(reverse(CHANGELIST), {"paused": "yes"})
    assert list(listed.context["cl"].result_list) == [endpoint]

    admin_client.post(reverse(CHANGELIST), {"action": "resume", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert not endpoint.is_paused


def test_redelivering_from_the_delivery_log_queues_it_now(
    admin_client: Client, endpoint: WebhookEndpoint
) -> None:
    MatchFactory(need=NeedFactory(facility=endpoint.partner.facilities.get()))
    later = timezone.now() + datetime.timedelta(minutes=1)
    delivery = services.webhook_delivery_build(endpoint_id=endpoint.pk, now=later)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.FAILED, next_attempt_at=None
    )
    # Paused, so the queued send finds nothing to do and the delivery waits, pending, for the
    # resume (no POST leaves this test).
    services.webhook_endpoint_pause(endpoint=endpoint, reason="test")

    response = admin_client.post(
        reverse("admin:partners_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
        follow=True,
    )

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at <= timezone.now()
    assert any("1 delivery" in m for m in messages_of(response))
    log = admin_client.get(
        reverse("admin:partners_webhookdelivery_changelist"), {"status__exact": "pending"}
    )
    assert list(log.context["cl"].result_list) == [delivery]
    detail = admin_client.get(
        reverse("admin:partners_webhookdelivery_change", args=[delivery.pk])
    ).content.decode()
    assert "matches.changed" in detail


def test_resuming_after_the_tombstones_were_pruned_warns_that_a_full_pull_is_needed(
    admin_client: Client, endpoint: WebhookEndpoint, settings: Any
) -> None:
    services.webhook_endpoint_pause(endpoint=endpoint, reason="test")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        delivered_through_at=timezone.now()
        - datetime.timedelta(days=settings.MATCH_TOMBSTONE_DAYS + 1)
    )
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "resume", "_selected_action": [endpoint.pk]}, follow=True
    )
    assert any("pull every match again" in m for m in messages_of(response))
