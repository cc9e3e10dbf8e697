from __future__ import annotations

from typing import Any


def home_context_for_user(user: Any) -> dict[str, Any]:
    return {"template": "core/landing.html"}
