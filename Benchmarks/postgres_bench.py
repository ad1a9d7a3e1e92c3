#!/usr/bin/env python3
"""PostgreSQL benchmarks of issue #15, against the release binaries.

    python3 Benchmarks/postgres_bench.py [--quick] [--auth-server PATH] [--listings-server PATH]

Starts a throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh, removed at the end), seeds
it by COPY, starts two AuthServer nodes on the same database and a ListingsServer on PostgreSQL
and one on SQLite, all on 127.0.0.1, drives them with wrk (Benchmarks/wrk/) and prints one table:

  1. Refresh rotations/s with 1 node and with 2 nodes (a wrk per node, at once, summed) vs the
     floor: pgbench running the rotation's own transaction (Benchmarks/pgbench/rotation.sql), with
     as many connections as the nodes' pools hold (AUTH_DATABASE_POOL each).
  2. Password logins/s with 1 and 2 nodes vs the hashing bound, cores / argon2id hash time at
     http_bench's cost (m=65536 KiB, t=3, p=1), measured as http_bench does.
  3. GET /v1/listings?limit=20 on PostgreSQL vs the same page from a SQLite ListingsServer holding
     the same rows.
  4. Issue #17's figures against a bare Hummingbird hello-world (Benchmarks/HelloPeer, --hello-peer;
     skipped when not built): /healthz and GET /v1/me of a node, and the page on PostgreSQL. For
     GET /v1/me and the page, also their statement run alone by pgbench with a pool's connections
     (Benchmarks/pgbench/me.sql, page.sql) against hello-world: the most any node could reach on
     these cores, since PostgreSQL shares them.
  5. The CPU each of those requests and statements cost the server, PostgreSQL and the load
     generator in those same runs (cpu_budget.py), and what that leaves a node at issue #17's targets.

Each value alternates with its baseline (--rounds times, median of each). Both token-service nodes
run throughout; a 1-node figure sends requests to one of them. The targets are issue #7's for
SQLite, applied to PostgreSQL. Exits non-zero only when the run itself breaks, never on a ratio.
Every process started here is stopped by PID; the cluster by its script.
Needs wrk, psql and pgbench (Debian's postgresql package; the cluster script installs it as root).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchlib import (ARGON2_ITERATIONS, ARGON2_MEMORY_KIB, BENCH_ACCOUNT_ID, BENCH_EMAIL, CORES, HASH_CONCURRENCY,
                      LOGIN_MIN_SECONDS, PASSWORD, REPO, Processes, Row, Server, account_uuid, alternate, call,
                      checked, hashing_bound, login, parse_wrk, phc_hash, print_table, rate_row, run_wrk, session_uuid,
                      wait_ready, wrk_argv)
from http_bench import auth_env, listings_env, seed_listings
from cpu_budget import Cost, node_budget_row
from peers import HELLO_PEER, HELLO_TARGETS, peer_rows

CLUSTER_SCRIPT = REPO / "scripts" / "postgres-test-cluster.sh"
ROTATION_SQL = REPO / "Benchmarks" / "pgbench" / "rotation.sql"
ME_SQL, PAGE_SQL = REPO / "Benchmarks" / "pgbench" / "me.sql", REPO / "Benchmarks" / "pgbench" / "page.sql"
POOL = 10  # AUTH_DATABASE_POOL and LISTINGS_DATABASE_POOL: the default
GENERATIONS = 1_000_000_000  # seeded session i's token of generation g has the hash sha256(int8(i * this + g))
REFRESH_TARGET, LOGIN_TARGET = 0.40, 0.90  # issue #7's, against raw SQLite and against the hashing bound
CLUSTER_TIMEOUT = 180.0  # the first start may install postgresql


# -- the cluster -----------------------------------------------------------------------------

@dataclass
class Cluster:
    """A throwaway cluster in `directory`, reached as the superuser at `url` (its `postgres` db)."""
    directory: Path
    url: str

    def database_url(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    def psql(self, database: str, sql: str, timeout: float = 300.0) -> str:
        """Runs `sql` (statements, COPY data inline) with psql, stopping at the first error."""
        result = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", self.database_url(database),
                                 "-f", "-"], input=sql, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"psql on {database} failed: {result.stderr.strip()}")
        return result.stdout


def start_cluster(directory: Path) -> Cluster:
    result = subprocess.run([str(CLUSTER_SCRIPT), "start", str(directory)], capture_output=True, text=True,
                            timeout=CLUSTER_TIMEOUT)
    if result.returncode != 0:
        raise RuntimeError(f"the PostgreSQL cluster did not start: {result.stderr.strip()}")
    return Cluster(directory, result.stdout.strip().splitlines()[-1])


def stop_cluster(directory: Path) -> None:
    if directory.exists():
        subprocess.run([str(CLUSTER_SCRIPT), "stop", str(directory)], capture_output=True, timeout=CLUSTER_TIMEOUT)


def pgbench_binary() -> str:
    found = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if not found:
        raise RuntimeError("pgbench not found (Debian: the postgresql package)")
    return str(found)


# -- seeding ---------------------------------------------------------------------------------

def token_hash(session: int, generation: int) -> bytes:
    """The seeded refresh token's hash, as rotation.sql computes it: sha256(int8send(i * 1e9 + g))."""
    return hashlib.sha256((session * GENERATIONS + generation).to_bytes(8, "big", signed=True)).digest()


