"""The signed-in person's organisation and role on every page (header, profile, home)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sangsaeng.accounts.selectors import membership_of


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_membership": None}
    return {"current_membership": membership_of(user)}
