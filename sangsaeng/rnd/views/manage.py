"""Manager pages: fund ledger dashboard and calls, ranking with review progress, the selection page
(optimal vs greedy side by side), publishing, agreements, milestone decisions and Excel exports."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.spreadsheets import build_xlsx
from sangsaeng.rnd import permissions, selectors, services
from sangsaeng.rnd.forms import (
    AssignForm,
    BudgetForm,
    CallEditForm,
    CallForm,
    CallRulesForm,
    ExclusivePairForm,
    FundForm,
    ReasonForm,
    SelectionForm,
)
from sangsaeng.rnd.models import Call, FundYear, SelectionRun
from sangsaeng.rnd.services.selection import reason_text


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not permissions.is_fund_reader(request.user):
        raise Http404


def _managed_call(request: AuthenticatedHttpRequest, call_id: int) -> Call:
    _require_reader(request)
    return selectors.get_call_for_user(request.user, call_id)


def _errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ledger dashboard: per fund and year budget / committed / paid / remaining, the total, and calls."""
    _require_reader(request)
    funds = []
    for fund in selectors.funds_for_user(request.user)[:20]:
        rows, total = selectors.ledger_for_user(request.user, fund)
        funds.append({"fund": fund, "rows": rows, "total": total})
    chart = [
        {
            "label": f"{f['fund'].name} {r.fund_year.year}",
            "budget": r.budget,
            "committed": r.committed,
            "paid": r.paid,
        }
        for f in funds
        for r in f["rows"]
    ]
    calls = selectors.calls_for_user(request.user)[:50]
    return render(
        request,
        "rnd/manage.html",
        {
            "funds": funds,
            "calls": calls,
            "chart": json.dumps(chart),
            "can_manage": permissions.is_fund_manager(request.user),
        },
    )


