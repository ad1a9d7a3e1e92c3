"""Shared helpers and fixtures for the test_mail_*.py end-to-end tests of account recovery and
verification by email (issue 13; API.md, "Account recovery and verification by email").

Mail is read where it lands: an in-process SMTP server (aiosmtpd) on 127.0.0.1, optionally with
STARTTLS or implicit TLS (a throw-away certificate made with the openssl CLI) and AUTH, and able to
answer a chosen code to RCPT or DATA; or the `*.eml` files the service writes without AUTH_SMTP_URL.
Not a test module; the tests import it as `from mail_support import ...`.
"""

from __future__ import annotations

import email
import email.policy
import re
import secrets
import ssl
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from conftest import E2E_ISSUER, SERVER_BIN, free_port, ok, ok_json, run_authctl, server_env, wait_until

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple battery horse 2"
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
KINDS = ("verify-email", "reset-password", "confirm-email")
PURPOSES = ("verify-email", "reset-password", "confirm-email", "email-changed")
MAIL_FIELDS = {"id", "to", "purpose", "status", "attempts", "created_at", "last_error"}
# Every test request comes from 127.0.0.1; these let a test name the client (X-Forwarded-For).
PROXIED = {"AUTH_TRUSTED_PROXIES": "127.0.0.1"}
WAIT = 12.0  # seconds to wait for a mail (the worker polls at least once a second)


def unique_email(prefix: str = "mail") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def random_token() -> str:
    """A well-formed token (43 base64url characters) that the service never issued."""
    return secrets.token_urlsafe(32)


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


# --------------------------------------------------------------------------- messages


@dataclass
class Mail:
    """One delivered message: its bytes, parsed, and (through SMTP) its envelope and session."""

    raw: bytes
    envelope_from: str | None = None
    envelope_to: list[str] | None = None
    tls: bool | None = None
    login: str | None = None
    msg: email.message.EmailMessage = field(init=False)

    def __post_init__(self):
        self.msg = email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def to(self) -> list[str]:
        if self.envelope_to is not None:
            return [a.lower() for a in self.envelope_to]
        return [a.addr_spec.lower() for a in self.msg["To"].addresses] if self.msg["To"] else []

    @property
    def subject(self) -> str:
        return str(self.msg["Subject"] or "")

    @property
    def text(self) -> str:
        part = self.msg.get_body(preferencelist=("plain",))
        assert part is not None, f"no text/plain part in {self.raw[:500]!r}"
        return part.get_content()

    @property
    def html(self) -> str | None:
        part = self.msg.get_body(preferencelist=("html",))
        return None if part is None else part.get_content()

    def link(self, kind: str) -> str | None:
        """The link of `kind` (verify-email, reset-password, confirm-email) in the text part."""
        match = re.search(r"(https?://[^\s<>\"']*?/" + re.escape(kind) + r"\?token=[A-Za-z0-9_-]*)", self.text)
        return match.group(1) if match else None

    def token(self, kind: str) -> str | None:
        link = self.link(kind)
        return None if link is None else link.rsplit("=", 1)[1]


class Mailbox:
    """Where a service's mail lands; `all()` in order of arrival."""

    def all(self) -> list[Mail]:
        raise NotImplementedError

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.all() if address.strip().lower() in m.to]

    def wait(self, address: str, count: int = 1, timeout: float = WAIT) -> list[Mail]:
        """The mails to `address` once there are at least `count` (bounded wait)."""
        return wait_until(lambda: len(self.to(address)) >= count and self.to(address), timeout, 0.1,
                          f"{count} mail(s) to {address}")

    def tokens(self, address: str, kind: str, count: int = 1, timeout: float = WAIT) -> list[str]:
        """The tokens of the links of `kind` in the mails to `address`, once there are `count`."""
        def found():
            tokens = [m.token(kind) for m in self.to(address) if m.link(kind)]
            return len(tokens) >= count and tokens
        tokens = wait_until(found, timeout, 0.1, f"{count} {kind} link(s) to {address}")
        for token in tokens:
            assert TOKEN_RE.fullmatch(token), f"token {token!r} is not 43 base64url characters"
        return tokens

    def token(self, address: str, kind: str, timeout: float = WAIT) -> str:
        return self.tokens(address, kind, 1, timeout)[-1]


class DirMailbox(Mailbox):
    """The `*.eml` files a service writes without AUTH_SMTP_URL."""

    def __init__(self, directory: Path):
        self.directory = directory

    def files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name))

    def all(self) -> list[Mail]:
        return [Mail(path.read_bytes()) for path in self.files()]


# --------------------------------------------------------------------------- SMTP sink


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for localhost and 127.0.0.1: (cert.pem, key.pem)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    return cert, key


