"""Black-box end-to-end tests of the token service (AuthServer) over real HTTP.

The contract is /work/shared/API.md ("Token service" and "Configuration").
Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from pathlib import Path
import requests
from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import KeySet, OKPKey
from joserfc.jwt import JWTClaimsRegistry

from conftest import SERVER_BIN, assert_json_error, server_env

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

PASSWORD = "correct horse battery"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


# --------------------------------------------------------------------------- helpers


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def assert_account(body: dict, email: str) -> None:
    assert set(body) == {"id", "email", "status", "created_at"}, body
    assert UUID_RE.match(body["id"]), body
    assert body["email"] == email.strip().lower()
    assert body["status"] == "active"
    assert RFC3339_UTC_RE.match(body["created_at"]), body
    created = datetime.strptime(body["created_at"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    assert abs(created.timestamp() - time.time()) < 120, body


def assert_token_response(resp: requests.Response, expires_in: int | None = 900) -> dict:
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("Content-Type", "").split(";")[0].strip() == "application/json"
    cache_control = [d.strip().lower() for d in resp.headers.get("Cache-Control", "").split(",")]
    assert "no-store" in cache_control, resp.headers
    body = resp.json()
    assert set(body) >= {"access_token", "token_type", "expires_in", "refresh_token"}, body
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int) and not isinstance(body["expires_in"], bool)
    if expires_in is not None:
        assert body["expires_in"] == expires_in
    assert isinstance(body["access_token"], str) and body["access_token"].count(".") == 2
    assert isinstance(body["refresh_token"], str) and len(body["refresh_token"]) >= 32
    return body


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def signup_and_login(server, email: str | None = None, password: str = PASSWORD) -> tuple[dict, dict]:
    email = email or unique_email()
    r = server.signup(email, password)
    assert r.status_code == 201, r.text
    account = r.json()
    tokens = assert_token_response(server.login(email, password), expires_in=None)
    return account, tokens


def jwks_of(server) -> dict:
    r = server.get("/.well-known/jwks.json")
    assert r.status_code == 200, r.text
    return r.json()


def verify_access_token(token: str, jwks: dict, *, algorithms: list[str], issuer: str, audience: str,
                        sub: str | None = None):
    """Verify as an RFC 9068 resource server would: signature with a JWKS key, alg, typ, iss, aud, times."""
    key_set = KeySet.import_key_set(jwks)
    decoded = jwt.decode(token, key_set, algorithms=algorithms)
    claims_options = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": audience},
        "sub": {"essential": True} if sub is None else {"essential": True, "value": sub},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "jti": {"essential": True},
        "sid": {"essential": True},
    }
    JWTClaimsRegistry(leeway=60, **claims_options).validate(decoded.claims)
    return decoded


# --------------------------------------------------------------------------- accounts and login


def test_signup_returns_201_account(auth_server):
    email = f"  Mixed.Case-{uuid.uuid4().hex[:8]}@Example.COM "
    r = auth_server.signup(email, PASSWORD)
    assert r.status_code == 201, r.text
    assert r.headers.get("Content-Type", "").split(";")[0].strip() == "application/json"
    account = r.json()
    assert_account(account, email)

    # Same email (another case) again: 409 account_exists.
    assert_json_error(auth_server.signup(email.strip().upper(), PASSWORD), 409, "account_exists")


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_login_password_grant(auth_server, as_json):
    email = unique_email()
    account = auth_server.signup(email, PASSWORD).json()
    r = auth_server.login(email.upper(), PASSWORD, as_json=as_json)
    tokens = assert_token_response(r, expires_in=900)

    me = auth_server.me(tokens["access_token"])
    assert me.status_code == 200, me.text
    assert me.json() == account


def test_login_with_email_field(auth_server):
    email = unique_email()
    auth_server.signup(email, PASSWORD)
    r = auth_server.post("/v1/token", data={"grant_type": "password", "email": email, "password": PASSWORD})
    assert_token_response(r)


def test_login_failures_are_invalid_grant(auth_server):
    email = unique_email()
    auth_server.signup(email, PASSWORD)
    wrong = assert_json_error(auth_server.login(email, "wrong password!"), 400, "invalid_grant")
    unknown = assert_json_error(auth_server.login(unique_email(), PASSWORD), 400, "invalid_grant")
    # Never tells whether the email exists.
    assert wrong == unknown


# --------------------------------------------------------------------------- access tokens


def test_access_token_verifies_with_jwks(auth_server_factory):
    issuer, audience, ttl = "https://auth.e2e.example", "e2e-audience", 600
    server = auth_server_factory({"AUTH_ISSUER": issuer, "AUTH_AUDIENCE": audience, "AUTH_ACCESS_TTL": str(ttl)})
    account, tokens = signup_and_login(server)
    assert tokens["expires_in"] == ttl

    jwks = jwks_of(server)
    assert jwks["keys"], jwks
    for jwk in jwks["keys"]:
        assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["use"] == "sig", jwk
        assert jwk["alg"] == "EdDSA" and jwk["kid"] and jwk["x"], jwk
        assert "d" not in jwk, "private key material in the JWKS"
        OKPKey.import_key(jwk)  # each key imports on its own
    kids = {jwk["kid"] for jwk in jwks["keys"]}

    before = int(time.time())
    token = verify_access_token(tokens["access_token"], jwks, algorithms=["EdDSA"], issuer=issuer,
                                audience=audience, sub=account["id"])
    assert token.header["alg"] == "EdDSA"
    assert token.header["typ"] == "at+jwt"
    assert token.header["kid"] in kids
    claims = token.claims
    assert claims["iss"] == issuer
    assert claims["sub"] == account["id"]
    assert claims["aud"] == audience or claims["aud"] == [audience]
    assert isinstance(claims["exp"], int) and isinstance(claims["iat"], int)
    assert claims["exp"] - claims["iat"] == ttl
    assert abs(claims["iat"] - before) <= 60
    assert UUID_RE.match(claims["jti"]) or claims["jti"]
    assert UUID_RE.match(claims["sid"]), claims

    # sid is the session id the sessions endpoint shows as current.
    r = server.get("/v1/sessions", headers=bearer(tokens["access_token"]))
    assert r.status_code == 200, r.text
    current = [s for s in r.json()["sessions"] if s["current"]]
    assert [s["id"] for s in current] == [claims["sid"]]

    # jti is unique; a second login is a second session.
    other = assert_token_response(server.login(account["email"], PASSWORD), expires_in=ttl)
    other_claims = verify_access_token(other["access_token"], jwks, algorithms=["EdDSA"], issuer=issuer,
                                       audience=audience, sub=account["id"]).claims
    assert other_claims["jti"] != claims["jti"]
    assert other_claims["sid"] != claims["sid"]

    # A tampered token does not verify.
    head, payload, sig = tokens["access_token"].split(".")
    forged_claims = dict(claims, sub=str(uuid.uuid4()))
    forged_payload = jwt_b64(json.dumps(forged_claims, separators=(",", ":")).encode())
    with pytest.raises(BadSignatureError):
        jwt.decode(f"{head}.{forged_payload}.{sig}", KeySet.import_key_set(jwks), algorithms=["EdDSA"])


def jwt_b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_access_token_default_issuer_and_audience(auth_server):
    account, tokens = signup_and_login(auth_server)
    assert tokens["expires_in"] == 900
    token = verify_access_token(tokens["access_token"], jwks_of(auth_server), algorithms=["EdDSA"],
                                issuer="http://127.0.0.1:8080", audience="listings", sub=account["id"])
    assert token.claims["exp"] - token.claims["iat"] == 900


def test_access_token_with_fully_specified_ed25519_alg(auth_server_factory):
    server = auth_server_factory({"AUTH_JWS_ALG": "Ed25519"})
    account, tokens = signup_and_login(server)
    jwks = jwks_of(server)
    token = verify_access_token(tokens["access_token"], jwks, algorithms=["Ed25519"],
                                issuer="http://127.0.0.1:8080", audience="listings", sub=account["id"])
    assert token.header["alg"] == "Ed25519"
    assert token.header["typ"] == "at+jwt"
    assert token.header["kid"] in {k["kid"] for k in jwks["keys"]}
    # Not accepted when the verifier only allows the other name: the header really says Ed25519.
    with pytest.raises(JoseError):
        jwt.decode(tokens["access_token"], KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    # The token service itself accepts its own tokens.
    assert server.me(tokens["access_token"]).status_code == 200


def test_bearer_errors(auth_server):
    r = auth_server.get("/v1/me")
    assert_json_error(r, 401, "invalid_token")
    challenge = r.headers.get("WWW-Authenticate", "")
    assert challenge.startswith("Bearer") and "error=" not in challenge, challenge

    r = auth_server.me("not.a.token")
    assert_json_error(r, 401, "invalid_token")
    assert 'error="invalid_token"' in r.headers.get("WWW-Authenticate", ""), r.headers


# --------------------------------------------------------------------------- refresh tokens


def test_refresh_rotation(auth_server):
    account, tokens = signup_and_login(auth_server)
    sid = jwt_claims(tokens["access_token"])["sid"]

    r1 = assert_token_response(auth_server.refresh(tokens["refresh_token"]))
    assert r1["refresh_token"] != tokens["refresh_token"]
    assert r1["access_token"] != tokens["access_token"]
    assert jwt_claims(r1["access_token"])["sid"] == sid  # same session
    me = auth_server.me(r1["access_token"])
    assert me.status_code == 200 and me.json()["id"] == account["id"]

    r2 = assert_token_response(auth_server.refresh(r1["refresh_token"]))
    assert len({tokens["refresh_token"], r1["refresh_token"], r2["refresh_token"]}) == 3
    assert auth_server.me(r2["access_token"]).status_code == 200

    assert_json_error(auth_server.refresh("no-such-refresh-token"), 400, "invalid_grant")


def jwt_claims(token: str) -> dict:
    """Claims without verification (for sid/jti bookkeeping only)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_refresh_reuse_after_grace_revokes_session(auth_server_factory):
    server = auth_server_factory({"AUTH_REFRESH_GRACE": "0"})
    account, tokens = signup_and_login(server)
    # A second, unrelated session of the same account must survive.
    other = assert_token_response(server.login(account["email"], PASSWORD))

    rotated = assert_token_response(server.refresh(tokens["refresh_token"]))
    assert server.me(rotated["access_token"]).status_code == 200

    # Reuse of the used-up token: 400 invalid_grant, and the whole session dies.
    assert_json_error(server.refresh(tokens["refresh_token"]), 400, "invalid_grant")
    assert_json_error(server.refresh(rotated["refresh_token"]), 400, "invalid_grant")
    for access_token in (rotated["access_token"], tokens["access_token"]):
        r = server.me(access_token)
        assert_json_error(r, 401, "invalid_token")
        assert 'error="invalid_token"' in r.headers.get("WWW-Authenticate", "")

    # The other session is untouched.
    assert server.me(other["access_token"]).status_code == 200
    assert_token_response(server.refresh(other["refresh_token"]))


