"""Councils (협의체): members, join applications, meetings with minutes and action items, and task
discovery (과제 발굴) with secret, recused ballots. DOMAIN.md §1.

Workflows are declared as data next to their models (core.workflow). Locked minutes are guarded by
the services and by database triggers (migration 0002), like the audit trail.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CouncilKind(models.TextChoices):
    FUTURE_NETWORK = "future_network", _("Future network council (미래네트워크협의체)")
    GLOBAL_BUSINESS = "global_business", _("Global business council (글로벌사업협의체)")
    CORE_BUSINESS = "core_business", _("Core business council (핵심사업 협의체)")


class Council(models.Model):
    """A council run by a host secretariat (사무국). Its charter (회칙) sets the quorum (의결 정족수)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CouncilKind.choices)
    business_area = models.ForeignKey(
        "partners.CollaborationField",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="councils",
        verbose_name=_("business area"),
    )
    charter = models.TextField(_("charter"))
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percent of members)"), default=50)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    secretariat = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host secretariat"),
    )
    secretariat_unit = models.CharField(_("secretariat unit"), max_length=120, blank=True)
    is_listed = models.BooleanField(_("listed publicly"), default=True)
    accepts_applications = models.BooleanField(_("accepts applications"), default=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1) & Q(quorum_percent__lte=100), name="council_quorum_range"
            ),
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")), name="council_term_order"
            ),
        ]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class CouncilMember(models.Model):
    """A person sitting on a council for an organisation. Leaving keeps the row (left_on set)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["council", "left_on", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"], condition=Q(left_on__isnull=True), name="council_one_active_seat"
            ),
        ]
        indexes = [models.Index(fields=["user", "left_on"], name="council_member_user")]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self) -> str:
        return f"{self.council_id}: {self.user_id} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class JoinApplication(models.Model):
    """A partner's application to join a council (가입 신청), decided by the secretariat with a reason."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        ApplicationStatus.PENDING: (
            ApplicationStatus.APPROVED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        ),
        ApplicationStatus.APPROVED: (),
        ApplicationStatus.REJECTED: (),
        ApplicationStatus.WITHDRAWN: (),
    }
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}
    )

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="applications")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "organization"],
                condition=Q(status="pending"),
                name="council_one_pending_application",
            ),
        ]
        verbose_name = _("join application")
        verbose_name_plural = _("join applications")

    def __str__(self) -> str:
        return f"{self.council_id}: {self.organization_id}"


# --- Meetings ---------------------------------------------------------------------------------------
class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A council meeting (회의): Seoul time, a place or an online link. Closed to the council's members."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        MeetingStatus.SCHEDULED: (MeetingStatus.HELD, MeetingStatus.CANCELLED),
        MeetingStatus.HELD: (),
        MeetingStatus.CANCELLED: (),
    }
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset({MeetingStatus.CANCELLED})

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_time_order"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_url=""), name="meeting_place_or_link"),
        ]
        indexes = [models.Index(fields=["council", "-starts_at"], name="meeting_council_starts")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("presenter"),
    )

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class _Attachment(models.Model):
    """What every council document keeps beside its file (served only through access-checked views)."""

    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AgendaAttachment(_Attachment):
    """A document presented under an agenda item; served only through an access-checked view."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="councils/agenda/%Y/%m/")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("Not answered")
    ATTENDING = "attending", _("Attending")
    DECLINED = "declined", _("Declined")


class Invitation(models.Model):
    """A member's invitation to a meeting, the answer (참석 회신) and the attendance taken on the day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="invitations")
    rsvp = models.CharField(_("answer"), max_length=12, choices=Rsvp.choices, default=Rsvp.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="invitation_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comments")
    APPROVED = "approved", _("Approved by the chair")
    LOCKED = "locked", _("Locked")


class Minutes(models.Model):
    """The minutes (회의록) of one meeting. Every text is a MinutesVersion; locked minutes never change
    (services refuse, and database triggers refuse UPDATE of a locked row and new versions)."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        MinutesStatus.DRAFT: (MinutesStatus.CIRCULATED,),
        MinutesStatus.CIRCULATED: (MinutesStatus.DRAFT, MinutesStatus.APPROVED),
        MinutesStatus.APPROVED: (MinutesStatus.LOCKED, MinutesStatus.DRAFT),
        MinutesStatus.LOCKED: (),
    }
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = {
        (MinutesStatus.CIRCULATED, MinutesStatus.DRAFT): _("Comments are worked into a new version."),
        (MinutesStatus.APPROVED, MinutesStatus.DRAFT): _("The chair's approval is withdrawn before locking."),
    }

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    current_version = models.PositiveIntegerField(default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.current_version}"


class MinutesVersion(models.Model):
    """One version of the minutes' text, kept forever (append-only, guarded in the database)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(_("text"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["minutes", "number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_once")]

    def __str__(self) -> str:
        return f"v{self.number}"


