"""The per-address rate limit holds for every spelling of a limited path, and keys IPv6 clients
by their /64 (API.md, "Changes to what exists")."""

from __future__ import annotations

import http.client

import pytest

LIMITED = {"AUTH_RATE_LIMIT_PER_MINUTE": "1", "AUTH_RATE_LIMIT_BURST": "2"}


def post(server, path: str, body: bytes = b"token=x", headers: dict[str, str] | None = None) -> int:
    """A POST with the path sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("POST", path, skip_accept_encoding=True)
        for name, value in {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        return connection.getresponse().status
    finally:
        connection.close()


pytestmark = pytest.mark.serial  # counts against a refilling bucket: timing-sensitive


@pytest.mark.parametrize("route", ["/v1/token", "/v1/accounts", "/v1/revoke"])
def test_every_spelling_of_a_limited_path_is_limited(auth_server_factory, route):
    spellings = [route, route + "/", "/" + route, route.replace("/v1/", "/v1//"), "//" + route.lstrip("/") + "//"]
    server = auth_server_factory(LIMITED)
    # Each spelling reaches the endpoint (not 404)...
    assert post(server, spellings[1]) != 404
    assert post(server, spellings[2]) != 404
    # ...and, the burst spent, each is refused by the limiter.
    for path in spellings:
        assert post(server, path) == 429, path


def test_ipv6_clients_share_one_bucket_per_64(auth_server_factory):
    server = auth_server_factory({**LIMITED, "AUTH_TRUSTED_PROXIES": "127.0.0.1"})
    same_64 = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"]
    answers = [post(server, "/v1/revoke", headers={"X-Forwarded-For": a}) for a in same_64]
    assert answers == [200, 200, 429], answers
    assert post(server, "/v1/revoke", headers={"X-Forwarded-For": "2001:db8:1:3::1"}) == 200
    # An IPv4-mapped address is the IPv4 client it maps.
    assert post(server, "/v1/revoke", headers={"X-Forwarded-For": "192.0.2.5"}) == 200
    assert post(server, "/v1/revoke", headers={"X-Forwarded-For": "::ffff:192.0.2.5"}) == 200
    assert post(server, "/v1/revoke", headers={"X-Forwarded-For": "192.0.2.5"}) == 429
