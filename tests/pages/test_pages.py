"""The public pages render what the database holds, in English and Hindi, in bounded queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from clusters.models import Cluster, ClusterAsset
from schemes.models import Facility, Milestone, Need
from tests.factories import (
    CertificationTypeFactory,
    ClusterAssetFactory,
    ClusterFactory,
    DistrictFactory,
    FacilityFactory,
    MilestoneFactory,
    NeedFactory,
    SchemeFactory,
    SchemeFigureSourceFactory,
    SourceFactory,
    StateFactory,
    ValueChainStageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme():
    scheme = SchemeFactory(total_outlay_usd_million=816)
    cabinet = SourceFactory(
        key="cabinet-2025-11-26",
        title="Cabinet approves REPM scheme (PIB, 26 November 2025)",
        url="https://pib.gov.in/PressReleasePage.aspx?PRID=1",
    )
    SchemeFigureSourceFactory(
        scheme=scheme,
        source=cabinet,
        fields="total_outlay_crore, total_outlay_usd_million, sales_incentive_crore, "
        "capital_subsidy_crore, target_capacity_mtpa, beneficiaries, max_allocation_mtpa",
    )
    return scheme


def make_need(facility: Facility, **kwargs: object) -> Need:
    iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001 quality management")
    iatf = CertificationTypeFactory(code="IATF_16949", name="IATF 16949 automotive quality")
    return NeedFactory(facility=facility, required_certifications=[iso, iatf], **kwargs)


# --- Home --------------------------------------------------------------------------------------


def test_it_shows_the_headline_figures_indian_style_with_their_sources(
    client: Client, scheme
) -> None:
    response = client.get("/")

    assertContains(response, "₹7,280 crore (≈ US$816 million)")
    assertContains(response, "₹6,450 crore over 5 years")
    assertContains(response, "₹750 crore")
    assertContains(response, "6,000 MTPA")
    assertContains(response, "5, each allotted up to 1,200 MTPA")
    assertContains(response, "2-year gestation + 5 years of incentives")
    assertContains(response, "oxide → metal → alloy → magnet")
    assertContains(
        response,
        '<a href="https://pib.gov.in/PressReleasePage.aspx?PRID=1" rel="external">'
        "Cabinet approves REPM scheme (PIB, 26 November 2025)</a>",
        html=True,
    )


def test_the_home_page_reads_its_figures_in_hindi_with_indian_grouping(
    client: Client, scheme
) -> None:
    response = client.get("/hi/")

    assertContains(response, "₹7,280 करोड़ (≈ US$816 मिलियन)")
    assertContains(response, "₹6,450 करोड़")
    assertContains(response, "₹750 करोड़")
    assertContains(response, "6,000 MTPA")
    assertContains(response, "1,200 MTPA")
    assertNotContains(response, " crore")


@pytest.mark.parametrize(("prefix", "word"), [("", "crore"), ("/hi", "करोड़")])
def test_it_groups_large_rupee_amounts_in_lakhs_and_crores(
    client: Client, prefix: str, word: str
) -> None:
    SchemeFactory(total_outlay_crore=Decimal("123456.50"))

    assertContains(client.get(f"{prefix}/"), f"₹1,23,456.5 {word}")


def test_it_shows_the_timeline_and_not_yet_public_for_an_undated_milestone(
    client: Client, scheme
) -> None:
    MilestoneFactory(scheme=scheme, kind=Milestone.Kind.APPROVAL, order=1)
    MilestoneFactory(
        scheme=scheme, kind=Milestone.Kind.AWARD, order=6, date=None, note="", source=None
    )

    response = client.get("/")

    assertContains(response, '<time datetime="2025-11-26">26 November 2025</time>', html=True)
    assertContains(response, "Cabinet approval")
    assertContains(response, "Award")
    assertContains(response, "not yet public")


def test_it_lists_facilities_with_their_open_needs_count(client: Client, scheme) -> None:
    facility = FacilityFactory(scheme=scheme, number=1, cluster__name="Hosur REPM Cluster")
    NeedFactory.create_batch(2, facility=facility)
    NeedFactory(facility=facility, status=Need.Status.CLOSED)

    response = client.get("/")

    assertContains(response, "Integrated REPM Facility 1")
    assertContains(response, "Bidding")
    assertContains(response, "Hosur REPM Cluster")
    assertContains(response, '<td data-label="Open needs" class="num">2</td>', html=True)


def test_it_lists_clusters_with_kind_state_and_status(client: Client, scheme) -> None:
    ClusterFactory(
        name="Odisha Rare Earth Corridor",
        kind=Cluster.Kind.RARE_EARTH_CORRIDOR,
        state=StateFactory(code="OD", name="Odisha", gst_code="21"),
        status=Cluster.Status.NOTIFIED,
    )

    response = client.get("/")

    assertContains(response, "Odisha Rare Earth Corridor")
    assertContains(response, "Rare Earth Corridor")
    assertContains(response, "Odisha")
    assertContains(response, "Notified")


def test_it_asks_to_seed_the_reference_data_when_no_scheme_is_loaded(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assertContains(response, "Reference data not loaded yet")
    assertContains(response, "<code>python manage.py seed_reference</code>", html=True)


def test_the_home_page_costs_the_same_queries_however_many_rows(
    client: Client, django_assert_max_num_queries, scheme
) -> None:
    for number in range(1, 6):
        facility = FacilityFactory(scheme=scheme, number=number)
        facility.stages.add(ValueChainStageFactory())
        NeedFactory(facility=facility)
    for order, kind in enumerate(Milestone.Kind.values, start=1):
        MilestoneFactory(scheme=scheme, kind=kind, order=order, source=SourceFactory())
    ClusterFactory.create_batch(3)

    # scheme, its milestones (+ source), net-worth slabs, figure sources (+ source);
    # facilities (+ cluster, state, open-needs count), their stages; clusters (+ state).
    with django_assert_max_num_queries(7):
        response = client.get("/")
    assert response.status_code == 200


# --- Facilities --------------------------------------------------------------------------------


def test_it_shows_not_yet_awarded_for_a_facility_in_bidding(client: Client, scheme) -> None:
    FacilityFactory(scheme=scheme, number=1)

    response = client.get("/facilities/")

    assertContains(response, "Integrated REPM Facility 1")
    assertContains(response, "Not yet awarded")
    assertContains(response, "to be allotted")


def test_it_shows_the_awardee_and_allocated_capacity_once_awarded(client: Client, scheme) -> None:
    FacilityFactory(
        scheme=scheme,
        number=2,
        status=Facility.Status.AWARDED,
        awardee="Bharat Magnetics Consortium",
        capacity_mtpa=1200,
    )

    response = client.get("/facilities/")

    assertContains(response, "Bharat Magnetics Consortium")
    assertContains(response, "1,200 MTPA")
    assertNotContains(response, "Not yet awarded")


def test_the_facility_page_shows_its_status_cluster_site_and_stages(client: Client, scheme) -> None:
    cluster = ClusterFactory(name="Hosur REPM Cluster", centre_latitude=12.7409)
    facility = FacilityFactory(scheme=scheme, number=1, cluster=cluster)
    facility.stages.add(
        ValueChainStageFactory(slug="oxide", name="Rare-earth oxide", order=1),
        ValueChainStageFactory(slug="magnet", name="Finished sintered magnet", order=4),
    )

    response = client.get(facility.get_absolute_url())

    assertContains(response, "<h1>Integrated REPM Facility 1</h1>", html=True)
    assertContains(response, "Bidding")
    assertContains(response, "Not yet awarded")
    assertContains(response, "to be allotted")
    assertContains(
        response, f'<a href="/clusters/{cluster.slug}/">Hosur REPM Cluster</a>', html=True
    )
    assertContains(response, "12.7409°&nbsp;N, 77.8300°&nbsp;E")
    assertContains(response, "provisional — cluster centre")
    assertContains(
        response, "<li>Rare-earth oxide</li><li>Finished sintered magnet</li>", html=True
    )


def test_a_facility_with_its_own_site_is_not_provisional(client: Client, scheme) -> None:
    facility = FacilityFactory(scheme=scheme, site_latitude=12.8, site_longitude=77.9)

    response = client.get(facility.get_absolute_url())

    assertContains(response, "12.8000°&nbsp;N, 77.9000°&nbsp;E")
    assertNotContains(response, "provisional")


def test_the_facility_page_lists_open_needs_with_their_specs(client: Client, scheme) -> None:
    facility = FacilityFactory(scheme=scheme)
    make_need(
        facility,
        title="Wire-EDM slicing of N52 blocks",
        quantity=Decimal("50000"),
        unit="pieces",
        min_monthly_capacity=Decimal("8000"),
        max_tolerance_um=Decimal("5"),
        min_process_temperature_c=1050,
        radius_km=150,
        preferred_category="micro",
        due_date=datetime.date(2026, 9, 30),
    )

    response = client.get(facility.get_absolute_url())

    assertContains(response, 'Open needs <span class="count">(1)</span>', html=True)
    assertContains(response, "Wire-EDM slicing of N52 blocks")
    assertContains(response, "CNC turning")
    assertContains(response, "50,000 pieces")
    assertContains(response, "Monthly capacity ≥ 8,000 pieces")
    assertContains(response, "Tolerance ≤ 5 µm")
    assertContains(response, "Process temperature ≥ 1,050 °C")
    assertContains(response, "Suppliers within 150 km")
    assertContains(response, "IATF_16949")
    assertContains(response, "ISO_9001")
    assertContains(response, "Preferred MSME category: Micro")
    assertContains(response, '<time datetime="2026-09-30">30 Sep 2026</time>', html=True)


def test_the_facility_page_reads_a_needs_figures_in_hindi_with_indian_grouping(
    client: Client, scheme
) -> None:
    facility = FacilityFactory(scheme=scheme)
    make_need(
        facility,
        quantity=Decimal("1200000.00"),
        min_monthly_capacity=Decimal("150000"),
        max_tolerance_um=Decimal("2.50"),
        min_process_temperature_c=1050,
        radius_km=1500,
        due_date=datetime.date(2026, 12, 15),
    )

    response = client.get(f"/hi{facility.get_absolute_url()}")

    assertContains(response, "12,00,000 नग")
    assertContains(response, "≥ 1,50,000 नग")
    assertContains(response, "≤ 2.5 µm")
    assertContains(response, "≥ 1,050 °C")
    assertContains(response, "1,500 किमी के भीतर")
    assertContains(response, '<time datetime="2026-12-15">15 दिस 2026</time>', html=True)


def test_a_closed_need_does_not_appear_on_the_facility_page(client: Client, scheme) -> None:
    facility = FacilityFactory(scheme=scheme)
    NeedFactory(facility=facility, title="Nickel plating, still open")
    NeedFactory(facility=facility, title="Graphite boats, already bought", status="closed")

    response = client.get(facility.get_absolute_url())

    assertContains(response, "Nickel plating, still open")
    assertNotContains(response, "Graphite boats, already bought")


@pytest.mark.parametrize("need_count", [1, 5])
def test_the_facility_page_costs_the_same_queries_however_many_needs(
    client: Client, django_assert_max_num_queries, scheme, need_count: int
) -> None:
    facility = FacilityFactory(scheme=scheme)
    facility.stages.add(ValueChainStageFactory(), ValueChainStageFactory())
    for _ in range(need_count):
        make_need(facility)

    # facility (+ cluster, state, open-needs count), its stages, open needs (+ process,
    # category), their certifications.
    with django_assert_max_num_queries(4):
        response = client.get(facility.get_absolute_url())
    assert response.content.decode().count("IATF_16949") == need_count


def test_an_unknown_facility_is_a_friendly_404(client: Client) -> None:
    response = client.get("/facilities/integrated-repm-facility-99/")

    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, 'href="/facilities/"', status_code=404)


# --- Clusters ----------------------------------------------------------------------------------


def test_the_cluster_list_labels_clusters_and_corridors_by_kind(client: Client) -> None:
    ClusterFactory(name="Hosur REPM Cluster")
    ClusterFactory(name="Tamil Nadu Rare Earth Corridor", kind=Cluster.Kind.RARE_EARTH_CORRIDOR)

    response = client.get("/clusters/")

    assertContains(response, "REPM manufacturing clusters</h2>")
    assertContains(response, "Rare Earth Corridors</h2>")
    assertContains(response, "Hosur REPM Cluster")
    assertContains(response, "Tamil Nadu Rare Earth Corridor")


def test_the_cluster_page_shows_its_districts_assets_facilities_and_source(
    client: Client, scheme
) -> None:
    cluster = ClusterFactory(
        name="Hosur REPM Cluster",
        status=Cluster.Status.PROPOSED,
        centre_latitude=12.7409,
        centre_longitude=77.8253,
        source_title="Union Budget 2026-27 speech",
        source_url="https://www.indiabudget.gov.in/",
    )
    cluster.districts.add(
        DistrictFactory(name="Krishnagiri", headquarters="Krishnagiri", geonameid=1234567)
    )
    ClusterAssetFactory(
        cluster=cluster,
        kind=ClusterAsset.Kind.TOOL_ROOM,
        name="Hosur tool room",
        capacity="30 machines",
        status=ClusterAsset.Status.OPERATIONAL,
    )
    facility = FacilityFactory(scheme=scheme, number=3, cluster=cluster)
    NeedFactory(facility=facility)

    response = client.get(cluster.get_absolute_url())

    assertContains(response, "<h1>Hosur REPM Cluster</h1>", html=True)
    assertContains(response, "Tamil Nadu")
    assertContains(response, "Proposed")
    assertContains(response, "12.7409°&nbsp;N, 77.8253°&nbsp;E")
    assertContains(response, "Krishnagiri")
    assertContains(response, 'href="https://www.geonames.org/1234567/"')
    assertContains(response, "Tool room")
    assertContains(response, "Hosur tool room")
    assertContains(response, "30 machines")
    assertContains(response, "Operational")
    assertContains(
        response,
        '<a href="/facilities/integrated-repm-facility-3/">Integrated REPM Facility 3</a>',
        html=True,
    )
    assertContains(response, "1 open need")
    assertContains(
        response,
        '<a href="https://www.indiabudget.gov.in/" rel="external">Union Budget 2026-27 speech</a>',
        html=True,
    )


@pytest.mark.parametrize("rows", [1, 5])
def test_the_cluster_page_costs_the_same_queries_however_many_rows(
    client: Client, django_assert_max_num_queries, scheme, rows: int
) -> None:
    cluster = ClusterFactory()
    for number in range(1, rows + 1):
        cluster.districts.add(DistrictFactory())
        ClusterAssetFactory(cluster=cluster)
        NeedFactory(facility=FacilityFactory(scheme=scheme, cluster=cluster, number=number))

    # cluster (+ state, facility count), its assets, districts, facilities (+ open-needs count),
    # and the supply-and-demand panel's snapshot (none computed here; with one, its rows, the
    # cluster's supply and the processes: tests/insights/test_public.py).
    with django_assert_max_num_queries(5):
        response = client.get(cluster.get_absolute_url())
    assert response.status_code == 200


def test_an_unknown_cluster_is_a_friendly_404(client: Client) -> None:
    response = client.get("/clusters/atlantis/")

    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)


# --- Hindi, layout, health ---------------------------------------------------------------------


def test_hindi_pages_are_served_under_hi_with_hindi_navigation(client: Client, scheme) -> None:
    facility = FacilityFactory(scheme=scheme)

    for path in ["/hi/", "/hi/facilities/", facility.get_absolute_url().replace("/", "/hi/", 1)]:
        response = client.get(path)
        assertContains(response, '<html lang="hi">')
        assertContains(response, "सुविधाएँ")
        assertContains(response, "मुखपृष्ठ")


def test_english_pages_link_to_the_same_page_in_hindi_and_back(client: Client, scheme) -> None:
    assertContains(client.get("/facilities/"), '<html lang="en">')
    assertContains(client.get("/facilities/"), 'href="/hi/facilities/"')
    assertContains(client.get("/hi/facilities/"), 'href="/facilities/"')


def test_every_page_has_a_skip_link_a_main_landmark_and_the_attributions(
    client: Client, scheme
) -> None:
    response = client.get("/")

    assertContains(response, '<meta name="viewport" content="width=device-width, initial-scale=1">')
    assertContains(response, 'href="#main"')
    assertContains(response, '<main id="main"')
    assertContains(response, "REPM Connect")
    assertContains(response, "S.O. 5800(E)")
    assertContains(response, "26 November 2025")
    assertContains(response, "GeoNames")
    assertContains(response, "CC BY 4.0")


def test_the_health_check_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


# "%2F" because the test client would read "//evil.example/" as a host; browsers send it as a path.
@pytest.mark.parametrize("path", ["/%2Fevil.example/", "/hi/%2Fevil.example/"])
def test_the_language_switcher_never_links_off_site_from_a_404(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assertNotContains(response, 'href="//evil.example', status_code=404)
    assertContains(response, 'href="/hi/" hreflang="hi"', status_code=404)
    assertContains(response, 'href="/" hreflang="en"', status_code=404)


def test_the_500_page_renders_without_a_request_or_the_database(
    django_assert_num_queries,
) -> None:
    from django.template.loader import get_template

    with django_assert_num_queries(0):
        html = get_template("500.html").render({})
    assert "Something went wrong" in html
    assert 'lang="hi"' in html


def test_the_list_pages_cost_the_same_queries_however_many_rows(
    client: Client, django_assert_max_num_queries, scheme
) -> None:
    for number in range(1, 6):
        facility = FacilityFactory(scheme=scheme, number=number)
        facility.stages.add(ValueChainStageFactory())

    # scheme (4: itself, milestones, net-worth slabs, figure sources); facilities, their stages.
    with django_assert_max_num_queries(6):
        assert client.get("/facilities/").status_code == 200
    # clusters (+ state, facility count).
    with django_assert_max_num_queries(1):
        assert client.get("/clusters/").status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_and_names_redis_when_redis_does_not_answer(client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "redis": "error"}


@pytest.mark.django_db(transaction=True)
def test_a_page_answers_503_with_the_styled_page_while_the_database_is_down(postgres) -> None:
    # A database server that goes away: SQLite's in-memory test database cannot.
    client = Client(raise_request_exception=False)  # as a browser sees it: the error page
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens on port 1
    try:
        response = client.get("/facilities/")
        healthz = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assertContains(response, "Back in a moment", status_code=503)
    assertContains(response, "कुछ ही देर में वापस", status_code=503)
    assert healthz.status_code == 503
    assert healthz.json()["database"] == "error"
    assert client.get("/facilities/").status_code == 200  # and back once it answers
