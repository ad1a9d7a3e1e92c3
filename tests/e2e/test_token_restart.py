"""End-to-end tests of the token service (AuthServer) over real HTTP: accounts, sessions, signing keys
and lockouts survive a restart on the same database.
Shared helpers: token_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import pytest

from conftest import assert_json_error
from token_support import (PASSWORD, assert_token_response, jwks_of, jwt_claims, signup_and_login,
                           verify_access_token)

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


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
