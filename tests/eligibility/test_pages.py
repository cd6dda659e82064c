"""/eligibility/: the questionnaire step by step, its errors, the result, what-if and sharing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eligibility.models import EligibilityCheck
from eligibility.selectors import RESULT_SALT, result_token
from eligibility.services import check_save
from eligibility.views import CARRIED_CHECK_KEY
from tests.eligibility.conftest import answers

pytestmark = pytest.mark.usefixtures("reference")

STEP_KEY = "self_check_wizard-current_step"
ENTERPRISE = {
    "udyam_registered": "yes",
    "investment_rupees": "2 crore",
    "turnover_rupees": "6 crore",
}
PLACE = {"district": "krishnagiri"}
WORK = {"processes": ["cnc-turning"], "certifications": ["ZED_BRONZE"], "exports": "no"}
BIDDER = {"capacity_sought_mtpa": "600", "net_worth_crore": "200", "consortium": "no"}


def send(client: Client, step: str, data: dict[str, Any], prefix: str = "") -> Any:
    payload = {STEP_KEY: step, **{f"{step}-{name}": value for name, value in data.items()}}
    return client.post(f"{prefix}/eligibility/", payload)


def complete(client: Client, *, work: dict | None = None, bidder: dict | None = None) -> Any:
    """Answer every step; returns the response to the last ("see my result")."""
    client.get("/eligibility/")
    send(client, "enterprise", ENTERPRISE)
    send(client, "place", PLACE)
    send(client, "work", work or WORK)
    if bidder is not None:
        send(client, "bidder", bidder)
    return send(client, "confirm", {})


def outcomes(html: str) -> dict[str, str]:
    """Each role's outcome on a result page, by role."""
    found = re.findall(r'<article class="role role--(\w+)" aria-labelledby="role-(\w+)"', html)
    return {role: outcome for outcome, role in found}


def test_the_questionnaire_leads_to_a_saved_explained_result(client: Client) -> None:
    client.get("/eligibility/")
    send(client, "enterprise", ENTERPRISE)
    send(client, "place", PLACE)
    review = send(client, "work", WORK).content.decode()
    assert "Check your answers" in review
    assert "₹2,00,00,000" in review and "Krishnagiri, Tamil Nadu" in review
    response = send(client, "confirm", {})
    assert response.status_code == 302
    saved = EligibilityCheck.objects.get()
    assert saved.answers["investment_rupees"] == 20_000_000
    page = client.get(response["Location"]).content.decode()
    by_role = outcomes(page)
    assert by_role["supplier"] == "eligible"
    assert by_role["recycling_partner"] == "not_eligible"
    assert by_role["bidder"] == "not_assessed"
    assert "Micro enterprise" in page and "S.O. 1364(E)" in page
    assert "Illustrative guidance" in page
    # Sources: each cited once in the section's list, however many criteria cite it.
    assert page.count("https://egazette.gov.in/WriteReadData/2025/268535.pdf") == 1
    assert page.count('id="roles-source-1"') == 1


def test_the_bidder_step_appears_only_for_would_be_bidders(client: Client) -> None:
    client.get("/eligibility/")
    send(client, "enterprise", ENTERPRISE)
    send(client, "place", PLACE)
    step = send(client, "work", WORK | {"bidding": "on"}).content.decode()
    assert "Capacity you would bid for" in step
    missing = send(
        client,
        "bidder",
        {"consortium": "yes", "capacity_sought_mtpa": "600", "net_worth_crore": "200"},
    ).content.decode()
    assert "Enter the lead member&#x27;s share" in missing
    send(client, "bidder", BIDDER)
    response = send(client, "confirm", {})
    page = client.get(response["Location"]).content.decode()
    assert outcomes(page)["bidder"] == "eligible"
    assert "Your net worth allows a bid of up to 600 MTPA" in page
    assert "https://egazette.gov.in/WriteReadData/2025/268535.pdf" in page


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("investment_rupees", "two crore", "Type the amount in figures"),
        ("investment_rupees", "दो करोड़", "Type the amount in figures"),
        ("investment_rupees", "-5 lakh", "cannot be negative"),
        ("investment_rupees", "abc", "Type the amount in figures"),
        ("turnover_rupees", "99999999999999", "more than ₹10,00,000 crore"),
        ("turnover_rupees", "", "This field is required"),
    ],
)
def test_bad_amounts_get_a_clear_error_on_their_field(
    client: Client, field: str, typed: str, message: str
) -> None:
    client.get("/eligibility/")
    page = send(client, "enterprise", ENTERPRISE | {field: typed}).content.decode()
    assert f'id="id_enterprise-{field}_error"' in page
    assert message in page.replace("&#x27;", "'")


