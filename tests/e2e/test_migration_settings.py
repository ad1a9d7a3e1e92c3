"""The lazy-migration settings (issue 16; API.md, "Moving in from a system that keeps its hashes"):
AUTH_MIGRATE_FROM (cognito | http | unset), the Cognito client and endpoint, the HTTP source's URL
and token, AUTH_MIGRATION_TIMEOUT. A missing or bad combination stops the start with exit 64 and
one line naming the setting, never the client secret or the token; an http:// URL only on loopback.
Shared helpers: migration_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e -k migration
"""

from __future__ import annotations

import uuid

import pytest

from conftest import free_port
from mail_support import failed_start
from migration_support import server_logs

SECRET = "cognito-client-secret-" + uuid.uuid4().hex
TOKEN = "migration-token-" + uuid.uuid4().hex
COGNITO = {"AUTH_MIGRATE_FROM": "cognito", "AUTH_COGNITO_CLIENT_ID": "3n4b5urk1ft4fl3mg5e62d9ado",
           "AUTH_COGNITO_CLIENT_SECRET": SECRET, "AUTH_COGNITO_REGION": "eu-west-1"}
HTTP = {"AUTH_MIGRATE_FROM": "http", "AUTH_MIGRATION_URL": "https://legacy.invalid/auth/check",
        "AUTH_MIGRATION_TOKEN": TOKEN}


def without(env: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in names}


BAD = {
    "cognito-without-client-id": (without(COGNITO, "AUTH_COGNITO_CLIENT_ID"), "AUTH_COGNITO_CLIENT_ID"),
    "cognito-without-region-or-endpoint": (without(COGNITO, "AUTH_COGNITO_REGION"), "AUTH_COGNITO_REGION"),
    "cognito-endpoint-http-not-loopback": ({**COGNITO, "AUTH_COGNITO_ENDPOINT": "http://cognito.invalid/"},
                                           "AUTH_COGNITO_ENDPOINT"),
    "cognito-endpoint-not-a-url": ({**COGNITO, "AUTH_COGNITO_ENDPOINT": "cognito-idp"}, "AUTH_COGNITO_ENDPOINT"),
    "cognito-timeout-abc": ({**COGNITO, "AUTH_MIGRATION_TIMEOUT": "abc"}, "AUTH_MIGRATION_TIMEOUT"),
    "http-without-url": (without(HTTP, "AUTH_MIGRATION_URL"), "AUTH_MIGRATION_URL"),
    "http-url-http-not-loopback": ({**HTTP, "AUTH_MIGRATION_URL": "http://legacy.invalid/auth/check"},
                                   "AUTH_MIGRATION_URL"),
    "http-url-ftp": ({**HTTP, "AUTH_MIGRATION_URL": "ftp://127.0.0.1/check"}, "AUTH_MIGRATION_URL"),
    "http-url-not-a-url": ({**HTTP, "AUTH_MIGRATION_URL": "legacy check"}, "AUTH_MIGRATION_URL"),
    "http-timeout-0": ({**HTTP, "AUTH_MIGRATION_TIMEOUT": "0"}, "AUTH_MIGRATION_TIMEOUT"),
    "http-timeout-negative": ({**HTTP, "AUTH_MIGRATION_TIMEOUT": "-3"}, "AUTH_MIGRATION_TIMEOUT"),
    "http-timeout-abc": ({**HTTP, "AUTH_MIGRATION_TIMEOUT": "abc"}, "AUTH_MIGRATION_TIMEOUT"),
    "from-ldap": ({**COGNITO, **HTTP, "AUTH_MIGRATE_FROM": "ldap"}, "AUTH_MIGRATE_FROM"),
}


@pytest.mark.parametrize("env, setting", BAD.values(), ids=BAD.keys())
def test_a_bad_migration_setting_stops_the_start_with_one_line(tmp_path, env, setting):
    status, stderr = failed_start(tmp_path, env)
    assert status == 64, (status, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {stderr!r}"
    assert setting.lower() in lines[0].lower(), lines[0]
    assert SECRET not in stderr and TOKEN not in stderr, stderr


GOOD = {
    "cognito-region-only": COGNITO,
    "cognito-endpoint-without-region": {**without(COGNITO, "AUTH_COGNITO_REGION"),
                                        "AUTH_COGNITO_ENDPOINT": "https://cognito.invalid/"},
    "cognito-http-endpoint-on-loopback": {**without(COGNITO, "AUTH_COGNITO_CLIENT_SECRET"),
                                          "AUTH_COGNITO_ENDPOINT": "http://127.0.0.1:{port}/"},
    "http-https-url": {**HTTP, "AUTH_MIGRATION_TIMEOUT": "2"},
    "http-http-url-on-loopback": {**without(HTTP, "AUTH_MIGRATION_TOKEN"),
                                  "AUTH_MIGRATION_URL": "http://127.0.0.1:{port}/migrate"},
}


@pytest.mark.parametrize("env", GOOD.values(), ids=GOOD.keys())
def test_a_good_migration_setting_starts_and_keeps_its_secrets(auth_server_factory, env):
    """Starting asks no source (a login would), and prints neither the client secret nor the token."""
    port = free_port()  # nothing listens there
    server = auth_server_factory({k: v.format(port=port) for k, v in env.items()})
    r = server.get("/healthz")
    assert r.status_code == 200, r.text
    logs = server_logs(server)
    assert SECRET not in logs and TOKEN not in logs, logs


def test_migration_is_off_by_default(auth_server_factory):
    server = auth_server_factory()
    r = server.login(f"nobody-{uuid.uuid4().hex[:8]}@example.com", "correct horse battery")
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
