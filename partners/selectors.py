"""Read queries of the partner API: keys, and what a partner may see (its scope).

Every object a partner reaches goes through ``scoped_needs``/``scoped_matches`` and the access
helpers below, so another partner's need or match is a 404, never a leak.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from allocation.models import Recommendation
from consortia.models import Consortium
from matching.models import Match, MatchTombstone
from matching.services import tombstones_kept_since
from schemes.models import Need

from . import keys
from .models import ApiKey, ChangeKind, Partner, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """What one partner sees: some facilities, or (None) every facility, read-only."""

    partner: Partner
    facility_ids: frozenset[int] | None

    @property
    def is_unscoped(self) -> bool:
        return self.facility_ids is None

    @property
    def can_write(self) -> bool:
        return self.facility_ids is not None


def api_key_for(raw_key: str) -> ApiKey | None:
    """The usable key this string is, or None (unknown, revoked, expired, partner inactive)."""
    prefix = keys.prefix_of(raw_key)
    if prefix is None:
        return None
    api_key = ApiKey.objects.usable().select_related("partner").filter(prefix=prefix).first()
    if api_key is None or not keys.digests_match(raw_key, api_key.digest):
        return None
    return api_key


def scope_of(partner: Partner) -> Scope:
    facility_ids = frozenset(partner.facilities.values_list("pk", flat=True))
    return Scope(partner=partner, facility_ids=facility_ids or None)


# Keys this process checked lately, by digest: the key, its scope, and until when the check
# holds. Two queries a request saved on the API's hot path; the price is that a key revoked,
# a partner deactivated or its facilities changed in another process takes effect there within
# KEY_CHECK_SECONDS (in this process at once: ``forget_checked_keys`` runs on every change).
# An expiry date is checked on every request. Only usable keys are kept.
KEY_CHECK_SECONDS = 10.0
_checked: dict[str, tuple[ApiKey, Scope, float]] = {}


def credentials_for(raw_key: str) -> tuple[ApiKey, Scope] | None:
    """The usable key this string is and its partner's scope, or None; see ``_checked``."""
    if keys.prefix_of(raw_key) is None:
        return None
    digest = keys.digest_of(raw_key)
    now = time.monotonic()
    checked = _checked.get(digest)
    if checked is not None and checked[2] > now and not checked[0].is_expired():
        return checked[0], checked[1]
    api_key = api_key_for(raw_key)
    if api_key is None:
        _checked.pop(digest, None)
        return None
    scope = scope_of(api_key.partner)
    _checked[digest] = (api_key, scope, now + KEY_CHECK_SECONDS)
    return api_key, scope


def forget_checked_keys(**_signal_arguments: object) -> None:
    """Check every key afresh (a key, a partner or a partner's facilities changed)."""
    _checked.clear()


def scoped_needs(scope: Scope) -> QuerySet[Need]:
    needs = Need.objects.all()
    if scope.facility_ids is not None:
        needs = needs.filter(facility_id__in=scope.facility_ids)
    return needs


def scoped_matches(scope: Scope) -> QuerySet[Match]:
    matches = Match.objects.all()
    if scope.facility_ids is not None:
        matches = matches.filter(need__facility_id__in=scope.facility_ids)
    return matches


def scoped_consortia(scope: Scope) -> QuerySet[Consortium]:
    consortia = Consortium.objects.all()
    if scope.facility_ids is not None:
        consortia = consortia.filter(need__facility_id__in=scope.facility_ids)
    return consortia


def scoped_recommendations(scope: Scope) -> QuerySet[Recommendation]:
    """The current recommendations of the partner's needs (a supplier's match gone since the
    allocation ran is left out: the next run replaces it)."""
    recommendations = Recommendation.objects.filter(
        Exists(Match.objects.filter(pk=OuterRef("match_id")))
    )
    if scope.facility_ids is not None:
        recommendations = recommendations.filter(need__facility_id__in=scope.facility_ids)
    return recommendations


def consortium_for_partner(scope: Scope, consortium_id: int) -> Consortium:
    """The consortium, if the partner's scope holds its need; 404 otherwise."""
    consortium = scoped_consortia(scope).filter(pk=consortium_id).first()
    if consortium is None:
        raise Http404
    return consortium


