"""Black-box end-to-end tests of the admin CLI (authctl), alone and against a running AuthServer.

The contract is /work/shared/API.md ("Admin CLI (authctl)"): options follow the subcommand, data on
stdout and messages on stderr, exit 0 on success, otherwise 64 usage, 65 bad data, 66 no input or
1 other, with a one-line reason on stderr; passwords are read from stdin, one line.
Not built yet, so not tested: export, import, hashes, calibrate, backup, audit.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import json
import re
import stat
import unicodedata
import uuid
from pathlib import Path

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from conftest import jwt_claims, jwt_header, ok, ok_json, run_authctl, show, wait_until

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple battery horse 2"
# The cheapest argon2id, so that `users create` and `users set-password` take milliseconds.
AUTHCTL_ENV = {"AUTH_ARGON2_MEMORY_KIB": "64", "AUTH_ARGON2_ITERATIONS": "1"}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# Any standard password-hash string (PHC argon2/scrypt/pbkdf2, modular-crypt bcrypt/sha-crypt).
HASH_RE = re.compile(r"\$(argon2(id|i|d)|scrypt|pbkdf2[-\w]*|2[abxy]|[156])\$")
ACCOUNT_FIELDS = {"id", "email", "status", "created_at"}
JWKS_PATH = "/.well-known/jwks.json"
KEY_PICKUP = 6.5  # a running server picks up key changes within 5 s (API.md), plus slack
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


def keys_of(db: Path) -> list[dict]:
    keys = ok_json(ctl(db, "keys", "list", "--json"))
    assert isinstance(keys, list) and all(isinstance(k.get("kid"), str) and k["kid"] for k in keys), keys
    return keys


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


def jwks_of(server) -> dict:
    r = server.get(JWKS_PATH)
    assert r.status_code == 200, r.text
    return r.json()


def jwks_kids(server) -> set[str]:
    return {k["kid"] for k in jwks_of(server)["keys"]}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def ctl_db(tmp_path) -> Path:
    """A database made by `authctl init`, with the key file next to it (the default)."""
    workdir = tmp_path / "auth"
    workdir.mkdir()
    db = workdir / "auth.sqlite"
    ok(ctl(db, "init"))
    return db


@pytest.fixture
def server(ctl_db, auth_server_factory):
    """A token service on the CLI's database and key file (its workdir is theirs too)."""
    srv = auth_server_factory({"AUTH_DATABASE": str(ctl_db), "AUTH_KEY_FILE": str(ctl_db.parent / "auth.key")},
                              name="auth")
    assert srv.db_path == ctl_db and srv.key_path == ctl_db.parent / "auth.key"
    return srv


# --------------------------------------------------------------------------- init, migrate


def test_init_creates_private_database_and_key_file_with_one_current_key(tmp_path):
    db = tmp_path / "fresh" / "auth.sqlite"
    db.parent.mkdir()
    key_file = tmp_path / "fresh" / "kek.key"
    ok(ctl(db, "init", "--key-file", str(key_file)))
    for path in (db, key_file):
        assert path.is_file(), path
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o600, f"{path.name} has mode {oct(mode)}, not 0600"
    assert not (db.parent / "auth.key").exists()  # --key-file was honoured

    keys = ok_json(ctl(db, "keys", "list", "--json", "--key-file", str(key_file)))
    assert isinstance(keys, list) and len(keys) == 1, keys
    assert keys[0]["state"] == "current" and isinstance(keys[0]["kid"], str) and keys[0]["kid"], keys
    text = ok(ctl(db, "keys", "list", "--key-file", str(key_file)))
    assert keys[0]["kid"] in text and "current" in text, text
    assert ok_json(ctl(db, "users", "list", "--json")) == []


def test_migrate_on_a_current_database_succeeds(ctl_db):
    create_user(ctl_db, email := unique_email())
    ok(ctl(ctl_db, "migrate"))
    ok(ctl(ctl_db, "migrate", "--json"))
    assert emails_of(ctl_db) == [email]  # and the data is intact


# --------------------------------------------------------------------------- errors and exit codes


@pytest.mark.parametrize("args", [
    ("users", "list"),
    ("users", "list", "--json"),
    ("users", "show", "someone@example.com"),
    ("sessions", "list", "someone@example.com"),
    ("keys", "list"),
    ("keys", "export-public"),
    ("migrate",),
], ids=lambda a: " ".join(a))
def test_missing_database_is_66_and_creates_nothing(tmp_path, args):
    db = tmp_path / "none" / "auth.sqlite"
    db.parent.mkdir()
    fails(ctl(db, *args), NOINPUT)
    assert list(db.parent.iterdir()) == []


