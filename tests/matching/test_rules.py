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
        **{f"{name}_component": value for name, value in evaluation.components.items()},
        "near_miss_rule": evaluation.near_miss_rule,
    }


def near_miss(evaluation) -> str:
    """The near miss's sentence, as an MSME reads it."""
    assert evaluation.is_near_miss, evaluation.failures
    return evaluation.failure_reasons[0].text


def said(evaluation) -> list[str]:
    return [reason.text for reason in evaluation.reasons]


def written_in_database(need, supplier) -> dict | None:
    """What the in-database matcher writes for the pair, rolled back afterwards."""
    with transaction.atomic():
        matches_sync(need_ids=[need.pk], supplier_ids=[supplier.pk], in_database=True)
        row = (
            Match.objects.filter(need=need, supplier=supplier)
            .values("score", *COMPONENT_FIELDS, "near_miss_rule")
            .first()
        )
        transaction.set_rollback(True)
    return row


def test_an_active_supplier_with_the_exact_process_matches(need) -> None:
    evaluation = verdict(need, supplier_near(10))
    assert evaluation.is_match
    assert said(evaluation)[0] == f"10 km from {need.facility.name}"


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
        assert evaluation.near_miss_rule == "certificates"
        assert near_miss(evaluation) == "needs IATF 16949"

    def test_without_a_due_date_certificates_must_be_valid_today(self, need) -> None:
        need.due_date = None
        need.save()
        nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
        need.required_certifications.set([nabl])
        supplier = supplier_near(10)
        CertificationFactory(
            supplier=supplier, certification_type=nabl, valid_until=TODAY - datetime.timedelta(1)
        )
        assert near_miss(verdict(need, supplier)) == "needs NABL accreditation"


class TestToleranceRule:
    def test_a_tolerance_at_the_maximum_passes(self, need) -> None:
        need.max_tolerance_um = Decimal("10")
        need.save()
        assert verdict(need, supplier_near(10, best_tolerance_um=Decimal("10"))).is_match

    def test_a_coarser_tolerance_is_a_near_miss(self, need) -> None:
        need.max_tolerance_um = Decimal("10")
        need.save()
        evaluation = verdict(need, supplier_near(10, best_tolerance_um=Decimal("12.5")))
        assert near_miss(evaluation) == "tolerance 12.5 µm, need ≤ 10 µm"


class TestCapacityRule:
    def test_enough_capacity_in_the_same_unit_passes(self, need) -> None:
        need.min_monthly_capacity = Decimal("5000")
        need.save()
        assert verdict(need, supplier_near(10, monthly_capacity=Decimal("5000"))).is_match

    def test_capacity_in_another_unit_does_not_count(self, need) -> None:
        need.min_monthly_capacity = Decimal("5000")
        need.save()
        supplier = supplier_near(10, monthly_capacity=Decimal("90000"), capacity_unit="kg")
        assert near_miss(verdict(need, supplier)) == "capacity stated in kg, need counts pieces"

    def test_too_little_capacity_is_a_near_miss(self, need) -> None:
        need.min_monthly_capacity = Decimal("5000")
        need.save()
        evaluation = verdict(need, supplier_near(10, monthly_capacity=Decimal("4999")))
        assert near_miss(evaluation) == "capacity 4,999 pieces/month, need ≥ 5,000"


class TestTemperatureRule:
    def test_a_hot_enough_process_passes(self, need) -> None:
        need.min_process_temperature_c = 1050
        need.save()
        assert verdict(need, supplier_near(10, max_temperature_c=1050)).is_match

    def test_a_cooler_process_is_a_near_miss(self, need) -> None:
        need.min_process_temperature_c = 1050
        need.save()
        evaluation = verdict(need, supplier_near(10, max_temperature_c=800))
        assert near_miss(evaluation) == "max temperature 800 °C, need ≥ 1,050 °C"


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
        assert near_miss(verdict(need, supplier)) == "251 km away, radius 250 km"


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
        assert any("ZED Gold valid until" in r for r in said(verdict(need, certified)))

    def test_scores_stay_between_0_and_100(self, need) -> None:
        score = verdict(need, supplier_near(0)).score
        assert Decimal("0") <= score <= Decimal("100")


def test_a_certificate_expiring_within_60_days_appears_in_the_reasons(need) -> None:
    supplier = supplier_near(10)
    expiry = TODAY + datetime.timedelta(days=30)
    CertificationFactory(supplier=supplier, valid_until=expiry)
    assert f"ISO 9001 quality management expires on {expiry:%-d %b %Y}: renew it" in said(
        verdict(need, supplier)
    )


