#!/usr/bin/env python3
"""HTTP, isolation and scaling benchmarks of issue #7, against the release binaries.

    python3 Benchmarks/http_bench.py [--quick] [--auth-server PATH] [--listings-server PATH]

Starts AuthServer and ListingsServer on 127.0.0.1 ephemeral ports with temporary databases, drives
them with `wrk` (Lua scripts in Benchmarks/wrk/) and prints one table: figure, value, baseline
measured in the same run, ratio, target, met/missed.

  1. GET /v1/listings (verify + 20-row query) vs GET /healthz of the same server: >= 50%.
  2. Refresh rotations/s vs raw SQLite rotation commits (UPDATE one row + INSERT one row per
     transaction, WAL, the synchronous mode the server really runs, see SERVER_SYNCHRONOUS) on the
     same disk, in a Python sqlite3 loop: >= 40%.
  3. Logins/s vs the hashing bound, cores / argon2id hash time at m=65536 KiB, t=3, p=1, measured
     as CORES threads hashing at once with libsodium's crypto_pwhash (through ctypes): >= 90%. Runs of
     at least 5 s (LOGIN_MIN_SECONDS): the hashes still in flight when a run ends go uncounted, a
     smaller share of a longer run.
  4. Refresh and listings p50/p99 latency (a paced client) while wrk floods logins with more
     connections than AUTH_HASH_CONCURRENCY: refresh p99 < 10 ms; the token service's peak RSS
     (VmHWM, its argon2 workers' added) vs its idle RSS + AUTH_HASH_CONCURRENCY x argon2 memory + SQLite's page-cache cap.
  5. Figures 1-3 and GET /v1/me at 1k and at 1M accounts, sessions and listings (seeded directly
     into the SQLite files); 1M / 1k must stay >= log(1k)/log(1M) = 0.5 (logarithmic at worst).
  6. Issue #17, at 1k (Benchmarks/peers.py): a bare Hummingbird hello-world GET /json as the
     baseline of AuthServer /healthz (>= 0.8), GET /v1/me (>= 0.4) and the listings page (>= 0.5);
     the listings page against the same page in Vapor + vapor/jwt + Fluent (ours >= 5x ahead).

Each value runs alternately with its baseline (--rounds times, median of each), so that the drift
of a shared machine hits both alike. --quick runs the 1k scale only, one short run each. Every
process started here is stopped by PID.
Needs wrk and libsodium (both servers link it).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import math
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchlib import (ARGON2_ITERATIONS, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, AUDIENCE, BENCH_ACCOUNT_ID,
                      BENCH_EMAIL, CORES, HASH_CONCURRENCY, HTTP_TIMEOUT, ISSUER, LOGIN_MIN_SECONDS, PASSWORD, REPO,
                      Processes, Row, Server, account_uuid, alternate, call, hashing_bound, listing_uuid, login,
                      parse_wrk, phc_hash, print_table, rate_row, session_uuid, wait_ready, wrk_argv, wrk_rate)
from peers import HELLO_PEER, VAPOR_PEER, peer_rows

SCHEMA_SQL = REPO / "schema.sql"

BENCH_LISTINGS = 25  # the benchmark user's own listings; the page asks for 20
# SQLite's page caches at most (AuthDatabase: 64 MiB for the writer, 16 MiB for each of 5 readers).
PAGE_CACHE_KIB = 65_536 + 5 * 16_384
# The server commits with synchronous=FULL (a 2xx survives a power cut); the refresh target is
# judged against raw commits in that mode, and NORMAL (no fsync per commit) is printed for information.
SERVER_SYNCHRONOUS, OTHER_SYNCHRONOUS = "FULL", "NORMAL"
PROBE_RATE = 40.0  # (refresh, listings) pairs per second sent by the latency probe
SCALE_TARGET = 0.5  # log(1e3) / log(1e6): "no worse than logarithmic" from 1k to 1M


# -- servers ---------------------------------------------------------------------------------

def auth_env(workdir: Path) -> dict[str, str]:
    """Token-service settings: production argon2 cost, limits lifted so that only hashing bounds logins."""
    return {
        "AUTH_PORT": "0", "AUTH_DATABASE": str(workdir / "auth.sqlite"), "AUTH_DRAIN_SECONDS": "0",
        "AUTH_ISSUER": ISSUER, "AUTH_AUDIENCE": AUDIENCE,
        "AUTH_ARGON2_MEMORY_KIB": str(ARGON2_MEMORY_KIB), "AUTH_ARGON2_ITERATIONS": str(ARGON2_ITERATIONS),
        "AUTH_ARGON2_PARALLELISM": str(ARGON2_PARALLELISM), "AUTH_HASH_CONCURRENCY": str(HASH_CONCURRENCY),
        "AUTH_RATE_LIMIT_PER_MINUTE": "1000000", "AUTH_RATE_LIMIT_BURST": "1000000",
        "AUTH_LOCKOUT_THRESHOLD": "1000", "AUTH_LOCKOUT_ACCOUNT_THRESHOLD": "1000",
    }


def listings_env(workdir: Path, jwks_url: str) -> dict[str, str]:
    return {
        "LISTINGS_PORT": "0", "LISTINGS_DATABASE": str(workdir / "listings.sqlite"), "LISTINGS_DRAIN_SECONDS": "0",
        "LISTINGS_ISSUER": ISSUER, "LISTINGS_AUDIENCE": AUDIENCE, "LISTINGS_JWKS_URL": jwks_url,
    }


# -- baselines -------------------------------------------------------------------------------

def open_like_server(path: Path, synchronous: str) -> sqlite3.Connection:
    """A connection with the token store's pragmas: WAL, `synchronous`, foreign keys."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA synchronous = {synchronous}")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def raw_rotations_per_second(workdir: Path, seconds: float, synchronous: str, max_count: int = 1_000_000) -> float:
    """Raw SQLite rotation commits/s: per IMMEDIATE transaction, UPDATE the session row and INSERT
    a refresh-token row, on schema.sql's tables, with the store's pragmas, on the benchmark's disk."""
    path = workdir / "raw-rotation.sqlite"
    db = open_like_server(path, synchronous)
    db.executescript(SCHEMA_SQL.read_text())
    now = int(time.time())
    db.execute("INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at) VALUES (?, 'raw@bench.test', 'active', 'x', ?, ?)", (BENCH_ACCOUNT_ID, now, now))
    session_id = session_uuid(0)
    db.execute("INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)",
               (session_id, BENCH_ACCOUNT_ID, now, now, now + 86400))
    count, start = 0, time.perf_counter()
    while count < max_count and time.perf_counter() - start < seconds:
        count += 1
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE sessions SET generation = ?, rotated_at_ms = ?, last_used_at = ? WHERE id = ?",
                   (count, int(time.time() * 1000), now, session_id))
        db.execute("INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES (?, ?, ?, ?)",
                   (os.urandom(32), session_id, count, now))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return count / elapsed


