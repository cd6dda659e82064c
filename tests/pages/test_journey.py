"""An MSME owner's whole journey in a real browser, against a live server and a real worker.

The owner's pages run with JavaScript turned off (nothing on them may need it), at a phone's
360 px: sign up, describe the shop (one process, one certificate with its scan), wait for the
worker's rematch, open a match and express interest. A facility manager, a staff member allowed
only to change matches, shortlists it in the admin (JavaScript on there); the owner sees the
answer, then reads the same pages in Hindi. Every owner's page is checked on the way: no sideways
scrolling, a label on every field, the skip link as the first Tab stop. Screenshots of each land
in var/screenshots/journey-*.png (git-ignored) for a human look.

Elements are found by role and label, with short stable words rather than whole sentences, so
the test survives the pages' wording and layout changing around them.
"""

from __future__ import annotations

import datetime
import random
import re
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from seeding.roles import FACILITY_MANAGER
from tests.factories import (
    CapabilityCategoryFactory,
    CertificationTypeFactory,
    ClusterFactory,
    DistrictFactory,
    FacilityFactory,
    NeedFactory,
    ProcessFactory,
    SchemeFactory,
    StateFactory,
    UserFactory,
)
from tests.pages.conftest import NO_HORIZONTAL_SCROLL, SCREENSHOTS
from vendors.identifiers import make_gstin, make_pan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
# The worker rematches a supplier 2 s after its profile is saved (the debounce) and takes well
# under a second for a handful of needs; the deadline only bounds a broken worker.
REMATCH_DEADLINE_SECONDS = 30

CERTIFIED_NEED = "Wire-EDM slicing of sintered N52 blocks into 2 mm wafers"
OPEN_NEED = "Wire-EDM cutting of rotor segment blanks"
NEAR_MISS_NEED = "Wire-EDM of SmCo arcs for aerospace actuators"

# Visible form controls with no accessible name from a <label>, aria-label or aria-labelledby.
UNLABELLED_FIELDS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((field) => field.type !== "hidden" && field.getClientRects().length > 0)
  .filter((field) => !Array.from(field.labels || []).some((label) => label.textContent.trim())
    && !(field.getAttribute("aria-label") || "").trim()
    && !field.getAttribute("aria-labelledby"))
  .map((field) => field.name || field.id || field.outerHTML)"""


def certificate_scan() -> bytes:
    """A small, valid one-page PDF (the kind of scan an owner uploads), offsets computed."""
    text = b"BT /F1 18 Tf 72 770 Td (ISO 9001 certificate QMS-2291) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


@pytest.fixture
def world() -> dict[str, object]:
    """A facility in a cluster near Krishnagiri with three open wire-EDM needs: one needs the
    ISO 9001 certificate the owner will add, one needs nothing, one needs AS9100 (a near miss)."""
    tamil_nadu = StateFactory()
    krishnagiri = DistrictFactory(
        state=tamil_nadu, code="24", name="Krishnagiri", latitude=12.52, longitude=78.21
    )
    DistrictFactory(state=tamil_nadu, code="25", name="Coimbatore", latitude=11.0, longitude=77.0)
    cluster = ClusterFactory(
        name="Hosur–Krishnagiri REPM Cluster",
        state=tamil_nadu,
        centre_latitude=12.7409,
        centre_longitude=77.8253,
    )
    facility = FacilityFactory(scheme=SchemeFactory(), number=1, cluster=cluster)
    wire_edm = ProcessFactory(
        slug="wire-edm", name="Wire EDM", category=CapabilityCategoryFactory()
    )
    ProcessFactory(slug="cnc-turning", name="CNC turning", category=wire_edm.category)
    iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001 quality management")
    as9100 = CertificationTypeFactory(code="AS9100", name="AS9100 aerospace quality")
    NeedFactory(
        facility=facility,
        process=wire_edm,
        title=CERTIFIED_NEED,
        min_monthly_capacity=Decimal("8000"),
        max_tolerance_um=Decimal("5"),
        radius_km=150,
        required_certifications=[iso],
    )
    NeedFactory(facility=facility, process=wire_edm, title=OPEN_NEED)
    NeedFactory(
        facility=facility, process=wire_edm, title=NEAR_MISS_NEED, required_certifications=[as9100]
    )
    return {"district": krishnagiri, "process": wire_edm, "iso": iso, "facility": facility}


@pytest.fixture
def facility_manager(world: dict[str, object]) -> dict[str, str]:
    """A facility manager of the world's facility (the group's needs and matches, of that
    facility only; not a superuser)."""
    user = UserFactory(username="manager@facility-1.in", is_staff=True)
    user.groups.add(Group.objects.get(name=FACILITY_MANAGER))
    world["facility"].managers.add(user)
    return {"username": user.username, "password": "correct horse battery staple"}


def check_msme_page(page, name: str) -> None:
    """What every owner's page owes at 360 px, and a full-page screenshot of it.

    Call it right after the page loads: the keyboard check starts from the top of the page.
    """
    from playwright.sync_api import expect

    assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{page.url} scrolls sideways at 360 px"
    assert page.evaluate(UNLABELLED_FIELDS) == [], f"{page.url} has fields without a label"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"journey-{name}.png", full_page=True)
    autofocused = page.locator("[autofocus]")
    if autofocused.count():
        # Focus starts in the form's first field: typing starts there, nothing to skip.
        expect(autofocused.first).to_be_focused()
    else:
        page.keyboard.press("Tab")
        skip_link = page.locator(":focus")
        expect(skip_link).to_have_attribute("href", "#main")
        expect(skip_link).to_be_in_viewport()


def labelled(scope, label: str):
    """The field labelled exactly so, whether or not the label marks it required ("Process *")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}\W*$"))


