"""The bench's server side: datasets, a gunicorn on loopback, and the endpoints it measures.

Each dataset lives in its own SQLite file under var/bench (built by bench/prepare.py in its own
process, since Django settings are fixed per process); gunicorn serves a fresh copy of it, so the
sessions and access logs the bench creates never pile up in the reused database.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import httpload

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
DB_NAME = "sangsaeng.sqlite3"
PAGE_SIZE = 50

BARE, DIRECTORY, DETAIL, API_LIST, LOGIN, ADMIN = (
    "/healthz (bare)",
    "directory",
    "partner detail",
    "API list",
    "login",
    "admin changelist",
)
LIST_PAGES = (DIRECTORY, API_LIST)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def var_dir(name: str) -> Path:
    return ROOT / "var" / "bench" / name


def scale_name(scale: float) -> str:
    return f"scale-{scale:g}"


# --- Datasets and server --------------------------------------------------------------------------------
def prepare(scale: float, *, regenerate: bool) -> dict:
    """Build or reuse the dataset of `scale` (subprocess: Django settings are per process)."""
    target = var_dir(scale_name(scale))
    command = [sys.executable, "-m", "bench.prepare", "--scale", f"{scale:g}", "--var-dir", str(target)]
    if regenerate:
        command.append("--regenerate")
    subprocess.run(command, cwd=ROOT, check=True, timeout=1800)
    return json.loads((target / "dataset.json").read_text(encoding="utf-8"))


def working_copy(scale: float, source: Path | None = None) -> Path:
    """A fresh copy of the generated database for this run (SQLite backup API: consistent);
    `source` is another dataset directory of that scale (the one with the programmes' data)."""
    source = source or var_dir(scale_name(scale))
    target = var_dir(f"run-{scale_name(scale)}")
    target.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (target / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source / DB_NAME) as src, sqlite3.connect(target / DB_NAME) as dst:
        src.backup(dst)
    if (source / "secret_key").exists():
        shutil.copy2(source / "secret_key", target / "secret_key")
    # whitenoise warns at start-up when STATIC_ROOT is missing; the bench serves no static files.
    (target / "staticfiles").mkdir(exist_ok=True)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((httpload.LOOPBACK, 0))
        return sock.getsockname()[1]


BENCH_RATE_LIMITS = (
    "SIGNUP_PER_IP",
    "SIGNUP_PER_ACCOUNT",
    "LOGIN_PER_IP",
    "LOGIN_PER_ACCOUNT",
    "PASSWORD_RESET_PER_IP",
    "PASSWORD_RESET_PER_ACCOUNT",
    "TOKEN_FAILURES_PER_IP",
    "TOKEN_PER_TOKEN",
    "API_WRITES_PER_ACCOUNT",
    "API_WRITES_PER_IP",
)


def server_env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            "SANGSAENG_VAR_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_HTTPS": "0",
            "EMAIL_URL": "locmem://",
            "TASKS_BACKEND": "immediate",
            "LOG_LEVEL": "WARNING",
            # Every simulated person comes from 127.0.0.1 and shares a few tokens: limits so high that
            # nobody is refused, while the counting itself is still measured.
            **{f"RATE_LIMIT_{name}": "100000000/m" for name in BENCH_RATE_LIMITS},
        }
    )
    return env


@contextmanager
def gunicorn(data_dir: Path, *, workers: int, label: str) -> Iterator[int]:
    """Run gunicorn with the project's settings (config/gunicorn.conf.py: sync workers) and `workers`
    processes on 127.0.0.1:<free port> over `data_dir`; yield the port; stop it afterwards."""
    port = free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    log_file = (OUT / f"gunicorn-{label}.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind",
            f"{httpload.LOOPBACK}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env(data_dir),
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        if not httpload.wait_until_up(port, timeout=60):
            raise RuntimeError(f"gunicorn did not answer /healthz within 60 s (see {log_file.name})")
        log(f"gunicorn ({workers} sync workers) serving {data_dir.name} on port {port}")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log_file.close()


# --- Endpoints ------------------------------------------------------------------------------------------
@dataclass
class Endpoint:
    name: str
    request: bytes
    expected: int = 200
    available: bool = True
    note: str = ""


class Session:
    """Who the bench is on one server: the programme manager, the superuser, the login form."""

    def __init__(self, port: int, dataset: dict) -> None:
        self.port = port
        self.dataset = dataset
        self.problems: list[str] = []
        self.pm_cookies = self._log_in(dataset["pm_email"], "programme manager")
        self.admin_cookies = self._log_in(dataset["superuser_email"], "superuser")

    def _log_in(self, email: str, who: str) -> dict[str, str] | None:
        try:
            return httpload.log_in(self.port, email, self.dataset["password"])
        except (RuntimeError, OSError) as error:
            self.problems.append(f"cannot log in as the {who}: {error}")
            return None

    def get(self, path: str, cookies: dict[str, str] | None = None, headers: dict | None = None) -> bytes:
        all_headers = dict(headers or {})
        if cookies:
            all_headers["Cookie"] = httpload.cookie_header(cookies)
        return httpload.build_request("GET", path, port=self.port, headers=all_headers)

    def endpoints(self) -> dict[str, Endpoint]:
        dataset = self.dataset
        detail_id = dataset["approved_partner_ids"][0]
        token = {"Authorization": f"Bearer {dataset['token']}"}
        endpoints = {
            BARE: Endpoint(BARE, self.get("/healthz")),
            DIRECTORY: Endpoint(DIRECTORY, self.get("/partners/", self.pm_cookies)),
            DETAIL: Endpoint(DETAIL, self.get(f"/partners/{detail_id}/", self.pm_cookies)),
            API_LIST: Endpoint(
                API_LIST, self.get(f"/api/v1/partners?limit={PAGE_SIZE}&offset=0", headers=token)
            ),
            ADMIN: Endpoint(ADMIN, self.get("/django-admin/partners/partner/", self.admin_cookies)),
        }
        try:
            form = httpload.fetch_login_form(self.port)
            body = form.post_body(dataset["login_emails"][0], dataset["password"])
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": httpload.cookie_header(form.cookies),
            }
            request = httpload.build_request(
                "POST", "/accounts/login/", port=self.port, headers=headers, body=body
            )
            endpoints[LOGIN] = Endpoint(LOGIN, request, expected=302)
        except (RuntimeError, OSError) as error:
            endpoints[LOGIN] = Endpoint(LOGIN, b"", 302, available=False, note=str(error))
        if self.pm_cookies is None:
            for name in (DIRECTORY, DETAIL):
                endpoints[name].available, endpoints[name].note = False, "no programme manager session"
        if self.admin_cookies is None:
            endpoints[ADMIN].available, endpoints[ADMIN].note = False, "no superuser session"
        for endpoint in endpoints.values():
            if endpoint.available:
                self._probe(endpoint)
        return endpoints

    def _probe(self, endpoint: Endpoint) -> None:
        """One request first: a page that is not built yet (404) or broken is reported, not loaded."""
        try:
            status = str(httpload.send(self.port, endpoint.request).status)
        except OSError as error:
            status = type(error).__name__
        if status != str(endpoint.expected):
            endpoint.available = False
            endpoint.note = "not built yet (404)" if status == "404" else f"answered {status}"

    def admin_page_size(self) -> int | None:
        if self.admin_cookies is None:
            return None
        page = httpload.request(
            self.port,
            "GET",
            "/django-admin/partners/partner/",
            headers={"Cookie": httpload.cookie_header(self.admin_cookies)},
        )
        return page.body.count(b'name="_selected_action"') if page.status == 200 else None
