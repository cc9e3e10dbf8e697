"""Meetings (회의), invitations and attendance, minutes (회의록) and action items (후속 조치)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Membership, Organization, User
from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.core.uploads import DOCUMENT_KINDS, validate_upload
from sangsaeng.councils import permissions
from sangsaeng.councils.models import (
    ActionItem,
    ActionStatus,
    AgendaAttachment,
    AgendaItem,
    Council,
    CouncilMember,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesAcknowledgement,
    MinutesComment,
    MinutesStatus,
    MinutesVersion,
    Rsvp,
)
from sangsaeng.councils.services.councils import clean_text, require

# Self check-in (QR) is open from this long before the start until the end of the meeting.
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class AgendaSpec:
    title: str
    description: str = ""
    presenter: User | None = None


def meeting_url(meeting: Meeting) -> str:
    return reverse("councils:meeting", kwargs={"meeting_id": meeting.pk})


def _seat_users(council: Council) -> list[User]:
    return [
        seat.user
        for seat in CouncilMember.objects.filter(council=council, left_on__isnull=True).select_related("user")
    ]


def _validate_meeting(starts_at: dt.datetime, ends_at: dt.datetime, place: str, online_url: str) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The meeting must end after it starts.")]
    if not place and not online_url:
        errors["place"] = [_("Give a place or an online link.")]
    if errors:
        raise ValidationError(errors)


def schedule_meeting(
    *,
    actor: Any,
    council: Council,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    online_url: str = "",
    agenda: Sequence[AgendaSpec] = (),
) -> Meeting:
    """The secretariat schedules a meeting; every active member is invited and notified.
    Times are stored aware (entered in Seoul time). Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        require(
            permissions.is_secretariat(actor, council),
            _("Only the council's secretariat schedules meetings."),
        )
        place, online_url, title = clean_text(place), clean_text(online_url), clean_text(title)
        if not title:
            raise ValidationError({"title": [_("Enter a title.")]})
        _validate_meeting(starts_at, ends_at, place, online_url)
        meeting = Meeting(
            council=council,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            online_url=online_url,
            created_by=actor,
        )
        meeting.full_clean(exclude=["council", "created_by"])
        meeting.save()
        for order, spec in enumerate(agenda, start=1):
            _create_agenda_item(meeting, order, spec)
        seats = list(
            CouncilMember.objects.filter(council=council, left_on__isnull=True).select_related("user")
        )
        Invitation.objects.bulk_create([Invitation(meeting=meeting, member=seat) for seat in seats])
        audit.record(
            actor=actor,
            action="councils.schedule_meeting",
            target=meeting,
            changes={"title": [None, title], "starts_at": [None, starts_at], "invited": [None, len(seats)]},
        )
        notify(
            recipients=[seat.user for seat in seats],
            title=_("Invitation: %(title)s") % {"title": title},
            body=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
            url=meeting_url(meeting),
        )
        return meeting


def _create_agenda_item(meeting: Meeting, order: int, spec: AgendaSpec) -> AgendaItem:
    title = clean_text(spec.title)
    if not title:
        raise ValidationError({"agenda": [_("Each agenda item needs a title.")]})
    return AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        title=title,
        description=clean_text(spec.description),
        presenter=spec.presenter,
    )


