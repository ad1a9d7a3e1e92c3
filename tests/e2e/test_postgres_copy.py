"""`authctl copy --to TARGET`: a deployment moves between SQLite and PostgreSQL with every session,
key, password and second factor still working, and a copy that can't be right is refused."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess

import pytest

from conftest import AUTHCTL_BIN, server_env
from mfa_support import mfa_account, otp_login
from postgres_support import sql
from token_support import PASSWORD, unique_email

# Servers start on SQLite; the tests copy to and from PostgreSQL databases of their own.
pytestmark = [pytest.mark.postgres_only, pytest.mark.servers_on("sqlite")]

TABLES = ["accounts", "sessions", "refresh_tokens", "signing_keys", "login_failures", "login_addresses",
          "audit_events", "audit_retention", "email_tokens", "mail_outbox", "totp_factors", "recovery_codes",
          "mfa_challenges"]


def copy(source: str, target: str, key_file, *args: str, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess:
    """`authctl copy` from `source` to `target` with `key_file` (None: no --key-file), bounded."""
    key = ["--key-file", str(key_file)] if key_file else []
    return subprocess.run([str(AUTHCTL_BIN), "copy", "--database", source, "--to", target, *key, *args],
                          env=server_env(env), capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def assert_copied(result: subprocess.CompletedProcess, key_file) -> dict[str, int]:
    """A copy that succeeded: one line per table and its count, the key file named on stderr."""
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["TABLE", "ROWS"], result.stdout
    counts = {name: int(rows) for name, rows in (line.split() for line in lines[1:])}
    assert list(counts) == TABLES, result.stdout
    assert str(key_file) in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    return counts


def assert_refused(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert len(result.stderr.splitlines()) == 1 and result.stdout == "", result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def pg_tables(url: str) -> str:
    return sql(url, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")


def test_a_deployment_moves_from_sqlite_to_postgresql_and_back_with_every_session(auth_server_factory,
                                                                                postgres_database, tmp_path):
    first = auth_server_factory(name="on-sqlite")
    email = unique_email("move")
    assert first.signup(email, PASSWORD).status_code == 201
    tokens = first.login(email, PASSWORD).json()
    second_factor = mfa_account(first)
    first.stop()
    key = first.key_path

    counts = assert_copied(copy(str(first.db_path), postgres_database, key), key)
    assert counts["accounts"] == 2 and counts["totp_factors"] == 1 and counts["recovery_codes"] == 10, counts
    assert sql(postgres_database, "SELECT count(*) FROM audit_events") == str(counts["audit_events"])
    on_postgres = auth_server_factory({"AUTH_DATABASE": postgres_database, "AUTH_KEY_FILE": str(key)}, name="on-pg")
    assert on_postgres.me(tokens["access_token"]).status_code == 200
    refreshed = on_postgres.refresh(tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert on_postgres.login(email, PASSWORD).status_code == 200
    otp_login(on_postgres, second_factor)
    assert on_postgres.signup(unique_email("new"), PASSWORD).status_code == 201  # fresh ids after the copied ones
    on_postgres.stop()

    back = tmp_path / "back" / "auth.sqlite"
    back.parent.mkdir()
    result = copy(postgres_database, str(back), key, "--json")
    assert result.returncode == 0, result.stderr
    again = json.loads(result.stdout)
    assert sorted(again) == sorted(TABLES) and again["accounts"] == 3, again
    assert os.stat(back).st_mode & 0o777 == 0o600
    on_sqlite = auth_server_factory({"AUTH_DATABASE": str(back), "AUTH_KEY_FILE": str(key)}, name="back-on-sqlite")
    assert on_sqlite.me(tokens["access_token"]).status_code == 200
    assert on_sqlite.refresh(refreshed.json()["refresh_token"]).status_code == 200
    assert on_sqlite.login(email, PASSWORD).status_code == 200
    otp_login(on_sqlite, second_factor)


def test_a_target_with_rows_is_refused_and_left_as_it_was(auth_server_factory, postgres_database, tmp_path):
    server = auth_server_factory()
    assert server.signup(unique_email("full"), PASSWORD).status_code == 201
    server.stop()
    key = server.key_path
    assert_copied(copy(str(server.db_path), postgres_database, key), key)
    before = sql(postgres_database, "SELECT count(*), max(id) FROM audit_events")
    assert_refused(copy(str(server.db_path), postgres_database, key), 65, "not empty", "accounts 1")
    assert sql(postgres_database, "SELECT count(*), max(id) FROM audit_events") == before
    assert_refused(copy(postgres_database, str(server.db_path), key), 65, "not empty", str(server.db_path))
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    assert_refused(copy(str(server.db_path), str(other), key), 65, "notes")


def test_a_missing_or_wrong_key_file_is_refused_before_the_target_is_touched(auth_server_factory,
                                                                            postgres_database, tmp_path):
    server = auth_server_factory()
    server.stop()
    target = tmp_path / "target.sqlite"
    assert_refused(copy(str(server.db_path), postgres_database, None), 64, "--key-file")
    assert_refused(copy(str(server.db_path), str(target), tmp_path / "missing.key"), 66, "missing.key")
    wrong = tmp_path / "wrong.key"
    wrong.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    wrong.chmod(0o600)
    assert_refused(copy(str(server.db_path), str(target), wrong), 65, "key file")
    assert_refused(copy(str(server.db_path), postgres_database, wrong), 65, "key file")
    assert not target.exists() and pg_tables(postgres_database) == "0"


def test_the_target_password_is_never_shown(auth_server_factory, postgres_database, tmp_path):
    server = auth_server_factory()
    server.stop()
    key = server.key_path
    in_url = postgres_database.replace("postgres@", "postgres:s3cret-pw@")  # trust auth: any password works
    result = copy(str(server.db_path), in_url, key)
    assert_copied(result, key)
    refused = copy(str(server.db_path), in_url, key)
    assert_refused(refused, 65, "not empty")
    password_file = tmp_path / "target.password"
    password_file.write_text("f1le-pw\n")
    from_file = copy(str(server.db_path), postgres_database, key, "--to-password-file", str(password_file))
    from_env = copy(str(server.db_path), postgres_database, key,
                    env={"AUTH_COPY_TARGET_PASSWORD_FILE": str(password_file)})
    for answer in (result, refused, from_file, from_env):
        output = answer.stdout + answer.stderr
        assert "s3cret-pw" not in output and "f1le-pw" not in output, output
    assert_refused(from_file, 65, "not empty")
    assert_refused(from_env, 65, "not empty")
    missing = copy(str(server.db_path), postgres_database, key, "--to-password-file", str(tmp_path / "nope"))
    assert_refused(missing, 66, "--to-password-file")
