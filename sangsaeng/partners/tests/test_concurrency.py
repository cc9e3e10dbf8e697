"""Races between app servers (threads here): one partner per BRN and one representative per field hold."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core.testing import race
from sangsaeng.partners import services
from sangsaeng.partners.models import CollaborationField, Partner, PartnerField
from sangsaeng.partners.tests.conftest import company_profile
from sangsaeng.partners.tests.factories import PartnerFactory


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_with_the_same_brn_at_once_register_one_partner():
    def sign_up(email: str) -> Partner:
        return services.sign_up_partner(
            privacy_consent=True,
            actor=None,
            profile=company_profile(),
            email=email,
            name="대표",
            password="a-long-Passphrase-42",
        )

    succeeded, errors = race(
        lambda: sign_up("first@company.example"), lambda: sign_up("second@company.example")
    )

    assert succeeded == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert "brn" in errors[0].error_dict
    assert Partner.objects.filter(brn="1168200276").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_partners_made_representative_of_one_field_at_once_leave_one_representative():
    host = OrganizationFactory(kind=OrganizationKind.HOST)
    admin = make_member(OrganizationKind.HOST, Role.ADMIN, host)
    manager = make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host)
    first, second = PartnerFactory(), PartnerFactory()
    # Transactional tests flush the database between tests, seeded reference data included.
    field, _created = CollaborationField.objects.get_or_create(
        code="area-infrastructure",
        defaults={
            "name_ko": "인프라구축",
            "name_en": "Infrastructure",
            "kind": "business_area",
            "valid_from": "2018-11-20",
        },
    )

    succeeded, errors = race(
        lambda: services.set_partner_fields(
            actor=admin, partner=first, field_ids=[field.pk], representative_field_ids=[field.pk]
        ),
        lambda: services.set_partner_fields(
            actor=manager, partner=second, field_ids=[field.pk], representative_field_ids=[field.pk]
        ),
    )

    assert succeeded == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert PartnerField.objects.filter(field=field, is_representative=True).count() == 1
