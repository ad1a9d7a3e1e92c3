"""Every JSON body goes through the one strict parser: trailing commas, comments, duplicate
members and nesting past 64 levels are 400 `invalid_request`, and change nothing."""

from __future__ import annotations

import pytest

from conftest import assert_json_error

BAD_BODIES = {
    "trailing comma": b'{"email":"a@b.example","password":"correct horse battery",}',
    "comment": b'{"email":"a@b.example", /* hi */ "password":"correct horse battery"}',
    "duplicate member": b'{"email":"a@b.example","email":"c@d.example","password":"correct horse battery"}',
    "escaped duplicate": b'{"email":"a@b.example","\\u0065mail":"c@d.example","password":"correct horse battery"}',
    "too deep": b'{"email":"a@b.example","password":"correct horse battery","x":' + b"[" * 70 + b"]" * 70 + b"}",
    "single quotes": b"{'email':'a@b.example','password':'correct horse battery'}",
    "trailing garbage": b'{"email":"a@b.example","password":"correct horse battery"} x',
    "NaN": b'{"email":"a@b.example","password":"correct horse battery","n":NaN}',
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_sign_up_refuses_non_strict_json(auth_server, name):
    r = auth_server.post("/v1/accounts", data=BAD_BODIES[name], headers={"Content-Type": "application/json"})
    assert_json_error(r, 400, "invalid_request")
    login = auth_server.login("a@b.example", "correct horse battery")
    assert_json_error(login, 400, "invalid_grant")  # nothing was created


def test_nesting_at_the_limit_is_accepted(auth_server):
    body = b'{"email":"deep@b.example","password":"correct horse battery","x":' + b"[" * 63 + b"]" * 63 + b"}"
    r = auth_server.post("/v1/accounts", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("body", [b'{"grant_type":"password",}', b'{"grant_type":"password"}//'])
def test_token_endpoint_refuses_non_strict_json(auth_server, body):
    r = auth_server.post("/v1/token", data=body, headers={"Content-Type": "application/json"})
    assert_json_error(r, 400, "invalid_request")


def test_listings_refuse_non_strict_json(linked_servers):
    auth, listings = linked_servers
    assert auth.signup("lister@example.com", "correct horse battery").status_code == 201
    access = auth.login("lister@example.com", "correct horse battery").json()["access_token"]
    r = listings.post("/v1/listings", access, data=b'{"title":"Bike","price_cents":100,}',
                      headers={"Content-Type": "application/json"})
    assert_json_error(r, 400, "invalid_request")
    assert listings.list(access).json()["listings"] == []
