import Foundation
import Hummingbird
import Testing

@testable import AuthServer

@Suite struct TokenEndpointTests {
    @Test func passwordGrantAnswersARFC6749TokenResponse() async throws {
        try await withTokenService { client in
            _ = try await client.session()
            for reply in [
                try await client.send(
                    .post, "/v1/token",
                    form: formEncode(["grant_type": "password", "username": "ada@example.com", "password": "correct horse battery"])),
                try await client.send(
                    .post, "/v1/token",
                    json: ["grant_type": "password", "email": "ADA@example.com", "password": "correct horse battery"]),
            ] {
                #expect(reply.status == .ok)
                #expect(Set(reply.json.keys) == ["access_token", "token_type", "expires_in", "refresh_token"])
                #expect(reply.json["token_type"] as? String == "Bearer" && reply.json["expires_in"] as? Int == 900)
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(((reply.json["refresh_token"] as? String)?.count ?? 0) >= 43)
            }
        }
    }

    @Test func tokenEndpointErrors() async throws {
        try await withTokenService { client in
            _ = try await client.session()
            let cases: [(String, String)] = [
                (formEncode(["grant_type": "password", "username": "ada@example.com", "password": "wrong password"]), "invalid_grant"),
                (formEncode(["grant_type": "password", "username": "nobody@example.com", "password": "whatever123"]), "invalid_grant"),
                (formEncode(["grant_type": "refresh_token", "refresh_token": "unknown"]), "invalid_grant"),
                (formEncode(["grant_type": "password", "username": "ada@example.com"]), "invalid_request"),
                (formEncode(["grant_type": "refresh_token"]), "invalid_request"),
                (formEncode(["username": "ada@example.com"]), "invalid_request"),
                ("grant_type=password&grant_type=refresh_token", "invalid_request"),
                (formEncode(["grant_type": "client_credentials"]), "unsupported_grant_type"),
                ("grant_type=%zz", "invalid_request"),
            ]
            for (form, code) in cases {
                let reply = try await client.send(.post, "/v1/token", form: form)
                #expect(reply.status == .badRequest && reply.error == code, "\(form)")
            }
            let wrongType = try await client.send(.post, "/v1/token", raw: "grant_type=password", contentType: "text/plain")
            #expect(wrongType.status == .badRequest && wrongType.error == "invalid_request")
            let numbers = try await client.send(.post, "/v1/token", json: ["grant_type": "password", "username": 5, "password": "x"])
            #expect(numbers.status == .badRequest && numbers.error == "invalid_request")
        }
    }

    @Test func unknownEmailAndWrongPasswordAnswerTheSameBody() async throws {
        try await withTokenService { client in
            _ = try await client.session()
            let wrong = try await client.send(
                .post, "/v1/token", form: formEncode(["grant_type": "password", "username": "ada@example.com", "password": "wrong password"]))
            let unknown = try await client.send(
                .post, "/v1/token", form: formEncode(["grant_type": "password", "username": "zed@example.com", "password": "wrong password"]))
            #expect(wrong.body == unknown.body && wrong.status == unknown.status)
        }
    }

    @Test func throttledLoginsAre429WithRetryAfter() async throws {
        try await withTokenService({
            $0.settings.lockoutThreshold = 2
            $0.settings.lockoutBase = 60  // long enough that a slow test machine still sees the lock
        }) { client in
            _ = try await client.session()
            let wrong = formEncode(["grant_type": "password", "username": "ada@example.com", "password": "wrong password"])
            for _ in 0..<2 { #expect(try await client.send(.post, "/v1/token", form: wrong).status == .badRequest) }
            let right = formEncode(["grant_type": "password", "username": "ada@example.com", "password": "correct horse battery"])
            let throttled = try await client.send(.post, "/v1/token", form: right)
            #expect(throttled.status == .tooManyRequests && throttled.error == "too_many_attempts")
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test func refreshRotatesAndReuseKillsTheSession() async throws {
        try await withTokenService({ $0.settings.refreshGrace = 0 }) { client in
            let tokens = try await client.session()
            let first = try #require(tokens["refresh_token"] as? String)
            let rotated = try await client.send(.post, "/v1/token", form: formEncode(["grant_type": "refresh_token", "refresh_token": first]))
            #expect(rotated.status == .ok)
            let second = try #require(rotated.json["refresh_token"] as? String)
            #expect(second != first)
            let reuse = try await client.send(.post, "/v1/token", form: formEncode(["grant_type": "refresh_token", "refresh_token": first]))
            #expect(reuse.status == .badRequest && reuse.error == "invalid_grant")
            let after = try await client.send(.post, "/v1/token", form: formEncode(["grant_type": "refresh_token", "refresh_token": second]))
            #expect(after.status == .badRequest && after.error == "invalid_grant")
        }
    }

    @Test func revokeAlwaysAnswers200AndEndsTheSession() async throws {
        try await withTokenService { client in
            let tokens = try await client.session()
            let refresh = try #require(tokens["refresh_token"] as? String)
            for token in ["never issued", refresh] {
                let reply = try await client.send(.post, "/v1/revoke", form: formEncode(["token": token, "token_type_hint": "refresh_token"]))
                #expect(reply.status == .ok && reply.json.isEmpty)
            }
            let access = try #require(tokens["access_token"] as? String)
            #expect(try await client.send(.get, "/v1/me", token: access).status == .unauthorized)
            let missing = try await client.send(.post, "/v1/revoke", form: "token_type_hint=refresh_token")
            #expect(missing.status == .badRequest && missing.error == "invalid_request")
        }
    }
}