def test_refresh_reuse_detected_a_second_later(auth_server_factory):
    """Reuse detection itself, away from any same-second boundary of the grace window."""
    server = auth_server_factory({"AUTH_REFRESH_GRACE": "0"})
    _, tokens = signup_and_login(server)
    rotated = assert_token_response(server.refresh(tokens["refresh_token"]))
    time.sleep(1.1)
    assert_json_error(server.refresh(tokens["refresh_token"]), 400, "invalid_grant")
    assert_json_error(server.refresh(rotated["refresh_token"]), 400, "invalid_grant")
    assert_json_error(server.me(rotated["access_token"]), 401, "invalid_token")


def test_refresh_within_grace_window_gives_each_caller_a_working_token(auth_server):
    _, tokens = signup_and_login(auth_server)  # default grace: 10 s
    first = assert_token_response(auth_server.refresh(tokens["refresh_token"]))
    second = assert_token_response(auth_server.refresh(tokens["refresh_token"]))
    for result in (first, second):
        assert auth_server.me(result["access_token"]).status_code == 200
        assert_token_response(auth_server.refresh(result["refresh_token"]))


# --------------------------------------------------------------------------- persistence


def test_restart_keeps_accounts_sessions_and_keys(auth_server):
    account, tokens = signup_and_login(auth_server)
    jwks_before = jwks_of(auth_server)

    auth_server.restart()  # SIGTERM, wait, start again on the same database (maybe another port)
    assert auth_server.proc.poll() is None

    # A token issued before the restart still passes /v1/me.
    me = auth_server.me(tokens["access_token"])
    assert me.status_code == 200, me.text
    assert me.json() == account

    # The signing key survived: the JWKS still has the old kid and the old token verifies against it.
    jwks_after = jwks_of(auth_server)
    assert {k["kid"] for k in jwks_before["keys"]} <= {k["kid"] for k in jwks_after["keys"]}
    verify_access_token(tokens["access_token"], jwks_after, algorithms=["EdDSA"],
                        issuer="http://127.0.0.1:8080", audience="listings", sub=account["id"])

    # The old refresh token still refreshes; login still works.
    refreshed = assert_token_response(auth_server.refresh(tokens["refresh_token"]))
    assert auth_server.me(refreshed["access_token"]).status_code == 200
    again = assert_token_response(auth_server.login(account["email"], PASSWORD))
    assert auth_server.me(again["access_token"]).status_code == 200
    assert jwt_claims(again["access_token"])["sub"] == account["id"]


