"""403, 404, 500 (and 400, CSRF) pages in the site's layout and language, with a way back."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from sangsaeng.core import error_views

pytestmark = pytest.mark.django_db


def _korean(text: str) -> str:
    with translation.override("ko"):
        return translation.gettext(text)


def test_a_tenancy_404_shows_the_korean_page_in_the_layout(client, cast):
    client.force_login(cast.partner_owner, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("partners:detail", kwargs={"partner_id": cast.other_partner.pk}))

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ko">' in html
    assert 'id="main-nav"' in html and cast.partner_owner.name in html  # the site's header, signed in
    assert _korean("Page not found") in html and _korean("Page not found") != "Page not found"
    assert _korean("Go to the home page") in html and 'href="/"' in html
    assert cast.other_partner.name_ko not in html
    assert "Not Found" not in html and "Partner matching query" not in html


def test_the_404_page_is_english_with_accept_language(english, cast):
    english.force_login(cast.partner_owner, backend="django.contrib.auth.backends.ModelBackend")

    html = english.get(
        reverse("partners:detail", kwargs={"partner_id": cast.other_partner.pk})
    ).content.decode()

    assert '<html lang="en">' in html
    assert "Page not found" in html and "This page does not exist, or it is not one you may see." in html


def test_the_404_of_an_unknown_address_offers_login_to_an_anonymous_visitor(client):
    html = client.get("/no/such/page/?q=secret-search").content.decode()

    assert _korean("Page not found") in html
    assert "/accounts/login/?next=/no/such/page/" in html
    assert "secret-search" not in html  # the query is never echoed


def test_a_back_link_is_offered_for_a_page_of_this_site_only(client):
    own = client.get("/no/such/page/", headers={"Referer": "http://testserver/partners/"})
    foreign = client.get("/no/such/page/", headers={"Referer": "https://elsewhere.example/"})

    back = f'<a class="btn btn-outline-secondary" href="http://testserver/partners/">{_korean("Back to the previous page")}</a>'
    assert back in own.content.decode()
    assert f">{_korean('Back to the previous page')}</a>" not in foreign.content.decode()
    assert "elsewhere.example" not in foreign.content.decode()


def test_a_403_shows_the_services_reason_in_the_layout(client, cast):
    client.force_login(cast.partner_member, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("core:audit_events"))

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="ko">' in html and 'id="main-nav"' in html
    assert _korean("Not allowed") in html
    assert _korean("Only auditors, administrators and observers may read the audit trail.") in html


def test_a_failed_csrf_check_on_a_page_is_a_403_page_in_the_layout():
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})

    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="en">' in html and 'id="main-nav"' in html
    assert "The form has expired" in html and "CSRF verification failed" not in html


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_500_renders_the_self_contained_page_in_the_users_language(cast, settings, language):
    settings.DEBUG = False
    client = Client(raise_request_exception=False, headers={"Accept-Language": language})
    client.force_login(cast.partner_member, backend="django.contrib.auth.backends.ModelBackend")

    with mock.patch("sangsaeng.core.selectors.notifications_for_user", side_effect=RuntimeError("kaboom")):
        response = client.get(reverse("core:notifications"), headers={"X-Request-ID": "req-87654321"})

    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    with translation.override(language):
        assert translation.gettext("Something went wrong") in html
        assert translation.gettext("Go to the home page") in html
    assert 'href="/"' in html and "req-87654321" in html
    assert "kaboom" not in html and "Traceback" not in html


def test_the_500_page_needs_no_database_and_no_context_processors(django_assert_num_queries):
    request = RequestFactory().get("/partners/")

    with django_assert_num_queries(0):
        response = error_views.server_error(request)

    assert response.status_code == 500 and b"<html" in response.content


@pytest.mark.parametrize(
    ("view", "status", "code"),
    [
        (error_views.server_error, 500, "server_error"),
        (lambda request: error_views.page_not_found(request, Exception("x")), 404, "not_found"),
        (lambda request: error_views.permission_denied(request, Exception("")), 403, "forbidden"),
        (lambda request: error_views.bad_request(request, Exception("x")), 400, "bad_request"),
        (lambda request: error_views.csrf_failure(request), 403, "forbidden"),
    ],
)
def test_failures_under_the_api_answer_the_json_error_body(view, status, code):
    response = view(RequestFactory().get("/api/v1/partners/"))

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["code"] == code


def test_a_bad_host_gets_the_400_page(client):
    response = client.get("/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert _korean("Bad request") in response.content.decode()
