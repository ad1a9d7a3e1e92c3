"""authctl keeps hashes off terminals and world-readable files, and the audit log names the OS
user who ran each admin command."""

from __future__ import annotations

import getpass
import json
import os
import subprocess

from conftest import AUTHCTL_BIN, ok, run_authctl, server_env
from store_support import database_env


def test_export_refuses_a_world_readable_file_and_warns_for_a_group_readable_one(auth_server, tmp_path):
    assert auth_server.signup("ada@example.com", "correct horse battery").status_code == 201
    for mode, refused in ((0o644, True), (0o640, False), (0o600, False)):
        target = tmp_path / f"export-{mode:o}.jsonl"
        target.touch()
        os.chmod(target, mode)
        with open(target, "w") as out:
            r = subprocess.run([str(AUTHCTL_BIN), "export", "--database", str(auth_server.db_path)], stdout=out,
                               stderr=subprocess.PIPE, text=True, env=server_env(database_env(auth_server.db_path)),
                               timeout=20)
        if refused:
            assert r.returncode == 64 and "everyone can read" in r.stderr and r.stderr.count("\n") == 1, r.stderr
            assert target.read_text() == ""
        else:
            assert r.returncode == 0, r.stderr
            assert ("group" in r.stderr) == (mode == 0o640), r.stderr
            assert "ada@example.com" in target.read_text()


def test_export_refuses_a_terminal(auth_server):
    import pty

    parent, child = pty.openpty()
    try:
        r = subprocess.run([str(AUTHCTL_BIN), "export", "--database", str(auth_server.db_path)], stdout=child,
                           stderr=subprocess.PIPE, text=True, env=server_env(database_env(auth_server.db_path)),
                           timeout=20)
    finally:
        os.close(child)
        os.close(parent)
    assert r.returncode == 64 and "terminal" in r.stderr, r.stderr


def test_the_audit_log_names_the_os_user_of_authctl(auth_server):
    assert run_authctl("users", "create", "bob@example.com", database=auth_server.db_path,
                       input="correct horse battery\n").returncode == 0
    r = run_authctl("users", "disable", "bob@example.com", database=auth_server.db_path, env={"SUDO_USER": "alice"})
    assert r.returncode == 0, r.stderr
    events = json.loads(ok(run_authctl("audit", "--json", database=auth_server.db_path)))
    agents = {e["event"]: e["user_agent"] for e in events if e["event"] in ("account_created", "account_disabled")}
    assert agents == {"account_created": f"authctl (user {getpass.getuser()})",
                      "account_disabled": f"authctl (user {getpass.getuser()}, sudo from alice)"}, events
