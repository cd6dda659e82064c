"""/insights/ in a real headless Chromium at a desktop's width (1280) and a phone's (360)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from insights import services
from tests.factories import UserFactory
from tests.insights.conftest import FEW, Country, build_country
from tests.pages.conftest import NO_HORIZONTAL_SCROLL, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def country(settings) -> Country:
    settings.INSIGHTS_FEW_MATCHES = FEW
    return build_country()


@pytest.fixture
def staff_session(live_server) -> dict:
    """An administrator's session cookie for the browser (logged in through Django's client)."""
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


@pytest.mark.parametrize("width", [1280, 360])
def test_the_insights_pages_render_and_fit_the_screen(
    live_server,
    browser,
    country,
    staff_session: dict,
    width: int,
) -> None:
    from playwright.sync_api import expect

    services.snapshot_refresh(force=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-IN")
    context.add_cookies([staff_session])
    page = context.new_page()
    refused = []  # anything the Content-Security-Policy blocked
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )
    cluster, facility = country.clusters[0], country.facilities[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path, name in [
        ("/insights/", "overview"),
        ("/hi/insights/", "overview-hi"),
        ("/insights/supply/", "supply"),
        (f"/insights/clusters/{cluster.slug}/", "cluster"),
        (f"/insights/facilities/{facility.slug}/", "facility"),
        (f"/clusters/{cluster.slug}/", "public-cluster"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{path} scrolls sideways at {width}px"
        page.screenshot(path=SCREENSHOTS / f"insights-{name}-{width}.png", full_page=True)
        if name != "supply":
            chart = page.locator("svg.chart__svg").first
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert 0 < box["width"] <= width
            # The chart's text stays readable: 12 units of a 360-unit chart, shown at least
            # ~0.8x on a phone and at most 30rem (480px) wide on a desktop.
            label = page.locator("svg.chart__svg text.chart__label").first
            size = label.evaluate("t => t.getBoundingClientRect().height")
            assert 9 <= size <= 22, (path, size)
    # The gaps are highlighted and say so in words.
    page.goto(f"{live_server.url}/insights/")
    expect(page.locator("tr.row--gap").first).to_be_visible()
    expect(page.locator(".flag--gap").first).to_contain_text("unmatched")
    # CSV downloads from the page.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download CSV\W+India, by process$")).click()
    assert download.value.suggested_filename.startswith("insights-india-processes-")
    assert not refused, refused
    context.close()
