"""The host permission matrix (accounts/access.py), route by route and role by role (issue 11 §5).

Every page and API read that takes an object id (the tenancy registry's object routes) and every
list, export and dashboard (its list routes) is opened by each host role; a role the matrix allows
gets 200, any other gets 403 or 404 and none of the object's data. A new route must be given an
area here, so no route escapes the matrix.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sangsaeng.accounts.access import HOST_MATRIX, HostArea
from sangsaeng.accounts.models import OrganizationKind, Role
from sangsaeng.accounts.tests.factories import OrganizationFactory, make_member
from sangsaeng.core import tenancy
from sangsaeng.partners.tests.factories import make_partner_owner

tenancy.load_registrations()

HOST_ROLES = (Role.ADMIN, Role.PROGRAM_MANAGER, Role.REVIEWER, Role.LAB_OPERATOR, Role.AUDITOR)
NOBODY: frozenset[str] = frozenset()  # the partner's own record (its job, its import): no host role
MANAGERS = frozenset({Role.ADMIN, Role.PROGRAM_MANAGER})  # forms that change things


def _area(area: HostArea) -> frozenset[str]:
    return HOST_MATRIX[area]


# route -> host roles that get 200 (everything else: 403 or 404).
EXPECTED: dict[str, frozenset[str]] = {
    # core
    "GET /api/v1/audit-events/{seq}": _area(HostArea.AUDIT_TRAIL),
    "core:audit_events": _area(HostArea.AUDIT_TRAIL),
    "core:audit_export": _area(HostArea.AUDIT_TRAIL),
    "GET /api/v1/audit-events": _area(HostArea.AUDIT_TRAIL),
    "core:personal_data_log": _area(HostArea.PERSONAL_DATA_LOG),
    "core:personal_data_export": _area(HostArea.PERSONAL_DATA_LOG),
    "GET /api/v1/jobs/{job_id}": NOBODY,
    "core:job_status": NOBODY,
    # partners and organisations
    "partners:detail": _area(HostArea.PARTNER_PROFILES),
    "partners:directory": _area(HostArea.PARTNER_PROFILES),
    "GET /api/v1/partners": _area(HostArea.PARTNER_PROFILES),
    "GET /api/v1/partners/{partner_id}": _area(HostArea.PARTNER_PROFILES),
    "GET /api/v1/partners/{partner_id}/status-history": _area(HostArea.PARTNER_PROFILES),
    "GET /api/v1/organizations/{organization_id}": _area(HostArea.PARTNER_PROFILES),
    "partners:contacts": _area(HostArea.PARTNER_PEOPLE),
    "partners:contact_edit": _area(HostArea.PARTNER_PEOPLE) & MANAGERS,
    "partners:members": _area(HostArea.PARTNER_PEOPLE),
    "GET /api/v1/partners/{partner_id}/contacts": _area(HostArea.PARTNER_PEOPLE),
    "GET /api/v1/organizations/{organization_id}/members": _area(HostArea.PARTNER_PEOPLE),
    "partners:document_download": _area(HostArea.PARTNER_DOCUMENTS),
    "partners:edit": MANAGERS,
    "partners:review_queue": _area(HostArea.PARTNER_PROFILES),
    "partners:export": _area(HostArea.PARTNER_PROFILES),
    "partners:import_job": NOBODY,
    "partners:import_report": NOBODY,
    # loan fund
    "finance:application": _area(HostArea.LOANS),
    "finance:document": _area(HostArea.LOANS),
    "finance:letter": _area(HostArea.LOANS),
    "finance:letter_pdf": _area(HostArea.LOANS),
    "finance:loan": _area(HostArea.LOANS),
    "finance:applications": _area(HostArea.LOANS),
    "finance:review_queue": _area(HostArea.LOANS) & MANAGERS,  # the managers' work queue
    "finance:loans": _area(HostArea.LOANS),
    "finance:loans_export": _area(HostArea.LOANS),
    "GET /api/v1/finance/applications/{application_id}": _area(HostArea.LOANS),
    "GET /api/v1/finance/applications": _area(HostArea.LOANS),
    "GET /api/v1/finance/loans/{loan_id}": _area(HostArea.LOANS),
    "GET /api/v1/finance/loans": _area(HostArea.LOANS),
    "finance:dashboard": _area(HostArea.FUND_DASHBOARD),
    "finance:grades": _area(HostArea.FUND_DASHBOARD),
    "GET /api/v1/finance/grades": _area(HostArea.FUND_DASHBOARD),
    # benefit sharing
    "finance:sharing_task": _area(HostArea.SHARING),
    "finance:sharing_evidence": _area(HostArea.SHARING),
    "finance:sharing_tasks": _area(HostArea.SHARING),
    "finance:sharing_points": _area(HostArea.SHARING),
    "GET /api/v1/finance/sharing/tasks/{task_id}": _area(HostArea.SHARING),
    "GET /api/v1/finance/sharing/tasks": _area(HostArea.SHARING),
    "GET /api/v1/finance/sharing/points": _area(HostArea.SHARING),
    # Open Lab
    "openlab:booking_detail": _area(HostArea.OPEN_LAB),
    "openlab:booking_ics": _area(HostArea.OPEN_LAB),
    "openlab:booking_list": _area(HostArea.OPEN_LAB),
    "openlab:report": _area(HostArea.OPEN_LAB),
    "GET /api/v1/openlab/bookings/{booking_id}": _area(HostArea.OPEN_LAB),
    "GET /api/v1/openlab/bookings/{booking_id}/ics": _area(HostArea.OPEN_LAB),
    "GET /api/v1/openlab/bookings": _area(HostArea.OPEN_LAB),
    "GET /api/v1/openlab/reports/utilisation": _area(HostArea.OPEN_LAB),
    # 5G use cases
    "usecases:detail": _area(HostArea.USE_CASES),
    "usecases:list": _area(HostArea.USE_CASES),
    "usecases:board": _area(HostArea.USE_CASES),
    "GET /api/v1/usecases/{use_case_id}": _area(HostArea.USE_CASES),
    "GET /api/v1/usecases": _area(HostArea.USE_CASES),
    # R&D (reviewers: only what is assigned to them, through the R&D app's own rule)
    "rnd:proposal_detail": _area(HostArea.RND_FUND),
    "rnd:call_detail": _area(HostArea.RND_FUND),
    "rnd:call_progress": _area(HostArea.RND_FUND),
    "GET /api/v1/rnd/proposals/{proposal_id}": _area(HostArea.RND_FUND),
    "GET /api/v1/rnd/fund-years/{fund_year_id}/ledger": _area(HostArea.RND_FUND),
}


def _routes() -> list[tuple[str, str]]:
    """(route, kind) for every GET object route and every list route the tenancy registry knows."""
    found: dict[str, str] = {}
    for name, route in tenancy.OBJECT_ROUTES.items():
        is_api_read = name.startswith("GET ")
        is_page_read = " " not in name and route.method == "get"
        if is_api_read or is_page_read:
            found[name] = "object"
    for list_route in tenancy.LIST_ROUTES:
        found.setdefault(list_route.route, "list")
    return sorted(found.items())


ROUTES = [name for name, _kind in _routes() if name in EXPECTED]


def test_every_host_relevant_route_has_an_expectation():
    """Routes of the areas in the matrix are all listed above (a new one must be added)."""
    prefixes = (
        "partners:",
        "finance:",
        "core:audit",
        "core:personal",
        "GET /api/v1/partners",
        "GET /api/v1/finance/applications",
        "GET /api/v1/finance/loans",
        "GET /api/v1/finance/sharing/tasks",
        "GET /api/v1/organizations/",
        "GET /api/v1/audit",
    )
    ignored = {"finance:bank_queue", "finance:bank_export", "finance:bank_import"}  # banks' own pages
    missing = [
        name
        for name, _kind in _routes()
        if name.startswith(prefixes) and name not in EXPECTED and name not in ignored
    ]
    assert missing == []


def _url(name: str, kwargs: dict) -> str:
    if " " in name:
        path = name.split(" ", 1)[1]
        return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)
    return reverse(name, kwargs=kwargs or None)


def _find(name: str):
    if name in tenancy.OBJECT_ROUTES:
        route = tenancy.OBJECT_ROUTES[name]
        return route.make, {}, None
    for list_route in tenancy.LIST_ROUTES:
        if list_route.route == name:
            return list_route.make, list_route.query, list_route.kwargs
    raise AssertionError(name)


@pytest.mark.django_db
@pytest.mark.parametrize("role", HOST_ROLES)
@pytest.mark.parametrize("name", ROUTES)
def test_host_role_gets_what_the_matrix_gives(client, name, role):
    make, query, list_kwargs = _find(name)
    _partner, owner = make_partner_owner()
    owned = make(owner)
    host = OrganizationFactory(kind=OrganizationKind.HOST)
    user = make_member(OrganizationKind.HOST, role, organization=host)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    kwargs = owned.kwargs if list_kwargs is None else list_kwargs
    params = {key: (owned.secret if value == "{secret}" else value) for key, value in query.items()}
    response = client.get(_url(name, kwargs), params)
    if role in EXPECTED[name]:
        # The company's members link forwards to the members page (checked as its own route).
        expected = 302 if name == "partners:members" else 200
        assert response.status_code == expected, f"{role} should open {name}, got {response.status_code}"
    else:
        assert response.status_code in (403, 404), (
            f"{role} should not open {name}, got {response.status_code}"
        )
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert owned.secret.encode() not in body


def test_the_readme_table_is_the_matrix():
    """The README's table (role × area) says what accounts/access.py does."""
    from pathlib import Path

    from django.conf import settings

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Who sees what at the host", 1)[1].split("\n\n", 3)[2]
    rows = [line.split("|")[1:-1] for line in section.splitlines()[2:]]
    assert len(rows) == len(HostArea)
    for area, cells in zip(HostArea, rows, strict=True):
        allowed = {role for role, cell in zip(HOST_ROLES, cells[1:], strict=True) if cell.strip() == "✓"}
        assert allowed == set(HOST_MATRIX[area]), (area, cells)


def test_a_reviewer_cannot_export_the_directory_with_contacts(client, cast):
    client.force_login(cast.reviewer, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("partners:export")
    assert client.get(url).status_code == 200
    response = client.get(url, {"include_contacts": "on", "reason": "checking"})
    assert response.status_code == 403
