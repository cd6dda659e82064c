"""seed_demo: deterministic, valid, demo-flagged synthetic MSMEs and needs, and a clean --clear."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from stdnum.in_ import gstin as stdnum_gstin

from clusters.geo import (
    INDIA_MAX_LATITUDE,
    INDIA_MAX_LONGITUDE,
    INDIA_MIN_LATITUDE,
    INDIA_MIN_LONGITUDE,
)
from clusters.models import Cluster, District
from matching.models import Match
from schemes.models import Facility, Need
from seeding.demo.catalogue import CATEGORY_SPECS, PROCESS_SPECS
from taxonomy.choices import Material
from taxonomy.models import MsmeLimit, Process
from tests.factories import MatchFactory, NeedFactory, SupplierCapabilityFactory, SupplierFactory
from vendors.models import Certification, Supplier, SupplierCapability

pytestmark = pytest.mark.django_db

UDYAM_RE = re.compile(r"^UDYAM-([A-Z]{2})-(\d{2})-\d{7}$")
EXTERNAL_REF_RE = re.compile(r"^F(\d)-N\d{4}$")


@pytest.fixture
def reference() -> None:
    call_command("seed_reference", stdout=StringIO())


def seed_demo(**options: object) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def fingerprint() -> tuple[list[tuple], list[tuple]]:
    """Everything a seed decides, without ids or timestamps (which differ between runs)."""
    suppliers = (
        Supplier.objects.filter(is_demo=True)
        .select_related("state", "district")
        .prefetch_related("capabilities__process", "certifications__certification_type", "sectors")
        .order_by("udyam_number")
    )
    supplier_rows = [
        (
            s.name,
            s.udyam_number,
            s.gstin,
            s.pin_code,
            s.category,
            s.district.slug,
            s.latitude,
            s.longitude,
            s.investment_rupees,
            s.turnover_rupees,
            s.employees,
            s.year_established,
            s.contact_email,
            s.is_verified,
            s.is_active,
            tuple(sorted(sector.slug for sector in s.sectors.all())),
            tuple(
                sorted(
                    (
                        c.process.slug,
                        c.monthly_capacity,
                        c.capacity_unit,
                        c.best_tolerance_um,
                        c.max_temperature_c,
                        tuple(c.materials),
                        c.years_experience,
                    )
                    for c in s.capabilities.all()
                )
            ),
            tuple(
                sorted(
                    (c.certification_type.code, c.number, c.issuer, c.valid_until, c.is_verified)
                    for c in s.certifications.all()
                )
            ),
        )
        for s in suppliers
    ]
    needs = (
        Need.objects.filter(is_demo=True)
        .select_related("facility", "process")
        .prefetch_related("required_certifications")
        .order_by("facility__number", "external_ref")
    )
    need_rows = [
        (
            n.facility.number,
            n.external_ref,
            n.title,
            n.process.slug,
            n.quantity,
            n.unit,
            n.min_monthly_capacity,
            n.max_tolerance_um,
            n.min_process_temperature_c,
            n.radius_km,
            n.preferred_category,
            n.due_date,
            n.status,
            tuple(sorted(c.code for c in n.required_certifications.all())),
        )
        for n in needs
    ]
    return supplier_rows, need_rows


def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not(reference: None) -> None:
    seed_demo(suppliers=60, needs=20, seed=7, clear=True)
    first = fingerprint()
    seed_demo(suppliers=60, needs=20, seed=7, clear=True)
    assert fingerprint() == first
    assert len(first[0]) == 60
    assert len(first[1]) == 20

    seed_demo(suppliers=60, needs=20, seed=8, clear=True)
    other = fingerprint()
    assert {row[1] for row in other[0]}.isdisjoint({row[1] for row in first[0]})
    assert other[1] != first[1]


def test_identifiers_are_valid_and_agree_with_the_suppliers_state(reference: None) -> None:
    seed_demo(suppliers=150, needs=0, seed=3)
    suppliers = list(Supplier.objects.select_related("state", "district"))
    assert len(suppliers) == 150
    for supplier in suppliers:
        assert stdnum_gstin.is_valid(supplier.gstin), supplier.gstin
        assert supplier.gstin[:2] == supplier.state.gst_code
        assert supplier.pan == supplier.gstin[2:12]
        assert supplier.pan[4] == supplier.name[0].upper()  # PAN carries the name's initial
        state_code, district_code = UDYAM_RE.match(supplier.udyam_number).groups()
        assert state_code == supplier.state.code
        assert district_code == supplier.district.code
        assert supplier.district.state_id == supplier.state_id
        assert re.fullmatch(r"[1-9]\d{5}", supplier.pin_code)
        supplier.full_clean()  # every model and field validator agrees


def test_the_category_is_computed_from_the_figures_with_the_limits_in_force(
    reference: None,
) -> None:
    seed_demo(suppliers=300, needs=0, seed=4)
    classification = MsmeLimit.objects.classification_on(datetime.date.today())
    categories = set()
    for supplier in Supplier.objects.all():
        assert supplier.category == classification.category_for(
            investment=supplier.investment_rupees, turnover=supplier.turnover_rupees
        )
        assert supplier.pan == supplier.gstin[2:12]  # derived as save() derives it
        categories.add(supplier.category)
    assert {"micro", "small", "medium"} <= categories
    micro = Supplier.objects.filter(category="micro").count()
    assert micro > Supplier.objects.count() / 2  # most MSMEs are micro


def test_suppliers_sit_near_their_district_headquarters_inside_india(reference: None) -> None:
    seed_demo(suppliers=200, needs=0, seed=5)
    for supplier in Supplier.objects.select_related("district"):
        assert INDIA_MIN_LATITUDE <= supplier.latitude <= INDIA_MAX_LATITUDE
        assert INDIA_MIN_LONGITUDE <= supplier.longitude <= INDIA_MAX_LONGITUDE
        assert abs(supplier.latitude - supplier.district.latitude) <= 0.08 + 1e-6
        assert abs(supplier.longitude - supplier.district.longitude) <= 0.08 + 1e-6
    candidate_share = (
        Supplier.objects.filter(state__code__in=["GJ", "TN", "KA", "OD", "AP"]).count() / 200
    )
    assert candidate_share > 0.5  # weighted towards the candidate states


def test_capabilities_fit_their_process_and_certificates_fit_the_supplier(
    reference: None,
) -> None:
    seed_demo(suppliers=200, needs=0, seed=6)
    per_supplier = Supplier.objects.annotate(
        caps=Count("capabilities", distinct=True),
        certs=Count("certifications", distinct=True),
        n_sectors=Count("sectors", distinct=True),
    )
    for supplier in per_supplier:
        assert 1 <= supplier.caps <= 5
        assert 0 <= supplier.certs <= 4
        assert 1 <= supplier.n_sectors <= 3
    for capability in SupplierCapability.objects.select_related("process__category"):
        process = capability.process
        spec = PROCESS_SPECS.get(process.slug) or CATEGORY_SPECS[process.category.slug]
        assert capability.capacity_unit == spec.unit
        assert capability.monthly_capacity > 0
        assert (capability.best_tolerance_um is not None) == (spec.tolerance_um is not None)
        if capability.best_tolerance_um is not None:
            assert Decimal("2") <= capability.best_tolerance_um <= Decimal("50")
        assert (capability.max_temperature_c is not None) == (spec.temperature_c is not None)
        if capability.max_temperature_c is not None:
            assert 600 <= capability.max_temperature_c <= 1400
        assert capability.materials
        assert set(capability.materials) <= set(Material.values)
    spcb = Certification.objects.filter(certification_type__code="SPCB_CONSENT")
    assert spcb.exists()
    assert all("Pollution Control" in c.issuer or "Environment" in c.issuer for c in spcb)
    assert (
        not Certification.objects.filter(certification_type__code="NABL")
        .exclude(issuer="NABL")
        .exists()
    )


def test_some_certificates_are_expired_and_most_are_valid(reference: None) -> None:
    seed_demo(suppliers=300, needs=0, seed=9)
    today = datetime.date.today()
    total = Certification.objects.count()
    expired = Certification.objects.filter(valid_until__lt=today).count()
    assert total > 100
    assert 0 < expired < total / 2


def test_needs_are_spread_over_the_facilities_with_consistent_units(reference: None) -> None:
    out = seed_demo(suppliers=0, needs=80, seed=2)
    needs = list(
        Need.objects.select_related("facility", "process__category").prefetch_related(
            "required_certifications"
        )
    )
    assert len(needs) == 80
    assert {n.facility.number for n in needs} == {1, 2, 3, 4, 5}
    refs = [(n.facility_id, n.external_ref) for n in needs]
    assert len(set(refs)) == len(refs)
    for need in needs:
        assert need.is_demo
        number = int(EXTERNAL_REF_RE.match(need.external_ref).group(1))
        assert number == need.facility.number
        spec = PROCESS_SPECS.get(need.process.slug) or CATEGORY_SPECS[need.process.category.slug]
        assert need.unit == spec.unit
        assert need.quantity > 0
        assert datetime.date(2027, 1, 1) <= need.due_date <= datetime.date(2029, 12, 31)
        if need.max_tolerance_um is not None:
            assert need.process.category.slug == "machining"
        if need.min_process_temperature_c is not None:
            assert need.process.category.slug == "heat-treatment"
        if need.radius_km is not None:
            assert 100 <= need.radius_km <= 800
        assert need.required_certifications.count() <= 2
    open_share = sum(n.status == Need.Status.OPEN for n in needs) / len(needs)
    assert open_share > 0.75
    assert "needs 80/80" in out


def test_facilities_without_a_cluster_get_a_demo_repm_cluster(reference: None) -> None:
    administrators_choice = Cluster.objects.get(slug="kerala-rare-earth-corridor")
    Facility.objects.filter(number=3).update(cluster=administrators_choice)

    seed_demo(suppliers=0, needs=10, seed=1)

    clusters = sorted(Cluster.objects.filter(kind=Cluster.Kind.REPM_CLUSTER), key=lambda c: c.name)
    for facility in Facility.objects.select_related("cluster"):
        if facility.number == 3:
            assert facility.cluster == administrators_choice
            assert not facility.cluster_is_demo
        else:
            assert facility.cluster == clusters[facility.number - 1]
            assert facility.cluster_is_demo


def test_without_clear_new_rows_are_added_and_keys_stay_unique(reference: None) -> None:
    seed_demo(suppliers=40, needs=10, seed=7)
    seed_demo(suppliers=40, needs=10, seed=7)
    assert Supplier.objects.filter(is_demo=True).count() == 80
    assert Need.objects.filter(is_demo=True).count() == 20
    assert Supplier.objects.values("udyam_number").distinct().count() == 80
    assert Supplier.objects.values("gstin").distinct().count() == 80
    refs = list(Need.objects.values_list("facility_id", "external_ref"))
    assert len(set(refs)) == 20


def test_clear_removes_every_demo_row_and_leaves_real_data_alone(reference: None) -> None:
    district = District.objects.get(slug="krishnagiri")
    real_supplier = SupplierFactory(
        name="Hosur Real Magnet Works", state=district.state, district=district
    )
    real_capability = SupplierCapabilityFactory(
        supplier=real_supplier, process=Process.objects.get(slug="wire-edm")
    )
    facility_one = Facility.objects.get(number=1)
    administrators_cluster = Cluster.objects.get(slug="tamil-nadu-repm-cluster")
    Facility.objects.filter(pk=facility_one.pk).update(cluster=administrators_cluster)
    real_need = NeedFactory(
        facility=facility_one, process=Process.objects.get(slug="wire-edm"), external_ref="R-1"
    )
    real_match = MatchFactory(supplier=real_supplier, need=real_need)

    seed_demo(suppliers=50, needs=15, seed=11)
    demo_supplier = Supplier.objects.filter(is_demo=True).first()
    demo_need = Need.objects.filter(is_demo=True).first()
    MatchFactory(supplier=demo_supplier, need=real_need)
    MatchFactory(supplier=real_supplier, need=demo_need)
    assert Facility.objects.filter(cluster_is_demo=True).count() == 4

    out = seed_demo(suppliers=0, needs=0, seed=11, clear=True)

    assert not Supplier.objects.filter(is_demo=True).exists()
    assert not Need.objects.filter(is_demo=True).exists()
    assert list(SupplierCapability.objects.all()) == [real_capability]
    assert not Certification.objects.exists()
    assert list(Match.objects.all()) == [real_match]
    assert Supplier.sectors.through.objects.count() == 0
    assert Need.required_certifications.through.objects.count() == 0
    real_supplier.refresh_from_db()
    assert real_supplier.name == "Hosur Real Magnet Works"
    assert not Facility.objects.filter(cluster_is_demo=True).exists()
    assert list(Facility.objects.exclude(cluster=None)) == [facility_one]
    assert "50 vendors_supplier" in out


def test_it_asks_for_seed_reference_when_reference_data_is_missing() -> None:
    with pytest.raises(CommandError, match=r"run `python manage\.py seed_reference` first"):
        seed_demo(suppliers=10, needs=5, seed=1)
    assert not Supplier.objects.exists()


def test_it_reports_progress_and_a_summary(reference: None) -> None:
    out = seed_demo(suppliers=30, needs=5, seed=1, clear=True)
    assert "suppliers 30/30" in out
    assert "needs 5/5" in out
    assert "Demo data: 30 suppliers and 5 needs added in" in out


@pytest.mark.services
def test_it_seeds_thousands_of_suppliers_on_postgresql(postgres: None, reference: None) -> None:
    # COPY with ids reserved from the sequence is the PostgreSQL path; check it end to end.
    seed_demo(suppliers=2_000, needs=100, seed=1, clear=True)
    assert Supplier.objects.filter(is_demo=True).count() == 2_000
    assert Need.objects.filter(is_demo=True).count() == 100
    assert not Supplier.objects.filter(capabilities=None).exists()
    capabilities = SupplierCapability.objects.count()
    assert 2_000 < capabilities <= 10_000
    assert Certification.objects.count() > 1_000
    assert Supplier.objects.filter(sectors=None).count() == 0
    first = fingerprint()
    # The database agrees with the generator: derived fields and model validation hold.
    for supplier in Supplier.objects.select_related("state", "district")[:200]:
        supplier.full_clean()
    new_supplier = Supplier.objects.create(
        name="After the seed",
        udyam_number="UDYAM-TN-05-0000001",
        state=District.objects.get(slug="krishnagiri").state,
        district=District.objects.get(slug="krishnagiri"),
        pin_code="635109",
        investment_rupees=1,
        turnover_rupees=1,
    )
    assert new_supplier.pk > max(Supplier.objects.filter(is_demo=True).values_list("pk", flat=True))

    seed_demo(suppliers=2_000, needs=100, seed=1, clear=True)
    assert fingerprint() == first
    seed_demo(suppliers=0, needs=0, seed=1, clear=True)
    assert list(Supplier.objects.all()) == [new_supplier]
    assert SupplierCapability.objects.count() == 0


@pytest.mark.django_db
def test_if_empty_leaves_existing_suppliers_alone(reference: None) -> None:
    SupplierFactory()
    out = StringIO()
    call_command("seed_demo", "--if-empty", "--suppliers", "5", "--needs", "1", stdout=out)
    assert "left as it is" in out.getvalue()
    assert Supplier.objects.count() == 1
