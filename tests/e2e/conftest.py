"""Fixtures for black-box end-to-end tests of the token service (AuthServer), the listings
service (ListingsServer) and the admin CLI (authctl).

The binaries are taken from $AUTH_SERVER_BIN, $LISTINGS_SERVER_BIN and $AUTHCTL_BIN, by default
<repo>/.build/debug/{AuthServer,ListingsServer,authctl}.  Each server runs as a subprocess in a
pytest tmp dir, listens on an ephemeral port (*_PORT=0) and is killed by PID at teardown whatever
happens in the test. Its database is of the store E2E_STORE names (store_support.py): a SQLite file in
its workdir, or a fresh database of a PostgreSQL cluster started once per session (per xdist worker).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

# The shared helpers of the split test files assert too: show pytest's value diffs for them.
pytest.register_assert_rewrite("authctl_support", "common_support", "faults_support", "hostile_support",
                             "listings_support", "mail_support", "mfa_support", "migration_support", "postgres_support",
                             "store_support", "token_support", "transfer_support")

# Re-exported: the tests import these from here.
from common_support import (assert_error_body, assert_json_error, b64url_json, free_port,  # noqa: E402,F401
                            jwt_claims, jwt_header, ok, ok_json, show, wait_until)

# The store switch, and the PostgreSQL fixtures every test may use (imported: pytest registers them here).
from postgres_support import postgres_cluster, postgres_database, private_cluster  # noqa: E402,F401
from store_support import as_database, database_env, new_database, parametrize_store, store  # noqa: E402,F401


def pytest_generate_tests(metafunc):
    parametrize_store(metafunc)


REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_BIN = Path(os.environ.get("AUTH_SERVER_BIN", str(REPO_ROOT / ".build" / "debug" / "AuthServer")))
LISTINGS_SERVER_BIN = Path(os.environ.get("LISTINGS_SERVER_BIN",
                                          str(REPO_ROOT / ".build" / "debug" / "ListingsServer")))
AUTHCTL_BIN = Path(os.environ.get("AUTHCTL_BIN", str(REPO_ROOT / ".build" / "debug" / "authctl")))

START_TIMEOUT = 20.0  # seconds to wait for the "listening" line
STOP_TIMEOUT = 10.0  # seconds to wait for a graceful exit after SIGTERM
HTTP_TIMEOUT = 10.0  # default timeout of every request

LISTENING_RE = re.compile(r"^AuthServer listening on (http://127\.0\.0\.1:(\d+))\s*$", re.M)
LISTINGS_LISTENING_RE = re.compile(r"^ListingsServer listening on (http://127\.0\.0\.1:(\d+))\s*$", re.M)

# Cheap hashing unless a test asks for more.
FAST_HASHING = {"AUTH_ARGON2_MEMORY_KIB": "1024", "AUTH_ARGON2_ITERATIONS": "1"}
# Every test request comes from 127.0.0.1: lift the per-address rate limit except where a test sets its own.
TEST_LIMITS = {"AUTH_RATE_LIMIT_PER_MINUTE": "1000000", "AUTH_RATE_LIMIT_BURST": "100000"}

# Issuer and audience the e2e token and listings services agree on (AuthServer's default issuer
# does not follow its port, so both sides set it explicitly).
E2E_ISSUER = "http://auth.e2e.test"
E2E_AUDIENCE = "listings"


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a server: ours without any AUTH_*/LISTINGS_* leak, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH_", "LISTINGS_"))}
    env.update(extra or {})
    return env


class ServerProcess:
    """One service binary as a subprocess in its own workdir, on its own database; restartable.

    A subclass names what differs: `name` (for messages), `binary` and the variable that
    overrides it (`binary_var`), the `listening_re` whose groups are (base URL, port) in the
    line the server prints on stdout once it listens, the database file name and setting, and its
    `default_env()` (which the `env` given to the constructor overrides).

    `db_path` is the database: `database` when given (a path or a PostgresDatabase), else the one `env`
    names, else the file `database_name` in the workdir."""

    name: str
    binary: Path
    binary_var: str
    listening_re: re.Pattern
    database_name: str
    database_var: str

    def __init__(self, workdir: Path, env: dict[str, str] | None = None, args: list[str] | None = None,
                 database=None):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.extra_env = dict(env or {})
        self.key_path = Path(self.extra_env.get("AUTH_KEY_FILE", workdir / "auth.key"))
        given = database or self.extra_env.get(self.database_var)
        self.db_path = as_database(given, self.key_path) if given else workdir / self.database_name
        self.args = list(args or [])
        self.proc: subprocess.Popen | None = None
        self.base_url: str | None = None
        self.port: int | None = None
        self.starts = 0
        self._stdout_path: Path | None = None
        self._stderr_path: Path | None = None
        self._stdout_file = None
        self._stderr_file = None

    def default_env(self) -> dict[str, str]:
        """The service's own settings for a test run (port 0, the database in the workdir, …)."""
        raise NotImplementedError

    # -- lifecycle ---------------------------------------------------------------

    def start(self):
        """Start the binary and wait (bounded) for its listening line; returns self."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        if not self.binary.exists():
            pytest.fail(f"{self.name} binary not found at {self.binary} "
                        f"(set {self.binary_var} or run swift build)")
        self.starts += 1
        self._close_logs()
        self._stdout_path = self.workdir / f"stdout.{self.starts}.log"
        self._stderr_path = self.workdir / f"stderr.{self.starts}.log"
        self._stdout_file = open(self._stdout_path, "wb")
        self._stderr_file = open(self._stderr_path, "wb")
        self.proc = subprocess.Popen(
            [str(self.binary), *self.args],
            cwd=self.workdir,
            env=server_env({**self.default_env(), **self.extra_env}),
            stdin=subprocess.DEVNULL,
            stdout=self._stdout_file,
            stderr=self._stderr_file,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = self._stdout_path.read_text(errors="replace")
            match = self.listening_re.search(text)
            if match:
                self.base_url = match.group(1)
                self.port = int(match.group(2))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode} before listening; stderr:\n{self.stderr()}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.name} did not print its listening line in {START_TIMEOUT}s; "
                                   f"stdout:\n{text}\nstderr:\n{self.stderr()}")
            time.sleep(0.02)

    def stop(self) -> int | None:
        """SIGTERM, wait (bounded), SIGKILL if it did not exit. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None and not self._signal_and_wait(signal.SIGTERM):
            self.kill()
        return self.proc.returncode

    def restart(self):
        """Stop gracefully and start again on the same database (a new port is fine)."""
        self.stop()
        return self.start()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self._signal_and_wait(signal.SIGKILL)
        self._close_logs()

    def _signal_and_wait(self, sig: signal.Signals) -> bool:
        """Send `sig` to the process by PID and wait for it (bounded); True if it exited."""
        try:
            os.kill(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            return False
        return True

    def _close_logs(self) -> None:
        for f in (self._stdout_file, self._stderr_file):
            if f is not None and not f.closed:
                f.close()

    def stderr(self) -> str:
        return self._stderr_path.read_text(errors="replace") if self._stderr_path and self._stderr_path.exists() else ""

    # -- HTTP helpers --------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        """A request (with a timeout); `token` adds `Authorization: Bearer <token>`."""
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        if token is not None:
            kwargs["headers"] = {**kwargs.get("headers", {}), "Authorization": f"Bearer {token}"}
        return requests.request(method, self.url(path), **kwargs)

    def get(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("GET", path, token, **kwargs)

    def post(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("POST", path, token, **kwargs)

    def patch(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("PATCH", path, token, **kwargs)

    def delete(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("DELETE", path, token, **kwargs)


class AuthServerProcess(ServerProcess):
    """One token-service instance on its own database (and key file, next to it)."""

    name = "AuthServer"
    binary = SERVER_BIN
    binary_var = "AUTH_SERVER_BIN"
    listening_re = LISTENING_RE
    database_name = "auth.sqlite"
    database_var = "AUTH_DATABASE"

    def default_env(self) -> dict[str, str]:
        # No drain period on SIGTERM (tests stop servers often) unless a test sets one.
        return {"AUTH_PORT": "0", **database_env(self.db_path), "AUTH_DRAIN_SECONDS": "0", **FAST_HASHING,
                **TEST_LIMITS}

    # Common flows.

    def signup(self, email: str, password: str) -> requests.Response:
        return self.post("/v1/accounts", json={"email": email, "password": password})

    def login(self, email: str, password: str, *, as_json: bool = False, **kwargs) -> requests.Response:
        body = {"grant_type": "password", "username": email, "password": password}
        if as_json:
            return self.post("/v1/token", json=body, **kwargs)
        return self.post("/v1/token", data=body, **kwargs)

    def refresh(self, refresh_token: str) -> requests.Response:
        return self.post("/v1/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    def me(self, access_token: str) -> requests.Response:
        return self.get("/v1/me", access_token)


class ListingsServerProcess(ServerProcess):
    """One listings-service instance on its own database, expecting the e2e issuer and audience."""

    name = "ListingsServer"
    binary = LISTINGS_SERVER_BIN
    binary_var = "LISTINGS_SERVER_BIN"
    listening_re = LISTINGS_LISTENING_RE
    database_name = "listings.sqlite"
    database_var = "LISTINGS_DATABASE"

    def default_env(self) -> dict[str, str]:
        return {
            "LISTINGS_PORT": "0",
            "LISTINGS_DATABASE": str(self.db_path),
            "LISTINGS_ISSUER": E2E_ISSUER,
            "LISTINGS_AUDIENCE": E2E_AUDIENCE,
            "LISTINGS_DRAIN_SECONDS": "0",
        }

    # Common flows.

    def create(self, token: str, **fields) -> requests.Response:
        return self.post("/v1/listings", token, json=fields)

    def list(self, token: str, **params) -> requests.Response:
        return self.get("/v1/listings", token, params=params)


@contextlib.contextmanager
def server_factory(cls: type[ServerProcess], tmp_path: Path, prefix: str, new_database):
    """`make(env, args, name, start=True)` for servers of `cls` in tmp_path/<name or prefixN>, each on a
    new database of the test's store unless `env` names one; all are killed by PID on exit."""
    servers: list[ServerProcess] = []

    def make(env: dict[str, str] | None = None, args: list[str] | None = None, name: str | None = None,
             start: bool = True):
        workdir = tmp_path / (name or f"{prefix}{len(servers)}")
        database = None if cls.database_var in (env or {}) else new_database(workdir, cls.database_name)
        server = cls(workdir, env=env, args=args, database=database)
        servers.append(server)
        return server.start() if start else server

    try:
        yield make
    finally:
        for server in servers:
            server.kill()


@pytest.fixture
def auth_server_factory(tmp_path, new_database):
    """Call with env overrides / extra args to get a started server; all are killed at teardown."""
    with server_factory(AuthServerProcess, tmp_path, "server", new_database) as make:
        yield make


@pytest.fixture
def auth_server(auth_server_factory):
    """A token service with default settings (and cheap hashing)."""
    return auth_server_factory()


@pytest.fixture
def listings_server_factory(tmp_path, new_database):
    """Call with env overrides (LISTINGS_JWKS_URL, …) to get a started listings service; killed at teardown.

    Pass `start=False` to get an unstarted one (call .start() yourself)."""
    with server_factory(ListingsServerProcess, tmp_path, "listings", new_database) as make:
        yield make


def linked_auth_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Token-service settings matching the listings services of these tests (issuer, audience)."""
    return {"AUTH_ISSUER": E2E_ISSUER, "AUTH_AUDIENCE": E2E_AUDIENCE, **(extra or {})}


@pytest.fixture
def linked_servers(auth_server_factory, listings_server_factory):
    """A token service and a listings service that fetches its JWKS URL; (auth, listings)."""
    auth = auth_server_factory(linked_auth_env(), name="auth")
    listings = listings_server_factory({"LISTINGS_JWKS_URL": auth.url("/.well-known/jwks.json")}, name="listings")
    return auth, listings


def run_authctl(*args: str, database: Path, timeout: float = 20.0, input: str | None = None,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the admin CLI on a token-service database (bounded); fails the test if the binary is missing.

    `database` is a SQLite path or a PostgresDatabase (whose key file it is given too); `input` is
    written to its stdin (else stdin is empty); `env` adds to its environment."""
    if not AUTHCTL_BIN.exists():
        pytest.fail(f"authctl binary not found at {AUTHCTL_BIN} (set AUTHCTL_BIN or run swift build)")
    stdin = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run(
        [str(AUTHCTL_BIN), *args, "--database", str(database)],
        cwd=database.parent,
        env=server_env({**database_env(database), **(env or {})}),
        capture_output=True,
        text=True,
        timeout=timeout,
        **stdin,
    )
