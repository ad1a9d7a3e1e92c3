"""Black-box end-to-end tests of moving accounts out of and into the token service:
`authctl export`, `authctl import` and `authctl hashes`, alone and with AuthServer running.

The contract is /work/shared/API.md ("Admin CLI (authctl)": export, import, hashes) and issue 4
("password hashes that move in and out with no resets"). Only this service's own export formats
(JSON Lines and CSV) and argon2 hashes are built so far; other systems' export formats and legacy
hash algorithms are not tested here yet.

Hashes made "elsewhere" come from an independent argon2 implementation, Python `argon2-cffi`, and
exported argon2id hashes are verified with it.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import threading
import uuid
from pathlib import Path

import pytest
import requests
from argon2 import PasswordHasher, Type  # argon2-cffi, in tests/requirements.txt
from argon2.exceptions import VerifyMismatchError

from conftest import ok, ok_json, run_authctl, show

# The cheapest argon2id, for the CLI and for the servers alike: the configured cost of these tests.
CHEAP = {"AUTH_ARGON2_MEMORY_KIB": "64", "AUTH_ARGON2_ITERATIONS": "1"}
TARGET_PREFIX = "$argon2id$v=19$m=64,t=1,p=1$"
FIELDS = ["id", "email", "status", "created_at", "password_hash"]
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


def init_db(directory: Path) -> tuple[Path, Path]:
    """A fresh database made by `authctl init` in its own directory; (database, key file)."""
    directory.mkdir(parents=True)
    db, key = directory / "auth.sqlite", directory / "auth.key"
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
    return [dict(zip(FIELDS, row)) for row in rows[1:]]


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
        writer.writerow([r[f] for f in FIELDS])
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
def ctl_db(tmp_path) -> Path:
    """A database made by `authctl init`, with its key file (auth.key) next to it."""
    db, _ = init_db(tmp_path / "auth")
    return db


@pytest.fixture
def seeded(ctl_db) -> tuple[Path, dict]:
    """ctl_db with one account (created by authctl) that files may conflict with; (db, account)."""
    email = unique_email("existing")
    account = ok_json(ctl(ctl_db, "users", "create", email, "--json", input=PASSWORDS[0] + "\n"))
    return ctl_db, account


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_round_trip_keeps_every_login_id_created_at_and_status(auth_server_factory, tmp_path, fmt):
    a = auth_server_factory(CHEAP, name="a")
    emails = [unique_email(f"rt{i}") for i in range(4)]
    accounts = {}
    for email, password in zip(emails, PASSWORDS):
        r = a.signup(email, password)
        assert r.status_code == 201, r.text
        accounts[email] = r.json()
    disabled = emails[3]
    ok(ctl(a.db_path, "users", "disable", disabled))

    out = tmp_path / f"export.{fmt}"
    r = ctl(a.db_path, "export", "--format", fmt, "--output", str(out))
    assert r.returncode == 0 and r.stdout == "", show(r)  # the data went to the file
    text = out.read_text()
    exported = parse_jsonl(text) if fmt == "jsonl" else parse_csv(text)
    assert exported == export_records(a.db_path, fmt)  # the same as on stdout
    assert sorted(x["email"] for x in exported) == sorted(emails)
    for x in exported:
        account = accounts[x["email"]]
        assert (x["id"], x["created_at"]) == (account["id"], account["created_at"]), x
        assert x["status"] == ("disabled" if x["email"] == disabled else "active"), x
        assert x["password_hash"].startswith(TARGET_PREFIX), x["email"]

    db, key = init_db(tmp_path / "b")
    summary = ok_json(ctl(db, "import", str(out), "--json", key_file=key))
    assert summary["created"] == 4 and summary["updated"] == 0 and summary["skipped"] == 0, summary
    assert export_records(db, fmt, key) == exported  # the very same records, hashes included

    b = server_on(auth_server_factory, db, key, "b")
    for email, password in zip(emails[:3], PASSWORDS):
        tokens = login(b, email, password)
        me = b.me(tokens["access_token"])
        assert me.status_code == 200, me.text
        assert me.json()["id"] == accounts[email]["id"], me.json()
        assert me.json()["created_at"] == accounts[email]["created_at"], me.json()
        assert_invalid_grant(b.login(email, PASSWORDS[-1]))  # and a wrong password still fails
    assert_invalid_grant(b.login(disabled, PASSWORDS[3]))  # disabled stays disabled
    for srv in (a, b):
        assert not HASH_RE.search(srv.stderr()), f"{srv.name} logged a password hash"
    assert {u["email"]: u["status"] for u in users_of(db, key)}[disabled] == "disabled"


def test_exported_argon2id_hash_verifies_with_argon2_cffi(ctl_db):
    email = unique_email("cffi")
    ok(ctl(ctl_db, "users", "create", email, input=PASSWORDS[2] + "\n"))
    (x,) = export_records(ctl_db)
    assert x["email"] == email and x["password_hash"].startswith(TARGET_PREFIX), x["email"]
    ph = PasswordHasher()
    assert ph.verify(x["password_hash"], PASSWORDS[2]) is True
    with pytest.raises(VerifyMismatchError):
        ph.verify(x["password_hash"], PASSWORDS[1])
    (y,) = export_records(ctl_db, "csv")
    assert y == x


# --------------------------------------------------------------------------- foreign argon2 hashes


FOREIGN = {
    "argon2id t=2,m=1024,p=2": (Type.ID, 2, 1024, 2, "argon2id m=1024,t=2,p=2"),
    "argon2i t=2,m=256,p=1": (Type.I, 2, 256, 1, "argon2i m=256,t=2,p=1"),
    "argon2d t=1,m=128,p=1": (Type.D, 1, 128, 1, "argon2d m=128,t=1,p=1"),
}


def test_foreign_argon2_hashes_log_in_are_due_and_are_upgraded_on_login(auth_server_factory, ctl_db, tmp_path):
    users = []  # (email, password, hash, profile)
    for (kind, t, m, p, profile), password in zip(FOREIGN.values(), PASSWORDS[1:]):
        h = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p, type=kind).hash(password)
        users.append((unique_email(profile.split()[0]), password, h, profile))
    current = unique_email("current")
    ok(ctl(ctl_db, "users", "create", current, input=PASSWORDS[0] + "\n"))  # already at the target cost

    path = tmp_path / "foreign.jsonl"
    path.write_text(jsonl(*(record(email, h) for email, _, h, _ in users)))
    summary = ok_json(import_file(ctl_db, path, "--json"))
    assert summary["created"] == 3, summary
    assert summary["hashes"] == {profile: 1 for *_, profile in users}, summary

    report = ok_json(ctl(ctl_db, "hashes", "--json"))
    assert report["due_for_upgrade"] == 3, report
    assert report["profiles"] == {**{profile: 1 for *_, profile in users}, "argon2id m=64,t=1,p=1": 1}, report
    text = ok(ctl(ctl_db, "hashes"))
    assert "argon2i m=256,t=2,p=1" in text and re.search(r"\b3\b.*due", text), text
    # The configured cost comes from AUTH_ARGON2_*: at another cost every hash is due.
    assert ok_json(ctl(ctl_db, "hashes", "--json", env={"AUTH_ARGON2_ITERATIONS": "2"}))["due_for_upgrade"] == 4

    server = server_on(auth_server_factory, ctl_db, ctl_db.parent / "auth.key", "auth")
    stored = {x["email"]: x["password_hash"] for x in export_records(ctl_db)}
    for email, password, h, _ in users:
        assert stored[email] == h  # imported verbatim
        assert_invalid_grant(server.login(email, PASSWORDS[0]))  # a failed login changes nothing
        assert by_email(export_records(ctl_db))[email]["password_hash"] == h

    for done, (email, password, h, _) in enumerate(users, 1):
        tokens = login(server, email, password)
        assert server.me(tokens["access_token"]).status_code == 200
        new = by_email(export_records(ctl_db))[email]["password_hash"]
        assert new != h and new.startswith(TARGET_PREFIX), f"{email} not upgraded to {TARGET_PREFIX}"
        assert PasswordHasher().verify(new, password)
        assert ok_json(ctl(ctl_db, "hashes", "--json"))["due_for_upgrade"] == 3 - done
        login(server, email, password)  # the upgraded hash works

    assert not HASH_RE.search(server.stderr()), "AuthServer logged a password hash"
    report = ok_json(ctl(ctl_db, "hashes", "--json"))
    assert report == {"due_for_upgrade": 0, "profiles": {"argon2id m=64,t=1,p=1": 4},
                      "target": "argon2id m=64,t=1,p=1"}, report


# --------------------------------------------------------------------------- bad files


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


# --------------------------------------------------------------------------- export details


def test_export_file_is_0600_replaced_atomically_and_stdout_stays_empty(seeded, tmp_path):
    db, existing = seeded
    out = tmp_path / "out" / "accounts.jsonl"
    out.parent.mkdir()
    r = ctl(db, "export", "--output", str(out))
    assert r.returncode == 0 and r.stdout == "", show(r)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600, oct(out.stat().st_mode)
    assert [x["id"] for x in parse_jsonl(out.read_text())] == [existing["id"]]

    # An existing, world-readable file is replaced by a private one.
    csv_out = out.parent / "accounts.csv"
    csv_out.write_text("old content\n")
    csv_out.chmod(0o644)
    ok(ctl(db, "export", "--format", "csv", "--output", str(csv_out)))
    assert stat.S_IMODE(csv_out.stat().st_mode) == 0o600, oct(csv_out.stat().st_mode)
    assert [x["id"] for x in parse_csv(csv_out.read_text())] == [existing["id"]]
    assert sorted(p.name for p in out.parent.iterdir()) == ["accounts.csv", "accounts.jsonl"]  # no leftovers

    # An empty database exports nothing (CSV: the header only).
    empty, key = init_db(tmp_path / "empty")
    assert ok(ctl(empty, "export", key_file=key)) == ""
    assert parse_csv(ok(ctl(empty, "export", "--format", "csv", key_file=key))) == []

    r = ctl(db, "export", "--format", "xml")
    assert r.returncode == 64 and r.stdout == "", show(r)


def test_export_while_the_server_takes_signups_is_a_consistent_snapshot(auth_server_factory, tmp_path):
    server = auth_server_factory(CHEAP, name="busy")
    db = server.db_path
    for i in range(3):
        assert server.signup(unique_email(f"pre{i}"), PASSWORDS[0]).status_code == 201
    before = len(users_of(db))

    failures: list[str] = []
    stop = threading.Event()

    def sign_up():
        for i in range(30):
            if stop.is_set():
                return
            try:
                r = server.signup(unique_email(f"bg{i}"), PASSWORDS[i % len(PASSWORDS)])
                if r.status_code != 201:
                    failures.append(f"{r.status_code} {r.text}")
            except requests.RequestException as e:  # recorded, not raised in the thread
                failures.append(repr(e))

    worker = threading.Thread(target=sign_up, daemon=True)
    worker.start()
    exports = []
    try:
        for n in range(40):  # bounded: exports while the sign-ups go on (at least two)
            fmt = "jsonl" if n % 2 == 0 else "csv"
            out = tmp_path / f"snap{n}.{fmt}"
            ok(ctl(db, "export", "--format", fmt, "--output", str(out)))
            text = out.read_text()
            exports.append(parse_jsonl(text) if fmt == "jsonl" else parse_csv(text))
            exports.append(export_records(db, fmt))  # and to stdout
            if not worker.is_alive() and n >= 1:
                break
    except BaseException:
        stop.set()  # a failing test does not wait for the remaining sign-ups
        raise
    finally:
        worker.join(timeout=30)
    assert not worker.is_alive(), "the sign-up thread did not finish"
    assert failures == [], failures
    final = users_of(db)
    after = len(final)
    assert after == before + 30
    final_ids = {u["id"]: u for u in final}
    for snapshot in exports:
        ids = [x["id"] for x in snapshot]
        assert before <= len(ids) <= after, (before, len(ids), after)
        assert len(set(ids)) == len(ids), "an account exported twice"
        for x in snapshot:
            account = final_ids.get(x["id"])
            assert account is not None and account["email"] == x["email"], x["email"]
            assert x["created_at"] == account["created_at"] and x["password_hash"].startswith("$argon2id$"), x["email"]
    # The last export, taken after the sign-ups, has everyone.
    assert len(export_records(db)) == after
