"""The matcher's business rules, each with a passing and a failing case, near-miss reasons,
score ordering, and a rematch that never loses what people did. Runs on SQLite and PostgreSQL;
on PostgreSQL each verdict is also checked against what the in-database statement writes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from clusters.geo import great_circle_km
from matching.engine import evaluate_needs
from matching.models import COMPONENT_FIELDS, Match
from matching.services import matches_sync, rematch_supplier
from tests.factories import (
    CertificationFactory,
    CertificationTypeFactory,
    MatchFactory,
    NeedFactory,
    ProcessFactory,
    SupplierCapabilityFactory,
    SupplierFactory,
)
from tests.matching.conftest import SITE, supplier_near

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def verdict(need, supplier):
    """The reference engine's verdict; on PostgreSQL the in-database statement must agree."""
    [evaluation] = evaluate_needs([need.pk], supplier_ids=[supplier.pk])
    if connection.vendor == "postgresql":
        assert written_in_database(need, supplier) == expected_row(evaluation)
    return evaluation


def expected_row(evaluation) -> dict | None:
    if len(evaluation.failures) > 1:
        return None
    return {
        "score": evaluation.score,
        **{f"{name}_component": Decimal(repr(v)) for name, v in evaluation.components.items()},
        "reasons": evaluation.reasons,
        "near_miss_reason": evaluation.near_miss_reason,
    }


def written_in_database(need, supplier) -> dict | None:
    """What the in-database matcher writes for the pair, rolled back afterwards."""
    with transaction.atomic():
        matches_sync(need_ids=[need.pk], supplier_ids=[supplier.pk], in_database=True)
        row = (
            Match.objects.filter(need=need, supplier=supplier)
            .values("score", *COMPONENT_FIELDS, "reasons", "near_miss_reason")
            .first()
        )
        transaction.set_rollback(True)
    return row


def test_an_active_supplier_with_the_exact_process_matches(need) -> None:
    evaluation = verdict(need, supplier_near(10))
    assert evaluation.is_match
    assert evaluation.reasons[0] == f"10 km from {need.facility.name}"


def test_an_inactive_supplier_or_another_process_is_not_a_candidate(need) -> None:
    inactive = supplier_near(10)
    inactive.is_active = False
    inactive.save()
    other = SupplierFactory()
    SupplierCapabilityFactory(
        supplier=other, process=ProcessFactory(slug="cnc-milling", name="CNC milling")
    )
    assert evaluate_needs([need.pk], supplier_ids=[inactive.pk, other.pk]) == []


class TestCertificationRule:
    def test_a_certificate_valid_on_the_due_date_passes(self, need) -> None:
        iatf = CertificationTypeFactory(code="IATF_16949", name="IATF 16949")
        need.required_certifications.set([iatf])
        supplier = supplier_near(10)
        CertificationFactory(supplier=supplier, certification_type=iatf, valid_until=need.due_date)
        assert verdict(need, supplier).is_match

    def test_a_certificate_expiring_before_the_due_date_is_a_near_miss(self, need) -> None:
        iatf = CertificationTypeFactory(code="IATF_16949", name="IATF 16949")
        need.required_certifications.set([iatf])
        supplier = supplier_near(10)
        CertificationFactory(
            supplier=supplier,
            certification_type=iatf,
            valid_until=need.due_date - datetime.timedelta(days=1),
        )
        evaluation = verdict(need, supplier)
        assert evaluation.is_near_miss
        assert evaluation.near_miss_reason == "needs IATF 16949"

    def test_without_a_due_date_certificates_must_be_valid_today(self, need) -> None:
        need.due_date = None
        need.save()
        nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
        need.required_certifications.set([nabl])
        supplier = supplier_near(10)
        CertificationFactory(
            supplier=supplier, certification_type=nabl, valid_until=TODAY - datetime.timedelta(1)
        )
        assert verdict(need, supplier).near_miss_reason == "needs NABL"


class TestToleranceRule:
    def test_a_tolerance_at_the_maximum_passes(self, need) -> None:
        need.max_tolerance_um = Decimal("10")
        need.save()
        assert verdict(need, supplier_near(10, best_tolerance_um=Decimal("10"))).is_match

    def test_a_coarser_tolerance_is_a_near_miss(self, need) -> None:
        need.max_tolerance_um = Decimal("10")
        need.save()
        evaluation = verdict(need, supplier_near(10, best_tolerance_um=Decimal("12.5")))
        assert evaluation.near_miss_reason == "tolerance 12.5 µm, need ≤ 10 µm"


