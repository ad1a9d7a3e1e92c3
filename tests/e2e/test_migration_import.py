"""`authctl import --format cognito` (issue 16; API.md, "Moving in from a system that keeps its
hashes"): the output of `aws cognito-idp list-users` from moto (pages concatenated as the CLI
prints them, JSON Lines, boto3's raw JSON with epoch dates) becomes accounts with id = sub, the
email, email_verified, status and created_at, and no hash: `authctl hashes` counts them as
awaiting migration, `authctl export` writes their hash as null (JSON Lines) or empty (CSV), and an
export of such accounts imports as such. A user without email or sub fails the whole import.
Shared helpers: migration_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e -k migration
"""

from __future__ import annotations

import json
import re

from conftest import ok, ok_json, show
from migration_support import (attribute, awaiting, cli_json, create_date, import_cognito, parse_rfc3339,
                               unique_email, users_by_email)
from migration_support import moto, pool  # noqa: F401  (pytest fixtures)
from transfer_support import bad_lines, ctl, export_records, import_file, init_db, users_of
from transfer_support import ctl_db  # noqa: F401  (pytest fixture)


def populate(pool) -> list[dict]:
    """Users of every kind the import maps; returns list-users' users."""
    pool.add_user(verified=True)
    pool.add_user(verified=False)
    pool.add_user(status="FORCE_CHANGE_PASSWORD", verified=True)
    pool.add_user(enabled=False, verified=False)
    return pool.users()


def assert_imported(db, users: list[dict]) -> None:
    """Each Cognito user is an account with its sub, email, email_verified, status and creation time."""
    accounts = users_by_email(db)
    for user in users:
        account = accounts[attribute(user, "email").lower()]
        assert account["id"] == attribute(user, "sub"), (account, user)
        assert account["email_verified"] is (attribute(user, "email_verified") == "true"), (account, user)
        assert account["status"] == ("active" if user["Enabled"] else "disabled"), (account, user)
        created = parse_rfc3339(account["created_at"])
        assert account["created_at"].endswith("Z") and abs((created - create_date(user)).total_seconds()) < 1, \
            (account, user["UserCreateDate"])


def test_list_users_pages_as_the_cli_prints_them(ctl_db, pool, tmp_path):
    mixed, _ = pool.add_user(unique_email("Mixed.Case").replace("example.com", "Example.COM"))
    users = populate(pool)
    pages = pool.pages(limit=1)
    assert len(pages) >= 4  # one user a page, several pages concatenated
    path = tmp_path / "list-users.json"
    path.write_text("".join(cli_json(page) for page in pages))
    existing = ok_json(ctl(ctl_db, "users", "create", "here@example.com", "--json", input="correct horse battery\n"))

    summary = ok_json(import_cognito(ctl_db, path, "--json"))
    assert summary["created"] == 5 and summary["dry_run"] is False, summary
    assert summary.get("format") == "cognito", summary
    assert_imported(ctl_db, users)  # the mixed-case email stored lowercase
    assert len(users_of(ctl_db)) == 6 and users_by_email(ctl_db)["here@example.com"] == existing
    assert mixed.lower() in users_by_email(ctl_db)

    assert awaiting(ctl_db) == 5  # the account made here has a hash
    text = ok(ctl(ctl_db, "hashes"))
    assert re.search(r"\b5\b", text) and "migrat" in text.lower(), text
    for fmt, empty in (("jsonl", None), ("csv", "")):
        hashes = {x["email"]: x["password_hash"] for x in export_records(ctl_db, fmt)}
        assert all(hashes[attribute(u, "email").lower()] == empty for u in users), hashes
        assert hashes["here@example.com"].startswith("$argon2id$")


def test_json_lines_of_pages_or_of_users(ctl_db, pool, tmp_path, new_database):
    users = populate(pool)
    by_page = tmp_path / "pages.jsonl"
    by_page.write_text("".join(json.dumps(page, default=lambda o: o.isoformat()) + "\n" for page in pool.pages(2)))
    by_user = tmp_path / "users.jsonl"
    by_user.write_text("".join(json.dumps(user, default=lambda o: o.isoformat()) + "\n" for user in users))

    assert ok_json(import_cognito(ctl_db, by_page, "--json"))["created"] == 4
    assert_imported(ctl_db, users)
    other, _ = init_db(new_database, tmp_path / "other")
    assert ok_json(import_cognito(other, by_user, "--json"))["created"] == 4
    assert users_of(other) == users_of(ctl_db)


