"""Shared helpers and fixtures for the test_migration_*.py end-to-end tests of moving in from a
system that keeps its hashes (issue 16; API.md, "Moving in from a system that keeps its hashes
(lazy migration)"): `authctl import --format cognito`, and logins checked against the source.

Two sources, both real servers on 127.0.0.1 that the tests start and stop by themselves:
- AWS Cognito, played by moto's server (`python -m moto.server`, a subprocess on a free port), set
  up with boto3 (a user pool, an app client with and one without a secret, users CONFIRMED,
  FORCE_CHANGE_PASSWORD and disabled). By default the service reaches it through a recording proxy
  (`SourceServer(forward_to=...)`) so that a test sees every call (X-Amz-Target, SECRET_HASH, ...)
  and can tell that none arrives; moto itself does not check SECRET_HASH.
- the generic HTTP source: `SourceServer`, a threaded stdlib HTTP server whose answer per email
  the test sets, and which records each request.
Not a test module; the tests import it as `from migration_support import ...`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from argon2 import PasswordHasher

from conftest import assert_json_error, free_port, jwt_claims, ok_json
from mail_support import server_logs  # noqa: F401  (for the tests: everything the server printed)
from transfer_support import UUID_RE, by_email, ctl, export_records, unique_email
from transfer_support import login as login_ok  # noqa: F401  (for the tests: a login that must succeed)

REGION = "us-east-1"
PASSWORD = "Cognito-pass-1!"  # every source user's password unless a test says otherwise
OTHER_PASSWORD = "Another-pass-2?"
NEW_PASSWORD = "staple battery horse 2"
COGNITO_TARGET = "AWSCognitoIdentityProviderService."
AMZ_JSON = "application/x-amz-json-1.1"
MOTO_START_TIMEOUT = 30.0


# --------------------------------------------------------------------------- recording HTTP server


@dataclass
class Answer:
    """What the source answers: a status, a body (bytes, or an object sent as JSON), headers, and a
    delay before answering (seconds)."""

    status: int = 200
    body: object = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> tuple[bytes, dict[str, str]]:
        if isinstance(self.body, bytes):
            return self.body, dict(self.headers)
        return json.dumps(self.body).encode(), {"Content-Type": "application/json", **self.headers}


def accept(id: str | None = None, email_verified: bool | None = None) -> Answer:
    body = {}
    if id is not None:
        body["id"] = id
    if email_verified is not None:
        body["email_verified"] = email_verified
    return Answer(200, body)


def refuse(status: int = 401) -> Answer:
    return Answer(status, {"message": "no"})


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names lowercase
    body: bytes
    at: float

    @property
    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class SourceServer:
    """An HTTP server on 127.0.0.1 (a free port) that records every request.

    As the generic source: the answer to a POST is `answers[email]` (the email of its JSON body,
    lowercase), else `default` (404, unknown). As a proxy (`forward_to`): each request goes on to
    that URL as it came, unless `override` is set (an Answer given instead, e.g. a 500 or a delay).
    A request to `/redirected` (where a redirect answer points) is answered 200 and recorded too.
    `stop()` closes the port; every answer closes its connection, so nothing is served afterwards."""

    def __init__(self, forward_to: str | None = None, path: str = "/migrate"):
        self.forward_to, self.path = forward_to, path
        self.answers: dict[str, Answer] = {}
        self.default = refuse(404)
        self.override: Answer | None = None
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.httpd: ThreadingHTTPServer | None = None
        self.port: int | None = None

    def url(self, path: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}{self.path if path is None else path}"

    def start(self) -> "SourceServer":
        owner = self

        class Handler(BaseHTTPRequestHandler):  # HTTP/1.0: one request per connection
            def do_any(self):
                owner._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_any

            def log_message(self, *args):
                pass

        self.stopping.clear()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def answer(self, email: str, answer: Answer) -> None:
        self.answers[email.strip().lower()] = answer

    def received(self, email: str | None = None) -> list[Recorded]:
        """Requests so far (those about `email` when given: the JSON body's `email`, or Cognito's USERNAME)."""
        with self.lock:
            got = list(self.requests)
        if email is None:
            return got
        return [r for r in got if _about(r) == email.strip().lower()]

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        rec = Recorded(h.command, h.path, {k.lower(): v for k, v in h.headers.items()}, body, time.monotonic())
        with self.lock:
            self.requests.append(rec)
        if h.path == "/redirected":
            answer = accept(str(uuid.uuid4()), True)
        elif self.override is not None or self.forward_to is None:
            answer = self.override or self.answers.get(_about(rec) or "", self.default)
        else:
            answer = self._forward(rec)
        if answer.delay and self.stopping.wait(answer.delay):
            return
        payload, headers = answer.payload()
        try:
            h.send_response(answer.status)
            for name, value in headers.items():
                h.send_header(name, value)
            h.send_header("Content-Length", str(len(payload)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(payload)
        except OSError:
            pass  # the client gave up (its timeout)

    def _forward(self, rec: Recorded) -> Answer:
        target = urlsplit(self.forward_to)
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        headers = {k: v for k, v in rec.headers.items() if k not in ("host", "connection", "content-length")}
        try:
            conn.request(rec.method, rec.path, body=rec.body, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            keep = {k: v for k, v in resp.getheaders() if k.lower() in ("content-type", "x-amzn-requestid")}
            return Answer(resp.status, body, keep)
        except OSError:
            return Answer(502, b"")
        finally:
            conn.close()


def _about(rec: Recorded) -> str | None:
    body = rec.json
    if not isinstance(body, dict):
        return None
    email = body.get("email") or (body.get("AuthParameters") or {}).get("USERNAME")
    return email.strip().lower() if isinstance(email, str) else None


@pytest.fixture
def sources():
    """`make(**options)` -> a started SourceServer; each is stopped at the end of the test."""
    made: list[SourceServer] = []

    def make(**options) -> SourceServer:
        source = SourceServer(**options)
        made.append(source)
        return source.start()

    yield make
    for source in made:
        source.stop()


# --------------------------------------------------------------------------- moto (Cognito)


class MotoServer:
    """moto's server as a subprocess on 127.0.0.1, stopped by PID."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "MotoServer":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.workdir / "moto.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + MOTO_START_TIMEOUT
        while True:
            try:
                requests.get(self.url + "/", timeout=1)
                return self
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"moto server did not answer on {self.url}: "
                            f"{(self.workdir / 'moto.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.log is not None:
            self.log.close()


