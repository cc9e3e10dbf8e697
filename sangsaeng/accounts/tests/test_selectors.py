"""people_with_role: the one query for "who holds this role" (recipients, reviewer pools, sponsors)."""

from __future__ import annotations

import pytest

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, Role
from sangsaeng.accounts.selectors import people_with_role
from sangsaeng.accounts.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_it_filters_by_role_kind_and_organisation(cast):
    admins = list(people_with_role(Role.ADMIN, organization_kind=OrganizationKind.HOST))
    assert admins == [cast.host_admin]
    assert cast.program_manager not in admins
    deciders = set(
        people_with_role(Role.ADMIN, Role.PROGRAM_MANAGER, organization_kind=OrganizationKind.HOST)
    )
    assert {cast.host_admin, cast.program_manager} <= deciders
    assert cast.partner_owner not in deciders
    owners = set(people_with_role(Role.OWNER, organization_id=cast.partner.organization_id))
    assert owners == {cast.partner_owner}
    everyone = set(people_with_role(organization_id=cast.partner.organization_id))
    assert everyone == {cast.partner_owner, cast.partner_member}


def test_inactive_people_memberships_and_organisations_are_left_out():
    kept = make_member(OrganizationKind.HOST, Role.REVIEWER)
    inactive_user = make_member(OrganizationKind.HOST, Role.REVIEWER, is_active=False)
    ended = make_member(OrganizationKind.HOST, Role.REVIEWER)
    Membership.objects.filter(user=ended).update(is_active=False)
    closed = make_member(OrganizationKind.HOST, Role.REVIEWER)
    Organization.objects.filter(memberships__user=closed).update(is_active=False)

    reviewers = list(people_with_role(Role.REVIEWER))
    assert reviewers == [kept]
    assert not {inactive_user, ended, closed} & set(reviewers)
