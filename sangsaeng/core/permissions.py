"""Who may read the shared kernel's records: the audit trail and the personal-data access log."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.selectors import has_role, is_host, kind_of


def can_view_audit_trail(user: Any) -> bool:
    """Host administrators and auditors, and the agency's observers (동반성장위원회), who read evidence."""
    if is_host(user):
        return has_role(user, Role.ADMIN, Role.AUDITOR)
    return kind_of(user) == OrganizationKind.AGENCY and has_role(user, Role.OBSERVER)


def can_view_personal_data_log(user: Any) -> bool:
    """The PIPA access log is the host's internal record: host administrators and auditors only."""
    return is_host(user) and has_role(user, Role.ADMIN, Role.AUDITOR)


def can_export_audit_trail(user: Any) -> bool:
    """Whoever may read the trail may take it to Excel (the export is logged with its reason)."""
    return can_view_audit_trail(user)


def can_export_personal_data_log(user: Any) -> bool:
    return can_view_personal_data_log(user)


def sees_personal_data_unmasked(user: Any) -> bool:
    """Host administrators read personal data in the audit trail as recorded (core.privacy)."""
    return is_host(user) and has_role(user, Role.ADMIN)
