"""Lazy migration from AWS Cognito (issue 16; API.md, "Moving in from a system that keeps its
hashes"), against moto's Cognito server: list-users imported, then logins checked with
InitiateAuth (USER_PASSWORD_AUTH) and GetUser; right and wrong passwords, unknown users, a client
with a secret, FORCE_CHANGE_PASSWORD and disabled users.
Shared helpers: migration_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e -k migration
"""

from __future__ import annotations

import pytest

from conftest import jwt_claims
from migration_support import (AMZ_JSON, OTHER_PASSWORD, PASSWORD, assert_invalid_grant, assert_migrated, awaiting,
                               cognito_calls, cognito_env, hash_of, import_pool, login_ok, migrated, secret_hash,
                               server_logs, unique_email, users_by_email)
from migration_support import cognito_proxy, moto, pool, sources  # noqa: F401  (pytest fixtures)

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def test_right_password_migrates_keeps_the_sub_and_never_asks_cognito_again(
        auth_server_factory, pool, cognito_proxy, moto, tmp_path):
    email, sub = pool.add_user(verified=True)
    other, _ = pool.add_user()
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/")))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    assert awaiting(server.db_path) == 2
    assert hash_of(server.db_path, email) is None and hash_of(server.db_path, email, "csv") is None
    assert cognito_calls(cognito_proxy) == []  # importing and starting ask nothing

    assert_migrated(server, email, PASSWORD, sub, verified=True)
    assert awaiting(server.db_path) == 1
    assert hash_of(server.db_path, other) is None

    (auth,) = cognito_calls(cognito_proxy, "InitiateAuth")
    assert auth.method == "POST" and auth.headers.get("content-type", "").split(";")[0] == AMZ_JSON, auth.headers
    assert auth.json["AuthFlow"] == "USER_PASSWORD_AUTH" and auth.json["ClientId"] == pool.public, auth.json
    params = auth.json["AuthParameters"]
    assert params["USERNAME"] == email and params["PASSWORD"] == PASSWORD, params
    assert "SECRET_HASH" not in params, params  # this app client has no secret
    assert PASSWORD not in server_logs(server)

    # From now on the password is checked here: Cognito is neither asked nor needed.
    seen = len(cognito_proxy.received())
    login_ok(server, email, PASSWORD)
    assert_invalid_grant(server.login(email, OTHER_PASSWORD))
    assert len(cognito_proxy.received()) == seen
    moto.stop()
    tokens = login_ok(server, email, PASSWORD)
    assert jwt_claims(tokens["access_token"])["sub"] == sub
    assert_invalid_grant(server.login(email, OTHER_PASSWORD))  # not 503: the source is not asked
    assert len(cognito_proxy.received()) == seen


def test_a_user_not_imported_is_created_with_the_sub_from_getuser(auth_server_factory, pool, cognito_proxy, moto):
    email, sub = pool.add_user(verified=False)
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/")))
    assert awaiting(server.db_path) == 0

    account = assert_migrated(server, email, PASSWORD, sub, verified=False)
    assert users_by_email(server.db_path)[email]["id"] == sub == account["id"]
    assert len(cognito_calls(cognito_proxy, "GetUser")) >= 1
    assert awaiting(server.db_path) == 0

    moto.stop()
    login_ok(server, email, PASSWORD)


def test_wrong_password_and_unknown_user_answer_invalid_grant_and_store_nothing(
        auth_server_factory, pool, cognito_proxy, tmp_path):
    email, _ = pool.add_user()
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/")))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    native = unique_email("native")
    assert server.signup(native, PASSWORD).status_code == 201

    wrong = assert_invalid_grant(server.login(email, OTHER_PASSWORD))
    nobody = unique_email("nobody")
    unknown = assert_invalid_grant(server.login(nobody, PASSWORD))
    assert wrong == unknown == assert_invalid_grant(server.login(native, OTHER_PASSWORD))
    assert len(cognito_calls(cognito_proxy, "InitiateAuth")) == 2  # one each; the native account asks nothing

    assert hash_of(server.db_path, email) is None and awaiting(server.db_path) == 1
    assert nobody not in users_by_email(server.db_path)
    assert migrated(server.db_path) == []
    login_ok(server, email, PASSWORD)  # the refusals changed nothing


