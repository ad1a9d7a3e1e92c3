"""Shared helpers and fixtures for the test_authctl_*.py end-to-end tests of the admin CLI (authctl),
alone and against a running AuthServer.

The contract is /work/shared/API.md ("Admin CLI (authctl)"): options follow the subcommand, data on
stdout and messages on stderr, exit 0 on success, otherwise 64 usage, 65 bad data, 66 no input or
1 other, with a one-line reason on stderr; passwords are read from stdin, one line.
Not a test module; the tests import it as `from authctl_support import ...`.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import requests

from conftest import ok, ok_json, run_authctl, show

PASSWORD = "correct horse battery"
# The cheapest argon2id, so that `users create` and `users set-password` take milliseconds.
AUTHCTL_ENV = {"AUTH_ARGON2_MEMORY_KIB": "64", "AUTH_ARGON2_ITERATIONS": "1"}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# Any standard password-hash string (PHC argon2/scrypt/pbkdf2, modular-crypt bcrypt/sha-crypt).
HASH_RE = re.compile(r"\$(argon2(id|i|d)|scrypt|pbkdf2[-\w]*|2[abxy]|[156])\$")
ACCOUNT_FIELDS = {"id", "email", "email_verified", "mfa_enabled", "status", "created_at"}
USAGE, DATAERR, NOINPUT = 64, 65, 66


# --------------------------------------------------------------------------- helpers


def unique_email(prefix: str = "admin") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def ctl(db: Path, *args: str, input: str | None = None):
    """authctl ARGS --database DB (bounded); no run ever shows a password hash, on either stream."""
    r = run_authctl(*args, database=db, input=input, env=AUTHCTL_ENV, timeout=20.0)
    for stream in (r.stdout, r.stderr):
        assert not HASH_RE.search(stream), f"authctl {' '.join(args)} printed a password hash: {stream!r}"
    return r


def fails(r, code: int | None) -> str:
    """A failure per the contract: the exit code (any non-zero if None), no data on stdout and
    exactly one line on stderr, `authctl: <reason>`. Returns the reason."""
    if code is None:
        assert r.returncode != 0, show(r)
    else:
        assert r.returncode == code, f"expected exit {code}; {show(r)}"
    assert r.stdout == "", show(r)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("authctl: ") and lines[0][len("authctl: "):].strip(), show(r)
    return lines[0]


def create_user(db: Path, email: str, password: str = PASSWORD) -> dict:
    account = ok_json(ctl(db, "users", "create", email, "--json", input=password + "\n"))
    assert_account(account, email)
    return account


def assert_account(account: dict, email: str, status: str = "active") -> None:
    assert set(account) == ACCOUNT_FIELDS, account
    assert UUID_RE.match(account["id"]), account
    assert account["email"] == email.strip().lower(), account
    assert account["status"] == status, account
    assert RFC3339_UTC_RE.match(account["created_at"]), account


def emails_of(db: Path) -> list[str]:
    return [a["email"] for a in ok_json(ctl(db, "users", "list", "--json"))]


def login(server, email: str, password: str = PASSWORD, **kwargs) -> dict:
    r = server.login(email, password, **kwargs)
    assert r.status_code == 200, f"login {email}: {r.status_code} {r.text}"
    return r.json()


def assert_invalid_grant(resp: requests.Response) -> None:
    assert resp.status_code == 400, f"{resp.status_code} {resp.text}"
    assert resp.json().get("error") == "invalid_grant", resp.text


def assert_me(server, access_token: str, status: int) -> None:
    r = server.me(access_token)
    assert r.status_code == status, f"/v1/me: expected {status}, got {r.status_code} {r.text}"
    if status == 401:
        assert r.json().get("error") == "invalid_token", r.text


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def ctl_db(tmp_path, new_database) -> Path:
    """A database of the test's store made by `authctl init`, with the key file auth.key next to it (on
    SQLite, the default)."""
    workdir = tmp_path / "auth"
    workdir.mkdir()
    db = new_database(workdir, "auth.sqlite")
    ok(ctl(db, "init"))
    return db


@pytest.fixture
def server(ctl_db, auth_server_factory):
    """A token service on the CLI's database and key file (its workdir is theirs too)."""
    srv = auth_server_factory({"AUTH_DATABASE": str(ctl_db), "AUTH_KEY_FILE": str(ctl_db.parent / "auth.key")},
                              name="auth")
    assert srv.db_path == ctl_db and srv.key_path == ctl_db.parent / "auth.key"
    return srv
