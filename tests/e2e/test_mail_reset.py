"""Password reset by email (issue 13; API.md, "Account recovery and verification by email"):
`POST /v1/password/forgot` answers 202 `{}` with the same bytes, in the same time, whatever the
email, and mails a link only to an active account; `POST /v1/password/reset` uses it once, ends
every session and verifies the email; expiry, weak passwords, and what voids a reset token.
"""

from __future__ import annotations

import statistics
import time

import pytest
import requests

from conftest import E2E_ISSUER, assert_json_error, ok, run_authctl, wait_until
from mail_support import (NEW_PASSWORD, PASSWORD, DirMailbox, assert_accepted, assert_account,
                         assert_token_not_shown, audit_events, forgot, login, mail_list, quiet_for, reset, signup,
                         signup_and_login, unique_email)
from mail_support import mail_server, smtp_sinks  # noqa: F401  (pytest fixtures)

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def test_a_reset_sets_the_password_ends_every_session_and_verifies_the_email(mail_server):
    server, sink = mail_server()
    email, first = signup_and_login(server)
    second = login(server, email)

    assert_accepted(forgot(server, f"  {email.upper()} "))  # trimmed, any case
    token = sink.token(email, "reset-password")
    [mail] = [m for m in sink.to(email) if m.link("reset-password")]
    assert mail.link("reset-password") == f"{E2E_ISSUER}/reset-password?token={token}"

    r = reset(server, token)
    assert r.status_code == 204 and r.content == b"", f"{r.status_code} {r.text}"
    for tokens in (first, second):
        assert_json_error(server.me(tokens["access_token"]), 401, "invalid_token")
        assert_json_error(server.refresh(tokens["refresh_token"]), 400, "invalid_grant")
    assert_json_error(server.login(email, PASSWORD), 400, "invalid_grant")
    me = server.me(login(server, email, NEW_PASSWORD)["access_token"])
    assert me.status_code == 200, me.text
    assert_account(me.json(), email, verified=True)

    assert_json_error(reset(server, token, "another good password"), 400, "invalid_grant")  # used up
    login(server, email, NEW_PASSWORD)
    account_id = me.json()["id"]
    for event in ("password_reset_requested", "password_reset"):
        assert [e["account_id"] for e in audit_events(server, event)] == [account_id], event
    assert_token_not_shown(server, token)


