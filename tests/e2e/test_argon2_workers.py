"""The token service's argon2 workers: AUTH_HASH_CONCURRENCY helper processes of its own binary,
which compute libsodium's argon2 so that its 64 MiB per hash is mapped outside the server.

They start with the server, hold no environment and no secret, and never outlive it: a SIGTERM
(graceful) closes and reaps them, and a SIGKILL takes them along (parent-death signal, end of
their socket).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from token_support import PASSWORD, assert_token_response, signup_and_login, unique_email

MIGRATION_TOKEN = "e2e-migration-secret-9f8e7d"
GONE_WITHIN = 2.0  # seconds a worker may outlive its server


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (zombies included)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def workers_of(server) -> list[int]:
    pids = children(server.proc.pid)
    return [pid for pid in pids if cmdline(pid) == ["AuthServer", "--argon2-worker"]]


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def alive(pid: int) -> bool:
    """Whether `pid` still exists and is no zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pids: list[int], within: float) -> list[int]:
    """The pids of `pids` still alive after `within` seconds (polling)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return []
        time.sleep(0.02)
    return [pid for pid in pids if alive(pid)]


def test_one_worker_per_hashing_thread_with_no_environment_and_no_secret(auth_server_factory):
    server = auth_server_factory({
        "AUTH_HASH_CONCURRENCY": "3",
        "AUTH_MIGRATE_FROM": "http", "AUTH_MIGRATION_URL": "http://127.0.0.1:9/check",
        "AUTH_MIGRATION_TOKEN": MIGRATION_TOKEN,
    })
    assert MIGRATION_TOKEN.encode() in Path(f"/proc/{server.proc.pid}/environ").read_bytes()
    workers = workers_of(server)
    assert len(workers) == 3, children(server.proc.pid)
    signup_and_login(server)
    assert sorted(workers_of(server)) == sorted(workers), "logins reuse the same workers"
    for pid in workers:
        assert Path(f"/proc/{pid}/environ").read_bytes() == b""
        assert Path(f"/proc/{pid}/comm").read_text() == "argon2-worker\n"
        assert not any(MIGRATION_TOKEN in arg or PASSWORD in arg for arg in cmdline(pid))
        assert sorted(os.listdir(f"/proc/{pid}/fd")) == ["0", "1", "2"], "nothing but its socket and stderr"


def test_a_killed_worker_is_replaced_and_logins_go_on(auth_server_factory):
    server = auth_server_factory({"AUTH_HASH_CONCURRENCY": "1"})
    email = unique_email()
    assert server.signup(email, PASSWORD).status_code == 201
    [victim] = workers_of(server)
    os.kill(victim, signal.SIGKILL)
    assert_token_response(server.login(email, PASSWORD), expires_in=None)
    assert wait_gone([victim], GONE_WITHIN) == []
    assert len(workers_of(server)) == 1 and workers_of(server) != [victim]
    assert "argon2 worker" in server.stderr(), "the replacement is logged"


def test_sigkill_of_the_server_leaves_no_worker(auth_server_factory):
    server = auth_server_factory({"AUTH_HASH_CONCURRENCY": "2"})
    signup_and_login(server)
    workers = workers_of(server)
    assert len(workers) == 2
    server.kill()
    assert wait_gone(workers, GONE_WITHIN) == []


def test_sigterm_closes_and_reaps_the_workers(auth_server_factory):
    server = auth_server_factory({"AUTH_HASH_CONCURRENCY": "2"})
    signup_and_login(server)
    workers = workers_of(server)
    assert len(workers) == 2
    assert server.stop() == 0
    assert wait_gone(workers, GONE_WITHIN) == []
    assert "argon2 worker" not in server.stderr(), "no worker failed or exited early"


def test_the_worker_flag_is_refused_outside_the_server():
    from conftest import SERVER_BIN
    import subprocess

    result = subprocess.run([str(SERVER_BIN), "--argon2-worker"], stdin=subprocess.DEVNULL,
                            capture_output=True, timeout=20)
    assert result.returncode == 64
    assert b"helper processes" in result.stderr
