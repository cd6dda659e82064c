"""Actions that write matches: rematch a need, a supplier, or everything in chunks.

A rematch never discards what a person did: it writes and deletes only ``suggested`` matches; a
match someone acted on (interested, shortlisted, engaged, declined, withdrawn) is kept and flagged
with the reason it no longer meets the need. Unchanged matches are not rewritten.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from schemes.models import Need
from vendors.models import SupplierCapability

from . import bulk, rules
from .engine import Evaluation, active_profile, evaluate_needs
from .models import COMPONENT_FIELDS, Match, MatchRun, MatchRunChunk, ScoringProfile

logger = logging.getLogger(__name__)

WRITTEN_FIELDS = [
    "score",
    *COMPONENT_FIELDS,
    "near_miss_rule",
    "no_longer_meets_rules",
    "profile_version",
]
FULL_RUN_CHUNK_NEEDS = 25


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
    existing_qs = Match.objects.filter(need_id__in=need_ids)
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
            codes = _gone_codes(match, evaluations.get(pair), open_needs)
            if match.no_longer_meets_rules != codes:
                match.no_longer_meets_rules = codes
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
    for match in Match.objects.filter(need_id__in=gone_needs).exclude(
        status=Match.Status.SUGGESTED
    ):
        pair = (match.supplier_id, match.need_id)
        if pair not in gone_pairs:
            continue
        codes = _gone_codes(match, evaluations.get(pair), open_needs)
        if match.no_longer_meets_rules != codes:
            match.no_longer_meets_rules = codes
            match.save(update_fields=["no_longer_meets_rules", "updated_at"])
            report.flagged += 1
        else:
            report.unchanged += 1
    return report


def rematch_need(*, need_id: int) -> SyncReport:
    return matches_sync(need_ids=[need_id])


def rematch_supplier(*, supplier_id: int) -> SyncReport:
    """Rematch one supplier: the open needs for its processes, plus needs it already matched."""
    # Two index lookups, not one OR across a join: the OR made PostgreSQL scan every match.
    processes = SupplierCapability.objects.filter(supplier_id=supplier_id).values("process")
    need_ids = set(
        Need.objects.filter(status=Need.Status.OPEN, process__in=processes).values_list(
            "pk", flat=True
        )
    )
    need_ids.update(Match.objects.filter(supplier_id=supplier_id).values_list("need_id", flat=True))
    return matches_sync(need_ids=need_ids, supplier_ids=[supplier_id])


def _plan_chunks(needs: list[tuple[int, int]], chunk_needs: int) -> list[list[int]]:
    """Split (need, process) pairs, sorted by process, into chunks of one process each.

    A chunk's needs then share their candidate suppliers (one pass over their certificates); a
    process with more needs than a chunk holds splits into near-equal chunks; and handing out the
    chunks with the most candidate pairs first keeps every worker busy to the end.
    """
    offered = dict(
        SupplierCapability.objects.values("process")
        .annotate(n=Count("pk"))
        .values_list("process", "n")
    )
    chunks: list[tuple[int, list[int]]] = []
    for process_id, group in groupby(needs, key=itemgetter(1)):
        ids = [pk for pk, _ in group]
        size = -(-len(ids) // -(-len(ids) // chunk_needs))  # ceil(n / ceil(n / chunk_needs))
        chunks += [(process_id, ids[i : i + size]) for i in range(0, len(ids), size)]
    chunks.sort(key=lambda chunk: -offered.get(chunk[0], 0) * len(chunk[1]))
    return [ids for _, ids in chunks]


def match_run_create(
    *,
    scope: str = MatchRun.Scope.FULL,
    target_id: int | None = None,
    chunk_needs: int = FULL_RUN_CHUNK_NEEDS,
) -> MatchRun:
    """Plan a run: a full run splits needs (open, or holding matches) into chunks."""
    with transaction.atomic():
        run = MatchRun.objects.create(scope=scope, target_id=target_id)
        if scope == MatchRun.Scope.FULL:
            matched = set(Match.objects.values_list("need_id", flat=True).distinct())
            needs = list(
                Need.objects.filter(
                    pk__in=set(Need.objects.open().values_list("pk", flat=True)) | matched
                )
                .order_by("process_id", "pk")
                .values_list("pk", "process_id")
            )
            # Matches whose need was deleted without the database's cascade (see Match.need)
            # have nothing left to rematch.
            Match.objects.filter(need_id__in=matched - {pk for pk, _ in needs}).delete()
            chunks = _plan_chunks(needs, chunk_needs)
            MatchRunChunk.objects.bulk_create(
                MatchRunChunk(run=run, index=index, need_ids=ids)
                for index, ids in enumerate(chunks)
            )
            run.chunks_total = len(chunks)
        else:
            run.chunks_total = 1
        run.save(update_fields=["chunks_total"])
    return run


def match_run_chunk_process(*, chunk_id: int) -> bool:
    """Process one chunk; a re-delivered or retried chunk that is already done does nothing.

    Returns True when this call completed the chunk.
    """
    chunk = MatchRunChunk.objects.select_related("run").get(pk=chunk_id)
    if chunk.status == MatchRunChunk.Status.DONE:
        return False
    run = chunk.run
    MatchRun.objects.filter(pk=run.pk, started_at__isnull=True).update(
        started_at=timezone.now(), status=MatchRun.Status.RUNNING
    )
    MatchRunChunk.objects.filter(pk=chunk.pk).update(attempts=F("attempts") + 1)
    report = matches_sync(need_ids=chunk.need_ids)
    # Claim completion with a conditional UPDATE so two deliveries never both count it.
    claimed = (
        MatchRunChunk.objects.filter(pk=chunk.pk)
        .exclude(status=MatchRunChunk.Status.DONE)
        .update(
            status=MatchRunChunk.Status.DONE,
            rows_written=report.rows_written,
            rows_deleted=report.deleted,
            error="",
            finished_at=timezone.now(),
        )
    )
    if claimed:
        MatchRun.objects.filter(pk=run.pk).update(
            chunks_done=F("chunks_done") + 1,
            rows_written=F("rows_written") + report.rows_written,
            rows_deleted=F("rows_deleted") + report.deleted,
        )
        _finish_run_if_complete(run.pk)
    return bool(claimed)


def match_run_chunk_failed(*, chunk_id: int, error: str) -> None:
    """Record a chunk that exhausted its retries; the run can be resumed later."""
    chunk = MatchRunChunk.objects.get(pk=chunk_id)
    MatchRunChunk.objects.filter(pk=chunk_id).exclude(status=MatchRunChunk.Status.DONE).update(
        status=MatchRunChunk.Status.FAILED, error=error[:2000]
    )
    run = MatchRun.objects.get(pk=chunk.run_id)
    run.errors = [*run.errors, {"chunk": chunk.index, "error": error[:500]}]
    run.save(update_fields=["errors"])
    _finish_run_if_complete(run.pk)


def _finish_run_if_complete(run_id: int) -> None:
    pending = MatchRunChunk.objects.filter(run_id=run_id).exclude(
        status__in=[MatchRunChunk.Status.DONE, MatchRunChunk.Status.FAILED]
    )
    if pending.exists():
        return
    failed = MatchRunChunk.objects.filter(run_id=run_id, status=MatchRunChunk.Status.FAILED)
    MatchRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
        status=MatchRun.Status.FAILED if failed.exists() else MatchRun.Status.DONE,
        finished_at=timezone.now(),
    )


def match_run_resume(*, run_id: int) -> list[int]:
    """Reopen a run's unfinished or failed chunks; returns the chunk ids to enqueue again."""
    chunk_ids = list(
        MatchRunChunk.objects.filter(run_id=run_id)
        .exclude(status=MatchRunChunk.Status.DONE)
        .order_by("index")
        .values_list("pk", flat=True)
    )
    MatchRunChunk.objects.filter(pk__in=chunk_ids).update(status=MatchRunChunk.Status.PENDING)
    MatchRun.objects.filter(pk=run_id).update(status=MatchRun.Status.RUNNING, finished_at=None)
    return chunk_ids


