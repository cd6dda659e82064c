"""/eligibility/: the anonymous self-check, its result and what-if. Thin: the engine judges."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from formtools.wizard.views import SessionWizardView

from . import selectors, services
from .engine import CheckResult, check, compare, needs_now
from .forms import STEPS, WhatIfForm, answers_from_cleaned

CARRIED_CHECK_KEY = "eligibility_check_id"


def wants_bidder_step(wizard: SessionWizardView) -> bool:
    work = wizard.get_cleaned_data_for_step("work") or {}
    return bool(work.get("bidding"))


class SelfCheckWizard(SessionWizardView):
    """One question group per step, then "check your answers"; no JavaScript needed."""

    form_list = STEPS
    condition_dict = {"bidder": wants_bidder_step}
    template_name = "eligibility/wizard.html"

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        # A step the questionnaire does not have (a stale or forged form): start again.
        step = self.request.POST.get(f"{self.get_prefix(self.request)}-current_step")
        if step not in self.get_form_list():
            self.storage.reset()
            return self.render(self.get_form())
        return super().post(*args, **kwargs)

    def get_context_data(self, form: Form, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        if self.steps.current == "confirm":
            answers = answers_from_cleaned(self.get_all_cleaned_data())
            context["answer_rows"] = selectors.answers_in_words(answers)
        return context

    def done(self, form_list: list[Form], **kwargs: Any) -> HttpResponse:
        answers = answers_from_cleaned(self.get_all_cleaned_data())
        saved, _result = services.check_save(answers=answers)
        return redirect("eligibility:result", token=selectors.result_token(saved))


def result(request: HttpRequest, token: str) -> HttpResponse:
    """A saved result (by its signed link), and a what-if when the form below it is sent."""
    try:
        saved = selectors.check_by_token(token)
    except selectors.ResultLinkExpired:
        return render(request, "eligibility/expired.html", status=410)
    outcome = CheckResult.from_saved(answers=saved.answers, result=saved.result)
    # The open needs are counted today, whenever the result was saved: they change daily.
    needs = needs_now(outcome.answers)
    initial = WhatIfForm.initial_from(outcome.answers, outcome.on)
    # Bound only by its own questions: a link's other parameters (utm_…) leave it unbound.
    asked = any(name in request.GET for name in WhatIfForm().fields)
    what_if_form = WhatIfForm(request.GET if asked else None, initial=initial)
    variant = changes = None
    if asked and what_if_form.is_valid():
        on = what_if_form.cleaned_data.get("as_of") or outcome.on
        variant = check(answers_from_cleaned(what_if_form.cleaned_data), on=on)
        changes = compare(outcome, variant)
    roles, citations = selectors.role_views(outcome)
    context = {
        "token": token,
        "result": outcome,
        "needs": needs,
        "place": selectors.place(outcome.answers),
        "roles": roles,
        "citations": citations,
        "category_label": selectors.category_label(outcome.category),
        "limit_rows": selectors.limit_rows(outcome),
        "next_net_worth": selectors.crore(outcome.bidder.next_net_worth_crore)
        if outcome.bidder
        else "",
        "answer_rows": selectors.answers_in_words(outcome.answers),
        "what_if_form": what_if_form,
        "variant": variant,
        "changes": changes,
        "share_url": request.build_absolute_uri(
            reverse("eligibility:result", kwargs={"token": token})
        ),
    }
    return render(request, "eligibility/result.html", context)


@require_POST
def carry_answers(request: HttpRequest, token: str) -> HttpResponse:
    """Keep the check in the session and go on to sign up (or, signed in, to a new enterprise's
    profile): the new profile starts from the answers."""
    try:
        saved = selectors.check_by_token(token)
    except selectors.ResultLinkExpired:
        return render(request, "eligibility/expired.html", status=410)
    request.session[CARRIED_CHECK_KEY] = saved.pk
    return redirect("portal:profile_new" if request.user.is_authenticated else "accounts:signup")
