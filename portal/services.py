"""Actions of the MSME pages: saving the profile an owner describes, and the weekly digest."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.selectors import email_language
from matching.models import Match
from matching.rules import HIGH_SCORE
from vendors.models import Supplier
from vendors.services import (
    certification_edit_lapses_verification,
    supplier_edit_lapses_verification,
)

from .models import CurrentEnterprise, Digest
from .selectors import certificates_expiring


@transaction.atomic
def profile_save(
    *,
    owner: AbstractBaseUser,
    enterprise: ModelForm,
    capabilities: BaseInlineFormSet,
    certificates: BaseInlineFormSet,
) -> Supplier:
    """Save an owner's enterprise, its capabilities and certificates together (all validated).

    The matcher hears of each save through its signals and rematches the supplier once, after
    the commit (debounced); nothing here computes matches.
    """
    created = enterprise.instance.pk is None
    supplier = enterprise.save(commit=False)
    supplier.owner = owner
    # A verified profile or certificate whose checked facts the owner changes is verified no
    # more: an administrator verifies it again (saved with the edit, one history row each).
    supplier_edit_lapses_verification(supplier=supplier, changed_fields=enterprise.changed_data)
    for form in certificates.forms:
        if form.instance.pk and form.has_changed():
            certification_edit_lapses_verification(
                certification=form.instance, changed_fields=form.changed_data
            )
    supplier.save()
    enterprise.save_m2m()
    for formset in (capabilities, certificates):
        formset.instance = supplier
        formset.save()
    if created:  # a new enterprise is the one the owner goes on working on
        enterprise_choose(owner=owner, supplier=supplier)
    return supplier


def enterprise_choose(*, owner: AbstractBaseUser, supplier: Supplier) -> CurrentEnterprise:
    """Make one of the owner's enterprises the one every /me/ page shows (per account).

    The caller has checked ownership (``selectors.owned_supplier(user, supplier_id)``)."""
    if supplier.owner_id != owner.pk:
        raise ValueError("An owner can only work on their own enterprise.")
    choice, _created = CurrentEnterprise.objects.update_or_create(
        owner=owner, defaults={"supplier": supplier}
    )
    return choice


# --- The weekly digest ----------------------------------------------------------------------

DIGEST_MIN_SCORE = HIGH_SCORE  # "high-score" matches: the ones worth an email


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def digest_for(owner: AbstractBaseUser, *, since: datetime.datetime, today: datetime.date) -> dict:
    """What an owner's digest says: new high-score matches since ``since``, and certificates
    expiring within the warning window, across the owner's enterprises that want digests."""
    suppliers = Supplier.objects.filter(owner=owner, wants_digest=True, is_active=True)
    matches = list(
        Match.objects.filter(
            supplier__in=suppliers,
            created_at__gte=since,
            score__gte=DIGEST_MIN_SCORE,
            near_miss_rule="",
            status=Match.Status.SUGGESTED,
        )
        .select_related("need__facility", "supplier")
        .order_by("-score", "pk")[:20]
    )
    return {"matches": matches, "expiring": list(certificates_expiring(suppliers, today))}


def digests_send(*, today: datetime.date | None = None) -> int:
    """Send this week's digest to every owner with something to say; returns how many went.

    Each owner's row in Digest is claimed (unique per owner and week) in the transaction that
    sends the email: a second run, or a task delivered twice, finds the row and sends nothing.
    """
    today = today or timezone.localdate()
    period = week_start(today)
    first_look_back = timezone.make_aware(
        datetime.datetime.combine(period - datetime.timedelta(days=7), datetime.time())
    )
    owners = (
        get_user_model()
        .objects.filter(suppliers__wants_digest=True, is_active=True)
        .exclude(email="")
        .exclude(digests__period_start=period)
        .select_related("preferences")
        .distinct()
    )
    sent = 0
    for owner in owners.iterator():
        # New since the owner's last digest: a match is told once.
        last = owner.digests.order_by("-period_start").first()
        since = last.sent_at if last else first_look_back
        content = digest_for(owner, since=since, today=today)
        if not content["matches"] and not content["expiring"]:
            continue
        with transaction.atomic():
            _digest, created = Digest.objects.get_or_create(
                owner=owner,
                period_start=period,
                defaults={
                    "matches": len(content["matches"]),
                    "expiring": len(content["expiring"]),
                },
            )
            if not created:
                continue
            # The owner's language, subject included (links point to its pages too).
            with translation.override(email_language(owner)):
                context = {"owner": owner, "site_url": settings.SITE_URL, **content}
                send_mail(
                    subject=render_to_string("portal/email/digest_subject.txt", context).strip(),
                    message=render_to_string("portal/email/digest.txt", context),
                    from_email=None,
                    recipient_list=[owner.email],
                )
        sent += 1
    return sent