def _require_open_meeting(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."), code="meeting_cancelled")


def add_agenda_item(
    *, actor: Any, meeting: Meeting, title: str, description: str = "", presenter: User | None = None
) -> AgendaItem:
    with transaction.atomic():
        require(permissions.is_secretariat(actor, meeting.council))
        _require_open_meeting(meeting)
        if (
            presenter is not None
            and not CouncilMember.objects.filter(
                council=meeting.council, user=presenter, left_on__isnull=True
            ).exists()
            and not Membership.objects.filter(
                user=presenter, organization=meeting.council.secretariat
            ).exists()
        ):
            raise ValidationError({"presenter": [_("The presenter must be a member or of the secretariat.")]})
        order = (meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0) + 1
        item = _create_agenda_item(meeting, order, AgendaSpec(title, description, presenter))
        audit.record(
            actor=actor, action="councils.add_agenda_item", target=item, changes={"title": [None, item.title]}
        )
        return item


def add_agenda_attachment(*, actor: Any, item: AgendaItem, upload: UploadedFile) -> AgendaAttachment:
    """A PDF/PNG/JPEG under an agenda item (checked by type, size and content). Secretariat or the
    item's presenter. Raises PermissionDenied, ValidationError (file)."""
    with transaction.atomic():
        council = item.meeting.council
        require(permissions.is_secretariat(actor, council) or item.presenter_id == actor.pk)
        try:
            kind = validate_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=settings.MAX_DOCUMENT_BYTES)
        except ValidationError as error:
            raise ValidationError({"file": error.error_list}) from error
        original_name = clean_text(os.path.basename(upload.name or ""))[:255]
        upload.name = f"{uuid.uuid4().hex}{os.path.splitext(original_name)[1].lower()}"
        attachment = AgendaAttachment(
            item=item,
            file=upload,
            original_name=original_name,
            content_type=kind.content_type,
            size_bytes=upload.size or 0,
            uploaded_by=actor,
        )
        attachment.save()
        audit.record(
            actor=actor,
            action="councils.add_agenda_attachment",
            target=attachment,
            changes={"item": [None, item.pk], "name": [None, original_name]},
        )
        return attachment


def _own_invitation(actor: Any, meeting: Meeting) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(meeting=meeting, member__user_id=actor.pk, member__left_on__isnull=True)
        .first()
    )
    if invitation is None:
        raise PermissionDenied(_("Only invited members may do this."))
    return invitation


def answer_invitation(*, actor: Any, meeting: Meeting, rsvp: str) -> Invitation:
    """The invited member answers (attending / declined) until the meeting starts."""
    with transaction.atomic():
        invitation = _own_invitation(actor, meeting)
        if rsvp not in (Rsvp.ATTENDING, Rsvp.DECLINED):
            raise ValidationError({"rsvp": [_("Answer attending or declined.")]})
        _require_open_meeting(meeting)
        if meeting.status != MeetingStatus.SCHEDULED or timezone.now() >= meeting.starts_at:
            raise ValidationError({"rsvp": [_("The meeting has started: answers are closed.")]})
        before = invitation.rsvp
        Invitation.objects.filter(pk=invitation.pk).update(rsvp=rsvp, answered_at=timezone.now())
        invitation.rsvp = rsvp
        audit.record(
            actor=actor,
            action="councils.answer_invitation",
            target=invitation,
            changes={"rsvp": [before, rsvp]},
            partner_organization_id=invitation.member.organization_id,
        )
        return invitation


