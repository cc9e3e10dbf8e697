"""Registry for the tenancy harness (DESIGN.md rule 1). Test code: nothing in production imports it.

Every URL pattern and every API route that takes an object id must be registered here by its app
(in `sangsaeng/<app>/tests/tenancy.py`, which may use the app's test factories), with a function that
creates such an object belonging to a partner. The harness (core/tests/test_tenancy.py) then proves that a user of another partner gets
404 and none of the data, that an anonymous user gets the login page or 401, and that list, search,
count and export routes never show another partner's data. A route that takes an id but holds no
partner data (e.g. an invitation token) is exempted with a reason.

    from sangsaeng.core.tests import tenancy

    tenancy.register_object("partners:detail", make=lambda owner: tenancy.Owned({"partner_id": ...}, "secret"))
    tenancy.register_object("GET /api/v1/partners/{partner_id}", make=...)
    tenancy.register_list("partners:directory", make=..., query={"q": "secret"})
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Owned:
    """What `make` returns: the path parameters of the object and a text only its owners may see."""

    kwargs: dict[str, Any]
    secret: str


Make = Callable[[Any], Owned]  # receives the owner (user) of partner A


@dataclass(frozen=True)
class ObjectRoute:
    route: str  # "app:name" for a web URL, "METHOD /api/v1/path/{id}" for an API route
    make: Make
    data: dict[str, Any] = field(default_factory=dict)
    # The web method to use ("get" or "post"); API routes carry their method in `route`.
    method: str = "get"


@dataclass(frozen=True)
class ListRoute:
    route: str
    make: Make
    query: dict[str, Any] = field(default_factory=dict)
    kwargs: dict[str, Any] = field(default_factory=dict)


OBJECT_ROUTES: dict[str, ObjectRoute] = {}
LIST_ROUTES: list[ListRoute] = []
EXEMPT: dict[str, str] = {}


def register_object(
    route: str, *, make: Make, method: str = "get", data: dict[str, Any] | None = None
) -> None:
    OBJECT_ROUTES[route] = ObjectRoute(route=route, make=make, method=method, data=data or {})


def register_list(
    route: str, *, make: Make, query: dict[str, Any] | None = None, kwargs: dict[str, Any] | None = None
) -> None:
    LIST_ROUTES.append(ListRoute(route=route, make=make, query=query or {}, kwargs=kwargs or {}))


def exempt(route: str, *, reason: str) -> None:
    EXEMPT[route] = reason


def load_registrations() -> None:
    """Import each Sangsaeng app's `tests.tenancy` module (they register on import)."""
    for app in settings.INSTALLED_APPS:
        if app.startswith("sangsaeng."):
            try:
                importlib.import_module(f"{app}.tests.tenancy")
            except ModuleNotFoundError as error:
                if error.name not in (f"{app}.tests", f"{app}.tests.tenancy"):
                    raise


# ==================================================================================================
# Core's own routes (maintained with the core app; the harness imports "<app>.tests.tenancy", which for
# core is this module). Object routes: a job and an audit event of partner A; list routes: the audit
# trail, its export and API, the access log and notifications, each queried for partner A's secret.
# ==================================================================================================
def _core_secret(kind: str) -> str:
    import uuid

    return f"{kind}-secret-{uuid.uuid4().hex[:10]}"


def _core_job(owner: Any) -> Owned:
    from sangsaeng.core.services import job_progress, start_job

    secret = _core_secret("job")
    job = start_job(actor=owner, kind="tenancy-check", total=2)
    job_progress(job, done=1, message=secret)
    return Owned({"job_id": job.pk}, secret)


def _core_audit_event(owner: Any) -> Owned:
    from django.db import transaction

    from sangsaeng.accounts.selectors import organization_id_of
    from sangsaeng.core import audit

    secret = _core_secret("audit")
    with transaction.atomic():
        event = audit.record(
            actor=owner,
            action="tenancy.check",
            target=audit.AuditTarget("tenancy.check", secret, secret, organization_id_of(owner)),
            changes={"note": [None, secret]},
        )
    return Owned({"seq": event.seq}, secret)


def _core_access_log_entry(owner: Any) -> Owned:
    from sangsaeng.accounts.selectors import organization_id_of
    from sangsaeng.core.models import PersonalDataAccess

    secret = _core_secret("pipa")
    PersonalDataAccess.objects.create(
        actor=owner,
        actor_label=owner.email,
        purpose=PersonalDataAccess.Purpose.VIEW,
        subject_organization_id=organization_id_of(owner),
        subject_label=secret,
        data_items=secret,
    )
    return Owned({}, secret)


def _core_notification(owner: Any) -> Owned:
    from sangsaeng.core.services import notify

    secret = _core_secret("notification")
    notify(recipients=[owner], title=secret, body=secret, email=False)
    return Owned({}, secret)


register_object("core:job_status", make=_core_job)
register_object("GET /api/v1/jobs/{job_id}", make=_core_job)
register_object("GET /api/v1/audit-events/{seq}", make=_core_audit_event)
register_list("core:audit_events", make=_core_audit_event, query={"object_id": "{secret}"})
register_list(
    "core:audit_export", make=_core_audit_event, query={"object_id": "{secret}", "reason": "tenancy check"}
)
register_list("GET /api/v1/audit-events", make=_core_audit_event, query={"object_id": "{secret}"})
register_list("core:personal_data_log", make=_core_access_log_entry)
register_list("core:personal_data_export", make=_core_access_log_entry, query={"reason": "tenancy check"})
register_list("core:notifications", make=_core_notification)
register_list("GET /api/v1/notifications", make=_core_notification)
