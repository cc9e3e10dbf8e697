"""Meeting pages: scheduling, the meeting page (agenda, invitations, attendance, QR check-in, minutes with
versions, comments and diff, action items), the PDF."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.accounts.models import Organization, User
from sangsaeng.core.forms import apply_service_errors
from sangsaeng.councils import permissions, qr, selectors, services
from sangsaeng.councils.documents import meeting_pdf
from sangsaeng.councils.forms import (
    ActionItemForm,
    AgendaItemForm,
    AttachmentForm,
    MeetingForm,
    MinutesCommentForm,
    MinutesForm,
    RsvpForm,
)
from sangsaeng.councils.models import ActionItem, AgendaAttachment, AgendaItem, Meeting, MinutesStatus
from sangsaeng.councils.views.common import act, error_messages


def _meeting_url(meeting: Meeting) -> str:
    return reverse("councils:meeting", kwargs={"meeting_id": meeting.pk})


def _people(meeting: Meeting) -> Any:
    return User.objects.filter(
        council_seats__council=meeting.council, council_seats__left_on__isnull=True
    ).order_by("name")


def _organizations(meeting: Meeting) -> Any:
    seated = meeting.council.members.filter(left_on__isnull=True).values("organization_id")
    return Organization.objects.filter(pk__in=seated).order_by("name") | Organization.objects.filter(
        pk=meeting.council.secretariat_id
    )


@login_required
def meeting_schedule(request: HttpRequest, council_id: int) -> HttpResponse:
    council = selectors.get_member_council_for_user(request.user, council_id)
    if not permissions.is_secretariat(request.user, council):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agenda = [
            services.AgendaSpec(line.strip()) for line in data.pop("agenda").splitlines() if line.strip()
        ]
        try:
            meeting = services.schedule_meeting(actor=request.user, council=council, agenda=agenda, **data)
        except ValidationError as error:
            apply_service_errors(form, error, field_map={"agenda": "agenda"})
        else:
            return redirect(_meeting_url(meeting))
    return render(
        request, "councils/form.html", {"form": form, "title": _("Schedule a meeting"), "council": council}
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    user = request.user
    council = meeting.council
    secretariat = permissions.is_secretariat(user, council)
    minutes = selectors.minutes_of(meeting)
    items = list(meeting.agenda_items.select_related("presenter").prefetch_related("attachments"))
    comments: dict[int, list[Any]] = defaultdict(list)
    versions: list[Any] = []
    acknowledged = False
    if minutes is not None:
        for comment in minutes.comments.select_related("author"):
            comments[comment.agenda_item_id].append(comment)
        versions = list(selectors.versions_of(minutes))
        acknowledged = minutes.acknowledgements.filter(user_id=user.pk).exists()
    invitation = selectors.own_invitation(user, meeting)
    current = versions[-1] if versions else None
    status = minutes.status if minutes else MinutesStatus.DRAFT
    context = {
        "meeting": meeting,
        "council": council,
        "items": [(item, comments.get(item.pk, [])) for item in items],
        "invitations": list(selectors.invitations_of(meeting)),
        "invitation": invitation,
        "quorum": selectors.quorum_of(meeting),
        "minutes": minutes,
        "versions": versions,
        "current": current,
        "acknowledgements": list(minutes.acknowledgements.select_related("user")) if minutes else [],
        "actions": list(meeting.action_items.select_related("owner_user", "owner_organization")),
        "is_secretariat": secretariat,
        "is_chair": permissions.is_chair(user, council),
        "qr_svg": qr.check_in_qr_svg(meeting) if secretariat else "",
        "check_in_url": qr.check_in_url(meeting),
        "rsvp_form": RsvpForm(initial={"rsvp": invitation.rsvp}) if invitation else None,
        "agenda_form": AgendaItemForm(presenters=_people(meeting), auto_id="agenda_%s")
        if secretariat
        else None,
        "attachment_form": AttachmentForm() if secretariat else None,
        "minutes_form": (
            MinutesForm(initial={"body": current.body if current else ""}, auto_id="minutes_%s")
            if secretariat and status == MinutesStatus.DRAFT
            else None
        ),
        "comment_form": (
            MinutesCommentForm(items=meeting.agenda_items.all(), auto_id="comment_%s")
            if minutes and status == MinutesStatus.CIRCULATED and permissions.can_take_part(user, council)
            else None
        ),
        "action_form": (
            ActionItemForm(
                people=_people(meeting), organizations=_organizations(meeting), auto_id="action_%s"
            )
            if secretariat
            else None
        ),
        "can_acknowledge": bool(
            minutes
            and status == MinutesStatus.LOCKED
            and invitation
            and invitation.attended
            and not acknowledged
        ),
        "acknowledged": acknowledged,
        "today": timezone.localdate(),
    }
    return render(request, "councils/meeting.html", context)


@login_required
@require_POST
def meeting_rsvp(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    rsvp = request.POST.get("rsvp", "")
    return act(
        request,
        lambda: services.answer_invitation(actor=request.user, meeting=meeting, rsvp=rsvp),
        _("Your answer was recorded."),
        _meeting_url(meeting),
    )


@login_required
def meeting_check_in(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The page the QR code opens: the member confirms their presence (POST)."""
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    if request.method == "POST":
        return act(
            request,
            lambda: services.check_in(actor=request.user, meeting=meeting),
            _("You are checked in."),
            _meeting_url(meeting),
        )
    invitation = selectors.own_invitation(request.user, meeting)
    return render(request, "councils/check_in.html", {"meeting": meeting, "invitation": invitation})


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    try:
        present = [int(value) for value in request.POST.getlist("present")]
    except ValueError:
        present = [-1]
    return act(
        request,
        lambda: services.record_attendance(actor=request.user, meeting=meeting, present_member_ids=present),
        _("Attendance was recorded."),
        _meeting_url(meeting),
    )