def test_users_create_on_missing_database_is_66(tmp_path):
    db = tmp_path / "auth.sqlite"
    fails(ctl(db, "users", "create", unique_email(), input=PASSWORD + "\n"), NOINPUT)
    assert not db.exists()


@pytest.mark.parametrize("args", [
    ("bogus",),
    ("users", "bogus"),
    ("keys", "bogus"),
    ("users", "list", "--bogus"),
    ("users", "create"),
    ("users", "show"),
    ("keys", "retire"),
    ("keys", "rotate", "--activate-in", "soon"),
    ("sessions", "revoke"),
    ("sessions", "revoke", "00000000-0000-0000-0000-000000000000", "--account", "a@example.com"),
], ids=lambda a: " ".join(a))
def test_usage_errors_are_64_with_one_stderr_line(ctl_db, args):
    fails(ctl(ctl_db, *args), USAGE)


# --------------------------------------------------------------------------- users


def test_users_create_reads_password_from_stdin_and_the_user_can_log_in(server, ctl_db):
    # Created while the server runs, on its database; the email is trimmed and lowercased.
    email = unique_email("Ann").upper()
    account = create_user(ctl_db, f"  {email} ")
    tokens = login(server, email.lower())
    assert jwt_claims(tokens["access_token"])["sub"] == account["id"]
    me = server.me(tokens["access_token"])
    assert me.status_code == 200 and me.json() == account, me.text

    # Text mode; only the first line of stdin is the password; it is never echoed.
    other = unique_email("bob")
    r = ctl(ctl_db, "users", "create", other, input=NEW_PASSWORD + "\nnot the password\n")
    assert r.returncode == 0 and r.stdout.strip(), show(r)
    assert NEW_PASSWORD not in r.stdout + r.stderr, show(r)
    login(server, other, NEW_PASSWORD)
    assert_invalid_grant(server.login(other, "not the password"))
    assert sorted(emails_of(ctl_db)) == sorted([email.lower(), other])


def test_users_create_password_is_the_whole_line_nfc_normalized(server, ctl_db):
    decomposed = unicodedata.normalize("NFD", "  Crème brûlée 42 ")
    email = unique_email("nfc")
    create_user(ctl_db, email, decomposed)
    login(server, email, unicodedata.normalize("NFC", decomposed))  # the same password, composed
    assert_invalid_grant(server.login(email, decomposed.strip()))  # spaces are part of it


@pytest.mark.parametrize("password", ["password", "12345678", "short7!", "", "x" * 1025],
                         ids=["password", "12345678", "7 chars", "empty", "1025 bytes"])
def test_users_create_weak_password_is_65_and_creates_nothing(ctl_db, password):
    email = unique_email("weak")
    fails(ctl(ctl_db, "users", "create", email, input=password + "\n"), DATAERR)
    assert emails_of(ctl_db) == []


def test_users_create_bad_email_is_65(ctl_db):
    fails(ctl(ctl_db, "users", "create", "not-an-email", input=PASSWORD + "\n"), DATAERR)
    assert emails_of(ctl_db) == []


def test_users_create_duplicate_email_is_65(ctl_db):
    email = unique_email("dup")
    account = create_user(ctl_db, email)
    fails(ctl(ctl_db, "users", "create", email, input=PASSWORD + "\n"), DATAERR)
    fails(ctl(ctl_db, "users", "create", f" {email.upper()}", input=NEW_PASSWORD + "\n"), DATAERR)
    assert ok_json(ctl(ctl_db, "users", "list", "--json")) == [account]


def test_users_create_without_password_on_stdin_is_66(ctl_db):
    fails(ctl(ctl_db, "users", "create", unique_email()), NOINPUT)  # stdin is empty
    assert emails_of(ctl_db) == []


def test_users_list_and_show_in_text_and_json(ctl_db):
    ann = create_user(ctl_db, unique_email("ann"))
    bob = create_user(ctl_db, unique_email("bob"))

    listed = ok_json(ctl(ctl_db, "users", "list", "--json"))
    assert isinstance(listed, list) and sorted(listed, key=lambda a: a["email"]) == sorted([ann, bob], key=lambda a: a["email"])
    text = ok(ctl(ctl_db, "users", "list"))
    for account in (ann, bob):
        line = next((ln for ln in text.splitlines() if account["id"] in ln), None)
        assert line is not None and account["email"] in line and "active" in line, text

    for name in (ann["email"], ann["email"].upper(), ann["id"]):  # by email (any case) or by id
        assert ok_json(ctl(ctl_db, "users", "show", name, "--json")) == ann, name
        text = ok(ctl(ctl_db, "users", "show", name))
        assert ann["id"] in text and ann["email"] in text and "active" in text and bob["email"] not in text, text

    fails(ctl(ctl_db, "users", "show", unique_email("nobody")), None)
    fails(ctl(ctl_db, "users", "show", str(uuid.uuid4())), None)


