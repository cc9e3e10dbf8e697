"""Personal data in the audit trail (issue 11 §5) and readable field and state names (§4)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from sangsaeng.core import audit, privacy
from sangsaeng.core.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

PERSON_EMAIL = "hong.gildong@partner.example"


def _event(cast, **changes):
    with transaction.atomic():
        return audit.record(
            actor=cast.partner_owner,
            action="partners.contact.update",
            target=audit.AuditTarget("partners.contact", "1", "홍길동", cast.partner.organization_id),
            changes=changes
            or {"email": ["old.person@partner.example", PERSON_EMAIL], "phone": [None, "010-1234-5678"]},
        )


@pytest.mark.parametrize("who", ["observer", "auditor"])
def test_readers_other_than_the_host_admin_see_personal_data_masked(login, cast, who):
    _event(cast)
    client = login(getattr(cast, who))

    page = client.get(reverse("core:audit_events")).content.decode()
    api = client.get("/api/v1/audit-events").content.decode()

    for body in (page, api):
        assert PERSON_EMAIL not in body
        assert "010-1234-5678" not in body
        assert cast.partner_owner.email not in body
        assert "홍길동" not in body
    assert "ho**********@partner.example" in page
    assert "010-****-5678" in page
    assert "홍*동" in page
    assert not PersonalDataAccess.objects.exists()


def test_own_address_stays_readable_for_the_reader(login, cast):
    with transaction.atomic():
        audit.record(
            actor=cast.auditor,
            action="accounts.login",
            target=audit.AuditTarget("accounts.session", "1", "login"),
            changes={"note": "signed in"},
        )
    page = login(cast.auditor).get(reverse("core:audit_events")).content.decode()
    assert cast.auditor.email in page


def test_the_host_admin_sees_it_unmasked_and_the_view_is_logged(login, cast):
    event = _event(cast)
    client = login(cast.host_admin)

    page = client.get(reverse("core:audit_events")).content.decode()
    assert PERSON_EMAIL in page and "010-1234-5678" in page
    logged = PersonalDataAccess.objects.get()
    assert (logged.actor, logged.purpose) == (cast.host_admin, "view")

    detail = client.get(f"/api/v1/audit-events/{event.seq}").json()
    assert detail["changes"]["email"][1] == PERSON_EMAIL
    assert PersonalDataAccess.objects.count() == 2


def test_the_export_masks_for_the_observer(login, cast):
    import io

    import openpyxl

    _event(cast)
    response = login(cast.observer).get(reverse("core:audit_export"), {"reason": "annual review"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    text = " ".join(
        str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c
    )
    assert PERSON_EMAIL not in text and cast.partner_owner.email not in text
    assert "ho**********@partner.example" in text


def test_mask_text_masks_addresses_and_phone_numbers_only():
    assert privacy.mask_text("mail kim@a.example or 02-123-4567, fund 2026") == (
        "mail ki*@a.example or 021-****-4567, fund 2026"
    )
    assert privacy.mask_text("me@a.example", own_email="ME@a.example") == "me@a.example"


def test_fields_and_states_read_as_their_translated_names():
    changes = {"status": ["applied", "recommended"], "method": [None, "equal_payment"]}
    with translation.override("ko"):
        text = audit.changes_text(changes, "finance.loanapplication")
    assert "상태: 신청 → 추천" in text
    assert "원리금균등" in text
    assert "status" not in text and "equal_payment" not in text
    # Without an object type (or an unknown one) the recorded names stay.
    assert audit.changes_text({"status": ["a", "b"]}) == "status: a → b"
    assert audit.changes_text({"status": ["a", "b"]}, "nothing.here") == "Status: a → b"


def test_the_audit_page_shows_translated_states(login, cast):
    with transaction.atomic():
        audit.record(
            actor=cast.program_manager,
            action="finance.application.recommend",
            target=audit.AuditTarget("finance.loanapplication", "7", "application 7"),
            changes={"status": ["applied", "recommended"]},
        )
    page = login(cast.auditor).get(reverse("core:audit_events")).content.decode()
    assert "신청" in page and "추천" in page  # the site's language (Korean by default)
    assert "applied</span>" not in page and "status</" not in page
