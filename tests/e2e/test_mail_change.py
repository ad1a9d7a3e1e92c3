"""Changing the email (issue 13; API.md, "Account recovery and verification by email"):
`POST /v1/email/change` (Bearer, the password) mails a confirmation link to the new address and a
notice without link to the old one; `POST /v1/email/confirm` moves the account to the new address,
verified; 409 when the address is taken (then or meanwhile); expiry, interval, newer tokens.
"""

from __future__ import annotations

import time

import pytest

from conftest import E2E_ISSUER, assert_json_error
from mail_support import (KINDS, PASSWORD, TOKEN_RE, assert_accepted, assert_account, assert_token_not_shown,
                         audit_events, change, confirm, login, mail_list, quiet_for, signup, signup_and_login,
                         unique_email)
from mail_support import mail_server, smtp_sinks  # noqa: F401  (pytest fixtures)

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

QUIET = {"AUTH_VERIFY_ON_SIGNUP": "false"}


def test_change_mails_a_link_to_the_new_address_and_a_notice_to_the_old(mail_server):
    server, sink = mail_server(QUIET)
    old, tokens = signup_and_login(server)
    account_id = server.me(tokens["access_token"]).json()["id"]
    new = unique_email("new")
    assert_accepted(change(server, tokens["access_token"], f"  {new.upper()} "))  # trimmed, any case

    token = sink.token(new, "confirm-email")
    [link_mail] = sink.to(new)
    assert link_mail.link("confirm-email") == f"{E2E_ISSUER}/confirm-email?token={token}"
    [notice] = sink.wait(old)
    assert notice.subject.strip()
    for kind in KINDS:
        assert notice.link(kind) is None, notice.text
    notice_text = notice.text + (notice.html or "")
    assert token not in notice.raw.decode(errors="replace") and "token=" not in notice_text, notice_text
    assert not TOKEN_RE.search(notice.text.replace(new, "").replace(old, "")), notice.text
    assert sorted((e["to"], e["purpose"]) for e in mail_list(server)) \
        == sorted([(new, "confirm-email"), (old, "email-changed")])

    me = server.me(tokens["access_token"])  # nothing changes before the confirmation
    assert me.status_code == 200 and me.json()["email"] == old, me.text

    r = confirm(server, token)
    assert r.status_code == 200, r.text
    assert_account(r.json(), new, verified=True)
    assert r.json()["id"] == account_id
    me = server.me(tokens["access_token"])
    assert me.status_code == 200, me.text
    assert_account(me.json(), new, verified=True)
    login(server, new)
    assert_json_error(server.login(old, PASSWORD), 400, "invalid_grant")
    assert_json_error(confirm(server, token), 400, "invalid_grant")  # used up

    for event in ("email_change_requested", "email_changed"):
        assert [e["account_id"] for e in audit_events(server, event)] == [account_id], event
    assert_token_not_shown(server, token)


def test_change_needs_a_bearer_token_and_the_password(mail_server):
    server, sink = mail_server(QUIET)
    _, tokens = signup_and_login(server)
    body = {"new_email": unique_email(), "password": PASSWORD}
    assert_json_error(server.post("/v1/email/change", json=body), 401, "invalid_token")
    assert_json_error(server.post("/v1/email/change", "not.a.token", json=body), 401, "invalid_token")
    assert_json_error(change(server, tokens["access_token"], unique_email(), "wrong password!"), 400,
                      "invalid_grant")
    assert_json_error(change(server, tokens["access_token"], "not-an-email"), 422, "invalid_email")
    quiet_for(1.2)
    assert sink.all() == [] and mail_list(server) == []


def test_change_to_a_taken_email_is_409_and_mails_nothing(mail_server):
    server, sink = mail_server(QUIET)
    taken, _ = signup(server)
    _, tokens = signup_and_login(server)
    assert_json_error(change(server, tokens["access_token"], f" {taken.upper()}"), 409, "account_exists")
    quiet_for(1.2)
    assert sink.all() == [] and mail_list(server) == []


def test_confirm_after_the_address_was_taken_meanwhile_is_409(mail_server):
    server, sink = mail_server(QUIET)
    old, tokens = signup_and_login(server)
    new = unique_email("contested")
    assert_accepted(change(server, tokens["access_token"], new))
    token = sink.token(new, "confirm-email")
    signup(server, new)  # someone else takes it first
    assert_json_error(confirm(server, token), 409, "account_exists")
    me = server.me(tokens["access_token"])
    assert me.status_code == 200 and me.json()["email"] == old, me.text
    login(server, old)


def test_an_expired_change_token_is_invalid_grant(mail_server):
    server, sink = mail_server({**QUIET, "AUTH_VERIFY_TTL": "1"})
    old, tokens = signup_and_login(server)
    new = unique_email("late")
    assert_accepted(change(server, tokens["access_token"], new))
    token = sink.token(new, "confirm-email")
    time.sleep(2.1)
    assert_json_error(confirm(server, token), 400, "invalid_grant")
    assert server.me(tokens["access_token"]).json()["email"] == old


def test_a_second_change_within_the_interval_answers_202_and_mails_nothing_more(mail_server):
    server, sink = mail_server(QUIET)  # AUTH_MAIL_INTERVAL 60 by default
    old, tokens = signup_and_login(server)
    first, second = unique_email("first"), unique_email("second")
    assert_accepted(change(server, tokens["access_token"], first))
    assert_accepted(change(server, tokens["access_token"], second))
    sink.token(first, "confirm-email")
    sink.wait(old)
    quiet_for(1.5)
    assert (len(sink.to(first)), len(sink.to(second)), len(sink.to(old))) == (1, 0, 1), \
        [(m.to, m.subject) for m in sink.all()]


def test_a_newer_change_token_voids_the_older(mail_server):
    server, sink = mail_server({**QUIET, "AUTH_MAIL_INTERVAL": "1"})
    _, tokens = signup_and_login(server)
    first, second = unique_email("first"), unique_email("second")
    assert_accepted(change(server, tokens["access_token"], first))
    older = sink.token(first, "confirm-email")
    time.sleep(1.2)
    assert_accepted(change(server, tokens["access_token"], second))
    newer = sink.token(second, "confirm-email")
    assert_json_error(confirm(server, older), 400, "invalid_grant")
    r = confirm(server, newer)
    assert r.status_code == 200, r.text
    assert_account(r.json(), second, verified=True)


def test_a_change_token_is_no_verification_or_reset_token(mail_server):
    server, sink = mail_server(QUIET)
    _, tokens = signup_and_login(server)
    new = unique_email("kinds")
    assert_accepted(change(server, tokens["access_token"], new))
    token = sink.token(new, "confirm-email")
    assert_json_error(server.post("/v1/email/verify", json={"token": token}), 400, "invalid_grant")
    assert_json_error(server.post("/v1/password/reset", json={"token": token, "new_password": "a fine new one 5"}),
                      400, "invalid_grant")
    assert confirm(server, token).status_code == 200
