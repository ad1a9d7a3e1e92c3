"""End-to-end: `authctl import` options and sources: --on-conflict skip/update, --dry-run, import
from stdin, and files with CRLF line endings.
Shared helpers: transfer_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher, Type  # argon2-cffi, in tests/requirements.txt

from conftest import ok_json, show
from transfer_support import (PASSWORDS, assert_invalid_grant, bad_lines, cheap_hash, csv_text, ctl, export_records,
                              import_file, jsonl, login, record, server_on, users_of)
from transfer_support import ctl_db, seeded  # noqa: F401  (pytest fixtures; seeded uses ctl_db)


# --------------------------------------------------------------------------- conflicts


def test_on_conflict_skip_keeps_the_existing_account(auth_server_factory, seeded, tmp_path):
    db, existing = seeded
    fresh = record(password=PASSWORDS[1])
    clash = record(existing["email"].upper(), password=PASSWORDS[2])  # the same email, another id and hash
    path = tmp_path / "skip.jsonl"
    path.write_text(jsonl(fresh, clash))

    summary = ok_json(import_file(db, path, "--on-conflict", "skip", "--json"))
    assert (summary["created"], summary["updated"], summary["skipped"]) == (1, 0, 1), summary
    users = {u["email"]: u for u in users_of(db)}
    assert set(users) == {existing["email"], fresh["email"]}
    assert users[existing["email"]] == existing  # untouched
    assert users[fresh["email"]]["id"] == fresh["id"]
    assert users[fresh["email"]]["created_at"] == fresh["created_at"]

    server = server_on(auth_server_factory, db, db.parent / "auth.key", "auth")
    login(server, existing["email"], PASSWORDS[0])
    assert_invalid_grant(server.login(existing["email"], PASSWORDS[2]))
    login(server, fresh["email"], PASSWORDS[1])

    # A second run of the same file: everything exists now.
    summary = ok_json(import_file(db, path, "--on-conflict", "skip", "--json"))
    assert (summary["created"], summary["updated"], summary["skipped"]) == (0, 0, 2), summary


def test_on_conflict_update_replaces_the_hash_and_status(auth_server_factory, seeded, tmp_path):
    db, existing = seeded
    server = server_on(auth_server_factory, db, db.parent / "auth.key", "auth")
    login(server, existing["email"], PASSWORDS[0])

    (mine,) = export_records(db)
    fresh = record(password=PASSWORDS[3])
    path = tmp_path / "update.csv"
    path.write_text(csv_text({**mine, "password_hash": cheap_hash(PASSWORDS[1])}, fresh))

    r = import_file(db, path)  # the default policy is fail
    assert bad_lines(r) == {2}, show(r)
    assert users_of(db) == [existing]

    summary = ok_json(import_file(db, path, "--on-conflict", "update", "--json"))
    assert (summary["created"], summary["updated"], summary["skipped"]) == (1, 1, 0), summary
    assert summary["format"] == "csv", summary
    assert_invalid_grant(server.login(existing["email"], PASSWORDS[0]))  # the old password is gone
    login(server, existing["email"], PASSWORDS[1])
    login(server, fresh["email"], PASSWORDS[3])
    users = {u["email"]: u for u in users_of(db)}
    assert users[existing["email"]] == existing  # same id, created_at, status

    # update also takes the file's status; disabling ends the account's sessions (as `users disable` does)
    tokens = login(server, existing["email"], PASSWORDS[1])
    assert server.me(tokens["access_token"]).status_code == 200
    path.write_text(csv_text({**mine, "status": "disabled", "password_hash": cheap_hash(PASSWORDS[1])}))
    summary = ok_json(import_file(db, path, "--on-conflict", "update", "--json"))
    assert summary["updated"] == 1, summary
    assert_invalid_grant(server.login(existing["email"], PASSWORDS[1]))
    assert server.me(tokens["access_token"]).status_code == 401
    assert_invalid_grant(server.refresh(tokens["refresh_token"]))
    assert {u["email"]: u["status"] for u in users_of(db)}[existing["email"]] == "disabled"


# --------------------------------------------------------------------------- dry run, stdin


def test_dry_run_reports_counts_and_writes_nothing(seeded, tmp_path):
    db, existing = seeded
    records = [record() for _ in range(3)]
    i_hash = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.I).hash(PASSWORDS[1])
    records.append(record(password_hash=i_hash))
    clash = record(existing["email"])
    path = tmp_path / "dry.jsonl"
    path.write_text(jsonl(*records, clash))
    before, export_before = users_of(db), export_records(db)

    summary = ok_json(import_file(db, path, "--dry-run", "--on-conflict", "skip", "--json"))
    assert summary["dry_run"] is True, summary
    assert (summary["created"], summary["updated"], summary["skipped"]) == (4, 0, 1), summary
    assert summary["format"] == "jsonl", summary
    assert sum(summary["hashes"].values()) == 5 and summary["hashes"].get("argon2i m=64,t=1,p=1") == 1, summary
    r = import_file(db, path, "--dry-run", "--on-conflict", "skip")  # text mode
    assert r.returncode == 0 and re.search(r"\b4\b", r.stdout + r.stderr), show(r)
    r = import_file(db, path, "--dry-run")  # the conflict fails the dry run too
    assert bad_lines(r) == {5}, show(r)
    assert users_of(db) == before and export_records(db) == export_before

    summary = ok_json(import_file(db, path, "--on-conflict", "skip", "--json"))  # and for real
    assert summary["dry_run"] is False and (summary["created"], summary["skipped"]) == (4, 1), summary
    assert len(users_of(db)) == 5


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_import_from_stdin(auth_server_factory, ctl_db, fmt):
    records = [record(password=PASSWORDS[i]) for i in range(2)]
    text = jsonl(*records) if fmt == "jsonl" else csv_text(*records)
    summary = ok_json(ctl(ctl_db, "import", "-", "--json", input=text))
    assert summary["created"] == 2 and summary["format"] == fmt, summary
    assert {(u["id"], u["email"], u["created_at"]) for u in users_of(ctl_db)} == \
        {(x["id"], x["email"], x["created_at"]) for x in records}
    server = server_on(auth_server_factory, ctl_db, ctl_db.parent / "auth.key", "auth")
    for x, password in zip(records, PASSWORDS):
        login(server, x["email"], password)

    # A bad record from stdin is named the same way.
    r = ctl(ctl_db, "import", "-", "--format", fmt,
            input=(jsonl(record(), {**record(), "id": "x"}) if fmt == "jsonl" else csv_text(record(), {**record(), "id": "x"})))
    assert bad_lines(r) == ({2} if fmt == "jsonl" else {3}), show(r)
    assert len(users_of(ctl_db)) == 2


def test_jsonl_with_crlf_line_endings_imports_and_names_lines(ctl_db, tmp_path):
    """An export that went through a Windows editor or a CRLF checkout is still JSON Lines: the
    format allows CRLF line breaks (jsonlines.org: "\\r\\n is also supported because surrounding
    white space is implicitly ignored when parsing JSON values"). CSV with CRLF (RFC 4180's own line
    break) imports; JSON Lines must too, and a bad record is named by its own line, not line 1."""
    records = [record() for _ in range(3)]
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(jsonl(records[0], {**records[1], "id": "nope"}, records[2]).replace("\n", "\r\n").encode())
    assert bad_lines(import_file(ctl_db, path)) == {2}
    path.write_bytes(jsonl(*records).replace("\n", "\r\n").encode())
    summary = ok_json(import_file(ctl_db, path, "--json"))
    assert summary["created"] == 3, summary
    assert {u["id"] for u in users_of(ctl_db)} == {x["id"] for x in records}


def test_csv_with_crlf_line_endings_imports(ctl_db, tmp_path):
    records = [record() for _ in range(2)]
    path = tmp_path / "crlf.csv"
    path.write_bytes(csv_text(*records).replace("\n", "\r\n").encode())
    assert ok_json(import_file(ctl_db, path, "--json"))["created"] == 2
    assert {u["id"] for u in users_of(ctl_db)} == {x["id"] for x in records}
