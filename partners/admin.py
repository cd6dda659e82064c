"""Partners and their keys in the admin: a key is made here and shown once."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from schemes.selectors import managed_facility_ids, sees_every_facility

from . import selectors, services
from .models import ApiKey, Partner


def partners_for(request: HttpRequest) -> QuerySet[Partner]:
    """Every partner for a scheme administrator; a facility manager's own partners only (those
    confined to the facilities they manage)."""
    if sees_every_facility(request.user):
        return Partner.objects.all()
    return Partner.objects.filter(
        pk__in=selectors.partners_within(managed_facility_ids(request.user)).values("pk")
    )


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ("prefix", "name", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "name", "created_at", "expires_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest, obj: Partner | None = None) -> bool:
        return False  # made with the action, so the key can be shown once


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "scope", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("facilities",)
    inlines = (ApiKeyInline,)
    actions = ("make_key",)

    @admin.display(description="scope")
    def scope(self, partner: Partner) -> str:
        slugs = [f.slug for f in partner.facilities.all()]
        return ", ".join(slugs) if slugs else "every facility (read-only)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        scoped = super().get_queryset(request).filter(pk__in=partners_for(request).values("pk"))
        return scoped.prefetch_related("facilities")

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404  # another facility's partner: as if it did not exist
        return obj

    def has_make_key_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("partners.add_apikey")

    @admin.action(description="Make a new API key (shown once)", permissions=["make_key"])
    def make_key(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            _api_key, key = services.api_key_create(partner=partner, created_by=request.user)
            self.message_user(
                request,
                f"New key for {partner} — copy it now, it is not shown again: {key}",
                messages.WARNING,
            )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "partner",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "state",
    )
    list_filter = ("partner",)
    search_fields = ("prefix", "partner__name", "name")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    fields = (
        "partner",
        "name",
        "prefix",
        "expires_at",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    )
    actions = ("revoke",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiKey]:
        return (
            super()
            .get_queryset(request)
            .filter(partner__in=partners_for(request).values("pk"))
            .select_related("partner")
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "partner":
            kwargs["queryset"] = partners_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="state")
    def state(self, api_key: ApiKey) -> str:
        if api_key.is_revoked:
            return "revoked"
        if api_key.is_expired(timezone.now()):
            return "expired"
        return "active"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are made from the partner (the action shows the key once)

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key)
        self.message_user(request, f"{queryset.count()} key(s) revoked.", messages.SUCCESS)


# The webhook endpoints and their delivery log: their own module, registered on import.
from . import admin_webhooks  # noqa: E402, F401
