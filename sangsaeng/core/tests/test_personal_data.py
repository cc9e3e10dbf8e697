"""The personal-data access log (PIPA): recording, keeping, browsing and exporting it."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sangsaeng.core import selectors, services
from sangsaeng.core.models import AuditImmutableError, PersonalDataAccess
from sangsaeng.core.request_context import RequestInfo, reset_current_request, set_current_request

SEOUL = dt.timezone(dt.timedelta(hours=9))


def _log(
    actor,
    *,
    purpose=PersonalDataAccess.Purpose.VIEW,
    subject="contacts of 가나다테크",
    organization=None,
    reason="",
    at=None,
):
    if at is None:
        return services.log_personal_data_access(
            actor=actor,
            purpose=purpose,
            subject_label=subject,
            data_items="name, e-mail, phone",
            subject_organization_id=organization,
            reason=reason,
        )
    with mock.patch.object(timezone, "now", return_value=at):
        return _log(actor, purpose=purpose, subject=subject, organization=organization, reason=reason)


# --- Recording --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_access_is_logged_with_who_whose_what_why_and_where(cast):
    token = set_current_request(
        RequestInfo(request_id="req-abcdefgh", ip_address="10.0.0.9", path="/partners/3/")
    )
    try:
        entry = services.log_personal_data_access(
            actor=cast.program_manager,
            purpose=PersonalDataAccess.Purpose.EXPORT,
            subject_label="contacts of 가나다테크",
            data_items="name, e-mail, phone",
            subject_organization_id=cast.partner.organization_id,
            subject_count=3,
            reason="council invitation",
        )
    finally:
        reset_current_request(token)

    stored = PersonalDataAccess.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_label) == (cast.program_manager, "pm@host.example")
    assert (stored.subject_organization_id, stored.subject_count) == (cast.partner.organization_id, 3)
    assert (stored.reason, stored.path, stored.request_id, stored.ip_address) == (
        "council invitation",
        "/partners/3/",
        "req-abcdefgh",
        "10.0.0.9",
    )


@pytest.mark.django_db
def test_an_export_without_a_reason_is_refused_and_not_logged(cast):
    with pytest.raises(ValidationError) as error:
        _log(cast.program_manager, purpose=PersonalDataAccess.Purpose.EXPORT, reason="  ")

    assert "reason" in error.value.message_dict
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_purpose_is_refused(cast):
    with pytest.raises(ValidationError):
        _log(cast.program_manager, purpose="gossip")

    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda e: e.save(), id="instance.save"),
        pytest.param(lambda e: e.delete(), id="instance.delete"),
        pytest.param(
            lambda e: PersonalDataAccess.objects.filter(pk=e.pk).update(reason="x"), id="queryset.update"
        ),
        pytest.param(lambda e: PersonalDataAccess.objects.filter(pk=e.pk).delete(), id="queryset.delete"),
    ],
)
def test_log_entries_are_kept_unchanged(cast, attempt):
    entry = _log(cast.program_manager)

    with pytest.raises(AuditImmutableError):
        with transaction.atomic():
            attempt(entry)

    assert PersonalDataAccess.objects.get(pk=entry.pk).reason == ""


@pytest.mark.django_db
def test_a_raw_update_of_a_log_entry_is_refused_by_the_database(cast):
    entry = _log(cast.program_manager)

    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_personaldataaccess SET reason = 'x' WHERE id = %s", [entry.pk])

    assert PersonalDataAccess.objects.get(pk=entry.pk).reason == ""


# --- The browse page --------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["host_admin", "auditor"])
def test_host_administrators_and_auditors_browse_the_log(cast, login, role):
    _log(cast.program_manager, subject="contacts of 가나다테크")

    response = login(getattr(cast, role)).get(reverse("core:personal_data_log"))

    assert response.status_code == 200
    assert "contacts of 가나다테크" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["observer", "lab_operator", "reviewer", "partner_owner", "partner_member", "loan_officer"]
)
def test_everyone_else_gets_403(cast, login, role):
    _log(cast.program_manager, subject="hidden-subject")

    response = login(getattr(cast, role)).get(reverse("core:personal_data_log"))

    assert response.status_code == 403
    assert "hidden-subject" not in response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:personal_data_log"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_filters_by_actor_purpose_subject_organisation_and_dates(cast):
    partner_org = cast.partner.organization_id
    _log(
        cast.program_manager,
        subject="a",
        organization=partner_org,
        at=dt.datetime(2026, 4, 1, 10, tzinfo=SEOUL),
    )
    _log(
        cast.reviewer,
        subject="b",
        organization=cast.other_partner.organization_id,
        at=dt.datetime(2026, 4, 2, 10, tzinfo=SEOUL),
    )
    _log(
        cast.program_manager,
        subject="c",
        purpose="export",
        reason="r",
        at=dt.datetime(2026, 4, 3, 10, tzinfo=SEOUL),
    )

    def subjects(**filters):
        entries = selectors.personal_data_accesses_for_user(
            cast.auditor, selectors.PersonalDataAccessFilter(**filters)
        )
        return sorted(entries.values_list("subject_label", flat=True))

    assert subjects(actor="pm@host.example") == ["a", "c"]
    assert subjects(actor="reviewer") == ["b"]
    assert subjects(purpose="export") == ["c"]
    assert subjects(subject_organization=str(partner_org)) == ["a"]
    assert subjects(subject_organization="라마바") == ["b"]
    assert subjects(date_from=dt.date(2026, 4, 2), date_to=dt.date(2026, 4, 2)) == ["b"]


@pytest.mark.django_db
def test_the_page_applies_filters_and_answers_htmx_with_the_results_only(cast, login):
    _log(cast.program_manager, subject="viewed-one")
    _log(cast.program_manager, subject="exported-one", purpose="export", reason="r")

    response = login(cast.auditor).get(
        reverse("core:personal_data_log"), {"purpose": "export"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="personal-data-results"')
    assert "exported-one" in html and "viewed-one" not in html


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_5_and_60_entries(cast, login):
    client = login(cast.auditor)
    url = reverse("core:personal_data_log")
    for _ in range(5):
        _log(cast.program_manager, organization=cast.partner.organization_id)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(55):
        _log(cast.reviewer, organization=cast.other_partner.organization_id)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)


# --- Export -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_export_holds_the_filtered_entries_and_is_itself_logged(cast, login):
    _log(cast.program_manager, subject='=HYPERLINK("x")')
    _log(cast.reviewer, subject="not-exported")

    response = login(cast.auditor).get(
        reverse("core:personal_data_export"), {"actor": "pm@host.example", "reason": "annual PIPA review"}
    )

    assert response.status_code == 200
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 2
    assert rows[1][3] == '\'=HYPERLINK("x")'
    latest = PersonalDataAccess.objects.order_by("-id").first()
    assert (latest.actor, latest.purpose, latest.reason) == (cast.auditor, "export", "annual PIPA review")


@pytest.mark.django_db
def test_the_export_needs_a_reason(cast, login):
    _log(cast.program_manager)

    response = login(cast.auditor).get(reverse("core:personal_data_export"))

    assert response.status_code == 400
    assert PersonalDataAccess.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["observer", "partner_owner", "reviewer"])
def test_the_export_is_refused_to_everyone_else(cast, login, role):
    _log(cast.program_manager, subject="hidden-subject")

    response = login(getattr(cast, role)).get(reverse("core:personal_data_export"), {"reason": "x"})

    assert response.status_code == 403
    assert PersonalDataAccess.objects.count() == 1
