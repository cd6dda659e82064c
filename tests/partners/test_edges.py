"""Odd requests at the API's edges, each answered with the status the schema documents and the
one error body, never a 500: NUL bytes, oversized ids, unknown paths, wrong content types and
Accept headers, empty and over-nested input, what DRF's lenient fields would have read."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from partners.models import ApiKey
from partners.services import api_key_create, api_key_revoke
from tests.eligibility.conftest import reference  # noqa: F401 (the shipped rules, a fixture)

from .conftest import World, auth

pytestmark = pytest.mark.django_db


def error_shape(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert body["type"] in {"validation_error", "client_error"}
    assert all({"code", "detail", "attr"} <= set(error) for error in body["errors"])
    return body


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/matches/%00/", 404),
        ("/api/v1/matches/99999999999999999999999/", 404),
        ("/api/v1/matches/9223372036854775808/", 404),  # one past the largest id
        ("/api/v1/needs/-1/", 404),
        ("/api/v1/no-such-list/", 404),
        ("/api/v1/matches/?facility=a%00b", 400),
        ("/api/v1/matches/?%00=1", 400),
        ("/api/v1/matches/?facility=", 400),  # empty: never "every facility"
        ("/api/v1/matches/?updated_since=", 400),
        ("/api/v1/matches/?need=1.0", 400),
        ("/api/v1/matches/?need=%2B1", 400),
        ("/api/v1/matches/?page_size=%C2%B2", 400),  # a superscript two is a digit to Python
        ("/api/v1/matches/?cursor=eyJr+IjoiaWQiLCJpIjoxfQ", 400),  # base64 would skip the '+'
        ("/api/v1/matches/?updated_since=2026-12-06T10:30:00", 400),  # no offset
        ("/api/v1/matches/?updated_since=2026-W49-7", 400),
        # Before year 1 in UTC: no overflow; a sync from before the tombstones kept is a 400.
        ("/api/v1/matches/?updated_since=0001-01-01T00:00:00%2B23:59", 400),
        ("/api/v1/needs/?updated_since=0001-01-01T00:00:00%2B23:59", 200),
        ("/api/v1/matches/?updated_since=9999-12-31T23:59:59-23:59", 200),  # after 9999 UTC
        ("/api/v1/matches/?updated_since=2026-12-06", 200),
        ("/api/v1/needs/?updated_since=0001-01-01", 200),
    ],
)
def test_odd_addresses_get_their_documented_answer(
    api: Client, world: World, url: str, status: int
) -> None:
    response = api.get(url, **auth(world.key_a))

    assert response.status_code == status
    if status != 200:
        error_shape(response)


@pytest.mark.parametrize(
    "header",
    ["Api-Key repm_abcdefgh_\x00x", "Api-Key \xff\xfe", "Api-Key " + "a" * 10_000, "Api-Key"],
)
def test_a_malformed_key_is_a_401(api: Client, world: World, header: str) -> None:
    response = api.get("/api/v1/matches/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    error_shape(response)


@pytest.mark.parametrize("url", ["/api/v1/matches/", "/api/v1/facilities/"])
@pytest.mark.parametrize("accept", ["text/html", "application/xml", "\x00"])
def test_only_json_is_served(api: Client, world: World, url: str, accept: str) -> None:
    response = api.get(url, HTTP_ACCEPT=accept, **auth(world.key_a))

    assert response.status_code == 406
    assert error_shape(response)["errors"][0]["code"] == "not_acceptable"


def test_an_unlisted_method_is_a_405_naming_the_allowed_ones(api: Client, world: World) -> None:
    response = api.delete(f"/api/v1/matches/{world.match_a.pk}/", **auth(world.key_a))

    assert response.status_code == 405
    assert "PATCH" in response["Allow"]
    error_shape(response)


@pytest.mark.parametrize(
    "content_type, body, status",
    [
        ("text/plain", "status=engaged", 415),
        ("application/x-www-form-urlencoded", "status=engaged", 415),
        ("application/json", "[" * 100_000, 400),  # deeper than Python's recursion limit
        ("application/json", b"\xff\xfe{}", 400),
        ("application/json", json.dumps({"status": "engaged", "note": 5}), 400),
        ("application/json", json.dumps({"status": "engaged", "note": "a\x00b"}), 400),
        ("application/json", json.dumps({"status": "engaged", "note": "x" * 501}), 400),
    ],
)
def test_a_decision_in_an_odd_body_is_refused(
    api: Client, world: World, content_type: str, body: str | bytes, status: int
) -> None:
    response = api.generic(
        "PATCH", f"/api/v1/matches/{world.match_a.pk}/", body, content_type, **auth(world.key_a)
    )

    assert response.status_code == status
    error_shape(response)


ANSWERS = {
    "udyam_registered": True,
    "investment_rupees": "2 crore",
    "turnover_rupees": 60_000_000,
    "district": "krishnagiri",
}


@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize(
    "change, field",
    [
        ({"udyam_registered": "yes"}, "udyam_registered"),
        ({"udyam_registered": 1}, "udyam_registered"),
        ({"processes": {"cnc-turning": 1}}, "processes"),  # DRF's many=True read the keys
        ({"bidding": True, "capacity_sought_mtpa": "600", "net_worth_crore": "200"}, None),
        ({"bidding": True, "capacity_sought_mtpa": 600, "net_worth_crore": " 200"}, None),
        ({"bidding": True, "capacity_sought_mtpa": 600, "net_worth_crore": "2e2"}, None),
        ({"as_of": "20261206"}, "as_of"),
        ({"district": 5}, "district"),
    ],
)
def test_the_eligibility_check_takes_only_what_its_schema_says(
    client: Client, change: dict, field: str | None
) -> None:
    response = client.post(
        "/api/v1/eligibility/check/", json.dumps(ANSWERS | change), "application/json"
    )

    assert response.status_code == 400
    attrs = {error["attr"] or "" for error in error_shape(response)["errors"]}
    assert field is None or any(attr.startswith(field) for attr in attrs)


@pytest.mark.usefixtures("reference")
def test_the_eligibility_check_still_takes_numbers_and_figures(client: Client) -> None:
    body = ANSWERS | {
        "bidding": True,
        "capacity_sought_mtpa": 600.0,
        "net_worth_crore": 200.5,
        "consortium": True,
        "lead_equity_percent": "51.5",
        "as_of": "2026-12-06",
    }

    response = client.post("/api/v1/eligibility/check/", json.dumps(body), "application/json")

    assert response.status_code == 200, response.content


def test_the_schema_documents_each_operations_answers(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    def codes(path: str, method: str) -> set[str]:
        return set(schema["paths"][path][method]["responses"])

    reading = {"200", "304", "400", "401", "406", "429"}
    assert codes("/api/v1/matches/", "get") == reading
    assert codes("/api/v1/matches/{match_id}/", "get") == reading | {"404"}
    assert codes("/api/v1/matches/{match_id}/", "patch") == {
        "200", "400", "401", "403", "404", "406", "409", "415", "429",
    }  # fmt: skip
    ok = schema["paths"]["/api/v1/matches/"]["get"]["responses"]["200"]
    assert ok["headers"]["ETag"]["required"] is True
    throttled = schema["paths"]["/api/v1/eligibility/check/"]["post"]["responses"]["429"]
    assert throttled["headers"]["Retry-After"]["required"] is True
    decision = schema["components"]["schemas"]["MatchDecisionInput"]
    assert decision["required"] == ["status"]
    assert decision["additionalProperties"] is False


# --- Keys checked lately ---------------------------------------------------------------------


def test_a_key_revoked_after_use_is_refused_at_once(api: Client, world: World) -> None:
    api_key, key = api_key_create(partner=world.partner_a)
    assert api.get("/api/v1/matches/", **auth(key)).status_code == 200

    api_key_revoke(api_key=ApiKey.objects.get(pk=api_key.pk))

    assert api.get("/api/v1/matches/", **auth(key)).status_code == 401


def test_a_partner_deactivated_after_use_is_refused_at_once(api: Client, world: World) -> None:
    assert api.get("/api/v1/matches/", **auth(world.key_a)).status_code == 200

    world.partner_a.is_active = False
    world.partner_a.save()

    assert api.get("/api/v1/matches/", **auth(world.key_a)).status_code == 401


def test_a_facility_linked_after_use_widens_the_scope_at_once(api: Client, world: World) -> None:
    before = api.get("/api/v1/matches/", **auth(world.key_a)).json()["results"]

    world.partner_a.facilities.add(world.facility_b)
    after = api.get("/api/v1/matches/", **auth(world.key_a)).json()["results"]

    assert world.match_b.pk not in {m["id"] for m in before}
    assert world.match_b.pk in {m["id"] for m in after}


def test_a_key_whose_expiry_passes_after_use_is_refused(
    api: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    hour = datetime.timedelta(hours=1)
    _api_key, key = api_key_create(partner=world.partner_a, expires_at=timezone.now() + hour)
    assert api.get("/api/v1/matches/", **auth(key)).status_code == 200

    later = timezone.now() + 2 * hour  # no row changes: the expiry is checked on every request
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert api.get("/api/v1/matches/", **auth(key)).status_code == 401
