"""Role-aware navigation: each app contributes the entries its users can actually use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    _ENTRIES.append(entry)


def entries_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"label": str(entry.label), "url": reverse(entry.url_name), "url_name": entry.url_name}
        for entry in sorted(_ENTRIES, key=lambda e: e.order)
        if entry.visible(user)
    ]
