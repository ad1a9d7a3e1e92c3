"""The systemd units in deploy/ are valid, and the token service's seccomp filter lets hashing
threads make the one scheduling call they need (SCHED_IDLE) instead of killing the service."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import LISTINGS_SERVER_BIN, REPO_ROOT, SERVER_BIN

UNITS = {"auth-server.service": ("/usr/local/bin/AuthServer", SERVER_BIN),
         "listings-server.service": ("/usr/local/bin/ListingsServer", LISTINGS_SERVER_BIN)}


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_systemd_analyze_verify_passes(tmp_path, unit):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing (make deps installs systemd)"
    installed, built = UNITS[unit]
    text = (REPO_ROOT / "deploy" / unit).read_text().replace(installed, str(built))
    (tmp_path / unit).write_text(text)
    r = subprocess.run([analyze, "verify", str(tmp_path / unit)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert unit not in r.stderr, r.stderr  # no warning about the unit itself


def test_hashing_threads_may_set_their_scheduling_policy():
    lines = [line.strip() for line in (REPO_ROOT / "deploy" / "auth-server.service").read_text().splitlines()]
    filters = [line.split("=", 1)[1] for line in lines if line.startswith("SystemCallFilter=")]
    # systemd applies the lines in order: @resources (which holds sched_setscheduler) is denied, then allowed again.
    denied = max(i for i, f in enumerate(filters) if f.startswith("~") and "@resources" in f)
    allowed = [i for i, f in enumerate(filters) if not f.startswith("~") and "sched_setscheduler" in f.split()]
    assert allowed and allowed[-1] > denied, filters
    assert "SystemCallErrorNumber=EPERM" in lines
    members = subprocess.run(["systemd-analyze", "syscall-filter", "@resources"], capture_output=True, text=True)
    assert "sched_setscheduler" in members.stdout
