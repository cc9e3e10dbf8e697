"""Role-aware navigation: each app contributes the entries its users can actually use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.urls import get_urlconf, reverse
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


@lru_cache(maxsize=256)
def _url(url_name: str, urlconf: str | None) -> str:
    # Menu targets take no arguments, so their paths are fixed for a URLconf: reverse once, not on
    # every page (the menu is drawn on every page; reverse() is a noticeable share of a light page).
    return reverse(url_name, urlconf=urlconf)


def entries_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    urlconf = get_urlconf()
    return [
        {"label": str(entry.label), "url": _url(entry.url_name, urlconf), "url_name": entry.url_name}
        for entry in sorted(_ENTRIES, key=lambda e: e.order)
        if entry.visible(user)
    ]


_GROUP_LABELS: dict[str, str | Promise] = {}


def register_group(namespace: str, label: str | Promise) -> None:
    """Name the menu group of an app's entries (its URL namespace); shown when it has several."""
    _GROUP_LABELS[namespace] = label


def groups_from_entries(entries: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The menu as groups, one per app (URL namespace), in the order of their first entry.

    A group with one entry is drawn as a plain link, a larger one as a drop-down, so the bar stays
    one line however many programmes a person takes part in.
    """
    groups: dict[str, dict[str, Any]] = {}
    for entry in entries:
        namespace = entry["url_name"].split(":", 1)[0]
        group = groups.setdefault(namespace, {"key": namespace, "entries": []})
        group["entries"].append(entry)
    for namespace, group in groups.items():
        label = _GROUP_LABELS.get(namespace)
        group["label"] = str(label) if label is not None else group["entries"][0]["label"]
    return list(groups.values())


# --- The shared kernel's own entries -----------------------------------------------------------------
# Registered when CoreConfig.ready() imports this module; the permission functions are imported when
# a menu is drawn, so importing this registry never loads the accounts models early.
def _may_view_audit_trail(user: Any) -> bool:
    from sangsaeng.core.permissions import can_view_audit_trail

    return can_view_audit_trail(user)


def _may_view_personal_data_log(user: Any) -> bool:
    from sangsaeng.core.permissions import can_view_personal_data_log

    return can_view_personal_data_log(user)


def _register_core_entries() -> None:
    from django.utils.translation import gettext_lazy as _

    if any(entry.url_name == "core:audit_events" for entry in _ENTRIES):
        return  # already registered (the module is imported once; be safe under reloads)
    register_group("core", _("Audit"))
    register(
        NavEntry(
            label=_("Audit trail"), url_name="core:audit_events", visible=_may_view_audit_trail, order=900
        )
    )
    register(
        NavEntry(
            label=_("Personal-data log"),
            url_name="core:personal_data_log",
            visible=_may_view_personal_data_log,
            order=910,
        )
    )


_register_core_entries()
