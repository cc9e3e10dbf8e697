"""The selection optimiser: feasible, never below greedy (property test), explanations."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.rnd.optimiser import Item, Problem, explain, greedy, is_feasible, optimise

items_strategy = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from(["5G", "AI", "IoT"]), st.integers(1, 50), st.floats(1, 100)),
    min_size=0,
    max_size=14,
)


@settings(max_examples=60, deadline=None)
@given(
    rows=items_strategy,
    budget=st.integers(0, 200),
    cap=st.integers(1, 120),
    theme_max=st.dictionaries(st.sampled_from(["5G", "AI", "IoT"]), st.integers(0, 4), max_size=2),
    pairs=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13)), max_size=3),
)
def test_the_optimal_set_is_feasible_and_never_scores_below_greedy(rows, budget, cap, theme_max, pairs):
    items = [
        Item(k, partner, theme, cost, round(score, 3)) for k, (partner, theme, cost, score) in enumerate(rows)
    ]
    exclusive = [(a, b) for a, b in pairs if a != b and a < len(items) and b < len(items)]
    problem = Problem(items, budget, cap, theme_max=theme_max, exclusive=exclusive)

    best = optimise(problem)
    baseline = greedy(problem)

    assert best.feasible and is_feasible(problem, best.ids)
    assert is_feasible(problem, baseline.ids)
    assert best.total_score >= baseline.total_score - 1e-6


def test_the_optimiser_beats_greedy_when_one_big_proposal_crowds_out_two_good_ones():
    problem = Problem(
        [Item(1, 1, "5G", 100, 90.0), Item(2, 2, "5G", 50, 80.0), Item(3, 3, "AI", 50, 80.0)],
        budget=100,
        partner_cap=100,
    )

    best, baseline = optimise(problem), greedy(problem)

    assert best.ids == {2, 3} and baseline.ids == {1}
    assert (best.unspent, baseline.unspent) == (0, 0)
    reason = explain(problem, best)[1]
    assert reason.reason == "budget" and reason.needed_score is not None and reason.needed_score > 160


def test_theme_minimums_are_met_and_reasons_name_the_binding_constraint():
    items = [
        Item(1, 1, "5G", 10, 90.0),
        Item(2, 1, "5G", 10, 85.0),
        Item(3, 2, "AI", 10, 20.0),
        Item(4, 3, "IoT", 10, 70.0),
        Item(5, 4, "IoT", 10, 60.0),
    ]
    problem = Problem(
        items, budget=40, partner_cap=10, theme_min={"AI": 1}, theme_max={"IoT": 1}, exclusive=[(4, 5)]
    )

    best = optimise(problem)
    reasons = explain(problem, best)

    assert best.ids == {1, 3, 4}
    assert reasons[2].reason == "partner_cap"
    assert reasons[5].reason in ("exclusive", "theme_max")


def test_an_impossible_theme_minimum_is_reported_infeasible():
    problem = Problem([Item(1, 1, "5G", 10, 50.0)], budget=100, partner_cap=100, theme_min={"AI": 1})

    assert not optimise(problem).feasible


def test_the_benchmark_problem_is_solved_feasibly_and_at_least_as_well_as_greedy():
    from bench.generators.rnd import time_optimiser

    result = time_optimiser(proposals=200, themes=10)

    assert result["feasible"] and result["optimal_score"] >= result["greedy_score"]


def test_the_optimiser_prints_nothing_not_even_the_highs_banner():
    # The banner is printed once per process, so a fresh interpreter runs the first solve.
    import subprocess
    import sys

    code = (
        "from sangsaeng.rnd.optimiser import Item, Problem, optimise\n"
        "items = (Item(1, 1, 'a', 10, 3.0), Item(2, 2, 'a', 10, 2.0))\n"
        "print(sorted(optimise(Problem(items=items, budget=10, partner_cap=10)).ids))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[1]\n"
    assert "HiGHS" not in done.stderr
