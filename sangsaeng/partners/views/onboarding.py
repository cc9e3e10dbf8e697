"""Sign-up (with inline BRN check), the review queue and the host's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.accounts.selectors import host_name
from sangsaeng.core import botcheck, ratelimits
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, HtmxHttpRequest
from sangsaeng.core.pagination import page_of
from sangsaeng.partners import permissions, selectors, services, validators
from sangsaeng.partners.forms import DecisionForm, ResubmitForm, SignupForm
from sangsaeng.partners.views.company import detail_context

_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def signup(request: HtmxHttpRequest) -> HttpResponse:
    """A company registers: visitors create the owner account at the same time."""
    if not permissions.can_sign_up_partner(request.user):
        messages.info(request, _("You already belong to an organisation."))
        return redirect("home:home")
    with_account = not request.user.is_authenticated
    if request.method == "POST":
        ratelimits.count(request, "RATE_LIMIT_SIGNUP_PER_IP")
        if with_account:
            ratelimits.count(request, "RATE_LIMIT_SIGNUP_PER_ACCOUNT", request.POST.get("email", ""))
    form = SignupForm(request.POST or None, with_account=with_account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner = services.sign_up_partner(
                actor=request.user,
                profile=form.profile(),
                email=data.get("email", ""),
                name=data.get("name", ""),
                password=data.get("password1", ""),
                phone=data.get("phone", ""),
                privacy_consent=data["privacy_consent"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if with_account and partner.created_by is not None:
                login(request, partner.created_by, backend=_LOGIN_BACKEND)
            messages.success(
                request,
                _("Your company is registered. %(host)s will review it and notify you.")
                % {"host": host_name()},
            )
            return redirect("partners:detail", partner_id=partner.pk)
    # A fresh form token on every page: the one just sent was used up by the check.
    token = botcheck.issue_token() if with_account else ""
    return render(request, "partners/signup.html", {"form": form, "form_token": token})


@require_GET
def validate_brn(request: HtmxHttpRequest) -> HttpResponse:
    """Inline check of the sign-up BRN field (htmx): format and check digit only.

    Whether a company with the number is already registered is said after the sign-up is sent
    (the service refuses a duplicate): an anonymous lookup must not tell anyone who is a partner."""
    form = SignupForm({"brn": request.GET.get("brn", "")}, with_account=False)
    field = form["brn"]
    valid = False
    if not field.errors:
        try:
            validators.normalize_brn(field.value() or "")
        except ValidationError as error:
            form.add_error("brn", error)
        else:
            valid = True
    return render(request, "partners/partials/brn_field.html", {"field": form["brn"], "valid": valid})


@login_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, selectors.review_queue_for_user(request.user), selectors.PAGE_SIZE)
    return render(request, "partners/review_queue.html", {"page": page})


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            partner = services.decide_partner(
                actor=request.user,
                partner=partner,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now: %(status)s.")
                % {"name": partner.name_ko, "status": partner.get_status_display()},
            )
            return redirect("partners:detail", partner_id=partner.pk)
    elif not permissions.can_decide_partner(request.user, partner):
        raise PermissionDenied(_("You may not decide on this partner."))
    return render(request, "partners/detail.html", detail_context(request, partner, decision_form=form))


@login_required
@require_POST
def resubmit(request: AuthenticatedHttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.get_partner_for_user(request.user, partner_id)
    form = ResubmitForm(request.POST)
    if form.is_valid():
        try:
            services.resubmit_partner(actor=request.user, partner=partner, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your company was sent for review."))
            return redirect("partners:detail", partner_id=partner.pk)
    return render(request, "partners/detail.html", detail_context(request, partner, resubmit_form=form))
