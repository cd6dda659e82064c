"""Sources lead somewhere: each links to its exact document or is named without a link, and a
section cites each source once."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.test import Client

from schemes.models import Source

pytestmark = pytest.mark.usefixtures("reference")


def test_no_source_links_to_a_site_s_home_page() -> None:
    for source in Source.objects.exclude(url=""):
        if source.key == "geonames":
            continue  # a data set, cited by its home as its licence asks
        path = urlparse(source.url).path.strip("/")
        assert path or urlparse(source.url).query, f"{source.key} links to {source.url}"
    unlinked = Source.objects.filter(url="")
    assert all(source.publisher and source.published_on for source in unlinked)


def test_the_gazette_and_the_tender_release_link_to_their_own_documents() -> None:
    gazette = Source.objects.get(key="gazette-so-5800e")
    assert gazette.url == "https://egazette.gov.in/WriteReadData/2025/268535.pdf"
    assert "268535" in gazette.reference  # CG-DL-E-16122025-268535
    tender = Source.objects.get(key="mhi-tender-2026-05-15")
    assert tender.url.endswith("PRID=2261399")


def test_the_home_page_cites_each_source_once_per_section(client: Client) -> None:
    page = client.get("/").content.decode()
    figures = page.split('id="figures-heading"')[1].split("</section>")[0]
    listed = re.findall(r'<li id="figures-source-\d+">', figures)
    markers = re.findall(r'href="#figures-source-(\d+)"', figures)
    assert len(listed) == len(set(markers)) >= 1
    assert len(markers) >= 7  # seven figures, each pointing at its source's one entry
    assert figures.count("Cabinet approves Scheme to Promote Manufacturing") == 1
    assert "https://pib.gov.in/" not in page


def test_the_home_page_leads_to_the_self_check(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'href="/eligibility/"' in page
    assert 'href="/hi/eligibility/"' in client.get("/hi/").content.decode()
