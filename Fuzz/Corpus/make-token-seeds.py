#!/usr/bin/env python3
"""Writes the seed tokens of Corpus/token: signed with fuzz-token's fixed key (seed 0x07 × 32),
valid at its fixed "now" (1800000000), plus near misses and JWKS documents. Run from Fuzz/."""
import base64, hashlib, json, pathlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

key = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32))
public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
x = b64(public)
kid = b64(hashlib.sha256(('{"crv":"Ed25519","kty":"OKP","x":"%s"}' % x).encode()).digest())
claims = {"iss": "https://auth.example.com", "sub": "4b0f6f55-2f0e-4f5e-9a53-0c5d1b1e2a10", "aud": "listings",
          "exp": 1800000600, "iat": 1800000000, "jti": "jti-1", "sid": "9a1f0c4e-1d7b-4b36-8a55-2a2f7d8f1c33",
          "client_id": "web"}

def compact(obj) -> str:
    return obj if isinstance(obj, str) else json.dumps(obj, separators=(",", ":"))

def token(header, payload, signer=key) -> str:
    signing_input = b64(compact(header).encode()) + "." + b64(compact(payload).encode())
    return signing_input + "." + b64(signer.sign(signing_input.encode()))

header = {"alg": "EdDSA", "typ": "at+jwt", "kid": kid}
other = Ed25519PrivateKey.from_private_bytes(bytes([9] * 32))
seeds = {
    "valid": token(header, claims),
    "valid-ed25519-aud-array-nbf": token({"alg": "Ed25519", "typ": "application/at+jwt", "kid": kid},
                                         {**claims, "aud": ["other", "listings"], "nbf": 1799999990}),
    "expired": token(header, {**claims, "exp": 1700000000}),
    "wrong-issuer": token(header, {**claims, "iss": "https://evil.example"}),
    "unknown-kid": token({**header, "kid": "nope"}, claims),
    "other-key": token(header, claims, other),
    "alg-none": b64(b'{"alg":"none","typ":"at+jwt","kid":"%s"}' % kid.encode()) + "." + b64(compact(claims).encode()) + ".",
    "embedded-jwk": token({**header, "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x}}, claims),
    "duplicate-alg": token('{"alg":"EdDSA","\\u0061lg":"none","typ":"at+jwt","kid":"%s"}' % kid, claims),
    "fractional-times": token(header, '{"iss":"https://auth.example.com","sub":"s","aud":"listings","exp":1.8000006e9,"iat":1800000000.5,"jti":"j","sid":"s","client_id":"c"}'),
    "jwks": json.dumps({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "use": "sig", "alg": "EdDSA"},
                                 {"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "rsa"},
                                 {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "enc", "use": "enc"}]}),
    "nested-json": '{"a":[{"b":{"c":"\\"}"}},[1,2,{"a":1,"a":2}]],"d":"\\u0064"}',
}
out = pathlib.Path("Corpus/token")
for name, text in seeds.items():
    (out / name).write_text(text)
# header NUL payload: the harness signs these itself, so mutations reach the claims checks.
signed = {"signed-valid": (header, claims),
          "signed-aud-array": ({**header, "typ": "AT+JWT"}, {**claims, "aud": ["listings"], "nbf": 1800000000}),
          "signed-missing-sid": (header, {k: v for k, v in claims.items() if k != "sid"})}
for name, (h, p) in signed.items():
    (out / name).write_bytes(compact(h).encode() + b"\0" + compact(p).encode())
print(kid)
