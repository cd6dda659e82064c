"""An MSME owner accepts its place in a team in a real browser at a phone's 360 px, with
JavaScript off (nothing on the owner's pages may need it)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from consortia.models import Consortium, ConsortiumMember
from consortia.services import propose_for_needs
from tests.factories import UserFactory
from tests.pages.conftest import NO_HORIZONTAL_SCROLL, SCREENSHOTS
from tests.pages.conftest import browser as browser  # the Chromium fixture
from vendors.models import Supplier

from .conftest import big_need, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def owner_and_team() -> tuple[object, Consortium]:
    from matching.services import rematch_need

    need = big_need()
    owner = UserFactory(username="lead@hosur.in")
    shop(40000, owner=owner, name="Hosur Precision Turning")
    shop(30000, km_north=20)
    shop(25000, km_east=30)
    rematch_need(need_id=need.pk)
    propose_for_needs([need.pk])
    lead_supplier = Supplier.objects.get(owner=owner)
    team = Consortium.objects.filter(need=need, members__supplier=lead_supplier).order_by("rank")
    return owner, team.first()


def test_an_owner_accepts_its_place_on_a_phone(live_server, browser, owner_and_team) -> None:
    from playwright.sync_api import expect

    owner, team = owner_and_team
    client = Client()
    client.force_login(owner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport=PHONE, locale="en-IN", java_script_enabled=False)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()

    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="See the teams and answer").click()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the teams list scrolls sideways at 360 px"
    page.get_by_role("link", name=team.need.title).click()
    expect(page.get_by_text("km of Hosur").first).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the team's page scrolls sideways at 360 px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "consortium-detail.png", full_page=True)

    page.get_by_role("button", name="Accept my place").click()
    expect(page.get_by_text("You accepted your place")).to_be_visible()
    expect(page.get_by_role("button", name="Accept my place")).to_have_count(0)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.screenshot(path=SCREENSHOTS / "consortium-accepted.png", full_page=True)
    lead = team.members.get(supplier__owner=owner)
    assert lead.response == ConsortiumMember.Response.ACCEPTED
    context.close()
