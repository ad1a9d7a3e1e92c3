"""End-to-end tests of the token service (AuthServer) over real HTTP: signup and the password grant.
Shared helpers: token_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import uuid

import pytest

from conftest import assert_json_error
from token_support import PASSWORD, assert_account, assert_token_response, unique_email

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


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
