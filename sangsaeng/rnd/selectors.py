"""Reads of the R&D fund, scoped per user. Views and the API fetch objects only through these.

A partner sees only its own proposals and agreements; a reviewer only the proposals assigned to them
without a declared conflict; managers and host auditors see everything. Anything else is Http404.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import BigIntegerField, Case, Count, F, Max, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404

from sangsaeng.accounts.selectors import organization_id_of
from sangsaeng.rnd import permissions, ranking
from sangsaeng.rnd.models import (
    Agreement,
    AgreementMilestone,
    Call,
    ExclusivePair,
    Fund,
    FundYear,
    LedgerEntry,
    Payment,
    Proposal,
    ProposalAttachment,
    ProposalStatus,
    ReviewAssignment,
    ReviewScore,
    SelectionRun,
)


def funds_for_user(user: Any) -> QuerySet[Fund]:
    """Funds and their years: host managers and auditors only (others get none)."""
    if not permissions.is_fund_reader(user):
        return Fund.objects.none()
    return Fund.objects.prefetch_related(Prefetch("years", queryset=FundYear.objects.order_by("year")))


def get_fund_for_user(user: Any, fund_id: int) -> Fund:
    fund = funds_for_user(user).filter(pk=fund_id).first()
    if fund is None:
        raise Http404
    return fund


def get_fund_year_for_user(user: Any, fund_year_id: int) -> FundYear:
    if not permissions.is_fund_reader(user):
        raise Http404
    fund_year = FundYear.objects.select_related("fund").filter(pk=fund_year_id).first()
    if fund_year is None:
        raise Http404
    return fund_year


def calls_for_user(user: Any) -> QuerySet[Call]:
    """Calls are announcements: host people, reviewers and partner people see them all."""
    if not (
        permissions.is_fund_reader(user)
        or permissions.is_partner_person(user)
        or permissions.is_reviewer(user)
    ):
        return Call.objects.none()
    return Call.objects.select_related("fund_year__fund").prefetch_related("criteria")


def get_call_for_user(user: Any, call_id: int) -> Call:
    call = calls_for_user(user).filter(pk=call_id).first()
    if call is None:
        raise Http404
    return call


def _proposal_scope(user: Any) -> Q | None:
    """The filter of proposals the user may see; None means none at all."""
    if permissions.is_fund_reader(user):
        return Q()
    if permissions.is_partner_person(user):
        return Q(partner__organization_id=organization_id_of(user))
    if permissions.is_reviewer(user):
        return Q(
            pk__in=ReviewAssignment.objects.filter(reviewer_id=user.pk, conflict_declared=False).values(
                "proposal_id"
            )
        ) & ~Q(status__in=(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN))
    return None


def proposals_for_user(
    user: Any, *, call_id: int | None = None, status: str | None = None
) -> QuerySet[Proposal]:
    scope = _proposal_scope(user)
    if scope is None:
        return Proposal.objects.none()
    queryset = Proposal.objects.filter(scope).select_related("call", "partner").order_by("-created_at", "-id")
    if call_id is not None:
        queryset = queryset.filter(call_id=call_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def get_proposal_for_user(user: Any, proposal_id: int) -> Proposal:
    proposal = (
        proposals_for_user(user)
        .prefetch_related("budget_lines", "milestones", "attachments")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def get_attachment_for_user(user: Any, proposal_id: int, attachment_id: int) -> ProposalAttachment:
    """An attachment of a proposal the user may see (its company's people, fund readers, its
    non-conflicted reviewers); anything else is Http404."""
    proposal = get_proposal_for_user(user, proposal_id)
    attachment = next((a for a in proposal.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    attachment.proposal = proposal
    return attachment


def assignments_for_user(user: Any) -> QuerySet[ReviewAssignment]:
    """The reviewer's own assignments (conflicted ones included, so they can see they declared them)."""
    return (
        ReviewAssignment.objects.filter(reviewer_id=getattr(user, "pk", None))
        .select_related("proposal__call")
        .order_by("submitted_at", "-assigned_at", "-id")
    )


