"""What the HTTP benchmarks share: the servers and helpers they start (stopped by PID), an HTTP
client, wrk runs and their reports, the argon2id baselines (libsodium through ctypes), the seeded
rows' ids and the printed table.

Imported by http_bench.py (SQLite), postgres_bench.py and mail_bench.py; not a script.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WRK_DIR = REPO / "Benchmarks" / "wrk"
ISSUER = "http://auth.bench.test"
AUDIENCE = "listings"
PASSWORD = "bench-horse-battery-7319"  # only URL-safe characters: the Lua scripts send it as is
BENCH_EMAIL = "bench@bench.test"
BENCH_ACCOUNT_ID = "bbbbbbbb-0000-4000-8000-000000000000"
ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM = 65536, 3, 1
CORES = len(os.sched_getaffinity(0))
HASH_CONCURRENCY = CORES
# A login run counts whole hashes: about 40 in 2 s here, with one per hash thread still in flight
# at the end and uncounted (about 5 %, as much as the margin the target leaves), while the bound
# counts its last hash's overrun. At least 5 s brings that under 2 %.
LOGIN_MIN_SECONDS = 5.0
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 10.0
# A set-up login waits for idle CPU: the server hashes under SCHED_IDLE, which any other process on
# a shared machine (a build, another benchmark) comes before; 10 s was seen to run out at load 10.
LOGIN_TIMEOUT = 60.0


# -- processes -------------------------------------------------------------------------------

@dataclass
class Server:
    """One server binary running as a subprocess, listening at `base_url`."""
    name: str
    proc: subprocess.Popen
    base_url: str
    port: int

    def rss_kib(self, field_name: str = "VmRSS") -> int:
        """A memory figure (VmRSS, VmHWM) from /proc, in KiB: of the process and its children (the
        token service's argon2 workers) together."""
        total = 0
        for pid in [self.proc.pid, *children(self.proc.pid)]:
            text = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(rf"^{field_name}:\s+(\d+) kB", text, re.M).group(1))
        return total


