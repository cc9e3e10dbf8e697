"""Typed settings helpers: read the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not an integer.") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into var/ (never in code)."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # Write to a temporary file and rename so two processes starting at once agree on one key.
    tmp = key_file.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(key)
    tmp.chmod(0o600)
    try:
        os.link(tmp, key_file)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return key_file.read_text().strip()


_RATE_PERIODS = {"s", "m", "h", "d"}


def env_rate(name: str, default: str) -> str:
    """A rate limit such as "10/h" or "30/10m" (count / [multiplier] s, m, h or d)."""
    raw = os.environ.get(name, default).strip()
    count, _, period = raw.partition("/")
    multiplier = period[:-1]
    if not (
        count.isdigit()
        and period
        and period[-1] in _RATE_PERIODS
        and (multiplier == "" or (multiplier.isdigit() and int(multiplier) > 0))
    ):
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a rate (use e.g. 10/h, 30/10m, 120/m)."
        )
    return raw


_DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}


def _without_password(url: str) -> str:
    """The URL with its password (between "user:" and "@") replaced by ***."""
    import re

    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url, count=1)


def env_database(name: str, url: str, **options: Any) -> dict[str, Any]:
    """The database settings of a URL such as postgres://user:pass@host:5432/db or sqlite:////path.

    A malformed URL stops the start naming the variable (the password is never echoed): an unknown
    scheme, a port that is not a number, no database name.
    """
    import dj_database_url

    shown = _without_password(url)
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in _DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"Environment variable {name}={shown!r} is not a database URL: use postgres://user:password@host:5432/name "
            "or sqlite:////absolute/path.sqlite3."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, **options))
    except (ValueError, dj_database_url.ParseError, dj_database_url.UnknownSchemeError) as error:
        raise ImproperlyConfigured(
            f"Environment variable {name}={shown!r} is not a valid database URL ({type(error).__name__}); "
            "quote special characters of the password with %XX."
        ) from error
    if not config.get("NAME") or str(config["NAME"]) in ("/", ":memory:"):
        raise ImproperlyConfigured(f"Environment variable {name}={shown!r} names no database.")
    return config
