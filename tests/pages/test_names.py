"""The public pages name the scheme's data in the reader's language: Hindi names on Hindi pages,
English that has no Hindi version marked lang="en" there, and English pages left unmarked."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from schemes.models import Facility, Need
from taxonomy.models import CertificationType, Process
from tests.factories import (
    ClusterAssetFactory,
    ClusterFactory,
    DistrictFactory,
    FacilityFactory,
    NeedFactory,
    SchemeFactory,
    StateFactory,
    ValueChainStageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference() -> Facility:
    """The shipped reference data, and one open need on facility 1 (CNC turning, ISO 9001)."""
    call_command("seed_reference", stdout=StringIO())
    facility = Facility.objects.get(number=1)
    NeedFactory(
        facility=facility,
        title="Turned NdFeB rings",
        description="Rings for BLDC rotors",
        process=Process.objects.get(slug="cnc-turning"),
        unit="pieces",
        required_certifications=[CertificationType.objects.get(code="ISO_9001")],
    )
    return facility


def page(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_hindi_home_page_names_the_scheme_facilities_clusters_and_states_in_hindi(
    reference: Facility,
) -> None:
    html = page("/hi/")

    assert "सिंटर्ड रेयर अर्थ परमानेंट मैग्नेट के विनिर्माण को बढ़ावा देने की योजना।" in html
    assert "केंद्रीय मंत्रिमंडल द्वारा अनुमोदित; कार्यान्वयन: भारी उद्योग मंत्रालय।" in html
    assert "रेयर अर्थ ऑक्साइड → धातु → मिश्रधातु → तैयार सिंटर्ड REPM" in html  # value chain
    assert "मंत्रिमंडल की मंज़ूरी" in html  # a milestone's kind
    assert "राजपत्र में अधिसूचित, का.आ. 5800(अ)" in html  # and its note
    assert ">एकीकृत REPM सुविधा 1</a>" in html
    assert "बोली प्रक्रिया में" in html  # status: bidding
    assert ">तमिलनाडु REPM क्लस्टर</a>" in html
    assert ">केरल रेयर अर्थ कॉरिडोर</a>" in html
    assert "प्रस्तावित" in html  # cluster status: proposed
    assert "Integrated REPM Facility" not in html
    assert "Bidding" not in html


def test_the_hindi_facility_page_names_stages_processes_units_and_certificates_in_hindi(
    reference: Facility,
) -> None:
    html = page(f"/hi/facilities/{reference.slug}/")

    assert "<title>एकीकृत REPM सुविधा 1 · REPM Connect</title>" in html
    assert "<h1>एकीकृत REPM सुविधा 1</h1>" in html
    assert "ऑक्साइड से मैग्नेट तक की एकीकृत सुविधा" in html  # the shipped summary
    for stage in ("रेयर अर्थ ऑक्साइड", "रेयर अर्थ धातु", "मैग्नेट मिश्रधातु", "तैयार सिंटर्ड मैग्नेट"):
        assert f"<li>{stage}</li>" in html
    assert 'सीएनसी टर्निंग <span class="muted">(मशीनिंग)</span>' in html
    assert " नग</td>" in html  # unit: pieces
    assert 'title="आईएसओ 9001"' in html
    # The need is typed in English: marked so a screen reader reads it as English.
    assert '<span lang="en">Turned NdFeB rings</span>' in html
    assert '<span lang="en">Rings for BLDC rotors</span>' in html


def test_the_hindi_cluster_pages_mark_district_and_town_names_that_have_no_hindi(
    reference: Facility,
) -> None:
    listing = page("/hi/clusters/")
    assert ">आंध्र प्रदेश रेयर अर्थ कॉरिडोर</a>" in listing
    assert '<p class="card__meta">ओडिशा</p>' in listing

    html = page("/hi/clusters/tamil-nadu-repm-cluster/")
    assert "<h1>तमिलनाडु REPM क्लस्टर</h1>" in html
    assert "होसुर और चेन्नई के ऑटोमोटिव" in html
    assert '<th scope="row"><span lang="en">Krishnagiri</span></th>' in html
    assert '<span lang="en">Kanchipuram</span>' in html  # the headquarters town


def test_a_name_with_no_hindi_yet_is_shown_in_english_marked_lang_en(client: Client) -> None:
    state = StateFactory()
    facility = FacilityFactory(
        name="Dholera Magnet Works",
        cluster=ClusterFactory(name="Sanand cluster", state=state),
        awardee="Example Magnetics Ltd",
        status=Facility.Status.AWARDED,
    )
    facility.stages.add(ValueChainStageFactory(name="Strip casting"))
    ClusterAssetFactory(cluster=facility.cluster, name="Common testing lab")

    listing = page("/hi/facilities/")
    assert '<span lang="en">Dholera Magnet Works</span>' in listing
    assert '<span lang="en">Sanand cluster</span>' in listing
    assert '<span lang="en">Example Magnetics Ltd</span>' in listing
    assert "लाभार्थी चयनित" in listing  # the status has a Hindi label whatever the data

    detail = page(f"/hi/facilities/{facility.slug}/")
    # <title> holds text, not markup: the English name, unmarked.
    assert "<title>Dholera Magnet Works · REPM Connect</title>" in detail
    assert '<h1><span lang="en">Dholera Magnet Works</span></h1>' in detail
    assert '<li><span lang="en">Strip casting</span></li>' in detail
    # A state with no Hindi name is English too.
    assert '<span lang="en">Tamil Nadu</span>' in detail

    cluster = page(f"/hi/clusters/{facility.cluster.slug}/")
    assert '<th scope="row"><span lang="en">Common testing lab</span></th>' in cluster


def test_the_hindi_name_an_administrator_enters_replaces_the_english_one(client: Client) -> None:
    facility = FacilityFactory(name="Dholera Magnet Works", name_hi="ढोलेरा मैग्नेट संयंत्र")

    html = page("/hi/facilities/")

    assert ">ढोलेरा मैग्नेट संयंत्र</a>" in html
    assert "Dholera" not in html
    assert ">Dholera Magnet Works</a>" in page("/facilities/")
    with translation.override("en"):
        assert facility.localized_name == "Dholera Magnet Works"
    with translation.override("hi"):
        assert facility.localized_name == "ढोलेरा मैग्नेट संयंत्र"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/facilities/",
        "/facilities/integrated-repm-facility-1/",
        "/clusters/",
        "/clusters/tamil-nadu-repm-cluster/",
    ],
)
def test_english_pages_show_english_names_and_no_language_marks(
    reference: Facility, path: str
) -> None:
    html = page(path)

    assert "<span lang=" not in html
    assert "<option lang=" not in html
    assert "हिन्दी" in html  # the language switcher is the only Hindi on the page
    assert not any(hindi in html for hindi in ("एकीकृत", "सीएनसी", "तमिलनाडु", "नग<", "बोली प्रक्रिया"))
    if path == "/facilities/integrated-repm-facility-1/":
        assert "CNC turning" in html
        assert "Rare-earth oxide" in html
        assert "50,000 pieces" in html or "50000 pieces" in html
    if path == "/":
        assert ">Integrated REPM Facility 1</a>" in html
        assert "Bidding" in html
        assert "Approved by the Union Cabinet on 26 November 2025" in html


def test_english_in_a_hindi_page_is_escaped_when_marked(client: Client) -> None:
    NeedFactory(title="Rings <b>& discs</b>", facility=FacilityFactory())
    need = Need.objects.get()

    html = page(f"/hi/facilities/{need.facility.slug}/")

    assert '<span lang="en">Rings &lt;b&gt;&amp; discs&lt;/b&gt;</span>' in html


def test_the_hindi_list_pages_cost_the_same_queries_as_the_english_ones(
    client: Client, django_assert_max_num_queries
) -> None:
    scheme = SchemeFactory(name_hi="योजना")
    for number in range(1, 6):
        facility = FacilityFactory(
            scheme=scheme, number=number, cluster=ClusterFactory(state=StateFactory())
        )
        facility.stages.add(ValueChainStageFactory())
        NeedFactory(facility=facility)
        facility.cluster.districts.add(DistrictFactory())

    # As pinned for the English pages (tests/pages/test_pages.py): Hindi names come in the
    # same rows, so a Hindi page costs nothing more.
    with django_assert_max_num_queries(7):
        assert client.get("/hi/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/hi/facilities/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/hi/clusters/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"/hi/facilities/{facility.slug}/").status_code == 200
    with django_assert_max_num_queries(5):  # + the supply-and-demand panel's snapshot
        assert client.get(f"/hi/clusters/{facility.cluster.slug}/").status_code == 200
