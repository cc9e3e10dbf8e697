"""Registers every overseas route with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and returns the path parameters of an object of A and a
text only A's people (and the host) may see."""

from __future__ import annotations

import uuid
from typing import Any

from sangsaeng.core.tests import tenancy
from sangsaeng.overseas.tests.factories import (
    make_application,
    make_exhibition,
    make_interest,
    make_opportunity,
    make_proposal,
)
from sangsaeng.partners.models import Partner


def _secret() -> str:
    return f"secret-{uuid.uuid4().hex[:12]}"


def _partner_of(owner: Any) -> Partner:
    return Partner.objects.get(
        organization__memberships__user=owner, organization__memberships__is_active=True
    )


def _proposal(owner: Any) -> tenancy.Owned:
    secret = _secret()
    proposal = make_proposal(_partner_of(owner), owner, secret=secret)
    return tenancy.Owned({"proposal_id": proposal.pk}, secret)


def _interest(owner: Any, status: str = "closed") -> tuple[Any, str]:
    """An opportunity that partner A expressed interest in. Closed, so another partner cannot see it at
    all; A's capability statement is the secret."""
    secret = _secret()
    title = f"Opportunity {secret}" if status == "closed" else "Open opportunity"
    opportunity = make_opportunity(owner, status=status, title=title)
    return make_interest(opportunity, _partner_of(owner), owner, statement=secret), secret


def _opportunity(owner: Any) -> tenancy.Owned:
    interest, secret = _interest(owner)
    return tenancy.Owned({"opportunity_id": interest.opportunity_id}, secret)


def _interest_route(owner: Any) -> tenancy.Owned:
    interest, secret = _interest(owner)
    return tenancy.Owned({"interest_id": interest.pk}, secret)


def _open_opportunity_interest(owner: Any) -> tenancy.Owned:
    """An open opportunity (every partner sees it) with A's interest: its statement never shows."""
    _interest_obj, secret = _interest(owner, status="open")
    return tenancy.Owned({}, secret)


tenancy.register_object("overseas:proposal_detail", make=_proposal)
tenancy.register_object("overseas:proposal_answer", make=_proposal, method="post", data={"answer": "x"})
tenancy.register_object("overseas:proposal_withdraw", make=_proposal, method="post")
tenancy.register_object("GET /api/v1/overseas/proposals/{proposal_id}", make=_proposal)
tenancy.register_object(
    "POST /api/v1/overseas/proposals/{proposal_id}/answer", make=_proposal, data={"answer": "x"}
)
tenancy.register_object("POST /api/v1/overseas/proposals/{proposal_id}/withdraw", make=_proposal)

tenancy.register_list("overseas:proposals", make=_proposal)
tenancy.register_list("overseas:proposals", make=_proposal, query={"q": "secret"})
tenancy.register_list("GET /api/v1/overseas/proposals", make=_proposal)

tenancy.register_object("overseas:opportunity_detail", make=_opportunity)
tenancy.register_object(
    "overseas:opportunity_interest", make=_opportunity, method="post", data={"capability_statement": "x"}
)
tenancy.register_object("overseas:opportunity_close", make=_opportunity, method="post")
tenancy.register_object(
    "overseas:opportunity_shortlist", make=_opportunity, method="post", data={"partner": "1"}
)
tenancy.register_object(
    "overseas:interest_decline", make=_interest_route, method="post", data={"reason": "x"}
)
_OPP = "/api/v1/overseas/opportunities/{opportunity_id}"
tenancy.register_object(f"GET {_OPP}", make=_opportunity)
tenancy.register_object(f"POST {_OPP}/close", make=_opportunity)
tenancy.register_object(f"GET {_OPP}/interests", make=_opportunity)
tenancy.register_object(f"POST {_OPP}/interests", make=_opportunity, data={"capability_statement": "x"})
tenancy.register_object(f"GET {_OPP}/suggestions", make=_opportunity)
tenancy.register_object(f"POST {_OPP}/shortlist", make=_opportunity, data={"partner_id": 1})
tenancy.register_object(
    "POST /api/v1/overseas/interests/{interest_id}/decline", make=_interest_route, data={"reason": "x"}
)
tenancy.register_list("overseas:opportunities", make=_open_opportunity_interest)
tenancy.register_list("GET /api/v1/overseas/opportunities", make=_open_opportunity_interest)


def _application(
    owner: Any, *, exhibition_status: str = "cancelled", status: str = "agreed"
) -> tuple[Any, str]:
    """Partner A's supported application; the exhibition is cancelled so that another partner cannot
    see it at all. A's exhibits text is the secret."""
    secret = _secret()
    exhibition = make_exhibition(owner, status=exhibition_status)
    return make_application(exhibition, _partner_of(owner), owner, secret=secret, status=status), secret


def _exhibition(owner: Any) -> tenancy.Owned:
    application, secret = _application(owner)
    return tenancy.Owned({"exhibition_id": application.exhibition_id}, secret)


def _application_route(owner: Any) -> tenancy.Owned:
    application, secret = _application(owner)
    return tenancy.Owned({"application_id": application.pk}, secret)


