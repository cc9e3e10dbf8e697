"""Typed requests and the one page helper (healthchecks' `hc/accounts/http.py`, django-htmx's typing).

Views annotate their request so that `request.user` is the project's User and `request.htmx` exists,
without `# type: ignore`:

    from sangsaeng.core.http import AuthenticatedHttpRequest, render_page

    @login_required
    def bookings(request: AuthenticatedHttpRequest) -> HttpResponse:
        page = page_of(request, selectors.bookings_for_user(request.user))
        return render_page(
            request, "openlab/bookings.html", "openlab/partials/booking_rows.html", {"page": page}
        )

`HtmxHttpRequest` is for views open to anonymous visitors (`request.user` may be AnonymousUser).

`render_page` answers an htmx request with the partial and anything else with the full page. A boosted
request (hx-boost: a link or form that replaces the whole body) and a history-restore request (htmx
lost its cached copy of the page and asks again after back/forward) get the full page. The response
always carries `Vary: HX-Request`, so that a browser or proxy cache never serves the fragment as the
page (or the page as the fragment) when the same URL is asked for the other way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sangsaeng.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A request that passed django-htmx's middleware; the visitor may be anonymous."""

    htmx: HtmxDetails
    user: User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request of a signed-in person (views behind login_required)."""

    htmx: HtmxDetails
    user: User


def wants_partial(request: HttpRequest) -> bool:
    """True for an htmx request that swaps a fragment; False for a full page load, a boosted
    navigation and a history restore (those need the whole page)."""
    htmx = getattr(request, "htmx", None)
    if htmx is None:
        htmx = HtmxDetails(request)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    full: str,
    partial: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """The partial template for an htmx fragment request, the full page otherwise; `Vary: HX-Request`."""
    template = partial if wants_partial(request) else full
    response = render(request, template, dict(context or {}), status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
