"""Admin for suppliers, their capabilities and certificates.

Built for national scale (about 100,000 suppliers and 300,000 capabilities): every foreign key to
a big table is an autocomplete, big changelists skip the unfiltered full count, and list columns
come from joins or per-row subqueries, never one query per row.
"""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from taxonomy.import_admin import TableImportExportMixin
from taxonomy.selectors import process_list

from . import services
from .imports import SUPPLIER_TABLE
from .models import Certification, Supplier, SupplierCapability
from .validators import UDYAM_RE, normalise_identifier

GSTIN_SHAPE = re.compile(r"^\d{2}[A-Z]{5}\d{4}[A-Z][0-9A-Z]Z[0-9A-Z]$")
PAN_SHAPE = re.compile(r"^[A-Z]{5}\d{4}[A-Z]$")


class ProcessOfferedFilter(admin.SimpleListFilter):
    """Suppliers with a capability in the chosen process (``?process=<slug>``)."""

    title = "process offered"
    parameter_name = "process"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            (process.slug, f"{process.category.name} · {process.name}")
            for process in process_list()
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> QuerySet[Supplier]:
        if not self.value():
            return queryset
        # EXISTS rather than a join: one row per supplier without a DISTINCT over 100k rows.
        offers = SupplierCapability.objects.filter(
            supplier=OuterRef("pk"), process__slug=self.value()
        )
        return queryset.filter(Exists(offers))


class ExpiredFilter(admin.SimpleListFilter):
    """Certificates whose ``valid_until`` is before today (valid through that day inclusive)."""

    title = "expired"
    parameter_name = "expired"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Expired"), ("no", "Valid today")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Certification]
    ) -> QuerySet[Certification]:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(valid_until__lt=today)
        if self.value() == "no":
            return queryset.filter(valid_until__gte=today)
        return queryset


class SupplierCapabilityInline(admin.TabularInline):
    model = SupplierCapability
    fields = (
        "process",
        "monthly_capacity",
        "capacity_unit",
        "best_tolerance_um",
        "max_temperature_c",
        "materials",
        "years_experience",
    )
    autocomplete_fields = ("process",)
    extra = 0


class CertificationInline(admin.TabularInline):
    model = Certification
    fields = ("certification_type", "number", "issuer", "valid_until", "document", "is_verified")
    extra = 0


