"""Lazy migration from AWS Cognito when Cognito is down, failing or slow (503 `unavailable` with
Retry-After, in time, nothing stored, no failed login counted), and a password reset by email for
an imported user who never logs in (issue 16; API.md, "Moving in from a system that keeps its hashes").
Shared helpers: migration_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e -k migration
"""

from __future__ import annotations

import time

import pytest

from conftest import jwt_claims
from mail_support import DirMailbox, forgot, reset
from migration_support import (NEW_PASSWORD, PASSWORD, Answer, assert_invalid_grant, assert_migrated,
                               assert_unavailable, awaiting, cognito_calls, cognito_env, hash_of, import_pool, login_ok,
                               migrated, unique_email, users_by_email)
from migration_support import cognito_proxy, moto, pool, sources  # noqa: F401  (pytest fixtures)

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def test_cognito_stopped_answers_503_and_stores_nothing(auth_server_factory, pool, moto, tmp_path):
    email, _ = pool.add_user()
    fresh, _ = pool.add_user()
    # Straight to moto (no proxy): once it is stopped, a refused connection.
    server = auth_server_factory(cognito_env(pool, moto.url + "/", AUTH_LOCKOUT_THRESHOLD="2"))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    assert awaiting(server.db_path) == 2
    moto.stop()

    for _ in range(4):  # past the lockout threshold: unavailable counts as no failed login
        t0 = time.monotonic()
        assert_unavailable(server.login(email, PASSWORD))
        assert time.monotonic() - t0 < 6, "past AUTH_MIGRATION_TIMEOUT (5 s)"
    assert_unavailable(server.login(unique_email("nobody"), PASSWORD))  # unknown here: Cognito is asked too
    assert hash_of(server.db_path, email) is None and awaiting(server.db_path) == 2
    assert len(users_by_email(server.db_path)) == 2
    assert migrated(server.db_path) == []


@pytest.mark.parametrize("failure", [Answer(500, b'{"__type": "InternalErrorException", "message": "boom"}',
                                            {"Content-Type": "application/x-amz-json-1.1"}),
                                     Answer(502, b"<html>bad gateway</html>", {"Content-Type": "text/html"})],
                         ids=["500", "502-html"])
def test_a_5xx_from_cognito_is_unavailable_and_counts_as_no_failure(auth_server_factory, pool, cognito_proxy,
                                                                     tmp_path, failure):
    email, sub = pool.add_user()
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/"), AUTH_LOCKOUT_THRESHOLD="2",
                                             AUTH_LOCKOUT_BASE="600"))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    cognito_proxy.override = failure
    for _ in range(3):
        assert_unavailable(server.login(email, PASSWORD))
    assert len(cognito_calls(cognito_proxy, "InitiateAuth")) == 3
    assert hash_of(server.db_path, email) is None

    cognito_proxy.override = None  # Cognito is back: not throttled, migrated
    assert_migrated(server, email, PASSWORD, sub, verified=True)


@pytest.mark.serial  # measures the time to the answer
def test_a_slow_cognito_is_unavailable_within_the_timeout(auth_server_factory, pool, cognito_proxy, tmp_path):
    email, sub = pool.add_user()
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/"), AUTH_MIGRATION_TIMEOUT="1"))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    cognito_proxy.override = Answer(200, b"{}", {"Content-Type": "application/x-amz-json-1.1"}, delay=8)

    t0 = time.monotonic()
    assert_unavailable(server.login(email, PASSWORD))
    elapsed = time.monotonic() - t0
    assert 0.9 <= elapsed <= 3.0, f"answered after {elapsed:.2f} s with AUTH_MIGRATION_TIMEOUT=1"
    assert hash_of(server.db_path, email) is None

    cognito_proxy.override = None
    assert_migrated(server, email, PASSWORD, sub, verified=True)


def test_a_password_reset_by_email_moves_in_a_user_who_never_logs_in(auth_server_factory, pool, cognito_proxy, moto,
                                                                      tmp_path):
    email, sub = pool.add_user(verified=False)
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/")))  # mail as .eml files beside the db
    import_pool(server.db_path, pool, tmp_path / "users.json")
    assert awaiting(server.db_path) == 1

    r = forgot(server, email)
    assert r.status_code == 202, r.text
    token = DirMailbox(server.workdir / "mail").token(email, "reset-password")
    r = reset(server, token, NEW_PASSWORD)
    assert r.status_code == 204, f"{r.status_code} {r.text}"
    stored = hash_of(server.db_path, email)
    assert stored is not None and stored.startswith("$argon2id$"), stored
    assert awaiting(server.db_path) == 0

    moto.stop()  # from now on the source is never asked
    tokens = login_ok(server, email, NEW_PASSWORD)
    assert jwt_claims(tokens["access_token"])["sub"] == sub
    me = server.me(tokens["access_token"]).json()
    assert me["id"] == sub and me["email_verified"] is True, me  # the reset proved the address
    assert_invalid_grant(server.login(email, PASSWORD))  # Cognito's password: 400, not 503
    assert cognito_calls(cognito_proxy) == []