def scoped_tombstones(scope: Scope) -> QuerySet[MatchTombstone]:
    tombstones = MatchTombstone.objects.all()
    if scope.facility_ids is not None:
        tombstones = tombstones.filter(facility_id__in=scope.facility_ids)
    return tombstones


def need_for_partner(scope: Scope, need_id: int) -> Need:
    """The need, if the partner's scope holds it; 404 otherwise."""
    need = scoped_needs(scope).filter(pk=need_id).first()
    if need is None:
        raise Http404
    return need


def match_for_partner(scope: Scope, match_id: int) -> Match:
    """The match, if the partner's scope holds it; 404 otherwise (another partner's included)."""
    match = scoped_matches(scope).select_related("need", "supplier").filter(pk=match_id).first()
    if match is None:
        raise Http404
    return match


def partners_within(facility_ids: Iterable[int]) -> QuerySet[Partner]:
    """Partners confined to these facilities: linked to at least one, and to none other. A
    facility manager manages their keys; an unscoped partner (it reads everything) is never
    confined to anyone's facilities."""
    facility_ids = list(facility_ids)
    return Partner.objects.annotate(
        inside=Count("facilities", filter=Q(facilities__in=facility_ids)),
        outside=Count("facilities", filter=~Q(facilities__in=facility_ids)),
    ).filter(inside__gt=0, outside=0)


# --- Webhooks ------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class ChangeMark:
    """A position in the stream of changes a partner sees: matches by (updated_at, id) and
    deletions by (deleted_at, tombstone id), merged by time; at one instant, matches first."""

    at: datetime.datetime
    kind: int
    id: int

    @classmethod
    def of_endpoint(cls, endpoint: WebhookEndpoint) -> ChangeMark:
        return cls(
            endpoint.delivered_through_at,
            endpoint.delivered_through_kind,
            endpoint.delivered_through_id,
        )

    @classmethod
    def of_delivery(cls, delivery: WebhookDelivery) -> ChangeMark:
        """The mark the endpoint moves to once this delivery is delivered."""
        return cls(delivery.through_at, delivery.through_kind, delivery.through_id)


@dataclass(frozen=True)
class ChangeBatch:
    """Up to one batch of changes after a mark: the ids of changed matches and of deleted ones,
    oldest change first, and the mark of the last."""

    match_ids: list[int]
    deleted_ids: list[int]
    through: ChangeMark


def change_horizon(now: datetime.datetime | None = None) -> datetime.datetime:
    """The newest instant up to which every change is already visible (committed).

    A match's ``updated_at`` is its transaction's start (PostgreSQL's now()) or the moment the
    application stamped it, and becomes visible only at commit, possibly later than changes
    stamped after it. Reading only up to this horizon, a mark never passes a change still to
    appear: on PostgreSQL the horizon stays before the start of the oldest transaction open in
    this database (every row such a transaction writes is stamped after its start); everywhere,
    WEBHOOK_SETTLE_SECONDS before now covers clocks of the application hosts running a little
    apart. A transaction open longer than WEBHOOK_SETTLE_MAX_SECONDS stops holding the horizon
    back (an idle session left in a transaction must not stop every webhook); its changes may
    then be missed, so that is logged.
    """
    now = now or timezone.now()
    horizon = now
    if connection.vendor == "postgresql":
        oldest = _oldest_open_transaction_start()
        if oldest is not None and oldest < horizon:
            floor = now - datetime.timedelta(seconds=settings.WEBHOOK_SETTLE_MAX_SECONDS)
            if oldest < floor:
                logger.warning(
                    "A transaction open since %s holds webhook changes back; sending past it",
                    oldest.isoformat(),
                )
            horizon = max(oldest, floor)
    return horizon - datetime.timedelta(seconds=settings.WEBHOOK_SETTLE_SECONDS)


def _oldest_open_transaction_start() -> datetime.datetime | None:
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction and then kept: clear it to see now.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _after(field: str, mark: ChangeMark, kind: int) -> Q:
    """Rows of this kind after the mark: later instants, and at the mark's instant the rows
    that sort after it. Written as ``field >= at AND (...)`` so an index on field serves it."""
    later = Q(**{f"{field}__gt": mark.at})
    if kind > mark.kind:
        later |= Q(**{field: mark.at})
    elif kind == mark.kind:
        later |= Q(**{field: mark.at, "pk__gt": mark.id})
    return Q(**{f"{field}__gte": mark.at}) & later


