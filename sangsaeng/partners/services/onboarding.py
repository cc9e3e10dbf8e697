"""Onboarding decisions on partner companies (심사): approve, reject, request changes, suspend, reinstate."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import workflow
from sangsaeng.partners import permissions
from sangsaeng.partners.models import (
    DECISION_RULES,
    DECISIONS_NEEDING_REASON,
    Partner,
    PartnerDecision,
    PartnerStatus,
    PartnerStatusChange,
)
from sangsaeng.partners.services.common import (
    host_deciders,
    notify_in_their_language,
    partner_owners,
    partner_url,
)

DECISION_ACTIONS: dict[str, str] = {
    PartnerDecision.APPROVE: "partners.approve_partner",
    PartnerDecision.REJECT: "partners.reject_partner",
    PartnerDecision.REQUEST_CHANGES: "partners.request_partner_changes",
    PartnerDecision.SUSPEND: "partners.suspend_partner",
    PartnerDecision.REINSTATE: "partners.reinstate_partner",
}


def allowed_decisions(partner: Partner) -> list[str]:
    """The decisions the workflow allows from the partner's current status."""
    return [
        decision
        for decision, (sources, target) in DECISION_RULES.items()
        if partner.status in sources and workflow.can_transition(partner, target)
    ]


def decide_partner(*, actor: User, partner: Partner, decision: str, reason: str = "") -> Partner:
    """The host's onboarding decision: approve, reject, request changes, suspend or reinstate.

    Only host administrators and programme managers decide, never on their own company (same
    organisation or the person who registered it). The decision must be allowed from the current
    status (Partner.TRANSITIONS); reject, request changes and suspend need a reason, which the
    partner sees. Writes the status timeline and the audit event; notifies the owners (in-app and
    e-mail after commit). Raises PermissionDenied or ValidationError.
    """
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not permissions.is_partner_decider(actor):
            raise PermissionDenied(_("Only host administrators and programme managers decide on partners."))
        if permissions.is_deciding_own_company(actor, partner):
            raise PermissionDenied(_("No one may decide on their own company."))
        if decision not in DECISION_RULES:
            raise ValidationError({"decision": _("Choose a valid decision.")})
        if decision not in allowed_decisions(partner):
            labels = ", ".join(str(PartnerDecision(d).label) for d in allowed_decisions(partner)) or "–"
            raise ValidationError(
                {
                    "decision": workflow.TransitionError(
                        _(
                            "A partner in status “%(status)s” cannot get “%(decision)s”. Allowed now: %(allowed)s."
                        )
                        % {
                            "status": partner.get_status_display(),
                            "decision": PartnerDecision(decision).label,
                            "allowed": labels,
                        },
                        source=partner.status,
                        target=DECISION_RULES[decision][1],
                    )
                }
            )
        reason = unicodedata.normalize("NFC", reason or "").strip()
        if decision in DECISIONS_NEEDING_REASON and not reason:
            raise ValidationError({"reason": _("Give a reason; the partner will see it.")})
        target = DECISION_RULES[decision][1]
        previous_status = partner.status
        updates: dict[str, object] = {"status_reason": reason}
        if target == PartnerStatus.APPROVED and partner.approved_at is None:
            updates["approved_at"] = timezone.now()
        workflow.transition(
            partner,
            target,
            actor=actor,
            reason=reason,
            action=DECISION_ACTIONS[decision],
            updates=updates,
            partner_organization_id=partner.organization_id,
        )
        PartnerStatusChange.objects.create(
            partner=partner, from_status=previous_status, to_status=target, reason=reason, actor=actor
        )

        def message() -> tuple[str, str]:
            status = partner.get_status_display()
            title = _("%(name)s: %(status)s") % {"name": partner.name_ko, "status": status}
            body = _("The host decided: %(status)s.") % {"status": status}
            if reason:
                body += "\n" + _("Reason: %(reason)s") % {"reason": reason}
            return title, body

        notify_in_their_language(partner_owners(partner), message, partner_url(partner))
    return partner


def resubmit_partner(*, actor: User, partner: Partner, note: str = "") -> Partner:
    """The owner sends the company back for review after a change request or a rejection.

    Raises PermissionDenied (not the owner) or ValidationError (status does not allow it).
    """
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not permissions.can_resubmit_partner(actor, partner):
            raise PermissionDenied(_("Only the company's owner can send it back for review."))
        workflow.check_transition(partner, PartnerStatus.PENDING)
        previous_status = partner.status
        note = unicodedata.normalize("NFC", note or "").strip()
        workflow.transition(
            partner,
            PartnerStatus.PENDING,
            actor=actor,
            action="partners.resubmit_partner",
            updates={"status_reason": ""},
            partner_organization_id=partner.organization_id,
        )
        PartnerStatusChange.objects.create(
            partner=partner,
            from_status=previous_status,
            to_status=PartnerStatus.PENDING,
            reason=note,
            actor=actor,
        )
        notify_in_their_language(
            host_deciders(),
            lambda: (
                _("Partner resubmitted: %(name)s") % {"name": partner.name_ko},
                _("%(name)s answered and waits for review.") % {"name": partner.name_ko},
            ),
            partner_url(partner),
        )
    return partner
