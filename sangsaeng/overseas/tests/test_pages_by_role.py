"""Every overseas page answers each role sensibly: host staff and partner people get the page, other
organisations (banks, the agency) are refused, and no page fails."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sangsaeng.overseas.tests.factories import (
    make_application,
    make_exhibition,
    make_interest,
    make_opportunity,
    make_proposal,
)

LIST_PAGES = ("overseas:proposals", "overseas:opportunities", "overseas:exhibitions")
HOST_PAGES = ("overseas:year_report", "overseas:exchange_rates")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["host_admin", "program_manager", "reviewer", "auditor", "partner_owner", "partner_member"]
)
def test_every_page_renders_for_host_and_partner_roles(client, login, cast, who):
    proposal = make_proposal(cast.partner, cast.partner_owner)
    opportunity = make_opportunity(cast.program_manager)
    make_interest(opportunity, cast.partner, cast.partner_owner)
    exhibition = make_exhibition(cast.program_manager)
    application = make_application(exhibition, cast.partner, cast.partner_owner, status="agreed")
    user = getattr(cast, who)
    login(user)
    pages = [reverse(name) for name in LIST_PAGES] + [
        reverse("overseas:proposal_detail", args=[proposal.pk]),
        reverse("overseas:opportunity_detail", args=[opportunity.pk]),
        reverse("overseas:exhibition_detail", args=[exhibition.pk]),
        reverse("overseas:application_detail", args=[application.pk]),
        reverse("overseas:partner_record", args=[cast.partner.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    host = who not in ("partner_owner", "partner_member")
    for name in HOST_PAGES:
        assert client.get(reverse(name)).status_code == (200 if host else 403), name
    assert client.get(reverse("overseas:proposal_new")).status_code == (403 if host else 200)
    assert client.get(reverse("overseas:exhibition_new")).status_code == (
        200 if who in ("host_admin", "program_manager") else 403
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["loan_officer", "observer"])
def test_banks_and_the_agency_are_refused(client, login, cast, who):
    login(getattr(cast, who))
    for name in LIST_PAGES:
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("overseas:year_report")).status_code == 403
