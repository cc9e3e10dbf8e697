"""Writes of the partner registry (협력사): sign-up, profile, onboarding decisions, contacts, documents.

Every function: permission first (PermissionDenied with a message), then validation (ValidationError
with field errors), then the change and exactly one audit event in the same transaction; mail goes
out after commit (core.services.notify). Split by sub-domain; import from here.
"""

from sangsaeng.partners.services.contacts import add_contact, remove_contact, update_contact
from sangsaeng.partners.services.documents import delete_document, upload_document
from sangsaeng.partners.services.onboarding import (
    DECISION_ACTIONS,
    allowed_decisions,
    decide_partner,
    resubmit_partner,
)
from sangsaeng.partners.services.profile import (
    HOST_FIELDS,
    LOCKED_AFTER_APPROVAL,
    PROFILE_FIELDS,
    SIZE_INPUTS,
    duplicate_brn_message,
    set_partner_fields,
    sign_up_partner,
    update_partner,
)

__all__ = [
    "DECISION_ACTIONS",
    "HOST_FIELDS",
    "LOCKED_AFTER_APPROVAL",
    "PROFILE_FIELDS",
    "SIZE_INPUTS",
    "add_contact",
    "allowed_decisions",
    "decide_partner",
    "delete_document",
    "duplicate_brn_message",
    "remove_contact",
    "resubmit_partner",
    "set_partner_fields",
    "sign_up_partner",
    "update_contact",
    "update_partner",
    "upload_document",
]
