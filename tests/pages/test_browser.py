"""The public pages in a real headless Chromium, at a phone's size and a desktop's."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest

from clusters.models import Cluster, ClusterAsset
from schemes.models import Facility, Milestone
from tests.factories import (
    CapabilityCategoryFactory,
    CertificationTypeFactory,
    ClusterAssetFactory,
    ClusterFactory,
    DistrictFactory,
    FacilityFactory,
    MilestoneFactory,
    NeedFactory,
    ProcessFactory,
    SchemeFactory,
    SchemeFigureSourceFactory,
    SourceFactory,
    StateFactory,
    ValueChainStageFactory,
)
from tests.pages.conftest import NO_HORIZONTAL_SCROLL, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def reference_data() -> dict[str, object]:
    """A scheme, two clusters and two facilities, one with open needs, as seed_reference ships."""
    scheme = SchemeFactory(total_outlay_usd_million=816, notification_reference="S.O. 5800(E)")
    scheme.notified_on = datetime.date(2025, 12, 15)
    scheme.save()
    cabinet = SourceFactory(
        key="cabinet-2025-11-26",
        title="Cabinet approves Scheme to Promote Manufacturing of Sintered REPM (PIB)",
        url="https://pib.gov.in/",
    )
    SchemeFigureSourceFactory(
        scheme=scheme,
        source=cabinet,
        fields="total_outlay_crore, total_outlay_usd_million, sales_incentive_crore, "
        "sales_incentive_years, capital_subsidy_crore, target_capacity_mtpa, beneficiaries, "
        "max_allocation_mtpa, gestation_years, incentive_years, value_chain",
    )
    for order, (kind, date) in enumerate(
        [
            (Milestone.Kind.APPROVAL, datetime.date(2025, 11, 26)),
            (Milestone.Kind.NOTIFICATION, datetime.date(2025, 12, 15)),
            (Milestone.Kind.RFP_ISSUED, datetime.date(2026, 3, 20)),
            (Milestone.Kind.BID_DUE, datetime.date(2026, 6, 29)),
            (Milestone.Kind.AWARD, None),
        ],
        start=1,
    ):
        MilestoneFactory(scheme=scheme, kind=kind, order=order, date=date, source=cabinet)

    tamil_nadu = StateFactory()
    hosur = ClusterFactory(
        name="Hosur–Krishnagiri REPM Cluster",
        state=tamil_nadu,
        centre_latitude=12.7409,
        centre_longitude=77.8253,
        summary="Auto-component and electronics base with precision machining suppliers.",
        source_title="Public commentary on candidate REPM clusters",
        source_url="https://example.in/repm-clusters",
    )
    hosur.districts.add(
        DistrictFactory(
            state=tamil_nadu,
            code="24",
            name="Krishnagiri",
            headquarters="Krishnagiri",
            geonameid=1234567,
        )
    )
    ClusterAssetFactory(
        cluster=hosur,
        kind=ClusterAsset.Kind.TESTING_LAB,
        name="Hosur magnetic testing lab",
        capacity="2,000 tests a month",
    )
    ClusterFactory(
        name="Tamil Nadu Rare Earth Corridor",
        kind=Cluster.Kind.RARE_EARTH_CORRIDOR,
        state=tamil_nadu,
        status=Cluster.Status.NOTIFIED,
        source_title="Union Budget 2026-27 speech",
        source_url="https://www.indiabudget.gov.in/",
    )

    facility = FacilityFactory(scheme=scheme, number=1, cluster=hosur)
    FacilityFactory(scheme=scheme, number=2, cluster=hosur)
    for order, (slug, name) in enumerate(
        [
            ("oxide", "Rare-earth oxide"),
            ("metal", "Rare-earth metal"),
            ("alloy", "Magnet alloy"),
            ("magnet", "Finished sintered magnet"),
        ],
        start=1,
    ):
        facility.stages.add(ValueChainStageFactory(slug=slug, name=name, order=order))
    wire_edm = ProcessFactory(
        slug="wire-edm", name="Wire EDM", category=CapabilityCategoryFactory()
    )
    NeedFactory(
        facility=facility,
        title="Wire-EDM slicing of sintered N52 blocks into 2 mm wafers",
        process=wire_edm,
        quantity=Decimal("50000"),
        min_monthly_capacity=Decimal("8000"),
        max_tolerance_um=Decimal("5"),
        radius_km=150,
        preferred_category="small",
        required_certifications=[
            CertificationTypeFactory(code="ISO_9001"),
            CertificationTypeFactory(code="IATF_16949", name="IATF 16949 automotive quality"),
        ],
        due_date=datetime.date(2026, 9, 30),
    )
    return {"facility": facility, "cluster": hosur}


def _new_page(browser: object, viewport: dict[str, int]) -> object:
    context = browser.new_context(viewport=viewport, locale="en-IN")
    return context.new_page()


def _check_fits_and_capture(page: object, name: str) -> None:
    assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{page.url} scrolls sideways ({name})"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_a_phone_user_finds_a_facility_need_and_reads_it_in_hindi(
    live_server, browser, reference_data: dict[str, object]
) -> None:
    from playwright.sync_api import expect

    page = _new_page(browser, PHONE)
    page.goto(f"{live_server.url}/")

    expect(page.get_by_text("₹7,280 crore (≈ US$816 million)")).to_be_visible()
    _check_fits_and_capture(page, "home-phone")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Facilities").click()
    expect(page).to_have_url(re.compile(r"/facilities/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrated REPM facilities")
    _check_fits_and_capture(page, "facilities-phone")

    page.get_by_role("link", name="Integrated REPM Facility 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrated REPM Facility 1")
    expect(page.get_by_text("Wire-EDM slicing of sintered N52 blocks")).to_be_visible()
    expect(page.get_by_text("provisional — cluster centre")).to_be_visible()
    _check_fits_and_capture(page, "facility-phone")

    page.get_by_role("link", name="हिन्दी").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page).to_have_url(re.compile(r"/hi/facilities/integrated-repm-facility-1/$"))
    expect(page.get_by_role("heading", name="खुली आवश्यकताएँ")).to_be_visible()
    # The Hindi nav marks the section this page is in (a facility, under "facilities").
    expect(
        page.get_by_role("navigation", name="मुख्य").get_by_role("link", name="सुविधाएँ")
    ).to_have_attribute("aria-current", "true")
    _check_fits_and_capture(page, "facility-phone-hi")
    page.context.close()


def test_the_skip_link_is_the_first_tab_stop_and_shows_when_focused(
    live_server, browser, reference_data: dict[str, object]
) -> None:
    from playwright.sync_api import expect

    page = _new_page(browser, PHONE)
    page.goto(f"{live_server.url}/clusters/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.context.close()


@pytest.mark.parametrize(("viewport", "size"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_every_page_fits_the_screen_without_sideways_scrolling(
    live_server, browser, reference_data: dict[str, object], viewport: dict[str, int], size: str
) -> None:
    facility: Facility = reference_data["facility"]
    cluster: Cluster = reference_data["cluster"]
    page = _new_page(browser, viewport)
    pages = {
        "home": "/",
        "facilities": "/facilities/",
        "facility": facility.get_absolute_url(),
        "clusters": "/clusters/",
        "cluster": cluster.get_absolute_url(),
        "not-found": "/facilities/no-such-facility/",
        "home-hi": "/hi/",
    }
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == (404 if name == "not-found" else 200), path
        _check_fits_and_capture(page, f"{name}-{size}")
    page.context.close()
