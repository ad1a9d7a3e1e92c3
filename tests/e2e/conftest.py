"""Fixtures for black-box end-to-end tests of the token service (AuthServer).

The server binary is taken from $AUTH_SERVER_BIN, by default
<repo>/.build/debug/AuthServer.  Each server runs as a subprocess in a pytest
tmp dir, listens on an ephemeral port (AUTH_PORT=0) and is killed by PID at
teardown whatever happens in the test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_BIN = Path(os.environ.get("AUTH_SERVER_BIN", str(REPO_ROOT / ".build" / "debug" / "AuthServer")))

START_TIMEOUT = 20.0  # seconds to wait for the "listening" line
STOP_TIMEOUT = 10.0  # seconds to wait for a graceful exit after SIGTERM
HTTP_TIMEOUT = 10.0  # default timeout of every request

LISTENING_RE = re.compile(r"^AuthServer listening on (http://127\.0\.0\.1:(\d+))\s*$", re.M)

# Cheap hashing unless a test asks for more.
FAST_HASHING = {"AUTH_ARGON2_MEMORY_KIB": "1024", "AUTH_ARGON2_ITERATIONS": "1"}


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a server: ours without any AUTH_*/LISTINGS_* leak, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH_", "LISTINGS_"))}
    env.update(extra or {})
    return env


class AuthServerProcess:
    """One token-service instance on its own database; restartable."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None, args: list[str] | None = None):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_path = workdir / "auth.sqlite"
        self.key_path = workdir / "auth.key"
        self.extra_env = dict(env or {})
        self.args = list(args or [])
        self.proc: subprocess.Popen | None = None
        self.base_url: str | None = None
        self.port: int | None = None
        self.starts = 0
        self._stdout_path: Path | None = None
        self._stderr_path: Path | None = None
        self._stdout_file = None
        self._stderr_file = None

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> "AuthServerProcess":
        assert self.proc is None or self.proc.poll() is not None, "already running"
        if not SERVER_BIN.exists():
            pytest.fail(f"AuthServer binary not found at {SERVER_BIN} (set AUTH_SERVER_BIN or run swift build)")
        self.starts += 1
        self._close_logs()
        self._stdout_path = self.workdir / f"stdout.{self.starts}.log"
        self._stderr_path = self.workdir / f"stderr.{self.starts}.log"
        self._stdout_file = open(self._stdout_path, "wb")
        self._stderr_file = open(self._stderr_path, "wb")
        env = {
            "AUTH_PORT": "0",
            "AUTH_DATABASE": str(self.db_path),
            **FAST_HASHING,
            **self.extra_env,
        }
        self.proc = subprocess.Popen(
            [str(SERVER_BIN), *self.args],
            cwd=self.workdir,
            env=server_env(env),
            stdin=subprocess.DEVNULL,
            stdout=self._stdout_file,
            stderr=self._stderr_file,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = self._stdout_path.read_text(errors="replace")
            match = LISTENING_RE.search(text)
            if match:
                self.base_url = match.group(1)
                self.port = int(match.group(2))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"AuthServer exited with {self.proc.returncode} before listening; stderr:\n{self.stderr()}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"AuthServer did not print its listening line in {START_TIMEOUT}s; "
                                   f"stdout:\n{text}\nstderr:\n{self.stderr()}")
            time.sleep(0.02)

    def stop(self) -> int | None:
        """SIGTERM, wait (bounded), SIGKILL if it did not exit. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def restart(self) -> "AuthServerProcess":
        """Stop gracefully and start again on the same database (a new port is fine)."""
        self.stop()
        return self.start()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        self._close_logs()

    def _close_logs(self) -> None:
        for f in (self._stdout_file, self._stderr_file):
            if f is not None and not f.closed:
                f.close()

    def stderr(self) -> str:
        return self._stderr_path.read_text(errors="replace") if self._stderr_path and self._stderr_path.exists() else ""

    # -- HTTP helpers --------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return requests.request(method, self.url(path), **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

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
        return self.get("/v1/me", headers={"Authorization": f"Bearer {access_token}"})


@pytest.fixture
def auth_server_factory(tmp_path):
    """Call with env overrides / extra args to get a started server; all are killed at teardown."""
    servers: list[AuthServerProcess] = []

    def make(env: dict[str, str] | None = None, args: list[str] | None = None, name: str | None = None):
        workdir = tmp_path / (name or f"server{len(servers)}")
        server = AuthServerProcess(workdir, env=env, args=args)
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.kill()


@pytest.fixture
def auth_server(auth_server_factory):
    """A token service with default settings (and cheap hashing)."""
    return auth_server_factory()


# --------------------------------------------------------------------------- listings service

LISTINGS_SERVER_BIN = Path(os.environ.get("LISTINGS_SERVER_BIN",
                                          str(REPO_ROOT / ".build" / "debug" / "ListingsServer")))
AUTHCTL_BIN = Path(os.environ.get("AUTHCTL_BIN", str(REPO_ROOT / ".build" / "debug" / "authctl")))

LISTINGS_LISTENING_RE = re.compile(r"^ListingsServer listening on (http://127\.0\.0\.1:(\d+))\s*$", re.M)

# Issuer and audience the e2e token and listings services agree on (AuthServer's default issuer
# does not follow its port, so both sides set it explicitly).
E2E_ISSUER = "http://auth.e2e.test"
E2E_AUDIENCE = "listings"


class ListingsServerProcess:
    """One listings-service instance on its own database, in the style of AuthServerProcess."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None, args: list[str] | None = None):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_path = workdir / "listings.sqlite"
        self.extra_env = dict(env or {})
        self.args = list(args or [])
        self.proc: subprocess.Popen | None = None
        self.base_url: str | None = None
        self.port: int | None = None
        self.starts = 0
        self._stdout_path: Path | None = None
        self._stderr_path: Path | None = None
        self._stdout_file = None
        self._stderr_file = None

    def start(self) -> "ListingsServerProcess":
        assert self.proc is None or self.proc.poll() is not None, "already running"
        if not LISTINGS_SERVER_BIN.exists():
            pytest.fail(f"ListingsServer binary not found at {LISTINGS_SERVER_BIN} "
                        "(set LISTINGS_SERVER_BIN or run swift build)")
        self.starts += 1
        self._close_logs()
        self._stdout_path = self.workdir / f"stdout.{self.starts}.log"
        self._stderr_path = self.workdir / f"stderr.{self.starts}.log"
        self._stdout_file = open(self._stdout_path, "wb")
        self._stderr_file = open(self._stderr_path, "wb")
        env = {
            "LISTINGS_PORT": "0",
            "LISTINGS_DATABASE": str(self.db_path),
            "LISTINGS_ISSUER": E2E_ISSUER,
            "LISTINGS_AUDIENCE": E2E_AUDIENCE,
            **self.extra_env,
        }
        self.proc = subprocess.Popen(
            [str(LISTINGS_SERVER_BIN), *self.args],
            cwd=self.workdir,
            env=server_env(env),
            stdin=subprocess.DEVNULL,
            stdout=self._stdout_file,
            stderr=self._stderr_file,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = self._stdout_path.read_text(errors="replace")
            match = LISTINGS_LISTENING_RE.search(text)
            if match:
                self.base_url = match.group(1)
                self.port = int(match.group(2))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"ListingsServer exited with {self.proc.returncode} before listening; stderr:\n{self.stderr()}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"ListingsServer did not print its listening line in {START_TIMEOUT}s; "
                                   f"stdout:\n{text}\nstderr:\n{self.stderr()}")
            time.sleep(0.02)

    def stop(self) -> int | None:
        """SIGTERM, wait (bounded), SIGKILL if it did not exit. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        self._close_logs()

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
        """A request; `token` adds `Authorization: Bearer <token>`."""
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

    # Common flows.

    def create(self, token: str, **fields) -> requests.Response:
        return self.post("/v1/listings", token, json=fields)

    def list(self, token: str, **params) -> requests.Response:
        return self.get("/v1/listings", token, params=params)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a server that must start on a known port)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def linked_auth_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Token-service settings matching the listings services of these tests (issuer, audience)."""
    return {"AUTH_ISSUER": E2E_ISSUER, "AUTH_AUDIENCE": E2E_AUDIENCE, **(extra or {})}


