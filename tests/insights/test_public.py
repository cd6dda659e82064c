"""The public cluster page's supply-and-demand panel: aggregates only, no supplier named."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from clusters.geo import great_circle_km
from insights import services
from insights.models import ProcessFigure
from tests.factories import ClusterFactory
from tests.insights.conftest import SUPPLIER_NAME, Country
from vendors.models import Supplier, SupplierCapability

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(country: Country) -> Country:
    services.snapshot_refresh()
    return country


def test_the_public_cluster_page_shows_counts_and_names_no_supplier(
    client: Client, computed: Country
) -> None:
    cluster = computed.clusters[0]
    names = list(Supplier.objects.values_list("name", flat=True))
    for prefix in ("", "/hi"):
        html = client.get(f"{prefix}/clusters/{cluster.slug}/").content.decode()
        assert 'id="supply-demand-heading"' in html
        assert SUPPLIER_NAME not in html
        assert not any(name in html for name in names)
        assert "/insights/" not in html  # no link into the staff pages
        assert "/admin/" not in html

    html = client.get(f"/clusters/{cluster.slug}/").content.decode()
    for figure in ProcessFigure.objects.filter(level="cluster", cluster=cluster):
        row = re.search(
            rf"<tr[^>]*><th scope=\"row\">{re.escape(figure.process.name)}</th>(.*?)</tr>", html
        )
        assert row, figure.process.name
        assert f">{figure.open_needs}</td>" in row[1]
        assert f">{figure.matching_suppliers}</td>" in row[1]
    chart = re.search(r"<svg class=\"chart__svg\".*?</svg>", html, re.S)[0]
    ET.fromstring(chart)


def test_the_public_table_downloads_as_csv_without_names(client: Client, computed: Country) -> None:
    cluster = computed.clusters[0]
    response = client.get(f"/clusters/{cluster.slug}/supply_demand.csv")
    assert response.status_code == 200
    text = response.content.decode()
    assert SUPPLIER_NAME not in text
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert {row["Process"] for row in rows} == set(
        ProcessFigure.objects.filter(level="cluster", cluster=cluster).values_list(
            "process__name", flat=True
        )
    )
    assert client.get(f"/clusters/{cluster.slug}/other.csv").status_code == 404
    assert client.get("/clusters/atlantis/supply_demand.csv").status_code == 404


def test_before_any_snapshot_the_public_page_shows_no_panel(
    client: Client, country: Country
) -> None:
    cluster = country.clusters[0]
    response = client.get(f"/clusters/{cluster.slug}/")
    assert response.status_code == 200
    assert 'id="supply-demand-heading"' not in response.content.decode()
    assert client.get(f"/clusters/{cluster.slug}/supply_demand.csv").status_code == 404


def test_a_cluster_without_needs_lists_the_processes_no_one_offers_nearby(
    client: Client, country: Country
) -> None:
    kutch = ClusterFactory(name="Kutch Corridor", centre_latitude=23.25, centre_longitude=69.67)
    near = ClusterFactory(name="Krishnagiri Park", centre_latitude=12.74, centre_longitude=77.83)
    services.snapshot_refresh()

    for cluster in (kutch, near):
        offered = {
            capability.process.name
            for capability in SupplierCapability.objects.select_related("supplier", "process")
            if capability.supplier.is_active
            and great_circle_km(
                capability.supplier.latitude,
                capability.supplier.longitude,
                cluster.centre_latitude,
                cluster.centre_longitude,
            )
            <= 250
        }
        lacking = [p.name for p in country.processes if p.name not in offered]
        html = client.get(f"/clusters/{cluster.slug}/").content.decode()
        assert "No facility in this cluster has an open need yet." in html
        if lacking:
            listed = re.search(r"offers within 250 km</h3>\s*<p>(.*?)</p>", html, flags=re.S)[1]
            assert listed.split(", ") == lacking
        else:
            assert "Every process is offered by a registered supplier within 250 km." in html
    assert "offers within 250 km</h3>" in client.get(f"/clusters/{kutch.slug}/").content.decode()


def test_the_public_cluster_page_answers_in_a_bounded_number_of_queries(
    client: Client, computed: Country, django_assert_max_num_queries
) -> None:
    # The cluster with its assets, districts and facilities (4), then the panel: the snapshot,
    # the cluster's rows, its supply and the processes (4).
    with django_assert_max_num_queries(8):
        assert client.get(f"/clusters/{computed.clusters[0].slug}/").status_code == 200
