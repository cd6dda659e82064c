"""Each shipped rule at its boundary, roles' outcomes, earlier dates and the shipped examples."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from eligibility.engine import check
from eligibility.models import Outcome, RuleSet
from eligibility.services import rule_set_examples_judged
from tests.eligibility.conftest import answers

pytestmark = pytest.mark.usefixtures("reference")

TODAY = datetime.date(2026, 12, 5)
CRORE = 10_000_000
BIDDER = {"bidding": True, "capacity_sought_mtpa": 600, "net_worth_crore": "180"}


def criterion(result, role: str, code: str) -> str:
    [found] = [c.outcome for c in result.role(role).criteria if c.criterion.code == code]
    return found


# (role, criterion, changes to the base profile, expected outcome of that criterion)
BOUNDARIES = [
    ("supplier", "udyam", {}, "pass"),
    ("supplier", "udyam", {"udyam_registered": False}, "fail"),
    # Medium's limits are ₹125 crore investment and ₹500 crore turnover, both inclusive.
    (
        "supplier",
        "msme",
        {"investment_rupees": 125 * CRORE, "turnover_rupees": 500 * CRORE},
        "pass",
    ),
    ("supplier", "msme", {"investment_rupees": 125 * CRORE + 1}, "fail"),
    ("supplier", "msme", {"turnover_rupees": 500 * CRORE + 1}, "fail"),
    ("supplier", "process", {"processes": []}, "fail"),
    ("supplier", "quality", {"certifications": ["ZED_GOLD"]}, "pass"),
    ("supplier", "quality", {"certifications": ["IATF_16949"]}, "pass"),
    ("supplier", "quality", {"certifications": ["ISO_14001"]}, "fail"),
    # NABL only applies to testing work, and then it is required.
    ("supplier", "nabl", {}, "not_applicable"),
    ("supplier", "nabl", {"processes": ["flux-testing"]}, "fail"),
    ("supplier", "nabl", {"processes": ["flux-testing"], "certifications": ["NABL"]}, "pass"),
    # Pollution-control consent applies to platers and recyclers only.
    ("supplier", "spcb", {"processes": ["zinc-plating"]}, "fail"),
    (
        "supplier",
        "spcb",
        {"processes": ["swarf-recovery"], "certifications": ["SPCB_CONSENT"]},
        "pass",
    ),
    ("supplier", "spcb", {"processes": ["epoxy-coating"]}, "not_applicable"),
    ("ancillary", "cluster_state", {}, "pass"),
    ("ancillary", "cluster_state", {"district": "kolkata"}, "fail"),
    ("ancillary", "cluster_state", {"district": "rajkot"}, "pass"),
    ("technology_partner", "technology", {"processes": ["vacuum-sintering"]}, "pass"),
    ("technology_partner", "technology", {}, "fail"),
    ("technology_partner", "quality", {"certifications": ["ZED_GOLD"]}, "fail"),
    ("technology_partner", "exports", {"exports": True}, "pass"),
    ("recycling_partner", "recycling", {"processes": ["hydrogen-recycling"]}, "pass"),
    ("recycling_partner", "spcb", {"certifications": ["SPCB_CONSENT"]}, "pass"),
    ("recycling_partner", "spcb", {"certifications": []}, "fail"),
    ("training_partner", "quality", {"certifications": []}, "fail"),
    # The bidder's notified terms: 600–1,200 MTPA in steps of 100, the slab's net worth, 51 %.
    ("bidder", "capacity_range", BIDDER, "pass"),
    ("bidder", "capacity_range", BIDDER | {"capacity_sought_mtpa": 599}, "fail"),
    ("bidder", "capacity_range", BIDDER | {"capacity_sought_mtpa": 1200}, "pass"),
    ("bidder", "capacity_range", BIDDER | {"capacity_sought_mtpa": 1300}, "fail"),
    ("bidder", "capacity_step", BIDDER | {"capacity_sought_mtpa": 650}, "fail"),
    ("bidder", "capacity_step", BIDDER | {"capacity_sought_mtpa": 700}, "pass"),
    ("bidder", "net_worth", BIDDER, "pass"),
    ("bidder", "net_worth", BIDDER | {"net_worth_crore": "179.99"}, "fail"),
    (
        "bidder",
        "net_worth",
        BIDDER | {"capacity_sought_mtpa": 800, "net_worth_crore": "245"},
        "pass",
    ),
    (
        "bidder",
        "net_worth",
        BIDDER | {"capacity_sought_mtpa": 900, "net_worth_crore": "245"},
        "fail",
    ),
    (
        "bidder",
        "net_worth",
        BIDDER | {"capacity_sought_mtpa": 1200, "net_worth_crore": "375"},
        "pass",
    ),
    ("bidder", "lead_equity", BIDDER, "pass"),  # bidding alone: all of its own equity
    ("bidder", "lead_equity", BIDDER | {"consortium": True, "lead_equity_percent": "51"}, "pass"),
    (
        "bidder",
        "lead_equity",
        BIDDER | {"consortium": True, "lead_equity_percent": "50.99"},
        "fail",
    ),
    ("bidder", "capacity_range", {}, "unknown"),  # not bidding: the bidder's facts are not asked
]


@pytest.mark.parametrize(("role", "code", "changes", "expected"), BOUNDARIES)
def test_each_rule_holds_at_its_boundary(
    role: str, code: str, changes: dict, expected: str
) -> None:
    result = check(answers(**changes), on=TODAY, count_needs=False)
    assert criterion(result, role, code) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Outcome.ELIGIBLE),
        ({"certifications": []}, Outcome.NOT_YET),  # a certificate can still be got
        ({"investment_rupees": 200 * CRORE}, Outcome.NOT_ELIGIBLE),  # not an MSME
        ({"udyam_registered": False, "investment_rupees": 200 * CRORE}, Outcome.NOT_ELIGIBLE),
    ],
)
def test_a_role_is_eligible_not_yet_or_not_eligible(changes: dict, expected: str) -> None:
    result = check(answers(**changes), on=TODAY, count_needs=False)
    assert result.role("supplier").outcome == expected


def test_the_bidder_role_is_not_assessed_without_the_bidder_questions() -> None:
    result = check(answers(), on=TODAY, count_needs=False)
    assert result.role("bidder").outcome == Outcome.NOT_ASSESSED
    assert result.bidder is None


def test_a_bidder_learns_the_largest_capacity_its_net_worth_allows() -> None:
    result = check(answers(**BIDDER | {"net_worth_crore": "250"}), on=TODAY, count_needs=False)
    assert result.bidder.largest_capacity_mtpa == 800
    assert (result.bidder.next_capacity_mtpa, result.bidder.next_net_worth_crore) == (
        900,
        Decimal("310.00"),
    )


def test_only_the_bidders_criteria_are_notified_and_each_cites_the_gazette() -> None:
    result = check(answers(**BIDDER), on=TODAY, count_needs=False)
    for role in result.roles:
        for item in role.criteria:
            if role.role == "bidder":
                assert not item.criterion.is_illustrative
                assert item.criterion.source.reference.startswith("S.O. 5800(E)")
            else:
                assert item.criterion.is_illustrative
    assert result.is_illustrative


def test_an_earlier_date_uses_the_msme_limits_in_force_then() -> None:
    # ₹2 crore of investment: small under the 2020 limits (micro up to ₹1 crore), micro since
    # 1 April 2025 (micro up to ₹2.5 crore).
    before = check(answers(), on=datetime.date(2025, 3, 31), count_needs=False)
    after = check(answers(), on=datetime.date(2025, 4, 1), count_needs=False)
    assert (before.category, after.category) == ("small", "micro")
    assert before.limits[0] == ("micro", 10_000_000, 50_000_000)
    assert "S.O. 2119(E)" in before.limits_notification


def test_an_earlier_date_uses_the_rule_sets_in_force_then() -> None:
    # The guidance starts with the Cabinet's approval, the bidder's rules with the Gazette.
    assert check(answers(), on=datetime.date(2025, 11, 25), count_needs=False).roles == []
    roles = check(answers(), on=datetime.date(2025, 12, 14), count_needs=False).roles
    assert "bidder" not in {r.role for r in roles}
    assert "bidder" in {r.role for r in check(answers(), on=TODAY, count_needs=False).roles}


def test_every_shipped_rule_set_passes_its_own_examples() -> None:
    rule_sets = list(RuleSet.objects.published())
    assert len(rule_sets) == 6
    for rule_set in rule_sets:
        results = rule_set_examples_judged(rule_set)
        assert results, rule_set
        assert all(r.passes for r in results), [(r.example.name, r.outcome) for r in results]
