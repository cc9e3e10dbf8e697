"""Cooperation areas and task discovery (협력 분야 선정 · 과제 발굴): proposals, discussion, selection
rounds with a quorum and a closing time, automatic recusal, secret ballots, published tallies, and the
hand-over of what was selected to the R&D fund and the 5G use-case pipeline."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.selectors import organization_id_of
from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.core.uploads import DOCUMENT_KINDS, validate_upload
from sangsaeng.councils import permissions
from sangsaeng.councils.models import (
    AreaStatus,
    Ballot,
    CooperationArea,
    Council,
    CouncilMember,
    Recusal,
    RecusalReason,
    RoundStatus,
    SelectionMethod,
    SelectionRound,
    TaskAttachment,
    TaskComment,
    TaskProposal,
    TaskStatus,
)
from sangsaeng.councils.selectors import required_for
from sangsaeng.councils.services.councils import clean_text, require


def task_url(task: TaskProposal) -> str:
    return reverse("councils:task", kwargs={"task_id": task.pk})


def add_area(*, actor: Any, council: Council, name: str, description: str = "") -> CooperationArea:
    """A cooperation area (협력 분야) under which members propose tasks; any seat holder or the secretariat."""
    with transaction.atomic():
        require(permissions.is_secretariat(actor, council) or permissions.can_take_part(actor, council))
        name = clean_text(name)
        if not name:
            raise ValidationError({"name": [_("Enter a name.")]})
        if CooperationArea.objects.filter(council=council, name=name).exists():
            raise ValidationError({"name": [_("This council already has an area of that name.")]})
        area = CooperationArea.objects.create(council=council, name=name, description=clean_text(description))
        audit.record(actor=actor, action="councils.add_area", target=area, changes={"name": [None, name]})
        return area


def propose_task(
    *,
    actor: Any,
    council: Council,
    area: CooperationArea,
    title: str,
    problem: str,
    expected_outcome: str,
    partners_needed: str = "",
    attachments: Sequence[UploadedFile] = (),
) -> TaskProposal:
    """A seat holder proposes a joint task for their organisation. Raises PermissionDenied,
    ValidationError (title, problem, expected_outcome, area, attachments)."""
    with transaction.atomic():
        seat = permissions.active_seat(actor, council)
        require(seat is not None, _("Only the council's members propose tasks."))
        assert seat is not None
        fields = {
            "title": clean_text(title),
            "problem": clean_text(problem),
            "expected_outcome": clean_text(expected_outcome),
        }
        errors: dict[str, list[Any]] = {
            name: [_("This field is required.")] for name, value in fields.items() if not value
        }
        if area.council_id != council.pk:
            errors["area"] = [_("Choose an area of this council.")]
        checked = []
        for upload in attachments:
            try:
                checked.append(
                    (
                        upload,
                        validate_upload(
                            upload, allowed=DOCUMENT_KINDS, max_bytes=settings.MAX_DOCUMENT_BYTES
                        ),
                    )
                )
            except ValidationError as error:
                errors.setdefault("attachments", []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        task = TaskProposal.objects.create(
            council=council,
            area=area,
            proposed_by=actor,
            organization_id=seat.organization_id,
            partners_needed=clean_text(partners_needed),
            **fields,
        )
        for upload, kind in checked:
            original_name = clean_text(os.path.basename(upload.name or ""))[:255]
            upload.name = f"{uuid.uuid4().hex}{os.path.splitext(original_name)[1].lower()}"
            TaskAttachment.objects.create(
                task=task,
                file=upload,
                original_name=original_name,
                content_type=kind.content_type,
                size_bytes=upload.size or 0,
                uploaded_by=actor,
            )
        audit.record(
            actor=actor,
            action="councils.propose_task",
            target=task,
            changes={"title": [None, task.title], "area": [None, area.pk]},
            partner_organization_id=seat.organization_id,
        )
        return task


def comment_on_task(*, actor: Any, task: TaskProposal, body: str) -> TaskComment:
    with transaction.atomic():
        require(
            permissions.can_take_part(actor, task.council) or permissions.is_secretariat(actor, task.council),
            _("Only the council's members discuss tasks."),
        )
        body = clean_text(body)
        if not body:
            raise ValidationError({"body": [_("Write a comment.")]})
        comment = TaskComment.objects.create(task=task, author=actor, body=body)
        audit.record(
            actor=actor, action="councils.comment_on_task", target=comment, changes={"task": [None, task.pk]}
        )
        return comment


# --- Selection rounds ---------------------------------------------------------------------------------
def open_round(
    *,
    actor: Any,
    council: Council,
    title: str,
    method: str,
    task_ids: Sequence[int],
    closes_at: dt.datetime,
    seats: int = 1,
    criteria: Sequence[str] = (),
    max_score: int = 5,
    quorum_percent: int | None = None,
) -> SelectionRound:
    """The secretariat opens a selection among proposed tasks. Members of each proposing organisation
    are recused from their own task at once (제척). The quorum defaults to the charter's.
    Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        require(
            permissions.is_secretariat(actor, council), _("Only the council's secretariat opens a selection.")
        )
        errors: dict[str, list[str]] = {}
        title = clean_text(title)
        if not title:
            errors["title"] = [_("Enter a title.")]
        if method not in SelectionMethod.values:
            errors["method"] = [_("Choose a rubric or a vote.")]
        criteria = [clean_text(c) for c in criteria if clean_text(c)]
        if method == SelectionMethod.RUBRIC and not criteria:
            errors["criteria"] = [_("A rubric needs at least one criterion.")]
        if not 1 <= max_score <= 100:
            errors["max_score"] = [_("Enter a maximum score from 1 to 100.")]
        if closes_at <= timezone.now():
            errors["closes_at"] = [_("The closing time must be in the future.")]
        tasks = list(
            TaskProposal.objects.filter(council=council, pk__in=task_ids, status=TaskStatus.PROPOSED)
        )
        if not tasks or len(tasks) != len(set(task_ids)):
            errors["task_ids"] = [_("Choose proposed tasks of this council.")]
        if seats < 1 or (tasks and seats > len(tasks)):
            errors["seats"] = [_("Select at least one task and no more than the candidates.")]
        quorum = council.quorum_percent if quorum_percent is None else quorum_percent
        if not 1 <= quorum <= 100:
            errors["quorum_percent"] = [_("Enter a quorum from 1 to 100 %.")]
        if errors:
            raise ValidationError(errors)
        members = list(CouncilMember.objects.filter(council=council, left_on__isnull=True))
        selection = SelectionRound.objects.create(
            council=council,
            title=title,
            method=method,
            criteria=criteria if method == SelectionMethod.RUBRIC else [],
            max_score=max_score,
            seats=seats,
            quorum_percent=quorum,
            closes_at=closes_at,
            eligible_count=len(members),
            created_by=actor,
        )
        selection.candidates.set(tasks)
        Recusal.objects.bulk_create(
            [
                Recusal(round=selection, task=task, member=member, reason=RecusalReason.OWN_ORGANIZATION)
                for task in tasks
                for member in members
                if member.organization_id == task.organization_id
            ]
        )
        audit.record(
            actor=actor,
            action="councils.open_round",
            target=selection,
            changes={
                "method": [None, method],
                "tasks": [None, sorted(t.pk for t in tasks)],
                "quorum_percent": [None, quorum],
            },
        )
        notify(
            recipients=[
                m.user
                for m in CouncilMember.objects.filter(pk__in=[m.pk for m in members]).select_related("user")
            ],
            title=_("Selection open until %(time)s: %(title)s")
            % {"time": timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M"), "title": title},
            url=reverse("councils:round", kwargs={"round_id": selection.pk}),
        )
        return selection


def _seat_for_round(actor: Any, selection: SelectionRound) -> CouncilMember:
    seat = permissions.active_seat(actor, selection.council)
    if seat is None:
        raise PermissionDenied(_("Only the council's members take part in a selection."))
    return seat


def _require_open(selection: SelectionRound, now: dt.datetime) -> None:
    if selection.status != RoundStatus.OPEN or now >= selection.closes_at:
        raise ValidationError(_("This selection is closed."), code="round_closed")


def declare_conflict(*, actor: Any, selection: SelectionRound, task: TaskProposal, note: str = "") -> Recusal:
    """A member declares a conflict of interest (회피) on a task: they are recused and may not vote on it
    (a ballot already cast on it is refused later too: declaring after voting is refused)."""
    now = timezone.now()
    with transaction.atomic():
        seat = _seat_for_round(actor, selection)
        _require_open(selection, now)
        if not selection.candidates.filter(pk=task.pk).exists():
            raise ValidationError({"task": [_("Choose a task of this selection.")]})
        if Ballot.objects.filter(round=selection, task=task, member=seat).exists():
            raise ValidationError(_("You already voted on this task."), code="already_voted")
        recusal, created = Recusal.objects.get_or_create(
            round=selection,
            task=task,
            member=seat,
            defaults={"reason": RecusalReason.DECLARED_CONFLICT, "note": clean_text(note)[:300]},
        )
        if created:
            audit.record(
                actor=actor,
                action="councils.declare_conflict",
                target=recusal,
                changes={"task": [None, task.pk]},
                partner_organization_id=seat.organization_id,
            )
        return recusal


def cast_ballot(
    *,
    actor: Any,
    selection: SelectionRound,
    task: TaskProposal,
    scores: Mapping[str, int] | None = None,
    approve: bool | None = None,
    now: dt.datetime | None = None,
) -> Ballot:
    """A seat holder's ballot on one task, once, before the closing time. Refused for a recused member
    (own organisation's task or a declared conflict). Rubric: a score from 0 to max_score for every
    criterion; vote: approve true or false. Raises PermissionDenied, ValidationError (recused,
    round_closed, already_voted, scores, approve)."""
    now = now or timezone.now()
    with transaction.atomic():
        seat = _seat_for_round(actor, selection)
        selection = SelectionRound.objects.select_for_update().get(pk=selection.pk)
        _require_open(selection, now)
        if not selection.candidates.filter(pk=task.pk).exists():
            raise ValidationError({"task": [_("Choose a task of this selection.")]})
        if Recusal.objects.filter(round=selection, task=task, member=seat).exists() or (
            task.organization_id == seat.organization_id
        ):
            raise ValidationError(
                _("You are recused from this task: your ballot is refused."), code="recused"
            )
        total = 0
        clean_scores: dict[str, int] = {}
        if selection.method == SelectionMethod.RUBRIC:
            given = dict(scores or {})
            if set(given) != set(selection.criteria) or any(
                not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= selection.max_score
                for v in given.values()
            ):
                raise ValidationError(
                    {"scores": [_("Score every criterion from 0 to %(max)s.") % {"max": selection.max_score}]}
                )
            clean_scores = {name: int(given[name]) for name in selection.criteria}
            total = sum(clean_scores.values())
            approve = None
        else:
            if approve is None:
                raise ValidationError({"approve": [_("Vote for or against.")]})
            total = 1 if approve else 0
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(
                    round=selection, task=task, member=seat, scores=clean_scores, approve=approve, total=total
                )
        except IntegrityError as error:
            raise ValidationError(_("You already voted on this task."), code="already_voted") from error
        # The audit trail keeps that a ballot was cast, not its content (secret ballot).
        audit.record(
            actor=actor,
            action="councils.cast_ballot",
            target=ballot,
            changes={"round": [None, selection.pk], "task": [None, task.pk]},
            partner_organization_id=seat.organization_id,
        )
        return ballot


def close_round(*, actor: Any, selection: SelectionRound, now: dt.datetime | None = None) -> SelectionRound:
    """After the closing time the secretariat publishes the result. Quorum: distinct voters at least
    quorum_percent of the members seated when the round opened (ceil). Without it the round fails and
    nothing is selected. Otherwise each task is ranked by its mean total (rubric) or its approvals
    (vote; a task needs more approvals than rejections); the best `seats` are selected, the other
    candidates not selected; the areas of selected tasks become selected. The tally is kept per task
    only. Raises PermissionDenied, ValidationError (round_still_open), TransitionError."""
    now = now or timezone.now()
    with transaction.atomic():
        selection = SelectionRound.objects.select_for_update().select_related("council").get(pk=selection.pk)
        require(permissions.is_secretariat(actor, selection.council))
        if selection.status == RoundStatus.OPEN and now < selection.closes_at:
            raise ValidationError(_("The selection closes at its closing time."), code="round_still_open")
        voters = selection.ballots.values("member_id").distinct().count()
        required = required_for(selection.eligible_count, selection.quorum_percent)
        rows: list[dict[str, Any]] = []
        for task in selection.candidates.order_by("pk"):
            ballots = list(selection.ballots.filter(task=task).values_list("total", "approve"))
            recused = selection.recusals.filter(task=task).count()
            if selection.method == SelectionMethod.RUBRIC:
                score = round(sum(t for t, _a in ballots) / len(ballots), 2) if ballots else 0.0
                passes = bool(ballots)
                approvals = rejections = 0
            else:
                approvals = sum(1 for _t, a in ballots if a)
                rejections = sum(1 for _t, a in ballots if a is False)
                score = float(approvals)
                passes = approvals > rejections
            rows.append(
                {
                    "task_id": task.pk,
                    "title": task.title,
                    "ballots": len(ballots),
                    "recused": recused,
                    "score": score,
                    "approvals": approvals,
                    "rejections": rejections,
                    "passes": passes,
                    "selected": False,
                }
            )
        quorum_met = voters >= required and voters > 0
        if quorum_met:
            ranked = sorted((r for r in rows if r["passes"]), key=lambda r: (-r["score"], r["task_id"]))
            chosen = {r["task_id"] for r in ranked[: selection.seats]}
            for row in rows:
                row["selected"] = row["task_id"] in chosen
        target = RoundStatus.PUBLISHED if quorum_met else RoundStatus.FAILED
        workflow.transition(
            selection,
            target,
            actor=actor,
            action="councils.close_round",
            updates={"tally": rows, "published_at": now},
            extra_changes={"voters": [None, voters], "required": [None, required]},
        )
        if quorum_met:
            for task in selection.candidates.select_related("area"):
                task_target = (
                    TaskStatus.SELECTED
                    if any(r["task_id"] == task.pk and r["selected"] for r in rows)
                    else TaskStatus.NOT_SELECTED
                )
                if task.status == TaskStatus.PROPOSED:
                    workflow.transition(task, task_target, actor=actor, action="councils.task_decided")
                if task_target == TaskStatus.SELECTED and task.area.status != AreaStatus.SELECTED:
                    CooperationArea.objects.filter(pk=task.area_id).update(status=AreaStatus.SELECTED)
                    audit.record(
                        actor=actor,
                        action="councils.area_selected",
                        target=task.area,
                        changes={"status": [AreaStatus.PROPOSED, AreaStatus.SELECTED]},
                    )
        notify(
            recipients=[
                m.user
                for m in CouncilMember.objects.filter(
                    council=selection.council, left_on__isnull=True
                ).select_related("user")
            ],
            title=_("Selection result published: %(title)s") % {"title": selection.title},
            url=reverse("councils:round", kwargs={"round_id": selection.pk}),
        )
        return selection


# --- Hand-over to the R&D fund and the use-case pipeline ----------------------------------------------
def hand_over_area_to_call(*, actor: Any, area: CooperationArea, call: Any) -> CooperationArea:
    """A selected area becomes a theme of an R&D call in one step (the call's theme list gains the
    area's name; the area links to the call and the call's page shows where the theme came from).
    The host's council managers only (they are the R&D fund's managers too). Raises PermissionDenied,
    ValidationError (not selected, already handed over, the call's rules)."""
    from sangsaeng.rnd.services.funds import update_call

    with transaction.atomic():
        require(
            permissions.is_council_manager(actor),
            _("Only the host's managers hand areas over to the R&D fund."),
        )
        area = CooperationArea.objects.select_for_update().get(pk=area.pk)
        if area.status != AreaStatus.SELECTED:
            raise ValidationError(
                _("Only a selected area becomes an R&D call theme."), code="area_not_selected"
            )
        if area.rnd_call_id is not None:
            raise ValidationError(_("This area is already a theme of an R&D call."), code="area_handed_over")
        if call.closes_at <= timezone.now():
            raise ValidationError({"call": [_("Choose a call that has not closed.")]})
        if area.name not in call.themes:
            update_call(actor=actor, call=call, themes=[*call.themes, area.name])
        CooperationArea.objects.filter(pk=area.pk).update(rnd_call=call, handed_over_at=timezone.now())
        area.rnd_call = call
        audit.record(
            actor=actor,
            action="councils.hand_over_area",
            target=area,
            changes={"rnd_call": [None, call.pk], "theme": [None, area.name]},
        )
        return area


def _require_proposing_partner(actor: Any, task: TaskProposal) -> None:
    if task.status != TaskStatus.SELECTED:
        raise ValidationError(_("Only a selected task is taken further."), code="task_not_selected")
    if organization_id_of(actor) != task.organization_id:
        raise PermissionDenied(_("Only the proposing partner takes its task further."))


def task_to_rnd_proposal(*, actor: Any, task: TaskProposal) -> Any:
    """The proposing partner turns its selected task into an R&D proposal draft under the call its area
    was handed over to, prefilled (theme, title, summary, objectives) and linked both ways."""
    from sangsaeng.rnd.services.proposals import create_proposal

    with transaction.atomic():
        task = (
            TaskProposal.objects.select_for_update(of=("self",))
            .select_related("area__rnd_call")
            .get(pk=task.pk)
        )
        _require_proposing_partner(actor, task)
        if task.rnd_proposal_id is not None:
            raise ValidationError(_("This task already has an R&D proposal."), code="already_linked")
        call = task.area.rnd_call
        if call is None:
            raise ValidationError(
                _("Its cooperation area has not been handed over to an R&D call yet."),
                code="area_not_handed_over",
            )
        proposal = create_proposal(
            actor=actor,
            call=call,
            theme=task.area.name,
            title=task.title,
            summary=task.problem,
            objectives=task.expected_outcome,
            team=task.partners_needed,
        )
        TaskProposal.objects.filter(pk=task.pk).update(rnd_proposal=proposal)
        task.rnd_proposal = proposal
        audit.record(
            actor=actor,
            action="councils.task_to_rnd_proposal",
            target=task,
            changes={"rnd_proposal": [None, proposal.pk]},
        )
        return proposal


def task_to_use_case(
    *, actor: Any, task: TaskProposal, industry: str, features: Sequence[str], nda_accepted: bool
) -> Any:
    """The proposing partner turns its selected task into a 5G use-case proposal, prefilled and linked
    (the partner still accepts the host's NDA, as on every intake)."""
    from sangsaeng.usecases.services import submit_use_case

    with transaction.atomic():
        task = TaskProposal.objects.select_for_update().get(pk=task.pk)
        _require_proposing_partner(actor, task)
        if task.use_case_id is not None:
            raise ValidationError(_("This task already has a use case."), code="already_linked")
        use_case = submit_use_case(
            actor=actor,
            title=task.title,
            industry=industry,
            features=features,
            description=task.problem,
            expected_customers=task.expected_outcome,
            nda_accepted=nda_accepted,
        )
        TaskProposal.objects.filter(pk=task.pk).update(use_case=use_case)
        task.use_case = use_case
        audit.record(
            actor=actor,
            action="councils.task_to_use_case",
            target=task,
            changes={"use_case": [None, use_case.pk]},
        )
        return use_case
