"""Black-box abuse tests (issue 5): huge, numerous and malformed request heads (raw sockets) get a
quick 4xx JSON error or a closed connection, and the token service keeps serving.
Shared helpers: hostile_support.py.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile_headers.py
"""

from __future__ import annotations

import os

from hostile_support import (assert_serving, check_all, check_raw_error, check_resp_error, http_bytes, raw_request,
                             timed)
from hostile_support import server  # noqa: F401  (pytest fixture)


def test_huge_headers_are_431_or_refused(server):
    port = server.port

    def one_big_header(size: int) -> bytes:
        return http_bytes("GET", "/healthz", {"X-Big": "a" * size})

    def many_headers(total: int) -> bytes:
        return http_bytes("GET", "/healthz", {f"X-H{i}": "b" * 190 for i in range(total // 200)})

    # Over 16 KiB in all: 431 with the JSON body (a single field, or many fields).
    check_raw_error(timed(raw_request, port, one_big_header(17 * 1024)), statuses=[431])
    check_raw_error(timed(raw_request, port, many_headers(17 * 1024 + 400)), statuses=[431])
    # Far over: a 4xx JSON answer or a closed connection, quickly.
    check_raw_error(timed(raw_request, port, one_big_header(200 * 1024)), closed_ok=True)
    check_raw_error(timed(raw_request, port, many_headers(200 * 1024)), closed_ok=True)
    # Through requests as well (the header of an authenticated call).
    r = timed(server.get, "/v1/me", "x" * (20 * 1024))
    check_resp_error(r, statuses=[431])
    # Just under the limit is fine.
    resp = timed(raw_request, port, one_big_header(15 * 1024))
    assert resp is not None and resp.status == 200, resp
    assert_serving(server)


def test_many_small_header_fields_and_malformed_heads(server):
    port = server.port
    cases = [
        http_bytes("GET", "/healthz", {f"X-F{i}": "1" for i in range(1000)}),  # 1000 fields, ~10 KiB
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a\x00b\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Name: 1\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde",
        b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        b"GET /" + b"a" * (20 * 1024) + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(64),  # a TLS ClientHello on plain HTTP
        b"GARBAGE\r\n\r\n",
    ]
    check_all(cases, lambda data: check_raw_error(timed(raw_request, port, data), closed_ok=True))
    assert_serving(server)
