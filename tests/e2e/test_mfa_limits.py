"""What bounds the second factor (issue 14; API.md, "Second factor: TOTP and recovery codes"): a
code is accepted once (replay), one step of drift either side and no more, an `mfa_token` allows 5
wrong codes, works once and lives `AUTH_MFA_TOKEN_TTL` seconds, and wrong codes count as failed
logins for the email and address (the login throttle, 429).
"""

from __future__ import annotations

import subprocess
import time

import pytest

from conftest import SERVER_BIN, assert_json_error, server_env
from mail_support import audit_events
from mfa_support import (AMR_OTP, AMR_PASSWORD, AMR_RECOVERY, PROXIED, Authenticator, assert_recovery_codes,
                         assert_tokens, confirm, from_address, login_tokens, me, mfa_account, mfa_token, otp_grant,
                         password_grant, recovery_grant, signup, start_enrolment, wait_for_fresh_step)


def test_a_code_accepted_once_is_refused_again(auth_server):
    account = mfa_account(auth_server)  # the enrolment accepted the current step's code
    enrolment_code = account.app.code_for_step(account.app.last_step)
    token = mfa_token(auth_server, account.email)
    assert_json_error(otp_grant(auth_server, token, enrolment_code), 400, "invalid_grant")
    login_code = account.app.code()  # the next step's: one step of drift
    assert_tokens(auth_server, otp_grant(auth_server, token, login_code), AMR_OTP)  # one wrong try is fine
    assert_json_error(otp_grant(auth_server, mfa_token(auth_server, account.email), login_code), 400, "invalid_grant")
    assert_json_error(otp_grant(auth_server, mfa_token(auth_server, account.email), enrolment_code), 400,
                      "invalid_grant")
    failed = audit_events(auth_server, "mfa_failed")
    assert [e["account_id"] for e in failed] == [account.id] * 3, failed


def test_one_step_of_drift_either_side_is_accepted_two_steps_are_not(auth_server):
    email, _ = signup(auth_server)
    access = login_tokens(auth_server, email, AMR_PASSWORD)["access_token"]
    app = Authenticator(start_enrolment(auth_server, access)["secret"])
    wait_for_fresh_step(5.0)  # the steps below stay what they are meant to be for 5 s
    now = time.time()
    behind, ahead = app.code_at(-30), app.code_at(30)
    two_behind, two_ahead = app.code_at(-60), app.code_at(60)
    assert_json_error(confirm(auth_server, access, two_ahead), 400, "invalid_code")
    assert_json_error(confirm(auth_server, access, two_behind), 400, "invalid_code")
    assert_recovery_codes(confirm(auth_server, access, behind))  # a clock 30 s slow

    token = mfa_token(auth_server, email)
    assert_json_error(otp_grant(auth_server, token, two_ahead), 400, "invalid_grant")
    assert_json_error(otp_grant(auth_server, token, two_behind), 400, "invalid_grant")
    assert_tokens(auth_server, otp_grant(auth_server, token, ahead), AMR_OTP)  # a clock 30 s fast
    assert time.time() - now < 5, "too slow: the steps moved"


def test_the_sixth_attempt_after_five_wrong_codes_is_refused_even_with_the_right_code(auth_server_factory):
    server = auth_server_factory({"AUTH_LOCKOUT_THRESHOLD": "50"})
    account = mfa_account(server)
    token = mfa_token(server, account.email)
    for _ in range(5):
        assert_json_error(otp_grant(server, token, account.app.wrong_code()), 400, "invalid_grant")
    assert_json_error(otp_grant(server, token, account.app.code()), 400, "invalid_grant")
    assert_json_error(recovery_grant(server, token, account.recovery_codes[0]), 400, "invalid_grant")
    # The account is fine: a new password step gets a new mfa_token, and the recovery code is unspent.
    assert_tokens(server, recovery_grant(server, mfa_token(server, account.email), account.recovery_codes[0]),
                  AMR_RECOVERY)
    assert len(audit_events(server, "mfa_failed")) >= 5


def test_the_fifth_wrong_recovery_code_ends_the_mfa_token_too(auth_server_factory):
    server = auth_server_factory({"AUTH_LOCKOUT_THRESHOLD": "50"})
    account = mfa_account(server)
    token = mfa_token(server, account.email)
    for n in range(4):
        assert_json_error(recovery_grant(server, token, f"aaaa-bbbb-cccc-ddd{n + 2}"), 400, "invalid_grant")
    assert_json_error(otp_grant(server, token, account.app.wrong_code()), 400, "invalid_grant")  # the 5th, mixed
    assert_json_error(recovery_grant(server, token, account.recovery_codes[0]), 400, "invalid_grant")
    assert_tokens(server, otp_grant(server, mfa_token(server, account.email), account.app.code()), AMR_OTP)


