"""The profile page: an owner describes the enterprise, its processes and certificates; scans
are checked by their bytes and served only to the owner and staff."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from matching.models import Match
from tests.factories import (
    NeedFactory,
    SupplierFactory,
    UserFactory,
)
from tests.test_celery_worker import wait_until
from vendors.identifiers import make_gstin, make_pan
from vendors.models import Certification, Supplier

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def owner():
    return UserFactory(username="owner@hosur.in")


def profile_data(world: dict, **changes: object) -> dict:
    data = {
        "name": "Hosur Precision Turning",
        "udyam_number": "udyam-tn-12-0012345",
        "gstin": make_gstin(gst_state_code="33", pan=make_pan(random.Random(7))),
        "district": world["district"].pk,
        "address": "SIPCOT Phase II",
        "pin_code": "635109",
        "investment_rupees": "20000000",
        "turnover_rupees": "80000000",
        "employees": "35",
        "year_established": "2011",
        "contact_name": "S. Kumar",
        "contact_email": "sales@hosurturning.in",
        "contact_phone": "+91 98400 12345",
        "website": "",
        "capabilities-TOTAL_FORMS": "1",
        "capabilities-INITIAL_FORMS": "0",
        "capabilities-0-process": world["process"].pk,
        "capabilities-0-monthly_capacity": "6000",
        "capabilities-0-capacity_unit": "pieces",
        "capabilities-0-best_tolerance_um": "0.1",
        "capabilities-0-max_temperature_c": "",
        "capabilities-0-materials": ["ndfeb_sintered", "smco"],
        "capabilities-0-years_experience": "9",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-certification_type": world["iso"].pk,
        "certificates-0-number": "QMS-2291",
        "certificates-0-issuer": "TÜV SÜD South Asia",
        "certificates-0-valid_until": (datetime.date.today() + datetime.timedelta(days=400)),
        "certificates-0-document": SimpleUploadedFile("iso.pdf", PDF, "application/pdf"),
    }
    data.update(changes)
    return data


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_an_owner_describes_the_shop_and_sees_matches_computed(
    task_runner: None, owner, world
) -> None:
    need = NeedFactory(process=world["process"], radius_km=None, due_date=None)
    client = logged_in(owner)

    response = client.post("/me/profile/", profile_data(world))

    assert response.status_code == 302, response.context and [
        f.errors for f in (response.context["enterprise"],)
    ]
    supplier = Supplier.objects.get(owner=owner)
    assert (supplier.udyam_number, supplier.state.code, supplier.category) == (
        "UDYAM-TN-12-0012345",
        "TN",
        "micro",
    )
    capability = supplier.capabilities.get()
    assert (str(capability.best_tolerance_um), capability.materials) == (
        "0.10",
        ["ndfeb_sintered", "smco"],
    )
    certificate = supplier.certifications.get()
    assert certificate.document.read() == PDF
    assert "Profile saved" in client.get("/me/profile/").content.decode()
    # The rematch runs after the commit: in-process here, on a real worker with REDIS_URL.
    assert wait_until(lambda: Match.objects.filter(supplier=supplier, need=need).exists())


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"udyam_number": "UDYAM-TN-1-12345"}, "udyam_number", "UDYAM-SS-DD-NNNNNNN"),
        ({"udyam_number": "UDYAM-KA-12-0012345"}, "udyam_number", "registered in state code KA"),
        ({"gstin": "33AABCU9603R1ZX"}, "gstin", "check digit"),
        ({"pin_code": "035109"}, "pin_code", "six digits and does not start with 0"),
        ({"investment_rupees": "-5"}, "investment_rupees", "greater than or equal to 0"),
        ({"year_established": "1800"}, "year_established", "greater than or equal to 1900"),
    ],
)
def test_enterprise_errors_are_shown_on_their_fields_and_nothing_is_saved(
    owner, world, changes: dict, field: str, error: str
) -> None:
    response = logged_in(owner).post("/me/profile/", profile_data(world, **changes))

    assert response.status_code == 200
    messages = response.context["enterprise"].errors[field]
    assert any(error in message for message in messages), messages
    assert not Supplier.objects.exists()
    assert not Certification.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"capabilities-0-monthly_capacity": "-1"}, "monthly_capacity", "greater than or equal"),
        ({"capabilities-0-best_tolerance_um": "abc"}, "best_tolerance_um", "Enter a number."),
    ],
)
def test_capability_errors_are_shown_and_nothing_is_saved(
    owner, world, changes: dict, field: str, error: str
) -> None:
    response = logged_in(owner).post("/me/profile/", profile_data(world, **changes))

    assert response.status_code == 200
    assert any(error in m for m in response.context["capabilities"].forms[0].errors[field])
    assert not Supplier.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("iso.pdf", PNG, "contents are not a PDF"),
        ("iso.png", b"MZ\x90\x00 an executable", "contents are not a PNG"),
        ("iso.docx", PDF, "PDF, JPEG or PNG"),
        ("iso.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "at most 5 MB"),
    ],
)
def test_a_document_is_judged_by_its_bytes_not_its_name(
    owner, world, name: str, content: bytes, error: str
) -> None:
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = logged_in(owner).post(
        "/me/profile/", profile_data(world, **{"certificates-0-document": upload})
    )

    assert response.status_code == 200
    errors = response.context["certificates"].forms[0].errors["document"]
    assert any(error in message for message in errors), errors
    assert not Certification.objects.exists()


def test_a_scan_is_served_only_to_its_owner_and_staff(owner, world) -> None:
    logged_in(owner).post("/me/profile/", profile_data(world))
    certificate = Certification.objects.get()
    url = certificate.document.url
    assert url.startswith("/me/documents/certificates/")

    mine = logged_in(owner).get(url)
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF
    assert mine["Content-Type"] == "application/pdf"
    assert mine["Content-Disposition"].startswith("attachment;")
    assert mine["X-Content-Type-Options"] == "nosniff"

    staff = UserFactory(username="officer", is_staff=True)
    assert logged_in(staff).get(url).status_code == 200
    other = UserFactory(username="other@rajkot.in")
    SupplierFactory(owner=other)
    assert logged_in(other).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert Client().get("/media/" + certificate.document.name).status_code == 404


def test_another_owner_cannot_edit_this_profile(owner, world) -> None:
    logged_in(owner).post("/me/profile/", profile_data(world))
    other = UserFactory(username="other@rajkot.in")

    # Their page starts empty (a new enterprise of their own), never this one.
    page = logged_in(other).get("/me/profile/")
    assert page.context["enterprise"].instance.pk is None
    assert "Hosur Precision Turning" not in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"udyam_number": "UDYAM-TN-1-12345"}, "udyam_number", "उद्यम पंजीकरण संख्या"),
        ({"udyam_number": "UDYAM-KA-12-0012345"}, "udyam_number", "राज्य कोड KA में पंजीकृत"),
        ({"gstin": "33AABCU9603R1ZX"}, "gstin", "जाँच अंक से मेल नहीं"),
        ({"pin_code": "035109"}, "pin_code", "0 से शुरू नहीं"),
    ],
)
def test_form_errors_read_in_hindi_on_the_hindi_profile_page(
    owner, world, changes: dict, field: str, error: str
) -> None:
    response = logged_in(owner).post("/hi/me/profile/", profile_data(world, **changes))

    assert response.status_code == 200
    messages = response.context["enterprise"].errors[field]
    assert any(error in message for message in messages), messages
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Supplier.objects.exists()


def test_a_scans_error_reads_in_hindi(owner, world) -> None:
    upload = SimpleUploadedFile("iso.docx", b"%PDF-1.4", "application/pdf")
    response = logged_in(owner).post(
        "/hi/me/profile/", profile_data(world, **{"certificates-0-document": upload})
    )
    errors = response.context["certificates"].forms[0].errors["document"]
    assert any("पीडीएफ़, जेपीईजी या पीएनजी" in message for message in errors), errors
