"""Turning TOTP on (issue 14; API.md, "Second factor: TOTP and recovery codes"):
`POST /v1/mfa/totp` with the password starts a pending enrolment (a secret and an otpauth URI an
authenticator app reads), `POST /v1/mfa/totp/verify` with a first code turns TOTP on and answers 10
recovery codes; `mfa_enabled` in the account; what the enrolment refuses.
"""

from __future__ import annotations

import base64

from conftest import E2E_ISSUER, assert_json_error
from mail_support import audit_events
from mfa_support import (AMR_PASSWORD, PASSWORD, Authenticator, assert_mfa_required, assert_not_revealed,
                         assert_recovery_codes, confirm, label_of, login_tokens, me, parse_otpauth, password_grant,
                         signup, start_enrolment, unique_email)
from store_support import stored_text


def test_mfa_enabled_stays_false_until_the_first_code_confirms(auth_server):
    email, account = signup(auth_server)  # the sign-up answer shows mfa_enabled false
    access = login_tokens(auth_server, email, AMR_PASSWORD)["access_token"]
    me(auth_server, access, email, False)

    pending = start_enrolment(auth_server, access)
    app = Authenticator(pending["secret"])
    me(auth_server, access, email, False)
    login_tokens(auth_server, email, AMR_PASSWORD)  # pending: still a plain password login

    assert_json_error(confirm(auth_server, access, app.wrong_code()), 400, "invalid_code")
    me(auth_server, access, email, False)
    codes = assert_recovery_codes(confirm(auth_server, access, app.code()))
    me(auth_server, access, email, True)
    assert_mfa_required(password_grant(auth_server, email))

    assert [e["account_id"] for e in audit_events(auth_server, "mfa_enabled")] == [account["id"]]
    assert_not_revealed(auth_server, pending["secret"], *codes)


def test_the_otpauth_uri_reads_as_an_authenticator_app_would(auth_server_factory):
    server = auth_server_factory({"AUTH_ISSUER": E2E_ISSUER})  # AUTH_TOTP_ISSUER defaults to its host
    email, _ = signup(server)
    access = login_tokens(server, email, AMR_PASSWORD)["access_token"]
    pending = start_enrolment(server, access)
    uri = pending["otpauth_uri"]

    otp, query = parse_otpauth(uri)
    assert (otp.issuer, otp.name, otp.secret) == ("auth.e2e.test", email, pending["secret"]), uri
    assert label_of(uri) == ("auth.e2e.test", email), uri
    assert {name: query.get(name) for name in ("secret", "issuer", "algorithm", "digits", "period")} == {
        "secret": [pending["secret"]], "issuer": ["auth.e2e.test"], "algorithm": ["SHA1"], "digits": ["6"],
        "period": ["30"]}, uri
    # The app's code (from the parsed URI, not from the secret field) confirms the enrolment.
    assert_recovery_codes(confirm(server, access, otp.now()))


def test_auth_totp_issuer_names_the_issuer_and_the_label_is_the_stored_email(auth_server_factory):
    server = auth_server_factory({"AUTH_ISSUER": E2E_ISSUER, "AUTH_TOTP_ISSUER": "Example Market"})
    email, _ = signup(server, f"  Mixed.Case+tag-{unique_email()[4:].upper()} ")
    access = login_tokens(server, email, AMR_PASSWORD)["access_token"]
    uri = start_enrolment(server, access)["otpauth_uri"]
    otp, query = parse_otpauth(uri)
    assert (otp.issuer, otp.name) == ("Example Market", email), uri
    assert label_of(uri) == ("Example Market", email) and query["issuer"] == ["Example Market"], uri


def test_a_new_enrolment_replaces_the_pending_one(auth_server):
    email, _ = signup(auth_server)
    access = login_tokens(auth_server, email, AMR_PASSWORD)["access_token"]
    first = Authenticator(start_enrolment(auth_server, access)["secret"])
    second = Authenticator(start_enrolment(auth_server, access)["secret"])
    assert first.secret != second.secret
    assert_json_error(confirm(auth_server, access, first.code()), 400, "invalid_code")
    me(auth_server, access, email, False)
    assert_recovery_codes(confirm(auth_server, access, second.code()))
    me(auth_server, access, email, True)


