"""Use-case pages: each view parses, calls one selector or service, and renders (full page or htmx partial)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.accounts.selectors import membership_of
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.core.http import AuthenticatedHttpRequest, render_page
from sangsaeng.core.pagination import page_of
from sangsaeng.core.spreadsheets import XLSX_CONTENT_TYPE, build_xlsx
from sangsaeng.usecases import permissions, rendering, selectors, services
from sangsaeng.usecases.forms import (
    AttachmentForm,
    FilterForm,
    GateForm,
    ProposeForm,
    ShelfForm,
    SponsorForm,
)
from sangsaeng.usecases.models import PIPELINE, Stage, UseCase


def _gate_targets(use_case: UseCase) -> list[str]:
    """Forward moves a gate decision may make now (the shelf and stop have their own buttons)."""
    if use_case.stage == Stage.ON_HOLD:
        return []
    return [t for t in services.allowed_targets(use_case) if t in PIPELINE]


def _detail_context(request: AuthenticatedHttpRequest, use_case: UseCase, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_decide = permissions.can_decide_gate(user, use_case)
    targets = _gate_targets(use_case)
    context: dict[str, Any] = {
        "use_case": use_case,
        "decisions": list(use_case.decisions.all()),
        "attachments": list(use_case.attachments.all()),
        "labels": dict(services.GATE_CRITERIA),
        "pipeline": [(index, dict(Stage.choices)[stage]) for index, stage in enumerate(PIPELINE, start=1)],
        "can_decide": can_decide and bool(targets),
        "can_shelve": can_decide and use_case.stage not in (Stage.ON_HOLD, Stage.STOPPED),
        "can_resume": can_decide and use_case.stage == Stage.ON_HOLD,
        "can_stop": can_decide and use_case.stage != Stage.STOPPED,
        "sponsor_form": None,
        "attachment_form": None,
        "shelf_form": forms.get("shelf_form") or ShelfForm(),
        "is_own": permissions.is_own_use_case(user, use_case),
        "sharing_task": selectors.visible_sharing_task(user, use_case),
        "book_lab_url": (
            services.openlab_booking_path(use_case)
            if use_case.stage == Stage.POC and permissions.is_own_use_case(user, use_case)
            else ""
        ),
    }
    if permissions.can_assign_sponsor(user, use_case):
        context["sponsor_form"] = forms.get("sponsor_form") or SponsorForm(
            initial={"sponsor": use_case.sponsor_id}, sponsors=selectors.sponsor_choices()
        )
    if permissions.can_attach_to_use_case(user, use_case):
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
    return context


@login_required
def use_case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My use cases (partner people) or all use cases (host), filtered and paged."""
    if not permissions.can_view_use_case_list(request.user):
        raise PermissionDenied(_("You may not see use cases."))
    form = FilterForm(request.GET or None)
    page = page_of(
        request, selectors.use_case_rows_for_user(request.user, form.filters()), selectors.PAGE_SIZE
    )
    context = {
        "form": form,
        "page": page,
        "rows": rendering.list_rows(page),
        "can_propose": permissions.can_propose_use_case(request.user),
        "is_host": permissions.can_view_board(request.user),
    }
    return render_page(request, "usecases/list.html", "usecases/partials/list_results.html", context)


