"""Two app servers (threads here) move the same object from the same state at once: exactly one wins,
the other gets `state_changed`, and the audit trail holds one event. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from sangsaeng.core import audit, workflow
from sangsaeng.core.models import AuditEvent
from sangsaeng.core.testing import race
from sangsaeng.core.workflow import TransitionError
from sangsaeng.partners.models import Partner, PartnerStatus
from sangsaeng.partners.tests.factories import PartnerFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "targets",
    [
        (PartnerStatus.APPROVED, PartnerStatus.APPROVED),
        (PartnerStatus.APPROVED, PartnerStatus.REJECTED),
        (PartnerStatus.CHANGES_REQUESTED, PartnerStatus.REJECTED),
    ],
)
def test_two_transitions_from_the_same_state_at_once_let_exactly_one_win(targets):
    partner = PartnerFactory(status=PartnerStatus.PENDING)
    # Each "server" read the partner while it was pending, as two requests would.
    copies = [Partner.objects.get(pk=partner.pk) for _ in targets]

    succeeded, errors = race(
        *(
            (lambda copy=copy, target=target: workflow.transition(copy, target, actor=None, reason="심사"))
            for copy, target in zip(copies, targets, strict=True)
        )
    )

    assert succeeded == 1
    assert len(errors) == 1 and isinstance(errors[0], TransitionError), errors
    assert errors[0].code == "state_changed"
    winner = next(copy for copy in copies if copy.status != PartnerStatus.PENDING)
    assert Partner.objects.get(pk=partner.pk).status == winner.status
    events = AuditEvent.objects.filter(object_type="partners.partner", object_id=str(partner.pk))
    assert [event.changes["status"] for event in events] == [["pending", str(winner.status)]]
    assert audit.verify_chain().ok