class CognitoPool:
    """A user pool on moto (email as the username) with two app clients allowing USER_PASSWORD_AUTH:
    `public` without a secret, `confidential` with one (`secret`)."""

    def __init__(self, endpoint: str):
        self.client = boto3.client("cognito-idp", endpoint_url=endpoint, region_name=REGION,
                                   aws_access_key_id="testing", aws_secret_access_key="testing")
        self.endpoint = endpoint
        self.pool_id = self.client.create_user_pool(PoolName="moving-out",
                                                    UsernameAttributes=["email"])["UserPool"]["Id"]
        flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        self.public = self.client.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="web", ExplicitAuthFlows=flows)["UserPoolClient"]["ClientId"]
        confidential = self.client.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="backend", GenerateSecret=True,
            ExplicitAuthFlows=flows)["UserPoolClient"]
        self.confidential, self.secret = confidential["ClientId"], confidential["ClientSecret"]

    def add_user(self, email: str | None = None, password: str = PASSWORD, *, verified: bool = True,
                 status: str = "CONFIRMED", enabled: bool = True) -> tuple[str, str]:
        """A user (CONFIRMED: a permanent password; FORCE_CHANGE_PASSWORD: `password` is temporary);
        returns (email, sub)."""
        email = email or unique_email("cognito")
        kwargs = {"TemporaryPassword": password} if status == "FORCE_CHANGE_PASSWORD" else {}
        user = self.client.admin_create_user(
            UserPoolId=self.pool_id, Username=email, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": email},
                            {"Name": "email_verified", "Value": "true" if verified else "false"}], **kwargs)["User"]
        if status == "CONFIRMED":
            self.client.admin_set_user_password(UserPoolId=self.pool_id, Username=email, Password=password,
                                                Permanent=True)
        else:
            assert status == "FORCE_CHANGE_PASSWORD", status
        if not enabled:
            self.client.admin_disable_user(UserPoolId=self.pool_id, Username=email)
        return email, attribute(user, "sub")

    def pages(self, limit: int = 2) -> list[dict]:
        """`list-users` page by page (boto3's objects; dates are datetimes), following PaginationToken."""
        pages, token = [], {}
        while True:
            page = self.client.list_users(UserPoolId=self.pool_id, Limit=limit, **token)
            page.pop("ResponseMetadata", None)
            pages.append(page)
            if not page.get("PaginationToken"):
                return pages
            token = {"PaginationToken": page["PaginationToken"]}

    def raw_pages(self, limit: int = 2) -> list[dict]:
        """The same pages as the wire has them (boto3's raw JSON: dates as epoch seconds)."""
        pages, body = [], {"UserPoolId": self.pool_id, "Limit": limit}
        while True:
            r = requests.post(self.endpoint + "/", data=json.dumps(body), timeout=10,
                              headers={"X-Amz-Target": COGNITO_TARGET + "ListUsers", "Content-Type": AMZ_JSON})
            assert r.status_code == 200, r.text
            page = r.json()
            pages.append(page)
            if not page.get("PaginationToken"):
                return pages
            body["PaginationToken"] = page["PaginationToken"]

    def users(self) -> list[dict]:
        return [u for page in self.pages(limit=60) for u in page["Users"]]


def attribute(user: dict, name: str) -> str | None:
    return next((a["Value"] for a in user.get("Attributes", user.get("UserAttributes", [])) if a["Name"] == name), None)


def cli_json(page: dict) -> str:
    """One page as `aws cognito-idp list-users` prints it: indented JSON, dates in ISO 8601."""
    return json.dumps(page, indent=4, default=lambda o: o.isoformat()) + "\n"


