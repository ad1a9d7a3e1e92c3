"""Hostile input in every new field (issue 13): wrong JSON types, missing fields, huge strings, CR/LF
and header injection in emails, tokens that are not strings, empty or full of odd characters.
Each is answered 400 or 422 with the contract's error body, never a 5xx, and nothing is queued or
mailed: `authctl mail list --json` and the SMTP sink stay empty.
"""

from __future__ import annotations

import pytest

from hostile_support import NO_LOCKOUT, check_all, check_resp_error
from mail_support import PASSWORD, TOKEN_RE, mail_list, quiet_for, random_token, signup_and_login, unique_email
from mail_support import mail_server, smtp_sinks  # noqa: F401  (pytest fixtures)

INJECTED = "bcc-victim@example.net"
HOSTILE_EMAILS = [
    f"a@example.com\r\nBcc: {INJECTED}",
    f"a@example.com\nBcc: {INJECTED}",
    f"a@example.com\rBcc: {INJECTED}",
    "a@example.com\r\nSubject: injected\r\n\r\nbody",
    f"a@example.com\r\n\r\n.\r\nMAIL FROM:<x@example.com>\r\nRCPT TO:<{INJECTED}>",
    f"a@example.com, {INJECTED}",
    f"Victim <a@example.com>, <{INJECTED}>",
    f"a@example.com>\r\nRCPT TO:<{INJECTED}",
    "a@exa mple.com",
    "a@example.com\x00",
    "a\x00b@example.com",
    "not-an-email",
    "@example.com",
    "a@",
    "a@@example.com",
    "x" * 250 + "@example.com",
    "a@" + "d" * 60_000 + ".com",
    "",
    "   ",
]
BAD_TYPES = [None, 5, 1.5, True, [], ["a@example.com"], {}, {"email": "a@example.com"}]
HOSTILE_TOKENS = ["", " ", "a", "x" * 43 + "\r\nBcc: " + INJECTED, "é" * 43, "' OR 1=1 --", "%00" * 15,
                  "A" * 42, "A" * 44, "A" * 20_000, "../../etc/passwd", "\x00" * 43, random_token() + "=",
                  "+/" * 21 + "A", "<script>alert(1)</script>"]
QUIET = {**NO_LOCKOUT, "AUTH_VERIFY_ON_SIGNUP": "false"}


def assert_nothing_mailed(server, sink) -> None:
    """Nothing queued (a mail is queued before the 2xx), so nothing arrives either."""
    assert mail_list(server) == [], mail_list(server)
    quiet_for(0.5)
    assert sink.all() == [], [(m.to, m.subject) for m in sink.all()]


def refused(statuses: set[int], code: str | None = None):
    """A check that an answer is one of `statuses` with the contract's error body."""
    def check(resp):
        check_resp_error(resp, statuses=statuses, code=code)
    return check


def test_forgot_refuses_hostile_emails(mail_server):
    server, sink = mail_server(QUIET)
    cases = [({"email": e}, refused({422}, "invalid_email")) for e in HOSTILE_EMAILS]
    cases += [({"email": t}, refused({400}, "invalid_request")) for t in BAD_TYPES]
    cases += [({}, refused({400}, "invalid_request")), ({"mail": "a@example.com"}, refused({400}, "invalid_request"))]
    check_all(cases, lambda case: case[1](server.post("/v1/password/forgot", json=case[0])))
    assert_nothing_mailed(server, sink)


def test_sign_up_refuses_hostile_emails_and_mails_nothing(mail_server):
    server, sink = mail_server(NO_LOCKOUT)  # sign-up would send a verification mail
    cases = [e for e in HOSTILE_EMAILS if e.strip()]
    check_all(cases, lambda e: refused({422}, "invalid_email")(
        server.post("/v1/accounts", json={"email": e, "password": PASSWORD})))
    assert_nothing_mailed(server, sink)


def test_change_refuses_hostile_fields(mail_server):
    server, sink = mail_server(QUIET)
    _, tokens = signup_and_login(server)
    cases = [({"new_email": e, "password": PASSWORD}, refused({422}, "invalid_email")) for e in HOSTILE_EMAILS]
    cases += [({"new_email": t, "password": PASSWORD}, refused({400}, "invalid_request")) for t in BAD_TYPES]
    cases += [({"new_email": unique_email(), "password": t}, refused({400}, "invalid_request")) for t in BAD_TYPES]
    cases += [({"password": PASSWORD}, refused({400}, "invalid_request")),
              ({"new_email": unique_email()}, refused({400}, "invalid_request")),
              ({}, refused({400}, "invalid_request"))]
    check_all(cases, lambda case: case[1](server.post("/v1/email/change", tokens["access_token"], json=case[0])))
    assert_nothing_mailed(server, sink)


@pytest.mark.parametrize("path, extra", [("/v1/email/verify", {}), ("/v1/email/confirm", {}),
                                         ("/v1/password/reset", {"new_password": "a perfectly fine one"})],
                         ids=["verify", "confirm", "reset"])
def test_token_endpoints_refuse_hostile_tokens(mail_server, path, extra):
    server, sink = mail_server(QUIET)
    signup_and_login(server)
    cases = [({"token": t, **extra}, refused({400, 422})) for t in HOSTILE_TOKENS]
    cases += [({"token": t, **extra}, refused({400}, "invalid_request")) for t in BAD_TYPES]
    cases += [(extra, refused({400}, "invalid_request"))]
    if extra:
        cases += [({"token": random_token(), "new_password": t}, refused({400}, "invalid_request"))
                  for t in BAD_TYPES]
        cases += [({"token": random_token()}, refused({400}, "invalid_request"))]
    check_all(cases, lambda case: case[1](server.post(path, json=case[0])))
    assert_nothing_mailed(server, sink)


@pytest.mark.parametrize("path", ["/v1/email/verify", "/v1/password/forgot", "/v1/password/reset",
                                  "/v1/email/confirm", "/v1/email/change"])
def test_bodies_that_are_not_strict_json_objects_are_invalid_request(mail_server, path):
    server, sink = mail_server(QUIET)
    _, tokens = signup_and_login(server)
    bodies = [b"", b"{", b"null", b"[]", b'"a@example.com"', b"42", b'{"token": "a",}', b'{"email": "a@b.co" /* c */}',
              b'{"token": "%s", "token": "%s"}' % (random_token().encode(), random_token().encode()),
              b'{"email": "a@example.com", "email": "b@example.com"}', b"\xff\xfe{}", b"[" * 200 + b"]" * 200]
    json_header = {"Content-Type": "application/json"}
    cases = [(body, json_header) for body in bodies]
    cases += [(b'{"email": "a@example.com"}', {"Content-Type": "text/plain"}),
              (b"email=a%40example.com", {"Content-Type": "application/x-www-form-urlencoded"})]
    check_all(cases, lambda case: refused({400}, "invalid_request")(
        server.post(path, tokens["access_token"], data=case[0], headers=case[1])))
    assert_nothing_mailed(server, sink)


def test_a_valid_but_unusual_address_gets_exactly_one_recipient(mail_server):
    server, sink = mail_server(NO_LOCKOUT)
    email = f"o'brien+tag-{unique_email('x')}"
    _, tokens = signup_and_login(server, email)
    [mail] = sink.wait(email)
    assert mail.to == [email.lower()] and [a.addr_spec for a in mail.msg["To"].addresses] == [email.lower()]
    assert mail.msg.get_all("Bcc") is None and mail.msg.get_all("Cc") is None
    assert TOKEN_RE.fullmatch(mail.token("verify-email"))
