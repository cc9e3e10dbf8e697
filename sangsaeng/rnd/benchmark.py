"""Timing of the selection optimiser on a synthetic call, for `make bench` (bench/run.py can call
`time_optimiser()` and compare `seconds` with the 1 s target). Pure: no database."""

from __future__ import annotations

import random
import time
from typing import Any

from sangsaeng.rnd.optimiser import Item, Problem, greedy, is_feasible, optimise

TARGET_SECONDS = 1.0


def synthetic_problem(proposals: int = 2_000, themes: int = 10, seed: int = 1) -> Problem:
    """A call of `proposals` requests (5천만–5억 KRW) from proposals/4 partners over `themes` themes,
    a 20억 budget, a 5억 per-partner cap, 2–15 proposals per theme and 50 exclusive pairs."""
    rng = random.Random(seed)
    names = [f"theme-{k}" for k in range(themes)]
    items = [
        Item(
            k,
            rng.randrange(max(proposals // 4, 1)),
            rng.choice(names),
            rng.randrange(5, 50) * 10_000_000,
            round(rng.gauss(70, 10), 2),
        )
        for k in range(proposals)
    ]
    return Problem(
        items,
        budget=2_000_000_000,
        partner_cap=500_000_000,
        theme_min={name: 2 for name in names},
        theme_max={name: 15 for name in names},
        exclusive=[(2 * k, 2 * k + 1) for k in range(min(50, proposals // 2))],
    )


def time_optimiser(proposals: int = 2_000, themes: int = 10, seed: int = 1) -> dict[str, Any]:
    """Solve once to optimality and report the time, the totals and how greedy compares."""
    problem = synthetic_problem(proposals, themes, seed)
    started = time.perf_counter()
    best = optimise(problem)
    seconds = time.perf_counter() - started
    baseline = greedy(problem)
    return {
        "proposals": proposals,
        "themes": themes,
        "seconds": round(seconds, 3),
        "within_target": seconds <= TARGET_SECONDS,
        "feasible": best.feasible and is_feasible(problem, best.ids),
        "optimal_score": best.total_score,
        "greedy_score": baseline.total_score,
        "selected": len(best.ids),
        "unspent_krw": best.unspent,
    }
