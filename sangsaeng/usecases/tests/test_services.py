"""The use-case services: intake with the NDA, sponsors, the stage machine and its refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sangsaeng.core.models import AuditEvent, Notification
from sangsaeng.partners.models import PartnerStatus
from sangsaeng.partners.tests.factories import make_partner_owner
from sangsaeng.usecases import services
from sangsaeng.usecases.models import PIPELINE, DecisionType, GateDecision, OutcomeType, Stage, UseCase
from sangsaeng.usecases.tests.conftest import SCORES
from sangsaeng.usecases.tests.factories import make_use_case

pytestmark = pytest.mark.django_db


def _proposal(**overrides):
    values = {
        "title": "5G 원격 크레인",
        "industry": "smart_factory",
        "features": ["urllc", "private_5g"],
        "description": "항만 크레인을 5G로 원격 조종",
        "expected_customers": "항만 운영사",
        "nda_accepted": True,
    }
    values.update(overrides)
    return values


def _state(use_case):
    use_case.refresh_from_db()
    return (use_case.stage, use_case.resume_stage, use_case.decision_type, use_case.support_amount_krw)


# --- intake ---------------------------------------------------------------------------------------


def test_an_approved_partner_owner_submits_with_the_nda_recorded_and_a_two_month_deadline(cast):
    use_case = services.submit_use_case(actor=cast.partner_owner, **_proposal())

    assert use_case.partner == cast.partner
    assert use_case.stage == Stage.SUBMITTED
    assert use_case.nda_accepted_at is not None
    assert use_case.nda_text == services.nda_text() and use_case.nda_version == services.nda_version()
    assert use_case.screening_due_on == services.add_months(timezone.localdate(), 2)
    assert use_case.features == ["urllc", "private_5g"]
    assert list(use_case.decisions.values_list("from_stage", "to_stage")) == [("", Stage.SUBMITTED)]
    event = AuditEvent.objects.get(action="usecases.submit_use_case")
    assert event.object_id == str(use_case.pk)
    assert event.partner_organization_id == cast.partner.organization_id
    assert Notification.objects.filter(recipient=cast.program_manager).exists()


def test_a_member_may_submit_too(cast):
    use_case = services.submit_use_case(actor=cast.partner_member, **_proposal())
    assert use_case.proposed_by == cast.partner_member


def test_submission_without_the_nda_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(ValidationError) as caught:
        services.submit_use_case(actor=cast.partner_owner, **_proposal(nda_accepted=False))
    assert "nda_accepted" in caught.value.message_dict
    assert not UseCase.objects.exists()
    assert not AuditEvent.objects.filter(action="usecases.submit_use_case").exists()


def test_submission_needs_a_feature_an_industry_and_a_title(cast):
    with pytest.raises(ValidationError) as caught:
        services.submit_use_case(
            actor=cast.partner_owner, **_proposal(features=[], industry="space", title=" ")
        )
    assert {"features", "industry", "title"} <= set(caught.value.message_dict)
    assert not UseCase.objects.exists()


@pytest.mark.parametrize("who", ["host_admin", "program_manager", "loan_officer", "observer"])
def test_only_partner_people_submit(cast, who):
    with pytest.raises(PermissionDenied):
        services.submit_use_case(actor=getattr(cast, who), **_proposal())
    assert not UseCase.objects.exists()


def test_a_partner_still_under_review_cannot_submit(cast):
    _partner, owner = make_partner_owner(status=PartnerStatus.PENDING)
    with pytest.raises(PermissionDenied):
        services.submit_use_case(actor=owner, **_proposal())
    assert not UseCase.objects.exists()


def test_attachments_are_stored_and_a_fake_pdf_is_refused(cast, pdf):
    use_case = services.submit_use_case(actor=cast.partner_owner, attachments=[pdf], **_proposal())
    assert [a.original_name for a in use_case.attachments.all()] == ["제안서.pdf"]

    fake = SimpleUploadedFile("evil.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.submit_use_case(actor=cast.partner_owner, attachments=[fake], **_proposal(title="두번째"))
    assert "attachments" in caught.value.message_dict
    assert UseCase.objects.count() == 1


def test_the_screening_deadline_is_configurable(cast, settings):
    settings.USECASE_SCREENING_MONTHS = 3
    use_case = services.submit_use_case(actor=cast.partner_owner, **_proposal())
    assert use_case.screening_due_on == services.add_months(timezone.localdate(), 3)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 12, 31), 2, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 12, 31), 2, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 15), 2, datetime.date(2026, 5, 15)),
        (datetime.date(2026, 11, 30), 2, datetime.date(2027, 1, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert services.add_months(day, months) == expected


def test_the_partner_adds_an_attachment_later_but_another_partner_may_not(cast, sponsored, pdf):
    attachment = services.add_attachment(actor=cast.partner_member, use_case=sponsored, upload=pdf)
    assert attachment.use_case == sponsored
    assert AuditEvent.objects.filter(action="usecases.add_attachment").count() == 1

    with pytest.raises(PermissionDenied):
        services.add_attachment(actor=cast.program_manager, use_case=sponsored, upload=pdf)
    assert sponsored.attachments.count() == 1


# --- sponsor --------------------------------------------------------------------------------------


def test_a_programme_manager_assigns_a_sponsor_who_is_notified(cast):
    use_case = make_use_case(cast.partner, cast.partner_owner)
    services.assign_sponsor(actor=cast.program_manager, use_case=use_case, sponsor=cast.reviewer)
    use_case.refresh_from_db()
    assert use_case.sponsor == cast.reviewer
    event = AuditEvent.objects.get(action="usecases.assign_sponsor")
    assert event.changes == {"sponsor": [None, cast.reviewer.pk]}
    assert Notification.objects.filter(recipient=cast.reviewer).exists()


@pytest.mark.parametrize("who", ["reviewer", "lab_operator", "auditor", "partner_owner"])
def test_others_cannot_assign_a_sponsor(cast, who):
    use_case = make_use_case(cast.partner, cast.partner_owner)
    with pytest.raises(PermissionDenied):
        services.assign_sponsor(actor=getattr(cast, who), use_case=use_case, sponsor=cast.reviewer)
    use_case.refresh_from_db()
    assert use_case.sponsor is None
    assert not AuditEvent.objects.filter(action="usecases.assign_sponsor").exists()


@pytest.mark.parametrize("who", ["partner_owner", "lab_operator", "auditor", "observer"])
def test_the_sponsor_must_be_host_staff_in_a_sponsoring_role(cast, who):
    use_case = make_use_case(cast.partner, cast.partner_owner)
    with pytest.raises(ValidationError) as caught:
        services.assign_sponsor(actor=cast.program_manager, use_case=use_case, sponsor=getattr(cast, who))
    assert "sponsor" in caught.value.message_dict
    use_case.refresh_from_db()
    assert use_case.sponsor is None


# --- the stage machine ----------------------------------------------------------------------------


def _gate(actor, use_case, to_stage, **extra):
    return services.decide_gate(
        actor=actor, use_case=use_case, to_stage=to_stage, scores=SCORES, reason="근거", **extra
    )


def test_the_sponsor_walks_the_whole_pipeline_and_the_partner_hears_each_decision(cast, sponsored):
    sponsor = cast.reviewer
    _gate(sponsor, sponsored, Stage.SCREENING)
    _gate(sponsor, sponsored, Stage.POC)
    _gate(sponsor, sponsored, Stage.VALIDATION)
    _gate(sponsor, sponsored, Stage.COMMERCIALISATION)
    _gate(
        sponsor,
        sponsored,
        Stage.OUTCOME_SHARING,
        decision_type=DecisionType.JOINT_BUSINESS,
        support_amount_krw=50_000_000,
    )
    _gate(
        sponsor,
        sponsored,
        Stage.MONITORING,
        outcome_type=OutcomeType.IDEA_PURCHASE,
        purchase_amount_krw=30_000_000,
    )

    sponsored.refresh_from_db()
    assert sponsored.stage == Stage.MONITORING
    assert sponsored.decision_type == DecisionType.JOINT_BUSINESS
    assert sponsored.support_amount_krw == 50_000_000
    assert sponsored.purchase_amount_krw == 30_000_000
    steps = list(sponsored.decisions.values_list("to_stage", flat=True))
    assert steps == list(PIPELINE)
    assert GateDecision.objects.filter(use_case=sponsored, to_stage=Stage.POC).get().scores == SCORES
    assert AuditEvent.objects.filter(action="usecases.decide_gate").count() == 6
    assert Notification.objects.filter(recipient=cast.partner_owner).count() == 6
    assert Notification.objects.filter(recipient=cast.partner_member).count() == 6
    assert not Notification.objects.filter(recipient=cast.other_partner_owner).exists()


@pytest.mark.parametrize("stage", [s for s in Stage.values])
def test_every_move_outside_transitions_is_refused_and_changes_nothing(cast, stage):
    resume = Stage.SCREENING if stage == Stage.ON_HOLD else ""
    use_case = make_use_case(
        cast.partner, cast.partner_owner, stage=stage, sponsor=cast.reviewer, resume_stage=resume
    )
    allowed = services.allowed_targets(use_case)
    before = _state(use_case)
    events = AuditEvent.objects.count()
    decisions = GateDecision.objects.count()
    for target in PIPELINE:
        if target in allowed:
            continue
        with pytest.raises(ValidationError) as caught:
            _gate(cast.reviewer, use_case, target)
        assert caught.value.error_dict["to_stage"][0].code == "invalid_transition"
        assert _state(use_case) == before
    assert AuditEvent.objects.count() == events
    assert GateDecision.objects.count() == decisions


def test_the_refusal_names_the_allowed_moves(cast, sponsored):
    with pytest.raises(ValidationError) as caught:
        _gate(cast.reviewer, sponsored, Stage.POC)
    message = caught.value.message_dict["to_stage"][0]
    assert "“Submitted” cannot change to “PoC in the Open Lab”" in message
    assert "Screening" in message


def test_transitions_follow_the_data(cast):
    """Allowed targets are exactly UseCase.TRANSITIONS (on hold: only back, or stop)."""
    for stage, targets in UseCase.TRANSITIONS.items():
        use_case = UseCase(stage=stage, resume_stage=Stage.POC if stage == Stage.ON_HOLD else "")
        expected = [t for t in targets if stage != Stage.ON_HOLD or t in (Stage.POC, Stage.STOPPED)]
        assert services.allowed_targets(use_case) == expected
    assert UseCase.TRANSITIONS[Stage.STOPPED] == ()


@pytest.mark.parametrize(
    "who", ["program_manager", "lab_operator", "auditor", "partner_owner", "other_partner_owner"]
)
def test_only_the_assigned_sponsor_or_an_admin_decides(cast, sponsored, who):
    with pytest.raises(PermissionDenied):
        _gate(getattr(cast, who), sponsored, Stage.SCREENING)
    assert _state(sponsored)[0] == Stage.SUBMITTED
    assert not AuditEvent.objects.filter(action="usecases.decide_gate").exists()


def test_an_admin_decides_without_being_sponsor(cast, sponsored):
    _gate(cast.host_admin, sponsored, Stage.SCREENING)
    assert _state(sponsored)[0] == Stage.SCREENING


def test_a_gate_needs_every_score_in_range_and_a_reason(cast, sponsored):
    with pytest.raises(ValidationError) as caught:
        services.decide_gate(
            actor=cast.reviewer,
            use_case=sponsored,
            to_stage=Stage.SCREENING,
            scores={"fit": 6, "feasibility": 3, "market": True},
            reason="  ",
        )
    errors = caught.value.message_dict
    assert "reason" in errors and len(errors["scores"]) == 3
    assert _state(sponsored)[0] == Stage.SUBMITTED
    assert not AuditEvent.objects.filter(action="usecases.decide_gate").exists()


def test_joint_business_support_is_capped_at_5000_manwon_by_default(cast):
    use_case = make_use_case(
        cast.partner, cast.partner_owner, stage=Stage.COMMERCIALISATION, sponsor=cast.reviewer
    )
    for amount in (50_000_001, 0, None):
        with pytest.raises(ValidationError) as caught:
            _gate(
                cast.reviewer,
                use_case,
                Stage.OUTCOME_SHARING,
                decision_type=DecisionType.JOINT_BUSINESS,
                support_amount_krw=amount,
            )
        assert "support_amount_krw" in caught.value.message_dict
    assert _state(use_case) == (Stage.COMMERCIALISATION, "", "", None)
    with pytest.raises(ValidationError) as caught:
        _gate(cast.reviewer, use_case, Stage.OUTCOME_SHARING)
    assert "decision_type" in caught.value.message_dict


def test_the_support_cap_is_configurable(cast, settings):
    settings.USECASE_SUPPORT_CAP_KRW = 100_000_000
    use_case = make_use_case(
        cast.partner, cast.partner_owner, stage=Stage.COMMERCIALISATION, sponsor=cast.reviewer
    )
    _gate(
        cast.reviewer,
        use_case,
        Stage.OUTCOME_SHARING,
        decision_type=DecisionType.JOINT_BUSINESS,
        support_amount_krw=80_000_000,
    )
    assert _state(use_case) == (Stage.OUTCOME_SHARING, "", DecisionType.JOINT_BUSINESS, 80_000_000)


def test_purchase_conditional_development_carries_no_support_amount(cast):
    use_case = make_use_case(
        cast.partner, cast.partner_owner, stage=Stage.COMMERCIALISATION, sponsor=cast.reviewer
    )
    _gate(
        cast.reviewer,
        use_case,
        Stage.OUTCOME_SHARING,
        decision_type=DecisionType.PURCHASE_CONDITIONAL,
        support_amount_krw=10_000_000,
    )
    assert _state(use_case) == (Stage.OUTCOME_SHARING, "", DecisionType.PURCHASE_CONDITIONAL, None)


def test_outcome_sharing_records_an_idea_purchase_or_a_benefit_sharing_task(cast):
    use_case = make_use_case(
        cast.partner, cast.partner_owner, stage=Stage.OUTCOME_SHARING, sponsor=cast.reviewer
    )
    with pytest.raises(ValidationError) as caught:
        _gate(cast.reviewer, use_case, Stage.MONITORING, outcome_type=OutcomeType.IDEA_PURCHASE)
    assert "purchase_amount_krw" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _gate(cast.reviewer, use_case, Stage.MONITORING, outcome_type=OutcomeType.BENEFIT_SHARING)
    assert "benefit_sharing_reference" in caught.value.message_dict
    _gate(
        cast.reviewer,
        use_case,
        Stage.MONITORING,
        outcome_type=OutcomeType.BENEFIT_SHARING,
        benefit_sharing_reference="성과공유과제 2026-017",
    )
    use_case.refresh_from_db()
    assert (use_case.outcome_type, use_case.benefit_sharing_reference) == (
        OutcomeType.BENEFIT_SHARING,
        "성과공유과제 2026-017",
    )


def test_hold_then_resume_returns_to_the_stage_it_left(cast):
    use_case = make_use_case(cast.partner, cast.partner_owner, stage=Stage.VALIDATION, sponsor=cast.reviewer)
    services.put_on_hold(actor=cast.reviewer, use_case=use_case, reason="예산 대기")
    assert _state(use_case)[:2] == (Stage.ON_HOLD, Stage.VALIDATION)
    with pytest.raises(ValidationError):
        _gate(cast.reviewer, use_case, Stage.COMMERCIALISATION)
    services.resume_use_case(actor=cast.reviewer, use_case=use_case, reason="예산 확보")
    assert _state(use_case)[:2] == (Stage.VALIDATION, "")
    actions = list(
        AuditEvent.objects.filter(object_id=str(use_case.pk)).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["usecases.hold_use_case", "usecases.resume_use_case"]


def test_resume_is_refused_when_not_on_hold(cast, sponsored):
    with pytest.raises(ValidationError) as caught:
        services.resume_use_case(actor=cast.reviewer, use_case=sponsored, reason="x")
    assert caught.value.error_dict["to_stage"][0].code == "invalid_transition"
    assert not AuditEvent.objects.filter(action="usecases.resume_use_case").exists()


def test_stopped_is_final(cast, sponsored):
    services.stop_use_case(actor=cast.reviewer, use_case=sponsored, reason="시장성 부족")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.put_on_hold(actor=cast.reviewer, use_case=sponsored, reason="x")
    with pytest.raises(ValidationError):
        _gate(cast.reviewer, sponsored, Stage.SCREENING)
    with pytest.raises(ValidationError):
        services.stop_use_case(actor=cast.reviewer, use_case=sponsored, reason="x")
    assert _state(sponsored)[0] == Stage.STOPPED
    assert AuditEvent.objects.count() == events


def test_hold_and_stop_need_a_reason_and_the_sponsor(cast, sponsored):
    with pytest.raises(ValidationError) as caught:
        services.put_on_hold(actor=cast.reviewer, use_case=sponsored, reason="")
    assert "reason" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.stop_use_case(actor=cast.partner_owner, use_case=sponsored, reason="그만")
    assert _state(sponsored)[0] == Stage.SUBMITTED
    assert not AuditEvent.objects.exists()


def test_a_gate_cannot_be_used_to_hold_or_stop(cast, sponsored):
    for target in (Stage.ON_HOLD, Stage.STOPPED):
        with pytest.raises(ValidationError):
            _gate(cast.reviewer, sponsored, target)
    assert _state(sponsored)[0] == Stage.SUBMITTED


def test_passing_screening_tells_the_partner_where_to_book_the_open_lab(cast):
    use_case = make_use_case(cast.partner, cast.partner_owner, stage=Stage.SCREENING, sponsor=cast.reviewer)
    _gate(cast.reviewer, use_case, Stage.POC)
    note = Notification.objects.get(recipient=cast.partner_owner)
    assert f"/openlab/bookings/new/?use_case={use_case.pk}" in note.body
    assert note.url == f"/usecases/{use_case.pk}/"


def test_one_bad_attachment_refuses_the_whole_submission_and_stores_no_file(cast, pdf, settings):
    from pathlib import Path

    fake = SimpleUploadedFile("evil.png", b"GIF89a", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        services.submit_use_case(actor=cast.partner_owner, attachments=[pdf, fake], **_proposal())
    assert "attachments" in caught.value.message_dict
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert not UseCase.objects.exists()


def test_the_audit_event_names_the_original_files(cast, pdf):
    services.submit_use_case(actor=cast.partner_owner, attachments=[pdf], **_proposal())
    assert AuditEvent.objects.get(action="usecases.submit_use_case").changes["attachments"] == ["제안서.pdf"]


def test_overdue_screenings_remind_the_sponsor_or_else_the_managers(cast):
    from django.core.management import call_command

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    sponsored_late = make_use_case(cast.partner, cast.partner_owner, sponsor=cast.reviewer, due=yesterday)
    unassigned_late = make_use_case(cast.partner, cast.partner_owner, due=yesterday, title="담당자 없음")
    make_use_case(cast.partner, cast.partner_owner, sponsor=cast.reviewer)  # not late
    make_use_case(cast.partner, cast.partner_owner, stage=Stage.POC, sponsor=cast.reviewer, due=yesterday)

    call_command("remind_overdue_screenings", stdout=__import__("io").StringIO())

    # Language-independent: the reminders are the notifications (any wording) created by the command.
    reminders = Notification.objects.all()
    assert list(reminders.filter(recipient=cast.reviewer).values_list("url", flat=True)) == [
        f"/usecases/{sponsored_late.pk}/"
    ]
    assert set(reminders.exclude(recipient=cast.reviewer).values_list("url", flat=True)) == {
        f"/usecases/{unassigned_late.pk}/"
    }
    assert set(reminders.exclude(recipient=cast.reviewer).values_list("recipient", flat=True)) == {
        cast.host_admin.pk,
        cast.program_manager.pk,
    }
    assert not reminders.filter(recipient=cast.partner_owner).exists()
    assert not AuditEvent.objects.exists()
