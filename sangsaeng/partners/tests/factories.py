from __future__ import annotations

import random

import factory
from django.utils import timezone

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from sangsaeng.partners.models import Contact, Partner, PartnerStatus


def valid_brn(seed: int) -> str:
    """A valid 사업자등록번호 derived from a seed (check digit per DOMAIN.md §0)."""
    rng = random.Random(seed)
    first = rng.randint(101, 999)
    middle = rng.randint(1, 99)
    serial = rng.randint(1, 9999)
    body = f"{first:03d}{middle:02d}{serial:04d}"[:9]
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True)) + (int(body[8]) * 5) // 10
    check = (10 - total % 10) % 10
    return body + str(check)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    status = PartnerStatus.APPROVED
    brn = factory.Sequence(lambda n: valid_brn(n + 1000))
    name_ko = factory.Sequence(lambda n: f"협력사{n}")
    name_en = factory.Sequence(lambda n: f"Partner {n}")
    ceo_name = "김대표"
    ksic_code = "26110"
    tier = 1

    @factory.lazy_attribute
    def approved_at(self):
        return timezone.now() if self.status in (PartnerStatus.APPROVED, PartnerStatus.SUSPENDED) else None

    @factory.lazy_attribute
    def organization(self):
        return OrganizationFactory(kind=OrganizationKind.PARTNER, name=self.name_ko)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    name = "홍길동"
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")
    phone = "010-1234-5678"


def make_partner_owner(**partner_fields):
    """An approved partner and its owner (user)."""
    partner = PartnerFactory(**partner_fields)
    owner = UserFactory()
    MembershipFactory(user=owner, organization=partner.organization, role=Role.OWNER)
    return partner, owner
