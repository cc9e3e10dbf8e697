"""Overseas exhibitions (해외 전시회): the global unit sets up the event and its support items with caps;
partners apply with the amounts they ask per item; the global unit scores and selects within the
exhibition's budget and booths; the selected partner signs the support agreement.

Selection commits money with one guarded UPDATE on the exhibition row
(`committed + x <= budget AND booths_taken < booths`) plus CHECK constraints, so concurrent approvals on
several app servers never over-commit the budget (DESIGN.md rule 3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit, dates, workflow
from sangsaeng.core.money import format_krw
from sangsaeng.overseas import permissions
from sangsaeng.overseas.models import (
    ApplicationItem,
    ApplicationStatus,
    Exhibition,
    ExhibitionApplication,
    ExhibitionStatus,
    SupportItem,
    SupportKind,
)
from sangsaeng.overseas.services.common import clean, partner_people, refuse, send


def application_url(application: ExhibitionApplication) -> str:
    return reverse("overseas:application_detail", kwargs={"application_id": application.pk})


def create_exhibition(
    *,
    actor: User,
    name: str,
    city: str,
    country: str,
    starts_on: dt.date,
    ends_on: dt.date,
    booths: int,
    budget_krw: int,
    application_deadline: dt.date,
    caps: Mapping[str, int],
) -> Exhibition:
    """An exhibition with its support items: `caps` maps a SupportKind to the most one partner may
    receive for it (items left out or at 0 are not supported). Raises PermissionDenied or
    ValidationError (field by field)."""
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    exhibition = Exhibition(
        name=clean(name),
        city=clean(city),
        country=clean(country),
        starts_on=starts_on,
        ends_on=ends_on,
        booths=booths,
        budget_krw=budget_krw,
        application_deadline=application_deadline,
        created_by=actor,
    )
    errors: dict[str, str] = {}
    try:
        exhibition.full_clean(validate_constraints=False)  # the constraints are checked below, by field
    except ValidationError as error:
        errors.update({name: " ".join(messages) for name, messages in error.message_dict.items()})
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    if application_deadline > starts_on:
        errors["application_deadline"] = _("Applications must close before the exhibition starts.")
    if booths < 1:
        errors["booths"] = _("At least one booth.")
    if budget_krw <= 0:
        errors["budget_krw"] = _("The budget must be more than 0.")
    items = {kind: int(cap) for kind, cap in caps.items() if cap}
    if any(kind not in SupportKind.values for kind in items):
        errors["caps"] = _("Unknown support item.")
    elif any(cap < 0 for cap in items.values()):
        errors["caps"] = _("A cap cannot be negative.")
    elif not items:
        errors["caps"] = _("Set a cap for at least one support item.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        exhibition.save()
        SupportItem.objects.bulk_create(
            SupportItem(exhibition=exhibition, kind=kind, cap_krw=cap) for kind, cap in sorted(items.items())
        )
        audit.record(
            actor=actor,
            action="overseas.create_exhibition",
            target=exhibition,
            changes={"budget_krw": [None, budget_krw], "booths": [None, booths], "caps": [None, items]},
        )
    return exhibition


def move_exhibition(*, actor: User, exhibition: Exhibition, to: str, reason: str = "") -> Exhibition:
    """Open → selection → completed (or cancelled), through the declared workflow."""
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    with transaction.atomic():
        workflow.transition(exhibition, to, actor=actor, reason=clean(reason))
    return exhibition


def apply_to_exhibition(
    *, actor: User, exhibition: Exhibition, exhibits: str, amounts: Mapping[str, int]
) -> ExhibitionApplication:
    """A partner's application with the amount it asks for each supported item (at most the item's
    cap), while the exhibition takes applications and before its deadline; once per partner."""
    from sangsaeng.partners.selectors import own_partner_for_user

    if not permissions.can_apply_to_exhibition(actor):
        raise refuse()
    if exhibition.status != ExhibitionStatus.OPEN or exhibition.application_deadline < dates.today():
        raise ValidationError(_("This exhibition no longer takes applications."), code="closed")
    caps = {item.kind: item.cap_krw for item in exhibition.support_items.all()}
    requested = {kind: int(amount) for kind, amount in amounts.items() if amount}
    errors: dict[str, str] = {}
    if not clean(exhibits):
        errors["exhibits"] = _("Say which products you will exhibit.")
    for kind, amount in requested.items():
        if kind not in caps:
            errors[kind] = _("This exhibition does not support this item.")
        elif amount < 0:
            errors[kind] = _("The amount cannot be negative.")
        elif amount > caps[kind]:
            errors[kind] = _("At most %(cap)s for this item.") % {"cap": format_krw(caps[kind])}
    if not requested and not errors:
        errors["amounts"] = _("Ask for at least one support item.")
    if errors:
        raise ValidationError(errors)
    partner = own_partner_for_user(actor)
    assert partner is not None
    try:
        with transaction.atomic():
            application = ExhibitionApplication.objects.create(
                exhibition=exhibition,
                partner=partner,
                submitted_by=actor,
                exhibits=clean(exhibits),
                requested_krw=sum(requested.values()),
            )
            ApplicationItem.objects.bulk_create(
                ApplicationItem(application=application, kind=kind, requested_krw=amount)
                for kind, amount in sorted(requested.items())
            )
            audit.record(
                actor=actor,
                action="overseas.apply_to_exhibition",
                target=application,
                changes={"requested": [None, requested]},
                partner_organization_id=partner.organization_id,
            )
    except IntegrityError:
        raise ValidationError(
            _("Your company already applied to this exhibition."), code="duplicate"
        ) from None
    return application


def score_application(
    *, actor: User, application: ExhibitionApplication, score: int, note: str = ""
) -> ExhibitionApplication:
    """The global unit's score (0–100) with its note; shown to the partner with the decision."""
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("A score from 0 to 100.")})
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(
            _("Only applications awaiting selection are scored."), code="invalid_transition"
        )
    with transaction.atomic():
        before = {"score": application.score, "score_note": application.score_note}
        ExhibitionApplication.objects.filter(pk=application.pk).update(score=score, score_note=clean(note))
        application.score, application.score_note = score, clean(note)
        audit.record(
            actor=actor,
            action="overseas.score_application",
            target=application,
            changes=audit.diff(before, {"score": score, "score_note": application.score_note}),
            partner_organization_id=application.partner.organization_id,
        )
    return application