class TestRematch:
    def test_it_writes_matches_and_near_misses_and_a_second_run_writes_nothing(self, need) -> None:
        need.radius_km = 100
        need.save()
        near, far = supplier_near(10), supplier_near(150)
        first = matches_sync(need_ids=[need.pk])
        assert first.created == 2
        assert Match.objects.get(supplier=near).near_miss_rule == ""
        assert Match.objects.get(supplier=far).near_miss_rule == "radius"
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
        assert match.no_longer_meets_rules == "need_closed"

    def test_a_flag_clears_when_the_match_holds_again(self, need) -> None:
        supplier = supplier_near(10)
        MatchFactory(
            supplier=supplier, need=need, status="interested", no_longer_meets_rules="capacity"
        )
        matches_sync(need_ids=[need.pk])
        match = Match.objects.get(supplier=supplier)
        assert (match.status, match.no_longer_meets_rules) == ("interested", "")

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
        # candidates, certificates, commitments, existing matches, bulk insert,
        # savepoint/transaction; the supplier's matches stamped changed for partners (one UPDATE).
        with django_assert_max_num_queries(16):
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


# --- Exact figures, flags and wording (issue: "matches always right") ----------------------


def engines() -> list[bool]:
    """The reference engine everywhere; the in-database statement too on PostgreSQL."""
    return [False, True] if connection.vendor == "postgresql" else [False]


class TestExactFigures:
    """Figures not exact in binary compare and print as entered, on every engine."""

    def test_a_tolerance_equal_to_a_limit_of_point_one_passes(self, need) -> None:
        need.max_tolerance_um = Decimal("0.1")
        need.save()
        evaluation = verdict(need, supplier_near(10, best_tolerance_um=Decimal("0.1")))
        assert evaluation.is_match
        assert "Tolerance 0.1 µm, within the 0.1 µm required" in said(evaluation)

    def test_a_capacity_equal_to_the_minimum_passes_and_prints_as_entered(self, need) -> None:
        need.min_monthly_capacity = Decimal("1234.5")
        need.unit = "kg"
        need.save()
        evaluation = verdict(
            need, supplier_near(10, monthly_capacity=Decimal("1234.5"), capacity_unit="kg")
        )
        assert evaluation.is_match
        assert "Capacity 1,234.5 kg/month for 1,234.5 needed" in said(evaluation)

    def test_a_hair_under_the_limit_fails_and_says_so_without_noise(self, need) -> None:
        need.max_tolerance_um = Decimal("0.1")
        need.save()
        evaluation = verdict(need, supplier_near(10, best_tolerance_um=Decimal("0.11")))
        assert near_miss(evaluation) == "tolerance 0.11 µm, need ≤ 0.1 µm"

    def test_lakhs_are_grouped_the_indian_way(self, need) -> None:
        need.min_monthly_capacity = Decimal("150000")
        need.save()
        evaluation = verdict(need, supplier_near(10, monthly_capacity=Decimal("120000")))
        assert near_miss(evaluation) == "capacity 1,20,000 pieces/month, need ≥ 1,50,000"


class TestNearMissWording:
    def test_within_a_km_of_the_radius_the_distance_shows_one_decimal(self, need) -> None:
        need.radius_km = 250
        need.save()
        supplier = supplier_near(250.4)
        distance = great_circle_km(supplier.latitude, supplier.longitude, *SITE)
        assert 250.35 < distance < 250.45
        assert near_miss(verdict(need, supplier)) == "250.4 km away, radius 250 km"

    def test_a_hair_over_the_radius_never_prints_as_the_radius(self, need) -> None:
        need.radius_km = 250
        need.save()
        assert near_miss(verdict(need, supplier_near(250.02))) == "250.1 km away, radius 250 km"

    def test_every_missing_certificate_is_named_in_one_near_miss(self, need) -> None:
        iatf = CertificationTypeFactory(code="IATF_16949", name="IATF 16949")
        nabl = CertificationTypeFactory(code="NABL", name="NABL accreditation")
        iso = CertificationTypeFactory(code="ISO_9001", name="ISO 9001")
        need.required_certifications.set([iatf, nabl, iso])
        supplier = supplier_near(10)
        CertificationFactory(supplier=supplier, certification_type=iso, valid_until=need.due_date)
        evaluation = verdict(need, supplier)
        assert evaluation.failures == ("certificates",)  # one rule, however many are missing
        assert near_miss(evaluation) == "needs IATF 16949, NABL accreditation"


# (field changed on the need, value that fails exactly that rule, capability kept as is)
BREAKS_ONE_RULE = {
    "certificates": lambda need: need.required_certifications.set([CertificationTypeFactory()]),
    "tolerance": lambda need: setattr(need, "max_tolerance_um", Decimal("1")),
    "capacity": lambda need: setattr(need, "min_monthly_capacity", Decimal("999999")),
    "temperature": lambda need: setattr(need, "min_process_temperature_c", 5000),
    "radius": lambda need: setattr(need, "radius_km", 5),
}


