"""Shared helpers for the test_hostile_*.py abuse tests (issue 5): the `server` fixture, raw HTTP,
error checks, slow clients, JSON bombs, SQL-looking strings. Not a test module."""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
import requests

from conftest import assert_error_body, run_authctl

PASSWORD = "correct horse battery"
SOCKET_TIMEOUT = 10.0  # every raw socket
QUICK = 5.0  # seconds within which a hostile request must be answered (or the connection closed)
# These tests fail many logins on purpose: lift the brute-force throttling (tested elsewhere).
NO_LOCKOUT = {"AUTH_LOCKOUT_THRESHOLD": "1000", "AUTH_LOCKOUT_ACCOUNT_THRESHOLD": "100000"}


@pytest.fixture
def server(auth_server_factory):
    """A token service without lockout (every request of these tests comes from 127.0.0.1)."""
    return auth_server_factory(NO_LOCKOUT)


def unique_email(prefix: str = "hostile") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def media_type(headers) -> str:
    return headers.get("Content-Type", headers.get("content-type", "")).split(";")[0].strip().lower()


def signup_and_login(server, email: str | None = None, password: str = PASSWORD) -> tuple[str, dict]:
    email = email or unique_email()
    r = server.signup(email, password)
    assert r.status_code == 201, r.text
    r = server.login(email, password)
    assert r.status_code == 200, r.text
    return email, r.json()


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # names lowercased
    body: bytes

    def json(self):
        return json.loads(self.body)


def read_response(sock: socket.socket, timeout: float = SOCKET_TIMEOUT) -> RawResponse | None:
    """One HTTP/1.1 response read from `sock`, or None when the server closed (or reset) the
    connection before a complete head; a socket timeout propagates (the server neither answered
    nor closed in time)."""
    deadline = time.monotonic() + timeout
    buf = b""
    head = None
    try:
        while True:
            if head is None and b"\r\n\r\n" in buf:
                raw_head, buf = buf.split(b"\r\n\r\n", 1)
                lines = raw_head.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ")[1])
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                head = (status, headers)
            if head is not None:
                length = int(head[1].get("content-length", "0") or 0)
                if len(buf) >= length:
                    return RawResponse(head[0], head[1], buf[:length])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout(f"no complete response within {timeout}s (got {buf[:200]!r})")
            sock.settimeout(min(remaining, SOCKET_TIMEOUT))
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass
    if head is not None:  # closed mid-body: keep what arrived
        return RawResponse(head[0], head[1], buf)
    return None


def raw_request(port: int, data: bytes, timeout: float = SOCKET_TIMEOUT) -> RawResponse | None:
    """Send `data` on a new connection and read one response (None: closed without one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may refuse before reading it all; its answer may still be there
        return read_response(sock, timeout)


def http_bytes(method: str, path: str, headers: dict[str, str | bytes] | None = None, body: bytes = b"",
               content_length: int | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: 127.0.0.1", b"Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("latin-1")))
    if body or content_length is not None or method in ("POST", "PATCH", "PUT"):
        lines.append(f"Content-Length: {len(body) if content_length is None else content_length}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def check_json_error(status: int, content_type: str, body: bytes, *, statuses=range(400, 500),
                     code: str | None = None) -> dict:
    """The contract's error shape with a status in `statuses` (never a 5xx for client input)."""
    assert status in statuses, f"expected a status in {statuses}, got {status}: {body[:300]!r}"
    assert content_type == "application/json", f"error with Content-Type {content_type!r}: {body[:300]!r}"
    return assert_error_body(json.loads(body), code)


def check_raw_error(resp: RawResponse | None, *, statuses=range(400, 500), code: str | None = None,
                    closed_ok: bool = False) -> dict | None:
    if resp is None:
        assert closed_ok, "the server closed the connection without an answer"
        return None
    return check_json_error(resp.status, media_type(resp.headers), resp.body, statuses=statuses, code=code)


def check_resp_error(resp: requests.Response, *, statuses=range(400, 500), code: str | None = None) -> dict:
    return check_json_error(resp.status_code, media_type(resp.headers), resp.content, statuses=statuses, code=code)


def timed(fn, *args, limit: float = QUICK, **kwargs):
    """fn(*args, **kwargs), failing when it took longer than `limit` seconds."""
    start = time.monotonic()
    result = fn(*args, **kwargs)
    elapsed = time.monotonic() - start
    assert elapsed < limit, f"answered after {elapsed:.1f}s (limit {limit}s)"
    return result


def check_all(cases, check) -> None:
    """Run `check(case)` for every case; fail once at the end listing each failing case."""
    failures = []
    for case in cases:
        try:
            check(case)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not only the first
            text = repr(case)
            failures.append(f"{text if len(text) <= 140 else text[:137] + '...'}: {type(exc).__name__}: {exc}")
    assert not failures, f"{len(failures)} case(s) failed:\n" + "\n".join(failures)


def assert_serving(server) -> None:
    """The server still answers others quickly: healthz, and for the token service a signup and a login
    (and `authctl users list` shows the account)."""
    r = timed(server.get, "/healthz", timeout=QUICK)
    assert r.status_code == 200, r.text
    if hasattr(server, "signup"):
        email = unique_email("after")
        r = timed(server.signup, email, PASSWORD)
        assert r.status_code == 201, r.text
        r = timed(server.login, email, PASSWORD)
        assert r.status_code == 200, r.text
        assert server.me(r.json()["access_token"]).status_code == 200
        # The database is intact: the admin CLI reads it and sees the new account.
        assert email in [user["email"] for user in users_list(server)]


