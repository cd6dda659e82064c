"""Read queries for the matcher, and what a match says, derived on read."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from schemes.models import Need
from vendors.models import Certification

from . import capacity, rules
from .facts import NeedFacts, Pair, load_needs, load_suppliers
from .models import SCORE_COMPONENTS, Match, MatchRun, MatchRunChunk
from .reasons import Reason


def suppliers_with_certificates_crossing(
    *, since: datetime.date, today: datetime.date
) -> list[int]:
    """Suppliers with a certificate that expired, or entered its 60-day warning, in (since, today].

    Those are the matches whose rules or reasons change with the calendar alone.
    """
    warn = rules.expiring_soon_until(today) - today
    return sorted(
        set(
            Certification.objects.filter(
                Q(valid_until__gte=since, valid_until__lt=today)  # expired since the last sweep
                | Q(
                    valid_until__gt=since + warn, valid_until__lte=today + warn
                )  # now within 60 days
            )
            .values_list("supplier_id", flat=True)
            .distinct()
        )
    )


def match_capacity(match: Match) -> capacity.FreeCapacity | None:
    """The supplier's capacity for the match's process, with what is committed to needs other
    than this match's own (what a shortlist of it may take); None if it no longer offers it."""
    process_id = Need.objects.filter(pk=match.need_id).values_list("process_id", flat=True).get()
    return capacity.free_for_need(
        supplier_id=match.supplier_id, need_id=match.need_id, process_id=process_id
    )


@dataclass(frozen=True)
class MatchExplanation:
    """What a match says, in the reader's language: its reasons, the rule a near miss fails,
    and why a match someone acted on no longer holds."""

    reasons: list[Reason]
    near_miss: Reason | None
    no_longer_meets: list[Reason]


def match_explanations(
    matches: Sequence[Match], *, today: datetime.date | None = None
) -> dict[int, MatchExplanation]:
    """Explain these matches (a page of them) from the current facts, in four queries.

    The sentences come from the same rule definitions the matcher scored with (``rules.py``),
    so what a page says and what the score counted cannot drift apart.
    """
    today = today or datetime.date.today()
    needs = load_needs({m.need_id for m in matches}, today)
    suppliers = {
        (s.supplier_id, s.process_id): s
        for s in load_suppliers(
            {need.process_id for need in needs.values()},
            supplier_ids={m.supplier_id for m in matches},
        )
    }
    explained = {}
    for match in matches:
        need = needs.get(match.need_id)
        supplier = suppliers.get((match.supplier_id, need.process_id)) if need else None
        candidate = need and supplier and rules.is_candidate(need, supplier)
        pair = Pair(need, supplier, today) if candidate else None
        explained[match.pk] = MatchExplanation(
            reasons=rules.reasons(pair) if pair else [],
            near_miss=_said(match.near_miss_rule, need, pair) if match.near_miss_rule else None,
            no_longer_meets=[_said(code, need, pair) for code in match.no_longer_meets],
        )
    return explained


def _said(code: str, need: NeedFacts | None, pair: Pair | None) -> Reason:
    """A stored code as a sentence with today's figures.

    The facts may have moved since the code was stored (its rematch is queued, not yet run):
    then the sentence says the rule is being checked again rather than quote a failure that no
    longer holds.
    """
    rule = rules.RULES_BY_CODE.get(code)
    if rule is not None and pair is not None:
        return rule.failure(pair) if rule.fails(pair) else Reason("rechecking", {"rule": code})
    if need is not None and not need.is_open:
        return rules.OPEN_NEED.reason()
    if rule is not None and pair is None:
        return rules.OFFERS_PROCESS.reason()  # no candidate: inactive, or the process dropped
    return Reason(code)


# --- The admin's panels: a record's best matches, a facility's summary ----------------------

PANEL_ROWS = 20


@dataclass(frozen=True)
class MatchPanel:
    """A supplier's or a need's best matches (by score), explained, and how many there are."""

    rows: list[Match]
    total: int
    explanations: dict[int, MatchExplanation]

    @property
    def entries(self) -> list[tuple[Match, MatchExplanation]]:
        return [(match, self.explanations[match.pk]) for match in self.rows]

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def match_panel(
    *, supplier_id: int | None = None, need_id: int | None = None, limit: int = PANEL_ROWS
) -> MatchPanel:
    """The ``limit`` matches of one supplier or one need a person should see first, in a fixed
    number of queries whatever their number: the count, the rows (supplier, need and facility
    joined) and their explanations. Those someone acted on come first (a shortlisted or engaged
    supplier is never hidden below twenty better-scored suggestions), then the best."""
    if (supplier_id is None) == (need_id is None):
        raise ValueError("Give a supplier or a need.")
    matches = Match.objects.filter(
        **({"supplier_id": supplier_id} if supplier_id is not None else {"need_id": need_id})
    )
    acted_on_first = Case(When(status=Match.Status.SUGGESTED, then=Value(1)), default=Value(0))
    rows = list(
        matches.select_related("supplier__state", "need__facility").order_by(
            acted_on_first, "-score", "id"
        )[:limit]
    )
    total = len(rows) if len(rows) < limit else matches.order_by().count()
    return MatchPanel(rows=rows, total=total, explanations=match_explanations(rows))


