"""The tenancy harness: no route leaks one partner's data to another partner or to the anonymous.

It enumerates every URL pattern and API route that takes an object id; each must be registered in
its app's `tests/tenancy.py` (or exempted with a reason) so that a new route cannot escape the check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from sangsaeng.core.models import AuditEvent
from sangsaeng.core.tests import tenancy
from sangsaeng.partners.tests.factories import make_partner_owner

tenancy.load_registrations()

# Namespaces that carry no partner data or have their own guard.
IGNORED_NAMESPACES = {"admin"}  # Django admin: superusers only; partners are never staff


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), prefix + str(entry.pattern)


def web_routes_with_ids():
    found = {}
    for name, route in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in IGNORED_NAMESPACES or name.startswith("api:"):
            continue
        if "<" in route:
            found[name] = route
    return found


def api_routes_with_ids():
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        for method in operations:
            routes.append(f"{method.upper()} {path}")
    return routes


def unregistered(web_routes, api_routes) -> list[str]:
    known = set(tenancy.OBJECT_ROUTES) | set(tenancy.EXEMPT)
    return [name for name in web_routes if name not in known] + [r for r in api_routes if r not in known]


def test_every_route_with_an_id_is_registered_with_the_harness():
    missing = unregistered(web_routes_with_ids(), api_routes_with_ids())
    assert missing == [], f"register these in their app's tests/tenancy.py: {missing}"


@pytest.mark.urls("sangsaeng.core.tests.urls_unregistered")
def test_a_new_route_with_an_id_that_nobody_registered_fails_the_check():
    # The check above is only worth something if it can fail: a route added without registration.
    web = web_routes_with_ids()
    assert web["probe:thing"] == "probe/<int:thing_id>/"
    assert unregistered(web, ["GET /api/v1/probe/{thing_id}"]) == [
        "probe:thing",
        "GET /api/v1/probe/{thing_id}",
    ]


def test_tenancy_data_lives_in_test_code_only():
    # Each app registers its routes in `sangsaeng/<app>/tests/tenancy.py` (it may use test factories,
    # and import further modules of its tests/); a production `sangsaeng/<app>/tenancy*.py` would not
    # be loaded, so its routes would go unchecked: move it to the app's tests/.
    apps = Path(__file__).resolve().parents[2]
    assert sorted(str(p.relative_to(apps)) for p in apps.glob("*/tenancy*.py")) == []


def _object_params():
    tenancy.load_registrations()
    return sorted(tenancy.OBJECT_ROUTES)


def _request(client, route: tenancy.ObjectRoute, kwargs):
    if " " in route.route:
        method, path = route.route.split(" ", 1)
        url = re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)
        if method == "GET":
            return client.get(url)
        # Money moves require an Idempotency-Key (core.idempotency): a client sends one with each call.
        return client.generic(
            method,
            url,
            data=__import__("json").dumps(route.data),
            content_type="application/json",
            headers={"Idempotency-Key": f"tenancy-{method}-{url}"},
        )
    url = reverse(route.route, kwargs=kwargs)
    if route.method == "post":
        return client.post(url, route.data)
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("route_name", _object_params())
def test_other_partner_gets_404_and_no_data(client, route_name):
    route = tenancy.OBJECT_ROUTES[route_name]
    _partner_a, owner_a = make_partner_owner()
    _partner_b, owner_b = make_partner_owner()
    owned = route.make(owner_a)

    events_before = AuditEvent.objects.count()
    client.force_login(owner_b, backend="django.contrib.auth.backends.ModelBackend")
    response = _request(client, route, owned.kwargs)
    assert response.status_code == 404, f"{route_name} gave {response.status_code} to another partner"
    assert owned.secret not in response.content.decode("utf-8", "replace")
    # A refused write changed nothing: every state change would have written an audit event.
    assert AuditEvent.objects.count() == events_before

    client.logout()
    response = _request(client, route, owned.kwargs)
    assert AuditEvent.objects.count() == events_before
    assert response.status_code in (302, 401, 403, 404), (
        f"{route_name} gave {response.status_code} to anonymous"
    )
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert owned.secret not in response.content.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(len(tenancy.LIST_ROUTES)), ids=[r.route for r in tenancy.LIST_ROUTES])
def test_lists_searches_counts_and_exports_never_show_another_partners_data(client, index):
    route = tenancy.LIST_ROUTES[index]
    _partner_a, owner_a = make_partner_owner()
    _partner_b, owner_b = make_partner_owner()
    owned = route.make(owner_a)

    client.force_login(owner_b, backend="django.contrib.auth.backends.ModelBackend")
    if " " in route.route:
        url = route.route.split(" ", 1)[1]
    else:
        url = reverse(route.route, kwargs=route.kwargs or None)
    query = {key: (owned.secret if value == "{secret}" else value) for key, value in route.query.items()}
    response = client.get(url, query)
    body = response.content
    text = body.decode("utf-8", "replace") if not body.startswith(b"PK") else _xlsx_text(body)
    assert owned.secret not in text, f"{route.route} shows another partner's data"

    client.logout()
    response = client.get(url, query)
    assert response.status_code in (302, 401, 403, 404)


def _xlsx_text(content: bytes) -> str:
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )
