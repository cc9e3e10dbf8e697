"""Reports API: a partner's overseas record, the host's report per exhibition and per year."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from sangsaeng.core.schemas import Id
from sangsaeng.overseas import selectors
from sangsaeng.overseas.schemas import ExhibitionReportOut, PartnerRecordOut, YearReportOut

router = Router(tags=["overseas"])


@router.get("/partners/{partner_id}/record", response=PartnerRecordOut, summary="A partner's overseas record")
def partner_record(request: HttpRequest, partner_id: Id) -> dict[str, Any]:
    """Its own people, or the host: exhibitions joined, opportunities, proposals, exports by year and country."""
    partner = selectors.get_record_partner_for_user(request.user, partner_id)
    record = selectors.partner_record(request.user, partner)
    return {
        "partner_id": partner.pk,
        "partner_name": partner.name_ko,
        "exhibitions": [
            {"id": a.pk, "title": a.exhibition.name, "status": a.status, "date": a.exhibition.starts_on}
            for a in record.applications
        ],
        "opportunities": [
            {
                "id": i.opportunity_id,
                "title": i.opportunity.title,
                "status": i.status,
                "date": i.opportunity.deadline,
            }
            for i in record.interests
        ],
        "proposals": [
            {"id": p.pk, "title": p.product, "status": p.status, "date": p.answer_due_on}
            for p in record.proposals
        ],
        "exports": record.exports,
    }


@router.get(
    "/exhibitions/{exhibition_id}/report", response=ExhibitionReportOut, summary="Exhibition report (host)"
)
def exhibition_report(request: HttpRequest, exhibition_id: Id) -> dict[str, Any]:
    exhibition = selectors.get_exhibition_for_user(request.user, exhibition_id)
    report = selectors.exhibition_report(request.user, exhibition)
    rows = []
    for row in report.rows:
        meetings, mous, contracts = selectors.outcome_of(row)
        rows.append(
            {
                "application_id": row.pk,
                "partner_id": row.partner_id,
                "partner_name": row.partner.name_ko,
                "status": row.status,
                "score": row.score,
                "requested_krw": row.requested_krw,
                "approved_krw": row.approved_krw,
                "paid_krw": row.paid_krw,
                "meetings_held": meetings,
                "mous": mous,
                "contracts": contracts,
                "exports_krw": row.exports_krw,  # type: ignore[attr-defined]
            }
        )
    return {"exhibition_id": exhibition.pk, "totals": report.totals, "rows": rows}


@router.get("/reports/{year}", response=YearReportOut, summary="Overseas report for a year (host)")
def year_report(request: HttpRequest, year: int = Path(..., ge=2000, le=2100)) -> dict[str, Any]:
    report = selectors.year_report(request.user, year)
    return {
        "year": report.year,
        "totals": report.totals,
        "exhibitions": [{"exhibition_id": row["pk"], **row} for row in report.exhibitions],
        "exports_by_country": report.exports_by_country,
    }
