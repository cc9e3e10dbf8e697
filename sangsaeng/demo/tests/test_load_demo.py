"""`manage.py load_demo`: the demo scenario is complete, valid and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, Role, User
from sangsaeng.core.audit import verify_chain
from sangsaeng.core.models import AuditEvent
from sangsaeng.demo.scenario import AUDIT_ACTION, DEMO_PASSWORD
from sangsaeng.demo.synthetic import is_valid_brn
from sangsaeng.partners.models import Contact, Partner, PartnerField, PartnerStatus, PartnerStatusChange
from sangsaeng.partners.validators import normalize_brn

pytestmark = pytest.mark.django_db

EXPECTED_LOGINS = {
    "admin@sangsaeng-telecom.example.com": Role.ADMIN,
    "pm@sangsaeng-telecom.example.com": Role.PROGRAM_MANAGER,
    "reviewer@sangsaeng-telecom.example.com": Role.REVIEWER,
    "lab@sangsaeng-telecom.example.com": Role.LAB_OPERATOR,
    "auditor@sangsaeng-telecom.example.com": Role.AUDITOR,
    "owner@daol-ict.example.com": Role.OWNER,
    "member@daol-ict.example.com": Role.MEMBER,
    "owner@saessak-mobile.example.com": Role.OWNER,
    "officer@sangsaeng-bank.example.com": Role.LOAN_OFFICER,
    "officer@mirae-bank.example.com": Role.LOAN_OFFICER,
    "observer@winwin.example.com": Role.OBSERVER,
}
SUPERUSER_EMAIL = "superuser@sangsaeng-telecom.example.com"


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = (User, Organization, Membership, Partner, Contact, PartnerField, PartnerStatusChange, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_twice_changes_nothing_and_prints_every_login():
    # given a loaded demo
    first_output = _load()
    after_first = _counts()

    # when it is loaded again
    second_output = _load()

    # then no row is added (not even an audit event) and both runs print every login
    assert _counts() == after_first
    assert "created: nothing" in second_output and "updated: nothing" in second_output
    for output in (first_output, second_output):
        header = next(line for line in output.splitlines() if "E-mail" in line)
        assert "Password" in header and "비밀번호" in header
        for email in [*EXPECTED_LOGINS, SUPERUSER_EMAIL]:
            assert email in output
        assert DEMO_PASSWORD in output


def test_demo_has_the_reference_cast_with_valid_data():
    # when the demo is loaded
    _load()

    # then ~170 approved partners, a few sign-ups in review, and every BRN is valid
    statuses = dict.fromkeys(PartnerStatus.values, 0)
    for status in Partner.objects.values_list("status", flat=True):
        statuses[status] += 1
    assert statuses[PartnerStatus.APPROVED] == 170
    assert statuses[PartnerStatus.PENDING] >= 2
    assert statuses[PartnerStatus.CHANGES_REQUESTED] == 1
    brns = list(Partner.objects.values_list("brn", flat=True))
    assert all(normalize_brn(brn) == brn and is_valid_brn(brn) for brn in brns)
    # spread across tiers, sizes and fields
    assert set(Partner.objects.values_list("tier", flat=True)) == {1, 2, 3, 4}
    assert {"small", "medium", "middle_market", "large"} <= set(
        Partner.objects.values_list("size_class", flat=True)
    )
    assert PartnerField.objects.values("field").distinct().count() >= 10
    # each partner has an onboarding timeline that ends in its status
    pending_history = PartnerStatusChange.objects.filter(partner__status=PartnerStatus.CHANGES_REQUESTED)
    assert pending_history.filter(to_status=PartnerStatus.CHANGES_REQUESTED).exclude(reason="").exists()

    # and the plan's representative partners stand for their fields
    iruon = Partner.objects.get(name_ko="이루온")
    hitech = Partner.objects.get(name_ko="하이테크")
    assert iruon.is_representative and hitech.is_representative
    assert Partner.objects.filter(is_representative=True).count() == 2
    assert iruon.field_links.get(is_representative=True).field.code == "area-technology"
    assert hitech.field_links.get(is_representative=True).field.code == "area-infrastructure"

    # and one login per role, each with the demo password and the right organisation kind
    kinds = {
        Role.ADMIN: OrganizationKind.HOST,
        Role.PROGRAM_MANAGER: OrganizationKind.HOST,
        Role.REVIEWER: OrganizationKind.HOST,
        Role.LAB_OPERATOR: OrganizationKind.HOST,
        Role.AUDITOR: OrganizationKind.HOST,
        Role.OWNER: OrganizationKind.PARTNER,
        Role.MEMBER: OrganizationKind.PARTNER,
        Role.LOAN_OFFICER: OrganizationKind.BANK,
        Role.OBSERVER: OrganizationKind.AGENCY,
    }
    for email, role in EXPECTED_LOGINS.items():
        membership = Membership.objects.select_related("user", "organization").get(
            user__email=email, is_active=True
        )
        assert membership.role == role
        assert membership.organization.kind == kinds[role]
        assert membership.user.check_password(DEMO_PASSWORD)
    pending_owner = Membership.objects.get(user__email="owner@saessak-mobile.example.com")
    assert pending_owner.organization.partner.status == PartnerStatus.PENDING
    superuser = User.objects.get(email=SUPERUSER_EMAIL)
    assert superuser.is_superuser and superuser.is_staff and superuser.check_password(DEMO_PASSWORD)
    assert Organization.objects.filter(kind=OrganizationKind.BANK).count() == 2
    assert Organization.objects.get(kind=OrganizationKind.AGENCY).name == "동반성장위원회"
    # contacts use reserved example.com domains only
    assert not Contact.objects.exclude(email__endswith=".example.com").exists()

    # and what it wrote is in the audit trail, which verifies
    assert AuditEvent.objects.filter(action=AUDIT_ACTION, object_type="demo").count() == 1
    assert AuditEvent.objects.filter(action=AUDIT_ACTION, object_type="partners.partner").count() == 175
    assert verify_chain().ok


def test_load_demo_repairs_drifted_rows_and_audits_the_repair():
    # given a loaded demo where someone renamed a partner and changed a demo password
    _load()
    partner = Partner.objects.get(name_ko="하이테크")
    Partner.objects.filter(pk=partner.pk).update(name_ko="변경된 이름")
    pm = User.objects.get(email="pm@sangsaeng-telecom.example.com")
    pm.set_password("another-password-123")
    pm.save()
    events_before = AuditEvent.objects.count()
    counts_before = _counts()

    # when the demo is loaded again
    output = _load()

    # then both are put back, nothing is duplicated, and the repair is audited without the secret
    partner.refresh_from_db()
    pm.refresh_from_db()
    assert partner.name_ko == "하이테크"
    assert pm.check_password(DEMO_PASSWORD)
    assert "partners 1" in output and "users 1" in output
    new_events = list(AuditEvent.objects.filter(seq__gt=events_before).order_by("seq"))
    assert [event.object_type for event in new_events] == ["accounts.user", "partners.partner", "demo"]
    assert new_events[0].changes == {"password": ["***", "***"]}
    assert new_events[1].changes["name_ko"] == ["변경된 이름", "하이테크"]
    assert {k: v for k, v in _counts().items() if k != "AuditEvent"} == {
        k: v for k, v in counts_before.items() if k != "AuditEvent"
    }
    assert verify_chain().ok
