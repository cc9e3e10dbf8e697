"""Overseas exhibitions: set-up, applications within caps, scoring and selection within the budget,
agreements, expense claims paid up to the approved caps, outcomes and export amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.core.workflow import TransitionError
from sangsaeng.overseas import services
from sangsaeng.overseas.models import (
    ApplicationItem,
    Exhibition,
    ExhibitionApplication,
    ExhibitionOutcome,
    ExpenseClaim,
)
from sangsaeng.overseas.tests.factories import make_application, make_exhibition
from sangsaeng.partners.tests.factories import make_partner_owner

PDF = b"%PDF-1.4 receipt"


def _receipt(content=PDF, name="receipt.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.django_db
def test_create_exhibition_checks_dates_caps_and_role(cast):
    today = timezone.localdate()
    data = {
        "name": "CES",
        "city": "Las Vegas",
        "country": "USA",
        "starts_on": today + dt.timedelta(days=40),
        "ends_on": today + dt.timedelta(days=43),
        "booths": 10,
        "budget_krw": 50_000_000,
        "application_deadline": today + dt.timedelta(days=20),
        "caps": {"booth_rental": 5_000_000, "interpreter": 1_000_000},
    }
    exhibition = services.create_exhibition(actor=cast.program_manager, **data)
    assert sorted(exhibition.support_items.values_list("kind", flat=True)) == ["booth_rental", "interpreter"]
    with pytest.raises(PermissionDenied):
        services.create_exhibition(actor=cast.auditor, **data)
    with pytest.raises(ValidationError) as error:
        services.create_exhibition(actor=cast.program_manager, **{**data, "ends_on": today, "caps": {}})
    assert {"ends_on", "caps"} <= set(error.value.message_dict)
    assert Exhibition.objects.count() == 1


@pytest.mark.django_db
def test_apply_within_caps_once(cast):
    exhibition = make_exhibition(cast.program_manager)
    with pytest.raises(ValidationError) as error:
        services.apply_to_exhibition(
            actor=cast.partner_owner,
            exhibition=exhibition,
            exhibits="Routers",
            amounts={"booth_rental": 10_000_001, "interpreter": 100},
        )
    assert {"booth_rental", "interpreter"} <= set(error.value.message_dict)
    application = services.apply_to_exhibition(
        actor=cast.partner_owner,
        exhibition=exhibition,
        exhibits="Routers",
        amounts={"booth_rental": 9_000_000},
    )
    assert application.requested_krw == 9_000_000
    with pytest.raises(ValidationError):
        services.apply_to_exhibition(
            actor=cast.partner_member, exhibition=exhibition, exhibits="x", amounts={"lodging": 1}
        )
    assert ExhibitionApplication.objects.count() == 1


@pytest.mark.django_db
def test_selection_by_score_stays_within_budget_and_explains(cast):
    exhibition = make_exhibition(cast.program_manager, budget_krw=20_000_000)
    scored = []
    for score in (90, 80, 70):
        partner, owner = make_partner_owner()
        application = make_application(exhibition, partner, owner, amounts={"booth_rental": 8_000_000})
        services.score_application(
            actor=cast.program_manager, application=application, score=score, note="ok"
        )
        scored.append(application)
    result = services.select_by_score(actor=cast.program_manager, exhibition=exhibition)
    assert [a.pk for a in result.approved] == [scored[0].pk, scored[1].pk]
    assert result.not_fitting[0][0].pk == scored[2].pk and "budget" in result.not_fitting[0][1]
    exhibition.refresh_from_db()
    assert (exhibition.committed_krw, exhibition.booths_taken) == (16_000_000, 2)
    scored[2].refresh_from_db()
    assert scored[2].status == "submitted"
    with pytest.raises(TransitionError):
        services.approve_application(actor=cast.program_manager, application=scored[0])
    exhibition.refresh_from_db()
    assert exhibition.committed_krw == 16_000_000


@pytest.mark.django_db
def test_booths_limit_selection(cast):
    exhibition = make_exhibition(cast.program_manager, booths=1)
    first = make_application(exhibition, cast.partner, cast.partner_owner)
    second = make_application(exhibition, cast.other_partner, cast.other_partner_owner)
    services.approve_application(actor=cast.host_admin, application=first)
    with pytest.raises(ValidationError) as error:
        services.approve_application(actor=cast.host_admin, application=second)
    assert error.value.code == "no_booth"
    second.refresh_from_db()
    assert second.status == "submitted"


@pytest.mark.django_db
def test_database_refuses_over_commitment():
    from sangsaeng.accounts.tests.factories import UserFactory

    exhibition = make_exhibition(UserFactory(), budget_krw=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exhibition.objects.filter(pk=exhibition.pk).update(committed_krw=101)


def _agreed(cast, amounts=None):
    exhibition = make_exhibition(cast.program_manager)
    application = make_application(exhibition, cast.partner, cast.partner_owner, amounts=amounts)
    services.approve_application(actor=cast.program_manager, application=application)
    with pytest.raises(PermissionDenied):
        services.sign_agreement(actor=cast.partner_member, application=application)
    services.sign_agreement(actor=cast.partner_owner, application=application)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_agreement_then_claims_paid_up_to_the_cap(cast):
    application = _agreed(cast, amounts={"booth_rental": 8_000_000})
    assert "8,000,000" in application.agreement_text and application.agreement_signed_by == cast.partner_owner
    with pytest.raises(ValidationError) as error:
        services.submit_claim(
            actor=cast.partner_owner,
            application=application,
            kind="booth_rental",
            amount_krw=9_000_000,
            receipt=_receipt(),
        )
    assert "amount_krw" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.submit_claim(
            actor=cast.partner_owner,
            application=application,
            kind="booth_rental",
            amount_krw=1000,
            receipt=_receipt(b"MZ not a pdf"),
        )
    assert "receipt" in error.value.message_dict
    first = services.submit_claim(
        actor=cast.partner_owner,
        application=application,
        kind="booth_rental",
        amount_krw=6_000_000,
        receipt=_receipt(),
    )
    second = services.submit_claim(
        actor=cast.partner_member,
        application=application,
        kind="booth_rental",
        amount_krw=5_000_000,
        receipt=_receipt(),
    )
    services.pay_claim(actor=cast.program_manager, claim=first)
    services.pay_claim(actor=cast.program_manager, claim=second)
    second.refresh_from_db()
    assert (second.status, second.paid_krw) == ("paid", 2_000_000)
    item = ApplicationItem.objects.get(application=application)
    assert item.paid_krw == item.approved_krw == 8_000_000
    application.refresh_from_db()
    assert application.paid_krw == 8_000_000
    with pytest.raises(ValidationError):
        services.submit_claim(
            actor=cast.partner_owner,
            application=application,
            kind="booth_rental",
            amount_krw=1,
            receipt=_receipt(),
        )
    assert ExpenseClaim.objects.count() == 2


@pytest.mark.django_db
def test_claims_need_the_agreement_and_reject_needs_reason(cast):
    exhibition = make_exhibition(cast.program_manager)
    application = make_application(exhibition, cast.partner, cast.partner_owner, status="approved")
    with pytest.raises(ValidationError):
        services.submit_claim(
            actor=cast.partner_owner,
            application=application,
            kind="booth_rental",
            amount_krw=1,
            receipt=_receipt(),
        )
    application = _agreed_other(cast)
    claim = services.submit_claim(
        actor=cast.other_partner_owner,
        application=application,
        kind="booth_rental",
        amount_krw=10,
        receipt=_receipt(),
    )
    with pytest.raises(ValidationError):
        services.reject_claim(actor=cast.program_manager, claim=claim, reason="")
    services.reject_claim(actor=cast.program_manager, claim=claim, reason="Receipt unreadable")
    claim.refresh_from_db()
    assert claim.status == "rejected"


def _agreed_other(cast):
    exhibition = make_exhibition(cast.program_manager, name="IFA")
    application = make_application(exhibition, cast.other_partner, cast.other_partner_owner)
    services.approve_application(actor=cast.program_manager, application=application)
    services.sign_agreement(actor=cast.other_partner_owner, application=application)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_outcomes_and_exports_in_krw_at_the_recorded_rate(cast):
    application = _agreed(cast)
    services.report_outcome(
        actor=cast.partner_owner, application=application, meetings_held=12, mous=2, contracts=1
    )
    services.report_outcome(
        actor=cast.partner_owner, application=application, meetings_held=14, mous=2, contracts=1
    )
    assert ExhibitionOutcome.objects.get(application=application).meetings_held == 14
    year = timezone.localdate().year
    with pytest.raises(ValidationError) as error:
        services.report_export(
            actor=cast.partner_owner,
            partner=cast.partner,
            year=year,
            country="Spain",
            currency="EUR",
            amount=Decimal("1000"),
        )
    assert "currency" in error.value.message_dict
    services.record_exchange_rate(
        actor=cast.program_manager,
        currency="eur",
        rate_date=dt.date(year, 1, 2),
        krw_per_unit=Decimal("1450.5"),
    )
    with pytest.raises(ValidationError):
        services.record_exchange_rate(
            actor=cast.program_manager,
            currency="EUR",
            rate_date=dt.date(year, 1, 2),
            krw_per_unit=Decimal("1"),
        )
    record = services.report_export(
        actor=cast.partner_owner,
        partner=cast.partner,
        year=year,
        country="Spain",
        currency="EUR",
        amount=Decimal("1000.50"),
        application=application,
    )
    assert record.amount_krw == 1_451_225  # 1000.50 × 1450.5 = 1,451,225.25 → 1,451,225
    with pytest.raises(PermissionDenied):
        services.report_export(
            actor=cast.other_partner_owner,
            partner=cast.partner,
            year=year,
            country="Spain",
            currency="EUR",
            amount=Decimal("1"),
        )


@pytest.mark.django_db
def test_partner_withdraws_only_while_awaiting_selection(cast):
    exhibition = make_exhibition(cast.program_manager)
    application = make_application(exhibition, cast.partner, cast.partner_owner)
    with pytest.raises(PermissionDenied):
        services.withdraw_application(actor=cast.program_manager, application=application)
    services.withdraw_application(actor=cast.partner_member, application=application)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    selected = make_application(exhibition, cast.other_partner, cast.other_partner_owner, status="approved")
    with pytest.raises(TransitionError):
        services.withdraw_application(actor=cast.other_partner_owner, application=selected)
