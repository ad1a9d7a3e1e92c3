"""The store the end-to-end tests run on: `E2E_STORE=sqlite` (the default), `postgres`, or
`sqlite,postgres` (every test once on each, its id ending in [sqlite] or [postgres]).

On `postgres`, every server the fixtures start gets a fresh database of the session's PostgreSQL
cluster (postgres_support.py) and the key file AUTH_KEY_FILE in its workdir; `server.db_path` is then a
PostgresDatabase (the URL, knowing its key file), which run_authctl and the helpers here take where
they take a SQLite path. Tests that choose their database themselves carry
`pytest.mark.postgres_only` and run once, whatever E2E_STORE says.

Imports nothing from conftest (conftest imports this module)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postgres_support import PostgresDatabase, dump, fresh_databases, is_postgres_url

STORE_NAMES = ("sqlite", "postgres")
STORES = [name.strip() for name in os.environ.get("E2E_STORE", "sqlite").split(",") if name.strip()]
if not STORES or any(name not in STORE_NAMES for name in STORES):
    raise pytest.UsageError(f"E2E_STORE={os.environ.get('E2E_STORE')!r}: expected sqlite, postgres or both, "
                            "comma-separated")


def parametrize_store(metafunc) -> None:
    """pytest_generate_tests: each test once per store of E2E_STORE (when it names more than one)."""
    if "store" in metafunc.fixturenames and len(STORES) > 1 \
            and not metafunc.definition.get_closest_marker("postgres_only"):
        metafunc.parametrize("store", STORES, indirect=True)


@pytest.fixture(autouse=True)
def store(request) -> str:
    """The test's store: "sqlite" or "postgres"."""
    if chosen := request.node.get_closest_marker("servers_on"):
        return chosen.args[0]
    if request.node.get_closest_marker("postgres_only"):
        return "postgres"
    return getattr(request, "param", STORES[0])


@pytest.fixture
def new_database(store, request):
    """`new_database(workdir, file_name)`: a new, empty database of the test's store, for a server or
    authctl working in `workdir`: the path workdir/file_name on SQLite; on PostgreSQL a fresh database
    of the session's cluster, with its key file to be workdir/auth.key (dropped after the test)."""
    if store == "sqlite":
        yield lambda workdir, file_name="auth.sqlite": Path(workdir) / file_name
        return
    with fresh_databases(request.getfixturevalue("postgres_cluster")) as make:
        yield lambda workdir, file_name="auth.sqlite": make(Path(workdir) / "auth.key")


def as_database(value, key_file: Path) -> Path | PostgresDatabase:
    """A database setting's value as the tests handle it: a URL as a PostgresDatabase (with `key_file`
    unless it knows its own), anything else as a path."""
    if isinstance(value, PostgresDatabase):
        return value
    if is_postgres_url(value):
        return PostgresDatabase(value, key_file)
    return Path(value)


def on_postgres(database) -> bool:
    return isinstance(database, PostgresDatabase)


def database_env(database) -> dict[str, str]:
    """What authctl (or a token service) needs to find `database`: AUTH_DATABASE, and on PostgreSQL
    AUTH_KEY_FILE (there is no default location next to a URL)."""
    env = {"AUTH_DATABASE": str(database)}
    if on_postgres(database):
        env["AUTH_KEY_FILE"] = str(database.key_file)
    return env


def stored_text(database) -> str:
    """Everything the database holds, to look for what must not be there: the bytes of the SQLite file
    and its companions (-wal, -shm, -journal) as latin-1, or a data dump of the PostgreSQL database."""
    if on_postgres(database):
        return dump(database)
    return "".join(path.read_bytes().decode("latin-1") for path in sorted(database.parent.glob(database.name + "*")))


def skip_on_postgres(store: str, reason: str) -> None:
    """Skip a test about SQLite files when it runs on PostgreSQL."""
    if store == "postgres":
        pytest.skip(f"SQLite only: {reason}")
