"""Reviewer pages: my assignments and the score form (blind: only the reviewer's own scores)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.core.pagination import page_of
from sangsaeng.finance.selectors.sharing import total_points
from sangsaeng.rnd import selectors, services
from sangsaeng.rnd.forms import ReasonForm, ScoreForm


@login_required
def my_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, selectors.assignments_for_user(request.user), 25)
    return render(request, "rnd/my_reviews.html", {"page": page})


@login_required
def review(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    """Score form for one assignment; a conflicted assignment shows no proposal content."""
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    criteria = list(assignment.proposal.call.criteria.all())
    initial = {f"c{s.criterion_id}": s.score for s in assignment.scores.all()} | {
        "comment": assignment.comment
    }
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    conflict_form = ReasonForm(prefix="conflict")
    if request.method == "POST" and "conflict-reason" in request.POST:
        conflict_form = ReasonForm(request.POST, prefix="conflict")
        form = ScoreForm(criteria=criteria, initial=initial)
        if conflict_form.is_valid():
            try:
                services.declare_conflict(
                    actor=request.user, assignment=assignment, reason=conflict_form.cleaned_data["reason"]
                )
                messages.success(request, _("Your conflict of interest was recorded."))
                return redirect("rnd:my_reviews")
            except ValidationError as error:
                apply_service_errors(conflict_form, error)
    elif request.method == "POST" and form.is_valid():
        try:
            services.submit_review(
                actor=request.user,
                assignment=assignment,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Your review was saved."))
            return redirect("rnd:my_reviews")
        except ValidationError as error:
            apply_service_errors(form, error)
    proposal = None if assignment.conflict_declared else assignment.proposal
    return render(
        request,
        "rnd/review.html",
        {
            "assignment": assignment,
            "proposal": proposal,
            "form": form,
            "conflict_form": conflict_form,
            # Information for the reviewer (성과공유 인센티브 점수), not part of the score.
            "incentive_points": total_points(proposal.partner_id) if proposal is not None else None,
        },
    )
