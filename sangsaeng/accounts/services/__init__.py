"""Writes about people (구성원), organisations (조직), invitations (초대) and personal API tokens.

Each function is one state change: it checks the actor's permission (PermissionDenied), validates
(ValidationError with field errors), changes the rows, and writes one audit event in the same
transaction; e-mails leave only after commit. Split by sub-domain; import from here.
"""

from sangsaeng.accounts.services.account import change_password, reset_password, update_profile
from sangsaeng.accounts.services.invitations import (
    IssuedInvitation,
    accept_invitation,
    invite_member,
    revoke_invitation,
)
from sangsaeng.accounts.services.members import change_member_role, deactivate_member, reactivate_member
from sangsaeng.accounts.services.organizations import create_organization
from sangsaeng.accounts.services.tokens import (
    API_TOKEN_PREFIX,
    IssuedApiToken,
    create_api_token,
    revoke_api_token,
)

__all__ = [
    "API_TOKEN_PREFIX",
    "IssuedApiToken",
    "IssuedInvitation",
    "accept_invitation",
    "change_member_role",
    "change_password",
    "create_api_token",
    "create_organization",
    "deactivate_member",
    "invite_member",
    "reactivate_member",
    "reset_password",
    "revoke_api_token",
    "revoke_invitation",
    "update_profile",
]
