"""End-to-end tests of the listings service: create, read, update (PATCH) and delete over the wire,
and the status filter of the list.
Shared helpers: listings_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import uuid

from conftest import assert_json_error, jwt_claims
from listings_support import LISTING_FIELDS, assert_listing, assert_ok, ids, parse_time, signup_and_login


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
