"""Shared helpers for the test_mfa_*.py end-to-end tests of the second factor (issue 14; API.md,
"Second factor: TOTP and recovery codes", and "Changes to what exists": `mfa_enabled`, `amr`).

Codes come from pyotp, an implementation independent of the service's; the otpauth URI is read
with `pyotp.parse_uri`, as an authenticator app would. TOTP: SHA-1, 6 digits, 30 s steps; the
service accepts one step of drift either side and never the same code twice within its window,
so `Authenticator.code()` hands out each step once, the current one or the next.
Not a test module; the tests import it as `from mfa_support import ...`.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import uuid
import warnings
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from conftest import assert_json_error
from mail_support import audit_text, server_logs
from token_support import assert_token_response

PASSWORD = "correct horse battery"
STEP = 30
MFA_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
SECRET_RE = re.compile(r"[A-Z2-7]{32}")  # RFC 4648 base32, no padding: 160 bits
RECOVERY_CODE_RE = re.compile(r"[a-z2-7]{4}(?:-[a-z2-7]{4}){3}")  # lowercase base32, 80 bits
ACCOUNT_FIELDS = {"id", "email", "email_verified", "mfa_enabled", "status", "created_at"}
AMR_PASSWORD, AMR_OTP, AMR_RECOVERY = ["pwd"], ["pwd", "otp", "mfa"], ["pwd", "mfa"]
# Every test request comes from 127.0.0.1; these let a test name the client (X-Forwarded-For).
PROXIED = {"AUTH_TRUSTED_PROXIES": "127.0.0.1"}


def unique_email(prefix: str = "mfa") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


# --------------------------------------------------------------------------- the clock


def step_now() -> int:
    return int(time.time() // STEP)


def wait_for_fresh_step(seconds_left: float = 4.0) -> None:
    """Sleep until at least `seconds_left` remain in the current 30 s step (sleeps at most that long)."""
    left = STEP - time.time() % STEP
    if left < seconds_left:
        time.sleep(left + 0.05)


class Authenticator:
    """An authenticator app holding `secret`: pyotp's codes, each step handed out once.

    `code()` is a code the service must accept now: the current step's, or the next step's (one
    step of drift) when the current one was already used; past both it waits for the clock.
    A step from `after` (another Authenticator of the same account) is not handed out again."""

    def __init__(self, secret: str, after: "Authenticator | None" = None):
        self.secret = secret
        self.totp = pyotp.TOTP(secret)
        self.last_step: int | None = after.last_step if after else None

    def code_for_step(self, step: int) -> str:
        return self.totp.generate_otp(step)

    def code_at(self, offset: float) -> str:
        """The code for the time `offset` seconds from now (not counted as handed out)."""
        return self.totp.at(time.time() + offset)

    def code(self) -> str:
        while True:
            current = step_now()
            step = current if self.last_step is None else max(current, self.last_step + 1)
            if step <= current + 1:
                break
            time.sleep(max(0.05, (step - 1) * STEP - time.time() + 0.05))
        self.last_step = step
        return self.code_for_step(step)

    def wrong_code(self) -> str:
        """Six digits that no step from two before to two after now accepts."""
        current = step_now()
        near = {self.code_for_step(current + d) for d in range(-3, 4)}
        return next(c for c in (f"{n:06d}" for n in range(0, 1_000_000, 7919)) if c not in near)


# --------------------------------------------------------------------------- accounts and enrolment


def assert_account(body: dict, email: str, mfa_enabled: bool) -> dict:
    assert set(body) == ACCOUNT_FIELDS, body
    assert body["email"] == email.strip().lower(), body
    assert body["mfa_enabled"] is mfa_enabled, body
    return body


def signup(server, email: str | None = None) -> tuple[str, dict]:
    """A new account; (its stored email, the 201 answer, which shows `mfa_enabled` false)."""
    email = email or unique_email()
    r = server.signup(email, PASSWORD)
    assert r.status_code == 201, r.text
    return email.strip().lower(), assert_account(r.json(), email, False)


def me(server, access_token: str, email: str, mfa_enabled: bool) -> dict:
    r = server.me(access_token)
    assert r.status_code == 200, r.text
    return assert_account(r.json(), email, mfa_enabled)


def start_enrolment(server, access_token: str, password: str = PASSWORD) -> dict:
    """POST /v1/mfa/totp: 200 {"secret", "otpauth_uri"}, a 32-character base32 secret of 160 bits."""
    r = server.post("/v1/mfa/totp", access_token, json={"password": password})
    assert r.status_code == 200, f"{r.status_code} {r.text}"
    body = r.json()
    assert set(body) == {"secret", "otpauth_uri"}, body
    assert SECRET_RE.fullmatch(body["secret"]), body
    assert len(base64.b32decode(body["secret"] + "=" * (-len(body["secret"]) % 8))) == 20, body
    return body


def confirm(server, access_token: str, code) -> requests.Response:
    return server.post("/v1/mfa/totp/verify", access_token, json={"code": code})


def assert_recovery_codes(resp: requests.Response) -> list[str]:
    """200 {"recovery_codes": [10 distinct codes xxxx-xxxx-xxxx-xxxx]}."""
    assert resp.status_code == 200, f"{resp.status_code} {resp.text}"
    body = resp.json()
    assert set(body) == {"recovery_codes"}, body
    codes = body["recovery_codes"]
    assert isinstance(codes, list) and len(codes) == 10 and len(set(codes)) == 10, body
    for code in codes:
        assert isinstance(code, str) and RECOVERY_CODE_RE.fullmatch(code), code
    return codes


def enrol(server, access_token: str, after: Authenticator | None = None) -> tuple[Authenticator, list[str]]:
    """Turn TOTP on: start an enrolment, confirm it with a first code; (the app, the recovery codes)."""
    app = Authenticator(start_enrolment(server, access_token)["secret"], after)
    return app, assert_recovery_codes(confirm(server, access_token, app.code()))


@dataclass
class MfaAccount:
    email: str
    id: str
    app: Authenticator
    recovery_codes: list[str]
    tokens: dict = field(repr=False)  # the token response of the login before enrolment


def mfa_account(server, email: str | None = None) -> MfaAccount:
    """A new account with TOTP on."""
    email, account = signup(server, email)
    tokens = login_tokens(server, email, AMR_PASSWORD)
    app, codes = enrol(server, tokens["access_token"])
    return MfaAccount(email, account["id"], app, codes, tokens)


def disable(server, access_token: str, code) -> requests.Response:
    return server.delete("/v1/mfa/totp", access_token, json={"code": code})


def regenerate(server, access_token: str, code) -> requests.Response:
    return server.post("/v1/mfa/recovery-codes", access_token, json={"code": code})


# --------------------------------------------------------------------------- the token endpoint


def password_grant(server, email: str, password: str = PASSWORD, headers: dict | None = None,
                   **extra) -> requests.Response:
    data = {"grant_type": "password", "username": email, "password": password, **extra}
    return server.post("/v1/token", data=data, headers=headers or {})


def otp_grant(server, mfa_token, otp, headers: dict | None = None, **extra) -> requests.Response:
    data = {"grant_type": "mfa_otp", "mfa_token": mfa_token, "otp": otp, **extra}
    return server.post("/v1/token", data=data, headers=headers or {})


def recovery_grant(server, mfa_token, code, headers: dict | None = None, **extra) -> requests.Response:
    data = {"grant_type": "mfa_recovery_code", "mfa_token": mfa_token, "recovery_code": code, **extra}
    return server.post("/v1/token", data=data, headers=headers or {})


def assert_mfa_required(resp: requests.Response) -> str:
    """403 {"error": "mfa_required", "error_description", "mfa_token"}, no-store; the mfa_token."""
    body = assert_json_error(resp, 403, "mfa_required")
    assert set(body) == {"error", "error_description", "mfa_token"}, body
    assert MFA_TOKEN_RE.fullmatch(body["mfa_token"]), body
    cache_control = [d.strip().lower() for d in resp.headers.get("Cache-Control", "").split(",")]
    assert "no-store" in cache_control, resp.headers
    return body["mfa_token"]


def mfa_token(server, email: str, password: str = PASSWORD, headers: dict | None = None, **extra) -> str:
    """The right password for an account with TOTP on: its mfa_token."""
    return assert_mfa_required(password_grant(server, email, password, headers, **extra))


def claims(server, access_token: str) -> dict:
    """The access token's claims, once its signature checks out with a key of the JWKS (joserfc)."""
    keys = KeySet.import_key_set(server.get("/.well-known/jwks.json").json())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        return jwt.decode(access_token, keys, algorithms=["EdDSA", "Ed25519"]).claims


