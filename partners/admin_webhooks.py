"""Webhook endpoints and their delivery log in the admin (imported by admin.py).

An endpoint's secret is made by the service and shown once, on adding and on rotating; pausing,
resuming and redelivering go through the services too, so the admin does what a task would.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from taxonomy.formatting import indian_date

from . import selectors, services
from .models import WebhookDelivery, WebhookEndpoint


class PausedFilter(admin.SimpleListFilter):
    title = _("paused")
    parameter_name = "paused"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Paused")), ("no", _("Sending"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(paused_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(paused_at__isnull=True)
        return queryset


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = (
        "url",
        "partner",
        "status",
        "consecutive_failures",
        "pending",
        "last_delivered_at",
        "delivered_through_at",
    )
    list_filter = ("partner", "is_active", PausedFilter)
    search_fields = ("url", "partner__name", "description")
    list_select_related = ("partner",)
    readonly_fields = (
        "status",
        "signing",
        "consecutive_failures",
        "delivered_through_at",
        "last_delivered_at",
        "owner_notified_at",
        "deliveries_link",
        "created_at",
    )
    actions = ("rotate_secret", "pause", "resume")
    # A URL typed without a scheme is an https:// one (http is refused anyway).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> list[str]:
        editable = ["partner", "url", "description", "is_active"]
        return editable if obj is None else editable + list(self.readonly_fields)

    def get_readonly_fields(
        self, request: HttpRequest, obj: WebhookEndpoint | None = None
    ) -> tuple[str, ...]:
        # The partner is fixed once deliveries exist: they were built for its scope.
        return ("partner", *self.readonly_fields) if obj is not None else ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookEndpoint]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                pending_count=Count(
                    "deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)
                )
            )
        )

    @admin.display(description=_("status"))
    def status(self, endpoint: WebhookEndpoint) -> str:
        if not endpoint.is_active:
            return str(_("inactive"))
        if endpoint.paused_at is not None:
            return f"{_('paused since')} {indian_date(endpoint.paused_at)}: {endpoint.pause_reason}"
        return str(_("sending"))

    @admin.display(description=_("pending deliveries"), ordering="pending_count")
    def pending(self, endpoint: WebhookEndpoint) -> int:
        return getattr(endpoint, "pending_count", 0)

    @admin.display(description=_("signing"))
    def signing(self, endpoint: WebhookEndpoint) -> str:
        in_use = endpoint.secrets_in_use()
        if len(in_use) > 1 and endpoint.previous_secret_expires_at is not None:
            return str(
                _("Signed with the new and the previous secret until %(until)s.")
                % {"until": indian_date(endpoint.previous_secret_expires_at, "long")}
            )
        return str(_("One secret (shown once when made or rotated)."))

    @admin.display(description=_("deliveries"))
    def deliveries_link(self, endpoint: WebhookEndpoint) -> str:
        url = reverse("admin:partners_webhookdelivery_changelist")
        return format_html('<a href="{}?endpoint__id__exact={}">{}</a>', url, endpoint.pk, _("log"))

    def save_model(
        self, request: HttpRequest, obj: WebhookEndpoint, form: ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        endpoint, secret = services.webhook_endpoint_create(
            partner=obj.partner, url=obj.url, description=obj.description, is_active=obj.is_active
        )
        obj.pk = endpoint.pk
        obj.refresh_from_db()
        self._show_secret(request, endpoint, secret)

    def _show_secret(self, request: HttpRequest, endpoint: WebhookEndpoint, secret: str) -> None:
        self.message_user(
            request,
            _("Signing secret for %(url)s — copy it now, it is not shown again: %(secret)s")
            % {"url": endpoint.url, "secret": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Rotate the signing secret (new one shown once)"))
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
            self._show_secret(request, endpoint, secret)

    @admin.action(description=_("Pause sending (changes wait)"))
    def pause(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        reason = str(_("Paused by %(user)s.") % {"user": request.user.get_username()})
        paused = sum(
            services.webhook_endpoint_pause(endpoint=endpoint, reason=reason)
            for endpoint in queryset
        )
        self.message_user(request, _("%(count)d endpoint(s) paused.") % {"count": paused})

    @admin.action(description=_("Resume sending (catches up)"))
    def resume(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        resumed = 0
        for endpoint in queryset:
            if not services.webhook_endpoint_resume(endpoint=endpoint):
                continue
            resumed += 1
            if selectors.webhook_endpoint_outlived_tombstones(endpoint):
                self.message_user(
                    request,
                    _(
                        "%(url)s was behind for longer than deleted matches are remembered "
                        "(%(days)d days): changes are sent, but the partner must pull every "
                        "match again from the API to drop the ones deleted meanwhile."
                    )
                    % {"url": endpoint.url, "days": settings.MATCH_TOMBSTONE_DAYS},
                    messages.WARNING,
                )
        self.message_user(
            request, _("%(count)d endpoint(s) resumed; they catch up now.") % {"count": resumed}
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "event_id",
        "endpoint",
        "status",
        "attempts",
        "match_count",
        "deleted_count",
        "last_response_code",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "endpoint")
    search_fields = ("event_id", "endpoint__url", "endpoint__partner__name")
    list_select_related = ("endpoint__partner",)
    date_hierarchy = "created_at"
    fields = (
        "event_id",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "match_count",
        "deleted_count",
        "last_attempt_at",
        "last_response_code",
        "last_error",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "created_at",
        "body",
    )
    readonly_fields = fields
    actions = ("redeliver",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # built from the changes, never typed in

    @admin.display(description=_("payload"))
    def body(self, delivery: WebhookDelivery) -> str:
        try:
            pretty = json.dumps(json.loads(delivery.payload), indent=2, ensure_ascii=False)
        except ValueError:
            pretty = delivery.payload
        return format_html("<pre>{}</pre>", pretty)

    @admin.action(description=_("Redeliver (same webhook-id, sent now)"), permissions=["change"])
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        queued = sum(
            services.webhook_delivery_redeliver(delivery=delivery) for delivery in queryset
        )
        self.message_user(
            request,
            _("%(count)d delivery(ies) queued again; a paused endpoint sends them once resumed.")
            % {"count": queued},
        )
