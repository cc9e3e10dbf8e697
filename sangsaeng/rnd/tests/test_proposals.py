"""Partner side: drafting, submission rules (deadline, eligibility, share, milestone sum), withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sangsaeng.core.models import AuditEvent, Notification
from sangsaeng.rnd import services
from sangsaeng.rnd.models import Proposal, ProposalStatus
from sangsaeng.rnd.services import BudgetLineSpec, MilestoneSpec
from sangsaeng.rnd.tests.factories import make_call, make_proposal

pytestmark = pytest.mark.django_db

LINES = [
    BudgetLineSpec("personnel", 80_000_000, 20_000_000),
    BudgetLineSpec("equipment", 20_000_000, 10_000_000),
]
PLAN = [MilestoneSpec("설계", "설계서", 3, 40_000_000), MilestoneSpec("시제품", "시제품", 9, 60_000_000)]


def _draft(cast, call, **overrides):
    values = {"theme": "5G", "title": "스몰셀", "budget_lines": LINES, "milestones": PLAN} | overrides
    return services.create_proposal(actor=cast.partner_member, call=call, **values)


def test_a_partner_member_writes_a_draft_with_sums_kept_on_the_row(cast, call):
    proposal = _draft(cast, call)

    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.partner == cast.partner
    assert (proposal.requested_krw, proposal.partner_share_krw) == (100_000_000, 30_000_000)
    assert AuditEvent.objects.filter(action="rnd.create_proposal", object_id=str(proposal.pk)).count() == 1


def test_host_staff_cannot_write_proposals(cast, call):
    with pytest.raises(PermissionDenied):
        services.create_proposal(actor=cast.program_manager, call=call, theme="5G", title="x")
    assert not Proposal.objects.exists()


def test_a_theme_outside_the_call_is_a_field_error(cast, call):
    with pytest.raises(ValidationError) as error:
        _draft(cast, call, theme="우주")
    assert "theme" in error.value.message_dict


def test_submission_before_the_deadline_notifies_managers(cast, call):
    proposal = _draft(cast, call)

    services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.submitted_at is not None
    assert Notification.objects.filter(recipient=cast.program_manager).exists()


def test_submission_after_the_deadline_is_refused_with_the_deadline_shown(cast):
    closes = timezone.now() - dt.timedelta(hours=1)
    call = make_call(opens_at=closes - dt.timedelta(days=5), closes_at=closes)
    proposal = _draft(cast, call)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    shown = timezone.localtime(closes).strftime("%Y-%m-%d %H:%M")
    assert shown in error.value.messages[0] and "Asia/Seoul" in error.value.messages[0]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("call_rules", "partner_fields", "expected"),
    [
        ({"eligible_size_classes": ["small"]}, {"size_class": "medium"}, "size class"),
        ({"eligible_tiers": [2, 3]}, {"tier": 1}, "Tier 1"),
        ({"fair_trade_required": True}, {"fair_trade_agreement": False}, "fair-trade"),
    ],
)
def test_eligibility_is_checked_on_submit_with_a_clear_reason(cast, call_rules, partner_fields, expected):
    call = make_call(**call_rules)
    type(cast.partner).objects.filter(pk=cast.partner.pk).update(**partner_fields)
    proposal = _draft(cast, call)

    with pytest.raises(ValidationError) as error:
        services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    assert any(expected in message for message in error.value.message_dict["eligibility"])
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT


def test_the_partner_share_must_reach_the_calls_minimum(cast, call):
    proposal = _draft(
        cast,
        call,
        budget_lines=[BudgetLineSpec("personnel", 100_000_000, 10_000_000)],
    )

    with pytest.raises(ValidationError) as error:
        services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    assert any("at least 20 %" in m for m in error.value.message_dict["budget_lines"])


def test_milestone_amounts_must_add_up_to_the_request(cast, call):
    proposal = _draft(cast, call, milestones=[MilestoneSpec("설계", "설계서", 3, 40_000_000)])

    with pytest.raises(ValidationError) as error:
        services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    assert "milestones" in error.value.message_dict


def test_the_cap_per_partner_counts_the_companys_other_submissions(cast):
    call = make_call(max_per_partner_krw=150_000_000)
    make_proposal(call, cast.partner, status=ProposalStatus.SUBMITTED, requested_krw=100_000_000)
    proposal = _draft(cast, call)

    with pytest.raises(ValidationError) as error:
        services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    assert any("cap per partner" in m for m in error.value.message_dict["budget_lines"])


def test_another_partner_cannot_submit_or_withdraw(cast, call):
    proposal = _draft(cast, call)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.submit_proposal(actor=cast.other_partner_owner, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(actor=cast.other_partner_owner, proposal=proposal)

    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT
    assert AuditEvent.objects.count() == events


def test_a_submitted_proposal_can_be_withdrawn_but_not_edited(cast, call):
    proposal = _draft(cast, call)
    services.submit_proposal(actor=cast.partner_owner, proposal=proposal)

    with pytest.raises(PermissionDenied):
        services.update_proposal(actor=cast.partner_owner, proposal=proposal, title="바꿈")
    services.withdraw_proposal(actor=cast.partner_owner, proposal=proposal)

    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw_proposal(actor=cast.partner_owner, proposal=proposal)


def test_a_draft_is_edited_with_new_lines_and_milestones(cast, call):
    proposal = _draft(cast, call)

    services.update_proposal(
        actor=cast.partner_owner,
        proposal=proposal,
        title="새 제목",
        budget_lines=[BudgetLineSpec("materials", 50_000_000, 20_000_000)],
        milestones=[MilestoneSpec("완료", "보고서", 6, 50_000_000)],
    )

    proposal.refresh_from_db()
    assert (proposal.title, proposal.requested_krw) == ("새 제목", 50_000_000)
    assert proposal.milestones.count() == 1


def test_only_real_pdfs_are_attached(cast, call):
    proposal = _draft(cast, call)
    fake = SimpleUploadedFile("plan.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    real = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    with pytest.raises(ValidationError):
        services.add_attachment(actor=cast.partner_owner, proposal=proposal, upload=fake)
    services.add_attachment(actor=cast.partner_owner, proposal=proposal, upload=real)

    assert proposal.attachments.count() == 1


def test_a_milestone_after_the_project_period_is_a_field_error_and_nothing_is_saved(cast, call):
    late = [MilestoneSpec("설계", "설계서", 3, 40_000_000), MilestoneSpec("시제품", "시제품", 61, 60_000_000)]

    with pytest.raises(ValidationError) as error:
        _draft(cast, call, milestones=late)

    assert any("month 61" in message for message in error.value.message_dict["milestones"])
    assert not Proposal.objects.exists()
