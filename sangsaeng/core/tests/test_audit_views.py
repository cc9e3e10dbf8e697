"""The audit trail page and its Excel export: who may read it, filters, htmx, pagination, export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sangsaeng.core import selectors
from sangsaeng.core.models import AuditEvent, PersonalDataAccess
from sangsaeng.core.tests.conftest import record_event

SEOUL = dt.timezone(dt.timedelta(hours=9))

ALLOWED = ["host_admin", "auditor", "observer"]
REFUSED = ["program_manager", "reviewer", "lab_operator", "partner_owner", "partner_member", "loan_officer"]


def _sheet_rows(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


# --- Who may read the trail -------------------------------------------------------------------------
@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("core:audit_events"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALLOWED)
def test_auditors_administrators_and_observers_read_the_trail(cast, login, role):
    record_event(object_repr="visible-event")

    response = login(getattr(cast, role)).get(reverse("core:audit_events"))

    assert response.status_code == 200
    assert "visible-event" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", REFUSED)
def test_insiders_without_the_right_get_403_and_no_event(cast, login, role):
    record_event(object_repr="hidden-event")

    response = login(getattr(cast, role)).get(reverse("core:audit_events"))

    assert response.status_code == 403
    assert "hidden-event" not in response.content.decode()


# --- Filters ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_filters_by_action_exactly_or_by_prefix(cast):
    record_event(action="partners.approve_partner", object_id="1")
    record_event(action="partners.reject_partner", object_id="2")
    record_event(action="accounts.invite_member", object_id="3")

    def ids(**filters):
        events = selectors.audit_events_for_user(cast.auditor, selectors.AuditEventFilter(**filters))
        return sorted(events.values_list("object_id", flat=True))

    assert ids(action="partners.approve_partner") == ["1"]
    assert ids(action="partners.*") == ["1", "2"]
    assert ids(action="partners.") == ["1", "2"]
    assert ids(action="partners") == []


@pytest.mark.django_db
def test_filters_by_object_actor_and_partner(cast):
    partner_org = cast.partner.organization
    record_event(
        actor=cast.host_admin,
        object_type="partners.partner",
        object_id="7",
        partner_organization_id=partner_org.pk,
    )
    record_event(actor=cast.reviewer, object_type="partners.partner", object_id="8")
    record_event(actor=cast.host_admin, object_type="accounts.membership", object_id="7")

    def ids(**filters):
        events = selectors.audit_events_for_user(cast.auditor, selectors.AuditEventFilter(**filters))
        return sorted(events.values_list("object_type", "object_id"))

    assert ids(object_type="partners.partner", object_id="7") == [("partners.partner", "7")]
    assert ids(actor_email="admin@host.example") == [("accounts.membership", "7"), ("partners.partner", "7")]
    assert ids(actor_email="reviewer@") == []  # with "@" it is exact
    assert ids(actor_email="REVIEWER") == [("partners.partner", "8")]
    assert ids(partner=str(partner_org.pk)) == [("partners.partner", "7")]
    assert ids(partner="가나다") == [("partners.partner", "7")]


@pytest.mark.django_db
def test_date_range_counts_whole_days_in_seoul(cast):
    # 23:30 on 1 March in Seoul is 14:30 UTC the same day; 00:30 on 2 March is still 1 March in UTC.
    record_event(object_id="late-1-march", at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=SEOUL))
    record_event(object_id="early-2-march", at=dt.datetime(2026, 3, 2, 0, 30, tzinfo=SEOUL))
    record_event(object_id="28-feb", at=dt.datetime(2026, 2, 28, 12, 0, tzinfo=SEOUL))

    def ids(**filters):
        events = selectors.audit_events_for_user(cast.auditor, selectors.AuditEventFilter(**filters))
        return sorted(events.values_list("object_id", flat=True))

    assert ids(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1)) == ["late-1-march"]
    assert ids(date_from=dt.date(2026, 3, 2)) == ["early-2-march"]
    assert ids(date_to=dt.date(2026, 2, 28)) == ["28-feb"]


@pytest.mark.django_db
def test_page_filters_from_the_query_string_and_keeps_them_in_the_form(cast, login):
    record_event(action="partners.approve_partner", object_repr="approved-one")
    record_event(action="partners.reject_partner", object_repr="rejected-one")

    response = login(cast.auditor).get(reverse("core:audit_events"), {"action": "partners.approve_partner"})

    html = response.content.decode()
    assert "approved-one" in html and "rejected-one" not in html
    assert 'value="partners.approve_partner"' in html


@pytest.mark.django_db
def test_a_wrong_date_range_is_shown_as_a_field_error_and_the_valid_filters_still_apply(cast, login):
    record_event(object_repr="after-start", at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=SEOUL))
    record_event(object_repr="before-start", at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=SEOUL))

    response = login(cast.auditor).get(
        reverse("core:audit_events"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_date_to_error"' in html and 'aria-invalid="true"' in html
    assert "after-start" in html and "before-start" not in html


# --- Presentation -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_each_event_shows_readable_changes_short_hash_partner_and_timeline_link(cast, login):
    event = record_event(
        object_type="partners.partner",
        object_id="42",
        object_repr="가나다테크",
        partner_organization_id=cast.partner.organization_id,
        changes={"status": ["pending", "approved"]},
    )

    html = login(cast.auditor).get(reverse("core:audit_events")).content.decode()

    # Field and state names translated (issue 11 §4): 상태: 검토 대기 → 승인, not status: pending.
    assert "상태</span>" in html and "<code>status</code>" not in html and ">pending<" not in html
    assert f">{event.hash[:12]}</code>" in html
    assert "?object_type=partners.partner&amp;object_id=42" in html
    assert f"?partner={cast.partner.organization_id}" in html and "가나다테크" in html


@pytest.mark.django_db
def test_the_object_timeline_shows_only_that_objects_events(cast, login):
    record_event(object_type="partners.partner", object_id="42", object_repr="first-of-42")
    record_event(object_type="partners.partner", object_id="43", object_repr="other-object")
    record_event(object_type="partners.partner", object_id="42", object_repr="second-of-42")

    html = (
        login(cast.auditor)
        .get(reverse("core:audit_events"), {"object_type": "partners.partner", "object_id": "42"})
        .content.decode()
    )

    assert "first-of-42" in html and "second-of-42" in html and "other-object" not in html


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_results_fragment(cast, login):
    record_event(object_repr="in-fragment")

    response = login(cast.auditor).get(reverse("core:audit_events"), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="audit-results"')
    assert "<html" not in html and "in-fragment" in html


@pytest.mark.django_db
def test_the_full_page_works_without_javascript(cast, login):
    html = login(cast.auditor).get(reverse("core:audit_events")).content.decode()

    assert '<form id="audit-filters" method="get"' in html
    assert 'id="audit-results"' in html and "<html" in html


# --- Pagination with a constant number of queries ---------------------------------------------------
def _queries_for_page(client, url) -> int:
    client.get(url)  # the session's first request also writes its last-seen time: not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_5_and_60_events(cast, login, settings):
    client = login(cast.auditor)
    url = reverse("core:audit_events")
    for index in range(5):
        record_event(object_id=str(index), partner_organization_id=cast.partner.organization_id)
    few = _queries_for_page(client, url)
    for index in range(55):
        record_event(object_id=str(100 + index), partner_organization_id=cast.other_partner.organization_id)

    many = _queries_for_page(client, url)

    assert many == few <= 8
    assert AuditEvent.objects.count() == 60


@pytest.mark.django_db
def test_pages_hold_page_size_events_newest_first(cast, login, settings):
    settings.PAGE_SIZE = 2
    for index in range(5):
        record_event(object_repr=f"event-{index}")
    client = login(cast.auditor)

    first = client.get(reverse("core:audit_events")).content.decode()
    third = client.get(reverse("core:audit_events"), {"page": 3}).content.decode()

    assert "event-4" in first and "event-3" in first and "event-2" not in first
    assert "event-0" in third and "event-1" not in third


# --- Excel export -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_export_holds_the_filtered_events_with_formulas_neutralised_and_is_logged(cast, login):
    record_event(action="partners.approve_partner", object_repr="=1+1", object_id="1")
    record_event(action="partners.approve_partner", object_repr="@SUM(A1)", object_id="2")
    record_event(action="accounts.invite_member", object_repr="not-exported", object_id="3")

    response = login(cast.auditor).get(
        reverse("core:audit_export"),
        {"action": "partners.approve_partner", "reason": "quarterly review"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    header, *rows = _sheet_rows(response.content)
    assert header[:4] == ("Sequence", "Time", "Actor", "Action")
    assert len(rows) == 2
    assert [row[0] for row in rows] == [2, 1]  # sequence numbers stay numbers, newest first
    assert {row[6] for row in rows} == {"'=1+1", "'@SUM(A1)"}
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.purpose, log.reason, log.subject_count) == (
        cast.auditor,
        PersonalDataAccess.Purpose.EXPORT,
        "quarterly review",
        2,
    )


@pytest.mark.django_db
def test_export_without_a_reason_is_refused_with_a_field_error_and_nothing_logged(cast, login):
    record_event()

    response = login(cast.auditor).get(reverse("core:audit_export"), {"action": "test.change_thing"})

    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["partner_owner", "loan_officer", "program_manager"])
def test_export_is_refused_to_those_who_may_not_read_the_trail(cast, login, role):
    record_event(object_repr="secret-event")

    response = login(getattr(cast, role)).get(reverse("core:audit_export"), {"reason": "curious"})

    assert response.status_code == 403
    assert b"secret-event" not in response.content
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
def test_export_stops_at_the_row_limit_with_the_newest_events(cast, login, settings):
    settings.EXPORT_MAX_ROWS = 3
    for index in range(5):
        record_event(object_id=str(index))

    response = login(cast.auditor).get(reverse("core:audit_export"), {"reason": "limit check"})

    _header, *rows = _sheet_rows(response.content)
    assert [row[0] for row in rows] == [5, 4, 3]
    assert response["X-Export-Truncated"] == "3 of 5"


@pytest.mark.django_db
def test_the_page_states_the_export_limit(cast, login, settings):
    settings.EXPORT_MAX_ROWS = 50000

    response = login(cast.auditor).get(reverse("core:audit_events"), HTTP_ACCEPT_LANGUAGE="en")

    assert "50,000" in response.content.decode()