def reload_until_visible(page, locator, *, deadline_seconds: float) -> None:
    """Reload the page until the locator shows (the work is another process's), or fail."""
    from playwright.sync_api import expect

    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            expect(locator).to_be_visible(timeout=1_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()


def test_an_msme_signs_up_finds_matches_and_hears_back_from_the_facility_in_english_and_hindi(
    live_server, browser, celery_worker_process, world, facility_manager
) -> None:
    from playwright.sync_api import expect

    owner = browser.new_context(viewport=PHONE, locale="en-IN", java_script_enabled=False)
    page = owner.new_page()

    # Sign up with an email and a password; the form is submitted from the keyboard.
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    check_msme_page(page, "signup")
    page.get_by_label("Email").fill("owner@hosur-slicing.in")
    labelled(page, "Password").fill("Magnets-from-Hosur-2026")
    page.get_by_label("Password again").fill("Magnets-from-Hosur-2026")
    page.get_by_label("Password again").press("Enter")

    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    check_msme_page(page, "dashboard-new")
    page.get_by_role("link", name="Describe your enterprise").click()

    # The profile: the enterprise, one process, one certificate with its scan.
    expect(page.get_by_role("heading", name="Your enterprise's profile")).to_be_visible()
    check_msme_page(page, "profile-empty")
    enterprise = page.get_by_role("group", name="Enterprise", exact=True)
    enterprise.get_by_label("Enterprise name").fill("Hosur Precision Slicing")
    enterprise.get_by_label("Udyam registration number").fill("udyam-tn-24-0012345")
    enterprise.get_by_label("GSTIN").fill(
        make_gstin(gst_state_code="33", pan=make_pan(random.Random(14)))
    )
    enterprise.get_by_label("District").select_option(str(world["district"].pk))
    enterprise.get_by_label("PIN code").fill("635109")
    enterprise.get_by_label("Investment in plant").fill("20000000")
    enterprise.get_by_label("Annual turnover").fill("80000000")
    enterprise.get_by_label("Employees").fill("35")
    enterprise.get_by_label("Year established").fill("2011")
    enterprise.get_by_label("Contact email").fill("sales@hosur-slicing.in")

    process = page.get_by_role("group", name="Processes you offer")
    labelled(process, "Process").select_option(str(world["process"].pk))
    process.get_by_label("Monthly capacity").fill("10000")
    process.get_by_label("Unit").select_option("pieces")
    process.get_by_label("Best tolerance").fill("3")
    process.get_by_role("group", name="Materials handled").get_by_label("NdFeB sintered").check()
    process.get_by_label("Years of experience").fill("9")

    certificate = page.get_by_role("group", name="Certificates")
    labelled(certificate, "Certificate").select_option(str(world["iso"].pk))
    certificate.get_by_label("Certificate number").fill("QMS-2291")
    certificate.get_by_label("Issued by").fill("TÜV SÜD South Asia")
    certificate.get_by_label("Valid until").fill(
        (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
    )
    certificate.get_by_label("Scan").set_input_files(
        {"name": "iso-9001.pdf", "mimeType": "application/pdf", "buffer": certificate_scan()}
    )
    expect(page.get_by_label("Delete")).to_have_count(0)  # a blank row has nothing to delete
    # From the certificate's last field, Tab reaches the save button and Enter submits.
    certificate.get_by_label("Scan").focus()
    page.keyboard.press("Tab")
    save = page.get_by_role("button", name="Save the profile")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Profile saved")
    expect(page.get_by_label("Udyam registration number")).to_have_value("UDYAM-TN-24-0012345")
    check_msme_page(page, "profile-saved")

    # The worker rematches the new supplier after the commit: matches reach the dashboard.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="dashboard").click()
    best = page.locator("section").filter(has=page.get_by_role("heading", name="Your best matches"))
    reload_until_visible(
        page,
        best.get_by_role("link", name=CERTIFIED_NEED),
        deadline_seconds=REMATCH_DEADLINE_SECONDS,
    )
    expect(best.get_by_role("link", name=OPEN_NEED)).to_be_visible()
    expect(best.get_by_role("link", name=NEAR_MISS_NEED)).to_have_count(0)
    unlocks = page.locator("section").filter(
        has=page.get_by_role("heading", name="What would unlock more needs")
    )
    expect(unlocks).to_contain_text("AS9100")
    check_msme_page(page, "dashboard")

    page.get_by_role("link", name=re.compile("matched opportunities", re.IGNORECASE)).click()
    expect(page.get_by_role("heading", name="Matched opportunities", level=1)).to_be_visible()
    for title in (CERTIFIED_NEED, OPEN_NEED, NEAR_MISS_NEED):
        expect(page.get_by_role("link", name=title)).to_be_visible()
    near_miss = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=NEAR_MISS_NEED)
    )
    expect(near_miss).to_contain_text("Near miss")
    check_msme_page(page, "matches")
    # The filters work from the keyboard too: matches only, then Tab to the button and Enter.
    near_misses = page.get_by_label("Near misses")
    near_misses.focus()
    near_misses.select_option("hide")
    filter_button = page.get_by_role("button", name="Filter")
    for _ in range(4):  # past any filter that follows (the distance), to the button
        page.keyboard.press("Tab")
        if filter_button.evaluate("button => button === document.activeElement"):
            break
    expect(filter_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=NEAR_MISS_NEED)).to_have_count(0)
    expect(page.get_by_role("link", name=OPEN_NEED)).to_be_visible()

    # Open the match the certificate earned, and express interest from the keyboard.
    page.get_by_role("link", name=CERTIFIED_NEED).click()
    expect(page.get_by_role("heading", name=CERTIFIED_NEED, level=1)).to_be_visible()
    expect(page.get_by_text("Suggested", exact=True)).to_be_visible()
    match_url = page.url
    check_msme_page(page, "match")
    page.get_by_label("A short note to the facility").fill(
        "We slice N52 blocks to ±3 µm on four wire-EDM machines; samples in a week."
    )
    page.keyboard.press("Tab")
    express = page.get_by_role("button", name="Express interest")
    expect(express).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("interested")
    expect(page.get_by_text("Interested", exact=True)).to_be_visible()
    expect(page.get_by_text("samples in a week")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw")).to_be_visible()
    check_msme_page(page, "match-interested")

    # The facility manager shortlists it in the admin (a desktop, JavaScript on).
    manager = browser.new_context(viewport=DESKTOP, locale="en-IN")
    admin = manager.new_page()
    admin.goto(f"{live_server.url}/admin/")
    admin.get_by_label("Username").fill(facility_manager["username"])
    admin.get_by_label("Password").fill(facility_manager["password"])
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_role("link", name="Matches", exact=True)).to_be_visible()
    expect(admin.get_by_role("link", name="Suppliers")).to_have_count(0)  # matches only
    admin.get_by_role("link", name="Matches", exact=True).click()
    admin.get_by_role("link", name="Interested", exact=True).click()
    row = admin.get_by_role("row").filter(has_text=CERTIFIED_NEED)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(admin.get_by_text("samples in a week")).to_be_visible()  # the MSME's note
    admin.get_by_label("Status").select_option("shortlisted")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_text("was changed successfully")).to_be_visible()
    manager.close()

    # The owner sees the answer on the match and on the dashboard.
    page.goto(match_url)
    expect(page.get_by_text("Shortlisted", exact=True)).to_be_visible()
    check_msme_page(page, "match-shortlisted")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="dashboard").click()
    answers = page.locator("section").filter(
        has=page.get_by_role("heading", name="Answers from facilities")
    )
    expect(answers.get_by_role("link", name=CERTIFIED_NEED)).to_be_visible()
    expect(answers).to_contain_text("Shortlisted")
    check_msme_page(page, "dashboard-shortlisted")

    # The same pages in Hindi: the language switch keeps the owner on the page.
    page.get_by_role("link", name="हिन्दी").click()
    expect(page).to_have_url(re.compile(r"/hi/me/$"))
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.get_by_role("heading", name="आपका डैशबोर्ड")).to_be_visible()
    answers = page.locator("section").filter(has=page.get_by_role("heading", name="कारखानों के जवाब"))
    expect(answers).to_contain_text("शॉर्टलिस्ट")
    check_msme_page(page, "dashboard-hi")

    page.goto(f"{live_server.url}/hi/me/matches/")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.get_by_role("heading", name="मिलते अवसर", level=1)).to_be_visible()
    expect(page.get_by_label("प्रक्रिया")).to_be_visible()
    expect(page.get_by_label("स्थिति")).to_be_visible()
    check_msme_page(page, "matches-hi")

    page.goto(match_url.replace(live_server.url, f"{live_server.url}/hi"))
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.get_by_role("heading", name="यह मिलान कहाँ है")).to_be_visible()
    expect(page.get_by_text("शॉर्टलिस्ट")).to_be_visible()
    expect(page.get_by_role("button", name="वापस लें")).to_be_visible()
    check_msme_page(page, "match-hi")

    page.goto(f"{live_server.url}/hi/me/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.get_by_role("heading", name="आपके उद्यम की प्रोफ़ाइल")).to_be_visible()
    expect(page.get_by_label("उद्यम का नाम")).to_have_value("Hosur Precision Slicing")
    expect(page.get_by_label("ज़िला")).to_be_visible()
    expect(page.get_by_role("button", name="प्रोफ़ाइल सहेजें")).to_be_visible()
    check_msme_page(page, "profile-hi")
    owner.close()
