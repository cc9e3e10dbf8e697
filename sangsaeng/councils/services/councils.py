"""Councils, their members and join applications (가입 신청)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, User
from sangsaeng.accounts.selectors import organization_of
from sangsaeng.core import audit, workflow
from sangsaeng.core.services import notify
from sangsaeng.councils import permissions
from sangsaeng.councils.models import (
    ApplicationStatus,
    Council,
    CouncilKind,
    CouncilMember,
    JoinApplication,
    MemberRole,
)

COUNCIL_FIELDS = (
    "name",
    "kind",
    "business_area",
    "charter",
    "quorum_percent",
    "term_start",
    "term_end",
    "secretariat_unit",
    "is_listed",
    "accepts_applications",
    "how_to_apply",
)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not do this in this council."))


def clean_text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def council_url(council: Council) -> str:
    return reverse("councils:detail", kwargs={"council_id": council.pk})


def _validate_council(council: Council) -> None:
    errors: dict[str, list[str]] = {}
    if council.kind == CouncilKind.CORE_BUSINESS and council.business_area_id is None:
        errors["business_area"] = [_("A core business council needs its business area.")]
    if council.term_start and council.term_end and council.term_end < council.term_start:
        errors["term_end"] = [_("The term cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    council.full_clean(exclude=["secretariat"])


def create_council(*, actor: Any, **fields: Any) -> Council:
    """A host manager creates a council; the actor's host organisation is its secretariat.
    Raises PermissionDenied, ValidationError."""
    with transaction.atomic():
        require(permissions.can_manage_council(actor), _("Only the host's council managers create councils."))
        unknown = set(fields) - set(COUNCIL_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        for name in ("name", "charter", "secretariat_unit", "how_to_apply"):
            if name in fields:
                fields[name] = clean_text(fields[name])
        secretariat = organization_of(actor)
        council = Council(secretariat=secretariat, **fields)
        _validate_council(council)
        council.save()
        audit.record(
            actor=actor,
            action="councils.create_council",
            target=council,
            changes={name: [None, value] for name, value in fields.items()},
        )
        return council


def update_council(*, actor: Any, council: Council, **fields: Any) -> Council:
    """The secretariat edits the charter, term, quorum and how to apply. Raises PermissionDenied,
    ValidationError."""
    with transaction.atomic():
        require(permissions.is_secretariat(actor, council))
        unknown = set(fields) - set(COUNCIL_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
        council = Council.objects.select_for_update().get(pk=council.pk)
        before = audit.snapshot(council, fields)
        for name, value in fields.items():
            setattr(council, name, clean_text(value) if isinstance(value, str) else value)
        _validate_council(council)
        council.save()
        audit.record(
            actor=actor,
            action="councils.update_council",
            target=council,
            changes=audit.diff(before, audit.snapshot(council, fields)),
        )
        return council


def _active_membership(user: User, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization, is_active=True).exists()


def add_member(
    *,
    actor: Any,
    council: Council,
    user: User,
    role: str = MemberRole.MEMBER,
    joined_on: dt.date | None = None,
) -> CouncilMember:
    """Seat a person for their organisation (the host's own people sit for the host). The secretariat
    only. Raises PermissionDenied, ValidationError (user: already seated or no organisation; role)."""
    with transaction.atomic():
        require(permissions.is_secretariat(actor, council))
        membership = (
            Membership.objects.filter(user=user, is_active=True).select_related("organization").first()
        )
        if membership is None or membership.organization.kind not in (
            OrganizationKind.HOST,
            OrganizationKind.PARTNER,
        ):
            raise ValidationError(
                {"user": [_("Only people of the host or of a partner company sit on councils.")]}
            )
        if role not in MemberRole.values:
            raise ValidationError({"role": [_("Choose a valid role.")]})
        if CouncilMember.objects.filter(council=council, user=user, left_on__isnull=True).exists():
            raise ValidationError({"user": [_("This person already sits on the council.")]})
        member = CouncilMember(
            council=council,
            organization=membership.organization,
            user=user,
            role=role,
            joined_on=joined_on or timezone.localdate(),
        )
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError as error:  # a concurrent seat of the same person
            raise ValidationError({"user": [_("This person already sits on the council.")]}) from error
        audit.record(
            actor=actor,
            action="councils.add_member",
            target=member,
            changes={
                "user": [None, user.pk],
                "role": [None, role],
                "organization": [None, membership.organization_id],
            },
            partner_organization_id=membership.organization_id,
        )
        permissions.forget_seats(user)
        notify(
            recipients=[user],
            title=_("You now sit on the council %(name)s.") % {"name": council.name},
            url=council_url(council),
        )
        return member


def change_member_role(*, actor: Any, member: CouncilMember, role: str) -> CouncilMember:
    with transaction.atomic():
        require(permissions.is_secretariat(actor, member.council))
        if role not in MemberRole.values:
            raise ValidationError({"role": [_("Choose a valid role.")]})
        if member.left_on is not None:
            raise ValidationError(_("This member has left the council."))
        before = member.role
        CouncilMember.objects.filter(pk=member.pk).update(role=role)
        member.role = role
        audit.record(
            actor=actor,
            action="councils.change_member_role",
            target=member,
            changes={"role": [before, role]},
            partner_organization_id=member.organization_id,
        )
        permissions.forget_seats(member.user)
        return member


def remove_member(*, actor: Any, member: CouncilMember, left_on: dt.date | None = None) -> CouncilMember:
    """The member leaves; the seat is kept with its leaving date."""
    with transaction.atomic():
        require(permissions.is_secretariat(actor, member.council))
        left = left_on or timezone.localdate()
        if left < member.joined_on:
            raise ValidationError({"left_on": [_("A member cannot leave before joining.")]})
        updated = CouncilMember.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=left)
        if not updated:
            raise ValidationError(_("This member has left the council."))
        member.left_on = left
        audit.record(
            actor=actor,
            action="councils.remove_member",
            target=member,
            changes={"left_on": [None, left]},
            partner_organization_id=member.organization_id,
        )
        permissions.forget_seats(member.user)
        return member


def apply_to_join(*, actor: Any, council: Council, motivation: str) -> JoinApplication:
    """A partner owner applies for the company. Raises PermissionDenied, ValidationError (motivation;
    an application already pending)."""
    with transaction.atomic():
        require(
            permissions.can_apply_to_join(actor, council),
            _(
                "Only owners of a partner company without a seat may apply while the council takes applications."
            ),
        )
        motivation = clean_text(motivation)
        if not motivation:
            raise ValidationError({"motivation": [_("Say why your company wants to join.")]})
        organization = organization_of(actor)
        if JoinApplication.objects.filter(
            council=council, organization=organization, status=ApplicationStatus.PENDING
        ).exists():
            raise ValidationError(_("Your company's application is already waiting for a decision."))
        application = JoinApplication(
            council=council, organization=organization, applicant=actor, motivation=motivation
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Your company's application is already waiting for a decision.")
            ) from error
        audit.record(
            actor=actor,
            action="councils.apply_to_join",
            target=application,
            changes={"council": [None, council.pk]},
            partner_organization_id=application.organization_id,
        )
        managers = [
            seat.user
            for seat in CouncilMember.objects.filter(
                council=council, role=MemberRole.SECRETARY, left_on__isnull=True
            ).select_related("user")
        ]
        notify(
            recipients=managers,
            title=_("New application to join %(name)s") % {"name": council.name},
            url=council_url(council),
        )
        return application


def decide_application(
    *, actor: Any, application: JoinApplication, approve: bool, reason: str
) -> JoinApplication:
    """The secretariat approves (the applicant gets a seat) or rejects, always with a reason.
    Raises PermissionDenied, TransitionError, ValidationError (reason)."""
    with transaction.atomic():
        require(permissions.is_secretariat(actor, application.council))
        target = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
        now = timezone.now()
        workflow.transition(
            application,
            target,
            actor=actor,
            reason=reason,
            action="councils.decide_application",
            updates={"decision_reason": clean_text(reason), "decided_by": actor, "decided_at": now},
            partner_organization_id=application.organization_id,
        )
        if (
            approve
            and not CouncilMember.objects.filter(
                council=application.council, user=application.applicant, left_on__isnull=True
            ).exists()
        ):
            add_member(actor=actor, council=application.council, user=application.applicant)
        notify(
            recipients=[application.applicant],
            title=(
                _("Your application to %(name)s was approved.")
                if approve
                else _("Your application to %(name)s was not approved.")
            )
            % {"name": application.council.name},
            body=clean_text(reason),
            url=council_url(application.council),
        )
        return application


def withdraw_application(*, actor: Any, application: JoinApplication) -> JoinApplication:
    with transaction.atomic():
        require(application.applicant_id == actor.pk, _("Only the applicant may withdraw the application."))
        workflow.transition(
            application,
            ApplicationStatus.WITHDRAWN,
            actor=actor,
            action="councils.withdraw_application",
            partner_organization_id=application.organization_id,
        )
        return application
