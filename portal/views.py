"""The MSME owner's pages. Thin: access helpers and queries in selectors, actions in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import PreferencesForm
from accounts.selectors import preferences_of
from accounts.services import dashboard_visit_record, preferences_update
from consortia import selectors as consortia_selectors
from consortia.services import ConsortiumActionRefused, member_respond
from eligibility.facts import answers_from_supplier
from eligibility.models import EligibilityCheck
from eligibility.selectors import result_token
from eligibility.services import check_save
from eligibility.views import CARRIED_CHECK_KEY
from matching.capacity import commitment_of
from matching.services import MatchActionRefused, match_express_interest, match_withdraw
from schemes.selectors import scheme_timeline
from vendors.models import Supplier
from vendors.validators import document_content_type

from . import selectors
from .forms import (
    CapabilityFormSet,
    CertificateFormSet,
    EnterpriseForm,
    EnterpriseSwitchForm,
    InterestForm,
    MatchFilterForm,
)
from .services import enterprise_choose, profile_save

DOCUMENT_SUFFIX = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

MATCHES_PER_PAGE = 20


def _switcher(request: HttpRequest, back_to: str) -> dict:
    """What the enterprise switcher needs (shown when the owner runs more than one)."""
    return {"enterprises": selectors.enterprise_choices(request.user), "switch_next": back_to}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    supplier = selectors.owned_supplier(request.user)
    if supplier is None:
        return render(request, "portal/no_enterprise.html")
    since = dashboard_visit_record(user=request.user)
    context = {
        "supplier": supplier,
        "board": selectors.dashboard(supplier, since=since),
        **_switcher(request, request.path),
    }
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
        **_switcher(request, request.path),
    }
    return render(request, "portal/match_list.html", context)


@login_required
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    try:
        match = selectors.owned_match(request.user, match_id)
    except Http404:
        # A match of the owner's other enterprise (a digest links to every one's): offer to
        # switch to it rather than answer "not found".
        elsewhere = selectors.owned_match_enterprise(request.user, match_id)
        if elsewhere is None:
            raise
        context = {"elsewhere": elsewhere, "switch_next": request.path}
        return render(request, "portal/match_elsewhere.html", context)
    [item] = selectors.explained([match])
    need = match.need
    context = {
        "match": match,
        "item": item,
        "need": need,
        "facility": need.facility,
        "form": InterestForm(),
        "components": selectors.score_components(match),
        "timeline": scheme_timeline(need.facility.scheme_id, need.due_date),
        "supplier": match.supplier,
        "commitment": commitment_of(
            status=match.status,
            committed_quantity=match.committed_quantity,
            need_quantity=need.min_monthly_capacity,
        ),
        **_switcher(request, reverse("portal:match_list")),  # this match is one enterprise's
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


CONSORTIA_LISTED = 50


@login_required
def consortium_list(request: HttpRequest) -> HttpResponse:
    """The teams the current enterprise is proposed for: open ones first."""
    supplier = selectors.owned_supplier(request.user)
    if supplier is None:
        return redirect("portal:dashboard")
    consortia = list(
        consortia_selectors.with_members(consortia_selectors.for_supplier(supplier.pk))[
            :CONSORTIA_LISTED
        ]
    )
    context = {
        "supplier": supplier,
        "rows": [consortia_selectors.seen_by(c, supplier.pk) for c in consortia],
        **_switcher(request, request.path),
    }
    return render(request, "portal/consortium_list.html", context)


@login_required
def consortium_detail(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium, supplier = selectors.owned_consortium(request.user, consortium_id)
    context = {
        "supplier": supplier,
        "row": consortia_selectors.seen_by(consortium, supplier.pk),
        "need": consortium.need,
        "facility": consortium.need.facility,
        **_switcher(request, reverse("portal:consortium_list")),
    }
    return render(request, "portal/consortium_detail.html", context)


@login_required
@require_POST
def consortium_answer(request: HttpRequest, consortium_id: int) -> HttpResponse:
    """Accept or decline the enterprise's place in a team."""
    consortium, supplier = selectors.owned_consortium(request.user, consortium_id)
    answer = request.POST.get("answer")
    if answer not in {"accept", "decline"}:
        messages.error(request, _("Choose to accept or to decline your place."))
        return redirect("portal:consortium_detail", consortium_id=consortium.pk)
    try:
        member_respond(consortium=consortium, supplier_id=supplier.pk, accept=answer == "accept")
    except ConsortiumActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("You accepted your place in this team.")
            if answer == "accept"
            else _("You declined your place in this team."),
        )
    return redirect("portal:consortium_detail", consortium_id=consortium.pk)


