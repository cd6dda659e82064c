"""The team builder on its own: shares, sizes, spread, ranking and determinism."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from consortia.teams import LEAD, Candidate, TeamRules, propose, split

HOSUR = (12.74, 77.83)


def candidate(pk: int, free: int, score: str = "80", km_north: float = 0.0) -> Candidate:
    return Candidate(
        supplier_id=pk,
        free=Decimal(free),
        score=Decimal(score),
        latitude=HOSUR[0] + km_north / 111.195,
        longitude=HOSUR[1],
        place="Hosur",
        km_to_site=abs(km_north),
    )


def crowd(seed: int, count: int = 400) -> list[Candidate]:
    rng = random.Random(seed)
    return [
        Candidate(
            supplier_id=pk,
            free=Decimal(rng.randint(500, 20000)),
            score=Decimal(rng.randint(3000, 9500)) / 100,
            latitude=11.5 + rng.random() * 3,
            longitude=76.5 + rng.random() * 3,
            place=f"Town {pk % 9}",
            km_to_site=rng.random() * 250,
        )
        for pk in range(1, count + 1)
    ]


def check_team(team, quantity: Decimal, rules: TeamRules) -> None:
    members = team.members
    assert rules.min_members <= len(members) <= rules.max_members
    assert sum(m.free for m in members) >= quantity
    assert sum(m.share for m in members) == quantity
    assert all(m.share <= m.free for m in members)
    assert all(m.share >= quantity * rules.min_share for m in members)
    assert members[0].role == LEAD and all(m.role != LEAD for m in members[1:])
    assert all(members[0].share >= m.share for m in members[1:])
    assert all(m.km_to_lead <= rules.spread_km for m in members)
    assert team.key == "-".join(str(pk) for pk in sorted(m.supplier_id for m in members))


@pytest.mark.parametrize("seed", range(6))
def test_every_team_meets_the_need_within_capacities(seed: int) -> None:
    rules = TeamRules()
    quantity = Decimal(random.Random(seed).choice([30000, 45000, 60000, 90000]))
    teams = propose(quantity, crowd(seed), rules)
    assert teams
    assert len(teams) <= rules.max_teams
    for team in teams:
        check_team(team, quantity, rules)
    assert len({t.key for t in teams}) == len(teams)
    assert [t.score for t in teams] == sorted((t.score for t in teams), reverse=True)


@pytest.mark.parametrize("seed", range(3))
def test_the_same_candidates_in_any_order_give_the_same_teams(seed: int) -> None:
    candidates = crowd(seed)
    expected = propose(Decimal(60000), candidates)
    for shuffle_seed in range(5):
        shuffled = list(candidates)
        random.Random(shuffle_seed).shuffle(shuffled)
        assert propose(Decimal(60000), shuffled) == expected


def test_ties_are_broken_by_supplier_id() -> None:
    twins = [candidate(pk, 30000) for pk in (7, 3, 5, 9)]
    teams = propose(Decimal(60000), twins)
    assert teams[0].key == "3-5"
    assert teams[0].lead.supplier_id == 3


def test_a_closer_team_ranks_above_a_farther_one_of_equal_scores() -> None:
    near = [candidate(1, 40000), candidate(2, 30000, km_north=10)]
    far = [candidate(3, 40000, km_north=-200), candidate(4, 30000, km_north=-320)]
    teams = propose(Decimal(60000), near + far)
    assert [t.key for t in teams] == ["1-2", "3-4"]
    assert teams[0].score > teams[1].score


def test_fewer_members_rank_above_more_with_the_same_scores() -> None:
    teams = propose(
        Decimal(60000),
        [candidate(1, 35000), candidate(2, 30000), candidate(3, 20000), candidate(4, 15000)],
    )
    assert len(teams[0].members) == 2


def test_partners_beyond_the_spread_are_never_in_a_team() -> None:
    rules = TeamRules(spread_km=100)
    teams = propose(Decimal(60000), [candidate(1, 40000), candidate(2, 30000, km_north=150)], rules)
    assert teams == []


def test_a_member_too_small_for_the_minimum_share_is_left_out() -> None:
    teams = propose(Decimal(60000), [candidate(1, 55000), candidate(2, 5000), candidate(3, 6000)])
    assert [t.key for t in teams] == ["1-3"]


def test_no_team_when_seven_would_be_needed() -> None:
    assert propose(Decimal(70000), [candidate(pk, 10000) for pk in range(1, 10)]) == []


def test_a_team_of_six_when_six_are_needed() -> None:
    [team, *_] = propose(Decimal(60000), [candidate(pk, 10000) for pk in range(1, 8)])
    assert len(team.members) == 6


@pytest.mark.parametrize(
    ("quantity", "frees"),
    [
        ("100", ["50", "40", "30"]),
        ("100", ["60", "30", "10"]),
        ("100.5", ["60.25", "40.25"]),
        ("60000", ["25000", "20000", "15000"]),
        ("7", ["3", "3", "3"]),
    ],
)
def test_shares_fill_the_need_within_capacities_lead_largest(
    quantity: str, frees: list[str]
) -> None:
    quantity_d = Decimal(quantity)
    free_d = [Decimal(v) for v in frees]
    minimum = quantity_d * Decimal("0.10")
    shares = split(quantity_d, free_d, minimum)
    assert shares is not None
    assert sum(shares) == quantity_d
    assert all(s <= f for s, f in zip(shares, free_d, strict=True))
    assert all(s >= minimum for s in shares)
    assert all(shares[0] >= s for s in shares[1:])


def test_split_refuses_too_little_capacity() -> None:
    assert split(Decimal(100), [Decimal(50), Decimal(40)], Decimal(10)) is None


def test_of_two_teams_alike_but_for_the_site_the_nearer_ranks_first() -> None:
    """Same capacities, same scores, same spread: only the distance to the site differs."""
    near = [candidate(1, 600), candidate(2, 500, km_north=10)]
    far = [candidate(3, 600, km_north=300), candidate(4, 500, km_north=310)]

    teams = propose(Decimal(1000), [*far, *near], TeamRules(max_teams=2))

    assert [t.key for t in teams] == ["1-2", "3-4"]
    assert teams[0].score > teams[1].score