@login_required
def propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One intake channel: an approved partner proposes a use case and accepts the NDA."""
    if not permissions.can_propose_use_case(request.user):
        if membership_of(request.user) is None:
            # A startup that is not a partner yet signs up its company first (one intake channel).
            messages.info(request, _("Register your company first; once approved you can propose use cases."))
            return redirect("partners:signup")
        raise PermissionDenied(_("Only people of an approved partner may propose use cases."))
    form = ProposeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            use_case = services.submit_use_case(
                actor=request.user,
                title=data["title"],
                industry=data["industry"],
                features=data["features"],
                description=data["description"],
                expected_customers=data["expected_customers"],
                nda_accepted=data["nda_accepted"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your use case was submitted. The host will screen it."))
            return redirect("usecases:detail", use_case_id=use_case.pk)
    return render(
        request,
        "usecases/propose.html",
        {"form": form, "nda_text": services.nda_text(), "nda_version": services.nda_version()},
    )


@login_required
def detail(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    """The use case with its timeline of decisions (reasons the partner sees) and the actions allowed."""
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    return render(request, "usecases/detail.html", _detail_context(request, use_case))


@login_required
def decide(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    """The sponsor's gate decision form (criteria scores, reason, commercialisation/outcome data)."""
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    if not permissions.can_decide_gate(request.user, use_case):
        raise PermissionDenied(_("Only the assigned sponsor or a host administrator decides this use case."))
    form = GateForm(
        request.POST or None,
        targets=_gate_targets(use_case),
        sharing_tasks=selectors.sharing_tasks_for_outcome(request.user, use_case),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_gate(
                actor=request.user,
                use_case=use_case,
                to_stage=data["to_stage"],
                scores=form.scores(),
                reason=data["reason"],
                decision_type=data["decision_type"],
                support_amount_krw=data["support_amount_krw"],
                outcome_type=data["outcome_type"],
                purchase_amount_krw=data["purchase_amount_krw"],
                benefit_sharing_reference=data["benefit_sharing_reference"],
                sharing_task_id=data["sharing_task"].pk if data["sharing_task"] else None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded and the partner notified."))
            return redirect("usecases:detail", use_case_id=use_case.pk)
    return render(
        request,
        "usecases/decide.html",
        {"use_case": use_case, "form": form, "support_cap": services.support_cap_krw()},
    )


@login_required
@require_POST
def assign_sponsor(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    if not permissions.can_assign_sponsor(request.user, use_case):
        raise PermissionDenied(_("Only host administrators and programme managers assign sponsors."))
    form = SponsorForm(request.POST, sponsors=selectors.sponsor_choices())
    if form.is_valid():
        try:
            services.assign_sponsor(
                actor=request.user, use_case=use_case, sponsor=form.cleaned_data["sponsor"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The sponsor was assigned."))
            return redirect("usecases:detail", use_case_id=use_case.pk)
    return render(request, "usecases/detail.html", _detail_context(request, use_case, sponsor_form=form))


_SHELF_SERVICES = {
    "hold": services.put_on_hold,
    "resume": services.resume_use_case,
    "stop": services.stop_use_case,
}


@login_required
@require_POST
def shelve(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    """Put on hold, resume or stop (with a reason the partner sees)."""
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    if not permissions.can_decide_gate(request.user, use_case):
        raise PermissionDenied(_("Only the assigned sponsor or a host administrator decides this use case."))
    form = ShelfForm(request.POST)
    if form.is_valid():
        try:
            _SHELF_SERVICES[form.cleaned_data["action"]](
                actor=request.user, use_case=use_case, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded and the partner notified."))
            return redirect("usecases:detail", use_case_id=use_case.pk)
    return render(request, "usecases/detail.html", _detail_context(request, use_case, shelf_form=form))


@login_required
@require_POST
def attach(request: AuthenticatedHttpRequest, use_case_id: int) -> HttpResponse:
    use_case = selectors.get_use_case_for_user(request.user, use_case_id)
    if not permissions.can_attach_to_use_case(request.user, use_case):
        raise PermissionDenied(_("You may not add documents to this use case."))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(actor=request.user, use_case=use_case, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("attachments", error.messages))
        else:
            messages.success(request, _("The document was added."))
            return redirect("usecases:detail", use_case_id=use_case.pk)
    return render(request, "usecases/detail.html", _detail_context(request, use_case, attachment_form=form))


@login_required
@require_GET
def attachment_download(
    request: AuthenticatedHttpRequest, use_case_id: int, attachment_id: int
) -> FileResponse:
    """Attachments are served only here, to people who may see the use case in full."""
    attachment = selectors.get_attachment_for_user(request.user, use_case_id, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The managers' kanban by stage with counts, filters and overdue screening flags."""
    form = FilterForm(request.GET or None)
    the_board = selectors.board_page_for_user(request.user, form.filters())
    context = {"form": form, "board": the_board}
    return render_page(request, "usecases/board.html", "usecases/partials/board.html", context)


@login_required
def showcase(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approved use cases for briefings (설명회): partners browse them to find collaborators."""
    form = FilterForm(request.GET or None)
    page = page_of(request, selectors.showcase_for_user(request.user, form.filters()), selectors.PAGE_SIZE)
    context = {"form": form, "page": page}
    return render_page(request, "usecases/showcase.html", "usecases/partials/showcase_results.html", context)


def _year(request: AuthenticatedHttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Pipeline funnel and time in stage (days), optionally for one submission year."""
    year = _year(request)
    rows = selectors.funnel_for_user(request.user, year=year)
    this_year = timezone.localdate().year
    return render(
        request,
        "usecases/report.html",
        {"rows": rows, "year": year, "years": list(range(this_year, this_year - 6, -1))},
    )


@login_required
def report_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The funnel report as .xlsx (formulas neutralised by build_xlsx)."""
    year = _year(request)
    rows = selectors.funnel_for_user(request.user, year=year)
    content = build_xlsx(
        _("Use-case funnel"),
        [_("Stage"), _("Reached"), _("Now"), _("Average days in stage"), _("Median days in stage")],
        ([row.label, row.reached, row.current, row.average_days, row.median_days] for row in rows),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="usecase-funnel-{stamp}.xlsx"'
    return response