def test_disable_while_server_runs_ends_sessions_and_blocks_login_until_enable(server, ctl_db):
    email = unique_email("dis")
    account = create_user(ctl_db, email)
    tokens = login(server, email)
    assert_me(server, tokens["access_token"], 200)

    ok(ctl(ctl_db, "users", "disable", email))
    assert_me(server, tokens["access_token"], 401)
    assert_invalid_grant(server.refresh(tokens["refresh_token"]))
    assert_invalid_grant(server.login(email, PASSWORD))
    assert ok_json(ctl(ctl_db, "users", "show", account["id"], "--json"))["status"] == "disabled"
    assert ok_json(ctl(ctl_db, "sessions", "list", email, "--json")) == []

    ok(ctl(ctl_db, "users", "enable", email))
    assert ok_json(ctl(ctl_db, "users", "show", email, "--json"))["status"] == "active"
    fresh = login(server, email)
    assert_me(server, fresh["access_token"], 200)
    assert_me(server, tokens["access_token"], 401)  # enabling does not revive the ended sessions


def test_set_password_from_stdin_ends_sessions_and_the_new_password_works(server, ctl_db):
    email = unique_email("setpw")
    create_user(ctl_db, email)
    tokens = login(server, email)

    fails(ctl(ctl_db, "users", "set-password", email, input="password\n"), DATAERR)
    fails(ctl(ctl_db, "users", "set-password", email), NOINPUT)
    assert_me(server, tokens["access_token"], 200)  # the refused attempts changed nothing
    fails(ctl(ctl_db, "users", "set-password", unique_email("nobody"), input=NEW_PASSWORD + "\n"), None)

    r = ok(ctl(ctl_db, "users", "set-password", email, input=NEW_PASSWORD + "\n"))
    assert NEW_PASSWORD not in r
    assert_me(server, tokens["access_token"], 401)
    assert_invalid_grant(server.refresh(tokens["refresh_token"]))
    assert_invalid_grant(server.login(email, PASSWORD))
    assert_me(server, login(server, email, NEW_PASSWORD)["access_token"], 200)


def test_delete_ends_sessions_and_login(server, ctl_db):
    email = unique_email("del")
    keep = create_user(ctl_db, unique_email("keep"))
    account = create_user(ctl_db, email)
    tokens = login(server, email)

    ok(ctl(ctl_db, "users", "delete", account["id"]))
    assert_me(server, tokens["access_token"], 401)
    assert_invalid_grant(server.refresh(tokens["refresh_token"]))
    assert_invalid_grant(server.login(email, PASSWORD))
    fails(ctl(ctl_db, "users", "show", email), None)
    assert ok_json(ctl(ctl_db, "users", "list", "--json")) == [keep]
    fails(ctl(ctl_db, "users", "delete", email), None)  # already gone


# --------------------------------------------------------------------------- sessions


def test_sessions_list_and_revoke_by_id_and_by_account(server, ctl_db):
    email = unique_email("sess")
    account = create_user(ctl_db, email)
    first = login(server, email, headers={"User-Agent": "authctl-e2e/1"})
    second = login(server, email, headers={"User-Agent": "authctl-e2e/2"})
    sid1, sid2 = (jwt_claims(t["access_token"])["sid"] for t in (first, second))

    sessions = ok_json(ctl(ctl_db, "sessions", "list", email, "--json"))
    assert isinstance(sessions, list) and {s["id"] for s in sessions} == {sid1, sid2}, sessions
    for s in sessions:
        assert s["ip"] == "127.0.0.1", s
        assert s["user_agent"] == ("authctl-e2e/1" if s["id"] == sid1 else "authctl-e2e/2"), s
        assert not {"refresh_token", "token", "token_hash"} & set(s), s
    assert {s["id"] for s in ok_json(ctl(ctl_db, "sessions", "list", account["id"], "--json"))} == {sid1, sid2}
    text = ok(ctl(ctl_db, "sessions", "list", email))
    assert sid1 in text and sid2 in text and "127.0.0.1" in text, text
    fails(ctl(ctl_db, "sessions", "list", unique_email("nobody")), None)

    ok(ctl(ctl_db, "sessions", "revoke", sid1))
    assert_me(server, first["access_token"], 401)
    assert_invalid_grant(server.refresh(first["refresh_token"]))
    assert_me(server, second["access_token"], 200)
    assert [s["id"] for s in ok_json(ctl(ctl_db, "sessions", "list", email, "--json"))] == [sid2]
    fails(ctl(ctl_db, "sessions", "revoke", str(uuid.uuid4())), None)

    ok(ctl(ctl_db, "sessions", "revoke", "--account", email))
    assert_me(server, second["access_token"], 401)
    assert ok_json(ctl(ctl_db, "sessions", "list", email, "--json")) == []
    assert_me(server, login(server, email)["access_token"], 200)  # the account itself still works


