"""Notifications: in-app rows, e-mail after commit through the task, the list page and mark-read."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from sangsaeng.accounts.tests.factories import UserFactory
from sangsaeng.core import selectors, services
from sangsaeng.core.models import Notification
from sangsaeng.core.tasks import send_notification_emails


# --- notify() and the e-mail task -------------------------------------------------------------------
@pytest.mark.django_db
def test_notify_creates_one_unread_row_per_active_recipient_once(cast):
    inactive = UserFactory(is_active=False)

    created = services.notify(
        recipients=[cast.partner_owner, cast.partner_member, cast.partner_owner, inactive],
        title="Your company was approved",
        body="Welcome.",
        url="/partners/1/",
        email=False,
    )

    assert len(created) == 2
    rows = Notification.objects.order_by("recipient_id")
    assert [row.recipient for row in rows] == sorted(
        [cast.partner_owner, cast.partner_member], key=lambda u: u.pk
    )
    assert all(row.read_at is None and row.url == "/partners/1/" for row in rows)


@pytest.mark.django_db
def test_the_email_is_sent_only_after_commit_with_an_absolute_link(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://sangsaeng.example/"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(
            recipients=[cast.partner_owner], title="Approved", body="Welcome.", url="/partners/1/"
        )
        assert mail.outbox == []  # nothing before the transaction commits

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.partner_owner.email]
    assert "Approved" in message.subject
    assert "https://sangsaeng.example/partners/1/" in message.body
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.notify(recipients=[cast.partner_owner], title="Approved")
                raise RuntimeError("the change failed")

    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_email_false_sends_no_mail(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipients=[cast.partner_owner], title="In-app only", email=False)

    assert callbacks == [] and mail.outbox == []


@pytest.mark.django_db
def test_each_notification_is_emailed_at_most_once(cast):
    (note,) = services.notify(recipients=[cast.partner_owner], title="Once", email=False)

    first = send_notification_emails.call([note.pk])
    second = send_notification_emails.call([note.pk])

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


# --- Reading and marking read -----------------------------------------------------------------------
@pytest.mark.django_db
def test_mark_read_touches_only_the_actors_own_notifications(cast):
    (mine,) = services.notify(recipients=[cast.partner_owner], title="mine", email=False)
    (theirs,) = services.notify(recipients=[cast.other_partner_owner], title="theirs", email=False)

    marked = services.mark_notifications_read(actor=cast.partner_owner, notification_ids=[mine.pk, theirs.pk])

    assert marked == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert selectors.unread_notification_count(cast.partner_owner) == 0
    assert selectors.unread_notification_count(cast.other_partner_owner) == 1


@pytest.mark.django_db
def test_the_list_page_shows_only_the_users_own_notifications(cast, login):
    services.notify(recipients=[cast.partner_owner], title="for-the-owner", email=False)
    services.notify(recipients=[cast.other_partner_owner], title="for-someone-else", email=False)

    response = login(cast.partner_owner).get(reverse("core:notifications"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "for-the-owner" in html and "for-someone-else" not in html


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_the_notifications_page(client):
    response = client.get(reverse("core:notifications"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_marking_one_read_on_the_page(cast, login):
    first, second = services.notify(recipients=[cast.auditor], title="a", email=False) + services.notify(
        recipients=[cast.auditor], title="b", email=False
    )

    response = login(cast.auditor).post(reverse("core:notifications_mark_read"), {"id": first.pk})

    assert response.status_code == 302
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(pk=second.pk).read_at is None


@pytest.mark.django_db
def test_marking_all_read_on_the_page_with_htmx_returns_the_list_and_a_refresh_event(cast, login):
    services.notify(recipients=[cast.auditor], title="a", email=False)
    services.notify(recipients=[cast.auditor], title="b", email=False)
    (theirs,) = services.notify(recipients=[cast.host_admin], title="theirs", email=False)

    response = login(cast.auditor).post(reverse("core:notifications_mark_read"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="notification-list"')
    assert response["HX-Trigger"] == "notifications-read"
    assert selectors.unread_notification_count(cast.auditor) == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.django_db
def test_another_users_notification_cannot_be_marked_read_through_the_page(cast, login):
    (theirs,) = services.notify(recipients=[cast.other_partner_owner], title="theirs", email=False)

    login(cast.partner_owner).post(reverse("core:notifications_mark_read"), {"id": theirs.pk})

    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.django_db
def test_mark_read_needs_post(cast, login):
    assert login(cast.auditor).get(reverse("core:notifications_mark_read")).status_code == 405


@pytest.mark.django_db
def test_the_unread_badge_shows_the_count(cast, login):
    services.notify(recipients=[cast.auditor], title="a", email=False)
    services.notify(recipients=[cast.auditor], title="b", email=False)

    html = login(cast.auditor).get(reverse("core:unread_badge")).content.decode()

    assert html.startswith('<span id="unread-badge"')
    assert '<span class="badge text-bg-danger" id="unread-count">2' in html


@pytest.mark.django_db
def test_the_header_shows_the_unread_count(cast, login):
    services.notify(recipients=[cast.auditor], title="a", email=False)

    html = login(cast.auditor).get(reverse("core:notifications")).content.decode()

    assert 'id="unread-count">1' in html


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_the_badge_and_mark_read(client):
    badge = client.get(reverse("core:unread_badge"))
    mark = client.post(reverse("core:notifications_mark_read"))

    assert badge.status_code == 302 and "/accounts/login/" in badge["Location"]
    assert mark.status_code == 302 and "/accounts/login/" in mark["Location"]
