"""Task discovery pages: proposing and discussing tasks, selection rounds with ballots and published
tallies, and the hand-over to the R&D fund and the use-case pipeline."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.accounts.selectors import organization_id_of
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.councils import permissions, selectors, services
from sangsaeng.councils.forms import CommentForm, ConflictForm, HandOverForm, RoundForm, TaskForm, UseCaseForm
from sangsaeng.councils.models import (
    AreaStatus,
    CooperationArea,
    SelectionMethod,
    TaskAttachment,
    TaskProposal,
    TaskStatus,
)
from sangsaeng.councils.views.common import act


def _task_url(task: TaskProposal) -> str:
    return reverse("councils:task", kwargs={"task_id": task.pk})


def _open_calls() -> Any:
    from sangsaeng.rnd.models import Call

    return Call.objects.filter(closes_at__gt=timezone.now()).order_by("closes_at")


@login_required
def task_propose(request: HttpRequest, council_id: int) -> HttpResponse:
    council = selectors.get_member_council_for_user(request.user, council_id)
    if not permissions.can_take_part(request.user, council):
        raise PermissionDenied
    form = TaskForm(request.POST or None, request.FILES or None, areas=council.areas.all())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment")
        try:
            task = services.propose_task(
                actor=request.user, council=council, attachments=[attachment] if attachment else [], **data
            )
        except ValidationError as error:
            apply_service_errors(form, error, field_map={"attachments": "attachment"})
        else:
            return redirect(_task_url(task))
    return render(
        request,
        "councils/form.html",
        {"form": form, "title": _("Propose a task"), "council": council, "multipart": True},
    )


@login_required
@require_GET
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.get_task_for_user(request.user, task_id)
    user = request.user
    own = organization_id_of(user) == task.organization_id and task.status == TaskStatus.SELECTED
    context = {
        "task": task,
        "comments": list(task.comments.select_related("author")),
        "attachments": list(task.attachments.all()),
        "comment_form": CommentForm()
        if permissions.can_take_part(user, task.council) or permissions.is_secretariat(user, task.council)
        else None,
        "use_case_form": UseCaseForm() if own and task.use_case_id is None else None,
        "can_make_proposal": own and task.rnd_proposal_id is None and task.area.rnd_call_id is not None,
        "hand_over_form": (
            HandOverForm(calls=_open_calls())
            if permissions.is_council_manager(user)
            and task.area.status == AreaStatus.SELECTED
            and task.area.rnd_call_id is None
            else None
        ),
    }
    return render(request, "councils/task.html", context)


@login_required
@require_POST
def task_comment(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.get_task_for_user(request.user, task_id)
    body = request.POST.get("body", "")
    return act(
        request,
        lambda: services.comment_on_task(actor=request.user, task=task, body=body),
        _("Your comment was added."),
        _task_url(task),
    )


@login_required
@require_GET
def task_attachment_download(request: HttpRequest, task_id: int, attachment_id: int) -> FileResponse:
    task = selectors.get_task_for_user(request.user, task_id)
    attachment = TaskAttachment.objects.filter(pk=attachment_id, task=task).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def task_use_case(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.get_task_for_user(request.user, task_id)
    form = UseCaseForm(request.POST)
    form.is_valid()
    data = form.cleaned_data

    def convert() -> None:
        use_case = services.task_to_use_case(
            actor=request.user,
            task=task,
            industry=data.get("industry", request.POST.get("industry", "")),
            features=data.get("features", request.POST.getlist("features")),
            nda_accepted=bool(data.get("nda_accepted")),
        )
        task.use_case = use_case

    return act(request, convert, _("A 5G use case was proposed from the task."), _task_url(task))


@login_required
@require_POST
def task_rnd_proposal(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.get_task_for_user(request.user, task_id)
    return act(
        request,
        lambda: services.task_to_rnd_proposal(actor=request.user, task=task),
        _("An R&D proposal draft was started from the task."),
        _task_url(task),
    )


@login_required
@require_POST
def area_hand_over(request: HttpRequest, area_id: int) -> HttpResponse:
    area = CooperationArea.objects.select_related("council").filter(pk=area_id).first()
    if area is None:
        raise Http404
    selectors.get_member_council_for_user(request.user, area.council_id)
    if not permissions.is_council_manager(request.user):
        raise PermissionDenied
    form = HandOverForm(request.POST, calls=_open_calls())
    back = reverse("councils:detail", kwargs={"council_id": area.council_id})

    def hand_over() -> None:
        if not form.is_valid():
            raise ValidationError([str(m) for errors in form.errors.values() for m in errors])
        services.hand_over_area_to_call(actor=request.user, area=area, call=form.cleaned_data["call"])

    return act(
        request,
        hand_over,
        _("The area is now a theme of the R&D call."),
        request.POST.get("next", "") if request.POST.get("next", "").startswith("/councils/") else back,
    )


# --- Selection rounds -----------------------------------------------------------------------------
@login_required
def round_open(request: HttpRequest, council_id: int) -> HttpResponse:
    council = selectors.get_member_council_for_user(request.user, council_id)
    if not permissions.is_secretariat(request.user, council):
        raise PermissionDenied
    tasks = council.tasks.filter(status=TaskStatus.PROPOSED)
    form = RoundForm(request.POST or None, tasks=tasks, initial={"quorum_percent": council.quorum_percent})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            selection = services.open_round(
                actor=request.user,
                council=council,
                title=data["title"],
                method=data["method"],
                task_ids=[t.pk for t in data["tasks"]],
                closes_at=data["closes_at"],
                seats=data["seats"],
                criteria=[line.strip() for line in data["criteria"].splitlines() if line.strip()],
                max_score=data["max_score"],
                quorum_percent=data["quorum_percent"],
            )
        except ValidationError as error:
            apply_service_errors(form, error, field_map={"task_ids": "tasks"})
        else:
            return redirect("councils:round", round_id=selection.pk)
    return render(
        request, "councils/form.html", {"form": form, "title": _("Open a selection"), "council": council}
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    selection = selectors.get_round_for_user(request.user, round_id)
    user = request.user
    seat = permissions.active_seat(user, selection.council)
    candidates = list(selection.candidates.select_related("organization", "area"))
    recused: set[int] = set()
    voted: set[int] = set()
    if seat is not None:
        recused = set(selection.recusals.filter(member=seat).values_list("task_id", flat=True))
        recused |= {t.pk for t in candidates if t.organization_id == seat.organization_id}
        voted = set(selection.ballots.filter(member=seat).values_list("task_id", flat=True))
    is_open = selection.status == "open" and timezone.now() < selection.closes_at
    context = {
        "selection": selection,
        "candidates": [(task, task.pk in recused, task.pk in voted) for task in candidates],
        "can_vote": seat is not None and is_open,
        "is_open": is_open,
        "is_rubric": selection.method == SelectionMethod.RUBRIC,
        "score_range": range(0, selection.max_score + 1),
        "tally": selectors.published_tally(selection),
        "ballots": list(selectors.ballots_for_user(user, selection)),
        "shows_voters": permissions.can_view_ballots(user),
        "can_close": permissions.is_secretariat(user, selection.council)
        and selection.status == "open"
        and not is_open,
        "conflict_form": ConflictForm(),
    }
    return render(request, "councils/round.html", context)


def _round_task(request: HttpRequest, round_id: int) -> tuple[Any, TaskProposal]:
    selection = selectors.get_round_for_user(request.user, round_id)
    try:
        task_id = int(request.POST.get("task", "")[:12])
    except ValueError:
        task_id = 0
    task = selection.candidates.filter(pk=task_id).first()
    if task is None:
        raise Http404
    return selection, task


@login_required
@require_POST
def round_ballot(request: HttpRequest, round_id: int) -> HttpResponse:
    selection, task = _round_task(request, round_id)
    back = reverse("councils:round", kwargs={"round_id": selection.pk})

    def vote() -> None:
        if selection.method == SelectionMethod.RUBRIC:
            scores: dict[str, int] = {}
            for index, name in enumerate(selection.criteria):
                try:
                    scores[name] = int(request.POST.get(f"score_{index}", "")[:4])
                except ValueError as error:
                    raise ValidationError(
                        {
                            "scores": [
                                _("Score every criterion from 0 to %(max)s.") % {"max": selection.max_score}
                            ]
                        }
                    ) from error
            services.cast_ballot(actor=request.user, selection=selection, task=task, scores=scores)
        else:
            choice = request.POST.get("approve")
            services.cast_ballot(
                actor=request.user,
                selection=selection,
                task=task,
                approve=None if choice not in ("yes", "no") else choice == "yes",
            )

    return act(request, vote, _("Your ballot was cast."), back)


@login_required
@require_POST
def round_conflict(request: HttpRequest, round_id: int) -> HttpResponse:
    selection, task = _round_task(request, round_id)
    note = request.POST.get("note", "")
    return act(
        request,
        lambda: services.declare_conflict(actor=request.user, selection=selection, task=task, note=note),
        _("Your conflict of interest was recorded: you are recused from this task."),
        reverse("councils:round", kwargs={"round_id": selection.pk}),
    )


@login_required
@require_POST
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    selection = selectors.get_round_for_user(request.user, round_id)
    return act(
        request,
        lambda: services.close_round(actor=request.user, selection=selection),
        _("The result was published."),
        reverse("councils:round", kwargs={"round_id": selection.pk}),
    )