def test_refusals_count_as_failed_logins(auth_server_factory, pool, cognito_proxy, tmp_path):
    email, _ = pool.add_user()
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/"), AUTH_LOCKOUT_THRESHOLD="3",
                                             AUTH_LOCKOUT_BASE="600"))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    for _ in range(3):
        assert_invalid_grant(server.login(email, OTHER_PASSWORD))
    r = server.login(email, PASSWORD)
    assert r.status_code == 429 and r.json()["error"] == "too_many_attempts", r.text
    assert int(r.headers["Retry-After"]) >= 1
    assert len(cognito_calls(cognito_proxy, "InitiateAuth")) == 3  # a throttled attempt is not sent on
    assert hash_of(server.db_path, email) is None


def test_a_client_with_a_secret_sends_the_secret_hash(auth_server_factory, pool, cognito_proxy, moto, tmp_path):
    imported, imported_sub = pool.add_user()
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/"), secret=True))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    fresh, fresh_sub = pool.add_user(verified=True)  # in Cognito only

    assert_migrated(server, imported, PASSWORD, imported_sub, verified=True)
    assert_migrated(server, fresh, PASSWORD, fresh_sub, verified=True)
    calls = cognito_calls(cognito_proxy, "InitiateAuth")
    assert len(calls) == 2
    for call in calls:
        params = call.json["AuthParameters"]
        assert call.json["ClientId"] == pool.confidential, call.json
        # moto does not check SECRET_HASH: the proxy does.
        assert params.get("SECRET_HASH") == secret_hash(params["USERNAME"], pool.confidential, pool.secret), params
    assert pool.secret not in server_logs(server)

    moto.stop()
    login_ok(server, imported, PASSWORD)
    login_ok(server, fresh, PASSWORD)


def test_force_change_password_user_is_proven_by_the_challenge(auth_server_factory, pool, cognito_proxy, moto,
                                                               tmp_path):
    email, sub = pool.add_user(password=OTHER_PASSWORD, status="FORCE_CHANGE_PASSWORD", verified=True)
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/")))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    assert_invalid_grant(server.login(email, PASSWORD))  # not the temporary password
    assert hash_of(server.db_path, email) is None

    assert_migrated(server, email, OTHER_PASSWORD, sub, verified=True)  # NEW_PASSWORD_REQUIRED proves it
    moto.stop()
    login_ok(server, email, OTHER_PASSWORD)
    assert awaiting(server.db_path) == 0


def test_a_force_change_password_user_not_imported_gets_no_other_id_than_the_sub(auth_server_factory, pool,
                                                                                 cognito_proxy):
    """No tokens come with the challenge, so no GetUser; the challenge names the user (moto: USERNAME,
    Cognito: USER_ID_FOR_SRP). Whatever the service does, an account it creates has Cognito's sub."""
    email, sub = pool.add_user(status="FORCE_CHANGE_PASSWORD")
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/")))
    r = server.login(email, PASSWORD)
    assert r.status_code in (200, 400, 503), r.text
    if r.status_code == 200:
        assert jwt_claims(r.json()["access_token"])["sub"] == sub
    account = users_by_email(server.db_path).get(email)
    assert account is None or account["id"] == sub, (account, sub)


def test_a_disabled_user_never_logs_in_and_cognito_is_not_asked(auth_server_factory, pool, cognito_proxy, tmp_path):
    email, sub = pool.add_user(enabled=False)
    server = auth_server_factory(cognito_env(pool, cognito_proxy.url("/")))
    import_pool(server.db_path, pool, tmp_path / "users.json")
    assert users_by_email(server.db_path)[email]["status"] == "disabled"

    assert_invalid_grant(server.login(email, PASSWORD))
    assert cognito_calls(cognito_proxy) == []
    assert hash_of(server.db_path, email) is None

    # Disabled in Cognito and unknown here: Cognito refuses (NotAuthorizedException), nothing is created.
    other, _ = pool.add_user(enabled=False)
    assert_invalid_grant(server.login(other, PASSWORD))
    assert other not in users_by_email(server.db_path)
