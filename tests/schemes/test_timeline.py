"""Where a date falls in the scheme's timeline, as one table of cases."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from schemes.models import Milestone
from schemes.timeline import Timeline

D = datetime.date


def milestones(**dates: datetime.date | None) -> list[Milestone]:
    """Milestones in the scheme's order, with these dates (None: not yet public)."""
    kinds = [kind for kind in Milestone.Kind.values if kind in dates]
    return [Milestone(kind=kind, order=i, date=dates[kind]) for i, kind in enumerate(kinds, 1)]


SHIPPED = milestones(
    approval=D(2025, 11, 26),
    notification=D(2025, 12, 15),
    rfp_issued=D(2026, 3, 20),
    bid_due=D(2026, 6, 29),
    bid_opening=D(2026, 6, 30),
    award=None,
    gestation_end=None,
    incentive_end=None,
)
AWARDED = milestones(
    bid_opening=D(2026, 6, 30),
    award=D(2026, 10, 1),
    gestation_end=D(2028, 10, 1),
    incentive_end=D(2033, 10, 1),
)


@pytest.mark.parametrize(
    ("timeline", "day", "text", "due_after"),
    [
        (
            AWARDED,
            D(2027, 3, 15),
            "Due 15 Mar 2027, after the award (1 Oct 2026) and before the end of the gestation "
            "period (1 Oct 2028).",
            "award",
        ),
        (
            AWARDED,
            D(2026, 1, 10),
            "Due 10 Jan 2026, before the opening of the technical bids (30 Jun 2026).",
            None,
        ),
        (
            AWARDED,
            D(2028, 10, 1),
            "Due 1 Oct 2028, the day of the end of the gestation period.",
            "gestation_end",
        ),
        (
            AWARDED,
            D(2034, 1, 1),
            "Due 1 Jan 2034, after the end of incentive disbursement (1 Oct 2033).",
            "incentive_end",
        ),
        (
            SHIPPED,
            D(2027, 3, 15),
            "Due 15 Mar 2027, after the opening of the technical bids (30 Jun 2026); the date "
            "of the award is not yet public.",
            "bid_opening",
        ),
        (
            SHIPPED,
            D(2026, 5, 1),
            "Due 1 May 2026, after the issue of the RFP (20 Mar 2026) and before the bid due "
            "date (29 Jun 2026).",
            "rfp_issued",
        ),
        (
            milestones(award=None, gestation_end=None),
            D(2027, 3, 15),
            "Due 15 Mar 2027; the scheme's dates are not yet public.",
            None,
        ),
    ],
)
def test_it_says_where_a_due_date_falls_and_places_it_in_the_timeline(
    timeline: list[Milestone], day: datetime.date, text: str, due_after: str | None
) -> None:
    placed = Timeline(timeline, day)

    assert placed.text == text
    entries = placed.entries
    at = next(i for i, entry in enumerate(entries) if entry.day == day)
    assert (entries[at - 1].milestone.kind if at else None) == due_after
    assert len(entries) == len(timeline) + 1


def test_without_a_due_date_there_is_nothing_to_place() -> None:
    placed = Timeline(SHIPPED, None)

    assert placed.text == ""
    assert [entry.milestone for entry in placed.entries] == SHIPPED


def test_the_sentence_speaks_hindi() -> None:
    with translation.override("hi"):
        text = Timeline(AWARDED, D(2027, 3, 15)).text

    assert "15 मार्च 2027" in text
    assert "गेस्टेशन" in text  # the end of the gestation period