def test_dates_as_python_prints_them(ctl_db, pool, tmp_path):
    """Pages saved by a boto3 script with json.dumps(page, default=str): "2026-01-02 03:04:05.678000+00:00",
    RFC 3339's own note allows the space for the T."""
    users = populate(pool)
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(page, default=str) + "\n" for page in pool.pages(2)))
    assert " " in json.loads(path.read_text().splitlines()[0])["Users"][0]["UserCreateDate"]
    assert ok_json(import_cognito(ctl_db, path, "--json"))["created"] == 4
    assert_imported(ctl_db, users)


def test_raw_json_with_epoch_dates(ctl_db, pool, tmp_path):
    users = populate(pool)
    raw = pool.raw_pages(limit=3)
    assert isinstance(raw[0]["Users"][0]["UserCreateDate"], (int, float)), raw[0]
    path = tmp_path / "raw.json"
    path.write_text("".join(json.dumps(page) + "\n" for page in raw))
    assert ok_json(import_cognito(ctl_db, path, "--json"))["created"] == 4
    assert_imported(ctl_db, users)


def test_dry_run_counts_and_writes_nothing(ctl_db, pool, tmp_path):
    populate(pool)
    path = tmp_path / "list-users.json"
    path.write_text("".join(cli_json(page) for page in pool.pages(3)))
    summary = ok_json(import_cognito(ctl_db, path, "--dry-run", "--json"))
    assert summary["dry_run"] is True and summary["created"] == 4, summary
    assert users_of(ctl_db) == [] and awaiting(ctl_db) == 0
    r = import_cognito(ctl_db, path, "--dry-run")
    assert r.returncode == 0, show(r)
    assert users_of(ctl_db) == []


def test_a_user_without_email_or_sub_fails_the_whole_import(ctl_db, pool, tmp_path):
    users = populate(pool)
    no_email = {**users[1], "Attributes": [a for a in users[1]["Attributes"] if a["Name"] != "email"]}
    no_sub = {**users[3], "Attributes": [a for a in users[3]["Attributes"] if a["Name"] != "sub"]}
    lines = [users[0], no_email, users[2], no_sub]
    path = tmp_path / "users.jsonl"
    path.write_text("".join(json.dumps(u, default=lambda o: o.isoformat()) + "\n" for u in lines))
    assert bad_lines(import_cognito(ctl_db, path)) == {2, 4}
    assert bad_lines(import_cognito(ctl_db, path, "--dry-run")) == {2, 4}

    pages = tmp_path / "pages.json"  # the same in the CLI's page format: refused, whatever line it names
    pages.write_text(cli_json({"Users": users[:2]}) + cli_json({"Users": [users[2], no_sub]}))
    r = import_cognito(ctl_db, pages)
    assert r.returncode == 65 and r.stdout == "", show(r)
    assert users_of(ctl_db) == [] and awaiting(ctl_db) == 0


def test_an_export_of_accounts_awaiting_migration_imports_as_such(ctl_db, pool, tmp_path, new_database):
    users = populate(pool)
    path = tmp_path / "list-users.json"
    path.write_text("".join(cli_json(page) for page in pool.pages(2)))
    ok(import_cognito(ctl_db, path))
    for fmt in ("jsonl", "csv"):
        exported = tmp_path / f"export.{fmt}"
        ok(ctl(ctl_db, "export", "--format", fmt, "--output", str(exported)))
        other, _ = init_db(new_database, tmp_path / f"from-{fmt}")
        summary = ok_json(import_file(other, exported, "--json"))
        assert summary["created"] == 4 and summary["format"] == fmt, summary
        assert users_of(other) == users_of(ctl_db)
        assert awaiting(other) == 4
        assert all(x["password_hash"] in (None, "") for x in export_records(other, fmt))
    assert_imported(ctl_db, users)
