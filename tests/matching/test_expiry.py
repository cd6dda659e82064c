"""Certificates expire with the calendar: the nightly sweep rematches whoever crossed a date."""

import datetime

import pytest

from matching.models import Match
from matching.selectors import suppliers_with_certificates_crossing
from matching.tasks import rematch_certificate_expiries
from tests.conftest import worker_idle
from tests.factories import CertificationFactory, CertificationTypeFactory
from tests.matching.conftest import supplier_near
from tests.test_celery_worker import wait_until

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_it_finds_certificates_that_expired_or_entered_the_warning_window() -> None:
    expired = CertificationFactory(valid_until=TODAY - DAY).supplier
    warned = CertificationFactory(valid_until=TODAY + 60 * DAY).supplier
    CertificationFactory(valid_until=TODAY + 400 * DAY)  # far off
    CertificationFactory(valid_until=TODAY - 30 * DAY)  # expired long ago: already handled
    found = suppliers_with_certificates_crossing(since=TODAY - 2 * DAY, today=TODAY)
    assert found == sorted([expired.pk, warned.pk])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("task_runner")
def test_the_nightly_sweep_turns_a_lapsed_match_into_a_near_miss(need) -> None:
    need.due_date = None  # certificates must then be valid today
    need.save()
    iatf = CertificationTypeFactory(code="IATF_16949", name="IATF 16949")
    need.required_certifications.set([iatf])
    supplier = supplier_near(10)
    certificate = CertificationFactory(
        supplier=supplier, certification_type=iatf, valid_until=TODAY + 5 * DAY
    )
    assert wait_until(lambda: worker_idle() and Match.objects.filter(supplier=supplier).exists())
    assert Match.objects.get(supplier=supplier).near_miss_rule == ""
    # The calendar moves on: the certificate lapsed yesterday (no edit, so no save signal).
    type(certificate).objects.filter(pk=certificate.pk).update(valid_until=TODAY - DAY)

    assert rematch_certificate_expiries() == 1

    assert wait_until(lambda: Match.objects.get(supplier=supplier).near_miss_rule == "certificates")
