"""Actions that write matches: rematch some needs, a supplier or some suppliers; a scoring
profile's change; a person's decision on a match. Runs in chunks are in ``runs.py``.

A rematch never discards what a person did: it writes and deletes only ``suggested`` matches; a
match someone acted on (interested, shortlisted, engaged, declined, withdrawn) is kept and, once
it stops being a full match, flagged with the rules it fails. Unchanged matches are not rewritten.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schemes.models import Need
from taxonomy.formatting import number
from taxonomy.formatting import quantity as quantity_text
from taxonomy.history import current_path
from vendors.models import Supplier, SupplierCapability

from . import bulk, capacity, rules, runs, selectors, tasks
from .engine import Evaluation, active_profile, evaluate_needs
from .models import (
    COMMITTING,
    COMPONENT_FIELDS,
    FACILITY_DECISIONS,
    Match,
    MatchRun,
    MatchStatusChange,
    MatchTombstone,
    ScoringProfile,
)

logger = logging.getLogger(__name__)

WRITTEN_FIELDS = [
    "score",
    *COMPONENT_FIELDS,
    "near_miss_rule",
    "no_longer_meets_rules",
    "profile_version",
]


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    flagged: int = 0
    unchanged: int = 0

    @property
    def rows_written(self) -> int:
        return self.created + self.updated + self.flagged

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.flagged} flagged as no "
            f"longer meeting the need, {self.deleted} deleted, {self.unchanged} unchanged"
        )


def _values(evaluation: Evaluation, profile: ScoringProfile, status: str) -> dict:
    """What the matcher writes for a kept pair; an acted-on near miss is flagged with its rule."""
    return {
        "score": evaluation.score,
        **{f"{name}_component": value for name, value in evaluation.components.items()},
        "near_miss_rule": evaluation.near_miss_rule,
        "no_longer_meets_rules": (
            "" if status == Match.Status.SUGGESTED else evaluation.near_miss_rule
        ),
        "profile_version": profile.version,
    }


def _gone_codes(match: Match, evaluation: Evaluation | None, open_needs: set[int]) -> str:
    """Why an acted-on match is no near miss either: no candidate any more, or rules it fails."""
    if match.need_id not in open_needs:
        return rules.OPEN_NEED.code
    if evaluation is not None:
        return ",".join(evaluation.failures)
    return rules.OFFERS_PROCESS.code


def _flag_gone(match: Match, evaluation: Evaluation | None, open_needs: set[int]) -> bool:
    """Flag an acted-on match that is neither a match nor a near miss any more (it is then no
    near miss either); returns whether anything changed."""
    codes = _gone_codes(match, evaluation, open_needs)
    if (match.near_miss_rule, match.no_longer_meets_rules) == ("", codes):
        return False
    match.near_miss_rule, match.no_longer_meets_rules = "", codes
    return True


@transaction.atomic
def matches_sync(
    *,
    need_ids: Iterable[int],
    supplier_ids: Iterable[int] | None = None,
    profile: ScoringProfile | None = None,
    today: datetime.date | None = None,
    in_database: bool | None = None,
) -> SyncReport:
    """Bring the matches of these needs (optionally only these suppliers) up to date.

    One transaction: a worker killed half-way leaves nothing half-written, and a retry of the
    same scope produces the same table (idempotent). On PostgreSQL the rules run inside the
    database (``bulk.py``) unless ``in_database=False``; elsewhere the reference engine runs.
    """
    need_ids = sorted(set(need_ids))
    supplier_ids = sorted(set(supplier_ids)) if supplier_ids is not None else None
    profile = profile or active_profile()
    today = today or datetime.date.today()
    report = SyncReport()
    if not need_ids:
        return report
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        return _matches_sync_in_database(need_ids, supplier_ids, profile, today)
    open_needs = set(
        Need.objects.filter(pk__in=need_ids, status=Need.Status.OPEN).values_list("pk", flat=True)
    )
    evaluations = {
        (e.supplier_id, e.need_id): e
        for e in evaluate_needs(open_needs, supplier_ids=supplier_ids, profile=profile, today=today)
    }
    wanted = {pair: e for pair, e in evaluations.items() if len(e.failures) <= 1}
    existing_qs = Match.objects.filter(need_id__in=need_ids).order_by()
    if supplier_ids is not None:
        existing_qs = existing_qs.filter(supplier_id__in=supplier_ids)
    existing = {(m.supplier_id, m.need_id): m for m in existing_qs.iterator(chunk_size=5000)}

    to_create, to_update, to_delete = [], [], []
    for pair, match in existing.items():
        evaluation = wanted.get(pair)
        if evaluation is None:
            if match.status == Match.Status.SUGGESTED:
                to_delete.append(match.pk)
                continue
            if _flag_gone(match, evaluations.get(pair), open_needs):
                to_update.append(match)
                report.flagged += 1
            else:
                report.unchanged += 1
            continue
        values = _values(evaluation, profile, match.status)
        if all(getattr(match, name) == value for name, value in values.items()):
            report.unchanged += 1
            continue
        for name, value in values.items():
            setattr(match, name, value)
        to_update.append(match)
        report.updated += 1
    for pair, evaluation in wanted.items():
        if pair not in existing:
            to_create.append(
                Match(
                    supplier_id=pair[0],
                    need_id=pair[1],
                    **_values(evaluation, profile, Match.Status.SUGGESTED),
                )
            )
    if to_delete:
        report.deleted = Match.objects.filter(
            pk__in=to_delete, status=Match.Status.SUGGESTED
        ).delete()[0]
    if to_update:
        now = timezone.now()
        for match in to_update:
            match.updated_at = now
        Match.objects.bulk_update(to_update, [*WRITTEN_FIELDS, "updated_at"], batch_size=1000)
    if to_create:
        # A concurrent rematch of the same pair may have inserted it: update, never duplicate,
        # and never touch its status.
        Match.objects.bulk_create(
            to_create,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["supplier", "need"],
            update_fields=WRITTEN_FIELDS,
        )
        report.created = len(to_create)
    return report


def _matches_sync_in_database(
    need_ids: list[int],
    supplier_ids: list[int] | None,
    profile: ScoringProfile,
    today: datetime.date,
) -> SyncReport:
    kept, created, updated, deleted, gone = bulk.sync_chunk(
        need_ids=need_ids, supplier_ids=supplier_ids, profile=profile, today=today
    )
    report = SyncReport(
        created=created, updated=updated, deleted=deleted, unchanged=kept - created - updated
    )
    if not gone:
        return report
    # Acted-on matches that are no near miss either: few, so the reference engine finds why.
    gone_pairs = set(gone)
    gone_needs = {need_id for _, need_id in gone}
    open_needs = set(
        Need.objects.filter(pk__in=gone_needs, status=Need.Status.OPEN).values_list("pk", flat=True)
    )
    evaluations = {
        (e.supplier_id, e.need_id): e
        for e in evaluate_needs(
            open_needs, supplier_ids={s for s, _ in gone}, profile=profile, today=today
        )
    }
    flagged = []
    acted_on = Match.objects.filter(need_id__in=gone_needs).exclude(status=Match.Status.SUGGESTED)
    for match in acted_on.order_by():
        pair = (match.supplier_id, match.need_id)
        if pair not in gone_pairs:
            continue
        if _flag_gone(match, evaluations.get(pair), open_needs):
            flagged.append(match)
        else:
            report.unchanged += 1
    if flagged:
        now = timezone.now()
        for match in flagged:
            match.updated_at = now
        Match.objects.bulk_update(
            flagged, ["near_miss_rule", "no_longer_meets_rules", "updated_at"], batch_size=1000
        )
        report.flagged = len(flagged)
    return report


def rematch_need(*, need_id: int) -> SyncReport:
    return matches_sync(need_ids=[need_id])


def rematch_supplier(*, supplier_id: int) -> SyncReport:
    return rematch_suppliers(supplier_ids=[supplier_id])


def rematch_suppliers(*, supplier_ids: Iterable[int]) -> SyncReport:
    """Rematch these suppliers: the open needs for their processes, plus needs they matched."""
    supplier_ids = sorted(set(supplier_ids))
    # Two index lookups, not one OR across a join: the OR made PostgreSQL scan every match.
    processes = SupplierCapability.objects.filter(supplier_id__in=supplier_ids).values("process")
    need_ids = set(
        Need.objects.filter(status=Need.Status.OPEN, process__in=processes).values_list(
            "pk", flat=True
        )
    )
    need_ids.update(
        Match.objects.filter(supplier_id__in=supplier_ids)
        .order_by()  # no sort by score: a set of ids
        .values_list("need_id", flat=True)
    )
    report = matches_sync(need_ids=need_ids, supplier_ids=supplier_ids)
    # A supplier's own facts (name, place, verification, certificates) ride on each of its
    # matches for partners; a rematch of a supplier follows a change of them, so its matches
    # are stamped changed for partners' syncs and webhooks even where the score stands.
    Match.objects.filter(supplier_id__in=supplier_ids).update(updated_at=timezone.now())
    return report


def scoring_profile_save(*, profile: ScoringProfile, changed_fields: Iterable[str]) -> None:
    """Save a profile; a change of weights or activation is a new version and, once committed,
    a full rematch (shown as a run) rescores every match with it."""
    changed = set(changed_fields) - {"name"}
    with transaction.atomic():
        if profile.pk and changed:
            # Counted under the row's lock, not with F(): the history row records the number.
            stored = ScoringProfile.objects.select_for_update().get(pk=profile.pk)
            profile.version = stored.version + 1
        profile.save()
    if changed or not changed_fields:
        tasks.start_match_run.delay_on_commit(
            scope=MatchRun.Scope.FULL, trigger=MatchRun.Trigger.SCORING_PROFILE
        )


def match_set_status(*, match: Match, status: str) -> Match:
    """Set the status a person chose (interest, shortlist, ...) and when; callers record who."""
    if status not in Match.Status.values:
        raise ValueError(f"Unknown match status {status!r}.")
    match.status = status
    match.status_changed_at = timezone.now()
    if status not in COMMITTING:
        match.committed_quantity = None  # a quantity is a commitment's: none holds now
    # The flag follows the status at once, as a rematch would set it: a suggestion is never
    # flagged; a near miss someone acts on is flagged with its rule.
    if status == Match.Status.SUGGESTED:
        match.no_longer_meets_rules = ""
    elif not match.no_longer_meets_rules:
        match.no_longer_meets_rules = match.near_miss_rule
    match.save(
        update_fields=[
            "status",
            "status_changed_at",
            "no_longer_meets_rules",
            "committed_quantity",
            "updated_at",
        ]
    )
    return match


class MatchActionRefused(Exception):
    """What was asked cannot be done with this match now; the message says why."""

    field = "status"  # what the refusal is about, for a form or an API error


class CapacityRefused(MatchActionRefused):
    """The commitment asked for would promise the supplier's capacity twice."""

    field = "committed_quantity"


