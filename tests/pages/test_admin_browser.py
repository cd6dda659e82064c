"""The admin's main pages in a real headless Chromium, at a desktop's width and a phone's
(360 px): each loads for a scheme administrator (no superuser), breaks no rule of the
Content-Security-Policy, keeps units in their case, and (at 360 px) never scrolls sideways;
screenshots land in var/screenshots/admin-*.png."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from matching.models import Match, MatchRun, MatchRunChunk, ScoringProfile
from seeding.roles import FACILITY_MANAGER, SCHEME_ADMINISTRATOR
from tests import factories as f
from tests.pages.conftest import NO_HORIZONTAL_SCROLL, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}


@pytest.fixture
def admin_world() -> dict[str, Any]:
    """A little of everything the admin shows: a facility with needs, a supplier with a
    capability in µm, certificates expired and expiring, matches, runs and a scoring profile."""
    today = timezone.localdate()
    facility = f.FacilityFactory(number=1)
    process = f.ProcessFactory()
    need = f.NeedFactory(
        facility=facility,
        process=process,
        title="Wire EDM of NdFeB segments",
        quantity=Decimal("1200000"),
        max_tolerance_um=Decimal("5"),
        due_date=datetime.date(2026, 12, 15),
    )
    f.NeedFactory(facility=facility, process=process, title="Slicing of arc segments")
    supplier = f.SupplierFactory(
        name="Hosur Precision Turning", investment_rupees=25_000_000, turnover_rupees=7_500_000
    )
    f.SupplierCapabilityFactory(
        supplier=supplier, process=process, best_tolerance_um=Decimal("2.5")
    )
    f.CertificationFactory(supplier=supplier, valid_until=today - datetime.timedelta(days=10))
    f.CertificationFactory(
        supplier=supplier,
        certification_type=f.CertificationTypeFactory(code="NABL", name="NABL accreditation"),
        valid_until=today + datetime.timedelta(days=20),
    )
    coarse = f.SupplierFactory(name="Krishnagiri Wire Cutters")
    f.SupplierCapabilityFactory(supplier=coarse, process=process, best_tolerance_um=Decimal("8"))
    # The matcher wrote their match and near miss as each capability was saved (in-process).
    match = Match.objects.get(need=need, supplier=supplier)
    assert Match.objects.get(need=need, supplier=coarse).near_miss_rule == "tolerance"
    run = f.MatchRunFactory(status=MatchRun.Status.RUNNING, chunks_total=8, chunks_done=3)
    MatchRunChunk.objects.create(run=run, index=0, need_ids=[need.pk])
    profile, _created = ScoringProfile.objects.get_or_create(is_active=True)
    for username, group in (("scheme-admin", SCHEME_ADMINISTRATOR), ("manager", FACILITY_MANAGER)):
        user = f.UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    facility.managers.add(user)
    return {
        "facility": facility,
        "need": need,
        "supplier": supplier,
        "match": match,
        "run": run,
        "profile": profile,
    }


def pages(world: dict[str, Any]) -> dict[str, str]:
    def change(name: str, obj: Any) -> str:
        return reverse(f"admin:{obj._meta.app_label}_{name}_change", args=[obj.pk])

    return {
        "index": reverse("admin:index"),
        "suppliers": reverse("admin:vendors_supplier_changelist"),
        "supplier": change("supplier", world["supplier"]),
        "certificates": reverse("admin:vendors_certification_changelist"),
        "needs": reverse("admin:schemes_need_changelist"),
        "need": change("need", world["need"]),
        "facility": change("facility", world["facility"]),
        "matches": reverse("admin:matching_match_changelist"),
        "match": change("match", world["match"]),
        "runs": reverse("admin:matching_matchrun_changelist"),
        "run": change("matchrun", world["run"]),
        "scoring": change("scoringprofile", world["profile"]),
        "history": reverse("admin:vendors_supplier_history", args=[world["supplier"].pk]),
    }


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def signed_in(request: pytest.FixtureRequest, live_server: Any, browser: Any) -> Iterator[Any]:
    """A scheme administrator's browser at one width, logged in through the login page."""
    context = browser.new_context(viewport=WIDTHS[request.param], locale="en-IN")
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),  # type: ignore[attr-defined]
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("scheme-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.width_name = request.param  # type: ignore[attr-defined]
    yield page
    context.close()


def test_the_admins_main_pages_load_and_fit_the_screen(
    admin_world: dict[str, Any], signed_in: Any, live_server: Any
) -> None:
    page = signed_in
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for name, path in pages(admin_world).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{name}: {response.status}"
        assert page.title().endswith("REPM Connect admin"), name
        page.screenshot(
            path=str(SCREENSHOTS / f"admin-{name}-{page.width_name}.png"), full_page=True
        )
        if page.width_name == "phone" and not page.evaluate(NO_HORIZONTAL_SCROLL):
            too_wide.append(name)
    assert too_wide == [], f"these pages scroll sideways at 360 px: {too_wide}"
    assert page.csp_violations == []


def test_units_keep_their_case_and_figures_read_the_indian_way(
    admin_world: dict[str, Any], signed_in: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    page = signed_in
    page.goto(f"{live_server.url}{pages(admin_world)['supplier']}")

    header = page.locator("#capabilities-group th.column-best_tolerance_um")
    expect(header).to_have_text("Best tolerance (µm)")
    assert header.evaluate("th => getComputedStyle(th).textTransform") == "none"
    assert "(µm)" in header.inner_text()  # as drawn: not "(ΜM)"
    expect(page.locator("#id_investment_rupees")).to_have_value("2,50,00,000")
    expect(page.get_by_text("₹2.5 crore")).to_be_visible()
    expect(page.locator(".validity-expired").first).to_be_visible()

    page.goto(f"{live_server.url}{pages(admin_world)['needs']}")
    expect(page.get_by_text("12,00,000 pieces")).to_be_visible()
    expect(page.get_by_text("15 Dec 2026")).to_be_visible()


def test_a_facility_manager_sees_their_facilitys_pages_only(
    admin_world: dict[str, Any], live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=WIDTHS["phone"], locale="en-IN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("link", name="Needs", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Suppliers", exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}{pages(admin_world)['need']}")
    expect(page.locator("#matches")).to_contain_text("Hosur Precision Turning")
    expect(page.locator("#matches")).to_contain_text("tolerance 8 µm, need ≤ 5 µm")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    other = f.NeedFactory(title="Another facility's need")
    response = page.goto(
        f"{live_server.url}{reverse('admin:schemes_need_change', args=[other.pk])}"
    )
    assert response.status == 404
    context.close()