@login_required
@require_POST
def enterprise_switch(request: HttpRequest) -> HttpResponse:
    """Work on another of the owner's enterprises (remembered for the account); someone
    else's enterprise, or no valid id, is 404 and changes nothing."""
    form = EnterpriseSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404("No such enterprise of yours.")
    supplier = selectors.owned_supplier(request.user, form.cleaned_data["enterprise"])
    enterprise_choose(owner=request.user, supplier=supplier)
    messages.success(request, _("Now showing %(name)s.") % {"name": supplier.name})
    back_to = form.cleaned_data["next"]
    if back_to and url_has_allowed_host_and_scheme(
        back_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back_to)
    return redirect("portal:dashboard")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The current enterprise, its processes and certificates, on one page saved at once."""
    return _profile_page(request, selectors.owned_supplier(request.user) or Supplier())


@login_required
def profile_new(request: HttpRequest) -> HttpResponse:
    """Another enterprise for the same owner; once saved, the one the pages show."""
    return _profile_page(request, Supplier())


def _profile_page(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    # A new enterprise starts from the owner's self-check answers, if it took one first.
    start = None
    if supplier.pk is None and data is None:
        # Used once: the next new enterprise starts blank.
        start = selectors.profile_start(request.session.pop(CARRIED_CHECK_KEY, None))
    enterprise = EnterpriseForm(
        data, instance=supplier, initial=start.enterprise if start else None
    )
    capabilities = CapabilityFormSet(
        data,
        instance=supplier,
        prefix="capabilities",
        initial=start.capabilities if start else None,
    )
    certificates = CertificateFormSet(
        data, files, instance=supplier, prefix="certificates",
        initial=start.certificates if start else None,
    )  # fmt: skip
    if start:
        capabilities.extra = max(1, len(start.capabilities))
        certificates.extra = max(1, len(start.certificates))
        messages.info(request, _("We started your profile from your eligibility answers."))
    if request.method == "POST":
        was_verified = bool(supplier and supplier.is_verified)
        if all([enterprise.is_valid(), capabilities.is_valid(), certificates.is_valid()]):
            saved = profile_save(
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
            if was_verified and not saved.is_verified:
                messages.info(
                    request,
                    _(
                        "You changed details an administrator had verified, so your profile is "
                        "no longer marked verified until they check it again."
                    ),
                )
            return redirect("portal:profile")
        messages.error(request, _("The profile was not saved: please correct the fields marked."))
    context = {
        "supplier": supplier,
        "enterprise": enterprise,
        "capabilities": capabilities,
        "certificates": certificates,
        "preferences": PreferencesForm(instance=preferences_of(request.user)),
        **_switcher(request, reverse("portal:profile")),
    }
    return render(request, "portal/profile.html", context)


@login_required
@require_POST
def eligibility_result(request: HttpRequest) -> HttpResponse:
    """The current enterprise judged by the eligibility engine, kept as a result to read in
    full, print or share."""
    supplier = selectors.owned_supplier(request.user)
    if supplier is None:
        return redirect("portal:dashboard")
    saved, _result = check_save(
        answers=answers_from_supplier(supplier, on=timezone.localdate()),
        channel=EligibilityCheck.Channel.DASHBOARD,
        supplier=supplier,
    )
    return redirect("eligibility:result", token=result_token(saved))


@login_required
@require_POST
def account_preferences(request: HttpRequest) -> HttpResponse:
    """The account's own settings (the language of its emails), from the profile page."""
    form = PreferencesForm(request.POST, instance=preferences_of(request.user))
    if form.is_valid():
        preferences_update(user=request.user, email_language=form.cleaned_data["email_language"])
        messages.success(request, _("Your account settings are saved."))
    else:
        messages.error(request, _("Choose English or Hindi for your emails."))
    return redirect("portal:profile")


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
