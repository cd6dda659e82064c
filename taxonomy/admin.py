"""Admin for the vocabulary: the capability taxonomy, certification types, sectors, MSME limits.

Named rows show their Hindi name beside the English one: Hindi pages read it (empty, they fall
back to the English name, marked as English).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from .formatting import lakh_crore
from .models import CapabilityCategory, CertificationType, MsmeLimit, Process, StrategicSector


class ProcessInline(admin.TabularInline):
    model = Process
    fields = ("name", "name_hi", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


@admin.register(CapabilityCategory)
class CapabilityCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_hi", "slug", "order", "process_count")
    search_fields = ("name", "name_hi", "slug")
    ordering = ("order", "name")
    fields = (("name", "name_hi"), "slug", "order")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ProcessInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CapabilityCategory]:
        return super().get_queryset(request).annotate(process_count=Count("processes"))

    @admin.display(description="processes", ordering="process_count")
    def process_count(self, obj: CapabilityCategory) -> int:
        return obj.process_count  # type: ignore[attr-defined]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("name", "name_hi", "slug", "category", "order")
    list_filter = ("category",)
    # Needs and capabilities autocomplete processes by name (either language) or slug.
    search_fields = ("name", "name_hi", "slug", "category__name")
    fields = ("category", ("name", "name_hi"), "slug", "order")
    list_select_related = ("category",)
    ordering = ("category__order", "order", "name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CertificationType)
class CertificationTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_hi", "zed_level", "description")
    search_fields = ("code", "name", "name_hi")
    fields = ("code", ("name", "name_hi"), "description", "zed_level")
    ordering = ("code",)


@admin.register(MsmeLimit)
class MsmeLimitAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "max_investment",
        "max_turnover",
        "effective_from",
        "effective_to",
        "notification",
    )
    list_filter = ("category", "effective_from")
    ordering = ("-effective_from", "max_investment_rupees")

    @admin.display(description="investment at most", ordering="max_investment_rupees")
    def max_investment(self, obj: MsmeLimit) -> str:
        return lakh_crore(obj.max_investment_rupees)

    @admin.display(description="turnover at most", ordering="max_turnover_rupees")
    def max_turnover(self, obj: MsmeLimit) -> str:
        return lakh_crore(obj.max_turnover_rupees)


@admin.register(StrategicSector)
class StrategicSectorAdmin(admin.ModelAdmin):
    list_display = ("name", "name_hi", "slug", "is_headline", "order")
    list_filter = ("is_headline",)
    search_fields = ("name", "name_hi", "slug")
    fields = (("name", "name_hi"), "slug", "is_headline", "order")
    ordering = ("order", "name")
    prepopulated_fields = {"slug": ("name",)}
