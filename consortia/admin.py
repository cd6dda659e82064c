"""Consortia in the admin: facility managers see the teams proposed for their needs (another
facility's is a 404) with the members' answers, read-only; a need's page shows its teams; an
action proposes teams for chosen needs on demand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse

from schemes.admin_access import FacilityScopedAdmin, ScopedFacilityFilter
from schemes.models import Need
from taxonomy.admin_mixins import WrittenByTheSystemAdmin

from . import selectors, services
from .models import Consortium, ConsortiumMember
from .reasons import explanation


class ConsortiumFacilityFilter(ScopedFacilityFilter):
    facility_path = "need__facility"


class MemberInline(WrittenByTheSystemAdmin, admin.TabularInline):
    model = ConsortiumMember
    extra = 0
    can_delete = False
    fields = (
        "supplier",
        "role",
        "share",
        "free_capacity",
        "match_score",
        "km_to_lead",
        "km_to_site",
        "response",
        "responded_at",
    )
    readonly_fields = fields
    ordering = ("-share", "supplier_id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ConsortiumMember]:
        return super().get_queryset(request).select_related("supplier")


@admin.register(Consortium)
class ConsortiumAdmin(WrittenByTheSystemAdmin, FacilityScopedAdmin, admin.ModelAdmin):
    facility_path = "need__facility"
    list_display = ("id", "need_title", "facility", "rank", "score", "status", "team")
    list_filter = ("status", ConsortiumFacilityFilter)
    list_select_related = ("need__facility",)
    search_fields = ("need__title", "members__supplier__name")
    inlines = [MemberInline]
    readonly_fields = (
        "need",
        "team",
        "team_key",
        "rank",
        "score",
        "quantity",
        "unit",
        "total_free",
        "spread_km",
        "place",
        "status",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    actions = ["propose_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Consortium]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="need", ordering="need__title")
    def need_title(self, obj: Consortium) -> str:
        return obj.need.title

    @admin.display(description="facility", ordering="need__facility__number")
    def facility(self, obj: Consortium) -> str:
        return obj.need.facility.name

    @admin.display(description="the team")
    def team(self, obj: Consortium) -> str:
        count = getattr(obj, "member_count", None)
        if count is None:
            count = obj.members.count()
        return explanation(obj, count).text

    @admin.action(description="Propose teams again for these consortia's needs")
    def propose_again(self, request: HttpRequest, queryset: QuerySet[Consortium]) -> None:
        need_ids = set(queryset.values_list("need_id", flat=True))
        _propose(request, need_ids)

    def has_propose_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("schemes.change_need")


def _propose(request: HttpRequest, need_ids: set[int]) -> None:
    report = services.propose_for_needs(need_ids)
    messages.success(
        request,
        f"Teams proposed for {report.needs} need(s), of which {report.wanting} no single "
        f"supplier can serve: {report.created} new, {report.updated} updated, "
        f"{report.deleted} replaced, {report.stale} no longer valid.",
    )


# --- The need's page: its teams, and the action ------------------------------------------------
# Needs are administered in their own room (and extended by the matcher's and others' panels):
# extend whatever admin is registered for them, so every room's panel stays.

_NeedAdmin: Any = type(admin.site._registry[Need])


class NeedWithConsortiaAdmin(_NeedAdmin):
    consortia_base_template = _NeedAdmin.change_form_template or "admin/change_form.html"
    change_form_template = "admin/consortia/need_change_form.html"
    actions = [*(_NeedAdmin.actions or []), "propose_consortia"]

    @admin.action(description="Propose consortia (teams of suppliers) for these needs")
    def propose_consortia(self, request: HttpRequest, queryset: QuerySet[Need]) -> None:
        _propose(request, set(queryset.values_list("pk", flat=True)))

    def has_propose_consortia_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("schemes.change_need")

    def render_change_form(
        self, request: HttpRequest, context: dict, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        context["consortia_base"] = self.consortia_base_template
        return super().render_change_form(request, context, *args, **kwargs)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        if request.method == "GET" and object_id.isdigit():
            # Out of a facility manager's scope, the page answers 404 before this is shown.
            extra_context["consortia_panel"] = [
                (c, selectors.explained(c)) for c in selectors.need_panel(int(object_id))
            ]
        return super().change_view(request, object_id, form_url, extra_context)


admin.site.unregister(Need)
admin.site.register(Need, NeedWithConsortiaAdmin)
