"""Role-aware navigation entries of the core app, and the read-only Django admin of the trail."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from sangsaeng.accounts.tests.factories import UserFactory
from sangsaeng.core.models import AuditEvent, PersonalDataAccess
from sangsaeng.core.navigation import entries_for
from sangsaeng.core.tests.conftest import record_event


def _nav_names(user) -> set[str]:
    return {entry["url_name"] for entry in entries_for(user)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "audit_trail", "personal_data_log"),
    [
        ("host_admin", True, True),
        ("auditor", True, True),
        ("observer", True, False),
        ("program_manager", True, True),  # programme managers see every area (accounts/access.py)
        ("reviewer", False, False),
        ("partner_owner", False, False),
        ("loan_officer", False, False),
    ],
)
def test_navigation_shows_the_audit_pages_only_to_those_who_may_open_them(
    cast, role, audit_trail, personal_data_log
):
    names = _nav_names(getattr(cast, role))

    assert ("core:audit_events" in names) is audit_trail
    assert ("core:personal_data_log" in names) is personal_data_log


@pytest.mark.django_db
def test_the_menu_in_the_page_links_to_the_audit_trail(cast, login):
    html = login(cast.observer).get(reverse("core:notifications")).content.decode()

    assert f'href="{reverse("core:audit_events")}"' in html
    assert f'href="{reverse("core:personal_data_log")}"' not in html


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [AuditEvent, PersonalDataAccess])
def test_the_admin_grants_nobody_add_change_or_delete(superuser, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser

    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)


@pytest.mark.django_db
def test_a_superuser_cannot_add_edit_or_delete_an_event_through_the_admin(superuser, client):
    event = record_event(object_repr="kept")
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    base = "/django-admin/core/auditevent"

    add = client.post(f"{base}/add/", {"action": "x"})
    change = client.post(f"{base}/{event.pk}/change/", {"action": "test.tampered"})
    delete = client.post(f"{base}/{event.pk}/delete/", {"post": "yes"})
    view = client.get(f"{base}/{event.pk}/change/")

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert view.status_code == 200  # readable
    assert AuditEvent.objects.get(pk=event.pk).action == "test.change_thing"
