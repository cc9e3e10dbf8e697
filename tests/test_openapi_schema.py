"""Snapshot of the public API contract: a change to /api/v1 must be deliberate.

After an intended change, regenerate with `UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_openapi_schema.py`
and review the diff of tests/snapshots/openapi.json in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from config.api import api

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def _schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True, default=str))


def test_openapi_schema_matches_the_snapshot():
    current = _schema()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    assert SNAPSHOT.exists(), "no snapshot: run with UPDATE_SNAPSHOTS=1 once and commit it"
    assert current == json.loads(SNAPSHOT.read_text()), (
        "API contract changed: regenerate the snapshot if intended"
    )


def test_openapi_json_is_served_at_the_documented_address(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert paths, "no API paths"


def test_docs_page_works_offline(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "unpkg.com" not in html and "jsdelivr" not in html


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_schema_names_are_unique_across_apps():
    """OpenAPI components are keyed by class name: two apps' `ReasonIn` would document one of them wrong."""
    from ninja import Schema

    names = [cls.__name__ for cls in set(_subclasses(Schema)) if cls.__module__.startswith("sangsaeng.")]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == [], f"rename per app: {duplicates}"
