"""The MSME owner's pages, reasons and digest name facilities, processes, certificates and
statuses in the reader's language; English with no Hindi version is marked lang="en" on Hindi
pages, and English pages carry no marks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from accounts.services import preferences_update
from matching.models import Match
from matching.services import matches_sync
from portal.services import digests_send
from tests.factories import (
    CapabilityCategoryFactory,
    CertificationFactory,
    CertificationTypeFactory,
    ClusterFactory,
    DistrictFactory,
    FacilityFactory,
    NeedFactory,
    ProcessFactory,
    StateFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(username="owner@hosur.in", email="owner@hosur.in")


@pytest.fixture
def shop(owner) -> dict:
    """A Hosur turning shop holding ISO 9001 and ZED Gold (expiring soon), both with Hindi names,
    matched to two needs of facility 1: one in full, one a near miss for want of NABL (Hindi
    name) and SPCB consent (no Hindi name yet)."""
    category = CapabilityCategoryFactory(slug="machining", name="Machining", name_hi="मशीनिंग")
    process = ProcessFactory(
        slug="cnc-turning", name="CNC turning", name_hi="सीएनसी टर्निंग", category=category
    )
    iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001", name_hi="आईएसओ 9001")
    nabl = CertificationTypeFactory(
        code="NABL", name="NABL accreditation", name_hi="एनएबीएल प्रत्यायन"
    )
    spcb = CertificationTypeFactory(code="SPCB_CONSENT", name="SPCB consent")
    state = StateFactory(name_hi="तमिलनाडु")
    facility = FacilityFactory(
        number=1,
        name="Integrated REPM Facility 1",
        name_hi="एकीकृत REPM सुविधा 1",
        cluster=ClusterFactory(
            name="Tamil Nadu REPM cluster", name_hi="तमिलनाडु REPM क्लस्टर", state=state
        ),
    )
    supplier = SupplierFactory(
        owner=owner,
        name="Hosur Precision Turning",
        state=state,
        district=DistrictFactory(state=state, name="Krishnagiri"),
    )
    SupplierCapabilityFactory(supplier=supplier, process=process)
    CertificationFactory(supplier=supplier, certification_type=iso)
    CertificationFactory(
        supplier=supplier,
        certification_type=CertificationTypeFactory(
            code="ZED_GOLD", name="ZED Gold", name_hi="ज़ेड स्वर्ण", zed_level=3
        ),
        valid_until=datetime.date.today() + datetime.timedelta(days=30),
    )
    full = NeedFactory(
        facility=facility,
        process=process,
        title="Turned NdFeB rings",
        required_certifications=[iso],
    )
    near = NeedFactory(
        facility=facility,
        process=process,
        title="Rings with a test report",
        required_certifications=[iso, nabl, spcb],
    )
    matches_sync(need_ids=[full.pk, near.pk])
    return {
        "supplier": supplier,
        "full": Match.objects.get(need=full),
        "near": Match.objects.get(need=near),
        "iso": iso,
        "process": process,
        "facility": facility,
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_hindi_match_page_names_facility_process_status_and_unit_in_hindi(
    owner, shop: dict
) -> None:
    match = shop["full"]

    html = logged_in(owner).get(f"/hi/me/matches/{match.pk}/").content.decode()

    assert '<p class="eyebrow">सीएनसी टर्निंग</p>' in html
    assert '<h1><span lang="en">Turned NdFeB rings</span></h1>' in html
    assert ">एकीकृत REPM सुविधा 1</a>" in html
    assert ">तमिलनाडु REPM क्लस्टर</a>" in html
    assert '<span class="status">सुझाया गया</span>' in html  # suggested
    assert " नग</dd>" in html  # pieces
    assert "<dd>खुली</dd>" in html  # the need is open
    # Reasons name the facility and the certificate in Hindi.
    assert "एकीकृत REPM सुविधा 1 से" in html
    assert "आईएसओ 9001" in html and "तक मान्य" in html
    assert "ISO 9001" not in html and "Integrated REPM Facility" not in html


def test_a_hindi_near_miss_names_missing_certificates_in_hindi_and_marks_the_rest_english(
    owner, shop: dict
) -> None:
    client = logged_in(owner)

    detail = client.get(f"/hi/me/matches/{shop['near'].pk}/").content.decode()
    assert 'एनएबीएल प्रत्यायन, <span lang="en">SPCB consent</span> चाहिए' in detail
    assert "आईएसओ 9001," not in detail  # held and valid: not among the missing

    board = client.get("/hi/me/").content.decode()
    assert 'एनएबीएल प्रत्यायन, <span lang="en">SPCB consent</span> प्राप्त करें' in board
    assert '<p class="eyebrow"><span lang="en">Hosur Precision Turning</span></p>' in board
    # ZED Gold runs out within the warning window: the dashboard names it in Hindi.
    assert "ज़ेड स्वर्ण की मान्यता" in board

    listing = client.get("/hi/me/matches/").content.decode()
    assert '<span lang="en">Rings with a test report</span>' in listing
    assert "एकीकृत REPM सुविधा 1 · तमिलनाडु REPM क्लस्टर · सीएनसी टर्निंग" in listing
    assert 'एनएबीएल प्रत्यायन, <span lang="en">SPCB consent</span> चाहिए' in listing


def test_the_hindi_filters_and_profile_selects_name_rows_in_hindi(owner, shop: dict) -> None:
    ProcessFactory(slug="wire-edm", name="Wire EDM")  # no Hindi name yet
    client = logged_in(owner)

    filters = client.get("/hi/me/matches/").content.decode()
    assert f'<option value="{shop["process"].pk}">सीएनसी टर्निंग</option>' in filters
    assert f'<option value="{shop["facility"].pk}">एकीकृत REPM सुविधा 1</option>' in filters
    assert '<option value="suggested">सुझाया गया</option>' in filters
    # An option holds text only: an English fallback is marked on the option itself.
    assert 'lang="en">Wire EDM</option>' in filters

    profile = client.get("/hi/me/profile/").content.decode()
    assert f'<option value="{shop["iso"].pk}" selected>आईएसओ 9001</option>' in profile
    assert ">सीएनसी टर्निंग</option>" in profile
    assert '<optgroup label="तमिलनाडु">' in profile
    assert 'selected lang="en">Krishnagiri</option>' in profile
    assert '<option value="pieces" selected>नग</option>' in profile


def test_the_english_pages_keep_english_names_and_carry_no_language_marks(
    owner, shop: dict
) -> None:
    client = logged_in(owner)
    pages = {
        "/me/": None,
        "/me/matches/": None,
        f"/me/matches/{shop['full'].pk}/": None,
        f"/me/matches/{shop['near'].pk}/": None,
        "/me/profile/": None,
    }
    for path in pages:
        html = client.get(path).content.decode()
        assert "<span lang=" not in html, path
        assert 'lang="en" selected' not in html and "<option lang=" not in html, path
        pages[path] = html

    assert "needs NABL accreditation, SPCB consent" in pages[f"/me/matches/{shop['near'].pk}/"]
    assert "Get NABL accreditation, SPCB consent" in pages["/me/"]
    detail = pages[f"/me/matches/{shop['full'].pk}/"]
    assert "km from Integrated REPM Facility 1" in detail
    assert "ISO 9001 valid until" in detail
    assert '<p class="eyebrow">CNC turning</p>' in detail
    assert ">ISO 9001</option>" in pages["/me/profile/"]


def test_the_digest_names_facilities_and_certificates_in_the_language_it_is_sent_in(
    owner, shop: dict
) -> None:
    Match.objects.filter(pk=shop["full"].pk).update(score=Decimal("88.00"))
    preferences_update(user=owner, email_language="hi")  # the owner reads email in Hindi

    assert digests_send() == 1

    [email] = mail.outbox
    assert "(एकीकृत REPM सुविधा 1)" in email.body
    assert "ज़ेड स्वर्ण (Hosur Precision Turning)" in email.body
    assert "<span" not in email.body  # a text email: no markup


def test_the_match_pages_cost_no_more_queries_in_hindi(
    owner, shop: dict, django_assert_max_num_queries
) -> None:
    client = logged_in(owner)
    # As pinned for the English pages (tests/portal/test_portal.py).
    with django_assert_max_num_queries(31):
        assert client.get("/hi/me/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/hi/me/matches/").status_code == 200
