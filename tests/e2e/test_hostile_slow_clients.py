"""Black-box abuse tests (issue 5): slowloris headers and slowly trickled bodies do not starve
other clients of the token service.
Shared helpers: hostile_support.py.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile_slow_clients.py
"""

from __future__ import annotations

import json

import pytest

from hostile_support import (QUICK, assert_serving, check_all, check_raw_error, http_bytes, read_response,
                             run_slow_clients)
from hostile_support import server  # noqa: F401  (pytest fixture)

pytestmark = pytest.mark.serial  # slow clients against time limits: timing-sensitive


def test_slowloris_headers_do_not_starve_others(server):
    start = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    sockets, _, errors = run_slow_clients(server, [start] * 20, interval=0.5, rounds=10, payload=b"a")
    try:
        # Each slow client finishes its request: a 200, a 4xx JSON, or a connection the server closed.
        def finish(n_sock):
            n, sock = n_sock
            try:
                sock.sendall(b"\r\nConnection: close\r\n\r\n")
            except OSError:
                return
            resp = read_response(sock, timeout=QUICK)
            if resp is not None and resp.status != 200:
                check_raw_error(resp)
        check_all(list(enumerate(sockets)), finish)
    finally:
        for sock in sockets:
            sock.close()
    assert_serving(server)


def test_slow_bodies_do_not_starve_others(server):
    body = json.dumps({"grant_type": "password", "username": "slow@example.com", "password": "slow-but-wrong"})
    padding = 40  # leading whitespace is valid JSON
    start = http_bytes("POST", "/v1/token", {"Content-Type": "application/json"}, content_length=padding + len(body))
    # 10 clients promise the body and trickle it, 1 byte every 0.1 s for about 4 s.
    sockets, sent, errors = run_slow_clients(server, [start] * 10, interval=0.1, rounds=padding, payload=b" ")
    try:
        def finish(n):
            # Complete the promised body: the wrong-password answer, or a connection the server dropped.
            try:
                sockets[n].sendall(b" " * (padding - sent[n]) + body.encode())
            except OSError:
                return
            check_raw_error(read_response(sockets[n], timeout=QUICK), statuses=[400], code="invalid_grant",
                            closed_ok=True)
        check_all(range(len(sockets)), finish)
    finally:
        for sock in sockets:
            sock.close()
    assert_serving(server)
