"""Permission matrix of every accounts endpoint that acts on partner A's people.

Actors: anonymous, the owner of another partner, a member of partner A without the right, and
partner A's owner (who has it). Refusals change nothing and write no audit event.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from sangsaeng.accounts import permissions, services
from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "other_partner", "member", "owner")


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any], str]  # given the cast, the URL to call
    expected: tuple[int, int, int, int]  # status for ACTORS in order
    data: dict[str, Any] | None = None
    changes: bool = True  # a success writes an audit event


def _membership_id(cast) -> int:
    return cast.partner_member.memberships.get().pk


def _inactive_member_id(cast) -> int:
    """A former colleague (not the acting member, whose account would be closed)."""
    from sangsaeng.accounts.tests.factories import MembershipFactory

    membership = MembershipFactory(organization=cast.partner.organization, role=Role.MEMBER)
    services.deactivate_member(actor=cast.partner_owner, membership=membership)
    return membership.pk


def _invitation_id(cast) -> int:
    return services.invite_member(
        actor=cast.partner_owner,
        organization=cast.partner.organization,
        email="x@example.com",
        role=Role.MEMBER,
    ).invitation.pk


def _owner_token_id(cast) -> int:
    return services.create_api_token(actor=cast.partner_owner, name="owner's").token.pk


WEB_CASES = [
    Case(
        "members page of partner A",
        "get",
        lambda c: f"{reverse('accounts:members')}?organization={c.partner.organization.pk}",
        (302, 404, 403, 200),
        changes=False,
    ),
    Case(
        "change role",
        "post",
        lambda c: reverse("accounts:member_role", args=[_membership_id(c)]),
        (302, 404, 403, 302),
        data={"role": Role.OWNER},
    ),
    Case(
        "deactivate",
        "post",
        lambda c: reverse("accounts:member_deactivate", args=[_membership_id(c)]),
        (302, 404, 403, 302),
    ),
    Case(
        "reactivate",
        "post",
        lambda c: reverse("accounts:member_reactivate", args=[_inactive_member_id(c)]),
        (302, 404, 403, 302),
    ),
    Case(
        "invite",
        "post",
        lambda c: reverse("accounts:invitation_create"),
        (302, 404, 403, 302),
        data={"email": "new@example.com", "role": Role.MEMBER, "organization": "{partner}"},
    ),
    Case(
        "withdraw invitation",
        "post",
        lambda c: reverse("accounts:invitation_revoke", args=[_invitation_id(c)]),
        (302, 404, 403, 302),
    ),
    Case(
        "revoke the owner's token",
        "post",
        lambda c: reverse("accounts:token_revoke", args=[_owner_token_id(c)]),
        (302, 404, 404, 302),  # tokens are personal: a colleague does not see it either
    ),
]

API_CASES = [
    Case(
        "organisation detail",
        "get",
        lambda c: f"/api/v1/organizations/{c.partner.organization.pk}",
        (401, 404, 200, 200),
        changes=False,
    ),
    Case(
        "member list",
        "get",
        lambda c: f"/api/v1/organizations/{c.partner.organization.pk}/members",
        (401, 404, 403, 200),
        changes=False,
    ),
    Case(
        "deactivate",
        "post",
        lambda c: f"/api/v1/members/{_membership_id(c)}/deactivate",
        (401, 404, 403, 200),
    ),
    Case(
        "invite",
        "post",
        lambda c: "/api/v1/invitations",
        (401, 404, 403, 201),
        data={"email": "new@example.com", "role": Role.MEMBER, "organization_id": "{partner}"},
    ),
    Case("invitation list", "get", lambda c: "/api/v1/invitations", (401, 200, 403, 200), changes=False),
    Case(
        "withdraw invitation",
        "post",
        lambda c: f"/api/v1/invitations/{_invitation_id(c)}/revoke",
        (401, 404, 403, 200),
    ),
    Case(
        "revoke the owner's token",
        "post",
        lambda c: f"/api/v1/tokens/{_owner_token_id(c)}/revoke",
        (401, 404, 404, 200),
    ),
]


def _actor(cast, name):
    return {
        "anonymous": None,
        "other_partner": cast.other_partner_owner,
        "member": cast.partner_member,
        "owner": cast.partner_owner,
    }[name]


def _data(case: Case, cast) -> dict[str, Any]:
    return {
        key: (cast.partner.organization.pk if value == "{partner}" else value)
        for key, value in (case.data or {}).items()
    }


def _run(client, cast, case: Case, index: int, api: bool):
    actor = _actor(cast, ACTORS[index])
    if actor is not None:
        client.force_login(actor, backend="django.contrib.auth.backends.ModelBackend")
    url = case.url(cast)  # may create the object first (with its own audit event)
    data = _data(case, cast)
    before = AuditEvent.objects.count()

    if case.method == "get":
        response = client.get(url)
    elif api:
        response = client.post(url, json.dumps(data), content_type="application/json")
    else:
        response = client.post(url, data)

    expected = case.expected[index]
    assert response.status_code == expected, f"{case.name} as {ACTORS[index]}: {response.status_code}"
    if response.status_code == 302 and actor is None:
        assert response["Location"].startswith("/accounts/login/")
    success = expected in (200, 201) or (expected == 302 and actor is not None)
    written = AuditEvent.objects.count() - before
    assert written == (1 if success and case.changes else 0), (
        f"{case.name} as {ACTORS[index]} wrote {written}"
    )


@pytest.mark.parametrize("index", range(len(ACTORS)), ids=ACTORS)
@pytest.mark.parametrize("case", WEB_CASES, ids=[c.name for c in WEB_CASES])
def test_web_permission_matrix(client, cast, case, index):
    _run(client, cast, case, index, api=False)


@pytest.mark.parametrize("index", range(len(ACTORS)), ids=ACTORS)
@pytest.mark.parametrize("case", API_CASES, ids=[c.name for c in API_CASES])
def test_api_permission_matrix(client, cast, case, index):
    _run(client, cast, case, index, api=True)


@pytest.mark.parametrize(
    ("actor_name", "organization_name", "manages"),
    [
        ("partner_owner", "partner", True),
        ("partner_owner", "other_partner", False),
        ("partner_member", "partner", False),
        ("host_admin", "host", True),
        ("host_admin", "bank", True),
        ("host_admin", "agency", True),
        ("host_admin", "partner", False),
        ("program_manager", "host", False),
        ("auditor", "host", False),
        ("loan_officer", "bank", False),
        ("observer", "agency", False),
    ],
)
def test_who_manages_whose_people(cast, actor_name, organization_name, manages):
    organization = getattr(cast, organization_name)
    organization = getattr(organization, "organization", organization)

    assert permissions.can_manage_members(getattr(cast, actor_name), organization) is manages


def test_invitable_roles_follow_the_kind_of_organisation(cast):
    assert permissions.invitable_roles(cast.partner_owner, cast.partner.organization) == (
        Role.OWNER,
        Role.MEMBER,
    )
    assert permissions.invitable_roles(cast.host_admin, cast.bank) == (Role.LOAN_OFFICER,)
    assert permissions.invitable_roles(cast.host_admin, cast.agency) == (Role.OBSERVER,)
    assert Role.AUDITOR in permissions.invitable_roles(cast.host_admin, cast.host)
    assert permissions.invitable_roles(cast.host_admin, cast.partner.organization) == ()
    assert not permissions.can_create_organization(cast.host_admin, OrganizationKind.PARTNER)
