"""Guessing at the email endpoints is throttled like logins (issue 13): wrong tokens at
`/v1/email/verify`, `/v1/password/reset` and `/v1/email/confirm` count per client address, and a
wrong password at `/v1/email/change` counts like a failed login; past AUTH_LOCKOUT_THRESHOLD
(default 5) the next answer is 429 `too_many_attempts` + Retry-After, even with the right secret,
while other addresses are unaffected. The per-address rate limit covers these paths too.
Client addresses come from X-Forwarded-For, trusted from 127.0.0.1.
"""

from __future__ import annotations

import pytest

from conftest import assert_json_error
from mail_support import (NEW_PASSWORD, PASSWORD, PROXIED, assert_accepted, assert_retry_after, audit_events,
                         change, forgot, from_address, quiet_for, random_token, signup, signup_and_login,
                         unique_email)
from mail_support import mail_server, smtp_sinks  # noqa: F401  (pytest fixtures)

OWNER, ATTACKER, ELSEWHERE = from_address("192.0.2.1"), from_address("203.0.113.7"), from_address("198.51.100.8")
# A first delay that outlasts a slow machine (by default 1 s: a busy run could see it over already).
THROTTLED = {**PROXIED, "AUTH_LOCKOUT_BASE": "60"}


def obtain_token(server, sink, kind: str) -> str:
    """A live token of `kind`, asked for from the owner's address."""
    if kind == "verify-email":
        email, _ = signup(server, headers=OWNER)
        return sink.token(email, kind)
    if kind == "reset-password":
        email, _ = signup(server, headers=OWNER)
        assert_accepted(forgot(server, email, headers=OWNER))
        return sink.token(email, kind)
    _, tokens = signup_and_login(server, headers=OWNER)
    new = unique_email("new")
    assert_accepted(change(server, tokens["access_token"], new, headers=OWNER))
    return sink.token(new, kind)


@pytest.mark.parametrize("path, kind, success", [
    ("/v1/email/verify", "verify-email", 200),
    ("/v1/password/reset", "reset-password", 204),
    ("/v1/email/confirm", "confirm-email", 200),
], ids=["verify", "reset", "confirm"])
def test_wrong_tokens_are_throttled_per_address(mail_server, path, kind, success):
    server, sink = mail_server(THROTTLED)  # AUTH_LOCKOUT_THRESHOLD 5 by default
    token = obtain_token(server, sink, kind)

    def body(t):
        return {"token": t, "new_password": NEW_PASSWORD} if kind == "reset-password" else {"token": t}

    for _ in range(5):
        assert_json_error(server.post(path, json=body(random_token()), headers=ATTACKER), 400, "invalid_grant")
    refused = server.post(path, json=body(token), headers=ATTACKER)  # the right token, too late
    assert_json_error(refused, 429, "too_many_attempts")
    assert_retry_after(refused)
    assert len(audit_events(server, "email_token_refused")) >= 5

    r = server.post(path, json=body(token), headers=ELSEWHERE)  # the token was not used up
    assert r.status_code == success, r.text


def test_a_wrong_password_at_email_change_is_throttled_like_a_login(mail_server):
    server, sink = mail_server({**THROTTLED, "AUTH_VERIFY_ON_SIGNUP": "false"})
    email, tokens = signup_and_login(server, headers=OWNER)
    new = unique_email("new")
    for _ in range(5):
        assert_json_error(change(server, tokens["access_token"], new, "wrong password!", headers=ATTACKER),
                          400, "invalid_grant")
    refused = change(server, tokens["access_token"], new, PASSWORD, headers=ATTACKER)
    assert_json_error(refused, 429, "too_many_attempts")
    assert_retry_after(refused)
    quiet_for(1.2)
    assert sink.all() == []  # nothing was mailed for the refused attempts

    assert_accepted(change(server, tokens["access_token"], new, PASSWORD, headers=OWNER))
    sink.token(new, "confirm-email")


@pytest.mark.parametrize("path", ["/v1/email/verify", "/v1/password/forgot", "/v1/password/reset",
                                  "/v1/email/confirm", "/v1/email/verification", "/v1/email/change"])
def test_the_rate_limit_covers_the_email_endpoints(mail_server, path):
    server, sink = mail_server({**PROXIED, "AUTH_RATE_LIMIT_PER_MINUTE": "1", "AUTH_RATE_LIMIT_BURST": "2",
                                "AUTH_VERIFY_ON_SIGNUP": "false", "AUTH_LOCKOUT_THRESHOLD": "1000"})
    _, tokens = signup_and_login(server, headers=OWNER)
    bodies = {"/v1/email/verify": {"token": random_token()}, "/v1/password/forgot": {"email": unique_email()},
              "/v1/password/reset": {"token": random_token(), "new_password": NEW_PASSWORD},
              "/v1/email/confirm": {"token": random_token()}, "/v1/email/verification": None,
              "/v1/email/change": {"new_email": unique_email(), "password": "wrong password!"}}
    answers = [server.post(path, tokens["access_token"], json=bodies[path], headers=ATTACKER) for _ in range(3)]
    assert answers[0].status_code != 429, answers[0].text
    assert_json_error(answers[2], 429, "too_many_requests")
    assert_retry_after(answers[2])
    # Another address (with another account: the mail interval is per account) still gets through.
    _, others = signup_and_login(server, headers=from_address("192.0.2.2"))
    assert server.post(path, others["access_token"], json=bodies[path], headers=ELSEWHERE).status_code != 429