def secret_hash(username: str, client_id: str, secret: str) -> str:
    """Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client id))."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def create_date(user: dict) -> datetime:
    value = user["UserCreateDate"]
    return value if isinstance(value, datetime) else datetime.fromtimestamp(value, timezone.utc)


def parse_rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def moto(tmp_path):
    server = MotoServer(tmp_path / "moto").start()
    yield server
    server.stop()


@pytest.fixture
def pool(moto) -> CognitoPool:
    return CognitoPool(moto.url)


@pytest.fixture
def cognito_proxy(moto, sources) -> SourceServer:
    """A recording proxy in front of moto: the endpoint the service is given."""
    return sources(forward_to=moto.url, path="/")


def cognito_env(pool: CognitoPool, endpoint: str, *, secret: bool = False, **extra: str) -> dict[str, str]:
    env = {"AUTH_MIGRATE_FROM": "cognito", "AUTH_COGNITO_REGION": REGION, "AUTH_COGNITO_ENDPOINT": endpoint,
           "AUTH_COGNITO_CLIENT_ID": pool.confidential if secret else pool.public, **extra}
    if secret:
        env["AUTH_COGNITO_CLIENT_SECRET"] = pool.secret
    return env


def http_env(source: SourceServer, token: str | None = None, **extra: str) -> dict[str, str]:
    env = {"AUTH_MIGRATE_FROM": "http", "AUTH_MIGRATION_URL": source.url(), **extra}
    if token is not None:
        env["AUTH_MIGRATION_TOKEN"] = token
    return env


def cognito_calls(source: SourceServer, target: str | None = None) -> list[Recorded]:
    """The Cognito calls the proxy saw (only `target`, e.g. "InitiateAuth", when given)."""
    calls = [r for r in source.received() if r.headers.get("x-amz-target", "").startswith(COGNITO_TARGET)]
    return [r for r in calls if target is None or r.headers["x-amz-target"] == COGNITO_TARGET + target]


# --------------------------------------------------------------------------- the service


def import_cognito(db: Path, path: Path, *args: str):
    return ctl(db, "import", str(path), "--format", "cognito", *args)


def import_pool(db: Path, pool: CognitoPool, path: Path, limit: int = 2) -> dict:
    """The pool's users as `list-users` prints them page by page (concatenated), imported into `db`."""
    path.write_text("".join(cli_json(page) for page in pool.pages(limit)))
    summary = ok_json(import_cognito(db, path, "--json"))
    assert summary["created"] == len(pool.users()), summary
    return summary


def awaiting(db: Path) -> int:
    report = ok_json(ctl(db, "hashes", "--json"))
    assert isinstance(report.get("awaiting_migration"), int), report
    return report["awaiting_migration"]


def hash_of(db: Path, email: str, fmt: str = "jsonl") -> str | None:
    """The account's `password_hash` in `authctl export` (None: null in JSON Lines, empty in CSV)."""
    value = by_email(export_records(db, fmt))[email]["password_hash"]
    if fmt == "csv":
        return value or None
    return value


def users_by_email(db: Path) -> dict[str, dict]:
    return {u["email"]: u for u in ok_json(ctl(db, "users", "list", "--json"))}


def assert_invalid_grant(resp) -> dict:
    return assert_json_error(resp, 400, "invalid_grant")


def assert_unavailable(resp) -> None:
    """503 `unavailable` with Retry-After in whole seconds (at least 1)."""
    assert_json_error(resp, 503, "unavailable")
    value = resp.headers.get("Retry-After", "")
    assert value.isdigit() and int(value) >= 1, resp.headers


def assert_migrated(server, email: str, password: str, account_id: str | None, verified: bool) -> dict:
    """A successful login through the source, or its result: a token response whose `sub` is the
    account id (`account_id` when given), /v1/me shows the account, its export line has an argon2id
    hash of `password`, and the audit log has `account_migrated` for it. Returns /v1/me."""
    r = server.login(email, password)
    assert r.status_code == 200, f"login {email}: {r.status_code} {r.text}"
    tokens = r.json()
    sub = jwt_claims(tokens["access_token"])["sub"]
    if account_id is not None:
        assert sub == account_id, (sub, account_id)
    me = server.me(tokens["access_token"])
    assert me.status_code == 200, me.text
    account = me.json()
    assert account["id"] == sub and UUID_RE.match(sub) and account["email"] == email.strip().lower(), account
    assert account["email_verified"] is verified and account["status"] == "active", account
    stored = hash_of(server.db_path, account["email"])
    assert stored is not None and stored.startswith("$argon2id$"), f"{email}: {stored!r}"
    assert PasswordHasher().verify(stored, password)
    assert sub in migrated(server.db_path), f"no account_migrated event for {sub}"
    return account


def migrated(db: Path) -> list[str]:
    """The account ids of the `account_migrated` events in `authctl audit --json`."""
    events = ok_json(ctl(db, "audit", "--json", "--limit", "1000"))
    return [e.get("account_id") for e in events if e.get("event") == "account_migrated"]
