"""End-to-end tests of the admin CLI (authctl): `users create`, `list`, `show`, `disable`, `enable`,
`set-password` and `delete`, alone and against a running AuthServer.
Shared helpers and fixtures: authctl_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import unicodedata
import uuid

import pytest

from authctl_support import (DATAERR, NOINPUT, PASSWORD, assert_invalid_grant, assert_me, create_user, ctl,
                             emails_of, fails, login, unique_email)
from authctl_support import ctl_db, server  # noqa: F401  (pytest fixtures; server uses ctl_db)
from conftest import jwt_claims, ok, ok_json, show

# EdDSA is the contract's default alg; joserfc warns that RFC 9864 deprecates the name.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

NEW_PASSWORD = "staple battery horse 2"


# --------------------------------------------------------------------------- users


def test_users_create_reads_password_from_stdin_and_the_user_can_log_in(server, ctl_db):
    # Created while the server runs, on its database; the email is trimmed and lowercased.
    email = unique_email("Ann").upper()
    account = create_user(ctl_db, f"  {email} ")
    tokens = login(server, email.lower())
    assert jwt_claims(tokens["access_token"])["sub"] == account["id"]
    me = server.me(tokens["access_token"])
    assert me.status_code == 200 and me.json() == account, me.text

    # Text mode; only the first line of stdin is the password; it is never echoed.
    other = unique_email("bob")
    r = ctl(ctl_db, "users", "create", other, input=NEW_PASSWORD + "\nnot the password\n")
    assert r.returncode == 0 and r.stdout.strip(), show(r)
    assert NEW_PASSWORD not in r.stdout + r.stderr, show(r)
    login(server, other, NEW_PASSWORD)
    assert_invalid_grant(server.login(other, "not the password"))
    assert sorted(emails_of(ctl_db)) == sorted([email.lower(), other])


def test_users_create_password_is_the_whole_line_nfc_normalized(server, ctl_db):
    decomposed = unicodedata.normalize("NFD", "  Crème brûlée 42 ")
    email = unique_email("nfc")
    create_user(ctl_db, email, decomposed)
    login(server, email, unicodedata.normalize("NFC", decomposed))  # the same password, composed
    assert_invalid_grant(server.login(email, decomposed.strip()))  # spaces are part of it


@pytest.mark.parametrize("password", ["password", "12345678", "short7!", "", "x" * 1025],
                         ids=["password", "12345678", "7 chars", "empty", "1025 bytes"])
def test_users_create_weak_password_is_65_and_creates_nothing(ctl_db, password):
    email = unique_email("weak")
    fails(ctl(ctl_db, "users", "create", email, input=password + "\n"), DATAERR)
    assert emails_of(ctl_db) == []


def test_users_create_bad_email_is_65(ctl_db):
    fails(ctl(ctl_db, "users", "create", "not-an-email", input=PASSWORD + "\n"), DATAERR)
    assert emails_of(ctl_db) == []


def test_users_create_duplicate_email_is_65(ctl_db):
    email = unique_email("dup")
    account = create_user(ctl_db, email)
    fails(ctl(ctl_db, "users", "create", email, input=PASSWORD + "\n"), DATAERR)
    fails(ctl(ctl_db, "users", "create", f" {email.upper()}", input=NEW_PASSWORD + "\n"), DATAERR)
    assert ok_json(ctl(ctl_db, "users", "list", "--json")) == [account]


def test_users_create_without_password_on_stdin_is_66(ctl_db):
    fails(ctl(ctl_db, "users", "create", unique_email()), NOINPUT)  # stdin is empty
    assert emails_of(ctl_db) == []


def test_users_list_and_show_in_text_and_json(ctl_db):
    ann = create_user(ctl_db, unique_email("ann"))
    bob = create_user(ctl_db, unique_email("bob"))

    listed = ok_json(ctl(ctl_db, "users", "list", "--json"))
    assert isinstance(listed, list) and sorted(listed, key=lambda a: a["email"]) == sorted([ann, bob], key=lambda a: a["email"])
    text = ok(ctl(ctl_db, "users", "list"))
    for account in (ann, bob):
        line = next((ln for ln in text.splitlines() if account["id"] in ln), None)
        assert line is not None and account["email"] in line and "active" in line, text

    for name in (ann["email"], ann["email"].upper(), ann["id"]):  # by email (any case) or by id
        assert ok_json(ctl(ctl_db, "users", "show", name, "--json")) == ann, name
        text = ok(ctl(ctl_db, "users", "show", name))
        assert ann["id"] in text and ann["email"] in text and "active" in text and bob["email"] not in text, text

    fails(ctl(ctl_db, "users", "show", unique_email("nobody")), None)
    fails(ctl(ctl_db, "users", "show", str(uuid.uuid4())), None)


def test_disable_while_server_runs_ends_sessions_and_blocks_login_until_enable(server, ctl_db):
    email = unique_email("dis")
    account = create_user(ctl_db, email)
    tokens = login(server, email)
    assert_me(server, tokens["access_token"], 200)

    ok(ctl(ctl_db, "users", "disable", email))
    assert_me(server, tokens["access_token"], 401)
    assert_invalid_grant(server.refresh(tokens["refresh_token"]))
    assert_invalid_grant(server.login(email, PASSWORD))
    assert ok_json(ctl(ctl_db, "users", "show", account["id"], "--json"))["status"] == "disabled"
    assert ok_json(ctl(ctl_db, "sessions", "list", email, "--json")) == []

    ok(ctl(ctl_db, "users", "enable", email))
    assert ok_json(ctl(ctl_db, "users", "show", email, "--json"))["status"] == "active"
    fresh = login(server, email)
    assert_me(server, fresh["access_token"], 200)
    assert_me(server, tokens["access_token"], 401)  # enabling does not revive the ended sessions


def test_set_password_from_stdin_ends_sessions_and_the_new_password_works(server, ctl_db):
    email = unique_email("setpw")
    create_user(ctl_db, email)
    tokens = login(server, email)

    fails(ctl(ctl_db, "users", "set-password", email, input="password\n"), DATAERR)
    fails(ctl(ctl_db, "users", "set-password", email), NOINPUT)
    assert_me(server, tokens["access_token"], 200)  # the refused attempts changed nothing
    fails(ctl(ctl_db, "users", "set-password", unique_email("nobody"), input=NEW_PASSWORD + "\n"), None)

    r = ok(ctl(ctl_db, "users", "set-password", email, input=NEW_PASSWORD + "\n"))
    assert NEW_PASSWORD not in r
    assert_me(server, tokens["access_token"], 401)
    assert_invalid_grant(server.refresh(tokens["refresh_token"]))
    assert_invalid_grant(server.login(email, PASSWORD))
    assert_me(server, login(server, email, NEW_PASSWORD)["access_token"], 200)


def test_delete_ends_sessions_and_login(server, ctl_db):
    email = unique_email("del")
    keep = create_user(ctl_db, unique_email("keep"))
    account = create_user(ctl_db, email)
    tokens = login(server, email)

    ok(ctl(ctl_db, "users", "delete", account["id"]))
    assert_me(server, tokens["access_token"], 401)
    assert_invalid_grant(server.refresh(tokens["refresh_token"]))
    assert_invalid_grant(server.login(email, PASSWORD))
    fails(ctl(ctl_db, "users", "show", email), None)
    assert ok_json(ctl(ctl_db, "users", "list", "--json")) == [keep]
    fails(ctl(ctl_db, "users", "delete", email), None)  # already gone
