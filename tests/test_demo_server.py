"""`make demo`'s server: quiet by default (ACCESS_LOG=1 opts in), and Ctrl-C stops it without an ERROR."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.xdist_group("demo_server")


def _demo_commands(*variables: str) -> str:
    done = subprocess.run(
        ["make", "--dry-run", "--always-make", "demo", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return next(line for line in done.stdout.splitlines() if "gunicorn config.wsgi" in line)


def test_the_demo_prints_no_access_log_unless_asked_and_takes_host_and_port():
    assert "--access-logfile" not in _demo_commands()
    line = _demo_commands("ACCESS_LOG=1", "PORT=8080", "HOST=0.0.0.0")
    assert "--access-logfile -" in line
    assert "--bind 0.0.0.0:8080" in line


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_ctrl_c_stops_the_server_without_an_error_line(tmp_path):
    port = _free_port()
    env = {**os.environ, "WEB_CONCURRENCY": "1", "SANGSAENG_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--config",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 60
        answered = 0
        while answered < 2 and time.monotonic() < deadline:  # up and serving
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    answered += response.status == 200
            except OSError:
                time.sleep(0.2)
        assert answered == 2, "the server did not answer"
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C sends: master and workers at once
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert server.returncode == 0
    assert "ERROR" not in err and "Traceback" not in err, err
    assert out == ""