# -- seeding ---------------------------------------------------------------------------------

def open_for_seeding(path: Path) -> sqlite3.Connection:
    """A connection for bulk loading a stopped server's database (constraints and foreign keys on)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = MEMORY")  # the server reopens it in WAL mode
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -262144")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def seed_auth(path: Path, accounts: int, sessions: int, password_hash: str) -> None:
    """Background accounts user<i>@bench.test (all with PASSWORD), the benchmark user, and `sessions`
    live sessions spread over the accounts, each with one refresh token of a random-looking hash."""
    now = int(time.time())
    db = open_for_seeding(path)
    db.execute("BEGIN")
    db.execute("INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?)",
               (BENCH_ACCOUNT_ID, BENCH_EMAIL, password_hash, now, now))
    db.executemany("INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at) VALUES (?, ?, 'active', ?, ?, ?)",
                   ((account_uuid(i), f"user{i}@bench.test", password_hash, now, now) for i in range(accounts)))
    db.executemany(
        "INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at, user_agent, ip)"
        " VALUES (?, ?, ?, ?, ?, 'seed', '127.0.0.1')",
        ((session_uuid(i), account_uuid(i % accounts), now, now, now + 30 * 86400) for i in range(sessions)))
    db.executemany(
        "INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES (?, ?, 0, ?)",
        ((hashlib.sha256(b"seed%d" % i).digest(), session_uuid(i), now) for i in range(sessions)))
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()


def seed_listings(path: Path, listings: int, owners: int) -> None:
    """`listings` background listings over `owners` owners, with the benchmark user's BENCH_LISTINGS
    spread evenly among them (so a page of 20 reads rows from all over the table)."""
    now_ms = int(time.time() * 1000)
    step = max(1, listings // BENCH_LISTINGS)

    def rows():
        bench = 0
        for i in range(listings + BENCH_LISTINGS):
            if bench < BENCH_LISTINGS and (i % step == 0 or i >= listings):
                owner, bench = BENCH_ACCOUNT_ID, bench + 1
            else:
                owner = account_uuid(i % owners)
            yield (listing_uuid(i), owner, f"Listing {i}", "A seeded listing.", i % 1_000_000, "EUR",
                   "active", now_ms + i, now_ms + i)

    db = open_for_seeding(path)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO listings (id, owner_id, title, description, price_cents, currency, status, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()


def seed_both(workdir: Path, scale: int, password_hash: str) -> None:
    """Seeds both stopped servers' databases at once, the listings in a child process (stopped by
    PID if it outlives the auth seeding by more than a minute)."""
    child = multiprocessing.get_context("fork").Process(target=seed_listings,
                                                        args=(workdir / "listings.sqlite", scale, scale))
    child.start()
    try:
        seed_auth(workdir / "auth.sqlite", scale, scale, password_hash)
        child.join(timeout=60)
    finally:
        if child.is_alive():
            child.kill()
            child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"seeding the listings failed (exit {child.exitcode})")


# -- figures ---------------------------------------------------------------------------------

@dataclass
class Stack:
    """Both servers of one scale, with what the figures need."""
    workdir: Path
    auth: Server
    listings: Server
    access_token: str
    accounts: int


def start_stack(procs: Processes, binaries: argparse.Namespace, workdir: Path, scale: int,
                password_hash: str) -> Stack:
    """Creates both databases (a first start of each server), seeds `scale` accounts, sessions and
    listings while the servers are stopped, starts them again and waits until listings has keys."""
    workdir.mkdir(parents=True)
    first_auth = procs.start_server("AuthServer", binaries.auth_server, auth_env(workdir), workdir)
    first_listings = procs.start_server("ListingsServer", binaries.listings_server,
                                        listings_env(workdir, "http://127.0.0.1:9/jwks.json"), workdir)
    procs.stop(first_auth.proc)
    procs.stop(first_listings.proc)
    start = time.perf_counter()
    seed_both(workdir, scale, password_hash)
    print(f"  seeded {scale:,} accounts, sessions and listings in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    auth = procs.start_server("AuthServer", binaries.auth_server, auth_env(workdir), workdir)
    listings = procs.start_server("ListingsServer", binaries.listings_server,
                                  listings_env(workdir, auth.base_url + "/.well-known/jwks.json"), workdir)
    wait_ready(listings)
    token = login(auth)["access_token"]
    status, body = call(listings.base_url, "GET", "/v1/listings?limit=20", token=token)
    if status != 200 or len(body.get("listings", [])) != 20:
        raise RuntimeError(f"the listings page is not 20 rows: {status} {body}")
    return Stack(workdir, auth, listings, token, scale)


def bearer(stack: Stack) -> list[str]:
    return [f"Authorization: Bearer {stack.access_token}"]


def listings_rate(procs: Processes, stack: Stack, seconds: float) -> float:
    """Figure 1: GET /v1/listings?limit=20 requests/s (verify + 20-row page)."""
    argv = wrk_argv(stack.listings.base_url + "/v1/listings?limit=20", seconds, 4, headers=bearer(stack))
    return wrk_rate(procs, argv, seconds, "listings")


def healthz_rate(procs: Processes, stack: Stack, seconds: float) -> float:
    """Figure 1's baseline: GET /healthz requests/s on the same listings server."""
    return wrk_rate(procs, wrk_argv(stack.listings.base_url + "/healthz", seconds, 4), seconds, "healthz")


