"""Where each request's CPU goes on PostgreSQL, for postgres_bench.py (issue #17): the server's,
PostgreSQL's and the load generator's CPU time per request, and what that leaves a node at a
target ratio to hello-world.

When the server, PostgreSQL and wrk share the cores, a rate is the CPU they have divided by what
one request costs all of them together. So at `target` x hello-world's rate, a request may cost
them 1 / `target` x what a hello-world request costs the hello-world server and wrk. Take away
what PostgreSQL spends on the request's statement when pgbench runs it alone (its cheapest:
pgbench keeps every backend busy) and what wrk spends on the response: the rest is the most a
node may spend. Not a script.
"""

from __future__ import annotations

import os
import resource
import statistics
from pathlib import Path
from typing import Callable

from benchlib import Row, stat_fields

TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int, reaped_children: bool = False) -> float:
    """A process's CPU time (all its threads), with its reaped children's if asked; 0 if it ended."""
    try:
        fields = stat_fields(pid)
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def postgres_seconds() -> float:
    """The CPU time of every `postgres` process, with the backends the postmaster has reaped."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                total += process_seconds(int(entry.name), reaped_children=True)
        except OSError:
            continue  # ended meanwhile
    return total


def load_generator_seconds() -> float:
    """The CPU time of this process's finished children (wrk, pgbench)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Cost:
    """Microseconds of CPU per request, by process, over the runs measured."""

    def __init__(self):
        self.server: list[float] = []
        self.postgres: list[float] = []
        self.load: list[float] = []
        self.rate: list[float] = []

    def measure(self, run: Callable[[], float], seconds: float, server_pid: int | None = None) -> float:
        """Calls `run` (it returns requests/s over `seconds`), records the CPU it cost, and returns its rate."""
        def spent() -> tuple[float, float, float]:
            return process_seconds(server_pid) if server_pid else 0.0, postgres_seconds(), load_generator_seconds()
        before = spent()
        rate = run()
        requests = max(rate * seconds, 1.0)
        for figures, start, end in zip((self.server, self.postgres, self.load), before, spent()):
            figures.append((end - start) * 1e6 / requests)
        self.rate.append(rate)
        return rate

    def row(self, figure: str, load_name: str) -> Row:
        """The request's CPU in all, split by process, with its rate (medians)."""
        server, postgres, load = (statistics.median(figures) for figures in (self.server, self.postgres, self.load))
        return Row(f"CPU a request: {figure}", f"{server + postgres + load:.0f} µs",
                   f"server {server:.0f} + PostgreSQL {postgres:.0f} + {load_name} {load:.0f}", None,
                   f"(info, {statistics.median(self.rate):,.0f}/s)", None)


def node_budget_row(figure: str, target: float, hello: Cost, request: Cost, statement: Cost) -> Row:
    """The most a node may spend on `request` for it to reach `target` x hello-world, against what
    it spends now; and, below 1 x hello-world's own server, out of reach for any server."""
    budget = (statistics.median(hello.server) + statistics.median(hello.load)) / target
    left = budget - statistics.median(statement.postgres) - statistics.median(request.load)
    hello_server, node = statistics.median(hello.server), statistics.median(request.server)
    verdict = "out of reach: less than hello-world's server" if left < hello_server else "(info)"
    return Row(f"  {figure} at {target:g} x hello-world: a node's CPU at most", f"{max(left, 0):.0f} µs",
               f"{node:.0f} µs now; hello-world's server {hello_server:.0f} µs", max(left, 0) / node, verdict, None)
