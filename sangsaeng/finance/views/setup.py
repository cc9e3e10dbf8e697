"""Fund set-up pages (host administrators): the funds with their banks, and the forms that create and
change a fund's rules and a bank's pool. The same services as the API; the forms only parse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest
from sangsaeng.finance import selectors, services
from sangsaeng.finance.forms import FundForm, PoolForm
from sangsaeng.finance.services.setup import can_set_up_funds


def _require(request: AuthenticatedHttpRequest) -> None:
    if not can_set_up_funds(request.user):
        raise PermissionDenied(_("Only host administrators set up the loan fund."))


@login_required
def fund_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every fund (newest first) with its participating banks, pools and rates."""
    _require(request)
    funds = selectors.funds_with_banks()
    return render(request, "finance/fund_setup.html", {"funds": funds})


def _form_page(
    request: AuthenticatedHttpRequest,
    form: FundForm | PoolForm,
    template: str,
    context: dict[str, Any],
    save: Callable[[], object],
    done: str,
) -> HttpResponse:
    """GET shows the form; a valid POST calls the service (its refusals become field errors) and goes
    back to the set-up page; an invalid one shows the form again with 422."""
    if request.method != "POST":
        return render(request, template, {**context, "form": form}, status=200)
    if form.is_valid():
        try:
            save()
        except ValidationError as error:
            apply_service_errors(form, error, field_map=form.ERROR_FIELDS)
        else:
            messages.success(request, done)
            return redirect("finance:fund_setup")
    return render(request, template, {**context, "form": form}, status=422)


@login_required
def fund_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    form = FundForm(request.POST or None)
    return _form_page(
        request,
        form,
        "finance/fund_form.html",
        {},
        lambda: services.create_fund(actor=request.user, values=form.values()),
        _("Fund created."),
    )


@login_required
def fund_edit(request: AuthenticatedHttpRequest, fund_id: int) -> HttpResponse:
    _require(request)
    fund = selectors.get_fund_for_setup(fund_id)
    form = FundForm(request.POST or None, fund=fund)
    return _form_page(
        request,
        form,
        "finance/fund_form.html",
        {"fund": fund},
        lambda: services.update_fund(actor=request.user, fund=fund, values=form.values()),
        _("Fund rules saved."),
    )


@login_required
def pool_add(request: AuthenticatedHttpRequest, fund_id: int) -> HttpResponse:
    _require(request)
    fund = selectors.get_fund_for_setup(fund_id)
    form = PoolForm(request.POST or None, fund=fund)
    return _form_page(
        request,
        form,
        "finance/pool_form.html",
        {"fund": fund},
        lambda: services.add_bank(
            actor=request.user,
            fund=fund,
            bank=form.cleaned_data["bank"],
            values=form.values(),
        ),
        _("Bank added."),
    )


@login_required
def pool_edit(request: AuthenticatedHttpRequest, pool_id: int) -> HttpResponse:
    _require(request)
    pool = selectors.get_pool_for_setup(pool_id)
    form = PoolForm(request.POST or None, pool=pool)
    return _form_page(
        request,
        form,
        "finance/pool_form.html",
        {"fund": pool.fund, "pool": pool},
        lambda: services.update_bank(actor=request.user, pool=pool, values=form.values()),
        _("Bank pool saved."),
    )
