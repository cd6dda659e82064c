"""The one eligibility engine: the anonymous self-check, a supplier's dashboard and the API.

``check(answers, on=...)`` derives the facts on that date (``facts.py``), judges every role's rule
set in force on that date, counts the open needs the profile would match now through the
matcher's own engine, and for a would-be bidder works out the largest capacity its net worth
allows. ``CheckResult.as_json`` is what a saved check keeps; ``CheckResult.from_saved`` reads it
back against the pinned (immutable) rule-set versions, so an old result never changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from matching.engine import evaluate_unsaved
from matching.facts import CertificateFacts, SupplierFacts
from schemes.models import Scheme
from taxonomy.choices import MsmeCategory
from taxonomy.models import CertificationType, Process

from .facts import NOT_MSME, Answers, Facts, facts_from_answers
from .models import Criterion, Outcome, Role, RuleSet
from .operators import Operator, holds

PASS, FAIL, UNKNOWN, NOT_APPLICABLE = "pass", "fail", "unknown", "not_applicable"


@dataclass
class CriterionResult:
    criterion: Criterion
    outcome: str  # PASS, FAIL, UNKNOWN (not answered) or NOT_APPLICABLE (its condition is off)

    @property
    def passed(self) -> bool:
        return self.outcome == PASS

    @property
    def failed(self) -> bool:
        return self.outcome == FAIL


@dataclass
class RoleResult:
    rule_set: RuleSet
    outcome: str
    criteria: list[CriterionResult]

    @property
    def role(self) -> str:
        return self.rule_set.role

    @property
    def role_label(self) -> str:
        return str(Role(self.rule_set.role).label)

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def shown(self) -> list[CriterionResult]:
        """What the page lists: every criterion that applies to this profile."""
        return [c for c in self.criteria if c.outcome != NOT_APPLICABLE]

    @property
    def to_do(self) -> list[Criterion]:
        """How to qualify: the failed criteria, required first."""
        failed = [c.criterion for c in self.criteria if c.failed and c.criterion.how_to_qualify_en]
        return sorted(failed, key=lambda c: (not c.is_required, c.order))

    @property
    def is_illustrative(self) -> bool:
        return any(c.criterion.is_illustrative for c in self.criteria)


@dataclass(frozen=True)
class NeedsCount:
    """Open needs of the profile's processes, and how many it matches or nearly matches now."""

    candidates: int
    matches: int
    near_misses: int


@dataclass(frozen=True)
class BidderHeadroom:
    """What a would-be bidder's net worth allows under the bidder rules' net-worth bands (the
    notified slabs, kept in the published criterion so an old result never moves)."""

    largest_capacity_mtpa: int | None  # None: below the smallest slab
    next_capacity_mtpa: int | None  # the next slab's smallest capacity, if any
    next_net_worth_crore: Decimal | None
    smallest_capacity_mtpa: int | None = None


@dataclass
class CheckResult:
    on: datetime.date
    answers: Answers
    category: str | None
    limits: list[tuple[str, int, int]]  # (category, max investment ₹, max turnover ₹)
    limits_notification: str
    roles: list[RoleResult]
    needs: NeedsCount | None = None
    bidder: BidderHeadroom | None = None
    place: str = ""  # "District, State" (English: pages name the district from the answers)

    @property
    def is_msme(self) -> bool:
        return self.category not in (None, NOT_MSME)

    @property
    def rule_sets(self) -> list[RuleSet]:
        return [role.rule_set for role in self.roles]

    @property
    def is_illustrative(self) -> bool:
        return any(role.is_illustrative for role in self.roles)

    def role(self, role: str) -> RoleResult | None:
        return next((r for r in self.roles if r.role == role), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "category": self.category,
            "limits": [list(limit) for limit in self.limits],
            "limits_notification": self.limits_notification,
            "place": self.place,
            "roles": [
                {
                    "rule_set": role.rule_set.pk,
                    "outcome": role.outcome,
                    "criteria": {str(c.criterion.pk): c.outcome for c in role.criteria},
                }
                for role in self.roles
            ],
            "needs": None
            if self.needs is None
            else {
                "candidates": self.needs.candidates,
                "matches": self.needs.matches,
                "near_misses": self.needs.near_misses,
            },
            "bidder": None
            if self.bidder is None
            else {
                "largest_capacity_mtpa": self.bidder.largest_capacity_mtpa,
                "next_capacity_mtpa": self.bidder.next_capacity_mtpa,
                "next_net_worth_crore": None
                if self.bidder.next_net_worth_crore is None
                else str(self.bidder.next_net_worth_crore),
                "smallest_capacity_mtpa": self.bidder.smallest_capacity_mtpa,
            },
        }

    @classmethod
    def from_saved(cls, *, answers: dict, result: dict) -> CheckResult:
        """A saved check read back against the rule-set versions it pinned (two queries)."""
        ids = [role["rule_set"] for role in result["roles"]]
        by_pk = {rule_set.pk: rule_set for rule_set in rule_sets_with_criteria(pk__in=ids)}
        roles = []
        for saved in result["roles"]:
            rule_set = by_pk[saved["rule_set"]]
            roles.append(
                RoleResult(
                    rule_set=rule_set,
                    outcome=saved["outcome"],
                    criteria=[
                        CriterionResult(c, saved["criteria"].get(str(c.pk), NOT_APPLICABLE))
                        for c in rule_set.criteria.all()
                    ],
                )
            )
        needs = result.get("needs")
        bidder = result.get("bidder")
        return cls(
            on=datetime.date.fromisoformat(result["on"]),
            answers=Answers.from_json(answers),
            category=result["category"],
            limits=[tuple(limit) for limit in result["limits"]],
            limits_notification=result["limits_notification"],
            roles=roles,
            needs=NeedsCount(**needs) if needs else None,
            bidder=None
            if not bidder
            else BidderHeadroom(
                largest_capacity_mtpa=bidder["largest_capacity_mtpa"],
                next_capacity_mtpa=bidder["next_capacity_mtpa"],
                next_net_worth_crore=None
                if bidder["next_net_worth_crore"] is None
                else Decimal(bidder["next_net_worth_crore"]),
                smallest_capacity_mtpa=bidder.get("smallest_capacity_mtpa"),
            ),
            place=result.get("place", ""),
        )