def test_a_wrong_password_is_invalid_grant_and_counts_as_a_failed_login(auth_server_factory):
    server = auth_server_factory({"AUTH_LOCKOUT_THRESHOLD": "2", "AUTH_LOCKOUT_BASE": "600"})
    email, _ = signup(server)
    access = login_tokens(server, email, AMR_PASSWORD)["access_token"]
    for _ in range(2):
        r = server.post("/v1/mfa/totp", access, json={"password": "not the password"})
        body = assert_json_error(r, 400, "invalid_grant")
        assert "secret" not in body and "otpauth_uri" not in body, body
    throttled = password_grant(server, email)
    assert_json_error(throttled, 429, "too_many_attempts")
    assert int(throttled.headers.get("Retry-After", "0")) >= 1, throttled.headers
    me(server, access, email, False)  # nothing was enrolled


def test_with_totp_on_a_new_enrolment_is_409_and_there_is_nothing_to_verify(auth_server):
    email, _ = signup(auth_server)
    access = login_tokens(auth_server, email, AMR_PASSWORD)["access_token"]
    assert_json_error(confirm(auth_server, access, "123456"), 404, "not_found")  # nothing pending yet
    pending = start_enrolment(auth_server, access)
    app = Authenticator(pending["secret"])
    assert_recovery_codes(confirm(auth_server, access, app.code()))

    assert_json_error(auth_server.post("/v1/mfa/totp", access, json={"password": PASSWORD}), 409, "mfa_enabled")
    assert_json_error(confirm(auth_server, access, app.code_at(0)), 404, "not_found")  # nothing pending now
    me(auth_server, access, email, True)
    # The secret in use is still the first one: its codes log in.
    r = auth_server.post("/v1/token", data={"grant_type": "mfa_otp", "otp": app.code(),
                                            "mfa_token": assert_mfa_required(password_grant(auth_server, email))})
    assert r.status_code == 200, r.text


def test_the_second_factor_endpoints_need_a_bearer_token(auth_server):
    email, _ = signup(auth_server)
    tokens = login_tokens(auth_server, email, AMR_PASSWORD)
    calls = [("POST", "/v1/mfa/totp", {"password": PASSWORD}), ("POST", "/v1/mfa/totp/verify", {"code": "123456"}),
             ("DELETE", "/v1/mfa/totp", {"code": "123456"}), ("POST", "/v1/mfa/recovery-codes", {"code": "123456"})]
    for method, path, body in calls:
        for token in (None, "not-a-token", tokens["refresh_token"]):
            r = auth_server.request(method, path, token, json=body)
            assert_json_error(r, 401, "invalid_token")
            assert r.headers.get("WWW-Authenticate", "").startswith("Bearer"), (method, path, r.headers)
    me(auth_server, tokens["access_token"], email, False)


def test_the_secret_and_the_recovery_codes_are_not_stored_in_the_clear(auth_server):
    email, _ = signup(auth_server)
    access = login_tokens(auth_server, email, AMR_PASSWORD)["access_token"]
    pending = start_enrolment(auth_server, access)["secret"]
    app = Authenticator(start_enrolment(auth_server, access)["secret"])  # replaces the first
    codes = assert_recovery_codes(confirm(auth_server, access, app.code()))
    stored = stored_text(auth_server.db_path).encode("latin-1", errors="replace")
    for secret in (pending, app.secret):
        raw = base64.b32decode(secret)
        for form in (secret.encode(), secret.lower().encode(), raw, raw.hex().encode(), base64.b64encode(raw)):
            assert form not in stored, f"the database holds the TOTP secret as {form!r}"
    for code in codes:
        for form in (code, code.replace("-", ""), code.upper(), code.replace("-", "").upper()):
            assert form.encode() not in stored, f"the database holds the recovery code {form!r}"
