from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sangsaeng.core.navigation import entries_for, groups_from_entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "nav_groups": [], "unread_count": 0}
    from sangsaeng.core.selectors import unread_notification_count

    return {
        "nav_entries": (entries := entries_for(user)),
        "nav_groups": groups_from_entries(entries),
        "unread_count": unread_notification_count(user),
    }
