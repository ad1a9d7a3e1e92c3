"""Logging in with TOTP on (issue 14; API.md, "Second factor: TOTP and recovery codes" and
"Changes to what exists"): the password grant answers 403 `mfa_required` with an `mfa_token`, the
`mfa_otp` and `mfa_recovery_code` grants answer the token response; `amr` and `client_id` in the
access tokens, kept by refreshes; a recovery code works once.
"""

from __future__ import annotations

from conftest import assert_json_error
from mail_support import audit_events
from mfa_support import (AMR_OTP, AMR_PASSWORD, AMR_RECOVERY, PASSWORD, assert_mfa_required, assert_not_revealed, assert_tokens, claims,
                         login_tokens, me, mfa_account, mfa_token, otp_grant, password_grant, recovery_grant, signup,
                         unique_email)


def test_without_totp_the_access_token_says_pwd_also_after_a_refresh(auth_server):
    email, account = signup(auth_server)
    assert_tokens(auth_server, password_grant(auth_server, email), AMR_PASSWORD, sub=account["id"])
    assert_tokens(auth_server, password_grant(auth_server, email, client_id="web"), AMR_PASSWORD, "web")


def test_the_right_password_answers_mfa_required_and_a_totp_code_the_tokens(auth_server):
    account = mfa_account(auth_server)
    # A wrong password or an unknown email stays 400 invalid_grant, without an mfa_token.
    for who, password in ((account.email, "not the password"), (unique_email("nobody"), PASSWORD)):
        body = assert_json_error(password_grant(auth_server, who, password), 400, "invalid_grant")
        assert "mfa_token" not in body, body
    first, second = mfa_token(auth_server, account.email), mfa_token(auth_server, account.email.upper())
    assert first != second  # each password step has its own

    code = account.app.code()
    refreshed = assert_tokens(auth_server, otp_grant(auth_server, first, code), AMR_OTP, sub=account.id)
    me(auth_server, refreshed["access_token"], account.email, True)

    def sessions() -> list[dict]:
        r = auth_server.get("/v1/sessions", refreshed["access_token"])
        assert r.status_code == 200, r.text
        return r.json()["sessions"]

    before = sessions()
    # Works once: neither the same code nor another one gets a second session from it.
    assert_json_error(otp_grant(auth_server, first, account.app.code_at(0)), 400, "invalid_grant")
    assert_json_error(recovery_grant(auth_server, first, account.recovery_codes[0]), 400, "invalid_grant")
    assert [s["id"] for s in sessions()] == [s["id"] for s in before]
    # The other mfa_token is still good, for a recovery code.
    assert_tokens(auth_server, recovery_grant(auth_server, second, account.recovery_codes[0]), AMR_RECOVERY)


def test_json_bodies_work_for_both_steps(auth_server):
    account = mfa_account(auth_server)
    r = auth_server.post("/v1/token", json={"grant_type": "password", "username": account.email, "password": PASSWORD})
    token = assert_mfa_required(r)
    r = auth_server.post("/v1/token", json={"grant_type": "mfa_otp", "mfa_token": token, "otp": account.app.code()})
    assert_tokens(auth_server, r, AMR_OTP)
    r = auth_server.post("/v1/token", json={"grant_type": "mfa_recovery_code", "recovery_code": account.recovery_codes[1],
                                            "mfa_token": mfa_token(auth_server, account.email)})
    assert_tokens(auth_server, r, AMR_RECOVERY)


