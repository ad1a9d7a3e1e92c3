import AuthCrypto
import Foundation
import Synchronization
import Testing

@testable import AuthTokens

@Suite struct KeySetCacheTests {
    final class Source: Sendable {
        let jwks = Mutex<[UInt8]>([])
        let fetches = Atomic<Int>(0)
        let failing = Atomic<Bool>(false)

        func publish(_ keys: [Ed25519.PrivateKey]) {
            jwks.withLock { $0 = Array(JWKSet(keys: keys.map { JWK(publicKey: $0.publicKey) }).json.utf8) }
        }

        func fetch() throws -> [UInt8] {
            fetches.add(1, ordering: .relaxed)
            if failing.load(ordering: .relaxed) { throw URLError(.cannotConnectToHost) }
            return jwks.withLock { $0 }
        }
    }

    static let verifier = AccessTokenVerifier(issuer: "https://auth.example.com", audience: "listings")

    static func token(_ key: Ed25519.PrivateKey) -> String {
        let now = Int64(Date().timeIntervalSince1970)
        return AccessTokenSigner(key: key, kid: JWK.thumbprint(publicKey: key.publicKey)).sign(
            AccessTokenClaims(
                issuer: "https://auth.example.com", subject: "s", audience: "listings", expiresAt: now + 60, issuedAt: now,
                tokenID: "j", sessionID: "x", clientID: "web"))
    }

    @Test func refetchesOnAnUnknownKidAtMostOncePerInterval() async throws {
        let source = Source()
        let old = Ed25519.PrivateKey(), new = Ed25519.PrivateKey()
        source.publish([old])
        let cache = KeySetCache(minimumRefetchInterval: .seconds(60)) { try source.fetch() }
        #expect(await cache.verify(Self.token(old), with: Self.verifier, now: Date()) == nil)  // nothing loaded yet
        try await cache.reload()
        source.publish([old, new])
        guard case .valid = await cache.verify(Self.token(new), with: Self.verifier, now: Date()) else {
            Issue.record("the rotated-in key was not fetched")
            return
        }
        #expect(source.fetches.load(ordering: .relaxed) == 2)
        // A flood of unknown kids costs no further fetch inside the interval.
        for _ in 0..<50 {
            #expect(await cache.verify(Self.token(Ed25519.PrivateKey()), with: Self.verifier, now: Date()) != nil)
        }
        #expect(source.fetches.load(ordering: .relaxed) == 2)
    }

    @Test func keepsItsKeysWhenTheSourceIsDown() async throws {
        let source = Source()
        let key = Ed25519.PrivateKey()
        source.publish([key])
        let cache = KeySetCache { try source.fetch() }
        try await cache.reload()
        source.failing.store(true, ordering: .relaxed)
        await #expect(throws: URLError.self) { try await cache.reload() }
        guard case .valid = await cache.verify(Self.token(key), with: Self.verifier, now: Date()) else {
            Issue.record("keys lost after a failed fetch")
            return
        }
    }
}
