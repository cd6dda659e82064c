"""The reference engine: the rules of ``rules.py`` evaluated in Python, on every database.

``bulk.py`` evaluates the same rules inside PostgreSQL at national scale; this engine runs
everywhere else (SQLite, the embedded default) and, on PostgreSQL too, finds which rules the
few acted-on matches that stop holding now fail. Candidates are loaded set-based
(``facts.py``: a few queries per call, never one per pair).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from schemes.models import Need

from . import rules
from .facts import Pair, SupplierFacts, load_needs, load_suppliers
from .models import ScoringProfile
from .reasons import Reason


@dataclass
class Evaluation:
    """The matcher's verdict on one candidate pair."""

    pair: Pair
    failures: tuple[str, ...]  # codes of the rules it fails, in rule order
    score: Decimal
    components: dict[str, Decimal]

    @property
    def supplier_id(self) -> int:
        return self.pair.supplier.supplier_id

    @property
    def need_id(self) -> int:
        return self.pair.need.id

    @property
    def is_match(self) -> bool:
        return not self.failures

    @property
    def is_near_miss(self) -> bool:
        return len(self.failures) == 1

    @property
    def near_miss_rule(self) -> str:
        return self.failures[0] if self.is_near_miss else ""

    @cached_property
    def reasons(self) -> list[Reason]:
        return rules.reasons(self.pair)

    @cached_property
    def failure_reasons(self) -> list[Reason]:
        return [rules.RULES_BY_CODE[code].failure(self.pair) for code in self.failures]


def active_profile() -> ScoringProfile:
    """The active scoring profile; the defaults are created on first use."""
    profile = ScoringProfile.objects.filter(is_active=True).first()
    return profile or ScoringProfile.objects.create()


def evaluate(pair: Pair, profile: ScoringProfile) -> Evaluation:
    components = {
        component.name: component.value(pair, profile.distance_scale_km)
        for component in rules.COMPONENTS
    }
    return Evaluation(
        pair=pair,
        failures=tuple(rule.code for rule in rules.failures(pair)),
        score=rules.weighted_score(components, profile.weights()),
        components=components,
    )


def evaluate_needs(
    need_ids: Iterable[int],
    *,
    supplier_ids: Iterable[int] | None = None,
    profile: ScoringProfile | None = None,
    today: datetime.date | None = None,
) -> list[Evaluation]:
    """Evaluate every candidate of each need (optionally only some suppliers): the pairs that
    ``rules.CANDIDATE`` admits, the same conditions the in-database statement joins on."""
    today = today or datetime.date.today()
    profile = profile or active_profile()
    needs = list(load_needs(need_ids, today).values())
    suppliers = sorted(set(supplier_ids)) if supplier_ids is not None else None
    if not needs or suppliers == []:
        return []
    offering = defaultdict(list)
    for supplier in load_suppliers({n.process_id for n in needs}, supplier_ids=suppliers):
        offering[supplier.process_id].append(supplier)
    return [
        evaluate(Pair(need, supplier, today), profile)
        for need in sorted(needs, key=lambda n: n.id)
        for supplier in offering[need.process_id]
        if rules.is_candidate(need, supplier)
    ]


def evaluate_unsaved(
    capabilities: Iterable[SupplierFacts],
    *,
    profile: ScoringProfile | None = None,
    today: datetime.date | None = None,
) -> list[Evaluation]:
    """The rules on a profile nobody saved (an eligibility self-check): each capability against
    every open need of its process that ``rules.CANDIDATE`` admits, as for a saved supplier."""
    today = today or datetime.date.today()
    capabilities = list(capabilities)
    processes = {capability.process_id for capability in capabilities}
    need_ids = Need.objects.open().filter(process_id__in=processes).values_list("pk", flat=True)
    needs = sorted(load_needs(need_ids, today).values(), key=lambda n: n.id)
    if not needs:
        return []
    profile = profile or active_profile()
    return [
        evaluate(Pair(need, capability, today), profile)
        for capability in capabilities
        for need in needs
        if rules.is_candidate(need, capability)
    ]
