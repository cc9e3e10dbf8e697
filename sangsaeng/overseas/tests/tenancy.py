"""Registers every overseas route with the tenancy harness (core/tests/test_tenancy.py).

Each `make` receives the owner of partner A and returns the path parameters of an object of A and a
text only A's people (and the host) may see."""

from __future__ import annotations

import uuid
from typing import Any

from sangsaeng.core.tests import tenancy
from sangsaeng.overseas.tests.factories import make_proposal
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