def check_in(*, actor: Any, meeting: Meeting, now: dt.datetime | None = None) -> Invitation:
    """Self check-in on the day: the member scans the QR code shown in the room (it holds only the
    meeting's check-in address) and confirms while logged in. Open from an hour before the start until
    the end. Raises PermissionDenied (not invited), ValidationError (outside the window)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _own_invitation(actor, meeting)
        _require_open_meeting(meeting)
        if not (meeting.starts_at - CHECK_IN_OPENS_BEFORE <= now < meeting.ends_at):
            raise ValidationError(
                _("Check-in opens one hour before the start and closes at the end."), code="check_in_closed"
            )
        if invitation.attended:
            return invitation
        Invitation.objects.filter(pk=invitation.pk).update(attended=True, checked_in_at=now)
        invitation.attended, invitation.checked_in_at = True, now
        audit.record(
            actor=actor,
            action="councils.check_in",
            target=invitation,
            changes={"attended": [False, True]},
            partner_organization_id=invitation.member.organization_id,
        )
        return invitation


def record_attendance(*, actor: Any, meeting: Meeting, present_member_ids: Sequence[int]) -> int:
    """The secretariat takes attendance: exactly the given invited members are marked present.
    Returns how many are present. Raises PermissionDenied, ValidationError (unknown member)."""
    with transaction.atomic():
        require(permissions.is_secretariat(actor, meeting.council))
        _require_open_meeting(meeting)
        present = set(present_member_ids)
        invited = set(meeting.invitations.values_list("member_id", flat=True))
        if present - invited:
            raise ValidationError({"present": [_("Only invited members can be marked present.")]})
        before = set(meeting.invitations.filter(attended=True).values_list("member_id", flat=True))
        now = timezone.now()
        meeting.invitations.filter(member_id__in=present - before).update(attended=True, checked_in_at=now)
        meeting.invitations.exclude(member_id__in=present).update(attended=False, checked_in_at=None)
        audit.record(
            actor=actor,
            action="councils.record_attendance",
            target=meeting,
            changes={"present": [sorted(before), sorted(present)]},
        )
        return len(present)


def mark_meeting_held(*, actor: Any, meeting: Meeting) -> Meeting:
    with transaction.atomic():
        require(permissions.is_secretariat(actor, meeting.council))
        workflow.transition(meeting, MeetingStatus.HELD, actor=actor, action="councils.meeting_held")
        return meeting


def cancel_meeting(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    with transaction.atomic():
        require(permissions.is_secretariat(actor, meeting.council))
        workflow.transition(
            meeting, MeetingStatus.CANCELLED, actor=actor, reason=reason, action="councils.cancel_meeting"
        )
        notify(
            recipients=_seat_users(meeting.council),
            title=_("Cancelled: %(title)s") % {"title": meeting.title},
            body=clean_text(reason),
            url=meeting_url(meeting),
        )
        return meeting


# --- Minutes --------------------------------------------------------------------------------------------
def _locked_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__council").get(pk=minutes.pk)


def _refuse_if_locked(minutes: Minutes) -> None:
    if minutes.status == MinutesStatus.LOCKED:
        raise ValidationError(_("Locked minutes cannot change."), code="minutes_locked")


def write_minutes(*, actor: Any, meeting: Meeting, body: str) -> MinutesVersion:
    """The secretariat writes a new version of the minutes (every version is kept). Only while the
    minutes are a draft. Raises PermissionDenied, ValidationError (body; minutes_locked; not a draft)."""
    with transaction.atomic():
        require(
            permissions.is_secretariat(actor, meeting.council), _("Only the secretariat writes the minutes.")
        )
        body = clean_text(body)
        if not body:
            raise ValidationError({"body": [_("Write the minutes.")]})
        minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
        minutes = _locked_minutes(minutes)
        _refuse_if_locked(minutes)
        if minutes.status != MinutesStatus.DRAFT:
            raise ValidationError(
                _("Only draft minutes are edited: return them to draft first."), code="minutes_not_draft"
            )
        number = minutes.current_version + 1
        version = MinutesVersion.objects.create(minutes=minutes, number=number, body=body, written_by=actor)
        Minutes.objects.filter(pk=minutes.pk).update(current_version=number)
        minutes.current_version = number
        audit.record(
            actor=actor,
            action="councils.write_minutes",
            target=minutes,
            changes={"version": [number - 1 or None, number]},
        )
        return version


def circulate_minutes(*, actor: Any, minutes: Minutes) -> Minutes:
    """Draft → circulated: members comment per agenda item."""
    with transaction.atomic():
        minutes = _locked_minutes(minutes)
        require(permissions.is_secretariat(actor, minutes.meeting.council))
        _refuse_if_locked(minutes)
        if minutes.current_version == 0:
            raise ValidationError(_("Write the minutes before circulating them."), code="minutes_empty")
        workflow.transition(
            minutes, MinutesStatus.CIRCULATED, actor=actor, action="councils.circulate_minutes"
        )
        notify(
            recipients=_seat_users(minutes.meeting.council),
            title=_("Minutes circulated for comments: %(title)s") % {"title": minutes.meeting.title},
            url=meeting_url(minutes.meeting),
        )
        return minutes


def return_minutes_to_draft(*, actor: Any, minutes: Minutes, reason: str = "") -> Minutes:
    """Circulated or approved → draft, to work comments into a new version. Never from locked."""
    with transaction.atomic():
        minutes = _locked_minutes(minutes)
        require(
            permissions.is_secretariat(actor, minutes.meeting.council)
            or permissions.is_chair(actor, minutes.meeting.council)
        )
        _refuse_if_locked(minutes)
        workflow.transition(
            minutes,
            MinutesStatus.DRAFT,
            actor=actor,
            reason=reason,
            action="councils.minutes_to_draft",
            updates={"approved_by": None, "approved_at": None},
        )
        return minutes


def comment_on_minutes(*, actor: Any, minutes: Minutes, agenda_item: AgendaItem, body: str) -> MinutesComment:
    """A seat holder comments on one agenda item while the minutes are circulated."""
    with transaction.atomic():
        minutes = _locked_minutes(minutes)
        council = minutes.meeting.council
        require(permissions.can_take_part(actor, council), _("Only the council's members comment."))
        _refuse_if_locked(minutes)
        if minutes.status != MinutesStatus.CIRCULATED:
            raise ValidationError(
                _("Comments are taken while the minutes are circulated."), code="minutes_not_circulated"
            )
        if agenda_item.meeting_id != minutes.meeting_id:
            raise ValidationError({"agenda_item": [_("Choose an item of this meeting's agenda.")]})
        body = clean_text(body)
        if not body:
            raise ValidationError({"body": [_("Write a comment.")]})
        comment = MinutesComment.objects.create(
            minutes=minutes,
            agenda_item=agenda_item,
            version_number=minutes.current_version,
            author=actor,
            body=body,
        )
        audit.record(
            actor=actor,
            action="councils.comment_on_minutes",
            target=comment,
            changes={"agenda_item": [None, agenda_item.pk]},
        )
        return comment


def approve_minutes(*, actor: Any, minutes: Minutes) -> Minutes:
    """The chair approves circulated minutes. Raises PermissionDenied (not the chair), TransitionError."""
    with transaction.atomic():
        minutes = _locked_minutes(minutes)
        require(
            permissions.is_chair(actor, minutes.meeting.council),
            _("Only the council's chair approves the minutes."),
        )
        _refuse_if_locked(minutes)
        workflow.transition(
            minutes,
            MinutesStatus.APPROVED,
            actor=actor,
            action="councils.approve_minutes",
            updates={"approved_by": actor, "approved_at": timezone.now()},
        )
        return minutes


def lock_minutes(*, actor: Any, minutes: Minutes) -> Minutes:
    """Approved → locked (the secretariat or the chair). From then on nothing of the minutes changes:
    the services refuse and database triggers refuse updates and new versions. Attendees are asked to
    acknowledge them."""
    with transaction.atomic():
        minutes = _locked_minutes(minutes)
        council = minutes.meeting.council
        require(permissions.is_secretariat(actor, council) or permissions.is_chair(actor, council))
        workflow.transition(
            minutes,
            MinutesStatus.LOCKED,
            actor=actor,
            action="councils.lock_minutes",
            updates={"locked_at": timezone.now()},
        )
        attendees = [
            invitation.member.user
            for invitation in minutes.meeting.invitations.filter(attended=True).select_related("member__user")
        ]
        notify(
            recipients=attendees,
            title=_("Please acknowledge the minutes of %(title)s") % {"title": minutes.meeting.title},
            url=meeting_url(minutes.meeting),
        )
        return minutes


def acknowledge_minutes(*, actor: Any, minutes: Minutes) -> MinutesAcknowledgement:
    """An attendee acknowledges the locked minutes (once)."""
    with transaction.atomic():
        if minutes.status != MinutesStatus.LOCKED:
            raise ValidationError(
                _("Minutes are acknowledged once they are locked."), code="minutes_not_locked"
            )
        if not minutes.meeting.invitations.filter(member__user_id=actor.pk, attended=True).exists():
            raise PermissionDenied(_("Only attendees acknowledge the minutes."))
        acknowledgement, created = MinutesAcknowledgement.objects.get_or_create(minutes=minutes, user=actor)
        if created:
            audit.record(
                actor=actor,
                action="councils.acknowledge_minutes",
                target=minutes,
                changes={"acknowledged_by": [None, actor.pk]},
            )
        return acknowledgement


# --- Action items ------------------------------------------------------------------------------------
def add_action_item(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    due_on: dt.date,
    owner_user: User | None = None,
    owner_organization: Organization | None = None,
) -> ActionItem:
    """The secretariat records a follow-up with its owner (a person or an organisation of the council)."""
    with transaction.atomic():
        council = meeting.council
        require(permissions.is_secretariat(actor, council))
        title = clean_text(title)
        errors: dict[str, list[str]] = {}
        if not title:
            errors["title"] = [_("Enter a title.")]
        if owner_user is None and owner_organization is None:
            errors["owner_user"] = [_("Choose the owner: a person or an organisation.")]
        seats = CouncilMember.objects.filter(council=council, left_on__isnull=True)
        if owner_user is not None and not seats.filter(user=owner_user).exists():
            errors["owner_user"] = [_("The owner must sit on the council.")]
        if (
            owner_organization is not None
            and owner_organization.pk != council.secretariat_id
            and not seats.filter(organization=owner_organization).exists()
        ):
            errors["owner_organization"] = [_("The organisation must hold a seat on the council.")]
        if errors:
            raise ValidationError(errors)
        item = ActionItem.objects.create(
            meeting=meeting,
            council=council,
            title=title,
            due_on=due_on,
            owner_user=owner_user,
            owner_organization=owner_organization,
        )
        audit.record(
            actor=actor,
            action="councils.add_action_item",
            target=item,
            changes={"title": [None, title], "due_on": [None, due_on]},
            partner_organization_id=owner_organization.pk if owner_organization else None,
        )
        return item


def _owns(actor: Any, item: ActionItem) -> bool:
    if item.owner_user_id == actor.pk:
        return True
    from sangsaeng.accounts.selectors import organization_id_of

    return item.owner_organization_id is not None and item.owner_organization_id == organization_id_of(actor)


def set_action_status(*, actor: Any, item: ActionItem, status: str) -> ActionItem:
    """The owner or the secretariat marks a follow-up done (or reopens it); the secretariat cancels."""
    with transaction.atomic():
        allowed = permissions.is_secretariat(actor, item.council) or (
            _owns(actor, item) and status != ActionStatus.CANCELLED
        )
        require(allowed)
        workflow.transition(item, status, actor=actor, action="councils.set_action_status")
        return item


def _action_recipients(item: ActionItem) -> list[User]:
    if item.owner_user is not None:
        return [item.owner_user]
    return [
        membership.user
        for membership in Membership.objects.filter(
            organization=item.owner_organization, is_active=True
        ).select_related("user")
    ]


def remind_action_items(today: dt.date | None = None) -> int:
    """Scheduled job (SCHEDULED_JOBS "councils.remind_action_items", daily): remind owners of open action
    items `COUNCIL_ACTION_REMINDER_DAYS` days before the due date and on the due date, each once (a
    guarded UPDATE claims each reminder, so two schedulers never send it twice). Returns reminders sent."""
    today = today or timezone.localdate()
    days_before = int(getattr(settings, "COUNCIL_ACTION_REMINDER_DAYS", 3))
    sent = 0
    open_items = ActionItem.objects.filter(status=ActionStatus.OPEN).select_related(
        "owner_user", "owner_organization"
    )
    for item in open_items.filter(
        due_on=today + dt.timedelta(days=days_before), reminded_before_on__isnull=True
    ):
        with transaction.atomic():
            if ActionItem.objects.filter(pk=item.pk, reminded_before_on__isnull=True).update(
                reminded_before_on=today
            ):
                notify(
                    recipients=_action_recipients(item),
                    title=_("Action item due on %(date)s: %(title)s")
                    % {"date": item.due_on.isoformat(), "title": item.title},
                    url=reverse("councils:my_actions"),
                )
                sent += 1
    for item in open_items.filter(due_on=today, reminded_due_on__isnull=True):
        with transaction.atomic():
            if ActionItem.objects.filter(pk=item.pk, reminded_due_on__isnull=True).update(
                reminded_due_on=today
            ):
                notify(
                    recipients=_action_recipients(item),
                    title=_("Action item due today: %(title)s") % {"title": item.title},
                    url=reverse("councils:my_actions"),
                )
                sent += 1
    return sent
