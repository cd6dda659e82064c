"""The recommended allocation as a pure problem: no Django, only numbers in and out.

Each open need may go to at most one supplier (the whole need: a need is not split), a
supplier's recommended needs must fit in its free capacity, and the total score is as high as
it can be. That is a generalized assignment problem; it is solved exactly with OR-Tools'
CP-SAT, after reductions that keep the optimum (below), so that a national run solves a few
small models instead of one large one.

**The objective, and ties.** Each edge (need ``i``, supplier ``s``) has a rank in its need's
candidate list, ordered by score (highest first), then supplier id (lowest first). An
allocation is worth ``Σ (score·W + K − rank)`` over its edges (``objective``), where ``K``
exceeds every rank of the instance and ``W`` exceeds the largest possible sum of the
``K − rank`` terms. So the total score decides first; among allocations of equal total, the
one whose needs get better-ranked candidates (so, among equal scores, lower supplier ids) and
that recommends to more needs wins. What still ties after that is settled by the solver,
deterministically: the model is built in sorted order whatever the input order, with one
worker and a fixed seed. Every edge is worth more than none (``K − rank ≥ 1``).

**Exact reductions.**

1. *Zero-demand needs* take no capacity: each gets its first-ranked candidate, alone.
2. *Components*: needs that share no candidate supplier (directly or through others) are
   independent problems; they are solved one by one.
3. *Top-k pruning*: in a component of ``k`` needs, a need keeps only its ``k`` first-ranked
   candidates. Exchange argument: take an optimal allocation in which need ``i`` goes to a
   supplier ``s`` outside its top ``k``. The other ``k − 1`` needs occupy at most ``k − 1``
   suppliers, so some ``t`` among ``i``'s top ``k`` serves no other need. Every edge is
   feasible on its own (``demand_i ≤ free capacity of t``), so moving ``i`` from ``s`` to
   ``t`` stays feasible, and it raises the objective: ``t`` ranks before ``s``, so its score
   is at least as high and its rank term strictly higher. That contradicts optimality: no
   optimal allocation uses a pruned edge. Pruning can split a component; the smaller ones are
   pruned again with their own ``k``, until nothing changes.
4. *Uncontested suppliers*: a supplier whose free capacity covers the demand of every need
   still linked to it can never be the reason a need is refused. A need whose first-ranked
   candidate is such a supplier takes it (it is its best edge, always feasible, and can only
   leave more room for the others); it leaves the problem, and the supplier's capacity drops
   by its demand. When every need of a component is placed this way, no solver runs.

Figures are integers: quantities in hundredths (demands rounded up, capacities down, so a
rounding never lets a supplier exceed its capacity) and scores in hundredths.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ortools.sat.python import cp_model

OPTIMAL = "OPTIMAL"
FEASIBLE = "FEASIBLE"
# A component CP-SAT found no solution for in time falls back to the greedy allocation
# (first-ranked candidate that still fits, needs in order): feasible, not proven optimal.
GREEDY = "GREEDY"

SEED = 20251126
TIME_LIMIT_SECONDS = 10.0


@dataclass(frozen=True)
class NeedDemand:
    """A need and how much of a supplier's capacity it takes (0: nothing, unconstrained)."""

    id: int
    demand: Decimal


@dataclass(frozen=True)
class Edge:
    """A candidate: the supplier can serve the need alone, with this score (0–100)."""

    need_id: int
    supplier_id: int
    score: Decimal


@dataclass(frozen=True)
class Assignment:
    need_id: int
    supplier_id: int
    score: Decimal
    # 1 = the need's best candidate (score desc, supplier id asc), among all its edges.
    rank: int
    # Candidates ranked before this one that are recommended for other needs (their capacity
    # is used there). In an optimal allocation every one of them is.
    higher_elsewhere: int

    @property
    def score_cents(self) -> int:
        return int(self.score * 100)


@dataclass
class Stats:
    edges: int = 0
    edges_after_pruning: int = 0
    components: int = 0
    solved_components: int = 0  # components that needed CP-SAT
    fixed_needs: int = 0  # needs placed by reductions 1 and 4


@dataclass
class Result:
    assignments: dict[int, Assignment]
    status: str  # OPTIMAL when every component is proven optimal
    loads: dict[int, Decimal]  # supplier id → demand recommended to it
    stats: Stats = field(default_factory=Stats)
    objective: int = 0  # the allocation's worth, as the solver maximised it

    @property
    def total_score(self) -> Decimal:
        return sum((a.score for a in self.assignments.values()), start=Decimal(0))


def _cents_up(value: Decimal) -> int:
    return int((Decimal(value) * 100).to_integral_value(rounding=ROUND_CEILING))


def _cents_down(value: Decimal) -> int:
    return int((Decimal(value) * 100).to_integral_value(rounding=ROUND_FLOOR))


