"""End-to-end: accounts exported by `authctl export` (JSON Lines and CSV) from one token service and
imported by `authctl import` into another keep their logins, ids, created_at and status.
Shared helpers: transfer_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import pytest

from conftest import ok, ok_json, show
from transfer_support import (CHEAP, HASH_RE, PASSWORDS, TARGET_PREFIX, assert_invalid_grant, ctl, export_records,
                              init_db, login, parse_csv, parse_jsonl, server_on, unique_email, users_of)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_round_trip_keeps_every_login_id_created_at_and_status(auth_server_factory, tmp_path, fmt, new_database):
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

    db, key = init_db(new_database, tmp_path / "b")
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
