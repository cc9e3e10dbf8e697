"""Open-loop load test (locust, headless): 50 people with 1–3 s think time. Started by bench/run.py.

Most simulated people are host programme managers browsing: the partner directory, a partner's
page, the API list (bearer token, as a machine client would) and the bare /healthz. A few log in
through the login form with correct credentials (so django-axes never locks anyone out). The run
configuration (session cookie, token, partner ids, logins) comes from the JSON file named by
BENCH_CONFIG, written by run.py after it logged the programme manager in.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

CONFIG = json.loads(Path(os.environ["BENCH_CONFIG"]).read_text(encoding="utf-8"))
ENABLED = set(CONFIG["enabled"])
PAGE_SIZE = 50
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page_count() -> int:
    return max(1, min(20, CONFIG["partners"] // PAGE_SIZE))


class ProgrammeManager(HttpUser):
    """A host programme manager (logged in once by run.py; the session cookie is shared)."""

    weight = 9
    wait_time = between(1, 3)

    def on_start(self) -> None:
        for name, value in CONFIG["pm_cookies"].items():
            self.client.cookies.set(name, value)

    @task(4)
    def directory(self) -> None:
        if "directory" in ENABLED:
            page = random.randint(1, _page_count())
            self.client.get(f"/partners/?page={page}", name="directory")

    @task(4)
    def partner_detail(self) -> None:
        if "partner detail" in ENABLED:
            self.client.get(f"/partners/{random.choice(CONFIG['partner_ids'])}/", name="partner detail")

    @task(3)
    def api_list(self) -> None:
        if "API list" in ENABLED:
            offset = random.randint(0, _page_count() - 1) * PAGE_SIZE
            self.client.get(
                f"/api/v1/partners?limit={PAGE_SIZE}&offset={offset}",
                headers={"Authorization": f"Bearer {CONFIG['token']}"},
                name="API list",
            )

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz (bare)")


class SigningInPerson(HttpUser):
    """Someone opening the login page and logging in (a write: session, last login, access log)."""

    weight = 1
    wait_time = between(1, 3)

    @task
    def log_in(self) -> None:
        if "login" not in ENABLED:
            return
        self.client.cookies.clear()
        page = self.client.get("/accounts/login/", name="login page")
        match = _CSRF_INPUT.search(page.text or "")
        if match is None:
            return
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": match.group(1),
                "username": random.choice(CONFIG["login_emails"]),
                "password": CONFIG["password"],
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login answered {answer.status_code}, expected a redirect")
