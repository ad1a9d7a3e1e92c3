"""openapi.yaml (the repository root) against the contract and the running services.

1. The document is a valid OpenAPI 3.1 description (openapi-spec-validator) and names every
   path, method, status code, header and error code of the contract (/work/shared/API.md, README).
2. Each path answers a method it does not list with 405 and an `Allow` header that lists exactly
   the document's methods (plus HEAD wherever GET is).
3. Schemathesis (bounded: a fixed seed, a few examples per operation, a hard timeout) fuzzes every
   operation of both services with a valid Bearer token and checks that no answer is a 5xx and that
   every answer's status, content type, headers and body conform to the document.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from conftest import E2E_AUDIENCE, E2E_ISSUER, REPO_ROOT

SPEC_PATH = REPO_ROOT / "openapi.yaml"

# Cheapest hashing and no per-address rate limit: the fuzzer sends thousands of requests from 127.0.0.1.
FUZZ_AUTH_ENV = {
    "AUTH_ISSUER": E2E_ISSUER,
    "AUTH_AUDIENCE": E2E_AUDIENCE,
    "AUTH_ARGON2_MEMORY_KIB": "64",
    "AUTH_ARGON2_ITERATIONS": "1",
    "AUTH_RATE_LIMIT_PER_MINUTE": "1000000",
    "AUTH_RATE_LIMIT_BURST": "100000",
}

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# (path, method) -> status codes the contract says the operation can answer.
CONTRACT = {
    ("/v1/accounts", "post"): {"201", "400", "409", "413", "422", "429", "431", "503"},
    ("/v1/token", "post"): {"200", "400", "401", "403", "413", "429", "431", "503"},
    ("/v1/revoke", "post"): {"200", "400", "413", "429", "431"},
    ("/v1/logout", "post"): {"204", "400", "401", "413", "431"},
    ("/v1/me", "get"): {"200", "401", "431"},
    ("/v1/sessions", "get"): {"200", "401", "431"},
    ("/v1/sessions/{id}", "delete"): {"204", "401", "404", "431"},
    ("/v1/password", "post"): {"204", "400", "401", "413", "422", "431"},
    ("/v1/email/verification", "post"): {"202", "401", "409", "429", "431"},
    ("/v1/email/verify", "post"): {"200", "400", "413", "429", "431"},
    ("/v1/password/forgot", "post"): {"202", "400", "413", "422", "429", "431"},
    ("/v1/password/reset", "post"): {"204", "400", "413", "422", "429", "431", "503"},
    ("/v1/email/change", "post"): {"202", "400", "401", "409", "413", "422", "429", "431", "503"},
    ("/v1/email/confirm", "post"): {"200", "400", "409", "413", "429", "431"},
    ("/v1/mfa/totp", "post"): {"200", "400", "401", "409", "413", "429", "431", "503"},
    ("/v1/mfa/totp", "delete"): {"204", "400", "401", "404", "413", "429", "431"},
    ("/v1/mfa/totp/verify", "post"): {"200", "400", "401", "404", "413", "429", "431"},
    ("/v1/mfa/recovery-codes", "post"): {"200", "400", "401", "404", "413", "429", "431"},
    ("/.well-known/jwks.json", "get"): {"200", "431"},
    ("/.well-known/oauth-authorization-server", "get"): {"200", "431"},
    ("/healthz", "get"): {"200", "431"},
    ("/readyz", "get"): {"200", "431", "503"},
    ("/metrics", "get"): {"200", "431"},
    ("/v1/listings", "get"): {"200", "400", "401", "431", "503"},
    ("/v1/listings", "post"): {"201", "400", "401", "413", "422", "431", "503"},
    ("/v1/listings/{id}", "get"): {"200", "401", "404", "431", "503"},
    ("/v1/listings/{id}", "patch"): {"200", "400", "401", "404", "413", "422", "431", "503"},
    ("/v1/listings/{id}", "delete"): {"204", "401", "404", "431", "503"},
}
AUTH_SERVICE_PATHS = {"/v1/accounts", "/v1/token", "/v1/revoke", "/v1/logout", "/v1/me", "/v1/sessions",
                      "/v1/sessions/{id}", "/v1/password", "/v1/email/verification", "/v1/email/verify",
                      "/v1/password/forgot", "/v1/password/reset", "/v1/email/change", "/v1/email/confirm",
                      "/v1/mfa/totp", "/v1/mfa/totp/verify", "/v1/mfa/recovery-codes",
                      "/.well-known/jwks.json",
                      "/.well-known/oauth-authorization-server", "/healthz", "/readyz", "/metrics"}
LISTINGS_SERVICE_PATHS = {"/v1/listings", "/v1/listings/{id}", "/healthz", "/readyz", "/metrics"}
ERROR_CODES = {"invalid_request", "invalid_token", "invalid_grant", "invalid_client", "unsupported_grant_type", "invalid_email",
               "weak_password", "account_exists", "too_many_attempts", "too_many_requests", "overloaded",
               "not_found", "method_not_allowed", "request_too_large", "request_header_fields_too_large",
               "not_ready", "keys_unavailable", "invalid_listing", "already_verified", "email_not_verified",
               "mfa_required", "mfa_enabled", "invalid_code", "unavailable"}


@pytest.fixture(scope="module")
def spec() -> dict:
    assert SPEC_PATH.exists(), f"{SPEC_PATH} is missing"
    with open(SPEC_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def resolve(spec: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item, item[method]


# -- 1. the document -------------------------------------------------------------------------------


def test_openapi_document_is_valid_openapi_3_1(spec):
    from openapi_spec_validator import validate

    assert str(spec["openapi"]).startswith("3.1"), spec["openapi"]
    validate(spec)  # raises OpenAPIValidationError with the offending node


def test_openapi_document_covers_the_contract(spec):
    documented = {(path, method) for path, method, _, _ in operations(spec)}
    assert documented == set(CONTRACT), (
        f"missing: {sorted(set(CONTRACT) - documented)}; not in the contract: {sorted(documented - set(CONTRACT))}")

    server_urls = {s["url"] for s in spec["servers"]}
    assert {"http://127.0.0.1:8080", "http://127.0.0.1:8081"} <= server_urls, server_urls
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}

    for path, method, item, op in operations(spec):
        where = f"{method.upper()} {path}"
        responses = op["responses"]
        missing = CONTRACT[(path, method)] - set(responses)
        assert not missing, f"{where}: status codes {sorted(missing)} are not documented"
        assert "405" in responses, f"{where}: 405 not documented"

        urls = {s["url"] for s in item.get("servers", [])}
        if path in AUTH_SERVICE_PATHS:
            assert "http://127.0.0.1:8080" in urls, f"{where}: not on the token service's server"
        if path in LISTINGS_SERVICE_PATHS:
            assert "http://127.0.0.1:8081" in urls, f"{where}: not on the listings service's server"

        protected = op.get("security", spec.get("security", [])) != []
        bearer_401 = "401" in CONTRACT[(path, method)] and (path, method) != ("/v1/token", "post")  # 401 invalid_client
        assert protected == bearer_401, f"{where}: security does not match the contract"
        if protected:
            assert op["security"] == [{"bearerAuth": []}], where
            assert "WWW-Authenticate" in resolve(spec, responses["401"])["headers"], where

        for code, response in responses.items():
            response = resolve(spec, response)
            headers = response.get("headers", {})
            if code[0] in "45":
                schema = response["content"]["application/json"]["schema"]
                refs = [schema.get("$ref")] + [s.get("$ref") for s in schema.get("allOf", [])]
                assert "#/components/schemas/Error" in refs, f"{where} {code}: body is not the Error schema"
            if code in ("429", "503"):
                assert "Retry-After" in headers, f"{where} {code}: no Retry-After header"
            if code == "405":
                assert "Allow" in headers, f"{where} 405: no Allow header"
            if code != "431":
                assert "X-Request-Id" in headers, f"{where} {code}: no X-Request-Id header"

        if "requestBody" in op:
            content = op["requestBody"]["content"]
            assert "application/json" in content, where
            if path in ("/v1/token", "/v1/revoke"):
                assert "application/x-www-form-urlencoded" in content, where

    token_200 = resolve(spec, spec["paths"]["/v1/token"]["post"]["responses"]["200"])
    assert "Cache-Control" in token_200["headers"]
    jwks = spec["paths"]["/.well-known/jwks.json"]["get"]["responses"]["200"]["content"]
    assert "application/jwk-set+json" in jwks or "application/json" in jwks
    assert "text/plain" in spec["paths"]["/metrics"]["get"]["responses"]["200"]["content"]

    error = spec["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "error_description"}
    assert set(error["properties"]["error"]["x-documented-codes"]) == ERROR_CODES


# -- 2 and 3. the running services ----------------------------------------------------------------


@pytest.fixture
def fuzz_servers(auth_server_factory, listings_server_factory):
    auth = auth_server_factory(FUZZ_AUTH_ENV, name="auth")
    listings = listings_server_factory({"LISTINGS_JWKS_URL": auth.url("/.well-known/jwks.json")}, name="listings")
    return auth, listings


def access_token(auth, email: str, password: str = "correct horse battery staple") -> str:
    r = auth.signup(email, password)
    assert r.status_code in (201, 409), r.text
    r = auth.login(email, password)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def test_unsupported_methods_answer_405_with_the_documented_allow(spec, fuzz_servers):
    auth, listings = fuzz_servers
    for path, item in spec["paths"].items():
        methods = {m.upper() for m in HTTP_METHODS if m in item}
        if "GET" in methods:
            methods.add("HEAD")
        concrete = path.replace("{id}", str(uuid.uuid4()))
        servers = [auth] if path in AUTH_SERVICE_PATHS else []
        servers += [listings] if path in LISTINGS_SERVICE_PATHS else []
        for server in servers:
            other = next(m for m in ("PUT", "PATCH", "DELETE", "POST") if m not in methods)
            r = server.request(other, concrete)
            assert r.status_code == 405, f"{server.name} {other} {concrete}: {r.status_code} {r.text!r}"
            allow = {m.strip() for m in r.headers.get("Allow", "").split(",") if m.strip()}
            assert allow == methods, f"{server.name} {concrete}: Allow {allow}, the document says {methods}"
            assert r.json()["error"] == "method_not_allowed"


def schemathesis_bin() -> str:
    candidate = Path(sys.executable).parent / "schemathesis"
    found = str(candidate) if candidate.exists() else shutil.which("schemathesis")
    if not found:
        pytest.fail("schemathesis is not installed (pip install -r tests/requirements.txt)")
    return found


SCHEMATHESIS_TIMEOUT = 55.0  # hard bound of the whole fuzzing step (the runs go in parallel)
CHECKS = ",".join(["not_a_server_error", "status_code_conformance", "content_type_conformance",
                   "response_headers_conformance", "response_schema_conformance"])
STATEFUL_CHECKS = CHECKS + ",use_after_free,ensure_resource_availability"


def test_services_conform_to_openapi_document(fuzz_servers, tmp_path):
    """Bounded schemathesis runs; a fixed seed (SCHEMATHESIS_SEED overrides) keeps them reproducible."""
    auth, listings = fuzz_servers
    binary = schemathesis_bin()
    seed = os.environ.get("SCHEMATHESIS_SEED", "20261129")
    max_examples = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "20")

    # Runs that end sessions (DELETE /v1/sessions/{id} with an id the fuzzer took from GET /v1/sessions,
    # POST /v1/logout) get their own account, so the main run keeps a live token throughout.
    runs = {
        "auth": (auth, ["--include-tag", "token-service", "--exclude-operation-id", "logout",
                        "--exclude-operation-id", "deleteSession", "--checks", CHECKS,
                        "--phases", "examples,coverage,fuzzing"], access_token(auth, "fuzz@example.com")),
        "auth-destructive": (auth, ["--include-operation-id", "deleteSession", "--include-operation-id", "logout",
                                    "--checks", CHECKS, "--phases", "examples,coverage,fuzzing"],
                             access_token(auth, "fuzz-destructive@example.com")),
        # Listings also get the stateful phase (create, then read, change, delete what was created), with the
        # checks that a created listing can be read and a deleted one is gone.
        "listings": (listings, ["--include-tag", "listings-service", "--checks", STATEFUL_CHECKS,
                                "--phases", "examples,coverage,fuzzing,stateful"],
                     access_token(auth, "fuzz-listings@example.com")),
    }
    # The listings service must have the keys before fuzzing starts (else every answer is 503).
    r = listings.get("/v1/listings", runs["listings"][2])
    assert r.status_code == 200, r.text

    procs = {}
    started = time.monotonic()
    for name, (server, filters, token) in runs.items():
        workdir = tmp_path / f"schemathesis-{name}"
        workdir.mkdir()
        cmd = [binary, "run", str(SPEC_PATH), "--url", server.base_url, *filters,
               "-H", f"Authorization: Bearer {token}",
               "--max-examples", max_examples, "--seed", seed, "--request-timeout", "10",
               "--generation-database", "none", "--workers", "1", "--no-color",
               "--report", "junit", "--report-dir", str(workdir / "report")]
        log = open(workdir / "output.txt", "w+b")
        procs[name] = (subprocess.Popen(cmd, cwd=workdir, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT), log, cmd)

    failures = []
    try:
        for name, (proc, log, cmd) in procs.items():
            remaining = max(1.0, SCHEMATHESIS_TIMEOUT - (time.monotonic() - started))
            try:
                proc.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                failures.append(f"[{name}] did not finish within {SCHEMATHESIS_TIMEOUT}s")
                continue
            log.seek(0)
            output = log.read().decode(errors="replace")
            if proc.returncode != 0:
                failures.append(f"[{name}] exit {proc.returncode}\n$ {' '.join(cmd)}\n{output[-12000:]}")
            elif not re.search(r"\b\d+ passed\b", output):
                failures.append(f"[{name}] ran no test cases\n{output[-4000:]}")
    finally:
        for proc, log, _ in procs.values():
            if proc.poll() is None:
                os.kill(proc.pid, 9)
                proc.wait()
            log.close()

    # Nothing the fuzzer did may have taken a server down.
    for server in (auth, listings):
        assert server.proc.poll() is None, f"{server.name} exited: {server.stderr()[-2000:]}"
        assert requests.get(server.url("/healthz"), timeout=5).status_code == 200
    assert not failures, "\n\n".join(failures)