@login_required
@require_POST
def meeting_status(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    if request.POST.get("action") == "cancel":
        reason = request.POST.get("reason", "")
        return act(
            request,
            lambda: services.cancel_meeting(actor=request.user, meeting=meeting, reason=reason),
            _("The meeting was cancelled."),
            _meeting_url(meeting),
        )
    return act(
        request,
        lambda: services.mark_meeting_held(actor=request.user, meeting=meeting),
        _("The meeting is recorded as held."),
        _meeting_url(meeting),
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    form = AgendaItemForm(request.POST, presenters=_people(meeting))

    def add() -> None:
        if not form.is_valid():
            raise ValidationError([str(m) for errors in form.errors.values() for m in errors])
        services.add_agenda_item(actor=request.user, meeting=meeting, **form.cleaned_data)

    return act(request, add, _("The agenda item was added."), _meeting_url(meeting))


def _agenda_item(request: HttpRequest, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("meeting__council").filter(pk=item_id).first()
    if item is None:
        raise Http404
    selectors.get_meeting_for_user(request.user, item.meeting_id)
    return item


@login_required
@require_POST
def agenda_attach(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _agenda_item(request, item_id)
    upload = request.FILES.get("file")

    def attach() -> None:
        if upload is None:
            raise ValidationError({"file": [_("Choose a file.")]})
        services.add_agenda_attachment(actor=request.user, item=item, upload=upload)

    return act(request, attach, _("The document was attached."), _meeting_url(item.meeting))


@login_required
@require_GET
def agenda_attachment_download(request: HttpRequest, item_id: int, attachment_id: int) -> FileResponse:
    item = _agenda_item(request, item_id)
    attachment = AgendaAttachment.objects.filter(pk=attachment_id, item=item).first()
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
def minutes_write(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    body = request.POST.get("body", "")
    return act(
        request,
        lambda: services.write_minutes(actor=request.user, meeting=meeting, body=body),
        _("A new version of the minutes was saved."),
        _meeting_url(meeting),
    )


MINUTES_ACTIONS = {
    "circulate": (services.circulate_minutes, gettext_lazy("The minutes were circulated for comments.")),
    "draft": (services.return_minutes_to_draft, gettext_lazy("The minutes are a draft again.")),
    "approve": (services.approve_minutes, gettext_lazy("The minutes were approved.")),
    "lock": (services.lock_minutes, gettext_lazy("The minutes are locked.")),
    "acknowledge": (services.acknowledge_minutes, gettext_lazy("You acknowledged the minutes.")),
}


@login_required
@require_POST
def minutes_action(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    minutes = selectors.minutes_of(meeting)
    action = MINUTES_ACTIONS.get(request.POST.get("action", ""))
    if minutes is None or action is None:
        raise Http404
    service, message = action
    return act(
        request, lambda: service(actor=request.user, minutes=minutes), str(message), _meeting_url(meeting)
    )


@login_required
@require_POST
def minutes_comment(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    minutes = selectors.minutes_of(meeting)
    if minutes is None:
        raise Http404
    form = MinutesCommentForm(request.POST, items=meeting.agenda_items.all())

    def comment() -> None:
        if not form.is_valid():
            raise ValidationError([str(m) for errors in form.errors.values() for m in errors])
        services.comment_on_minutes(actor=request.user, minutes=minutes, **form.cleaned_data)

    return act(request, comment, _("Your comment was added."), _meeting_url(meeting))


@login_required
@require_GET
def minutes_diff(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    minutes = selectors.minutes_of(meeting)
    if minutes is None:
        raise Http404
    try:
        first = int(request.GET.get("from", "1")[:9])
        second = int(request.GET.get("to", str(minutes.current_version))[:9])
    except ValueError as error:
        raise Http404 from error
    lines = selectors.diff_versions(minutes, first, second)
    return render(
        request,
        "councils/minutes_diff.html",
        {
            "meeting": meeting,
            "lines": lines,
            "first": first,
            "second": second,
            "versions": list(selectors.versions_of(minutes)),
        },
    )


@login_required
@require_GET
def meeting_pdf_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    response = HttpResponse(
        meeting_pdf(meeting, selectors.minutes_of(meeting)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="meeting-{meeting.pk}.pdf"'
    return response


@login_required
@require_POST
def action_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, meeting_id)
    form = ActionItemForm(request.POST, people=_people(meeting), organizations=_organizations(meeting))

    def add() -> None:
        if not form.is_valid():
            raise ValidationError([str(m) for errors in form.errors.values() for m in errors])
        services.add_action_item(actor=request.user, meeting=meeting, **form.cleaned_data)

    return act(request, add, _("The action item was added."), _meeting_url(meeting))


@login_required
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    item: ActionItem = selectors.get_action_item_for_user(request.user, action_id)
    status = request.POST.get("status", "")
    back = request.POST.get("next") or _meeting_url(item.meeting)
    if not back.startswith("/") or back.startswith("//"):
        back = _meeting_url(item.meeting)
    try:
        services.set_action_status(actor=request.user, item=item, status=status)
    except ValidationError as error:
        from django.contrib import messages

        for message in error_messages(error):
            messages.error(request, message)
    return redirect(back)
