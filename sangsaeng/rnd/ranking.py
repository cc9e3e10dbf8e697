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

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


def raw_score(criteria: Sequence[CriterionInput], scores: dict[int, int]) -> float:
    total_weight = sum(c.weight for c in criteria) or 1
    return 100.0 * sum(c.weight * scores.get(c.id, 0) / c.max_score for c in criteria) / total_weight


def score_reviews(criteria: Sequence[CriterionInput], reviews: Iterable[ReviewInput]) -> list[ReviewScoreRow]:
    reviews = list(reviews)
    raws = {r.assignment_id: raw_score(criteria, r.scores) for r in reviews}
    if not reviews:
        return []
    overall_mean = statistics.fmean(raws.values())
    overall_sd = statistics.pstdev(raws.values()) if len(raws) > 1 else 0.0
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    by_proposal: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for r in reviews:
        by_reviewer[r.reviewer_id].append(raws[r.assignment_id])
        by_proposal[r.proposal_id].append((r.assignment_id, raws[r.assignment_id]))
    stats = {
        reviewer: (statistics.fmean(values), statistics.pstdev(values) if len(values) > 1 else 0.0)
        for reviewer, values in by_reviewer.items()
    }
    rows = []
    for r in reviews:
        raw = raws[r.assignment_id]
        mean, sd = stats[r.reviewer_id]
        if sd > 0 and overall_sd > 0:
            calibrated = overall_mean + (raw - mean) / sd * overall_sd
        else:
            calibrated = overall_mean + (raw - mean)
        values = [value for _aid, value in by_proposal[r.proposal_id]]
        outlier = len(values) >= 3 and abs(raw - statistics.median(values)) > OUTLIER_POINTS
        rows.append(ReviewScoreRow(r.assignment_id, r.proposal_id, r.reviewer_id, raw, calibrated, outlier))
    return rows


def rank(criteria: Sequence[CriterionInput], reviews: Iterable[ReviewInput]) -> list[ProposalRank]:
    """Proposals ordered by calibrated score (then raw), best first."""
    reviews = list(reviews)
    rows = score_reviews(criteria, reviews)
    grouped: dict[int, list[ReviewScoreRow]] = defaultdict(list)
    for row in rows:
        grouped[row.proposal_id].append(row)
    criterion_sums: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for review in reviews:
        for criterion in criteria:
            criterion_sums[review.proposal_id][criterion.name].append(review.scores.get(criterion.id, 0))
    ranks = [
        ProposalRank(
            proposal_id=pid,
            raw=round(statistics.fmean(r.raw for r in group), 2),
            calibrated=round(statistics.fmean(r.calibrated for r in group), 2),
            reviews=len(group),
            outliers=sum(1 for r in group if r.outlier),
            per_criterion={name: round(statistics.fmean(v), 2) for name, v in criterion_sums[pid].items()},
        )
        for pid, group in grouped.items()
    ]
    ranks.sort(key=lambda r: (-r.calibrated, -r.raw, r.proposal_id))
    return ranks
