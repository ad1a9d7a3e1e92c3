import AuthCrypto
import Testing

@testable import AuthCore

@Suite struct KeyRingTests {
    @Test func sealsPrivateKeysAndPublishesTheCurrentOne() async throws {
        let h = try await Harness()
        let stored = try await h.store.signingKeys()
        #expect(stored.count == 1 && stored[0].state == .current)
        let signer = try #require(h.service.keys.signer)
        #expect(!signer.key.seed.withUnsafeBytes { stored[0].sealedPrivateKey.contains(subsequence: Array($0)) })
        #expect(h.service.keys.jwks.keys.map(\.kid) == [stored[0].kid])
        #expect(try await h.service.keys.ensureCurrentKey(in: h.store, now: 0) == false)
    }

    @Test func aDueStandbyKeyTakesOverAndThePreviousStaysPublishedUntilItsTokensExpire() async throws {
        let h = try await Harness { $0.accessTokenTTL = 900 }
        let oldKid = try #require(h.service.keys.signer?.kid)
        let now = h.clock.now.date().unixSeconds
        let standby = try h.service.keys.makeKey(state: .standby, now: now, activatesAt: now + 100)
        try await h.store.insertSigningKey(standby)
        try await h.service.reloadKeys()
        #expect(h.service.keys.signer?.kid == oldKid)
        #expect(Set(h.service.keys.jwks.keys.compactMap(\.kid)) == [oldKid, standby.kid])
        h.clock.advance(100)
        try await h.service.reloadKeys()
        #expect(h.service.keys.signer?.kid == standby.kid)
        #expect(h.service.keys.jwks.keys.count == 2)
        h.clock.advance(900 + 61)
        try await h.service.reloadKeys()
        #expect(h.service.keys.jwks.keys.compactMap(\.kid) == [standby.kid])
    }

    @Test func aWrongKeyEncryptionKeyCannotOpenTheKeys() async throws {
        let h = try await Harness()
        let other = KeyRing(keyEncryptionKey: SecretBytes(Array(repeating: 8, count: 32)))
        await #expect(throws: CryptoError.openFailed) {
            try await other.reload(from: h.store, now: 0, retireBefore: 0)
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}