class _Problem:
    """Integer form of the instance, with each need's candidates in rank order."""

    def __init__(
        self,
        needs: Iterable[NeedDemand],
        capacities: Mapping[int, Decimal | None],
        edges: Iterable[Edge],
    ) -> None:
        self.demand = {need.id: _cents_up(need.demand) for need in needs}
        self.capacity: dict[int, int | None] = {
            supplier_id: None if free is None else _cents_down(free)
            for supplier_id, free in capacities.items()
        }
        best: dict[tuple[int, int], int] = {}
        for edge in edges:
            if edge.need_id not in self.demand or edge.supplier_id not in self.capacity:
                continue
            key = (edge.need_id, edge.supplier_id)
            best[key] = max(best.get(key, -1), _cents_down(edge.score))
        candidates: dict[int, list[tuple[int, int]]] = defaultdict(list)  # need → (score, s)
        for (need_id, supplier_id), score in best.items():
            capacity = self.capacity[supplier_id]
            # Only edges feasible on their own (the pruning's argument rests on it).
            if capacity is None or self.demand[need_id] <= capacity:
                candidates[need_id].append((score, supplier_id))
        # Each need's candidates in rank order: score desc, supplier id asc.
        self.ranked: dict[int, list[tuple[int, int]]] = {
            need_id: sorted(pairs, key=lambda pair: (-pair[0], pair[1]))
            for need_id, pairs in sorted(candidates.items())
        }
        self.edge_count = sum(len(pairs) for pairs in self.ranked.values())


def allocate(
    needs: Iterable[NeedDemand],
    capacities: Mapping[int, Decimal | None],
    edges: Iterable[Edge],
    *,
    prune: bool = True,
    time_limit: float = TIME_LIMIT_SECONDS,
) -> Result:
    """The allocation of ``needs`` to suppliers with the highest total score.

    ``capacities`` maps each supplier to its free capacity (None: unstated, no limit). Edges
    to unknown needs or suppliers, and edges a supplier could not serve even alone, are
    ignored. ``prune=False`` skips reductions 3 and 4 (for tests that prove them exact).
    """
    problem = _Problem(needs, capacities, edges)
    stats = Stats(edges=problem.edge_count)
    # Rank of each edge (0-based) in its need's full list, for the reasons and the objective.
    rank = {
        (need_id, supplier_id): position
        for need_id, pairs in problem.ranked.items()
        for position, (_, supplier_id) in enumerate(pairs)
    }
    value = Objective.of(problem)
    chosen: dict[int, int] = {}  # need → supplier
    remaining = {s: c for s, c in problem.capacity.items()}
    status = OPTIMAL

    # 1. Zero-demand needs.
    graph: dict[int, list[tuple[int, int]]] = {}
    for need_id, pairs in problem.ranked.items():
        if not pairs:
            continue
        if problem.demand[need_id] == 0:
            chosen[need_id] = pairs[0][1]
            stats.fixed_needs += 1
        else:
            graph[need_id] = pairs

    # 2–4. Components, pruned and reduced until stable, then solved.
    pending = _components(graph)
    while pending:
        component = pending.pop()
        if prune:
            reduced = _reduce(component, problem.demand, remaining, chosen, stats)
            if reduced is not None:
                pending.extend(reduced)
                continue
        stats.components += 1
        stats.edges_after_pruning += sum(len(pairs) for pairs in component.values())
        stats.solved_components += 1
        solved, component_status = _solve(
            component, problem.demand, remaining, rank, value, time_limit=time_limit
        )
        if component_status != OPTIMAL:
            status = FEASIBLE
        for need_id, supplier_id in solved.items():
            chosen[need_id] = supplier_id
            if remaining[supplier_id] is not None:
                remaining[supplier_id] -= problem.demand[need_id]

    loads: dict[int, Decimal] = defaultdict(Decimal)
    for need_id, supplier_id in chosen.items():
        loads[supplier_id] += Decimal(problem.demand[need_id]) / 100
    used_by: dict[int, set[int]] = defaultdict(set)
    for need_id, supplier_id in chosen.items():
        used_by[supplier_id].add(need_id)
    assignments = {}
    for need_id, supplier_id in sorted(chosen.items()):
        position = rank[(need_id, supplier_id)]
        pairs = problem.ranked[need_id]
        assignments[need_id] = Assignment(
            need_id=need_id,
            supplier_id=supplier_id,
            score=Decimal(pairs[position][0]) / 100,
            rank=position + 1,
            higher_elsewhere=sum(
                1 for _, better in pairs[:position] if used_by[better] - {need_id}
            ),
        )
    return Result(
        assignments=assignments,
        status=status,
        loads=dict(loads),
        stats=stats,
        objective=sum(value(a.score_cents, a.rank - 1) for a in assignments.values()),
    )


