"""Benefit sharing run without the API: the programme set-up, drafting and editing a task, and the
incentive rules (pages and API), with the same services, audited; other roles change nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sangsaeng.core import dates
from sangsaeng.core.models import AuditEvent
from sangsaeng.finance import services
from sangsaeng.finance.models import IncentivePoint, IncentiveRule, SharingProgramme, SharingTask
from sangsaeng.finance.services import sharing_rules
from sangsaeng.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

RULES_API = "/api/v1/finance/sharing/incentive-rules"
TASK_FORM = {
    "title": "RF 필터 원가절감",
    "task_type": "cost_reduction",
    "kpi_name": "단가",
    "kpi_baseline": "100",
    "goal": "부품 원가 10% 절감",
    "kpi_target": "90",
    "measurement_months": "36",
    "methods": ["cash", "long_term_contract"],
    "cash_ratio_percent": "50",
}
DRAFT_FORM = {
    "title": "초안 과제",
    "task_type": "quality",
    "kpi_name": "불량률",
    "kpi_baseline": "5",
    "goal": "불량률 절반",
    "kpi_target": "2.5",
    "measurement_months": "36",
    "methods": ["cash"],
    "cash_ratio_percent": "30",
}
RULE_FORM = {"valid_from": "2020-01-01", "points_per_task": "10", "points_per_eok_shared": "2"}
PROGRAMME_FORM = {
    "plan_from": "2026-01-01",
    "plan_to": "2027-12-31",
    "plan_summary": "2개년 성과공유 추진계획",
    "internal_rules": "성과공유제 운영 규정",
    "dedicated_staff": "동반성장팀 홍길동",
}
REFUSED = ["partner_owner", "partner_member", "reviewer", "lab_operator", "loan_officer", "observer"]


def _hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _state():
    return (
        list(SharingTask.objects.order_by("pk").values()),
        list(IncentiveRule.objects.order_by("pk").values()),
        list(SharingProgramme.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def _post_json(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _draft(cast):
    return services.create_task(
        actor=cast.program_manager,
        partner=cast.partner,
        title="초안 과제",
        task_type="quality",
        kpi_name="불량률",
        kpi_baseline=Decimal("5"),
        contract={
            "goal": "불량률 절반",
            "kpi_target": "2.5",
            "methods": ["cash"],
            "cash_ratio_percent": "30",
        },
    )


def _rule(cast, **values):
    return sharing_rules.create_rule(
        actor=cast.program_manager,
        values={
            "valid_from": dt.date(2020, 1, 1),
            "points_per_task": 10,
            "points_per_eok_shared": 1,
            **values,
        },
    )


# --- Tasks: draft and edit on pages --------------------------------------------------------------


def test_host_manager_drafts_a_task_on_the_page_like_the_api(cast, login):
    second_tier = PartnerFactory(tier=2)
    client = login(cast.program_manager)
    assert client.get(reverse("finance:sharing_task_create")).status_code == 200

    response = client.post(
        reverse("finance:sharing_task_create"),
        {**TASK_FORM, "partner": cast.partner.pk, "participants": [second_tier.pk]},
    )

    assert response.status_code == 302, response.content
    task = SharingTask.objects.get(title="RF 필터 원가절감")
    assert response["Location"] == reverse("finance:sharing_task", args=[task.pk])
    api = _post_json(
        client,
        "/api/v1/finance/sharing/tasks",
        {
            "partner_id": cast.partner.pk,
            "participant_ids": [second_tier.pk],
            "title": "API 과제",
            "task_type": "cost_reduction",
            "kpi_name": "단가",
            "kpi_baseline": "100",
            "contract": {
                "goal": "부품 원가 10% 절감",
                "kpi_target": "90",
                "measurement_months": 36,
                "methods": ["cash", "long_term_contract"],
                "cash_ratio_percent": "50",
            },
        },
    )
    assert api.status_code == 201
    by_api = SharingTask.objects.get(pk=api.json()["id"])
    assert task.contract() == by_api.contract()
    assert (task.status, task.created_by, list(task.participants.all())) == (
        "draft",
        cast.program_manager,
        [second_tier],
    )
    assert (
        AuditEvent.objects.filter(action="finance.create_sharing_task", object_id=str(task.pk)).count() == 1
    )


def test_task_form_over_htmx_returns_itself_with_field_errors(cast, login, english):
    client = login(cast.program_manager)
    before = _state()

    response = client.post(
        reverse("finance:sharing_task_create"),
        {**TASK_FORM, "partner": cast.partner.pk, "methods": [], "cash_ratio_percent": "150"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert b"<html" not in response.content
    form = response.context["form"]
    assert set(form.errors) == {"methods", "cash_ratio_percent"}
    assert _state() == before


def test_task_form_shows_korean_field_messages_and_changes_nothing(cast, login):
    second_tier = PartnerFactory(tier=2, status="pending")
    client = login(cast.program_manager)
    before = _state()

    response = client.post(
        reverse("finance:sharing_task_create"),
        {**TASK_FORM, "partner": cast.partner.pk, "participants": [second_tier.pk], "title": ""},
    )

    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"participants", "title"}
    assert "필수" in form.errors["title"][0]
    assert _hangul(form.errors["participants"][0])
    assert _state() == before


def test_host_manager_edits_a_draft_and_the_contract_locks_at_registration(cast, login, english):
    task = _draft(cast)
    client = login(cast.program_manager)
    url = reverse("finance:sharing_task_edit", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["goal"] == "불량률 절반"

    second_tier = PartnerFactory(tier=3)
    edited = {
        **DRAFT_FORM,
        "title": "불량률 개선 과제",
        "participants": [second_tier.pk],
        "goal": "불량률 70% 감축",
        "kpi_target": "1.5",
        "measurement_months": "24",
        "methods": ["cash", "joint_patent"],
        "cash_ratio_percent": "40",
    }

    response = client.post(url, edited)

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.goal, task.kpi_target, task.measurement_months, task.methods, task.version) == (
        "불량률 개선 과제",
        "불량률 70% 감축",
        Decimal("1.5"),
        24,
        ["cash", "joint_patent"],
        1,
    )
    assert list(task.participants.all()) == [second_tier]
    event = AuditEvent.objects.get(action="finance.update_sharing_task", object_id=str(task.pk))
    assert event.changes["measurement_months"] == [36, 24]
    assert event.changes["participants"] == [[], [second_tier.pk]]
    assert event.changes["title"] == ["초안 과제", "불량률 개선 과제"]

    services.change_task_status(actor=cast.program_manager, task=task, target="registered")
    assert client.get(url).status_code == 302  # back to the task: amendments from now on
    before = _state()
    refused = client.post(url, {**edited, "goal": "바꿈"})
    assert refused.status_code == 422
    assert "accepted amendment" in str(refused.context["form"].non_field_errors())
    assert _state() == before


@pytest.mark.parametrize("who", REFUSED)
def test_other_roles_cannot_draft_or_edit_tasks(cast, login, who):
    task = _draft(cast)
    client = login(getattr(cast, who))
    before = _state()

    create = client.post(reverse("finance:sharing_task_create"), {**TASK_FORM, "partner": cast.partner.pk})
    edit = client.post(reverse("finance:sharing_task_edit", args=[task.pk]), {**DRAFT_FORM, "goal": "x"})
    api = _post_json(
        client, f"/api/v1/finance/sharing/tasks/{task.pk}/draft", {"measurement_months": 12}, "patch"
    )

    assert create.status_code == 403
    # The task's own partner people may see the task (403); everyone else does not even see it (404).
    assert edit.status_code in (403, 404) and api.status_code in (403, 404)
    if who.startswith("partner"):
        assert (edit.status_code, api.status_code) == (403, 403)
    assert _state() == before


def test_draft_through_the_api(cast, login, english):
    task = _draft(cast)
    client = login(cast.program_manager)
    url = f"/api/v1/finance/sharing/tasks/{task.pk}/draft"

    response = _post_json(client, url, {"measurement_months": 12, "methods": ["cash", "unit_price"]}, "patch")

    assert response.status_code == 200, response.content
    assert (response.json()["measurement_months"], response.json()["methods"]) == (12, ["cash", "unit_price"])
    third_tier = PartnerFactory(tier=3)
    details = _post_json(
        client, url, {"title": "새 제목", "kpi_baseline": "4.5", "participant_ids": [third_tier.pk]}, "patch"
    )
    assert details.status_code == 200, details.content
    assert (
        details.json()["title"],
        details.json()["kpi_baseline"],
        details.json()["measurement_months"],
    ) == (
        "새 제목",
        "4.5",
        12,
    )
    assert list(SharingTask.objects.get(pk=task.pk).participants.all()) == [third_tier]
    before = _state()
    bad = _post_json(
        client,
        url,
        {
            "methods": ["gold"],
            "measurement_months": 500,
            "title": " ",
            "participant_ids": [cast.other_partner.pk],
        },
        "patch",
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"methods", "measurement_months", "title", "participants"}
    assert _state() == before
    services.change_task_status(actor=cast.program_manager, task=task, target="registered")
    locked = _post_json(client, url, {"measurement_months": 24}, "patch")
    assert locked.status_code == 422
    task.refresh_from_db()
    assert task.measurement_months == 12


# --- Programme set-up ----------------------------------------------------------------------------


def test_host_admin_records_the_programme_on_the_page(cast, login):
    client = login(cast.host_admin)
    assert client.get(reverse("finance:sharing_programme")).status_code == 200

    response = client.post(reverse("finance:sharing_programme"), PROGRAMME_FORM)

    assert response.status_code == 302
    programme = SharingProgramme.objects.get()
    assert (programme.host, programme.plan_summary) == (cast.host, "2개년 성과공유 추진계획")
    assert AuditEvent.objects.filter(action="finance.save_sharing_programme").count() == 1
    # The API reads what the page recorded.
    api = login(cast.program_manager).get("/api/v1/finance/sharing/programme").json()
    assert api["dedicated_staff"] == "동반성장팀 홍길동"
    # Edited again: the form starts from what was recorded.
    page = client.get(reverse("finance:sharing_programme"))
    assert page.context["form"].initial["plan_to"] == dt.date(2027, 12, 31)


def test_programme_dates_get_a_korean_field_message_and_change_nothing(cast, login):
    client = login(cast.host_admin)
    before = _state()

    response = client.post(reverse("finance:sharing_programme"), {**PROGRAMME_FORM, "plan_to": "2025-12-31"})

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["plan_to"]
    assert "계획" in response.context["form"].errors["plan_to"][0]
    assert _state() == before


def test_programme_managers_read_the_set_up_but_only_administrators_record_it(cast, login):
    services.save_programme(
        actor=cast.host_admin,
        values={**PROGRAMME_FORM, "plan_from": dt.date(2026, 1, 1), "plan_to": dt.date(2027, 12, 31)},
    )
    client = login(cast.program_manager)
    page = client.get(reverse("finance:sharing_programme"))
    assert page.status_code == 200 and not page.context["can_save"]
    assert "동반성장팀 홍길동" in page.content.decode()
    before = _state()

    response = client.post(reverse("finance:sharing_programme"), {**PROGRAMME_FORM, "plan_summary": "바꿈"})

    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("who", REFUSED)
def test_other_roles_cannot_open_or_record_the_programme(cast, login, who):
    client = login(getattr(cast, who))
    before = _state()

    assert client.get(reverse("finance:sharing_programme")).status_code == 403
    assert client.post(reverse("finance:sharing_programme"), PROGRAMME_FORM).status_code == 403
    assert _state() == before


# --- Incentive rules: pages ----------------------------------------------------------------------


def test_a_fresh_install_awards_points_once_a_rule_is_created_on_the_page(cast, login):
    assert not IncentiveRule.objects.exists()
    client = login(cast.program_manager)
    page = client.get(reverse("finance:sharing_rules"))
    assert page.status_code == 200 and page.context["in_force"] is None

    response = client.post(reverse("finance:sharing_rule_create"), RULE_FORM)

    assert response.status_code == 302
    rule = IncentiveRule.objects.get()
    assert (rule.valid_from, rule.points_per_task, rule.points_per_eok_shared) == (dt.date(2020, 1, 1), 10, 2)
    assert (
        AuditEvent.objects.filter(action="finance.create_incentive_rule", object_id=str(rule.pk)).count() == 1
    )
    task = _draft(cast)
    for target in ("registered", "in_progress"):
        services.change_task_status(actor=cast.program_manager, task=task, target=target)
    services.record_measurement(
        actor=cast.program_manager,
        task=task,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        kpi_value=Decimal("2"),
        saving_krw=10 * 10**8,
        evidence="검수 보고서",
    )
    payout = task.payouts.get()
    services.settle_payout(actor=cast.program_manager, payout=payout, settled_on=dates.today())
    for target in ("outcome_measured", "shared", "confirmation_requested"):
        services.change_task_status(actor=cast.program_manager, task=task, target=target)
    services.change_task_status(
        actor=cast.program_manager, task=task, target="confirmed", certificate_number="KF-2026-001"
    )

    point = IncentivePoint.objects.get(task=task)
    assert (point.rule, point.points) == (rule, 10 + 2 * 3)  # 3억 paid (30 % of 10억)
    listed = client.get(reverse("finance:sharing_rules"))
    assert listed.context["page"].object_list[0].awards == 1


def test_host_manager_edits_and_retires_a_rule_on_the_page(cast, login):
    rule = _rule(cast)
    client = login(cast.host_admin)
    assert client.get(reverse("finance:sharing_rule_edit", args=[rule.pk])).status_code == 200

    response = client.post(
        reverse("finance:sharing_rule_edit", args=[rule.pk]), {**RULE_FORM, "points_per_task": "20"}
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.points_per_task == 20
    event = AuditEvent.objects.get(action="finance.update_incentive_rule", object_id=str(rule.pk))
    assert event.changes["points_per_task"] == [10, 20]

    response = client.post(reverse("finance:sharing_rule_retire", args=[rule.pk]))

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.retired_at is not None
    assert sharing_rules.rule_in_force() is None
    assert AuditEvent.objects.filter(action="finance.retire_incentive_rule").count() == 1


def test_rule_form_shows_service_errors_in_korean_on_their_fields(cast, login):
    _rule(cast)
    client = login(cast.program_manager)
    before = _state()

    clash = client.post(reverse("finance:sharing_rule_create"), RULE_FORM)
    nothing = client.post(
        reverse("finance:sharing_rule_create"),
        {"valid_from": "2021-01-01", "points_per_task": "0", "points_per_eok_shared": "0"},
    )
    too_many = client.post(
        reverse("finance:sharing_rule_create"),
        {"valid_from": "2021-01-01", "points_per_task": "5000", "points_per_eok_shared": "-1"},
    )

    assert (clash.status_code, nothing.status_code, too_many.status_code) == (422, 422, 422)
    assert list(clash.context["form"].errors) == ["valid_from"]
    assert "시행" in clash.context["form"].errors["valid_from"][0]
    assert list(nothing.context["form"].errors) == ["points_per_task"]
    assert "폐지" in nothing.context["form"].errors["points_per_task"][0]
    assert set(too_many.context["form"].errors) == {"points_per_task", "points_per_eok_shared"}
    assert _state() == before


def test_a_rule_that_awarded_points_is_not_changed_only_retired(cast, login, english):
    rule = _rule(cast)
    task = _draft(cast)
    IncentivePoint.objects.create(partner=cast.partner, task=task, rule=rule, points=10, reason="test")
    client = login(cast.program_manager)
    before = _state()

    page = client.post(
        reverse("finance:sharing_rule_edit", args=[rule.pk]), {**RULE_FORM, "points_per_task": "99"}
    )
    api = _post_json(client, f"{RULES_API}/{rule.pk}", {"points_per_task": 99}, "patch")

    assert page.status_code == 422
    assert "retire it" in str(page.context["form"].non_field_errors())
    assert (api.status_code, api.json()["error"]["code"]) == (409, "conflict")
    assert _state() == before
    assert client.post(reverse("finance:sharing_rule_retire", args=[rule.pk])).status_code == 302
    again = client.post(f"{RULES_API}/{rule.pk}/retire")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "conflict")


@pytest.mark.parametrize("who", REFUSED)
def test_other_roles_cannot_see_or_change_rules(cast, login, who):
    rule = _rule(cast)
    client = login(getattr(cast, who))
    before = _state()

    responses = [
        client.get(reverse("finance:sharing_rules")),
        client.get(reverse("finance:sharing_rule_create")),
        client.post(reverse("finance:sharing_rule_create"), {**RULE_FORM, "valid_from": "2022-01-01"}),
        client.post(
            reverse("finance:sharing_rule_edit", args=[rule.pk]), {**RULE_FORM, "points_per_task": "1"}
        ),
        client.post(reverse("finance:sharing_rule_retire", args=[rule.pk])),
        client.get(RULES_API),
        client.get(f"{RULES_API}/{rule.pk}"),
        _post_json(
            client, RULES_API, {"valid_from": "2022-01-01", "points_per_task": 1, "points_per_eok_shared": 1}
        ),
        _post_json(client, f"{RULES_API}/{rule.pk}", {"points_per_task": 1}, "patch"),
        client.post(f"{RULES_API}/{rule.pk}/retire"),
    ]

    assert [r.status_code for r in responses] == [403] * len(responses)
    assert _state() == before


@pytest.mark.parametrize("rows", [5, 40])
def test_rule_list_page_runs_a_constant_number_of_queries(cast, login, django_assert_max_num_queries, rows):
    task = _draft(cast)
    for day in range(rows):
        rule = _rule(cast, valid_from=dt.date(2020, 1, 1) + dt.timedelta(days=day))
        if day % 3 == 0:
            partner = PartnerFactory()
            IncentivePoint.objects.create(partner=partner, task=task, rule=rule, points=1, reason="x")
    client = login(cast.program_manager)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("finance:sharing_rules"))

    assert response.status_code == 200
    assert (
        len(response.context["page"].object_list) == min(rows, 25)
        or response.context["page"].paginator.count == rows
    )


def test_rule_rows_over_htmx_are_a_fragment(cast, login):
    _rule(cast)
    response = login(cast.program_manager).get(reverse("finance:sharing_rules"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content and b"<table" in response.content
    assert "HX-Request" in response["Vary"]


def test_menu_links_for_host_managers_only(cast, login):
    manager = login(cast.program_manager).get(reverse("finance:sharing_tasks")).content.decode()
    assert reverse("finance:sharing_rules") in manager and reverse("finance:sharing_task_create") in manager
    partner = login(cast.partner_owner).get(reverse("finance:sharing_tasks")).content.decode()
    assert reverse("finance:sharing_rules") not in partner
    # The menu too: host managers only.
    assert (
        reverse("finance:sharing_rules")
        in login(cast.host_admin).get(reverse("finance:applications")).content.decode()
    )
    reviewer_home = login(cast.reviewer).get("/")
    assert reviewer_home.status_code == 200
    assert reverse("finance:sharing_rules") not in reviewer_home.content.decode()


# --- Incentive rules: API -----------------------------------------------------------------------


def test_rules_api_create_list_read_change_retire(cast, login):
    client = login(cast.program_manager)

    created = _post_json(
        client, RULES_API, {"valid_from": "2020-01-01", "points_per_task": 12, "points_per_eok_shared": 3}
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["points_per_task"], body["in_force"], body["awards"], body["retired_at"]) == (
        12,
        True,
        0,
        None,
    )
    rule_id = body["id"]
    listed = client.get(f"{RULES_API}?limit=1&offset=0").json()
    assert (listed["count"], listed["limit"], [item["id"] for item in listed["items"]]) == (1, 1, [rule_id])
    assert client.get(f"{RULES_API}/{rule_id}").json()["points_per_eok_shared"] == 3
    changed = _post_json(client, f"{RULES_API}/{rule_id}", {"points_per_eok_shared": 5}, "patch")
    assert (
        changed.status_code,
        changed.json()["points_per_eok_shared"],
        changed.json()["points_per_task"],
    ) == (
        200,
        5,
        12,
    )
    retired = client.post(f"{RULES_API}/{rule_id}/retire")
    assert retired.status_code == 200 and retired.json()["retired_at"] and not retired.json()["in_force"]
    actions = list(
        AuditEvent.objects.filter(object_id=str(rule_id), action__contains="incentive_rule")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "finance.create_incentive_rule",
        "finance.update_incentive_rule",
        "finance.retire_incentive_rule",
    ]
    assert client.get(f"{RULES_API}/999999").status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"points_per_task": -1}, "points_per_task"),
        ({"points_per_task": 1001}, "points_per_task"),
        ({"points_per_task": True}, "points_per_task"),
        ({"points_per_task": "10"}, "points_per_task"),
        ({"points_per_eok_shared": 10**20}, "points_per_eok_shared"),
        ({"valid_from": "1999-12-31"}, "valid_from"),
        ({"valid_from": "어제"}, "valid_from"),
    ],
)
def test_rules_api_refuses_bad_numbers_and_dates_with_a_field_message(cast, login, body, field):
    client = login(cast.program_manager)
    before = _state()

    response = _post_json(
        client,
        RULES_API,
        {"valid_from": "2020-01-01", "points_per_task": 10, "points_per_eok_shared": 1, **body},
    )

    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert field in error["fields"] or any(field in name for name in error["fields"])
    assert _state() == before


def test_rules_api_speaks_korean_on_service_errors(cast, login):
    _rule(cast)
    client = login(cast.program_manager)

    response = _post_json(
        client, RULES_API, {"valid_from": "2020-01-01", "points_per_task": 0, "points_per_eok_shared": 0}
    )

    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"valid_from", "points_per_task"}
    assert all(
        any("\uac00" <= ch <= "\ud7a3" for ch in message)
        for messages in fields.values()
        for message in messages
    )


def test_rules_api_list_is_bounded_and_runs_a_constant_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    for day in range(30):
        _rule(cast, valid_from=dt.date(2020, 1, 1) + dt.timedelta(days=day))
    client = login(cast.program_manager)

    with django_assert_max_num_queries(8):
        response = client.get(f"{RULES_API}?limit=200")

    assert len(response.json()["items"]) == 30
    assert client.get(f"{RULES_API}?limit=201").status_code == 422
    assert client.get(f"{RULES_API}?offset=-1").status_code == 422


def test_the_rule_in_force_is_the_newest_started_and_not_retired(cast):
    old = _rule(cast, valid_from=dt.date(2020, 1, 1))
    newer = _rule(cast, valid_from=dt.date(2021, 1, 1), points_per_task=20)
    _rule(cast, valid_from=dates.today() + dt.timedelta(days=30), points_per_task=30)

    assert sharing_rules.rule_in_force() == newer
    sharing_rules.retire_rule(actor=cast.program_manager, rule=newer)
    assert sharing_rules.rule_in_force() == old
    # A retired rule's date is free again for a new rule.
    replacement = _rule(cast, valid_from=dt.date(2021, 1, 1), points_per_task=25)
    assert sharing_rules.rule_in_force() == replacement


@pytest.mark.django_db(transaction=True)
def test_concurrent_rules_for_the_same_day_leave_exactly_one_in_force():
    from sangsaeng.accounts.models import OrganizationKind, Role
    from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
    from sangsaeng.core.testing import race

    host = OrganizationFactory(kind=OrganizationKind.HOST)
    manager = make_member(OrganizationKind.HOST, Role.PROGRAM_MANAGER, host)
    values = {"valid_from": dt.date(2022, 1, 1), "points_per_task": 5, "points_per_eok_shared": 1}

    succeeded, errors = race(
        *[(lambda: sharing_rules.create_rule(actor=manager, values=values)) for _ in range(8)]
    )

    assert succeeded == 1
    assert len(errors) == 7
    assert all(isinstance(e, ValidationError) and "valid_from" in e.error_dict for e in errors), errors[:3]
    assert IncentiveRule.objects.count() == 1
    assert AuditEvent.objects.filter(action="finance.create_incentive_rule").count() == 1


def test_the_database_refuses_a_second_rule_in_force_for_a_day(cast):
    from sangsaeng.finance.services.sharing_rules import _save

    _rule(cast)
    with pytest.raises(ValidationError) as error:
        _save(IncentiveRule(valid_from=dt.date(2020, 1, 1), points_per_task=1, points_per_eok_shared=1))
    assert "valid_from" in error.value.error_dict


@pytest.mark.parametrize("rule_id", ["0", str(2**64), "-3"])
def test_rule_ids_out_of_range_are_a_422(cast, login, rule_id):
    client = login(cast.program_manager)

    assert client.get(f"{RULES_API}/{rule_id}").status_code == 422
    assert client.post(f"{RULES_API}/{rule_id}/retire").status_code == 422


def test_participant_ids_must_be_ids(cast, login):
    task = _draft(cast)
    client = login(cast.program_manager)
    before = _state()

    for bad in ([True], [0], [2**64]):
        response = _post_json(
            client, f"/api/v1/finance/sharing/tasks/{task.pk}/draft", {"participant_ids": bad}, "patch"
        )
        assert response.status_code == 422, (bad, response.content)
    assert _state() == before
