"""Lazy migration from a generic HTTP source (issue 16; API.md, "Moving in from a system that keeps
its hashes"): POST {"email", "password"} with the Bearer token; 200 + {"id"?, "email_verified"?}
accepts, 401/403/404 refuse, anything else (another status, not JSON, an array, a redirect, too
slow) is unavailable; never asked for an account that has a hash here.
Shared helpers: migration_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e -k migration
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import jwt_claims
from migration_support import (OTHER_PASSWORD, PASSWORD, Answer, accept, assert_invalid_grant, assert_migrated,
                               assert_unavailable, awaiting, hash_of, http_env, login_ok, migrated, refuse,
                               server_logs, unique_email, users_by_email)
from migration_support import sources  # noqa: F401  (pytest fixture)
from transfer_support import ctl, jsonl, record

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

TOKEN = "migration-token-" + uuid.uuid4().hex


def test_accepted_keeps_the_uuid_sends_the_bearer_token_and_never_asks_again(auth_server_factory, sources):
    source = sources()
    server = auth_server_factory(http_env(source, TOKEN))
    email, account_id = unique_email("http"), str(uuid.uuid4())
    source.answer(email, accept(account_id, email_verified=True))

    assert_migrated(server, email, PASSWORD, account_id, verified=True)
    (call,) = source.received()
    assert (call.method, call.path) == ("POST", "/migrate"), call
    assert call.headers.get("authorization") == f"Bearer {TOKEN}", call.headers
    assert call.headers.get("content-type", "").split(";")[0].strip() == "application/json", call.headers
    assert call.json == {"email": email, "password": PASSWORD}, call.body
    logs = server_logs(server)
    assert TOKEN not in logs and PASSWORD not in logs

    # The account has a hash now: the source is not asked, whatever it would say.
    source.answer(email, Answer(500))
    login_ok(server, email, PASSWORD)
    assert_invalid_grant(server.login(email, OTHER_PASSWORD))
    assert len(source.received()) == 1
    source.stop()
    tokens = login_ok(server, email, PASSWORD)
    assert jwt_claims(tokens["access_token"])["sub"] == account_id
    assert_invalid_grant(server.login(email, OTHER_PASSWORD))  # not 503


def test_without_an_id_a_new_account_gets_a_random_id_and_the_lowercased_email(auth_server_factory, sources):
    source = sources()
    server = auth_server_factory(http_env(source))  # no token: no Authorization header
    email = unique_email("Mixed.Case").replace("example.com", "Example.COM")
    source.answer(email, accept())  # no id, no email_verified (false)

    r = server.login(f"  {email} ", PASSWORD)
    assert r.status_code == 200, r.text
    (call,) = source.received()
    assert "authorization" not in call.headers, call.headers
    assert call.json["email"].strip().lower() == email.lower() and call.json["password"] == PASSWORD, call.json
    account = assert_migrated(server, email.lower(), PASSWORD, None, verified=False)
    assert users_by_email(server.db_path)[email.lower()]["id"] == account["id"]
    assert account["id"] in migrated(server.db_path)

    source.stop()  # it can log in afterwards with the source down
    login_ok(server, email, PASSWORD)


def test_a_non_uuid_id_becomes_a_stable_uuid_and_no_id_a_random_one(auth_server_factory, sources):
    source = sources()
    email, other, anonymous = unique_email("legacy"), unique_email("legacy"), unique_email("anonymous")
    source.answer(email, accept("legacy-42", email_verified=True))
    source.answer(other, accept("legacy-43"))
    source.answer(anonymous, accept())
    ids: dict[str, list[str]] = {email: [], other: [], anonymous: []}
    for name in ("first", "second"):  # two services, two databases, the same source
        server = auth_server_factory(http_env(source), name=name)
        for who in ids:
            ids[who].append(assert_migrated(server, who, PASSWORD, None, verified=who == email)["id"])
    assert ids[email][0] == ids[email][1] and ids[other][0] == ids[other][1], f"not stable: {ids}"
    assert ids[email][0] != ids[other][0], f"two source ids, one account id: {ids}"
    assert ids[anonymous][0] != ids[anonymous][1], f"no id from the source, yet the same id twice: {ids}"


@pytest.mark.parametrize("imported", [False, True], ids=["unknown-here", "imported-without-hash"])
def test_two_first_logins_at_once_both_succeed_with_one_account(auth_server_factory, sources, tmp_path, imported):
    source = sources()
    server = auth_server_factory(http_env(source))
    email, account_id = unique_email("race"), str(uuid.uuid4())
    if imported:
        path = tmp_path / "waiting.jsonl"
        path.write_text(jsonl({**record(email), "id": account_id, "password_hash": None}))
        assert ctl(server.db_path, "import", str(path)).returncode == 0
    source.answer(email, Answer(200, {"id": account_id}, delay=0.5))  # both are in flight together
    with ThreadPoolExecutor(2) as executor:
        answers = list(executor.map(lambda _: server.login(email, PASSWORD), range(2)))
    assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
    assert {jwt_claims(r.json()["access_token"])["sub"] for r in answers} == {account_id}
    assert [u["id"] for u in users_by_email(server.db_path).values()] == [account_id]
    assert_migrated(server, email, PASSWORD, account_id, verified=False)


@pytest.mark.parametrize("status", [401, 403, 404])
def test_a_refusal_is_invalid_grant_like_a_wrong_password_and_stores_nothing(auth_server_factory, sources, tmp_path,
                                                                             status):
    source = sources()
    server = auth_server_factory(http_env(source, TOKEN))
    native = unique_email("native")
    assert server.signup(native, PASSWORD).status_code == 201
    waiting = {**record(), "password_hash": None}  # an own-format record without a hash: awaiting migration
    path = tmp_path / "waiting.jsonl"
    path.write_text(jsonl(waiting))
    assert ctl(server.db_path, "import", str(path)).returncode == 0
    nobody = unique_email("nobody")
    source.answer(waiting["email"], refuse(status))
    source.answer(nobody, refuse(status))

    wrong = assert_invalid_grant(server.login(native, OTHER_PASSWORD))
    assert assert_invalid_grant(server.login(waiting["email"], PASSWORD)) == wrong
    assert assert_invalid_grant(server.login(nobody, PASSWORD)) == wrong
    assert len(source.received()) == 2
    assert hash_of(server.db_path, waiting["email"]) is None and awaiting(server.db_path) == 1
    assert nobody not in users_by_email(server.db_path)
    assert migrated(server.db_path) == []

    source.answer(waiting["email"], accept(str(uuid.uuid4())))  # the file's id is kept, not the source's
    assert_migrated(server, waiting["email"], PASSWORD, waiting["id"], verified=False)


UNAVAILABLE = {
    "500": Answer(500, {"error": "boom"}),
    "400": Answer(400, {"error": "bad"}),
    "200-not-json": Answer(200, b"<html>ok</html>", {"Content-Type": "text/html"}),
    "200-json-array": Answer(200, [{"id": "x"}]),
    "200-empty": Answer(200, b"", {"Content-Type": "application/json"}),
    "307-redirect": Answer(307, b"", {"Location": "/redirected"}),
}


@pytest.mark.parametrize("answer", UNAVAILABLE.values(), ids=UNAVAILABLE.keys())
def test_any_other_answer_is_unavailable_and_counts_as_no_failure(auth_server_factory, sources, answer):
    source = sources()
    server = auth_server_factory(http_env(source, AUTH_LOCKOUT_THRESHOLD="2", AUTH_LOCKOUT_BASE="600"))
    email, account_id = unique_email("flaky"), str(uuid.uuid4())
    source.answer(email, answer)
    for _ in range(3):
        assert_unavailable(server.login(email, PASSWORD))
    assert [r.path for r in source.received()] == ["/migrate"] * 3, "a redirect was followed"
    assert email not in users_by_email(server.db_path)

    source.answer(email, accept(account_id))  # back: not throttled
    assert_migrated(server, email, PASSWORD, account_id, verified=False)


@pytest.mark.serial  # measures the time to the answer
def test_a_slow_source_is_unavailable_within_the_timeout(auth_server_factory, sources):
    source = sources()
    server = auth_server_factory(http_env(source, AUTH_MIGRATION_TIMEOUT="1"))
    email = unique_email("slow")
    source.answer(email, Answer(200, {"id": str(uuid.uuid4())}, delay=8))
    t0 = time.monotonic()
    assert_unavailable(server.login(email, PASSWORD))
    elapsed = time.monotonic() - t0
    assert 0.9 <= elapsed <= 3.0, f"answered after {elapsed:.2f} s with AUTH_MIGRATION_TIMEOUT=1"
    assert email not in users_by_email(server.db_path)
    assert [r.path for r in source.received()] == ["/migrate"]


def test_refusals_are_throttled_and_a_throttled_attempt_is_not_sent_on(auth_server_factory, sources):
    source = sources()
    server = auth_server_factory(http_env(source, AUTH_LOCKOUT_THRESHOLD="3", AUTH_LOCKOUT_BASE="600"))
    email = unique_email("guessed")
    source.answer(email, refuse(401))
    for _ in range(3):
        assert_invalid_grant(server.login(email, OTHER_PASSWORD))
    source.answer(email, accept(str(uuid.uuid4())))
    r = server.login(email, PASSWORD)
    assert r.status_code == 429 and r.json()["error"] == "too_many_attempts", r.text
    assert len(source.received()) == 3
    assert email not in users_by_email(server.db_path)


def test_an_account_with_a_hash_here_is_never_sent_to_the_source(auth_server_factory, sources, tmp_path):
    source = sources()
    source.default = accept(str(uuid.uuid4()))  # it would accept anything
    server = auth_server_factory(http_env(source, TOKEN))
    native = unique_email("native")
    assert server.signup(native, PASSWORD).status_code == 201
    moved = record()  # imported with a hash (own format)
    path = tmp_path / "moved.jsonl"
    path.write_text(jsonl(moved))
    assert ctl(server.db_path, "import", str(path)).returncode == 0

    waiting = {**record(), "password_hash": None}  # awaiting migration, then given a password by the admin
    path.write_text(jsonl(waiting))
    assert ctl(server.db_path, "import", str(path)).returncode == 0
    assert ctl(server.db_path, "users", "set-password", waiting["email"], input=PASSWORD + "\n").returncode == 0
    assert awaiting(server.db_path) == 0

    for email in (native, moved["email"], waiting["email"]):
        assert_invalid_grant(server.login(email, OTHER_PASSWORD))
        assert_invalid_grant(server.login(email.upper(), OTHER_PASSWORD))
    login_ok(server, native, PASSWORD)
    login_ok(server, waiting["email"], PASSWORD)
    assert source.received() == []


def test_a_source_id_of_another_account_never_logs_in_as_it(auth_server_factory, sources):
    source = sources()
    server = auth_server_factory(http_env(source))
    victim = unique_email("victim")
    r = server.signup(victim, PASSWORD)
    assert r.status_code == 201, r.text
    victim_id = r.json()["id"]
    intruder = unique_email("intruder")
    source.answer(intruder, accept(victim_id.upper(), email_verified=True))

    r = server.login(intruder, PASSWORD)
    if r.status_code == 200:
        assert jwt_claims(r.json()["access_token"])["sub"] != victim_id
    accounts = users_by_email(server.db_path)
    assert intruder not in accounts or accounts[intruder]["id"] != victim_id, accounts
    assert accounts[victim]["id"] == victim_id
    login_ok(server, victim, PASSWORD)  # untouched
    assert_invalid_grant(server.login(victim, OTHER_PASSWORD))


def test_the_settings_also_work_as_flags(auth_server_factory, sources):
    source = sources()
    server = auth_server_factory(args=["--migrate-from", "http", "--migration-url", source.url(),
                                       "--migration-token", TOKEN])
    email, account_id = unique_email("flags"), str(uuid.uuid4())
    source.answer(email, accept(account_id))
    assert_migrated(server, email, PASSWORD, account_id, verified=False)
    assert source.received()[0].headers.get("authorization") == f"Bearer {TOKEN}"