class TestCapacityRule:
    def test_enough_capacity_in_the_same_unit_passes(self, need) -> None:
        need.min_monthly_capacity = Decimal("5000")
        need.save()
        assert verdict(need, supplier_near(10, monthly_capacity=Decimal("5000"))).is_match

    def test_capacity_in_another_unit_does_not_count(self, need) -> None:
        need.min_monthly_capacity = Decimal("5000")
        need.save()
        supplier = supplier_near(10, monthly_capacity=Decimal("90000"), capacity_unit="kg")
        assert (
            verdict(need, supplier).near_miss_reason == "capacity stated in kg, need counts pieces"
        )

    def test_too_little_capacity_is_a_near_miss(self, need) -> None:
        need.min_monthly_capacity = Decimal("5000")
        need.save()
        evaluation = verdict(need, supplier_near(10, monthly_capacity=Decimal("4999")))
        assert evaluation.near_miss_reason == "capacity 4,999 pieces/month, need ≥ 5,000"


class TestTemperatureRule:
    def test_a_hot_enough_process_passes(self, need) -> None:
        need.min_process_temperature_c = 1050
        need.save()
        assert verdict(need, supplier_near(10, max_temperature_c=1050)).is_match

    def test_a_cooler_process_is_a_near_miss(self, need) -> None:
        need.min_process_temperature_c = 1050
        need.save()
        evaluation = verdict(need, supplier_near(10, max_temperature_c=800))
        assert evaluation.near_miss_reason == "max temperature 800 °C, need ≥ 1050 °C"


class TestRadiusRule:
    def test_one_km_inside_the_radius_passes(self, need) -> None:
        need.radius_km = 250
        need.save()
        assert verdict(need, supplier_near(249)).is_match

    def test_one_km_outside_the_radius_is_a_near_miss(self, need) -> None:
        need.radius_km = 250
        need.save()
        supplier = supplier_near(251)
        distance = great_circle_km(supplier.latitude, supplier.longitude, *SITE)
        assert 250 < distance < 252
        assert verdict(need, supplier).near_miss_reason == "251 km away, radius 250 km"


def test_failing_two_rules_is_neither_a_match_nor_a_near_miss(need) -> None:
    need.radius_km = 100
    need.max_tolerance_um = Decimal("5")
    need.save()
    evaluation = verdict(need, supplier_near(300, best_tolerance_um=Decimal("20")))
    assert len(evaluation.failures) == 2
    assert not evaluation.is_match and not evaluation.is_near_miss
    matches_sync(need_ids=[need.pk])
    assert not Match.objects.exists()


def test_a_closed_need_gets_no_matches(need) -> None:
    supplier_near(10)
    need.status = "closed"
    need.save()
    matches_sync(need_ids=[need.pk])
    assert not Match.objects.filter(need=need).exists()


class TestScoreOrdering:
    """All else equal: nearer, more headroom and better certified suppliers score higher."""

    def test_nearer_scores_higher(self, need) -> None:
        assert verdict(need, supplier_near(20)).score > verdict(need, supplier_near(200)).score

    def test_more_capacity_headroom_scores_higher(self, need) -> None:
        need.min_monthly_capacity = Decimal("1000")
        need.save()
        roomy = verdict(need, supplier_near(50, monthly_capacity=Decimal("1800")))
        tight = verdict(need, supplier_near(50, monthly_capacity=Decimal("1100")))
        assert roomy.score > tight.score

    def test_better_certified_scores_higher(self, need) -> None:
        certified = supplier_near(50)
        CertificationFactory(
            supplier=certified,
            certification_type=CertificationTypeFactory(
                code="ZED_GOLD", name="ZED Gold", zed_level=3
            ),
            is_verified=True,
        )
        plain = supplier_near(50)
        assert verdict(need, certified).score > verdict(need, plain).score
        assert any("ZED Gold valid until" in r for r in verdict(need, certified).reasons)

    def test_scores_stay_between_0_and_100(self, need) -> None:
        score = verdict(need, supplier_near(0)).score
        assert Decimal("0") <= score <= Decimal("100")


