"""Small helpers of the end-to-end tests that need no server: JWS parts, bounded polling, a free port,
the contract's error shape, and authctl results. The tests import them from conftest, which re-exports
them."""

from __future__ import annotations

import base64
import json
import re
import time

import pytest
import requests


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a server that must start on a known port)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def b64url_json(part: str) -> dict:
    """One base64url-encoded JSON part of a JWS (header or claims), unverified."""
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def jwt_header(token: str) -> dict:
    return b64url_json(token.split(".")[0])


def jwt_claims(token: str) -> dict:
    return b64url_json(token.split(".")[1])


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll `predicate` (returning a truthy value when done) for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    pytest.fail(f"{what} not reached within {timeout}s; last: {last!r}")


def assert_json_error(resp: requests.Response, status: int, code: str | None = None) -> dict:
    """The contract's error shape: status, JSON body {"error", "error_description"}."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text!r}"
    assert resp.headers.get("Content-Type", "").split(";")[0].strip() == "application/json", resp.headers
    return assert_error_body(resp.json(), code)


def assert_error_body(body, code: str | None = None) -> dict:
    """The contract's error body: a lower_snake_case `error` (equal to `code` when given) and a description."""
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and re.fullmatch(r"[a-z][a-z0-9_]*", body["error"]), body
    assert isinstance(body.get("error_description"), str) and body["error_description"], body
    if code is not None:
        assert body["error"] == code, body
    return body


def show(r) -> str:
    """A finished authctl run, for assertion messages."""
    return f"exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}"


def ok(r) -> str:
    """The stdout of a run that must have succeeded."""
    assert r.returncode == 0, show(r)
    return r.stdout


def ok_json(r):
    return json.loads(ok(r))
