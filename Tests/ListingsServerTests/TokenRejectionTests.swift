import AuthCrypto
import AuthTokens
import Foundation
import GRDB
import Hummingbird
import Testing

@testable import ListingsServer

@Suite struct TokenRejectionTests {
    static let subject = "0b4c7c0e-8f7a-4d0e-9f1e-5a4b3c2d1e0f"

    /// Every kind of bad token the issue names, each built against `mint`'s trusted key.
    static func badTokens(_ mint: TokenMint) -> [(String, String)] {
        let good = mint.token(subject: subject)
        let parts = good.split(separator: ".").map(String.init)
        let claims = String(decoding: Base64.decode(parts[1])!, as: UTF8.self)
        func signed(header: String, payload: String = claims, key: Ed25519.PrivateKey = mint.key) -> String {
            JWS.sign(header: Array(header.utf8), payload: Array(payload.utf8), key: key)
        }
        let otherKey = Ed25519.PrivateKey()
        let hsInput = Base64.encode(Array(#"{"alg":"HS256","typ":"at+jwt","kid":"\#(mint.kid)"}"#.utf8)) + "." + parts[1]
        return [
            ("garbage", "not-a-token"),
            ("alg none", Base64.encode(Array(#"{"alg":"none","typ":"at+jwt"}"#.utf8)) + "." + parts[1] + "."),
            ("HS256 with the public key", hsInput + "." + Base64.encode(Sodium.sha256(mint.key.publicKey + Array(hsInput.utf8)))),
            ("unknown kid", AccessTokenSigner(key: otherKey, kid: JWK.thumbprint(publicKey: otherKey.publicKey)).sign(
                AccessTokenClaims(issuer: TokenMint.issuer, subject: subject, audience: "listings", expiresAt: Int64(Date().timeIntervalSince1970) + 600, issuedAt: Int64(Date().timeIntervalSince1970), tokenID: "j", sessionID: "s", clientID: "web"))),
            ("another key's signature", signed(header: #"{"alg":"EdDSA","typ":"at+jwt","kid":"\#(mint.kid)"}"#, key: otherKey)),
            ("tampered claims", parts[0] + "." + Base64.encode(Array(claims.replacingOccurrences(of: subject, with: "ffffffff-8f7a-4d0e-9f1e-5a4b3c2d1e0f").utf8)) + "." + parts[2]),
            ("expired", mint.token(subject: subject, lifetime: 60, issuedAgo: 200)),
            ("not yet valid", mint.token(subject: subject, issuedAgo: -600)),
            ("wrong iss", mint.token(subject: subject, issuer: "https://evil.example.com")),
            ("wrong aud", mint.token(subject: subject, audience: "billing")),
            ("wrong typ", signed(header: #"{"alg":"EdDSA","typ":"JWT","kid":"\#(mint.kid)"}"#)),
            ("oversized header", signed(header: #"{"alg":"EdDSA","typ":"at+jwt","kid":"\#(mint.kid)","x":""# + String(repeating: "A", count: 6000) + "\"}")),
        ]
    }

    @Test func everyBadTokenIs401AndReachesNoHandler() async throws {
        try await withListingsService { client, mint in
            for (name, token) in Self.badTokens(mint) {
                let create = try await client.send(.post, "/v1/listings", token: token, json: ["title": name, "price_cents": 1])
                #expect(create.status == .unauthorized && create.error == "invalid_token", "\(name)")
                #expect(create.headers[.wwwAuthenticate] == #"Bearer error="invalid_token""#, "\(name)")
            }
            let missing = try await client.send(.get, "/v1/listings", token: nil)
            #expect(missing.status == .unauthorized && missing.headers[.wwwAuthenticate] == "Bearer")
            let listings = try await client.send(.get, "/v1/listings", token: mint.token(subject: Self.subject))
            #expect(listings.status == .ok && (listings.json["listings"] as? [Any])?.isEmpty == true)
        }
    }

    /// Each verification is counted by its result in `token_verifications_total`.
    @Test func verificationsAreCountedByResult() async throws {
        try await withListingsService { client, mint in
            let token = mint.token(subject: Self.subject)
            for _ in 0..<3 { _ = try await client.send(.get, "/v1/listings", token: token) }
            _ = try await client.send(.get, "/v1/listings", token: nil)
            _ = try await client.send(.get, "/v1/listings", token: mint.token(subject: Self.subject, lifetime: 60, issuedAgo: 200))
            let metrics = String(decoding: try await client.send(.get, "/metrics", token: nil).body, as: UTF8.self)
            for line in [#"token_verifications_total{result="valid"} 3"#, #"token_verifications_total{result="missing"} 1"#] {
                #expect(metrics.contains(line), "\(line)")
            }
            #expect(metrics.split(separator: "\n").filter { $0.hasPrefix("token_verifications_total{") }.count == 3)
        }
    }

    @Test func withoutKeysProtectedEndpointsAre503() async throws {
        try await withListingsService(keysLoaded: false) { client, mint in
            let reply = try await client.send(.get, "/v1/listings", token: mint.token(subject: Self.subject))
            #expect(reply.status == .serviceUnavailable && reply.error == "keys_unavailable")
            #expect(reply.headers[.retryAfter] != nil)
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
            #expect(try await client.send(.get, "/readyz", token: nil).status == .serviceUnavailable)
        }
    }
}

@Suite struct ListingStoreTests {
    @Test func theOwnersPageIsServedByTheIndexWithoutAScanOrASort() throws {
        let store = try SQLiteListingStore.inMemory()
        let plan = try store.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + PageRow.sql, arguments: ["owner", "active", Int64.max, 21])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX listings_by_owner") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") || $0.contains("TEMP B-TREE") }, "\(plan)")
    }
}
