import AuthCrypto
import Foundation
import Testing

@testable import AuthTokens

/// A verifier with a cache answers a token it has seen without checking the signature again,
/// but never past the token's expiry or its key's retirement.
@Suite struct VerifiedTokenCacheTests {
    typealias F = TokenFixtures

    func cachingVerifier(capacity: Int = 100) -> AccessTokenVerifier {
        AccessTokenVerifier(issuer: F.issuer, audience: F.audience, leeway: 30, cache: VerifiedTokenCache(capacity: capacity))
    }

    @Test func remembersATokenThatVerified() {
        let verifier = cachingVerifier()
        let token = F.token()
        #expect(verifier.verify(token, keys: F.keys, now: F.now) == .valid(F.claims()))
        #expect(verifier.cache?.count == 1)
        #expect(verifier.verify(token, keys: F.keys, now: F.now) == .valid(F.claims()))
        #expect(verifier.cache?.count == 1)
    }

    @Test func keysEntriesByTheTokensBLAKE2b256() {
        // RFC 7693's BLAKE2b at 32 bytes, as Python's `hashlib.blake2b(b"abc", digest_size=32)` gives.
        let abc = VerifiedTokenCache.digest(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(abc == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        #expect(VerifiedTokenCache.digest(Array("abd".utf8)) != VerifiedTokenCache.digest(Array("abc".utf8)))
    }

    @Test func aTokenRememberedForOneAudienceIsNotAcceptedForAnother() {
        let cache = VerifiedTokenCache()
        let listings = AccessTokenVerifier(issuer: F.issuer, audience: F.audience, cache: cache)
        let billing = AccessTokenVerifier(issuer: F.issuer, audience: "billing", cache: cache)
        let otherIssuer = AccessTokenVerifier(issuer: "https://other.example.com", audience: F.audience, cache: cache)
        let token = F.token()
        #expect(listings.verify(token, keys: F.keys, now: F.now) == .valid(F.claims()))
        #expect(billing.verify(token, keys: F.keys, now: F.now) == .invalid(.wrongAudience))
        #expect(otherIssuer.verify(token, keys: F.keys, now: F.now) == .invalid(.wrongIssuer))
        #expect(listings.verify(token, keys: F.keys, now: F.now) == .valid(F.claims()))
    }

    @Test func remembersNothingThatFailed() {
        let verifier = cachingVerifier()
        let forged = F.raw(header: F.header(), payload: F.validPayload, signer: Ed25519.PrivateKey())
        let expired = F.token(F.claims(exp: 1_700_000_000, iat: 1_699_999_000))
        for token in [forged, expired, "not.a.token"] {
            #expect(verifier.verify(token, keys: F.keys, now: F.now) != .valid(F.claims()))
        }
        #expect(verifier.cache?.count == 0)
    }

    @Test func aRememberedTokenStillExpires() {
        let verifier = cachingVerifier()
        let token = F.token()
        #expect(verifier.verify(token, keys: F.keys, now: F.now) == .valid(F.claims()))
        let afterExpiry = Date(timeIntervalSince1970: 1_800_000_600 + 31)
        #expect(verifier.verify(token, keys: F.keys, now: afterExpiry) == .invalid(.expired))
        #expect(verifier.cache?.count == 0)
    }

    @Test func aRememberedTokenDiesWithItsKey() {
        let verifier = cachingVerifier()
        let token = F.token()
        #expect(verifier.verify(token, keys: F.keys, now: F.now) == .valid(F.claims()))
        // Retired: the kid is gone from the trusted set.
        #expect(verifier.verify(token, keys: VerificationKeys([:]), now: F.now) == .invalid(.unknownKey(kid: F.kid)))
        // Replaced: the same kid now names another key.
        #expect(verifier.verify(token, keys: F.keys, now: F.now) == .valid(F.claims()))
        let replaced = VerificationKeys([F.kid: Ed25519.PrivateKey().publicKey])
        #expect(verifier.verify(token, keys: replaced, now: F.now) == .invalid(.badSignature))
    }

    @Test func staysWithinItsCapacity() {
        let verifier = cachingVerifier(capacity: 8)
        for index in 0..<50 {
            var claims = F.claims()
            claims.tokenID = "jti-\(index)"
            #expect(verifier.verify(F.token(claims), keys: F.keys, now: F.now) == .valid(claims))
            #expect(verifier.cache!.count <= 8)
        }
    }

    @Test func expiredEntriesAreDroppedFirstWhenFull() {
        let verifier = cachingVerifier(capacity: 2)
        let shortLived = F.token(F.claims(exp: 1_800_000_010))
        _ = verifier.verify(shortLived, keys: F.keys, now: F.now)
        _ = verifier.verify(F.token(), keys: F.keys, now: F.now)
        let later = Date(timeIntervalSince1970: 1_800_000_100)
        var claims = F.claims()
        claims.tokenID = "jti-later"
        #expect(verifier.verify(F.token(claims), keys: F.keys, now: later) == .valid(claims))
        #expect(verifier.cache?.count == 2)  // the expired one made room; the live one stayed
        #expect(verifier.verify(F.token(), keys: F.keys, now: later) == .valid(F.claims()))
    }
}