@pytest.mark.parametrize(
    ("typed", "rupees"),
    [
        ("2.5 crore", 25_000_000),
        ("25 lakh", 2_500_000),
        ("₹2,50,00,000", 25_000_000),
        ("Rs. 1,00,000", 100_000),
        ("१० लाख", 1_000_000),
    ],
)
def test_amounts_are_read_as_people_type_them(client: Client, typed: str, rupees: int) -> None:
    client.get("/eligibility/")
    send(client, "enterprise", ENTERPRISE | {"investment_rupees": typed})
    send(client, "place", PLACE)
    send(client, "work", WORK)
    send(client, "confirm", {})
    assert EligibilityCheck.objects.get().answers["investment_rupees"] == rupees


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"capacity_sought_mtpa": "-600"}, "capacity_sought_mtpa", "greater than or equal to 1"),
        ({"capacity_sought_mtpa": "60000"}, "capacity_sought_mtpa", "less than or equal to 6000"),
        ({"capacity_sought_mtpa": "six hundred"}, "capacity_sought_mtpa", "Enter a whole number"),
        ({"net_worth_crore": "-1"}, "net_worth_crore", "greater than or equal to 0"),
        ({"consortium": "yes", "lead_equity_percent": "151"}, "lead_equity_percent", "100"),
    ],
)
def test_bad_bidder_answers_get_field_errors(
    client: Client, data: dict, field: str, message: str
) -> None:
    client.get("/eligibility/")
    send(client, "enterprise", ENTERPRISE)
    send(client, "place", PLACE)
    send(client, "work", WORK | {"bidding": "on"})
    page = send(client, "bidder", BIDDER | data).content.decode()
    assert f'id="id_bidder-{field}_error"' in page
    assert message in page


def test_check_your_answers_can_go_back_to_a_step(client: Client) -> None:
    client.get("/eligibility/")
    send(client, "enterprise", ENTERPRISE)
    send(client, "place", PLACE)
    send(client, "work", WORK)
    page = client.post("/eligibility/", {STEP_KEY: "confirm", "wizard_goto_step": "place"})
    assert 'name="place-district"' in page.content.decode()
    send(client, "place", {"district": "rajkot"})
    send(client, "work", WORK)
    send(client, "confirm", {})
    assert EligibilityCheck.objects.get().answers["district"] == "rajkot"


def test_what_if_shows_what_one_changed_answer_changes_without_saving(client: Client) -> None:
    saved, _result = check_save(answers=answers(certifications=[]))
    url = reverse("eligibility:result", args=[result_token(saved)])
    form = {
        "udyam_registered": "yes", "investment_rupees": "2 crore", "turnover_rupees": "6 crore",
        "district": "krishnagiri", "processes": "cnc-turning", "certifications": "ZED_BRONZE",
        "exports": "no",
    }  # fmt: skip
    page = client.get(url, form).content.decode()
    assert "With your changes" in page
    assert re.search(r"Certified supplier to a facility: Not yet → <strong>Eligible</strong>", page)
    assert EligibilityCheck.objects.count() == 1
    # An earlier date: the 2020 limits make the same figures a small enterprise.
    page = client.get(url, form | {"as_of": "2025-03-31"}).content.decode()
    assert "MSME category: Micro → Small" in page


def test_what_if_with_a_bad_answer_shows_the_error_and_no_changes(client: Client) -> None:
    saved, _result = check_save(answers=answers())
    url = reverse("eligibility:result", args=[result_token(saved)])
    page = client.get(
        url, {"investment_rupees": "lots", "district": "krishnagiri"}
    ).content.decode()
    assert "Type the amount in figures" in page
    assert "With your changes" not in page


def test_a_result_link_names_the_check_and_nothing_else(client: Client) -> None:
    saved, _result = check_save(answers=answers())
    token = result_token(saved)
    assert signing.loads(token, salt=RESULT_SALT) == saved.pk  # an id, nothing about the firm
    assert "krishnagiri" not in token and "20000000" not in token
    assert client.get(reverse("eligibility:result", args=[token])).status_code == 200
    assert client.get(reverse("eligibility:result", args=[token + "x"])).status_code == 404
    forged = signing.dumps(saved.pk + 1, salt="another-salt")
    assert client.get(reverse("eligibility:result", args=[forged])).status_code == 404


def test_an_expired_link_says_so(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    saved, _result = check_save(answers=answers())
    token = result_token(saved)
    monkeypatch.setattr("eligibility.selectors.RESULT_LINK_DAYS", -1)
    response = client.get(reverse("eligibility:result", args=[token]))
    assert response.status_code == 410
    assert "This result link has expired" in response.content.decode()


def test_the_result_reads_in_hindi(client: Client) -> None:
    saved, _result = check_save(answers=answers())
    page = client.get(f"/hi{reverse('eligibility:result', args=[result_token(saved)])}")
    html = page.content.decode()
    assert '<html lang="hi">' in html
    assert "आपकी पात्रता" in html  # "Your eligibility"
    assert "उद्यम पंजीकरण" in html  # the Udyam criterion's Hindi label
    assert "पात्र" in html


def test_creating_an_account_carries_the_answers_over(client: Client) -> None:
    saved, _result = check_save(answers=answers())
    response = client.post(reverse("eligibility:carry", args=[result_token(saved)]))
    assert response["Location"] == reverse("accounts:signup")
    assert client.session[CARRIED_CHECK_KEY] == saved.pk


def test_a_result_is_saved_with_the_date_whose_rules_it_used(client: Client) -> None:
    complete(client)
    saved = EligibilityCheck.objects.get()
    assert saved.as_of == timezone.localdate()
    assert saved.result["on"] == saved.as_of.isoformat()


def test_the_result_page_costs_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    saved, _result = check_save(
        answers=answers(
            processes=["cnc-turning", "flux-testing", "zinc-plating", "swarf-recovery"],
            certifications=["ISO_9001", "NABL", "SPCB_CONSENT", "ZED_GOLD"],
            bidding=True,
            capacity_sought_mtpa=600,
            net_worth_crore="200",
        )
    )
    url = reverse("eligibility:result", args=[result_token(saved)])
    # session, check, rule sets + criteria (2), answers in words (5), the place (1), the needs
    # open today (the MSME limits, district and processes, the needs and their certificates,
    # the scoring profile), the what-if form's choices (district, processes, certificates,
    # sectors).
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200
