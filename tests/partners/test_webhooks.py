"""Partner webhooks against a real HTTP receiver on 127.0.0.1, started by each test.

Tasks are driven directly (the services the tasks call, with the clock passed in to move
through the retry schedule) or in-process (eager), so no test sleeps; one test runs the whole
path through a real Celery worker (PostgreSQL + Redis).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import shutil
import ssl
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from config.celery import app as celery_app
from matching.models import Match
from matching.services import match_set_status
from partners import selectors, services, tasks, webhooks
from partners.models import ChangeKind, WebhookDelivery, WebhookEndpoint
from tests.conftest import (
    database_url_for_current_test_db,
    service_missing,
    start_celery_worker,
    stop_celery_worker,
)
from tests.factories import FacilityFactory, MatchFactory, NeedFactory, PartnerFactory

pytestmark = pytest.mark.django_db

# --- A receiver, as a partner would run one ------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every POST, then answers with the next scripted status (default 200)."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    statuses: deque[int] = field(default_factory=deque)
    default_status: int = 200
    response_headers: dict[str, str] = field(default_factory=dict)
    # Called while the sender waits for the answer (a second worker arriving meanwhile).
    during_request: Callable[[], None] | None = None
    arrived: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/repm?tenant=7"

    def payloads(self) -> list[dict[str, Any]]:
        return [request.payload for request in self.received]


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        receiver.received.append(Received(self.path, headers, body))
        if receiver.during_request is not None:
            receiver.during_request()
        status = receiver.statuses.popleft() if receiver.statuses else receiver.default_status
        self.send_response(status)
        for name, value in receiver.response_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        receiver.arrived.set()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def running_receiver(tls: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    """An HTTP(S) server on 127.0.0.1, a random port, serving in a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    receiver = Receiver(port=server.server_address[1])
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture(autouse=True)
def webhook_settings(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST = True  # the receiver is http://127.0.0.1
    settings.WEBHOOK_SETTLE_SECONDS = 0  # no clocks to wait for: one machine


@pytest.fixture
def in_process_tasks() -> Iterator[None]:
    """Tasks queued after commit run in this process, as on the embedded default (also when
    REDIS_URL points the app at a broker no worker of this test listens to)."""
    conf = celery_app.conf
    before = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_eager_propagates = before


def verified(secret: str, request: Received) -> dict[str, Any]:
    """What a partner does on receipt: verify the signature over the raw body and headers."""
    return Webhook(secret).verify(request.body, request.headers)


def later(**delta: float) -> datetime.datetime:
    """A moment after every change made so far (the changes' horizon is "now")."""
    return timezone.now() + datetime.timedelta(seconds=1, **delta)


def send(endpoint: WebhookEndpoint, *, now: datetime.datetime | None = None) -> None:
    """One dispatch round of the endpoint, as the beat's task runs it."""
    services.webhook_endpoint_catch_up(endpoint_id=endpoint.pk, max_batches=50, now=now or later())


@pytest.fixture
def facility_a():
    return FacilityFactory()


@pytest.fixture
def anchor(facility_a):
    return PartnerFactory(name="Anchor A", facilities=[facility_a])


@pytest.fixture
def endpoint_and_secret(anchor, receiver: Receiver) -> tuple[WebhookEndpoint, str]:
    return services.webhook_endpoint_create(partner=anchor, url=receiver.url)


# --- Delivery and signatures ---------------------------------------------------------------------


def test_a_new_match_is_posted_signed_in_the_standard_webhooks_way(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_and_secret
    assert secret.startswith("whsec_") and len(secret) > 40
    match = MatchFactory(need=NeedFactory(facility=facility_a), status=Match.Status.INTERESTED)

    send(endpoint)

    [request] = receiver.received
    assert request.path == "/hooks/repm?tenant=7"
    assert request.headers["content-type"] == "application/json"
    payload = verified(secret, request)
    delivery = WebhookDelivery.objects.get()
    assert request.headers["webhook-id"] == delivery.event_id
    assert payload["type"] == "matches.changed"
    assert payload["data"]["deleted"] == []
    [summary] = payload["data"]["matches"]
    assert summary["id"] == match.pk
    assert summary["status"] == "interested"
    assert summary["need"]["facility"] == facility_a.slug
    assert summary["supplier"]["name"] == match.supplier.name
    assert summary["supplier"]["contact"] is not None  # the MSME has raised its hand
    assert summary["score"] == 72.5
    assert summary["interest_message"] == match.interest_message
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1 and delivery.last_response_code == 200
    endpoint.refresh_from_db()
    assert selectors.ChangeMark.of_endpoint(endpoint) == selectors.ChangeMark(
        match.updated_at, ChangeKind.MATCH, match.pk
    )

    send(endpoint)  # nothing changed since: nothing sent
    assert len(receiver.received) == 1


def test_a_tampered_body_or_a_stranger_secret_fails_verification(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    send(endpoint)
    [request] = receiver.received

    tampered = Received(request.path, request.headers, request.body.replace(b"72.5", b"99.5"))
    with pytest.raises(WebhookVerificationError):
        verified(secret, tampered)
    with pytest.raises(WebhookVerificationError):
        verified(webhooks.new_secret(), request)


def test_a_suggested_match_carries_no_contact_details(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, _secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    send(endpoint)
    [summary] = receiver.payloads()[0]["data"]["matches"]
    assert summary["status"] == "suggested"
    assert summary["supplier"]["contact"] is None


def test_changes_before_the_endpoint_was_registered_are_not_sent(
    anchor, facility_a, receiver: Receiver
) -> None:
    MatchFactory(need=NeedFactory(facility=facility_a))
    endpoint, _secret = services.webhook_endpoint_create(partner=anchor, url=receiver.url)
    send(endpoint)
    assert receiver.received == []


# --- Scope ---------------------------------------------------------------------------------------


def test_each_partner_gets_only_its_facilities_matches_and_an_unscoped_one_gets_all(
    facility_a, anchor, receiver: Receiver
) -> None:
    facility_b = FacilityFactory()
    other = PartnerFactory(name="Anchor B", facilities=[facility_b])
    ministry = PartnerFactory(name="Ministry", kind="ministry")
    endpoints = {
        partner.name: services.webhook_endpoint_create(partner=partner, url=receiver.url)
        for partner in (anchor, other, ministry)
    }
    in_a = MatchFactory(need=NeedFactory(facility=facility_a))
    in_b = MatchFactory(need=NeedFactory(facility=facility_b))

    seen = {}
    for name, (endpoint, secret) in endpoints.items():
        before = len(receiver.received)
        send(endpoint)
        seen[name] = {
            summary["id"]
            for request in receiver.received[before:]
            for summary in verified(secret, request)["data"]["matches"]
        }

    assert seen == {
        "Anchor A": {in_a.pk},
        "Anchor B": {in_b.pk},
        "Ministry": {in_a.pk, in_b.pk},
    }


def test_deletions_are_scoped_too(facility_a, anchor, receiver: Receiver) -> None:
    facility_b = FacilityFactory()
    endpoint, _secret = services.webhook_endpoint_create(partner=anchor, url=receiver.url)
    MatchFactory(need=NeedFactory(facility=facility_b)).delete()
    send(endpoint)
    assert receiver.received == []


# --- Changes, withdrawals and deletions ----------------------------------------------------------


def test_changed_withdrawn_and_deleted_matches_are_delivered_as_such(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)
    kept, withdrawn, deleted, of_deleted_supplier = MatchFactory.create_batch(4, need=need)
    send(endpoint)
    assert len(receiver.received) == 1

    kept.score = "80.00"
    kept.save()
    match_set_status(match=withdrawn, status=Match.Status.WITHDRAWN)
    deleted_ids = sorted([deleted.pk, of_deleted_supplier.pk])
    deleted.delete()  # a tombstone, written by the database
    of_deleted_supplier.supplier.delete()  # its matches go with it
    send(endpoint)

    [second] = [verified(secret, request) for request in receiver.received[1:]]
    by_id = {summary["id"]: summary for summary in second["data"]["matches"]}
    assert set(by_id) == {kept.pk, withdrawn.pk}
    assert by_id[kept.pk]["score"] == 80.0
    assert by_id[withdrawn.pk]["status"] == "withdrawn"
    assert sorted(second["data"]["deleted"]) == deleted_ids


def test_a_match_changed_many_times_between_rounds_is_sent_once_as_it_is_now(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_and_secret
    match = MatchFactory(need=NeedFactory(facility=facility_a))
    for status in ("interested", "shortlisted", "engaged"):
        match_set_status(match=match, status=status)
    send(endpoint)
    [request] = receiver.received
    [summary] = verified(secret, request)["data"]["matches"]
    assert summary["status"] == "engaged"


def test_batches_hold_at_most_the_batch_size_and_go_in_order(
    endpoint_and_secret, facility_a, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_BATCH_SIZE = 3
    endpoint, secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)
    matches = MatchFactory.create_batch(6, need=need)
    gone = MatchFactory(need=need)
    gone_id = gone.pk
    gone.delete()
    matches[0].save()  # changed again: now the newest change, sent in the last batch

    send(endpoint)

    batches = [verified(secret, request)["data"] for request in receiver.received]
    assert [len(b["matches"]) + len(b["deleted"]) for b in batches] == [3, 3, 1]
    sent = [summary["id"] for batch in batches for summary in batch["matches"]]
    assert sent == [m.pk for m in matches[1:]] + [matches[0].pk]
    assert batches[1]["deleted"] == [gone_id]
    assert len({request.headers["webhook-id"] for request in receiver.received}) == 3
    assert WebhookDelivery.objects.filter(status="delivered").count() == 3
    assert WebhookDelivery.objects.filter(match_count__gt=3).count() == 0


def test_deletions_at_one_instant_split_across_batches_are_all_delivered(
    endpoint_and_secret, facility_a, receiver: Receiver, settings: Any
) -> None:
    """A supplier's deletion deletes its matches in one statement: on SQLite their tombstones
    share one timestamp (to the millisecond), and a batch may end among them."""
    settings.WEBHOOK_BATCH_SIZE = 2
    endpoint, secret = endpoint_and_secret
    first = MatchFactory(need=NeedFactory(facility=facility_a))
    others = [MatchFactory(supplier=first.supplier, need=NeedFactory(facility=facility_a))]
    others += [MatchFactory(supplier=first.supplier, need=NeedFactory(facility=facility_a))]
    others += [MatchFactory(supplier=first.supplier, need=NeedFactory(facility=facility_a))]
    send(endpoint)
    ids = sorted([first.pk, *(m.pk for m in others)])
    before = len(receiver.received)

    first.supplier.delete()
    send(endpoint)

    batches = [verified(secret, r)["data"] for r in receiver.received[before:]]
    assert [len(b["deleted"]) for b in batches] == [2, 2]
    assert sorted(d for b in batches for d in b["deleted"]) == ids


def test_the_default_batch_is_a_hundred_matches() -> None:
    from django.conf import settings as django_settings

    assert django_settings.WEBHOOK_BATCH_SIZE == 100


def test_building_a_batch_takes_the_same_queries_whatever_its_size(
    endpoint_and_secret, facility_a, django_assert_max_num_queries, settings: Any
) -> None:
    endpoint, _secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)

    def queries_to_build(count: int) -> int:
        MatchFactory.create_batch(count, need=need)
        MatchFactory(need=need).delete()
        WebhookDelivery.objects.all().delete()
        settings.WEBHOOK_BATCH_SIZE = count + 1
        with django_assert_max_num_queries(12) as queries:
            delivery = services.webhook_delivery_build(endpoint_id=endpoint.pk, now=later())
        assert delivery is not None and delivery.match_count + delivery.deleted_count == count + 1
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            delivered_through_at=delivery.through_at,
            delivered_through_kind=delivery.through_kind,
            delivered_through_id=delivery.through_id,
        )
        return len(queries)

    # Savepoint, endpoint row locked, pending check, the partner's facilities, the changed
    # matches' ids, the tombstones, the matches' rows, their certificates, the delivery's
    # insert, savepoint release; on PostgreSQL two more before them (pg_stat_activity cleared
    # and read for the horizon).
    assert queries_to_build(2) == queries_to_build(40)


# --- Retries, pausing, resuming ------------------------------------------------------------------


def test_a_500_is_retried_after_five_minutes_with_the_same_id_and_a_fresh_signature(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    receiver.statuses.extend([500])
    first_attempt = later()

    send(endpoint, now=first_attempt)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.last_response_code == 500 and "HTTP 500" in delivery.last_error
    assert delivery.retry_until == first_attempt + datetime.timedelta(days=3)
    wait = delivery.next_attempt_at - first_attempt
    assert datetime.timedelta(minutes=5) <= wait <= datetime.timedelta(minutes=5.5)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1

    send(endpoint, now=first_attempt + datetime.timedelta(minutes=4))  # not due yet
    assert len(receiver.received) == 1

    send(endpoint, now=delivery.next_attempt_at)

    failed, retried = receiver.received
    assert retried.headers["webhook-id"] == failed.headers["webhook-id"] == delivery.event_id
    assert retried.body == failed.body
    verified(secret, retried)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 2
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_while_a_batch_is_retried_newer_changes_wait_behind_it(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)
    first = MatchFactory(need=need)
    receiver.statuses.extend([503])
    start = later()
    send(endpoint, now=start)
    second = MatchFactory(need=need)

    send(endpoint, now=start + datetime.timedelta(minutes=1))
    assert len(receiver.received) == 1  # no second batch overtakes the first

    retry_at = WebhookDelivery.objects.get().next_attempt_at
    send(endpoint, now=retry_at)
    sent = [[s["id"] for s in verified(secret, r)["data"]["matches"]] for r in receiver.received]
    assert sent == [[first.pk], [first.pk], [second.pk]]


def test_retry_after_is_honoured_when_longer_than_the_schedule(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, _secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    receiver.statuses.extend([429])
    receiver.response_headers["Retry-After"] = "3600"
    start = later()
    send(endpoint, now=start)
    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at == start + datetime.timedelta(hours=1)


def test_the_retry_schedule_spans_three_days_as_stripes_does() -> None:
    start = timezone.now()
    deadline = start + webhooks.RETRY_WINDOW
    attempts, at = [start], start

    class NoJitter:
        def uniform(self, a: float, b: float) -> float:
            return 0.0

    while (
        at := webhooks.next_attempt_at(
            failed_attempts=len(attempts), attempted_at=at, deadline=deadline, jitter=NoJitter()
        )
    ) is not None:
        attempts.append(at)

    hours = [round((a - start).total_seconds() / 3600, 2) for a in attempts]
    assert hours == [0, 0.08, 0.58, 2.58, 7.58, 17.58, 27.58, 37.58, 47.58, 57.58, 67.58, 72.0]


def test_an_endpoint_failing_for_three_days_is_paused_and_its_owner_told(
    endpoint_and_secret,
    facility_a,
    receiver: Receiver,
    django_capture_on_commit_callbacks,
    in_process_tasks: None,
) -> None:
    endpoint, _secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    receiver.default_status = 503
    send(endpoint, now=later())
    delivery = WebhookDelivery.objects.get()

    while delivery.status == WebhookDelivery.Status.PENDING:
        with django_capture_on_commit_callbacks(execute=True):
            send(endpoint, now=delivery.next_attempt_at)
        delivery.refresh_from_db()

    assert delivery.status == WebhookDelivery.Status.FAILED
    # Up to 10 % of jitter can make the hours-apart retries fit one fewer in three days.
    assert 11 <= delivery.attempts <= 12
    assert len(receiver.received) == delivery.attempts
    assert delivery.last_attempt_at == delivery.retry_until
    endpoint.refresh_from_db()
    assert endpoint.is_paused
    assert "Every attempt failed for 3 days" in endpoint.pause_reason
    assert endpoint.consecutive_failures == delivery.attempts
    [email] = mail.outbox
    assert email.to == [endpoint.partner.contact_email]
    assert "paused" in email.subject
    assert endpoint.url in email.body and "HTTP 503" in email.body
    assert "Nothing is lost" in email.body

    # Paused: the beat's round leaves it alone, whatever changes.
    MatchFactory(need=NeedFactory(facility=facility_a))
    tasks.webhooks_tick()
    send(endpoint, now=later(days=4))
    assert len(receiver.received) == delivery.attempts
    assert len(mail.outbox) == 1  # told once


def test_410_gone_pauses_the_endpoint_at_once(
    endpoint_and_secret,
    facility_a,
    receiver: Receiver,
    django_capture_on_commit_callbacks,
    in_process_tasks: None,
) -> None:
    endpoint, _secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    receiver.statuses.extend([410])
    with django_capture_on_commit_callbacks(execute=True):
        send(endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_paused and "410" in endpoint.pause_reason
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED
    assert len(mail.outbox) == 1


def test_the_pause_email_goes_once_and_to_the_administrator_without_a_partner_contact(
    anchor, settings: Any
) -> None:
    settings.ADMIN_EMAIL = "repm-admin@example.in"
    anchor.contact_email = ""
    anchor.save()
    endpoint, _secret = services.webhook_endpoint_create(
        partner=anchor, url="https://hooks.example.in/repm"
    )
    services.webhook_endpoint_pause(endpoint=endpoint, reason="The endpoint answered 410 Gone.")

    assert services.webhook_endpoint_notify_paused(endpoint_id=endpoint.pk)
    assert not services.webhook_endpoint_notify_paused(endpoint_id=endpoint.pk)  # a rerun

    [email] = mail.outbox
    assert email.to == ["repm-admin@example.in"]
    assert "410 Gone" in email.body


def test_a_paused_endpoint_catches_up_when_resumed_with_nothing_lost(
    endpoint_and_secret,
    facility_a,
    receiver: Receiver,
    django_capture_on_commit_callbacks,
    in_process_tasks: None,
    settings: Any,
) -> None:
    settings.WEBHOOK_BATCH_SIZE = 2
    endpoint, secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)
    failed_match = MatchFactory(need=need)
    receiver.statuses.extend([410])
    with django_capture_on_commit_callbacks(execute=True):
        send(endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_paused

    # While paused: a new match, a change, a deletion. Nothing is sent.
    new = MatchFactory(need=need)
    match_set_status(match=failed_match, status=Match.Status.INTERESTED)
    doomed = MatchFactory(need=need)
    doomed_id = doomed.pk
    doomed.delete()
    send(endpoint)
    assert len(receiver.received) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert services.webhook_endpoint_resume(endpoint=endpoint)

    caught_up = [verified(secret, request)["data"] for request in receiver.received[1:]]
    sent = {s["id"]: s["status"] for batch in caught_up for s in batch["matches"]}
    assert sent == {failed_match.pk: "interested", new.pk: "suggested"}
    assert [d for batch in caught_up for d in batch["deleted"]] == [doomed_id]
    assert len(caught_up) == 2  # three changes, two a batch
    endpoint.refresh_from_db()
    assert not endpoint.is_paused and endpoint.consecutive_failures == 0
    assert endpoint.delivered_through_kind == ChangeKind.DELETION


def test_pausing_by_hand_keeps_the_pending_retry_for_the_resume(
    endpoint_and_secret,
    facility_a,
    receiver: Receiver,
    django_capture_on_commit_callbacks,
    in_process_tasks: None,
) -> None:
    endpoint, secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    receiver.statuses.extend([500])
    start = later()
    send(endpoint, now=start)
    assert services.webhook_endpoint_pause(endpoint=endpoint, reason="Partner's maintenance")
    assert mail.outbox == []  # paused by a person: nobody to warn

    # Four days later (past the first attempt's three-day window) the retry still goes.
    delivery = WebhookDelivery.objects.get()
    send(endpoint, now=start + datetime.timedelta(days=4))
    assert len(receiver.received) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_endpoint_resume(endpoint=endpoint)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert receiver.received[1].headers["webhook-id"] == delivery.event_id
    verified(secret, receiver.received[1])


# --- Rotation, redelivery ------------------------------------------------------------------------


def test_during_a_rotation_both_secrets_verify_and_the_old_one_expires(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, old_secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)
    new_secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
    assert new_secret != old_secret and new_secret.startswith("whsec_")

    MatchFactory(need=need)
    send(endpoint)
    [during] = receiver.received
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert all(s.startswith("v1,") for s in during.headers["webhook-signature"].split(" "))
    assert verified(old_secret, during) == verified(new_secret, during)

    MatchFactory(need=need)
    send(endpoint, now=later(hours=25))
    after = receiver.received[1]
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    verified(new_secret, after)
    with pytest.raises(WebhookVerificationError):
        verified(old_secret, after)


def test_redelivering_sends_the_same_event_again_without_moving_the_mark_back(
    endpoint_and_secret,
    facility_a,
    receiver: Receiver,
    in_process_tasks: None,
    django_capture_on_commit_callbacks,
) -> None:
    endpoint, secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)
    MatchFactory(need=need)
    send(endpoint)
    MatchFactory(need=need)
    send(endpoint)
    first = WebhookDelivery.objects.order_by("pk").first()
    endpoint.refresh_from_db()
    mark = selectors.ChangeMark.of_endpoint(endpoint)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.webhook_delivery_redeliver(delivery=first)

    again = receiver.received[2]
    assert again.headers["webhook-id"] == first.event_id
    assert again.body == receiver.received[0].body
    verified(secret, again)
    first.refresh_from_db()
    assert first.status == WebhookDelivery.Status.DELIVERED
    endpoint.refresh_from_db()
    assert selectors.ChangeMark.of_endpoint(endpoint) == mark
    send(endpoint)
    assert len(receiver.received) == 3


def test_the_delivery_log_keeps_a_month_and_every_pending_delivery(
    endpoint_and_secret, facility_a, receiver: Receiver
) -> None:
    endpoint, _secret = endpoint_and_secret
    need = NeedFactory(facility=facility_a)
    MatchFactory(need=need)
    send(endpoint)
    MatchFactory(need=need)
    receiver.statuses.extend([500])
    send(endpoint)
    delivered, pending = WebhookDelivery.objects.order_by("pk")
    assert (delivered.status, pending.status) == ("delivered", "pending")

    assert services.webhook_deliveries_prune(now=later(days=29)) == 0
    assert services.webhook_deliveries_prune(now=later(days=31), batch_size=1) == 1
    assert list(WebhookDelivery.objects.all()) == [pending]


def test_the_beat_runs_the_webhook_tasks_every_minute_and_nightly() -> None:
    from django.conf import settings as django_settings

    celery_app.loader.import_default_modules()
    schedule = {
        entry["task"]: entry["schedule"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["partners.tasks.webhooks_tick"] == 60.0
    assert "partners.tasks.webhook_deliveries_prune" in schedule
    assert all(name in celery_app.tasks for name in schedule)


# --- Two workers, the URL rule -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_delivery_claimed_by_one_worker_is_not_sent_by_another(
    facility_a, receiver: Receiver
) -> None:
    anchor = PartnerFactory(facilities=[facility_a])
    endpoint, _secret = services.webhook_endpoint_create(partner=anchor, url=receiver.url)
    MatchFactory(need=NeedFactory(facility=facility_a))
    delivery = services.webhook_delivery_build(endpoint_id=endpoint.pk, now=later())
    second_worker: list[WebhookDelivery | None] = []

    def another_worker_arrives() -> None:
        # In the receiver's thread, with its own database connection, while the first POST
        # waits for its answer.
        from django.db import connection as thread_connection

        try:
            second_worker.append(services.webhook_delivery_attempt(delivery_id=delivery.pk))
        finally:
            thread_connection.close()

    receiver.during_request = another_worker_arrives
    recorded = services.webhook_delivery_attempt(delivery_id=delivery.pk, now=later())

    assert second_worker == [None]
    assert len(receiver.received) == 1
    assert recorded is not None and recorded.status == WebhookDelivery.Status.DELIVERED
    assert recorded.attempts == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.in/repm",
        "ftp://hooks.example.in/repm",
        "https://user:pass@hooks.example.in/repm",
        "https://10.1.2.3/repm",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/repm",
        "https://192.168.0.10:8443/repm",
        "https://hooks.example.in/repm#top",
        "not a url",
    ],
)
def test_an_endpoint_must_be_https_on_a_public_host(anchor, url: str) -> None:
    with pytest.raises(ValidationError):
        services.webhook_endpoint_create(partner=anchor, url=url)
    assert not WebhookEndpoint.objects.exists()


def test_localhost_over_http_only_where_allowed(anchor, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST = False
    settings.DEBUG = False
    for url in ("http://127.0.0.1:9000/hooks", "https://localhost/hooks", "https://127.0.0.1/"):
        with pytest.raises(ValidationError):
            services.webhook_endpoint_create(partner=anchor, url=url)
    services.webhook_endpoint_create(partner=anchor, url="https://hooks.example.in/repm")

    settings.DEBUG = True
    services.webhook_endpoint_create(partner=anchor, url="http://localhost:9000/hooks")


def test_an_address_that_became_internal_is_not_posted_to(
    endpoint_and_secret, facility_a, receiver: Receiver, settings: Any
) -> None:
    endpoint, _secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST = False  # as in production: 127.0.0.1 is internal

    send(endpoint)

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "not a public address" in delivery.last_error


def test_inactive_partners_and_endpoints_get_nothing(
    endpoint_and_secret, anchor, facility_a, receiver: Receiver
) -> None:
    endpoint, _secret = endpoint_and_secret
    MatchFactory(need=NeedFactory(facility=facility_a))
    anchor.is_active = False
    anchor.save()
    send(endpoint)
    assert tasks.webhooks_tick() == 0
    anchor.is_active = True
    anchor.save()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    send(endpoint)
    assert receiver.received == []


# --- HTTPS, as in production ----------------------------------------------------------------------


def self_signed(tmp_path: Any, name: str) -> tuple[str, str]:
    """A certificate for ``name`` (and its key), signed by itself: the CA a test trusts."""
    if shutil.which("openssl") is None:
        service_missing("needs the openssl command to make a test certificate")
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@contextlib.contextmanager
def https_receiver(tmp_path: Any, monkeypatch: Any, *, certificate_for: str) -> Iterator[Receiver]:
    cert, key = self_signed(tmp_path, certificate_for)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the sender trusts this certificate, no other
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with running_receiver(tls) as receiver:
        yield receiver


def test_https_is_posted_to_the_vetted_address_with_the_certificate_checked_by_name(
    anchor, facility_a, tmp_path: Any, monkeypatch: Any
) -> None:
    with https_receiver(tmp_path, monkeypatch, certificate_for="localhost") as receiver:
        url = f"https://localhost:{receiver.port}/hooks"
        endpoint, secret = services.webhook_endpoint_create(partner=anchor, url=url)
        MatchFactory(need=NeedFactory(facility=facility_a))
        send(endpoint)
    [request] = receiver.received
    assert request.headers["host"] == f"localhost:{receiver.port}"
    verified(secret, request)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_a_certificate_for_another_name_fails_the_attempt(
    anchor, facility_a, tmp_path: Any, monkeypatch: Any
) -> None:
    with https_receiver(tmp_path, monkeypatch, certificate_for="hooks.example.in") as receiver:
        url = f"https://localhost:{receiver.port}/hooks"
        endpoint, _secret = services.webhook_endpoint_create(partner=anchor, url=url)
        MatchFactory(need=NeedFactory(facility=facility_a))
        send(endpoint)
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error


# --- PostgreSQL: the horizon; a real worker ------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_with_an_older_stamp_is_still_sent(
    postgres: None, facility_a, receiver: Receiver
) -> None:
    """updated_at is the transaction's start (now()); a long transaction commits its change
    after later changes were sent. The horizon waits for it, so the mark never passes it."""
    import psycopg2

    anchor = PartnerFactory(facilities=[facility_a])
    endpoint, secret = services.webhook_endpoint_create(partner=anchor, url=receiver.url)
    need = NeedFactory(facility=facility_a)
    slow = MatchFactory(need=need)
    other = psycopg2.connect(database_url_for_current_test_db())
    try:
        with other.cursor() as cursor:  # a transaction opens: psycopg2 begins one implicitly
            cursor.execute(
                "UPDATE matching_match SET score = 55, updated_at = now() WHERE id = %s",
                [slow.pk],
            )
        quick = MatchFactory(need=need)  # committed now, stamped after the slow one
        send(endpoint)
        assert [s["id"] for s in verified(secret, receiver.received[0])["data"]["matches"]] == [
            slow.pk
        ]  # its first version only: the quick one is past the horizon while the slow is open
        other.commit()
    finally:
        other.close()

    send(endpoint)
    sent = [
        s for request in receiver.received[1:] for s in verified(secret, request)["data"]["matches"]
    ]
    assert [(s["id"], s["score"]) for s in sent] == [(slow.pk, 55.0), (quick.pk, 72.5)]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_beats_round(
    postgres: None, redis_url: str, facility_a, receiver: Receiver
) -> None:
    import redis
    from django.conf import settings as django_settings

    redis.Redis.from_url(redis_url).delete(django_settings.CELERY_TASK_DEFAULT_QUEUE)
    worker, _hostname = start_celery_worker(
        database_url=database_url_for_current_test_db(),
        redis_url=redis_url,
        WEBHOOKS_ALLOW_HTTP_LOCALHOST="true",
        WEBHOOK_SETTLE_SECONDS="0",
    )
    try:
        anchor = PartnerFactory(facilities=[facility_a])
        _endpoint, secret = services.webhook_endpoint_create(partner=anchor, url=receiver.url)
        match = MatchFactory(need=NeedFactory(facility=facility_a))

        tasks.webhooks_tick.delay().get(timeout=30)

        assert receiver.arrived.wait(timeout=30), "no webhook reached the receiver in 30 s"
        [summary] = verified(secret, receiver.received[0])["data"]["matches"]
        assert summary["id"] == match.pk
    finally:
        stop_celery_worker(worker)