@pytest.fixture
def listings_server_factory(tmp_path):
    """Call with env overrides (LISTINGS_JWKS_URL, …) to get a started listings service; killed at teardown.

    Pass `start=False` to get an unstarted one (call .start() yourself)."""
    servers: list[ListingsServerProcess] = []

    def make(env: dict[str, str] | None = None, args: list[str] | None = None, name: str | None = None,
             start: bool = True):
        workdir = tmp_path / (name or f"listings{len(servers)}")
        server = ListingsServerProcess(workdir, env=env, args=args)
        servers.append(server)
        return server.start() if start else server

    yield make
    for server in servers:
        server.kill()


@pytest.fixture
def linked_servers(auth_server_factory, listings_server_factory):
    """A token service and a listings service that fetches its JWKS URL; (auth, listings)."""
    auth = auth_server_factory(linked_auth_env(), name="auth")
    listings = listings_server_factory({"LISTINGS_JWKS_URL": auth.url("/.well-known/jwks.json")}, name="listings")
    return auth, listings


def run_authctl(*args: str, database: Path, timeout: float = 20.0) -> subprocess.CompletedProcess:
    """Run the admin CLI on a token-service database (bounded); fails the test if the binary is missing."""
    if not AUTHCTL_BIN.exists():
        pytest.fail(f"authctl binary not found at {AUTHCTL_BIN} (set AUTHCTL_BIN or run swift build)")
    return subprocess.run(
        [str(AUTHCTL_BIN), *args, "--database", str(database)],
        cwd=database.parent,
        env=server_env({"AUTH_DATABASE": str(database)}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
