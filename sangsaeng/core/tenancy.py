"""Registry for the tenancy harness (DESIGN.md rule 1).

Every URL pattern and every API route that takes an object id must be registered here by its app
(in `sangsaeng/<app>/tenancy.py`), with a function that creates such an object belonging to a
partner. The harness (core/tests/test_tenancy.py) then proves that a user of another partner gets
404 and none of the data, that an anonymous user gets the login page or 401, and that list, search,
count and export routes never show another partner's data. A route that takes an id but holds no
partner data (e.g. an invitation token) is exempted with a reason.

    from sangsaeng.core import tenancy

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
    """Import each Sangsaeng app's `tenancy` module (they register on import)."""
    for app in settings.INSTALLED_APPS:
        if app.startswith("sangsaeng."):
            try:
                importlib.import_module(f"{app}.tenancy")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.tenancy":
                    raise
