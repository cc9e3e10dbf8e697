"""Budget-optimal selection of proposals (HiGHS MILP) and the greedy-by-score baseline.

The problem: choose x_i ∈ {0, 1} maximising Σ score_i·x_i subject to
  Σ cost_i·x_i ≤ budget                                  (the year's available budget)
  Σ_{i of partner p} cost_i·x_i ≤ partner_cap            (per-partner cap)
  min_t ≤ Σ_{i of theme t} x_i ≤ max_t                   (optional per-theme counts)
  x_a + x_b ≤ 1                                          (mutually exclusive pairs)
The greedy set is handed to HiGHS as the starting incumbent, so the optimiser never returns a set
worth less than greedy even if it stops at its gap tolerance. Pure functions: no database access.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from highspy._core import _Highs

# Rejected proposals for which the exact "score it would have needed" is computed by re-solving with
# the proposal forced in (highest scores first); beyond this many, or once the time budget is spent,
# only the binding constraint is named. Keeps a 2,000-proposal run within a page request.
EXPLAIN_RESOLVE_LIMIT = 25
EXPLAIN_TIME_BUDGET_S = 1.0
_EPS = 1e-6


@dataclass(frozen=True)
class Item:
    id: int
    partner_id: int
    theme: str
    cost: int
    score: float


@dataclass(frozen=True)
class Problem:
    items: Sequence[Item]
    budget: int
    partner_cap: int
    theme_min: dict[str, int] = field(default_factory=dict)
    theme_max: dict[str, int] = field(default_factory=dict)
    exclusive: Sequence[tuple[int, int]] = ()


@dataclass(frozen=True)
class Selection:
    ids: frozenset[int]
    total_score: float
    total_cost: int
    unspent: int
    feasible: bool = True


@dataclass(frozen=True)
class Explanation:
    """Why a proposal is not in the optimal set: a reason code, its detail and the score it needed."""

    reason: str  # "exclusive" | "partner_cap" | "theme_max" | "budget" | "does_not_fit"
    detail: str = ""
    needed_score: float | None = None


def _summarise(problem: Problem, chosen: set[int], feasible: bool = True) -> Selection:
    by_id = {item.id: item for item in problem.items}
    cost = sum(by_id[i].cost for i in chosen)
    score = sum(by_id[i].score for i in chosen)
    return Selection(frozenset(chosen), round(score, 6), cost, problem.budget - cost, feasible)


def is_feasible(problem: Problem, ids: set[int] | frozenset[int]) -> bool:
    """Whether a set satisfies every constraint of the problem."""
    by_id = {item.id: item for item in problem.items}
    chosen = [by_id[i] for i in ids]
    if sum(item.cost for item in chosen) > problem.budget:
        return False
    per_partner: dict[int, int] = defaultdict(int)
    per_theme: dict[str, int] = defaultdict(int)
    for item in chosen:
        per_partner[item.partner_id] += item.cost
        per_theme[item.theme] += 1
    if any(total > problem.partner_cap for total in per_partner.values()):
        return False
    if any(per_theme[t] > limit for t, limit in problem.theme_max.items()):
        return False
    if any(per_theme[t] < limit for t, limit in problem.theme_min.items()):
        return False
    return not any(a in ids and b in ids for a, b in problem.exclusive)


def greedy(problem: Problem) -> Selection:
    """Take proposals by score (highest first) while every upper limit still holds.

    Greedy cannot plan for theme minimums; its set is reported infeasible when it misses one.
    """
    chosen: set[int] = set()
    spent = 0
    per_partner: dict[int, int] = defaultdict(int)
    per_theme: dict[str, int] = defaultdict(int)
    partners_of = defaultdict(set)
    for a, b in problem.exclusive:
        partners_of[a].add(b)
        partners_of[b].add(a)
    for item in sorted(problem.items, key=lambda i: (-i.score, i.cost, i.id)):
        if item.score <= 0:
            continue
        if spent + item.cost > problem.budget:
            continue
        if per_partner[item.partner_id] + item.cost > problem.partner_cap:
            continue
        if item.theme in problem.theme_max and per_theme[item.theme] >= problem.theme_max[item.theme]:
            continue
        if partners_of[item.id] & chosen:
            continue
        chosen.add(item.id)
        spent += item.cost
        per_partner[item.partner_id] += item.cost
        per_theme[item.theme] += 1
    return _summarise(problem, chosen, is_feasible(problem, chosen))


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing, not even its licence banner.

    HiGHS prints the banner on the first call of any of its methods unless `output_flag` is already
    off, and highspy's own constructor calls one (it enables the callbacks): a `Highs()` followed by
    `silent()` still interrupts `make demo` and the server log. So the C++ object is built first, the
    output switched off, and highspy's constructor then finishes the wrapper (its base-class call on
    the already-built object keeps the options)."""
    h = highspy.Highs.__new__(highspy.Highs)
    _Highs.__init__(h)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    highspy.Highs.__init__(h)
    return h


class _Unsolved(Exception):
    """HiGHS stopped (time limit) before proving optimality."""


