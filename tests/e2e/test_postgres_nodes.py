"""Token-service nodes on one PostgreSQL database: every rule holds across them. On databases of the
session's cluster whatever E2E_STORE says (postgres_only)."""

from __future__ import annotations

import base64
import concurrent.futures
import json
import subprocess
import threading

import pytest
import requests

from conftest import HTTP_TIMEOUT, SERVER_BIN, run_authctl, server_env, wait_until
from postgres_support import sql
from token_support import PASSWORD, unique_email

pytestmark = pytest.mark.postgres_only


def node_env(database: str, key_file) -> dict[str, str]:
    return {"AUTH_DATABASE": database, "AUTH_KEY_FILE": str(key_file), "AUTH_SESSION_IDLE_TTL": "3600"}


def test_a_node_on_postgresql_serves_and_keeps_everything_across_a_restart(auth_server_factory, postgres_database, tmp_path):
    node = auth_server_factory(node_env(postgres_database, tmp_path / "auth.key"))
    email = unique_email("pg")
    assert node.signup(email, PASSWORD).status_code == 201
    tokens = node.login(email, PASSWORD).json()
    node.restart()
    assert node.me(tokens["access_token"]).status_code == 200
    refreshed = node.refresh(tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert node.get("/readyz").status_code == 200
    assert not (node.workdir / "auth.sqlite").exists()


def test_one_refresh_token_sent_to_two_nodes_at_once_rotates_once(auth_server_factory, postgres_database, tmp_path):
    env = node_env(postgres_database, tmp_path / "auth.key") | {"AUTH_REFRESH_GRACE": "10"}
    first = auth_server_factory(env)
    second = auth_server_factory(env)
    email = unique_email("race")
    assert first.signup(email, PASSWORD).status_code == 201
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    for _ in range(100):
        tokens = first.login(email, PASSWORD).json()
        barrier = threading.Barrier(2)

        def exchange(node):
            barrier.wait()
            return requests.post(node.base_url + "/v1/token", timeout=HTTP_TIMEOUT,
                                 data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})

        answers = list(pool.map(exchange, [first, second]))
        assert all(a.status_code in (200, 400) for a in answers), [a.text for a in answers]
        assert any(a.status_code == 200 for a in answers), [a.text for a in answers]
        session = answers[0].json().get("session_id") if answers[0].status_code == 200 else None
        generation = sql(postgres_database, "SELECT max(generation) FROM sessions WHERE ended_at IS NULL "
                         f"AND created_at = (SELECT max(created_at) FROM sessions)")
        assert generation == "1", (generation, session, [a.text for a in answers])
        sql(postgres_database, "UPDATE sessions SET ended_at = 0, end_reason = 'logout' WHERE ended_at IS NULL")
    pool.shutdown()


def test_a_lockout_built_on_one_node_holds_on_the_other(auth_server_factory, postgres_database, tmp_path):
    env = node_env(postgres_database, tmp_path / "auth.key") | {"AUTH_LOCKOUT_THRESHOLD": "3"}
    first = auth_server_factory(env)
    second = auth_server_factory(env)
    email = unique_email("lock")
    assert first.signup(email, PASSWORD).status_code == 201
    for _ in range(3):
        assert first.login(email, "not the password").status_code == 400
    locked = second.login(email, PASSWORD)
    assert locked.status_code == 429 and locked.headers.get("Retry-After"), locked.text


def test_nodes_started_at_once_on_an_empty_database_create_one_signing_key(auth_server_factory, postgres_database,
                                                                              tmp_path):
    env = node_env(postgres_database, tmp_path / "auth.key")
    nodes = [auth_server_factory(env, start=False) for _ in range(2)]
    threads = [threading.Thread(target=node.start) for node in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sql(postgres_database, "SELECT count(*) FROM signing_keys") == "1"
    kids = [{k["kid"] for k in node.get("/.well-known/jwks.json").json()["keys"]} for node in nodes]
    assert kids[0] == kids[1] and len(kids[0]) == 1, kids


def test_a_postgresql_database_needs_a_key_file_and_never_shows_its_password(auth_server_factory, tmp_path,
                                                                              postgres_cluster):
    secret_url = postgres_cluster.replace("postgres@", "postgres:s3cret-pw@")  # trust auth: any password works
    env = server_env({"AUTH_DATABASE": secret_url, "AUTH_PORT": "0"})
    proc = subprocess.run([str(SERVER_BIN)], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=30)
    output = (proc.stdout + proc.stderr).decode(errors="replace")
    assert proc.returncode == 64 and "AUTH_KEY_FILE" in output and len(proc.stderr.splitlines()) == 1, output
    assert "s3cret-pw" not in output, output
    node = auth_server_factory(node_env(secret_url, tmp_path / "auth.key"))
    assert node.get("/readyz").status_code == 200
    assert "s3cret-pw" not in node.stderr(), "the database password was logged"


def authctl(database, key_file, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """authctl on the PostgreSQL database, naming the key file, bounded."""
    return run_authctl(*args, "--key-file", str(key_file), database=database, input=input, timeout=60)


def test_authctl_works_on_the_database_and_a_key_rotation_reaches_every_node(auth_server_factory, postgres_database,
                                                                            tmp_path):
    key = tmp_path / "auth.key"
    assert authctl(postgres_database, key, "init").returncode == 0
    nodes = [auth_server_factory(node_env(postgres_database, key)) for _ in range(2)]
    created = authctl(postgres_database, key, "users", "create", "ops@example.com", input=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert nodes[1].login("ops@example.com", PASSWORD).status_code == 200
    listed = authctl(postgres_database, key, "users", "list", "--json")
    assert [a["email"] for a in json.loads(listed.stdout)] == ["ops@example.com"], listed.stderr
    before = {k["kid"] for k in nodes[0].get("/.well-known/jwks.json").json()["keys"]}
    rotated = authctl(postgres_database, key, "keys", "rotate", "--activate-in", "0")
    assert rotated.returncode == 0, rotated.stderr

    def signing_with_the_new_key(node) -> bool:
        token = node.login("ops@example.com", PASSWORD).json()["access_token"]
        header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
        return header["kid"] not in before

    for node in nodes:
        wait_until(lambda: signing_with_the_new_key(node), timeout=6, what="the rotated key signing")
    backup = authctl(postgres_database, key, "backup", str(tmp_path / "copy.sqlite"))
    assert backup.returncode == 64 and "pg_dump" in backup.stderr, backup.stderr