@login_required
def call_detail(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """The ranking: weighted raw and calibrated scores and outlier flags, 50 rows a page in the chosen
    order, with totals over the whole call. An htmx request gets only the table (paging, sorting)."""
    call = _managed_call(request, call_id)
    sort = request.GET.get("sort", "calibrated")
    if sort not in selectors.RANKING_SORTS:
        sort = "calibrated"
    page, rows, summary = selectors.ranking_page_for_user(
        request.user, call, request.GET.get("page"), sort=sort
    )
    context: dict[str, Any] = {
        "call": call,
        "page": page,
        "ranking": rows,
        "summary": summary,
        "sort": sort,
        "sorts": [(key, RANKING_SORT_LABELS[key]) for key in selectors.RANKING_SORTS],
        "can_manage": permissions.is_fund_manager(request.user),
    }
    return render_page(request, "rnd/call_detail.html", "rnd/partials/ranking_rows.html", context)


RANKING_SORT_LABELS = {
    "calibrated": _lazy("Calibrated score"),
    "raw": _lazy("Weighted score"),
    "outliers": _lazy("Outliers"),
    "reviews": _lazy("Fewest reviews"),
}


@login_required
def call_progress(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """Review progress: per proposal (50 a page) and per reviewer, pending and done; hand assignment."""
    call = _managed_call(request, call_id)
    progress = selectors.review_progress_page_for_user(request.user, call, request.GET.get("page"))
    context: dict[str, Any] = {
        "call": call,
        "page": progress,
        "reviewers": selectors.reviewer_progress_for_user(request.user, call),
        "can_manage": permissions.is_fund_manager(request.user),
        "assign_form": assign_form() if permissions.is_fund_manager(request.user) else None,
    }
    return render(request, "rnd/call_progress.html", context)


@login_required
@require_POST
def call_auto_assign(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    call = _managed_call(request, call_id)
    try:
        count = services.auto_assign(actor=request.user, call=call)
        messages.success(request, _("%(count)s assignments were made.") % {"count": count})
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:call_detail", call_id=call.pk)


@login_required
def call_selection(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """Run the optimiser; show the optimal and greedy sets side by side with unspent money and reasons."""
    call = _managed_call(request, call_id)
    form = SelectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_selection(
                actor=request.user,
                call=call,
                theme_min=form.cleaned_data["theme_min"],
                theme_max=form.cleaned_data["theme_max"],
                exclusive=form.cleaned_data["exclusive"],
            )
            return redirect(f"{request.path}?run={run.pk}")
        except ValidationError as error:
            apply_service_errors(form, error)
    run = None
    run_id = request.GET.get("run", "")
    if run_id.isdigit():
        run = SelectionRun.objects.filter(call=call, pk=int(run_id)).first()
    run = run or call.selection_runs.first()
    rows = []
    if run is not None:
        optimal, greedy = set(run.result["optimal"]["ids"]), set(run.result["greedy"]["ids"])
        ranks = {r.proposal.pk: r for r in selectors.ranking_rows_for_user(request.user, call)}
        for pid, row in ranks.items():
            explanation = run.result.get("explanations", {}).get(str(pid))
            rows.append(
                {
                    "row": row,
                    "optimal": pid in optimal,
                    "greedy": pid in greedy,
                    "reason": reason_text(explanation) if explanation else "",
                }
            )
    return render(
        request,
        "rnd/selection.html",
        {
            "call": call,
            "form": form,
            "run": run,
            "rows": rows,
            "override_form": ReasonForm(),
            "pairs": selectors.exclusive_pairs_for_user(request.user, call),
            "pair_form": ExclusivePairForm(),
            "can_manage": permissions.is_fund_manager(request.user),
        },
    )


@login_required
@require_POST
def pair_add(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """Store a mutually exclusive pair on the call (used by every later optimiser run)."""
    call = _managed_call(request, call_id)
    form = ExclusivePairForm(request.POST)
    if form.is_valid():
        try:
            services.add_exclusive_pair(actor=request.user, call=call, **form.cleaned_data)
            messages.success(request, _("The two proposals are now mutually exclusive."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Enter two proposal numbers."))
    return redirect("rnd:call_selection", call_id=call.pk)


@login_required
@require_POST
def pair_remove(request: AuthenticatedHttpRequest, call_id: int, pair_id: int) -> HttpResponse:
    call = _managed_call(request, call_id)
    pair = selectors.get_exclusive_pair_for_user(request.user, call, pair_id)
    try:
        services.remove_exclusive_pair(actor=request.user, pair=pair)
        messages.success(request, _("The pair was removed."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:call_selection", call_id=call.pk)


@login_required
@require_POST
def call_apply(request: AuthenticatedHttpRequest, call_id: int, run_id: int) -> HttpResponse:
    call = _managed_call(request, call_id)
    run = selectors.get_selection_run(call, run_id)
    try:
        services.apply_selection(actor=request.user, run=run)
        messages.success(request, _("The selection was applied."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:call_selection", call_id=call.pk)


@login_required
@require_POST
def call_publish(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    call = _managed_call(request, call_id)
    try:
        services.publish_decisions(actor=request.user, call=call)
        messages.success(request, _("The decisions were published."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:call_selection", call_id=call.pk)


@login_required
@require_POST
def proposal_override(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    _require_reader(request)
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    form = ReasonForm(request.POST)
    try:
        services.override_decision(
            actor=request.user,
            proposal=proposal,
            status=request.POST.get("status", ""),
            reason=form.data.get("reason", ""),
        )
        messages.success(request, _("The decision was changed."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:call_selection", call_id=proposal.call_id)


@login_required
@require_POST
def proposal_agreement(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    _require_reader(request)
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    try:
        services.create_agreement(actor=request.user, proposal=proposal)
        messages.success(request, _("The agreement was created and its amount committed."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:agreements")


@login_required
@require_POST
def milestone_accept(request: AuthenticatedHttpRequest, agreement_id: int, milestone_id: int) -> HttpResponse:
    """Accept and pay; the form carries a one-time key so a double click pays once."""
    _require_reader(request)
    milestone = selectors.get_milestone_for_user(request.user, agreement_id, milestone_id)
    key = request.POST.get("idempotency_key") or f"web-{uuid.uuid4().hex}"
    try:
        services.accept_milestone(actor=request.user, milestone=milestone, idempotency_key=key)
        messages.success(request, _("The milestone was accepted and paid."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:agreements")


@login_required
@require_POST
def milestone_return(request: AuthenticatedHttpRequest, agreement_id: int, milestone_id: int) -> HttpResponse:
    _require_reader(request)
    milestone = selectors.get_milestone_for_user(request.user, agreement_id, milestone_id)
    try:
        services.return_milestone(
            actor=request.user, milestone=milestone, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The milestone was returned."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:agreements")


EXPORTS = ("proposals", "scores", "payments")


@login_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Excel export (?kind=proposals|scores|payments) of what the user may see (managers, auditors)."""
    _require_reader(request)
    kind = request.GET.get("kind", "proposals")
    if kind not in EXPORTS:
        raise Http404
    if kind == "proposals":
        proposals = selectors.proposals_for_user(request.user)
        content = build_xlsx(
            "proposals",
            [
                _("No."),
                _("Call"),
                _("Company"),
                _("Theme"),
                _("Title"),
                _("Status"),
                _("Requested (KRW)"),
                _("Own share (KRW)"),
            ],
            (
                [
                    p.pk,
                    p.call.title,
                    p.partner.name_ko,
                    p.theme,
                    p.title,
                    p.get_status_display(),
                    p.requested_krw,
                    p.partner_share_krw,
                ]
                for p in proposals.iterator(chunk_size=500)
            ),
        )
    elif kind == "scores":
        scores = selectors.submitted_scores_for_user(request.user)
        content = build_xlsx(
            "scores",
            [_("No."), _("Title"), _("Review"), _("Criterion"), _("Score")],
            (
                [
                    s.assignment.proposal_id,
                    s.assignment.proposal.title,
                    s.assignment_id,
                    s.criterion.name,
                    s.score,
                ]
                for s in scores.iterator(chunk_size=500)
            ),
        )
    else:
        payments = selectors.payments_for_user(request.user)
        content = build_xlsx(
            "payments",
            [_("No."), _("Company"), _("Title"), _("Milestone"), _("Amount (KRW)"), _("Paid at")],
            (
                [
                    p.pk,
                    p.agreement.proposal.partner.name_ko,
                    p.agreement.proposal.title,
                    p.milestone.title,
                    p.amount_krw,
                    p.created_at.strftime("%Y-%m-%d %H:%M"),
                ]
                for p in payments.iterator(chunk_size=500)
            ),
        )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="rnd-{kind}.xlsx"'
    return response


@login_required
def call_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open a new call (programme managers and administrators)."""
    if not permissions.is_fund_manager(request.user):
        raise Http404
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        criteria = [services.CriterionSpec(name, weight) for name, weight in data.pop("criteria")]
        fund_year = data.pop("fund_year")
        try:
            call = services.create_call(actor=request.user, fund_year=fund_year, criteria=criteria, **data)
            messages.success(request, _("The call was opened."))
            return redirect("rnd:call_detail", call_id=call.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(request, "rnd/call_new.html", {"form": form})


@login_required
@require_POST
def call_assign(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """Assign one reviewer to one proposal of the call by hand (conflicts are refused by the service)."""
    call = _managed_call(request, call_id)
    form = assign_form(request.POST)
    if form.is_valid():
        proposal = selectors.get_proposal_for_user(request.user, form.cleaned_data["proposal"])
        reviewer = next((r for r in services.reviewer_pool() if r.pk == form.cleaned_data["reviewer"]), None)
        if proposal.call_id != call.pk or reviewer is None:
            messages.error(request, _("Choose a proposal of this call and a reviewer."))
            return redirect("rnd:call_progress", call_id=call.pk)
        try:
            services.assign_reviewer(actor=request.user, proposal=proposal, reviewer=reviewer)
            messages.success(request, _("The reviewer was assigned."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Choose a proposal and a reviewer."))
    return redirect("rnd:call_progress", call_id=call.pk)


def assign_form(data: Any = None) -> AssignForm:
    reviewers = [(r.pk, r.name or r.email) for r in services.reviewer_pool()]
    return AssignForm(data, reviewers=reviewers)


@login_required
def fund_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a fund with its yearly budgets (programme managers and administrators)."""
    if not permissions.is_fund_manager(request.user):
        raise Http404
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_fund(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The fund was created."))
            return redirect("rnd:manage")
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(request, "rnd/fund_new.html", {"form": form})


def _fund_year(request: AuthenticatedHttpRequest, fund_year_id: int) -> FundYear:
    if not permissions.is_fund_manager(request.user):
        raise Http404
    return selectors.get_fund_year_for_user(request.user, fund_year_id)


@login_required
@require_POST
def year_budget(request: AuthenticatedHttpRequest, fund_year_id: int) -> HttpResponse:
    """Change a year's budget (never below its commitments)."""
    year = _fund_year(request, fund_year_id)
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.set_year_budget(
                actor=request.user, fund_year=year, budget_krw=form.cleaned_data["budget_krw"]
            )
            messages.success(request, _("The budget was changed."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Enter an amount of 0 or more."))
    return redirect("rnd:manage")


@login_required
@require_POST
def year_carry_over(request: AuthenticatedHttpRequest, fund_year_id: int) -> HttpResponse:
    """Carry the year's unspent money to the next year (where the fund allows it)."""
    year = _fund_year(request, fund_year_id)
    try:
        services.carry_over(actor=request.user, fund_year=year)
        messages.success(request, _("The unspent money was carried over."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("rnd:manage")


@login_required
def call_edit(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """Edit a call's title, theme list and deadline (programme managers and administrators)."""
    call = _managed_call(request, call_id)
    if not permissions.is_fund_manager(request.user):
        raise Http404
    initial = {
        "title": call.title,
        "themes": ", ".join(call.themes),
        "closes_at": timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M"),
    }
    form = CallEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(actor=request.user, call=call, **form.cleaned_data)
            messages.success(request, _("The call was saved."))
            return redirect("rnd:call_detail", call_id=call.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(request, "rnd/call_edit.html", {"form": form, "call": call})


@login_required
def call_rules(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    """Edit the rubric (criteria, weights, maxima) and eligibility of a call — programme managers, and
    only until the call opens or the first proposal is submitted; afterwards the page says why not."""
    call = _managed_call(request, call_id)
    if not permissions.is_fund_manager(request.user):
        raise Http404
    criteria = list(call.criteria.all())
    initial = {
        "eligible_size_classes": call.eligible_size_classes,
        "eligible_tiers": call.eligible_tiers,
        "fair_trade_required": call.fair_trade_required,
        "criteria": "\n".join(f"{c.name}: {c.weight}: {c.max_score}" for c in criteria),
    }
    form = CallRulesForm(request.POST or None, initial=initial)
    locked = services.rules_locked_reason(call)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        specs = [
            services.CriterionSpec(name, weight, maximum) for name, weight, maximum in data.pop("criteria")
        ]
        try:
            services.update_call_rules(actor=request.user, call=call, criteria=specs, **data)
            messages.success(request, _("The rubric and eligibility were saved."))
            return redirect("rnd:call_rules", call_id=call.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(
        request, "rnd/call_rules.html", {"form": form, "call": call, "criteria": criteria, "locked": locked}
    )
