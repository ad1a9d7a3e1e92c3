"""RFC 9068 conformance: access tokens carry `client_id`; `POST /v1/token` takes `client_id`;
`AUTH_CLIENTS` restricts it; a refresh by another client is refused; sessions show it.
Checked with an independent validator: joserfc, and RFC 9068 §2.2's list of required claims."""

from __future__ import annotations

import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from conftest import assert_json_error

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

PASSWORD = "correct horse battery"
# RFC 9068 §2.2: the claims every JWT access token must carry, and its header type (§2.1).
RFC9068_REQUIRED = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]


def rfc9068_claims(server, token: str, client_id: str) -> dict:
    """The claims, once an RFC 9068 resource server would accept the token for `client_id`."""
    keys = KeySet.import_key_set(server.get("/.well-known/jwks.json").json())
    decoded = jwt.decode(token, keys, algorithms=["EdDSA"])
    assert decoded.header["typ"].lower() in ("at+jwt", "application/at+jwt"), decoded.header
    options = {name: {"essential": True} for name in RFC9068_REQUIRED}
    options["client_id"] = {"essential": True, "value": client_id}
    JWTClaimsRegistry(**options).validate(decoded.claims)
    return decoded.claims


def signed_up(server) -> str:
    email = f"client-{uuid.uuid4().hex[:12]}@example.com"
    assert server.signup(email, PASSWORD).status_code == 201
    return email


def token(server, email: str, **extra):
    return server.post("/v1/token", data={"grant_type": "password", "username": email, "password": PASSWORD, **extra})


def test_tokens_carry_the_client_id_through_refreshes(auth_server):
    email = signed_up(auth_server)
    default = token(auth_server, email).json()
    assert rfc9068_claims(auth_server, default["access_token"], "default")["client_id"] == "default"
    mobile = token(auth_server, email, client_id="ios-app:1.2").json()
    rfc9068_claims(auth_server, mobile["access_token"], "ios-app:1.2")
    refreshed = auth_server.post("/v1/token", data={"grant_type": "refresh_token", "refresh_token": mobile["refresh_token"]})
    claims = rfc9068_claims(auth_server, refreshed.json()["access_token"], "ios-app:1.2")
    sessions = auth_server.get("/v1/sessions", refreshed.json()["access_token"]).json()["sessions"]
    assert {s["client_id"] for s in sessions} == {"default", "ios-app:1.2"}
    assert [s["client_id"] for s in sessions if s["current"]] == ["ios-app:1.2"] and claims["sid"]


def test_a_refresh_by_another_client_is_refused_and_leaves_the_token_usable(auth_server):
    email = signed_up(auth_server)
    grant = token(auth_server, email, client_id="web").json()
    other = auth_server.post("/v1/token", data={
        "grant_type": "refresh_token", "refresh_token": grant["refresh_token"], "client_id": "ios"})
    assert_json_error(other, 400, "invalid_grant")
    same = auth_server.post("/v1/token", data={
        "grant_type": "refresh_token", "refresh_token": grant["refresh_token"], "client_id": "web"})
    assert same.status_code == 200, same.text


@pytest.mark.parametrize("client_id", ["", "has space", "x" * 65, "slash/y", "é"])
def test_a_malformed_client_id_is_invalid_request(auth_server, client_id):
    email = signed_up(auth_server)
    assert_json_error(token(auth_server, email, client_id=client_id), 400, "invalid_request")


def test_auth_clients_restricts_the_ids(auth_server_factory):
    server = auth_server_factory({"AUTH_CLIENTS": "web, ios", "AUTH_DEFAULT_CLIENT_ID": "web"})
    email = signed_up(server)
    assert token(server, email).status_code == 200  # the default, listed
    assert token(server, email, client_id="ios").status_code == 200
    refused = token(server, email, client_id="android")
    assert_json_error(refused, 401, "invalid_client")
