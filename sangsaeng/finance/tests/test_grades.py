"""Partner grades and the preferential rate: the host grades partners (dated, with a reason,
audited); the bank's pool gives an extra cut per grade; recommendation and loan keep the rate part
by part (fund, grade, incentive points), shown to the partner and the bank, on pages and the API."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sangsaeng.core import dates
from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import selectors, services
from sangsaeng.finance.models import FundBank, IncentivePoint, PartnerGrade, SharingTask
from sangsaeng.finance.tests.factories import make_application, make_fund, make_pool
from sangsaeng.finance.tests.test_sharing import _task
from sangsaeng.partners.tests.factories import make_partner_owner

pytestmark = pytest.mark.django_db

GRADES = {"S": "0.5", "A": "0.3"}


def _grade(cast, grade="A", valid_from=None, partner=None):
    return services.assign_partner_grade(
        actor=cast.program_manager,
        partner=partner or cast.partner,
        grade=grade,
        valid_from=valid_from or dates.today(),
        reason="동반성장 평가 우수",
    )


def _points(cast, points):
    task = _task(cast)
    SharingTask.objects.filter(pk=task.pk).update(status="confirmed")
    IncentivePoint.objects.create(partner=cast.partner, task=task, points=points, reason="test")


def test_host_grades_a_partner_dated_with_reason_and_audited(cast):
    events = AuditEvent.objects.count()
    _grade(cast, "B", valid_from=dates.today() - dt.timedelta(days=30))
    _grade(cast, "S", valid_from=dates.today() + dt.timedelta(days=10))  # not yet in force

    assert selectors.current_grade(cast.partner.pk).grade == "B"
    assert selectors.current_grade(cast.partner.pk, dates.today() + dt.timedelta(days=10)).grade == "S"
    assert AuditEvent.objects.count() == events + 2
    event = AuditEvent.objects.filter(action="finance.assign_partner_grade").latest("seq")
    assert event.changes["grade"] == [None, "S"]


@pytest.mark.parametrize("who", ["reviewer", "auditor", "partner_owner", "loan_officer"])
def test_only_host_fund_managers_grade_and_nothing_is_written(cast, who):
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.assign_partner_grade(
            actor=getattr(cast, who), partner=cast.partner, grade="S", valid_from=dates.today(), reason="x"
        )
    assert PartnerGrade.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_bad_grade_or_missing_reason_is_refused_field_by_field(cast):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.assign_partner_grade(
            actor=cast.program_manager, partner=cast.partner, grade="Z", valid_from=dates.today(), reason=" "
        )
    assert set(error.value.message_dict) == {"grade", "reason"}
    assert PartnerGrade.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_recommendation_and_loan_keep_base_grade_and_points_reductions(cast):
    fund = make_fund(points_reductions=[[10, "0.2"], [30, "0.5"]])
    pool = make_pool(fund, cast.bank, grade_reductions=GRADES)
    _grade(cast, "A")
    _points(cast, 12)
    application = make_application(cast.partner, pool, cast.partner_owner)

    services.recommend_application(actor=cast.program_manager, application=application)

    letter = application.recommendation
    letter.refresh_from_db()
    assert (letter.base_reduction, letter.partner_grade, letter.grade_reduction) == (
        Decimal("2.000"),
        "A",
        Decimal("0.300"),
    )
    assert (letter.incentive_points, letter.points_reduction) == (12, Decimal("0.200"))
    assert letter.expected_rate == Decimal("5.500") - Decimal("2.5")
    # a grade given after the letter does not change what was recommended
    _grade(cast, "S")
    services.bank_approve(actor=cast.loan_officer, application=application)
    loan = services.disburse_loan(actor=cast.loan_officer, application=application)
    assert loan.annual_rate == Decimal("3.000")
    assert (loan.base_reduction, loan.partner_grade, loan.grade_reduction, loan.points_reduction) == (
        Decimal("2.000"),
        "A",
        Decimal("0.300"),
        Decimal("0.200"),
    )


def test_partner_without_grade_or_points_gets_the_base_reduction_only(cast):
    fund = make_fund()
    pool = make_pool(fund, cast.bank, grade_reductions=GRADES)
    application = make_application(cast.partner, pool, cast.partner_owner)
    services.recommend_application(actor=cast.program_manager, application=application)
    services.bank_approve(actor=cast.loan_officer, application=application)
    loan = services.disburse_loan(actor=cast.loan_officer, application=application)
    assert loan.annual_rate == pool.fund_rate
    assert (loan.partner_grade, loan.grade_reduction) == ("", Decimal("0"))


def test_partner_and_bank_see_the_breakdown_on_pages_and_in_the_api(cast, login):
    fund = make_fund()
    pool = make_pool(fund, cast.bank, grade_reductions=GRADES)
    _grade(cast, "S")
    application = make_application(cast.partner, pool, cast.partner_owner)
    services.recommend_application(actor=cast.program_manager, application=application)

    for who in ("partner_owner", "loan_officer"):
        client = login(getattr(cast, who))
        page = client.get(reverse("finance:application", args=[application.pk])).content.decode()
        assert "S" in page and "0.500%p" in page and "3.000%" in page, who
        letter = client.get(reverse("finance:letter", args=[application.pk])).content.decode()
        assert "0.500%p" in letter
        body = client.get(f"/api/v1/finance/applications/{application.pk}").json()
        assert body["rate_breakdown"]["grade"] == "S"
        assert Decimal(body["rate_breakdown"]["grade_reduction"]) == Decimal("0.5")
        assert Decimal(body["rate_breakdown"]["rate"]) == Decimal("3.0")

    services.bank_approve(actor=cast.loan_officer, application=application)
    loan = services.disburse_loan(actor=cast.loan_officer, application=application)
    page = login(cast.partner_owner).get(reverse("finance:loan", args=[loan.pk])).content.decode()
    assert "0.500%p" in page
    body = login(cast.loan_officer).get(f"/api/v1/finance/loans/{loan.pk}").json()
    assert (body["partner_grade"], Decimal(body["grade_reduction"])) == ("S", Decimal("0.5"))


def test_grade_reductions_are_set_up_per_bank_and_validated(cast, fund, pool):
    services.update_bank(actor=cast.host_admin, pool=pool, values={"grade_reductions": {"S": "0.4"}})
    pool.refresh_from_db()
    assert pool.grade_reduction("S") == Decimal("0.4")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.update_bank(actor=cast.host_admin, pool=pool, values={"grade_reductions": {"X": "9"}})
    assert "grade_reductions" in error.value.message_dict
    assert FundBank.objects.get(pk=pool.pk).grade_reductions == {"S": "0.4"}
    assert AuditEvent.objects.count() == events


def test_grade_page_records_a_grade_and_partners_see_only_their_own(cast, login):
    _other, other_owner = make_partner_owner()
    client = login(cast.program_manager)
    response = client.post(
        reverse("finance:grades"),
        {
            "brn": cast.partner.brn,
            "grade": "A",
            "valid_from": dates.today().isoformat(),
            "reason": "우수 협력사",
        },
    )
    assert response.status_code == 302
    assert PartnerGrade.objects.get().partner == cast.partner

    response = client.post(reverse("finance:grades"), {"brn": "123", "grade": "A", "reason": ""})
    assert response.status_code == 422
    assert PartnerGrade.objects.count() == 1

    mine = login(cast.partner_owner).get(reverse("finance:grades"))
    assert "우수 협력사" in mine.content.decode() and mine.context["form"] is None
    theirs = login(other_owner).get(reverse("finance:grades"))
    assert "우수 협력사" not in theirs.content.decode()
    refused = login(cast.partner_owner).post(
        reverse("finance:grades"),
        {"brn": cast.partner.brn, "grade": "S", "valid_from": "2026-01-01", "reason": "x"},
    )
    assert refused.status_code == 403
    assert PartnerGrade.objects.count() == 1


def test_grade_api_assigns_for_managers_and_refuses_others(cast, login):
    events = AuditEvent.objects.count()
    payload = {
        "partner_id": cast.partner.pk,
        "grade": "B",
        "valid_from": dates.today().isoformat(),
        "reason": "평가",
    }
    refused = login(cast.partner_owner).post(
        "/api/v1/finance/grades", data=json.dumps(payload), content_type="application/json"
    )
    assert refused.status_code == 403
    assert PartnerGrade.objects.count() == 0 and AuditEvent.objects.count() == events
    bad = login(cast.program_manager).post(
        "/api/v1/finance/grades", data=json.dumps({**payload, "grade": "Q"}), content_type="application/json"
    )
    assert bad.status_code == 422 and "grade" in bad.json()["error"]["fields"]
    assert PartnerGrade.objects.count() == 0
    made = login(cast.program_manager).post(
        "/api/v1/finance/grades", data=json.dumps(payload), content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["grade"] == "B"
    listed = login(cast.partner_owner).get("/api/v1/finance/grades").json()
    assert [item["grade"] for item in listed["items"]] == ["B"]


@pytest.mark.parametrize("rows", [3, 30])
def test_grade_list_runs_a_constant_number_of_queries(cast, login, django_assert_max_num_queries, rows):
    for _ in range(rows):
        _grade(cast)
    client = login(cast.program_manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("finance:grades"))
    assert len(response.context["page"].object_list) == rows
