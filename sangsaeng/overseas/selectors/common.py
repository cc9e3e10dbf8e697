"""Reads shared by the overseas selectors: who sees which partner's records."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import is_host, kind_of, organization_id_of


def visible_to(user: Any, queryset: QuerySet[Any], partner_path: str = "partner") -> QuerySet[Any]:
    """The host sees every partner's records; a partner's people their own company's; others nothing."""
    if is_host(user):
        return queryset
    own = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and own is not None:
        return queryset.filter(**{f"{partner_path}__organization_id": own})
    return queryset.none()


def get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    from django.http import Http404

    found: Model | None = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
