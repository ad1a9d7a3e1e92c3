"""Black-box abuse tests (issue 5): invalid UTF-8 and NUL bytes in JSON and form bodies, bearer
tokens, paths and the User-Agent are 4xx errors or plain data, never a 5xx.
Shared helpers: hostile_support.py.
Run with:  cd /work/main && python3 -m pytest -q tests/e2e/test_hostile_encodings.py
"""

from __future__ import annotations

import json
import urllib.parse
import uuid

from conftest import assert_json_error, run_authctl
from hostile_support import (PASSWORD, assert_serving, check_all, check_raw_error, check_resp_error, http_bytes,
                             raw_request, signup_and_login, timed, unique_email)
from hostile_support import server  # noqa: F401  (pytest fixture)


def test_invalid_utf8_and_nul_bytes(server):
    email, _ = signup_and_login(server)
    json_ct = {"Content-Type": "application/json"}
    form_ct = {"Content-Type": "application/x-www-form-urlencoded"}
    valid_pw = PASSWORD.encode()

    def signup_raw(email_bytes: bytes, password_bytes: bytes = valid_pw):
        return server.post("/v1/accounts", data=b'{"email":"' + email_bytes + b'","password":"'
                                + password_bytes + b'"}', headers=json_ct)

    def login_json_raw(user: bytes, password: bytes):
        return server.post("/v1/token", data=b'{"grant_type":"password","username":"' + user
                                + b'","password":"' + password + b'"}', headers=json_ct)

    def form(body: bytes, path="/v1/token"):
        return server.post(path, data=body, headers=form_ct)

    malformed_json = [  # not valid UTF-8 JSON: 400 invalid_request
        signup_raw(b"\xff\xfe@example.com"),
        signup_raw(b"ok-" + uuid.uuid4().hex.encode() + b"@example.com", b"pass\xc3\x28word-long"),
        signup_raw(b"\xed\xa0\x80@example.com"),  # an encoded surrogate
        signup_raw(b"\xc0\xafoverlong@example.com"),
        signup_raw(b"a\x00b@example.com"),  # a raw NUL inside a JSON string
        signup_raw(b"nul-" + uuid.uuid4().hex.encode() + b"@example.com", b"pass\x00word-long"),
        login_json_raw(email.encode(), b"\xff\xff\xff\xff\xff\xff\xff\xff"),
        login_json_raw(b"\x80\x81@example.com", valid_pw),
        login_json_raw(email.encode(), b"\x00" * 10),
        server.post("/v1/token", data=b"\xef\xbb\xbf\xff" + json.dumps({"grant_type": "password"}).encode(),
                         headers=json_ct),
        server.post("/v1/revoke", data=b'{"token":"\xff\xfe"}', headers=json_ct),
        server.post("/v1/accounts", data=b"\x00" * 100, headers=json_ct),
    ]
    others = [  # any 4xx JSON error
        signup_raw(b"a\\u0000b@example.com"),  # an escaped NUL in the email
        signup_raw(b"\\u0000@example.com"),
        signup_raw(b"\\udc00\\ud800@example.com"),  # lone surrogates, escaped
        login_json_raw(email.encode(), b"\\u0000"),
        login_json_raw(b"\\u0000" + email.encode(), valid_pw),
        form(b"grant_type=password&username=%FF%FE%40example.com&password=correct+horse+battery"),
        form(b"grant_type=password&username=" + urllib.parse.quote(email).encode() + b"&password=%C3%28%FF%FF%FF%FF"),
        form(b"grant_type=password&username=\xff\xfe%40example.com&password=\xff\xff\xff\xff\xff\xff\xff\xff"),
        form(b"grant_type=password&username=" + urllib.parse.quote(email).encode() + b"&password=%00%00%00%00%00%00%00%00"),
        form(b"grant_type=password&username=%00&password=%00"),
        form(b"grant_type=refresh_token&refresh_token=%FF%00%FE"),
        form(b"grant_type=refresh_token&refresh_token=\x00\xff"),
        form(b"grant_type=%00password&username=a&password=b"),
        form(b"%FF=1&grant_type=password"),
        form(b"grant_type=password&username=%ZZ&password=%"),
        form(b"token=%FF%FE%00", path="/v1/revoke"),
    ]
    check_all(malformed_json, lambda r: check_resp_error(r, statuses=[400], code="invalid_request"))
    check_all(others, check_resp_error)

    # Bearer tokens and paths with such bytes: 401 / 404, never 5xx.
    port = server.port
    raw_cases = [
        (http_bytes("GET", "/v1/me", {"Authorization": b"Bearer \xff\xfe\xfd"}), [401]),
        (http_bytes("GET", "/v1/me", {"Authorization": b"Bearer a.\xff.b"}), [401]),
        (http_bytes("GET", "/v1/sessions", {"Authorization": b"Bearer %00"}), [401]),
        (http_bytes("GET", "/v1/me", {"Authorization": b"Bearer " + b"\x80" * 300}), [401]),
        (http_bytes("GET", "/v1/%FF%FE"), [404]),
        (http_bytes("GET", "/v1/%00"), [404]),
        (http_bytes("GET", "/v1/me/\xff\xfe".encode("latin-1")), range(400, 500)),
        (http_bytes("DELETE", "/v1/sessions/%FF%00", {"Authorization": "Bearer x"}), [401]),
    ]
    check_all(raw_cases, lambda case: check_raw_error(timed(raw_request, port, case[0]), statuses=case[1]))

    # A password with an (escaped) NUL is a Unicode password like any other: if the signup is
    # accepted, the whole password counts, not a C string cut at the NUL.
    nul_email = unique_email("nul")
    r = server.post("/v1/accounts", json={"email": nul_email, "password": "Canary-nul-pass\u0000tail-A"})
    if r.status_code == 201:
        assert server.login(nul_email, "Canary-nul-pass\u0000tail-A", as_json=True).status_code == 200
        for wrong in ("Canary-nul-pass\u0000tail-B", "Canary-nul-pass", "Canary-nul-pass\u0000"):
            assert_json_error(server.login(nul_email, wrong, as_json=True), 400, "invalid_grant")
    else:
        check_resp_error(r)

    # A user agent with invalid UTF-8 is stored with the session; the session list stays valid JSON.
    body = urllib.parse.urlencode({"grant_type": "password", "username": email, "password": PASSWORD}).encode()
    resp = timed(raw_request, port, http_bytes(
        "POST", "/v1/token", {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": b"evil\xff\xfe\xc3("},
        body))
    assert resp is not None and resp.status in (200, 400), resp
    if resp.status == 200:
        token = resp.json()["access_token"]
        r = server.get("/v1/sessions", token)
        assert r.status_code == 200, r.text
        assert isinstance(r.json()["sessions"], list)
    else:
        check_raw_error(resp)
    audit = run_authctl("audit", "--json", database=server.db_path)
    assert audit.returncode == 0, audit.stderr
    json.loads(audit.stdout)
    assert_serving(server)
