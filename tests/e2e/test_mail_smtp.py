"""The SMTP client against a real SMTP server on loopback (aiosmtpd; issue 13; API.md, "Delivery"):
in the clear, STARTTLS whenever offered (`?starttls=required` refuses without it), TLS from the
start (`smtps://`), a CA from AUTH_SMTP_CA_FILE, AUTH PLAIN/LOGIN with the password in the URL or
in AUTH_SMTP_PASSWORD_FILE, and the password never shown.
"""

from __future__ import annotations

import urllib.parse

import pytest

from conftest import ok, run_authctl
from mail_support import attempted, mail_env, mail_list, quiet_for, server_logs, signup, verify
from mail_support import certificate, smtp_sinks  # noqa: F401  (pytest fixtures)

# aiosmtpd warns when it takes AUTH without TLS, as these tests mean it to (on loopback).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SMTP_PASSWORD = "Smtp-Secret-4e1d"


def assert_password_hidden(server, password: str) -> None:
    """Not in the server's logs, `authctl mail list` or /metrics."""
    shown = {"logs": server_logs(server), "metrics": server.get("/metrics").text,
             "mail list": ok(run_authctl("mail", "list", "--json", database=server.db_path))}
    for where, text in shown.items():
        assert password not in text, f"the SMTP password shows in {where}"


def delivered_once(server, sink) -> object:
    """Sign up; the verification mail arrives through `sink`, and its link works."""
    email, _ = signup(server)
    [mail] = sink.wait(email)
    assert verify(server, sink.token(email, "verify-email")).status_code == 200
    return mail


def test_plain_smtp_without_tls_or_auth(smtp_sinks, auth_server_factory):
    sink = smtp_sinks()
    server = auth_server_factory(mail_env(sink))
    mail = delivered_once(server, sink)
    assert mail.tls is False and mail.login is None


@pytest.mark.parametrize("query", ["", "starttls=required"], ids=["offered", "required"])
def test_starttls_and_auth(smtp_sinks, auth_server_factory, certificate, query):
    sink = smtp_sinks(cert=certificate, auth=("mailer", SMTP_PASSWORD))  # AUTH offered only after STARTTLS
    server = auth_server_factory(mail_env(sink, AUTH_SMTP_URL=sink.url(userinfo=f"mailer:{SMTP_PASSWORD}", query=query),
                                          AUTH_SMTP_CA_FILE=str(certificate[0])))
    mail = delivered_once(server, sink)
    assert mail.tls is True and mail.login == "mailer"
    assert sink.auth_failures == 0
    assert_password_hidden(server, SMTP_PASSWORD)


def test_starttls_required_sends_nothing_to_a_server_without_it(smtp_sinks, auth_server_factory):
    sink = smtp_sinks()
    server = auth_server_factory(mail_env(sink, AUTH_SMTP_URL=sink.url(query="starttls=required")))
    email, _ = signup(server)
    [entry] = attempted(server)
    assert entry["to"] == email and entry["status"] in ("pending", "failed"), entry
    quiet_for(1.0)
    assert sink.all() == []


def test_an_untrusted_certificate_sends_nothing(smtp_sinks, auth_server_factory, certificate):
    # STARTTLS offered with a certificate the service has no CA for: no delivery, in TLS or in the clear.
    sink = smtp_sinks(cert=certificate)
    server = auth_server_factory(mail_env(sink))
    email, _ = signup(server)
    [entry] = attempted(server)
    assert entry["to"] == email, entry
    quiet_for(1.0)
    assert sink.all() == []


def test_smtps_is_tls_from_the_start(smtp_sinks, auth_server_factory, certificate):
    sink = smtp_sinks(cert=certificate, implicit_tls=True, auth=("mailer", SMTP_PASSWORD))
    server = auth_server_factory(mail_env(sink, AUTH_SMTP_URL=sink.url("smtps", f"mailer:{SMTP_PASSWORD}"),
                                          AUTH_SMTP_CA_FILE=str(certificate[0])))
    mail = delivered_once(server, sink)
    assert mail.tls is True and mail.login == "mailer"
    assert_password_hidden(server, SMTP_PASSWORD)


@pytest.mark.parametrize("source", ["url", "file"])
def test_auth_on_loopback_without_tls(smtp_sinks, auth_server_factory, tmp_path, source):
    # Credentials may go in the clear to a loopback address; odd characters survive URL-encoding.
    password = SMTP_PASSWORD + " p@ss:w/rd%?#"
    sink = smtp_sinks(auth=("mailer", password))
    if source == "url":
        env = mail_env(sink, AUTH_SMTP_URL=sink.url(userinfo="mailer:" + urllib.parse.quote(password, safe="")))
    else:
        password_file = tmp_path / "smtp-password"
        password_file.write_text(password + "\n")
        env = mail_env(sink, AUTH_SMTP_URL=sink.url(userinfo="mailer"), AUTH_SMTP_PASSWORD_FILE=str(password_file))
    server = auth_server_factory(env)
    mail = delivered_once(server, sink)
    assert mail.tls is False and mail.login == "mailer"
    assert_password_hidden(server, SMTP_PASSWORD)


def test_a_wrong_smtp_password_sends_nothing_and_is_not_shown(smtp_sinks, auth_server_factory):
    sink = smtp_sinks(auth=("mailer", SMTP_PASSWORD))
    wrong = "Wrong-Smtp-Secret-77c0"
    server = auth_server_factory(mail_env(sink, AUTH_SMTP_URL=sink.url(userinfo=f"mailer:{wrong}")))
    email, _ = signup(server)
    [entry] = attempted(server)
    assert entry["to"] == email, entry
    assert sink.all() == [] and sink.auth_failures >= 1
    assert_password_hidden(server, wrong)
    assert all(wrong not in e["last_error"] for e in mail_list(server))
