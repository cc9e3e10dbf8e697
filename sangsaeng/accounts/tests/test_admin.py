"""Django admin of accounts: e-mail users, read-only invitations and tokens without their hashes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sangsaeng.accounts import services
from sangsaeng.accounts.models import Role, User
from sangsaeng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    superuser = User.objects.create_superuser(
        email="root@example.com", name="Root", password="x-strong-pass-99"
    )
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("model", ["user", "organization", "membership", "invitation", "apitoken"])
def test_every_accounts_changelist_opens(superuser_client, cast, model):
    assert superuser_client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200


def test_token_and_invitation_hashes_never_show_and_they_cannot_be_edited(superuser_client, cast):
    token = services.create_api_token(actor=cast.partner_member, name="ERP").token
    invitation = services.invite_member(
        actor=cast.partner_owner,
        organization=cast.partner.organization,
        email="a@example.com",
        role=Role.MEMBER,
    ).invitation

    for model, obj in (("apitoken", token), ("invitation", invitation)):
        listing = superuser_client.get(reverse(f"admin:accounts_{model}_changelist")).content.decode()
        detail = superuser_client.get(
            reverse(f"admin:accounts_{model}_change", args=[obj.pk])
        ).content.decode()
        assert obj.token_hash not in listing and obj.token_hash not in detail
        assert superuser_client.get(reverse(f"admin:accounts_{model}_add")).status_code == 403
        assert 'name="_save"' not in detail


def test_a_user_is_added_with_an_email_and_the_change_is_audited(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.admin@host.example",
            "name": "새 관리자",
            "usable_password": "true",
            "password1": "plum-orchard-41-kettle",
            "password2": "plum-orchard-41-kettle",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.admin@host.example")
    assert user.check_password("plum-orchard-41-kettle")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "admin.add_user"
    assert "plum-orchard" not in str(event.changes)