class SmtpSink(Mailbox):
    """An SMTP server on 127.0.0.1 that keeps every message it accepts.

    Options: `cert` (cert, key) offers STARTTLS, or TLS from the start with `implicit_tls`;
    `auth` (user, password) requires AUTH PLAIN/LOGIN (also without TLS: loopback);
    `rcpt_reply` / `data_reply` (e.g. "550 5.1.1 no such user") answer RCPT / DATA with that
    instead of accepting, for every recipient or, with `reject_only`, for those addresses only.
    These can be changed while it runs. `stop()` and `start()` again keep the port."""

    def __init__(self, port: int | None = None, *, cert: tuple[Path, Path] | None = None,
                 implicit_tls: bool = False, auth: tuple[str, str] | None = None,
                 rcpt_reply: str | None = None, data_reply: str | None = None, reject_only: set[str] | None = None):
        self.port = port or free_port()
        self.cert, self.implicit_tls, self.auth = cert, implicit_tls, auth
        self.rcpt_reply, self.data_reply, self.reject_only = rcpt_reply, data_reply, reject_only
        self.messages: list[Mail] = []
        self.attempt_times: list[float] = []  # time.monotonic() of each DATA, accepted or not, or refused RCPT
        self.auth_failures = 0
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    def url(self, scheme: str = "smtp", userinfo: str = "", query: str = "") -> str:
        return f"{scheme}://{userinfo + '@' if userinfo else ''}127.0.0.1:{self.port}{'?' + query if query else ''}"

    def all(self) -> list[Mail]:
        with self.lock:
            return list(self.messages)

    def start(self) -> "SmtpSink":
        kwargs = {}
        if self.cert:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(self.cert[0]), str(self.cert[1]))
            kwargs["ssl_context" if self.implicit_tls else "tls_context"] = context
        if self.auth:
            # With STARTTLS, AUTH only after it; with TLS from the start (which aiosmtpd does not count as
            # TLS) or without TLS (loopback), at once.
            kwargs.update(authenticator=self._authenticate, auth_required=True,
                          auth_require_tls=bool(self.cert) and not self.implicit_tls)
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        good = (self.auth is not None and mechanism in ("PLAIN", "LOGIN")
                and (auth_data.login, auth_data.password) == tuple(s.encode() for s in self.auth))
        if not good:
            with self.lock:
                self.auth_failures += 1
        # handled=False: aiosmtpd answers a refusal with 535 itself.
        return AuthResult(success=good, handled=False, auth_data=auth_data.login.decode() if good else None)

    def _refuses(self, reply: str | None, recipients: list[str]) -> bool:
        return reply is not None and (self.reject_only is None
                                      or any(r.lower() in self.reject_only for r in recipients))


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.sink._refuses(self.sink.rcpt_reply, [address]):
            with self.sink.lock:
                self.sink.attempt_times.append(time.monotonic())
            return self.sink.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.attempt_times.append(time.monotonic())
        if self.sink._refuses(self.sink.data_reply, envelope.rcpt_tos):
            return self.sink.data_reply
        tls = server.transport is not None and server.transport.get_extra_info("ssl_object") is not None
        mail = Mail(envelope.original_content, envelope.mail_from, list(envelope.rcpt_tos), tls,
                    session.auth_data if session.authenticated else None)
        with self.sink.lock:
            self.sink.messages.append(mail)
        return "250 2.0.0 OK"


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp_sinks():
    """`make(start=True, **options)` for SmtpSinks; every one is stopped at the end of the test."""
    sinks: list[SmtpSink] = []

    def make(start: bool = True, **options) -> SmtpSink:
        sink = SmtpSink(**options)
        sinks.append(sink)
        return sink.start() if start else sink

    yield make
    for sink in sinks:
        sink.stop()


def mail_env(sink: SmtpSink, **extra: str) -> dict[str, str]:
    """Token-service settings to deliver to `sink` in the clear, with the e2e issuer, plus `extra`."""
    return {"AUTH_ISSUER": E2E_ISSUER, "AUTH_SMTP_URL": sink.url(), **extra}


@pytest.fixture
def mail_server(auth_server_factory, smtp_sinks):
    """`make(env=None, **sink_options)` -> (server, sink): a token service (issuer E2E_ISSUER) that
    delivers to a new SMTP sink."""

    def make(env: dict[str, str] | None = None, **sink_options):
        sink = smtp_sinks(**sink_options)
        return auth_server_factory(mail_env(sink, **(env or {}))), sink

    return make


# --------------------------------------------------------------------------- the service


def mail_list(server, *flags: str) -> list[dict]:
    """`authctl mail list --json [flags]`, each entry of the contract's shape."""
    entries = ok_json(run_authctl("mail", "list", "--json", *flags, database=server.db_path))
    assert isinstance(entries, list), entries
    for entry in entries:
        assert set(entry) == MAIL_FIELDS, entry
        assert entry["purpose"] in PURPOSES and entry["status"] in ("pending", "sent", "failed"), entry
    return entries


def attempted(server, timeout: float = WAIT) -> list[dict]:
    """The mails that had a failed attempt (attempts >= 1 and a last_error), once there is one."""
    return wait_until(lambda: [e for e in mail_list(server) if e["attempts"] >= 1 and e["last_error"]],
                      timeout, 0.2, "a failed delivery attempt")


