"""Shared helpers of the PostgreSQL fault tests (test_postgres_faults.py, test_postgres_crash.py): a
steady, bounded load on a node, and the contract's answers while the database is down ("Several
nodes on PostgreSQL": requests that need it are 503 `unavailable` + `Retry-After`; health and JWKS
still answer; the node recovers by itself; nothing acknowledged is lost).

Not a test module; the tests import it as `from faults_support import ...`."""

from __future__ import annotations

import concurrent.futures
import threading
import time
import uuid
from dataclasses import dataclass

import requests

from conftest import assert_error_body

# No request waits longer, database up or down: 5 s for a connection, plus a sign-up's or login's hash
# first (at the lowest CPU priority, seconds on a busy machine).
MAX_ANSWER_SECONDS = 9.0
RECOVERY_SECONDS = 10.0  # the node serves again within this once PostgreSQL is back
REQUEST_TIMEOUT = 15.0  # the client gives up past this (and the test fails: no answer)
PASSWORD = "steady load password"


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


@dataclass
class Answer:
    """One request of the load: what it was, in which phase it was sent, and what came back."""

    phase: str
    what: str
    status: int | None  # None: no HTTP answer within REQUEST_TIMEOUT (or the connection failed)
    seconds: float
    error: str | None = None  # the body's `error`, or the exception
    retry_after: str | None = None
    key: str | None = None  # what a success created (an email, a listing id)

    def __str__(self) -> str:
        return f"{self.phase}/{self.what}: {self.status} {self.error or ''} in {self.seconds:.2f}s"


class SteadyLoad:
    """`workers` threads that each send one request at a time, of each of `kinds` in turn,
    `send(kind, worker)` returning (response, key), with `interval` seconds between two, until stopped
    and at most `limit` each; every answer is recorded with the phase current when it was sent."""

    def __init__(self, send, kinds: tuple[str, ...], workers: int = 4, limit: int = 400, interval: float = 0.03):
        self.send, self.kinds, self.workers, self.limit, self.interval = send, kinds, workers, limit, interval
        self.phase = "before"
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        self._futures = []

    def __enter__(self):
        self._futures = [self._pool.submit(self._run, worker) for worker in range(self.workers)]
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for future in self._futures:
            future.result(timeout=REQUEST_TIMEOUT + 5)
        self._pool.shutdown(wait=True)

    def _run(self, worker: int) -> None:
        for n in range(self.limit):
            if self._stop.is_set():
                return
            phase, what, started = self.phase, self.kinds[n % len(self.kinds)], time.monotonic()
            try:
                response, key = self.send(what, worker)
                answer = Answer(phase, what, response.status_code, time.monotonic() - started, key=key,
                                retry_after=response.headers.get("Retry-After"))
                if response.status_code >= 300:
                    answer.error = json_error(response)
            except requests.RequestException as error:
                answer = Answer(phase, what, None, time.monotonic() - started, error=type(error).__name__)
            with self._lock:
                self.answers.append(answer)
            self._stop.wait(self.interval)

    def in_phase(self, phase: str) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.phase == phase]

    def acknowledged(self, what: str) -> list[str]:
        """The keys of every success of `what` (e.g. the emails of the 201 sign-ups)."""
        with self._lock:
            return [a.key for a in self.answers if a.what == what and a.status is not None and a.status < 300]


def json_error(response: requests.Response) -> str:
    try:
        return response.json().get("error", response.text[:200])
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"


def assert_answers_per_contract(answers: list[Answer], successes: set[int]) -> None:
    """Every answer came within MAX_ANSWER_SECONDS and is a success or 503 `unavailable` with a
    Retry-After of whole seconds; never a hang, never another status."""
    slow = [str(a) for a in answers if a.seconds > MAX_ANSWER_SECONDS]
    assert not slow, f"{len(slow)} answer(s) slower than {MAX_ANSWER_SECONDS}s: {slow[:5]}"
    wrong = [str(a) for a in answers
             if a.status not in successes and not (a.status == 503 and a.error == "unavailable")]
    assert not wrong, f"{len(wrong)} answer(s) neither a success nor 503 unavailable: {wrong[:5]}"
    bad_retry = [f"{a} Retry-After {a.retry_after!r}" for a in answers if a.status == 503
                 and not (a.retry_after and a.retry_after.isdigit() and int(a.retry_after) >= 1)]
    assert not bad_retry, f"503 without a Retry-After of whole seconds: {bad_retry[:5]}"


def assert_unavailable(response: requests.Response) -> None:
    """The contract's answer to a request that needs the database while it is down."""
    assert response.status_code == 503, f"{response.status_code} {response.text[:200]}"
    assert_error_body(response.json(), "unavailable")
    retry_after = response.headers.get("Retry-After", "")
    assert retry_after.isdigit() and int(retry_after) >= 1, response.headers


def timed_get(server, path: str) -> tuple[int | None, float]:
    """(status or None, seconds) of GET path, never waiting past REQUEST_TIMEOUT."""
    started = time.monotonic()
    try:
        status = server.get(path, timeout=REQUEST_TIMEOUT).status_code
    except requests.RequestException:
        status = None
    return status, time.monotonic() - started


def assert_down_but_alive(server, public_paths: list[str]) -> None:
    """While the database is down: /readyz is 503 (within MAX_ANSWER_SECONDS of asking, and soon after
    the outage began), and each of `public_paths` answers 200 as fast."""
    deadline = time.monotonic() + MAX_ANSWER_SECONDS
    while True:
        status, seconds = timed_get(server, "/readyz")
        assert seconds <= MAX_ANSWER_SECONDS, f"/readyz took {seconds:.1f}s while the database is down"
        if status == 503:
            break
        assert time.monotonic() < deadline, f"/readyz still {status} {MAX_ANSWER_SECONDS}s into the outage"
        time.sleep(0.2)
    for path in public_paths:
        status, seconds = timed_get(server, path)
        assert status == 200 and seconds <= MAX_ANSWER_SECONDS, f"{path}: {status} in {seconds:.1f}s"


def wait_serving(server, probe, what: str) -> float:
    """Seconds until /readyz is 200 and `probe()` succeeds again (at most RECOVERY_SECONDS)."""
    started = time.monotonic()
    last = None
    while time.monotonic() - started < RECOVERY_SECONDS:
        status, _ = timed_get(server, "/readyz")
        if status == 200:
            last = probe()
            if last.status_code < 300:
                return time.monotonic() - started
        else:
            last = f"/readyz {status}"
        time.sleep(0.2)
    raise AssertionError(f"{what} not serving {RECOVERY_SECONDS}s after PostgreSQL came back; last: "
                         f"{getattr(last, 'status_code', last)} {getattr(last, 'text', '')[:200]}")


def logins_failing(server, emails: list[str], password: str = PASSWORD) -> list[str]:
    """The emails (of acknowledged sign-ups) that cannot log in on `server`, with the answer."""
    def login(email: str) -> str | None:
        r = server.login(email, password, timeout=REQUEST_TIMEOUT)
        return None if r.status_code == 200 else f"{email}: {r.status_code} {r.text[:120]}"

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return [failure for failure in pool.map(login, emails) if failure]
