"""End-to-end: `authctl export` details: a private (0600) output file replaced atomically, empty
databases, a bad format name, and consistent snapshots while AuthServer takes sign-ups.
Shared helpers: transfer_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import stat
import threading

import requests

from conftest import ok, show
from transfer_support import (CHEAP, PASSWORDS, ctl, export_records, init_db, parse_csv, parse_jsonl, unique_email,
                              users_of)
from transfer_support import ctl_db, seeded  # noqa: F401  (pytest fixtures; seeded uses ctl_db)


def test_export_file_is_0600_replaced_atomically_and_stdout_stays_empty(seeded, tmp_path, new_database):
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
    empty, key = init_db(new_database, tmp_path / "empty")
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