def server_logs(server) -> str:
    """Everything the server printed, every start, on either stream."""
    return "".join(p.read_text(errors="replace") for p in sorted(server.workdir.glob("std*.log")))


def mail_list_text(server, *flags: str) -> str:
    return ok(run_authctl("mail", "list", *flags, database=server.db_path))


def audit_events(server, event: str | None = None) -> list[dict]:
    """`authctl audit --json`, only the events named `event` when given."""
    events = ok_json(run_authctl("audit", "--json", "--limit", "1000", database=server.db_path))
    return [e for e in events if event is None or e.get("event") == event]


def audit_text(server) -> str:
    return ok(run_authctl("audit", "--json", "--limit", "1000", database=server.db_path))


def metric(server, name: str) -> float | None:
    """The sum of every sample of `name` (any labels) in /metrics, None when absent."""
    r = server.get("/metrics")
    assert r.status_code == 200, r.text
    values = [float(m.group(1)) for m in re.finditer(r"^" + re.escape(name) + r"(?:\{[^}]*\})? (\S+)$", r.text, re.M)]
    return sum(values) if values else None


# The endpoints (API.md, "Account recovery and verification by email"); kwargs go to requests.


def verify(server, token, **kwargs):
    return server.post("/v1/email/verify", json={"token": token}, **kwargs)


def forgot(server, email, **kwargs):
    return server.post("/v1/password/forgot", json={"email": email}, **kwargs)


def reset(server, token, new_password=NEW_PASSWORD, **kwargs):
    return server.post("/v1/password/reset", json={"token": token, "new_password": new_password}, **kwargs)


def change(server, access_token: str, new_email, password=PASSWORD, **kwargs):
    return server.post("/v1/email/change", access_token, json={"new_email": new_email, "password": password}, **kwargs)


def confirm(server, token, **kwargs):
    return server.post("/v1/email/confirm", json={"token": token}, **kwargs)


def request_verification(server, access_token: str | None, **kwargs):
    return server.post("/v1/email/verification", access_token, **kwargs)


def assert_token_not_shown(server, *tokens: str) -> None:
    """No token in `authctl mail list` (JSON or text) nor in the audit log."""
    outputs = {"mail list --json": ok(run_authctl("mail", "list", "--json", database=server.db_path)),
               "mail list": mail_list_text(server), "audit --json": audit_text(server)}
    for name, text in outputs.items():
        for token in tokens:
            assert token not in text, f"authctl {name} shows a token: {text!r}"


def login(server, email: str, password: str = PASSWORD, **kwargs) -> dict:
    r = server.login(email, password, **kwargs)
    assert r.status_code == 200, f"login {email}: {r.status_code} {r.text}"
    return r.json()


def signup(server, email: str | None = None, password: str = PASSWORD, **kwargs) -> tuple[str, dict]:
    """A new account; (its email as stored: trimmed, lowercase; the account)."""
    email = email or unique_email()
    r = server.post("/v1/accounts", json={"email": email, "password": password}, **kwargs)
    assert r.status_code == 201, r.text
    account = r.json()
    assert_account(account, email, verified=False)
    return email.strip().lower(), account


def signup_and_login(server, email: str | None = None, password: str = PASSWORD, **kwargs) -> tuple[str, dict]:
    """A new account, logged in; (email, token response)."""
    email, _ = signup(server, email, password, **kwargs)
    return email, login(server, email, password, **kwargs)


def assert_account(account: dict, email: str, verified: bool) -> None:
    assert {"id", "email", "email_verified", "status", "created_at"} <= set(account), account
    assert account["email"] == email.strip().lower(), account
    assert account["email_verified"] is verified, account


def assert_accepted(resp) -> None:
    """202 `{}`."""
    assert resp.status_code == 202, f"{resp.status_code} {resp.text}"
    assert resp.json() == {}, resp.text


def assert_retry_after(resp, most: int | None = None) -> int:
    value = resp.headers.get("Retry-After", "")
    assert value.isdigit() and int(value) >= 1, resp.headers
    if most is not None:
        assert int(value) <= most, resp.headers
    return int(value)


def quiet_for(seconds: float, *checks) -> None:
    """Sleep `seconds` (the worker gets time to send what it would), then run the checks."""
    time.sleep(seconds)
    for check in checks:
        check()


def failed_start(tmp_path: Path, env: dict[str, str]) -> tuple[int, str]:
    """Start AuthServer with `env` that must stop it: (exit status, stderr); bounded."""
    full = server_env({"AUTH_DATABASE": str(tmp_path / "auth.sqlite"), "AUTH_PORT": "0", **env})
    try:
        proc = subprocess.run([str(SERVER_BIN)], cwd=tmp_path, env=full, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"server with {env} did not exit within 10 s")
    assert b"listening" not in proc.stdout, proc.stdout
    return proc.returncode, proc.stderr.decode(errors="replace")
