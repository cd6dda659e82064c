"""The solver alone: capacity always respected, optimal against brute force, deterministic,
and its reductions exact."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest

from allocation.solver import OPTIMAL, Edge, NeedDemand, Result, allocate


def random_instance(
    rng: random.Random, *, needs: int, suppliers: int, density: float = 0.6, zero_share=0.15
) -> tuple[list[NeedDemand], dict[int, Decimal | None], list[Edge]]:
    demands = [
        NeedDemand(
            100 + i,
            Decimal(0)
            if rng.random() < zero_share
            else Decimal(rng.randint(1, 40) * 25) / 10,  # 2.5 steps, two decimals
        )
        for i in range(needs)
    ]
    capacities: dict[int, Decimal | None] = {
        500 + s: None if rng.random() < 0.1 else Decimal(rng.randint(0, 120))
        for s in range(suppliers)
    }
    edges = [
        # Few distinct scores, so ties are common and the tie-break is exercised.
        Edge(
            need.id,
            supplier,
            Decimal(rng.choice([40, 55.5, 70, 70, 85.25, 99])).quantize(Decimal("0.01")),
        )
        for need in demands
        for supplier in capacities
        if rng.random() < density
    ]
    return demands, capacities, edges


def ranked(needs, capacities, edges) -> dict[int, list[tuple[Decimal, int]]]:
    """Each need's feasible candidates in rank order (score desc, supplier id asc)."""
    demand = {n.id: n.demand for n in needs}
    out: dict[int, list[tuple[Decimal, int]]] = {n.id: [] for n in needs}
    for e in edges:
        cap = capacities[e.supplier_id]
        if cap is None or demand[e.need_id] <= cap:
            out[e.need_id].append((e.score, e.supplier_id))
    return {n: sorted(p, key=lambda x: (-x[0], x[1])) for n, p in out.items()}


def worth(result_pairs: dict[int, int], lists, ranks_over: int) -> tuple[Decimal, int]:
    """(total score, Σ (K − rank)): the solver's objective, lexicographically."""
    total, tie = Decimal(0), 0
    for need_id, supplier_id in result_pairs.items():
        position = [s for _, s in lists[need_id]].index(supplier_id)
        total += lists[need_id][position][0]
        tie += ranks_over - position
    return total, tie


def brute_force(needs, capacities, edges) -> tuple[Decimal, int]:
    lists = ranked(needs, capacities, edges)
    ranks_over = 1 + max((len(p) for p in lists.values()), default=0)
    demand = {n.id: n.demand for n in needs}
    ids = sorted(lists)
    best = (Decimal(-1), -1)
    for choice in itertools.product(*[[None] + [s for _, s in lists[n]] for n in ids]):
        load: dict[int, Decimal] = {}
        for need_id, supplier_id in zip(ids, choice, strict=True):
            if supplier_id is not None:
                load[supplier_id] = load.get(supplier_id, Decimal(0)) + demand[need_id]
        if any(capacities[s] is not None and load[s] > capacities[s] for s in load):
            continue
        pairs = {n: s for n, s in zip(ids, choice, strict=True) if s is not None}
        best = max(best, worth(pairs, lists, ranks_over))
    return best


def assert_within_capacity(needs, capacities, result: Result) -> None:
    demand = {n.id: n.demand for n in needs}
    load: dict[int, Decimal] = {}
    for a in result.assignments.values():
        load[a.supplier_id] = load.get(a.supplier_id, Decimal(0)) + demand[a.need_id]
    for supplier_id, used in load.items():
        cap = capacities[supplier_id]
        assert cap is None or used <= cap, (supplier_id, used, cap)
    assert load == {s: v for s, v in result.loads.items() if v or s in load}


def pairs_of(result: Result) -> dict[int, int]:
    return {n: a.supplier_id for n, a in result.assignments.items()}


@pytest.mark.parametrize("seed", range(60))
def test_it_equals_brute_force_on_small_random_cases(seed: int) -> None:
    rng = random.Random(seed)
    needs, capacities, edges = random_instance(
        rng, needs=rng.randint(1, 6), suppliers=rng.randint(1, 4)
    )
    result = allocate(needs, capacities, edges)
    assert result.status == OPTIMAL
    assert_within_capacity(needs, capacities, result)
    lists = ranked(needs, capacities, edges)
    ranks_over = 1 + max((len(p) for p in lists.values()), default=0)
    assert worth(pairs_of(result), lists, ranks_over) == brute_force(needs, capacities, edges)


