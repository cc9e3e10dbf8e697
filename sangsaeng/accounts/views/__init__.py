"""Accounts pages, split by sub-domain: log-in and passwords, own account, members, invitations."""

from sangsaeng.accounts.views.account import profile, token_revoke, tokens
from sangsaeng.accounts.views.auth import (
    LoginView,
    PasswordChangeDoneView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    lockout_response,
)
from sangsaeng.accounts.views.invitations import invitation_accept
from sangsaeng.accounts.views.members import (
    invitation_create,
    invitation_revoke,
    member_deactivate,
    member_reactivate,
    member_role,
    members,
    organization_create,
)

__all__ = [
    "LoginView",
    "PasswordChangeDoneView",
    "PasswordChangeView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
    "PasswordResetView",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "lockout_response",
    "member_deactivate",
    "member_reactivate",
    "member_role",
    "members",
    "organization_create",
    "profile",
    "token_revoke",
    "tokens",
]