def test_a_certificate_expiring_within_60_days_appears_in_the_reasons(need) -> None:
    supplier = supplier_near(10)
    CertificationFactory(supplier=supplier, valid_until=TODAY + datetime.timedelta(days=30))
    expiry = (TODAY + datetime.timedelta(days=30)).isoformat()
    assert (
        f"ISO 9001 quality management expires on {expiry}: renew it"
        in verdict(need, supplier).reasons
    )


class TestRematch:
    def test_it_writes_matches_and_near_misses_and_a_second_run_writes_nothing(self, need) -> None:
        need.radius_km = 100
        need.save()
        near, far = supplier_near(10), supplier_near(150)
        first = matches_sync(need_ids=[need.pk])
        assert first.created == 2
        assert Match.objects.get(supplier=near).near_miss_reason == ""
        assert Match.objects.get(supplier=far).near_miss_reason == "150 km away, radius 100 km"
        before = list(Match.objects.order_by("pk").values())
        second = matches_sync(need_ids=[need.pk])
        assert (second.created, second.updated, second.deleted, second.unchanged) == (0, 0, 0, 2)
        assert list(Match.objects.order_by("pk").values()) == before

    def test_a_suggested_match_that_no_longer_holds_is_deleted(self, need) -> None:
        supplier = supplier_near(10)
        matches_sync(need_ids=[need.pk])
        need.radius_km = 1
        need.max_tolerance_um = Decimal("0.5")
        need.save()
        report = matches_sync(need_ids=[need.pk])
        assert report.deleted == 1
        assert not Match.objects.filter(supplier=supplier).exists()

    @pytest.mark.parametrize("status", ["interested", "shortlisted", "engaged", "declined"])
    def test_a_match_someone_acted_on_is_kept_and_flagged(self, need, status: str) -> None:
        supplier = supplier_near(10)
        matches_sync(need_ids=[need.pk])
        Match.objects.filter(supplier=supplier).update(status=status)
        need.status = "closed"
        need.save()
        matches_sync(need_ids=[need.pk])
        match = Match.objects.get(supplier=supplier)
        assert match.status == status
        assert match.no_longer_meets_reason == "the need is closed"

    def test_a_flag_clears_when_the_match_holds_again(self, need) -> None:
        supplier = supplier_near(10)
        MatchFactory(supplier=supplier, need=need, status="interested", no_longer_meets_reason="x")
        matches_sync(need_ids=[need.pk])
        match = Match.objects.get(supplier=supplier)
        assert (match.status, match.no_longer_meets_reason) == ("interested", "")

    def test_a_supplier_rematch_touches_only_that_supplier(self, need) -> None:
        mine, other = supplier_near(10), supplier_near(20)
        report = rematch_supplier(supplier_id=mine.pk)
        assert report.created == 1
        assert list(Match.objects.values_list("supplier_id", flat=True)) == [mine.pk]
        assert other.pk not in set(Match.objects.values_list("supplier_id", flat=True))

    def test_an_incremental_rematch_runs_a_bounded_number_of_queries(
        self, need, django_assert_max_num_queries
    ) -> None:
        supplier = supplier_near(10)
        for _ in range(5):
            NeedFactory(facility=need.facility, process=need.process)
        # profile, supplier's needs, open needs, needs+facility+cluster, certifications of needs,
        # candidates, certificates, existing matches, bulk insert, savepoint/transaction.
        with django_assert_max_num_queries(14):
            report = rematch_supplier(supplier_id=supplier.pk)
        assert report.created == 6


def test_changing_the_weights_makes_a_new_profile_version_and_rescores(need) -> None:
    from matching.engine import active_profile
    from matching.services import scoring_profile_save

    supplier_near(100)
    matches_sync(need_ids=[need.pk])
    profile = active_profile()
    old_score = Match.objects.get().score
    profile.distance_weight = Decimal("2.00")
    scoring_profile_save(profile=profile, changed_fields=["distance_weight"])
    assert profile.version == 2
    report = matches_sync(need_ids=[need.pk])
    match = Match.objects.get()
    assert report.updated == 1
    assert (match.profile_version, match.score != old_score) == (2, True)
