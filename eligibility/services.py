"""Actions on eligibility rules and checks: publishing a version, drafting the next, saving a
check pinned to the versions it used."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vendors.models import Supplier

from .engine import CheckResult, check, rule_sets_with_criteria
from .facts import Answers
from .models import EligibilityCheck, PublishRefused, RuleExample, RuleSet


@dataclass(frozen=True)
class ExampleResult:
    example: RuleExample
    outcome: str  # what the rule set gives the example's profile, or INVALID

    @property
    def passes(self) -> bool:
        return self.outcome == self.example.expected_outcome


INVALID = "invalid answers"


def rule_set_examples_judged(rule_set: RuleSet) -> list[ExampleResult]:
    """Each example profile judged by this rule set alone, on the date it takes effect (so
    the MSME limits of that date apply)."""
    [loaded] = rule_sets_with_criteria(pk=rule_set.pk)
    results = []
    for example in rule_set.examples.all():
        if Answers.problems(example.answers):
            results.append(ExampleResult(example, INVALID))  # fails, and says why
            continue
        result = check(
            Answers.from_json(example.answers),
            on=rule_set.effective_from,
            scheme=rule_set.scheme,
            rule_sets=[loaded],
            count_needs=False,
        )
        results.append(ExampleResult(example, result.roles[0].outcome))
    return results


@transaction.atomic
def rule_set_publish(*, rule_set: RuleSet, by: AbstractBaseUser | None = None) -> RuleSet:
    """Publish a draft once every example passes; from then on it never changes.

    The row is locked so two administrators publishing at once cannot both pass the checks on
    different criteria."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.is_published:
        raise PublishRefused(_("This version is already published."))
    for criterion in rule_set.criteria.all():
        criterion.full_clean(exclude=["rule_set"])
    examples = rule_set_examples_judged(rule_set)
    if not examples:
        raise PublishRefused(
            _("Add at least one example profile with its expected outcome before publishing.")
        )
    failing = [result for result in examples if not result.passes]
    if failing:
        raise PublishRefused(
            _("Not published: %(count)s example(s) fail: %(names)s.")
            % {
                "count": len(failing),
                "names": "; ".join(
                    f"{r.example.name} (expected {r.example.get_expected_outcome_display()}, "
                    f"got {r.outcome})"
                    for r in failing
                ),
            }
        )
    rule_set.status = RuleSet.Status.PUBLISHED
    rule_set.published_at = timezone.now()
    rule_set.published_by = by if by is not None and by.is_authenticated else None
    rule_set.save(update_fields=["status", "published_at", "published_by"])
    return rule_set


@transaction.atomic
def rule_set_new_version(
    *, rule_set: RuleSet, effective_from: datetime.date | None = None
) -> RuleSet:
    """A draft copy of a version, criteria and examples included, numbered next for its role.

    It takes effect today unless told otherwise: the old version keeps answering questions about
    earlier dates (the latest start on or before a date wins)."""
    latest = RuleSet.objects.filter(scheme=rule_set.scheme, role=rule_set.role).aggregate(
        Max("version")
    )["version__max"]
    draft = RuleSet.objects.create(
        scheme=rule_set.scheme,
        role=rule_set.role,
        version=(latest or 0) + 1,
        summary_en=rule_set.summary_en,
        summary_hi=rule_set.summary_hi,
        effective_from=effective_from or timezone.localdate(),
        source=rule_set.source,
    )
    for criterion in rule_set.criteria.all():
        criterion.pk = None
        criterion.rule_set = draft
        criterion.save()
    for example in rule_set.examples.all():
        example.pk = None
        example.rule_set = draft
        example.save()
    return draft


def check_save(
    *,
    answers: Answers,
    on: datetime.date | None = None,
    channel: str = EligibilityCheck.Channel.PAGE,
    supplier: Supplier | None = None,
) -> tuple[EligibilityCheck, CheckResult]:
    """Judge the answers and keep the result with the rule-set versions it used."""
    result = check(answers, on=on)
    with transaction.atomic():
        saved = EligibilityCheck.objects.create(
            as_of=result.on,
            channel=channel,
            answers=answers.as_json(),
            result=result.as_json(),
            supplier=supplier,
        )
        saved.rule_sets.set(result.rule_sets)
    return saved, result