def _record(
    match: Match,
    *,
    from_status: str,
    note: str = "",
    changed_by_id: int | None = None,
    partner_name: str = "",
) -> None:
    MatchStatusChange.objects.create(
        match=match,
        from_status=from_status,
        to_status=match.status,
        note=note,
        committed_quantity=match.committed_quantity if match.status in COMMITTING else None,
        changed_by_id=changed_by_id,
        partner_name=partner_name,
        path=current_path(),
    )


def _owner_id(match: Match) -> int | None:
    return Supplier.objects.filter(pk=match.supplier_id).values_list("owner_id", flat=True).first()


class _Unchanged:
    """The facility left the committed quantity as it was."""


UNCHANGED = _Unchanged()


def _commitment_refusal(match: Match, need: Need, quantity: Decimal | None) -> str | None:
    """Why committing ``quantity`` (None: the need's monthly quantity) of this supplier would
    promise capacity twice, or None when it fits.

    The supplier's capability row is locked until the decision commits, so two facilities
    deciding at once are counted one after the other. A capacity that is not stated, or is
    stated in another unit, cannot be checked (the matcher says so on the match).
    """
    taken = _taken(need, quantity)
    line = capacity.free_for_need(
        supplier_id=match.supplier_id, need_id=need.pk, process_id=need.process_id, lock=True
    )
    if not taken or line is None or line.capacity is None or line.unit != need.unit:
        return None
    free = line.free
    if taken <= free:
        return None
    if not line.committed:
        return _(
            "This supplier has %(capacity)s a month for this process; %(taken)s is more than "
            "that. Enter a quantity it can take."
        ) % {
            "capacity": quantity_text(line.capacity, need.unit),
            "taken": quantity_text(taken, need.unit),
        }
    return _(
        "This supplier has %(free)s a month free of %(capacity)s (the rest is promised to other "
        "needs); %(taken)s cannot be committed. Enter a quantity it can take, or free capacity "
        "elsewhere first."
    ) % {
        "free": quantity_text(free, need.unit),
        "capacity": number(line.capacity),
        "taken": quantity_text(taken, need.unit),
    }


