"""Races between app servers (threads here): single-use links and the last-owner rule hold."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sangsaeng.accounts import services
from sangsaeng.accounts.models import Membership, OrganizationKind, Role, User
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core.testing import race

STRONG_PASSWORD = "plum-orchard-41-kettle"


@pytest.mark.django_db(transaction=True)
def test_two_owners_removing_each_other_at_once_leave_one_owner():
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER)
    first = make_member(OrganizationKind.PARTNER, Role.OWNER, partner)
    second = make_member(OrganizationKind.PARTNER, Role.OWNER, partner)
    first_membership, second_membership = first.memberships.get(), second.memberships.get()

    succeeded, errors = race(
        lambda: services.deactivate_member(actor=first, membership=second_membership),
        lambda: services.deactivate_member(actor=second, membership=first_membership),
    )

    assert Membership.objects.filter(organization=partner, role=Role.OWNER, is_active=True).count() == 1
    assert succeeded == 1
    # The second is refused: as no longer an owner, or (if it read first) as the last owner.
    assert len(errors) == 1 and isinstance(errors[0], PermissionDenied | ValidationError), errors


@pytest.mark.django_db(transaction=True)
def test_one_invitation_link_opened_twice_at_once_makes_one_account():
    partner = OrganizationFactory(kind=OrganizationKind.PARTNER)
    owner = make_member(OrganizationKind.PARTNER, Role.OWNER, partner)
    issued = services.invite_member(
        actor=owner, organization=partner, email="twice@example.com", role=Role.MEMBER
    )

    def accept() -> object:
        return services.accept_invitation(
            actor=None, raw_token=issued.raw_token, name="두번", password=STRONG_PASSWORD
        )

    succeeded, errors = race(accept, accept)

    assert succeeded == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert User.objects.filter(email="twice@example.com").count() == 1
    assert Membership.objects.filter(user__email="twice@example.com").count() == 1
