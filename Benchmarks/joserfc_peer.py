"""The joserfc peer of auth-bench (issue #7): verifies the same access token as a
resource server using joserfc would, and prints microseconds per verification.

stdin, one item a line: the compact token, the Ed25519 public key as a JWK (JSON),
the expected issuer, the audience, the iteration count.
stdout: the median over 5 repetitions of microseconds per verification.
Exit 2 with a one-line reason on stderr when the input is bad or the token is rejected,
3 when joserfc is not installed.
"""

import json
import statistics
import sys
import time
import warnings


def fail(reason: str, code: int = 2) -> None:
    print(f"joserfc: {reason}", file=sys.stderr)
    sys.exit(code)


try:
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import OKPKey
    from joserfc.jwt import JWTClaimsRegistry
except ImportError as error:
    fail(f"not installed ({error}); pip install -r tests/requirements.txt", 3)

# The token's alg is EdDSA; joserfc warns that RFC 9864 deprecates the name (once per call site).
warnings.filterwarnings("ignore", message="EdDSA is deprecated")


def main() -> None:
    lines = sys.stdin.read().splitlines()
    if len(lines) < 5:
        fail(f"expected 5 lines on stdin, got {len(lines)}")
    token, jwk_json, issuer, audience = lines[0], lines[1], lines[2], lines[3]
    try:
        iterations = int(lines[4])
        assert iterations > 0
    except (ValueError, AssertionError):
        fail("bad iteration count")
    try:
        key = OKPKey.import_key(json.loads(jwk_json))
    except (ValueError, JoseError) as error:
        fail(f"public key not accepted: {error!r}")

    registry = JWTClaimsRegistry(
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
    )

    def verify() -> None:
        decoded = jwt.decode(token, key, algorithms=["EdDSA"])
        registry.validate(decoded.claims)

    try:
        verify()
    except JoseError as error:
        fail(f"token rejected: {error!r}")

    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(iterations):
            verify()
        samples.append((time.perf_counter() - start) / iterations * 1e6)
    print(f"{statistics.median(samples):.3f}")


main()
