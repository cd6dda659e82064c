"""seed_reference loads complete, real reference data, and a second run changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from clusters import reference_data as cluster_data
from clusters.geo import (
    INDIA_MAX_LATITUDE,
    INDIA_MAX_LONGITUDE,
    INDIA_MIN_LATITUDE,
    INDIA_MIN_LONGITUDE,
)
from clusters.models import Cluster, District, State
from schemes.models import Facility, Milestone, NetWorthSlab, Scheme, ValueChainStage
from taxonomy import reference_data as taxonomy_data
from taxonomy.models import CapabilityCategory, CertificationType, Process, StrategicSector

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_reference", stdout=out)
    return out.getvalue()


def test_it_loads_the_scheme_with_its_figures_and_sources() -> None:
    seed()
    scheme = Scheme.objects.get()
    assert scheme.total_outlay_crore == Decimal("7280.00")
    assert scheme.sales_incentive_crore == Decimal("6450.00")
    assert scheme.capital_subsidy_crore == Decimal("750.00")
    assert scheme.target_capacity_mtpa == 6000
    assert scheme.beneficiaries == 5
    assert scheme.max_allocation_mtpa == 1200
    assert scheme.duration_years == 7
    assert scheme.sales_incentive_cap_per_kg_rupees == 2150
    assert scheme.notification_reference == "Gazette of India S.O. 5800(E)"
    backed = ", ".join(scheme.figure_sources.values_list("fields", flat=True))
    for figure in ("total_outlay_crore", "capital_subsidy_percent", "notified_on"):
        assert figure in backed
    assert list(NetWorthSlab.objects.values_list("min_capacity_mtpa", "net_worth_crore")) == [
        (600, Decimal("180.00")),
        (700, Decimal("245.00")),
        (900, Decimal("310.00")),
        (1100, Decimal("375.00")),
    ]


def test_it_loads_the_timeline_with_unknown_dates_left_empty() -> None:
    seed()
    dates = dict(Milestone.objects.values_list("kind", "date"))
    assert dates["bid_due"].isoformat() == "2026-06-29"
    assert dates["rfp_issued"].isoformat() == "2026-03-20"
    assert dates["award"] is None


def test_it_loads_five_facilities_in_bidding_with_no_invented_awardee() -> None:
    seed()
    facilities = Facility.objects.order_by("number")
    assert [f.name for f in facilities] == [f"Integrated REPM Facility {n}" for n in range(1, 6)]
    assert {f.status for f in facilities} == {"bidding"}
    assert {f.awardee for f in facilities} == {""}
    assert all(f.stages.count() == ValueChainStage.objects.count() == 4 for f in facilities)


def test_it_loads_candidate_state_clusters_and_rare_earth_corridors() -> None:
    seed()
    repm = Cluster.objects.filter(kind="repm_cluster")
    assert set(repm.values_list("state__code", flat=True)) == {"GJ", "TN", "KA", "OD", "AP"}
    assert set(repm.values_list("status", flat=True)) == {"proposed"}
    corridors = Cluster.objects.filter(kind="rare_earth_corridor")
    assert set(corridors.values_list("state__code", flat=True)) == {"OD", "KL", "AP", "TN"}
    assert all("Budget 2026-27" in c.source_title for c in corridors)
    for cluster in Cluster.objects.prefetch_related("districts"):
        districts = list(cluster.districts.all())
        assert districts, cluster
        mean_lat = round(sum(d.latitude for d in districts) / len(districts), 5)
        assert cluster.centre_latitude == pytest.approx(mean_lat)


def test_it_loads_at_least_sixty_industrial_districts_with_geonames_coordinates() -> None:
    seed()
    assert District.objects.count() >= 60
    assert State.objects.filter(code__in=["GJ", "TN", "KA", "OD", "AP", "KL"]).count() == 6
    for district in District.objects.all():
        assert INDIA_MIN_LATITUDE <= district.latitude <= INDIA_MAX_LATITUDE
        assert INDIA_MIN_LONGITUDE <= district.longitude <= INDIA_MAX_LONGITUDE
        assert district.geonameid
    krishnagiri = District.objects.get(slug="krishnagiri")
    assert krishnagiri.latitude == pytest.approx(12.52, abs=0.05)
    assert krishnagiri.longitude == pytest.approx(78.21, abs=0.05)


def test_it_loads_the_full_taxonomy_and_certification_types() -> None:
    seed()
    assert CapabilityCategory.objects.count() == 10
    assert (
        Process.objects.count()
        == sum(len(processes) for *_, processes in taxonomy_data.CAPABILITY_TAXONOMY)
        == 40
    )
    assert Process.objects.get(slug="magnet-slicing").category.slug == "machining"
    assert set(CertificationType.objects.values_list("code", flat=True)) == {
        "ISO_9001",
        "IATF_16949",
        "AS9100",
        "ISO_14001",
        "ISO_45001",
        "NABL",
        "ZED_BRONZE",
        "ZED_SILVER",
        "ZED_GOLD",
        "SPCB_CONSENT",
    }
    assert StrategicSector.objects.filter(is_headline=True).count() == 5


def test_a_second_run_changes_nothing() -> None:
    seed()
    snapshot = {
        model: list(model.objects.order_by("pk").values())
        for model in (
            Scheme,
            Facility,
            Cluster,
            District,
            State,
            CapabilityCategory,
            Process,
            CertificationType,
            StrategicSector,
            ValueChainStage,
            Milestone,
        )
    }
    output = seed()
    assert "nothing changed" in output
    for model, rows in snapshot.items():
        assert list(model.objects.order_by("pk").values()) == rows


def test_it_keeps_what_administrators_entered() -> None:
    seed()
    facility = Facility.objects.get(number=1)
    facility.status = "awarded"
    facility.awardee = "Example Magnetics Ltd"
    facility.save()
    Milestone.objects.filter(kind="award").update(date="2026-12-01")
    seed()
    facility.refresh_from_db()
    assert facility.awardee == "Example Magnetics Ltd"
    assert str(Milestone.objects.get(kind="award").date) == "2026-12-01"


def is_hindi(text: str) -> bool:
    return any("\u0900" <= character <= "\u097f" for character in text)


def test_it_loads_a_hindi_name_for_every_shipped_name_people_read() -> None:
    seed()
    named = [
        *Scheme.objects.all(),
        *Facility.objects.all(),
        *ValueChainStage.objects.all(),
        *CapabilityCategory.objects.all(),
        *Process.objects.all(),
        *CertificationType.objects.all(),
        *StrategicSector.objects.all(),
        *Cluster.objects.all(),
        *State.objects.all(),
    ]
    assert len(named) > 90
    for row in named:
        assert is_hindi(row.name_hi), f"{type(row).__name__} {row.name} has no Hindi name"
    scheme = Scheme.objects.get()
    assert scheme.short_name_hi == "REPM योजना"
    assert (scheme.implementing_ministry_hi, scheme.approved_by_hi) == (
        "भारी उद्योग मंत्रालय",
        "केंद्रीय मंत्रिमंडल",
    )
    assert Facility.objects.get(number=3).name_hi == "एकीकृत REPM सुविधा 3"
    assert Process.objects.get(slug="cnc-turning").name_hi == "सीएनसी टर्निंग"
    assert CapabilityCategory.objects.get(slug="heat-treatment").name_hi == "ताप उपचार"
    assert State.objects.get(code="TN").name_hi == "तमिलनाडु"
    assert set(cluster_data.STATE_NAMES_HI) == set(State.objects.values_list("code", flat=True))


def test_it_invents_no_hindi_district_names() -> None:
    seed()
    assert set(District.objects.values_list("name_hi", flat=True)) == {""}


def test_facilities_loaded_before_hindi_names_get_them_unless_renamed() -> None:
    seed()
    Facility.objects.filter(number=1).update(name_hi="")
    Facility.objects.filter(number=2).update(name="Dholera Magnet Works", name_hi="")
    Facility.objects.filter(number=3).update(name_hi="ढोलेरा मैग्नेट संयंत्र")

    seed()

    names = dict(Facility.objects.values_list("number", "name_hi"))
    assert names[1] == "एकीकृत REPM सुविधा 1"
    assert names[2] == ""  # renamed: its Hindi name is the administrator's to write
    assert names[3] == "ढोलेरा मैग्नेट संयंत्र"  # what an administrator wrote stays
    assert "nothing changed" in seed()
