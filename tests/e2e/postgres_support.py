"""A throwaway PostgreSQL cluster for the end-to-end tests (scripts/postgres-test-cluster.sh, on
127.0.0.1 only), a fresh database per test, and SQL run with psql to look at what nodes wrote."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "postgres-test-cluster.sh"


@pytest.fixture(scope="session")
def postgres_cluster():
    """The superuser URL of a cluster started for this test session and stopped after it."""
    directory = f"/tmp/auth-e2e-postgres-{os.getpid()}"
    started = subprocess.run([str(SCRIPT), "start", directory], capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(SCRIPT), "stop", directory], capture_output=True, timeout=120)


def sql(url: str, statement: str) -> str:
    """The output of one statement (unaligned, tuples only)."""
    result = subprocess.run(["psql", url, "-Atc", statement], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def postgres_database(postgres_cluster) -> str:
    """The URL of a new, empty database on the cluster."""
    name = f"e2e_{uuid.uuid4().hex[:12]}"
    sql(postgres_cluster, f"CREATE DATABASE {name}")
    return postgres_cluster.rsplit("/", 1)[0] + "/" + name