@pytest.mark.parametrize("seed", range(40))
def test_its_pruning_is_exact(seed: int) -> None:
    rng = random.Random(1000 + seed)
    needs, capacities, edges = random_instance(
        rng, needs=rng.randint(2, 14), suppliers=rng.randint(2, 30), density=0.4
    )
    pruned = allocate(needs, capacities, edges)
    unpruned = allocate(needs, capacities, edges, prune=False)
    assert pruned.objective == unpruned.objective
    assert pruned.total_score == unpruned.total_score
    assert_within_capacity(needs, capacities, pruned)


def test_it_is_deterministic_whatever_the_input_order() -> None:
    rng = random.Random(7)
    needs, capacities, edges = random_instance(rng, needs=40, suppliers=25, density=0.3)
    first = allocate(needs, capacities, edges)
    again = allocate(needs, capacities, edges)
    rng.shuffle(needs)
    rng.shuffle(edges)
    shuffled = allocate(needs, dict(reversed(list(capacities.items()))), edges)
    assert first.assignments == again.assignments == shuffled.assignments


def test_it_never_exceeds_capacity_at_a_larger_scale() -> None:
    rng = random.Random(11)
    needs, capacities, edges = random_instance(rng, needs=120, suppliers=200, density=0.1)
    result = allocate(needs, capacities, edges)
    assert_within_capacity(needs, capacities, result)
    assert result.status == OPTIMAL


def test_zero_demand_needs_take_their_best_candidate_even_from_a_full_supplier() -> None:
    needs = [NeedDemand(1, Decimal(10)), NeedDemand(2, Decimal(0))]
    capacities = {7: Decimal(10), 8: Decimal(0)}
    edges = [Edge(1, 7, Decimal(90)), Edge(2, 7, Decimal(80)), Edge(2, 8, Decimal(60))]
    result = allocate(needs, capacities, edges)
    assert pairs_of(result) == {1: 7, 2: 7}
    assert result.loads[7] == Decimal(10)


def test_an_edge_a_supplier_cannot_serve_alone_is_never_used() -> None:
    result = allocate([NeedDemand(1, Decimal(11))], {7: Decimal(10)}, [Edge(1, 7, Decimal(99))])
    assert result.assignments == {}


def test_it_gives_a_need_its_second_choice_when_the_first_serves_a_better_total() -> None:
    # Supplier 10 fits one need: need 2 loses less by moving (80 → 70) than need 1 (90 → 50).
    needs = [NeedDemand(1, Decimal(5)), NeedDemand(2, Decimal(5))]
    capacities = {10: Decimal(6), 11: Decimal(5)}
    edges = [
        Edge(1, 10, Decimal(90)),
        Edge(2, 10, Decimal(80)),
        Edge(1, 11, Decimal(50)),
        Edge(2, 11, Decimal(70)),
    ]
    result = allocate(needs, capacities, edges)
    assert pairs_of(result) == {1: 10, 2: 11}
    assert result.total_score == Decimal(160)
    second = result.assignments[2]
    assert (second.rank, second.higher_elsewhere) == (2, 1)
    assert (result.assignments[1].rank, result.assignments[1].higher_elsewhere) == (1, 0)


def test_equal_scores_go_to_the_lower_supplier_id() -> None:
    result = allocate(
        [NeedDemand(1, Decimal(1))],
        {9: Decimal(5), 4: Decimal(5)},
        [Edge(1, 9, Decimal(70)), Edge(1, 4, Decimal(70))],
    )
    assert pairs_of(result) == {1: 4}


def test_uncontested_needs_skip_the_solver() -> None:
    needs = [NeedDemand(i, Decimal(1)) for i in range(1, 6)]
    capacities = {s: Decimal(100) for s in range(10, 20)}
    edges = [Edge(n.id, s, Decimal(50 + s)) for n in needs for s in capacities]
    result = allocate(needs, capacities, edges)
    assert result.stats.solved_components == 0
    assert {a.supplier_id for a in result.assignments.values()} == {19}
