"""PostgreSQL stopped under a serving node, and started again (API.md, "Several nodes on PostgreSQL"):
while the database is unreachable, requests that need it are 503 `unavailable` + `Retry-After` (never
a hang, never another 5xx), /readyz is 503, health and JWKS still answer; the node recovers by itself
once the database is back; nothing acknowledged is lost. Each test stops and starts a cluster of its
own (private_cluster); postgres_only. Shared helpers: faults_support.py."""

from __future__ import annotations

import time

import pytest

from conftest import linked_auth_env
from faults_support import (PASSWORD, REQUEST_TIMEOUT, SteadyLoad, assert_answers_per_contract, assert_down_but_alive,
                            assert_unavailable, logins_failing, unique_email, wait_serving)

pytestmark = pytest.mark.postgres_only

DOWN_SECONDS = 4.0  # how long PostgreSQL stays down under the load
JWKS = "/.well-known/jwks.json"


def outage(cluster, load: SteadyLoad, server, public_paths: list[str], needs_database, probe) -> float:
    """Run `load` against `server` before, during and after a stop of `cluster`; check the answers of
    the node while the database is down (`needs_database()` must be 503 unavailable); returns the
    seconds the node took to serve again (`probe()` succeeding) once PostgreSQL was back."""
    time.sleep(1.0)
    load.phase = "down"
    cluster.pause()
    down_since = time.monotonic()
    assert_down_but_alive(server, public_paths)
    assert_unavailable(needs_database())
    time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - down_since)))
    load.phase = "recovering"
    cluster.resume()
    recovered_in = wait_serving(server, probe, server.name)
    load.phase = "after"
    time.sleep(1.0)
    return recovered_in


def assert_outage_served(load: SteadyLoad, successes: set[int]) -> None:
    assert_answers_per_contract(load.answers, successes)
    assert any(a.status == 503 for a in load.in_phase("down")), "no request of the load met the outage"
    after = load.in_phase("after")
    assert after and all(a.status in successes for a in after), [str(a) for a in after if a.status not in successes]


# Serial: its load's logins hash at the lowest priority, which parallel tests would starve.
@pytest.mark.serial
def test_a_token_service_node_answers_503_while_postgresql_is_down_and_serves_again_by_itself(
        auth_server_factory, private_cluster, tmp_path):
    database = private_cluster.database(tmp_path / "auth.key")
    # A refresh the outage left ambiguous (committed, answered 503) is retried within the grace window.
    node = auth_server_factory({"AUTH_DATABASE": database, "AUTH_KEY_FILE": str(database.key_file),
                                "AUTH_REFRESH_GRACE": "60"})
    pid = node.proc.pid
    accounts = [unique_email("before") for _ in range(4)]
    for email in accounts:
        assert node.signup(email, PASSWORD).status_code == 201
    refresh_tokens = [node.login(email, PASSWORD).json()["refresh_token"] for email in accounts]

    def send(kind: str, worker: int):
        """Each worker keeps its session's refresh token."""
        if kind == "signup":
            email = unique_email(f"load{worker}")
            r = node.post("/v1/accounts", json={"email": email, "password": PASSWORD}, timeout=REQUEST_TIMEOUT)
            return r, email
        if kind == "login":
            return node.login(accounts[worker], PASSWORD, timeout=REQUEST_TIMEOUT), None
        r = node.post("/v1/token", data={"grant_type": "refresh_token", "refresh_token": refresh_tokens[worker]},
                      timeout=REQUEST_TIMEOUT)
        if r.status_code == 200:
            refresh_tokens[worker] = r.json()["refresh_token"]
        return r, None

    with SteadyLoad(send, ("signup", "login", "refresh"), workers=len(accounts)) as load:
        outage(private_cluster, load, node, ["/healthz", JWKS],
               needs_database=lambda: node.login(accounts[0], PASSWORD, timeout=REQUEST_TIMEOUT),
               probe=lambda: node.login(accounts[0], PASSWORD, timeout=REQUEST_TIMEOUT))
    assert node.proc.pid == pid and node.proc.poll() is None and node.starts == 1, "the node was restarted"
    assert_outage_served(load, {200, 201})
    signed_up = load.acknowledged("signup")
    assert signed_up, "no sign-up was acknowledged"
    assert not logins_failing(node, accounts + signed_up)