@transaction.atomic
def match_facility_decide(
    *,
    match: Match,
    status: str,
    note: str = "",
    committed_quantity: Decimal | _Unchanged | None = UNCHANGED,
    changed_by: AbstractBaseUser | None = None,
    partner_name: str = "",
) -> Match:
    """A facility shortlists, engages or declines a supplier, with a note the MSME reads.

    The one path for the admin and the partner API alike. A withdrawn match stays withdrawn:
    the MSME took its interest back. Shortlisting or engaging commits the supplier's capacity
    (``committed_quantity``, else the need's monthly quantity) and is refused when that would
    promise more than the supplier has free; declining releases it. Either way the supplier's
    other matches are rematched once this commits (``signals.match_saved``).
    """
    if status not in FACILITY_DECISIONS:
        raise MatchActionRefused(_("A facility may only shortlist, engage or decline."))
    if isinstance(committed_quantity, Decimal) and committed_quantity < 0:
        raise CapacityRefused(_("A committed quantity cannot be negative."))
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status == Match.Status.WITHDRAWN:
        raise MatchActionRefused(_("The MSME has withdrawn its interest in this need."))
    from_status = match.status
    note = note.strip()
    unchanged = isinstance(committed_quantity, _Unchanged)
    quantity = match.committed_quantity if unchanged else committed_quantity
    if (from_status, note, match.committed_quantity) == (status, match.facility_note, quantity):
        return match  # nothing changes: no new history, no new updated_at
    if refusal := commitment_refusal(match=match, status=status, committed_quantity=quantity):
        raise CapacityRefused(refusal)
    match.facility_note = note
    match.committed_quantity = quantity
    match.save(update_fields=["facility_note", "committed_quantity"])
    match = match_set_status(match=match, status=status)
    _record(
        match,
        from_status=from_status,
        note=note,
        changed_by_id=changed_by.pk if changed_by is not None else None,
        partner_name=partner_name,
    )
    return match