# --------------------------------------------------------------------------- keys


def test_rotate_now_switches_signing_key_and_retiring_previous_key_removes_it(server, ctl_db):
    email = unique_email("rot")
    create_user(ctl_db, email)
    (old,) = keys_of(ctl_db)
    old_token = login(server, email)["access_token"]
    assert jwt_header(old_token)["kid"] == old["kid"]

    ok(ctl(ctl_db, "keys", "rotate", "--activate-in", "0"))
    keys = {k["kid"]: k for k in keys_of(ctl_db)}
    assert len(keys) == 2 and old["kid"] in keys, keys
    (new_kid,) = set(keys) - {old["kid"]}
    assert keys[new_kid]["state"] == "current" and keys[old["kid"]]["state"] != "current", keys

    def token_with_new_kid():
        token = login(server, email)["access_token"]
        return token if jwt_header(token)["kid"] == new_kid else None

    new_token = wait_until(token_with_new_kid, KEY_PICKUP, what=f"logins signed with the new key {new_kid}")
    jwks = jwks_of(server)
    assert {k["kid"] for k in jwks["keys"]} == {old["kid"], new_kid}, jwks
    jwt.decode(new_token, KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    assert_me(server, old_token, 200)  # the previous key still verifies live tokens

    fails(ctl(ctl_db, "keys", "retire", new_kid), DATAERR)  # the current key
    fails(ctl(ctl_db, "keys", "retire", "no-such-kid"), None)
    assert {k["kid"] for k in keys_of(ctl_db) if k["state"] == "current"} == {new_kid}

    ok(ctl(ctl_db, "keys", "retire", old["kid"]))
    wait_until(lambda: jwks_kids(server) == {new_kid}, KEY_PICKUP,
               what=f"the retired key {old['kid']} leaving the JWKS")
    assert jwt_header(login(server, email)["access_token"])["kid"] == new_kid


def test_rotate_with_default_delay_adds_a_standby_key_that_does_not_sign(server, ctl_db):
    email = unique_email("standby")
    create_user(ctl_db, email)
    (old,) = keys_of(ctl_db)

    ok(ctl(ctl_db, "keys", "rotate"))
    keys = {k["kid"]: k for k in keys_of(ctl_db)}
    (standby_kid,) = set(keys) - {old["kid"]}
    assert keys[old["kid"]]["state"] == "current" and keys[standby_kid]["state"] != "current", keys

    wait_until(lambda: jwks_kids(server) == {old["kid"], standby_kid}, KEY_PICKUP,
               what="the standby key in the JWKS")
    for _ in range(3):  # the server has loaded the new key, and still signs with the old one
        assert jwt_header(login(server, email)["access_token"])["kid"] == old["kid"]
    # export-public writes what the server serves, the standby key included.
    assert by_kid(ok_json(ctl(ctl_db, "keys", "export-public"))) == by_kid(jwks_of(server))


def by_kid(jwks: dict) -> dict:
    """A JWKS's keys by kid (and nothing but `keys` in it)."""
    assert set(jwks) == {"keys"}, jwks
    return {k["kid"]: k for k in jwks["keys"]}


def test_export_public_writes_the_servers_jwks(server, ctl_db, tmp_path):
    served = jwks_of(server)
    assert {k["kid"] for k in served["keys"]} == {k["kid"] for k in keys_of(ctl_db)}

    out = tmp_path / "exported" / "jwks.json"
    out.parent.mkdir()
    r = ctl(ctl_db, "keys", "export-public", "--output", str(out))
    assert r.returncode == 0 and r.stdout == "", show(r)  # the JWKS went to the file, not stdout
    exported = json.loads(out.read_text())
    assert by_kid(exported) == by_kid(served)
    for key in exported["keys"]:
        assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key, key  # public halves only
    KeySet.import_key_set(exported)
    assert by_kid(ok_json(ctl(ctl_db, "keys", "export-public"))) == by_kid(served)  # stdout by default
