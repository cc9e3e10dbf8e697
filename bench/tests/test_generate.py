"""The bench generator at a tiny scale: valid data, one membership per person, a verifying chain."""

from __future__ import annotations

import pytest
from django.db.models import Count

from bench.generate import BENCH_PASSWORD, BENCH_TOKEN, FIXED_PEOPLE, PM_EMAIL, generate, sizes_for_scale
from sangsaeng.accounts.models import ApiToken, Membership, Role, User, hash_token
from sangsaeng.core.audit import verify_chain
from sangsaeng.core.models import AuditEvent
from sangsaeng.partners.models import Contact, Partner, PartnerStatusChange
from sangsaeng.partners.validators import normalize_brn

pytestmark = pytest.mark.django_db


def test_sizes_for_scale_follow_the_design_dataset():
    assert sizes_for_scale(1) == (5_000, 20_000)
    assert sizes_for_scale(0.1) == (500, 2_000)


def test_generate_writes_valid_partners_people_and_a_verifying_audit_chain():
    # when a tiny dataset is generated
    dataset = generate(partners=20, users=80, audit_events=60)

    # then every partner has a valid BRN, an owner, contacts and a timeline ending in its status
    partners = list(Partner.objects.all())
    assert len(partners) == 20
    assert all(normalize_brn(p.brn) == p.brn for p in partners)
    assert all(p.size_class for p in partners)
    owners = Membership.objects.filter(role=Role.OWNER, is_active=True)
    assert sorted(owners.values_list("organization_id", flat=True)) == sorted(
        p.organization_id for p in partners
    )
    assert Contact.objects.values("partner").distinct().count() == 20
    for partner in partners:
        latest = PartnerStatusChange.objects.filter(partner=partner).order_by("-pk").first()
        assert latest.to_status == partner.status

    # and every one of the 80 people has exactly one active membership and the bench password
    assert User.objects.count() == 80
    per_user = Membership.objects.filter(is_active=True).values("user").annotate(n=Count("pk"))
    assert len(per_user) == 80 - 1  # the Django superuser has no membership
    assert {row["n"] for row in per_user} == {1}
    assert User.objects.get(email=PM_EMAIL).check_password(BENCH_PASSWORD)

    # and the programme manager's API token is stored hashed
    token = ApiToken.objects.get(token_hash=hash_token(BENCH_TOKEN))
    assert token.user.email == PM_EMAIL and BENCH_TOKEN not in token.token_hash

    # and the audit chain holds 60 events and verifies
    assert AuditEvent.objects.count() == 60 == dataset.audit_events
    report = verify_chain()
    assert report.ok and report.checked == 60

    # and the dataset file points at approved partners and real logins
    assert dataset.approved_partner_ids
    assert set(dataset.approved_partner_ids) <= set(
        Partner.objects.filter(status="approved").values_list("pk", flat=True)
    )
    assert set(dataset.login_emails) <= set(User.objects.values_list("email", flat=True))


def test_generate_refuses_fewer_people_than_owners_and_staff():
    with pytest.raises(ValueError):
        generate(partners=20, users=20 + FIXED_PEOPLE - 1)
    assert not Partner.objects.exists()
