"""Teams of nearby suppliers for a need no single one can serve: pure Python, no database.

Input: a need's monthly quantity and the *candidates* (suppliers that pass every rule of the
matcher but capacity, each with its free capacity for the need, its match score, where it is
and how far it is from the site). Output: up to ``TeamRules.max_teams`` teams, best first.

A team (a consortium) is
  * 2 to 6 members whose free capacities together reach the need;
  * led by one member, the one with the most free capacity (ties: the higher score, then the
    lower id), who takes the largest share; every partner lies within ``spread_km`` of it;
  * split into shares: each member takes at least ``min_share`` of the need (a member that
    would bring 2 % of it costs more in coordination than it brings) and never more than its
    free capacity (``split``).

The team score, 0–100 like a match's, is kept simple enough to say in one sentence: the
members' match scores averaged by their shares, less ``km_penalty`` points per km of the
team's spread (the farthest partner from the lead), less ``site_penalty`` points per km from the
site (the members' distances averaged by share), less ``member_penalty`` points per member
beyond two (every partner is one more contract and one more truck to coordinate).

Speed: a need can have thousands of capacity near misses, and a full rematch re-proposes for
every need, so the search is pruned. The pool is the ``pool_size`` largest candidates by free
capacity and the ``pool_size`` best by score; leads are the ``lead_count`` largest and the
``lead_count`` best of that pool; each lead's neighbours are found through a grid of
``spread_km`` cells (only the 3 × 3 cells around the lead are measured). For each lead a few
greedy fills (best value first, largest first) add partners until the need is met, then drop
any partner the team no longer needs. Every ordering ends in the supplier id, so the same
candidates in any order give the same teams in the same order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

# The matcher's own distance (one definition): members are measured as the radius rule measures.
from clusters.geo import great_circle_km as km_between

LEAD = "lead"
PARTNER = "partner"


@dataclass(frozen=True)
class Candidate:
    """A supplier that passes every rule of a need but capacity, and what it has free."""

    supplier_id: int
    free: Decimal  # free monthly capacity for the need's process, in the need's unit
    score: Decimal  # its match score for the need, 0–100
    latitude: float
    longitude: float
    place: str = ""  # where it is (district headquarters), for the explanation
    km_to_site: float | None = None


@dataclass(frozen=True)
class TeamRules:
    """The builder's settings; the defaults are what the product proposes."""

    max_teams: int = 3
    min_members: int = 2
    max_members: int = 6
    spread_km: float = 150.0  # every partner within this distance of the lead
    min_share: Decimal = Decimal("0.10")  # of the need, per member
    km_penalty: float = 0.05  # points per km of spread (150 km: 7.5 points)
    # Points per km from the site, the members' distances averaged by share (300 km: 3 points):
    # the match scores already count distance; this keeps a near team ahead of an equal far one.
    site_penalty: float = 0.01
    member_penalty: float = 2.0  # points per member beyond two
    pool_size: int = 60
    lead_count: int = 8


@dataclass(frozen=True)
class Member:
    supplier_id: int
    role: str  # LEAD or PARTNER
    share: Decimal
    free: Decimal
    score: Decimal
    km_to_lead: float
    km_to_site: float | None
    place: str


@dataclass(frozen=True)
class Team:
    members: tuple[Member, ...]  # the lead first, then partners by share, then id
    score: Decimal  # 0–100, two places
    total_free: Decimal
    spread_km: float  # the farthest partner from the lead
    key: str = field(default="")  # the member ids, sorted, joined by "-": one team per need

    @property
    def lead(self) -> Member:
        return self.members[0]


def team_key(supplier_ids: Iterable[int]) -> str:
    return "-".join(str(pk) for pk in sorted(supplier_ids))


def _step(values: Iterable[Decimal]) -> Decimal:
    """Shares in whole units when the need and capacities are whole, else in hundredths."""
    return Decimal(1) if all(v == v.to_integral_value() for v in values) else Decimal("0.01")


def minimum_share(quantity: Decimal, rules: TeamRules) -> Decimal:
    step = _step([quantity])
    return (quantity * rules.min_share / step).to_integral_value(ROUND_CEILING) * step