def stat_fields(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (the first is the state); raises
    OSError if the process has ended."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(stat_fields(int(entry.name))[1]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue  # ended meanwhile
    return found


class Processes:
    """Every process the benchmark starts, so that `stop_all` can end each by PID."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def start_server(self, name: str, binary: Path, env: dict[str, str], workdir: Path) -> Server:
        """Starts `binary` and waits (bounded) for its `NAME listening on URL` line on stdout."""
        stdout_path = workdir / f"{name}.{len(self.started)}.out"
        with open(stdout_path, "wb") as stdout, open(workdir / f"{name}.{len(self.started)}.err", "wb") as stderr:
            proc = subprocess.Popen([str(binary)], cwd=workdir, env=clean_env(env), stdin=subprocess.DEVNULL,
                                    stdout=stdout, stderr=stderr)
        self.started.append(proc)
        pattern = re.compile(rf"^{name} listening on (http://127\.0\.0\.1:(\d+))\s*$", re.M)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            match = pattern.search(stdout_path.read_text(errors="replace"))
            if match:
                return Server(name, proc, match.group(1), int(match.group(2)))
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {workdir}")
            time.sleep(0.02)
        raise RuntimeError(f"{name} printed no listening line within {START_TIMEOUT}s")

    def start(self, argv: list[str], **kwargs) -> subprocess.Popen:
        """Starts a helper process (wrk) and remembers it."""
        proc = subprocess.Popen(argv, **kwargs)
        self.started.append(proc)
        return proc

    @staticmethod
    def stop(proc: subprocess.Popen) -> None:
        """SIGTERM, a bounded wait, then SIGKILL: always by PID."""
        if proc.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(timeout=STOP_TIMEOUT)
                return
            except subprocess.TimeoutExpired:
                continue

    def stop_all(self) -> None:
        for proc in reversed(self.started):
            self.stop(proc)


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """Our environment without any AUTH_*/LISTINGS_* setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH_", "LISTINGS_"))}
    env.update(extra)
    return env


# -- HTTP client -----------------------------------------------------------------------------

def call(base_url: str, method: str, path: str, body: dict | None = None, token: str | None = None,
         conn: http.client.HTTPConnection | None = None, timeout: float = HTTP_TIMEOUT) -> tuple[int, dict]:
    """One request (form body for POST), on `conn` if given; returns (status, JSON body or {})."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(urllib.parse.urlsplit(base_url).netloc, timeout=timeout)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        if own:
            conn.close()
    try:
        return resp.status, json.loads(raw) if raw else {}
    except ValueError:
        return resp.status, {}


def login(auth: Server, email: str = BENCH_EMAIL, timeout: float = LOGIN_TIMEOUT) -> dict:
    """A password login; the token response."""
    status, body = call(auth.base_url, "POST", "/v1/token",
                        {"grant_type": "password", "username": email, "password": PASSWORD}, timeout=timeout)
    if status != 200:
        raise RuntimeError(f"login of {email} answered {status}: {body}")
    return body


def wait_ready(server: Server, timeout: float = START_TIMEOUT) -> None:
    """Polls /readyz (bounded) until it answers 200 (the listings service has fetched the keys)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if call(server.base_url, "GET", "/readyz")[0] == 200:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{server.name} not ready within {timeout}s")


# -- argon2id (libsodium) --------------------------------------------------------------------

def libsodium() -> ctypes.CDLL:
    """libsodium (a dependency of the servers), for the fastest argon2id on this machine."""
    path = ctypes.util.find_library("sodium") or "libsodium.so.23"
    sodium = ctypes.CDLL(path)
    if sodium.sodium_init() < 0:
        raise RuntimeError("sodium_init failed")
    return sodium


def hash_once(sodium: ctypes.CDLL) -> None:
    """One argon2id hash of PASSWORD at the server's cost (libsodium releases the GIL through ctypes)."""
    out, password = ctypes.create_string_buffer(32), PASSWORD.encode()
    if sodium.crypto_pwhash(out, ctypes.c_ulonglong(32), password, ctypes.c_ulonglong(len(password)), os.urandom(16),
                            ctypes.c_ulonglong(ARGON2_ITERATIONS), ctypes.c_size_t(ARGON2_MEMORY_KIB * 1024),
                            ctypes.c_int(2)) != 0:  # crypto_pwhash_ALG_ARGON2ID13
        raise RuntimeError("crypto_pwhash failed")


def hashing_bound(seconds: float, times: list[float]) -> float:
    """The login bound, cores / hash time, measured as it applies to the server: CORES threads hash
    at once for `seconds` with libsodium's crypto_pwhash (the server's kernel; argon2-cffi's bundled
    reference code is about 2x slower here). Returns hashes/s; appends each hash's time to `times`."""
    sodium = libsodium()
    deadline = time.perf_counter() + seconds
    rates: list[float] = []

    def worker():
        start = time.perf_counter()
        count = 0
        while time.perf_counter() < deadline:
            before = time.perf_counter()
            hash_once(sodium)
            times.append(time.perf_counter() - before)
            count += 1
        rates.append(count / (time.perf_counter() - start))

    threads = [threading.Thread(target=worker) for _ in range(CORES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(rates)


def phc_hash() -> str:
    """A PHC argon2id hash of PASSWORD at the server's cost (crypto_pwhash_str): every seeded account has it."""
    out, password = ctypes.create_string_buffer(128), PASSWORD.encode()
    if libsodium().crypto_pwhash_str(out, password, ctypes.c_ulonglong(len(password)),
                                     ctypes.c_ulonglong(ARGON2_ITERATIONS),
                                     ctypes.c_size_t(ARGON2_MEMORY_KIB * 1024)) != 0:
        raise RuntimeError("crypto_pwhash_str failed")
    return out.value.decode()


# -- seeded ids ------------------------------------------------------------------------------

def account_uuid(i: int) -> str:
    return f"a0000000-0000-4000-8000-{i:012x}"


def session_uuid(i: int) -> str:
    return f"5e550000-0000-4000-8000-{i:012x}"


def listing_uuid(i: int) -> str:
    return f"11500000-0000-4000-8000-{i:012x}"


# -- wrk -------------------------------------------------------------------------------------

@dataclass
class WrkResult:
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int

    @property
    def ok_per_second(self) -> float:
        """Successful (2xx) requests per second."""
        return (self.requests - self.non_2xx) / self.seconds

    @property
    def error_share(self) -> float:
        return (self.non_2xx + self.socket_errors) / max(1, self.requests)


def wrk_argv(url: str, seconds: float, connections: int, script: str | None = None,
             script_args: list[str] = (), headers: list[str] = (), threads: int = 1) -> list[str]:
    """The wrk command line: `threads` threads (one by default: the machine has 2 cores),
    `connections` connections."""
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    for header in headers:
        argv += ["-H", header]
    if script:
        argv += ["-s", str(WRK_DIR / script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    return argv


def parse_wrk(output: str) -> WrkResult:
    """Requests, duration and errors from wrk's report."""
    match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    seconds = float(match.group(2)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[match.group(3)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(int(match.group(1)), seconds, int(non_2xx.group(1)) if non_2xx else 0,
                     sum(map(int, socket.groups())) if socket else 0)


def run_wrk(procs: Processes, argv: list[str], seconds: float) -> WrkResult:
    """Runs wrk to completion (bounded by its duration plus a margin) and parses its report."""
    proc = procs.start(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = proc.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        procs.stop(proc)
        raise RuntimeError(f"wrk did not finish: {argv}")
    return parse_wrk(output)


# -- table -----------------------------------------------------------------------------------

@dataclass
class Row:
    figure: str
    value: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None  # None: information only

    def cells(self) -> list[str]:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}"
        verdict = "" if self.met is None else ("met" if self.met else "MISSED")
        return [self.figure, self.value, self.baseline, ratio, self.target, verdict]


def rate_row(figure: str, value: float, baseline: float, baseline_name: str, target: float) -> Row:
    """A throughput figure against its baseline and a minimum ratio."""
    ratio = value / baseline if baseline else 0.0
    return Row(figure, f"{value:,.0f}/s", f"{baseline:,.0f}/s {baseline_name}", ratio, f">= {target:.2f}",
               ratio >= target)


def checked(result: WrkResult, what: str) -> WrkResult:
    """Warns on stderr when more than 1% of a run's requests failed (their share is not counted)."""
    if result.error_share > 0.01:
        print(f"  warning: {what}: {result.non_2xx} non-2xx and {result.socket_errors} socket errors "
              f"of {result.requests}", file=sys.stderr)
    return result


def wrk_rate(procs: Processes, argv: list[str], seconds: float, what: str) -> float:
    """Successful requests/s of one wrk run."""
    return checked(run_wrk(procs, argv, seconds), what).ok_per_second


def alternate(value, baseline, rounds: int) -> tuple[float, float]:
    """Calls `baseline()` and `value()` in turn, `rounds` times each, so that drift on a shared
    machine hits both alike; the median of each."""
    values, baselines = [], []
    for _ in range(rounds):
        baselines.append(baseline())
        values.append(value())
    return statistics.median(values), statistics.median(baselines)


def print_table(rows: list[Row], header: str) -> None:
    """One plain-text table, columns padded to their widest cell."""
    cells = [["figure", "value", "baseline", "ratio", "target", "result"]] + [r.cells() for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    print(header)
    for n, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))
