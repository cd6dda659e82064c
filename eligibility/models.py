"""Eligibility rules as dated, versioned, sourced data, and the checks that used them.

A ``RuleSet`` is one version of the rules for one role (certified supplier, cluster ancillary
unit, ..., bidder), in force from a date. Its ``Criterion`` rows compare a fact (``facts.py``)
with a value (``operators.py``); its ``RuleExample`` rows are profiles with the outcome they must
get, and publishing is refused while any example fails (``services.rule_set_publish``).

A published version is immutable on every path: ``save()``, ``delete()``, queryset
``update()``/``delete()`` and ``bulk_create`` of its criteria or examples all refuse, so a saved
``EligibilityCheck`` keeps meaning what it meant when it was made. A change is a new version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from taxonomy.history import AuditedHistory
from taxonomy.localized import Name

from .facts import FACT_CHOICES, Answers
from .operators import Operator, clean_comparison


class PublishRefused(ValidationError):
    """Publishing was refused (an example fails, none exist, or a path that skips the check)."""


class PublishedRuleSetIsImmutable(ValidationError):
    """A published rule set, its criteria and its examples never change: publish a new version."""

    def __init__(self) -> None:
        super().__init__(
            _("A published rule set cannot change. Make a new version and publish that instead.")
        )


def in_language(obj: models.Model, name: str) -> Name:
    """``<name>_en`` with its Hindi twin ``<name>_hi``: the reader's language where it is filled
    in, the English marked ``lang="en"`` on a Hindi page where it is not (``taxonomy.localized``).
    """
    return Name(getattr(obj, f"{name}_en"), getattr(obj, f"{name}_hi", ""))


class Role(models.TextChoices):
    SUPPLIER = "supplier", _("Certified supplier to a facility")
    ANCILLARY = "ancillary", _("Cluster ancillary unit")
    TECHNOLOGY_PARTNER = "technology_partner", _("Technology or joint-venture partner")
    RECYCLING_PARTNER = "recycling_partner", _("Recycling partner")
    TRAINING_PARTNER = "training_partner", _("Training partner")
    BIDDER = "bidder", _("Bidder for an integrated facility")


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_YET = "not_yet", _("Not yet")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class RuleSetQuerySet(models.QuerySet["RuleSet"]):
    def published(self) -> RuleSetQuerySet:
        return self.filter(status=RuleSet.Status.PUBLISHED)

    def in_force_on(self, day: Any) -> RuleSetQuerySet:
        """Published versions covering ``day``; per role the latest start wins (``engine``)."""
        return self.published().filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day
        )

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=RuleSet.Status.PUBLISHED).exists():
            raise PublishedRuleSetIsImmutable()
        if kwargs.get("status") == RuleSet.Status.PUBLISHED:
            # Only rule_set_publish publishes: it checks the examples first.
            raise PublishRefused(_("Publish a rule set through its publish action."))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=RuleSet.Status.PUBLISHED).exists():
            raise PublishedRuleSetIsImmutable()
        return super().delete()

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        if self.filter(pk__in=[obj.pk for obj in objs], status=RuleSet.Status.PUBLISHED).exists():
            raise PublishedRuleSetIsImmutable()
        return super().bulk_update(objs, *args, **kwargs)


class RuleSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="eligibility_rule_sets"
    )
    role = models.CharField(max_length=24, choices=Role.choices)
    version = models.PositiveIntegerField(default=1)
    summary_en = models.TextField("what the role is (English)")
    summary_hi = models.TextField("what the role is (Hindi)", blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Empty while in force.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.ForeignKey(
        "schemes.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_rule_sets",
        help_text="The document these rules come from; empty for REPM Connect's own guidance.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditedHistory])

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["role", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "role", "version"], name="eligibility_rule_set_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="eligibility_rule_set_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} v{self.version} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_is_published():
            raise PublishedRuleSetIsImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_is_published():
            raise PublishedRuleSetIsImmutable()
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def summary(self) -> Name:
        return in_language(self, "summary")

    def _stored_is_published(self) -> bool:
        return (
            self.pk is not None
            and RuleSet.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()
        )


class RuleSetPartQuerySet(models.QuerySet):
    """Criteria and examples: refuse bulk writes that would touch a published rule set."""

    def _touches_published(self) -> bool:
        return self.filter(rule_set__status=RuleSet.Status.PUBLISHED).exists()

    def update(self, **kwargs: Any) -> int:
        if self._touches_published():
            raise PublishedRuleSetIsImmutable()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_published():
            raise PublishedRuleSetIsImmutable()
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        objs = list(objs)
        self._refuse_published({obj.rule_set_id for obj in objs})
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        # Checked before Django's own atomic block, whose failure would poison the caller's.
        objs = list(objs)
        stored = self.model.objects.filter(pk__in=[obj.pk for obj in objs])
        self._refuse_published(set(stored.values_list("rule_set_id", flat=True)))
        return super().bulk_update(objs, *args, **kwargs)

    @staticmethod
    def _refuse_published(rule_set_ids: set[int]) -> None:
        if RuleSet.objects.published().filter(pk__in=rule_set_ids).exists():
            raise PublishedRuleSetIsImmutable()


class RuleSetPart(models.Model):
    """What belongs to one rule set and is frozen with it."""

    objects = RuleSetPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._touches_published():
            raise PublishedRuleSetIsImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._touches_published():
            raise PublishedRuleSetIsImmutable()
        return super().delete(*args, **kwargs)

    def _touches_published(self) -> bool:
        """Its rule set is published, or (moving it elsewhere) the one it is stored under."""
        rule_sets = {self.rule_set_id}
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("rule_set_id", flat=True)
            rule_sets |= set(stored)
        return RuleSet.objects.published().filter(pk__in=rule_sets).exists()


class Criterion(RuleSetPart):
    """One condition of a role: a fact compared with a value, with why and how to qualify."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("Required")
        ADVISORY = "advisory", _("Advisory")

    class Basis(models.TextChoices):
        NOTIFIED = "notified", _("The scheme's notified text")
        ILLUSTRATIVE = "illustrative", _("Illustrative: REPM Connect's guidance")

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=40, help_text="Stable within the role, e.g. udyam.")
    label_en = models.CharField("label (English)", max_length=120)
    label_hi = models.CharField("label (Hindi)", max_length=120, blank=True)
    fact = models.CharField(max_length=40, choices=FACT_CHOICES)
    operator = models.CharField(max_length=16, choices=Operator.choices)
    value = models.JSONField(null=True, blank=True, help_text='e.g. 51, [600, 1200], ["NABL"]')
    condition_fact = models.CharField(
        max_length=40, choices=FACT_CHOICES, blank=True, help_text="Applies only when this fact…"
    )
    condition_operator = models.CharField(max_length=16, choices=Operator.choices, blank=True)
    condition_value = models.JSONField(null=True, blank=True)
    requirement = models.CharField(
        max_length=10, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    attainable = models.BooleanField(
        default=True,
        help_text="Something the enterprise can still do (get a certificate, register): "
        "failing it reads 'not yet' rather than 'not eligible'.",
    )
    basis = models.CharField(max_length=12, choices=Basis.choices, default=Basis.ILLUSTRATIVE)
    explanation_en = models.TextField("explanation (English)")
    explanation_hi = models.TextField("explanation (Hindi)", blank=True)
    how_to_qualify_en = models.TextField("how to qualify (English)", blank=True)
    how_to_qualify_hi = models.TextField("how to qualify (Hindi)", blank=True)
    source = models.ForeignKey(
        "schemes.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_criteria",
    )

    history = HistoricalRecords(bases=[AuditedHistory])

    class Meta:
        ordering = ["rule_set", "order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "code"], name="eligibility_criterion_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label_en

    def clean(self) -> None:
        clean_comparison(self.fact, self.operator, self.value)
        if self.condition_fact or self.condition_operator:
            try:
                clean_comparison(self.condition_fact, self.condition_operator, self.condition_value)
            except ValidationError as error:
                raise ValidationError(
                    {f"condition_{name}": messages for name, messages in error.message_dict.items()}
                ) from error

    @property
    def label(self) -> Name:
        return in_language(self, "label")

    @property
    def explanation(self) -> Name:
        return in_language(self, "explanation")

    @property
    def how_to_qualify(self) -> Name:
        return in_language(self, "how_to_qualify")

    @property
    def is_illustrative(self) -> bool:
        return self.basis == self.Basis.ILLUSTRATIVE

    @property
    def is_required(self) -> bool:
        return self.requirement == self.Requirement.REQUIRED


class RuleExample(RuleSetPart):
    """A profile with the outcome the rule set must give it: the rule set's own test."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="examples")
    name = models.CharField(max_length=120)
    answers = models.JSONField(help_text="The questionnaire's answers, as the API takes them.")
    expected_outcome = models.CharField(max_length=14, choices=Outcome.choices)

    class Meta:
        ordering = ["rule_set", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = Answers.problems(self.answers)
        if problems:
            raise ValidationError(
                {"answers": "; ".join(f"{name}: {problem}" for name, problem in problems.items())}
            )


class EligibilityCheck(models.Model):
    """A check as it was answered and judged, pinned to the rule-set versions it used.

    ``result`` keeps outcomes and pass/fail per criterion id; the words are read from those
    (immutable) criteria in the reader's language, so a result never changes when a new version is
    published and still reads in Hindi or English.
    """

    class Channel(models.TextChoices):
        PAGE = "page", _("Self-check page")
        API = "api", _("API")
        DASHBOARD = "dashboard", _("Supplier dashboard")

    created_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField(help_text="The date whose rules and MSME limits were applied.")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PAGE)
    answers = models.JSONField()
    result = models.JSONField()
    rule_sets = models.ManyToManyField(RuleSet, related_name="checks")
    supplier = models.ForeignKey(
        "vendors.Supplier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="eligibility_checks",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Eligibility check #{self.pk} as of {self.as_of}"