def match_run_single(*, run_id: int) -> SyncReport:
    """Run a one-supplier or one-need run and record it."""
    run = MatchRun.objects.get(pk=run_id)
    MatchRun.objects.filter(pk=run_id).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now()
    )
    if run.scope == MatchRun.Scope.SUPPLIER:
        report = rematch_supplier(supplier_id=run.target_id)
    else:
        report = rematch_need(need_id=run.target_id)
    MatchRun.objects.filter(pk=run_id).update(
        status=MatchRun.Status.DONE,
        chunks_done=1,
        rows_written=report.rows_written,
        rows_deleted=report.deleted,
        finished_at=timezone.now(),
    )
    return report


def scoring_profile_save(*, profile: ScoringProfile, changed_fields: Iterable[str]) -> None:
    """Save a profile; a change of weights is a new version, so the next rematch rescores."""
    if profile.pk and set(changed_fields) - {"name"}:
        profile.version = F("version") + 1
    profile.save()
    profile.refresh_from_db(fields=["version"])


def match_set_status(*, match: Match, status: str) -> Match:
    """Record what a person did with a match (interest, shortlist, ...) and when."""
    if status not in Match.Status.values:
        raise ValueError(f"Unknown match status {status!r}.")
    match.status = status
    match.status_changed_at = timezone.now()
    match.save(update_fields=["status", "status_changed_at", "updated_at"])
    return match
