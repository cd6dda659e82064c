"""The MSME owner's pages: who may see what, expressing interest, and bounded queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from matching.models import Match
from matching.services import match_set_status, matches_sync
from schemes.models import Need
from taxonomy.formatting import number as indian_number
from tests.factories import (
    CertificationFactory,
    CertificationTypeFactory,
    MatchFactory,
    MilestoneFactory,
    NeedFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(username="owner@hosur.in")


@pytest.fixture
def match(owner) -> Match:
    return MatchFactory(supplier=SupplierFactory(owner=owner))


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def me_urls(match: Match) -> list[tuple[str, str]]:
    return [
        ("get", "/me/"),
        ("get", "/me/matches/"),
        ("get", f"/me/matches/{match.pk}/"),
        ("post", f"/me/matches/{match.pk}/interest/"),
        ("post", f"/me/matches/{match.pk}/withdraw/"),
    ]


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(match: Match) -> None:
    for method, url in me_urls(match):
        response = getattr(client_for(None), method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url
    before = match.status
    match.refresh_from_db()
    assert match.status == before


def test_another_owner_gets_404_for_every_match_url_and_nothing_changes(match: Match) -> None:
    other = UserFactory(username="other@rajkot.in")
    SupplierFactory(owner=other)
    client = client_for(other)
    for method, url in me_urls(match)[2:]:
        assert getattr(client, method)(url, {"message": "mine now"}).status_code == 404, url
    match.refresh_from_db()
    assert (match.status, match.interest_message) == ("suggested", "")
    # Their own pages show only their own enterprise.
    assert match.need.title not in client.get("/me/matches/").content.decode()


def test_staff_without_an_enterprise_see_no_one_elses_match(match: Match) -> None:
    staff = UserFactory(username="officer", is_staff=True, is_superuser=True)
    client = client_for(staff)
    assert client.get(f"/me/matches/{match.pk}/").status_code == 404
    page = client.get("/me/").content.decode()
    assert "No enterprise is linked to your account yet" in page
    assert 'href="/me/profile/"' in page


def test_the_owner_sees_the_match_expresses_interest_and_withdraws(owner, match: Match) -> None:
    client = client_for(owner)
    page = client.get(f"/me/matches/{match.pk}/").content.decode()
    assert match.need.title in page and "Express interest" in page

    response = client.post(f"/me/matches/{match.pk}/interest/", {"message": " 2 weeks lead "})
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.interest_message) == ("interested", "2 weeks lead")
    followed = client.get(f"/me/matches/{match.pk}/").content.decode()
    assert "The facility can now see that you are interested." in followed
    assert "Withdraw" in followed

    # Twice is refused with a message, and changes nothing.
    client.post(f"/me/matches/{match.pk}/interest/", {"message": "again"})
    match.refresh_from_db()
    assert match.interest_message == "2 weeks lead"

    client.post(f"/me/matches/{match.pk}/withdraw/")
    match.refresh_from_db()
    assert match.status == "withdrawn"


def test_the_facilitys_answer_shows_on_the_detail_and_the_dashboard(owner, match: Match) -> None:
    match_set_status(match=match, status="shortlisted")
    client = client_for(owner)
    assert "Shortlisted" in client.get(f"/me/matches/{match.pk}/").content.decode()
    dashboard = client.get("/me/").content.decode()
    assert "Answers from facilities" in dashboard and "Shortlisted" in dashboard


def test_interest_in_a_closed_need_is_refused(owner, match: Match) -> None:
    match.need.status = "closed"
    match.need.save()
    client_for(owner).post(f"/me/matches/{match.pk}/interest/", {"message": ""})
    match.refresh_from_db()
    assert match.status == "suggested"


def test_a_get_cannot_express_interest(owner, match: Match) -> None:
    assert client_for(owner).get(f"/me/matches/{match.pk}/interest/").status_code == 405


def test_near_misses_are_grouped_by_what_would_unlock_them(owner) -> None:
    supplier = SupplierFactory(owner=owner)
    nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
    capability = SupplierCapabilityFactory(supplier=supplier, monthly_capacity=Decimal("3000"))
    needs = [NeedFactory(process=capability.process, radius_km=None) for _ in range(5)]
    for need in needs[:3]:
        need.required_certifications.add(nabl)
    for need, capacity in zip(needs[3:], ("4000", "5000"), strict=True):
        need.min_monthly_capacity = Decimal(capacity)
        need.save()
    matches_sync(need_ids=[n.pk for n in needs])

    page = client_for(owner).get("/me/").content.decode()

    assert "Get NABL accreditation → 3 more needs" in page
    assert "Reach a monthly capacity of 5,000 pieces → 2 more needs" in page


def test_an_expiring_certificate_counts_the_matches_it_would_cost(owner) -> None:
    supplier = SupplierFactory(owner=owner)
    iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001")
    expiry = datetime.date.today() + datetime.timedelta(days=20)
    CertificationFactory(supplier=supplier, certification_type=iso, valid_until=expiry)
    capability = SupplierCapabilityFactory(supplier=supplier)
    # Due today: the certificate must hold on the due date, and holds for 20 days more.
    need = NeedFactory(process=capability.process, radius_km=None, due_date=None)
    need.required_certifications.add(iso)
    matches_sync(need_ids=[need.pk])

    page = client_for(owner).get("/me/").content.decode()

    assert f"ISO 9001 expires on {expiry:%-d %b %Y}: 1 match needs it." in page


def test_new_matches_since_the_last_visit_are_counted(owner, match: Match) -> None:
    client = client_for(owner)
    client.get("/me/")
    MatchFactory(supplier=match.supplier)
    board = client.get("/me/").context["board"]
    assert board.new_since_last_visit == 1


@pytest.mark.parametrize("count", [5, 500])
def test_the_dashboard_and_the_list_take_a_bounded_number_of_queries(
    owner, count: int, django_assert_max_num_queries
) -> None:
    supplier = SupplierFactory(owner=owner)
    capability = SupplierCapabilityFactory(supplier=supplier)
    need = NeedFactory(process=capability.process)
    Match.objects.bulk_create(
        [
            Match(
                supplier=supplier,
                need=NeedFactory(process=capability.process) if i else need,
                score=Decimal(50),
                near_miss_rule="radius" if i % 2 else "",
                **{
                    f"{c}_component": Decimal("0.5")
                    for c in (
                        "distance",
                        "capacity",
                        "tolerance",
                        "quality",
                        "preference",
                        "experience",
                    )
                },
            )
            for i in range(count)
        ]
    )
    client = client_for(owner)
    with django_assert_max_num_queries(31):  # listed in the test below
        assert client.get("/me/").status_code == 200
    # session, user, the enterprise, the count, the page, its facts (needs, required
    # certificates, capabilities, certificates, commitments), the switcher, the filters' three
    # lists: 14.
    with django_assert_max_num_queries(14):
        response = client.get("/me/matches/?near_misses=hide&within=500")
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(20, -(-count // 2))


def test_the_owners_pages_and_reasons_speak_hindi_under_hi(owner) -> None:
    supplier = SupplierFactory(owner=owner)
    capability = SupplierCapabilityFactory(supplier=supplier)
    need = NeedFactory(process=capability.process, radius_km=None)
    matches_sync(need_ids=[need.pk])
    match = Match.objects.get()
    client = client_for(owner)

    detail = client.get(f"/hi/me/matches/{match.pk}/").content.decode()
    assert "रुचि दिखाएँ" in detail  # Express interest
    assert "स्कोर ऐसा क्यों है" in detail  # Why it scores so
    assert "किमी" in detail  # the distance reason, rendered from its code in Hindi
    assert "आपका डैशबोर्ड" in client.get("/hi/me/").content.decode()
    assert "लॉग इन" in Client().get("/hi/accounts/login/").content.decode()


def test_hindi_month_names_are_spelled_right() -> None:
    from django.utils import dateformat, translation

    with translation.override("hi"):
        long = [dateformat.format(datetime.date(2026, m, 15), "j F Y") for m in (9, 11, 12)]
        short = [dateformat.format(datetime.date(2026, m, 15), "j M Y") for m in (3, 12)]
    # Django's own Hindi has सितमबर, नवमबर, दिसमबर, "मा" and "दिस्".
    assert long == ["15 सितंबर 2026", "15 नवंबर 2026", "15 दिसंबर 2026"]
    assert short == ["15 मार्च 2026", "15 दिस 2026"]


@pytest.mark.parametrize(
    ("prefix", "reason"),
    [
        ("", "Capacity 12,50,000 pieces/month for 12,00,000 needed"),
        ("/hi", "क्षमता 12,50,000 नग/माह, ज़रूरत 12,00,000"),
    ],
)
def test_a_match_reads_its_figures_in_indian_grouping_in_english_and_hindi(
    owner, prefix: str, reason: str
) -> None:
    supplier = SupplierFactory(owner=owner)
    capability = SupplierCapabilityFactory(supplier=supplier, monthly_capacity=Decimal("1250000"))
    need = NeedFactory(
        process=capability.process,
        radius_km=None,
        quantity=Decimal("1200000.00"),
        min_monthly_capacity=Decimal("1200000"),
        max_tolerance_um=Decimal("12.50"),
        due_date=datetime.date(2026, 12, 15),
    )
    matches_sync(need_ids=[need.pk])
    match = Match.objects.get()

    detail = client_for(owner).get(f"{prefix}/me/matches/{match.pk}/").content.decode()

    assert ("12,00,000 नग" if prefix else "12,00,000 pieces") in detail  # grouped the Indian way
    assert "1200000" not in detail and "1,200,000" not in detail
    assert "≤ 12.5 µm" in detail  # as entered, without the trailing zero
    assert reason in detail  # a reason rendered from its code in the page's language
    assert ("15 दिस 2026" if prefix else "15 Dec 2026") in detail


@pytest.mark.parametrize("count", [5, 500])
def test_every_near_miss_counts_towards_what_would_unlock_it_in_bounded_queries(
    owner, count: int, django_assert_max_num_queries
) -> None:
    """More near misses than the page lists (it used to group only the 200 best): the counts
    cover all of them, and the dashboard's queries do not grow with them."""
    supplier = SupplierFactory(owner=owner)
    capability = SupplierCapabilityFactory(supplier=supplier, monthly_capacity=Decimal("3000"))
    nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
    facility = NeedFactory().facility
    needs = Need.objects.bulk_create(
        [
            Need(
                facility=facility,
                title=f"Need {i}",
                process=capability.process,
                quantity=Decimal(100),
                min_monthly_capacity=Decimal(4000 + i) if i % 5 == 0 else None,
                due_date=datetime.date.today() + datetime.timedelta(days=90),
            )
            for i in range(count)
        ]
    )
    certificate_needs = [need for i, need in enumerate(needs) if i % 5]
    Need.required_certifications.through.objects.bulk_create(
        [
            Need.required_certifications.through(need_id=need.pk, certificationtype_id=nabl.pk)
            for need in certificate_needs
        ]
    )
    Match.objects.bulk_create(
        [
            Match(
                supplier=supplier,
                need=need,
                score=Decimal(60),
                near_miss_rule="certificates" if i % 5 else "capacity",
            )
            for i, need in enumerate(needs)
        ]
    )
    client = client_for(owner)

    # session, user, the enterprise, the last visit (read; on the first, a savepoint, insert
    # and release), the counts, answered, flagged, top, the near misses, their facts (needs,
    # required certificates, capabilities, certificates, commitments), expiring certificates,
    # the profile's capabilities and certificates, the switcher's enterprises, the capacity
    # panel (committing matches, capabilities): 23; then eligibility by role
    # (the profile's processes, valid certificates and sectors, the MSME limits, its district,
    # the processes' kinds, the rule sets in force and their criteria): 31.
    with django_assert_max_num_queries(31):
        response = client.get("/me/")

    capacity_needs = count - len(certificate_needs)
    hardest = 4000 + 5 * (capacity_needs - 1)
    assert [(u.reason.text, u.needs) for u in response.context["board"].unlocks] == [
        ("Get NABL accreditation", len(certificate_needs)),
        (f"Reach a monthly capacity of {indian_number(hardest)} pieces", capacity_needs),
    ]
    assert response.context["board"].near_misses == count


