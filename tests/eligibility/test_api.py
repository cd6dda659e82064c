"""POST /api/v1/eligibility/check/: the page's result as JSON, errors as 400, anonymous callers
throttled, documented in the OpenAPI schema; and one table of cases through the page and the API."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from eligibility.models import EligibilityCheck
from tests.eligibility.test_pages import BIDDER, ENTERPRISE, PLACE, WORK, outcomes, send

pytestmark = pytest.mark.usefixtures("reference")

URL = "/api/v1/eligibility/check/"
BODY: dict[str, Any] = {
    "udyam_registered": True,
    "investment_rupees": "2 crore",
    "turnover_rupees": 60_000_000,
    "district": "krishnagiri",
    "processes": ["cnc-turning"],
    "certifications": ["ZED_BRONZE"],
    "exports": False,
}


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def post(client: Client, body: dict[str, Any], **headers: str) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_it_answers_with_every_role_each_criterion_and_its_source(client: Client) -> None:
    response = post(client, BODY | {"bidding": True, "capacity_sought_mtpa": 600,
                                    "net_worth_crore": "200"})  # fmt: skip
    assert response.status_code == 200
    data = response.json()
    assert data["msme_category"]["code"] == "micro"
    assert data["msme_category"]["limits"][0] == {
        "category": "micro",
        "label": "Micro",
        "max_investment_rupees": 25_000_000,
        "max_turnover_rupees": 100_000_000,
    }
    roles = {role["role"]: role for role in data["roles"]}
    assert roles["supplier"]["outcome"] == "eligible" and roles["supplier"]["illustrative"]
    bidder = roles["bidder"]
    assert bidder["outcome"] == "eligible" and not bidder["illustrative"]
    net_worth = next(c for c in bidder["criteria"] if c["code"] == "net_worth")
    assert net_worth["outcome"] == "pass"
    assert net_worth["source"]["url"] == "https://egazette.gov.in/WriteReadData/2025/268535.pdf"
    assert data["bidder"] == {
        "largest_capacity_mtpa": 600,
        "next_capacity_mtpa": 700,
        "next_net_worth_crore": "245.00",
    }
    assert data["illustrative"] is True
    saved = EligibilityCheck.objects.get()
    assert saved.channel == "api"
    assert client.get(data["result_url"]).status_code == 200


def test_it_speaks_hindi_when_asked(client: Client) -> None:
    data = post(client, BODY, HTTP_ACCEPT_LANGUAGE="hi").json()
    supplier = next(role for role in data["roles"] if role["role"] == "supplier")
    assert supplier["outcome_label"] == "पात्र"
    assert supplier["criteria"][0]["label"] == "उद्यम पंजीकरण"
    assert "/hi/eligibility/result/" in data["result_url"]
    english = post(client, BODY).json()
    assert (
        next(r for r in english["roles"] if r["role"] == "supplier")["outcome_label"] == "Eligible"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"investment_rupees": "two crore"}, "investment_rupees", "Type the amount in figures"),
        ({"investment_rupees": -1}, "investment_rupees", "cannot be negative"),
        ({"turnover_rupees": 10**14}, "turnover_rupees", "more than ₹10,00,000 crore"),
        ({"udyam_registered": "maybe"}, "udyam_registered", "valid boolean"),
        ({"district": "atlantis"}, "district", "does not exist"),
        ({"processes": ["welding"]}, "processes", "does not exist"),
        ({"bidding": True}, "capacity_sought_mtpa", "Needed for the bidder role"),
        (
            {
                "bidding": True,
                "capacity_sought_mtpa": 600,
                "net_worth_crore": 200,
                "consortium": True,
            },
            "lead_equity_percent",
            "lead member",
        ),
        ({"capacity_sought_mtpa": 60000}, "capacity_sought_mtpa", "less than or equal to 6000"),
        ({"as_of": "yesterday"}, "as_of", "Date has wrong format"),
    ],
)
def test_bad_input_gets_400_with_field_errors_and_saves_nothing(
    client: Client, changes: dict, field: str, message: str
) -> None:
    response = post(client, BODY | changes)
    assert response.status_code == 400
    body = response.json()  # the API's one error shape (drf-standardized-errors)
    assert body["type"] == "validation_error"
    said = [e["detail"] for e in body["errors"] if e["attr"].split(".")[0] == field]
    assert message in " ".join(said)
    assert not EligibilityCheck.objects.exists()


def test_a_body_that_is_not_json_gets_400(client: Client) -> None:
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_an_earlier_date_uses_the_limits_and_rules_in_force_then(client: Client) -> None:
    data = post(client, BODY | {"as_of": "2025-03-31"}).json()
    assert data["as_of"] == "2025-03-31"
    assert data["msme_category"]["code"] == "small"
    assert data["roles"] == []  # no rules were in force before the scheme was approved


def test_anonymous_callers_are_throttled_with_retry_after(client: Client, settings) -> None:
    settings.ELIGIBILITY_API_ANON_RATE = "3/minute"
    assert [post(client, BODY).status_code for _ in range(3)] == [200, 200, 200]
    refused = post(client, BODY)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert EligibilityCheck.objects.count() == 3


def test_the_schema_documents_the_endpoint_with_its_answers_and_errors(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/eligibility/check/"]["post"]
    assert set(operation["responses"]) == {"200", "400", "406", "415", "429"}
    error = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorOutput"}
    assert operation["security"] == [{}]  # open to anonymous callers (throttled)
    components = schema["components"]["schemas"]
    assert {"CheckInput", "ResultOutput", "RoleOutput", "CriterionOutput"} <= set(components)
    assert "investment_rupees" in components["CheckInput"]["required"]


# --- One table of cases, through the page and through the API -----------------------------

CASES = [
    ("micro CNC shop with ZED", {}, {}),
    ("no quality certificate", {"certifications": []}, {"certifications": []}),
    ("testing lab without NABL", {"processes": ["flux-testing"]}, {"processes": ["flux-testing"]}),
    (
        "above the medium limits",
        {"investment_rupees": "200 crore"},
        {"investment_rupees": "200 crore"},
    ),
    (
        "not registered in Kolkata",
        {"udyam_registered": "no", "district": "kolkata"},
        {"udyam_registered": False, "district": "kolkata"},
    ),
    (
        "a bidder short of the slab",
        {"bidding": "on", "bidder": BIDDER | {"capacity_sought_mtpa": "900"}},
        {
            "bidding": True,
            "capacity_sought_mtpa": 900,
            "net_worth_crore": "200",
            "consortium": False,
        },
    ),
    (
        "a consortium whose lead holds 45 %",
        {"bidding": "on", "bidder": BIDDER | {"consortium": "yes", "lead_equity_percent": "45"}},
        {
            "bidding": True,
            "capacity_sought_mtpa": 600,
            "net_worth_crore": "200",
            "consortium": True,
            "lead_equity_percent": "45",
        },
    ),
]


def through_the_page(client: Client, changes: dict) -> dict[str, str]:
    changes = dict(changes)
    bidder = changes.pop("bidder", None)
    enterprise = {k: v for k, v in changes.items() if k in ENTERPRISE}
    place = {k: v for k, v in changes.items() if k in PLACE}
    work = {k: v for k, v in changes.items() if k in WORK or k == "bidding"}
    client.get("/eligibility/")
    send(client, "enterprise", ENTERPRISE | enterprise)
    send(client, "place", PLACE | place)
    send(client, "work", WORK | work)
    if bidder:
        send(client, "bidder", bidder)
    result = send(client, "confirm", {})
    assert result.status_code == 302, re.findall(
        r'field__error"[^>]*>([^<]+)', result.content.decode()
    )
    return outcomes(client.get(result["Location"]).content.decode())


@pytest.mark.parametrize(("case", "page_changes", "api_changes"), CASES)
def test_the_page_and_the_api_give_the_same_result(
    client: Client, case: str, page_changes: dict, api_changes: dict
) -> None:
    page = through_the_page(Client(), page_changes)
    api = post(client, BODY | api_changes).json()
    assert page == {role["role"]: role["outcome"] for role in api["roles"]}, case
    first, second = EligibilityCheck.objects.order_by("pk")
    assert first.answers == second.answers
    assert first.result["roles"] == second.result["roles"]
