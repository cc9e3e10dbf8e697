"""Services of accounts: invitations, members, organisations, API tokens, own account."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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
from sangsaeng.accounts.tests.factories import OrganizationFactory, UserFactory, make_member
from sangsaeng.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "plum-orchard-41-kettle"


def _last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


# --- Invitations ----------------------------------------------------------------------------------


def test_partner_owner_invites_a_colleague_by_mail_and_only_the_token_hash_is_stored(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.invite_member(
            actor=cast.partner_owner,
            organization=cast.partner.organization,
            email=" New.Person@Example.COM ",
            role=Role.MEMBER,
        )

    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.com"
    assert invitation.token_hash == hashlib.sha256(issued.raw_token.encode()).hexdigest()
    assert issued.raw_token not in str(Invitation.objects.values().get())
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.com"]
    assert f"/accounts/invitations/{issued.raw_token}/" in mailoutbox[0].body
    event = _last_event()
    assert event.action == "accounts.invite_member"
    assert event.partner_organization_id == cast.partner.organization.pk
    assert issued.raw_token not in str(event.changes)


def test_a_person_with_an_active_account_is_invited_through_a_notification(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    someone = UserFactory(email="drifter@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        issued = services.invite_member(
            actor=cast.partner_owner,
            organization=cast.partner.organization,
            email="drifter@example.com",
            role=Role.MEMBER,
        )

    notification = Notification.objects.get(recipient=someone)
    assert notification.url == f"/accounts/invitations/{issued.raw_token}/"
    assert [mail.to for mail in mailoutbox] == [["drifter@example.com"]]


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrganizationKind.HOST, Role.PROGRAM_MANAGER),
        (OrganizationKind.HOST, Role.AUDITOR),
        (OrganizationKind.BANK, Role.LOAN_OFFICER),
        (OrganizationKind.AGENCY, Role.OBSERVER),
    ],
)
def test_host_admin_invites_host_staff_bank_officers_and_agency_observers(cast, kind, role):
    organization = {
        OrganizationKind.HOST: cast.host,
        OrganizationKind.BANK: cast.bank,
        OrganizationKind.AGENCY: cast.agency,
    }[kind]

    services.invite_member(actor=cast.host_admin, organization=organization, email="x@example.com", role=role)

    assert Invitation.objects.filter(organization=organization, role=role).count() == 1


@pytest.mark.parametrize(
    ("actor_name", "organization_name", "role"),
    [
        ("partner_owner", "partner", Role.ADMIN),  # a host role in a partner company
        ("partner_owner", "host", Role.REVIEWER),  # not their organisation
        ("partner_owner", "other_partner", Role.MEMBER),
        ("partner_member", "partner", Role.MEMBER),  # members do not invite
        ("host_admin", "partner", Role.MEMBER),  # partners manage their own people
        ("host_admin", "bank", Role.OWNER),  # no owners at a bank
        ("program_manager", "host", Role.REVIEWER),  # only admins invite host staff
        ("loan_officer", "bank", Role.LOAN_OFFICER),
        ("observer", "agency", Role.OBSERVER),
    ],
)
def test_invitations_outside_ones_rights_are_refused_and_change_nothing(
    cast, actor_name, organization_name, role
):
    organization = getattr(cast, organization_name)
    organization = getattr(organization, "organization", organization)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.invite_member(
            actor=getattr(cast, actor_name), organization=organization, email="x@example.com", role=role
        )

    assert Invitation.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_inviting_someone_who_already_is_a_member_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        services.invite_member(
            actor=cast.partner_owner,
            organization=cast.partner.organization,
            email=cast.partner_member.email.upper(),
            role=Role.MEMBER,
        )
    assert "email" in error.value.message_dict
    assert Invitation.objects.count() == 0


def test_inviting_the_same_address_again_withdraws_the_pending_invitation(cast):
    first = services.invite_member(
        actor=cast.partner_owner,
        organization=cast.partner.organization,
        email="a@example.com",
        role=Role.MEMBER,
    )

    second = services.invite_member(
        actor=cast.partner_owner,
        organization=cast.partner.organization,
        email="a@example.com",
        role=Role.OWNER,
    )

    first.invitation.refresh_from_db()
    assert first.invitation.revoked_at is not None
    assert second.invitation.is_usable
    assert _last_event().changes["superseded_invitations"] == [None, [first.invitation.pk]]
    with pytest.raises(ValidationError):
        services.accept_invitation(actor=None, raw_token=first.raw_token, name="A", password=STRONG_PASSWORD)


def _invite(cast, email="joiner@example.com", role=Role.MEMBER):
    return services.invite_member(
        actor=cast.partner_owner, organization=cast.partner.organization, email=email, role=role
    )


def test_a_new_person_accepts_once_and_gets_an_account_and_membership(cast):
    issued = _invite(cast)

    membership = services.accept_invitation(
        actor=None, raw_token=issued.raw_token, name=" 김 신입 ", password=STRONG_PASSWORD, language="en"
    )

    user = membership.user
    assert user.email == "joiner@example.com"
    assert user.name == "김 신입"
    assert user.language == "en"
    assert user.check_password(STRONG_PASSWORD)
    assert membership.organization == cast.partner.organization
    assert membership.role == Role.MEMBER and membership.is_active
    issued.invitation.refresh_from_db()
    assert issued.invitation.accepted_by == user
    event = _last_event()
    assert event.action == "accounts.accept_invitation"
    assert event.actor == user
    assert "password" not in str(event.changes).lower()
    # The inviter hears about it.
    assert Notification.objects.filter(recipient=cast.partner_owner).exists()

    with pytest.raises(ValidationError, match="already been used"):
        services.accept_invitation(
            actor=None, raw_token=issued.raw_token, name="Again", password=STRONG_PASSWORD
        )
    assert User.objects.filter(email="joiner@example.com").count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"accepted_at": timezone.now()}, "already been used"),
    ],
)
def test_expired_withdrawn_or_used_invitations_are_refused(cast, change, message):
    issued = _invite(cast)
    Invitation.objects.filter(pk=issued.invitation.pk).update(**change)
    users, memberships = User.objects.count(), Membership.objects.count()

    with pytest.raises(ValidationError, match=message):
        services.accept_invitation(actor=None, raw_token=issued.raw_token, name="A", password=STRONG_PASSWORD)

    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_an_unknown_token_is_refused(cast):
    with pytest.raises(ValidationError, match="not valid"):
        services.accept_invitation(actor=None, raw_token="made-up", name="A", password=STRONG_PASSWORD)


def test_a_weak_password_is_refused_with_field_errors_and_nothing_is_created(cast):
    issued = _invite(cast)
    users = User.objects.count()

    with pytest.raises(ValidationError) as error:
        services.accept_invitation(actor=None, raw_token=issued.raw_token, name="", password="12345")

    assert set(error.value.message_dict) == {"name", "password"}
    assert User.objects.count() == users
    issued.invitation.refresh_from_db()
    assert issued.invitation.accepted_at is None


def test_a_logged_in_person_without_membership_accepts_as_they_are(cast):
    loner = UserFactory(email="loner@example.com")
    issued = _invite(cast, email="loner@example.com")

    membership = services.accept_invitation(actor=loner, raw_token=issued.raw_token)

    assert membership.user == loner
    assert User.objects.filter(email="loner@example.com").count() == 1


def test_a_logged_in_person_with_another_address_is_refused(cast):
    loner = UserFactory(email="loner@example.com")
    issued = _invite(cast, email="someone.else@example.com")

    with pytest.raises(ValidationError, match="another e-mail address"):
        services.accept_invitation(actor=loner, raw_token=issued.raw_token)
    assert not Membership.objects.filter(user=loner).exists()


def test_a_person_who_already_belongs_to_an_organisation_is_refused(cast):
    issued = _invite(cast, email=cast.other_partner_owner.email)

    with pytest.raises(ValidationError, match="already belong"):
        services.accept_invitation(actor=cast.other_partner_owner, raw_token=issued.raw_token)
    assert Membership.objects.filter(user=cast.other_partner_owner).count() == 1


def test_an_existing_active_account_must_log_in_to_accept(cast):
    UserFactory(email="known@example.com")
    issued = _invite(cast, email="known@example.com")

    with pytest.raises(ValidationError, match="Log in"):
        services.accept_invitation(actor=None, raw_token=issued.raw_token, name="X", password=STRONG_PASSWORD)


def test_a_former_member_reopens_their_closed_account_through_a_new_invitation(cast):
    former = cast.partner_member
    services.deactivate_member(actor=cast.partner_owner, membership=former.memberships.get())
    issued = services.invite_member(
        actor=cast.other_partner_owner,
        organization=cast.other_partner.organization,
        email=former.email,
        role=Role.MEMBER,
    )

    membership = services.accept_invitation(
        actor=None, raw_token=issued.raw_token, name="돌아온 사람", password=STRONG_PASSWORD
    )

    former.refresh_from_db()
    assert membership.user == former
    assert former.is_active and former.check_password(STRONG_PASSWORD)
    assert membership.organization == cast.other_partner.organization
    assert _last_event().changes["account_reopened"] == [False, True]


def test_owner_withdraws_a_pending_invitation_and_a_member_cannot(cast):
    issued = _invite(cast)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.revoke_invitation(actor=cast.partner_member, invitation=issued.invitation)
    assert AuditEvent.objects.count() == events

    services.revoke_invitation(actor=cast.partner_owner, invitation=issued.invitation)

    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is not None
    assert _last_event().action == "accounts.revoke_invitation"
    with pytest.raises(ValidationError):
        services.revoke_invitation(actor=cast.partner_owner, invitation=issued.invitation)


# --- Members --------------------------------------------------------------------------------------


def test_deactivating_a_member_closes_the_account_and_revokes_their_tokens(cast):
    member = cast.partner_member
    issued = services.create_api_token(actor=member, name="ERP")
    membership = member.memberships.get()

    services.deactivate_member(actor=cast.partner_owner, membership=membership)

    membership.refresh_from_db()
    member.refresh_from_db()
    issued.token.refresh_from_db()
    assert not membership.is_active and membership.deactivated_at is not None
    assert not member.is_active
    assert issued.token.revoked_at is not None
    event = _last_event()
    assert event.action == "accounts.deactivate_member"
    assert event.changes["account_active"] == [True, False]
    assert event.changes["api_tokens_revoked"] == [0, 1]


def test_the_last_active_owner_can_neither_leave_nor_be_demoted(cast):
    membership = cast.partner_owner.memberships.get()
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError, match="at least one active owner"):
        services.deactivate_member(actor=cast.partner_owner, membership=membership)
    with pytest.raises(ValidationError, match="at least one active owner"):
        services.change_member_role(actor=cast.partner_owner, membership=membership, role=Role.MEMBER)

    membership.refresh_from_db()
    assert membership.is_active and membership.role == Role.OWNER
    assert AuditEvent.objects.count() == events


def test_an_owner_may_leave_when_another_owner_remains(cast):
    member_membership = cast.partner_member.memberships.get()
    services.change_member_role(actor=cast.partner_owner, membership=member_membership, role=Role.OWNER)
    own = cast.partner_owner.memberships.get()

    services.deactivate_member(actor=cast.partner_owner, membership=own)

    own.refresh_from_db()
    assert not own.is_active


def test_the_last_host_admin_cannot_be_deactivated(cast):
    with pytest.raises(ValidationError):
        services.deactivate_member(actor=cast.host_admin, membership=cast.host_admin.memberships.get())


@pytest.mark.parametrize(
    ("actor_name", "target_name"),
    [
        ("partner_member", "partner_owner"),  # members do not manage
        ("other_partner_owner", "partner_member"),  # another company
        ("host_admin", "partner_member"),  # host admins do not manage partner people
        ("program_manager", "reviewer"),
        ("loan_officer", "other_loan_officer"),
    ],
)
def test_managing_people_outside_ones_rights_is_refused(cast, actor_name, target_name):
    actor = getattr(cast, actor_name)
    membership = getattr(cast, target_name).memberships.get()
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.deactivate_member(actor=actor, membership=membership)
    with pytest.raises(PermissionDenied):
        services.change_member_role(actor=actor, membership=membership, role=membership.role)

    membership.refresh_from_db()
    assert membership.is_active
    assert AuditEvent.objects.count() == events


def test_host_admin_manages_bank_people(cast):
    membership = cast.loan_officer.memberships.get()

    services.deactivate_member(actor=cast.host_admin, membership=membership)
    services.reactivate_member(actor=cast.host_admin, membership=membership)

    membership.refresh_from_db()
    cast.loan_officer.refresh_from_db()
    assert membership.is_active and cast.loan_officer.is_active


def test_an_owner_gives_only_partner_roles(cast):
    membership = cast.partner_member.memberships.get()

    with pytest.raises(PermissionDenied):
        services.change_member_role(actor=cast.partner_owner, membership=membership, role=Role.ADMIN)
    services.change_member_role(actor=cast.partner_owner, membership=membership, role=Role.OWNER)

    membership.refresh_from_db()
    assert membership.role == Role.OWNER
    assert _last_event().changes == {"role": [Role.MEMBER, Role.OWNER]}


def test_reactivating_lets_the_person_back_in_but_not_their_old_tokens(cast):
    member = cast.partner_member
    issued = services.create_api_token(actor=member, name="ERP")
    membership = member.memberships.get()
    services.deactivate_member(actor=cast.partner_owner, membership=membership)

    services.reactivate_member(actor=cast.partner_owner, membership=membership)

    member.refresh_from_db()
    membership.refresh_from_db()
    issued.token.refresh_from_db()
    assert member.is_active and membership.is_active and membership.deactivated_at is None
    assert issued.token.revoked_at is not None
    assert _last_event().action == "accounts.reactivate_member"


def test_reactivation_is_refused_when_the_person_joined_another_organisation(cast):
    member = cast.partner_member
    membership = member.memberships.get()
    services.deactivate_member(actor=cast.partner_owner, membership=membership)
    issued = services.invite_member(
        actor=cast.other_partner_owner,
        organization=cast.other_partner.organization,
        email=member.email,
        role=Role.MEMBER,
    )
    services.accept_invitation(
        actor=None, raw_token=issued.raw_token, name="이직자", password=STRONG_PASSWORD
    )

    with pytest.raises(ValidationError, match="another organisation"):
        services.reactivate_member(actor=cast.partner_owner, membership=membership)


# --- Organisations --------------------------------------------------------------------------------


def test_host_admin_adds_a_bank(cast):
    bank = services.create_organization(actor=cast.host_admin, kind=OrganizationKind.BANK, name=" 새 은행 ")

    assert bank.name == "새 은행" and bank.kind == OrganizationKind.BANK
    assert _last_event().action == "accounts.create_organization"


@pytest.mark.parametrize(
    ("actor_name", "kind"),
    [
        ("program_manager", OrganizationKind.BANK),
        ("partner_owner", OrganizationKind.AGENCY),
        ("host_admin", OrganizationKind.PARTNER),
        ("host_admin", OrganizationKind.HOST),
    ],
)
def test_only_host_admins_add_banks_and_agencies(cast, actor_name, kind):
    count = Organization.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_organization(actor=getattr(cast, actor_name), kind=kind, name="X")
    assert Organization.objects.count() == count


# --- API tokens -----------------------------------------------------------------------------------


def test_an_api_token_is_returned_once_and_stored_only_as_a_hash(cast):
    issued = services.create_api_token(actor=cast.partner_member, name="ERP 연동")

    raw = issued.raw_token
    assert re.fullmatch(r"ss_[A-Za-z0-9_-]{43}", raw)
    token = ApiToken.objects.get()
    assert token.prefix == raw[:8]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.organization == cast.partner.organization
    assert raw not in str(ApiToken.objects.values().get())
    event = _last_event()
    assert event.action == "accounts.create_api_token"
    assert raw not in str(event.changes) and token.token_hash not in str(event.changes)


def test_a_person_without_organisation_cannot_create_tokens():
    loner = UserFactory()
    with pytest.raises(PermissionDenied):
        services.create_api_token(actor=loner, name="x")
    assert ApiToken.objects.count() == 0


def test_tokens_are_revoked_by_their_owner_only(cast):
    issued = services.create_api_token(actor=cast.partner_member, name="ERP")

    with pytest.raises(PermissionDenied):
        services.revoke_api_token(actor=cast.partner_owner, token=issued.token)
    services.revoke_api_token(actor=cast.partner_member, token=issued.token)

    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    with pytest.raises(ValidationError):
        services.revoke_api_token(actor=cast.partner_member, token=issued.token)


# --- Own account ----------------------------------------------------------------------------------


def test_profile_update_is_audited_with_the_phone_masked(cast):
    user = cast.partner_member

    services.update_profile(actor=user, name="새 이름", phone="010-9876-5432", language="en")

    user.refresh_from_db()
    assert (user.name, user.phone, user.language) == ("새 이름", "010-9876-5432", "en")
    event = _last_event()
    assert event.action == "accounts.update_profile"
    assert event.changes["phone"] == ["", "010-****-5432"]
    assert "9876" not in str(event.changes)


def test_profile_update_refuses_a_bad_phone_and_unknown_language(cast):
    user = cast.partner_member
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        services.update_profile(actor=user, name="", phone="12", language="en")
    assert set(error.value.message_dict) == {"name", "phone"}
    with pytest.raises(ValidationError):
        services.update_profile(actor=user, name="A", phone="", language="xx")

    assert AuditEvent.objects.count() == events


def test_password_change_is_audited_without_the_password(cast):
    user = cast.partner_member

    services.change_password(actor=user, new_password=STRONG_PASSWORD)

    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)
    assert _last_event().changes == {"password": ["***", "***"]}


def test_a_bank_person_cannot_be_given_a_partner_role():
    bank = OrganizationFactory(kind=OrganizationKind.BANK)
    admin_host = OrganizationFactory(kind=OrganizationKind.HOST)
    admin = make_member(OrganizationKind.HOST, Role.ADMIN, admin_host)
    officer = make_member(OrganizationKind.BANK, Role.LOAN_OFFICER, bank)

    with pytest.raises(PermissionDenied):
        services.change_member_role(actor=admin, membership=officer.memberships.get(), role=Role.OWNER)