class MinutesComment(models.Model):
    """A member's comment on an agenda item of circulated minutes (회람 의견)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    version_number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agenda_item__order", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.minutes_id}/{self.agenda_item_id}"


class MinutesAcknowledgement(models.Model):
    """An attendee's acknowledgement (확인) of the locked minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["minutes", "user"], name="minutes_acknowledged_once")]

    def __str__(self) -> str:
        return f"{self.minutes_id}: {self.user_id}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(models.Model):
    """A follow-up (후속 조치) from a meeting: owned by a person or an organisation, due on a date."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        ActionStatus.OPEN: (ActionStatus.DONE, ActionStatus.CANCELLED),
        ActionStatus.DONE: (ActionStatus.OPEN,),
        ActionStatus.CANCELLED: (),
    }
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = {
        (ActionStatus.DONE, ActionStatus.OPEN): _("Reopened when the follow-up turns out unfinished."),
    }

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("title"), max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_actions",
        verbose_name=_("owner (person)"),
    )
    owner_organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_actions",
        verbose_name=_("owner (organisation)"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | Q(owner_organization__isnull=False),
                name="action_item_has_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due"),
            models.Index(fields=["council", "status", "due_on"], name="action_council_due"),
            # "My action items" (the owner's home): a person's and their organisation's open items.
            models.Index(fields=["owner_user", "status", "due_on"], name="action_owner_user_due"),
            models.Index(fields=["owner_organization", "status", "due_on"], name="action_owner_org_due"),
        ]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title


# --- Task discovery (과제 발굴) ----------------------------------------------------------------------
class AreaStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SELECTED = "selected", _("Selected")


class CooperationArea(models.Model):
    """A cooperation area (협력 분야). Selected when a task in it is selected; a selected area becomes
    an R&D call theme in one step (rnd_call links the two; the call page shows where it came from)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AreaStatus.choices, default=AreaStatus.PROPOSED
    )
    rnd_call = models.ForeignKey(
        "rnd.Call",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_areas",
        verbose_name=_("R&D call"),
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="area_name_once")]
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class TaskProposal(models.Model):
    """A joint task (공동 과제) proposed by a member for the council to select."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        TaskStatus.PROPOSED: (TaskStatus.SELECTED, TaskStatus.NOT_SELECTED),
        TaskStatus.NOT_SELECTED: (TaskStatus.PROPOSED,),
        TaskStatus.SELECTED: (),
    }
    TRANSITION_NOTES: ClassVar[dict[tuple[str, str], object]] = {
        (TaskStatus.NOT_SELECTED, TaskStatus.PROPOSED): _("A task not selected may stand in a later round."),
    }

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(
        CooperationArea, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("cooperation area")
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    expected_outcome = models.TextField(_("expected outcome"))
    partners_needed = models.TextField(_("partners needed"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposing organisation"),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=TaskStatus.choices, default=TaskStatus.PROPOSED
    )
    use_case = models.ForeignKey(
        "usecases.UseCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="council_tasks"
    )
    rnd_proposal = models.ForeignKey(
        "rnd.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="council_tasks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["council", "-created_at"], name="task_council_created")]
        verbose_name = _("task proposal")
        verbose_name_plural = _("task proposals")

    def __str__(self) -> str:
        return self.title


class TaskAttachment(_Attachment):
    task = models.ForeignKey(TaskProposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="councils/tasks/%Y/%m/")


class TaskComment(models.Model):
    """Discussion of a proposed task among the council's members."""

    task = models.ForeignKey(TaskProposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.author_id}"


class SelectionMethod(models.TextChoices):
    RUBRIC = "rubric", _("Scored rubric")
    VOTE = "vote", _("Vote")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for ballots")
    PUBLISHED = "published", _("Results published")
    FAILED = "failed", _("No quorum")


class SelectionRound(models.Model):
    """A selection (선정) among proposed tasks: a rubric or a vote, a quorum and a closing time."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        RoundStatus.OPEN: (RoundStatus.PUBLISHED, RoundStatus.FAILED),
        RoundStatus.PUBLISHED: (),
        RoundStatus.FAILED: (),
    }

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=10, choices=SelectionMethod.choices)
    criteria = models.JSONField(_("rubric criteria"), default=list, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score per criterion"), default=5)
    seats = models.PositiveSmallIntegerField(_("tasks to select"), default=1)
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (percent of members)"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    candidates = models.ManyToManyField(TaskProposal, related_name="rounds")
    eligible_count = models.PositiveIntegerField(default=0)
    tally = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1) & Q(quorum_percent__lte=100), name="round_quorum_range"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="round_seats_positive"),
        ]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")

    def __str__(self) -> str:
        return self.title


class RecusalReason(models.TextChoices):
    OWN_ORGANIZATION = "own_organization", _("Member of the proposing organisation")
    DECLARED_CONFLICT = "declared_conflict", _("Declared conflict of interest")


class Recusal(models.Model):
    """A member who may not vote on a task in a round (제척·회피), recorded automatically."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="recusals")
    task = models.ForeignKey(TaskProposal, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="recusals")
    reason = models.CharField(_("reason"), max_length=20, choices=RecusalReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "task", "member"], name="recusal_once")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.task_id}: {self.member_id}"


class Ballot(models.Model):
    """One member's ballot on one task: scores per criterion (rubric) or approve (vote). Secret:
    only the voter and auditors read it; members see the published tally."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="ballots")
    task = models.ForeignKey(TaskProposal, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="ballots")
    scores = models.JSONField(default=dict, blank=True)
    approve = models.BooleanField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "task", "member"], name="ballot_once")]
        indexes = [models.Index(fields=["round", "task"], name="ballot_round_task")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.task_id}"
