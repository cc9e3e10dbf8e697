"""Editing a benefit-sharing task while it is a draft: its title, type, KPI, participants and contract
terms (the 1차 partner stays: a task for another partner is a new draft). After registration only an
amendment both parties accept changes the contract (services.sharing.propose_amendment).

Permission first (PermissionDenied), validation (ValidationError with field errors), the change and
exactly one audit event in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit
from sangsaeng.finance import permissions
from sangsaeng.finance.models import CONTRACT_FIELDS, SharingTask, TaskStatus, TaskType
from sangsaeng.finance.services.sharing import _text, clean_contract
from sangsaeng.partners.models import PartnerStatus

DETAIL_FIELDS = ("title", "task_type", "kpi_name", "kpi_baseline")
DRAFT_FIELDS = (*DETAIL_FIELDS, "participants", *CONTRACT_FIELDS)


def _snapshot(task: SharingTask) -> dict[str, Any]:
    return {
        "title": task.title,
        "task_type": task.task_type,
        "kpi_name": task.kpi_name,
        "kpi_baseline": str(task.kpi_baseline),
        "participants": sorted(p.pk for p in task.participants.all()),
        **task.contract(),
    }


def _clean_details(task: SharingTask, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any] | None]:
    errors: dict[str, list[ValidationError]] = {}
    details: dict[str, Any] = {}
    participants = None
    for name, value in values.items():
        if name in ("title", "kpi_name"):
            details[name] = _text(str(value or ""))
            if not details[name]:
                message = _("Give the task a title.") if name == "title" else _("Name the KPI.")
                errors.setdefault(name, []).append(ValidationError(message))
        elif name == "task_type":
            if value not in TaskType.values:
                errors.setdefault(name, []).append(ValidationError(_("Choose a task type.")))
            details[name] = value
        elif name == "kpi_baseline":
            try:
                details[name] = Decimal(str(value))
                if not details[name].is_finite():
                    raise InvalidOperation
            except (InvalidOperation, ValueError, TypeError):
                errors.setdefault(name, []).append(ValidationError(_("Enter a valid value.")))
        elif name == "participants":
            participants = list(value or [])
            if any(
                p.status != PartnerStatus.APPROVED or p.tier == 1 or p.pk == task.partner_id
                for p in participants
            ):
                errors.setdefault(name, []).append(
                    ValidationError(_("Participants are approved tier 2–4 partners."))
                )
    if errors:
        raise ValidationError(errors)
    return details, participants


def update_draft_task(*, actor: User, task: SharingTask, values: Mapping[str, Any]) -> SharingTask:
    """The host edits a draft: any of DRAFT_FIELDS (participants as Partner objects). Field errors
    of the details and of the contract come together. Raises PermissionDenied or ValidationError."""
    with transaction.atomic():
        task = SharingTask.objects.select_for_update().select_related("partner").get(pk=task.pk)
        if not permissions.can_manage_sharing(actor):
            raise PermissionDenied(_("Only host administrators and programme managers edit sharing tasks."))
        if task.status != TaskStatus.DRAFT:
            raise ValidationError(
                _("After registration the contract changes only by an accepted amendment."), code="locked"
            )
        unknown = [name for name in values if name not in DRAFT_FIELDS]
        errors: dict[str, list[ValidationError]] = {
            name: [ValidationError(_("This field cannot be changed here."))] for name in unknown
        }
        details: dict[str, Any] = {}
        participants = None
        terms: dict[str, Any] = {}
        try:
            details, participants = _clean_details(
                task, {k: v for k, v in values.items() if k in (*DETAIL_FIELDS, "participants")}
            )
        except ValidationError as error:
            error.update_error_dict(errors)  # type: ignore[arg-type]
        try:
            terms = clean_contract({k: v for k, v in values.items() if k in CONTRACT_FIELDS})
        except ValidationError as error:
            error.update_error_dict(errors)  # type: ignore[arg-type]
        if errors:
            raise ValidationError(errors)
        before = _snapshot(task)
        for name, value in {**details, **terms}.items():
            setattr(task, name, value)
        task.save()
        if participants is not None:
            task.participants.set(participants)
        changes = audit.diff(before, _snapshot(task))
        if changes:
            audit.record(
                actor=actor,
                action="finance.update_sharing_task",
                target=task,
                changes=changes,
                partner_organization_id=task.partner.organization_id,
            )
    return task