def _claim(owner: Any) -> tenancy.Owned:
    from django.core.files.base import ContentFile

    from sangsaeng.overseas.models import ExpenseClaim

    application, secret = _application(owner)
    claim = ExpenseClaim(
        item=application.items.get(), amount_krw=1000, claimed_by=owner, receipt_name=f"{secret}.pdf"
    )
    claim.receipt.save(f"{uuid.uuid4().hex}.pdf", ContentFile(f"%PDF-1.4 {secret}".encode()), save=False)
    claim.save()
    return tenancy.Owned({"claim_id": claim.pk}, secret)


def _open_exhibition_application(owner: Any) -> tenancy.Owned:
    _app, secret = _application(owner, exhibition_status="open", status="submitted")
    return tenancy.Owned({}, secret)


tenancy.register_object("overseas:exhibition_detail", make=_exhibition)
tenancy.register_object("overseas:exhibition_apply", make=_exhibition, method="post", data={"exhibits": "x"})
tenancy.register_object("overseas:exhibition_select", make=_exhibition, method="post")
tenancy.register_object("overseas:exhibition_move", make=_exhibition, method="post", data={"to": "selection"})
tenancy.register_object("overseas:application_detail", make=_application_route)
tenancy.register_object(
    "overseas:application_score", make=_application_route, method="post", data={"score": "5"}
)
tenancy.register_object(
    "overseas:application_decide", make=_application_route, method="post", data={"decision": "approve"}
)
tenancy.register_object("overseas:application_sign", make=_application_route, method="post")
tenancy.register_object("overseas:application_withdraw", make=_application_route, method="post")
tenancy.register_object(
    "overseas:application_claim", make=_application_route, method="post", data={"kind": "booth_rental"}
)
tenancy.register_object(
    "overseas:application_outcome",
    make=_application_route,
    method="post",
    data={"meetings_held": "1", "mous": "0", "contracts": "0"},
)
tenancy.register_object(
    "overseas:application_export",
    make=_application_route,
    method="post",
    data={"year": "2026", "country": "x", "currency": "USD", "amount": "1"},
)
tenancy.register_object("overseas:claim_decide", make=_claim, method="post", data={"decision": "pay"})
tenancy.register_object("overseas:claim_receipt", make=_claim)
tenancy.register_list("overseas:exhibitions", make=_open_exhibition_application)

_EXH = "/api/v1/overseas/exhibitions/{exhibition_id}"
_APP = "/api/v1/overseas/applications/{application_id}"
_CLAIM = "/api/v1/overseas/claims/{claim_id}"
tenancy.register_object(f"GET {_EXH}", make=_exhibition)
tenancy.register_object(f"POST {_EXH}/move", make=_exhibition, data={"to": "selection"})
tenancy.register_object(f"GET {_EXH}/applications", make=_exhibition)
tenancy.register_object(
    f"POST {_EXH}/applications", make=_exhibition, data={"exhibits": "x", "amounts": {"lodging": 1}}
)
tenancy.register_object(f"POST {_EXH}/select", make=_exhibition)
tenancy.register_object(f"GET {_APP}", make=_application_route)
tenancy.register_object(f"POST {_APP}/score", make=_application_route, data={"score": 5})
tenancy.register_object(f"POST {_APP}/approve", make=_application_route)
tenancy.register_object(f"POST {_APP}/reject", make=_application_route, data={"reason": "x"})
tenancy.register_object(f"POST {_APP}/agreement", make=_application_route)
tenancy.register_object(f"POST {_APP}/withdraw", make=_application_route)
tenancy.register_object(f"GET {_APP}/claims", make=_application_route)
tenancy.register_object(f"POST {_APP}/claims", make=_application_route)
tenancy.register_object(
    f"PUT {_APP}/outcome", make=_application_route, data={"meetings_held": 1, "mous": 0, "contracts": 0}
)
tenancy.register_object(
    f"POST {_APP}/exports",
    make=_application_route,
    data={"year": 2026, "country": "x", "currency": "USD", "amount": "1"},
)
tenancy.register_object(f"POST {_CLAIM}/pay", make=_claim)
tenancy.register_object(f"POST {_CLAIM}/reject", make=_claim, data={"reason": "x"})
tenancy.register_list("GET /api/v1/overseas/exhibitions", make=_open_exhibition_application)


def _record(owner: Any) -> tenancy.Owned:
    """Partner A's overseas record, with a proposal whose product is the secret."""
    secret = _secret()
    partner = _partner_of(owner)
    make_proposal(partner, owner, secret=secret)
    return tenancy.Owned({"partner_id": partner.pk}, secret)


tenancy.register_object("overseas:partner_record", make=_record)
tenancy.register_object("GET /api/v1/overseas/partners/{partner_id}/record", make=_record)
tenancy.register_object("overseas:exhibition_report", make=_exhibition)
tenancy.register_object("overseas:exhibition_report_export", make=_exhibition)
tenancy.register_object(f"GET {_EXH}/report", make=_exhibition)
tenancy.exempt(
    "GET /api/v1/overseas/reports/{year}",
    reason="a year, not an object: the host-only yearly report answers 403 to every partner (test_reports)",
)
tenancy.register_list("overseas:my_record", make=_open_exhibition_application)
tenancy.register_list("overseas:year_report", make=_open_exhibition_application)
tenancy.register_list("overseas:year_report_export", make=_open_exhibition_application)
tenancy.register_list("overseas:exchange_rates", make=_open_exhibition_application)
tenancy.register_list("GET /api/v1/overseas/exchange-rates", make=_open_exhibition_application)
