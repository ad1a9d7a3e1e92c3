import Foundation
import Hummingbird
import Testing

@testable import AuthServer

@Suite struct AccountEndpointTests {
    @Test func signUpAnswers201WithTheAccount() async throws {
        try await withTokenService { client in
            let reply = try await client.send(.post, "/v1/accounts", json: ["email": " Ada@Example.com", "password": "correct horse battery"])
            #expect(reply.status == .created)
            #expect(Set(reply.json.keys) == ["id", "email", "email_verified", "mfa_enabled", "status", "created_at"])
            #expect(reply.json["email"] as? String == "ada@example.com")
            #expect(reply.json["status"] as? String == "active")
            #expect((reply.json["created_at"] as? String)?.hasSuffix("Z") == true)
        }
    }

    @Test func signUpErrorsHaveTheirStatusAndCode() async throws {
        try await withTokenService { client in
            _ = try await client.session()
            let cases: [(Any, HTTPResponse.Status, String)] = [
                (["email": "ADA@example.com", "password": "another good one"], .conflict, "account_exists"),
                (["email": "not-an-email", "password": "another good one"], .unprocessableContent, "invalid_email"),
                (["email": "bob@example.com", "password": "short"], .unprocessableContent, "weak_password"),
                (["email": "bob@example.com", "password": "password"], .unprocessableContent, "weak_password"),
                (["email": "bob@example.com"], .badRequest, "invalid_request"),
                (["email": "bob@example.com", "password": 12_345_678], .badRequest, "invalid_request"),
                ([1, 2], .badRequest, "invalid_request"),
            ]
            for (body, status, code) in cases {
                let reply = try await client.send(.post, "/v1/accounts", json: body)
                #expect(reply.status == status && reply.error == code, "\(body)")
                #expect(reply.json["error_description"] is String)
            }
        }
    }

    @Test func malformedBodiesAreInvalidRequest() async throws {
        try await withTokenService { client in
            for (raw, type) in [
                ("{", "application/json"), ("{\"email\":\"a@b.c\"}", "text/plain"), ("\u{0}", "application/json"),
                (#"{"email":"a@b.co","email":"c@d.co","password":"correct horse battery"}"#, "application/json"),
            ] {
                let reply = try await client.send(.post, "/v1/accounts", raw: raw, contentType: type)
                #expect(reply.status == .badRequest && reply.error == "invalid_request")
            }
            let nested = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let deep = try await client.send(.post, "/v1/accounts", raw: nested, contentType: "application/json")
            #expect(deep.status == .badRequest)
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        try await withTokenService { client in
            let big = String(repeating: "a", count: 70_000)
            let reply = try await client.send(.post, "/v1/accounts", json: ["email": "a@b.co", "password": big])
            #expect(reply.status == .contentTooLarge && reply.error == "request_too_large")
        }
    }

    @Test func meAnswersTheCallersAccountAndNeedsALiveSession() async throws {
        try await withTokenService { client in
            let tokens = try await client.session()
            let access = try #require(tokens["access_token"] as? String)
            let me = try await client.send(.get, "/v1/me", token: access)
            #expect(me.status == .ok && me.json["email"] as? String == "ada@example.com")
            #expect(me.headers[.cacheControl] == "no-store")
            #expect(try await client.send(.post, "/v1/logout", token: access).status == .noContent)
            let after = try await client.send(.get, "/v1/me", token: access)
            #expect(after.status == .unauthorized && after.error == "invalid_token")
            #expect(after.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
        }
    }

    @Test func missingAndBadTokensAre401PerRFC6750() async throws {
        try await withTokenService { client in
            let missing = try await client.send(.get, "/v1/me")
            #expect(missing.status == .unauthorized && missing.error == "invalid_token")
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            for value in ["Bearer garbage", "Basic YTpi", "Bearer", "Bearer a.b.c"] {
                let bad = try await client.send(.get, "/v1/me", headers: [.authorization: value])
                #expect(bad.status == .unauthorized && bad.error == "invalid_token")
                #expect(bad.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#)
            }
        }
    }

    @Test func changingThePasswordEndsOtherSessions() async throws {
        try await withTokenService { client in
            let phone = try #require(try await client.session()["access_token"] as? String)
            let laptop = try #require(try await client.session()["access_token"] as? String)
            let wrong = try await client.send(
                .post, "/v1/password", json: ["current_password": "nope nope", "new_password": "brand new secret"], token: laptop)
            #expect(wrong.status == .badRequest && wrong.error == "invalid_grant")
            let weak = try await client.send(
                .post, "/v1/password", json: ["current_password": "correct horse battery", "new_password": "12345678"], token: laptop)
            #expect(weak.status == .unprocessableContent && weak.error == "weak_password")
            let missing = try await client.send(.post, "/v1/password", json: ["new_password": "brand new secret"], token: laptop)
            #expect(missing.status == .badRequest && missing.error == "invalid_request")
            let ok = try await client.send(
                .post, "/v1/password", json: ["current_password": "correct horse battery", "new_password": "brand new secret"],
                token: laptop)
            #expect(ok.status == .noContent)
            #expect(try await client.send(.get, "/v1/me", token: laptop).status == .ok)
            #expect(try await client.send(.get, "/v1/me", token: phone).status == .unauthorized)
        }
    }
}
