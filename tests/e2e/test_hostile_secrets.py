"""Black-box abuse tests (issue 5): no password, token, hash or key in responses, server logs, the
audit log, `authctl` output or the database files, and key and database files are 0600.
Shared helpers: hostile_support.py.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile_secrets.py
"""

from __future__ import annotations

import json
import stat
import urllib.parse
import uuid

import requests

from conftest import assert_json_error, run_authctl
from hostile_support import NO_LOCKOUT, unique_email
from store_support import on_postgres, stored_text

HASH_MARK = "$argon2id$"


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

    # File modes (0600, also for SQLite's companion files; on PostgreSQL the key file alone) while the server runs.
    key_path = server.key_path
    files = [key_path] if on_postgres(server.db_path) else [key_path, server.db_path]
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
    companions = {p.name: stat.S_IMODE(p.stat().st_mode)
                  for p in server.workdir.glob(server.db_path.name + "-*") if p.exists()}
    assert modes == {p.name: 0o600 for p in files}, {k: oct(v) for k, v in modes.items()}
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
    # The database (SQLite's files, or a dump of the PostgreSQL tables) holds only hashes of passwords and
    # refresh tokens, and never the key-encryption key.
    stored = {k: v for k, v in {**secrets, **token_secrets}.items() if not k.startswith("access token")}
    leaks += [f"the database: {hit}" for hit in find_secrets(stored_text(server.db_path), stored)]

    assert not leaks, f"{len(leaks)} secret(s) where they should not be:\n" + "\n".join(leaks)
