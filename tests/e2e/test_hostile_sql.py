"""Black-box abuse tests (issue 5): SQL-looking strings in every token-service input are plain
data; no account or session is lost or exposed.
Shared helpers: hostile_support.py.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile_sql.py
"""

from __future__ import annotations

import urllib.parse
import uuid

from hostile_support import (PASSWORD, SQL_STRINGS, assert_serving, check_all, check_resp_error, signup_and_login,
                             timed, users_list)
from hostile_support import server  # noqa: F401  (pytest fixture)


def test_sql_looking_strings_are_plain_data(server):
    victim, tokens = signup_and_login(server)
    access = tokens["access_token"]
    before = users_list(server)
    assert victim in [u["email"] for u in before]

    cases = []
    for s in SQL_STRINGS:
        q = urllib.parse.quote(s, safe="")
        cases += [
            (f"signup email {s!r}", lambda s=s: server.signup(s, PASSWORD), [422], "invalid_email"),
            (f"login username {s!r}", lambda s=s: server.login(s, s), [400], "invalid_grant"),
            (f"login JSON username {s!r}", lambda s=s: server.login(s + "@example.com", PASSWORD, as_json=True),
             [400], "invalid_grant"),
            (f"login password {s!r}", lambda s=s: server.login(victim, s), [400], "invalid_grant"),
            (f"login victim + {s!r}", lambda s=s: server.login(victim + s, PASSWORD), [400], "invalid_grant"),
            (f"refresh {s!r}", lambda s=s: server.refresh(s), [400], "invalid_grant"),
            (f"grant_type {s!r}", lambda s=s: server.post("/v1/token", data={"grant_type": s}),
             [400], "unsupported_grant_type"),
            (f"bearer {s!r}", lambda s=s: server.me(s), [401], "invalid_token"),
            (f"session id {s!r}", lambda q=q: server.delete(f"/v1/sessions/{q}", access), [404], "not_found"),
            (f"current password {s!r}", lambda s=s: server.post(
                "/v1/password", access, json={"current_password": s, "new_password": "another fine pw"}),
             [400], "invalid_grant"),
            (f"logout scope {s!r}", lambda s=s: server.post("/v1/logout", access, json={"scope": s}),
             [400], "invalid_request"),
        ]

    def check(case):
        _, fn, statuses, code = case
        check_resp_error(timed(fn), statuses=statuses, code=code)
    check_all(cases, check)

    # RFC 7009: revoking any string is 200 {} (and must not revoke anything else).
    for s in SQL_STRINGS:
        r = server.post("/v1/revoke", data={"token": s})
        assert r.status_code == 200 and r.json() == {}, r.text
    assert server.me(access).status_code == 200
    assert server.refresh(tokens["refresh_token"]).status_code == 200

    # A well-formed email with SQL in its local part is plain data: stored as given (lowercased).
    sql_email = f"robert'); drop table accounts;--{uuid.uuid4().hex[:6]}@example.com"
    r = server.signup(sql_email, PASSWORD)
    if r.status_code == 201:
        assert r.json()["email"] == sql_email
        assert server.login(sql_email, PASSWORD).status_code == 200
    else:
        check_resp_error(r, statuses=[422], code="invalid_email")

    assert_serving(server)
    after = users_list(server)
    emails = [u["email"] for u in after]
    assert {u["email"] for u in before} <= set(emails), emails
    assert len(after) == len(before) + (2 if r.status_code == 201 else 1), emails  # + the assert_serving account