def copy_block(table: str, columns: str, rows) -> str:
    """A COPY … FROM STDIN with its rows inline (text format; no value here holds a tab, newline
    or backslash but the bytea's \\x prefix)."""
    lines = ["\t".join(row) for row in rows]
    return f"COPY {table} ({columns}) FROM STDIN;\n" + "\n".join(lines) + "\n\\.\n"


def chain_token(chain: int) -> str:
    """The generation-0 refresh token of seeded chain `chain`, for wrk (URL-safe, as the server's)."""
    return f"bench-chain-{chain}-" + hashlib.sha256(b"chain%d" % chain).hexdigest()


def seed_auth(cluster: Cluster, accounts: int, sessions: int, chains: int, password_hash: str) -> None:
    """The shapes http_bench seeds on SQLite: the benchmark user, `accounts` user<i>@bench.test (all
    with PASSWORD) and `sessions` live sessions over them, each with its generation-0 token (the
    floor's chains), and `chains` more sessions of the benchmark user whose tokens wrk presents
    (the server stores a token's SHA-256, OpaqueToken.hash); so no login runs between figures."""
    now = int(time.time())
    account_rows = [(BENCH_ACCOUNT_ID, BENCH_EMAIL, "active", password_hash, str(now), str(now))]
    account_rows += [(account_uuid(i), f"user{i}@bench.test", "active", password_hash, str(now), str(now))
                     for i in range(accounts)]
    session_rows = [(session_uuid(i), account_uuid(i % accounts), str(now), str(now), str(now + 30 * 86400),
                     "seed", "127.0.0.1") for i in range(sessions)]
    session_rows += [(session_uuid(sessions + j), BENCH_ACCOUNT_ID, str(now), str(now), str(now + 30 * 86400),
                      "seed", "127.0.0.1") for j in range(chains)]
    token_rows = [(token_hash(i, 0), session_uuid(i)) for i in range(sessions)]
    token_rows += [(hashlib.sha256(chain_token(j).encode()).digest(), session_uuid(sessions + j)) for j in range(chains)]
    token_rows = (("\\\\x" + digest.hex(), session, "0", str(now)) for digest, session in token_rows)
    cluster.psql("auth", "BEGIN;\n"
                 + copy_block("accounts", "id, email, status, password_hash, created_at, updated_at", account_rows)
                 + copy_block("sessions", "id, account_id, created_at, last_used_at, expires_at, user_agent, ip",
                              session_rows)
                 + copy_block("refresh_tokens", "token_hash, session_id, generation, created_at", token_rows)
                 + "COMMIT;\nANALYZE;\n")