def me_rate(procs: Processes, stack: Stack, seconds: float) -> float:
    """GET /v1/me requests/s on the token service (verify + session and account lookup)."""
    argv = wrk_argv(stack.auth.base_url + "/v1/me", seconds, 4, headers=bearer(stack))
    return wrk_rate(procs, argv, seconds, "me")


def refresh_token_file(stack: Stack, sessions: int, name: str) -> Path:
    """Logs the benchmark user in `sessions` times; a file of their refresh tokens, one a line."""
    tokens = [login(stack.auth)["refresh_token"] for _ in range(sessions)]
    if not all(re.fullmatch(r"[A-Za-z0-9_\-]+", t) for t in tokens):
        raise RuntimeError("refresh tokens are not URL-safe; refresh.lua sends them as is")
    path = stack.workdir / name
    path.write_text("\n".join(tokens) + "\n")
    return path


def refresh_rate(procs: Processes, stack: Stack, seconds: float, connections: int = 4) -> float:
    """Figure 2: refresh rotations/s, a fresh session chain per connection."""
    tokens = refresh_token_file(stack, connections, "refresh-tokens.txt")
    argv = wrk_argv(stack.auth.base_url + "/v1/token", seconds, connections, "refresh.lua", [str(tokens), "1"])
    return wrk_rate(procs, argv, seconds, "refresh")


