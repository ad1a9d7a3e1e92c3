"""Turning TOTP off and managing it (issue 14; API.md, "Second factor: TOTP and recovery codes"):
disabling needs a code, new recovery codes void the old ones, a password reset by email leaves TOTP
on, `authctl users mfa-reset ACCOUNT` turns it off (audited); what the audit log records and never
shows.
"""

from __future__ import annotations

from conftest import assert_json_error, ok, run_authctl, show
from mail_support import DirMailbox, NEW_PASSWORD, assert_accepted, audit_events, forgot, reset
from mfa_support import (AMR_OTP, AMR_PASSWORD, AMR_RECOVERY, assert_mfa_required, assert_not_revealed,
                         assert_recovery_codes, assert_tokens, disable, enrol, login_tokens, me, mfa_account, mfa_token,
                         otp_grant, password_grant, recovery_grant, regenerate, start_enrolment)


def test_disabling_needs_a_totp_code(auth_server):
    account = mfa_account(auth_server)
    access = account.tokens["access_token"]
    assert_json_error(disable(auth_server, access, account.app.wrong_code()), 400, "invalid_code")
    assert_json_error(auth_server.delete("/v1/mfa/totp", access), 400, "invalid_request")  # no body
    assert_json_error(auth_server.delete("/v1/mfa/totp", access, json={}), 400, "invalid_request")
    me(auth_server, access, account.email, True)
    assert_mfa_required(password_grant(auth_server, account.email))

    r = disable(auth_server, access, account.app.code())
    assert r.status_code == 204 and r.content == b"", f"{r.status_code} {r.text}"
    me(auth_server, access, account.email, False)
    assert_tokens(auth_server, password_grant(auth_server, account.email), AMR_PASSWORD)
    # TOTP off: nothing to disable, no codes to regenerate.
    assert_json_error(disable(auth_server, access, account.app.code_at(0)), 404, "not_found")
    assert_json_error(regenerate(auth_server, access, account.app.code_at(0)), 404, "not_found")
    assert [e["account_id"] for e in audit_events(auth_server, "mfa_disabled")] == [account.id]


def test_disabling_with_a_recovery_code_removes_the_codes_too(auth_server):
    account = mfa_account(auth_server)
    access = account.tokens["access_token"]
    r = disable(auth_server, access, account.recovery_codes[0].upper())
    assert r.status_code == 204, f"{r.status_code} {r.text}"
    me(auth_server, access, account.email, False)
    login_tokens(auth_server, account.email, AMR_PASSWORD)
    # On again, with a new secret and new codes: the old codes are gone.
    app, codes = enrol(auth_server, access, after=account.app)
    assert app.secret != account.app.secret and not set(codes) & set(account.recovery_codes)
    token = mfa_token(auth_server, account.email)
    assert_json_error(recovery_grant(auth_server, token, account.recovery_codes[1]), 400, "invalid_grant")
    assert_json_error(otp_grant(auth_server, token, account.app.code_at(0)), 400, "invalid_grant")  # the old secret
    assert_tokens(auth_server, recovery_grant(auth_server, token, codes[0]), AMR_RECOVERY)
    assert_not_revealed(auth_server, account.app.secret, app.secret, *account.recovery_codes, *codes)


def test_new_recovery_codes_void_the_old_ones(auth_server):
    account = mfa_account(auth_server)
    access = account.tokens["access_token"]
    assert_json_error(regenerate(auth_server, access, account.app.wrong_code()), 400, "invalid_code")
    assert_json_error(regenerate(auth_server, access, account.recovery_codes[0]), 400, "invalid_code")  # TOTP only
    assert_json_error(auth_server.post("/v1/mfa/recovery-codes", access, json={}), 400, "invalid_request")

    codes = assert_recovery_codes(regenerate(auth_server, access, account.app.code()))
    assert not set(codes) & set(account.recovery_codes)
    token = mfa_token(auth_server, account.email)
    for old in account.recovery_codes[:3]:
        assert_json_error(recovery_grant(auth_server, token, old), 400, "invalid_grant")
    assert_tokens(auth_server, recovery_grant(auth_server, token, codes[0]), AMR_RECOVERY)
    me(auth_server, access, account.email, True)
    events = audit_events(auth_server, "recovery_codes_regenerated")
    assert [e["account_id"] for e in events] == [account.id], events
    assert_not_revealed(auth_server, account.app.secret, *account.recovery_codes, *codes)


def test_authctl_mfa_reset_turns_totp_off_by_email_or_id(auth_server):
    by_email, by_id = mfa_account(auth_server), mfa_account(auth_server)
    for account, name in ((by_email, by_email.email), (by_id, by_id.id)):
        r = run_authctl("users", "mfa-reset", name, database=auth_server.db_path)
        assert r.returncode == 0, show(r)
        fresh = assert_tokens(auth_server, password_grant(auth_server, account.email), AMR_PASSWORD, sub=account.id)
        me(auth_server, fresh["access_token"], account.email, False)
        # TOTP can be turned on again (no 409 mfa_enabled).
        start_enrolment(auth_server, fresh["access_token"])
    resets = audit_events(auth_server, "mfa_reset")
    assert sorted(e["account_id"] for e in resets) == sorted([by_email.id, by_id.id]), resets
    assert_not_revealed(auth_server, by_email.app.secret, by_id.app.secret, *by_email.recovery_codes,
                        *by_id.recovery_codes)

    for unknown in ("nobody@example.com", "00000000-0000-4000-8000-000000000000"):
        r = run_authctl("users", "mfa-reset", unknown, database=auth_server.db_path)
        assert r.returncode == 65 and r.stdout == "" and len(r.stderr.splitlines()) == 1, show(r)


def test_mfa_reset_voids_the_recovery_codes(auth_server):
    account = mfa_account(auth_server)
    ok(run_authctl("users", "mfa-reset", account.email, database=auth_server.db_path))
    access = login_tokens(auth_server, account.email, AMR_PASSWORD)["access_token"]
    app, codes = enrol(auth_server, access, after=account.app)
    token = mfa_token(auth_server, account.email)
    assert_json_error(recovery_grant(auth_server, token, account.recovery_codes[0]), 400, "invalid_grant")
    assert_tokens(auth_server, recovery_grant(auth_server, token, codes[0]), AMR_RECOVERY)
    assert app.secret != account.app.secret


def test_a_password_reset_by_email_leaves_totp_on(auth_server_factory):
    server = auth_server_factory({"AUTH_VERIFY_ON_SIGNUP": "false"})  # mail lands as .eml files
    mailbox = DirMailbox(server.workdir / "mail")
    account = mfa_account(server)
    assert_accepted(forgot(server, account.email))
    r = reset(server, mailbox.token(account.email, "reset-password"))
    assert r.status_code == 204, f"{r.status_code} {r.text}"

    assert_json_error(password_grant(server, account.email), 400, "invalid_grant")  # the old password
    token = mfa_token(server, account.email, NEW_PASSWORD)
    refreshed = assert_tokens(server, otp_grant(server, token, account.app.code()), AMR_OTP, sub=account.id)
    me(server, refreshed["access_token"], account.email, True)
    # The recovery codes survive the reset too.
    assert_tokens(server, recovery_grant(server, mfa_token(server, account.email, NEW_PASSWORD),
                                         account.recovery_codes[0]), AMR_RECOVERY)
    assert audit_events(server, "mfa_disabled") == [] and audit_events(server, "mfa_reset") == []