def get_assignment_for_user(user: Any, assignment_id: int) -> ReviewAssignment:
    """One assignment of the reviewer's own; blind: only their own scores are prefetched."""
    assignment = (
        assignments_for_user(user)
        .select_related("proposal__partner")
        .prefetch_related("scores", "proposal__call__criteria")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def submitted_scores_for_user(user: Any) -> QuerySet[ReviewScore]:
    """The scores of submitted reviews on the proposals the user may see (the scores export), in order."""
    visible = proposals_for_user(user).values("pk")
    return (
        ReviewScore.objects.filter(assignment__proposal__in=visible, assignment__submitted_at__isnull=False)
        .select_related("assignment__proposal", "criterion")
        .order_by("assignment__proposal_id", "assignment_id", "criterion__order")
    )


def call_criteria(call: Call) -> list[ranking.CriterionInput]:
    return [ranking.CriterionInput(c.pk, c.name, c.weight, c.max_score) for c in call.criteria.all()]


def call_scored_reviews(call: Call) -> list[tuple[int, int, int, float]]:
    """(assignment, proposal, reviewer, raw score) of every submitted, non-conflicted review of a call.

    One query: the database sums each review's integer weighted points (ranking.weight_multipliers),
    so 10,000 reviews arrive as 10,000 rows rather than 50,000 criterion scores."""
    multipliers, denominator = ranking.weight_multipliers(call_criteria(call))
    points = Sum(
        Case(
            *[
                When(scores__criterion_id=cid, then=F("scores__score") * Value(m))
                for cid, m in multipliers.items()
            ],
            default=Value(0),
        ),
        output_field=BigIntegerField(),
    )
    rows = (
        ReviewAssignment.objects.filter(
            proposal__call_id=call.pk, submitted_at__isnull=False, conflict_declared=False
        )
        .order_by()
        .values_list("pk", "proposal_id", "reviewer_id")
        .annotate(points=points)
    )
    return [
        (aid, pid, rid, ranking.raw_from_points(total or 0, denominator)) for aid, pid, rid, total in rows
    ]


def _ranking_version(call: Call) -> str:
    """A fingerprint of everything the ranking depends on: the submitted reviews (how many, which,
    the latest submission, since a revised review is submitted again) and the rubric."""
    found = ReviewAssignment.objects.filter(
        proposal__call_id=call.pk, submitted_at__isnull=False, conflict_declared=False
    ).aggregate(count=Count("pk"), ids=Sum("pk"), last=Max("submitted_at"))
    rubric = ",".join(f"{c.pk}:{c.weight}:{c.max_score}" for c in call.criteria.all())
    text = f"{found['count']}|{found['ids']}|{found['last'].isoformat() if found['last'] else ''}|{rubric}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


RANKING_CACHE_SECONDS = 3600
_RANKING_LOCKS: dict[int, threading.Lock] = {}
_RANKING_LOCKS_GUARD = threading.Lock()
# A proposal's place in the ranking as stored in the cache: (proposal, raw, calibrated, reviews, outliers).
RankTuple = tuple[int, float, float, int, int]


def _rank_tuples(call: Call) -> list[RankTuple]:
    """The ranking as plain tuples, best first, from the cache when its inputs are unchanged.

    The cache key is a fingerprint of the inputs (_ranking_version), so a new or revised review, or a
    rubric change, gives a new key and the ranking is computed afresh."""
    key = f"rnd:ranking:{call.pk}:{_ranking_version(call)}"
    stored: list[RankTuple] | None = cache.get(key)
    if stored is not None:
        return stored
    # One thread per process computes a missing ranking; the others wait for it and read the cache,
    # rather than all computing the same ranking at once after a new review.
    with _RANKING_LOCKS_GUARD:
        lock = _RANKING_LOCKS.setdefault(call.pk, threading.Lock())
    with lock:
        stored = cache.get(key)
        if stored is None:
            stored = [
                (r.proposal_id, r.raw, r.calibrated, r.reviews, r.outliers)
                for r in ranking.rank_rows(ranking.calibrate(call_scored_reviews(call)))
            ]
            cache.set(key, stored, RANKING_CACHE_SECONDS)
    return stored


def _rank_of(item: RankTuple) -> ranking.ProposalRank:
    return ranking.ProposalRank(item[0], item[1], item[2], item[3], item[4], {})


def call_ranking(call: Call, *, cached: bool = False) -> list[ranking.ProposalRank]:
    """The call's proposals by calibrated score (raw score and outlier counts alongside; criterion
    means are left empty, see criterion_means). `cached` for read pages (see _rank_tuples); writes
    (the optimiser run) always compute it."""
    if not cached:
        return ranking.rank_rows(ranking.calibrate(call_scored_reviews(call)))
    return [_rank_of(item) for item in _rank_tuples(call)]


def criterion_means(call: Call, ranks: list[ranking.ProposalRank]) -> list[ranking.ProposalRank]:
    """The ranks with each criterion's mean score filled in (one query for the given proposals)."""
    if not ranks:
        return []
    names = {c.pk: c.name for c in call.criteria.all()}
    totals: dict[int, dict[int, int]] = defaultdict(dict)
    for proposal_id, criterion_id, total in (
        ReviewScore.objects.filter(
            assignment__proposal_id__in=[r.proposal_id for r in ranks],
            assignment__submitted_at__isnull=False,
            assignment__conflict_declared=False,
            criterion_id__in=list(names),
        )
        .order_by()
        .values_list("assignment__proposal_id", "criterion_id")
        .annotate(total=Sum("score"))
    ):
        totals[proposal_id][criterion_id] = total
    return [
        replace(
            r,
            per_criterion={
                name: round(totals[r.proposal_id].get(cid, 0) / r.reviews, 2) for cid, name in names.items()
            },
        )
        for r in ranks
    ]


@dataclass(frozen=True)
class RankingRow:
    position: int
    proposal: Proposal
    rank: ranking.ProposalRank
    incentive_points: int = 0


def incentive_points_by_partner(partner_ids: Iterable[int]) -> dict[int, int]:
    """Benefit-sharing incentive points (성과공유 인센티브 점수) per partner, in one aggregate query.
    Shown to R&D reviewers and managers as information; never part of a score."""
    from sangsaeng.finance.models import IncentivePoint

    ids = sorted(set(partner_ids))
    if not ids:
        return {}
    return {
        partner_id: int(total or 0)
        for partner_id, total in IncentivePoint.objects.filter(partner_id__in=ids)
        .order_by()
        .values_list("partner_id")
        .annotate(total=Sum("points"))
    }


def _ranking_rows(ranks: list[ranking.ProposalRank], first_position: int) -> list[RankingRow]:
    proposals = (
        Proposal.objects.select_related("partner")
        .only("title", "theme", "status", "requested_krw", "call_id", "partner__name_ko")
        .in_bulk([r.proposal_id for r in ranks])
    )
    points = incentive_points_by_partner(p.partner_id for p in proposals.values())
    return [
        RankingRow(
            first_position + k,
            proposals[r.proposal_id],
            r,
            points.get(proposals[r.proposal_id].partner_id, 0),
        )
        for k, r in enumerate(ranks)
        if r.proposal_id in proposals
    ]


def ranking_rows_for_user(user: Any, call: Call) -> list[RankingRow]:
    """The ranking with its proposals, for managers and auditors (reviewers and partners: Http404)."""
    if not permissions.is_fund_reader(user):
        raise Http404
    return _ranking_rows(call_ranking(call, cached=True), 1)


# Orders of the ranking page: key → sort key of a ProposalRank (ties by calibrated order).
RANKING_SORTS = ("calibrated", "raw", "outliers", "reviews")


@dataclass(frozen=True)
class RankingSummary:
    proposals: int
    reviews: int
    outliers: int
    mean_calibrated: float
    mean_raw: float


def ranking_page_for_user(
    user: Any, call: Call, page_number: Any, *, sort: str = "calibrated", per_page: int = 50
) -> tuple[Page[RankTuple], list[RankingRow], RankingSummary]:
    """One page of the ranking in the chosen order, and the totals over all of it. Every score is
    computed (the order needs them all; cached, see _rank_tuples) but only the page's proposals are
    loaded. The position is the place by calibrated score whatever the order shown. Managers and
    auditors only (else Http404)."""
    if not permissions.is_fund_reader(user):
        raise Http404
    ranks = _rank_tuples(call)
    positions = {item[0]: k for k, item in enumerate(ranks, start=1)}
    if sort == "raw":
        ordered = sorted(ranks, key=lambda item: (-item[1], positions[item[0]]))
    elif sort == "outliers":
        ordered = sorted(ranks, key=lambda item: (-item[4], positions[item[0]]))
    elif sort == "reviews":
        ordered = sorted(ranks, key=lambda item: (item[3], positions[item[0]]))
    else:
        ordered = ranks
    page = Paginator(ordered, per_page).get_page(page_number)
    rows = [
        replace(row, position=positions[row.proposal.pk])
        for row in _ranking_rows([_rank_of(item) for item in page.object_list], page.start_index())
    ]
    count = len(ranks)
    summary = RankingSummary(
        proposals=count,
        reviews=sum(item[3] for item in ranks),
        outliers=sum(item[4] for item in ranks),
        mean_calibrated=round(math.fsum(item[2] for item in ranks) / count, 2) if count else 0.0,
        mean_raw=round(math.fsum(item[1] for item in ranks) / count, 2) if count else 0.0,
    )
    return page, rows, summary


def exclusive_pairs_for_user(user: Any, call: Call) -> QuerySet[ExclusivePair]:
    """The call's stored mutually exclusive pairs with both titles (managers and auditors; else 404)."""
    if not permissions.is_fund_reader(user):
        raise Http404
    return (
        ExclusivePair.objects.filter(call=call)
        .select_related("first", "second")
        .only("call_id", "first__title", "second__title", "created_at")
        .order_by("first_id", "second_id")
    )


def get_exclusive_pair_for_user(user: Any, call: Call, pair_id: int) -> ExclusivePair:
    pair = exclusive_pairs_for_user(user, call).filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    return pair


def get_selection_run(call: Call, run_id: int) -> SelectionRun:
    """One optimiser run of the call (the caller has checked that the user manages the call); else 404."""
    run = SelectionRun.objects.filter(pk=run_id, call=call).first()
    if run is None:
        raise Http404
    return run


def review_progress_for_user(user: Any, call: Call) -> QuerySet[Proposal]:
    """Per proposal (annotated `done`, `pending`, `conflicted`): reviews done, pending and declined for
    conflict. A queryset, so pages slice it in SQL. Managers and auditors only (others: Http404)."""
    if not permissions.is_fund_reader(user):
        raise Http404
    return (
        Proposal.objects.filter(call=call)
        .exclude(status__in=(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN))
        .only("title", "status")
        .annotate(
            done=Count(
                "assignments",
                filter=Q(assignments__submitted_at__isnull=False, assignments__conflict_declared=False),
            ),
            pending=Count(
                "assignments",
                filter=Q(assignments__submitted_at__isnull=True, assignments__conflict_declared=False),
            ),
            conflicted=Count("assignments", filter=Q(assignments__conflict_declared=True)),
        )
        .order_by("pk")
    )


def reviewer_progress_for_user(user: Any, call: Call) -> list[dict[str, Any]]:
    """Per reviewer: reviews done and pending in the call (managers and auditors only). Counted per
    reviewer id first, then the few reviewers' names are read (two queries, no join per review)."""
    if not permissions.is_fund_reader(user):
        raise Http404
    counts = list(
        ReviewAssignment.objects.filter(proposal__call_id=call.pk, conflict_declared=False)
        .order_by()
        .values("reviewer_id")
        .annotate(
            done=Count("pk", filter=Q(submitted_at__isnull=False)),
            pending=Count("pk", filter=Q(submitted_at__isnull=True)),
        )
    )
    from sangsaeng.accounts.models import User

    people = User.objects.only("email", "name").in_bulk([row["reviewer_id"] for row in counts])
    rows = [
        {
            **row,
            "reviewer__email": people[row["reviewer_id"]].email,
            "reviewer__name": people[row["reviewer_id"]].name,
        }
        for row in counts
        if row["reviewer_id"] in people
    ]
    rows.sort(key=lambda row: row["reviewer__email"])
    return rows


def review_progress_page_for_user(user: Any, call: Call, page_number: Any, per_page: int = 50) -> Page[Any]:
    """One page of the per-proposal progress: the page is cut from the plain proposal list and only
    its proposals are counted (counting every proposal to show fifty would grow with the call)."""
    if not permissions.is_fund_reader(user):
        raise Http404
    plain = (
        Proposal.objects.filter(call=call)
        .exclude(status__in=(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN))
        .only("pk")
        .order_by("pk")
    )
    page: Page[Any] = Paginator(plain.values_list("pk", flat=True), per_page).get_page(page_number)
    ids = list(page.object_list)
    counted = {p.pk: p for p in review_progress_for_user(user, call).filter(pk__in=ids)}
    page.object_list = [counted[pk] for pk in ids if pk in counted]
    return page


@dataclass(frozen=True)
class Decision:
    """What a partner sees after publication: outcome, reason, score breakdown, anonymous comments."""

    proposal: Proposal
    rank: ranking.ProposalRank | None
    comments: list[str]


def decision_for_user(user: Any, proposal_id: int) -> Decision:
    """The published decision on a proposal the user may see. Before publication: Http404 for partners."""
    proposal = get_proposal_for_user(user, proposal_id)
    # Reviewers never see other reviewers' comments; partners only after publication.
    if not (permissions.is_fund_reader(user) or permissions.is_own_proposal(user, proposal)):
        raise Http404
    if proposal.call.decisions_published_at is None and not permissions.is_fund_reader(user):
        raise Http404
    if proposal.status not in (ProposalStatus.SELECTED, ProposalStatus.REJECTED):
        raise Http404
    ranks = {r.proposal_id: r for r in call_ranking(proposal.call)}
    if proposal.pk in ranks:
        ranks[proposal.pk] = criterion_means(proposal.call, [ranks[proposal.pk]])[0]
    comments = list(
        ReviewAssignment.objects.filter(
            proposal=proposal, submitted_at__isnull=False, conflict_declared=False
        )
        .order_by("pk")
        .values_list("comment", flat=True)
    )
    return Decision(proposal, ranks.get(proposal.pk), comments)


def agreements_for_user(user: Any) -> QuerySet[Agreement]:
    if permissions.is_fund_reader(user):
        scope = Q()
    elif permissions.is_partner_person(user):
        scope = Q(proposal__partner__organization_id=organization_id_of(user))
    else:
        return Agreement.objects.none()
    return (
        Agreement.objects.filter(scope)
        .select_related("proposal__partner", "fund_year__fund")
        .prefetch_related("milestones", "results")
        .order_by("-signed_at", "-id")
    )


def get_agreement_for_user(user: Any, agreement_id: int) -> Agreement:
    agreement = (
        agreements_for_user(user).prefetch_related("results", "payments").filter(pk=agreement_id).first()
    )
    if agreement is None:
        raise Http404
    return agreement


def get_milestone_for_user(user: Any, agreement_id: int, milestone_id: int) -> AgreementMilestone:
    agreement = get_agreement_for_user(user, agreement_id)
    milestone = next((m for m in agreement.milestones.all() if m.pk == milestone_id), None)
    if milestone is None:
        raise Http404
    milestone.agreement = agreement
    return milestone


def payments_for_user(user: Any) -> QuerySet[Payment]:
    if permissions.is_fund_reader(user):
        scope = Q()
    elif permissions.is_partner_person(user):
        scope = Q(agreement__proposal__partner__organization_id=organization_id_of(user))
    else:
        return Payment.objects.none()
    return (
        Payment.objects.filter(scope)
        .select_related("agreement__proposal__partner", "milestone")
        .order_by("-id")
    )


@dataclass(frozen=True)
class LedgerRow:
    fund_year: FundYear
    budget: int
    committed: int
    paid: int
    remaining: int


def ledger_for_user(user: Any, fund: Fund) -> tuple[list[LedgerRow], LedgerRow | None]:
    """Per year budget / committed / paid / remaining, and the fund total (managers and auditors)."""
    if not permissions.is_fund_reader(user):
        raise Http404
    rows = [
        LedgerRow(y, y.available_krw, y.committed_krw, y.paid_krw, y.remaining_krw) for y in fund.years.all()
    ]
    if not rows:
        return rows, None
    total = LedgerRow(
        rows[0].fund_year,
        sum(r.budget for r in rows),
        sum(r.committed for r in rows),
        sum(r.paid for r in rows),
        sum(r.remaining for r in rows),
    )
    return rows, total


def ledger_entries_for_user(user: Any, fund_year: FundYear) -> QuerySet[LedgerEntry]:
    if not permissions.is_fund_reader(user):
        raise Http404
    return (
        LedgerEntry.objects.filter(fund_year=fund_year).select_related("agreement__proposal").order_by("id")
    )


def open_calls_for_user(user: Any) -> QuerySet[Call]:
    """Calls taking proposals right now (opened, not yet closed)."""
    from django.utils import timezone

    now = timezone.now()
    return calls_for_user(user).filter(opens_at__lte=now, closes_at__gte=now).order_by("closes_at")


# Audit actions a partner may see on its proposal's timeline (manager-internal ones stay hidden).
TIMELINE_ACTIONS = (
    "rnd.create_proposal",
    "rnd.update_proposal",
    "rnd.submit_proposal",
    "rnd.withdraw_proposal",
)


def proposal_timeline(proposal: Proposal) -> list[tuple[str, Any]]:
    """(action, when) of the proposal's own audited steps, oldest first; callers fetched the proposal
    through get_proposal_for_user, so the user may see it."""
    from sangsaeng.core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(
            object_type="rnd.proposal", object_id=str(proposal.pk), action__in=TIMELINE_ACTIONS
        )
        .order_by("seq")
        .values_list("action", "created_at")
    )