@pytest.mark.serial  # a 2 s lifetime, checked at 1 s and 3.2 s
def test_an_mfa_token_expires_after_auth_mfa_token_ttl(auth_server_factory):
    # Times are whole seconds: a token lives from TTL - 1 to TTL seconds, as its second began.
    server = auth_server_factory({"AUTH_MFA_TOKEN_TTL": "3"})
    account = mfa_account(server)
    old = mfa_token(server, account.email)
    young = mfa_token(server, account.email)
    time.sleep(1.0)  # `young` is a little over 1 s old: alive
    assert_tokens(server, recovery_grant(server, young, account.recovery_codes[0]), AMR_RECOVERY)
    time.sleep(2.2)  # `old` is over 3.2 s old: expired
    assert_json_error(otp_grant(server, old, account.app.code()), 400, "invalid_grant")
    assert_json_error(recovery_grant(server, old, account.recovery_codes[1]), 400, "invalid_grant")
    # A new password step works, with the other recovery code (the expired token spent nothing).
    assert_tokens(server, recovery_grant(server, mfa_token(server, account.email), account.recovery_codes[1]),
                  AMR_RECOVERY)


def assert_throttled(resp) -> None:
    assert_json_error(resp, 429, "too_many_attempts")
    assert resp.headers.get("Retry-After", "").isdigit() and int(resp.headers["Retry-After"]) >= 1, resp.headers


def test_wrong_codes_count_as_failed_logins_for_the_email_and_address(auth_server_factory):
    server = auth_server_factory({**PROXIED, "AUTH_LOCKOUT_THRESHOLD": "3", "AUTH_LOCKOUT_BASE": "600"})
    account = mfa_account(server)
    attacker, owner = from_address("203.0.113.7"), from_address("192.0.2.44")
    token = mfa_token(server, account.email, headers=attacker)
    assert_json_error(otp_grant(server, token, account.app.wrong_code(), headers=attacker), 400, "invalid_grant")
    assert_json_error(recovery_grant(server, token, "aaaa-bbbb-cccc-dddd", headers=attacker), 400, "invalid_grant")
    assert_json_error(otp_grant(server, token, account.app.wrong_code(), headers=attacker), 400, "invalid_grant")
    # Three failures: that address is throttled for that email, at either step.
    assert_throttled(otp_grant(server, token, account.app.wrong_code(), headers=attacker))
    assert_throttled(password_grant(server, account.email, headers=attacker))
    # Another address is not; the owner logs in.
    owner_token = mfa_token(server, account.email, headers=owner)
    assert_tokens(server, otp_grant(server, owner_token, account.app.code(), headers=owner), AMR_OTP)
    # Another account from the throttled address is not throttled either.
    other_email, _ = signup(server)
    r = password_grant(server, other_email, headers=attacker)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("value", ["abc", "-1", "0", "5m"])
def test_a_bad_auth_mfa_token_ttl_stops_the_start_with_one_line(tmp_path, value):
    env = server_env({"AUTH_DATABASE": str(tmp_path / "auth.sqlite"), "AUTH_PORT": "0", "AUTH_MFA_TOKEN_TTL": value})
    try:
        proc = subprocess.run([str(SERVER_BIN)], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"AUTH_MFA_TOKEN_TTL={value}: the server did not exit within 10 s")
    stderr = proc.stderr.decode(errors="replace")
    assert proc.returncode == 64, (proc.returncode, stderr)
    assert len(stderr.splitlines()) == 1 and "auth_mfa_token_ttl" in stderr.lower(), stderr
    assert b"listening" not in proc.stdout


def test_a_pending_enrolment_is_not_a_second_factor_yet(auth_server):
    email, _ = signup(auth_server)
    access = login_tokens(auth_server, email, AMR_PASSWORD)["access_token"]
    start_enrolment(auth_server, access)
    # The mfa grants have nothing to work on: a made-up mfa_token is refused, the password alone logs in.
    assert_json_error(otp_grant(auth_server, "A" * 43, "123456"), 400, "invalid_grant")
    login_tokens(auth_server, email, AMR_PASSWORD)
    me(auth_server, access, email, False)
