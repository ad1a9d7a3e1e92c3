"""The HTTP peers of issue #17, for http_bench.py: a bare Hummingbird 2 hello-world server
(Benchmarks/HelloPeer) as the baseline of our request rates, and the listings page written with
Vapor 4, vapor/jwt and Fluent on SQLite (Benchmarks/VaporPeer), which ours must stay >= 5x ahead of.

Both are their own packages, built beside ours by `make bench`; a peer whose binary is missing is
printed as skipped. Every rate here is `wrk -t2 -c64`, as the issue measured them. Not a script.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import sqlite3
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Callable

from benchlib import AUDIENCE, ISSUER, REPO, Processes, Row, Server, call, rate_row, wrk_argv, wrk_rate
from cpu_budget import Cost

HELLO_PEER = REPO / "Benchmarks" / "HelloPeer" / ".build" / "release" / "HelloPeer"
VAPOR_PEER = REPO / "Benchmarks" / "VaporPeer" / ".build" / "release" / "VaporPeer"
THREADS, CONNECTIONS = 2, 64
# Ratios to the hello-world rate (issue #17), and how far ahead of the Vapor peer ours must stay.
HELLO_TARGETS = {"healthz": 0.8, "me": 0.4, "listings": 0.5}
VAPOR_LEAD = 5.0


def rate(procs: Processes, url: str, seconds: float, what: str, token: str | None = None) -> float:
    headers = [f"Authorization: Bearer {token}"] if token else []
    return wrk_rate(procs, wrk_argv(url, seconds, CONNECTIONS, headers=headers, threads=THREADS), seconds, what)


def start_vapor(procs: Processes, binary: Path, workdir: Path, jwks_url: str, token: str,
                seed: Callable[[Path], None]) -> Server:
    """The Vapor peer on its own SQLite file: a first start migrates it (Fluent), `seed` fills it
    while the peer is stopped, a second start fetches the JWKS; checked to answer a 20-row page."""
    env = {"VAPOR_PEER_DATABASE": str(workdir / "vapor-peer.sqlite"), "VAPOR_PEER_ISSUER": ISSUER,
           "VAPOR_PEER_AUDIENCE": AUDIENCE}
    first = procs.start_server("VaporPeer", binary, env, workdir)
    wait_for_table(workdir / "vapor-peer.sqlite", "listings", first)
    procs.stop(first.proc)
    seed(workdir / "vapor-peer.sqlite")
    server = procs.start_server("VaporPeer", binary, {**env, "VAPOR_PEER_JWKS_URL": jwks_url}, workdir)
    status, body = call(server.base_url, "GET", "/v1/listings?limit=20", token=token)
    if status != 200 or len(body.get("listings", [])) != 20:
        raise RuntimeError(f"the Vapor peer's page is not 20 rows: {status} {body}")
    return server


def wait_for_table(path: Path, table: str, server: Server, timeout: float = 30.0) -> None:
    """Waits (bounded) until `server`'s migration has created `table` in the SQLite file at `path`:
    Fluent was seen to print its listening line before its migration had finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(path, timeout=5)) as db:
            if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
                return
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode} before creating {table}")
        time.sleep(0.05)
    raise RuntimeError(f"{server.name} created no {table} table within {timeout}s")


