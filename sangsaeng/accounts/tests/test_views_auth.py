"""Log-in, lockout, log-out, password reset and change, profile."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from sangsaeng.accounts.models import User
from sangsaeng.accounts.tests.factories import TEST_PASSWORD
from sangsaeng.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
NEW_PASSWORD = "plum-orchard-41-kettle"


def _login(client, email, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def test_a_wrong_password_shows_a_clear_error_on_the_form(english, cast):
    response = _login(english, cast.partner_member.email, "wrong-password")

    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()
    assert "_auth_user_id" not in english.session


def test_log_in_with_any_letter_case_sets_the_preferred_language(client, cast):
    User.objects.filter(pk=cast.partner_member.pk).update(language="en")

    response = _login(client, cast.partner_member.email.upper())

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == cast.partner_member.pk
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_five_failed_logins_lock_the_account_with_a_clear_page(english, cast):
    email = cast.partner_member.email
    statuses = [_login(english, email, f"wrong-{n}").status_code for n in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get(username=email).failures_since_start == 5
    # Even the right password is refused now, with the lockout page.
    response = _login(english, email)
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in english.session


def test_changing_the_letter_case_does_not_escape_the_lockout(client, cast):
    email = cast.partner_member.email
    for n in range(5):
        _login(client, email.upper() if n % 2 else email, f"wrong-{n}")

    assert _login(client, email.capitalize()).status_code == 429


def test_four_failures_then_success_resets_the_count(client, cast):
    email = cast.partner_member.email
    for n in range(4):
        _login(client, email, f"wrong-{n}")

    assert _login(client, email).status_code == 302
    assert not AccessAttempt.objects.filter(username=email, failures_since_start__gt=0).exists()


def test_log_out_ends_the_session(login, cast):
    client = login(cast.partner_member)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def _reset_link(mail) -> str:
    return re.search(r"http\S+/accounts/password/reset/\S+/", mail.body).group(0).split("127.0.0.1:8000")[-1]


def test_password_reset_by_mail_sets_a_new_password_and_lifts_a_lockout(client, cast, mailoutbox):
    email = cast.partner_member.email
    for n in range(5):
        _login(client, email, f"wrong-{n}")

    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [email]

    link = _reset_link(mailoutbox[0])
    set_password_url = client.get(link)["Location"]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert AuditEvent.objects.filter(action="accounts.reset_password", actor=cast.partner_member).count() == 1
    assert _login(client, email, NEW_PASSWORD).status_code == 302
    # The link works once.
    client.logout()
    assert client.get(link).context["validlink"] is False


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_refuses_a_weak_password(client, cast, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": cast.partner_member.email})
    set_password_url = client.get(_reset_link(mailoutbox[0]))["Location"]

    response = client.post(set_password_url, {"new_password1": "1234", "new_password2": "1234"})

    assert response.status_code == 200
    assert response.context["form"].errors
    cast.partner_member.refresh_from_db()
    assert cast.partner_member.check_password(TEST_PASSWORD)


def test_password_change_keeps_this_session_and_is_audited(login, cast):
    client = login(cast.partner_member)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    cast.partner_member.refresh_from_db()
    assert cast.partner_member.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.change_password").count() == 1


def test_password_change_with_a_wrong_old_password_changes_nothing(login, cast):
    client = login(cast.partner_member)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    cast.partner_member.refresh_from_db()
    assert cast.partner_member.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.change_password").exists()


def test_profile_edit_saves_and_switches_the_language(login, cast):
    client = login(cast.partner_member)

    response = client.post(
        reverse("accounts:profile"), {"name": "홍길동", "phone": "010-1111-2222", "language": "en"}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    cast.partner_member.refresh_from_db()
    assert (cast.partner_member.name, cast.partner_member.phone) == ("홍길동", "010-1111-2222")
    assert AuditEvent.objects.filter(action="accounts.update_profile").count() == 1


def test_profile_edit_shows_field_errors_and_changes_nothing(english, login, cast):
    client = login(cast.partner_member)
    name = cast.partner_member.name

    response = client.post(reverse("accounts:profile"), {"name": "x", "phone": "12", "language": "en"})

    assert response.status_code == 200
    assert "Enter a phone number of 8 to 15 digits" in response.content.decode()
    cast.partner_member.refresh_from_db()
    assert cast.partner_member.name == name


def test_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
