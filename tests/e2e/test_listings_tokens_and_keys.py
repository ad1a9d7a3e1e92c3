"""End-to-end tests of the listings service's side of tokens and keys: 401 with a Bearer challenge for
missing, garbage and wrong-audience tokens; serving while the token service is down, 503 until it is
first up, a JWKS file, and key rotation picked up without a restart.
Shared helpers: listings_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import json
import re
import time

import pytest
import requests

from conftest import (E2E_ISSUER, assert_json_error, free_port, jwt_claims, jwt_header, linked_auth_env,
                      run_authctl, wait_until)
from listings_support import (PASSWORD, assert_listing, assert_ok, create_listing, ids, login, signup_and_login,
                              unique_email)

JWKS_PATH = "/.well-known/jwks.json"


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- bearer errors


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
