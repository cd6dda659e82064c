"""Admin for suppliers, their capabilities and certificates.

Built for national scale (about 100,000 suppliers and 300,000 capabilities): every foreign key to
a big table is an autocomplete, big changelists skip the unfiltered full count, and list columns
come from joins or per-row subqueries, never one query per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from taxonomy.admin_mixins import AuditedAdmin, IndianFiguresAdmin
from taxonomy.choices import Material
from taxonomy.formatting import indian_date, lakh_crore, quantity
from taxonomy.import_admin import TableImportExportMixin
from taxonomy.models import CapabilityCategory
from taxonomy.selectors import process_list

from . import selectors, services
from .admin_verification import VerificationAdmin, verify_certificate_button
from .forms import CapabilityAdminForm
from .imports import SUPPLIER_TABLE
from .models import Certification, Supplier, SupplierCapability, Validity
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


class CapabilityCategoryFilter(admin.SimpleListFilter):
    """Suppliers offering any process of a capability category (``?capability=<slug>``)."""

    title = "capability category"
    parameter_name = "capability"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(
            CapabilityCategory.objects.order_by("order", "name").values_list("slug", "name")
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> QuerySet[Supplier]:
        if not self.value():
            return queryset
        offers = SupplierCapability.objects.filter(
            supplier=OuterRef("pk"), process__category__slug=self.value()
        )
        return queryset.filter(Exists(offers))


VALIDITY_LOOKUPS = [
    (Validity.EXPIRED.value, "Expired"),
    (Validity.EXPIRING.value, "Expiring within 60 days"),
    (Validity.VALID.value, "Valid beyond 60 days"),
]


class ExpiredFilter(admin.SimpleListFilter):
    """Certificates by where they stand today: expired (``valid_until`` before today; valid
    through that day inclusive), expiring within the warning window, or valid beyond it.
    ``?expired=yes|no`` (bookmarks of the first version of this filter) still work."""

    title = "validity"
    parameter_name = "validity"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return VALIDITY_LOOKUPS

    def __init__(
        self,
        request: HttpRequest,
        params: dict,
        model: type[Certification],
        model_admin: admin.ModelAdmin,
    ) -> None:
        legacy = params.pop("expired", None)
        self.legacy = legacy[-1] if isinstance(legacy, list) else legacy
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self) -> list[str]:
        return [self.parameter_name, "expired"]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Certification]
    ) -> QuerySet[Certification]:
        today = timezone.localdate()
        if self.legacy == "yes":
            return queryset.filter(valid_until__lt=today)
        if self.legacy == "no":
            return queryset.filter(valid_until__gte=today)
        if self.value() in Validity.values:
            return queryset.filter(selectors.certificate_validity_filter(self.value(), today))
        return queryset


class HoldsCertificatesFilter(admin.SimpleListFilter):
    """Suppliers holding an expired certificate, or one expiring within the warning window."""

    title = "certificates"
    parameter_name = "certificates"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            (Validity.EXPIRED.value, "An expired certificate"),
            (Validity.EXPIRING.value, "A certificate expiring within 60 days"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> QuerySet[Supplier]:
        if self.value() in (Validity.EXPIRED, Validity.EXPIRING):
            return selectors.suppliers_holding(queryset, self.value(), timezone.localdate())
        return queryset


def validity_flag(certificate: Certification) -> SafeString:
    """Words first, colour second: "Expired 3 Dec 2025", "Expires 10 Jan 2026", "Valid"."""
    validity = certificate.validity_on(timezone.localdate())
    day = indian_date(certificate.valid_until)
    words = {
        Validity.EXPIRED: f"Expired {day}",
        Validity.EXPIRING: f"Expires {day}",
        Validity.VALID: f"Valid until {day}",
    }[validity]
    return format_html('<span class="validity validity-{}">{}</span>', validity.value, words)


class SupplierCapabilityInline(IndianFiguresAdmin, admin.TabularInline):
    model = SupplierCapability
    form = CapabilityAdminForm
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
    fields = (
        "certification_type",
        "number",
        "issuer",
        "valid_until",
        "validity",
        "document",
        "verification",
    )
    readonly_fields = ("validity", "verification")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Certification]:
        return super().get_queryset(request).select_related("verified_by")

    @admin.display(description="validity today")
    def validity(self, obj: Certification) -> SafeString | str:
        return validity_flag(obj) if obj.pk else "—"

    @admin.display(description="verification")
    def verification(self, obj: Certification) -> SafeString | str:
        return verify_certificate_button(obj) if obj.pk else "—"


@admin.register(Supplier)
class SupplierAdmin(TableImportExportMixin, VerificationAdmin, IndianFiguresAdmin, AuditedAdmin):
    table_format = SUPPLIER_TABLE  # Import and Export: CSV or XLSX (vendors.imports)
    nouns = ("supplier", "suppliers")
    list_display = (
        "name",
        "udyam_number",
        "category",
        "state",
        "district_name",
        "investment",
        "turnover",
        "certificate_flags",
        "is_verified",
        "is_active",
        "capability_count",
    )
    list_filter = (
        "state",
        "category",
        CapabilityCategoryFilter,
        ProcessOfferedFilter,
        "is_verified",
        HoldsCertificatesFilter,
        "is_active",
        "is_demo",
    )
    # Searched by Udyam number, GSTIN, PAN (each looked up exactly when whole, see
    # get_search_results) or name.
    search_fields = ("name", "^udyam_number", "^gstin", "=pan")
    list_select_related = ("state", "district")
    ordering = ("name",)
    show_full_result_count = False
    list_per_page = 100
    autocomplete_fields = ("owner", "district")
    filter_horizontal = ("sectors",)
    readonly_fields = ("pan", "category", "verification", "created_at", "updated_at")
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
            {
                "description": (
                    "Verify the profile against its Udyam and GST registrations with the button "
                    "at the top; an owner's change of a checked fact withdraws it."
                ),
                "fields": ("verification", "is_active", "is_demo", "created_at", "updated_at"),
            },
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
        suppliers = (
            super()
            .get_queryset(request)
            .annotate(
                capability_count=Coalesce(
                    Subquery(capability_count, output_field=IntegerField()), Value(0)
                )
            )
        )
        return selectors.with_certificate_flags(suppliers, timezone.localdate())

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

    @admin.display(description="investment", ordering="investment_rupees")
    def investment(self, obj: Supplier) -> str:
        return lakh_crore(obj.investment_rupees)

    @admin.display(description="turnover", ordering="turnover_rupees")
    def turnover(self, obj: Supplier) -> str:
        return lakh_crore(obj.turnover_rupees)

    @admin.display(description="certificates")
    def certificate_flags(self, obj: Supplier) -> SafeString | str:
        flags = [
            (Validity.EXPIRED.value, obj.expired_certificates, "expired"),  # type: ignore[attr-defined]
            (Validity.EXPIRING.value, obj.expiring_certificates, "expiring"),  # type: ignore[attr-defined]
        ]
        shown = [(kind, f"{count} {words}") for kind, count, words in flags if count]
        if not shown:
            return "—"
        return format_html_join(" ", '<span class="validity validity-{}">{}</span>', shown)

    def verify(
        self, request: HttpRequest, ids: Iterable[int], verified: bool
    ) -> services.VerificationReport:
        changed = services.supplier_verify(supplier_ids=ids, by=request.user, verified=verified)
        return services.VerificationReport(changed=changed)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Supplier | None:
        # The page says who verified the profile: join them once.
        queryset = self.get_queryset(request).select_related("verified_by")
        model_field = (
            self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        )
        try:
            return queryset.get(**{model_field.name: model_field.to_python(object_id)})
        except (Supplier.DoesNotExist, ValidationError, ValueError):
            return None

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Supplier | None = None,
    ) -> HttpResponse:
        if change and obj is not None and self.has_change_permission(request, obj):
            # The certificates' Verify buttons submit these forms (no form in a form).
            back = urlencode({"next": reverse("admin:vendors_supplier_change", args=[obj.pk])})
            pending = (
                Certification.objects.filter(supplier=obj, is_verified=False)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            context["hidden_forms"] = [
                {
                    "id": f"verify-certificate-{pk}",
                    "url": f"{reverse('admin:vendors_certification_verify', args=[pk])}?{back}",
                }
                for pk in pending
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(SupplierCapability)
class SupplierCapabilityAdmin(IndianFiguresAdmin, AuditedAdmin):
    form = CapabilityAdminForm
    list_display = (
        "supplier",
        "process",
        "monthly_capacity_display",
        "best_tolerance",
        "max_temperature",
        "materials_display",
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

    @admin.display(description="monthly capacity", ordering="monthly_capacity")
    def monthly_capacity_display(self, obj: SupplierCapability) -> str:
        if obj.monthly_capacity is None:
            return "—"
        return quantity(obj.monthly_capacity, obj.capacity_unit)

    @admin.display(description="best tolerance (µm)", ordering="best_tolerance_um")
    def best_tolerance(self, obj: SupplierCapability) -> str:
        return "—" if obj.best_tolerance_um is None else quantity(obj.best_tolerance_um, "µm")

    @admin.display(description="maximum temperature (°C)", ordering="max_temperature_c")
    def max_temperature(self, obj: SupplierCapability) -> str:
        return "—" if obj.max_temperature_c is None else quantity(obj.max_temperature_c, "°C")

    @admin.display(description="materials")
    def materials_display(self, obj: SupplierCapability) -> str:
        labels = dict(Material.choices)
        return ", ".join(str(labels.get(code, code)) for code in obj.materials or []) or "—"


@admin.register(Certification)
class CertificationAdmin(VerificationAdmin, AuditedAdmin):
    nouns = ("certificate", "certificates")
    list_display = (
        "number",
        "certification_type",
        "supplier",
        "issuer",
        "validity",
        "is_verified",
    )
    list_filter = ("certification_type", "is_verified", ExpiredFilter)
    search_fields = (
        "number",
        "supplier__name",
        "^supplier__udyam_number",
        "^supplier__gstin",
        "=supplier__pan",
    )
    list_select_related = ("supplier", "certification_type")
    ordering = ("valid_until", "id")
    show_full_result_count = False
    list_per_page = 100
    autocomplete_fields = ("supplier",)
    readonly_fields = ("validity", "verification", "updated_at")
    actions = ("mark_verified", "mark_unverified")
    fields = (
        "supplier",
        "certification_type",
        "number",
        "issuer",
        ("valid_until", "validity"),
        "document",
        "verification",
        "updated_at",
    )

    @admin.display(description="validity today", ordering="valid_until")
    def validity(self, obj: Certification) -> SafeString | str:
        return validity_flag(obj) if obj.pk else "—"

    def verify(
        self, request: HttpRequest, ids: Iterable[int], verified: bool
    ) -> services.VerificationReport:
        return services.certification_verify(
            certification_ids=ids, by=request.user, verified=verified
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Certification]:
        # Every join the list and the page need (a select_related here replaces the list's
        # list_select_related).
        return (
            super()
            .get_queryset(request)
            .select_related("supplier", "certification_type", "verified_by")
        )