def rule_sets_with_criteria(**lookup: Any) -> list[RuleSet]:
    criteria = Criterion.objects.select_related("source").order_by("order", "pk")
    return list(
        RuleSet.objects.filter(**lookup)
        .select_related("source")
        .prefetch_related(Prefetch("criteria", queryset=criteria))
    )


def rule_sets_in_force(scheme: Scheme, on: datetime.date) -> list[RuleSet]:
    """Per role, the published version in force on ``on``: the latest to start, then the
    highest version. Roles in the order of ``Role``."""
    chosen: dict[str, RuleSet] = {}
    candidates = rule_sets_with_criteria(
        pk__in=RuleSet.objects.in_force_on(on).filter(scheme=scheme).values("pk")
    )
    for rule_set in sorted(candidates, key=lambda r: (r.effective_from, r.version), reverse=True):
        chosen.setdefault(rule_set.role, rule_set)
    order = list(Role.values)
    return sorted(chosen.values(), key=lambda r: order.index(r.role))


def judge(rule_set: RuleSet, facts: Facts) -> RoleResult:
    """One role's outcome: any required criterion failed that cannot be met later → not
    eligible; else any required criterion failed → not yet; else any required criterion
    unanswered → not assessed; else eligible. Advisory criteria are shown but never decide."""
    results = []
    for criterion in rule_set.criteria.all():
        if criterion.condition_fact:
            applies = holds(
                criterion.condition_operator,
                facts.get(criterion.condition_fact),
                criterion.condition_value,
                facts.get,
            )
            if applies is None:  # unanswered: whether it applies is itself unknown
                results.append(CriterionResult(criterion, UNKNOWN))
                continue
            if not applies:
                results.append(CriterionResult(criterion, NOT_APPLICABLE))
                continue
        verdict = holds(criterion.operator, facts.get(criterion.fact), criterion.value, facts.get)
        outcome = {True: PASS, False: FAIL, None: UNKNOWN}[verdict]
        results.append(CriterionResult(criterion, outcome))
    required = [r for r in results if r.criterion.is_required and r.outcome != NOT_APPLICABLE]
    if any(r.failed and not r.criterion.attainable for r in required):
        outcome = Outcome.NOT_ELIGIBLE
    elif any(r.failed for r in required):
        outcome = Outcome.NOT_YET
    elif any(r.outcome == UNKNOWN for r in required):
        outcome = Outcome.NOT_ASSESSED
    else:
        outcome = Outcome.ELIGIBLE
    return RoleResult(rule_set=rule_set, outcome=str(outcome), criteria=results)


