"""The weekly digest: one email per owner per week, never twice, and none for those who opt out."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from accounts.services import preferences_update
from portal.models import Digest
from portal.services import digests_send
from tests.factories import (
    CertificationFactory,
    CertificationTypeFactory,
    MatchFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)  # a Wednesday: the week began on Monday 30 Nov


@pytest.fixture
def owner():
    return UserFactory(username="owner@hosur.in", email="owner@hosur.in")


def test_an_owner_gets_one_digest_a_week_with_new_matches_and_expiring_certificates(
    owner,
) -> None:
    supplier = SupplierFactory(owner=owner, name="Hosur Precision Turning")
    high = MatchFactory(supplier=supplier, score=Decimal("81.20"))
    MatchFactory(supplier=supplier, score=Decimal("40.00"))  # not worth an email
    MatchFactory(supplier=supplier, score=Decimal("90.00"), near_miss_rule="radius")
    nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
    CertificationFactory(
        supplier=supplier, certification_type=nabl, valid_until=TODAY + datetime.timedelta(days=9)
    )

    assert digests_send(today=TODAY) == 1
    assert digests_send(today=TODAY) == 0  # the same week again: nothing
    assert digests_send(today=TODAY + datetime.timedelta(days=4)) == 0  # still that week

    [email] = mail.outbox
    assert email.to == ["owner@hosur.in"]
    assert email.subject == "REPM Connect: 1 new match this week"
    # The score as every figure reads: no trailing zero (81.20 → 81.2).
    assert high.need.title in email.body and "score 81.2," in email.body
    assert f"/me/matches/{high.pk}/" in email.body
    assert "NABL accreditation (Hosur Precision Turning): 11 Dec 2026" in email.body
    assert "40.00" not in email.body and "90.00" not in email.body
    digest = Digest.objects.get()
    assert (digest.owner, digest.period_start, digest.matches, digest.expiring) == (
        owner,
        datetime.date(2026, 11, 30),
        1,
        1,
    )


def test_an_owner_who_opted_out_or_has_nothing_new_gets_no_email(owner) -> None:
    SupplierFactory(owner=owner, wants_digest=False)
    MatchFactory(supplier=owner.suppliers.get(), score=Decimal("95.00"))
    quiet = UserFactory(username="quiet@rajkot.in", email="quiet@rajkot.in")
    SupplierFactory(owner=quiet)  # no matches, no certificates

    assert digests_send(today=TODAY) == 0
    assert mail.outbox == []
    assert not Digest.objects.exists()


def test_the_next_week_brings_the_next_digest(owner) -> None:
    supplier = SupplierFactory(owner=owner)
    MatchFactory(supplier=supplier, score=Decimal("75.00"))
    assert digests_send(today=TODAY) == 1
    next_week = TODAY + datetime.timedelta(days=7)
    # Nothing new since: no email (the match was told last week).
    assert digests_send(today=next_week) == 0
    MatchFactory(supplier=supplier, score=Decimal("77.00"))
    assert digests_send(today=next_week) == 1
    assert Digest.objects.count() == 2
    assert "score 77," in mail.outbox[-1].body and "score 75," not in mail.outbox[-1].body


def test_each_owner_gets_the_digest_in_the_language_they_chose(owner) -> None:
    hindi = UserFactory(username="hindi@hosur.in", email="hindi@hosur.in")
    preferences_update(user=hindi, email_language="hi")
    for person in (owner, hindi):
        supplier = SupplierFactory(owner=person)
        MatchFactory(supplier=supplier, score=Decimal("88.00"))
        nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
        CertificationFactory(
            supplier=supplier,
            certification_type=nabl,
            valid_until=datetime.date(2026, 12, 11),
        )

    assert digests_send(today=TODAY) == 2

    emails = {email.to[0]: email for email in mail.outbox}
    english, hindi_email = emails["owner@hosur.in"], emails["hindi@hosur.in"]
    assert english.subject == "REPM Connect: 1 new match this week"
    assert "Your week on REPM Connect." in english.body and "11 Dec 2026" in english.body
    assert hindi_email.subject == "REPM Connect: इस सप्ताह 1 नया मिलान"
    assert "REPM Connect पर आपका सप्ताह।" in hindi_email.body
    assert "11 दिस 2026" in hindi_email.body  # dates in Hindi too
    assert "/hi/me/matches/" in hindi_email.body and "/hi/" not in english.body
    assert "Your week" not in hindi_email.body
