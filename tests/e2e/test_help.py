"""`--help` is generated from the settings each server reads: every setting the README documents
is listed, with its flag and default, and nothing starts."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import LISTINGS_SERVER_BIN, REPO_ROOT, SERVER_BIN, server_env


def documented(prefix: str) -> set[str]:
    """The variables of the README's configuration table with `prefix`."""
    table = (REPO_ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {name for name in re.findall(r"`([A-Z0-9_]+)`", table) if name.startswith(prefix)}


@pytest.mark.parametrize("binary, prefix", [(SERVER_BIN, "AUTH_"), (LISTINGS_SERVER_BIN, "LISTINGS_")])
def test_help_lists_every_documented_setting(tmp_path, binary, prefix):
    r = subprocess.run([str(binary), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=20,
                       env=server_env({prefix + "PORT": "1"}))
    assert r.returncode == 0, r.stderr
    listed = set(re.findall(rf"\b({prefix}[A-Z0-9_]+)\b", r.stdout))
    missing = documented(prefix) - listed
    assert not missing, f"--help does not list {sorted(missing)}"
    flag = "--" + "port"
    assert re.search(rf"{flag}, {prefix}PORT .*\[default: 808\d\]", r.stdout), r.stdout
    assert not list(tmp_path.iterdir()), "--help created files"
