"""A small closed-loop HTTP/1.1 load client (asyncio, keep-alive) and login helpers. Stdlib only.

Closed loop: each of N connections sends its next request as soon as the previous answer arrived,
so the server runs flat out and the request rate is what it can take. Only 127.0.0.1 is allowed:
this is a bench for a server we started ourselves, not a tool to point at other hosts.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import socket
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

LOOPBACK = "127.0.0.1"
REQUEST_TIMEOUT = 30.0


@dataclass
class Measurement:
    """Completed requests of one endpoint within the measured window."""

    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, successful and failed
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def merge(self, other: Measurement) -> Measurement:
        """Two windows of the same endpoint as one (rounds of an interleaved measurement)."""
        statuses = dict(self.statuses)
        for key, count in other.statuses.items():
            statuses[key] = statuses.get(key, 0) + count
        return Measurement(
            self.name,
            self.seconds + other.seconds,
            self.latencies + other.latencies,
            self.errors + other.errors,
            statuses,
        )

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index] * 1000


def build_request(
    method: str, path: str, *, port: int, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {LOOPBACK}:{port}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return (status, keep_alive). Handles Content-Length and chunked bodies."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed by server")
    parts = status_line.split(b" ", 2)
    status = int(parts[1])
    length: int | None = None
    chunked = False
    keep_alive = parts[0] == b"HTTP/1.1"
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection":
            keep_alive = b"close" not in value.lower()
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep_alive = False
    return status, keep_alive


async def _connection_loop(
    port: int,
    request: bytes,
    expected: int,
    start: float,
    stop: float,
    result: Measurement,
) -> None:
    loop = asyncio.get_running_loop()
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    try:
        while loop.time() < stop:
            sent = loop.time()
            try:
                if reader is None or writer is None:
                    reader, writer = await asyncio.open_connection(LOOPBACK, port)
                writer.write(request)
                status, keep_alive = await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT)
                key, ok = str(status), status == expected
            except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as error:
                key, ok, keep_alive = type(error).__name__, False, False
                await asyncio.sleep(0.01)  # a refused connection must not spin the loop
            done = loop.time()
            # Throughput counts the answers that arrive inside the window (whenever they were sent).
            if start <= done <= stop:
                result.latencies.append(done - sent)
                result.statuses[key] = result.statuses.get(key, 0) + 1
                if not ok:
                    result.errors += 1
            if not keep_alive and writer is not None:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _closed_loop(
    name: str, port: int, request: bytes, expected: int, connections: int, seconds: float, warmup: float
) -> Measurement:
    loop = asyncio.get_running_loop()
    start = loop.time() + warmup
    stop = start + seconds
    result = Measurement(name=name, seconds=seconds)
    tasks = [
        asyncio.create_task(_connection_loop(port, request, expected, start, stop, result))
        for _ in range(connections)
    ]
    # At the end of the window, requests still waiting are abandoned rather than awaited: a slow
    # endpoint must not stretch the run (they would not count anyway).
    _, pending = await asyncio.wait(tasks, timeout=max(0.0, stop - loop.time()) + 0.05)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return result


def closed_loop(
    name: str,
    port: int,
    request: bytes,
    *,
    expected: int = 200,
    connections: int = 50,
    seconds: float = 10.0,
    warmup: float = 1.0,
) -> Measurement:
    """Run `connections` keep-alive connections against 127.0.0.1:`port` for warmup + seconds.

    Only requests sent and answered inside the measured window count; a status other than
    `expected`, a timeout or a dropped connection is an error.
    """
    return asyncio.run(_closed_loop(name, port, request, expected, connections, seconds, warmup))


# --- Simple synchronous requests (probes and logging in) ---------------------------------------------
@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                jar.load(value)
        return {key: morsel.value for key, morsel in jar.items()}


def request(
    port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b""
) -> Response:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.getheaders(), answer.read())
    finally:
        connection.close()


def send(port: int, raw: bytes) -> Response:
    """Send one prepared request (as built by build_request) and read the whole answer."""
    with socket.create_connection((LOOPBACK, port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall(raw)
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        return Response(answer.status, answer.getheaders(), answer.read())


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class LoginForm:
    """A CSRF cookie and form token; together they let many POSTs of the login form pass CSRF."""

    cookies: dict[str, str]
    token: str

    def post_body(self, email: str, password: str) -> bytes:
        return urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token, "username": email, "password": password}
        ).encode()


def fetch_login_form(port: int, path: str = "/accounts/login/") -> LoginForm:
    page = request(port, "GET", path)
    match = _CSRF_INPUT.search(page.body)
    if page.status != 200 or match is None:
        raise RuntimeError(f"GET {path} answered {page.status} without a CSRF token")
    return LoginForm(page.cookies(), match.group(1).decode())


def log_in(port: int, email: str, password: str, path: str = "/accounts/login/") -> dict[str, str]:
    """Log in through the login form; return the cookies (session and CSRF) of the new session."""
    form = fetch_login_form(port, path)
    answer = request(
        port,
        "POST",
        path,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(form.cookies),
        },
        body=form.post_body(email, password),
    )
    cookies = {**form.cookies, **answer.cookies()}
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"logging in as {email} answered {answer.status}, not a redirect with a session")
    return cookies


def settle(port: int, timeout: float = 20.0) -> None:
    """Wait (bounded) until the server answers /healthz quickly again, i.e. its queue is drained."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            if request(port, "GET", "/healthz").status == 200 and time.monotonic() - began < 0.05:
                return
        except OSError:
            pass
        time.sleep(0.2)


def wait_until_up(port: int, timeout: float = 30.0) -> bool:
    """Poll /healthz until the server answers 200, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz").status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False