def commitment_refusal(
    *, match: Match, status: str, committed_quantity: Decimal | None
) -> str | None:
    """Why moving this match to ``status`` with ``committed_quantity`` would promise the
    supplier's capacity twice, or None. Checked only where the commitment grows: a note or a
    smaller quantity is never refused. Inside a transaction (it locks the capability)."""
    if status not in COMMITTING:
        return None
    was_committing, was_quantity = match.commitment
    need = Need.objects.only("process_id", "unit", "min_monthly_capacity").get(pk=match.need_id)
    if was_committing and _taken(need, committed_quantity) <= _taken(need, was_quantity):
        return None
    return _commitment_refusal(match, need, committed_quantity)


def _taken(need: Need, quantity: Decimal | None) -> Decimal:
    """What a commitment of ``quantity`` to this need takes (None: its monthly quantity)."""
    return capacity.commitment_of(
        status=Match.Status.SHORTLISTED,
        committed_quantity=quantity,
        need_quantity=need.min_monthly_capacity,
    )


@transaction.atomic
def match_admin_set_status(
    *,
    match: Match,
    status: str,
    note: str,
    changed_by: AbstractBaseUser,
    committed_quantity: Decimal | _Unchanged | None = UNCHANGED,
) -> Match:
    """An administrator moves a match: a facility's decision goes through the facility's own
    service (so its rules, its capacity check and its note hold); any other status is set as
    asked (releasing any capacity it held), and recorded."""
    if status in FACILITY_DECISIONS:
        return match_facility_decide(
            match=match,
            status=status,
            note=note,
            committed_quantity=committed_quantity,
            changed_by=changed_by,
        )
    match = Match.objects.select_for_update().get(pk=match.pk)
    from_status = match.status
    match.facility_note = note.strip()
    match.save(update_fields=["facility_note"])
    match = match_set_status(match=match, status=status)
    _record(match, from_status=from_status, note=match.facility_note, changed_by_id=changed_by.pk)
    return match


