"""Black-box abuse tests (issue 5): the listings service under huge headers, JSON bombs, broken
encodings, SQL-looking strings and slow clients.
Shared helpers: hostile_support.py.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile_listings.py
"""

from __future__ import annotations

import urllib.parse

from hostile_support import (JSON_BOMBS, SQL_STRINGS, check_all, check_raw_error, check_resp_error, http_bytes,
                             post_bomb, raw_request, run_slow_clients, signup_and_login, timed)


def test_listings_service_under_hostile_requests(linked_servers):
    auth, listings = linked_servers
    _, tokens = signup_and_login(auth)
    token = tokens["access_token"]
    r = listings.create(token, title="Survivor", price_cents=100)
    assert r.status_code == 201, r.text
    survivor = r.json()
    port = listings.port

    # Headers.
    check_raw_error(timed(raw_request, port, http_bytes("GET", "/healthz", {"X-Big": "a" * 17 * 1024})),
                    statuses=[431])
    check_raw_error(timed(raw_request, port, http_bytes("GET", "/v1/listings", {"X-Big": "a" * 200 * 1024})),
                    closed_ok=True)
    check_resp_error(timed(listings.get, "/v1/listings", "x" * 20 * 1024), statuses=[431])

    # JSON bombs and broken encodings to POST /v1/listings.
    bombs = dict(JSON_BOMBS)
    bombs["invalid UTF-8 title"] = b'{"title": "\xff\xfe", "price_cents": 1}'
    bombs["raw NUL in title"] = b'{"title": "a\x00b", "price_cents": 1}'
    bombs["NUL bytes"] = b"\x00" * 64

    def check_bomb(name):
        resp = post_bomb(listings, "/v1/listings", bombs[name], token=token)
        assert resp is not None, "connection closed without an answer"
        check_resp_error(resp)
    check_all(list(bombs), check_bomb)
    check_all(["invalid UTF-8 title", "raw NUL in title", "NUL bytes", "5,000 fields (under the limit)",
               "30,000-deep array (under the limit)"],
              lambda name: check_resp_error(post_bomb(listings, "/v1/listings", bombs[name], token=token),
                                            statuses=[400], code="invalid_request"))

    # SQL-looking strings: 400 for list parameters, 404 for ids, and stored as plain text in a title.
    cases = []
    for s in SQL_STRINGS:
        q = urllib.parse.quote(s, safe="")
        cases += [
            (lambda s=s: listings.list(token, cursor=s), [400], "invalid_request"),
            (lambda s=s: listings.list(token, status=s), [400], "invalid_request"),
            (lambda s=s: listings.list(token, limit=s), [400], "invalid_request"),
            (lambda q=q: listings.get(f"/v1/listings/{q}", token), [404], None),
            (lambda q=q: listings.patch(f"/v1/listings/{q}", token, json={"title": "x"}), [404], None),
            (lambda q=q: listings.delete(f"/v1/listings/{q}", token), [404], None),
            (lambda s=s: listings.patch(f"/v1/listings/{survivor['id']}", token, json={"status": s}),
             [422], "invalid_listing"),
            (lambda s=s: listings.get("/v1/listings", s), [401], "invalid_token"),
        ]
    check_all(cases, lambda case: check_resp_error(timed(case[0]), statuses=case[1], code=case[2]))
    for s in SQL_STRINGS:
        r = listings.create(token, title=s, description=s, price_cents=1)
        assert r.status_code == 201, r.text
        assert (r.json()["title"], r.json()["description"]) == (s.strip(), s), r.json()

    # Slow headers on the listings service do not starve others either.
    start = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    sockets, _, _ = run_slow_clients(listings, [start] * 10, interval=0.5, rounds=5, payload=b"a")
    for sock in sockets:
        sock.close()

    # Still serving, everything intact.
    assert listings.get("/healthz").status_code == 200
    r = listings.get(f"/v1/listings/{survivor['id']}", token)
    assert r.status_code == 200 and r.json() == survivor, r.text
    r = listings.list(token, limit=100)
    assert r.status_code == 200, r.text
    assert len(r.json()["listings"]) == 1 + len(SQL_STRINGS), r.json()
