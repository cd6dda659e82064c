"""Admin for the scheme's reference data, its facilities and their needs."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from taxonomy.admin_mixins import AuditedAdmin, IndianFiguresAdmin
from taxonomy.formatting import crore, quantity
from taxonomy.import_admin import TableImportExportMixin

from . import services
from .admin_access import FacilityScopedAdmin, ScopedFacilityFilter
from .imports import NEED_TABLE
from .models import (
    Facility,
    Milestone,
    Need,
    NetWorthSlab,
    Scheme,
    SchemeFigureSource,
    Source,
    ValueChainStage,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "publisher", "published_on", "reference")
    search_fields = ("title", "key", "publisher", "reference")
    ordering = ("-published_on", "title")
    date_hierarchy = "published_on"
    prepopulated_fields = {"key": ("title",)}


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ("order", "kind", "date", "note", "note_hi", "source")
    ordering = ("order",)
    extra = 0


class NetWorthSlabInline(IndianFiguresAdmin, admin.TabularInline):
    model = NetWorthSlab
    fields = ("min_capacity_mtpa", "max_capacity_mtpa", "net_worth_crore", "source")
    extra = 0


class SchemeFigureSourceInline(admin.TabularInline):
    model = SchemeFigureSource
    fields = ("source", "fields")
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(IndianFiguresAdmin, AuditedAdmin):
    list_display = (
        "short_name",
        "name",
        "approved_on",
        "notified_on",
        "total_outlay",
        "target_capacity",
        "beneficiaries",
    )
    search_fields = ("name", "name_hi", "short_name")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = (MilestoneInline, NetWorthSlabInline, SchemeFigureSourceInline)

    @admin.display(description="total outlay", ordering="total_outlay_crore")
    def total_outlay(self, obj: Scheme) -> str:
        return crore(obj.total_outlay_crore)

    @admin.display(description="target capacity", ordering="target_capacity_mtpa")
    def target_capacity(self, obj: Scheme) -> str:
        return quantity(obj.target_capacity_mtpa, "MTPA")

    fieldsets = (
        (
            None,
            {
                "description": "Hindi pages show each Hindi field; left empty, the English one.",
                "fields": (
                    ("name", "name_hi"),
                    ("short_name", "short_name_hi"),
                    "slug",
                    ("implementing_ministry", "implementing_ministry_hi"),
                    ("approved_on", "approved_by", "approved_by_hi"),
                    ("notified_on", "notification_reference"),
                ),
            },
        ),
        (
            "Outlay and capacity",
            {
                "description": "Amounts in ₹ crore. Record each figure's source below.",
                "fields": (
                    ("total_outlay_crore", "total_outlay_usd_million"),
                    ("sales_incentive_crore", "sales_incentive_years"),
                    "capital_subsidy_crore",
                    ("target_capacity_mtpa", "beneficiaries"),
                    ("min_allocation_mtpa", "max_allocation_mtpa", "allocation_step_mtpa"),
                    ("gestation_years", "incentive_years"),
                ),
            },
        ),
        (
            "Sales-linked incentive",
            {
                "fields": (
                    ("sales_incentive_cap_per_kg_rupees", "sales_incentive_cap_percent"),
                    (
                        "sales_incentive_min_per_beneficiary_crore",
                        "sales_incentive_max_per_beneficiary_crore",
                    ),
                ),
            },
        ),
        (
            "Capital subsidy",
            {
                "fields": (
                    "capital_subsidy_percent",
                    (
                        "capital_subsidy_min_per_beneficiary_crore",
                        "capital_subsidy_max_per_beneficiary_crore",
                    ),
                    "capital_investment_counted_from",
                    ("min_eligible_investment_low_crore", "min_eligible_investment_high_crore"),
                ),
            },
        ),
        (
            "Eligibility and context",
            {
                "fields": (
                    ("value_chain", "value_chain_hi"),
                    "eligible_product",
                    "consortium_lead_min_equity_percent",
                    "bidders",
                    "raw_material",
                    "context",
                ),
            },
        ),
    )


@admin.register(SchemeFigureSource)
class SchemeFigureSourceAdmin(admin.ModelAdmin):
    list_display = ("source", "scheme", "fields")
    list_filter = ("scheme",)
    search_fields = ("fields", "source__title")
    list_select_related = ("scheme", "source")
    ordering = ("scheme", "source__title")


@admin.register(NetWorthSlab)
class NetWorthSlabAdmin(IndianFiguresAdmin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "scheme",
        "min_capacity_mtpa",
        "max_capacity_mtpa",
        "net_worth",
    )

    @admin.display(description="net worth at least", ordering="net_worth_crore")
    def net_worth(self, obj: NetWorthSlab) -> str:
        return crore(obj.net_worth_crore)

    list_filter = ("scheme",)
    list_select_related = ("scheme",)
    ordering = ("scheme", "min_capacity_mtpa")


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("kind", "scheme", "order", "date", "note", "source")
    list_filter = ("scheme", "kind")
    search_fields = ("note", "note_hi")
    fields = ("scheme", ("order", "kind"), "date", ("note", "note_hi"), "source")
    list_select_related = ("scheme", "source")
    ordering = ("scheme", "order")


@admin.register(ValueChainStage)
class ValueChainStageAdmin(admin.ModelAdmin):
    list_display = ("name", "name_hi", "slug", "order")
    search_fields = ("name", "name_hi", "slug")
    ordering = ("order",)
    fields = (("name", "name_hi"), "slug", "order", "description")
    prepopulated_fields = {"slug": ("name",)}


class NeedInline(admin.TabularInline):
    """A facility's needs, read-only (each is edited on its own page, where its history and
    matches are): soonest due first, figures with their units, two queries for all rows."""

    model = Need
    fields = ("title", "process", "quantity_display", "due_date", "status", "external_ref")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False
    ordering = ("-status", "due_date", "id")  # open before closed

    def has_add_permission(self, request: HttpRequest, obj: Facility | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Facility | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Need]:
        # Each row names its process and links by str(need), which names the facility.
        return super().get_queryset(request).select_related("facility", "process")

    @admin.display(description="quantity")
    def quantity_display(self, obj: Need) -> str:
        return quantity(obj.quantity, obj.unit)


@admin.register(Facility)
class FacilityAdmin(FacilityScopedAdmin, AuditedAdmin):
    list_display = (
        "number",
        "name",
        "status",
        "awardee",
        "cluster",
        "capacity",
        "open_need_count",
    )
    list_display_links = ("number", "name")
    list_filter = ("status", "scheme", "cluster")
    search_fields = ("name", "name_hi", "awardee")
    list_select_related = ("cluster",)
    ordering = ("scheme", "number")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("stages",)
    autocomplete_fields = ("managers",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (NeedInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "scheme",
                    "number",
                    ("name", "name_hi"),
                    "slug",
                    ("summary", "summary_hi"),
                )
            },
        ),
        (
            "Award",
            {
                "description": "Leave the awardee empty until the award is public; never guess.",
                "fields": ("status", "awardee", "awarded_on"),
            },
        ),
        (
            "Site",
            {
                "description": (
                    "Until a site is entered, the facility is placed at its cluster's centre "
                    "(shown as provisional). Enter both coordinates or neither."
                ),
                "fields": ("cluster", "cluster_is_demo", ("site_latitude", "site_longitude")),
            },
        ),
        ("Capacity", {"fields": ("capacity_mtpa", "stages")}),
        (
            "Facility managers",
            {
                "description": (
                    "Staff in the Facility manager group who run this facility's needs and "
                    "matches; they see no other facility's."
                ),
                "fields": ("managers",),
            },
        ),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Facility]:
        return (
            super()
            .get_queryset(request)
            .annotate(open_need_count=Count("needs", filter=Q(needs__status=Need.Status.OPEN)))
        )

    @admin.display(description="open needs", ordering="open_need_count")
    def open_need_count(self, obj: Facility) -> int:
        return obj.open_need_count  # type: ignore[attr-defined]

    @admin.display(description="capacity", ordering="capacity_mtpa")
    def capacity(self, obj: Facility) -> str:
        return "—" if obj.capacity_mtpa is None else quantity(obj.capacity_mtpa, "MTPA")


@admin.register(Need)
class NeedAdmin(TableImportExportMixin, FacilityScopedAdmin, IndianFiguresAdmin, AuditedAdmin):
    table_format = NEED_TABLE  # Import and Export: CSV or XLSX (schemes.imports)
    facility_path = "facility"
    list_display = (
        "title",
        "facility",
        "process",
        "quantity_display",
        "due_date",
        "status",
        "external_ref",
        "is_demo",
    )
    list_filter = (
        "status",
        ScopedFacilityFilter,
        "process__category",
        ("process", admin.RelatedOnlyFieldListFilter),
        "is_demo",
    )
    search_fields = ("title", "=external_ref", "facility__name")
    actions = ("open_needs", "close_needs", "duplicate_needs")
    list_select_related = ("facility", "process")
    ordering = ("due_date", "id")
    date_hierarchy = "due_date"
    autocomplete_fields = ("process",)
    filter_horizontal = ("required_certifications",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("facility", "title", "description", "external_ref", "status")}),
        ("What", {"fields": ("process", ("quantity", "unit"), "due_date")}),
        (
            "Requirements",
            {
                "fields": (
                    "min_monthly_capacity",
                    "max_tolerance_um",
                    "min_process_temperature_c",
                    "required_certifications",
                    "radius_km",
                    "preferred_category",
                ),
            },
        ),
        ("Record", {"fields": ("is_demo", "created_at", "updated_at")}),
    )

    @admin.display(description="quantity", ordering="quantity")
    def quantity_display(self, obj: Need) -> str:
        return quantity(obj.quantity, obj.unit)

    @admin.action(description="Open the selected needs", permissions=["change"])
    def open_needs(self, request: HttpRequest, queryset: QuerySet[Need]) -> None:
        count = services.need_set_status(
            need_ids=queryset.values_list("pk", flat=True), status=Need.Status.OPEN, by=request.user
        )
        self.message_user(
            request,
            ngettext("%d need opened.", "%d needs opened.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Close the selected needs", permissions=["change"])
    def close_needs(self, request: HttpRequest, queryset: QuerySet[Need]) -> None:
        count = services.need_set_status(
            need_ids=queryset.values_list("pk", flat=True),
            status=Need.Status.CLOSED,
            by=request.user,
        )
        self.message_user(
            request,
            ngettext("%d need closed.", "%d needs closed.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(
        description="Duplicate the selected needs (as new open needs)", permissions=["add"]
    )
    def duplicate_needs(self, request: HttpRequest, queryset: QuerySet[Need]) -> None:
        copies = services.need_duplicate(
            need_ids=queryset.values_list("pk", flat=True), by=request.user
        )
        self.message_user(
            request,
            ngettext("%d need duplicated.", "%d needs duplicated.", len(copies)) % len(copies),
            messages.SUCCESS,
        )
