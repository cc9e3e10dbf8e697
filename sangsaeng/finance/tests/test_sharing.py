"""Benefit sharing: task states, amendments agreed by both parties, payouts and incentive points."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import selectors, services
from sangsaeng.finance.models import IncentivePoint, IncentiveRule, SharingTask
from sangsaeng.finance.tests.factories import EOK
from sangsaeng.finance.tests.pdfcheck import pdf_text
from sangsaeng.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

CONTRACT = {
    "goal": "부품 원가 10% 절감",
    "kpi_target": "90",
    "methods": ["cash", "long_term_contract"],
    "cash_ratio_percent": "50",
}


def _task(cast, **contract):
    return services.create_task(
        actor=cast.program_manager,
        partner=cast.partner,
        title="RF 필터 원가절감",
        task_type="cost_reduction",
        kpi_name="단가",
        kpi_baseline=Decimal("100"),
        contract={**CONTRACT, **contract},
    )


def _in_progress(cast):
    task = _task(cast)
    services.change_task_status(actor=cast.program_manager, task=task, target="registered")
    return services.change_task_status(actor=cast.program_manager, task=task, target="in_progress")


def test_host_drafts_a_task_with_a_tier_one_partner(cast):
    task = _task(cast)

    assert (task.status, task.methods, task.measurement_months) == (
        "draft",
        ["cash", "long_term_contract"],
        36,
    )
    assert (
        AuditEvent.objects.filter(action="finance.create_sharing_task", object_id=str(task.pk)).count() == 1
    )


def test_tier_two_partner_cannot_lead_a_task(cast):
    second_tier = PartnerFactory(tier=2)

    with pytest.raises(ValidationError) as error:
        services.create_task(
            actor=cast.program_manager,
            partner=second_tier,
            title="x",
            task_type="quality",
            kpi_name="k",
            kpi_baseline=Decimal("1"),
            contract=CONTRACT,
        )
    assert "partner" in error.value.error_dict
    assert SharingTask.objects.count() == 0


@pytest.mark.parametrize("who", ["partner_owner", "reviewer", "loan_officer"])
def test_only_host_managers_set_up_tasks(cast, who):
    with pytest.raises(PermissionDenied):
        services.create_task(
            actor=getattr(cast, who),
            partner=cast.partner,
            title="x",
            task_type="quality",
            kpi_name="k",
            kpi_baseline=Decimal("1"),
            contract=CONTRACT,
        )
    assert SharingTask.objects.count() == 0


def test_after_registration_the_contract_changes_only_by_amendment(cast):
    task = _task(cast)
    services.update_draft(actor=cast.program_manager, task=task, contract={"measurement_months": 24})
    services.change_task_status(actor=cast.program_manager, task=task, target="registered")

    with pytest.raises(ValidationError):
        services.update_draft(actor=cast.program_manager, task=task, contract={"measurement_months": 12})

    task.refresh_from_db()
    assert task.measurement_months == 24


def test_amendment_takes_effect_when_the_other_party_accepts_and_both_versions_stay(cast):
    task = _in_progress(cast)
    amendment = services.propose_amendment(
        actor=cast.partner_owner, task=task, changes={"cash_ratio_percent": "60"}, reason="원자재 가격 상승"
    )
    task.refresh_from_db()
    assert task.cash_ratio_percent == Decimal("50")

    with pytest.raises(PermissionDenied):
        services.answer_amendment(actor=cast.partner_member, amendment=amendment, accept=True)
    services.answer_amendment(actor=cast.program_manager, amendment=amendment, accept=True)

    task.refresh_from_db()
    amendment.refresh_from_db()
    assert (task.cash_ratio_percent, task.version) == (Decimal("60"), 2)
    assert amendment.before["cash_ratio_percent"] == "50.00"
    assert amendment.after["cash_ratio_percent"] == "60"


def test_host_proposal_needs_the_partner_owner_and_a_decline_changes_nothing(cast):
    task = _in_progress(cast)
    amendment = services.propose_amendment(
        actor=cast.program_manager, task=task, changes={"measurement_months": 24}, reason="사업 조정"
    )

    with pytest.raises(PermissionDenied):
        services.answer_amendment(actor=cast.host_admin, amendment=amendment, accept=True)
    with pytest.raises(ValidationError):
        services.propose_amendment(actor=cast.partner_owner, task=task, changes={"goal": "y"}, reason="z")
    services.answer_amendment(actor=cast.partner_owner, amendment=amendment, accept=False)

    task.refresh_from_db()
    assert (task.measurement_months, task.version) == (36, 1)


def test_payout_is_the_saving_times_the_ratio_rounded_down(cast):
    task = _in_progress(cast)

    services.record_measurement(
        actor=cast.program_manager,
        task=task,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        kpi_value=Decimal("92"),
        saving_krw=123_456_789,
        evidence="원가 명세서",
    )

    payout = selectors.payouts_of(task).get()
    assert payout.amount_krw == 61_728_394


def test_the_whole_task_life_to_confirmation_awards_traceable_points(cast):
    IncentiveRule.objects.create(valid_from=dt.date(2020, 1, 1), points_per_task=10, points_per_eok_shared=2)
    task = _in_progress(cast)
    with pytest.raises(ValidationError):
        services.change_task_status(actor=cast.program_manager, task=task, target="outcome_measured")
    services.record_measurement(
        actor=cast.program_manager,
        task=task,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        kpi_value=Decimal("90"),
        saving_krw=6 * EOK,
        evidence="원가 명세서",
    )
    services.change_task_status(actor=cast.program_manager, task=task, target="outcome_measured")
    with pytest.raises(ValidationError):
        services.change_task_status(actor=cast.program_manager, task=task, target="shared")
    services.settle_payout(
        actor=cast.program_manager, payout=selectors.payouts_of(task).get(), settled_on=dt.date(2026, 7, 10)
    )
    for target in ("shared", "confirmation_requested"):
        services.change_task_status(actor=cast.program_manager, task=task, target=target)
    with pytest.raises(ValidationError):
        services.change_task_status(actor=cast.program_manager, task=task, target="confirmed")
    services.change_task_status(
        actor=cast.program_manager, task=task, target="confirmed", certificate_number="KOSHARE-2026-001"
    )

    point = IncentivePoint.objects.get(partner=cast.partner)
    assert (point.task_id, point.points) == (task.pk, 10 + 2 * 3)
    assert selectors.total_points(cast.partner.pk) == 16


def test_partner_sees_its_tasks_and_another_partner_gets_404(cast, login):
    task = _in_progress(cast)

    own = login(cast.partner_member).get(f"/api/v1/finance/sharing/tasks/{task.pk}")
    other = login(cast.other_partner_owner).get(f"/api/v1/finance/sharing/tasks/{task.pk}")

    assert own.status_code == 200 and own.json()["goal"] == CONTRACT["goal"]
    assert other.status_code == 404


def test_participant_sees_the_task(cast, login):
    task = _task(cast)
    participant = PartnerFactory(tier=2)
    task.participants.add(participant)
    from sangsaeng.accounts.models import Role
    from sangsaeng.accounts.tests.factories import MembershipFactory, UserFactory

    person = UserFactory()
    MembershipFactory(user=person, organization=participant.organization, role=Role.OWNER)

    assert login(person).get(f"/api/v1/finance/sharing/tasks/{task.pk}").status_code == 200


def test_amendment_through_the_api(cast, login):
    task = _in_progress(cast)

    response = login(cast.partner_owner).post(
        f"/api/v1/finance/sharing/tasks/{task.pk}/amendments",
        data=json.dumps({"reason": "기간 조정", "changes": {"measurement_months": 24}}),
        content_type="application/json",
    )
    assert response.status_code == 201
    amendment_id = response.json()["id"]
    refused = login(cast.partner_owner).post(f"/api/v1/finance/sharing/amendments/{amendment_id}/accept")
    accepted = login(cast.program_manager).post(f"/api/v1/finance/sharing/amendments/{amendment_id}/accept")

    assert (refused.status_code, accepted.status_code) == (403, 200)
    detail = login(cast.partner_owner).get(f"/api/v1/finance/sharing/tasks/{task.pk}").json()
    assert detail["measurement_months"] == 24
    assert detail["amendments"][0]["before"]["measurement_months"] == 36


@pytest.mark.parametrize("rows", [5, 50])
def test_task_list_runs_a_constant_number_of_queries(cast, login, django_assert_max_num_queries, rows):
    for _ in range(rows):
        _task(cast)
    client = login(cast.auditor)

    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/finance/sharing/tasks?limit=200")

    assert response.json()["count"] == rows


def test_task_pages_from_registration_to_a_settled_payout(cast, login):
    from django.urls import reverse

    task = _task(cast)
    host = login(cast.program_manager)
    for target in ("registered", "in_progress"):
        response = host.post(reverse("finance:sharing_status", args=[task.pk]), {"status": target})
        assert response.status_code == 302
    response = host.post(
        reverse("finance:sharing_measure", args=[task.pk]),
        {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "kpi_value": "95",
            "saving_krw": 1000,
            "evidence": "명세서",
        },
    )
    assert response.status_code == 302
    payout = selectors.payouts_of(task).get()
    assert (
        host.post(
            reverse("finance:sharing_settle", args=[payout.pk]), {"settled_on": "2026-04-01"}
        ).status_code
        == 302
    )

    partner = login(cast.partner_owner)
    response = partner.post(
        reverse("finance:sharing_propose", args=[task.pk]), {"measurement_months": 24, "reason": "기간 조정"}
    )
    assert response.status_code == 302
    page = partner.get(reverse("finance:sharing_task", args=[task.pk]))
    assert page.status_code == 200
    assert page.context["pending"] is not None and not page.context["can_answer"]
    payout.refresh_from_db()
    assert payout.amount_krw == 500 and payout.settled_on is not None


def test_partner_cannot_change_a_tasks_status_on_the_page(cast, login):
    from django.urls import reverse

    task = _task(cast)
    events = AuditEvent.objects.count()

    response = login(cast.partner_owner).post(
        reverse("finance:sharing_status", args=[task.pk]), {"status": "registered"}
    )

    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "draft"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("rows", [5, 50])
def test_task_list_page_runs_a_constant_number_of_queries(cast, login, django_assert_max_num_queries, rows):
    from django.urls import reverse

    for _ in range(rows):
        _task(cast)
    client = login(cast.program_manager)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("finance:sharing_tasks"))

    assert len(response.context["page"].object_list) == rows


def test_incentive_points_lower_the_loan_rate_at_disbursement(cast):
    from sangsaeng.finance.tests.factories import make_application, make_fund, make_pool

    fund = make_fund(points_reductions=[[10, "0.2"], [30, "0.5"]])
    pool = make_pool(fund, cast.bank)
    task = _task(cast)
    SharingTask.objects.filter(pk=task.pk).update(status="confirmed")
    IncentivePoint.objects.create(partner=cast.partner, task=task, points=12, reason="test")
    application = make_application(cast.partner, pool, cast.partner_owner)
    services.recommend_application(actor=cast.program_manager, application=application)
    services.bank_approve(actor=cast.loan_officer, application=application)

    loan = services.disburse_loan(actor=cast.loan_officer, application=application)

    assert loan.annual_rate == pool.fund_rate - Decimal("0.2")


def test_evidence_pack_holds_contract_amendments_measurements_and_payouts(cast, login):
    import io
    import zipfile

    import openpyxl
    from django.urls import reverse

    task = _in_progress(cast)
    services.record_measurement(
        actor=cast.program_manager,
        task=task,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        kpi_value=Decimal("95"),
        saving_krw=2000,
        evidence="명세서",
    )
    payout = task.payouts.get()
    services.settle_payout(actor=cast.program_manager, payout=payout, settled_on=dt.date(2026, 4, 10))

    response = login(cast.partner_owner).get(reverse("finance:sharing_evidence", args=[task.pk]))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "contract.pdf",
        "plan.pdf",
        "measurements.pdf",
        "payouts.pdf",
        "proof_of_sharing.pdf",
        "contract.xlsx",
        "amendments.xlsx",
        "measurements.xlsx",
        "payouts.xlsx",
        "incentive_points.xlsx",
    }
    payouts = openpyxl.load_workbook(io.BytesIO(archive.read("payouts.xlsx"))).active
    assert [row[2] for row in payouts.iter_rows(min_row=2, values_only=True)] == [1000]
    for name in ("contract.pdf", "plan.pdf", "measurements.pdf", "payouts.pdf", "proof_of_sharing.pdf"):
        text = pdf_text(archive.read(name))
        assert task.partner.name_ko in text, name
    assert "명세서" in pdf_text(archive.read("measurements.pdf"))
    assert "1,000원" in pdf_text(archive.read("payouts.pdf"))
    proof = pdf_text(archive.read("proof_of_sharing.pdf"))
    assert "1,000원" in proof  # the total actually shared
    assert "2,000원" in proof  # the saving measured
    assert "2026-04-10" in pdf_text(archive.read("payouts.pdf"))


def test_host_admin_records_the_sharing_programme_and_others_may_not(cast, login):
    body = {
        "plan_from": "2026-01-01",
        "plan_to": "2027-12-31",
        "plan_summary": "2개년 추진계획",
        "internal_rules": "성과공유 내부 규정",
        "dedicated_staff": "동반성장팀 김담당",
    }
    refused = login(cast.program_manager).put(
        "/api/v1/finance/sharing/programme", data=json.dumps(body), content_type="application/json"
    )
    saved = login(cast.host_admin).put(
        "/api/v1/finance/sharing/programme", data=json.dumps(body), content_type="application/json"
    )
    read = login(cast.observer).get("/api/v1/finance/sharing/programme")
    partner = login(cast.partner_owner).get("/api/v1/finance/sharing/programme")

    assert (refused.status_code, saved.status_code, read.status_code, partner.status_code) == (
        403,
        200,
        200,
        403,
    )
    assert read.json()["dedicated_staff"] == "동반성장팀 김담당"
    assert AuditEvent.objects.filter(action="finance.save_sharing_programme").count() == 1


# --- dates follow each other (issue 11 §3) --------------------------------------------------------------
def test_an_outcome_for_a_period_not_yet_ended_is_refused(cast):
    from sangsaeng.core import dates

    task = _in_progress(cast)

    with pytest.raises(ValidationError) as error:
        services.record_measurement(
            actor=cast.program_manager,
            task=task,
            period_start=dates.today() - dt.timedelta(days=30),
            period_end=dates.today() + dt.timedelta(days=1),
            kpi_value=Decimal("90"),
            saving_krw=EOK,
            evidence="원가 명세서",
        )

    assert "period_end" in error.value.error_dict
    assert not task.payouts.exists()


def test_a_payout_cannot_be_paid_before_the_measured_period_ends_and_nothing_changes(cast):
    from sangsaeng.core import dates

    task = _in_progress(cast)
    end = dates.today() - dt.timedelta(days=10)
    services.record_measurement(
        actor=cast.program_manager,
        task=task,
        period_start=end - dt.timedelta(days=90),
        period_end=end,
        kpi_value=Decimal("90"),
        saving_krw=EOK,
        evidence="원가 명세서",
    )
    payout = task.payouts.get()

    with pytest.raises(ValidationError) as error:
        services.settle_payout(
            actor=cast.program_manager, payout=payout, settled_on=end - dt.timedelta(days=1)
        )

    assert end.isoformat() in error.value.message_dict["settled_on"][0]
    payout.refresh_from_db()
    assert payout.settled_on is None
    services.settle_payout(actor=cast.program_manager, payout=payout, settled_on=end)
