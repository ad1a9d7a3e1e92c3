"""Black-box abuse tests (issue 5): no secret anywhere it shouldn't be, and hostile HTTP.

Both built servers run as real processes on 127.0.0.1 (conftest.py); requests go over real HTTP,
through `requests` or, where a request must be malformed or slow, through raw sockets. Every
socket has a timeout and every loop a bound in count and time.
The contract is /work/shared/API.md ("Conventions", "Token service", "Admin CLI").
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile.py
"""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass

import pytest
import requests

from conftest import assert_json_error, run_authctl

PASSWORD = "correct horse battery"
HASH_MARK = "$argon2id$"
SOCKET_TIMEOUT = 10.0  # every raw socket
QUICK = 5.0  # seconds within which a hostile request must be answered (or the connection closed)
# These tests fail many logins on purpose: lift the brute-force throttling (tested elsewhere).
NO_LOCKOUT = {"AUTH_LOCKOUT_THRESHOLD": "1000", "AUTH_LOCKOUT_ACCOUNT_THRESHOLD": "100000"}


# --------------------------------------------------------------------------- helpers


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
    doc = json.loads(body)
    assert isinstance(doc, dict), doc
    assert isinstance(doc.get("error"), str) and re.fullmatch(r"[a-z][a-z0-9_]*", doc["error"]), doc
    assert isinstance(doc.get("error_description"), str) and doc["error_description"], doc
    if code is not None:
        assert doc["error"] == code, doc
    return doc


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


# --------------------------------------------------------------------------- no secret anywhere


CANARY = "Secret-Canary-7f3a"
PW_ONE = CANARY + "91c2-password-one"
PW_DUP = CANARY + "92d4-password-dup"
PW_WRONG = CANARY + "93e6-password-wrong"
PW_UNKNOWN = CANARY + "94f8-password-unknown-email"
PW_NEW = CANARY + "95a0-password-new"
PW_WRONG_CURRENT = CANARY + "96b2-password-wrong-current"
PW_TOO_LONG = CANARY + "97c4-too-long-" + "x" * 1100
PW_SHORT = "Sc7f3a!"  # 7 characters: too short, still distinctive
BOGUS_REFRESH = CANARY + "98d6-bogus-refresh-token"
BOGUS_BEARER = CANARY + "99e8-bogus-bearer-token"


def find_secrets(text: str, secrets: dict[str, str]) -> list[str]:
    """The names of the secrets found in `text`, with a little context."""
    hits = []
    for name, secret in secrets.items():
        index = text.find(secret)
        if index >= 0:
            hits.append(f"{name} at …{text[max(0, index - 60):index + len(secret) + 20]!r}…")
    return hits


def response_text(resp: requests.Response) -> str:
    head = f"HTTP {resp.status_code}\n" + "\n".join(f"{k}: {v}" for k, v in resp.headers.items())
    return head + "\n\n" + resp.content.decode("utf-8", errors="replace")


