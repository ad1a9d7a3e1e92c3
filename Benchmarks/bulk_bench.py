#!/usr/bin/env python3
"""`make bench`, bulk part: `authctl import` and `export` of generated accounts (real-format
argon2id hashes) at 1k and 1M, in records per second, against raw SQLite inserts of the same
rows into the same schema with the same pragmas and the same 200 ms write transactions.

usage: bulk_bench.py AUTHCTL [--quick]   (--quick: 1k and 100k instead of 1k and 1M)
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA = (HERE.parent / "schema.sql").read_text()
BATCH_SECONDS = 0.2  # as authctl import's write transactions
IMPORT_TARGET = 50_000
EXPORT_TARGET = 200_000


def generate(count: int, path: Path) -> None:
    subprocess.run([sys.executable, str(HERE / "generate_accounts.py"), str(count), str(path)], check=True)


def timed(command: list[str]) -> float:
    """Seconds `command` took; it must succeed."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return elapsed


def raw_inserts(rows: list[tuple], path: Path) -> float:
    """Seconds to insert `rows` with sqlite3 directly: WAL, synchronous FULL, 64 MiB cache, 200 ms transactions."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA cache_size = -65536")
    db.executescript(SCHEMA)
    sql = "INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
    started = time.perf_counter()
    index = 0
    while index < len(rows):
        db.execute("BEGIN IMMEDIATE")
        deadline = time.perf_counter() + BATCH_SECONDS
        while index < len(rows) and time.perf_counter() < deadline:
            db.executemany(sql, rows[index:index + 256])
            index += 256
        db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def rows_of(path: Path) -> list[tuple]:
    """The generated records as accounts rows (created_at as seconds, as authctl stores it)."""
    import json

    rows = []
    with path.open() as lines:
        for line in lines:
            record = json.loads(line)
            rows.append((record["id"], record["email"], record["status"], record["password_hash"], 1767323045, 1767323045))
    return rows


def measure(authctl: str, count: int, workdir: Path) -> dict[str, float]:
    source, database, exported = workdir / f"in-{count}.jsonl", workdir / f"auth-{count}.sqlite", workdir / f"out-{count}.jsonl"
    generate(count, source)
    timed([authctl, "init", "--database", str(database)])
    figures = {
        "import": count / timed([authctl, "import", "--database", str(database), str(source)]),
        "export": count / timed([authctl, "export", "--database", str(database), "--output", str(exported)]),
        "raw": count / raw_inserts(rows_of(source), workdir / f"raw-{count}.sqlite"),
    }
    assert sum(1 for _ in exported.open()) == count, "the export lost records"
    return figures


def row(name: str, value: float, baseline: float | None, target: str) -> None:
    ratio = f"{value / baseline:.2f}×" if baseline else ""
    print(f"{name:<56} {value:>12,.0f}/s {ratio:<8} {target}")


def main() -> None:
    authctl = sys.argv[1]
    scales = [1_000, 100_000] if "--quick" in sys.argv else [1_000, 1_000_000]
    print(f"\n{'bulk (records per second; ratio to raw SQLite inserts)':<56} {'rate':>14} {'ratio':<8} target")
    with tempfile.TemporaryDirectory(prefix="auth-bulk-") as scratch:
        results = {count: measure(authctl, count, Path(scratch)) for count in scales}
    for count, figures in results.items():
        scale = f"{count:,}"
        row(f"raw SQLite inserts, {scale} accounts (baseline)", figures["raw"], None, "")
        row(f"authctl import, {scale} accounts", figures["import"], figures["raw"],
            f"≥ {IMPORT_TARGET:,}/s (issue #7)" if count == scales[-1] else "")
        row(f"authctl export, {scale} accounts", figures["export"], figures["raw"],
            f"≥ {EXPORT_TARGET:,}/s (issue #7)" if count == scales[-1] else "")
    small, large = results[scales[0]], results[scales[-1]]
    for name in ("import", "export"):
        print(f"{name} at {scales[-1]:,} vs {scales[0]:,}: {large[name] / small[name]:.2f}× the per-record rate")


if __name__ == "__main__":
    main()