@dataclass(frozen=True)
class FacilityMatchSummary:
    """Where a facility's demand stands: its open needs, their matches and near misses, what
    people did with them, and the open needs no supplier fully matches (the gaps)."""

    open_needs: int
    matches: int
    near_misses: int
    by_status: dict[str, int]
    unmatched_needs: list[tuple[int, str]]  # (id, title) of open needs without a full match
    unmatched_total: int


def facility_match_summary(facility_id: int, *, gaps_listed: int = 10) -> FacilityMatchSummary:
    """Three queries: one aggregate over the facility's matches, and the open needs without a
    full match (EXISTS on the match index per need, not a join over every match)."""
    counts = Match.objects.filter(need__facility_id=facility_id).aggregate(
        matches=Count("pk", filter=Q(near_miss_rule="")),
        near_misses=Count("pk", filter=~Q(near_miss_rule="")),
        **{
            f"status_{status}": Count("pk", filter=Q(status=status))
            for status in Match.Status.values
        },
    )
    open_needs = Need.objects.filter(facility_id=facility_id, status=Need.Status.OPEN)
    full_match = Match.objects.filter(need_id=OuterRef("pk"), near_miss_rule="")
    unmatched = open_needs.filter(~Exists(full_match)).order_by("due_date", "pk")
    listed = list(unmatched.values_list("pk", "title")[:gaps_listed])
    return FacilityMatchSummary(
        open_needs=open_needs.count(),
        matches=counts["matches"],
        near_misses=counts["near_misses"],
        by_status={status: counts[f"status_{status}"] for status in Match.Status.values},
        unmatched_needs=listed,
        unmatched_total=len(listed) if len(listed) < gaps_listed else unmatched.count(),
    )


# --- What new scoring weights would do, before they are saved -----------------------------------


@dataclass(frozen=True)
class ScoringPreview:
    """How the stored matches would move under new weights (from their stored components):
    how many change score, change rank within their need, cross the high-score threshold, and
    how many near misses would rise above (or fall back below) a full match of their need."""

    matches: int
    scores_changed: int
    ranks_changed: int
    high_score_up: int
    high_score_down: int
    near_misses_above_a_match: int
    near_misses_back_below: int
    high_score: int = rules.HIGH_SCORE


def _weights_in_hundredths(weights: dict[str, Decimal]) -> dict[str, int]:
    """Weights have two decimal places (ScoringProfile), so hundredths are exact integers."""
    hundredths = {}
    for name in SCORE_COMPONENTS:
        value = Decimal(weights[name]) * 100
        if value != value.to_integral_value() or value < 0:
            raise ValueError(f"weight {name}={weights[name]} is not a non-negative 0.01 step")
        hundredths[name] = int(value)
    return hundredths


PREVIEW_SQL = """
WITH m AS (
    SELECT id, need_id,
           CASE WHEN near_miss_rule = '' THEN 1 ELSE 0 END AS is_full,
           {old_cents} AS old_cents,
           (2 * ({weighted}) + %(total)s) / (2 * %(total)s) AS new_cents
      FROM {table}
),
r AS (
    SELECT m.*,
           ROW_NUMBER() OVER (PARTITION BY need_id ORDER BY old_cents DESC, id) AS old_rank,
           ROW_NUMBER() OVER (PARTITION BY need_id ORDER BY new_cents DESC, id) AS new_rank,
           MIN(CASE WHEN is_full = 1 THEN old_cents END) OVER (PARTITION BY need_id) AS old_floor,
           MIN(CASE WHEN is_full = 1 THEN new_cents END) OVER (PARTITION BY need_id) AS new_floor
      FROM m
)
SELECT COUNT(*),
       COALESCE(SUM(CASE WHEN old_cents <> new_cents THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN old_rank <> new_rank THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN old_cents < %(high)s AND new_cents >= %(high)s THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN old_cents >= %(high)s AND new_cents < %(high)s THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN is_full = 0 AND NOT COALESCE(old_cents > old_floor, FALSE)
                          AND COALESCE(new_cents > new_floor, FALSE) THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN is_full = 0 AND COALESCE(old_cents > old_floor, FALSE)
                          AND NOT COALESCE(new_cents > new_floor, FALSE) THEN 1 ELSE 0 END), 0)
  FROM r
"""


