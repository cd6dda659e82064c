"""The partner API: scope matrix, sync round-trip, decisions the MSME sees, ETags, throttling,
bad input, query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from matching.models import Match, MatchStatusChange
from partners.models import ApiKey
from tests import factories as f

from .conftest import YESTERDAY, World, auth

pytestmark = pytest.mark.django_db

LISTS = ["facilities", "clusters", "capabilities", "needs", "matches"]


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


# --- Who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize("persona", ["none", "revoked", "expired", "garbage"])
def test_it_refuses_every_list_without_a_usable_key(
    api: Client, world: World, endpoint: str, persona: str
) -> None:
    headers = {
        "none": {},
        "revoked": auth(world.key_revoked),
        "expired": auth(world.key_expired),
        "garbage": auth("repm_nothing"),
    }[persona]

    response = api.get(f"/api/v1/{endpoint}/", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["type"] == "client_error"


def test_it_refuses_a_key_in_the_query_string(api: Client, world: World) -> None:
    response = api.get(f"/api/v1/matches/?api_key={world.key_a}")

    assert response.status_code == 401
    assert "Authorization header" in response.json()["errors"][0]["detail"]


def test_a_deactivated_partner_is_shut_out(api: Client, world: World) -> None:
    world.partner_a.is_active = False
    world.partner_a.save()

    assert api.get("/api/v1/matches/", **auth(world.key_a)).status_code == 401


def test_a_key_records_its_last_use(api: Client, world: World) -> None:
    api.get("/api/v1/facilities/", **auth(world.key_a))

    used = ApiKey.objects.get(partner=world.partner_a, revoked_at__isnull=True, expires_at=None)
    assert used.last_used_at is not None


# --- What each partner sees ------------------------------------------------------------------


def test_a_partner_sees_only_its_facilities_needs_and_matches(api: Client, world: World) -> None:
    needs = api.get("/api/v1/needs/", **auth(world.key_a))
    matches = api.get("/api/v1/matches/", **auth(world.key_a))

    assert ids(needs) == {world.need_a.pk}
    assert ids(matches) == {world.match_a.pk, world.near_miss_a.pk}


def test_a_partner_gets_404_for_another_partners_need_and_match(api: Client, world: World) -> None:
    assert api.get(f"/api/v1/needs/{world.need_b.pk}/", **auth(world.key_a)).status_code == 404
    assert api.get(f"/api/v1/matches/{world.match_b.pk}/", **auth(world.key_a)).status_code == 404
    response = api.patch(
        f"/api/v1/matches/{world.match_b.pk}/",
        {"status": "shortlisted"},
        content_type="application/json",
        **auth(world.key_a),
    )
    assert response.status_code == 404
    world.match_b.refresh_from_db()
    assert world.match_b.status == Match.Status.SUGGESTED


def test_an_unscoped_partner_reads_everything_and_writes_nothing(api: Client, world: World) -> None:
    matches = api.get("/api/v1/matches/", **auth(world.key_agency))
    response = api.patch(
        f"/api/v1/matches/{world.match_a.pk}/",
        {"status": "engaged"},
        content_type="application/json",
        **auth(world.key_agency),
    )

    assert ids(matches) == {world.match_a.pk, world.near_miss_a.pk, world.match_b.pk}
    assert response.status_code == 403
    world.match_a.refresh_from_db()
    assert world.match_a.status == Match.Status.SUGGESTED


@pytest.mark.parametrize("endpoint", ["facilities", "clusters", "capabilities"])
def test_reference_lists_are_the_same_for_every_partner(
    api: Client, world: World, endpoint: str
) -> None:
    a = api.get(f"/api/v1/{endpoint}/", **auth(world.key_a)).json()
    b = api.get(f"/api/v1/{endpoint}/", **auth(world.key_b)).json()

    assert a == b
    assert a["results"]


def test_contact_details_show_only_once_the_msme_raised_its_hand(api: Client, world: World) -> None:
    before = api.get(f"/api/v1/matches/{world.match_a.pk}/", **auth(world.key_a)).json()
    world.match_a.status = Match.Status.INTERESTED
    world.match_a.save()
    after = api.get(f"/api/v1/matches/{world.match_a.pk}/", **auth(world.key_a)).json()

    assert before["supplier"]["contact"] is None
    assert after["supplier"]["contact"]["email"] == world.match_a.supplier.contact_email


def test_a_match_carries_its_supplier_summary_and_certificates(api: Client, world: World) -> None:
    certificate = f.CertificationFactory(supplier=world.match_a.supplier)

    item = api.get(f"/api/v1/matches/{world.match_a.pk}/", **auth(world.key_a)).json()

    assert item["supplier"]["name"] == world.match_a.supplier.name
    assert item["supplier"]["category"] == world.match_a.supplier.category
    assert item["supplier"]["district"]["slug"] == world.match_a.supplier.district.slug
    assert [c["code"] for c in item["supplier"]["certifications"]] == [
        certificate.certification_type.code
    ]
    assert item["need"]["reference"] == "A-1"


def test_reasons_come_in_the_language_asked_for(api: Client, world: World) -> None:
    english = api.get(f"/api/v1/matches/{world.near_miss_a.pk}/", **auth(world.key_a)).json()
    hindi = api.get(
        f"/api/v1/matches/{world.near_miss_a.pk}/",
        HTTP_ACCEPT_LANGUAGE="hi",
        **auth(world.key_a),
    )

    assert hindi["Content-Language"] == "hi"
    assert english["near_miss_rule"] == "capacity"
    near_miss_en, near_miss_hi = english["near_miss"], hindi.json()["near_miss"]
    assert near_miss_en["code"] == near_miss_hi["code"]
    assert near_miss_en["text"] and near_miss_en["text"] != near_miss_hi["text"]


def test_filters_narrow_the_matches(api: Client, world: World) -> None:
    def got(query: str) -> set[int]:
        return ids(api.get(f"/api/v1/matches/?{query}", **auth(world.key_agency)))

    assert got(f"facility={world.facility_b.slug}") == {world.match_b.pk}
    assert got(f"need={world.need_a.pk}") == {world.match_a.pk, world.near_miss_a.pk}
    assert got("min_score=70") == {world.match_a.pk, world.match_b.pk}
    assert got("near_miss=true") == {world.near_miss_a.pk}
    assert got(f"cluster={world.facility_a.cluster.slug}") == {
        world.match_a.pk,
        world.near_miss_a.pk,
    }
    assert got(f"state={world.match_a.supplier.state.code}") >= {world.match_a.pk}
    assert got(f"process={world.need_a.process.slug}") == {
        world.match_a.pk,
        world.near_miss_a.pk,
        world.match_b.pk,
    }
    assert got("status=engaged") == set()


def test_pages_follow_the_cursor_to_the_end_best_first(api: Client, world: World) -> None:
    for score in (90, 80, 80, 55):
        f.MatchFactory(need=world.need_a, score=score)
    seen, scores = [], []
    url = "/api/v1/matches/?page_size=2"
    while url:
        page = api.get(url, **auth(world.key_a)).json()
        seen += [m["id"] for m in page["results"]]
        scores += [m["score"] for m in page["results"]]
        url = page["next"]

    assert len(seen) == len(set(seen)) == 6
    assert scores == sorted(scores, reverse=True)


# --- A facility's decision -----------------------------------------------------------------


def test_a_decision_patched_through_the_api_is_what_the_msme_sees(
    api: Client, world: World
) -> None:
    owner = f.UserFactory()
    world.match_a.supplier.owner = owner
    world.match_a.supplier.save()

    response = api.patch(
        f"/api/v1/matches/{world.match_a.pk}/",
        {"status": "shortlisted", "note": "Send us a sample lot by 15 Jan."},
        content_type="application/json",
        **auth(world.key_a),
    )
    msme = Client()
    msme.force_login(owner)
    page = msme.get(f"/me/matches/{world.match_a.pk}/")

    assert response.status_code == 200
    assert response.json()["status"] == "shortlisted"
    assert "Shortlisted" in page.content.decode()
    assert "Send us a sample lot by 15 Jan." in page.content.decode()
    change = MatchStatusChange.objects.get(match=world.match_a)
    assert (change.from_status, change.to_status, change.path) == (
        "suggested",
        "shortlisted",
        "api",
    )
    assert change.partner_name == "Anchor A"


def test_a_withdrawn_match_cannot_be_engaged(api: Client, world: World) -> None:
    Match.objects.filter(pk=world.match_a.pk).update(status=Match.Status.WITHDRAWN)

    response = api.patch(
        f"/api/v1/matches/{world.match_a.pk}/",
        {"status": "engaged"},
        content_type="application/json",
        **auth(world.key_a),
    )

    assert response.status_code == 409
    world.match_a.refresh_from_db()
    assert world.match_a.status == Match.Status.WITHDRAWN


@pytest.mark.parametrize(
    "body, field",
    [
        ({"status": "interested"}, "status"),
        ({"status": "suggested"}, "status"),
        ({}, "status"),
        ({"status": "engaged", "note": "x" * 501}, "note"),
        ({"status": "engaged", "score": 100}, "score"),
        ({"status": "engaged", "note": "a\x00b"}, "note"),
    ],
)
def test_a_bad_decision_is_a_400_with_the_field(
    api: Client, world: World, body: dict, field: str
) -> None:
    response = api.patch(
        f"/api/v1/matches/{world.match_a.pk}/",
        body,
        content_type="application/json",
        **auth(world.key_a),
    )

    assert response.status_code == 400
    assert field in {error["attr"] for error in response.json()["errors"]}
    world.match_a.refresh_from_db()
    assert world.match_a.status == Match.Status.SUGGESTED


def test_a_body_that_is_not_an_object_is_a_400(api: Client, world: World) -> None:
    for body in ("[1, 2]", '"engaged"', "{not json"):
        response = api.generic(
            "PATCH",
            f"/api/v1/matches/{world.match_a.pk}/",
            body,
            content_type="application/json",
            **auth(world.key_a),
        )
        assert response.status_code == 400, body


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        ("bogus=1", "bogus"),
        ("cursor=zzz", "cursor"),
        ("cursor=eyJrIjoicmFuayIsInMiOiJOYU4iLCJpIjoxfQ", "cursor"),  # score NaN
        ("need=99999999999999999999999", "need"),
        ("need=-1", "need"),
        ("min_score=abc", "min_score"),
        ("min_score=1e999999", "min_score"),
        ("min_score=NaN", "min_score"),
        ("status=maybe", "status"),
        ("near_miss=perhaps", "near_miss"),
        ("updated_since=yesterday", "updated_since"),
        ("facility=nowhere", "facility"),
        ("facility=a%00b", "facility"),
        ("page_size=0", "page_size"),
        ("page_size=100000", "page_size"),
        ("include=everything", "include"),
        ("need=1&need=2", "need"),
    ],
)
def test_bad_parameters_are_400s_naming_the_parameter(
    api: Client, world: World, query: str, field: str
) -> None:
    response = api.get(f"/api/v1/matches/?{query}", **auth(world.key_a))

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert field in {error["attr"] for error in body["errors"]}


def test_a_rank_cursor_is_refused_in_a_sync(api: Client, world: World) -> None:
    f.MatchFactory(need=world.need_a, score=10)
    cursor = api.get("/api/v1/matches/?page_size=1", **auth(world.key_a)).json()["next"]
    cursor = cursor.split("cursor=")[1].split("&")[0]

    response = api.get(
        f"/api/v1/matches/?updated_since={YESTERDAY}&cursor={cursor}",
        **auth(world.key_a),
    )

    assert response.status_code == 400


def test_an_unknown_match_is_a_404_in_the_one_error_shape(api: Client, world: World) -> None:
    response = api.get("/api/v1/matches/999999999/", **auth(world.key_a))

    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


# --- ETags and throttling ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/matches/", "/api/v1/needs/", "/api/v1/facilities/", "MATCH"]
)
def test_an_unchanged_answer_is_a_304(api: Client, world: World, url: str) -> None:
    url = f"/api/v1/matches/{world.match_a.pk}/" if url == "MATCH" else url
    first = api.get(url, **auth(world.key_a))

    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **auth(world.key_a))
    Match.objects.filter(pk=world.match_a.pk).update(score=81, updated_at=timezone.now())
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **auth(world.key_a))

    assert again.status_code == 304
    assert again.content == b""
    if "match" in url:
        assert changed.status_code == 200
        assert changed["ETag"] != first["ETag"]


@override_settings(PARTNER_API_RATE="3/minute")
def test_a_key_over_its_rate_gets_429_with_retry_after(api: Client, world: World) -> None:
    codes = [api.get("/api/v1/facilities/", **auth(world.key_a)).status_code for _ in range(4)]
    other_key = api.get("/api/v1/facilities/", **auth(world.key_b))
    throttled = api.get("/api/v1/facilities/", **auth(world.key_a))

    assert codes == [200, 200, 200, 429]
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["errors"][0]["code"] == "throttled"
    assert other_key.status_code == 200


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 50])
def test_the_match_list_costs_the_same_queries_for_any_page_size(
    api: Client, world: World, django_assert_max_num_queries, size: int
) -> None:
    for _ in range(size):
        match = f.MatchFactory(need=world.need_a)
        f.CertificationFactory(supplier=match.supplier)
    api.get("/api/v1/facilities/", **auth(world.key_a))  # the key's last use is written once

    # key + partner, the partner's facilities, the page, the page's certificates; savepoints
    with django_assert_max_num_queries(5):
        response = api.get(f"/api/v1/matches/?page_size={size}", **auth(world.key_a))
    with django_assert_max_num_queries(9):  # + the reasons' facts (needs, suppliers, certs)
        api.get(f"/api/v1/matches/?page_size={size}&include=reasons", **auth(world.key_a))
    with django_assert_max_num_queries(6):  # + the tombstones, in the same union
        api.get(
            f"/api/v1/matches/?page_size={size}&updated_since={YESTERDAY}",
            **auth(world.key_a),
        )
    with django_assert_max_num_queries(6):
        api.get(f"/api/v1/needs/?page_size={size}", **auth(world.key_a))

    assert len(response.json()["results"]) == min(size, 50)


# --- The command -----------------------------------------------------------------------------


def test_create_partner_key_prints_a_key_that_works(api: Client, world: World) -> None:
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_partner_key",
        "--partner",
        "Tamil Nadu Guidance",
        "--facility",
        world.facility_b.slug,
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    response = api.get("/api/v1/matches/", **auth(key))

    assert ids(response) == {world.match_b.pk}
    assert "Shown once" in err.getvalue()
    assert key not in "".join(ApiKey.objects.values_list("digest", flat=True))


def test_create_partner_key_refuses_an_unknown_facility(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no-such-facility"):
        call_command("create_partner_key", "--partner", "X", "--facility", "no-such-facility")


def test_an_expiry_in_days_is_set_on_the_key(world: World) -> None:
    call_command(
        "create_partner_key", "--partner", "Y", "--expires-in-days", "30", stdout=io.StringIO()
    )

    key = ApiKey.objects.get(partner__name="Y")
    assert key.expires_at - timezone.now() > datetime.timedelta(days=29)


@override_settings(DEBUG=False)
def test_an_unknown_api_address_is_a_json_404(api: Client, world: World) -> None:
    response = api.get("/api/v1/no-such-list/", **auth(world.key_a))

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_the_admin_keeps_a_facility_note_whatever_the_status_it_sets(world: World) -> None:
    from matching.services import match_admin_set_status

    admin = f.UserFactory(is_staff=True)

    match_admin_set_status(
        match=world.match_a, status="interested", note=" Call on Monday ", changed_by=admin
    )

    world.match_a.refresh_from_db()
    assert (world.match_a.status, world.match_a.facility_note) == ("interested", "Call on Monday")
    change = MatchStatusChange.objects.get(match=world.match_a)
    assert (change.note, change.changed_by) == ("Call on Monday", admin)
