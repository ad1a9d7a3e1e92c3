"""What the mails say (issue 13; API.md, "Account recovery and verification by email"): links
under AUTH_MAIL_LINK_URL, the sender AUTH_MAIL_FROM, templates overridden from AUTH_MAIL_TEMPLATES
(first line the subject; `link`, `email`, `new_email`, `expires_in_minutes`; an `.html` twin makes
a multipart/alternative mail), lines sent intact (dot-stuffing); bad mail settings stop the start.
"""

from __future__ import annotations

import pytest

from conftest import E2E_ISSUER
from mail_support import assert_accepted, change, failed_start, forgot, signup, signup_and_login, unique_email
from mail_support import mail_server, smtp_sinks  # noqa: F401  (pytest fixtures)

SMTP_PASSWORD = "Smtp-Secret-9b2f"

VERIFY_TXT = """Welcome {{email}}
Hello {{email}},

open {{link}} within {{expires_in_minutes}} minutes.
.a line that starts with a dot
.
..two dots
the end
"""
VERIFY_HTML = """Welcome {{email}}
<p>Hello, <a href="{{link}}">verify your address</a> within {{expires_in_minutes}} minutes.</p>
"""
CHANGED_TXT = """Your address is changing
{{email}} will become {{new_email}}.
"""


def test_links_and_sender_follow_the_settings(mail_server):
    base = "https://app.example.com/account"
    server, sink = mail_server({"AUTH_MAIL_LINK_URL": base, "AUTH_MAIL_FROM": "accounts@mail.example.com"})
    email, tokens = signup_and_login(server)
    assert_accepted(forgot(server, email))
    new = unique_email("moved")
    assert_accepted(change(server, tokens["access_token"], new))
    for address, kind in ((email, "verify-email"), (email, "reset-password"), (new, "confirm-email")):
        token = sink.token(address, kind)
        [mail] = [m for m in sink.to(address) if m.link(kind)]
        assert mail.link(kind) == f"{base}/{kind}?token={token}", mail.text
        assert E2E_ISSUER not in mail.text, mail.text
    sink.wait(email, count=3)  # and the notice of the change
    for mail in sink.all():
        assert mail.envelope_from == "accounts@mail.example.com", mail.envelope_from
        assert [a.addr_spec for a in mail.msg["From"].addresses] == ["accounts@mail.example.com"], mail.msg["From"]


def test_the_default_sender_and_links_come_from_the_issuer(mail_server):
    server, sink = mail_server({"AUTH_ISSUER": "https://login.example.org"})
    email, _ = signup(server)
    token = sink.token(email, "verify-email")
    [mail] = sink.to(email)
    assert mail.link("verify-email") == f"https://login.example.org/verify-email?token={token}"
    assert mail.envelope_from == "no-reply@login.example.org"
    assert [a.addr_spec for a in mail.msg["From"].addresses] == ["no-reply@login.example.org"]


def test_templates_from_a_folder_override_the_built_in_ones_by_name(mail_server, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "verify-email.txt").write_text(VERIFY_TXT)
    (folder / "verify-email.html").write_text(VERIFY_HTML)
    (folder / "email-changed.txt").write_text(CHANGED_TXT)
    server, sink = mail_server({"AUTH_MAIL_TEMPLATES": str(folder)})
    email, tokens = signup_and_login(server)

    token = sink.token(email, "verify-email")
    [mail] = sink.to(email)
    assert mail.subject == f"Welcome {email}", mail.subject
    assert mail.msg.get_content_type() == "multipart/alternative", mail.msg.get_content_type()
    text = mail.text
    assert f"Hello {email}," in text and "within 1440 minutes" in text, text
    assert mail.link("verify-email") == f"{E2E_ISSUER}/verify-email?token={token}"
    lines = text.splitlines()
    for line in (".a line that starts with a dot", ".", "..two dots", "the end"):  # dot-stuffed, then unstuffed
        assert line in lines, text
    assert "Welcome" not in lines[0], text  # the first line is the subject, not the body
    assert token in mail.html and "verify your address" in mail.html and "1440" in mail.html, mail.html

    # reset-password has no override: the built-in template, a link all the same.
    assert_accepted(forgot(server, email))
    reset_token = sink.token(email, "reset-password")
    [reset_mail] = [m for m in sink.to(email) if m.link("reset-password")]
    assert reset_mail.subject and not reset_mail.subject.startswith("Welcome"), reset_mail.subject
    assert reset_token in reset_mail.text

    new = unique_email("new")
    assert_accepted(change(server, tokens["access_token"], new))
    sink.token(new, "confirm-email")
    [notice] = [m for m in sink.wait(email, count=3) if not any(m.link(k) for k in ("verify-email", "reset-password"))]
    assert notice.subject == "Your address is changing", notice.subject
    assert f"{email} will become {new}." in notice.text, notice.text


