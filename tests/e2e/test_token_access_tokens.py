"""End-to-end tests of the token service (AuthServer) over real HTTP: access tokens as a resource server
verifies them with the JWKS, bearer errors, and the Python verification example of docs/CLIENTS.md.
Shared helpers: token_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import KeySet, OKPKey

from conftest import assert_json_error
from token_support import (PASSWORD, UUID_RE, assert_token_response, jwks_of, signup_and_login,
                           verify_access_token)

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


# --------------------------------------------------------------------------- helpers


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# --------------------------------------------------------------------------- access tokens


def test_access_token_verifies_with_jwks(auth_server_factory):
    issuer, audience, ttl = "https://auth.e2e.example", "e2e-audience", 600
    server = auth_server_factory({"AUTH_ISSUER": issuer, "AUTH_AUDIENCE": audience, "AUTH_ACCESS_TTL": str(ttl)})
    account, tokens = signup_and_login(server)
    assert tokens["expires_in"] == ttl

    jwks = jwks_of(server)
    assert jwks["keys"], jwks
    for jwk in jwks["keys"]:
        assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["use"] == "sig", jwk
        assert jwk["alg"] == "EdDSA" and jwk["kid"] and jwk["x"], jwk
        assert "d" not in jwk, "private key material in the JWKS"
        OKPKey.import_key(jwk)  # each key imports on its own
    kids = {jwk["kid"] for jwk in jwks["keys"]}

    before = int(time.time())
    token = verify_access_token(tokens["access_token"], jwks, algorithms=["EdDSA"], issuer=issuer,
                                audience=audience, sub=account["id"])
    assert token.header["alg"] == "EdDSA"
    assert token.header["typ"] == "at+jwt"
    assert token.header["kid"] in kids
    claims = token.claims
    assert claims["iss"] == issuer
    assert claims["sub"] == account["id"]
    assert claims["aud"] == audience or claims["aud"] == [audience]
    assert isinstance(claims["exp"], int) and isinstance(claims["iat"], int)
    assert claims["exp"] - claims["iat"] == ttl
    assert abs(claims["iat"] - before) <= 60
    assert UUID_RE.match(claims["jti"]) or claims["jti"]
    assert UUID_RE.match(claims["sid"]), claims

    # sid is the session id the sessions endpoint shows as current.
    r = server.get("/v1/sessions", headers=bearer(tokens["access_token"]))
    assert r.status_code == 200, r.text
    current = [s for s in r.json()["sessions"] if s["current"]]
    assert [s["id"] for s in current] == [claims["sid"]]

    # jti is unique; a second login is a second session.
    other = assert_token_response(server.login(account["email"], PASSWORD), expires_in=ttl)
    other_claims = verify_access_token(other["access_token"], jwks, algorithms=["EdDSA"], issuer=issuer,
                                       audience=audience, sub=account["id"]).claims
    assert other_claims["jti"] != claims["jti"]
    assert other_claims["sid"] != claims["sid"]

    # A tampered token does not verify.
    head, payload, sig = tokens["access_token"].split(".")
    forged_claims = dict(claims, sub=str(uuid.uuid4()))
    forged_payload = jwt_b64(json.dumps(forged_claims, separators=(",", ":")).encode())
    with pytest.raises(BadSignatureError):
        jwt.decode(f"{head}.{forged_payload}.{sig}", KeySet.import_key_set(jwks), algorithms=["EdDSA"])


def jwt_b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_access_token_default_issuer_and_audience(auth_server):
    account, tokens = signup_and_login(auth_server)
    assert tokens["expires_in"] == 900
    token = verify_access_token(tokens["access_token"], jwks_of(auth_server), algorithms=["EdDSA"],
                                issuer="http://127.0.0.1:8080", audience="listings", sub=account["id"])
    assert token.claims["exp"] - token.claims["iat"] == 900


def test_access_token_with_fully_specified_ed25519_alg(auth_server_factory):
    server = auth_server_factory({"AUTH_JWS_ALG": "Ed25519"})
    account, tokens = signup_and_login(server)
    jwks = jwks_of(server)
    token = verify_access_token(tokens["access_token"], jwks, algorithms=["Ed25519"],
                                issuer="http://127.0.0.1:8080", audience="listings", sub=account["id"])
    assert token.header["alg"] == "Ed25519"
    assert token.header["typ"] == "at+jwt"
    assert token.header["kid"] in {k["kid"] for k in jwks["keys"]}
    # Not accepted when the verifier only allows the other name: the header really says Ed25519.
    with pytest.raises(JoseError):
        jwt.decode(tokens["access_token"], KeySet.import_key_set(jwks), algorithms=["EdDSA"])
    # The token service itself accepts its own tokens.
    assert server.me(tokens["access_token"]).status_code == 200


def test_bearer_errors(auth_server):
    r = auth_server.get("/v1/me")
    assert_json_error(r, 401, "invalid_token")
    challenge = r.headers.get("WWW-Authenticate", "")
    assert challenge.startswith("Bearer") and "error=" not in challenge, challenge

    r = auth_server.me("not.a.token")
    assert_json_error(r, 401, "invalid_token")
    assert 'error="invalid_token"' in r.headers.get("WWW-Authenticate", ""), r.headers


# --------------------------------------------------------------------------- client docs


def test_the_python_verification_example_works(auth_server):
    """examples/verify_token.py, as docs/CLIENTS.md shows it, accepts our tokens and refuses tampered ones."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "verify_token", Path(__file__).resolve().parents[2] / "examples" / "verify_token.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    account, tokens = signup_and_login(auth_server)
    keys = example.fetch_keys(auth_server.base_url)
    claims = example.verify(tokens["access_token"], keys, issuer="http://127.0.0.1:8080")
    assert claims["sub"] == account["id"]
    header, payload, signature = tokens["access_token"].split(".")
    tampered = ".".join([header, payload, signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")])
    with pytest.raises(Exception):
        example.verify(tampered, keys, issuer="http://127.0.0.1:8080")
    with pytest.raises(Exception):
        example.verify(tokens["access_token"], keys, issuer="http://127.0.0.1:8080", audience="billing")
