"""The listings service takes its keys only from where it was told: plain http only on loopback,
no redirect followed, no more than 1 MiB read."""

from __future__ import annotations

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from conftest import LISTINGS_SERVER_BIN, assert_json_error, linked_auth_env, server_env, wait_until


def serve(handler_body):
    """A tiny HTTP server on 127.0.0.1 whose GET answers with `handler_body(handler)`; (server, base URL)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            handler_body(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.mark.parametrize("url", ["http://auth.example.com/.well-known/jwks.json", "http://10.0.0.5/jwks.json"])
def test_plain_http_off_loopback_stops_the_start(tmp_path, url):
    r = subprocess.run([str(LISTINGS_SERVER_BIN)], cwd=tmp_path, capture_output=True, text=True, timeout=20,
                       env=server_env({"LISTINGS_PORT": "0", "LISTINGS_JWKS_URL": url}))
    assert r.returncode != 0 and "LISTINGS_JWKS_URL must be https" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def token_of(auth) -> str:
    assert auth.signup("jwks@example.com", "correct horse battery").status_code == 201
    return auth.login("jwks@example.com", "correct horse battery").json()["access_token"]


def test_a_redirect_is_not_followed(auth_server_factory, listings_server_factory):
    auth = auth_server_factory(linked_auth_env(), name="auth")
    token = token_of(auth)

    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", auth.url("/.well-known/jwks.json"))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    redirector, base = serve(redirect)
    try:
        listings = listings_server_factory({"LISTINGS_JWKS_URL": base + "/jwks.json"})
        assert_json_error(listings.list(token), 503, "keys_unavailable")
    finally:
        redirector.shutdown()


def test_an_oversized_key_set_is_not_read(auth_server_factory, listings_server_factory):
    auth = auth_server_factory(linked_auth_env(), name="auth")
    token = token_of(auth)
    jwks = requests.get(auth.url("/.well-known/jwks.json"), timeout=10).content
    padded = jwks[:-1] + b"," + b'"pad":"' + b"x" * (2 * 1024 * 1024) + b'"}'

    def large(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()  # no length: the reader must stop by itself
        try:
            handler.wfile.write(padded)
        except (BrokenPipeError, ConnectionResetError):
            pass

    big, base = serve(large)
    try:
        listings = listings_server_factory({"LISTINGS_JWKS_URL": base + "/jwks.json"})
        assert_json_error(listings.list(token), 503, "keys_unavailable")
        wait_until(lambda: "more than" in listings.stderr(), timeout=10, what="the refused fetch logged")
    finally:
        big.shutdown()