def assert_tokens(server, resp: requests.Response, amr: list[str], client_id: str = "default",
                  sub: str | None = None) -> dict:
    """A token response whose access token carries `amr` and `client_id` (and `sub`), and a refresh
    of it that keeps both. Returns the refreshed token response."""
    body = assert_token_response(resp, expires_in=None)
    first = claims(server, body["access_token"])
    assert first.get("amr") == amr, first
    assert first.get("client_id") == client_id, first
    if sub is not None:
        assert first["sub"] == sub, first
    refreshed = assert_token_response(server.refresh(body["refresh_token"]), expires_in=None)
    again = claims(server, refreshed["access_token"])
    assert (again.get("amr"), again.get("client_id"), again["sid"]) == (amr, client_id, first["sid"]), again
    return refreshed


def login_tokens(server, email: str, amr: list[str], password: str = PASSWORD) -> dict:
    """A plain password login (TOTP off): the token response, with `amr` checked."""
    body = assert_token_response(password_grant(server, email, password), expires_in=None)
    assert claims(server, body["access_token"]).get("amr") == amr
    return body


def otp_login(server, account: MfaAccount, **extra) -> dict:
    """Password, then a TOTP code: the token response."""
    r = otp_grant(server, mfa_token(server, account.email, **extra), account.app.code())
    body = assert_token_response(r, expires_in=None)
    assert claims(server, body["access_token"]).get("amr") == AMR_OTP
    return body


# --------------------------------------------------------------------------- secrets stay secret


def spellings(secret: str) -> set[str]:
    return {secret, secret.lower(), secret.upper(), secret.replace("-", ""), secret.replace("-", "").upper()}


def assert_not_revealed(server, *secrets: str) -> None:
    """Neither `authctl audit --json` nor anything the server printed shows one of `secrets`."""
    outputs = {"authctl audit --json": audit_text(server), "the server's logs": server_logs(server)}
    for where, text in outputs.items():
        for secret in secrets:
            for spelling in spellings(secret):
                assert spelling not in text, f"{where} shows {spelling!r}"


def parse_otpauth(uri: str) -> tuple[pyotp.TOTP, dict[str, list[str]]]:
    """The URI as an authenticator app reads it (pyotp), and its raw query parameters."""
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp", uri
    otp = pyotp.parse_uri(uri)
    assert isinstance(otp, pyotp.TOTP), uri
    assert otp.digest is hashlib.sha1 and otp.digits == 6 and otp.interval == 30, uri
    return otp, parse_qs(parsed.query)


def label_of(uri: str) -> tuple[str, str]:
    """(issuer, account name) of the URI's label, percent-decoded."""
    issuer, _, name = urlparse(uri).path.lstrip("/").partition(":")
    return unquote(issuer), unquote(name)
