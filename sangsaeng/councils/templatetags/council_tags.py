"""Councils blocks shown on other apps' pages: where an R&D call's themes came from (the call page) and
the person's open council action items (the home page). Each reads through the councils selectors."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from sangsaeng.councils import selectors

register = template.Library()


@register.inclusion_tag("councils/partials/theme_origins.html")
def council_theme_origins(call: Any) -> dict[str, Any]:
    """The cooperation areas handed over to this R&D call, with their councils (the link back)."""
    return {"areas": list(selectors.areas_handed_over_to(call))}


@register.inclusion_tag("councils/partials/home_actions.html", takes_context=True)
def council_home_actions(context: dict[str, Any]) -> dict[str, Any]:
    """The user's open council action items, overdue first, on the home page (five at most)."""
    user = context["request"].user
    items = selectors.own_action_items(user)
    today = timezone.localdate()
    return {
        "items": list(items[:5]),
        "overdue_count": selectors.overdue(items, today).count(),
        "today": today,
    }
