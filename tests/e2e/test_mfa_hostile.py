"""Hostile input in every field of the second factor (issue 14; API.md, conventions and "Second
factor: TOTP and recovery codes"): a missing field or a wrong type is 400 `invalid_request`; a value
that is no right code is 400 `invalid_code` (the bearer endpoints) or `invalid_grant` (the token
endpoint); never a 5xx, and nothing changes.
"""

from __future__ import annotations

import secrets

import pytest

from conftest import assert_json_error
from mfa_support import (AMR_OTP, AMR_PASSWORD, AMR_RECOVERY, PASSWORD, Authenticator, assert_recovery_codes,
                         assert_tokens, confirm, login_tokens, me, mfa_account, mfa_token, signup, start_enrolment)

# Lift the login throttle: these tests send many wrong values on purpose.
LENIENT = {"AUTH_LOCKOUT_THRESHOLD": "1000", "AUTH_LOCKOUT_ACCOUNT_THRESHOLD": "1000"}

# Bodies of the wrong shape: 400 invalid_request.
BAD_SHAPES = [{}, {"code": 123456}, {"code": None}, {"code": ["123456"]}, {"code": {"code": "123456"}},
              {"code": True}, {"code": 123456.0}, [], "123456", None]
# Strings that are no right code: 400 invalid_code.
BAD_CODES = ["1234567", "12345", "abcdef", "12 345", "１２３４５６", "123456\u0000", "-12345", "+12345",
             "x" * 20000, "9" * 20000, "aaaa-bbbb-cccc-dddd", "' OR '1'='1", "%s%s%s%n"]


@pytest.fixture
def server(auth_server_factory):
    return auth_server_factory(LENIENT)


def assert_refused(resp, status: int, code: str, what) -> None:
    assert resp.status_code < 500, f"{what}: {resp.status_code} {resp.text[:300]}"
    try:
        assert_json_error(resp, status, code)
    except AssertionError as e:
        raise AssertionError(f"{what}: {e}") from None


def test_hostile_bodies_on_the_enrolment(server):
    email, _ = signup(server)
    access = login_tokens(server, email, AMR_PASSWORD)["access_token"]
    for body in [{}, {"password": 12345678}, {"password": None}, {"password": [PASSWORD]}, [], "x"]:
        assert_refused(server.post("/v1/mfa/totp", access, json=body), 400, "invalid_request", body)
    r = server.post("/v1/mfa/totp", access, data="password=" + PASSWORD,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_refused(r, 400, "invalid_request", "a form body")
    assert_refused(server.post("/v1/mfa/totp", access, json={"password": "x" * 20000}), 400, "invalid_grant", "huge")

    app = Authenticator(start_enrolment(server, access)["secret"])
    for body in BAD_SHAPES:
        assert_refused(confirm_raw(server, access, body), 400, "invalid_request", body)
    for code in BAD_CODES:
        assert_refused(confirm(server, access, code), 400, "invalid_code", code[:40])
    me(server, access, email, False)
    assert_recovery_codes(confirm(server, access, app.code()))  # the pending enrolment survived it all


def confirm_raw(server, access, body):
    return server.post("/v1/mfa/totp/verify", access, json=body)


@pytest.mark.parametrize("method, path", [("DELETE", "/v1/mfa/totp"), ("POST", "/v1/mfa/recovery-codes")],
                         ids=["disable", "regenerate"])
def test_hostile_bodies_on_disabling_and_regenerating(server, method, path):
    account = mfa_account(server)
    access = account.tokens["access_token"]
    for body in BAD_SHAPES:
        assert_refused(server.request(method, path, access, json=body), 400, "invalid_request", body)
    for code in BAD_CODES:
        assert_refused(server.request(method, path, access, json={"code": code}), 400, "invalid_code", code[:40])
    me(server, access, account.email, True)  # still on, codes unchanged
    assert_tokens(server, recovery_grant_form(server, mfa_token(server, account.email), account.recovery_codes[0]),
                  AMR_RECOVERY)


def recovery_grant_form(server, token, code):
    return server.post("/v1/token", data={"grant_type": "mfa_recovery_code", "mfa_token": token, "recovery_code": code})


def test_hostile_mfa_grants(server):
    account = mfa_account(server)
    valid = account.app.code_at(0)  # the enrolment's own code (refused now anyway) keeps the shapes realistic
    for grant, field in (("mfa_otp", "otp"), ("mfa_recovery_code", "recovery_code")):
        value = valid if grant == "mfa_otp" else account.recovery_codes[0]
        token = mfa_token(server, account.email)
        # Missing fields: invalid_request.
        for data in ({field: value}, {"mfa_token": token}, {}):
            r = server.post("/v1/token", data={"grant_type": grant, **data})
            assert_refused(r, 400, "invalid_request", (grant, data))
        # Wrong types (JSON): invalid_request.
        for data in ({"mfa_token": token, field: 123456}, {"mfa_token": token, field: None},
                     {"mfa_token": 12, field: value}, {"mfa_token": [token], field: value},
                     {"mfa_token": token, field: [value]}):
            r = server.post("/v1/token", json={"grant_type": grant, **data})
            assert_refused(r, 400, "invalid_request", (grant, data))
        # Unknown mfa_tokens: invalid_grant.
        for bad in ("garbage", secrets.token_urlsafe(32), "A" * 43, "x" * 20000, "../../etc/passwd", "' OR 1=1 --",
                    token + "A", token[:-1], "\u00e9" * 43):
            r = server.post("/v1/token", data={"grant_type": grant, "mfa_token": bad, field: value})
            assert_refused(r, 400, "invalid_grant", (grant, bad[:50]))
        # Wrong values with a good mfa_token (a new one every 4 tries, before 5 wrong end it): invalid_grant.
        for n, bad in enumerate(BAD_CODES + ["", "000000"]):
            if n % 4 == 0:
                token = mfa_token(server, account.email)
            r = server.post("/v1/token", data={"grant_type": grant, "mfa_token": token, field: bad})
            assert r.status_code == 400 and r.json().get("error") in (
                ("invalid_grant", "invalid_request") if bad == "" else ("invalid_grant",)), (grant, bad[:40], r.text)
    # Still fine afterwards.
    r = server.post("/v1/token", data={"grant_type": "mfa_otp", "mfa_token": mfa_token(server, account.email),
                                       "otp": account.app.code()})
    assert_tokens(server, r, AMR_OTP)


def test_an_mfa_token_is_no_refresh_token_nor_an_access_token(server):
    account = mfa_account(server)
    token, code = mfa_token(server, account.email), account.app.code()
    r = server.post("/v1/token", data={"grant_type": "refresh_token", "refresh_token": token})
    assert_refused(r, 400, "invalid_grant", "an mfa_token as a refresh token")
    assert_refused(server.me(token), 401, "invalid_token", "an mfa_token as a bearer token")
    r = server.post("/v1/token", data={"grant_type": "mfa_otp", "mfa_token": account.tokens["refresh_token"],
                                       "otp": code})
    assert_refused(r, 400, "invalid_grant", "a refresh token as an mfa_token")
    # The mfa_token is still good for its purpose.
    r = server.post("/v1/token", data={"grant_type": "mfa_otp", "mfa_token": token, "otp": code})
    assert r.status_code == 200, r.text
