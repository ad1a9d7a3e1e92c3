#!/usr/bin/env python3
"""Recovery-by-email benchmarks of issue #13, against the release AuthServer.

    python3 Benchmarks/mail_bench.py [--quick] [--auth-server PATH]

Each figure is a ratio to the plain sign-up path (POST /v1/accounts at the production argon2
cost), measured in the same run on the same server:

  1. POST /v1/password/forgot requests/s over 10k seeded accounts, each queuing a reset mail
     (token and mail in one commit, the answer padded to hide whether the email exists): >= 1.
  2. The outbox's delivery rate: mails/s from queued to accepted by a local SMTP sink (aiosmtpd on
     loopback, one connection per mail, as the server sends them): >= 1, so the queue keeps up
     with sign-ups, each of which queues a verification mail.

Every process started here is stopped by PID; the SMTP sink runs in this process.
Needs wrk and aiosmtpd (tests/requirements.txt).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import socket
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from aiosmtpd.controller import Controller

from benchlib import CORES, PASSWORD, REPO, Processes, Row, phc_hash, print_table, rate_row, run_wrk, wrk_argv
from http_bench import auth_env, seed_auth

ACCOUNTS = 10_000
CONNECTIONS = 32


class CountingSink:
    """An SMTP handler that counts the messages it accepts and keeps none; while closed, it holds
    each DATA until it opens (so a flood can queue mail before delivery starts)."""

    def __init__(self, loop_of):
        self.count = 0
        self.gate: asyncio.Event | None = None
        self.loop_of = loop_of  # the controller whose event loop runs the handler

    async def handle_DATA(self, server, session, envelope):
        if self.gate is not None:
            await self.gate.wait()
        self.count += 1
        return "250 OK"

    def hold(self):
        self.gate = asyncio.Event()

    def release(self):
        if self.gate is not None:
            self.loop_of().loop.call_soon_threadsafe(self.gate.set)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mails_queued(base_url: str) -> int:
    """auth_mail_queued_total, all purposes, from /metrics."""
    text = urllib.request.urlopen(base_url + "/metrics", timeout=10).read().decode()
    return int(sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("auth_mail_queued_total")))


def drain_rate(sink: CountingSink, mails: int, timeout: float) -> float:
    """Mails/s from now until the sink has accepted `mails` (bounded by `timeout`)."""
    start = time.perf_counter()
    while sink.count < mails and time.perf_counter() - start < timeout:
        time.sleep(0.02)
    return sink.count / (time.perf_counter() - start)


def run(procs: Processes, binary: Path, workdir: Path, seconds: float) -> list[Row]:
    sink = CountingSink(lambda: controller)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = auth_env(workdir) | {"AUTH_VERIFY_ON_SIGNUP": "false", "AUTH_SMTP_URL": f"smtp://127.0.0.1:{port}"}
        first = procs.start_server("AuthServer", binary, env, workdir)
        procs.stop(first.proc)
        seed_auth(workdir / "auth.sqlite", ACCOUNTS, 0, phc_hash())
        auth = procs.start_server("AuthServer", binary, env, workdir)
        signups = run_wrk(procs, wrk_argv(auth.base_url, seconds, CONNECTIONS, "signup.lua", ["signup", PASSWORD]), seconds)
        # The sink holds the first mail until the flood is over: the queue fills, then drains.
        sink.hold()
        resets = run_wrk(procs, wrk_argv(auth.base_url, seconds, CONNECTIONS, "forgot.lua", [str(ACCOUNTS)]), seconds)
        queued = mails_queued(auth.base_url)
        sink.release()
        delivered = drain_rate(sink, queued, timeout=120)
        procs.stop(auth.proc)
    finally:
        sink.release()
        controller.stop()
    signup_rate = signups.ok_per_second
    return [
        rate_row("POST /v1/password/forgot (a reset mail queued each)", resets.ok_per_second, signup_rate,
                 "sign-ups", 1.0),
        rate_row(f"outbox delivery to a local SMTP sink ({queued:,} mails)", delivered, signup_rate, "sign-ups", 1.0),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--auth-server", type=lambda p: Path(p).resolve(), default=REPO / ".build" / "release" / "AuthServer")
    parser.add_argument("--quick", action="store_true", help="2 s runs instead of 5 s")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("mail_bench: wrk not found (apt-get install wrk)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    root = Path(tempfile.mkdtemp(prefix="mail-bench-"))
    procs = Processes()
    started = time.monotonic()
    try:
        rows = run(procs, args.auth_server, root, 2.0 if args.quick else 5.0)
    finally:
        procs.stop_all()
        shutil.rmtree(root, ignore_errors=True)
    print_table(rows, f"Mail benchmarks (issue #13): {CORES} cores, production argon2 cost for sign-ups, "
                      f"{CONNECTIONS} connections, {time.monotonic() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