def login_argv(stack: Stack, seconds: float, connections: int) -> list[str]:
    return wrk_argv(stack.auth.base_url + "/v1/token", seconds, connections, "login.lua",
                    [str(stack.accounts), PASSWORD])


def login_rate(procs: Processes, stack: Stack, seconds: float) -> float:
    """Figure 3: password logins/s over many accounts. Each login also makes several short write
    transactions (throttle, session, audit), so 4 connections per hash thread keep the pool busy
    (2 per thread leave it idle about a fifth of the time)."""
    return wrk_rate(procs, login_argv(stack, seconds, 4 * HASH_CONCURRENCY), seconds, "login")


def paced_probe(stack: Stack, refresh_token: str, count: int, rate: float) -> tuple[list[float], list[float]]:
    """`count` pairs of (refresh of this session's chain, GET /v1/listings) at `rate` pairs/s, each
    kind on its own keep-alive connection; the latencies in ms of each kind."""
    auth_conn = http.client.HTTPConnection(f"127.0.0.1:{stack.auth.port}", timeout=HTTP_TIMEOUT)
    listings_conn = http.client.HTTPConnection(f"127.0.0.1:{stack.listings.port}", timeout=HTTP_TIMEOUT)
    refresh_ms, listings_ms = [], []
    start = time.perf_counter()
    try:
        for i in range(count):
            time.sleep(max(0.0, start + i / rate - time.perf_counter()))
            t0 = time.perf_counter()
            status, body = call(stack.auth.base_url, "POST", "/v1/token",
                                {"grant_type": "refresh_token", "refresh_token": refresh_token}, conn=auth_conn)
            t1 = time.perf_counter()
            if status != 200:
                raise RuntimeError(f"refresh under load answered {status}: {body}")
            refresh_token = body["refresh_token"]
            status, _ = call(stack.listings.base_url, "GET", "/v1/listings?limit=20", token=stack.access_token,
                             conn=listings_conn)
            t2 = time.perf_counter()
            if status != 200:
                raise RuntimeError(f"listings under load answered {status}")
            refresh_ms.append((t1 - t0) * 1e3)
            listings_ms.append((t2 - t1) * 1e3)
    finally:
        auth_conn.close()
        listings_conn.close()
    return refresh_ms, listings_ms


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def measure_isolation(procs: Processes, stack: Stack, idle_rss_kib: int, seconds: float) -> list[Row]:
    """Figure 4: paced refresh and listings latency, quiet and under a login flood of 4 x
    AUTH_HASH_CONCURRENCY connections, and the token service's peak RSS against its bound: its RSS
    after start (and one login) plus one argon2 memory per hash thread."""
    rate = PROBE_RATE
    count = max(40, int(seconds * rate))
    quiet_refresh, quiet_listings = paced_probe(stack, login(stack.auth)["refresh_token"], count, rate)
    refresh_token = login(stack.auth)["refresh_token"]
    flood_seconds = int(count / rate) + 3
    flood = procs.start(login_argv(stack, flood_seconds, 4 * HASH_CONCURRENCY),
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(1.0)  # let the hash pool fill
        flood_refresh, flood_listings = paced_probe(stack, refresh_token, count, rate)
        if flood.poll() is not None:
            print("  warning: the login flood ended before the probe", file=sys.stderr)
        output, _ = flood.communicate(timeout=flood_seconds + 30)
    finally:
        procs.stop(flood)
    logins = parse_wrk(output)
    peak_kib = stack.auth.rss_kib("VmHWM")
    bound_kib = idle_rss_kib + HASH_CONCURRENCY * ARGON2_MEMORY_KIB + PAGE_CACHE_KIB
    rows = []
    for name, quiet, loaded, target in (("refresh", quiet_refresh, flood_refresh, 10.0),
                                        ("listings", quiet_listings, flood_listings, None)):
        p50, p99 = percentile(loaded, 50), percentile(loaded, 99)
        rows.append(Row(f"{name} p50 / p99 under login flood", f"{p50:.1f} / {p99:.1f} ms",
                        f"{percentile(quiet, 50):.1f} / {percentile(quiet, 99):.1f} ms quiet",
                        p99 / max(percentile(quiet, 99), 1e-9), "p99 < 10 ms" if target else "(info)",
                        p99 < target if target else None))
    rows.append(Row("  login flood while probing", f"{logins.ok_per_second:.1f}/s",
                    f"{4 * HASH_CONCURRENCY} conns > {HASH_CONCURRENCY} hash threads", None,
                    "(info)", None))
    rows.append(Row("AuthServer peak RSS (VmHWM)", f"{peak_kib / 1024:.0f} MiB",
                    f"{bound_kib / 1024:.0f} MiB = idle {idle_rss_kib / 1024:.0f} + {HASH_CONCURRENCY} x "
                    f"{ARGON2_MEMORY_KIB // 1024} + {PAGE_CACHE_KIB // 1024} cache", peak_kib / bound_kib, "<= 1.00",
                    peak_kib <= bound_kib))
    return rows


@dataclass
class ScaleResult:
    scale: int
    listings: float
    healthz: float
    refresh: float
    login: float
    me: float
    rows: list[Row]


def run_scale(procs: Processes, binaries: argparse.Namespace, root: Path, scale: int, seconds: float,
              rounds: int, password_hash: str) -> ScaleResult:
    """Every figure at one scale, on a fresh pair of servers, each value alternating with its
    baseline `rounds` times for `seconds` each; the servers are stopped after."""
    print(f"scale {scale:,}", file=sys.stderr)
    stack = start_stack(procs, binaries, root / f"scale-{scale}", scale, password_hash)
    raw_seconds = min(seconds, 2.0)
    try:
        idle_rss = stack.auth.rss_kib()
        listings, healthz = alternate(lambda: listings_rate(procs, stack, seconds),
                                      lambda: healthz_rate(procs, stack, seconds), rounds)
        me = me_rate(procs, stack, seconds)
        refresh, raw = alternate(lambda: refresh_rate(procs, stack, seconds),
                                 lambda: raw_rotations_per_second(stack.workdir, raw_seconds, SERVER_SYNCHRONOUS),
                                 rounds)
        raw_other = raw_rotations_per_second(stack.workdir, raw_seconds, OTHER_SYNCHRONOUS)
        hash_seconds = []
        login_seconds = max(seconds, LOGIN_MIN_SECONDS)
        logins, bound = alternate(lambda: login_rate(procs, stack, login_seconds),
                                  lambda: hashing_bound(login_seconds, hash_seconds), rounds)
        label = scale_label(scale)
        rows = [
            rate_row(f"GET /v1/listings vs /healthz ({label})", listings, healthz, "healthz", 0.50),
            rate_row(f"refresh vs raw SQLite rotation ({label})", refresh, raw,
                     f"raw, synchronous={SERVER_SYNCHRONOUS}", 0.40),
            Row(f"  same vs synchronous={OTHER_SYNCHRONOUS} ({label})", f"{refresh:,.0f}/s",
                f"{raw_other:,.0f}/s raw", refresh / raw_other, "(info)", None),
            rate_row(f"login vs cores / hash time ({label})", logins, bound,
                     f"= {CORES} / {statistics.median(hash_seconds) * 1e3:.0f} ms", 0.90),
            Row(f"GET /v1/me ({label})", f"{me:,.0f}/s", "", None, "(scaling)", None),
        ]
        rows += [Row(r.figure + f" ({label})", r.value, r.baseline, r.ratio, r.target, r.met)
                 for r in measure_isolation(procs, stack, idle_rss, seconds * rounds)]
        if binaries.peers:
            rows += peer_rows(procs, stack.workdir, stack.auth, stack.listings, stack.access_token,
                              binaries.peer_seconds, rounds, lambda path: seed_listings(path, scale, scale),
                              binaries.hello_peer, binaries.vapor_peer, f" ({label})")
    finally:
        procs.stop(stack.listings.proc)
        procs.stop(stack.auth.proc)
    return ScaleResult(scale, listings, healthz, refresh, logins, me, rows)


def scale_label(scale: int) -> str:
    return f"{scale // 1_000_000}M" if scale >= 1_000_000 else f"{scale // 1000}k"


def scaling_rows(small: ScaleResult, large: ScaleResult) -> list[Row]:
    """Figure 5: each throughput at the large scale against the small one."""
    rows = []
    for name in ("listings", "refresh", "login", "me"):
        before, after = getattr(small, name), getattr(large, name)
        ratio = after / before if before else 0.0
        rows.append(Row(f"scaling {name}: {scale_label(large.scale)} vs {scale_label(small.scale)}",
                        f"{after:,.1f}/s", f"{before:,.1f}/s", ratio, f">= {SCALE_TARGET:.2f}",
                        ratio >= SCALE_TARGET))
    return rows


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    release = REPO / ".build" / "release"
    parser.add_argument("--auth-server", type=lambda p: Path(p).resolve(), default=release / "AuthServer")
    parser.add_argument("--listings-server", type=lambda p: Path(p).resolve(), default=release / "ListingsServer")
    parser.add_argument("--quick", action="store_true", help="1k scale only, one 2 s run per figure")
    parser.add_argument("--seconds", type=float, help="duration of each run (default 2)")
    parser.add_argument("--rounds", type=int,
                        help="runs of each value and of its baseline, alternating (default 2, quick 1)")
    parser.add_argument("--hello-peer", type=lambda p: Path(p).resolve(), default=HELLO_PEER)
    parser.add_argument("--vapor-peer", type=lambda p: Path(p).resolve(), default=VAPOR_PEER)
    parser.add_argument("--peer-seconds", type=float, help="duration of each peer-comparison run (default 5, quick 2)")
    parser.add_argument("--workdir", type=Path, help="where the temporary databases go (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    seconds = args.seconds or 2.0
    rounds = args.rounds or (1 if args.quick else 2)
    scales = [1_000] if args.quick else [1_000, 1_000_000]
    args.peer_seconds = args.peer_seconds or (2.0 if args.quick else 5.0)
    args.peers = True  # the peer rows, at the first scale only
    for binary in (args.auth_server, args.listings_server):
        if not binary.exists():
            sys.exit(f"http_bench: {binary} not found (swift build -c release)")
    if not shutil.which("wrk"):
        sys.exit("http_bench: wrk not found (apt-get install wrk)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the finally below stops everything
    root = Path(tempfile.mkdtemp(prefix="http-bench-", dir=args.workdir))
    procs = Processes()
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        password_hash = phc_hash()
        results = []
        for scale in scales:
            results.append(run_scale(procs, args, root, scale, seconds, rounds, password_hash))
            args.peers = False
    finally:
        procs.stop_all()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    rows = [row for result in results for row in result.rows]
    if len(results) == 2:
        rows += scaling_rows(*results)
    header = (f"HTTP benchmarks (issues #7, #17): {CORES} cores, load average {load_before:.1f} before and "
              f"{os.getloadavg()[0]:.1f} after (other processes share the machine), argon2id "
              f"m={ARGON2_MEMORY_KIB} t={ARGON2_ITERATIONS} p={ARGON2_PARALLELISM}, runs of {round(seconds)} s "
              f"x {rounds} alternating with their baselines, {time.monotonic() - started:.0f} s in all")
    print_table(rows, header + (f", files kept in {root}" if args.keep else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