def split(quantity: Decimal, frees: Sequence[Decimal], minimum: Decimal) -> list[Decimal] | None:
    """Shares of ``quantity`` for members with these free capacities, the lead (the largest)
    first; None when they cannot take it.

    Each member first takes ``minimum``; the rest is split in proportion to what each has free
    beyond that (water-filling from a common floor). So no share exceeds its free capacity (the
    rest never exceeds what is free beyond the floor), and a larger free capacity never gets a
    smaller share, so the lead's is the largest. Rounded down to the unit step, the remainder
    goes one step at a time to the lead, then the partners in order, where there is room.
    """
    total = sum(frees, start=Decimal(0))
    count = len(frees)
    if total < quantity or minimum * count > quantity or any(f < minimum for f in frees):
        return None
    step = _step([quantity, *frees])
    room = total - minimum * count
    rest = quantity - minimum * count
    exact = [minimum + (rest * (f - minimum) / room if room else Decimal(0)) for f in frees]
    shares = [
        min(f, (e / step).to_integral_value(ROUND_FLOOR) * step)
        for e, f in zip(exact, frees, strict=True)
    ]
    left = quantity - sum(shares, start=Decimal(0))
    while left > 0:
        placed = False
        for index, free in enumerate(frees):
            if left <= 0:
                break
            bump = min(step, left)
            ceiling = free if index == 0 else min(free, shares[0])
            if shares[index] + bump <= ceiling:
                shares[index] += bump
                left -= bump
                placed = True
        if not placed:  # pragma: no cover - total >= quantity leaves room somewhere
            return None
    return shares


