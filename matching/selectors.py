"""Read queries for the matcher, and what a match says, derived on read."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from schemes.models import Need
from vendors.models import Certification

from . import rules
from .facts import NeedFacts, Pair, load_needs, load_suppliers
from .models import Match
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
    """The best ``limit`` matches of one supplier or one need, best first, in six queries
    whatever their number: the count, the rows (supplier, need and facility joined) and their
    explanations (four)."""
    if (supplier_id is None) == (need_id is None):
        raise ValueError("Give a supplier or a need.")
    matches = Match.objects.filter(
        **({"supplier_id": supplier_id} if supplier_id is not None else {"need_id": need_id})
    )
    rows = list(
        matches.select_related("supplier__state", "need__facility").order_by("-score", "id")[:limit]
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
