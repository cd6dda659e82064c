"""Admin for matches and matcher runs: both are written by the matcher, so mostly read-only.

An administrator may move a match's status (as a facility partner would); the score, its
components and reasons stay as the matcher wrote them. The matches table holds millions of
rows: no full count, no date hierarchy, ordering on an indexed column.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from schemes import admin as schemes_admin
from schemes.admin_access import FacilityScopedAdmin, ScopedFacilityFilter
from schemes.models import Facility, Need
from taxonomy.admin_mixins import AuditedAdmin, WrittenByTheSystemAdmin
from taxonomy.formatting import number
from taxonomy.formatting import quantity as quantity_text
from vendors import admin as vendors_admin
from vendors.admin import GSTIN_SHAPE, PAN_SHAPE
from vendors.models import Supplier
from vendors.validators import UDYAM_RE, normalise_identifier

from . import selectors, services
from .forms import MatchAdminForm, ScoringProfileForm
from .models import COMMITTING, Match, MatchRun, MatchRunChunk, ScoringProfile
from .selectors import (
    MatchExplanation,
    RunHealth,
    facility_match_summary,
    full_run_unfinished,
    match_explanations,
    match_panel,
    match_run_health,
    with_run_health,
)


class NearMissFilter(admin.SimpleListFilter):
    """Near misses fail exactly one rule, named in ``near_miss_rule``."""

    title = "near miss"
    parameter_name = "near_miss"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Near misses"), ("no", "Full matches")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Match]) -> QuerySet[Match]:
        if self.value() == "yes":
            return queryset.exclude(near_miss_rule="")
        if self.value() == "no":
            return queryset.filter(near_miss_rule="")
        return queryset


class MatchFacilityFilter(ScopedFacilityFilter):
    facility_path = "need__facility"


@admin.register(Match)
class MatchAdmin(FacilityScopedAdmin, admin.ModelAdmin):
    # Facility managers see and act on their own facilities' matches only.
    facility_path = "need__facility"
    list_display = (
        "id",
        "supplier",
        "need_title",
        "need__facility",
        "score",
        "status",
        "committed",
        "is_near_miss",
        "updated_at",
    )
    list_filter = ("status", NearMissFilter, MatchFacilityFilter)
    form = MatchAdminForm
    search_fields = ("supplier__name", "^supplier__udyam_number")
    list_select_related = ("supplier", "need__facility")
    # updated_at is indexed; the model's -score ordering would sort millions of rows per page.
    ordering = ("-updated_at",)
    show_full_result_count = False
    list_per_page = 100
    fields = (
        "supplier",
        "need",
        "status",
        "status_changed_at",
        "interest_message",  # the MSME's note to the facility, read before shortlisting
        "facility_note",  # the facility's note with its decision, read by the MSME
        "committed_quantity",  # what a shortlist or engagement takes of the supplier's capacity
        "supplier_capacity",
        "score",
        "score_components",
        "reason_list",
        "near_miss",
        "no_longer_meets",
        "profile_version",
        "created_at",
        "updated_at",
    )
    readonly_fields = tuple(
        f for f in fields if f not in {"status", "facility_note", "committed_quantity"}
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only the matcher creates matches

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Match], search_term: str
    ) -> tuple[QuerySet[Match], bool]:
        # A whole Udyam number, GSTIN or PAN goes straight to the supplier's index.
        term = normalise_identifier(search_term)
        if UDYAM_RE.match(term):
            return queryset.filter(supplier__udyam_number=term), False
        if GSTIN_SHAPE.match(term):
            return queryset.filter(supplier__gstin=term), False
        if PAN_SHAPE.match(term):
            return queryset.filter(supplier__pan=term), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request: HttpRequest, obj: Match, form: ModelForm, change: bool) -> None:
        if not {"status", "facility_note", "committed_quantity"} & set(form.changed_data):
            return
        try:
            services.match_admin_set_status(
                match=obj,
                status=obj.status,
                note=obj.facility_note,
                committed_quantity=obj.committed_quantity,
                changed_by=request.user,
            )
        except services.MatchActionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)

    @admin.display(description="committed", ordering="committed_quantity")
    def committed(self, obj: Match) -> str:
        """What a shortlist or engagement takes (Indian grouping); blank otherwise."""
        if obj.status not in COMMITTING:
            return ""
        taken = obj.committed_quantity
        return number(taken if taken is not None else obj.need.min_monthly_capacity or 0)

    @admin.display(description="supplier's capacity for the process")
    def supplier_capacity(self, obj: Match) -> str:
        """Capacity, what shortlists and engagements take of it, and what is free."""
        line = selectors.match_capacity(obj)
        if line is None or line.capacity is None:
            return "not stated"
        return (
            f"{quantity_text(line.capacity, line.unit)} a month: {number(line.committed)} "
            f"committed to other needs, {number(line.free)} free"
        )

    @admin.display(description="need", ordering="need__title")
    def need_title(self, obj: Match) -> str:
        return obj.need.title

    @admin.display(description="near miss", boolean=True)
    def is_near_miss(self, obj: Match) -> bool:
        return obj.is_near_miss

    @admin.display(description="components")
    def score_components(self, obj: Match) -> SafeString:
        items = sorted((obj.components or {}).items())
        return format_html_join(", ", "{}: {}", items) or format_html("{}", "—")

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        # Explained once, from today's facts, for the three fields that show it.
        match = super().get_object(request, object_id, from_field)
        if match is not None:
            match.explanation = match_explanations([match])[match.pk]
        return match

    def _explanation(self, obj: Match) -> MatchExplanation:
        return obj.explanation

    @admin.display(description="reasons")
    def reason_list(self, obj: Match) -> SafeString:
        reasons = self._explanation(obj).reasons
        rows = format_html_join("", "<li>{}</li>", ((reason.text,) for reason in reasons))
        return format_html("<ul>{}</ul>", rows) if rows else format_html("{}", "—")

    @admin.display(description="near miss")
    def near_miss(self, obj: Match) -> str:
        reason = self._explanation(obj).near_miss
        return reason.text if reason else "—"

    @admin.display(description="no longer meets the need")
    def no_longer_meets(self, obj: Match) -> str:
        reasons = self._explanation(obj).no_longer_meets
        return "; ".join(reason.text for reason in reasons) or "—"


class MatchRunChunkInline(admin.TabularInline):
    model = MatchRunChunk
    fields = (
        "index",
        "status",
        "attempts",
        "rows_written",
        "rows_deleted",
        "error",
        "queued_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ScoringProfile)
class ScoringProfileAdmin(AuditedAdmin):
    list_display = (
        "name",
        "version",
        "is_active",
        "distance_weight",
        "capacity_weight",
        "tolerance_weight",
        "quality_weight",
        "preference_weight",
        "experience_weight",
        "updated_at",
    )
    readonly_fields = ("version", "updated_at")
    # New weights are saved only once their preview was shown (matching.forms).
    form = ScoringProfileForm
    change_form_template = "admin/repm/change_form.html"

    def save_model(
        self, request: HttpRequest, obj: ScoringProfile, form: ModelForm, change: bool
    ) -> None:
        changed = [name for name in form.changed_data if name != "previewed"]
        services.scoring_profile_save(profile=obj, changed_fields=changed)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: ScoringProfile | None = None,
    ) -> HttpResponse:
        form = context["adminform"].form
        if getattr(form, "preview", None) is not None:
            context["scoring_preview"] = form.preview
            context["scoring_scale_changed"] = "distance_scale_km" in form.changed_data
            context["scoring_profile_active"] = form.cleaned_data.get("is_active", False)
        return super().render_change_form(request, context, add, change, form_url, obj)


class RunHealthFilter(admin.SimpleListFilter):
    """Runs that need someone: failed, or stale (no progress for longer than a chunk takes)."""

    title = "health"
    parameter_name = "health"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("attention", "Needs attention (failed or stale)"),
            (RunHealth.STALE, "Stale"),
            (RunHealth.FAILED, "Failed"),
            ("unfinished", "Unfinished"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[MatchRun]) -> QuerySet[MatchRun]:
        failed = Q(status=MatchRun.Status.FAILED)
        return {
            "attention": lambda: queryset.filter(failed | Q(is_stale=True)),
            RunHealth.STALE: lambda: queryset.filter(is_stale=True),
            RunHealth.FAILED: lambda: queryset.filter(failed),
            "unfinished": lambda: queryset.filter(finished_at__isnull=True),
        }.get(self.value(), lambda: queryset)()


REFRESH_SECONDS = 5  # how often a page watching a run reloads itself (no script: CSP)


@admin.register(MatchRun)
class MatchRunAdmin(WrittenByTheSystemAdmin, admin.ModelAdmin):
    """The matcher's log, and its controls: start a full rematch, watch a run's progress (the
    page reloads itself while it runs), see failed or stale runs with the reason, resume them.
    Operating runs takes the ``matching.change_matchrun`` permission (scheme administrators);
    the runs themselves are never added, edited or deleted by hand."""

    inlines = (MatchRunChunkInline,)
    actions = ("resume_runs",)
    change_list_template = "admin/matching/matchrun/change_list.html"
    change_form_template = "admin/repm/change_form.html"
    list_display = (
        "id",
        "scope",
        "trigger",
        "started_by",
        "status",
        "progress",
        "health",
        "rows_written",
        "rows_deleted",
        "created_at",
        "finished_at",
    )
    list_filter = (RunHealthFilter, "status", "scope", "trigger")
    list_select_related = ("started_by",)
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    fields = (
        "scope",
        "trigger",
        "target_id",
        "started_by",
        "status",
        "health",
        "failure_reason",
        "progress",
        "rows_written",
        "rows_deleted",
        "errors",
        "created_at",
        "started_at",
        "last_progress_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[MatchRun]:
        return with_run_health(super().get_queryset(request))

    def may_operate(self, request: HttpRequest) -> bool:
        return request.user.has_perm("matching.change_matchrun")

    def has_operate_permission(self, request: HttpRequest) -> bool:
        return self.may_operate(request)

    # --- Start and resume (POST) --------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("start/", wrap(self.start_view), name="matching_matchrun_start"),
            path("<int:run_id>/resume/", wrap(self.resume_view), name="matching_matchrun_resume"),
            *super().get_urls(),
        ]

    def start_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.may_operate(request):
            raise PermissionDenied
        try:
            run = services.match_run_start_full(started_by=request.user)
        except services.RunRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return redirect("admin:matching_matchrun_changelist")
        self.message_user(request, f"Full rematch started: run #{run.pk}.", messages.SUCCESS)
        return redirect("admin:matching_matchrun_change", run.pk)

    def resume_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.may_operate(request):
            raise PermissionDenied
        get_object_or_404(MatchRun, pk=run_id)
        self._resume(request, [run_id])
        return redirect("admin:matching_matchrun_change", run_id)

    @admin.action(
        description="Resume the selected failed or stale runs (requeue their unfinished chunks)",
        permissions=["operate"],
    )
    def resume_runs(self, request: HttpRequest, queryset: QuerySet[MatchRun]) -> None:
        self._resume(request, list(queryset.values_list("pk", flat=True)))

    def _resume(self, request: HttpRequest, run_ids: list[int]) -> None:
        resumed = []
        for run_id in run_ids:
            try:
                chunks = services.match_run_resume_stuck(run_id=run_id)
            except services.RunRefused as refused:
                self.message_user(request, str(refused), messages.WARNING)
                continue
            resumed.append(f"#{run_id} ({len(chunks)} chunk{'s' if len(chunks) != 1 else ''})")
        if resumed:
            self.message_user(request, f"Resumed run {', '.join(resumed)}.", messages.SUCCESS)

    # --- Watching ----------------------------------------------------------------------------

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        running = full_run_unfinished()
        unfinished = MatchRun.objects.filter(finished_at__isnull=True).exists()
        extra_context = {
            **(extra_context or {}),
            "may_operate": self.may_operate(request),
            "full_run_unfinished": running,
            "refresh_seconds": REFRESH_SECONDS if unfinished else None,
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: MatchRun | None = None,
    ) -> HttpResponse:
        if obj is not None:
            if not obj.is_finished:
                context["refresh_seconds"] = REFRESH_SECONDS
            if self.may_operate(request) and match_run_health(obj) in (
                RunHealth.FAILED,
                RunHealth.STALE,
            ):
                context["post_tools"] = [
                    {
                        "url": reverse("admin:matching_matchrun_resume", args=[obj.pk]),
                        "label": "Resume this run",
                    }
                ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="progress")
    def progress(self, obj: MatchRun) -> SafeString:
        return format_html(
            '<progress class="run-progress" max="{}" value="{}">{}%</progress> '
            "{} / {} chunks ({}%)",
            obj.chunks_total or 1,
            obj.chunks_done if obj.chunks_total else int(obj.status == MatchRun.Status.DONE),
            obj.progress_percent,
            obj.chunks_done,
            obj.chunks_total,
            obj.progress_percent,
        )

    @admin.display(description="health")
    def health(self, obj: MatchRun) -> SafeString | str:
        health = match_run_health(obj)
        if health == RunHealth.FAILED:
            return format_html(
                '<span class="run-health-failed">Failed: {}</span>',
                Truncator(obj.failure_reason or "no reason recorded").chars(160),
            )
        if health == RunHealth.STALE:
            return format_html(
                '<span class="run-health-stale">Stale: no progress since {}</span>',
                localize(timezone.localtime(obj.last_seen)),  # type: ignore[attr-defined]
            )
        return {
            RunHealth.DONE: "Done",
            RunHealth.RUNNING: "Running",
            RunHealth.PENDING: "Waiting for a worker",
        }[health]


# --- Matches on the pages of the rooms below ---------------------------------------------------
# Suppliers, needs and facilities are administered in their own rooms, which know nothing of
# matches (they sit below the matcher). The matcher extends their admins with what it knows:
# the same admin classes, re-registered with a read-only panel of matches.


def _matches_list_url(**lookup: int) -> str:
    query = "&".join(f"{name}={value}" for name, value in lookup.items())
    return f"{reverse('admin:matching_match_changelist')}?{query}"


def _object_pk(object_id: str) -> int | None:
    try:
        return int(unquote(object_id))
    except ValueError:
        return None


class SupplierWithMatchesAdmin(vendors_admin.SupplierAdmin):
    change_form_template = "admin/repm/change_form.html"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        supplier_id = _object_pk(object_id)
        if request.method == "GET" and supplier_id is not None:
            extra_context = {
                **(extra_context or {}),
                "matches_of": "supplier",
                "matches_panel": match_panel(supplier_id=supplier_id),
                "matches_list_url": _matches_list_url(supplier__id__exact=supplier_id),
            }
        return super().change_view(request, object_id, form_url, extra_context)


class NeedWithMatchesAdmin(schemes_admin.NeedAdmin):
    change_form_template = "admin/repm/change_form.html"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        need_id = _object_pk(object_id)
        if request.method == "GET" and need_id is not None:
            # Out of a facility manager's scope, the page answers 404 before this is shown.
            extra_context = {
                **(extra_context or {}),
                "matches_of": "need",
                "matches_panel": match_panel(need_id=need_id),
                "matches_list_url": _matches_list_url(need__id__exact=need_id),
                "can_view_suppliers": request.user.has_perm("vendors.view_supplier"),
            }
        return super().change_view(request, object_id, form_url, extra_context)


class FacilityWithMatchesAdmin(schemes_admin.FacilityAdmin):
    change_form_template = "admin/repm/change_form.html"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        facility_id = _object_pk(object_id)
        if request.method == "GET" and facility_id is not None:
            summary = facility_match_summary(facility_id)
            extra_context = {
                **(extra_context or {}),
                "facility_summary": summary,
                "facility_statuses": [
                    (status, label, summary.by_status[status])
                    for status, label in Match.Status.choices
                    if status != Match.Status.SUGGESTED and summary.by_status[status]
                ],
                "matches_list_url": _matches_list_url(facility=facility_id),
            }
        return super().change_view(request, object_id, form_url, extra_context)


for model, model_admin in (
    (Supplier, SupplierWithMatchesAdmin),
    (Need, NeedWithMatchesAdmin),
    (Facility, FacilityWithMatchesAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
