"""System checks that keep the deployment honest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register()
def front_end_packages_installed(app_configs: Any, **kwargs: Any) -> list[Warning]:
    paths = [entry[1] if isinstance(entry, tuple) else entry for entry in settings.STATICFILES_DIRS]
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        return [
            Warning(
                "Front-end packages are not installed: " + ", ".join(missing),
                hint="Run `npm ci` (the make targets do it).",
                id="sangsaeng.W001",
            )
        ]
    return []
