"""PostgreSQL for the end-to-end tests: a throwaway cluster (scripts/postgres-test-cluster.sh, on
127.0.0.1 only) per test session (per xdist worker), fresh databases on it, SQL and dumps with psql
and pg_dump, and private clusters that a test may stop and start.

Imports nothing from conftest (conftest imports this module)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "postgres-test-cluster.sh"
URL_SCHEMES = ("postgres://", "postgresql://")


class PostgresDatabase(str):
    """A database URL that stands where a SQLite path does: `str()` is the URL, `.key_file` the
    key-encryption key file that goes with it (required on PostgreSQL), `.parent` that file's
    directory (where authctl runs), `.name` the database name."""

    def __new__(cls, url: str, key_file: Path):
        self = super().__new__(cls, url)
        self.key_file = Path(key_file)
        self.parent = self.key_file.parent
        self.name = url.rsplit("/", 1)[1].split("?", 1)[0]
        return self


def is_postgres_url(value) -> bool:
    return isinstance(value, str) and value.startswith(URL_SCHEMES)


def cluster_script(action: str, directory: str | Path, timeout: float = 300) -> str:
    """scripts/postgres-test-cluster.sh ACTION DIR (bounded); its stdout. Fails the test if it fails."""
    done = subprocess.run([str(SCRIPT), action, str(directory)], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"postgres-test-cluster.sh {action} {directory}: {done.stderr}"
    return done.stdout.strip()


class Cluster:
    """A PostgreSQL cluster of its own in `directory`; `pause()` stops the server and `resume()` starts
    it again on the same port and data; `stop()` removes it."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.url: str | None = None

    def start(self) -> "Cluster":
        self.url = cluster_script("start", self.directory)
        return self

    def pause(self) -> None:
        cluster_script("pause", self.directory, timeout=60)

    def resume(self) -> None:
        cluster_script("resume", self.directory, timeout=60)

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "stop", str(self.directory)], capture_output=True, timeout=120)

    def database(self, key_file: Path) -> PostgresDatabase:
        return fresh_database(self.url, key_file)


def sql(url: str, statement: str) -> str:
    """The output of one statement (unaligned, tuples only)."""
    result = subprocess.run(["psql", str(url), "-Atc", statement], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def dump(url: str) -> str:
    """Every row of every table of the database, as pg_dump writes them (COPY text format)."""
    result = subprocess.run(["pg_dump", "--data-only", "--no-owner", str(url)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def fresh_database(cluster_url: str, key_file: Path) -> PostgresDatabase:
    """A new, empty database on the cluster (its key file, not yet made, at `key_file`)."""
    name = f"e2e_{uuid.uuid4().hex[:12]}"
    sql(cluster_url, f"CREATE DATABASE {name}")
    return PostgresDatabase(cluster_url.rsplit("/", 1)[0] + "/" + name, key_file)


@contextlib.contextmanager
def fresh_databases(cluster_url: str):
    """`make(key_file)` for fresh databases on the cluster, all dropped on exit (their connections cut)."""
    made: list[PostgresDatabase] = []

    def make(key_file: Path) -> PostgresDatabase:
        made.append(fresh_database(cluster_url, key_file))
        return made[-1]

    try:
        yield make
    finally:
        for database in made:  # best effort: the cluster goes at the end of the session anyway
            subprocess.run(["psql", cluster_url, "-qc", f"DROP DATABASE IF EXISTS {database.name} WITH (FORCE)"],
                           capture_output=True, timeout=30)


@pytest.fixture(scope="session")
def postgres_cluster():
    """The superuser URL of a cluster started for this test session (each xdist worker has its own)
    and stopped after it."""
    cluster = Cluster(f"/tmp/auth-e2e-postgres-{os.getpid()}")
    if cluster.directory.exists():  # left by a killed run of a process with the same id
        cluster.stop()
    cluster.start()
    try:
        # No test here needs to survive a crash of the machine: without fsync, each of the hundreds of
        # databases of a run costs a tenth of a second to create and to drop, not seconds (a checkpoint).
        for setting in ("fsync", "full_page_writes"):
            sql(cluster.url, f"ALTER SYSTEM SET {setting} = off")
        sql(cluster.url, "SELECT pg_reload_conf()")
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def postgres_database(postgres_cluster, tmp_path) -> PostgresDatabase:
    """A new, empty database on the session's cluster (its key file to be: tmp_path/auth.key), dropped
    after the test."""
    with fresh_databases(postgres_cluster) as make:
        yield make(tmp_path / "auth.key")


@pytest.fixture
def private_cluster(tmp_path):
    """A cluster of the test's own, which it may pause and resume; removed at teardown."""
    cluster = Cluster(f"/tmp/auth-e2e-pg-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        yield cluster.start()
    finally:
        cluster.stop()