def test_a_recovery_code_works_once_in_any_case_with_or_without_dashes(auth_server):
    account = mfa_account(auth_server)
    codes = account.recovery_codes
    refreshed = assert_tokens(auth_server, recovery_grant(auth_server, mfa_token(auth_server, account.email), codes[0]),
                              AMR_RECOVERY, sub=account.id)
    me(auth_server, refreshed["access_token"], account.email, True)  # TOTP stays on
    again = mfa_token(auth_server, account.email)
    assert_json_error(recovery_grant(auth_server, again, codes[0]), 400, "invalid_grant")
    for spelling in (codes[0].upper(), codes[0].replace("-", "")):
        assert_json_error(recovery_grant(auth_server, mfa_token(auth_server, account.email), spelling), 400,
                          "invalid_grant")
    # The refused tries did not spend the mfa_token (fewer than 5), nor the other codes.
    assert_tokens(auth_server, recovery_grant(auth_server, again, codes[1].upper()), AMR_RECOVERY)
    assert_tokens(auth_server, recovery_grant(auth_server, mfa_token(auth_server, account.email),
                                              codes[2].replace("-", "")), AMR_RECOVERY)
    assert_tokens(auth_server, recovery_grant(auth_server, mfa_token(auth_server, account.email),
                                              codes[3].upper().replace("-", "")), AMR_RECOVERY)
    # A TOTP code still works after recovery codes were used.
    assert_tokens(auth_server, otp_grant(auth_server, mfa_token(auth_server, account.email), account.app.code()),
                  AMR_OTP)
    used = audit_events(auth_server, "recovery_code_used")
    assert [e["account_id"] for e in used] == [account.id] * 4, used
    assert_not_revealed(auth_server, account.app.secret, *codes)


def test_a_recovery_code_is_not_a_totp_code_nor_the_reverse(auth_server):
    account = mfa_account(auth_server)
    token = mfa_token(auth_server, account.email)
    assert_json_error(otp_grant(auth_server, token, account.recovery_codes[0]), 400, "invalid_grant")
    code = account.app.code()
    assert_json_error(recovery_grant(auth_server, token, code), 400, "invalid_grant")
    # Both still work where they belong.
    assert_tokens(auth_server, otp_grant(auth_server, token, code), AMR_OTP)
    assert_tokens(auth_server, recovery_grant(auth_server, mfa_token(auth_server, account.email),
                                              account.recovery_codes[0]), AMR_RECOVERY)


def test_the_client_id_of_the_password_step_is_kept_and_another_is_refused(auth_server):
    account = mfa_account(auth_server)
    token = mfa_token(auth_server, account.email, client_id="ios-app:1.2")
    refreshed = assert_tokens(auth_server, otp_grant(auth_server, token, account.app.code()), AMR_OTP, "ios-app:1.2")
    sessions = auth_server.get("/v1/sessions", refreshed["access_token"]).json()["sessions"]
    assert [s["client_id"] for s in sessions if s["current"]] == ["ios-app:1.2"], sessions

    other = mfa_token(auth_server, account.email, client_id="ios-app:1.2")
    assert_json_error(recovery_grant(auth_server, other, account.recovery_codes[0], client_id="web"), 400,
                      "invalid_grant")
    assert_json_error(otp_grant(auth_server, mfa_token(auth_server, account.email), account.app.wrong_code(),
                                client_id="bad id"), 400)
    # Naming the same client_id again is fine.
    same = mfa_token(auth_server, account.email, client_id="ios-app:1.2")
    assert_tokens(auth_server, recovery_grant(auth_server, same, account.recovery_codes[1], client_id="ios-app:1.2"),
                  AMR_RECOVERY, "ios-app:1.2")
    # Without a client_id at the password step, the default.
    plain = mfa_token(auth_server, account.email)
    assert_tokens(auth_server, recovery_grant(auth_server, plain, account.recovery_codes[2]), AMR_RECOVERY, "default")


def test_a_refresh_of_an_mfa_session_by_another_client_is_refused(auth_server):
    account = mfa_account(auth_server)
    r = recovery_grant(auth_server, mfa_token(auth_server, account.email, client_id="web"), account.recovery_codes[0])
    grant = r.json()
    assert r.status_code == 200 and claims(auth_server, grant["access_token"])["client_id"] == "web", r.text
    other = auth_server.post("/v1/token", data={"grant_type": "refresh_token", "refresh_token": grant["refresh_token"],
                                                "client_id": "ios"})
    assert_json_error(other, 400, "invalid_grant")
    same = auth_server.post("/v1/token", data={"grant_type": "refresh_token", "refresh_token": grant["refresh_token"],
                                               "client_id": "web"})
    assert same.status_code == 200, same.text
    assert claims(auth_server, same.json()["access_token"])["amr"] == AMR_RECOVERY
    # The plain account next to it is unaffected: still ["pwd"].
    email, _ = signup(auth_server)
    login_tokens(auth_server, email, AMR_PASSWORD)