def approve_application(*, actor: User, application: ExhibitionApplication) -> ExhibitionApplication:
    """Select an application: each item is approved at its requested amount (never above the item's
    cap), the total is committed against the exhibition's budget and one booth is allotted — with one
    guarded UPDATE, so that concurrent approvals never exceed either. Raises PermissionDenied,
    TransitionError (not awaiting selection) or ValidationError `budget_exceeded` / `no_booth`."""
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    with transaction.atomic():
        exhibition = application.exhibition
        if exhibition.status not in (ExhibitionStatus.OPEN, ExhibitionStatus.SELECTION):
            raise ValidationError(_("This exhibition is no longer selecting."), code="closed")
        caps = dict(SupportItem.objects.filter(exhibition=exhibition).values_list("kind", "cap_krw"))
        items = list(application.items.all())
        for item in items:
            item.approved_krw = min(item.requested_krw, caps.get(item.kind, 0))
        total = sum(item.approved_krw for item in items)
        # Claim the state first: of two approvals of the same application only one goes on.
        workflow.transition(
            application,
            ApplicationStatus.APPROVED,
            actor=actor,
            action="overseas.approve_application",
            updates={"approved_krw": total},
            partner_organization_id=application.partner.organization_id,
        )
        committed = Exhibition.objects.filter(
            pk=exhibition.pk,
            committed_krw__lte=F("budget_krw") - total,
            booths_taken__lt=F("booths"),
        ).update(committed_krw=F("committed_krw") + total, booths_taken=F("booths_taken") + 1)
        if not committed:
            current = Exhibition.objects.get(pk=exhibition.pk)
            if current.booths_taken >= current.booths:
                raise ValidationError(_("Every booth is already allotted."), code="no_booth")
            raise ValidationError(
                _("Not enough budget left: %(left)s remains, %(total)s is needed.")
                % {"left": format_krw(current.remaining_krw), "total": format_krw(total)},
                code="budget_exceeded",
            )
        ApplicationItem.objects.bulk_update(items, ["approved_krw"])
        send(
            partner_people(application.partner.organization_id),
            lambda: (
                _("Selected for %(exhibition)s") % {"exhibition": exhibition.name},
                _("Approved support: %(total)s. Sign the support agreement.") % {"total": format_krw(total)},
            ),
            application_url(application),
        )
    return application


