"""The MSME composite test with limits kept as dated data (``MsmeClassification``)."""

import datetime

import pytest

from taxonomy.classification import NoLimitsInForce
from taxonomy.models import MsmeLimit

CRORE = 10_000_000
TODAY_LIMITS = datetime.date(2025, 4, 1)
OLD_LIMITS = datetime.date(2024, 6, 1)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("investment", "turnover", "expected"),
    [
        (0, 0, "micro"),
        (25 * CRORE // 10, 10 * CRORE, "micro"),  # ₹2.5 crore / ₹10 crore: still micro
        (25 * CRORE // 10 + 1, 10 * CRORE, "small"),  # one rupee more investment
        (25 * CRORE // 10, 10 * CRORE + 1, "small"),  # one rupee more turnover
        (25 * CRORE, 100 * CRORE, "small"),
        (25 * CRORE + 1, 100 * CRORE, "medium"),
        (25 * CRORE, 100 * CRORE + 1, "medium"),
        (125 * CRORE, 500 * CRORE, "medium"),
        (125 * CRORE + 1, 500 * CRORE, "not_msme"),
        (125 * CRORE, 500 * CRORE + 1, "not_msme"),
        (1, 600 * CRORE, "not_msme"),  # composite test: both limits must hold
    ],
)
def test_the_category_is_the_smallest_whose_two_limits_both_hold(
    investment: int, turnover: int, expected: str
) -> None:
    assert (
        MsmeLimit.objects.category_for(investment=investment, turnover=turnover, on=TODAY_LIMITS)
        == expected
    )


@pytest.mark.parametrize(
    ("investment", "turnover", "expected"),
    [
        (1 * CRORE, 5 * CRORE, "micro"),
        (1 * CRORE + 1, 5 * CRORE, "small"),
        (10 * CRORE + 1, 50 * CRORE, "medium"),
        (50 * CRORE + 1, 250 * CRORE, "not_msme"),
    ],
)
def test_a_question_about_an_earlier_date_gets_the_limits_of_that_date(
    investment: int, turnover: int, expected: str
) -> None:
    assert (
        MsmeLimit.objects.category_for(investment=investment, turnover=turnover, on=OLD_LIMITS)
        == expected
    )


def test_both_revisions_ship_with_their_notifications() -> None:
    assert set(MsmeLimit.objects.values_list("notification", flat=True)) == {
        "S.O. 2119(E), 2020-06-26",
        "S.O. 1364(E), 2025-03-21",
    }
    assert (
        MsmeLimit.objects.in_force_on(datetime.date(2025, 3, 31))
        .get(category="micro")
        .max_investment_rupees
        == CRORE
    )


def test_a_date_with_no_limits_in_force_is_an_error_not_a_guess() -> None:
    with pytest.raises(NoLimitsInForce, match="No MSME limits are in force on 2019-01-01"):
        MsmeLimit.objects.category_for(investment=1, turnover=1, on=datetime.date(2019, 1, 1))
