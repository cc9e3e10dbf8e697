"""render_page (full page or partial, Vary: HX-Request) and HX-Redirect to the login for htmx requests."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path, reverse
from django_htmx.middleware import HtmxMiddleware

from sangsaeng.core.http import AuthenticatedHttpRequest, render_page, wants_partial

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"full.html": "<html>FULL {{ name }}</html>", "partial.html": "PARTIAL {{ name }}"},
                )
            ]
        },
    }
]


@pytest.fixture
def page_templates(settings):
    settings.TEMPLATES = TEMPLATES


def _request(**headers: str):
    request = RequestFactory().get("/things/?page=2", headers=headers)
    HtmxMiddleware(lambda r: HttpResponse())(request)  # sets request.htmx as the middleware does
    return request


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "<html>FULL 가나다</html>"),
        ({"HX-Request": "true"}, "PARTIAL 가나다"),
        ({"HX-Request": "true", "HX-Target": "results"}, "PARTIAL 가나다"),
        # hx-boost swaps the whole body: it needs the page.
        ({"HX-Request": "true", "HX-Boosted": "true"}, "<html>FULL 가나다</html>"),
        # After back/forward htmx lost its cached copy and asks again: the page, not the fragment.
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, "<html>FULL 가나다</html>"),
    ],
)
def test_render_page_answers_the_partial_only_to_a_fragment_request(page_templates, headers, expected):
    response = render_page(_request(**headers), "full.html", "partial.html", {"name": "가나다"})

    assert response.status_code == 200
    assert response.content.decode() == expected


@pytest.mark.parametrize(
    "headers", [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Boosted": "true"}]
)
def test_render_page_always_varies_on_hx_request(page_templates, headers):
    """Without Vary a browser or proxy cache may show the fragment as the page after back/forward."""
    response = render_page(_request(**headers), "full.html", "partial.html")

    assert "HX-Request" in response["Vary"]


def test_render_page_passes_the_status(page_templates):
    full = render_page(_request(), "full.html", "partial.html", status=422)
    partial = render_page(_request(**{"HX-Request": "true"}), "full.html", "partial.html", status=422)

    assert full.status_code == partial.status_code == 422


def test_wants_partial_reads_the_headers_when_the_middleware_did_not_run():
    plain = RequestFactory().get("/", headers={"HX-Request": "true"})
    restore = RequestFactory().get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert wants_partial(plain)
    assert not wants_partial(restore)
    assert not wants_partial(RequestFactory().get("/"))


@pytest.mark.django_db
def test_a_real_view_answers_with_vary_through_the_whole_stack(client, cast, page_templates):
    """End to end: the middleware sets request.htmx and the Vary header survives every middleware."""

    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        return render_page(request, "full.html", "partial.html", {"name": request.user.email})

    urlconf = type("urlconf", (), {"urlpatterns": [path("things/", view)]})
    client.force_login(cast.partner_member, backend="django.contrib.auth.backends.ModelBackend")

    with override_settings(ROOT_URLCONF=urlconf):
        full = client.get("/things/")
        fragment = client.get("/things/", headers={"HX-Request": "true"})

    assert full.content.decode() == f"<html>FULL {cast.partner_member.email}</html>"
    assert fragment.content.decode() == f"PARTIAL {cast.partner_member.email}"
    assert "HX-Request" in full["Vary"] and "HX-Request" in fragment["Vary"]


# --- Anonymous htmx requests get HX-Redirect to the login page ----------------------------------------


@pytest.mark.django_db
def test_an_anonymous_htmx_request_gets_hx_redirect_to_the_login_with_the_current_page_as_next(client):
    response = client.get(
        reverse("core:unread_badge"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/partners/?q=%EA%B0%80&page=2"},
    )

    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=/partners/%3Fq%3D%25EA%25B0%2580%26page%3D2"
    assert response.content == b""
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_a_current_url_of_another_site_is_not_used_as_next(client):
    response = client.get(
        reverse("core:notifications"),
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/phish"},
    )

    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=/notifications/"


@pytest.mark.django_db
def test_a_normal_anonymous_request_still_gets_the_302_to_the_login(client):
    response = client.get(reverse("core:notifications"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"
    assert "HX-Redirect" not in response


@pytest.mark.django_db
def test_a_signed_in_htmx_request_is_answered_normally(client, cast):
    client.force_login(cast.partner_member, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("core:unread_badge"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "HX-Redirect" not in response


@pytest.mark.django_db
def test_an_htmx_redirect_elsewhere_than_the_login_is_left_alone(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/partners/"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/partners/"
    assert "HX-Redirect" not in response