def test_lockout_survives_a_restart(auth_server_factory):
    server = auth_server_factory({"AUTH_LOCKOUT_THRESHOLD": "2", "AUTH_LOCKOUT_BASE": "600"})
    account, _ = signup_and_login(server)
    for _ in range(2):
        assert_json_error(server.login(account["email"], "wrong password!"), 400, "invalid_grant")
    server.restart()
    locked = server.login(account["email"], PASSWORD)  # even the right password waits
    assert_json_error(locked, 429, "too_many_attempts")
    assert int(locked.headers["Retry-After"]) >= 1


# --------------------------------------------------------------------------- overload


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
    signup_and_login(auth_server)  # make sure the database has been written to
    for path in (auth_server.db_path, auth_server.key_path):
        assert path.exists(), path
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o600, f"{path.name} has mode {oct(mode)}"
    for suffix in ("-wal", "-shm", "-journal"):
        side = auth_server.db_path.with_name(auth_server.db_path.name + suffix)
        if side.exists():
            mode = stat.S_IMODE(os.stat(side).st_mode)
            assert mode == 0o600, f"{side.name} has mode {oct(mode)}"


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


# --------------------------------------------------------------------------- client docs


def test_the_python_verification_example_works(auth_server):
    """examples/verify_token.py, as docs/CLIENTS.md shows it, accepts our tokens and refuses tampered ones."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "verify_token", Path(__file__).resolve().parents[2] / "examples" / "verify_token.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    account, tokens = signup_and_login(auth_server)
    keys = example.fetch_keys(auth_server.base_url)
    claims = example.verify(tokens["access_token"], keys, issuer="http://127.0.0.1:8080")
    assert claims["sub"] == account["id"]
    header, payload, signature = tokens["access_token"].split(".")
    tampered = ".".join([header, payload, signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")])
    with pytest.raises(Exception):
        example.verify(tampered, keys, issuer="http://127.0.0.1:8080")
    with pytest.raises(Exception):
        example.verify(tokens["access_token"], keys, issuer="http://127.0.0.1:8080", audience="billing")
