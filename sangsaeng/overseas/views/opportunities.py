"""Pages of global opportunities: list, post (global unit), detail with the interest form (partners) or
the interests and ranked suggestions to shortlist from (host)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.overseas import permissions, selectors, services
from sangsaeng.overseas.forms import (
    DeclineForm,
    InterestForm,
    OpportunityFilterForm,
    OpportunityForm,
    ShortlistForm,
)
from sangsaeng.overseas.models import GlobalOpportunity, OpportunityStatus
from sangsaeng.partners.selectors import get_partner_for_user


@login_required
def opportunity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_programme(request.user):
        raise PermissionDenied
    form = OpportunityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.OpportunityFilters(q=data.get("q") or "", status=data.get("status") or "")
    context = {
        "form": form,
        "page": page_of(request, selectors.opportunities_for_user(request.user, filters)),
        "is_host": permissions.can_view_host_side(request.user),
        "can_post": permissions.can_post_opportunity(request.user),
    }
    return render_page(
        request, "overseas/opportunity_list.html", "overseas/partials/opportunity_rows.html", context
    )


@login_required
def opportunity_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_post_opportunity(request.user):
        raise PermissionDenied
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.post_opportunity(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The opportunity was posted."))
            return redirect("overseas:opportunity_detail", opportunity_id=opportunity.pk)
    return render_page(
        request, "overseas/opportunity_form.html", "overseas/opportunity_form.html", {"form": form}
    )


def _detail_context(
    request: AuthenticatedHttpRequest, opportunity: GlobalOpportunity, **forms: Any
) -> dict[str, Any]:
    user = request.user
    is_host = permissions.can_view_host_side(user)
    own = selectors.own_interest(user, opportunity)
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "is_host": is_host,
        "own_interest": own,
        "interest_form": None,
        "can_shortlist": permissions.can_shortlist(user),
        "can_close": permissions.can_post_opportunity(user) and opportunity.status == OpportunityStatus.OPEN,
    }
    if (
        own is None
        and permissions.can_express_interest(user)
        and opportunity.status == OpportunityStatus.OPEN
    ):
        context["interest_form"] = forms.get("interest_form") or InterestForm()
    if is_host:
        context["interests"] = list(selectors.interests_for_user(user, opportunity))
        context["suggestions"] = selectors.suggest_partners(opportunity)
    return context


@login_required
def opportunity_detail(request: AuthenticatedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    template = "overseas/opportunity_detail.html"
    return render_page(request, template, template, _detail_context(request, opportunity))


@login_required
@require_POST
def opportunity_interest(request: AuthenticatedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.express_interest(
                actor=request.user,
                opportunity=opportunity,
                capability_statement=form.cleaned_data["capability_statement"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your interest was sent to the host's global unit."))
            return redirect("overseas:opportunity_detail", opportunity_id=opportunity.pk)
    template = "overseas/opportunity_detail.html"
    context = _detail_context(request, opportunity, interest_form=form)
    context["interest_form"] = form
    return render_page(request, template, template, context, status=400)


@login_required
@require_POST
def opportunity_close(request: AuthenticatedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    try:
        services.close_opportunity(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The opportunity was closed."))
    return redirect("overseas:opportunity_detail", opportunity_id=opportunity.pk)


@login_required
@require_POST
def opportunity_shortlist(request: AuthenticatedHttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = selectors.get_opportunity_for_user(request.user, opportunity_id)
    if not permissions.can_shortlist(request.user):
        raise PermissionDenied
    try:
        partner = get_partner_for_user(request.user, int(request.POST.get("partner", "")[:12]))
    except ValueError:
        raise Http404 from None
    form = ShortlistForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.shortlist_partner(actor=request.user, opportunity=opportunity, partner=partner, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(partner)s is on the shortlist.") % {"partner": partner.name_ko})
    return redirect("overseas:opportunity_detail", opportunity_id=opportunity.pk)


@login_required
@require_POST
def interest_decline(request: AuthenticatedHttpRequest, interest_id: int) -> HttpResponse:
    interest = selectors.get_interest_for_user(request.user, interest_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    else:
        try:
            services.decline_interest(
                actor=request.user, interest=interest, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The interest was taken off the shortlist."))
    return redirect("overseas:opportunity_detail", opportunity_id=interest.opportunity_id)
