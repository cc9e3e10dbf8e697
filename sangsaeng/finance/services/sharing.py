"""Benefit sharing (성과공유제): tasks, their states, amendments agreed by both parties, outcome
measurements with computed payouts, and incentive points for confirmed tasks.

Every function: permission first (PermissionDenied), validation (ValidationError with field errors),
the change and exactly one audit event in one transaction.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit, dates, workflow
from sangsaeng.core.money import EOK
from sangsaeng.finance import permissions
from sangsaeng.finance.models import (
    CONTRACT_FIELDS,
    AmendmentStatus,
    IncentivePoint,
    IncentiveRule,
    SharingAmendment,
    SharingMeasurement,
    SharingMethod,
    SharingPayout,
    SharingProgramme,
    SharingTask,
    TaskStatus,
    TaskType,
)
from sangsaeng.partners.models import Partner, PartnerStatus

AMENDABLE_STATUSES = (TaskStatus.REGISTERED, TaskStatus.IN_PROGRESS, TaskStatus.OUTCOME_MEASURED)
NEEDS_REASON = (TaskStatus.REJECTED, TaskStatus.CANCELLED)


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _record(actor: User | None, action: str, task: SharingTask, changes: Mapping[str, Any]) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=task,
        changes=changes,
        partner_organization_id=task.partner.organization_id,
    )


def clean_contract(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate contract terms (goal, KPI target, period, methods, cash ratio); field errors at once."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in CONTRACT_FIELDS:
            errors.setdefault(name, []).append(ValidationError(_("This term cannot be changed here.")))
            continue
        try:
            if name == "goal":
                cleaned[name] = _text(str(value))
                if not cleaned[name]:
                    raise ValidationError(_("Describe the shared goal."))
            elif name == "kpi_target":
                cleaned[name] = Decimal(str(value))
            elif name == "measurement_months":
                cleaned[name] = int(value)
                if not 1 <= cleaned[name] <= 120:
                    raise ValidationError(_("Between 1 and 120 months."))
            elif name == "cash_ratio_percent":
                cleaned[name] = Decimal(str(value))
                if not 0 <= cleaned[name] <= 100:
                    raise ValidationError(_("Between 0 and 100 %."))
            else:
                methods = list(dict.fromkeys(value or []))
                if not methods or any(method not in SharingMethod.values for method in methods):
                    raise ValidationError(_("Choose one or more sharing methods."))
                cleaned[name] = methods
        except (InvalidOperation, ValueError, TypeError):
            errors.setdefault(name, []).append(ValidationError(_("Enter a valid value.")))
        except ValidationError as error:
            errors.setdefault(name, []).append(error)
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_task(
    *,
    actor: User,
    partner: Partner,
    title: str,
    task_type: str,
    kpi_name: str,
    kpi_baseline: Decimal,
    contract: Mapping[str, Any],
    participants: Iterable[Partner] = (),
) -> SharingTask:
    """The host drafts a task with an approved 1차 partner (2–4차 partners may take part).

    Raises PermissionDenied (not a host manager) or ValidationError.
    """
    with transaction.atomic():
        if not permissions.can_manage_sharing(actor):
            raise PermissionDenied(_("Only host administrators and programme managers set up sharing tasks."))
        errors: dict[str, list[ValidationError]] = {}
        try:
            terms = clean_contract({"measurement_months": 36, "cash_ratio_percent": 0, **contract})
        except ValidationError as error:
            error.update_error_dict(errors)  # type: ignore[arg-type]
            terms = {}
        if partner.status != PartnerStatus.APPROVED or partner.tier != 1:
            errors.setdefault("partner", []).append(ValidationError(_("Choose an approved tier-1 partner.")))
        others = list(participants)
        if any(p.status != PartnerStatus.APPROVED or p.tier == 1 or p.pk == partner.pk for p in others):
            errors.setdefault("participants", []).append(
                ValidationError(_("Participants are approved tier 2–4 partners."))
            )
        if task_type not in TaskType.values:
            errors.setdefault("task_type", []).append(ValidationError(_("Choose a task type.")))
        if not _text(title):
            errors.setdefault("title", []).append(ValidationError(_("Give the task a title.")))
        if not _text(kpi_name):
            errors.setdefault("kpi_name", []).append(ValidationError(_("Name the KPI.")))
        if not {"goal", "kpi_target", "methods"} <= set(terms) and not errors:
            errors.setdefault("goal", []).append(
                ValidationError(_("Goal, KPI target and methods are required."))
            )
        if errors:
            raise ValidationError(errors)
        task = SharingTask.objects.create(
            partner=partner,
            title=_text(title),
            task_type=task_type,
            kpi_name=_text(kpi_name),
            kpi_baseline=kpi_baseline,
            created_by=actor,
            **terms,
        )
        task.participants.set(others)
        _record(
            actor,
            "finance.create_sharing_task",
            task,
            {
                "title": [None, task.title],
                "partner": [None, partner.pk],
                **{k: [None, v] for k, v in task.contract().items()},
            },
        )
    return task


def update_draft(*, actor: User, task: SharingTask, contract: Mapping[str, Any]) -> SharingTask:
    """The host edits the contract of a draft (afterwards only an amendment changes it)."""
    with transaction.atomic():
        task = SharingTask.objects.select_for_update().select_related("partner").get(pk=task.pk)
        if not permissions.can_manage_sharing(actor):
            raise PermissionDenied(_("Only host administrators and programme managers edit sharing tasks."))
        if task.status != TaskStatus.DRAFT:
            raise ValidationError(
                _("After registration the contract changes only by an accepted amendment."), code="locked"
            )
        terms = clean_contract(contract)
        before = task.contract()
        for name, value in terms.items():
            setattr(task, name, value)
        task.save()
        _record(actor, "finance.update_sharing_task", task, audit.diff(before, task.contract()))
    return task


def _total_shared(task: SharingTask) -> int:
    return int(task.payouts.filter(settled_on__isnull=False).aggregate(total=Sum("amount_krw"))["total"] or 0)


def change_task_status(
    *, actor: User, task: SharingTask, target: str, reason: str = "", certificate_number: str = ""
) -> SharingTask:
    """Move a task along its states (SharingTask.TRANSITIONS), host managers only.

    Preconditions: outcome measured needs a measurement; shared needs every payout settled;
    confirmed needs the Foundation's confirmation number and awards the partner its incentive
    points; rejected and cancelled need a reason. Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        task = SharingTask.objects.select_for_update().select_related("partner").get(pk=task.pk)
        if not permissions.can_manage_sharing(actor):
            raise PermissionDenied(_("Only host administrators and programme managers change sharing tasks."))
        workflow.check_transition(task, target)
        reason, certificate_number = _text(reason), _text(certificate_number)
        if target in NEEDS_REASON and not reason:
            raise ValidationError({"reason": _("Give a reason; the partner will see it.")})
        if target == TaskStatus.OUTCOME_MEASURED and not task.measurements.exists():
            raise ValidationError(_("Record at least one outcome measurement first."), code="no_measurement")
        if target == TaskStatus.SHARED and (
            not task.payouts.exists() or task.payouts.filter(settled_on__isnull=True).exists()
        ):
            raise ValidationError(_("Every payout must be paid before the task is shared."), code="unsettled")
        if target == TaskStatus.CONFIRMED and not certificate_number:
            raise ValidationError({"certificate_number": _("Enter the Foundation's confirmation number.")})
        if target == TaskStatus.CANCELLED:
            for pending in task.amendments.filter(status=AmendmentStatus.PENDING):
                workflow.transition(
                    pending,
                    AmendmentStatus.DECLINED,
                    actor=actor,
                    action="finance.decline_sharing_amendment",
                    updates={"decided_by": actor, "decided_at": timezone.now()},
                    partner_organization_id=task.partner.organization_id,
                )
        updates: dict[str, Any] = {"status_reason": reason}
        if certificate_number:
            updates["certificate_number"] = certificate_number
        extra = {}
        if target == TaskStatus.CONFIRMED:
            extra["incentive_points"] = [None, _award_points(task, certificate_number)]
        workflow.transition(
            task,
            target,
            actor=actor,
            action=f"finance.sharing_{target}",
            updates=updates,
            partner_organization_id=task.partner.organization_id,
            extra_changes=extra,
        )
    return task