def seed_listings_both(cluster: Cluster, sqlite_path: Path, listings: int) -> None:
    """http_bench's listings into the SQLite file, then the same rows, in the same order, into PostgreSQL."""
    seed_listings(sqlite_path, listings, listings)
    db = sqlite3.connect(sqlite_path)
    try:
        rows = db.execute("SELECT id, owner_id, title, description, price_cents, currency, status, created_at,"
                          " updated_at FROM listings ORDER BY seq").fetchall()
    finally:
        db.close()
    cluster.psql("listings", "BEGIN;\n"
                 + copy_block("listings", "id, owner_id, title, description, price_cents, currency, status,"
                              " created_at, updated_at", (tuple(map(str, row)) for row in rows))
                 + "COMMIT;\nANALYZE;\n")


# -- servers ---------------------------------------------------------------------------------

@dataclass
class Setup:
    workdir: Path
    nodes: list[Server]  # two AuthServer nodes on one database
    postgres_listings: Server
    sqlite_listings: Server
    accounts: int
    chains: int
    access_token: str  # the benchmark user's, for the listings pages


def start_servers(procs: Processes, args: argparse.Namespace, cluster: Cluster, workdir: Path,
                  scale: int, chains: int) -> Setup:
    """Creates both databases, starts a node (which creates the token service's schema), seeds
    `scale` rows of each kind and `chains` wrk chains, starts the second node and both listings
    services, and checks each serves the benchmark user's page of 20."""
    key_file = workdir / "auth.key"
    key_file.write_text(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
    key_file.chmod(0o600)
    auth = auth_env(workdir) | {"AUTH_DATABASE": cluster.database_url("auth"), "AUTH_KEY_FILE": str(key_file),
                                "AUTH_DATABASE_POOL": str(POOL)}
    cluster.psql("postgres", "CREATE DATABASE auth;\nCREATE DATABASE listings;\n")
    first = procs.start_server("AuthServer", args.auth_server, auth, workdir)  # creates the schema
    started = time.perf_counter()
    seed_auth(cluster, scale, scale, chains, phc_hash())
    second = procs.start_server("AuthServer", args.auth_server, auth, workdir)
    jwks_url = first.base_url + "/.well-known/jwks.json"
    postgres_env = listings_env(workdir, jwks_url) | {"LISTINGS_DATABASE": cluster.database_url("listings"),
                                                      "LISTINGS_DATABASE_POOL": str(POOL)}
    sqlite_env = listings_env(workdir, jwks_url)
    # A first start of each creates its schema; the rows go in while the SQLite one is stopped.
    postgres_listings = procs.start_server("ListingsServer", args.listings_server, postgres_env, workdir)
    first_sqlite = procs.start_server("ListingsServer", args.listings_server, sqlite_env, workdir)
    procs.stop(first_sqlite.proc)
    seed_listings_both(cluster, workdir / "listings.sqlite", scale)
    print(f"  seeded {scale:,} accounts, sessions and listings and started the servers in "
          f"{time.perf_counter() - started:.1f}s", file=sys.stderr)
    sqlite_listings = procs.start_server("ListingsServer", args.listings_server, sqlite_env, workdir)
    for server in (first, second, postgres_listings, sqlite_listings):
        wait_ready(server)
    token = login(second)["access_token"]
    for server in (postgres_listings, sqlite_listings):
        status, body = call(server.base_url, "GET", "/v1/listings?limit=20", token=token)
        if status != 200 or len(body.get("listings", [])) != 20:
            raise RuntimeError(f"the listings page is not 20 rows: {status} {body}")
    return Setup(workdir, [first, second], postgres_listings, sqlite_listings, scale, chains, token)


# -- figures ---------------------------------------------------------------------------------

def run_wrks(procs: Processes, runs: list[tuple[list[str], str]], seconds: float) -> float:
    """Runs the wrk command lines at once (bounded); their successful requests/s, summed."""
    started = [(procs.start(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), what)
               for argv, what in runs]
    total = 0.0
    try:
        for proc, what in started:
            output, _ = proc.communicate(timeout=seconds + 30)
            total += checked(parse_wrk(output), what).ok_per_second
    finally:
        for proc, _ in started:
            procs.stop(proc)
    return total


class RefreshChains:
    """Token files for wrk's refresh runs, each line a fresh seeded chain (see `seed_auth`)."""

    def __init__(self, workdir: Path, chains: int):
        self.workdir = workdir
        self.chains = chains
        self.used = 0
        self.files = 0

    def file(self, count: int) -> Path:
        if self.used + count > self.chains:
            raise RuntimeError("wrk ran out of seeded refresh-token chains")
        tokens = [chain_token(j) for j in range(self.used, self.used + count)]
        self.used += count
        self.files += 1
        path = self.workdir / f"refresh-tokens-{self.files}.txt"
        path.write_text("\n".join(tokens) + "\n")
        return path


def refresh_rate(procs: Processes, setup: Setup, chains: RefreshChains, nodes: int, seconds: float) -> float:
    """Refresh rotations/s on the first `nodes` nodes at once, POOL connections (one chain each) per node."""
    runs = []
    for n, node in enumerate(setup.nodes[:nodes]):
        tokens = chains.file(POOL)
        runs.append((wrk_argv(node.base_url + "/v1/token", seconds, POOL, "refresh.lua", [str(tokens), "1"]),
                     f"refresh on node {n + 1}"))
    return run_wrks(procs, runs, seconds)


def login_rate(procs: Processes, setup: Setup, nodes: int, seconds: float) -> float:
    """Password logins/s on the first `nodes` nodes at once: 4 connections per hash thread per node (as
    http_bench), each wrk walking its own part of the accounts."""
    runs = []
    for n, node in enumerate(setup.nodes[:nodes]):
        start = n * setup.accounts // nodes
        runs.append((wrk_argv(node.base_url + "/v1/token", seconds, 4 * HASH_CONCURRENCY, "login.lua",
                              [str(setup.accounts), PASSWORD, str(start)]), f"login on node {n + 1}"))
    return run_wrks(procs, runs, seconds)


def settle(nodes: list[Server], timeout: float = 60.0) -> None:
    """Waits (bounded) until no node has password hashes queued from a login run that wrk has left,
    then as long again as a hash takes, so that the next figure starts on idle nodes."""
    deadline = time.monotonic() + timeout
    for node in nodes:
        while time.monotonic() < deadline:
            metrics = urllib.request.urlopen(node.base_url + "/metrics", timeout=10).read().decode()
            depth = re.search(r"^auth_hash_queue_depth(?:\{[^}]*\})? ([\d.e+]+)$", metrics, re.M)
            if depth is None or float(depth.group(1)) == 0:
                break
            time.sleep(0.1)
    time.sleep(0.5)


def listings_rate(procs: Processes, setup: Setup, server: Server, seconds: float) -> float:
    """GET /v1/listings?limit=20 requests/s on `server`, 4 connections (as http_bench)."""
    argv = wrk_argv(server.base_url + "/v1/listings?limit=20", seconds, 4,
                    headers=[f"Authorization: Bearer {setup.access_token}"])
    return checked(run_wrk(procs, argv, seconds), f"listings on {server.name}").ok_per_second


def pgbench_rate(procs: Processes, url: str, script: Path, clients: int, seconds: float,
                 defines: dict[str, str]) -> float:
    """Transactions/s of pgbench running `script` (prepared, `clients` connections) for `seconds`;
    raises when it fails or a transaction fails."""
    parts = urllib.parse.urlsplit(url)
    argv = [pgbench_binary(), "-n", "-M", "prepared", "-f", str(script), "-c", str(clients), "-j", str(CORES),
            "-T", str(max(1, round(seconds)))]
    argv += [arg for name, value in defines.items() for arg in ("-D", f"{name}={value}")]
    argv += ["-h", parts.hostname, "-p", str(parts.port), "-U", parts.username, parts.path[1:]]
    proc = procs.start(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = proc.communicate(timeout=seconds + 60)
    finally:
        procs.stop(proc)
    processed = re.search(r"number of transactions actually processed: (\d+)", output)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)
    failed = re.search(r"number of failed transactions: (\d+)", output)
    if proc.returncode != 0 or not processed or not tps or "aborted" in output or (failed and failed.group(1) != "0"):
        raise RuntimeError(f"pgbench failed ({proc.returncode}):\n{output}")
    return float(tps.group(1))


class Floor:
    """pgbench running rotation.sql against the token service's database; each run takes fresh
    seeded sessions (a chain per client, from generation 0)."""

    def __init__(self, cluster: Cluster, sessions: int):
        self.url = cluster.database_url("auth")
        self.sessions = sessions
        self.next_session = 0

    def rate(self, procs: Processes, clients: int, seconds: float) -> float:
        if self.next_session + clients > self.sessions:
            raise RuntimeError("the floor ran out of seeded sessions")
        now = time.time()
        defines = {"base": str(self.next_session), "gen": "0", "now": str(int(now)), "now_ms": str(int(now * 1000))}
        self.next_session += clients
        return pgbench_rate(procs, self.url, ROTATION_SQL, clients, seconds, defines)


def statement_alone(procs: Processes, cluster: Cluster, name: str, seconds: float) -> float:
    """GET /v1/me's ("me") or the page's ("listings") statement run by pgbench with a node's pool of
    connections: its rate."""
    url, script, defines = {"me": (cluster.database_url("auth"), ME_SQL, {"session": session_uuid(0)}),
                            "listings": (cluster.database_url("listings"), PAGE_SQL, {"owner": BENCH_ACCOUNT_ID})}[name]
    return pgbench_rate(procs, url, script, POOL, seconds, defines)


def statements_alone(procs: Processes, cluster: Cluster, seconds: float, rounds: int) -> dict[str, Cost]:
    """Both statements alone, `rounds` runs each, with the CPU they cost: the most a node on this
    database could serve here, whatever it did."""
    costs = {name: Cost() for name in ("me", "listings")}
    for name, cost in costs.items():
        for _ in range(rounds):
            cost.measure(lambda: statement_alone(procs, cluster, name, seconds), seconds)
    return costs


def cpu_rows(costs: dict[str, Cost], alone: dict[str, Cost]) -> list[Row]:
    """Where each request's CPU goes (cpu_budget.py): hello-world, GET /v1/me and the page, and their
    statements alone; and what that leaves a node at issue #17's targets."""
    if "hello" not in costs or not costs["hello"].rate:
        return []  # the hello-world peer is not built
    rows = [costs["hello"].row("hello-world GET /json", "wrk")]
    for name, figure, short in (("me", "GET /v1/me", "GET /v1/me"), ("listings", "GET /v1/listings?limit=20", "the page")):
        rows += [costs[name].row(figure, "wrk"), alone[name].row("  its statement alone", "pgbench"),
                 node_budget_row(short, HELLO_TARGETS[name], costs["hello"], costs[name], alone[name])]
    return rows


def measure(procs: Processes, setup: Setup, cluster: Cluster, seconds: float, rounds: int) -> list[Row]:
    chains, floor = RefreshChains(setup.workdir, setup.chains), Floor(cluster, setup.accounts)
    print("  refresh", file=sys.stderr)
    refresh1, floor1 = alternate(lambda: refresh_rate(procs, setup, chains, 1, seconds),
                                 lambda: floor.rate(procs, POOL, seconds), rounds)
    refresh2, floor2 = alternate(lambda: refresh_rate(procs, setup, chains, 2, seconds),
                                 lambda: floor.rate(procs, 2 * POOL, seconds), rounds)
    print("  listings", file=sys.stderr)
    postgres_page, sqlite_page = alternate(lambda: listings_rate(procs, setup, setup.postgres_listings, seconds),
                                           lambda: listings_rate(procs, setup, setup.sqlite_listings, seconds), rounds)
    print("  login", file=sys.stderr)
    hash_seconds: list[float] = []
    bounds, logins1, logins2 = [], [], []
    login_seconds = max(seconds, LOGIN_MIN_SECONDS)
    for _ in range(rounds):  # in turn, as `alternate` does for two
        bounds.append(hashing_bound(login_seconds, hash_seconds))
        logins1.append(login_rate(procs, setup, 1, login_seconds))
        settle(setup.nodes)
        logins2.append(login_rate(procs, setup, 2, login_seconds))
        settle(setup.nodes)
    bound, login1, login2 = map(statistics.median, (bounds, logins1, logins2))
    bound_name = f"= {CORES} / {statistics.median(hash_seconds) * 1e3:.0f} ms"
    return [
        rate_row("refresh, 1 node vs pgbench floor", refresh1, floor1, f"pgbench -c {POOL}", REFRESH_TARGET),
        rate_row("refresh, 2 nodes vs pgbench floor", refresh2, floor2, f"pgbench -c {2 * POOL}", REFRESH_TARGET),
        Row("  refresh, 2 nodes vs 1 node", f"{refresh2:,.0f}/s", f"{refresh1:,.0f}/s 1 node", refresh2 / refresh1,
            "(info)", None),
        rate_row("login, 1 node vs cores / hash time", login1, bound, bound_name, LOGIN_TARGET),
        rate_row("login, 2 nodes vs cores / hash time", login2, bound, bound_name, LOGIN_TARGET),
        Row("GET /v1/listings, PostgreSQL vs SQLite", f"{postgres_page:,.0f}/s", f"{sqlite_page:,.0f}/s SQLite",
            postgres_page / sqlite_page, "(info)", None),
    ]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    release = REPO / ".build" / "release"
    parser.add_argument("--auth-server", type=lambda p: Path(p).resolve(), default=release / "AuthServer")
    parser.add_argument("--listings-server", type=lambda p: Path(p).resolve(), default=release / "ListingsServer")
    parser.add_argument("--quick", action="store_true", help="10k rows, one 2 s run per figure")
    parser.add_argument("--seconds", type=float, help="duration of each run (default 5, quick 2)")
    parser.add_argument("--rounds", type=int, help="runs of each value and of its baseline, alternating "
                                                   "(default 2, quick 1)")
    parser.add_argument("--scale", type=int, help="accounts, sessions and listings seeded (default 100k, quick 10k)")
    parser.add_argument("--keep", action="store_true", help="keep the logs (the cluster is always removed)")
    parser.add_argument("--hello-peer", type=lambda p: Path(p).resolve(), default=HELLO_PEER)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    seconds = args.seconds or (2.0 if args.quick else 5.0)
    rounds = args.rounds or (1 if args.quick else 2)
    scale = args.scale or (10_000 if args.quick else 100_000)
    for binary in (args.auth_server, args.listings_server):
        if not binary.exists():
            sys.exit(f"postgres_bench: {binary} not found (swift build -c release)")
    if not shutil.which("wrk"):
        sys.exit("postgres_bench: wrk not found (apt-get install wrk)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the finally below stops everything
    workdir = Path(tempfile.mkdtemp(prefix="postgres-bench-"))
    # The cluster's directory must be reachable by the `postgres` user: not inside the private workdir.
    cluster_dir = Path(tempfile.gettempdir()) / f"postgres-bench-cluster-{os.getpid()}-{secrets.token_hex(4)}"
    procs = Processes()
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        cluster = start_cluster(cluster_dir)
        print(f"postgres_bench: cluster at {cluster.url}, {scale:,} rows", file=sys.stderr)
        setup = start_servers(procs, args, cluster, workdir, scale, chains=rounds * 3 * POOL)
        rows = measure(procs, setup, cluster, seconds, rounds)
        # Issue #17's ratios to a bare hello-world server, with a node and the listings on PostgreSQL,
        # and what PostgreSQL alone serves of the two statements on the same cores.
        print("  statements alone", file=sys.stderr)
        alone = statements_alone(procs, cluster, seconds, rounds)
        costs = {name: Cost() for name in ("hello", "me", "listings")}
        rows += peer_rows(procs, workdir, setup.nodes[0], setup.postgres_listings, setup.access_token, seconds,
                          rounds, lambda path: None, args.hello_peer, None, " (PostgreSQL)",
                          {name: (statistics.median(cost.rate), f"pgbench -c {POOL}") for name, cost in alone.items()},
                          costs)
        rows += cpu_rows(costs, alone)
    finally:
        procs.stop_all()
        stop_cluster(cluster_dir)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    header = (f"PostgreSQL benchmarks (issue #15): {CORES} cores shared by PostgreSQL, the nodes and wrk, load "
              f"average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after, {scale:,} accounts, sessions and "
              f"listings, AUTH_DATABASE_POOL={POOL}, argon2id m={ARGON2_MEMORY_KIB} t={ARGON2_ITERATIONS}, runs of "
              f"{round(seconds)} s x {rounds} alternating with their baselines, {time.monotonic() - started:.0f} s in all")
    print_table(rows, header + (f", logs kept in {workdir}" if args.keep else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