def test_mail_lines_stay_within_rfc_5322_limits(mail_server):
    server, sink = mail_server()
    email, _ = signup(server)
    [mail] = sink.wait(email)
    for line in mail.raw.split(b"\n"):
        assert len(line.rstrip(b"\r")) <= 998, line[:100]
    assert not mail.msg.defects, mail.msg.defects


def broken_templates(tmp_path):
    folder = tmp_path / "broken-templates"
    folder.mkdir()
    (folder / "verify-email.txt").write_text("Subject\n{{#link}} an unclosed section\n")
    return folder


BAD_SETTINGS = [
    ({"AUTH_SMTP_URL": "ftp://mail.example.com"}, "AUTH_SMTP_URL"),
    ({"AUTH_SMTP_URL": f"smtp://mailer:{SMTP_PASSWORD}@127.0.0.1:notaport"}, "AUTH_SMTP_URL"),
    ({"AUTH_SMTP_URL": f"smtp://mailer:{SMTP_PASSWORD}@127.0.0.1:25?starttls=sometimes"}, "AUTH_SMTP_URL"),
    ({"AUTH_MAIL_INTERVAL": "abc"}, "AUTH_MAIL_INTERVAL"),
    ({"AUTH_MAIL_INTERVAL": "-5"}, "AUTH_MAIL_INTERVAL"),
    ({"AUTH_MAIL_RETRY_FOR": "soon"}, "AUTH_MAIL_RETRY_FOR"),
    ({"AUTH_VERIFY_TTL": "-1"}, "AUTH_VERIFY_TTL"),
    ({"AUTH_RESET_TTL": "1h"}, "AUTH_RESET_TTL"),
    ({"AUTH_VERIFY_ON_SIGNUP": "maybe"}, "AUTH_VERIFY_ON_SIGNUP"),
    ({"AUTH_REQUIRE_VERIFIED_EMAIL": "maybe"}, "AUTH_REQUIRE_VERIFIED_EMAIL"),
    ({"AUTH_MAIL_LINK_URL": "not a url"}, "AUTH_MAIL_LINK_URL"),
    ({"AUTH_MAIL_FROM": "nobody"}, "AUTH_MAIL_FROM"),
    ({"AUTH_MAIL_TEMPLATES": "/nonexistent/templates"}, "AUTH_MAIL_TEMPLATES"),
    ({"AUTH_MAIL_TEMPLATES": broken_templates}, "AUTH_MAIL_TEMPLATES"),
    ({"AUTH_SMTP_URL": "smtp://127.0.0.1:25", "AUTH_SMTP_CA_FILE": "/nonexistent/ca.pem"}, "AUTH_SMTP_CA_FILE"),
    ({"AUTH_SMTP_URL": "smtp://mailer@127.0.0.1:25", "AUTH_SMTP_PASSWORD_FILE": "/nonexistent/pw"},
     "AUTH_SMTP_PASSWORD_FILE"),
]


@pytest.mark.parametrize("env, setting", BAD_SETTINGS, ids=[
    "smtp-url-ftp", "smtp-url-bad-port", "smtp-url-bad-starttls", "interval-abc", "interval-negative",
    "retry-for-word", "verify-ttl-negative", "reset-ttl-unit", "verify-on-signup-maybe", "require-verified-maybe",
    "link-url-not-url", "from-no-at", "templates-missing", "templates-broken", "ca-file-missing",
    "password-file-missing"])
def test_a_bad_mail_setting_stops_the_start_with_one_line(tmp_path, env, setting):
    env = {name: str(value(tmp_path)) if callable(value) else value for name, value in env.items()}
    status, stderr = failed_start(tmp_path, env)
    assert status == 64, (status, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {stderr!r}"
    named_file = any(value.startswith("/") and value in lines[0] for value in env.values())
    assert setting.lower() in lines[0].lower() or named_file, lines[0]  # names the setting, or the file
    assert SMTP_PASSWORD not in stderr, stderr
