"""Partner API at /api/v1/partners: list, detail, sign-up, update, decisions, history, contacts."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangsaeng.accounts.models import User
from sangsaeng.core import botcheck
from sangsaeng.core.models import AuditEvent, PersonalDataAccess
from sangsaeng.partners.models import CollaborationField, Partner, PartnerField, PartnerStatus
from sangsaeng.partners.tests.conftest import INVALID_BRN, OTHER_VALID_BRN, company_profile
from sangsaeng.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partners"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _send(client, method, url, data):
    return client.generic(method, url, data=json.dumps(data), content_type="application/json", **EN)


# --- List ----------------------------------------------------------------------------------------------


def test_the_list_needs_authentication(client):
    response = client.get(BASE)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_the_list_shows_each_caller_what_they_may_see(login, cast):
    PartnerFactory(status=PartnerStatus.PENDING, name_ko="대기회사")

    host = login(cast.host_admin).get(BASE).json()
    bank = login(cast.loan_officer).get(BASE).json()
    own = login(cast.partner_member).get(BASE).json()

    assert host["count"] == 3
    assert {item["name_ko"] for item in bank["items"]} == {"가나다테크", "라마바솔루션"}
    assert [item["name_ko"] for item in own["items"]] == ["가나다테크"]


def test_the_list_filters_searches_sorts_and_pages(login, cast):
    for index in range(5):
        PartnerFactory(name_ko=f"검색회사{index}", tier=2, capability_tags="MEC")
    client = login(cast.auditor)

    page = client.get(BASE, {"q": "mec", "tier": 2, "sort": "-name", "limit": 2, "offset": 1}).json()

    assert page["count"] == 5 and (page["limit"], page["offset"]) == (2, 1)
    assert [item["name_ko"] for item in page["items"]] == ["검색회사3", "검색회사2"]


def test_invalid_list_parameters_are_a_422_with_field_errors(login, cast):
    response = login(cast.host_admin).get(BASE, {"limit": 1000, "status": "nope"})

    assert response.status_code == 422
    assert {"limit", "status"} <= set(response.json()["error"]["fields"])


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_5_and_50_partners(login, cast, django_assert_num_queries):
    field = CollaborationField.objects.get(code="area-content")
    for _ in range(3):
        PartnerField.objects.create(partner=PartnerFactory(), field=field)
    client = login(cast.host_admin)
    baseline = _queries(client, f"{BASE}?limit=50")
    for _ in range(47):
        PartnerField.objects.create(partner=PartnerFactory(), field=field)

    with django_assert_num_queries(baseline):
        response = client.get(f"{BASE}?limit=50")

    assert len(response.json()["items"]) == 50


# --- Detail ----------------------------------------------------------------------------------------------


def test_detail_has_the_full_profile_for_own_people_and_list_fields_for_banks(login, cast):
    url = f"{BASE}/{cast.partner.pk}"

    own = login(cast.partner_owner).get(url).json()
    bank = login(cast.loan_officer).get(url).json()

    assert own["details"]["ceo_name"] == "김대표"
    assert bank["details"] is None and bank["name_ko"] == "가나다테크"


def test_another_partners_company_is_404(login, cast):
    response = login(cast.other_partner_owner).get(f"{BASE}/{cast.partner.pk}")

    assert response.status_code == 404
    assert "가나다테크" not in response.content.decode()


# --- Sign-up ---------------------------------------------------------------------------------------------


def _signup_payload(**overrides):
    payload = {key: value for key, value in company_profile().items() if value is not None}
    payload["capability_tags"] = ["5G", "RF"]
    payload.update(
        {
            "email": "api-owner@company.example",
            "name": "API 대표",
            "password": "a-long-Passphrase-42",
            "privacy_consent": True,
            "form_token": botcheck.issue_token(),
        }
    )
    payload.update(overrides)
    return payload


def test_anonymous_sign_up_creates_a_pending_partner(client, cast):
    token = client.get(f"{BASE}/signup/form-token").json()["form_token"]
    response = _send(
        client, "POST", f"{BASE}/signup", _signup_payload(brn="１１６－８２－００２７６", form_token=token)
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["brn"] == "1168200276"
    assert body["details"]["capability_tags"] == ["5G", "RF"]
    assert Partner.objects.get(brn="1168200276").created_by.email == "api-owner@company.example"


def test_sign_up_errors_are_422_with_field_messages(client, db):
    PartnerFactory(brn="1348672683")

    duplicate = _send(client, "POST", f"{BASE}/signup", _signup_payload(brn=OTHER_VALID_BRN))
    wrong = _send(client, "POST", f"{BASE}/signup", _signup_payload(brn=INVALID_BRN, password="123"))

    assert duplicate.status_code == 422
    assert "one partner per business registration number" in duplicate.json()["error"]["fields"]["brn"][0]
    assert wrong.status_code == 422
    assert {"brn", "password"} <= set(wrong.json()["error"]["fields"])
    assert Partner.objects.count() == 1


def test_sign_up_without_privacy_consent_is_refused_and_creates_nothing(client, db):
    users = User.objects.count()

    response = _send(client, "POST", f"{BASE}/signup", _signup_payload(privacy_consent=False))

    assert response.status_code == 422
    assert "privacy_consent" in response.json()["error"]["fields"]
    assert Partner.objects.count() == 0 and User.objects.count() == users
    assert not AuditEvent.objects.exists()


# --- Update ----------------------------------------------------------------------------------------------


def test_the_owner_patches_only_the_fields_sent(login, cast):
    response = _send(login(cast.partner_owner), "PATCH", f"{BASE}/{cast.partner.pk}", {"name_en": "GND"})

    assert response.status_code == 200 and response.json()["name_en"] == "GND"
    cast.partner.refresh_from_db()
    assert cast.partner.ceo_name == "김대표"


def test_patching_the_locked_brn_is_422_and_changes_nothing(login, cast):
    before = AuditEvent.objects.count()

    response = _send(
        login(cast.partner_owner), "PATCH", f"{BASE}/{cast.partner.pk}", {"brn": OTHER_VALID_BRN}
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"]["brn"] == ["Locked after approval: ask the host to change it."]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("who", "status"), [("auditor", 403), ("loan_officer", 403), ("other_partner_owner", 404)]
)
def test_patch_permission_matrix(login, cast, who, status):
    response = _send(login(getattr(cast, who)), "PATCH", f"{BASE}/{cast.partner.pk}", {"name_en": "X"})

    assert response.status_code == status
    cast.partner.refresh_from_db()
    assert cast.partner.name_en != "X"


# --- Decisions and history ---------------------------------------------------------------------------------


def test_the_host_decides_through_the_api_and_the_history_shows_it(login, cast, pending):
    client = login(cast.host_admin)

    response = _send(
        client, "POST", f"{BASE}/{pending.pk}/decisions", {"decision": "request_changes", "reason": "주소"}
    )
    history = client.get(f"{BASE}/{pending.pk}/status-history").json()

    assert response.status_code == 200 and response.json()["status"] == "changes_requested"
    assert history[0]["to_status"] == "changes_requested" and history[0]["reason"] == "주소"


def test_decision_errors(login, cast, pending):
    client = login(cast.host_admin)

    missing_reason = _send(client, "POST", f"{BASE}/{pending.pk}/decisions", {"decision": "reject"})
    wrong_transition = _send(client, "POST", f"{BASE}/{pending.pk}/decisions", {"decision": "reinstate"})
    unknown = _send(client, "POST", f"{BASE}/{pending.pk}/decisions", {"decision": "promote"})
    by_owner = _send(login(pending.owner), "POST", f"{BASE}/{pending.pk}/decisions", {"decision": "approve"})

    assert missing_reason.status_code == 422 and "reason" in missing_reason.json()["error"]["fields"]
    assert wrong_transition.status_code == 422 and "decision" in wrong_transition.json()["error"]["fields"]
    assert unknown.status_code == 422
    assert by_owner.status_code == 403
    pending.refresh_from_db()
    assert pending.status == PartnerStatus.PENDING


# --- Contacts ------------------------------------------------------------------------------------------


def test_contacts_read_by_the_host_are_logged(login, cast):
    ContactFactory(partner=cast.partner, email="hong@partner.example")

    response = login(cast.program_manager).get(f"{BASE}/{cast.partner.pk}/contacts")

    assert response.json()[0]["email"] == "hong@partner.example"
    assert PersonalDataAccess.objects.get().actor == cast.program_manager


def test_own_people_add_contacts_and_banks_cannot_read_them(login, cast):
    created = _send(
        login(cast.partner_member), "POST", f"{BASE}/{cast.partner.pk}/contacts", {"name": "김담당"}
    )
    bank = login(cast.loan_officer).get(f"{BASE}/{cast.partner.pk}/contacts")

    assert created.status_code == 201 and created.json()["name"] == "김담당"
    assert bank.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_api_sign_up_needs_a_form_token_old_enough_and_used_once(client, db, settings):
    settings.SIGNUP_FORM_MIN_SECONDS = 3
    fresh = client.get(f"{BASE}/signup/form-token").json()
    old = botcheck.issue_token(issued_at=time.time() - 10)

    missing = _send(client, "POST", f"{BASE}/signup", {**_signup_payload(), "form_token": ""})
    too_quick = _send(client, "POST", f"{BASE}/signup", _signup_payload(form_token=fresh["form_token"]))
    assert Partner.objects.count() == 0
    accepted = _send(client, "POST", f"{BASE}/signup", _signup_payload(form_token=old))
    replayed = _send(
        client, "POST", f"{BASE}/signup", _signup_payload(form_token=old, email="again@company.example")
    )

    assert fresh["min_seconds"] == 3
    assert missing.status_code == too_quick.status_code == replayed.status_code == 422
    assert "form_token" in missing.json()["error"]["fields"]
    assert "too quickly" in too_quick.json()["error"]["fields"]["form_token"][0]
    assert "already sent" in replayed.json()["error"]["fields"]["form_token"][0]
    assert accepted.status_code == 201
    assert Partner.objects.count() == 1
