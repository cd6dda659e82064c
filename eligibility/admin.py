"""Administrators curate eligibility rules here: drafts are edited, examples show pass or fail,
publishing goes through the service (refused while an example fails), and a published version is
read-only (the next one starts as a draft copy)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from taxonomy.admin_mixins import AuditedAdmin

from . import services
from .models import Criterion, EligibilityCheck, RuleExample, RuleSet


class PublishedReadOnly:
    """Inlines of a published rule set cannot add, change or delete anything."""

    def _editable(self, obj: RuleSet | None) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request: HttpRequest, obj: RuleSet | None = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: RuleSet | None = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: RuleSet | None = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class CriterionInline(PublishedReadOnly, admin.StackedInline):
    model = Criterion
    extra = 0
    fieldsets = (
        (None, {"fields": (("order", "code"), ("label_en", "label_hi"))}),
        (
            _("The comparison"),
            {
                "fields": (("fact", "operator", "value"),),
                "description": _(
                    'Values are JSON: 51; [600, 1200]; codes such as ["NABL", '
                    '"ISO_9001"] or process slugs; for net-worth slabs '
                    '{"by": "capacity_sought_mtpa", "bands": [[600, 600, 180], ...]}. '
                    "Codes are checked against the vocabulary when saved."
                ),
            },
        ),
        (
            _("Applies only when (optional)"),
            {"fields": (("condition_fact", "condition_operator", "condition_value"),)},
        ),
        (None, {"fields": (("requirement", "attainable", "basis", "source"),)}),
        (
            _("Words"),
            {
                "fields": (
                    ("explanation_en", "explanation_hi"),
                    ("how_to_qualify_en", "how_to_qualify_hi"),
                )
            },
        ),
    )


class RuleExampleInline(PublishedReadOnly, admin.TabularInline):
    model = RuleExample
    extra = 0
    fields = ("name", "answers", "expected_outcome")


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    list_display = (
        "role",
        "version",
        "status",
        "effective_from",
        "effective_to",
        "criteria_count",
        "examples_count",
    )
    list_filter = ("role", "status")
    ordering = ("role", "-version")
    inlines = [CriterionInline, RuleExampleInline]
    actions = ["publish", "new_version"]
    readonly_fields = ("status", "published_at", "published_by", "example_results")
    fields = (
        ("scheme", "role", "version"),
        ("effective_from", "effective_to"),
        "source",
        ("summary_en", "summary_hi"),
        ("status", "published_at", "published_by"),
        "example_results",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[RuleSet]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                criteria_total=Count("criteria", distinct=True),
                examples_total=Count("examples", distinct=True),
            )
        )

    def has_change_permission(self, request: HttpRequest, obj: RuleSet | None = None) -> bool:
        # A published version stays viewable but its form is read-only.
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: RuleSet | None = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("criteria"))
    def criteria_count(self, obj: RuleSet) -> int:
        return obj.criteria_total

    @admin.display(description=_("examples"))
    def examples_count(self, obj: RuleSet) -> int:
        # Judging them is the change page's work: here, a count (no check per row).
        return obj.examples_total

    @admin.display(description=_("examples judged by this version"))
    def example_results(self, obj: RuleSet) -> SafeString | str:
        if obj.pk is None:
            return "—"
        results = services.rule_set_examples_judged(obj)
        if not results:
            return _("No examples yet: publishing needs at least one.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r.example.name,
                    r.example.get_expected_outcome_display(),
                    r.outcome,
                    _("pass") if r.passes else _("FAIL"),
                )
                for r in results
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("example"),
            _("expected"),
            _("got"),
            _("result"),
            rows,
        )

    @admin.action(description=_("Publish the selected drafts (refused while an example fails)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        for rule_set in queryset:
            try:
                services.rule_set_publish(rule_set=rule_set, by=request.user)
            except ValidationError as refused:
                self.message_user(
                    request, f"{rule_set}: {' '.join(refused.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, _("%(rule_set)s published.") % {"rule_set": rule_set})

    @admin.action(description=_("Make a new draft version of the selected rule sets"))
    def new_version(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        for rule_set in queryset:
            draft = services.rule_set_new_version(rule_set=rule_set)
            self.message_user(request, _("%(draft)s created.") % {"draft": draft})


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(admin.ModelAdmin):
    list_display = ("pk", "created_at", "as_of", "channel", "supplier", "outcomes")
    list_filter = ("channel", "as_of")
    readonly_fields = ("created_at", "as_of", "channel", "answers", "result", "supplier")
    exclude = ("rule_sets",)
    list_select_related = ("supplier",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("outcomes"))
    def outcomes(self, obj: EligibilityCheck) -> str:
        return ", ".join(f"{r['outcome']}" for r in obj.result.get("roles", []))
