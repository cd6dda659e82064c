"""The MSME owner's pages. Thin: access helpers and queries in selectors, actions in services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.services import MatchActionRefused, match_express_interest, match_withdraw
from vendors.models import Supplier
from vendors.validators import document_content_type

from . import selectors
from .forms import (
    CapabilityFormSet,
    CertificateFormSet,
    EnterpriseForm,
    InterestForm,
    MatchFilterForm,
)
from .services import profile_save

DOCUMENT_SUFFIX = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

LAST_VISIT_KEY = "me_last_visit"
MATCHES_PER_PAGE = 20


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    supplier = selectors.owned_supplier(request.user)
    if supplier is None:
        return render(request, "portal/no_enterprise.html")
    last_visit = request.session.get(LAST_VISIT_KEY)
    since = datetime.datetime.fromisoformat(last_visit) if last_visit else None
    request.session[LAST_VISIT_KEY] = timezone.now().isoformat()
    context = {"supplier": supplier, "board": selectors.dashboard(supplier, since=since)}
    return render(request, "portal/dashboard.html", context)


@login_required
def match_list(request: HttpRequest) -> HttpResponse:
    supplier = selectors.owned_supplier(request.user)
    if supplier is None:
        return redirect("portal:dashboard")
    filters = MatchFilterForm(request.GET or None)
    matches = filters.apply(selectors.supplier_matches(supplier))
    page = Paginator(matches, MATCHES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "supplier": supplier,
        "filters": filters,
        "page": page,
        "rows": selectors.explained(list(page.object_list)),
        "query": query.urlencode(),
    }
    return render(request, "portal/match_list.html", context)


@login_required
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.owned_match(request.user, match_id)
    [item] = selectors.explained([match])
    context = {
        "match": match,
        "item": item,
        "need": match.need,
        "facility": match.need.facility,
        "form": InterestForm(),
        "components": selectors.score_components(match),
    }
    return render(request, "portal/match_detail.html", context)


@login_required
@require_POST
def match_interest(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.owned_match(request.user, match_id)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            match_express_interest(match=match, message=form.cleaned_data["message"])
        except MatchActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The facility can now see that you are interested."))
    else:
        messages.error(request, _("Your note is too long: keep it under 500 characters."))
    return redirect("portal:match_detail", match_id=match.pk)


@login_required
@require_POST
def match_withdraw_interest(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.owned_match(request.user, match_id)
    try:
        match_withdraw(match=match)
    except MatchActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("You have withdrawn your interest."))
    return redirect("portal:match_detail", match_id=match.pk)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The enterprise, its processes and certificates, on one page saved at once."""
    supplier = selectors.owned_supplier(request.user) or Supplier()
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    enterprise = EnterpriseForm(data, instance=supplier)
    capabilities = CapabilityFormSet(data, instance=supplier, prefix="capabilities")
    certificates = CertificateFormSet(data, files, instance=supplier, prefix="certificates")
    if request.method == "POST":
        if all([enterprise.is_valid(), capabilities.is_valid(), certificates.is_valid()]):
            profile_save(
                owner=request.user,
                enterprise=enterprise,
                capabilities=capabilities,
                certificates=certificates,
            )
            messages.success(
                request,
                _(
                    "Profile saved. Your matches are being worked out again; the dashboard "
                    "shows them in a minute."
                ),
            )
            return redirect("portal:profile")
        messages.error(request, _("The profile was not saved: please correct the fields marked."))
    context = {
        "supplier": supplier,
        "enterprise": enterprise,
        "capabilities": capabilities,
        "certificates": certificates,
    }
    return render(request, "portal/profile.html", context)


@login_required
def certificate_document(request: HttpRequest, name: str) -> FileResponse:
    """A certificate's scan, for its owner and staff only; never rendered inline."""
    certificate = selectors.owned_certificate_document(request.user, name)
    document = certificate.document.open("rb")
    content_type = document_content_type(document.read(16)) or "application/octet-stream"
    document.seek(0)
    response = FileResponse(
        document,
        as_attachment=True,
        filename=f"{certificate.certification_type.code}-{certificate.number}"
        f"{DOCUMENT_SUFFIX.get(content_type, '')}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