@pytest.mark.parametrize("rule", list(BREAKS_ONE_RULE))
def test_an_acted_on_match_that_becomes_a_near_miss_is_flagged_and_unflagged(
    need, rule: str
) -> None:
    supplier = supplier_near(
        10, best_tolerance_um=Decimal("5"), max_temperature_c=900, monthly_capacity=Decimal("9000")
    )
    matches_sync(need_ids=[need.pk])
    Match.objects.filter(supplier=supplier).update(status="interested")
    original = {
        "required": list(need.required_certifications.all()),
        **{f: getattr(need, f) for f in ("max_tolerance_um", "min_monthly_capacity")},
        **{f: getattr(need, f) for f in ("min_process_temperature_c", "radius_km")},
    }
    BREAKS_ONE_RULE[rule](need)
    need.save()
    for in_database in engines():
        matches_sync(need_ids=[need.pk], in_database=in_database)
        match = Match.objects.get(supplier=supplier)
        assert (match.status, match.near_miss_rule, match.no_longer_meets) == (
            "interested",
            rule,
            [rule],
        ), in_database

    need.required_certifications.set(original.pop("required"))
    for field, value in original.items():
        setattr(need, field, value)
    need.save()
    for in_database in engines():
        Match.objects.filter(supplier=supplier).update(no_longer_meets_rules=rule)
        matches_sync(need_ids=[need.pk], in_database=in_database)
        match = Match.objects.get(supplier=supplier)
        assert (match.status, match.near_miss_rule, match.no_longer_meets) == (
            "interested",
            "",
            [],
        ), in_database


def test_a_suggestion_that_becomes_a_near_miss_is_not_flagged(need) -> None:
    supplier = supplier_near(10)
    matches_sync(need_ids=[need.pk])
    need.radius_km = 5
    need.save()
    for in_database in engines():
        matches_sync(need_ids=[need.pk], in_database=in_database)
        match = Match.objects.get(supplier=supplier)
        assert (match.near_miss_rule, match.no_longer_meets_rules) == ("radius", "")


def test_an_acted_on_match_failing_two_rules_names_both(need) -> None:
    supplier = supplier_near(300, best_tolerance_um=Decimal("20"))
    matches_sync(need_ids=[need.pk])
    Match.objects.filter(supplier=supplier).update(status="shortlisted")
    need.radius_km = 100
    need.max_tolerance_um = Decimal("5")
    need.save()
    for in_database in engines():
        matches_sync(need_ids=[need.pk], in_database=in_database)
        assert Match.objects.get(supplier=supplier).no_longer_meets == ["tolerance", "radius"]


def test_a_reason_is_a_code_with_figures_and_renders_in_english() -> None:
    from matching.reasons import Reason

    reason = Reason(
        "capacity_short", {"capacity": Decimal("4999.50"), "unit": "pieces", "needed": 5000}
    )
    assert reason.as_data() == {
        "code": "capacity_short",
        "figures": {"capacity": "4999.50", "unit": "pieces", "needed": 5000},
        "text": "capacity 4,999.5 pieces/month, need ≥ 5,000",
    }
    expiring = Reason("certificate_expiring", {"name": "NABL", "until": datetime.date(2026, 1, 5)})
    assert expiring.text == "NABL expires on 5 Jan 2026: renew it"


def test_acting_on_a_near_miss_flags_it_and_a_suggestion_is_never_flagged(need) -> None:
    from matching.services import match_set_status

    need.radius_km = 5
    need.save()
    supplier = supplier_near(10)
    matches_sync(need_ids=[need.pk])
    match = Match.objects.get(supplier=supplier)
    assert (match.near_miss_rule, match.no_longer_meets) == ("radius", [])

    match_set_status(match=match, status="interested")
    match.refresh_from_db()
    assert match.no_longer_meets == ["radius"]  # as the next rematch would say
    match_set_status(match=match, status="suggested")
    match.refresh_from_db()
    assert match.no_longer_meets == []


def test_a_stored_code_the_facts_have_moved_past_reads_as_being_checked(need) -> None:
    from matching.selectors import match_explanations

    supplier = supplier_near(10)
    matches_sync(need_ids=[need.pk])
    match = Match.objects.get(supplier=supplier)
    Match.objects.filter(pk=match.pk).update(
        near_miss_rule="radius", status="interested", no_longer_meets_rules="tolerance"
    )
    match.refresh_from_db()  # the rematch that would clear these is still queued

    explained = match_explanations([match])[match.pk]

    assert explained.near_miss.text == "Distance: being checked again against today's figures"
    assert [r.text for r in explained.no_longer_meets] == [
        "Tolerance: being checked again against today's figures"
    ]
    need.status = "closed"
    need.save()
    assert match_explanations([match])[match.pk].near_miss.text == "the need is closed"


def test_every_rule_has_a_name_to_be_spoken_of_by() -> None:
    from matching import rules
    from matching.reasons import RULE_LABELS

    assert set(RULE_LABELS) == set(rules.RULES_BY_CODE)
