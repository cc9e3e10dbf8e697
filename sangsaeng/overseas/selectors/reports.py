"""Reports of overseas expansion: one partner's overseas record, and the host's report per exhibition
and per year. Each is a fixed number of queries whatever the data size (grouped in the database)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from sangsaeng.overseas import permissions
from sangsaeng.overseas.models import (
    ApplicationStatus,
    Exhibition,
    ExhibitionApplication,
    ExportRecord,
    OpportunityInterest,
    OverseasProposal,
)
from sangsaeng.overseas.selectors.common import visible_to
from sangsaeng.partners.models import Partner

SUPPORTED = (ApplicationStatus.APPROVED, ApplicationStatus.AGREED)


def _require_host(user: Any) -> None:
    if not permissions.can_view_host_side(user):
        raise PermissionDenied


# --- One partner's record -----------------------------------------------------------------------------------


@dataclass
class PartnerRecord:
    partner: Partner
    applications: list[ExhibitionApplication]
    interests: list[OpportunityInterest]
    proposals: list[OverseasProposal]
    exports: list[dict[str, Any]]  # {year, country, amount_krw, records}
    exports_by_year: list[dict[str, Any]]  # {year, amount_krw}


def partner_record(user: Any, partner: Partner) -> PartnerRecord:
    """Exhibitions joined, opportunities, proposals and export amounts by year and country. The caller
    fetched `partner` through a selector that the user may see (own company, or any for the host)."""
    applications = list(
        visible_to(user, ExhibitionApplication.objects.filter(partner=partner))
        .select_related("exhibition", "outcome")
        .order_by("-exhibition__starts_on", "-pk")
    )
    interests = list(
        visible_to(user, OpportunityInterest.objects.filter(partner=partner))
        .select_related("opportunity")
        .order_by("-created_at")
    )
    proposals = list(
        visible_to(user, OverseasProposal.objects.filter(partner=partner)).select_related("partner")
    )
    exports = list(
        visible_to(user, ExportRecord.objects.filter(partner=partner))
        .values("year", "country")
        .annotate(amount_krw=Sum("amount_krw"), records=Count("pk"))
        .order_by("-year", "-amount_krw", "country")
    )
    by_year: dict[int, int] = defaultdict(int)
    for row in exports:
        by_year[row["year"]] += row["amount_krw"]
    return PartnerRecord(
        partner=partner,
        applications=applications,
        interests=interests,
        proposals=proposals,
        exports=exports,
        exports_by_year=[{"year": year, "amount_krw": total} for year, total in sorted(by_year.items())],
    )


# --- Host report per exhibition -----------------------------------------------------------------------------


@dataclass
class ExhibitionReport:
    exhibition: Exhibition
    rows: list[ExhibitionApplication]
    totals: dict[str, int] = field(default_factory=dict)


def _with_outcomes(queryset: QuerySet[ExhibitionApplication]) -> QuerySet[ExhibitionApplication]:
    return queryset.select_related("partner", "outcome").annotate(
        exports_krw=Coalesce(Sum("exports__amount_krw"), 0)
    )


def exhibition_report(user: Any, exhibition: Exhibition) -> ExhibitionReport:
    """Every application with its money and outcomes, supported ones first (host only)."""
    _require_host(user)
    rows = list(
        _with_outcomes(ExhibitionApplication.objects.filter(exhibition=exhibition)).order_by(
            "status", "-score", "pk"
        )
    )
    supported = [row for row in rows if row.status in SUPPORTED]
    totals = {
        "applications": len(rows),
        "supported": len(supported),
        "requested_krw": sum(row.requested_krw for row in rows),
        "approved_krw": sum(row.approved_krw for row in supported),
        "paid_krw": sum(row.paid_krw for row in supported),
        "meetings_held": sum(row.outcome.meetings_held for row in supported if _has_outcome(row)),
        "mous": sum(row.outcome.mous for row in supported if _has_outcome(row)),
        "contracts": sum(row.outcome.contracts for row in supported if _has_outcome(row)),
        "exports_krw": sum(row.exports_krw for row in rows),  # type: ignore[attr-defined]
    }
    return ExhibitionReport(exhibition=exhibition, rows=rows, totals=totals)


def _has_outcome(application: ExhibitionApplication) -> bool:
    try:
        application.outcome  # noqa: B018  (select_related: no query)
    except ExhibitionApplication.outcome.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return False
    return True


def outcome_of(application: ExhibitionApplication) -> tuple[int, int, int]:
    if not _has_outcome(application):
        return (0, 0, 0)
    outcome = application.outcome
    return (outcome.meetings_held, outcome.mous, outcome.contracts)


# --- Host report per year -----------------------------------------------------------------------------------


@dataclass
class YearReport:
    year: int
    exhibitions: list[dict[str, Any]]
    exports_by_country: list[dict[str, Any]]
    totals: dict[str, int]


def year_report(user: Any, year: int) -> YearReport:
    """Exhibitions that started in `year` with their money and outcomes, and the year's export amounts
    by country (host only)."""
    _require_host(user)
    supported = Q(applications__status__in=SUPPORTED)
    exhibitions = list(
        Exhibition.objects.filter(starts_on__year=year)
        .values("pk", "name", "city", "country", "starts_on", "budget_krw", "committed_krw", "booths")
        .annotate(
            applications_count=Count("applications"),
            supported_count=Count("applications", filter=supported),
            paid_krw=Coalesce(Sum("applications__paid_krw", filter=supported), 0),
            meetings_held=Coalesce(Sum("applications__outcome__meetings_held"), 0),
            mous=Coalesce(Sum("applications__outcome__mous"), 0),
            contracts=Coalesce(Sum("applications__outcome__contracts"), 0),
        )
        .order_by("starts_on", "pk")
    )
    exports = list(
        ExportRecord.objects.filter(year=year)
        .values("country")
        .annotate(amount_krw=Sum("amount_krw"), partners=Count("partner", distinct=True))
        .order_by("-amount_krw", "country")
    )
    totals = {
        "budget_krw": sum(row["budget_krw"] for row in exhibitions),
        "committed_krw": sum(row["committed_krw"] for row in exhibitions),
        "paid_krw": sum(row["paid_krw"] for row in exhibitions),
        "supported": sum(row["supported_count"] for row in exhibitions),
        "contracts": sum(row["contracts"] for row in exhibitions),
        "exports_krw": sum(row["amount_krw"] for row in exports),
    }
    return YearReport(year=year, exhibitions=exhibitions, exports_by_country=exports, totals=totals)


def report_years() -> list[int]:
    """Years that have exhibitions or export records, newest first (for the year picker)."""
    years = {d.year for d in Exhibition.objects.dates("starts_on", "year")}
    years |= set(ExportRecord.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


__all__ = [
    "ExhibitionReport",
    "PartnerRecord",
    "YearReport",
    "exhibition_report",
    "get_record_partner_for_user",
    "outcome_of",
    "partner_record",
    "report_years",
    "year_report",
]


def get_record_partner_for_user(user: Any, partner_id: Any) -> Partner:
    """The partner whose overseas record the user may read: its own company (partner people) or any
    partner (the host); Http404 otherwise."""
    from django.http import Http404

    from sangsaeng.partners.selectors import get_partner_for_user

    if not permissions.can_use_programme(user):
        raise Http404
    partner = get_partner_for_user(user, partner_id)
    if not permissions.can_view_host_side(user) and not permissions.is_own(user, partner.organization_id):
        raise Http404
    return partner