def _award_points(task: SharingTask, certificate_number: str) -> int:
    """Points for a confirmed task by the rule in force: per task plus per 1억 actually shared."""
    # Locked: a rule is not changed while it awards (services.sharing_rules.update_rule).
    rule = (
        IncentiveRule.objects.select_for_update()
        .filter(valid_from__lte=dates.today(), retired_at__isnull=True)
        .first()
    )
    if rule is None:
        return 0
    points = rule.points_per_task + rule.points_per_eok_shared * (_total_shared(task) // EOK)
    IncentivePoint.objects.create(
        partner=task.partner,
        task=task,
        rule=rule,
        points=points,
        reason=f"{certificate_number} {task.title}"[:200],
    )
    return points


def propose_amendment(
    *, actor: User, task: SharingTask, changes: Mapping[str, Any], reason: str
) -> SharingAmendment:
    """Either party proposes a change of a registered task's contract, with a reason; the other must accept.

    One pending amendment per task. Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        task = SharingTask.objects.select_for_update().select_related("partner").get(pk=task.pk)
        if not permissions.can_propose_amendment(actor, task):
            raise PermissionDenied(_("Only the task's parties propose amendments."))
        if task.status not in AMENDABLE_STATUSES:
            raise ValidationError(_("This task's contract can no longer be amended."), code="status")
        if task.amendments.filter(status=AmendmentStatus.PENDING).exists():
            raise ValidationError(_("An amendment is already waiting for an answer."), code="pending")
        reason = _text(reason)
        if not reason:
            raise ValidationError({"reason": _("Give a reason for the amendment.")})
        terms = clean_contract(changes)
        current = task.contract()
        proposed = {**current, **{k: (str(v) if isinstance(v, Decimal) else v) for k, v in terms.items()}}
        if proposed == current:
            raise ValidationError(_("The proposal changes nothing."), code="no_change")
        amendment = SharingAmendment.objects.create(
            task=task,
            proposed_by=actor,
            by_host=permissions.can_manage_sharing(actor),
            reason=reason,
            before=current,
            after=proposed,
        )
        _record(
            actor,
            "finance.propose_sharing_amendment",
            task,
            {"amendment": [None, amendment.pk], "after": proposed},
        )
    return amendment


def answer_amendment(*, actor: User, amendment: SharingAmendment, accept: bool) -> SharingAmendment:
    """The other party accepts (the contract takes the proposed version) or declines an amendment."""
    with transaction.atomic():
        amendment = (
            SharingAmendment.objects.select_for_update().select_related("task__partner").get(pk=amendment.pk)
        )
        task = SharingTask.objects.select_for_update().select_related("partner").get(pk=amendment.task_id)
        amendment.task = task
        if not permissions.can_answer_amendment(actor, amendment):
            raise PermissionDenied(_("Only the other party answers an amendment."))
        answer = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.DECLINED
        workflow.check_transition(amendment, answer)
        if accept and task.contract() != amendment.before:
            raise ValidationError(_("The contract changed since the proposal."), code="stale")
        workflow.transition(
            amendment,
            answer,
            actor=actor,
            action=f"finance.sharing_amendment_{answer}",
            updates={"decided_by": actor, "decided_at": timezone.now()},
            partner_organization_id=task.partner.organization_id,
        )
        changes: dict[str, Any] = {"amendment": amendment.pk, "answer": amendment.status}
        if accept:
            before = task.contract()
            for name, value in clean_contract(amendment.after).items():
                setattr(task, name, value)
            task.version += 1
            task.save()
            changes.update(audit.diff(before, task.contract()))
        _record(actor, "finance.answer_sharing_amendment", task, changes)
    return amendment


def payout_for(task: SharingTask, saving_krw: int) -> int:
    """Cash sharing: the saving × the agreed ratio, rounded down to the won (0 without cash sharing)."""
    if SharingMethod.CASH not in task.methods or saving_krw <= 0:
        return 0
    amount = Decimal(saving_krw) * task.cash_ratio_percent / 100
    return int(amount.to_integral_value(rounding=ROUND_DOWN))


def record_measurement(
    *,
    actor: User,
    task: SharingTask,
    period_start: dt.date,
    period_end: dt.date,
    kpi_value: Decimal,
    saving_krw: int,
    evidence: str,
) -> SharingMeasurement:
    """The host records an outcome for a period (with evidence); the payout is computed from the method.

    Only while the task is in progress. Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        task = SharingTask.objects.select_for_update().select_related("partner").get(pk=task.pk)
        if not permissions.can_manage_sharing(actor):
            raise PermissionDenied(_("Only host administrators and programme managers record outcomes."))
        errors: dict[str, list[ValidationError]] = {}
        if task.status != TaskStatus.IN_PROGRESS:
            errors["__all__"] = [ValidationError(_("Outcomes are recorded while the task is in progress."))]
        if period_end < period_start:
            errors["period_end"] = [ValidationError(_("The period ends before it starts."))]
        elif period_end > dates.today():
            errors["period_end"] = [ValidationError(_("An outcome is recorded after its period has ended."))]
        if saving_krw < 0:
            errors["saving_krw"] = [ValidationError(_("Enter the saving as zero or more."))]
        if not _text(evidence):
            errors["evidence"] = [ValidationError(_("Describe the evidence."))]
        if errors:
            raise ValidationError(errors)
        measurement = SharingMeasurement.objects.create(
            task=task,
            period_start=period_start,
            period_end=period_end,
            kpi_value=kpi_value,
            saving_krw=saving_krw,
            evidence=_text(evidence),
            recorded_by=actor,
        )
        payout = SharingPayout.objects.create(
            task=task, measurement=measurement, amount_krw=payout_for(task, saving_krw)
        )
        _record(
            actor,
            "finance.record_sharing_measurement",
            task,
            {
                "measurement": [None, measurement.pk],
                "saving_krw": [None, saving_krw],
                "payout_krw": [None, payout.amount_krw],
            },
        )
    return measurement


def settle_payout(*, actor: User, payout: SharingPayout, settled_on: dt.date) -> SharingPayout:
    """The host records that a payout was paid to the partner."""
    with transaction.atomic():
        payout = (
            SharingPayout.objects.select_for_update()
            .select_related("task__partner", "measurement")
            .get(pk=payout.pk)
        )
        if not permissions.can_manage_sharing(actor):
            raise PermissionDenied(_("Only host administrators and programme managers settle payouts."))
        if payout.settled_on is not None:
            raise ValidationError(_("This payout is already paid."), code="settled")
        if settled_on > dates.today():
            raise ValidationError({"settled_on": _("The date cannot be in the future.")})
        measured_until = payout.measurement.period_end
        if settled_on < measured_until:
            # A share is paid for a measured outcome: not before the measured period ends.
            raise ValidationError(
                {
                    "settled_on": _("The payment cannot be before the end of the measured period (%(date)s).")
                    % {"date": measured_until.isoformat()}
                }
            )
        payout.settled_on = settled_on
        payout.settled_by = actor
        payout.save(update_fields=["settled_on", "settled_by"])
        _record(
            actor,
            "finance.settle_sharing_payout",
            payout.task,
            {"payout": payout.pk, "settled_on": [None, settled_on], "amount_krw": payout.amount_krw},
        )
    return payout


PROGRAMME_FIELDS = ("plan_from", "plan_to", "plan_summary", "internal_rules", "dedicated_staff")


def save_programme(*, actor: User, values: Mapping[str, Any]) -> SharingProgramme:
    """The host's administrators record the benefit-sharing set-up (plan, rules, staff) of their company.

    Raises PermissionDenied (not a host administrator) or ValidationError (missing text, plan dates).
    """
    from sangsaeng.accounts.models import Role
    from sangsaeng.accounts.selectors import has_role, is_host, organization_id_of

    with transaction.atomic():
        if not (is_host(actor) and has_role(actor, Role.ADMIN)):
            raise PermissionDenied(_("Only host administrators record the benefit-sharing set-up."))
        host_id = organization_id_of(actor)
        if host_id is None:
            raise PermissionDenied(_("Only host administrators record the benefit-sharing set-up."))
        programme = SharingProgramme.objects.select_for_update().filter(host_id=host_id).first()
        before = audit.snapshot(programme, PROGRAMME_FIELDS) if programme else {}
        programme = programme or SharingProgramme(host_id=host_id)
        for name in PROGRAMME_FIELDS:
            if name in values:
                value = values[name]
                setattr(programme, name, _text(value) if isinstance(value, str) else value)
        start, end = getattr(programme, "plan_from", None), getattr(programme, "plan_to", None)
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
            raise ValidationError({"plan_to": _("The plan ends after it starts.")})
        programme.full_clean()
        programme.save()
        audit.record(
            actor=actor,
            action="finance.save_sharing_programme",
            target=programme,
            changes=audit.diff(before, audit.snapshot(programme, PROGRAMME_FIELDS)),
        )
    return programme
