"""End-to-end tests of the token service (AuthServer) over real HTTP: 503 when password hashing is
overloaded, bad settings and file modes, and the framework's errors (431, 413, 404, 405).
Shared helpers: token_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import SERVER_BIN, assert_json_error, server_env
from store_support import on_postgres
from token_support import PASSWORD, assert_account, assert_token_response, signup_and_login, unique_email

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


# --------------------------------------------------------------------------- overload


@pytest.mark.serial  # fills the hashing queue in time
def test_overloaded_hashing_answers_503_with_retry_after(auth_server_factory):
    server = auth_server_factory({
        "AUTH_HASH_CONCURRENCY": "1",
        "AUTH_HASH_QUEUE": "0",
        "AUTH_ARGON2_MEMORY_KIB": "65536",
        "AUTH_ARGON2_ITERATIONS": "3",
        "AUTH_LOCKOUT_THRESHOLD": "1000",
    })
    email = unique_email()
    assert server.signup(email, PASSWORD).status_code == 201

    n = 8
    barrier = threading.Barrier(n + 1)
    stop_probing = threading.Event()
    probe_results: list[tuple[str, int, float]] = []

    def login(_):
        barrier.wait(timeout=10)
        r = server.login(email, PASSWORD, timeout=30)
        body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else None
        return r.status_code, r.headers.get("Retry-After"), body

    def probe():
        barrier.wait(timeout=10)
        while not stop_probing.is_set():
            for path in ("/healthz", "/.well-known/jwks.json"):
                t0 = time.monotonic()
                r = server.get(path, timeout=5)
                probe_results.append((path, r.status_code, time.monotonic() - t0))
            time.sleep(0.01)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    try:
        with ThreadPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(login, range(n), timeout=60))
    finally:
        stop_probing.set()
        prober.join(timeout=10)

    statuses = [s for s, _, _ in results]
    overloaded = [(s, ra, b) for s, ra, b in results if s == 503]
    assert overloaded, f"no 503 among {statuses}"
    for _, retry_after, body in overloaded:
        assert body is not None and body.get("error") == "overloaded", body
        assert body.get("error_description")
        assert retry_after is not None and retry_after.isdigit() and int(retry_after) >= 1, retry_after
    assert all(s in (200, 503) for s in statuses), statuses
    assert statuses.count(200) >= 1, statuses

    assert probe_results, "health probes did not run"
    assert {p for p, _, _ in probe_results} == {"/healthz", "/.well-known/jwks.json"}
    assert all(code == 200 for _, code, _ in probe_results), probe_results
    assert max(dt for _, _, dt in probe_results) < 2.0, probe_results

    # Once the burst is over, logins work again.
    assert_token_response(server.login(email, PASSWORD, timeout=30))


# --------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    "env, args, setting",
    [
        ({"AUTH_PORT": "abc"}, [], "AUTH_PORT"),
        ({"AUTH_ACCESS_TTL": "-1"}, [], "AUTH_ACCESS_TTL"),
        ({"AUTH_JWS_ALG": "HS256"}, [], "AUTH_JWS_ALG"),
        ({}, ["--nope", "1"], "nope"),
        ({}, ["--port", "abc"], "port"),
        ({"AUTH_DRAIN_SECONDS": "-1"}, [], "AUTH_DRAIN_SECONDS"),
        ({"AUTH_RETENTION_DAYS": "7"}, [], "AUTH_RETENTION_DAYS"),
        ({"AUTH_CLIENTS": "web,bad id"}, [], "AUTH_CLIENTS"),
        ({"AUTH_DEFAULT_CLIENT_ID": "a/b"}, [], "AUTH_DEFAULT_CLIENT_ID"),
    ],
    ids=["port-abc", "access-ttl-negative", "jws-alg-hs256", "unknown-flag", "port-flag-abc", "drain-negative",
         "retention-shorter-than-sessions", "clients-malformed", "default-client-malformed"],
)
def test_bad_setting_exits_with_one_line(tmp_path, env, args, setting):
    full_env = server_env({"AUTH_DATABASE": str(tmp_path / "auth.sqlite"), "AUTH_PORT": "0", **env})
    t0 = time.monotonic()
    try:
        proc = subprocess.run([str(SERVER_BIN), *args], cwd=tmp_path, env=full_env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"server with bad setting {env or args} did not exit within 10 s")
    assert time.monotonic() - t0 < 5
    assert proc.returncode != 0
    assert proc.returncode == 64, proc.returncode
    stderr = proc.stderr.decode(errors="replace")
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {stderr!r}"
    assert setting.lower() in lines[0].lower(), lines[0]
    assert b"listening" not in proc.stdout


def test_key_file_and_database_mode_0600(auth_server):
    """The key file, and on SQLite the database and its companion files (PostgreSQL keeps no file here)."""
    signup_and_login(auth_server)  # make sure the database has been written to
    paths = [auth_server.key_path]
    if not on_postgres(auth_server.db_path):
        paths.append(auth_server.db_path)
        paths += [side for suffix in ("-wal", "-shm", "-journal")
                  if (side := auth_server.db_path.with_name(auth_server.db_path.name + suffix)).exists()]
    for path in paths:
        assert path.exists(), path
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o600, f"{path.name} has mode {oct(mode)}"


# --------------------------------------------------------------------------- framework errors


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Big": "a" * 17 * 1024},
        {f"X-Filler-{i}": "b" * 1024 for i in range(20)},
        {"X-Big": "a" * 96 * 1024},
        {f"X-Filler-{i}": "b" * 1024 for i in range(100)},
    ],
    ids=["one-17KiB-header", "20x1KiB-headers", "one-96KiB-header", "100x1KiB-headers"],
)
def test_headers_over_16kib_answer_431_json(auth_server, headers):
    r = auth_server.get("/healthz", headers=headers)
    assert_json_error(r, 431)
    # The server still answers afterwards.
    assert auth_server.get("/healthz").status_code == 200


def test_headers_under_16kib_are_fine(auth_server):
    r = auth_server.get("/healthz", headers={"X-Big": "a" * 15 * 1024})
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok"}


def test_body_over_64kib_answers_413_json(auth_server):
    body = json.dumps({"email": unique_email(), "password": "p" * (65 * 1024)}).encode()
    r = auth_server.post("/v1/accounts", data=body, headers={"Content-Type": "application/json"})
    assert_json_error(r, 413)

    form = {"grant_type": "password", "username": "x" * (70 * 1024), "password": PASSWORD}
    assert_json_error(auth_server.post("/v1/token", data=form), 413)


def test_chunked_body_over_64kib_answers_413_json(auth_server):
    body = json.dumps({"email": unique_email(), "password": "p" * (65 * 1024)}).encode()

    def chunks():  # no Content-Length: requests sends Transfer-Encoding: chunked
        for i in range(0, len(body), 4096):
            yield body[i:i + 4096]

    r = auth_server.post("/v1/accounts", data=chunks(), headers={"Content-Type": "application/json"})
    assert_json_error(r, 413)


def test_chunked_body_under_limit_works(auth_server):
    email = unique_email()
    body = json.dumps({"email": email, "password": PASSWORD}).encode()

    def chunks():
        for i in range(0, len(body), 7):
            yield body[i:i + 7]

    r = auth_server.post("/v1/accounts", data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    assert_account(r.json(), email)


def test_unknown_path_answers_404_json(auth_server):
    assert_json_error(auth_server.get("/no/such/path"), 404)
    assert_json_error(auth_server.post("/v1/nothing-here", json={}), 404)


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("GET", "/v1/token", {"POST"}),
        ("DELETE", "/healthz", {"GET"}),
        ("POST", "/.well-known/jwks.json", {"GET"}),
        ("PUT", "/v1/accounts", {"POST"}),
    ],
)
def test_wrong_method_answers_405_json_with_allow(auth_server, method, path, allowed):
    r = auth_server.request(method, path)
    assert_json_error(r, 405)
    allow = {m.strip().upper() for m in r.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= allow, f"Allow: {r.headers.get('Allow')!r}"
    assert method not in allow
