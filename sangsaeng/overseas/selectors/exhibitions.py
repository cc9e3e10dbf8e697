"""Reads of overseas exhibitions: the host sees everything; partner people see the exhibitions taking
applications and those their company applied to, and only their own applications, claims and
outcomes."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from sangsaeng.accounts.models import OrganizationKind
from sangsaeng.accounts.selectors import is_host, kind_of, organization_id_of
from sangsaeng.overseas.models import (
    ApplicationItem,
    ExchangeRate,
    Exhibition,
    ExhibitionApplication,
    ExhibitionStatus,
    ExpenseClaim,
)
from sangsaeng.overseas.selectors.common import get_or_404, visible_to


def _visible_exhibitions(user: Any) -> QuerySet[Exhibition]:
    queryset = Exhibition.objects.all()
    if is_host(user):
        return queryset
    own = organization_id_of(user)
    if kind_of(user) == OrganizationKind.PARTNER and own is not None:
        mine = ExhibitionApplication.objects.filter(partner__organization_id=own).values("exhibition_id")
        return queryset.filter(Q(status=ExhibitionStatus.OPEN) | Q(pk__in=mine))
    return queryset.none()


def exhibitions_for_user(user: Any, *, q: str = "", status: str = "") -> QuerySet[Exhibition]:
    queryset = _visible_exhibitions(user)
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(country__icontains=q))
    if status:
        queryset = queryset.filter(status=status)
    if is_host(user):
        queryset = queryset.annotate(application_count=Count("applications"))
    return queryset.order_by("-starts_on", "-id")


def get_exhibition_for_user(user: Any, exhibition_id: Any) -> Exhibition:
    return get_or_404(  # type: ignore[no-any-return]
        _visible_exhibitions(user).prefetch_related("support_items"), exhibition_id
    )


def applications_for_user(user: Any, exhibition: Exhibition | None = None) -> QuerySet[ExhibitionApplication]:
    queryset = ExhibitionApplication.objects.select_related("partner", "exhibition").prefetch_related("items")
    if exhibition is not None:
        queryset = queryset.filter(exhibition=exhibition)
    return visible_to(user, queryset)


def get_application_for_user(user: Any, application_id: Any) -> ExhibitionApplication:
    return get_or_404(  # type: ignore[no-any-return]
        visible_to(
            user,
            ExhibitionApplication.objects.select_related(
                "partner", "exhibition", "agreement_signed_by"
            ).prefetch_related(Prefetch("items", queryset=ApplicationItem.objects.order_by("kind"))),
        ),
        application_id,
    )


def claims_for_user(user: Any, application: ExhibitionApplication) -> QuerySet[ExpenseClaim]:
    return visible_to(
        user,
        ExpenseClaim.objects.filter(item__application=application).select_related("item"),
        "item__application__partner",
    )


def get_claim_for_user(user: Any, claim_id: Any) -> ExpenseClaim:
    return get_or_404(  # type: ignore[no-any-return]
        visible_to(
            user,
            ExpenseClaim.objects.select_related(
                "item__application__partner", "item__application__exhibition"
            ),
            "item__application__partner",
        ),
        claim_id,
    )


def exchange_rates(user: Any) -> QuerySet[ExchangeRate]:
    """Recorded rates (public reference data, not a partner's): the host and partner people."""
    if is_host(user) or kind_of(user) == OrganizationKind.PARTNER:
        return ExchangeRate.objects.order_by("currency", "-rate_date")
    return ExchangeRate.objects.none()