def test_forgot_answers_the_same_bytes_for_unknown_disabled_and_active_emails(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false"})
    active, _ = signup(server)
    disabled, _ = signup(server)
    ok(run_authctl("users", "disable", disabled, database=server.db_path))
    answers = [forgot(server, email) for email in (active, disabled, unique_email("nobody"))]

    def shape(r: requests.Response):
        varying = {"date", "x-request-id"}  # the time, and an id per request (its presence is compared)
        headers = sorted((k.lower(), "" if k.lower() in varying else v) for k, v in r.headers.items())
        return r.status_code, headers, r.content

    assert shape(answers[0]) == shape(answers[1]) == shape(answers[2]), [shape(a) for a in answers]
    assert_accepted(answers[0])
    sink.wait(active)
    quiet_for(1.5)
    assert [m.to for m in sink.all()] == [[active]]
    assert [(e["to"], e["purpose"]) for e in mail_list(server)] == [(active, "reset-password")]


@pytest.mark.serial  # compares response times
def test_forgot_takes_as_long_for_unknown_disabled_and_active_emails(auth_server_factory):
    # As the login timing test: interleaved rounds, medians within 0.7-1.43 of the unknown email's.
    # Each active account is asked for once, so each of those requests does the whole work.
    server = auth_server_factory({"AUTH_VERIFY_ON_SIGNUP": "false"})  # mail lands as .eml files
    rounds = 15
    emails = {"active": [signup(server)[0] for _ in range(rounds)],
              "disabled": [signup(server)[0] for _ in range(rounds)],
              "unknown": [unique_email("nobody") for _ in range(rounds)]}
    for email in emails["disabled"]:
        ok(run_authctl("users", "disable", email, database=server.db_path))
    session = requests.Session()

    def attempt(email: str) -> float:
        start = time.perf_counter()
        r = session.post(server.url("/v1/password/forgot"), json={"email": email}, timeout=10)
        elapsed = time.perf_counter() - start
        assert r.status_code == 202, r.text
        return elapsed

    for _ in range(3):
        attempt(unique_email("warmup"))
    times: dict[str, list[float]] = {kind: [] for kind in emails}
    for index in range(rounds):
        for kind, addresses in emails.items():
            times[kind].append(attempt(addresses[index]))
    median = {kind: statistics.median(values) for kind, values in times.items()}
    for kind in ("active", "disabled"):
        ratio = median[kind] / median["unknown"]
        assert 0.7 < ratio < 1.43, {k: f"{v * 1000:.2f} ms" for k, v in median.items()}
    mailbox = DirMailbox(server.workdir / "mail")  # a reset mail for each active account, no other
    wait_until(lambda: len(mailbox.all()) >= rounds, 15, 0.2, f"{rounds} .eml files")
    assert sorted(m.to[0] for m in mailbox.all()) == sorted(emails["active"])


def test_forgot_within_the_interval_answers_202_and_mails_nothing_more(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false"})  # AUTH_MAIL_INTERVAL 60 by default
    email, _ = signup(server)
    assert_accepted(forgot(server, email))
    assert_accepted(forgot(server, email))
    token = sink.token(email, "reset-password")
    quiet_for(1.5)
    assert len(sink.to(email)) == 1
    assert [e["purpose"] for e in mail_list(server)] == ["reset-password"]
    assert reset(server, token).status_code == 204


def test_a_newer_reset_token_voids_the_older(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false", "AUTH_MAIL_INTERVAL": "1"})
    email, _ = signup(server)
    assert_accepted(forgot(server, email))
    first = sink.token(email, "reset-password")
    time.sleep(1.2)
    assert_accepted(forgot(server, email))
    older, newer = sink.tokens(email, "reset-password", count=2)
    assert older == first != newer
    assert_json_error(reset(server, first), 400, "invalid_grant")
    assert reset(server, newer).status_code == 204
    login(server, email, NEW_PASSWORD)


def test_an_expired_reset_token_is_invalid_grant(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false", "AUTH_RESET_TTL": "1"})
    email, _ = signup(server)
    assert_accepted(forgot(server, email))
    token = sink.token(email, "reset-password")
    time.sleep(2.1)
    assert_json_error(reset(server, token), 400, "invalid_grant")
    login(server, email, PASSWORD)  # the password did not change


def test_a_weak_new_password_is_422_and_the_token_stays_usable(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false"})
    email, tokens = signup_and_login(server)
    assert_accepted(forgot(server, email))
    token = sink.token(email, "reset-password")
    for weak in ("password", "12345678", "short7!", "x" * 1025):  # blocklisted, 7 characters, 1025 bytes
        assert_json_error(reset(server, token, weak), 422, "weak_password")
    assert server.me(tokens["access_token"]).status_code == 200  # nothing happened
    login(server, email, PASSWORD)
    assert reset(server, token).status_code == 204
    login(server, email, NEW_PASSWORD)


def test_a_password_change_voids_reset_tokens(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false"})
    email, tokens = signup_and_login(server)
    assert_accepted(forgot(server, email))
    token = sink.token(email, "reset-password")
    r = server.post("/v1/password", tokens["access_token"],
                    json={"current_password": PASSWORD, "new_password": "changed by the owner 3"})
    assert r.status_code == 204, r.text
    assert_json_error(reset(server, token), 400, "invalid_grant")
    login(server, email, "changed by the owner 3")


def test_authctl_set_password_voids_reset_tokens(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false"})
    email, _ = signup(server)
    assert_accepted(forgot(server, email))
    token = sink.token(email, "reset-password")
    ok(run_authctl("users", "set-password", email, database=server.db_path, input="set by the admin 4\n"))
    assert_json_error(reset(server, token), 400, "invalid_grant")
    login(server, email, "set by the admin 4")


def test_a_reset_lets_an_unverified_account_in_when_verification_is_required(mail_server):
    server, sink = mail_server({"AUTH_REQUIRE_VERIFIED_EMAIL": "true"})
    email, _ = signup(server)
    assert_json_error(server.login(email, PASSWORD), 403, "email_not_verified")
    assert_accepted(forgot(server, email))
    assert reset(server, sink.token(email, "reset-password")).status_code == 204
    login(server, email, NEW_PASSWORD)
