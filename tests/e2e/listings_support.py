"""Shared helpers for the test_listings_*.py end-to-end tests of the listings service (ListingsServer)
with the token service (AuthServer).

Both built executables run as real processes on 127.0.0.1; every request goes over real HTTP.
The contract is /work/shared/API.md ("Listings service", plus the token-service basics); the scope is
the "Tests" paragraph of issue 3.
Not a test module; the tests import it as `from listings_support import ...`.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime

import requests

PASSWORD = "correct horse battery"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
LISTING_FIELDS = {"id", "owner_id", "title", "description", "price_cents", "currency", "status",
                  "created_at", "updated_at"}


def unique_email(prefix: str = "seller") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def media_type(resp: requests.Response) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip()


def assert_ok(resp: requests.Response, status: int = 200) -> dict:
    assert resp.status_code == status, (f"{resp.request.method} {resp.request.url}: expected {status}, "
                                        f"got {resp.status_code}: {resp.text!r}")
    assert media_type(resp) == "application/json", resp.headers
    return resp.json()


def parse_time(text: str) -> datetime:
    assert RFC3339_UTC_RE.match(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_listing(body: dict, *, owner_id: str | None = None, **expected) -> dict:
    """A listing per API.md, with exactly the contract's fields and types, plus any expected values."""
    assert set(body) == LISTING_FIELDS, body
    assert isinstance(body["id"], str) and UUID_RE.match(body["id"]), body
    assert isinstance(body["owner_id"], str) and UUID_RE.match(body["owner_id"]), body
    assert isinstance(body["title"], str) and isinstance(body["description"], str), body
    assert isinstance(body["price_cents"], int) and not isinstance(body["price_cents"], bool), body
    assert isinstance(body["currency"], str) and re.fullmatch(r"[A-Z]{3}", body["currency"]), body
    assert body["status"] in {"active", "archived", "sold"}, body
    created, updated = parse_time(body["created_at"]), parse_time(body["updated_at"])
    assert abs(created.timestamp() - time.time()) < 120, body
    assert updated >= created, body
    if owner_id is not None:
        assert body["owner_id"] == owner_id, body
    for key, value in expected.items():
        assert body[key] == value, (key, body)
    return body


def signup_and_login(auth, email: str | None = None) -> tuple[str, str]:
    """A new account on the token service; returns (access token, account id)."""
    email = email or unique_email()
    r = auth.signup(email, PASSWORD)
    assert r.status_code == 201, r.text
    account_id = r.json()["id"]
    return login(auth, email), account_id


def login(auth, email: str) -> str:
    r = auth.login(email, PASSWORD)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def create_listing(listings, token: str, **fields) -> dict:
    body = {"title": "Bike", "price_cents": 1000, **fields}
    return assert_listing(assert_ok(listings.create(token, **body), 201))


def ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]
