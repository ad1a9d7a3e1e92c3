import Testing

@testable import AuthCore

@Suite struct KeyStoreContract {
    static func key(_ n: UInt8, _ state: SigningKey.State, activatesAt: Int64? = nil) -> SigningKey {
        SigningKey(
            kid: "kid-\(n)", state: state, publicKey: Array(repeating: n, count: 32), sealedPrivateKey: [n, n], createdAt: Int64(n),
            activatesAt: activatesAt)
    }

    @Test(arguments: StoreUnderTest.all)
    func storesKeysOldestFirst(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        for n: UInt8 in [1, 2] { try await store.insertSigningKey(Self.key(n, n == 1 ? .current : .standby, activatesAt: 50)) }
        #expect(try await store.signingKeys() == [Self.key(1, .current, activatesAt: 50), Self.key(2, .standby, activatesAt: 50)])
    }

    @Test(arguments: StoreUnderTest.all)
    func appliesChangesAllOrNothing(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertSigningKey(Self.key(1, .current))
        try await store.insertSigningKey(Self.key(2, .standby, activatesAt: 50))
        let rotation = KeyRotation.due(try await store.signingKeys(), now: 60, retireBefore: 0)
        #expect(try await store.applyKeyChanges(rotation))
        #expect(try await store.signingKeys().map(\.state) == [.previous, .current])
        #expect(try await store.signingKeys()[0].deactivatedAt == 60)
        // The same rotation again expects states that are gone: nothing changes.
        #expect(try await !store.applyKeyChanges(rotation))
        #expect(try await store.signingKeys().map(\.state) == [.previous, .current])
        #expect(try await store.applyKeyChanges(KeyRotation.due(try await store.signingKeys(), now: 70, retireBefore: 61)))
        #expect(try await store.signingKeys().map(\.state) == [.retired, .current])
    }

    @Test(arguments: StoreUnderTest.all)
    func twoNodesApplyingOneRotationAtOnceApplyItOnce(_ s: StoreUnderTest) async throws {
        let (first, second) = try await s.makeNodes()
        try await first.insertSigningKey(Self.key(1, .current))
        try await first.insertSigningKey(Self.key(2, .standby, activatesAt: 50))
        let rotation = KeyRotation.due(try await first.signingKeys(), now: 60, retireBefore: 0)
        let applied = try await withThrowingTaskGroup(of: Bool.self) { group in
            for node in [first, second, first, second] { group.addTask { try await node.applyKeyChanges(rotation) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(applied.filter { $0 }.count == 1)
        #expect(try await second.signingKeys().map(\.state) == [.previous, .current])
    }

    @Test(arguments: StoreUnderTest.all)
    func neverHoldsTwoCurrentKeys(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertSigningKey(Self.key(1, .current))
        try await store.insertSigningKey(Self.key(2, .standby))
        await #expect(throws: (any Error).self) {
            _ = try await store.applyKeyChanges([SigningKeyChange(kid: "kid-2", from: .standby, to: .current, deactivatedAt: nil)])
        }
        #expect(try await store.signingKeys().map(\.state) == [.current, .standby])
    }
}
