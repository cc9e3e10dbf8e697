"""End to end in Chromium: a company signs up, the host approves it, the partner sees "approved",
and the audit page shows both events."""

from __future__ import annotations

import re

import pytest
from django.utils.translation import override
from playwright.sync_api import expect

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core.models import AuditEvent
from sangsaeng.partners.models import Partner, PartnerStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_sign_up_approve_and_see_it_in_the_audit_trail(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="호스트텔레콤")
    make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example")
    make_member(OrganizationKind.HOST, Role.AUDITOR, host, email="auditor@host.example")

    # A company signs up (Korean UI by default; full-width digits and hyphens in the BRN are accepted).
    partner_page = new_page("ko")
    partner_page.goto("/partners/signup/")
    expect(partner_page.locator("html")).to_have_attribute("lang", "ko")
    partner_page.fill("#id_email", "owner@newco.example")
    partner_page.fill("#id_name", "김대표")
    partner_page.fill("#id_password1", "a-Long-and-unusual-pass-42")
    partner_page.fill("#id_password2", "a-Long-and-unusual-pass-42")
    partner_page.fill("#id_brn", "１１６-８２-００２７６")
    partner_page.fill("#id_name_ko", "새봄네트웍스")
    partner_page.fill("#id_ceo_name", "김대표")
    partner_page.fill("#id_ksic_code", "26110")
    partner_page.check("#id_privacy_consent")
    partner_page.locator("main form button[type=submit]").last.click()
    partner_page.wait_for_url(re.compile(r".*/partners/\d+/$"))
    partner = Partner.objects.get(brn="1168200276")
    assert partner.status == PartnerStatus.PENDING

    # The programme manager approves it.
    host_page = new_page("ko")
    log_in_page(host_page, "pm@host.example")
    host_page.goto(f"/partners/{partner.pk}/")
    host_page.select_option("#id_decision", "approve")
    host_page.fill("#id_reason", "서류 확인 완료")
    host_page.locator("#decision form button[type=submit]").click()
    host_page.wait_for_load_state()
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.APPROVED

    # The partner sees "approved" on its own company page, with the reason.
    partner_page.goto("/partners/me/")
    with override("ko"):
        approved_label = str(PartnerStatus.APPROVED.label)
    expect(partner_page.locator("main")).to_contain_text(approved_label)
    expect(partner_page.locator("main")).to_contain_text("서류 확인 완료")

    # The auditor finds both events in the audit trail.
    audit_page = new_page("ko")
    log_in_page(audit_page, "auditor@host.example")
    audit_page.goto(f"/audit/?object_type=partners.partner&object_id={partner.pk}")
    table = audit_page.locator("main table")
    expect(table).to_contain_text("partners.sign_up_partner")
    expect(table).to_contain_text("partners.approve_partner")
    assert AuditEvent.objects.filter(object_type="partners.partner", object_id=str(partner.pk)).count() >= 2
