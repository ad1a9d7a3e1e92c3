"""Shared helpers and fixtures for the test_transfer_*.py end-to-end tests of moving accounts out
of and into the token service: `authctl export`, `authctl import` and `authctl hashes`, alone and
with AuthServer running.

The contract is /work/shared/API.md ("Admin CLI (authctl)": export, import, hashes) and issue 4
("password hashes that move in and out with no resets"). Only this service's own export formats
(JSON Lines and CSV) and argon2 hashes are built so far; other systems' export formats and legacy
hash algorithms are not tested yet.

Hashes made "elsewhere" come from an independent argon2 implementation, Python `argon2-cffi`.
Not a test module; the tests import it as `from transfer_support import ...`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from pathlib import Path

import pytest
import requests
from argon2 import PasswordHasher, Type  # argon2-cffi, in tests/requirements.txt

from conftest import ok, ok_json, run_authctl, show

# The cheapest argon2id, for the CLI and for the servers alike: the configured cost of these tests.
CHEAP = {"AUTH_ARGON2_MEMORY_KIB": "64", "AUTH_ARGON2_ITERATIONS": "1"}
TARGET_PREFIX = "$argon2id$v=19$m=64,t=1,p=1$"
FIELDS = ["id", "email", "status", "created_at", "password_hash", "email_verified"]
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# Any standard password-hash string (PHC argon2/scrypt/pbkdf2, modular-crypt bcrypt/sha-crypt).
HASH_RE = re.compile(r"\$(argon2(id|i|d)|scrypt|pbkdf2[-\w]*|2[abxy]|[156])\$")
LINE_RE = re.compile(r"^line (\d+): \S")
DATAERR = 65

PASSWORDS = ["correct horse battery", "staple battery horse 2", "Tr0ub4dor & 3 more", "fjord quartz vexing"]


# --------------------------------------------------------------------------- helpers


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def ctl(db: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None,
        key_file: Path | None = None):
    """authctl ARGS --database DB (bounded). No run ever shows a password hash on stderr, nor on
    stdout unless it is an export to stdout."""
    if key_file is not None:
        args = (*args, "--key-file", str(key_file))
    r = run_authctl(*args, database=db, input=input, env={**CHEAP, **(env or {})}, timeout=20.0)
    assert not HASH_RE.search(r.stderr), f"authctl {' '.join(args)} printed a password hash on stderr: {r.stderr!r}"
    if not (args[0] == "export" and "--output" not in args):
        assert not HASH_RE.search(r.stdout), f"authctl {' '.join(args)} printed a password hash: {r.stdout!r}"
    return r


def users_of(db: Path, key_file: Path | None = None) -> list[dict]:
    return sorted(ok_json(ctl(db, "users", "list", "--json", key_file=key_file)), key=lambda a: a["id"])


def init_db(new_database, directory: Path) -> tuple[Path, Path]:
    """A fresh database of the test's store (the `new_database` fixture) made by `authctl init`, for
    its own directory; (database, key file)."""
    directory.mkdir(parents=True)
    db, key = new_database(directory, "auth.sqlite"), directory / "auth.key"
    ok(ctl(db, "init", key_file=key))
    return db, key


def parse_jsonl(text: str) -> list[dict]:
    """Every line of a JSON Lines export: one object with exactly the export's fields."""
    assert text == "" or text.endswith("\n"), f"export does not end with a newline: {text[-80:]!r}"
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        record = json.loads(line)
        assert isinstance(record, dict) and set(record) == set(FIELDS), f"line {number}: {line!r}"
        records.append(record)
    return records


def parse_csv(text: str) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows and rows[0] == FIELDS, f"CSV header: {rows[:1]!r}"
    for row in rows[1:]:
        assert len(row) == len(FIELDS), row
    records = [dict(zip(FIELDS, row)) for row in rows[1:]]
    for record in records:  # as JSON Lines has it, so the two formats compare equal
        assert record["email_verified"] in ("true", "false"), record
        record["email_verified"] = record["email_verified"] == "true"
    return records


def export_records(db: Path, fmt: str = "jsonl", key_file: Path | None = None) -> list[dict]:
    r = ctl(db, "export", "--format", fmt, key_file=key_file)
    text = ok(r)
    records = parse_jsonl(text) if fmt == "jsonl" else parse_csv(text)
    for record in records:
        assert UUID_RE.match(record["id"]) and RFC3339_UTC_RE.match(record["created_at"]), record
        assert record["status"] in ("active", "disabled"), record
    return records


def by_email(records: list[dict]) -> dict[str, dict]:
    return {r["email"]: r for r in records}


def jsonl(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def csv_text(*records: dict) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for r in records:
        writer.writerow([str(r.get(f, "")).lower() if f == "email_verified" else r[f] for f in FIELDS])
    return out.getvalue()


def record(email: str | None = None, password_hash: str | None = None, password: str = PASSWORDS[0],
           **fields) -> dict:
    """An account in the export format; the hash by default an argon2id one from argon2-cffi."""
    return {
        "id": str(uuid.uuid4()),
        "email": email or unique_email("imp"),
        "status": "active",
        "created_at": "2021-03-04T05:06:07Z",
        "password_hash": password_hash or cheap_hash(password),
        **fields,
    }


def cheap_hash(password: str) -> str:
    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID).hash(password)


def import_file(db: Path, path: Path, *args: str, key_file: Path | None = None, input: str | None = None):
    return ctl(db, "import", str(path), *args, key_file=key_file, input=input)


def bad_lines(r) -> set[int]:
    """Exit 65, nothing on stdout, each bad record as `line N: reason` and a final `authctl:` line
    on stderr; the line numbers named."""
    assert r.returncode == DATAERR, f"expected exit {DATAERR}; {show(r)}"
    assert r.stdout == "", show(r)
    lines = r.stderr.splitlines()
    assert lines and lines[-1].startswith("authctl: ") and lines[-1][len("authctl: "):].strip(), show(r)
    named = set()
    for line in lines[:-1]:
        m = LINE_RE.match(line)
        assert m, f"stderr line is not `line N: reason`: {line!r}; {show(r)}"
        named.add(int(m.group(1)))
    return named


def login(server, email: str, password: str) -> dict:
    r = server.login(email, password)
    assert r.status_code == 200, f"login {email}: {r.status_code} {r.text}"
    return r.json()


def assert_invalid_grant(resp: requests.Response) -> None:
    assert resp.status_code == 400, f"{resp.status_code} {resp.text}"
    assert resp.json().get("error") == "invalid_grant", resp.text


def server_on(factory, db: Path, key: Path, name: str):
    """A token service (at the tests' cheap cost) on a database made by authctl."""
    return factory({**CHEAP, "AUTH_DATABASE": str(db), "AUTH_KEY_FILE": str(key)}, name=name)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def ctl_db(tmp_path, new_database) -> Path:
    """A database made by `authctl init`, with its key file (auth.key) next to it."""
    db, _ = init_db(new_database, tmp_path / "auth")
    return db


@pytest.fixture
def seeded(ctl_db) -> tuple[Path, dict]:
    """ctl_db with one account (created by authctl) that files may conflict with; (db, account)."""
    email = unique_email("existing")
    account = ok_json(ctl(ctl_db, "users", "create", email, "--json", input=PASSWORDS[0] + "\n"))
    return ctl_db, account