def _tombstones_after(
    tombstones: QuerySet[MatchTombstone], mark: ChangeMark, horizon: datetime.datetime
) -> QuerySet[MatchTombstone]:
    if connection.vendor != "sqlite":
        return tombstones.filter(
            _after("deleted_at", mark, ChangeKind.DELETION), deleted_at__lt=horizon
        )
    # SQLite's trigger stamps tombstones as text to the millisecond ("… 05:20:00.123"), Django
    # compares with its own text ("… 05:20:00.123000"): equal instants would compare unequal
    # and a batch ending among the tombstones of one statement would skip the rest. Compared
    # as the trigger writes them (fixed width, so text order is time order): a mark with a
    # sub-millisecond part lies strictly inside its millisecond.
    at = _sqlite_ms(mark.at)
    later = Q(stamp__gt=at)
    if mark.at.microsecond % 1000 == 0:
        if mark.kind < ChangeKind.DELETION:
            later |= Q(stamp=at)
        elif mark.kind == ChangeKind.DELETION:
            later |= Q(stamp=at, pk__gt=mark.id)
    return (
        tombstones.annotate(stamp=Cast("deleted_at", CharField()))
        .filter(later)
        .filter(stamp__lt=_sqlite_ms(horizon))
    )


def _sqlite_ms(moment: datetime.datetime) -> str:
    moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def changes_after(
    *,
    matches: QuerySet[Match],
    tombstones: QuerySet[MatchTombstone],
    mark: ChangeMark,
    horizon: datetime.datetime,
    limit: int,
) -> list[tuple[ChangeMark, int]]:
    """The next ``limit`` changes after the mark and before the horizon, oldest first: each
    change's mark with its match's id (a changed match, or a deleted one). Two queries whatever
    the limit; the API's sync and the webhooks both read changes through this."""
    changed = list(
        matches.filter(_after("updated_at", mark, ChangeKind.MATCH), updated_at__lt=horizon)
        .order_by("updated_at", "pk")
        .values_list("updated_at", "pk")[:limit]
    )
    gone = list(
        _tombstones_after(tombstones, mark, horizon)
        .order_by("deleted_at", "pk")
        .values_list("deleted_at", "pk", "match_id")[:limit]
    )
    return sorted(
        [(ChangeMark(at, ChangeKind.MATCH, pk), pk) for at, pk in changed]
        + [(ChangeMark(at, ChangeKind.DELETION, pk), match_id) for at, pk, match_id in gone],
    )[:limit]


def webhook_changes_after(
    *, scope: Scope, mark: ChangeMark, horizon: datetime.datetime, limit: int
) -> ChangeBatch | None:
    """The next ``limit`` changes of the scope after the mark and before the horizon, oldest
    first, or None when there are none. Two queries whatever the batch size."""
    changes = changes_after(
        matches=scoped_matches(scope),
        tombstones=scoped_tombstones(scope),
        mark=mark,
        horizon=horizon,
        limit=limit,
    )
    if not changes:
        return None
    return ChangeBatch(
        match_ids=[match_id for mark, match_id in changes if mark.kind == ChangeKind.MATCH],
        deleted_ids=[match_id for mark, match_id in changes if mark.kind == ChangeKind.DELETION],
        through=changes[-1][0],
    )


def webhook_endpoint_outlived_tombstones(endpoint: WebhookEndpoint) -> bool:
    """The endpoint's mark is older than deleted matches are remembered (MATCH_TOMBSTONE_DAYS):
    catching up sends every change but cannot name every deletion since."""
    return endpoint.delivered_through_at < tombstones_kept_since()


def webhook_endpoints_live() -> QuerySet[WebhookEndpoint]:
    """Endpoints that are sent to: active, not paused, of an active partner."""
    return WebhookEndpoint.objects.filter(
        is_active=True, paused_at__isnull=True, partner__is_active=True
    )
