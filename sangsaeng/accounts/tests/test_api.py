"""The accounts API: me, organisations, members, invitations, tokens; session and bearer auth."""

from __future__ import annotations

import hashlib

import pytest

from sangsaeng.accounts import services
from sangsaeng.accounts.models import ApiToken, Invitation, Membership, OrganizationKind, Role
from sangsaeng.accounts.tests.factories import MembershipFactory, UserFactory
from sangsaeng.core.models import AuditEvent, PersonalDataAccess

pytestmark = pytest.mark.django_db


def _add_members(organization, count):
    for _ in range(count):
        MembershipFactory(user=UserFactory(phone="010-2345-6789"), organization=organization)


# --- Authentication -------------------------------------------------------------------------------


def test_me_answers_for_a_session_and_for_a_bearer_token(api, cast):
    issued = services.create_api_token(actor=cast.partner_member, name="ERP")

    by_token = api.get("/me", token=issued.raw_token)
    by_session = api.as_user(cast.partner_member).get("/me")

    for response in (by_token, by_session):
        assert response.status_code == 200
        body = response.json()
        assert body["email"] == cast.partner_member.email
        assert body["role"] == Role.MEMBER
        assert body["organization"]["id"] == cast.partner.organization.pk
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("token", [None, "ss_not-a-real-token"])
def test_without_a_valid_token_the_api_answers_401_with_the_error_body(api, token):
    response = api.get("/me", token=token)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_stops_working_at_once(api, cast):
    issued = services.create_api_token(actor=cast.partner_member, name="ERP")
    services.revoke_api_token(actor=cast.partner_member, token=issued.token)

    assert api.get("/me", token=issued.raw_token).status_code == 401


def test_a_token_stops_when_its_owner_leaves_the_organisation(api, cast):
    issued = services.create_api_token(actor=cast.partner_member, name="ERP")

    response = api.post(
        f"/members/{cast.partner_member.memberships.get().pk}/deactivate", token=None
    )  # anonymous first: refused
    assert response.status_code == 401
    response = api.as_user(cast.partner_owner).post(
        f"/members/{cast.partner_member.memberships.get().pk}/deactivate"
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    api.client.logout()
    assert api.get("/me", token=issued.raw_token).status_code == 401


# --- Organisations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor_name", "sees_all"),
    [("reviewer", True), ("observer", True), ("partner_owner", False), ("loan_officer", False)],
)
def test_host_and_agency_list_every_organisation_others_only_their_own(api, cast, actor_name, sees_all):
    actor = getattr(cast, actor_name)

    response = api.as_user(actor).get("/organizations")

    ids = {row["id"] for row in response.json()["items"]}
    if sees_all:
        assert {cast.partner.organization.pk, cast.other_partner.organization.pk, cast.bank.pk} <= ids
    else:
        assert len(ids) == 1
        assert ids == {actor.memberships.get().organization_id}


def test_organisations_can_be_filtered_by_kind(api, cast):
    response = api.as_user(cast.host_admin).get("/organizations", kind="bank")

    assert {row["id"] for row in response.json()["items"]} == {cast.bank.pk, cast.other_bank.pk}


def test_another_companys_organisation_is_a_404(api, cast):
    response = api.as_user(cast.partner_owner).get(f"/organizations/{cast.other_partner.organization.pk}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_organisation_list_runs_the_same_queries_for_5_and_50(api, cast, count_queries):
    from sangsaeng.accounts.tests.factories import OrganizationFactory

    api.as_user(cast.host_admin)
    few = count_queries(lambda: api.get("/organizations"))
    OrganizationFactory.create_batch(45, kind=OrganizationKind.BANK)
    many = count_queries(lambda: api.get("/organizations"))

    assert few == many <= 6


# --- Members --------------------------------------------------------------------------------------


def test_own_members_are_listed_unmasked(api, cast):
    response = api.as_user(cast.partner_owner).get(f"/organizations/{cast.partner.organization.pk}/members")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {row["email"] for row in body["items"]} == {cast.partner_owner.email, cast.partner_member.email}
    assert not PersonalDataAccess.objects.exists()


def test_a_host_admin_gets_a_partners_members_masked_and_the_access_is_logged(api, cast):
    organization = cast.partner.organization
    _add_members(organization, 1)

    response = api.as_user(cast.host_admin).get(f"/organizations/{organization.pk}/members", limit=2)

    body = response.json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert all("*" in row["email"] for row in body["items"])
    assert all(row["phone"] in ("", "010-****-6789") for row in body["items"])
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.subject_organization_id, log.subject_count) == (
        cast.host_admin,
        organization.pk,
        2,
    )


def test_members_can_be_filtered_by_status(api, cast):
    services.deactivate_member(actor=cast.partner_owner, membership=cast.partner_member.memberships.get())

    response = api.as_user(cast.partner_owner).get(
        f"/organizations/{cast.partner.organization.pk}/members", is_active="false"
    )

    assert [row["user_id"] for row in response.json()["items"]] == [cast.partner_member.pk]


def test_member_list_runs_the_same_queries_for_5_and_50(api, cast, count_queries):
    organization = cast.partner.organization
    url = f"/organizations/{organization.pk}/members"
    api.as_user(cast.host_admin)
    _add_members(organization, 3)
    few = count_queries(lambda: api.get(url))
    _add_members(organization, 45)
    many = count_queries(lambda: api.get(url))

    assert few == many <= 8