def peer_rows(procs: Processes, workdir: Path, auth: Server, listings: Server, token: str, seconds: float,
              rounds: int, seed: Callable[[Path], None], hello_binary: Path = HELLO_PEER,
              vapor_binary: Path | None = VAPOR_PEER, label: str = "",
              alone: dict[str, tuple[float, str]] | None = None, costs: dict[str, Cost] | None = None) -> list[Row]:
    """Hello-world GET /json, AuthServer /healthz (default logging, access log on), GET /v1/me,
    GET /v1/listings?limit=20 and the Vapor peer's page, in turn `rounds` times (median of each),
    all in one run; rows for the ratios to hello-world and for our lead over the Vapor peer (none
    when `vapor_binary` is None). `alone` gives, for "me" and "listings", the rate of their
    database statement run alone and how: a row compares it with hello-world (the most a server
    on that database could reach here) and one the figure with it. `costs` ("hello", "me",
    "listings") record the CPU those runs cost (cpu_budget.py)."""
    if not hello_binary.exists():
        print(f"  the hello-world peer is not built ({hello_binary}): its rows are skipped", file=sys.stderr)
        return [Row("hello-world peer GET /json", "skipped", "not built", None, "", None)]
    page_file = workdir / "listings-page.json"
    page_file.write_bytes(page_bytes(listings, token))
    servers = {"hello": procs.start_server("HelloPeer", hello_binary,
                                           {"HELLO_PORT": "0", "HELLO_PAGE_FILE": str(page_file)}, workdir)}
    try:
        if vapor_binary is None:
            pass
        elif vapor_binary.exists():
            servers["vapor"] = start_vapor(procs, vapor_binary, workdir,
                                           auth.base_url + "/.well-known/jwks.json", token, seed)
        else:
            print(f"  the Vapor peer is not built ({vapor_binary}): its row is skipped", file=sys.stderr)
        runs = {
            "hello": lambda: rate(procs, servers["hello"].base_url + "/json", seconds, "hello /json"),
            "hello page": lambda: rate(procs, servers["hello"].base_url + "/page", seconds, "hello /page"),
            "healthz": lambda: rate(procs, auth.base_url + "/healthz", seconds, "auth healthz"),
            "me": lambda: rate(procs, auth.base_url + "/v1/me", seconds, "me", token),
            "listings": lambda: rate(procs, listings.base_url + "/v1/listings?limit=20", seconds, "listings", token),
        }
        if "vapor" in servers:
            runs["vapor"] = lambda: rate(procs, servers["vapor"].base_url + "/v1/listings?limit=20", seconds,
                                         "vapor listings", token)
        pids = {"hello": servers["hello"].proc.pid, "me": auth.proc.pid, "listings": listings.proc.pid}
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, run in runs.items():
                measured = costs is not None and name in costs
                samples[name].append(costs[name].measure(run, seconds, pids[name]) if measured else run())
        rates = {name: statistics.median(values) for name, values in samples.items()}
    finally:
        for server in servers.values():
            procs.stop(server.proc)
    hello = rates["hello"]
    rows = [Row(f"hello-world GET /json, wrk -t{THREADS} -c{CONNECTIONS}{label}", f"{hello:,.0f}/s",
                "bare Hummingbird 2", None, "(baseline)", None)]
    for name, figure in (("healthz", "AuthServer /healthz, access log on"), ("me", "AuthServer GET /v1/me"),
                         ("listings", "GET /v1/listings?limit=20")):
        rows.append(rate_row(f"{figure} vs hello-world{label}", rates[name], hello, "hello-world",
                             HELLO_TARGETS[name]))
        if alone and name in alone:
            floor, how = alone[name]
            rows.append(Row(f"  its statement alone ({how}) vs hello-world{label}", f"{floor:,.0f}/s", f"{hello:,.0f}/s "
                            "hello-world", floor / hello, "(info: the most within reach)", None))
            rows.append(Row(f"  same vs its statement alone{label}", f"{rates[name]:,.0f}/s", f"{floor:,.0f}/s alone",
                            rates[name] / floor, "(info)", None))
    rows.append(Row(f"  same vs hello-world sending the page's bytes{label}", f"{rates['listings']:,.0f}/s",
                    f"{rates['hello page']:,.0f}/s hello-world /page", rates["listings"] / max(rates["hello page"], 1e-9),
                    "(info)", None))
    if "vapor" in rates:
        rows.append(rate_row(f"GET /v1/listings vs Vapor+Fluent peer{label}", rates["listings"], rates["vapor"],
                             "Vapor peer", VAPOR_LEAD))
    elif vapor_binary is not None:
        rows.append(Row(f"GET /v1/listings vs Vapor+Fluent peer{label}", "skipped", "Vapor peer not built", None,
                        f">= {VAPOR_LEAD:.2f}", None))
    return rows


def page_bytes(listings: Server, token: str) -> bytes:
    """The body of our GET /v1/listings?limit=20 (checked to hold 20 listings), for the hello-world
    peer to send as it is."""
    conn = http.client.HTTPConnection(urllib.parse.urlsplit(listings.base_url).netloc, timeout=10)
    try:
        conn.request("GET", "/v1/listings?limit=20", headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200 or len(json.loads(body).get("listings", [])) != 20:
        raise RuntimeError(f"our page is not 20 rows: {response.status} {body[:200]!r}")
    return body
