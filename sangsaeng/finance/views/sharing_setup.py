"""Benefit-sharing set-up pages (성과공유제): the host's programme (plan, internal rules, dedicated
staff), drafting and editing a task, and the incentive rules that award partners points.

Host administrators and programme managers (the programme itself: host administrators, as in the
API); everyone else gets 403 and nothing changes. The same services as the API; the forms only parse.
Each form posts with htmx and gets itself back with field-level errors, or a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from sangsaeng.accounts.models import Role
from sangsaeng.accounts.selectors import has_role, is_host, organization_id_of
from sangsaeng.core import dates
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.finance import permissions, selectors, services
from sangsaeng.finance.forms.sharing import DraftForm, IncentiveRuleForm, ProgrammeForm, TaskForm
from sangsaeng.finance.models import TaskStatus
from sangsaeng.finance.selectors import sharing_setup
from sangsaeng.finance.services import sharing_drafts, sharing_rules

FORM_PAGE = "finance/sharing/form_page.html"
FORM_PARTIAL = "finance/sharing/partials/form.html"


def _require_manager(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_manage_sharing(request.user):
        raise PermissionDenied(_("Only host administrators and programme managers set up benefit sharing."))


def _done(request: AuthenticatedHttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _form_page(
    request: AuthenticatedHttpRequest,
    *,
    form: Any,
    title: str,
    action: str,
    back: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form alone for an htmx post, the page otherwise; a rejected full-page post answers 422."""
    context = {"form": form, "title": title, "action": action, "back": back, **(extra or {})}
    status = 422 if request.method == "POST" and not request.htmx else 200
    return render_page(request, FORM_PAGE, FORM_PARTIAL, context, status=status)


# --- Programme ----------------------------------------------------------------------------------


def _can_save_programme(user: Any) -> bool:
    return is_host(user) and has_role(user, Role.ADMIN)


@login_required
def programme(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The host's benefit-sharing set-up: shown to host managers, recorded by host administrators."""
    _require_manager(request)
    current = sharing_setup.programme_of(organization_id_of(request.user))
    can_save = _can_save_programme(request.user)
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_for(current))
    if request.method == "POST":
        if not can_save:
            raise PermissionDenied(_("Only host administrators record the benefit-sharing set-up."))
        if form.is_valid():
            try:
                services.save_programme(actor=request.user, values=form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _done(request, reverse("finance:sharing_programme"), _("The set-up was saved."))
    context = {
        "form": form,
        "programme": current,
        "can_save": can_save,
        "title": _("Benefit-sharing set-up"),
        "action": reverse("finance:sharing_programme"),
        "back": reverse("finance:sharing_tasks"),
    }
    status = 422 if request.method == "POST" and not request.htmx else 200
    return render_page(request, "finance/sharing/programme.html", FORM_PARTIAL, context, status=status)


# --- Tasks --------------------------------------------------------------------------------------


@login_required
def task_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Draft a task with an approved 1차 partner (the contract stays editable until registration)."""
    _require_manager(request)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(
                actor=request.user,
                partner=form.cleaned_data["partner"],
                participants=form.cleaned_data["participants"],
                title=form.cleaned_data["title"],
                task_type=form.cleaned_data["task_type"],
                kpi_name=form.cleaned_data["kpi_name"],
                kpi_baseline=form.cleaned_data["kpi_baseline"],
                contract=form.contract(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("finance:sharing_task", args=[task.pk]), _("The task was drafted."))
    return _form_page(
        request,
        form=form,
        title=_("New benefit-sharing task"),
        action=reverse("finance:sharing_task_create"),
        back=reverse("finance:sharing_tasks"),
    )


@login_required
def task_edit(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    """Edit a draft (details, participants, contract); after registration only an amendment agreed by both parties changes it."""
    task = selectors.get_task_for_user(request.user, task_id)
    _require_manager(request)
    back = reverse("finance:sharing_task", args=[task.pk])
    if request.method != "POST" and task.status != TaskStatus.DRAFT:
        messages.info(request, _("After registration the contract changes only by an accepted amendment."))
        return redirect(back)
    form = DraftForm(request.POST or None, initial=DraftForm.initial_for(task))
    if request.method == "POST" and form.is_valid():
        try:
            sharing_drafts.update_draft_task(actor=request.user, task=task, values=form.values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, back, _("The draft was saved."))
    return _form_page(
        request,
        form=form,
        title=_("Edit the draft: %(title)s") % {"title": task.title},
        action=reverse("finance:sharing_task_edit", args=[task.pk]),
        back=back,
    )


# --- Incentive rules ----------------------------------------------------------------------------


@login_required
def rules(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every incentive rule (retired ones too), newest first, with how many awards each made."""
    _require_manager(request)
    page = page_of(request, sharing_setup.incentive_rules())
    awards = sharing_setup.award_counts(page)
    for rule in page:
        rule.awards = awards.get(rule.pk, 0)  # type: ignore[attr-defined]
    context = {"page": page, "in_force": sharing_setup.rule_in_force(), "today": dates.today()}
    return render_page(
        request, "finance/sharing/rules.html", "finance/sharing/partials/rule_rows.html", context
    )


@login_required
def rule_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manager(request)
    form = IncentiveRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sharing_rules.create_rule(actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("finance:sharing_rules"), _("The incentive rule was created."))
    return _form_page(
        request,
        form=form,
        title=_("New incentive rule"),
        action=reverse("finance:sharing_rule_create"),
        back=reverse("finance:sharing_rules"),
    )


@login_required
def rule_edit(request: AuthenticatedHttpRequest, rule_id: int) -> HttpResponse:
    _require_manager(request)
    rule = sharing_setup.get_incentive_rule(rule_id)
    form = IncentiveRuleForm(request.POST or None, initial=IncentiveRuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        try:
            sharing_rules.update_rule(actor=request.user, rule=rule, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, reverse("finance:sharing_rules"), _("The incentive rule was saved."))
    return _form_page(
        request,
        form=form,
        title=_("Incentive rule from %(date)s") % {"date": rule.valid_from.isoformat()},
        action=reverse("finance:sharing_rule_edit", args=[rule.pk]),
        back=reverse("finance:sharing_rules"),
        extra={"rule": rule},
    )


@login_required
@require_POST
def rule_retire(request: AuthenticatedHttpRequest, rule_id: int) -> HttpResponse:
    _require_manager(request)
    rule = sharing_setup.get_incentive_rule(rule_id)
    try:
        sharing_rules.retire_rule(actor=request.user, rule=rule)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The incentive rule was retired; it awards no more points."))
    url = reverse("finance:sharing_rules")
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
