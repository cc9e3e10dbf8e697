"""The one state-machine mechanism, tried on the partner onboarding workflow (Partner.TRANSITIONS)."""

from __future__ import annotations

import pickle
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from sangsaeng.accounts.tests.factories import UserFactory
from sangsaeng.core import audit, workflow
from sangsaeng.core.models import AuditEvent
from sangsaeng.core.workflow import TransitionError
from sangsaeng.partners.models import Partner, PartnerStatus
from sangsaeng.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _row(partner: Partner) -> dict:
    return Partner.objects.filter(pk=partner.pk).values("status", "status_reason", "tier", "updated_at").get()


def _events(partner: Partner):
    return AuditEvent.objects.filter(object_type="partners.partner", object_id=str(partner.pk))


# --- Allowed transitions --------------------------------------------------------------------------------


def test_an_allowed_transition_writes_the_state_and_the_updates_and_records_one_event():
    actor = UserFactory()
    partner = PartnerFactory(status=PartnerStatus.PENDING, status_reason="")
    before = _row(partner)

    result = workflow.transition(
        partner,
        PartnerStatus.APPROVED,
        actor=actor,
        action="partners.approve_partner",
        updates={"status_reason": "서류 확인 완료"},
        partner_organization_id=partner.organization_id,
    )

    assert result is partner
    assert partner.status == PartnerStatus.APPROVED and partner.status_reason == "서류 확인 완료"
    row = _row(partner)
    assert row["status"] == "approved" and row["status_reason"] == "서류 확인 완료"
    assert row["updated_at"] > before["updated_at"]  # auto_now is kept although UPDATE skips it
    event = _events(partner).get()
    assert event.action == "partners.approve_partner"
    assert event.actor == actor
    assert event.partner_organization_id == partner.organization_id
    assert event.changes == {"status": ["pending", "approved"], "status_reason": ["", "서류 확인 완료"]}
    assert audit.verify_chain().ok


def test_the_default_action_names_the_model_and_the_target_state():
    partner = PartnerFactory(status=PartnerStatus.PENDING)

    workflow.transition(partner, PartnerStatus.CHANGES_REQUESTED, actor=None, reason="사업자등록증 보완")

    assert _events(partner).get().action == "partners.partner_changes_requested"


def test_the_reason_and_extra_changes_are_recorded_with_the_state_change():
    partner = PartnerFactory(status=PartnerStatus.APPROVED)

    workflow.transition(
        partner,
        PartnerStatus.SUSPENDED,
        actor=None,
        reason="  공정거래 위반 조사 중 ",
        extra_changes={"case": "FT-2026-7"},
    )

    assert _events(partner).get().changes == {
        "status": ["approved", "suspended"],
        "reason": "공정거래 위반 조사 중",
        "case": "FT-2026-7",
    }


def test_an_expression_update_is_read_back_and_audited_with_its_value():
    partner = PartnerFactory(status=PartnerStatus.PENDING, tier=1)

    workflow.transition(partner, PartnerStatus.APPROVED, actor=None, updates={"tier": F("tier") + 1})

    assert partner.tier == 2 and _row(partner)["tier"] == 2
    assert _events(partner).get().changes["tier"] == [1, 2]


def test_a_foreign_key_update_is_audited_as_ids():
    user = UserFactory()
    partner = PartnerFactory(status=PartnerStatus.PENDING, created_by=None)

    workflow.transition(partner, PartnerStatus.APPROVED, actor=user, updates={"created_by": user})

    assert Partner.objects.get(pk=partner.pk).created_by_id == user.pk
    assert _events(partner).get().changes["created_by"] == [None, user.pk]


def test_it_opens_a_transaction_when_the_caller_has_none_and_joins_the_callers_otherwise():
    first, second = PartnerFactory(status=PartnerStatus.PENDING), PartnerFactory(status=PartnerStatus.PENDING)

    workflow.transition(first, PartnerStatus.APPROVED, actor=None)  # no atomic block around it
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.transition(second, PartnerStatus.APPROVED, actor=None)
        raise RuntimeError("the caller fails after the transition")

    assert _row(first)["status"] == "approved"
    assert _row(second)["status"] == "pending"  # rolled back with the caller's transaction
    assert not _events(second).exists()


