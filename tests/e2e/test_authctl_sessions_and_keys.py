"""End-to-end tests of the admin CLI (authctl) against a running AuthServer: `sessions list` and
`revoke`; `keys rotate`, `retire` and `export-public`, with the server picking up key changes.
Shared helpers and fixtures: authctl_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from authctl_support import (DATAERR, assert_invalid_grant, assert_me, create_user, ctl, fails, login,
                             unique_email)
from authctl_support import ctl_db, server  # noqa: F401  (pytest fixtures; server uses ctl_db)
from conftest import jwt_claims, jwt_header, ok, ok_json, show, wait_until

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

JWKS_PATH = "/.well-known/jwks.json"
KEY_PICKUP = 6.5  # a running server picks up key changes within 5 s (API.md), plus slack


# --------------------------------------------------------------------------- helpers


def keys_of(db: Path) -> list[dict]:
    keys = ok_json(ctl(db, "keys", "list", "--json"))
    assert isinstance(keys, list) and all(isinstance(k.get("kid"), str) and k["kid"] for k in keys), keys
    return keys


def jwks_of(server) -> dict:
    r = server.get(JWKS_PATH)
    assert r.status_code == 200, r.text
    return r.json()


def jwks_kids(server) -> set[str]:
    return {k["kid"] for k in jwks_of(server)["keys"]}


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
