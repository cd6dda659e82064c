"""The self-check in a real headless Chromium at a phone's width: answer, check the answers, see
the explained result, try a what-if, read it in Hindi and print it on at most two A4 pages."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.pages.conftest import NO_HORIZONTAL_SCROLL, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def reference() -> None:
    call_command("seed_reference", stdout=StringIO())


def fits(page: object, name: str) -> None:
    assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{page.url} scrolls sideways ({name})"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_an_msme_owner_checks_eligibility_on_a_phone_without_javascript(
    live_server,
    browser,
    reference,
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale="en-IN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Check my eligibility").click()

    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    page.get_by_role("group", name="Is the enterprise registered on Udyam?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Investment in plant and machinery or equipment").fill("two crore")
    page.get_by_label("Annual turnover").fill("6 crore")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Type the amount in figures")).to_be_visible()
    fits(page, "eligibility-error-phone")
    page.get_by_label("Investment in plant and machinery or equipment").fill("2 crore")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("District").select_option(label="Krishnagiri")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("CNC turning").check()
    page.get_by_label("ZED Bronze", exact=False).check()
    page.get_by_role("group", name="Do you export?").get_by_label("No").check()
    page.get_by_label("Also check whether we could bid").check()
    fits(page, "eligibility-work-phone")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Capacity you would bid for (MTPA)").fill("700")
    page.get_by_label("Net worth (₹ crore)").fill("200")
    page.get_by_role("group", name="Would you bid as a consortium?").get_by_label("No").check()
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("₹2,00,00,000 (₹2 crore)")).to_be_visible()
    fits(page, "eligibility-review-phone")
    page.get_by_role("button", name="See my result").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your eligibility")
    supplier = page.get_by_role("article", name="Certified supplier to a facility")
    expect(supplier.locator(".outcome")).to_have_text("Eligible")
    bidder = page.get_by_role("article", name="Bidder for an integrated facility")
    expect(bidder.locator(".outcome")).to_have_text("Not eligible")
    expect(bidder.get_by_text("Your net worth allows a bid of up to 600 MTPA.")).to_be_visible()
    expect(page.get_by_text("Illustrative guidance")).to_be_visible()
    fits(page, "eligibility-result-phone")

    # What if the bid were 600 MTPA? Works as a plain GET form, no JavaScript.
    page.get_by_text("Change an answer and see what changes").click()
    page.get_by_label("Capacity you would bid for (MTPA)").fill("600")
    page.get_by_role("button", name="Show what changes").click()
    expect(page.get_by_role("status").filter(has_text="With your changes")).to_contain_text(
        "Bidder for an integrated facility: Not eligible → Eligible"
    )

    page.get_by_role("link", name="हिन्दी").click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    expect(page.get_by_role("heading", level=1)).to_have_text("आपकी पात्रता")
    expect(page.get_by_text("उद्यम पंजीकरण").first).to_be_visible()
    fits(page, "eligibility-result-phone-hi")
    context.close()


def test_a_result_prints_on_at_most_two_a4_pages(
    live_server,
    browser,
    reference,
) -> None:
    context = browser.new_context(locale="en-IN")
    page = context.new_page()
    page.goto(f"{live_server.url}/eligibility/")
    # Answer through the page, as a person would, then print the result.
    page.get_by_label("Yes").first.check()
    page.get_by_label("Investment in plant and machinery or equipment").fill("2 crore")
    page.get_by_label("Annual turnover").fill("6 crore")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("District").select_option(label="Krishnagiri")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("CNC turning").check()
    page.get_by_label("No").last.check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="See my result").click()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "eligibility-result.pdf").write_bytes(pdf)
    assert 1 <= pages <= 2, f"the result prints on {pages} A4 pages"
    context.close()
