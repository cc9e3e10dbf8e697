"""Shared fixtures: a fixed cast of users, one per role, and two partner companies."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import translation

from sangsaeng.accounts.models import Organization, OrganizationKind, Role, User


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly by a test (services, forms) speaks English, so that tests can read its
    messages. Pages and API calls still negotiate their language per request (Korean by default);
    tests/test_translations.py checks the Korean side."""
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    """Pages in English too: the client asks for English, and code outside requests uses it."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield client


@pytest.fixture(autouse=True)
def _reset_axes_cache():
    from django.core.cache import cache

    cache.clear()


@dataclass
class Cast:
    host: Organization
    host_admin: User
    program_manager: User
    reviewer: User
    lab_operator: User
    auditor: User
    partner: object  # partners.Partner
    partner_owner: User
    partner_member: User
    other_partner: object
    other_partner_owner: User
    bank: Organization
    loan_officer: User
    other_bank: Organization
    other_loan_officer: User
    agency: Organization
    observer: User


@pytest.fixture
def cast(db) -> Cast:
    from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
    from sangsaeng.partners.tests.factories import make_partner_owner

    host = OrganizationFactory(kind=OrganizationKind.HOST, name="호스트텔레콤")
    partner, owner = make_partner_owner(name_ko="가나다테크")
    other_partner, other_owner = make_partner_owner(name_ko="라마바솔루션")
    bank = OrganizationFactory(kind=OrganizationKind.BANK, name="상생은행")
    other_bank = OrganizationFactory(kind=OrganizationKind.BANK, name="동반은행")
    agency = OrganizationFactory(kind=OrganizationKind.AGENCY, name="동반성장위원회")
    return Cast(
        host=host,
        host_admin=make_member(OrganizationKind.HOST, Role.ADMIN, host, email="admin@host.example"),
        program_manager=make_member(
            OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example"
        ),
        reviewer=make_member(OrganizationKind.HOST, Role.REVIEWER, host, email="reviewer@host.example"),
        lab_operator=make_member(OrganizationKind.HOST, Role.LAB_OPERATOR, host, email="lab@host.example"),
        auditor=make_member(OrganizationKind.HOST, Role.AUDITOR, host, email="auditor@host.example"),
        partner=partner,
        partner_owner=owner,
        partner_member=make_member(
            OrganizationKind.PARTNER, Role.MEMBER, partner.organization, email="member@partner.example"
        ),
        other_partner=other_partner,
        other_partner_owner=other_owner,
        bank=bank,
        loan_officer=make_member(
            OrganizationKind.BANK, Role.LOAN_OFFICER, bank, email="officer@bank.example"
        ),
        other_bank=other_bank,
        other_loan_officer=make_member(
            OrganizationKind.BANK, Role.LOAN_OFFICER, other_bank, email="officer@bank2.example"
        ),
        agency=agency,
        observer=make_member(OrganizationKind.AGENCY, Role.OBSERVER, agency, email="observer@agency.example"),
    )


@pytest.fixture
def login(client):
    """Log a user in on the test client (skips axes by forcing the session)."""

    def _login(user: User):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
