"""One engine for all: a signed-in supplier's dashboard judges its saved profile by the same
rules, and a self-check made before signing up starts the profile."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from clusters.models import District
from eligibility.engine import check
from eligibility.facts import answers_from_supplier
from eligibility.models import EligibilityCheck
from eligibility.selectors import result_token
from eligibility.services import check_save
from eligibility.views import CARRIED_CHECK_KEY
from taxonomy.models import CertificationType, Process
from tests.eligibility.conftest import answers
from tests.factories import (
    CertificationFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.usefixtures("reference")


@pytest.fixture
def owner_with_testing_lab():
    owner = UserFactory(username="lab@hosur.in", email="lab@hosur.in")
    krishnagiri = District.objects.get(slug="krishnagiri")
    supplier = SupplierFactory(
        owner=owner,
        state=krishnagiri.state,
        district=krishnagiri,
        investment_rupees=20_000_000,
        turnover_rupees=60_000_000,
    )
    SupplierCapabilityFactory(supplier=supplier, process=Process.objects.get(slug="flux-testing"))
    CertificationFactory(
        supplier=supplier,
        certification_type=CertificationType.objects.get(code="ISO_9001"),
        valid_until=datetime.date.today() + datetime.timedelta(days=400),
    )
    return owner, supplier


def test_the_dashboard_judges_the_saved_profile_with_the_same_engine(
    client: Client, owner_with_testing_lab
) -> None:
    owner, supplier = owner_with_testing_lab
    client.force_login(owner)
    page = client.get(reverse("portal:dashboard")).content.decode()
    engine = check(answers_from_supplier(supplier, on=datetime.date.today()), count_needs=False)
    assert engine.role("supplier").outcome == "not_yet"  # a testing lab without NABL
    assert "How you can take part" in page
    assert 'outcome--not_yet">Not yet</span> Certified supplier to a facility' in page
    assert "Apply to NABL for ISO/IEC 17025 accreditation" in page


def test_see_why_keeps_the_dashboards_result_and_opens_it(
    client: Client, owner_with_testing_lab
) -> None:
    owner, supplier = owner_with_testing_lab
    client.force_login(owner)
    response = client.post(reverse("portal:eligibility"))
    saved = EligibilityCheck.objects.get()
    assert (saved.supplier, saved.channel) == (supplier, EligibilityCheck.Channel.DASHBOARD)
    assert response["Location"] == reverse("eligibility:result", args=[result_token(saved)])
    assert "role role--not_yet" in client.get(response["Location"]).content.decode()


def test_see_why_asks_for_a_login_and_a_post(client: Client) -> None:
    assert client.get(reverse("portal:eligibility")).status_code in {302, 405}
    response = client.post(reverse("portal:eligibility"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not EligibilityCheck.objects.exists()


def test_a_self_check_before_signing_up_starts_the_profile(client: Client) -> None:
    saved, _result = check_save(
        answers=answers(processes=["cnc-turning", "wire-edm"], certifications=["ZED_BRONZE"])
    )
    client.post(reverse("eligibility:carry", args=[result_token(saved)]))
    client.force_login(UserFactory(username="new@rajkot.in", email="new@rajkot.in"))
    page = client.get(reverse("portal:profile")).content.decode()
    assert "We started your profile from your eligibility answers" in page
    assert 'name="investment_rupees" value="20000000"' in page
    krishnagiri = District.objects.get(slug="krishnagiri").pk
    assert f'<option value="{krishnagiri}" selected>' in page
    for slug in ("cnc-turning", "wire-edm"):
        process = Process.objects.get(slug=slug).pk
        assert f'<option value="{process}" selected>' in page
    assert CARRIED_CHECK_KEY not in client.session  # used once: the next enterprise starts blank
    assert (
        "We started your profile" not in client.get(reverse("portal:profile_new")).content.decode()
    )
