"""The members page, invitations (sending, withdrawing, accepting), organisations, API tokens."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sangsaeng.accounts import services
from sangsaeng.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
)
from sangsaeng.accounts.tests.factories import MembershipFactory, UserFactory
from sangsaeng.core.models import AuditEvent, PersonalDataAccess

pytestmark = pytest.mark.django_db

MEMBERS = "/accounts/members/"
STRONG_PASSWORD = "plum-orchard-41-kettle"


def _add_members(organization, count, **user_fields):
    for _ in range(count):
        MembershipFactory(user=UserFactory(phone="010-2345-6789", **user_fields), organization=organization)


# --- Members page ---------------------------------------------------------------------------------


def test_a_partner_owner_sees_their_colleagues_unmasked(login, cast):
    client = login(cast.partner_owner)
    User.objects.filter(pk=cast.partner_member.pk).update(phone="010-2345-6789")

    response = client.get(MEMBERS)

    body = response.content.decode()
    assert response.status_code == 200
    assert cast.partner_member.email in body and "010-2345-6789" in body
    assert cast.other_partner_owner.email not in body
    assert not PersonalDataAccess.objects.exists()


def test_a_host_admin_sees_a_partners_members_masked_and_the_view_is_logged(login, cast):
    client = login(cast.host_admin)
    User.objects.filter(pk=cast.partner_member.pk).update(phone="010-2345-6789")
    organization = cast.partner.organization

    response = client.get(MEMBERS, {"organization": organization.pk})

    body = response.content.decode()
    assert response.status_code == 200
    assert cast.partner_member.email not in body and "me****@partner.example" in body
    assert "010-2345-6789" not in body and "010-****-6789" in body
    assert 'name="role"' not in body  # view only: partners manage their own people
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.subject_organization_id, log.subject_count) == (
        cast.host_admin,
        organization.pk,
        2,
    )


def test_a_host_admin_manages_bank_people_with_masked_contacts_and_no_access_log(login, cast):
    client = login(cast.host_admin)

    response = client.get(MEMBERS, {"organization": cast.bank.pk})

    body = response.content.decode()
    assert response.status_code == 200
    assert cast.loan_officer.email not in body
    assert reverse("accounts:member_deactivate", args=[cast.loan_officer.memberships.get().pk]) in body
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize(
    ("actor_name", "query", "status"),
    [
        ("partner_member", {}, 403),  # an insider without the right
        ("program_manager", {}, 403),
        ("loan_officer", {}, 403),
        ("partner_owner", {"organization": "other_partner"}, 404),  # another company
        ("observer", {"organization": "partner"}, 403),  # agency sees organisations, not people
        ("partner_owner", {"organization": "abc"}, 404),
    ],
)
def test_the_members_page_refuses_people_without_the_right(login, cast, actor_name, query, status):
    client = login(getattr(cast, actor_name))
    if query.get("organization") in ("partner", "other_partner"):
        query = {"organization": getattr(cast, query["organization"]).organization.pk}

    response = client.get(MEMBERS, query)

    assert response.status_code == status
    assert cast.partner_member.email not in response.content.decode()


def test_the_members_page_needs_a_login(client):
    response = client.get(MEMBERS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_members_page_runs_the_same_queries_for_5_and_50_people(login, cast, count_queries):
    organization = cast.partner.organization
    for n in range(3):
        services.invite_member(
            actor=cast.partner_owner, organization=organization, email=f"i{n}@example.com", role=Role.MEMBER
        )
    client = login(cast.partner_owner)
    _add_members(organization, 3)
    few = count_queries(lambda: client.get(MEMBERS))

    _add_members(organization, 45)
    many = count_queries(lambda: client.get(MEMBERS))

    assert few == many <= 12


def test_the_masked_members_page_of_a_host_admin_runs_the_same_queries_for_5_and_50_people(
    login, cast, count_queries
):
    organization = cast.partner.organization
    client = login(cast.host_admin)
    _add_members(organization, 3)
    few = count_queries(lambda: client.get(MEMBERS, {"organization": organization.pk}))

    _add_members(organization, 45)
    many = count_queries(lambda: client.get(MEMBERS, {"organization": organization.pk}))

    assert few == many <= 13


def test_the_status_filter_shows_deactivated_people(login, cast):
    membership = cast.partner_member.memberships.get()
    services.deactivate_member(actor=cast.partner_owner, membership=membership)
    client = login(cast.partner_owner)

    inactive = client.get(MEMBERS, {"status": "inactive"}, HTTP_HX_REQUEST="true")

    assert list(inactive.context["page"].object_list) == [membership]
    assert inactive.templates[0].name == "accounts/partials/member_list.html"


def test_an_owner_deactivates_a_member_from_the_page_and_the_row_is_replaced(login, cast):
    membership = cast.partner_member.memberships.get()
    client = login(cast.partner_owner)

    response = client.post(
        reverse("accounts:member_deactivate", args=[membership.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.content.decode().strip().startswith(f'<tr id="member-{membership.pk}"')
    membership.refresh_from_db()
    assert not membership.is_active


def test_the_last_owner_sees_why_they_cannot_leave(english, login, cast):
    membership = cast.partner_owner.memberships.get()
    client = login(cast.partner_owner)

    response = client.post(reverse("accounts:member_deactivate", args=[membership.pk]), follow=True)

    assert "An organisation needs at least one active owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_an_owner_changes_a_role_and_reactivates_from_the_page(login, cast):
    membership = cast.partner_member.memberships.get()
    client = login(cast.partner_owner)

    response = client.post(reverse("accounts:member_role", args=[membership.pk]), {"role": Role.OWNER})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.OWNER

    client.post(reverse("accounts:member_deactivate", args=[membership.pk]))
    client.post(reverse("accounts:member_reactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize("name", ["member_role", "member_deactivate", "member_reactivate"])
def test_a_member_cannot_manage_colleagues_from_the_page(login, cast, name, audit_count):
    membership = cast.partner_owner.memberships.get()
    client = login(cast.partner_member)
    events = audit_count()

    response = client.post(reverse(f"accounts:{name}", args=[membership.pk]), {"role": Role.MEMBER})

    assert response.status_code == 403
    assert audit_count() == events


# --- Invitations from the page --------------------------------------------------------------------


def test_an_owner_invites_a_colleague_from_the_page(
    login, cast, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(cast.partner_owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_create"),
            {"organization": cast.partner.organization.pk, "email": "new@example.com", "role": Role.MEMBER},
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 200
    assert "new@example.com" in response.content.decode()
    assert Invitation.objects.filter(email="new@example.com", role=Role.MEMBER).count() == 1
    assert mailoutbox[0].to == ["new@example.com"]


def test_an_invitation_with_a_bad_address_shows_the_error_on_the_field(english, login, cast):
    client = login(cast.partner_owner)

    response = client.post(
        reverse("accounts:invitation_create"),
        {"organization": cast.partner.organization.pk, "email": "not-an-address", "role": Role.MEMBER},
    )

    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("actor_name", "organization_name", "role", "status"),
    [
        ("partner_member", "partner", Role.MEMBER, 403),
        ("partner_owner", "partner", Role.ADMIN, 422),  # no such role in a partner company
        ("partner_owner", "other_partner", Role.MEMBER, 404),
        ("host_admin", "partner", Role.MEMBER, 403),
    ],
)
def test_invitations_from_the_page_outside_ones_rights_are_refused(
    login, cast, actor_name, organization_name, role, status
):
    client = login(getattr(cast, actor_name))
    organization = getattr(cast, organization_name).organization

    response = client.post(
        reverse("accounts:invitation_create"),
        {"organization": organization.pk, "email": "x@example.com", "role": role},
    )

    assert response.status_code == status
    assert not Invitation.objects.exists()


def test_host_admin_adds_a_bank_and_invites_its_loan_officer(login, cast):
    client = login(cast.host_admin)

    response = client.post(
        reverse("accounts:organization_create"), {"kind": OrganizationKind.BANK, "name": "상생저축은행"}
    )

    bank = Organization.objects.get(name="상생저축은행")
    assert response["Location"] == f"{MEMBERS}?organization={bank.pk}"
    client.post(
        reverse("accounts:invitation_create"),
        {"organization": bank.pk, "email": "officer@new-bank.example", "role": Role.LOAN_OFFICER},
    )
    assert Invitation.objects.get(organization=bank).role == Role.LOAN_OFFICER


@pytest.mark.parametrize("actor_name", ["program_manager", "partner_owner", "observer"])
def test_only_host_admins_open_the_new_organisation_page(login, cast, actor_name):
    client = login(getattr(cast, actor_name))

    assert client.get(reverse("accounts:organization_create")).status_code == 403
    assert (
        client.post(reverse("accounts:organization_create"), {"kind": "bank", "name": "X"}).status_code == 403
    )
    assert not Organization.objects.filter(name="X").exists()


def test_an_owner_withdraws_an_invitation_from_the_page(login, cast):
    issued = services.invite_member(
        actor=cast.partner_owner,
        organization=cast.partner.organization,
        email="a@example.com",
        role=Role.MEMBER,
    )
    client = login(cast.partner_owner)

    response = client.post(
        reverse("accounts:invitation_revoke", args=[issued.invitation.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "a@example.com" in response.content.decode()  # in the confirmation message
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is not None


# --- Accepting an invitation ----------------------------------------------------------------------


def _issue(cast, email="joiner@example.com"):
    return services.invite_member(
        actor=cast.partner_owner, organization=cast.partner.organization, email=email, role=Role.MEMBER
    )


def _accept_url(raw_token):
    return reverse("accounts:invitation_accept", args=[raw_token])


def test_a_new_person_joins_from_the_link_and_is_logged_in(client, cast):
    issued = _issue(cast)
    url = _accept_url(issued.raw_token)

    page = client.get(url)
    assert page.status_code == 200 and "joiner@example.com" in page.content.decode()
    response = client.post(url, {"name": "신입", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(email="joiner@example.com")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Membership.objects.get(user=user).organization == cast.partner.organization
    # Single use: the link is gone now.
    client.logout()
    assert client.get(url).status_code == 410


def test_the_join_form_shows_password_rules_on_the_field(client, cast):
    url = _accept_url(_issue(cast).raw_token)

    response = client.post(url, {"name": "신입", "password1": "12345678", "password2": "12345678"})

    assert response.status_code == 422
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="joiner@example.com").exists()


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 410, "This invitation has expired."),
        ({"revoked_at": timezone.now()}, 410, "This invitation was withdrawn."),
        ({"accepted_at": timezone.now()}, 410, "This invitation has already been used."),
    ],
)
def test_spent_links_are_refused_with_a_clear_message(english, cast, change, status, message):
    issued = _issue(cast)
    Invitation.objects.filter(pk=issued.invitation.pk).update(**change)

    response = english.get(_accept_url(issued.raw_token))
    posted = english.post(
        _accept_url(issued.raw_token),
        {"name": "A", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )

    assert response.status_code == status and posted.status_code == status
    assert message in response.content.decode()
    assert not User.objects.filter(email="joiner@example.com").exists()


def test_an_unknown_link_is_a_404(client, cast):
    assert client.get(_accept_url("no-such-token")).status_code == 404


def test_a_logged_in_person_of_another_address_is_told_so(english, login, cast):
    issued = _issue(cast)
    loner = UserFactory(email="loner@example.com")
    client = login(loner)

    response = client.post(_accept_url(issued.raw_token))

    assert response.status_code == 403
    assert "sent to another e-mail address" in response.content.decode()
    assert not Membership.objects.filter(user=loner).exists()


def test_a_logged_in_person_without_organisation_accepts_with_one_click(login, cast):
    loner = UserFactory(email="loner@example.com")
    issued = _issue(cast, email="loner@example.com")
    client = login(loner)

    assert client.get(_accept_url(issued.raw_token)).status_code == 200
    response = client.post(_accept_url(issued.raw_token))

    assert response.status_code == 302
    assert Membership.objects.get(user=loner).organization == cast.partner.organization


def test_someone_with_an_account_is_asked_to_log_in_first(english, client, cast):
    UserFactory(email="known@example.com")
    issued = _issue(cast, email="known@example.com")

    response = client.get(_accept_url(issued.raw_token))

    assert response.status_code == 200
    assert "Log in, then open the invitation link again" in response.content.decode()
    assert "form" not in response.context or response.context.get("form") is None


# --- API tokens page ------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_stored_hashed(login, cast):
    client = login(cast.partner_member)

    response = client.post(reverse("accounts:tokens"), {"name": "ERP 연동"})

    assert response.status_code == 201
    raw = re.search(r'value="(ss_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert response["Cache-Control"] == "no-store"
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert raw not in listing and token.prefix in listing and "ERP 연동" in listing


def test_a_token_without_a_name_is_refused(login, cast):
    client = login(cast.partner_member)

    response = client.post(reverse("accounts:tokens"), {"name": ""})

    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_token_from_the_page_but_not_someone_elses(login, cast):
    mine = services.create_api_token(actor=cast.partner_member, name="mine").token
    theirs = services.create_api_token(actor=cast.partner_owner, name="theirs").token
    client = login(cast.partner_member)

    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("accounts:token_revoke", args=[mine.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert AuditEvent.objects.filter(action="accounts.revoke_api_token").count() == 1


def test_the_tokens_page_runs_the_same_queries_for_5_and_50_tokens(login, cast, count_queries):
    def add(count):
        for n in range(count):
            services.create_api_token(actor=cast.partner_member, name=f"t{n}")

    client = login(cast.partner_member)
    add(5)
    few = count_queries(lambda: client.get(reverse("accounts:tokens")))

    add(45)
    many = count_queries(lambda: client.get(reverse("accounts:tokens")))

    assert few == many <= 8


def test_navigation_shows_members_to_owners_and_tokens_to_everyone(login, cast):
    owner_page = login(cast.partner_owner).get(reverse("accounts:tokens")).content.decode()
    assert f'href="{MEMBERS}"' in owner_page
    member_page = login(cast.partner_member).get(reverse("accounts:tokens")).content.decode()
    assert f'href="{MEMBERS}"' not in member_page
    assert 'href="/accounts/tokens/"' in member_page