@dataclass(frozen=True)
class Objective:
    """What one edge is worth: ``score·W + K − rank`` (see the module's docstring)."""

    ranks_over: int  # K: above every rank
    weight: int  # W: above any allocation's sum of K − rank

    @classmethod
    def of(cls, problem: _Problem) -> Objective:
        ranks_over = 1 + max((len(pairs) for pairs in problem.ranked.values()), default=0)
        return cls(ranks_over, len(problem.ranked) * ranks_over + 1)

    def __call__(self, score_cents: int, rank: int) -> int:
        return score_cents * self.weight + self.ranks_over - rank


Graph = dict[int, list[tuple[int, int]]]  # need → its candidates (score, supplier), ranked


def _components(graph: Graph) -> list[Graph]:
    """Split needs into groups linked through shared suppliers (union-find), in id order."""
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for need_id, pairs in graph.items():
        for _, supplier_id in pairs:
            a, b = find(("n", need_id)), find(("s", supplier_id))
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[Hashable, Graph] = defaultdict(dict)
    for need_id in sorted(graph):
        groups[find(("n", need_id))][need_id] = graph[need_id]
    # Largest last: pending.pop() takes the small ones first (no effect on the result).
    return sorted(groups.values(), key=lambda g: (len(g), min(g)))


def _reduce(
    component: Graph,
    demand: dict[int, int],
    remaining: dict[int, int | None],
    chosen: dict[int, int],
    stats: Stats,
) -> list[Graph] | None:
    """Apply reductions 3 and 4 once; None when they change nothing (solve it as it is)."""
    k = len(component)
    pruned = {need_id: pairs[:k] for need_id, pairs in component.items()}
    changed = any(len(pruned[n]) != len(component[n]) for n in component)
    linked: dict[int, int] = defaultdict(int)  # supplier → demand of the needs linked to it
    for need_id, pairs in pruned.items():
        for _, supplier_id in pairs:
            linked[supplier_id] += demand[need_id]
    fixed = [
        need_id
        for need_id, pairs in pruned.items()
        if (cap := remaining[pairs[0][1]]) is None or linked[pairs[0][1]] <= cap
    ]
    for need_id in fixed:
        supplier_id = pruned.pop(need_id)[0][1]
        chosen[need_id] = supplier_id
        stats.fixed_needs += 1
        if remaining[supplier_id] is not None:
            remaining[supplier_id] -= demand[need_id]
    if not changed and not fixed:
        return None
    # Placing a need may leave a supplier too small for another's edge: drop those edges.
    left = {
        need_id: [
            (score, s)
            for score, s in pairs
            if remaining[s] is None or demand[need_id] <= remaining[s]  # type: ignore[operator]
        ]
        for need_id, pairs in pruned.items()
    }
    return _components({need_id: pairs for need_id, pairs in left.items() if pairs})


def _solve(
    component: Graph,
    demand: dict[int, int],
    remaining: dict[int, int | None],
    rank: dict[tuple[int, int], int],
    value: Objective,
    *,
    time_limit: float,
) -> tuple[dict[int, int], str]:
    """One component with CP-SAT; the greedy allocation if it finds nothing in time."""
    model = cp_model.CpModel()
    by_supplier: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    objective = []
    variables: dict[tuple[int, int], cp_model.IntVar] = {}
    for need_id in sorted(component):
        row = []
        for score, supplier_id in sorted(component[need_id], key=lambda p: p[1]):
            x = model.new_bool_var(f"x{need_id}_{supplier_id}")
            variables[(need_id, supplier_id)] = x
            row.append(x)
            by_supplier[supplier_id].append((demand[need_id], x))
            objective.append((value(score, rank[(need_id, supplier_id)]), x))
        model.add_at_most_one(row)
    for supplier_id in sorted(by_supplier):
        cap = remaining[supplier_id]
        terms = by_supplier[supplier_id]
        if cap is not None and sum(d for d, _ in terms) > cap:
            model.add(sum(d * x for d, x in terms) <= cap)
    model.maximize(sum(c * x for c, x in objective))
    # A hint from the greedy allocation: a good first solution, found deterministically.
    greedy = _greedy(component, demand, remaining)
    for (need_id, supplier_id), x in variables.items():
        model.add_hint(x, greedy.get(need_id) == supplier_id)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_time_in_seconds = time_limit
    outcome = solver.solve(model)
    if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return greedy, GREEDY
    chosen = {n: s for (n, s), x in variables.items() if solver.value(x)}
    return chosen, OPTIMAL if outcome == cp_model.OPTIMAL else FEASIBLE


def _greedy(
    component: Graph, demand: dict[int, int], remaining: dict[int, int | None]
) -> dict[int, int]:
    left = dict(remaining)
    chosen = {}
    for need_id in sorted(component):
        for _, supplier_id in component[need_id]:
            cap = left[supplier_id]
            if cap is None or demand[need_id] <= cap:
                chosen[need_id] = supplier_id
                if cap is not None:
                    left[supplier_id] = cap - demand[need_id]
                break
    return chosen
