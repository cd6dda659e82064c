"""Admin for geography and clusters: small tables, but districts feed autocompletes elsewhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest

from .models import Cluster, ClusterAsset, District, State


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ("name", "name_hi", "code", "gst_code", "geonames_admin1", "capital")
    search_fields = ("name", "name_hi", "=code", "=gst_code")
    fields = (("name", "name_hi"), "code", "slug", "gst_code", "geonames_admin1", "capital")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "state",
        "code",
        "headquarters",
        "latitude",
        "longitude",
        "geonameid",
        "location_basis",
    )
    list_filter = ("state",)
    # Supplier and cluster forms autocomplete districts by name, headquarters or state.
    search_fields = ("name", "name_hi", "headquarters", "state__name", "=state__code")
    fields = (
        "state",
        "code",
        ("name", "name_hi"),
        "slug",
        "headquarters",
        ("latitude", "longitude"),
        "geonameid",
        "location_basis",
        "industrial_note",
    )
    list_select_related = ("state",)
    ordering = ("state__name", "name")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        # str(district) names its state; the autocomplete view uses this queryset, not the
        # changelist's list_select_related, so join the state here to avoid one query per row.
        return super().get_queryset(request).select_related("state")


class ClusterAssetInline(admin.TabularInline):
    model = ClusterAsset
    fields = ("kind", "name", "name_hi", "capacity", "status")
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "state", "status", "asset_count", "updated_at")
    list_filter = ("kind", "status", "state")
    search_fields = ("name", "name_hi", "state__name")
    list_select_related = ("state",)
    ordering = ("kind", "name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("districts",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ClusterAssetInline,)
    fieldsets = (
        (
            None,
            {"fields": (("name", "name_hi"), "slug", "kind", "status", ("summary", "summary_hi"))},
        ),
        ("Location", {"fields": ("state", "districts", "centre_latitude", "centre_longitude")}),
        ("Source", {"fields": ("source_title", "source_url")}),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cluster]:
        return super().get_queryset(request).annotate(asset_count=Count("assets"))

    @admin.display(description="assets", ordering="asset_count")
    def asset_count(self, obj: Cluster) -> int:
        return obj.asset_count  # type: ignore[attr-defined]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "districts":
            # The selected districts are rendered with their state's name.
            kwargs["queryset"] = District.objects.select_related("state")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ClusterAsset)
class ClusterAssetAdmin(admin.ModelAdmin):
    list_display = ("name", "name_hi", "cluster", "kind", "status", "capacity")
    list_filter = ("kind", "status", "cluster")
    search_fields = ("name", "name_hi", "cluster__name")
    fields = ("cluster", "kind", ("name", "name_hi"), "capacity", "status")
    list_select_related = ("cluster",)
    ordering = ("cluster__name", "kind", "name")
