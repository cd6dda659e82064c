"""The self-check in a real headless Chromium at a phone's width: answer, check the answers, see
the explained result, try a what-if, read it in Hindi and print it on at most two A4 pages."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from eligibility.facts import Answers
from eligibility.selectors import result_token
from eligibility.services import check_save
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


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("bidding", [False, True], ids=["msme", "bidder"])
def test_a_result_prints_on_at_most_two_a4_pages(
    live_server, browser, reference, language: str, bidding: bool
) -> None:
    answers = answers_for_print(bidding)
    saved, _result = check_save(answers=answers)
    prefix = "/hi" if language == "hi" else ""
    context = browser.new_context(locale="hi-IN" if language == "hi" else "en-IN")
    page = context.new_page()
    page.goto(
        f"{live_server.url}{prefix}{reverse('eligibility:result', args=[result_token(saved)])}"
    )
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = f"eligibility-result-{language}-{'bidder' if bidding else 'msme'}.pdf"
    (SCREENSHOTS / name).write_bytes(pdf)
    assert 1 <= pages <= 2, f"the result prints on {pages} A4 pages ({name})"
    context.close()


def answers_for_print(bidding: bool) -> Answers:
    """A testing lab that also machines: every MSME role has something to say."""
    data = {
        "udyam_registered": True,
        "investment_rupees": 20_000_000,
        "turnover_rupees": 60_000_000,
        "district": "krishnagiri",
        "processes": ["cnc-turning", "flux-testing"],
        "certifications": ["ISO_9001"],
        "exports": False,
    }
    if bidding:
        data |= {"bidding": True, "capacity_sought_mtpa": 800, "net_worth_crore": "200"}
    return Answers.from_json(data)
