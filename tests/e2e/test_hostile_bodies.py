"""Black-box abuse tests (issue 5): truncated, oversized and JSON-bomb request bodies get a quick
4xx (413 for an oversized promise), never a hang or a 5xx.
Shared helpers: hostile_support.py.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile_bodies.py
"""

from __future__ import annotations

import socket

import pytest

from hostile_support import (JSON_BOMBS, QUICK, SOCKET_TIMEOUT, assert_serving, check_all, check_raw_error,
                             check_resp_error, http_bytes, post_bomb, raw_request, read_response, timed)
from hostile_support import server  # noqa: F401  (pytest fixture)


def test_truncated_and_oversized_bodies(server):
    port = server.port

    def stalled(path: str, promised: int, sent: bytes, content_type="application/json"):
        """Promise `promised` bytes, send `sent`, then half-close: the server must not hang or 5xx."""
        with socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT) as sock:
            sock.sendall(http_bytes("POST", path, {"Content-Type": content_type}, content_length=promised) + sent)
            sock.shutdown(socket.SHUT_WR)
            return read_response(sock, QUICK)

    cases = [
        lambda: stalled("/v1/accounts", 1000, b'{"email": "a'),
        lambda: stalled("/v1/token", 1000, b"grant_type=password&username=a",
                        "application/x-www-form-urlencoded"),
        lambda: stalled("/v1/revoke", 50, b"token=abc", "application/x-www-form-urlencoded"),
        # A huge promise is refused at once (413), without waiting for the body.
        lambda: raw_request(port, http_bytes("POST", "/v1/accounts", {"Content-Type": "application/json"},
                                             content_length=10_000_000) + b"{", timeout=QUICK),
        lambda: raw_request(port, http_bytes("POST", "/v1/token", {"Content-Type": "application/json"},
                                             content_length=2**62) + b"{", timeout=QUICK),
        # A chunked body over the limit.
        lambda: raw_request(port, b"POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                                  b"\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + b"".join(b"4000\r\n" + b" " * 0x4000 + b"\r\n" for _ in range(6)) + b"0\r\n\r\n",
                            timeout=QUICK),
    ]

    def check(case):
        resp = timed(case)
        check_raw_error(resp, closed_ok=True)

    check_all(cases, check)
    # The oversized promise is a 413, not just a closed connection.
    resp = raw_request(port, http_bytes("POST", "/v1/accounts", {"Content-Type": "application/json"},
                                        content_length=10_000_000) + b"{", timeout=QUICK)
    check_raw_error(resp, statuses=[413])
    assert_serving(server)


@pytest.mark.parametrize("path", ["/v1/accounts", "/v1/token"])
def test_json_bombs_are_4xx_quickly(server, path):
    cases = [(name, chunked) for name in JSON_BOMBS for chunked in (False, True)]

    def check(case):
        name, chunked = case
        resp = post_bomb(server, path, JSON_BOMBS[name], chunked)
        if resp is not None or not chunked:
            assert resp is not None, "connection closed without an answer"
            check_resp_error(resp)
    check_all(cases, check)
    # The bodies under the limit reach the decoder: 400 invalid_request exactly.
    check_all([n for n in JSON_BOMBS if "under the limit" in n or "one name" in n],
              lambda name: check_resp_error(post_bomb(server, path, JSON_BOMBS[name]), statuses=[400],
                                            code="invalid_request"))
    assert_serving(server)