class _Grid:
    """Candidates bucketed in cells about ``cell_km`` across, to find neighbours quickly."""

    def __init__(self, candidates: Sequence[Candidate], cell_km: float) -> None:
        self.lat_step = max(cell_km / 111.0, 1e-6)
        self.cells: dict[tuple[int, int], list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            self.cells[self._cell(candidate.latitude, candidate.longitude)].append(candidate)

    def _cell(self, latitude: float, longitude: float) -> tuple[int, int]:
        # Longitude cells as wide as latitude ones at the equator: at India's latitudes (8–37°)
        # a degree of longitude is shorter, so 3 × 3 cells always cover ``cell_km`` around.
        return (math.floor(latitude / self.lat_step), math.floor(longitude / self.lat_step))

    def near(self, latitude: float, longitude: float) -> Iterable[Candidate]:
        row, column = self._cell(latitude, longitude)
        for d_row in (-1, 0, 1):
            for d_column in (-1, 0, 1):
                yield from self.cells.get((row + d_row, column + d_column), ())


def _lead_order(candidate: Candidate) -> tuple:
    return (-candidate.free, -candidate.score, candidate.supplier_id)


def propose(
    quantity: Decimal, candidates: Iterable[Candidate], rules: TeamRules | None = None
) -> list[Team]:
    """Up to ``rules.max_teams`` distinct teams for a need of ``quantity`` a month, best first."""
    rules = rules or TeamRules()
    if quantity <= 0:
        return []
    minimum = minimum_share(quantity, rules)
    usable = sorted(
        (c for c in candidates if c.free >= minimum and c.free > 0),
        key=lambda c: c.supplier_id,
    )
    if len(usable) < rules.min_members:
        return []
    by_free = sorted(usable, key=_lead_order)
    by_score = sorted(usable, key=lambda c: (-c.score, -c.free, c.supplier_id))
    pool = {c.supplier_id: c for c in by_free[: rules.pool_size] + by_score[: rules.pool_size]}
    leads = {c.supplier_id: c for c in by_free[: rules.lead_count] + by_score[: rules.lead_count]}
    grid = _Grid(list(pool.values()), rules.spread_km)
    teams: dict[str, Team] = {}
    for lead in sorted(leads.values(), key=_lead_order):
        lead_rank = _lead_order(lead)
        neighbours: list[tuple[Candidate, float]] = []
        for other in grid.near(lead.latitude, lead.longitude):
            # A partner never outranks its lead: the lead is the team's largest member.
            if other.supplier_id == lead.supplier_id or _lead_order(other) <= lead_rank:
                continue
            km = km_between(lead.latitude, lead.longitude, other.latitude, other.longitude)
            if km <= rules.spread_km:
                neighbours.append((other, km))
        if len(neighbours) + 1 < rules.min_members:
            continue
        if lead.free + sum(c.free for c, _km in neighbours) < quantity:
            continue
        orderings = (
            # Best value first: the score, less what the distance to the lead costs.
            sorted(
                neighbours,
                key=lambda n: (-(float(n[0].score) - rules.km_penalty * n[1]), n[0].supplier_id),
            ),
            # Largest first: the fewest partners.
            sorted(neighbours, key=lambda n: (-n[0].free, -n[0].score, n[0].supplier_id)),
            # Nearest first: the tightest team.
            sorted(neighbours, key=lambda n: (n[1], n[0].supplier_id)),
        )
        for ordering in orderings:
            team = _fill(lead, ordering, quantity, minimum, rules)
            if team is not None and team.key not in teams:
                teams[team.key] = team
    ranked = sorted(teams.values(), key=lambda t: (-t.score, t.spread_km, t.key))
    return _distinct(ranked, rules.max_teams)


def _distinct(ranked: list[Team], limit: int) -> list[Team]:
    """The best teams, preferring different leads: a lead's second-best team is taken only when
    there are too few teams with other leads."""
    chosen: list[Team] = []
    leads: set[int] = set()
    for team in ranked:
        if len(chosen) < limit and team.lead.supplier_id not in leads:
            chosen.append(team)
            leads.add(team.lead.supplier_id)
    for team in ranked:
        if len(chosen) >= limit:
            break
        if team not in chosen:
            chosen.append(team)
    return sorted(chosen, key=lambda t: (-t.score, t.spread_km, t.key))


def _fill(
    lead: Candidate,
    ordering: list[tuple[Candidate, float]],
    quantity: Decimal,
    minimum: Decimal,
    rules: TeamRules,
) -> Team | None:
    chosen: list[tuple[Candidate, float]] = []
    total = lead.free
    for neighbour in ordering:
        if total >= quantity and len(chosen) + 1 >= rules.min_members:
            break
        if len(chosen) + 1 >= rules.max_members:
            return None
        chosen.append(neighbour)
        total += neighbour[0].free
    if total < quantity or len(chosen) + 1 < rules.min_members:
        return None
    # Drop partners the team no longer needs, the weakest value first.
    for neighbour in sorted(
        chosen, key=lambda n: (float(n[0].score) - rules.km_penalty * n[1], -n[0].supplier_id)
    ):
        if len(chosen) + 1 <= rules.min_members:
            break
        if total - neighbour[0].free >= quantity:
            chosen.remove(neighbour)
            total -= neighbour[0].free
    return _team(lead, chosen, quantity, minimum, rules)


def _team(
    lead: Candidate,
    partners: list[tuple[Candidate, float]],
    quantity: Decimal,
    minimum: Decimal,
    rules: TeamRules,
) -> Team | None:
    partners = sorted(partners, key=lambda n: _lead_order(n[0]))
    everyone = [(lead, 0.0), *partners]
    shares = split(quantity, [c.free for c, _km in everyone], minimum)
    if shares is None:
        return None
    members = tuple(
        Member(
            supplier_id=c.supplier_id,
            role=LEAD if index == 0 else PARTNER,
            share=share,
            free=c.free,
            score=c.score,
            km_to_lead=km,
            km_to_site=c.km_to_site,
            place=c.place,
        )
        for index, ((c, km), share) in enumerate(zip(everyone, shares, strict=True))
    )
    spread = max(km for _c, km in everyone)
    weighted = sum((m.score * m.share for m in members), start=Decimal(0)) / quantity
    to_site = sum(float(m.share) * (m.km_to_site or 0.0) for m in members) / float(
        sum((m.share for m in members), start=Decimal(0))
    )
    score = (
        float(weighted)
        - rules.km_penalty * spread
        - rules.site_penalty * to_site
        - rules.member_penalty * (len(members) - rules.min_members)
    )
    return Team(
        members=members,
        score=Decimal(str(max(0.0, round(score, 2)))).quantize(Decimal("0.01")),
        total_free=sum((m.free for m in members), start=Decimal(0)),
        spread_km=spread,
        key=team_key(m.supplier_id for m in members),
    )
