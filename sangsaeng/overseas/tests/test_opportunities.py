"""Global opportunities: posting, interest with a capability statement, ranked suggestions, shortlist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sangsaeng.core.models import AuditEvent
from sangsaeng.overseas import selectors, services
from sangsaeng.overseas.models import GlobalOpportunity, OpportunityInterest
from sangsaeng.overseas.tests.factories import make_interest, make_opportunity
from sangsaeng.partners.models import CollaborationField, PartnerField
from sangsaeng.partners.tests.factories import make_partner_owner


def _field(code: str) -> CollaborationField:
    return CollaborationField.objects.create(
        code=code, name_ko=code, name_en=code, kind="business_area", valid_from=dt.date(2018, 1, 1)
    )


def _post(cast, **overrides):
    data = {
        "title": "Smart port",
        "country": "Vietnam",
        "sector": "Logistics",
        "customer": "Port authority",
        "needs": "Private 5G and CCTV analytics",
        "deadline": timezone.localdate() + dt.timedelta(days=10),
        "language": "en",
    }
    return services.post_opportunity(actor=cast.program_manager, **{**data, **overrides})


@pytest.mark.django_db
def test_global_unit_posts_and_partner_cannot(cast):
    opportunity = _post(cast)
    assert AuditEvent.objects.filter(
        action="overseas.post_opportunity", object_id=str(opportunity.pk)
    ).exists()
    with pytest.raises(PermissionDenied):
        services.post_opportunity(
            actor=cast.partner_owner,
            title="x",
            country="x",
            sector="x",
            customer="x",
            needs="x",
            deadline=timezone.localdate(),
            language="en",
        )
    with pytest.raises(ValidationError) as error:
        _post(cast, deadline=timezone.localdate() - dt.timedelta(days=1))
    assert "deadline" in error.value.message_dict
    assert GlobalOpportunity.objects.count() == 1


@pytest.mark.django_db
def test_interest_once_per_partner_and_only_while_open(cast):
    opportunity = _post(cast)
    interest = services.express_interest(
        actor=cast.partner_owner, opportunity=opportunity, capability_statement="We run CCTV analytics"
    )
    assert interest.match_score >= 0
    with pytest.raises(ValidationError):
        services.express_interest(
            actor=cast.partner_member, opportunity=opportunity, capability_statement="again"
        )
    with pytest.raises(ValidationError):
        services.express_interest(
            actor=cast.other_partner_owner, opportunity=opportunity, capability_statement=" "
        )
    services.close_opportunity(actor=cast.program_manager, opportunity=opportunity)
    with pytest.raises(ValidationError):
        services.express_interest(
            actor=cast.other_partner_owner, opportunity=opportunity, capability_statement="late"
        )
    assert OpportunityInterest.objects.count() == 1


@pytest.mark.django_db
def test_suggestions_rank_by_field_then_text(cast):
    port = _field("port")
    opportunity = _post(cast, needs="rugged routers for cranes")
    opportunity.fields.set([port])
    field_and_text, _o = make_partner_owner(name_ko="가", capabilities="rugged routers")
    PartnerField.objects.create(partner=field_and_text, field=port)
    field_only, _o = make_partner_owner(name_ko="나")
    PartnerField.objects.create(partner=field_only, field=port)
    make_partner_owner(name_ko="다", capability_tags="routers")
    make_partner_owner(name_ko="라", capabilities="bakery")
    ranked = selectors.suggest_partners(opportunity)
    names = [s.partner.name_ko for s in ranked]
    assert names == ["가", "나", "다"]
    assert ranked[0].matched_fields == ["port"] and "routers" in ranked[0].matched_terms


@pytest.mark.django_db
def test_shortlist_from_interest_and_from_suggestion_then_decline_needs_reason(cast):
    opportunity = _post(cast)
    interest = make_interest(opportunity, cast.partner, cast.partner_owner)
    services.shortlist_partner(actor=cast.program_manager, opportunity=opportunity, partner=cast.partner)
    interest.refresh_from_db()
    assert interest.status == "shortlisted"
    suggested = services.shortlist_partner(
        actor=cast.host_admin, opportunity=opportunity, partner=cast.other_partner, note="fits"
    )
    assert (suggested.source, suggested.status) == ("suggested", "shortlisted")
    with pytest.raises(PermissionDenied):
        services.shortlist_partner(actor=cast.auditor, opportunity=opportunity, partner=cast.partner)
    with pytest.raises(ValidationError):
        services.decline_interest(actor=cast.program_manager, interest=interest, reason="")
    interest.refresh_from_db()
    assert interest.status == "shortlisted"
    services.decline_interest(actor=cast.program_manager, interest=interest, reason="No reference abroad")
    interest.refresh_from_db()
    assert (interest.status, interest.decision_note) == ("declined", "No reference abroad")


@pytest.mark.django_db
def test_partner_sees_open_and_own_not_other_partners_statements(client, login, cast):
    opportunity = make_opportunity(cast.program_manager)
    make_interest(
        opportunity, cast.other_partner, cast.other_partner_owner, statement="their-secret-statement"
    )
    closed = make_opportunity(cast.program_manager, status="closed", title="closed-one")
    login(cast.partner_owner)
    page = client.get(reverse("overseas:opportunity_detail", args=[opportunity.pk]))
    assert page.status_code == 200 and "their-secret-statement" not in page.content.decode()
    assert client.get(reverse("overseas:opportunity_detail", args=[closed.pk])).status_code == 404
    login(cast.auditor)
    page = client.get(reverse("overseas:opportunity_detail", args=[opportunity.pk]))
    assert "their-secret-statement" in page.content.decode()


@pytest.mark.django_db
def test_pages_interest_and_shortlist(client, login, cast):
    opportunity = make_opportunity(cast.program_manager)
    login(cast.partner_owner)
    url = reverse("overseas:opportunity_interest", args=[opportunity.pk])
    assert client.post(url, {"capability_statement": ""}).status_code == 400
    assert client.post(url, {"capability_statement": "We do it"}).status_code == 302
    login(cast.program_manager)
    response = client.post(
        reverse("overseas:opportunity_shortlist", args=[opportunity.pk]), {"partner": cast.partner.pk}
    )
    assert response.status_code == 302
    assert OpportunityInterest.objects.get().status == "shortlisted"


@pytest.mark.django_db
def test_opportunity_list_and_detail_query_counts(client, login, cast, django_assert_max_num_queries):
    for index in range(25):
        opportunity = make_opportunity(cast.program_manager, title=f"o{index}")
        make_interest(opportunity, cast.partner, cast.partner_owner)
    for who in (cast.program_manager, cast.partner_owner):
        login(who)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("overseas:opportunities")).status_code == 200
    login(cast.program_manager)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("overseas:opportunity_detail", args=[opportunity.pk])).status_code == 200


@pytest.mark.django_db
def test_api_post_interest_suggest_shortlist(client, login, cast):
    login(cast.program_manager)
    payload = {
        "title": "Smart port",
        "country": "VN",
        "sector": "Ports",
        "customer": "Port",
        "needs": "routers",
        "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "language": "en",
    }
    response = client.post("/api/v1/overseas/opportunities", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    opportunity_id = response.json()["id"]
    login(cast.partner_owner)
    response = client.post(
        f"/api/v1/overseas/opportunities/{opportunity_id}/interests",
        {"capability_statement": "routers"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert client.get(f"/api/v1/overseas/opportunities/{opportunity_id}/suggestions").status_code == 403
    login(cast.program_manager)
    response = client.get(f"/api/v1/overseas/opportunities/{opportunity_id}/interests")
    assert response.json()["count"] == 1
    response = client.post(
        f"/api/v1/overseas/opportunities/{opportunity_id}/shortlist",
        {"partner_id": cast.other_partner.pk},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["source"] == "suggested"
