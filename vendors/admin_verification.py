"""Verification in the admin: a profile or a certificate verified (or withdrawn) one at a time
from its page, or in bulk from its list, always through ``services``, which record who and when
and tell the matcher.

The buttons are POST forms with a CSRF token (``templates/admin/repm/change_form.html``); the
views take POST only, check the change permission on the row, and redirect back with a message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString

from . import services
from .models import Certification, Supplier

REFUSALS_LISTED = 10


def verification_note(obj: Supplier | Certification) -> str:
    """ "Verified by meena on 15 Dec 2025, 14:05", or "Not verified"."""
    if not obj.is_verified:
        return "Not verified"
    who = obj.verified_by.get_username() if obj.verified_by else "someone"
    when = f" on {localize(timezone.localtime(obj.verified_at))}" if obj.verified_at else ""
    return f"Verified by {who}{when}"


class VerificationAdmin(admin.ModelAdmin):
    """Mix into the supplier's and the certificate's admin. Subclasses say what a verification
    is (``verify``) and how to name the rows (``nouns``)."""

    change_form_template = "admin/repm/change_form.html"
    nouns: tuple[str, str] = ("row", "rows")

    def verify(
        self, request: HttpRequest, ids: Iterable[int], verified: bool
    ) -> services.VerificationReport:
        raise NotImplementedError

    # --- Single: buttons on the change form ---------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/verify/",
                wrap(self.verification_view),
                {"verified": True},
                name=f"{prefix}_verify",
            ),
            path(
                "<path:object_id>/unverify/",
                wrap(self.verification_view),
                {"verified": False},
                name=f"{prefix}_unverify",
            ),
            *super().get_urls(),
        ]

    def verification_view(
        self, request: HttpRequest, object_id: str, verified: bool
    ) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        report = self.verify(request, [obj.pk], verified)
        self._tell(request, report, verified)
        return redirect(self._back_to(request, obj))

    def _back_to(self, request: HttpRequest, obj: Model) -> str:
        back = request.GET.get("next", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return back
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])

    def verification_tools(self, request: HttpRequest, obj: Model) -> list[dict[str, Any]]:
        """The button beside History: verify, or withdraw the verification."""
        if not self.has_change_permission(request, obj):
            return []
        verified = getattr(obj, "is_verified", False)
        action = "unverify" if verified else "verify"
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{action}", args=[obj.pk])
        label = "Withdraw verification" if verified else f"Verify this {self.nouns[0]}"
        return [{"url": url, "label": label}]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Model | None = None,
    ) -> HttpResponse:
        if change and obj is not None and request.method == "GET":
            context["post_tools"] = [
                *context.get("post_tools", []),
                *self.verification_tools(request, obj),
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Bulk: actions on the list ------------------------------------------------------------

    def verify_selected(self, request: HttpRequest, queryset: QuerySet, verified: bool) -> None:
        """The list actions (each admin names its own, "Verify the selected suppliers")."""
        report = self.verify(request, queryset.values_list("pk", flat=True), verified)
        self._tell(request, report, verified)

    def _tell(
        self, request: HttpRequest, report: services.VerificationReport, verified: bool
    ) -> None:
        one, many = self.nouns
        done = "marked verified" if verified else "marked unverified"
        self.message_user(
            request,
            # The admin's own labels are English, as Django's admin pages around them.
            f"{report.changed} {one if report.changed == 1 else many} {done}.",
            messages.SUCCESS if report.changed or not report.refused else messages.WARNING,
        )
        if report.refused:
            listed = "; ".join(
                f"{certification} {reason}"
                for certification, reason in report.refused[:REFUSALS_LISTED]
            )
            more = len(report.refused) - REFUSALS_LISTED
            refused = len(report.refused)
            self.message_user(
                request,
                f"{refused} {one if refused == 1 else many} not verified: "
                + listed
                + (f"; and {more} more." if more > 0 else ""),
                messages.ERROR,
            )

    @admin.display(description="verification")
    def verification(self, obj: Supplier | Certification) -> str:
        return verification_note(obj) if obj.pk else "—"


def verify_certificate_button(certification: Certification) -> SafeString | str:
    """For the supplier's certificate inline: who verified it, why it cannot be, or a button
    that submits the certificate's own verify form (rendered outside the change form)."""
    if certification.is_verified:
        return verification_note(certification)
    reason = services.certification_refusal(certification, timezone.localdate())
    if reason:
        return f"Cannot be verified: {reason}"
    return format_html(
        '<button type="submit" class="verify-button" form="verify-certificate-{}">Verify</button>',
        certification.pk,
    )
