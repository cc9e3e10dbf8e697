"""Outcome sharing linked to a finance benefit-sharing task (성과공유 과제): chosen among the tasks the
sponsor may see that involve the use case's partner; the text reference stays for outside tasks."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from sangsaeng.core.models import AuditEvent
from sangsaeng.finance.models import SharingTask
from sangsaeng.usecases import services
from sangsaeng.usecases.models import OutcomeType, Stage, UseCase
from sangsaeng.usecases.tests.factories import make_use_case

pytestmark = pytest.mark.django_db
SCORES = {key: 4 for key in services.GATE_CRITERIA}


def _task(cast, partner, title="RF 필터 원가절감"):
    return SharingTask.objects.create(
        partner=partner,
        title=title,
        task_type="cost_reduction",
        goal="단가 10% 절감",
        kpi_name="단가",
        kpi_baseline=Decimal("100"),
        kpi_target=Decimal("90"),
        created_by=cast.program_manager,
    )


@pytest.fixture
def sharing(cast):
    return make_use_case(cast.partner, cast.partner_owner, stage=Stage.OUTCOME_SHARING, sponsor=cast.reviewer)


def _decide(actor, use_case, **extra):
    return services.decide_gate(
        actor=actor,
        use_case=use_case,
        to_stage=Stage.MONITORING,
        scores=SCORES,
        reason="성과 확인",
        outcome_type=OutcomeType.BENEFIT_SHARING,
        **extra,
    )


def test_the_sponsor_links_a_task_of_the_same_partner_and_it_is_audited(cast, sharing):
    task = _task(cast, cast.partner)
    _decide(cast.reviewer, sharing, sharing_task_id=task.pk, benefit_sharing_reference="재단 확인 2026-017")
    sharing.refresh_from_db()
    assert (sharing.stage, sharing.sharing_task_id, sharing.benefit_sharing_reference) == (
        Stage.MONITORING,
        task.pk,
        "재단 확인 2026-017",
    )
    event = AuditEvent.objects.filter(action="usecases.decide_gate").latest("seq")
    assert event.changes["sharing_task"] == [None, task.pk]


def test_a_task_where_the_partner_only_participates_may_be_linked(cast, sharing):
    task = _task(cast, cast.other_partner)
    task.participants.add(cast.partner)
    _decide(cast.reviewer, sharing, sharing_task_id=task.pk)
    sharing.refresh_from_db()
    assert sharing.sharing_task_id == task.pk


@pytest.mark.parametrize("which", ["other_partner", "unknown"])
def test_a_task_not_involving_the_partner_is_refused_and_nothing_changes(cast, sharing, which):
    task_id = _task(cast, cast.other_partner).pk if which == "other_partner" else 999_999
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        _decide(cast.reviewer, sharing, sharing_task_id=task_id)
    assert "sharing_task" in refused.value.message_dict
    sharing.refresh_from_db()
    assert (sharing.stage, sharing.sharing_task_id, sharing.outcome_type) == (Stage.OUTCOME_SHARING, None, "")
    assert AuditEvent.objects.count() == events and sharing.decisions.count() == 1


def test_an_idea_purchase_clears_any_link(cast, sharing):
    _decide(cast.reviewer, sharing, sharing_task_id=_task(cast, cast.partner).pk)
    sharing.refresh_from_db()
    sharing.stage = Stage.OUTCOME_SHARING
    sharing.save(update_fields=["stage"])
    services.decide_gate(
        actor=cast.reviewer,
        use_case=sharing,
        to_stage=Stage.MONITORING,
        scores=SCORES,
        reason="구매",
        outcome_type=OutcomeType.IDEA_PURCHASE,
        purchase_amount_krw=30_000_000,
    )
    sharing.refresh_from_db()
    assert (sharing.sharing_task_id, sharing.purchase_amount_krw) == (None, 30_000_000)


def test_the_decision_form_offers_only_the_partners_tasks_and_the_timeline_links_the_task(
    client, login, cast, sharing
):
    own = _task(cast, cast.partner, title="우리 과제")
    _task(cast, cast.other_partner, title="남의 과제")
    login(cast.reviewer)
    page = client.get(reverse("usecases:decide", args=[sharing.pk])).content.decode()
    assert "우리 과제" in page and "남의 과제" not in page
    data = {"to_stage": Stage.MONITORING, "reason": "성과 확인", "outcome_type": OutcomeType.BENEFIT_SHARING}
    data |= {f"score_{key}": 4 for key in services.GATE_CRITERIA} | {"sharing_task": own.pk}
    response = client.post(reverse("usecases:decide", args=[sharing.pk]), data)
    assert response.status_code == 302
    task_url = reverse("finance:sharing_task", args=[own.pk])
    # the partner's people see the link on their timeline; the task involves their company
    login(cast.partner_member)
    detail = client.get(reverse("usecases:detail", args=[sharing.pk])).content.decode()
    assert task_url in detail and "우리 과제" in detail


def test_the_api_links_a_task_and_shows_it(client, login, cast, sharing):
    task = _task(cast, cast.partner)
    login(cast.reviewer)
    payload = {
        "to_stage": Stage.MONITORING,
        "scores": SCORES,
        "reason": "성과 확인",
        "outcome_type": OutcomeType.BENEFIT_SHARING,
        "sharing_task_id": task.pk,
    }
    url = f"/api/v1/usecases/{sharing.pk}/decisions"
    response = client.post(url, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/usecases/{sharing.pk}").json()
    assert body["sharing_task"] == {"id": task.pk, "title": task.title, "status": task.status}


def test_the_api_refuses_another_partners_task_with_a_field_error(client, login, cast, sharing):
    task = _task(cast, cast.other_partner)
    login(cast.reviewer)
    payload = {
        "to_stage": Stage.MONITORING,
        "scores": SCORES,
        "reason": "성과 확인",
        "outcome_type": OutcomeType.BENEFIT_SHARING,
        "sharing_task_id": task.pk,
    }
    response = client.post(
        f"/api/v1/usecases/{sharing.pk}/decisions", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422 and "sharing_task" in response.json()["error"]["fields"]
    assert UseCase.objects.get(pk=sharing.pk).stage == Stage.OUTCOME_SHARING


def test_the_migration_keeps_references_and_links_those_naming_one_task_of_the_partner(cast):
    named = make_use_case(cast.partner, cast.partner_owner, title="a")
    outside = make_use_case(cast.partner, cast.partner_owner, title="b")
    task = _task(cast, cast.partner, title="RF 필터 원가절감")
    _task(cast, cast.other_partner, title="재단 확인 2026-017")  # another partner's task of that name
    UseCase.objects.filter(pk=named.pk).update(benefit_sharing_reference="RF 필터 원가절감")
    UseCase.objects.filter(pk=outside.pk).update(benefit_sharing_reference="재단 확인 2026-017")
    migration = importlib.import_module("sangsaeng.usecases.migrations.0002_outcome_sharing_task_link")
    migration.link_named_tasks(django_apps, None)
    named.refresh_from_db()
    outside.refresh_from_db()
    assert (named.sharing_task_id, named.benefit_sharing_reference) == (task.pk, "RF 필터 원가절감")
    assert (outside.sharing_task_id, outside.benefit_sharing_reference) == (None, "재단 확인 2026-017")