def test_no_secret_in_logs_error_bodies_audit_or_cli(auth_server_factory):
    # Reuse is only detected past the grace window; the most verbose logging the server offers
    # (a server that does not know AUTH_LOG_LEVEL ignores it).
    server = auth_server_factory({**NO_LOCKOUT, "AUTH_REFRESH_GRACE": "0", "AUTH_LOG_LEVEL": "trace"})
    email = unique_email("canary")
    responses: list[tuple[str, requests.Response]] = []
    issued: list[dict] = []  # token responses

    def call(what: str, resp: requests.Response, status: int, code: str | None = None) -> requests.Response:
        responses.append((what, resp))
        if status >= 400:
            assert_json_error(resp, status, code)
        else:
            assert resp.status_code == status, f"{what}: expected {status}, got {resp.status_code}: {resp.text!r}"
        return resp

    def token_call(what: str, resp: requests.Response) -> dict:
        call(what, resp, 200)
        body = resp.json()
        issued.append(body)
        return body

    # Accounts.
    call("signup", server.signup(email, PW_ONE), 201)
    call("signup again", server.signup(email.upper(), PW_DUP), 409, "account_exists")
    call("signup too long", server.signup(unique_email(), PW_TOO_LONG), 422, "weak_password")
    call("signup too short", server.signup(unique_email(), PW_SHORT), 422, "weak_password")
    call("signup malformed JSON", server.post("/v1/accounts", data=f'{{"email": "{email}", "password": "{PW_ONE}"',
                                              headers={"Content-Type": "application/json"}), 400, "invalid_request")
    call("signup password of the wrong type",
         server.post("/v1/accounts", json={"email": email, "password": [PW_ONE]}), 400, "invalid_request")

    # Logins, refresh, reuse, revoke.
    form = token_call("login form", server.login(email, PW_ONE))
    as_json = token_call("login JSON", server.login(email, PW_ONE, as_json=True))
    call("wrong password", server.login(email, PW_WRONG), 400, "invalid_grant")
    call("wrong password JSON", server.login(email, PW_WRONG, as_json=True), 400, "invalid_grant")
    call("unknown email", server.login(unique_email("nobody"), PW_UNKNOWN), 400, "invalid_grant")
    call("login without grant_type", server.post("/v1/token", data={"username": email, "password": PW_ONE}),
         400, "invalid_request")
    call("login with an unknown grant", server.post("/v1/token", data={"grant_type": "magic", "password": PW_ONE}),
         400, "unsupported_grant_type")
    call("login password twice",
         server.post("/v1/token", data=f"grant_type=password&username={urllib.parse.quote(email)}"
                                       f"&password={PW_ONE}&password={PW_WRONG}",
                     headers={"Content-Type": "application/x-www-form-urlencoded"}), 400, "invalid_request")
    refreshed = token_call("refresh", server.refresh(form["refresh_token"]))
    call("refresh reuse", server.refresh(form["refresh_token"]), 400, "invalid_grant")
    call("refresh after reuse", server.refresh(refreshed["refresh_token"]), 400, "invalid_grant")
    call("refresh bogus", server.refresh(BOGUS_REFRESH), 400, "invalid_grant")
    call("revoke", server.post("/v1/revoke", data={"token": as_json["refresh_token"],
                                                   "token_type_hint": "refresh_token"}), 200)
    call("revoke bogus", server.post("/v1/revoke", data={"token": BOGUS_REFRESH}), 200)
    call("refresh revoked", server.refresh(as_json["refresh_token"]), 400, "invalid_grant")

    # Bearer endpoints.
    main = token_call("login for sessions", server.login(email, PW_ONE))
    other = token_call("login for a second session", server.login(email, PW_ONE))
    access = main["access_token"]
    call("me", server.me(access), 200)
    call("me with a bogus token", server.me(BOGUS_BEARER), 401, "invalid_token")
    call("me with a revoked session's token", server.me(refreshed["access_token"]), 401, "invalid_token")
    sessions = call("sessions", server.get("/v1/sessions", access), 200).json()["sessions"]
    other_sid = next(s["id"] for s in sessions if not s["current"])
    call("delete a session", server.delete(f"/v1/sessions/{other_sid}", access), 204)
    call("delete an unknown session", server.delete(f"/v1/sessions/{uuid.uuid4()}", access), 404, "not_found")
    call("me with the deleted session's token", server.me(other["access_token"]), 401, "invalid_token")

    # Password change.
    call("password change, wrong current", server.post(
        "/v1/password", access, json={"current_password": PW_WRONG_CURRENT, "new_password": PW_NEW}),
        400, "invalid_grant")
    call("password change, weak new", server.post(
        "/v1/password", access, json={"current_password": PW_ONE, "new_password": PW_SHORT}), 422, "weak_password")
    call("password change, too long new", server.post(
        "/v1/password", access, json={"current_password": PW_ONE, "new_password": PW_TOO_LONG}),
        422, "weak_password")
    call("password change", server.post(
        "/v1/password", access, json={"current_password": PW_ONE, "new_password": PW_NEW}), 204)
    call("old password", server.login(email, PW_ONE), 400, "invalid_grant")
    fresh = token_call("new password", server.login(email, PW_NEW))

    # Logout, local then global.
    call("logout local", server.post("/v1/logout", fresh["access_token"], json={"scope": "local"}), 204)
    call("logout bad scope", server.post("/v1/logout", access, json={"scope": PW_NEW}), 400, "invalid_request")
    first = token_call("login before global logout", server.login(email, PW_NEW, as_json=True))
    token_call("another login", server.login(email, PW_NEW))
    call("logout global", server.post("/v1/logout", first["access_token"], json={"scope": "global"}), 204)
    call("me after global logout", server.me(first["access_token"]), 401, "invalid_token")
    call("sessions after global logout", server.get("/v1/sessions", first["access_token"]), 401, "invalid_token")

    # Public endpoints, and the framework's own errors.
    call("jwks", server.get("/.well-known/jwks.json"), 200)
    call("metadata", server.get("/.well-known/oauth-authorization-server"), 200)
    call("healthz", server.get("/healthz"), 200)
    call("readyz", server.get("/readyz"), 200)
    call("metrics", server.get("/metrics"), 200)
    call("404", server.get("/v1/no-such-endpoint", access), 404)
    call("405", server.request("PUT", "/v1/token", data={"password": PW_ONE}), 405)

    # File modes (0600, also for SQLite's companion files) while the server runs.
    key_path = server.key_path
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [key_path, server.db_path]}
    companions = {p.name: stat.S_IMODE(p.stat().st_mode)
                  for p in server.workdir.glob(server.db_path.name + "-*") if p.exists()}
    assert modes == {key_path.name: 0o600, server.db_path.name: 0o600}, {k: oct(v) for k, v in modes.items()}
    assert all(mode & 0o077 == 0 for mode in companions.values()), {k: oct(v) for k, v in companions.items()}

    assert server.stop() is not None
    kek = key_path.read_text().strip()

    secrets = {
        "password one": PW_ONE, "duplicate signup password": PW_DUP, "wrong password": PW_WRONG,
        "unknown-email password": PW_UNKNOWN, "new password": PW_NEW, "wrong current password": PW_WRONG_CURRENT,
        "too-long password": PW_TOO_LONG[:60], "short password": PW_SHORT, "bogus refresh token": BOGUS_REFRESH,
        "bogus bearer token": BOGUS_BEARER, "canary prefix": CANARY, "key-encryption key": kek,
    }
    token_secrets = {}
    for n, body in enumerate(issued):
        token_secrets[f"access token {n}"] = body["access_token"]
        token_secrets[f"access token {n} signature"] = body["access_token"].rsplit(".", 1)[-1]
        token_secrets[f"refresh token {n}"] = body["refresh_token"]
    everything = {**secrets, **token_secrets, "password hash": HASH_MARK}

    leaks = []
    # Response bodies and headers: a token response carries its own two tokens, nothing else.
    for what, resp in responses:
        text = response_text(resp)
        if resp.request.path_url == "/v1/token" and resp.status_code == 200:
            own = resp.json()
            text = text.replace(own["access_token"], "<own access token>").replace(own["refresh_token"], "<own refresh>")
        leaks += [f"response to {what}: {hit}" for hit in find_secrets(text, everything)]
    # The server's logs.
    for log in sorted(server.workdir.glob("std*.log")):
        leaks += [f"{log.name}: {hit}" for hit in find_secrets(log.read_text(errors="replace"), everything)]
    # The audit log (and it did record this session's life).
    audit = run_authctl("audit", "--json", "--limit", "1000", database=server.db_path)
    assert audit.returncode == 0, audit.stderr
    leaks += [f"authctl audit --json: {hit}" for hit in find_secrets(audit.stdout + audit.stderr, everything)]
    events = {event.get("event") for event in json.loads(audit.stdout)}
    assert {"signup", "login_succeeded", "login_failed"} <= events, events
    human_audit = run_authctl("audit", "--limit", "1000", database=server.db_path)
    assert human_audit.returncode == 0, human_audit.stderr
    leaks += [f"authctl audit: {hit}" for hit in find_secrets(human_audit.stdout + human_audit.stderr, everything)]
    # Other admin commands: no hash there either.
    for args in (["users", "list", "--json"], ["users", "show", email, "--json"], ["users", "show", email],
                 ["sessions", "list", email, "--json"], ["hashes"], ["keys", "list", "--json"]):
        result = run_authctl(*args, database=server.db_path)
        assert result.returncode == 0, (args, result.stderr)
        leaks += [f"authctl {' '.join(args)}: {hit}" for hit in find_secrets(result.stdout + result.stderr, everything)]
    # The export is the one place a hash belongs; still no password or token.
    export = run_authctl("export", database=server.db_path)
    assert export.returncode == 0, export.stderr
    assert HASH_MARK in export.stdout, export.stdout[:500]
    leaks += [f"authctl export: {hit}" for hit in find_secrets(export.stdout + export.stderr, {**secrets, **token_secrets})]
    # The database holds only hashes of passwords and refresh tokens, and never the key-encryption key.
    stored = {k: v for k, v in {**secrets, **token_secrets}.items() if not k.startswith("access token")}
    for path in sorted(server.workdir.glob(server.db_path.name + "*")):
        data = path.read_bytes().decode("latin-1")
        leaks += [f"{path.name}: {hit}" for hit in find_secrets(data, stored)]

    assert not leaks, f"{len(leaks)} secret(s) where they should not be:\n" + "\n".join(leaks)


