"""The insights pages: who may read them, what they show, their CSV downloads and charts."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from insights import services
from insights.models import ProcessFigure
from insights.tables import Link, Table, cell_html, cell_text, csv_text
from tests.factories import UserFactory
from tests.insights.conftest import FEW, SUPPLIER_NAME, Country, build_country, wait_for_snapshot

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def page_urls(country: Country) -> list[str]:
    cluster, facility = country.clusters[0], country.facilities[0]
    return [
        "/insights/",
        "/insights/supply/",
        f"/insights/clusters/{cluster.slug}/",
        f"/insights/facilities/{facility.slug}/",
    ]


def csv_urls(country: Country) -> list[str]:
    cluster, facility = country.clusters[0], country.facilities[0]
    return [
        *(f"/insights/{key}.csv" for key in ("processes", "clusters", "facilities", "gaps")),
        "/insights/cluster_processes.csv",
        "/insights/supply/lacking.csv",
        "/insights/supply/matrix.csv",
        f"/insights/clusters/{cluster.slug}/processes.csv",
        f"/insights/clusters/{cluster.slug}/supply.csv",
        f"/insights/facilities/{facility.slug}/needs.csv",
        f"/insights/facilities/{facility.slug}/processes.csv",
    ]


@pytest.fixture
def staff(client: Client, staff_user) -> Client:
    client.force_login(staff_user)
    return client


@pytest.fixture
def computed(country: Country) -> Country:
    services.snapshot_refresh()
    return country


# --- Access --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client: Client, computed: Country) -> None:
    for url in [*page_urls(computed), *csv_urls(computed)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")
        assert SUPPLIER_NAME not in response.content.decode()


def test_an_msme_owner_is_refused(client: Client, computed: Country, msme_user) -> None:
    client.force_login(msme_user)
    for url in [*page_urls(computed), *csv_urls(computed)]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert SUPPLIER_NAME not in response.content.decode()
    assert client.post("/insights/refresh/").status_code == 403


def test_a_facility_manager_is_refused_and_sees_no_link_in_the_admin(
    facility_manager, computed: Country
) -> None:
    for url in [*page_urls(computed), *csv_urls(computed)]:
        assert facility_manager.get(url).status_code == 403, url
    assert 'href="/insights/"' not in facility_manager.get("/admin/").content.decode()


def test_a_superuser_reads_the_pages(client: Client, computed: Country) -> None:
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for url in page_urls(computed):
        assert client.get(url).status_code == 200, url


def test_staff_read_every_page_in_english_and_hindi(staff: Client, computed: Country) -> None:
    for url in page_urls(computed):
        for prefix in ("", "/hi"):
            response = staff.get(prefix + url)
            assert response.status_code == 200, prefix + url
            assert response["Content-Language"] == (prefix.strip("/") or "en")


def test_the_pages_answer_in_a_bounded_number_of_queries(
    staff: Client, computed: Country, django_assert_max_num_queries
) -> None:
    # Session and user (2), the user's permissions and its groups' (2), and the snapshot (1),
    # then: the overview 10 (national rows, cluster
    # rows, supply anywhere, supply near, processes, national totals, cluster totals,
    # clusters, facility totals, facilities); what clusters lack 3 (clusters, processes,
    # supply); a cluster 4 (the cluster, its rows, its supply, processes); a facility 3 (the
    # facility, its rows, its needs). None grows with the rows.
    budgets = dict(zip(page_urls(computed), (15, 8, 9, 8), strict=True))
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert staff.get(url).status_code == 200


def test_an_unknown_cluster_facility_or_table_is_404(staff: Client, computed: Country) -> None:
    assert staff.get("/insights/clusters/atlantis/").status_code == 404
    assert staff.get("/insights/facilities/atlantis/").status_code == 404
    assert staff.get("/insights/nothing.csv").status_code == 404


def test_a_radius_that_is_not_offered_falls_back_to_the_default(
    staff: Client, computed: Country
) -> None:
    for radius in ("7", "abc", "-250", "2500000000000000000000"):
        response = staff.get("/insights/supply/", {"radius": radius})
        assert response.status_code == 200
        assert "within 250 km" in response.content.decode()
    assert "within 500 km" in staff.get("/insights/supply/?radius=500").content.decode()


@pytest.mark.django_db(transaction=True)
def test_before_any_snapshot_the_page_says_so_and_offers_to_compute(
    task_runner, client: Client, settings
) -> None:
    settings.INSIGHTS_FEW_MATCHES = FEW
    build_country()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get("/insights/")
    assert response.status_code == 200
    assert "The figures have not been computed yet." in response.content.decode()
    assert client.get("/insights/processes.csv").status_code == 404

    response = client.post("/insights/refresh/", follow=True)
    assert response.redirect_chain == [("/insights/", 302)]
    assert "The figures are being recomputed" in response.content.decode()
    wait_for_snapshot()
    assert "Figures as of" in client.get("/insights/").content.decode()
    assert client.get("/insights/refresh/").status_code == 405


# --- What the pages say --------------------------------------------------------------------


def test_the_overview_shows_the_national_totals_and_highlights_the_gaps(
    staff: Client, computed: Country
) -> None:
    html = staff.get("/insights/").content.decode()
    national = ProcessFigure.objects.filter(level="national")
    open_needs = sum(f.open_needs for f in national)
    without = sum(f.needs_without_match for f in national)
    assert re.search(rf'figure__value">{open_needs}<', html)
    assert re.search(rf'figure__value">{without}<', html)
    assert 'class="row--gap"' in html
    assert "need unmatched" in html or "needs unmatched" in html
    assert "No cluster yet" in html  # the facility not yet sited in a cluster


def test_no_page_carries_inline_script_or_style(staff: Client, computed: Country) -> None:
    for url in page_urls(computed):
        html = staff.get(url).content.decode()
        assert "<script" not in html
        assert not re.search(r"\sstyle=", html), url
        assert "Content-Security-Policy" in staff.get(url).headers


def test_every_chart_is_well_formed_svg_with_a_title_and_a_row_per_process(
    staff: Client, computed: Country
) -> None:
    for url in page_urls(computed):
        html = staff.get(url).content.decode()
        charts = re.findall(r"<svg class=\"chart__svg\".*?</svg>", html, flags=re.S)
        if url == "/insights/supply/":
            assert not charts
            continue
        assert charts, url
        for chart in charts:
            svg = ET.fromstring(chart)
            assert svg.tag == f"{SVG}svg"
            assert svg.find(f"{SVG}title").text.strip()
            assert svg.get("role") == "img"
            rows = svg.findall(f"{SVG}g[@class]")
            assert any("chart__row" in row.get("class") for row in rows)
    national = staff.get("/insights/").content.decode()
    svg = ET.fromstring(re.search(r"<svg class=\"chart__svg\".*?</svg>", national, re.S)[0])
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart__label"]
    assert labels[0].startswith("CNC turning")
    assert len(labels) == ProcessFigure.objects.filter(level="national").count()


def test_the_hindi_page_names_processes_in_hindi_and_groups_figures_the_indian_way(
    staff: Client, computed: Country
) -> None:
    html = staff.get("/hi/insights/").content.decode()
    assert "<h1>माँग के मुक़ाबले आपूर्ति</h1>" in html
    assert "आवश्यकता बिना मिलान" in html or "आवश्यकताएँ बिना मिलान" in html
    assert "निकल-तांबा-निकल प्लेटिंग" in html
    assert 'lang="en">CNC turning</span>' in html  # English fallback marked as English
    assert cell_html(1234567) == "12,34,567"


def test_the_facility_page_lists_its_needs_fewest_matches_first_with_admin_links(
    staff: Client, computed: Country
) -> None:
    facility = computed.facilities[0]
    response = staff.get(f"/insights/facilities/{facility.slug}/needs.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    matches = [int(row[5]) for row in rows[1:]]
    assert matches == sorted(matches)
    html = staff.get(f"/insights/facilities/{facility.slug}/").content.decode()
    need = facility.needs.filter(status="open").first()
    assert f'href="/admin/schemes/need/{need.pk}/change/"' in html


def test_the_admin_index_links_to_the_insights(staff: Client) -> None:
    assert 'href="/insights/"' in staff.get("/admin/").content.decode()


# --- CSV -----------------------------------------------------------------------------------


def test_every_table_downloads_as_csv_with_the_figures_the_page_shows(
    staff: Client, computed: Country
) -> None:
    for url in csv_urls(computed):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert re.match(
            r'attachment; filename="insights-[\w-]+-\w+-\d{4}-\d\d-\d\d-\d{4}\.csv"',
            response["Content-Disposition"],
        )
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:])))
        assert len({len(row) for row in rows}) == 1, url  # a header and rows alike
        assert SUPPLIER_NAME not in text

    rows = list(
        csv.DictReader(io.StringIO(staff.get("/insights/processes.csv").content.decode()[1:]))
    )
    stored = {f.process.name: f for f in ProcessFigure.objects.filter(level="national")}
    assert {row["Process"] for row in rows} == set(stored)
    for row in rows:
        figure = stored[row["Process"]]
        assert int(row["Open needs"]) == figure.open_needs
        assert int(row["Matching suppliers"]) == figure.matching_suppliers
        assert int(row["Near misses: Certificates"]) == figure.near_certificates
        assert int(row["Needs with no match"]) == figure.needs_without_match


def test_the_hindi_csv_has_hindi_headers_and_names(staff: Client, computed: Country) -> None:
    text = staff.get("/hi/insights/processes.csv").content.decode()
    assert "निकल-तांबा-निकल प्लेटिंग" in text
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header[:3] == ["प्रक्रिया", "खुली आवश्यकताएँ", "बिना मिलान वाली आवश्यकताएँ"]


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text() -> None:
    assert cell_text('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert cell_text(Link("+91 tooling", "/x/")) == "'+91 tooling"
    assert cell_text(-0) == "0"
    table = Table("t", "T", [], [])
    assert csv_text(table) == "\ufeff\r\n"
