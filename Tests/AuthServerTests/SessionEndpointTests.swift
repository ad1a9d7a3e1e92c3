import Foundation
import Hummingbird
import Testing

@testable import AuthServer

@Suite struct SessionEndpointTests {
    @Test func listsSessionsNewestFirstMarkingTheCurrentOne() async throws {
        try await withTokenService { client in
            _ = try await client.session()
            let second = try await client.session()
            let access = try #require(second["access_token"] as? String)
            let reply = try await client.send(.get, "/v1/sessions", token: access)
            #expect(reply.status == .ok)
            let sessions = try #require(reply.json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 2)
            #expect(sessions.map { $0["current"] as? Bool } == [true, false])
            #expect(Set(sessions[0].keys) == ["id", "created_at", "last_used_at", "expires_at", "user_agent", "ip", "client_id", "current"])
            #expect(sessions[0]["client_id"] as? String == "default")
        }
    }

    @Test func deletesOnlyTheCallersSessions() async throws {
        try await withTokenService { client in
            let mine = try #require(try await client.session()["access_token"] as? String)
            let theirs = try #require(try await client.session(email: "eve@example.com")["access_token"] as? String)
            let theirID = try #require(
                (try await client.send(.get, "/v1/sessions", token: theirs).json["sessions"] as? [[String: Any]])?.first?["id"] as? String)
            let refused = try await client.send(.delete, "/v1/sessions/\(theirID)", token: mine)
            #expect(refused.status == .notFound && refused.error == "not_found")
            #expect(try await client.send(.get, "/v1/me", token: theirs).status == .ok)
            #expect(try await client.send(.delete, "/v1/sessions/\(theirID)", token: theirs).status == .noContent)
            #expect(try await client.send(.get, "/v1/me", token: theirs).status == .unauthorized)
        }
    }

    @Test func logoutScopes() async throws {
        try await withTokenService { client in
            let first = try #require(try await client.session()["access_token"] as? String)
            let second = try #require(try await client.session()["access_token"] as? String)
            let third = try #require(try await client.session()["access_token"] as? String)
            let bogus = try await client.send(.post, "/v1/logout", json: ["scope": "everywhere"], token: first)
            #expect(bogus.status == .badRequest && bogus.error == "invalid_request")
            #expect(try await client.send(.post, "/v1/logout", json: ["scope": "local"], token: first).status == .noContent)
            #expect(try await client.send(.get, "/v1/me", token: second).status == .ok)
            #expect(try await client.send(.post, "/v1/logout", json: ["scope": "global"], token: second).status == .noContent)
            #expect(try await client.send(.get, "/v1/me", token: third).status == .unauthorized)
            #expect(try await client.send(.post, "/v1/logout").status == .unauthorized)
        }
    }
}

@Suite struct DiscoveryAndOperationsTests {
    @Test func publishesTheJWKSAndMetadata() async throws {
        try await withTokenService({ $0.settings.issuer = "https://auth.example.com" }) { client in
            let jwks = try await client.send(.get, "/.well-known/jwks.json")
            #expect(jwks.status == .ok)
            let keys = try #require(jwks.json["keys"] as? [[String: String]])
            #expect(keys.count == 1)
            #expect(keys[0]["kty"] == "OKP" && keys[0]["crv"] == "Ed25519" && keys[0]["use"] == "sig" && keys[0]["alg"] == "EdDSA")
            #expect(keys[0]["d"] == nil && keys[0]["kid"] != nil)
            #expect(jwks.headers[.cacheControl]?.contains("max-age") == true)
            let metadata = try await client.send(.get, "/.well-known/oauth-authorization-server").json
            #expect(metadata["issuer"] as? String == "https://auth.example.com")
            #expect(metadata["token_endpoint"] as? String == "https://auth.example.com/v1/token")
            #expect(metadata["jwks_uri"] as? String == "https://auth.example.com/.well-known/jwks.json")
            #expect(metadata["revocation_endpoint"] as? String == "https://auth.example.com/v1/revoke")
            #expect(metadata["grant_types_supported"] as? [String] == ["password", "refresh_token"])
        }
    }

    @Test func healthReadinessAndMetrics() async throws {
        try await withTokenService { client in
            _ = try await client.session()
            for path in ["/healthz", "/readyz"] {
                let reply = try await client.send(.get, path)
                #expect(reply.status == .ok && reply.json["status"] as? String == "ok")
            }
            _ = try await client.send(.get, "/v1/me")
            let metrics = String(decoding: try await client.send(.get, "/metrics").body, as: UTF8.self)
            #expect(metrics.contains(#"http_requests_total{method="GET",route="/v1/me",status="401"}"#))
            for name in ["auth_logins_total{result=\"succeeded\"}", "auth_active_sessions", "auth_password_hash_duration_seconds_bucket"] {
                #expect(metrics.contains(name), "\(name)")
            }
        }
    }

    @Test func unknownPathsAndMethodsAnswerJSON() async throws {
        try await withTokenService { client in
            let missing = try await client.send(.get, "/v2/nothing")
            #expect(missing.status == .notFound && missing.error == "not_found")
            let wrongMethod = try await client.send(.delete, "/v1/token")
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.error == "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "POST")
        }
    }
}
