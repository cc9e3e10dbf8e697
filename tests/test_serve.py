"""The production app server survives `kill -9` of its master: an immediate restart binds the port
again (bin/serve, and plain gunicorn with config/gunicorn.conf.py), and no worker of the old master is
left serving. Before, the orphaned workers held the port for about 45 s ("Connection in use")."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.xdist_group("serve")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "SANGSAENG_VAR_DIR": str(tmp_path), "WEB_CONCURRENCY": "2"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return env


def _wait_ready(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.read() == b"ok":
                    return True
        except OSError:
            time.sleep(0.1)
    return False


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if text in log.read_text(errors="replace"):
            return True
        time.sleep(0.1)
    return text in log.read_text(errors="replace")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(line) for line in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is not serving; /proc tells.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _start(command: list[str], tmp_path: Path, log: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, cwd=ROOT, env=_env(tmp_path), stdout=(tmp_path / log).open("wb"), stderr=subprocess.STDOUT
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    "launcher",
    [
        ["bin/serve"],
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--config", "config/gunicorn.conf.py"],
    ],
    ids=["bin-serve", "gunicorn-config"],
)
def test_a_restart_right_after_kill_9_of_the_master_serves_again(tmp_path, launcher):
    port = _free_port()
    command = [*launcher, "--bind", f"127.0.0.1:{port}"]
    first = _start(command, tmp_path, "first.log")
    second = None
    try:
        assert _wait_ready(port, 60), (tmp_path / "first.log").read_text()
        workers = _children(first.pid)
        assert len(workers) == 2

        first.send_signal(signal.SIGKILL)
        first.wait()
        # No request in between: a request would wake an orphaned worker, which then notices its parent
        # is gone; idle, it held the socket for tens of seconds.
        second = _start(command, tmp_path, "second.log")

        assert _wait_for(tmp_path / "second.log", f"Listening at: http://127.0.0.1:{port}", second, 30), (
            tmp_path / "second.log"
        ).read_text()
        assert _wait_ready(port, 20)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a worker of the killed master is still running"
        assert second.poll() is None
    finally:
        for pid in _children(first.pid):
            os.kill(pid, signal.SIGKILL)
        if second is not None:
            _stop(second)