def test_allowed_targets_and_can_transition_follow_the_declared_table():
    partner = PartnerFactory(status=PartnerStatus.PENDING)

    assert workflow.allowed_targets(partner) == ("approved", "rejected", "changes_requested")
    assert workflow.can_transition(partner, PartnerStatus.REJECTED)
    assert not workflow.can_transition(partner, PartnerStatus.SUSPENDED)


def test_restrict_transitions_narrows_the_targets_of_one_object():
    partner = PartnerFactory(status=PartnerStatus.PENDING)
    with mock.patch.object(
        Partner,
        "restrict_transitions",
        lambda self, targets: [t for t in targets if t != "rejected"],
        create=True,
    ):
        assert workflow.allowed_targets(partner) == ("approved", "changes_requested")
        with pytest.raises(TransitionError):
            workflow.transition(partner, PartnerStatus.REJECTED, actor=None)

    assert _row(partner)["status"] == "pending"


# --- Refusals leave everything unchanged ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (PartnerStatus.APPROVED, PartnerStatus.PENDING),
        (PartnerStatus.PENDING, PartnerStatus.SUSPENDED),
        (PartnerStatus.SUSPENDED, PartnerStatus.REJECTED),
        (PartnerStatus.PENDING, "no_such_state"),
        (PartnerStatus.PENDING, PartnerStatus.PENDING),
    ],
)
def test_a_transition_not_declared_is_refused_and_nothing_changes(status, target):
    partner = PartnerFactory(status=status, status_reason="before")
    before = _row(partner)

    with pytest.raises(TransitionError) as refused:
        workflow.transition(partner, target, actor=None, updates={"status_reason": "after"})

    assert refused.value.code == "invalid_transition"
    assert isinstance(refused.value, ValidationError)
    assert (refused.value.source, refused.value.target) == (status, str(target))
    assert _row(partner) == before
    assert partner.status == status and partner.status_reason == "before"
    assert not _events(partner).exists()


def test_the_refusal_names_the_translated_labels_of_both_states_and_what_is_allowed():
    partner = PartnerFactory(status=PartnerStatus.PENDING)

    with pytest.raises(TransitionError) as refused:
        workflow.transition(partner, PartnerStatus.SUSPENDED, actor=None)

    assert refused.value.messages == [
        "“Under review” cannot change to “Suspended”. "
        "Allowed now: “Approved”, “Rejected”, “Changes requested”."
    ]


def test_the_refusal_is_in_korean_for_a_korean_reader():
    partner = PartnerFactory(status=PartnerStatus.APPROVED)

    with translation.override("ko"), pytest.raises(TransitionError) as refused:
        workflow.transition(partner, PartnerStatus.REJECTED, actor=None)

    with translation.override("ko"):
        approved, rejected = str(PartnerStatus.APPROVED.label), str(PartnerStatus.REJECTED.label)
        suspended = str(PartnerStatus.SUSPENDED.label)
    message = refused.value.messages[0]
    assert approved != "Approved"  # the catalogue has them
    assert f"“{approved}”" in message and f"“{rejected}”" in message and f"“{suspended}”" in message
    for raw in ("approved", "rejected", "suspended", "Approved", "cannot"):
        assert raw not in message


def test_a_final_state_says_so():
    partner = PartnerFactory(status=PartnerStatus.REJECTED)
    table = {**Partner.TRANSITIONS, PartnerStatus.REJECTED: ()}

    with mock.patch.object(Partner, "TRANSITIONS", table), pytest.raises(TransitionError) as refused:
        workflow.transition(partner, PartnerStatus.PENDING, actor=None)

    assert refused.value.messages == ["“Rejected” is final: it cannot change to “Under review”."]


