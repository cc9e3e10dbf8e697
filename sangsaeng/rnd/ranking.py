"""Review scores → ranking: weighted raw score and calibrated score, with outlier flags. Pure functions.

Raw score of a review: Σ weight·score/max_score ÷ Σ weight × 100 (0–100).
Calibrated score of a review: the reviewer's z-score over all their reviews in the call, mapped back
to the raw scale with the call's overall mean and standard deviation (mean + z·sd), so harsh and
lenient reviewers count the same. A reviewer with one review (or no spread) is shifted by their own
mean only. A proposal's scores are the means of its reviews'.
Outlier: with at least three reviews of a proposal, a review whose raw score is more than
OUTLIER_POINTS away from the median of that proposal's reviews.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

OUTLIER_POINTS = 25.0


@dataclass(frozen=True)
class ReviewInput:
    assignment_id: int
    proposal_id: int
    reviewer_id: int
    scores: dict[int, int]  # criterion id → score


@dataclass(frozen=True)
class CriterionInput:
    id: int
    name: str
    weight: int
    max_score: int


@dataclass(frozen=True)
class ReviewScoreRow:
    assignment_id: int
    proposal_id: int
    reviewer_id: int
    raw: float
    calibrated: float
    outlier: bool


@dataclass(frozen=True)
class ProposalRank:
    proposal_id: int
    raw: float
    calibrated: float
    reviews: int
    outliers: int
    per_criterion: dict[str, float]


def weight_multipliers(criteria: Sequence[CriterionInput]) -> tuple[dict[int, int], int]:
    """Integer weights that make the raw score one division: raw = 100 · Σ multiplier·score ÷ denominator.

    With L the least common multiple of the maxima, multiplier = weight · L / max and denominator =
    L · Σ weight; the database can then sum integers per review (selectors) and Python gets the same
    figure as `raw_score`."""
    common = math.lcm(*(c.max_score for c in criteria)) if criteria else 1
    total_weight = sum(c.weight for c in criteria) or 1
    return {c.id: c.weight * (common // c.max_score) for c in criteria}, common * total_weight


def raw_from_points(points: int, denominator: int) -> float:
    return 100.0 * points / denominator


def raw_score(criteria: Sequence[CriterionInput], scores: dict[int, int]) -> float:
    multipliers, denominator = weight_multipliers(criteria)
    return raw_from_points(sum(m * scores.get(cid, 0) for cid, m in multipliers.items()), denominator)


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and population standard deviation (0 for fewer than two values)."""
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, 0.0
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / n)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def calibrate(reviews: Sequence[tuple[int, int, int, float]]) -> list[ReviewScoreRow]:
    """Calibrated score and outlier flag of each review given as (assignment, proposal, reviewer, raw).

    One pass to group by reviewer and by proposal, one to score; no per-review recomputation."""
    if not reviews:
        return []
    overall_mean, overall_sd = _mean_sd([raw for _a, _p, _r, raw in reviews])
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    by_proposal: dict[int, list[float]] = defaultdict(list)
    for _aid, proposal_id, reviewer_id, raw in reviews:
        by_reviewer[reviewer_id].append(raw)
        by_proposal[proposal_id].append(raw)
    stats = {reviewer: _mean_sd(values) for reviewer, values in by_reviewer.items()}
    medians = {pid: _median(values) for pid, values in by_proposal.items() if len(values) >= 3}
    rows = []
    for aid, proposal_id, reviewer_id, raw in reviews:
        mean, sd = stats[reviewer_id]
        if sd > 0 and overall_sd > 0:
            calibrated = overall_mean + (raw - mean) / sd * overall_sd
        else:
            calibrated = overall_mean + (raw - mean)
        median = medians.get(proposal_id)
        outlier = median is not None and abs(raw - median) > OUTLIER_POINTS
        rows.append(ReviewScoreRow(aid, proposal_id, reviewer_id, raw, calibrated, outlier))
    return rows


def score_reviews(criteria: Sequence[CriterionInput], reviews: Iterable[ReviewInput]) -> list[ReviewScoreRow]:
    multipliers, denominator = weight_multipliers(criteria)
    return calibrate(
        [
            (
                r.assignment_id,
                r.proposal_id,
                r.reviewer_id,
                raw_from_points(sum(m * r.scores.get(cid, 0) for cid, m in multipliers.items()), denominator),
            )
            for r in reviews
        ]
    )


def rank_rows(rows: Iterable[ReviewScoreRow]) -> list[ProposalRank]:
    """Proposals ordered by calibrated score (then raw), best first; criterion means left empty."""
    grouped: dict[int, list[ReviewScoreRow]] = defaultdict(list)
    for row in rows:
        grouped[row.proposal_id].append(row)
    ranks = [
        ProposalRank(
            proposal_id=pid,
            raw=round(math.fsum(r.raw for r in group) / len(group), 2),
            calibrated=round(math.fsum(r.calibrated for r in group) / len(group), 2),
            reviews=len(group),
            outliers=sum(1 for r in group if r.outlier),
            per_criterion={},
        )
        for pid, group in grouped.items()
    ]
    ranks.sort(key=lambda r: (-r.calibrated, -r.raw, r.proposal_id))
    return ranks


def rank(criteria: Sequence[CriterionInput], reviews: Iterable[ReviewInput]) -> list[ProposalRank]:
    """Proposals ordered by calibrated score (then raw), best first, with each criterion's mean score."""
    reviews = list(reviews)
    criterion_sums: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for review in reviews:
        for criterion in criteria:
            criterion_sums[review.proposal_id][criterion.name].append(review.scores.get(criterion.id, 0))
    return [
        replace(
            r,
            per_criterion={
                name: round(sum(v) / len(v), 2) for name, v in criterion_sums[r.proposal_id].items()
            },
        )
        for r in rank_rows(score_reviews(criteria, reviews))
    ]