def reject_application(
    *, actor: User, application: ExhibitionApplication, reason: str
) -> ExhibitionApplication:
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    with transaction.atomic():
        workflow.transition(
            application,
            ApplicationStatus.REJECTED,
            actor=actor,
            reason=clean(reason),
            action="overseas.reject_application",
            updates={"status_reason": clean(reason)},
            partner_organization_id=application.partner.organization_id,
        )
    return application


@dataclass
class SelectionResult:
    approved: list[ExhibitionApplication] = field(default_factory=list)
    not_fitting: list[tuple[ExhibitionApplication, str]] = field(default_factory=list)


def select_by_score(*, actor: User, exhibition: Exhibition) -> SelectionResult:
    """Approve the scored applications best first while the budget and booths allow; an application
    that does not fit is left awaiting a decision, with the reason (explained decisions)."""
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    result = SelectionResult()
    candidates = (
        ExhibitionApplication.objects.select_related("partner", "exhibition")
        .filter(exhibition=exhibition, status=ApplicationStatus.SUBMITTED, score__isnull=False)
        .order_by("-score", "created_at", "pk")
    )
    for application in candidates:
        try:
            result.approved.append(approve_application(actor=actor, application=application))
        except ValidationError as error:
            result.not_fitting.append((application, " ".join(error.messages)))
    return result


def agreement_text(application: ExhibitionApplication) -> str:
    lines = [
        _("Support agreement for %(exhibition)s, %(city)s, %(start)s – %(end)s.")
        % {
            "exhibition": application.exhibition.name,
            "city": application.exhibition.city,
            "start": application.exhibition.starts_on.isoformat(),
            "end": application.exhibition.ends_on.isoformat(),
        },
        _("The host pays the partner's receipted expenses up to these amounts:"),
    ]
    lines += [
        f"- {item.get_kind_display()}: {format_krw(item.approved_krw)}" for item in application.items.all()
    ]
    lines.append(
        _("The partner reports its meetings, MOUs, contracts and export amounts after the exhibition.")
    )
    return "\n".join(lines)


def sign_agreement(*, actor: User, application: ExhibitionApplication) -> ExhibitionApplication:
    """The selected partner's owner signs the support agreement (지원 협약); its text is kept as signed."""
    if not permissions.can_sign_agreement(actor, application.partner.organization_id):
        raise refuse()
    with transaction.atomic():
        workflow.transition(
            application,
            ApplicationStatus.AGREED,
            actor=actor,
            action="overseas.sign_agreement",
            updates={
                "agreement_text": agreement_text(application),
                "agreement_signed_by": actor,
                "agreement_signed_at": timezone.now(),
            },
            partner_organization_id=application.partner.organization_id,
        )
    return application


def withdraw_application(*, actor: User, application: ExhibitionApplication) -> ExhibitionApplication:
    """The applying partner withdraws an application still awaiting selection (no money is committed
    before selection, so nothing is released)."""
    if not permissions.can_claim_expenses(actor, application.partner.organization_id):
        raise refuse()
    with transaction.atomic():
        workflow.transition(
            application,
            ApplicationStatus.WITHDRAWN,
            actor=actor,
            action="overseas.withdraw_application",
            partner_organization_id=application.partner.organization_id,
        )
    return application