def test_a_target_in_reason_required_needs_a_reason_and_writes_nothing_without_it():
    partner = PartnerFactory(status=PartnerStatus.PENDING)
    required = frozenset({PartnerStatus.REJECTED})

    with mock.patch.object(Partner, "REASON_REQUIRED", required, create=True):
        with pytest.raises(ValidationError) as refused:
            workflow.transition(partner, PartnerStatus.REJECTED, actor=None, reason="   ")
        assert _row(partner)["status"] == "pending" and not _events(partner).exists()
        assert refused.value.message_dict == {
            "reason": ["Give a reason for “Rejected”; it is recorded and shown."]
        }
        assert refused.value.error_dict["reason"][0].code == "required"

        workflow.transition(partner, PartnerStatus.REJECTED, actor=None, reason="사업자 정보 불일치")

    assert _row(partner)["status"] == "rejected"
    assert _events(partner).get().changes["reason"] == "사업자 정보 불일치"


def test_the_state_field_cannot_be_smuggled_into_updates():
    partner = PartnerFactory(status=PartnerStatus.PENDING)

    with pytest.raises(ValueError, match="as `to`"):
        workflow.transition(partner, PartnerStatus.APPROVED, actor=None, updates={"status": "suspended"})

    assert _row(partner)["status"] == "pending"


def test_a_model_without_transitions_is_a_programming_error():
    user = UserFactory()

    with pytest.raises(ImproperlyConfigured):
        workflow.transition(user, "x", actor=None)


# --- Someone else was faster: the guarded UPDATE ----------------------------------------------------------


def test_a_stale_object_is_refused_with_state_changed_and_the_other_change_stands():
    partner = PartnerFactory(status=PartnerStatus.PENDING)
    stale = Partner.objects.get(pk=partner.pk)
    workflow.transition(partner, PartnerStatus.APPROVED, actor=None)

    with pytest.raises(TransitionError) as refused:
        workflow.transition(
            stale, PartnerStatus.REJECTED, actor=None, reason="늦은 반려", updates={"status_reason": "late"}
        )

    assert refused.value.code == "state_changed"
    assert refused.value.messages == [
        "This was changed meanwhile (now “Approved”): reload the page and try again."
    ]
    assert _row(partner)["status"] == "approved" and _row(partner)["status_reason"] == ""
    assert stale.status == PartnerStatus.PENDING  # the instance is left as it was read
    assert _events(partner).count() == 1


def test_the_state_changed_message_is_translated():
    partner = PartnerFactory(status=PartnerStatus.PENDING)
    stale = Partner.objects.get(pk=partner.pk)
    workflow.transition(partner, PartnerStatus.APPROVED, actor=None)

    with translation.override("ko"), pytest.raises(TransitionError) as refused:
        workflow.transition(stale, PartnerStatus.REJECTED, actor=None, reason="늦은 반려")

    with translation.override("ko"):
        approved = str(PartnerStatus.APPROVED.label)
    assert f"“{approved}”" in refused.value.messages[0]
    assert "reload" not in refused.value.messages[0]


def test_when_the_audit_record_fails_the_row_and_the_instance_stay_as_they_were():
    partner = PartnerFactory(status=PartnerStatus.PENDING, status_reason="")
    before = _row(partner)

    with mock.patch.object(audit, "record", side_effect=RuntimeError("chain head unavailable")):
        with pytest.raises(RuntimeError):
            workflow.transition(partner, PartnerStatus.APPROVED, actor=None, updates={"status_reason": "x"})

    assert _row(partner) == before
    assert partner.status == PartnerStatus.PENDING and partner.status_reason == ""


def test_a_transition_error_survives_copying_and_pickling_with_its_code():
    error = TransitionError("nope", code=TransitionError.STATE_CHANGED, source="a", target="b")

    copied = pickle.loads(pickle.dumps(error))
    wrapped = ValidationError({"decision": error})

    assert copied.code == "state_changed" and copied.messages == ["nope"]
    assert wrapped.error_dict["decision"][0].code == "state_changed"


def test_approved_at_style_updates_take_the_given_value():
    partner = PartnerFactory(status=PartnerStatus.PENDING, approved_at=None)
    now = timezone.now()

    workflow.transition(partner, PartnerStatus.APPROVED, actor=None, updates={"approved_at": now})

    assert Partner.objects.get(pk=partner.pk).approved_at == now
    assert _events(partner).get().changes["approved_at"] == [None, now.isoformat()]
