"""Partners and their keys in the admin: a key is made here and shown once."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from . import services
from .models import ApiKey, Partner


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
        return super().get_queryset(request).prefetch_related("facilities")

    @admin.action(description="Make a new API key (shown once)", permissions=["change"])
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