def _solve(
    problem: Problem,
    forced: int | None = None,
    start: set[int] | None = None,
    time_limit: float | None = None,
) -> set[int] | None:
    """Solve the MILP; None when infeasible. `forced` fixes one proposal in the set.

    Raises _Unsolved when a time limit stops HiGHS before optimality."""
    items = list(problem.items)
    n = len(items)
    if n == 0:
        return set()
    index = {item.id: k for k, item in enumerate(items)}
    h = _quiet_highs()
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("mip_abs_gap", 1e-7)
    h.setOptionValue("threads", 1)
    if time_limit is not None:
        h.setOptionValue("time_limit", time_limit)
    lower = np.zeros(n)
    upper = np.ones(n)
    if forced is not None:
        lower[index[forced]] = 1.0
    costs = np.array([-item.score for item in items], dtype=float)  # HiGHS minimises
    h.addCols(
        n, costs, lower, upper, 0, np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([])
    )
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    inf = highspy.kHighsInf

    def add_row(lo: float, hi: float, cols: list[int], vals: list[float]) -> None:
        h.addRow(lo, hi, len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=float))

    add_row(-inf, float(problem.budget), list(range(n)), [float(item.cost) for item in items])
    by_partner: dict[int, list[int]] = defaultdict(list)
    by_theme: dict[str, list[int]] = defaultdict(list)
    for k, item in enumerate(items):
        by_partner[item.partner_id].append(k)
        by_theme[item.theme].append(k)
    for cols in by_partner.values():
        if sum(items[k].cost for k in cols) > problem.partner_cap:
            add_row(-inf, float(problem.partner_cap), cols, [float(items[k].cost) for k in cols])
    for theme in set(problem.theme_min) | set(problem.theme_max):
        cols = by_theme.get(theme, [])
        lo = float(problem.theme_min.get(theme, 0))
        hi = float(problem.theme_max[theme]) if theme in problem.theme_max else inf
        if lo > len(cols):
            return None
        if cols:
            add_row(lo, hi, cols, [1.0] * len(cols))
    for a, b in problem.exclusive:
        if a in index and b in index:
            add_row(-inf, 1.0, [index[a], index[b]], [1.0, 1.0])
    if start is not None and (forced is None or forced in start):
        solution = highspy.HighsSolution()
        solution.col_value = [1.0 if item.id in start else 0.0 for item in items]
        solution.value_valid = True
        h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit:
        raise _Unsolved
    if status != highspy.HighsModelStatus.kOptimal:
        return None
    values = h.getSolution().col_value
    return {items[k].id for k in range(n) if values[k] > 0.5}


def optimise(problem: Problem) -> Selection:
    """The set with the highest total score satisfying every constraint (infeasible → empty set)."""
    baseline = greedy(problem)
    chosen = _solve(problem, start=set(baseline.ids) if baseline.feasible else None)
    if chosen is None:
        return _summarise(problem, set(), feasible=False)
    result = _summarise(problem, chosen)
    # A tolerance stop can never leave us below a feasible greedy set: keep the better of the two.
    if baseline.feasible and baseline.total_score > result.total_score + _EPS:
        return baseline
    return result


def explain(problem: Problem, selection: Selection) -> dict[int, Explanation]:
    """For each proposal outside the selection: the constraint that binds, or the score it needed."""
    by_id = {item.id: item for item in problem.items}
    chosen = set(selection.ids)
    per_partner: dict[int, int] = defaultdict(int)
    per_theme: dict[str, int] = defaultdict(int)
    for i in chosen:
        per_partner[by_id[i].partner_id] += by_id[i].cost
        per_theme[by_id[i].theme] += 1
    rivals: dict[int, list[int]] = defaultdict(list)
    for a, b in problem.exclusive:
        rivals[a].append(b)
        rivals[b].append(a)
    explanations: dict[int, Explanation] = {}
    resolved = 0
    deadline = time.monotonic() + EXPLAIN_TIME_BUDGET_S
    rejected = sorted(
        (item for item in problem.items if item.id not in chosen), key=lambda i: (-i.score, i.id)
    )
    for item in rejected:
        taken_rivals = [r for r in rivals[item.id] if r in chosen]
        if item.cost > problem.budget or item.cost > problem.partner_cap:
            explanations[item.id] = Explanation("does_not_fit")
        elif taken_rivals:
            explanations[item.id] = Explanation("exclusive", ", ".join(f"#{r}" for r in taken_rivals))
        elif per_partner[item.partner_id] + item.cost > problem.partner_cap:
            explanations[item.id] = Explanation("partner_cap")
        elif item.theme in problem.theme_max and per_theme[item.theme] >= problem.theme_max[item.theme]:
            explanations[item.id] = Explanation("theme_max", item.theme)
        elif resolved < EXPLAIN_RESOLVE_LIMIT and time.monotonic() < deadline:
            resolved += 1
            try:
                with_item = _solve(problem, forced=item.id, time_limit=max(deadline - time.monotonic(), 0.05))
            except _Unsolved:
                explanations[item.id] = Explanation("budget")
                continue
            if with_item is None:
                explanations[item.id] = Explanation("does_not_fit")
            else:
                best_with = sum(by_id[i].score for i in with_item)
                needed = item.score + (selection.total_score - best_with)
                explanations[item.id] = Explanation("budget", needed_score=round(needed + 0.01, 2))
        else:
            explanations[item.id] = Explanation("budget")
    return explanations
