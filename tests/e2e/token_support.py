"""Shared helpers for the test_token_*.py end-to-end tests of the token service (AuthServer).

The contract is /work/shared/API.md ("Token service" and "Configuration").
Not a test module; the tests import it as `from token_support import ...`.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from datetime import datetime, timezone

import requests
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

PASSWORD = "correct horse battery"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def assert_account(body: dict, email: str) -> None:
    assert set(body) == {"id", "email", "email_verified", "mfa_enabled", "status", "created_at"}, body
    assert body["email_verified"] is False, body
    assert UUID_RE.match(body["id"]), body
    assert body["email"] == email.strip().lower()
    assert body["status"] == "active"
    assert RFC3339_UTC_RE.match(body["created_at"]), body
    created = datetime.strptime(body["created_at"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    assert abs(created.timestamp() - time.time()) < 120, body


def assert_token_response(resp: requests.Response, expires_in: int | None = 900) -> dict:
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("Content-Type", "").split(";")[0].strip() == "application/json"
    cache_control = [d.strip().lower() for d in resp.headers.get("Cache-Control", "").split(",")]
    assert "no-store" in cache_control, resp.headers
    body = resp.json()
    assert set(body) >= {"access_token", "token_type", "expires_in", "refresh_token"}, body
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int) and not isinstance(body["expires_in"], bool)
    if expires_in is not None:
        assert body["expires_in"] == expires_in
    assert isinstance(body["access_token"], str) and body["access_token"].count(".") == 2
    assert isinstance(body["refresh_token"], str) and len(body["refresh_token"]) >= 32
    return body


def signup_and_login(server, email: str | None = None, password: str = PASSWORD) -> tuple[dict, dict]:
    email = email or unique_email()
    r = server.signup(email, password)
    assert r.status_code == 201, r.text
    account = r.json()
    tokens = assert_token_response(server.login(email, password), expires_in=None)
    return account, tokens


def jwks_of(server) -> dict:
    r = server.get("/.well-known/jwks.json")
    assert r.status_code == 200, r.text
    return r.json()


def verify_access_token(token: str, jwks: dict, *, algorithms: list[str], issuer: str, audience: str,
                        sub: str | None = None):
    """Verify as an RFC 9068 resource server would: signature with a JWKS key, alg, typ, iss, aud, times."""
    key_set = KeySet.import_key_set(jwks)
    decoded = jwt.decode(token, key_set, algorithms=algorithms)
    claims_options = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": audience},
        "sub": {"essential": True} if sub is None else {"essential": True, "value": sub},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "jti": {"essential": True},
        "sid": {"essential": True},
    }
    JWTClaimsRegistry(leeway=60, **claims_options).validate(decoded.claims)
    return decoded


def jwt_claims(token: str) -> dict:
    """Claims without verification (for sid/jti bookkeeping only)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
