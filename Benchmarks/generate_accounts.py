#!/usr/bin/env python3
"""Writes N accounts in authctl's JSON Lines format, with real-format argon2id hashes (PHC strings
with random salt and digest bytes: the shape and size of real ones, though no password matches).

usage: generate_accounts.py N OUTPUT
"""

from __future__ import annotations

import base64
import os
import sys
import uuid


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def main() -> None:
    count, output = int(sys.argv[1]), sys.argv[2]
    random = os.urandom(48 * count)
    with open(output, "w", encoding="utf-8") as out:
        for i in range(count):
            chunk = random[48 * i:48 * (i + 1)]
            phc = f"$argon2id$v=19$m=65536,t=3,p=1${b64(chunk[:16])}${b64(chunk[16:])}"
            out.write(f'{{"id":"{uuid.UUID(bytes=chunk[:16], version=4)}","email":"user{i}@example.com",'
                      f'"status":"active","created_at":"2026-01-02T03:04:05Z","password_hash":"{phc}"}}\n')


if __name__ == "__main__":
    main()
