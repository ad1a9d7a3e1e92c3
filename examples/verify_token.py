"""Verify the token service's access tokens in a Python service, with joserfc and the JWKS.

    pip install joserfc requests
    python3 verify_token.py http://127.0.0.1:8080 <access token>

Fetch the JWKS once and cache it; fetch again when a token names an unknown `kid`
(rate-limit that), and every few minutes otherwise. Never call the token service
per request.
"""
import sys
import time

import requests
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

ISSUER = "http://127.0.0.1:8080"
AUDIENCE = "listings"


def fetch_keys(base_url: str) -> KeySet:
    response = requests.get(f"{base_url}/.well-known/jwks.json", timeout=5)
    response.raise_for_status()
    return KeySet.import_key_set(response.json())


def verify(token: str, keys: KeySet, issuer: str = ISSUER, audience: str = AUDIENCE) -> dict:
    """The token's claims, or an exception: bad signature, wrong type, issuer, audience, expired."""
    decoded = jwt.decode(token, keys, algorithms=["EdDSA", "Ed25519"])
    if decoded.header.get("typ", "").lower() not in ("at+jwt", "application/at+jwt"):
        raise ValueError("not an access token")
    JWTClaimsRegistry(
        leeway=30,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        sub={"essential": True},
    ).validate(decoded.claims)
    return decoded.claims


if __name__ == "__main__":
    base, token = sys.argv[1], sys.argv[2]
    claims = verify(token, fetch_keys(base), issuer=sys.argv[3] if len(sys.argv) > 3 else ISSUER)
    print(f"account {claims['sub']}, session {claims['sid']}, valid for {claims['exp'] - int(time.time())} s")
