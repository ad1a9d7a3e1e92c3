"""End-to-end tests of the admin CLI (authctl): `init` and `migrate`, and the exit codes of a missing
database (66) and of usage errors (64).
Shared helpers and fixtures: authctl_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import stat

import pytest

from authctl_support import NOINPUT, PASSWORD, USAGE, create_user, ctl, emails_of, fails, unique_email
from authctl_support import ctl_db  # noqa: F401  (pytest fixture)
from conftest import ok, ok_json, run_authctl
from postgres_support import PostgresDatabase, sql
from store_support import on_postgres, skip_on_postgres

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


# --------------------------------------------------------------------------- init, migrate


def test_init_creates_private_database_and_key_file_with_one_current_key(tmp_path, new_database):
    (tmp_path / "fresh").mkdir()
    db = new_database(tmp_path / "fresh", "auth.sqlite")
    key_file = tmp_path / "fresh" / "kek.key"
    ok(ctl(db, "init", "--key-file", str(key_file)))
    for path in [key_file] if on_postgres(db) else [db, key_file]:  # a PostgreSQL database is no file here
        assert path.is_file(), path
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o600, f"{path.name} has mode {oct(mode)}, not 0600"
    assert not (db.parent / "auth.key").exists()  # --key-file was honoured

    keys = ok_json(ctl(db, "keys", "list", "--json", "--key-file", str(key_file)))
    assert isinstance(keys, list) and len(keys) == 1, keys
    assert keys[0]["state"] == "current" and isinstance(keys[0]["kid"], str) and keys[0]["kid"], keys
    text = ok(ctl(db, "keys", "list", "--key-file", str(key_file)))
    assert keys[0]["kid"] in text and "current" in text, text
    assert ok_json(ctl(db, "users", "list", "--json")) == []


def test_migrate_on_a_current_database_succeeds(ctl_db):
    create_user(ctl_db, email := unique_email())
    ok(ctl(ctl_db, "migrate"))
    ok(ctl(ctl_db, "migrate", "--json"))
    assert emails_of(ctl_db) == [email]  # and the data is intact


# --------------------------------------------------------------------------- errors and exit codes


@pytest.mark.parametrize("args", [
    ("users", "list"),
    ("users", "list", "--json"),
    ("users", "show", "someone@example.com"),
    ("sessions", "list", "someone@example.com"),
    ("keys", "list"),
    ("keys", "export-public"),
    ("migrate",),
], ids=lambda a: " ".join(a))
def test_missing_database_is_66_and_creates_nothing(tmp_path, args, store):
    skip_on_postgres(store, "a missing database file (PostgreSQL: test_a_database_that_does_not_exist_is_one_line)")
    db = tmp_path / "none" / "auth.sqlite"
    db.parent.mkdir()
    fails(ctl(db, *args), NOINPUT)
    assert list(db.parent.iterdir()) == []


def test_users_create_on_missing_database_is_66(tmp_path, store):
    skip_on_postgres(store, "a missing database file")
    db = tmp_path / "auth.sqlite"
    fails(ctl(db, "users", "create", unique_email(), input=PASSWORD + "\n"), NOINPUT)
    assert not db.exists()


@pytest.mark.postgres_only
def test_a_database_that_does_not_exist_is_one_line(postgres_cluster, tmp_path):
    """A PostgreSQL URL naming no database: a failure with its one-line reason, and no database made."""
    missing = PostgresDatabase(postgres_cluster.rsplit("/", 1)[0] + "/e2e_no_such_database", tmp_path / "auth.key")
    fails(run_authctl("users", "list", database=missing, timeout=60), None)
    assert sql(postgres_cluster, "SELECT count(*) FROM pg_database WHERE datname = 'e2e_no_such_database'") == "0"


@pytest.mark.parametrize("args", [
    ("bogus",),
    ("users", "bogus"),
    ("keys", "bogus"),
    ("users", "list", "--bogus"),
    ("users", "create"),
    ("users", "show"),
    ("keys", "retire"),
    ("keys", "rotate", "--activate-in", "soon"),
    ("sessions", "revoke"),
    ("sessions", "revoke", "00000000-0000-0000-0000-000000000000", "--account", "a@example.com"),
], ids=lambda a: " ".join(a))
def test_usage_errors_are_64_with_one_stderr_line(ctl_db, args):
    fails(ctl(ctl_db, *args), USAGE)
