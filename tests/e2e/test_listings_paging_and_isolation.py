"""End-to-end tests of the listings service: cursor paging (newest first, stable under inserts) and
one user's listings being invisible to another.
Shared helpers: listings_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import uuid

import pytest

from conftest import assert_json_error
from listings_support import assert_listing, assert_ok, create_listing, ids, signup_and_login


# --------------------------------------------------------------------------- helpers


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
