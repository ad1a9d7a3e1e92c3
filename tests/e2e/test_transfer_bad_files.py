"""End-to-end: `authctl import` of bad files (malformed records, bad hashes, duplicates, conflicts
with existing accounts, unknown formats, bad options) fails, names the bad lines and writes nothing.
Shared helpers: transfer_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import json

import pytest

from conftest import ok_json, show
from transfer_support import (DATAERR, PASSWORDS, bad_lines, cheap_hash, csv_text, ctl, import_file, jsonl, record,
                              unique_email, users_of)
from transfer_support import ctl_db, seeded  # noqa: F401  (pytest fixtures; seeded uses ctl_db)


def truncated(line: str) -> str:
    return line[: len(line) // 2]


BAD_FILES = {
    # name: (file text given (existing account, fresh records), format option, lines to be named)
    "truncated json line": (
        lambda ex, r: jsonl(r[0], r[1]) + truncated(json.dumps(r[2])), None, {3}),
    "truncated json line mid-file": (
        lambda ex, r: jsonl(r[0], truncated(json.dumps(r[1])), r[2]), None, {2}),
    "malformed hash": (
        lambda ex, r: jsonl(r[0], {**r[1], "password_hash": r[1]["password_hash"][:-20] + "!!!"}, r[2]), None, {2}),
    "hash of no known format": (
        lambda ex, r: jsonl(r[0], r[1], {**r[2], "password_hash": "plaintext-password"}), None, {3}),
    "argon2 hash with no tag": (
        lambda ex, r: jsonl({**r[0], "password_hash": "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ"}, r[1], r[2]),
        None, {1}),
    "bad line after blank lines": (
        lambda ex, r: jsonl(r[0]) + "\n  \n" + jsonl({**r[1], "id": "nope"}, r[2]), None, {4}),
    "bad uuid": (
        lambda ex, r: jsonl(r[0], {**r[1], "id": "not-a-uuid"}, r[2]), None, {2}),
    "duplicate email in the file": (
        lambda ex, r: jsonl(r[0], r[1], {**r[2], "email": r[0]["email"].upper()}), None, {3}),
    "duplicate id in the file": (
        lambda ex, r: jsonl(r[0], r[1], {**r[2], "id": r[1]["id"]}), None, {3}),
    "email already present": (
        lambda ex, r: jsonl(r[0], {**r[1], "email": ex["email"]}, r[2]), None, {2}),
    "id already present": (
        lambda ex, r: jsonl(r[0], r[1], {**r[2], "id": ex["id"]}), None, {3}),
    "two bad lines": (
        lambda ex, r: jsonl({**r[0], "id": "nope"}, r[1], {**r[2], "password_hash": "$argon2id$junk"}), None, {1, 3}),
    "csv malformed hash": (
        lambda ex, r: csv_text(r[0], r[1], {**r[2], "password_hash": "$argon2id$v=19$m=64,t=1,p=1$!!$!!"}),
        None, {4}),
    "csv bad uuid": (
        lambda ex, r: csv_text(r[0], {**r[1], "id": "1234"}, r[2]), None, {3}),
    "csv duplicate email": (
        lambda ex, r: csv_text(r[0], {**r[1], "email": r[0]["email"]}, r[2]), None, {3}),
    "csv email already present": (
        lambda ex, r: csv_text({**r[0], "email": ex["email"]}, r[1], r[2]), None, {2}),
    "csv truncated row": (
        lambda ex, r: csv_text(r[0], r[1]) + ",".join([r[2]["id"], r[2]["email"], "active"]) + "\n", None, {4}),
    "jsonl named csv": (lambda ex, r: jsonl(*r), "csv", {1}),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_65_names_the_lines_and_writes_nothing(seeded, tmp_path, case):
    db, existing = seeded
    make, fmt, expected_lines = BAD_FILES[case]
    records = [record(unique_email(f"bad{i}"), cheap_hash(PASSWORDS[0])) for i in range(3)]
    path = tmp_path / "bad.txt"
    path.write_text(make(existing, records))
    before = users_of(db)
    hashes_before = ok_json(ctl(db, "hashes", "--json"))

    args = ("--format", fmt) if fmt else ()
    for extra in ((), ("--dry-run",), ("--json",)):
        r = import_file(db, path, *args, *extra)
        assert bad_lines(r) == expected_lines, show(r)
        for h in (x["password_hash"] for x in records):
            assert h not in r.stderr, "a hash on stderr"
    assert users_of(db) == before
    assert ok_json(ctl(db, "hashes", "--json")) == hashes_before


@pytest.mark.parametrize("text", ["hello world\nthis is not an export\n", "", "id;email;password\n1;a@b.c;x\n"],
                         ids=["plain text", "empty", "semicolon separated"])
def test_unknown_format_is_65_with_a_format_message(seeded, tmp_path, text):
    db, _ = seeded
    before = users_of(db)
    path = tmp_path / "unknown.txt"
    path.write_text(text)
    r = import_file(db, path)
    assert r.returncode == DATAERR and r.stdout == "", show(r)
    assert "format" in r.stderr.splitlines()[-1], show(r)
    assert users_of(db) == before


def test_unknown_format_name_is_a_usage_error(seeded, tmp_path):
    db, _ = seeded
    path = tmp_path / "x.jsonl"
    path.write_text(jsonl(record()))
    r = import_file(db, path, "--format", "auth0-ish")
    assert r.returncode == 64 and r.stdout == "" and len(r.stderr.splitlines()) == 1, show(r)
    r = import_file(db, path, "--on-conflict", "merge")
    assert r.returncode == 64 and r.stdout == "" and len(r.stderr.splitlines()) == 1, show(r)
    r = import_file(db, tmp_path / "missing.jsonl")
    assert r.returncode == 66 and r.stdout == "" and len(r.stderr.splitlines()) == 1, show(r)
    assert len(users_of(db)) == 1
