"""End to end in Chromium (issue 5): a partner proposes a use case, the manager assigns a sponsor,
the sponsor passes screening, the partner books the Open Lab for the PoC from the one-click link,
the lab operator approves the booking and, on the day, checks the partner in.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core.dates import next_business_day
from sangsaeng.core.models import AuditEvent
from sangsaeng.openlab.models import Booking, BookingItem, Resource
from sangsaeng.partners.tests.factories import make_partner_owner
from sangsaeng.usecases.models import Stage, UseCase

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_propose_pass_screening_book_the_lab_and_check_in(new_page, log_in_page):
    host = OrganizationFactory(kind=OrganizationKind.HOST, name="호스트텔레콤")
    make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host, email="pm@host.example")
    make_member(OrganizationKind.HOST, Role.LAB_OPERATOR, host, email="lab@host.example")
    sponsor = make_member(
        OrganizationKind.HOST, Role.REVIEWER, host, email="sponsor@host.example", name="김스폰서"
    )
    _partner, owner = make_partner_owner(name_ko="새봄네트웍스")

    # The partner proposes (elements are found by id and attributes, not by their translated text).
    partner_page = new_page("ko")
    log_in_page(partner_page, owner.email)
    partner_page.goto("/usecases/propose/")
    partner_page.fill("#id_title", "5G 원격 크레인")
    partner_page.select_option("#id_industry", "smart_factory")
    partner_page.check("input[name=features][value=urllc]")
    partner_page.check("input[name=features][value=private_5g]")
    partner_page.fill("#id_description", "항만 크레인을 5G로 원격 조종")
    partner_page.fill("#id_expected_customers", "항만 운영사")
    partner_page.check("#id_nda_accepted")
    partner_page.locator("main form button[type=submit]").click()
    partner_page.wait_for_url(re.compile(r".*/usecases/\d+/$"))
    use_case = UseCase.objects.get()
    assert use_case.nda_accepted_at is not None

    # The programme manager assigns the sponsor.
    pm_page = new_page("ko")
    log_in_page(pm_page, "pm@host.example")
    pm_page.goto(f"/usecases/{use_case.pk}/")
    pm_page.select_option("#id_sponsor", str(sponsor.pk))
    with pm_page.expect_navigation():
        pm_page.locator(f"form[action='/usecases/{use_case.pk}/sponsor/'] button[type=submit]").click()
    use_case.refresh_from_db()
    assert use_case.sponsor == sponsor

    # The sponsor opens screening, then passes it with scores and a reason.
    sponsor_page = new_page("ko")
    log_in_page(sponsor_page, "sponsor@host.example")
    for target, reason in ((Stage.SCREENING, "검토 시작"), (Stage.POC, "PoC 진행 승인")):
        sponsor_page.goto(f"/usecases/{use_case.pk}/decide/")
        sponsor_page.select_option("#id_to_stage", target)
        for criterion in ("fit", "feasibility", "market", "capability"):
            sponsor_page.fill(f"#id_score_{criterion}", "4")
        sponsor_page.fill("#id_reason", reason)
        sponsor_page.locator("main form button[type=submit]").click()
        sponsor_page.wait_for_url(re.compile(rf".*/usecases/{use_case.pk}/$"))
    use_case.refresh_from_db()
    assert use_case.stage == Stage.POC

    # The partner sees the reason on its timeline and one click to book the Open Lab (prefilled).
    partner_page.goto(f"/usecases/{use_case.pk}/")
    expect(partner_page.locator("main")).to_contain_text("PoC 진행 승인")
    expect(
        partner_page.locator(f"main a[href='/openlab/bookings/new/?use_case={use_case.pk}']")
    ).to_be_visible()
    assert AuditEvent.objects.filter(action="usecases.decide_gate", object_id=str(use_case.pk)).count() == 2

    # The partner follows the link: the booking form knows the use case. It books the shielded
    # room (which needs approval) a week ahead, on a business day.
    shielded_room = Resource.objects.filter(kind="shielded_room").order_by("pk").first()
    day = next_business_day(timezone.localdate() + dt.timedelta(days=7))
    partner_page.locator(f"main a[href='/openlab/bookings/new/?use_case={use_case.pk}']").first.click()
    partner_page.wait_for_url(re.compile(r".*/openlab/bookings/new/.*"))
    partner_page.select_option("#id_resources", str(shielded_room.pk))
    partner_page.fill("#id_day", day.isoformat())
    partner_page.select_option("#id_start_time", "10:00")
    partner_page.select_option("#id_minutes", "120")
    if not partner_page.input_value("#id_purpose"):
        partner_page.fill("#id_purpose", "PoC")
    partner_page.locator("main form button[type=submit]").last.click()
    partner_page.wait_for_url(re.compile(r".*/openlab/bookings/\d+/$"))
    booking = Booking.objects.get()
    assert booking.use_case_id == use_case.pk and booking.state == "requested"

    # The lab operator approves it from the approvals queue.
    lab_page = new_page("ko")
    log_in_page(lab_page, "lab@host.example")
    lab_page.goto("/openlab/approvals/")
    with lab_page.expect_navigation():
        lab_page.locator(
            f"form[action='/openlab/bookings/{booking.pk}/approve/'] button[type=submit]"
        ).click()
    booking.refresh_from_db()
    assert booking.state == "approved"

    # The day comes (the booking is moved to start now), and the operator checks the partner in.
    start = timezone.now().replace(second=0, microsecond=0)
    Booking.objects.filter(pk=booking.pk).update(start=start, end=start + dt.timedelta(hours=2))
    BookingItem.objects.filter(booking=booking).update(start=start, end=start + dt.timedelta(hours=2))
    lab_page.goto("/openlab/check-ins/")
    with lab_page.expect_navigation():
        lab_page.locator(
            f"form[action='/openlab/bookings/{booking.pk}/check-in/'] button[type=submit]"
        ).click()
    booking.refresh_from_db()
    assert booking.state == "checked_in"
    assert AuditEvent.objects.filter(object_type="openlab.booking", object_id=str(booking.pk)).count() >= 3
