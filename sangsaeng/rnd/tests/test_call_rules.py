"""The rubric and eligibility of a call: editable by programme managers (page and API) until the call
opens or the first proposal is submitted; afterwards refused with the reason, nothing changed; audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from sangsaeng.core.models import AuditEvent
from sangsaeng.rnd.models import Call, ProposalStatus
from sangsaeng.rnd.tests.factories import make_call, make_proposal

pytestmark = pytest.mark.django_db
BASE = "/api/v1/rnd"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
RULES = {
    "criteria": [{"name": "기술성", "weight": 60, "max_score": 5}, {"name": "사업성", "weight": 40}],
    "eligible_size_classes": ["small"],
    "eligible_tiers": [1, 2],
    "fair_trade_required": True,
}


@pytest.fixture
def future_call(cast):
    now = timezone.now()
    return make_call(opens_at=now + dt.timedelta(days=3), closes_at=now + dt.timedelta(days=30))


def _put(client, call, data):
    return client.put(
        f"{BASE}/calls/{call.pk}/rules", data=json.dumps(data), content_type="application/json", **EN
    )


def _rubric(call):
    return list(Call.objects.get(pk=call.pk).criteria.values_list("name", "weight", "max_score"))


def _state(call):
    fresh = Call.objects.get(pk=call.pk)
    return (
        _rubric(call),
        fresh.eligible_size_classes,
        fresh.eligible_tiers,
        fresh.fair_trade_required,
        AuditEvent.objects.count(),
    )


def test_a_manager_changes_the_rubric_and_eligibility_through_the_api(login, cast, future_call):
    response = _put(login(cast.program_manager), future_call, RULES)

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(c["name"], c["weight"], c["max_score"]) for c in body["criteria"]] == [
        ("기술성", 60, 5),
        ("사업성", 40, 10),
    ]
    assert body["eligible_tiers"] == [1, 2] and body["fair_trade_required"] is True
    event = AuditEvent.objects.get(action="rnd.update_call_rules", object_id=str(future_call.pk))
    assert event.changes["criteria"][1] == [["기술성", 60, 5], ["사업성", 40, 10]]
    assert event.changes["fair_trade_required"] == [False, True]


def test_only_eligibility_may_be_sent_and_the_rubric_stays(login, cast, future_call):
    before = _rubric(future_call)

    response = _put(login(cast.program_manager), future_call, {"eligible_tiers": [3]})

    assert response.status_code == 200 and _rubric(future_call) == before
    assert Call.objects.get(pk=future_call.pk).eligible_tiers == [3]


def test_an_open_call_refuses_with_the_reason_and_nothing_changes(login, cast, call):
    before = _state(call)

    response = _put(login(cast.program_manager), call, RULES)

    assert response.status_code == 422
    assert "the call opened at" in response.json()["error"]["message"]
    assert _state(call) == before


def test_a_submitted_proposal_locks_the_rules_before_the_call_opens(login, cast, future_call):
    make_proposal(future_call, cast.partner, status=ProposalStatus.SUBMITTED)
    before = _state(future_call)

    response = _put(login(cast.program_manager), future_call, RULES)

    assert response.status_code == 422
    assert "a proposal has been submitted" in response.json()["error"]["message"]
    assert _state(future_call) == before


def test_a_draft_does_not_lock_the_rules(login, cast, future_call):
    make_proposal(future_call, cast.partner)

    assert _put(login(cast.program_manager), future_call, RULES).status_code == 200


def test_eligibility_through_the_call_patch_is_refused_once_open(cast, call):
    from django.core.exceptions import ValidationError

    from sangsaeng.rnd import services

    before = _state(call)
    with pytest.raises(ValidationError):
        services.update_call(actor=cast.program_manager, call=call, eligible_tiers=[4])
    assert _state(call) == before


@pytest.mark.parametrize(
    "payload",
    [
        {"criteria": []},
        {"criteria": [{"name": "x", "weight": 0}]},
        {"eligible_size_classes": ["giant"]},
        {"eligible_tiers": [9]},
    ],
)
def test_bad_rules_get_field_errors_and_nothing_changes(login, cast, future_call, payload):
    before = _state(future_call)

    response = _put(login(cast.program_manager), future_call, payload)

    assert response.status_code == 422 and response.json()["error"]["fields"]
    assert _state(future_call) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("auditor", 403), ("reviewer", 404), ("partner_owner", 404), ("other_partner_owner", 404)],
)
def test_only_managers_change_the_rules(login, cast, future_call, who, status):
    before = _state(future_call)

    response = _put(login(getattr(cast, who)), future_call, RULES)

    assert response.status_code == status
    assert _state(future_call) == before


def test_a_manager_changes_the_rules_on_the_page(login, cast, future_call):
    client = login(cast.program_manager)
    url = reverse("rnd:call_rules", args=[future_call.pk])
    assert "사업성" not in client.get(url).content.decode()  # (the help text's example names 기술성)

    response = client.post(
        url,
        {
            "criteria": "기술성: 60: 5\n사업성: 40",
            "eligible_size_classes": ["small"],
            "eligible_tiers": ["1"],
            "fair_trade_required": "on",
        },
    )

    assert response.status_code == 302
    assert _rubric(future_call) == [("기술성", 60, 5), ("사업성", 40, 10)]
    fresh = Call.objects.get(pk=future_call.pk)
    assert fresh.eligible_tiers == [1] and fresh.fair_trade_required
    assert AuditEvent.objects.filter(action="rnd.update_call_rules").count() == 1


def test_the_page_of_an_open_call_shows_why_and_a_post_changes_nothing(english, login, cast, call):
    client = login(cast.program_manager)
    url = reverse("rnd:call_rules", args=[call.pk])
    before = _state(call)

    page = client.get(url).content.decode()
    response = client.post(url, {"criteria": "x: 1", "eligible_tiers": ["1"]})

    assert "the call opened at" in page and "<textarea" not in page
    assert response.status_code == 200 and "the call opened at" in response.content.decode()
    assert _state(call) == before


def test_a_bad_rubric_line_on_the_page_is_a_field_error(english, login, cast, future_call):
    before = _state(future_call)

    response = login(cast.program_manager).post(
        reverse("rnd:call_rules", args=[future_call.pk]), {"criteria": "no weight here"}
    )

    assert response.status_code == 200 and "name: weight" in response.content.decode()
    assert _state(future_call) == before


def test_the_rules_page_is_for_managers_only(login, cast, future_call):
    url = reverse("rnd:call_rules", args=[future_call.pk])
    assert login(cast.auditor).get(url).status_code == 404
    assert login(cast.partner_owner).get(url).status_code == 404
