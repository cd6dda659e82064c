"""The recommended allocation in the admin.

- Beside a need's or a supplier's matches (the matcher's panel), a "Recommended" mark and why;
  in the match list a column, on a match's page the why. Facility managers see them on their
  own needs' pages (the panels are scoped by the admins they extend).
- Allocation runs: read-only, with counts, status and duration; recompute a run's process, or
  every process.

The rooms below know nothing of the allocation: as matching does for its panels, this extends
their admins (the same classes, re-registered) rather than editing them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import matching.admin  # noqa: F401  (the match, need and supplier admins this room extends)
from matching.models import Match
from schemes.models import Need
from taxonomy.admin_mixins import WrittenByTheSystemAdmin
from vendors.models import Supplier

from . import tasks
from .models import AllocationRun, Recommendation
from .selectors import recommendations_for_matches

REFRESH_SECONDS = 5


class RecommendedPanelMixin:
    """Mark the recommended rows of the matcher's panel: one query for the page's rows."""

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        panel = context.get("matches_panel")
        if panel is not None and panel.rows:
            notes = recommendations_for_matches(match.pk for match in panel.rows)
            for match in panel.rows:
                match.recommendation_note = notes.get(match.pk)
        return super().render_change_form(request, context, *args, **kwargs)  # type: ignore[misc]


def _registered(model: type) -> Any:
    """The admin registered for ``model`` by the rooms below (and any room loaded before this
    one): extended, never replaced, so every room's panel stays whatever the apps' order."""
    return type(admin.site._registry[model])


class NeedWithRecommendationAdmin(RecommendedPanelMixin, _registered(Need)):
    pass


class SupplierWithRecommendationsAdmin(RecommendedPanelMixin, _registered(Supplier)):
    pass


class RecommendedFilter(admin.SimpleListFilter):
    title = gettext_lazy("recommended")
    parameter_name = "recommended"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("yes", _("Recommended")), ("no", _("Not recommended"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Match]) -> QuerySet[Match]:
        if self.value() == "yes":
            return queryset.filter(is_recommended=True)
        if self.value() == "no":
            return queryset.filter(is_recommended=False)
        return queryset


_MatchAdmin: Any = _registered(Match)


class MatchWithRecommendationAdmin(_MatchAdmin):
    list_display = (*_MatchAdmin.list_display, "recommended")
    list_filter = (*_MatchAdmin.list_filter, RecommendedFilter)
    # Not "recommendation": that is the match's reverse accessor, which the admin would show.
    fields = (*_MatchAdmin.fields, "why_recommended")
    readonly_fields = (*_MatchAdmin.readonly_fields, "why_recommended")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Match]:
        # A column from an EXISTS on the recommendation's unique match index: no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(is_recommended=Exists(Recommendation.objects.filter(match_id=OuterRef("pk"))))
        )

    @admin.display(description=gettext_lazy("recommended"), boolean=True)
    def recommended(self, obj: Match) -> bool:
        return obj.is_recommended

    @admin.display(description=gettext_lazy("recommendation"))
    def why_recommended(self, obj: Match) -> str:
        note = recommendations_for_matches([obj.pk]).get(obj.pk)
        return note.text if note else "—"


@admin.register(AllocationRun)
class AllocationRunAdmin(WrittenByTheSystemAdmin, admin.ModelAdmin):
    """The allocation's log, and its controls. Operating takes the
    ``allocation.change_allocationrun`` permission (scheme administrators); the runs
    themselves are never edited by hand."""

    actions = ("recompute",)
    change_list_template = "admin/allocation/allocationrun/change_list.html"
    list_display = (
        "id",
        "process",
        "trigger",
        "status",
        "needs",
        "needs_in_hand",
        "edges",
        "edges_solved",
        "recommended",
        "unrecommended",
        "total_score",
        "solver_status",
        "duration",
        "created_at",
    )
    list_filter = ("status", "trigger")
    list_select_related = ("process",)
    ordering = ("-created_at", "-id")
    fields = (
        "process",
        "trigger",
        "match_run_id",
        "started_by",
        "status",
        "failure_reason",
        "processes",
        "needs",
        "needs_in_hand",
        "edges",
        "edges_solved",
        "recommended",
        "unrecommended",
        "total_score",
        "solver_status",
        "created_at",
        "started_at",
        "finished_at",
        "duration",
    )
    readonly_fields = fields

    def has_operate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("allocation.change_allocationrun")

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("start/", wrap(self.start_view), name="allocation_allocationrun_start"),
            *super().get_urls(),
        ]

    def start_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_operate_permission(request):
            raise PermissionDenied
        run = tasks.allocation_start(started_by=request.user)
        self.message_user(
            request,
            _("Allocation for all processes started: run #%(run)s.") % {"run": run.pk},
            messages.SUCCESS,
        )
        return redirect("admin:allocation_allocationrun_changelist")

    @admin.action(
        description=gettext_lazy("Recompute the allocation for these runs' processes"),
        permissions=["operate"],
    )
    def recompute(self, request: HttpRequest, queryset: QuerySet[AllocationRun]) -> None:
        process_ids = set(queryset.values_list("process_id", flat=True))
        # A run over every process recomputes every process: one run, not one per process.
        targets = [None] if None in process_ids else sorted(process_ids)
        started = [
            tasks.allocation_start(process_id=process_id, started_by=request.user).pk
            for process_id in targets
        ]
        self.message_user(
            request,
            _("Started allocation run(s) %(runs)s.")
            % {"runs": ", ".join(f"#{pk}" for pk in started)},
            messages.SUCCESS,
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        unfinished = AllocationRun.objects.filter(
            status__in=[AllocationRun.Status.PENDING, AllocationRun.Status.RUNNING]
        ).exists()
        extra_context = {
            **(extra_context or {}),
            "may_operate": self.has_operate_permission(request),
            "refresh_seconds": REFRESH_SECONDS if unfinished else None,
        }
        return super().changelist_view(request, extra_context)


for model, model_admin in (
    (Need, NeedWithRecommendationAdmin),
    (Supplier, SupplierWithRecommendationsAdmin),
    (Match, MatchWithRecommendationAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
