"""Black-box end-to-end tests of the listings service (ListingsServer) with the token service (AuthServer).

Both built executables run as real processes on 127.0.0.1; every request goes over real HTTP.
The contract is /work/shared/API.md ("Listings service", plus the token-service basics); the scope is
the "Tests" paragraph of issue 3.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from datetime import datetime

import pytest
import requests

from conftest import (E2E_ISSUER, assert_json_error, free_port, jwt_claims, jwt_header, linked_auth_env,
                      run_authctl, wait_until)

PASSWORD = "correct horse battery"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
LISTING_FIELDS = {"id", "owner_id", "title", "description", "price_cents", "currency", "status",
                  "created_at", "updated_at"}
JWKS_PATH = "/.well-known/jwks.json"


# --------------------------------------------------------------------------- helpers


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


def page_all(listings, token: str, between_pages=None, max_pages: int = 20, **params) -> list[list[dict]]:
    """Follow next_cursor from the first page to the end; `between_pages(n)` runs after page n."""
    pages: list[list[dict]] = []
    cursor = None
    for _ in range(max_pages):
        query = dict(params)
        if cursor is not None:
            query["cursor"] = cursor
        body = assert_ok(listings.list(token, **query))
        assert set(body) == {"listings", "next_cursor"}, body
        assert isinstance(body["listings"], list), body
        pages.append(body["listings"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert isinstance(cursor, str) and cursor, body
        if between_pages is not None:
            between_pages(len(pages))
    pytest.fail(f"paging did not end within {max_pages} pages")


def ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


def assert_challenge(resp: requests.Response, *, with_error: bool) -> None:
    """401 per RFC 6750 and API.md: invalid_token body, Bearer challenge (error= only for a bad token)."""
    assert_json_error(resp, 401, "invalid_token")
    challenge = resp.headers.get("WWW-Authenticate", "")
    assert challenge.startswith("Bearer"), resp.headers
    if with_error:
        assert 'error="invalid_token"' in challenge, challenge
    else:
        assert "error=" not in challenge, challenge


def kids_in_json_output(text: str) -> set[str]:
    """Every "kid" value in `authctl ... --json` output (a JSON document or JSON lines)."""
    try:
        docs = [json.loads(text)]
    except ValueError:
        docs = [json.loads(line) for line in text.splitlines() if line.strip()]
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "kid" and isinstance(value, str):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for doc in docs:
        walk(doc)
    return found


# --------------------------------------------------------------------------- paging


def test_45_listings_page_20_20_5_newest_first_even_with_inserts_between_pages(linked_servers):
    auth, listings = linked_servers
    token, account_id = signup_and_login(auth)

    created = [create_listing(listings, token, title=f"Item {i:02d}", price_cents=i)["id"] for i in range(45)]
    assert len(set(created)) == 45
    newest_first = list(reversed(created))

    # Default limit (20), default status filter (active): 20/20/5, newest first, nothing twice or missing.
    pages = page_all(listings, token)
    assert [len(p) for p in pages] == [20, 20, 5], [len(p) for p in pages]
    flat = [item for page in pages for item in page]
    assert ids(flat) == newest_first
    for item in flat:
        assert_listing(item, owner_id=account_id, status="active")

    # Listings created between pages are newer than the cursor: the walk still yields exactly
    # the original 45 in order, with the same page sizes.
    extra: list[str] = []

    def insert_some(_page_no: int) -> None:
        for j in range(3):
            extra.append(create_listing(listings, token, title=f"Late {len(extra)}-{j}")["id"])

    pages = page_all(listings, token, between_pages=insert_some)
    assert [len(p) for p in pages] == [20, 20, 5], [len(p) for p in pages]
    assert ids([item for page in pages for item in page]) == newest_first
    assert len(extra) == 6

    # A fresh walk now sees the late ones first, then the original ones, still without gaps.
    pages = page_all(listings, token, limit=100)
    assert [len(p) for p in pages] == [51]
    assert ids(pages[0]) == list(reversed(extra)) + newest_first

    # An explicit limit pages the same way.
    pages = page_all(listings, token, limit=7)
    assert [len(p) for p in pages] == [7] * 7 + [2]
    assert ids([item for page in pages for item in page]) == list(reversed(extra)) + newest_first


# --------------------------------------------------------------------------- isolation


def test_another_user_sees_none_of_them(linked_servers):
    auth, listings = linked_servers
    alice, alice_id = signup_and_login(auth)
    bob, bob_id = signup_and_login(auth)
    assert alice_id != bob_id

    mine = [create_listing(listings, alice, title=f"Alice {i}") for i in range(3)]
    sold = assert_ok(listings.patch(f"/v1/listings/{mine[0]['id']}", alice, json={"status": "sold"}))
    assert sold["status"] == "sold"

    for status in ("active", "sold", "archived"):
        body = assert_ok(listings.list(bob, status=status))
        assert body == {"listings": [], "next_cursor": None}, (status, body)

    for listing in mine:
        path = f"/v1/listings/{listing['id']}"
        assert_json_error(listings.get(path, bob), 404, "not_found")
        assert_json_error(listings.patch(path, bob, json={"title": "Mine now"}), 404, "not_found")
        assert_json_error(listings.delete(path, bob), 404, "not_found")
        # Same answer as for an id that does not exist at all: no 403, nothing to tell them apart.
    assert_json_error(listings.get(f"/v1/listings/{uuid.uuid4()}", bob), 404, "not_found")

    # Bob's attempts changed nothing for Alice.
    for listing in mine:
        body = assert_ok(listings.get(f"/v1/listings/{listing['id']}", alice))
        assert body["title"] == listing["title"] and body["owner_id"] == alice_id
    assert len(assert_ok(listings.list(alice))["listings"]) == 2

    # Bob's own listing is his alone.
    bobs = create_listing(listings, bob, title="Bob's")
    assert bobs["owner_id"] == bob_id
    assert ids(assert_ok(listings.list(bob))["listings"]) == [bobs["id"]]
    assert_json_error(listings.get(f"/v1/listings/{bobs['id']}", alice), 404, "not_found")


# --------------------------------------------------------------------------- CRUD over the wire


def test_create_read_update_delete(linked_servers):
    auth, listings = linked_servers
    token, account_id = signup_and_login(auth)
    assert jwt_claims(token)["sub"] == account_id

    # 201 with the full listing; optional fields take their defaults.
    r = listings.create(token, title="Road bike", price_cents=25000)
    listing = assert_listing(assert_ok(r, 201), owner_id=account_id, title="Road bike", description="",
                             price_cents=25000, currency="USD", status="active")
    path = f"/v1/listings/{listing['id']}"
    assert assert_ok(listings.get(path, token)) == listing

    full = assert_listing(assert_ok(listings.create(token, title="Lamp", description="Brass, 1950s",
                                                    price_cents=0, currency="EUR"), 201),
                          owner_id=account_id, title="Lamp", description="Brass, 1950s", price_cents=0,
                          currency="EUR", status="active")
    assert full["id"] != listing["id"]

    # Boundaries that are valid.
    assert_listing(assert_ok(listings.create(token, title="t" * 200, price_cents=10**12,
                                             description="d" * 5000), 201),
                   title="t" * 200, price_cents=10**12, description="d" * 5000)

    # PATCH each field on its own; the rest stays as it was.
    current = listing
    for change in ({"title": "Racing bike"}, {"description": "Carbon frame"}, {"price_cents": 19999},
                   {"currency": "GBP"}, {"status": "archived"}, {"status": "active"}, {"status": "sold"}):
        updated = assert_listing(assert_ok(listings.patch(path, token, json=change)), owner_id=account_id)
        expected = {**current, **change}
        for key in LISTING_FIELDS - {"updated_at"}:
            assert updated[key] == expected[key], (change, key, updated)
        assert parse_time(updated["updated_at"]) >= parse_time(current["updated_at"])
        current = updated
    assert assert_ok(listings.get(path, token)) == current
    assert current["status"] == "sold"

    # Several fields at once.
    both = assert_ok(listings.patch(f"/v1/listings/{full['id']}", token,
                                    json={"title": "Desk lamp", "price_cents": 1500}))
    assert (both["title"], both["price_cents"], both["currency"]) == ("Desk lamp", 1500, "EUR")

    # The status filter: default active; sold and archived only on request.
    active = ids(assert_ok(listings.list(token))["listings"])
    assert listing["id"] not in active and full["id"] in active
    assert ids(assert_ok(listings.list(token, status="active"))["listings"]) == active
    assert ids(assert_ok(listings.list(token, status="sold"))["listings"]) == [listing["id"]]
    assert assert_ok(listings.list(token, status="archived"))["listings"] == []
    assert_ok(listings.patch(f"/v1/listings/{full['id']}", token, json={"status": "archived"}))
    assert ids(assert_ok(listings.list(token, status="archived"))["listings"]) == [full["id"]]
    assert full["id"] not in ids(assert_ok(listings.list(token))["listings"])

    # DELETE: 204 (no body), then it is gone everywhere.
    r = listings.delete(path, token)
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert_json_error(listings.get(path, token), 404, "not_found")
    assert_json_error(listings.patch(path, token, json={"title": "Back"}), 404, "not_found")
    assert_json_error(listings.delete(path, token), 404, "not_found")
    assert listing["id"] not in ids(assert_ok(listings.list(token, status="sold"))["listings"])
    # An id that never existed.
    assert_json_error(listings.get(f"/v1/listings/{uuid.uuid4()}", token), 404, "not_found")


INVALID_CREATES = [
    {"title": "", "price_cents": 1},
    {"title": "   ", "price_cents": 1},
    {"title": "x" * 201, "price_cents": 1},
    {"title": "ok", "price_cents": -1},
    {"title": "ok", "price_cents": 1.5},
    {"title": "ok", "price_cents": 10**12 + 1},
    {"title": "ok", "price_cents": 1, "currency": "usd"},
    {"title": "ok", "price_cents": 1, "currency": "EURO"},
    {"title": "ok", "price_cents": 1, "description": "d" * 5001},
]

INVALID_PATCHES = [
    {"title": ""},
    {"title": "x" * 201},
    {"price_cents": -1},
    {"price_cents": 1.5},
    {"price_cents": 10**12 + 1},
    {"currency": "usd"},
    {"currency": "EURO"},
    {"status": "gone"},
]


def check_all(cases, check) -> None:
    """Run `check(case)` for every case and report every failing one at once."""
    failures = []
    for case in cases:
        try:
            check(case)
        except AssertionError as exc:
            failures.append(f"{short(case)}: {exc}")
    assert not failures, "\n".join(failures)


def short(case) -> str:
    text = repr(case)
    return text if len(text) <= 120 else text[:117] + "..."


@pytest.fixture
def seller(linked_servers):
    """(listings server, token, one listing of the token's owner)."""
    auth, listings = linked_servers
    token, _ = signup_and_login(auth)
    return listings, token, create_listing(listings, token, title="Original", price_cents=500)


def test_invalid_listings_are_422(seller):
    listings, token, original = seller
    path = f"/v1/listings/{original['id']}"
    check_all([("POST", body) for body in INVALID_CREATES] + [("PATCH", body) for body in INVALID_PATCHES],
              lambda case: assert_json_error(listings.request(case[0], "/v1/listings" if case[0] == "POST" else path,
                                                              token, json=case[1]), 422, "invalid_listing"))
    # Nothing was created or changed by the refused requests.
    assert assert_ok(listings.get(path, token)) == original
    assert ids(assert_ok(listings.list(token, limit=100))["listings"]) == [original["id"]]


def test_missing_required_fields_are_400(seller):
    # API.md conventions: "a missing field or a wrong type is 400" (value rules are 422).
    listings, token, original = seller
    cases = [
        ("POST", "/v1/listings", {"json": {"price_cents": 1}}),                      # title missing
        ("POST", "/v1/listings", {"json": {"title": "ok"}}),                         # price_cents missing
        ("POST", "/v1/listings", {"json": {}}),
    ]
    check_all(cases, lambda case: assert_json_error(listings.request(case[0], case[1], token, **case[2]),
                                                    400, "invalid_request"))
    assert ids(assert_ok(listings.list(token, limit=100))["listings"]) == [original["id"]]


def test_malformed_listing_requests_are_400(seller):
    listings, token, original = seller
    path = f"/v1/listings/{original['id']}"
    cases = [
        ("POST", "/v1/listings", {"json": {"title": "ok", "price_cents": "100"}}),   # wrong type
        ("POST", "/v1/listings", {"json": {"title": 5, "price_cents": 100}}),        # wrong type
        ("POST", "/v1/listings", {"data": b"{not json", "headers": {"Content-Type": "application/json"}}),
        ("PATCH", path, {"json": {"price_cents": "100"}}),
        ("PATCH", path, {"data": b"[", "headers": {"Content-Type": "application/json"}}),
    ]
    check_all(cases, lambda case: assert_json_error(listings.request(case[0], case[1], token, **case[2]),
                                                    400, "invalid_request"))
    assert assert_ok(listings.get(path, token)) == original


def test_bad_list_queries_are_400(seller):
    listings, token, original = seller
    check_all([{"limit": "0"}, {"limit": "101"}, {"limit": "abc"}, {"limit": "-1"},
               {"status": "bogus"}, {"cursor": "garbage"}, {"cursor": "!!!not-a-cursor!!!"},
               {"cursor": base64.urlsafe_b64encode(b'{"x":1}').decode()}],
              lambda params: assert_json_error(listings.list(token, **params), 400, "invalid_request"))
    # The valid extremes of limit.
    for limit in ("1", "100"):
        assert ids(assert_ok(listings.list(token, limit=limit))["listings"]) == [original["id"]]


def test_bearer_errors_are_401_with_challenge(linked_servers, auth_server_factory):
    auth, listings = linked_servers
    token, _ = signup_and_login(auth)
    listing = create_listing(listings, token)
    targets = [("GET", "/v1/listings", {}), ("POST", "/v1/listings", {"json": {"title": "x", "price_cents": 1}}),
               ("GET", f"/v1/listings/{listing['id']}", {}),
               ("PATCH", f"/v1/listings/{listing['id']}", {"json": {"title": "y"}}),
               ("DELETE", f"/v1/listings/{listing['id']}", {})]

    for method, path, kwargs in targets:
        # No token: challenge without error=.
        assert_challenge(listings.request(method, path, **kwargs), with_error=False)
        # Garbage tokens.
        for garbage in ("garbage", "a.b.c", token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")):
            assert_challenge(listings.request(method, path, garbage, **kwargs), with_error=True)

    # A token signed by the token service's own key, but for another audience. The "billing" token
    # service shares the database (so the key and kid) of the one the listings service trusts.
    billing = auth_server_factory(linked_auth_env({"AUTH_AUDIENCE": "billing", "AUTH_DATABASE": str(auth.db_path),
                                                   "AUTH_KEY_FILE": str(auth.key_path)}), name="billing")
    email = unique_email("billing")
    assert billing.signup(email, PASSWORD).status_code == 201
    billing_token = login(billing, email)
    assert jwt_claims(billing_token)["aud"] in ("billing", ["billing"])
    assert jwt_claims(billing_token)["iss"] == E2E_ISSUER
    assert jwt_header(billing_token)["kid"] == jwt_header(token)["kid"]  # same key: only aud differs
    for method, path, kwargs in targets:
        assert_challenge(listings.request(method, path, billing_token, **kwargs), with_error=True)

    # The same account through the right audience works, and nothing above touched the listing.
    good = login(auth, email)
    assert assert_ok(listings.list(good)) == {"listings": [], "next_cursor": None}
    assert assert_ok(listings.get(f"/v1/listings/{listing['id']}", token)) == listing


# --------------------------------------------------------------------------- keys


def test_keeps_serving_while_the_token_service_is_down(linked_servers):
    auth, listings = linked_servers
    token, account_id = signup_and_login(auth)
    listing = create_listing(listings, token)

    auth.stop()  # SIGTERM
    assert auth.proc.poll() is not None
    with pytest.raises(requests.ConnectionError):
        requests.get(auth.url(JWKS_PATH), timeout=2)

    assert ids(assert_ok(listings.list(token))["listings"]) == [listing["id"]]
    assert_ok(listings.get(f"/v1/listings/{listing['id']}", token))
    assert_listing(assert_ok(listings.create(token, title="While down", price_cents=1), 201), owner_id=account_id)
    # Bad tokens are still refused properly (no 5xx).
    assert_challenge(listings.list("garbage"), with_error=True)


def test_503_until_the_token_service_is_up(auth_server_factory, listings_server_factory):
    # A token service on a known port; take a token, then stop it.
    port = free_port()
    auth = auth_server_factory(linked_auth_env({"AUTH_PORT": str(port)}), name="auth")
    assert auth.port == port
    token, _ = signup_and_login(auth)
    auth.stop()

    listings = listings_server_factory({"LISTINGS_JWKS_URL": f"http://127.0.0.1:{port}{JWKS_PATH}"})
    r = listings.list(token)
    assert_json_error(r, 503, "keys_unavailable")
    retry_after = r.headers.get("Retry-After", "")
    assert re.fullmatch(r"\d+", retry_after), r.headers
    assert_json_error(listings.create(token, title="x", price_cents=1), 503, "keys_unavailable")
    # Health needs no keys.
    assert listings.get("/healthz").status_code == 200

    auth.start()  # same database and keys, same port
    assert auth.port == port
    started = time.monotonic()
    wait_until(lambda: listings.list(token).status_code == 200, timeout=15.0, interval=0.25,
               what="listings service answering 200 after the token service started")
    elapsed = time.monotonic() - started
    assert elapsed < 15.0
    assert assert_ok(listings.list(token)) == {"listings": [], "next_cursor": None}


def test_jwks_file(auth_server_factory, listings_server_factory, tmp_path):
    auth = auth_server_factory(linked_auth_env(), name="auth")
    token, account_id = signup_and_login(auth)
    r = auth.get(JWKS_PATH)
    assert r.status_code == 200, r.text
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(r.text)

    # Stop the token service so only the file can supply the keys.
    auth.stop()
    listings = listings_server_factory({"LISTINGS_JWKS_FILE": str(jwks_file)})
    assert ids(assert_ok(listings.list(token))["listings"]) == []
    assert_listing(assert_ok(listings.create(token, title="From file", price_cents=3), 201), owner_id=account_id)
    assert_challenge(listings.list("a.b.c"), with_error=True)


def test_key_rotation_is_picked_up_without_restart(auth_server_factory, listings_server_factory):
    auth = auth_server_factory(linked_auth_env(), name="auth")
    # Periodic refresh far away: only the unknown-kid refetch can bring in the new key.
    listings = listings_server_factory({"LISTINGS_JWKS_URL": auth.url(JWKS_PATH), "LISTINGS_JWKS_REFRESH": "300"})
    email = unique_email("rotate")
    old_token, account_id = signup_and_login(auth, email)
    old_kid = jwt_header(old_token)["kid"]
    listing = create_listing(listings, old_token)
    kids_before = {k["kid"] for k in auth.get(JWKS_PATH).json()["keys"]}
    assert old_kid in kids_before

    r = run_authctl("keys", "rotate", "--activate-in", "0", database=auth.db_path)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    r = run_authctl("keys", "list", "--json", database=auth.db_path)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    kids = kids_in_json_output(r.stdout)
    assert old_kid in kids and len(kids) >= 2, r.stdout

    # The running token service switches to the new key within 5 s.
    def new_token():
        token = login(auth, email)
        return token if jwt_header(token)["kid"] != old_kid else None

    token = wait_until(new_token, timeout=8.0, interval=0.25, what="a token with a new kid")
    new_kid = jwt_header(token)["kid"]
    assert new_kid not in kids_before  # unknown to the listings service's start-up fetch
    assert new_kid in {k["kid"] for k in auth.get(JWKS_PATH).json()["keys"]}

    # The listings service was not restarted; it refetches on the unknown kid (at most every 10 s,
    # counted from its start-up fetch at worst), so allow one such interval.
    pid = listings.proc.pid
    resp = wait_until(lambda: (lambda r: r if r.status_code == 200 else None)(listings.list(token)),
                      timeout=12.0, interval=0.5, what="the new-kid token accepted")
    assert ids(resp.json()["listings"]) == [listing["id"]]
    assert listings.proc.pid == pid and listings.proc.poll() is None
    # Old tokens keep working (the old key stays in the JWKS while tokens signed by it live).
    assert ids(assert_ok(listings.list(old_token))["listings"]) == [listing["id"]]
    assert jwt_claims(token)["sub"] == account_id