# What an MSME may do with its match, by the match's status.
INTEREST_FROM = {Match.Status.SUGGESTED, Match.Status.WITHDRAWN}
WITHDRAW_FROM = {Match.Status.INTERESTED, Match.Status.SHORTLISTED, Match.Status.ENGAGED}


@transaction.atomic
def match_express_interest(*, match: Match, message: str = "") -> Match:
    """The MSME raises its hand for a need, with a short note to the facility."""
    match = Match.objects.select_for_update().select_related("need").get(pk=match.pk)
    if match.status not in INTEREST_FROM:
        raise MatchActionRefused(_("You have already answered this match."))
    if match.need.status != Need.Status.OPEN:
        raise MatchActionRefused(_("This need is closed: the facility takes no more interest."))
    from_status = match.status
    match.interest_message = message.strip()
    match.save(update_fields=["interest_message"])
    match = match_set_status(match=match, status=Match.Status.INTERESTED)
    _record(
        match,
        from_status=from_status,
        note=match.interest_message,
        changed_by_id=_owner_id(match),
    )
    return match


@transaction.atomic
def match_withdraw(*, match: Match) -> Match:
    """The MSME takes its interest back (the facility sees it withdrawn)."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in WITHDRAW_FROM:
        raise MatchActionRefused(_("There is no interest to withdraw."))
    from_status = match.status
    match = match_set_status(match=match, status=Match.Status.WITHDRAWN)
    _record(
        match,
        from_status=from_status,
        changed_by_id=_owner_id(match),
    )
    return match


def tombstones_prune(*, now: datetime.datetime | None = None) -> int:
    """Forget deleted matches older than MATCH_TOMBSTONE_DAYS; a partner syncing from before
    then is told to pull everything again (``tombstones_kept_since``)."""
    horizon = tombstones_kept_since(now)
    return MatchTombstone.objects.filter(deleted_at__lt=horizon).delete()[0]


def tombstones_kept_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """The oldest time a sync may start from and still learn of every deletion."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.MATCH_TOMBSTONE_DAYS)


# --- Operating the matcher from the admin ---------------------------------------------------------


class RunRefused(Exception):
    """The run asked for cannot be started or resumed now; the message says why."""


FULL_RUN_LOCK = 7_280_2025  # the advisory lock key of starting a full run (no other uses it)


