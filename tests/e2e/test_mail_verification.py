"""Email verification (issue 13; API.md, "Account recovery and verification by email"): sign-up
mails a link, `POST /v1/email/verification` asks for another (one per AUTH_MAIL_INTERVAL),
`POST /v1/email/verify` uses it once, `email_verified` on the account, AUTH_REQUIRE_VERIFIED_EMAIL.
Mail is read from an SMTP sink on loopback (mail_support.py).
"""

from __future__ import annotations

import time

import pytest

from conftest import E2E_ISSUER, assert_json_error, wait_until
from mail_support import (PASSWORD, TOKEN_RE, assert_accepted, assert_account, assert_retry_after,
                         assert_token_not_shown, audit_events, login, mail_list, metric, quiet_for, random_token,
                         request_verification, signup, signup_and_login, unique_email, verify)
from mail_support import mail_server, smtp_sinks  # noqa: F401  (pytest fixtures)
from token_support import RFC3339_UTC_RE

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def test_signup_mails_a_link_that_verifies_the_email_once(mail_server):
    server, sink = mail_server()
    email, account = signup(server, f"  {unique_email('Verify').upper()} ")
    assert_account(account, email, verified=False)

    [mail] = sink.wait(email)
    token = sink.token(email, "verify-email")
    assert mail.link("verify-email") == f"{E2E_ISSUER}/verify-email?token={token}"
    assert TOKEN_RE.fullmatch(token)
    # RFC 5322: From (default no-reply@ the issuer's host, also the envelope sender), To, Date, a subject.
    assert mail.envelope_from == "no-reply@auth.e2e.test", mail.envelope_from
    assert [a.addr_spec for a in mail.msg["From"].addresses] == ["no-reply@auth.e2e.test"], mail.msg["From"]
    assert mail.to == [email] and [a.addr_spec for a in mail.msg["To"].addresses] == [email], mail.msg["To"]
    assert mail.msg["Date"] is not None and mail.msg["Date"].datetime is not None, mail.msg["Date"]
    assert mail.msg["Message-ID"], mail.raw[:500]
    assert mail.subject.strip(), mail.raw[:500]
    assert not mail.msg.defects, mail.msg.defects

    r = verify(server, token)
    assert r.status_code == 200, r.text
    assert_account(r.json(), email, verified=True)
    assert r.json()["id"] == account["id"]
    me = server.me(login(server, email)["access_token"])
    assert me.status_code == 200 and me.json()["email_verified"] is True, me.text

    assert_json_error(verify(server, token), 400, "invalid_grant")  # used up
    entries = wait_until(lambda: [e for e in mail_list(server) if e["status"] == "sent"], 5, 0.2, "mail sent")
    assert [(e["to"], e["purpose"], e["attempts"]) for e in entries] == [(email, "verify-email", 1)], entries
    assert RFC3339_UTC_RE.match(entries[0]["created_at"]), entries
    assert [e["account_id"] for e in audit_events(server, "email_verified")] == [account["id"]]
    assert_token_not_shown(server, token)
    assert (metric(server, "auth_mail_queued_total") or 0) >= 1
    assert (metric(server, "auth_mail_sent_total") or 0) >= 1


def test_me_shows_whether_the_email_is_verified(mail_server):
    server, sink = mail_server()
    email, tokens = signup_and_login(server)
    me = server.me(tokens["access_token"])
    assert me.status_code == 200, me.text
    assert_account(me.json(), email, verified=False)


def test_asking_for_a_verification_mail_then_too_soon_is_429(mail_server):
    # An interval a loaded machine can't outlast between two requests.
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false", "AUTH_MAIL_INTERVAL": "5"})
    email, tokens = signup_and_login(server)
    assert_json_error(request_verification(server, None), 401, "invalid_token")
    assert_json_error(request_verification(server, "not.a.token"), 401, "invalid_token")

    assert_accepted(request_verification(server, tokens["access_token"]))
    again = request_verification(server, tokens["access_token"])  # within the interval
    assert_json_error(again, 429, "too_many_requests")
    assert_retry_after(again, most=5)

    token = sink.token(email, "verify-email")
    quiet_for(1.2)
    assert len(sink.to(email)) == 1, [m.subject for m in sink.all()]  # sign-up sent nothing, the 429 nothing
    assert [e["account_id"] for e in audit_events(server, "email_verification_requested")] \
        == [server.me(tokens["access_token"]).json()["id"]]
    assert verify(server, token).status_code == 200
    assert_json_error(request_verification(server, tokens["access_token"]), 409, "already_verified")


def test_without_verify_on_signup_sign_up_mails_nothing(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_ON_SIGNUP": "false"})
    email, _ = signup(server)
    quiet_for(1.2)
    assert sink.all() == [] and mail_list(server) == []


def test_the_sign_up_mail_counts_toward_the_interval(mail_server):
    server, sink = mail_server()  # AUTH_MAIL_INTERVAL 60 by default
    email, tokens = signup_and_login(server)
    r = request_verification(server, tokens["access_token"])
    assert_json_error(r, 429, "too_many_requests")
    assert_retry_after(r, most=60)
    sink.wait(email)
    quiet_for(1.2)
    assert len(sink.to(email)) == 1


def test_a_newer_verification_token_voids_the_older(mail_server):
    server, sink = mail_server({"AUTH_MAIL_INTERVAL": "1"})
    email, tokens = signup_and_login(server)
    first = sink.token(email, "verify-email")
    time.sleep(1.2)
    assert_accepted(request_verification(server, tokens["access_token"]))
    tokens_mailed = sink.tokens(email, "verify-email", count=2)
    assert tokens_mailed[0] == first and tokens_mailed[1] != first, tokens_mailed
    assert_json_error(verify(server, first), 400, "invalid_grant")
    r = verify(server, tokens_mailed[1])
    assert r.status_code == 200, r.text
    assert r.json()["email_verified"] is True


def test_an_expired_verification_token_is_invalid_grant(mail_server):
    server, sink = mail_server({"AUTH_VERIFY_TTL": "1"})
    email, tokens = signup_and_login(server)
    token = sink.token(email, "verify-email")
    time.sleep(2.1)
    assert_json_error(verify(server, token), 400, "invalid_grant")
    assert server.me(tokens["access_token"]).json()["email_verified"] is False


def test_an_unknown_token_is_invalid_grant_and_audited(mail_server):
    server, sink = mail_server()
    email, _ = signup(server)
    real = sink.token(email, "verify-email")
    for token in (random_token(), real[:-1] + ("A" if real[-1] != "A" else "B")):
        assert_json_error(verify(server, token), 400, "invalid_grant")
    assert len(audit_events(server, "email_token_refused")) >= 2
    assert verify(server, real).status_code == 200  # the near misses did not use it up


def test_required_verification_refuses_login_only_after_the_right_password(mail_server):
    server, sink = mail_server({"AUTH_REQUIRE_VERIFIED_EMAIL": "true"})
    email, account = signup(server)
    assert_json_error(server.login(email, "wrong password!"), 400, "invalid_grant")
    assert_json_error(server.login(unique_email("nobody"), PASSWORD), 400, "invalid_grant")
    assert_json_error(server.login(email, PASSWORD), 403, "email_not_verified")
    assert_json_error(server.login(email, PASSWORD, as_json=True), 403, "email_not_verified")

    assert verify(server, sink.token(email, "verify-email")).status_code == 200
    me = server.me(login(server, email)["access_token"])
    assert me.status_code == 200 and me.json()["email_verified"] is True, me.text