def users_list(server) -> list[dict]:
    result = run_authctl("users", "list", "--json", database=server.db_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    users = doc if isinstance(doc, list) else next(v for v in doc.values() if isinstance(v, list))
    return users


def slow_senders(port: int, starts: list[bytes], *, interval: float, rounds: int, payload: bytes,
                 stop: threading.Event, sockets: list[socket.socket], sent: list[int], errors: list[str]) -> None:
    """Open one socket per item of `starts`, send it, then `payload` on each every `interval` s
    (at most `rounds` times); `sent[n]` counts the payloads socket n got out."""
    for start in starts:
        sock = socket.create_connection(("127.0.0.1", port), timeout=2.0)
        sock.settimeout(2.0)
        sockets.append(sock)
        sent.append(0)
        sock.sendall(start)
    closed = set()
    for _ in range(rounds):
        if stop.wait(interval):
            return
        for n, sock in enumerate(sockets):
            if n in closed:
                continue
            try:
                sock.sendall(payload)
                sent[n] += 1
            except OSError as exc:  # the server may drop a slow client: fine
                closed.add(n)
                errors.append(f"socket {n}: {exc!r}")


def assert_responsive_meanwhile(server, seconds: float) -> int:
    """GET /healthz on new connections for `seconds`; each must be a quick 200."""
    deadline = time.monotonic() + seconds
    served = 0
    slowest = 0.0
    while time.monotonic() < deadline and served < 200:
        start = time.monotonic()
        r = requests.get(server.url("/healthz"), timeout=QUICK)
        elapsed = time.monotonic() - start
        slowest = max(slowest, elapsed)
        assert r.status_code == 200, r.text
        assert elapsed < 1.0, f"/healthz took {elapsed:.2f}s while slow clients were connected"
        served += 1
        time.sleep(0.1)
    assert served >= 10, f"only {served} health checks in {seconds}s (slowest {slowest:.2f}s)"
    return served


def run_slow_clients(server, starts: list[bytes], *, interval: float, rounds: int, payload: bytes):
    """Slow clients (see slow_senders) for about interval * rounds seconds, while /healthz must stay
    quick on other connections; returns (sockets, payloads sent per socket, errors)."""
    stop = threading.Event()
    sockets: list[socket.socket] = []
    sent: list[int] = []
    errors: list[str] = []
    thread = threading.Thread(target=slow_senders, daemon=True,
                              args=(server.port, starts),
                              kwargs=dict(interval=interval, rounds=rounds, payload=payload, stop=stop,
                                          sockets=sockets, sent=sent, errors=errors))
    thread.start()
    try:
        time.sleep(0.3)  # let them connect
        assert_responsive_meanwhile(server, interval * rounds - 0.5)
    finally:
        stop.set()
        thread.join(timeout=5.0)
        if thread.is_alive():
            for sock in sockets:
                sock.close()
    assert not thread.is_alive()
    assert len(sockets) == len(starts), f"only {len(sockets)} of {len(starts)} slow clients connected"
    return sockets, sent, errors


def many_fields(n: int, value: str = "0", unique: bool = True) -> bytes:
    return ("{" + ",".join(f'"{("f%d" % i) if unique else "f"}":{value}' for i in range(n)) + "}").encode()


def nested_arrays(depth: int, closed: bool = True) -> bytes:
    return b"[" * depth + (b"]" * depth if closed else b"")


def nested_objects(depth: int) -> bytes:
    return b'{"":' * depth + b"0" + b"}" * depth


JSON_BOMBS = {
    "10,000 fields": many_fields(10_000),  # over the 64 KiB limit
    "10,000 string fields": many_fields(10_000, '"v"'),
    "5,000 fields (under the limit)": many_fields(5_000),
    "5,000 string fields (under the limit)": many_fields(5_000, '"v"'),
    "10,000 fields of one name": many_fields(10_000, unique=False),
    "100,000-deep array": nested_arrays(100_000),
    "30,000-deep array (under the limit)": nested_arrays(30_000),
    "60,000 open brackets": nested_arrays(60_000, closed=False),
    "12,000-deep object (under the limit)": nested_objects(12_000),
    "deep array inside a field": b'{"email": ' + nested_arrays(20_000) + b', "password": "long enough pw"}',
}


def post_bomb(server, path: str, body: bytes, chunked: bool = False, token: str | None = None):
    headers = {"Content-Type": "application/json"}
    data = iter([body[i:i + 8192] for i in range(0, len(body), 8192)]) if chunked else body
    try:
        return timed(server.post, path, token, data=data, headers=headers, timeout=QUICK)
    except requests.ConnectionError:
        return None  # closed connection: acceptable


SQL_STRINGS = [
    "' OR 1=1 --",
    '"; DROP TABLE accounts; --',
    "' OR '1'='1",
    "1; DELETE FROM sessions; --",
    "') UNION SELECT password_hash FROM accounts --",
    "%' OR email LIKE '%",
]