def _lock_full_runs() -> None:
    """Serialise starting full runs, so two administrators clicking at once start one.

    PostgreSQL: a transaction-level advisory lock. SQLite: writers are serialised already (the
    project opens its transactions IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FULL_RUN_LOCK])


def match_run_start_full(*, started_by: Any) -> MatchRun:
    """Start a full rematch from the admin (who started it is recorded); refused while another
    full run is unfinished: it would redo the same work, and a stuck one is resumed instead."""
    with transaction.atomic():
        _lock_full_runs()
        running = selectors.full_run_unfinished()
        if running is not None:
            raise RunRefused(
                f"Run #{running.pk}, a full rematch, has not finished "
                f"({running.chunks_done} of {running.chunks_total} chunks): watch it, or resume "
                "it if it is stuck."
            )
        run = runs.match_run_create(
            scope=MatchRun.Scope.FULL, trigger=MatchRun.Trigger.ADMIN, started_by=started_by
        )
        tasks.match_run_enqueue(run.pk)  # its chunks are queued once this commits
    return run


def match_run_resume_stuck(*, run_id: int) -> list[int]:
    """Re-drive a failed or stale run's unfinished chunks (the runs machinery; a chunk queued
    twice runs once); refused for a run that finished well or is making progress."""
    run = selectors.with_run_health(MatchRun.objects.filter(pk=run_id)).get()
    health = selectors.match_run_health(run)
    if health == selectors.RunHealth.DONE:
        raise RunRefused(f"Run #{run.pk} finished: there is nothing to resume.")
    if health in (selectors.RunHealth.RUNNING, selectors.RunHealth.PENDING):
        raise RunRefused(
            f"Run #{run.pk} is making progress: it is resumed only once it fails or stalls."
        )
    with transaction.atomic():
        chunk_ids = runs.match_run_resume(run_id=run.pk)
        tasks.match_run_enqueue(run.pk, chunk_ids)
    return chunk_ids


# --- New scoring weights: their preview, worked out on a worker ---------------------------------
# At national scale the preview sorts four million matches twice (seconds: more than a request
# should hold a web worker), so a worker computes it and the cache keeps it for the admin's
# next Save. On the embedded default (no broker) it is computed at once, in-process.

PREVIEW_KEEP_SECONDS = 60 * 60
PREVIEW_COMPUTING_SECONDS = 10 * 60  # then asked for again (a worker lost meanwhile)


def _preview_key(fingerprint: object) -> str:
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()
    return f"matching:scoring-preview:{digest}"


def scoring_preview_for(
    *, fingerprint: object, weights: dict[str, Decimal]
) -> selectors.ScoringPreview | None:
    """The preview of these weights (``fingerprint`` names them exactly), or None while a
    worker works it out (asked for once however often this is called meanwhile)."""
    key = _preview_key(fingerprint)
    stored = cache.get(key)
    if stored is None and cache.add(key, {"computing": True}, PREVIEW_COMPUTING_SECONDS):
        try:
            tasks.scoring_preview_compute.delay(key, {name: str(w) for name, w in weights.items()})
        except Exception:
            # The broker is away: work it out here rather than refuse the administrator.
            logger.exception("Could not queue a scoring preview; computing it in the request")
            cache.delete(key)
            scoring_preview_store(key=key, weights=weights)
        stored = cache.get(key)
    if not stored or "preview" not in stored:
        return None
    return selectors.ScoringPreview(**stored["preview"])


def scoring_preview_store(*, key: str, weights: dict[str, Decimal]) -> selectors.ScoringPreview:
    """Compute a preview and keep it for the admin (the task's work)."""
    preview = selectors.scoring_preview(weights)
    cache.set(key, {"preview": asdict(preview)}, PREVIEW_KEEP_SECONDS)
    return preview


def scoring_preview_mark_shown(*, fingerprint: object) -> None:
    """Remember that the preview of these weights was shown: a Save with them may go through."""
    key = _preview_key(fingerprint)
    stored = cache.get(key)
    if stored and "preview" in stored:
        cache.set(key, {**stored, "shown": True}, PREVIEW_KEEP_SECONDS)


def scoring_preview_was_shown(*, fingerprint: object) -> bool:
    stored = cache.get(_preview_key(fingerprint))
    return bool(stored and stored.get("shown"))
