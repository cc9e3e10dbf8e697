"""Display helpers of the partner pages."""

from __future__ import annotations

from django import template

from sangsaeng.partners.models import PartnerStatus

register = template.Library()

_STATUS_CLASSES = {
    PartnerStatus.PENDING: "text-bg-warning",
    PartnerStatus.CHANGES_REQUESTED: "text-bg-info",
    PartnerStatus.APPROVED: "text-bg-success",
    PartnerStatus.REJECTED: "text-bg-danger",
    PartnerStatus.SUSPENDED: "text-bg-secondary",
}


@register.filter
def status_badge_class(status: str) -> str:
    """Bootstrap badge class of a partner status (the text always says the status too)."""
    return _STATUS_CLASSES.get(status, "text-bg-light")
