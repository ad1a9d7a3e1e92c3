"""A token-service node killed (SIGKILL) in the middle of sign-ups, with another node on the same
PostgreSQL database (API.md, "Several nodes on PostgreSQL": nothing acknowledged is lost): every
sign-up either node acknowledged logs in on the survivor, one cut short is whole or absent, and the
killed node starts again and serves. On a cluster of its own (private_cluster); postgres_only."""

from __future__ import annotations

import concurrent.futures
import threading

import pytest
import requests

from conftest import wait_until
from faults_support import PASSWORD, REQUEST_TIMEOUT, logins_failing, unique_email

pytestmark = pytest.mark.postgres_only

SIGNUPS = 200
THREADS = 16
KILL_AFTER = 40  # sign-ups the victim acknowledged before it is killed


def test_sign_ups_acknowledged_by_a_node_killed_mid_flight_all_log_in_on_the_other(auth_server_factory,
                                                                                  private_cluster, tmp_path):
    database = private_cluster.database(tmp_path / "auth.key")
    env = {"AUTH_DATABASE": database, "AUTH_KEY_FILE": str(database.key_file)}
    survivor = auth_server_factory(env, name="survivor")
    victim = auth_server_factory(env, name="victim")
    emails = [unique_email(f"crash{i}") for i in range(SIGNUPS)]
    acknowledged_by_victim = 0
    lock = threading.Lock()

    def sign_up(i: int) -> tuple[str, int | None]:
        """Odd ones on the victim, even ones on the survivor: (email, status or None if cut short)."""
        nonlocal acknowledged_by_victim
        node = victim if i % 2 else survivor
        try:
            r = node.post("/v1/accounts", json={"email": emails[i], "password": PASSWORD}, timeout=REQUEST_TIMEOUT)
        except requests.RequestException:
            return emails[i], None
        if node is victim and r.status_code == 201:
            with lock:
                acknowledged_by_victim += 1
        return emails[i], r.status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(sign_up, i) for i in range(SIGNUPS)]
        wait_until(lambda: acknowledged_by_victim >= KILL_AFTER, timeout=60, interval=0.01,
                   what=f"{KILL_AFTER} sign-ups acknowledged by the node to kill")
        victim.kill()  # SIGKILL, by PID
        results = [future.result(timeout=REQUEST_TIMEOUT + 10) for future in futures]

    by_survivor, by_victim = results[0::2], results[1::2]
    assert all(status == 201 for _, status in by_survivor), [r for r in by_survivor if r[1] != 201][:5]
    assert all(status in (201, None) for _, status in by_victim), [r for r in by_victim if r[1] not in (201, None)]
    cut_short = [email for email, status in by_victim if status is None]
    assert cut_short, "the kill came after every sign-up sent to that node had been answered"
    acknowledged = [email for email, status in results if status == 201]
    assert not logins_failing(survivor, acknowledged)

    # A sign-up cut short by the kill is whole (it logs in) or absent (it can be made again).
    for email in cut_short:
        again = survivor.signup(email, PASSWORD)
        assert again.status_code in (201, 409), again.text
        assert survivor.login(email, PASSWORD).status_code == 200, email

    victim.start()
    assert victim.get("/readyz").status_code == 200
    assert not logins_failing(victim, acknowledged[:20])
    assert victim.signup(unique_email("after"), PASSWORD).status_code == 201