def test_a_listings_node_answers_503_while_postgresql_is_down_and_serves_again_by_itself(
        auth_server_factory, listings_server_factory, private_cluster, tmp_path):
    # The token service keeps its own SQLite file: only the listings' database goes away.
    auth = auth_server_factory(linked_auth_env({"AUTH_DATABASE": str(tmp_path / "auth" / "auth.sqlite")}),
                               name="auth")
    database = private_cluster.database(tmp_path / "unused.key")
    listings = listings_server_factory({"LISTINGS_DATABASE": database, "LISTINGS_JWKS_URL": auth.url(JWKS)},
                                       name="listings")
    pid = listings.proc.pid
    email = unique_email("seller")
    assert auth.signup(email, PASSWORD).status_code == 201
    token = auth.login(email, PASSWORD).json()["access_token"]
    seeded = listings.create(token, title="seed", price_cents=100)
    assert seeded.status_code == 201, seeded.text
    seed_id = seeded.json()["id"]

    def send(kind: str, worker: int):
        if kind == "create":
            r = listings.post("/v1/listings", token, json={"title": f"by worker {worker}", "price_cents": 100},
                              timeout=REQUEST_TIMEOUT)
            return r, r.json()["id"] if r.status_code == 201 else None
        if kind == "list":
            return listings.get("/v1/listings", token, timeout=REQUEST_TIMEOUT), None
        return listings.get(f"/v1/listings/{seed_id}", token, timeout=REQUEST_TIMEOUT), None

    with SteadyLoad(send, ("create", "list", "read"), workers=4) as load:
        outage(private_cluster, load, listings, ["/healthz"],
               needs_database=lambda: listings.get("/v1/listings", token, timeout=REQUEST_TIMEOUT),
               probe=lambda: listings.get(f"/v1/listings/{seed_id}", token, timeout=REQUEST_TIMEOUT))
    assert listings.proc.pid == pid and listings.proc.poll() is None, "the node was restarted"
    assert_outage_served(load, {200, 201})
    created = load.acknowledged("create")
    assert created, "no listing was acknowledged"
    lost = [i for i in created if listings.get(f"/v1/listings/{i}", token, timeout=REQUEST_TIMEOUT).status_code != 200]
    assert not lost, f"{len(lost)} of {len(created)} acknowledged listings are gone"


def test_two_listings_nodes_on_one_database_see_each_others_listings(auth_server_factory, listings_server_factory,
                                                                     private_cluster, tmp_path):
    auth = auth_server_factory(linked_auth_env({"AUTH_DATABASE": str(tmp_path / "auth" / "auth.sqlite")}),
                               name="auth")
    database = private_cluster.database(tmp_path / "unused.key")
    env = {"LISTINGS_DATABASE": database, "LISTINGS_JWKS_URL": auth.url(JWKS)}
    nodes = [listings_server_factory(env, name="first"), listings_server_factory(env, name="second")]
    tokens = []
    for who in ("owner", "other"):
        email = unique_email(who)
        assert auth.signup(email, PASSWORD).status_code == 201
        tokens.append(auth.login(email, PASSWORD).json()["access_token"])
    owner, other = tokens

    created = []
    for i in range(6):  # alternately on each node
        r = nodes[i % 2].create(owner, title=f"item {i}", price_cents=100 + i)
        assert r.status_code == 201, r.text
        created.append(r.json())
    newest_first = [c["id"] for c in reversed(created)]
    for node in nodes:
        page = node.list(owner, limit=100)
        assert page.status_code == 200, page.text
        assert [item["id"] for item in page.json()["listings"]] == newest_first, node.name
        assert node.list(other, limit=100).json()["listings"] == []
        assert node.get(f"/v1/listings/{created[0]['id']}", other).status_code == 404
    # A read, a change and a delete on the node that did not create the listing.
    for i, listing in enumerate(created[:2]):
        elsewhere = nodes[(i + 1) % 2]
        assert elsewhere.get(f"/v1/listings/{listing['id']}", owner).json() == listing
    changed = nodes[1].patch(f"/v1/listings/{created[0]['id']}", owner, json={"status": "sold"})
    assert changed.status_code == 200, changed.text
    assert nodes[0].get(f"/v1/listings/{created[0]['id']}", owner).json()["status"] == "sold"
    assert nodes[0].delete(f"/v1/listings/{created[1]['id']}", owner).status_code == 204
    assert nodes[1].get(f"/v1/listings/{created[1]['id']}", owner).status_code == 404
    active = [item["id"] for item in nodes[1].list(owner, limit=100).json()["listings"]]
    assert active == newest_first[:-2], active