@admin.register(Supplier)
class SupplierAdmin(TableImportExportMixin, SimpleHistoryAdmin):
    table_format = SUPPLIER_TABLE  # Import and Export: CSV or XLSX (vendors.imports)
    list_display = (
        "name",
        "udyam_number",
        "category",
        "state",
        "district_name",
        "is_verified",
        "is_active",
        "capability_count",
    )
    list_filter = ("state", "category", "is_verified", "is_active", "is_demo", ProcessOfferedFilter)
    search_fields = ("name", "^udyam_number", "^gstin", "=pan")
    list_select_related = ("state", "district")
    ordering = ("name",)
    show_full_result_count = False
    list_per_page = 100
    autocomplete_fields = ("owner", "district")
    filter_horizontal = ("sectors",)
    readonly_fields = ("pan", "category", "created_at", "updated_at")
    inlines = (SupplierCapabilityInline, CertificationInline)
    actions = ("mark_verified", "mark_unverified")
    fieldsets = (
        (
            "Identity",
            {
                "description": "The PAN is read from the GSTIN when the profile is saved.",
                "fields": ("name", "owner", "udyam_number", "gstin", "pan"),
            },
        ),
        (
            "Location",
            {
                "description": (
                    "The Udyam number's state code and the GSTIN's state code must match the "
                    "state. Leave the coordinates empty to use the district headquarters."
                ),
                "fields": (
                    "state",
                    "district",
                    "address",
                    "pin_code",
                    ("latitude", "longitude"),
                ),
            },
        ),
        (
            "Size",
            {
                "description": (
                    "The category is computed from investment and turnover against the MSME "
                    "limits in force; it cannot be typed in."
                ),
                "fields": (
                    ("investment_rupees", "turnover_rupees"),
                    "category",
                    ("employees", "year_established"),
                    "sectors",
                ),
            },
        ),
        ("Contact", {"fields": ("contact_name", "contact_email", "contact_phone", "website")}),
        (
            "Status",
            {"fields": ("is_verified", "is_active", "is_demo", "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Supplier]:
        # A correlated subquery (index on supplier_id) counts only the rows on the page; a
        # Count() join would aggregate all 300k capabilities before the LIMIT.
        capability_count = (
            SupplierCapability.objects.filter(supplier=OuterRef("pk"))
            .order_by()
            .values("supplier")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                capability_count=Coalesce(
                    Subquery(capability_count, output_field=IntegerField()), Value(0)
                )
            )
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Supplier], search_term: str
    ) -> tuple[QuerySet[Supplier], bool]:
        # A whole Udyam number, GSTIN or PAN is looked up exactly, on its index, instead of
        # scanning every name; anything else is searched as usual.
        term = normalise_identifier(search_term)
        if UDYAM_RE.match(term):
            return queryset.filter(udyam_number=term), False
        if GSTIN_SHAPE.match(term):
            return queryset.filter(gstin=term), False
        if PAN_SHAPE.match(term):
            return queryset.filter(pan=term), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="district", ordering="district__name")
    def district_name(self, obj: Supplier) -> str:
        return obj.district.name

    @admin.display(description="capabilities", ordering="capability_count")
    def capability_count(self, obj: Supplier) -> int:
        return obj.capability_count  # type: ignore[attr-defined]

    @admin.action(description="Mark verified", permissions=["change"])
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> None:
        count = services.supplier_mark_verified(
            supplier_ids=queryset.values_list("pk", flat=True), verified=True
        )
        self.message_user(
            request,
            ngettext("%d supplier marked verified.", "%d suppliers marked verified.", count)
            % count,
            messages.SUCCESS,
        )

    @admin.action(description="Mark unverified", permissions=["change"])
    def mark_unverified(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> None:
        count = services.supplier_mark_verified(
            supplier_ids=queryset.values_list("pk", flat=True), verified=False
        )
        self.message_user(
            request,
            ngettext("%d supplier marked unverified.", "%d suppliers marked unverified.", count)
            % count,
            messages.SUCCESS,
        )


@admin.register(SupplierCapability)
class SupplierCapabilityAdmin(SimpleHistoryAdmin):
    list_display = (
        "supplier",
        "process",
        "monthly_capacity",
        "capacity_unit",
        "best_tolerance_um",
        "max_temperature_c",
        "updated_at",
    )
    list_filter = ("process__category", "process", "capacity_unit")
    search_fields = ("supplier__name", "^supplier__udyam_number", "process__name")
    list_select_related = ("supplier", "process")
    # Newest first on the primary key: no sort over 300k rows.
    ordering = ("-id",)
    show_full_result_count = False
    list_per_page = 100
    autocomplete_fields = ("supplier", "process")


@admin.register(Certification)
class CertificationAdmin(SimpleHistoryAdmin):
    list_display = (
        "number",
        "certification_type",
        "supplier",
        "issuer",
        "valid_until",
        "is_expired",
        "is_verified",
    )
    list_filter = ("certification_type", "is_verified", ExpiredFilter)
    search_fields = ("number", "supplier__name", "^supplier__udyam_number")
    list_select_related = ("supplier", "certification_type")
    ordering = ("valid_until", "id")
    show_full_result_count = False
    list_per_page = 100
    autocomplete_fields = ("supplier",)
    readonly_fields = ("updated_at",)
    actions = ("mark_verified",)

    @admin.display(description="expired", boolean=True)
    def is_expired(self, obj: Certification) -> bool:
        return not obj.is_valid_on(timezone.localdate())

    @admin.action(description="Mark verified", permissions=["change"])
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Certification]) -> None:
        count = services.certification_mark_verified(
            certification_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%d certificate marked verified.", "%d certificates marked verified.", count)
            % count,
            messages.SUCCESS,
        )
