"""Graceful shutdown: SIGTERM during a burst of requests fails none of them mid-flight.

On SIGTERM a server drains for AUTH_DRAIN_SECONDS / LISTINGS_DRAIN_SECONDS: /readyz answers 503 (a
load balancer stops sending), every response carries `Connection: close` (keep-alive clients move
off) and every request is still served. Then the listener closes and requests in flight finish.
From then on a new connection is refused, or reset by the kernel before the server ever reads it:
the workers here keep connecting to the end, which a load balancer would have stopped doing.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from store_support import on_postgres

pytestmark = pytest.mark.serial  # a drain of a few seconds under a burst: timing-sensitive

WORKERS = 6
BURST_LIMIT = 20.0  # seconds any worker may run, whatever happens
# A request sent this close to the end of the drain may meet the closing listener.
LISTENER_CLOSE_MARGIN = 0.2


def run_burst(server, send, drain_seconds: float) -> dict:
    """Workers call `send(session)` in a loop on keep-alive sessions; SIGTERM arrives mid-burst.
    Returns what happened: statuses, failures, closes seen, readiness while draining, exit code."""
    outcome = {"statuses": [], "failures": [], "turned_away": 0, "closes": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + BURST_LIMIT
    listener_closes = [deadline]  # set once SIGTERM is sent

    def worker(index: int):
        session = requests.Session()
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response = send(session, index)
            except requests.ConnectionError as error:
                with lock:
                    if started >= listener_closes[0] - LISTENER_CLOSE_MARGIN:
                        outcome["turned_away"] += 1
                    else:
                        outcome["failures"].append(repr(error))
                return
            with lock:
                outcome["statuses"].append(response.status_code)
                outcome["closes"] += response.headers.get("Connection", "").lower() == "close"

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    sent_at = time.monotonic()
    listener_closes[0] = sent_at + drain_seconds
    os.kill(server.proc.pid, signal.SIGTERM)
    time.sleep(0.2)
    outcome["readyz_while_draining"] = server.get("/readyz").status_code
    for thread in threads:
        thread.join(timeout=BURST_LIMIT + 5)
    server.proc.wait(timeout=drain_seconds + 20)
    outcome["exit_code"] = server.proc.returncode
    outcome["stopped_after"] = time.monotonic() - sent_at
    return outcome


def assert_clean(outcome: dict, drain_seconds: float, server):
    """Nothing failed mid-flight, and the server drained, exited 0 and closed its database."""
    assert outcome["failures"] == [], outcome["failures"][:3]
    assert outcome["statuses"] and set(outcome["statuses"]) == {200}, sorted(set(outcome["statuses"]))
    assert outcome["readyz_while_draining"] == 503
    assert outcome["closes"] >= 1, "no response said Connection: close while draining"
    assert outcome["turned_away"] == WORKERS, "every worker ends turned away once the listener closed"
    assert outcome["exit_code"] == 0
    assert drain_seconds <= outcome["stopped_after"] < drain_seconds + 10
    # Closed cleanly: on SQLite, every committed write checkpointed from the WAL into the database file.
    if not on_postgres(server.db_path):
        wal = Path(f"{server.db_path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    assert "resource=database [ServerSupport] closed" in server.stderr()


def test_token_service_sigterm_during_logins_and_refreshes(auth_server_factory):
    drain = 2
    server = auth_server_factory({"AUTH_DRAIN_SECONDS": str(drain)})
    for i in range(WORKERS):
        assert server.signup(f"worker{i}@example.com", "shutdown-burst-pass").status_code == 201
    refresh_tokens: dict[int, str] = {}

    def send(session, index):
        # Alternate a login (hashing: the slow path) with a refresh rotation (a write transaction).
        if index in refresh_tokens:
            body = {"grant_type": "refresh_token", "refresh_token": refresh_tokens.pop(index)}
        else:
            body = {"grant_type": "password", "username": f"worker{index}@example.com",
                    "password": "shutdown-burst-pass"}
        response = session.post(server.url("/v1/token"), data=body, timeout=10)
        if response.status_code == 200 and body["grant_type"] == "password":
            refresh_tokens[index] = response.json()["refresh_token"]
        return response

    outcome = run_burst(server, send, drain)
    assert_clean(outcome, drain, server)
    assert "draining before shutdown" in server.stderr()


def test_listings_service_sigterm_during_reads(linked_servers, listings_server_factory):
    auth, _ = linked_servers
    drain = 1
    listings = listings_server_factory(
        {"LISTINGS_JWKS_URL": auth.url("/.well-known/jwks.json"), "LISTINGS_DRAIN_SECONDS": str(drain)},
        name="draining")
    assert auth.signup("reader@example.com", "shutdown-burst-pass").status_code == 201
    token = auth.login("reader@example.com", "shutdown-burst-pass").json()["access_token"]
    assert listings.create(token, title="A lamp", price_cents=1200).status_code == 201

    def send(session, _index):
        return session.get(listings.url("/v1/listings"), headers={"Authorization": f"Bearer {token}"}, timeout=10)

    assert_clean(run_burst(listings, send, drain), drain, listings)