# --------------------------------------------------------------------------- hostile HTTP: headers


def test_huge_headers_are_431_or_refused(server):
    port = server.port

    def one_big_header(size: int) -> bytes:
        return http_bytes("GET", "/healthz", {"X-Big": "a" * size})

    def many_headers(total: int) -> bytes:
        return http_bytes("GET", "/healthz", {f"X-H{i}": "b" * 190 for i in range(total // 200)})

    # Over 16 KiB in all: 431 with the JSON body (a single field, or many fields).
    check_raw_error(timed(raw_request, port, one_big_header(17 * 1024)), statuses=[431])
    check_raw_error(timed(raw_request, port, many_headers(17 * 1024 + 400)), statuses=[431])
    # Far over: a 4xx JSON answer or a closed connection, quickly.
    check_raw_error(timed(raw_request, port, one_big_header(200 * 1024)), closed_ok=True)
    check_raw_error(timed(raw_request, port, many_headers(200 * 1024)), closed_ok=True)
    # Through requests as well (the header of an authenticated call).
    r = timed(server.get, "/v1/me", "x" * (20 * 1024))
    check_resp_error(r, statuses=[431])
    # Just under the limit is fine.
    resp = timed(raw_request, port, one_big_header(15 * 1024))
    assert resp is not None and resp.status == 200, resp
    assert_serving(server)


def test_many_small_header_fields_and_malformed_heads(server):
    port = server.port
    cases = [
        http_bytes("GET", "/healthz", {f"X-F{i}": "1" for i in range(1000)}),  # 1000 fields, ~10 KiB
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a\x00b\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Name: 1\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde",
        b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        b"GET /" + b"a" * (20 * 1024) + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(64),  # a TLS ClientHello on plain HTTP
        b"GARBAGE\r\n\r\n",
    ]
    check_all(cases, lambda data: check_raw_error(timed(raw_request, port, data), closed_ok=True))
    assert_serving(server)


# --------------------------------------------------------------------------- hostile HTTP: slow clients


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


def test_slowloris_headers_do_not_starve_others(server):
    start = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    sockets, _, errors = run_slow_clients(server, [start] * 20, interval=0.5, rounds=10, payload=b"a")
    try:
        # Each slow client finishes its request: a 200, a 4xx JSON, or a connection the server closed.
        def finish(n_sock):
            n, sock = n_sock
            try:
                sock.sendall(b"\r\nConnection: close\r\n\r\n")
            except OSError:
                return
            resp = read_response(sock, timeout=QUICK)
            if resp is not None and resp.status != 200:
                check_raw_error(resp)
        check_all(list(enumerate(sockets)), finish)
    finally:
        for sock in sockets:
            sock.close()
    assert_serving(server)


def test_slow_bodies_do_not_starve_others(server):
    body = json.dumps({"grant_type": "password", "username": "slow@example.com", "password": "slow-but-wrong"})
    padding = 40  # leading whitespace is valid JSON
    start = http_bytes("POST", "/v1/token", {"Content-Type": "application/json"}, content_length=padding + len(body))
    # 10 clients promise the body and trickle it, 1 byte every 0.1 s for about 4 s.
    sockets, sent, errors = run_slow_clients(server, [start] * 10, interval=0.1, rounds=padding, payload=b" ")
    try:
        def finish(n):
            # Complete the promised body: the wrong-password answer, or a connection the server dropped.
            try:
                sockets[n].sendall(b" " * (padding - sent[n]) + body.encode())
            except OSError:
                return
            check_raw_error(read_response(sockets[n], timeout=QUICK), statuses=[400], code="invalid_grant",
                            closed_ok=True)
        check_all(range(len(sockets)), finish)
    finally:
        for sock in sockets:
            sock.close()
    assert_serving(server)


def test_truncated_and_oversized_bodies(server):
    port = server.port

    def stalled(path: str, promised: int, sent: bytes, content_type="application/json"):
        """Promise `promised` bytes, send `sent`, then half-close: the server must not hang or 5xx."""
        with socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT) as sock:
            sock.sendall(http_bytes("POST", path, {"Content-Type": content_type}, content_length=promised) + sent)
            sock.shutdown(socket.SHUT_WR)
            return read_response(sock, QUICK)

    cases = [
        lambda: stalled("/v1/accounts", 1000, b'{"email": "a'),
        lambda: stalled("/v1/token", 1000, b"grant_type=password&username=a",
                        "application/x-www-form-urlencoded"),
        lambda: stalled("/v1/revoke", 50, b"token=abc", "application/x-www-form-urlencoded"),
        # A huge promise is refused at once (413), without waiting for the body.
        lambda: raw_request(port, http_bytes("POST", "/v1/accounts", {"Content-Type": "application/json"},
                                             content_length=10_000_000) + b"{", timeout=QUICK),
        lambda: raw_request(port, http_bytes("POST", "/v1/token", {"Content-Type": "application/json"},
                                             content_length=2**62) + b"{", timeout=QUICK),
        # A chunked body over the limit.
        lambda: raw_request(port, b"POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                                  b"\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + b"".join(b"4000\r\n" + b" " * 0x4000 + b"\r\n" for _ in range(6)) + b"0\r\n\r\n",
                            timeout=QUICK),
    ]

    def check(case):
        resp = timed(case)
        check_raw_error(resp, closed_ok=True)

    check_all(cases, check)
    # The oversized promise is a 413, not just a closed connection.
    resp = raw_request(port, http_bytes("POST", "/v1/accounts", {"Content-Type": "application/json"},
                                        content_length=10_000_000) + b"{", timeout=QUICK)
    check_raw_error(resp, statuses=[413])
    assert_serving(server)


# --------------------------------------------------------------------------- hostile HTTP: JSON bombs


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


@pytest.mark.parametrize("path", ["/v1/accounts", "/v1/token"])
def test_json_bombs_are_4xx_quickly(server, path):
    cases = [(name, chunked) for name in JSON_BOMBS for chunked in (False, True)]

    def check(case):
        name, chunked = case
        resp = post_bomb(server, path, JSON_BOMBS[name], chunked)
        if resp is not None or not chunked:
            assert resp is not None, "connection closed without an answer"
            check_resp_error(resp)
    check_all(cases, check)
    # The bodies under the limit reach the decoder: 400 invalid_request exactly.
    check_all([n for n in JSON_BOMBS if "under the limit" in n or "one name" in n],
              lambda name: check_resp_error(post_bomb(server, path, JSON_BOMBS[name]), statuses=[400],
                                            code="invalid_request"))
    assert_serving(server)


# --------------------------------------------------------------------------- hostile HTTP: encodings


def test_invalid_utf8_and_nul_bytes(server):
    email, _ = signup_and_login(server)
    json_ct = {"Content-Type": "application/json"}
    form_ct = {"Content-Type": "application/x-www-form-urlencoded"}
    valid_pw = PASSWORD.encode()

    def signup_raw(email_bytes: bytes, password_bytes: bytes = valid_pw):
        return server.post("/v1/accounts", data=b'{"email":"' + email_bytes + b'","password":"'
                                + password_bytes + b'"}', headers=json_ct)

    def login_json_raw(user: bytes, password: bytes):
        return server.post("/v1/token", data=b'{"grant_type":"password","username":"' + user
                                + b'","password":"' + password + b'"}', headers=json_ct)

    def form(body: bytes, path="/v1/token"):
        return server.post(path, data=body, headers=form_ct)

    malformed_json = [  # not valid UTF-8 JSON: 400 invalid_request
        signup_raw(b"\xff\xfe@example.com"),
        signup_raw(b"ok-" + uuid.uuid4().hex.encode() + b"@example.com", b"pass\xc3\x28word-long"),
        signup_raw(b"\xed\xa0\x80@example.com"),  # an encoded surrogate
        signup_raw(b"\xc0\xafoverlong@example.com"),
        signup_raw(b"a\x00b@example.com"),  # a raw NUL inside a JSON string
        signup_raw(b"nul-" + uuid.uuid4().hex.encode() + b"@example.com", b"pass\x00word-long"),
        login_json_raw(email.encode(), b"\xff\xff\xff\xff\xff\xff\xff\xff"),
        login_json_raw(b"\x80\x81@example.com", valid_pw),
        login_json_raw(email.encode(), b"\x00" * 10),
        server.post("/v1/token", data=b"\xef\xbb\xbf\xff" + json.dumps({"grant_type": "password"}).encode(),
                         headers=json_ct),
        server.post("/v1/revoke", data=b'{"token":"\xff\xfe"}', headers=json_ct),
        server.post("/v1/accounts", data=b"\x00" * 100, headers=json_ct),
    ]
    others = [  # any 4xx JSON error
        signup_raw(b"a\\u0000b@example.com"),  # an escaped NUL in the email
        signup_raw(b"\\u0000@example.com"),
        signup_raw(b"\\udc00\\ud800@example.com"),  # lone surrogates, escaped
        login_json_raw(email.encode(), b"\\u0000"),
        login_json_raw(b"\\u0000" + email.encode(), valid_pw),
        form(b"grant_type=password&username=%FF%FE%40example.com&password=correct+horse+battery"),
        form(b"grant_type=password&username=" + urllib.parse.quote(email).encode() + b"&password=%C3%28%FF%FF%FF%FF"),
        form(b"grant_type=password&username=\xff\xfe%40example.com&password=\xff\xff\xff\xff\xff\xff\xff\xff"),
        form(b"grant_type=password&username=" + urllib.parse.quote(email).encode() + b"&password=%00%00%00%00%00%00%00%00"),
        form(b"grant_type=password&username=%00&password=%00"),
        form(b"grant_type=refresh_token&refresh_token=%FF%00%FE"),
        form(b"grant_type=refresh_token&refresh_token=\x00\xff"),
        form(b"grant_type=%00password&username=a&password=b"),
        form(b"%FF=1&grant_type=password"),
        form(b"grant_type=password&username=%ZZ&password=%"),
        form(b"token=%FF%FE%00", path="/v1/revoke"),
    ]
    check_all(malformed_json, lambda r: check_resp_error(r, statuses=[400], code="invalid_request"))
    check_all(others, check_resp_error)

    # Bearer tokens and paths with such bytes: 401 / 404, never 5xx.
    port = server.port
    raw_cases = [
        (http_bytes("GET", "/v1/me", {"Authorization": b"Bearer \xff\xfe\xfd"}), [401]),
        (http_bytes("GET", "/v1/me", {"Authorization": b"Bearer a.\xff.b"}), [401]),
        (http_bytes("GET", "/v1/sessions", {"Authorization": b"Bearer %00"}), [401]),
        (http_bytes("GET", "/v1/me", {"Authorization": b"Bearer " + b"\x80" * 300}), [401]),
        (http_bytes("GET", "/v1/%FF%FE"), [404]),
        (http_bytes("GET", "/v1/%00"), [404]),
        (http_bytes("GET", "/v1/me/\xff\xfe".encode("latin-1")), range(400, 500)),
        (http_bytes("DELETE", "/v1/sessions/%FF%00", {"Authorization": "Bearer x"}), [401]),
    ]
    check_all(raw_cases, lambda case: check_raw_error(timed(raw_request, port, case[0]), statuses=case[1]))

    # A password with an (escaped) NUL is a Unicode password like any other: if the signup is
    # accepted, the whole password counts, not a C string cut at the NUL.
    nul_email = unique_email("nul")
    r = server.post("/v1/accounts", json={"email": nul_email, "password": "Canary-nul-pass\u0000tail-A"})
    if r.status_code == 201:
        assert server.login(nul_email, "Canary-nul-pass\u0000tail-A", as_json=True).status_code == 200
        for wrong in ("Canary-nul-pass\u0000tail-B", "Canary-nul-pass", "Canary-nul-pass\u0000"):
            assert_json_error(server.login(nul_email, wrong, as_json=True), 400, "invalid_grant")
    else:
        check_resp_error(r)

    # A user agent with invalid UTF-8 is stored with the session; the session list stays valid JSON.
    body = urllib.parse.urlencode({"grant_type": "password", "username": email, "password": PASSWORD}).encode()
    resp = timed(raw_request, port, http_bytes(
        "POST", "/v1/token", {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": b"evil\xff\xfe\xc3("},
        body))
    assert resp is not None and resp.status in (200, 400), resp
    if resp.status == 200:
        token = resp.json()["access_token"]
        r = server.get("/v1/sessions", token)
        assert r.status_code == 200, r.text
        assert isinstance(r.json()["sessions"], list)
    else:
        check_raw_error(resp)
    audit = run_authctl("audit", "--json", database=server.db_path)
    assert audit.returncode == 0, audit.stderr
    json.loads(audit.stdout)
    assert_serving(server)


# --------------------------------------------------------------------------- hostile HTTP: SQL-looking strings


SQL_STRINGS = [
    "' OR 1=1 --",
    '"; DROP TABLE accounts; --',
    "' OR '1'='1",
    "1; DELETE FROM sessions; --",
    "') UNION SELECT password_hash FROM accounts --",
    "%' OR email LIKE '%",
]


def test_sql_looking_strings_are_plain_data(server):
    victim, tokens = signup_and_login(server)
    access = tokens["access_token"]
    before = users_list(server)
    assert victim in [u["email"] for u in before]

    cases = []
    for s in SQL_STRINGS:
        q = urllib.parse.quote(s, safe="")
        cases += [
            (f"signup email {s!r}", lambda s=s: server.signup(s, PASSWORD), [422], "invalid_email"),
            (f"login username {s!r}", lambda s=s: server.login(s, s), [400], "invalid_grant"),
            (f"login JSON username {s!r}", lambda s=s: server.login(s + "@example.com", PASSWORD, as_json=True),
             [400], "invalid_grant"),
            (f"login password {s!r}", lambda s=s: server.login(victim, s), [400], "invalid_grant"),
            (f"login victim + {s!r}", lambda s=s: server.login(victim + s, PASSWORD), [400], "invalid_grant"),
            (f"refresh {s!r}", lambda s=s: server.refresh(s), [400], "invalid_grant"),
            (f"grant_type {s!r}", lambda s=s: server.post("/v1/token", data={"grant_type": s}),
             [400], "unsupported_grant_type"),
            (f"bearer {s!r}", lambda s=s: server.me(s), [401], "invalid_token"),
            (f"session id {s!r}", lambda q=q: server.delete(f"/v1/sessions/{q}", access), [404], "not_found"),
            (f"current password {s!r}", lambda s=s: server.post(
                "/v1/password", access, json={"current_password": s, "new_password": "another fine pw"}),
             [400], "invalid_grant"),
            (f"logout scope {s!r}", lambda s=s: server.post("/v1/logout", access, json={"scope": s}),
             [400], "invalid_request"),
        ]

    def check(case):
        _, fn, statuses, code = case
        check_resp_error(timed(fn), statuses=statuses, code=code)
    check_all(cases, check)

    # RFC 7009: revoking any string is 200 {} (and must not revoke anything else).
    for s in SQL_STRINGS:
        r = server.post("/v1/revoke", data={"token": s})
        assert r.status_code == 200 and r.json() == {}, r.text
    assert server.me(access).status_code == 200
    assert server.refresh(tokens["refresh_token"]).status_code == 200

    # A well-formed email with SQL in its local part is plain data: stored as given (lowercased).
    sql_email = f"robert'); drop table accounts;--{uuid.uuid4().hex[:6]}@example.com"
    r = server.signup(sql_email, PASSWORD)
    if r.status_code == 201:
        assert r.json()["email"] == sql_email
        assert server.login(sql_email, PASSWORD).status_code == 200
    else:
        check_resp_error(r, statuses=[422], code="invalid_email")

    assert_serving(server)
    after = users_list(server)
    emails = [u["email"] for u in after]
    assert {u["email"] for u in before} <= set(emails), emails
    assert len(after) == len(before) + (2 if r.status_code == 201 else 1), emails  # + the assert_serving account


# --------------------------------------------------------------------------- hostile HTTP: the listings service


def test_listings_service_under_hostile_requests(linked_servers):
    auth, listings = linked_servers
    _, tokens = signup_and_login(auth)
    token = tokens["access_token"]
    r = listings.create(token, title="Survivor", price_cents=100)
    assert r.status_code == 201, r.text
    survivor = r.json()
    port = listings.port

    # Headers.
    check_raw_error(timed(raw_request, port, http_bytes("GET", "/healthz", {"X-Big": "a" * 17 * 1024})),
                    statuses=[431])
    check_raw_error(timed(raw_request, port, http_bytes("GET", "/v1/listings", {"X-Big": "a" * 200 * 1024})),
                    closed_ok=True)
    check_resp_error(timed(listings.get, "/v1/listings", "x" * 20 * 1024), statuses=[431])

    # JSON bombs and broken encodings to POST /v1/listings.
    bombs = dict(JSON_BOMBS)
    bombs["invalid UTF-8 title"] = b'{"title": "\xff\xfe", "price_cents": 1}'
    bombs["raw NUL in title"] = b'{"title": "a\x00b", "price_cents": 1}'
    bombs["NUL bytes"] = b"\x00" * 64

    def check_bomb(name):
        resp = post_bomb(listings, "/v1/listings", bombs[name], token=token)
        assert resp is not None, "connection closed without an answer"
        check_resp_error(resp)
    check_all(list(bombs), check_bomb)
    check_all(["invalid UTF-8 title", "raw NUL in title", "NUL bytes", "5,000 fields (under the limit)",
               "30,000-deep array (under the limit)"],
              lambda name: check_resp_error(post_bomb(listings, "/v1/listings", bombs[name], token=token),
                                            statuses=[400], code="invalid_request"))

    # SQL-looking strings: 400 for list parameters, 404 for ids, and stored as plain text in a title.
    cases = []
    for s in SQL_STRINGS:
        q = urllib.parse.quote(s, safe="")
        cases += [
            (lambda s=s: listings.list(token, cursor=s), [400], "invalid_request"),
            (lambda s=s: listings.list(token, status=s), [400], "invalid_request"),
            (lambda s=s: listings.list(token, limit=s), [400], "invalid_request"),
            (lambda q=q: listings.get(f"/v1/listings/{q}", token), [404], None),
            (lambda q=q: listings.patch(f"/v1/listings/{q}", token, json={"title": "x"}), [404], None),
            (lambda q=q: listings.delete(f"/v1/listings/{q}", token), [404], None),
            (lambda s=s: listings.patch(f"/v1/listings/{survivor['id']}", token, json={"status": s}),
             [422], "invalid_listing"),
            (lambda s=s: listings.get("/v1/listings", s), [401], "invalid_token"),
        ]
    check_all(cases, lambda case: check_resp_error(timed(case[0]), statuses=case[1], code=case[2]))
    for s in SQL_STRINGS:
        r = listings.create(token, title=s, description=s, price_cents=1)
        assert r.status_code == 201, r.text
        assert (r.json()["title"], r.json()["description"]) == (s.strip(), s), r.json()

    # Slow headers on the listings service do not starve others either.
    start = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    sockets, _, _ = run_slow_clients(listings, [start] * 10, interval=0.5, rounds=5, payload=b"a")
    for sock in sockets:
        sock.close()

    # Still serving, everything intact.
    assert listings.get("/healthz").status_code == 200
    r = listings.get(f"/v1/listings/{survivor['id']}", token)
    assert r.status_code == 200 and r.json() == survivor, r.text
    r = listings.list(token, limit=100)
    assert r.status_code == 200, r.text
    assert len(r.json()["listings"]) == 1 + len(SQL_STRINGS), r.json()
