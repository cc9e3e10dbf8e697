"""Pages of overseas exhibitions: list, set-up (global unit), detail with the application form
(partners) or the applications to score and select within the budget (host)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.core.workflow import allowed_targets
from sangsaeng.overseas import permissions, selectors, services
from sangsaeng.overseas.forms import ApplyForm, ExhibitionForm, ReasonForm
from sangsaeng.overseas.models import Exhibition, ExhibitionStatus


@login_required
def exhibition_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_programme(request.user):
        raise PermissionDenied
    context = {
        "page": page_of(request, selectors.exhibitions_for_user(request.user)),
        "is_host": permissions.can_view_host_side(request.user),
        "can_manage": permissions.can_manage_exhibitions(request.user),
    }
    return render_page(
        request, "overseas/exhibition_list.html", "overseas/partials/exhibition_rows.html", context
    )


@login_required
def exhibition_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_manage_exhibitions(request.user):
        raise PermissionDenied
    form = ExhibitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exhibition = services.create_exhibition(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The exhibition was set up."))
            return redirect("overseas:exhibition_detail", exhibition_id=exhibition.pk)
    template = "overseas/exhibition_form.html"
    return render_page(request, template, template, {"form": form})


def _caps(exhibition: Exhibition) -> dict[str, int]:
    return {item.kind: item.cap_krw for item in exhibition.support_items.all()}


def _detail_context(
    request: AuthenticatedHttpRequest, exhibition: Exhibition, **forms: Any
) -> dict[str, Any]:
    user = request.user
    is_host = permissions.can_view_host_side(user)
    applications = list(selectors.applications_for_user(user, exhibition))
    own = None if is_host else (applications[0] if applications else None)
    context: dict[str, Any] = {
        "exhibition": exhibition,
        "is_host": is_host,
        "can_manage": permissions.can_manage_exhibitions(user),
        "applications": applications if is_host else [],
        "own_application": own,
        "apply_form": None,
        "moves": [(target, dict(ExhibitionStatus.choices)[target]) for target in allowed_targets(exhibition)]
        if permissions.can_manage_exhibitions(user)
        else [],
        "reason_form": ReasonForm(),
    }
    if (
        own is None
        and permissions.can_apply_to_exhibition(user)
        and exhibition.status == ExhibitionStatus.OPEN
    ):
        context["apply_form"] = forms.get("apply_form") or ApplyForm(caps=_caps(exhibition))
    return context


@login_required
def exhibition_detail(request: AuthenticatedHttpRequest, exhibition_id: int) -> HttpResponse:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    template = "overseas/exhibition_detail.html"
    return render_page(request, template, template, _detail_context(request, exhibition))


@login_required
@require_POST
def exhibition_apply(request: AuthenticatedHttpRequest, exhibition_id: int) -> HttpResponse:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    form = ApplyForm(request.POST, caps=_caps(exhibition))
    if form.is_valid():
        try:
            application = services.apply_to_exhibition(
                actor=request.user, exhibition=exhibition, **form.service_arguments()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your application was sent."))
            return redirect("overseas:application_detail", application_id=application.pk)
    template = "overseas/exhibition_detail.html"
    context = _detail_context(request, exhibition)
    context["apply_form"] = form
    return render_page(request, template, template, context, status=400)


@login_required
@require_POST
def exhibition_select(request: AuthenticatedHttpRequest, exhibition_id: int) -> HttpResponse:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    try:
        result = services.select_by_score(actor=request.user, exhibition=exhibition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s applications selected.") % {"count": len(result.approved)})
        for application, reason in result.not_fitting:
            messages.warning(request, f"{application.partner.name_ko}: {reason}")
    return redirect("overseas:exhibition_detail", exhibition_id=exhibition.pk)


@login_required
@require_POST
def exhibition_move(request: AuthenticatedHttpRequest, exhibition_id: int) -> HttpResponse:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    try:
        services.move_exhibition(
            actor=request.user,
            exhibition=exhibition,
            to=request.POST.get("to", "")[:20],
            reason=request.POST.get("reason", "")[:1000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The exhibition's status was changed."))
    return redirect("overseas:exhibition_detail", exhibition_id=exhibition.pk)