def test_deactivating_the_last_owner_is_refused_with_a_422(api, cast, audit_count):
    events = audit_count()

    response = api.as_user(cast.partner_owner).post(
        f"/members/{cast.partner_owner.memberships.get().pk}/deactivate"
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert Membership.objects.get(user=cast.partner_owner).is_active
    assert audit_count() == events


# --- Invitations ----------------------------------------------------------------------------------


def test_an_owner_invites_through_the_api_without_the_token_in_the_answer(
    api, cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(cast.partner_owner).post(
            "/invitations", {"email": "new@example.com", "role": "member"}
        )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["organization_id"] == cast.partner.organization.pk
    link_token = mailoutbox[0].body.split("/accounts/invitations/")[1].split("/")[0]
    assert link_token not in response.content.decode()
    assert Invitation.objects.get().token_hash == hashlib.sha256(link_token.encode()).hexdigest()


def test_a_host_admin_invites_a_loan_officer_to_a_bank(api, cast):
    response = api.as_user(cast.host_admin).post(
        "/invitations", {"email": "o@bank.example", "role": "loan_officer", "organization_id": cast.bank.pk}
    )

    assert response.status_code == 201
    assert Invitation.objects.get().organization == cast.bank


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address", "role": "member"}, "email"),
        ({"email": "a@example.com", "role": "chief"}, "role"),
        ({"role": "member"}, "email"),
    ],
)
def test_bad_invitations_get_field_errors(api, cast, body, field):
    response = api.as_user(cast.partner_owner).post("/invitations", body)

    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert not Invitation.objects.exists()


def test_invitations_are_listed_for_their_managers_only(api, cast):
    services.invite_member(
        actor=cast.partner_owner,
        organization=cast.partner.organization,
        email="a@example.com",
        role=Role.MEMBER,
    )

    owner_view = api.as_user(cast.partner_owner).get("/invitations")
    member_view = api.as_user(cast.partner_member).get("/invitations")
    other_view = api.as_user(cast.other_partner_owner).get("/invitations")

    assert [row["email"] for row in owner_view.json()["items"]] == ["a@example.com"]
    assert member_view.status_code == 403
    assert other_view.json()["items"] == []


def test_invitation_list_runs_the_same_queries_for_5_and_50(api, cast, count_queries):
    def invite(count, start):
        for n in range(start, start + count):
            services.invite_member(
                actor=cast.partner_owner,
                organization=cast.partner.organization,
                email=f"p{n}@example.com",
                role=Role.MEMBER,
            )

    api.as_user(cast.partner_owner)
    invite(5, 0)
    few = count_queries(lambda: api.get("/invitations"))
    invite(45, 5)
    many = count_queries(lambda: api.get("/invitations"))

    assert few == many <= 6


def test_an_owner_withdraws_an_invitation_and_a_member_cannot(api, cast, audit_count):
    issued = services.invite_member(
        actor=cast.partner_owner,
        organization=cast.partner.organization,
        email="a@example.com",
        role=Role.MEMBER,
    )
    url = f"/invitations/{issued.invitation.pk}/revoke"
    events = audit_count()

    assert api.as_user(cast.partner_member).post(url).status_code == 403
    assert audit_count() == events
    response = api.as_user(cast.partner_owner).post(url)

    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert api.post(url).status_code == 422


# --- Tokens ---------------------------------------------------------------------------------------


def test_a_token_is_created_shown_once_and_listed_without_its_secret(api, cast):
    api.as_user(cast.partner_member)

    created = api.post("/tokens", {"name": "ERP"})

    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("ss_") and created.json()["prefix"] == raw[:8]
    listed = api.get("/tokens")
    assert raw not in listed.content.decode()
    assert listed.json()["items"][0]["prefix"] == raw[:8]
    assert "token" not in listed.json()["items"][0]
    # The new token itself works.
    api.client.logout()
    assert api.get("/tokens", token=raw).status_code == 200


def test_a_token_needs_a_name(api, cast):
    response = api.as_user(cast.partner_member).post("/tokens", {"name": ""})

    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_tokens_are_revoked_by_their_owner_and_listed_as_revoked_on_request(api, cast):
    issued = services.create_api_token(actor=cast.partner_member, name="ERP")

    assert api.as_user(cast.partner_owner).post(f"/tokens/{issued.token.pk}/revoke").status_code == 404
    response = api.as_user(cast.partner_member).post(f"/tokens/{issued.token.pk}/revoke")

    assert response.status_code == 200 and response.json()["revoked_at"] is not None
    assert api.get("/tokens").json()["items"] == []
    assert len(api.get("/tokens", include_revoked="true").json()["items"]) == 1
    assert AuditEvent.objects.filter(action="accounts.revoke_api_token").count() == 1


def test_token_list_runs_the_same_queries_for_5_and_50(api, cast, count_queries):
    issued = services.create_api_token(actor=cast.partner_member, name="client")

    def add(count):
        for n in range(count):
            services.create_api_token(actor=cast.partner_member, name=f"t{n}")

    add(4)
    api.get("/tokens", token=issued.raw_token)  # the first call records last_used_at
    few = count_queries(lambda: api.get("/tokens", token=issued.raw_token))
    add(45)
    many = count_queries(lambda: api.get("/tokens", token=issued.raw_token))

    assert few == many <= 5