def test_the_match_page_places_the_due_date_in_the_schemes_timeline(
    owner, django_assert_max_num_queries
) -> None:
    supplier = SupplierFactory(owner=owner)
    need = NeedFactory(due_date=datetime.date(2027, 3, 15))
    scheme = need.facility.scheme
    for order, (kind, date) in enumerate(
        [
            ("bid_opening", datetime.date(2026, 6, 30)),
            ("award", datetime.date(2026, 10, 1)),
            ("gestation_end", datetime.date(2028, 10, 1)),
            ("incentive_end", None),
        ],
        1,
    ):
        MilestoneFactory(scheme=scheme, kind=kind, order=order, date=date)
    match = MatchFactory(supplier=supplier, need=need)
    client = client_for(owner)

    # session, user, the match (the current enterprise a subquery), its facts (needs, required
    # certificates, capabilities, certificates), the scoring profile, the milestones, the
    # switcher: 10.
    with django_assert_max_num_queries(10):
        page = client.get(f"/me/matches/{match.pk}/").content.decode()

    assert (
        "Due 15 Mar 2027, after the award (1 Oct 2026) and before the end of the gestation "
        "period (1 Oct 2028)." in page
    )
    timeline = page[page.index('<ol class="timeline">') :]
    order = ["Technical bids opened", "Award", "This need is due", "End of gestation period"]
    assert [timeline.index(label) for label in order] == sorted(
        timeline.index(label) for label in order
    )
    assert "not yet public" in timeline  # the end of incentives
