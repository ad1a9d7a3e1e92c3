"""The login throttle slows an attacker but never locks the owner out (API.md, "Changes to what
exists": lockout). Client addresses come from X-Forwarded-For, trusted from 127.0.0.1."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import assert_json_error, run_authctl, ok

PASSWORD = "correct horse battery"
PROXIED = {"AUTH_TRUSTED_PROXIES": "127.0.0.1"}


def email() -> str:
    return f"lockout-{uuid.uuid4().hex[:12]}@example.com"


def login_from(server, address: str, who: str, password: str, **kwargs):
    return server.login(who, password, headers={"X-Forwarded-For": address}, **kwargs)


def test_a_thousand_failures_from_one_address_do_not_lock_the_owner_out(auth_server_factory):
    server = auth_server_factory(PROXIED)
    who = email()
    assert server.signup(who, PASSWORD).status_code == 201
    answers = [login_from(server, "198.51.100.1", who, "wrong password").status_code for _ in range(1000)]
    assert set(answers) <= {400, 429} and answers.count(429) > 900, answers[:20]
    # The flooding address is throttled; the account-wide limit (50) was never reached.
    assert login_from(server, "198.51.100.1", who, PASSWORD).status_code == 429
    assert login_from(server, "198.51.100.2", who, PASSWORD).status_code == 200


def test_failures_spread_over_addresses_lock_new_addresses_but_not_the_owners(auth_server_factory):
    # A first delay that outlasts a slow machine (by default 1 s: a busy run could see it over already).
    server = auth_server_factory({**PROXIED, "AUTH_LOCKOUT_THRESHOLD": "5", "AUTH_LOCKOUT_ACCOUNT_THRESHOLD": "50",
                                  "AUTH_LOCKOUT_BASE": "60"})
    who = email()
    assert server.signup(who, PASSWORD).status_code == 201
    assert login_from(server, "192.0.2.10", who, PASSWORD).status_code == 200  # the owner's device
    for n in range(20):  # 3 each: every address stays under its own threshold of 5
        for _ in range(3):
            login_from(server, f"203.0.113.{n}", who, "wrong password")
    assert_json_error(login_from(server, "198.51.100.99", who, PASSWORD), 429, "too_many_attempts")
    assert login_from(server, "192.0.2.10", who, PASSWORD).status_code == 200


def test_authctl_users_unlock_clears_every_record(auth_server_factory):
    server = auth_server_factory({**PROXIED, "AUTH_LOCKOUT_THRESHOLD": "2", "AUTH_LOCKOUT_BASE": "600"})
    who = email()
    assert server.signup(who, PASSWORD).status_code == 201
    for address in ("203.0.113.1", "203.0.113.2"):
        for _ in range(2):
            login_from(server, address, who, "wrong password")
        assert login_from(server, address, who, PASSWORD).status_code == 429
    assert "unlocked" in run_authctl("users", "unlock", who, database=server.db_path).stderr
    for address in ("203.0.113.1", "203.0.113.2"):
        assert login_from(server, address, who, PASSWORD).status_code == 200
    audit = ok(run_authctl("audit", "--json", database=server.db_path))
    assert "account_unlocked" in audit
    r = run_authctl("users", "unlock", "nobody@example.com", database=server.db_path)
    assert r.returncode == 65 and r.stderr.count("\n") == 1, r.stderr


@pytest.mark.serial  # fills the hashing queue in time
def test_an_overloaded_login_counts_as_no_attempt(auth_server_factory):
    server = auth_server_factory({
        "AUTH_HASH_CONCURRENCY": "1", "AUTH_HASH_QUEUE": "0", "AUTH_LOCKOUT_THRESHOLD": "3",
        "AUTH_ARGON2_MEMORY_KIB": "32768", "AUTH_ARGON2_ITERATIONS": "2",
    })
    victim, flooder = email(), email()
    for who in (victim, flooder):
        assert server.signup(who, PASSWORD).status_code == 201
    done = threading.Event()

    def flood(_):  # other logins keep the only hashing thread busy
        for _ in range(200):
            if done.is_set():
                return
            server.login(flooder, PASSWORD, timeout=30)

    victim_answers: list[int] = []
    with ThreadPoolExecutor(max_workers=6) as pool:
        floods = [pool.submit(flood, n) for n in range(6)]
        try:
            for _ in range(30):  # the user retries with the right password until it goes through
                victim_answers.append(server.login(victim, PASSWORD, timeout=30).status_code)
                if victim_answers[-1] == 200 and victim_answers.count(503) >= 3:
                    break
        finally:
            done.set()
            for future in floods:
                future.result(timeout=60)
    assert victim_answers.count(503) >= 3, victim_answers  # past the threshold, had 503s counted
    assert 429 not in victim_answers and set(victim_answers) <= {200, 503}, victim_answers
    assert server.login(victim, PASSWORD, timeout=30).status_code == 200


def test_ipv6_clients_are_throttled_per_64(auth_server_factory):
    server = auth_server_factory({**PROXIED, "AUTH_LOCKOUT_THRESHOLD": "3", "AUTH_LOCKOUT_BASE": "600"})
    who = email()
    assert server.signup(who, PASSWORD).status_code == 201
    for host in ("1", "2", "3"):  # three addresses of one /64
        assert login_from(server, f"2001:db8:0:7::{host}", who, "wrong password").status_code == 400
    assert login_from(server, "2001:db8:0:7:ffff::9", who, PASSWORD).status_code == 429
    assert login_from(server, "2001:db8:0:8::1", who, PASSWORD).status_code == 200  # another /64
