"""Read queries for the matcher, and what a match says, derived on read."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

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
