"""End-to-end tests of the token service (AuthServer) over real HTTP: refresh-token rotation, reuse
detection and the grace window.
Shared helpers: token_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import time

import pytest

from conftest import assert_json_error
from token_support import PASSWORD, assert_token_response, jwt_claims, signup_and_login

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


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
