"""End-to-end tests of the listings service: refused requests (422 for values, 400 for missing fields,
wrong types, malformed JSON and bad list queries) change nothing.
Shared helpers: listings_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import base64

import pytest

from conftest import assert_json_error
from listings_support import assert_ok, create_listing, ids, signup_and_login


# --------------------------------------------------------------------------- validation


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