def needs_for(facts: Facts, answers: Answers) -> NeedsCount:
    """The matcher's one engine on the unsaved profile: capacity, tolerance and temperature are
    not asked by the self-check, so needs that set them count as near misses at best."""
    processes = list(
        Process.objects.filter(slug__in=answers.processes).values_list("pk", flat=True)
    )
    if not processes:
        return NeedsCount(0, 0, 0)
    certificates = tuple(
        CertificateFacts(pk, code, name, datetime.date.max, False, zed or 0)
        for pk, code, name, zed in CertificationType.objects.filter(
            code__in=answers.certifications
        ).values_list("pk", "code", "name", "zed_level")
    )
    latitude, longitude = facts.coordinates or (None, None)
    capabilities = [
        SupplierFacts(
            supplier_id=0,
            process_id=process_id,
            monthly_capacity=None,
            capacity_unit="",
            best_tolerance_um=None,
            max_temperature_c=None,
            years_experience=None,
            latitude=latitude,
            longitude=longitude,
            is_verified=False,
            category=facts.get("msme_category") or NOT_MSME,
            year_established=None,
            is_active=True,
            certificates=certificates,
        )
        for process_id in processes
    ]
    evaluations = evaluate_unsaved(capabilities, today=facts.on)
    return NeedsCount(
        candidates=len(evaluations),
        matches=sum(e.is_match for e in evaluations),
        near_misses=sum(e.is_near_miss for e in evaluations),
    )


def needs_now(answers: Answers, on: datetime.date | None = None) -> NeedsCount:
    """Open needs of the answers' processes today, and how many the profile matches."""
    on = on or timezone.localdate()
    return needs_for(facts_from_answers(answers, on=on), answers)


def net_worth_bands(rule_sets: list[RuleSet]) -> list[list[Any]]:
    """The bidder rules' net-worth bands ([low, high, minimum] each), from the published
    criterion that applies them; empty when no rule set in force has one."""
    for rule_set in rule_sets:
        for criterion in rule_set.criteria.all():
            if (
                criterion.operator == Operator.AT_LEAST_BY_BAND
                and criterion.fact == "net_worth_crore"
            ):
                return list(criterion.value["bands"])
    return []


def bidder_headroom(bands: list[list[Any]], net_worth: Decimal | None) -> BidderHeadroom | None:
    """The largest capacity a net worth allows, and what the next band asks."""
    if net_worth is None or not bands:
        return None
    rows = [tuple(Decimal(str(item)) for item in band) for band in bands]
    allowed = [high for _low, high, minimum in rows if minimum <= net_worth]
    beyond = [(low, minimum) for low, _high, minimum in rows if minimum > net_worth]
    return BidderHeadroom(
        largest_capacity_mtpa=int(max(allowed)) if allowed else None,
        next_capacity_mtpa=int(beyond[0][0]) if beyond else None,
        next_net_worth_crore=beyond[0][1] if beyond else None,
        smallest_capacity_mtpa=int(rows[0][0]),
    )


def check(
    answers: Answers,
    *,
    on: datetime.date | None = None,
    scheme: Scheme | None = None,
    rule_sets: list[RuleSet] | None = None,
    count_needs: bool = True,
) -> CheckResult:
    """Judge these answers on ``on`` (today by default) by the rules in force that day, or by
    the given rule sets (an example judged by its own draft)."""
    on = on or timezone.localdate()
    scheme = scheme or Scheme.objects.order_by("pk").first()
    facts = facts_from_answers(answers, on=on)
    if rule_sets is None:
        rule_sets = rule_sets_in_force(scheme, on) if scheme else []
    limits = (
        [
            (limit.category, limit.max_investment_rupees, limit.max_turnover_rupees)
            for limit in facts.classification.limits
        ]
        if facts.classification
        else []
    )
    return CheckResult(
        on=on,
        answers=answers,
        category=facts.get("msme_category"),
        limits=limits,
        limits_notification=facts.limits_notification,
        roles=[judge(rule_set, facts) for rule_set in rule_sets],
        needs=needs_for(facts, answers) if count_needs else None,
        bidder=bidder_headroom(net_worth_bands(rule_sets), facts.get("net_worth_crore")),
        place=", ".join(filter(None, [facts.district_name, facts.state_name])),
    )


@dataclass(frozen=True)
class Change:
    """One difference a what-if makes: the MSME category, a role's outcome or the needs."""

    kind: str  # "category", "role" or "needs"
    label: str
    before: Any
    after: Any


def compare(before: CheckResult, after: CheckResult) -> list[Change]:
    """What changes between two results of the same questionnaire (the what-if)."""

    def category(code: str | None) -> str:
        return str(MsmeCategory(code).label) if code else "—"

    changes = []
    if before.category != after.category:
        changes.append(Change("category", "", category(before.category), category(after.category)))
    roles = {role.role: role for role in before.roles}
    for role in after.roles:
        previous = roles.get(role.role)
        if previous is None or previous.outcome != role.outcome:
            changes.append(
                Change(
                    "role",
                    role.role_label,
                    previous.outcome_label if previous else "—",
                    role.outcome_label,
                )
            )
    if before.needs and after.needs and before.needs.matches != after.needs.matches:
        changes.append(Change("needs", "", before.needs.matches, after.needs.matches))
    return changes
