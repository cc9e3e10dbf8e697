"""Expense claims (비용 청구) with receipts, paid up to the approved amount of each support item.

A payment adds to the item's `paid_krw` with one guarded UPDATE (`paid + x <= approved`) and a CHECK
constraint, so two payments racing never pay more than the cap. The API's pay call takes an
Idempotency-Key (core.idempotency, the one mechanism for every money move)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core import audit, workflow
from sangsaeng.core.money import format_krw
from sangsaeng.core.uploads import DOCUMENT_KINDS, validate_upload
from sangsaeng.overseas import permissions
from sangsaeng.overseas.models import (
    ApplicationItem,
    ApplicationStatus,
    ClaimStatus,
    ExhibitionApplication,
    ExpenseClaim,
)
from sangsaeng.overseas.services.common import clean, partner_people, refuse, send
from sangsaeng.overseas.services.exhibitions import application_url

RECEIPT_MAX_BYTES = 10 * 1024 * 1024


def submit_claim(
    *,
    actor: User,
    application: ExhibitionApplication,
    kind: str,
    amount_krw: int,
    receipt: UploadedFile | None,
) -> ExpenseClaim:
    """A claim for one approved item with its receipt (PDF, PNG or JPEG, checked by content), after
    the agreement is signed; at most what is still unpaid of the item's approved amount."""
    if not permissions.can_claim_expenses(actor, application.partner.organization_id):
        raise refuse()
    if application.status != ApplicationStatus.AGREED:
        raise ValidationError(
            _("Claims are possible once the support agreement is signed."), code="no_agreement"
        )
    item = ApplicationItem.objects.filter(application=application, kind=kind, approved_krw__gt=0).first()
    if item is None:
        raise ValidationError({"kind": _("This item was not approved for your company.")})
    errors: dict[str, str] = {}
    left = item.approved_krw - item.paid_krw
    if amount_krw <= 0:
        errors["amount_krw"] = _("The amount must be more than 0.")
    elif amount_krw > left:
        errors["amount_krw"] = _("At most %(left)s is left for this item.") % {"left": format_krw(left)}
    if receipt is None:
        errors["receipt"] = _("Attach the receipt.")
    else:
        try:
            validate_upload(receipt, allowed=DOCUMENT_KINDS, max_bytes=RECEIPT_MAX_BYTES)
        except ValidationError as error:
            errors["receipt"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    assert receipt is not None
    with transaction.atomic():
        claim = ExpenseClaim(
            item=item, amount_krw=amount_krw, claimed_by=actor, receipt_name=(receipt.name or "receipt")[:200]
        )
        claim.receipt.save(receipt.name or "receipt", receipt, save=False)
        claim.save()
        audit.record(
            actor=actor,
            action="overseas.submit_claim",
            target=claim,
            changes={"item": [None, kind], "amount_krw": [None, amount_krw]},
            partner_organization_id=application.partner.organization_id,
        )
    return claim


def pay_claim(*, actor: User, claim: ExpenseClaim) -> ExpenseClaim:
    """Pay a claim: the claimed amount, or what is left of the item's approved cap when that is less.
    Raises PermissionDenied, TransitionError (already decided) or ValidationError `cap_reached`."""
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    with transaction.atomic():
        item = ApplicationItem.objects.select_for_update().select_related("application").get(pk=claim.item_id)
        amount = min(claim.amount_krw, item.approved_krw - item.paid_krw)
        if amount <= 0:
            raise ValidationError(_("The approved amount of this item is fully paid."), code="cap_reached")
        workflow.transition(
            claim,
            ClaimStatus.PAID,
            actor=actor,
            action="overseas.pay_claim",
            updates={"paid_krw": amount, "decided_by": actor, "decided_at": timezone.now()},
            partner_organization_id=item.application.partner.organization_id,
        )
        paid = ApplicationItem.objects.filter(pk=item.pk, paid_krw__lte=F("approved_krw") - amount).update(
            paid_krw=F("paid_krw") + amount
        )
        if not paid:
            raise ValidationError(_("The approved amount of this item is fully paid."), code="cap_reached")
        ExhibitionApplication.objects.filter(pk=item.application_id).update(paid_krw=F("paid_krw") + amount)
        send(
            partner_people(item.application.partner.organization_id),
            lambda: (
                _("Expense claim paid"),
                _("%(amount)s was paid for %(item)s.")
                % {"amount": format_krw(amount), "item": item.get_kind_display()},
            ),
            application_url(item.application),
        )
    return claim


def reject_claim(*, actor: User, claim: ExpenseClaim, reason: str) -> ExpenseClaim:
    if not permissions.can_manage_exhibitions(actor):
        raise refuse()
    with transaction.atomic():
        workflow.transition(
            claim,
            ClaimStatus.REJECTED,
            actor=actor,
            reason=clean(reason),
            action="overseas.reject_claim",
            updates={"status_reason": clean(reason), "decided_by": actor, "decided_at": timezone.now()},
            partner_organization_id=claim.item.application.partner.organization_id,
        )
    return claim
