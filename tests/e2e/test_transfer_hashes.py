"""End-to-end: argon2 hashes across systems. Exported argon2id hashes verify with argon2-cffi;
argon2 hashes made elsewhere (argon2-cffi, other variants and costs) import verbatim, log in, are
reported as due by `authctl hashes` and are upgraded to the configured cost on login.
Shared helpers: transfer_support.py. Run with:  cd /work/main && python3 -m pytest -q tests/e2e
"""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher, Type  # argon2-cffi, in tests/requirements.txt
from argon2.exceptions import VerifyMismatchError

from conftest import ok, ok_json
from transfer_support import (HASH_RE, PASSWORDS, TARGET_PREFIX, assert_invalid_grant, by_email, ctl, export_records,
                              import_file, jsonl, login, record, server_on, unique_email)
from transfer_support import ctl_db  # noqa: F401  (pytest fixture)


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
    assert report == {"due_for_upgrade": 0, "awaiting_migration": 0, "profiles": {"argon2id m=64,t=1,p=1": 4},
                      "target": "argon2id m=64,t=1,p=1"}, report
