"""Content-Security-Policy on every response and no inline script or style in any template; cookie
flags in HTTPS mode."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.test_settings import _manage

ROOT = Path(__file__).resolve().parent.parent
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/partners/signup/", "/api/v1/docs", "/api/v1/me", "/api/v1/nowhere"]
)
def test_every_page_and_api_answer_carries_the_strict_policy(client, db, path):
    response = client.get(path)

    policy = _policy(response)
    for directive, value in STRICT.items():
        assert policy[directive] == value, (path, directive)
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_api_error_and_the_rate_limit_page_carry_it_too(client, db, settings):
    settings.RATE_LIMIT_PASSWORD_RESET_PER_IP = "0/h"
    response = client.post("/accounts/password/reset/", {"email": "a@b.example"})

    assert response.status_code == 429
    assert _policy(response)["script-src"] == "'self'"


_INLINE = [
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\shx-on", re.I), "an hx-on handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def test_no_template_has_an_inline_script_handler_or_style():
    found = []
    for template in sorted((ROOT / "sangsaeng").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern, what in _INLINE:
            found += [f"{template.relative_to(ROOT)}: {what}" for _ in pattern.finditer(text)]
        for attributes in _SCRIPT.findall(text):
            if "src=" not in attributes and "application/json" not in attributes:
                found.append(f"{template.relative_to(ROOT)}: an inline <script>")
    assert found == []


def test_htmx_is_told_not_to_inject_its_indicator_styles(client, db):
    page = client.get("/accounts/login/").content.decode()

    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config and json.loads(config.group(1))["includeIndicatorStyles"] is False
    assert ".htmx-indicator" in (ROOT / "sangsaeng/static/sangsaeng/app.css").read_text()


def test_in_https_mode_every_cookie_is_secure_and_keeps_its_flags(tmp_path):
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({n: getattr(s, n) for n in "
        "['LANGUAGE_COOKIE_SECURE', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'SESSION_COOKIE_SAMESITE', 'LANGUAGE_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE']}))"
    )
    https = _manage("shell", "-c", code, SECURE_HTTPS="1", SANGSAENG_VAR_DIR=str(tmp_path))
    plain = _manage("shell", "-c", code, SECURE_HTTPS="0", SANGSAENG_VAR_DIR=str(tmp_path))

    assert https.returncode == 0, https.stderr
    flags = json.loads(https.stdout.strip().splitlines()[-1])
    assert flags["LANGUAGE_COOKIE_SECURE"] and flags["SESSION_COOKIE_SECURE"] and flags["CSRF_COOKIE_SECURE"]
    assert flags["SESSION_COOKIE_HTTPONLY"]
    assert {
        flags["SESSION_COOKIE_SAMESITE"],
        flags["LANGUAGE_COOKIE_SAMESITE"],
        flags["CSRF_COOKIE_SAMESITE"],
    } == {"Lax"}
    assert json.loads(plain.stdout.strip().splitlines()[-1])["LANGUAGE_COOKIE_SECURE"] is False


def test_the_language_cookie_set_at_log_in_is_secure_in_https_mode(client, cast, settings):
    from sangsaeng.accounts.tests.factories import TEST_PASSWORD

    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(
        "/accounts/login/", {"username": cast.partner_owner.email, "password": TEST_PASSWORD}, secure=True
    )

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["samesite"] == "Lax"
