"""A malformed DATABASE_URL stops the start naming the variable, without echoing the password."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_database
from tests.test_settings import _manage


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("foo", "is not a database URL"),
        ("mysql2://db/app", "is not a database URL"),
        ("postgres://app:s3cret@db:notaport/app", "is not a valid database URL"),
        ("postgres://", "names no database"),
        ("sqlite://", "names no database"),
    ],
)
def test_a_malformed_database_url_names_the_variable(url, says):
    with pytest.raises(ImproperlyConfigured, match=says) as raised:
        env_database("DATABASE_URL", url)
    assert "DATABASE_URL=" in str(raised.value)
    assert "s3cret" not in str(raised.value)


def test_well_formed_urls_give_their_settings():
    pg = env_database("DATABASE_URL", "postgres://app:p%40ss@db.internal:6432/sangsaeng", conn_max_age=60)
    assert (pg["ENGINE"], pg["HOST"], pg["PORT"], pg["NAME"], pg["PASSWORD"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        6432,
        "sangsaeng",
        "p@ss",
    )
    assert env_database("DATABASE_URL", "sqlite:////srv/app.sqlite3")["NAME"] == "/srv/app.sqlite3"


def test_the_start_stops_with_the_variable_name(tmp_path):
    result = _manage(
        "check", DATABASE_URL="postgres://app:s3cret@db:port/app", SANGSAENG_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "s3cret" not in result.stderr
