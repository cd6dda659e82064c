"""The mechanics of partner webhooks: secrets, signatures, the URL rule, the retry schedule
and the HTTP POST. No database writes here (those are in services.py).

Signatures follow the Standard Webhooks spec (https://www.standardwebhooks.com): the content
signed is ``{webhook-id}.{webhook-timestamp}.{body}`` with HMAC-SHA256, sent as ``v1,<base64>``;
during a secret rotation the body is signed with both secrets, space-separated, so a receiver
holding either verifies it.
"""

from __future__ import annotations

import base64
import datetime
import http.client
import ipaddress
import random
import secrets
import socket
import ssl
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64
EVENT_TYPE = "matches.changed"
USER_AGENT = "REPM-Connect-Webhooks/1"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# Delays after the 1st, 2nd, ... failed attempt; the last repeats until the retry window (three
# days from the first attempt) closes, with one last attempt at its end. As Stripe and the
# Standard Webhooks example schedule do: quick retries for blips, hours apart for outages.
RETRY_DELAYS = (
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
)
RETRY_WINDOW = datetime.timedelta(days=3)
RESPONSE_SNIPPET_BYTES = 2000


def new_secret() -> str:
    """A new signing secret in the Standard Webhooks format: ``whsec_`` + base64 of 32 bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_event_id() -> str:
    """The ``webhook-id`` of a delivery: stable across its retries (the receiver's idempotency
    key), no full stop (it is part of the signed content)."""
    return f"msg_{uuid.uuid4().hex}"


def signature_header(
    *, secrets_in_use: Sequence[str], event_id: str, timestamp: datetime.datetime, body: bytes
) -> str:
    """``webhook-signature``: one ``v1,<sig>`` per secret, space-separated (rotation)."""
    return " ".join(
        Webhook(secret).sign(msg_id=event_id, timestamp=timestamp, data=body)
        for secret in secrets_in_use
    )


def signed_headers(
    *, secrets_in_use: Sequence[str], event_id: str, timestamp: datetime.datetime, body: bytes
) -> dict[str, str]:
    """The headers of one attempt: the timestamp is the attempt's, so every retry is signed anew
    (receivers reject timestamps more than five minutes off)."""
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": event_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(
            secrets_in_use=secrets_in_use, event_id=event_id, timestamp=timestamp, body=body
        ),
    }


# --- Where we may POST ---------------------------------------------------------------------------


def local_endpoints_allowed() -> bool:
    """http:// to this machine: in development (DEBUG) and tests (WEBHOOKS_ALLOW_HTTP_LOCALHOST)."""
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_HTTP_LOCALHOST", False))


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return local_endpoints_allowed()
    return _is_public(address)


def validate_webhook_url(url: str) -> None:
    """HTTPS to a public host; http only to this machine, and only where local endpoints are
    allowed. A partner's URL is called from inside our network, so an address in a private,
    loopback or link-local range (a cloud metadata service, an internal database) is refused
    here and again, after resolving the name, before every POST (see ``post``)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from exc
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in {"https", "http"}:
        raise ValidationError(_("Enter an https:// URL."), code="scheme")
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _("Leave credentials out of the URL: the signature authenticates us."),
            code="credentials",
        )
    if parts.fragment:
        raise ValidationError(_("Leave the #fragment out of the URL."), code="fragment")
    if port == 0:
        raise ValidationError(_("Enter a valid URL."), code="invalid")
    is_local = host in LOCAL_HOSTS
    if parts.scheme == "http" and not (is_local and local_endpoints_allowed()):
        raise ValidationError(_("Enter an https:// URL."), code="scheme")
    if is_local and not local_endpoints_allowed():
        raise ValidationError(_("This machine cannot be a webhook endpoint."), code="local")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a name: checked once resolved, before each POST
    if not _address_allowed(address):
        raise ValidationError(
            _("Enter a public address: private and reserved networks are not reachable."),
            code="private",
        )


class DeliveryRefused(Exception):
    """The URL resolves to an address we do not POST to (checked before every attempt)."""


def _vetted_addresses(host: str, port: int) -> list[str]:
    """The addresses the host resolves to, if every one of them is allowed.

    Every address is checked, not just the first, and the connection then goes to an address
    checked (``_PinnedHTTPSConnection``), so a name that resolves differently a moment later
    (DNS rebinding) cannot turn a vetted URL into a request to an internal service.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise DeliveryRefused(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for raw in addresses:
        if not _address_allowed(ipaddress.ip_address(raw.split("%", 1)[0])):
            raise DeliveryRefused(f"{host} resolves to {raw}, which is not a public address")
    if not addresses:
        raise DeliveryRefused(f"cannot resolve {host}")
    return addresses


def _connect_to_one_of(addresses: Sequence[str], port: int, timeout: float) -> socket.socket:
    """A TCP connection to the first vetted address that answers (IPv6 and IPv4 alike)."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, addresses: Sequence[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self) -> None:
        self.sock = _connect_to_one_of(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a vetted address; the certificate is still checked against the host name."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        addresses: Sequence[str],
        timeout: float,
        context: ssl.SSLContext,
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._addresses = addresses

    def connect(self) -> None:
        sock = _connect_to_one_of(self._addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class PostResult:
    """What one attempt got: a status code, or an error before any response."""

    status: int | None
    body: str = ""
    error: str = ""
    retry_after: datetime.timedelta | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _retry_after(value: str | None) -> datetime.timedelta | None:
    if value and value.strip().isdigit():
        return datetime.timedelta(seconds=min(int(value.strip()), 24 * 3600))
    return None


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> PostResult:
    """POST once; never follows redirects (a 3xx is a failure: the URL should be updated)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        addresses = _vetted_addresses(host, port)
    except DeliveryRefused as exc:
        return PostResult(status=None, error=str(exc))
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(
            host, port, addresses=addresses, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTPConnection(host, port, addresses=addresses, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        snippet = response.read(RESPONSE_SNIPPET_BYTES).decode("utf-8", errors="replace")
        return PostResult(
            status=response.status,
            body=snippet,
            retry_after=_retry_after(response.getheader("retry-after")),
        )
    except (OSError, http.client.HTTPException) as exc:
        return PostResult(status=None, error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()


# --- When to try again ---------------------------------------------------------------------------


def next_attempt_at(
    *,
    failed_attempts: int,
    attempted_at: datetime.datetime,
    deadline: datetime.datetime,
    retry_after: datetime.timedelta | None = None,
    jitter: random.Random | None = None,
) -> datetime.datetime | None:
    """When to try again after this many failed attempts, or None once the window is spent.

    Up to 10 % jitter (the spec recommends some) so endpoints that failed together are not
    retried in lock-step; a receiver's Retry-After is honoured when longer.
    """
    if attempted_at >= deadline:
        return None
    delay = RETRY_DELAYS[min(failed_attempts, len(RETRY_DELAYS)) - 1]
    delay += delay * (jitter or random).uniform(0, 0.1)
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return min(attempted_at + delay, deadline)