def scoring_preview(weights: dict[str, Decimal]) -> ScoringPreview:
    """One statement over every stored match, in the database (PostgreSQL or SQLite).

    The new score is the matcher's (``rules.weighted_score``: 100 · Σ w·c / Σ w, half up to two
    places) in exact integer arithmetic: components have four decimal places and weights two,
    so in hundredths of a point it is ⌊(2N + D) / 2D⌋ with N = Σ W·C and D = Σ W, which no
    floating point (SQLite's REAL) can round differently. Ranks are a need's order on the
    pages (score, then id); the near-miss boundary is a need's weakest full match.

    At national scale (four million matches) it sorts every match twice: seconds, not a
    request's worth (``services.scoring_preview_for`` runs it on a worker).
    """
    hundredths = _weights_in_hundredths(weights)
    if connection.vendor == "postgresql":
        # numeric × 10ⁿ is exact, and a cast of an integral numeric needs no rounding; int4 sort
        # keys and sums fit (2 · Σ W·C ≤ 2 · 6 · 9,999 · 10,000 < 2³¹).
        as_integer = "CAST({} AS INTEGER)"
    else:
        as_integer = "CAST(ROUND({}) AS INTEGER)"  # SQLite's REAL: 0.1234 × 10000 = 1233.99…
    weighted = " + ".join(
        f"%(w_{name})s * " + as_integer.format(f"{name}_component * 10000")
        for name in SCORE_COMPONENTS
    )
    sql = PREVIEW_SQL.format(
        weighted=weighted, old_cents=as_integer.format("score * 100"), table=Match._meta.db_table
    )
    params = {f"w_{name}": value for name, value in hundredths.items()}
    params |= {"total": sum(hundredths.values()) or 100, "high": rules.HIGH_SCORE * 100}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two sorts of every match: in memory, and without compiling the statement first
            # (JIT cost seconds here and saved none).
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return ScoringPreview(*(int(value) for value in row))


# --- Runs: which need attention -------------------------------------------------------------------


class RunHealth:
    """Where a run stands, as the admin lists it."""

    PENDING = "pending"
    RUNNING = "running"
    STALE = "stale"  # unfinished, and no progress for longer than a chunk can take
    DONE = "done"
    FAILED = "failed"


def run_stale_after() -> datetime.timedelta:
    """The watchdog's notion (``runs.match_run_watch``): no progress for longer than the
    longest chunk may take."""
    return datetime.timedelta(seconds=settings.MATCH_RUN_STALE_SECONDS)


def with_run_health(
    match_runs: QuerySet[MatchRun], now: datetime.datetime | None = None
) -> QuerySet[MatchRun]:
    """``last_seen`` (the last sign of life: created, a chunk started or finished, a chunk
    queued) and ``is_stale`` on each run, set-based as the watchdog reckons them one by one."""
    now = now or timezone.now()
    queued = (
        MatchRunChunk.objects.filter(run=OuterRef("pk"), status=MatchRunChunk.Status.PENDING)
        .order_by()
        .values("run")
        .annotate(latest=Max("queued_at"))
        .values("latest")
    )
    last_seen = Greatest(
        F("created_at"),
        Coalesce(F("last_progress_at"), F("created_at")),
        Coalesce(Subquery(queued, output_field=DateTimeField()), F("created_at")),
    )
    return match_runs.annotate(last_seen=last_seen).annotate(
        is_stale=Case(
            When(
                finished_at__isnull=True,
                last_seen__lte=now - run_stale_after(),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def match_run_health(run: MatchRun) -> str:
    """A run's health; ``run`` from ``with_run_health`` (it carries ``is_stale``)."""
    if run.status == MatchRun.Status.FAILED:
        return RunHealth.FAILED
    if run.status == MatchRun.Status.DONE:
        return RunHealth.DONE
    if getattr(run, "is_stale", False):
        return RunHealth.STALE
    return RunHealth.RUNNING if run.status == MatchRun.Status.RUNNING else RunHealth.PENDING


def full_run_unfinished() -> MatchRun | None:
    """The full run still going, if any (a second one would redo the same work)."""
    return (
        MatchRun.objects.filter(scope=MatchRun.Scope.FULL, finished_at__isnull=True)
        .order_by("pk")
        .first()
    )
