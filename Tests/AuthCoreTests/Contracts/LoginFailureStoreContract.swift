import Testing

@testable import AuthCore

@Suite struct LoginFailureStoreContract {
    static let locked = LoginFailures(failures: 5, lockedUntil: 500)

    @Test(arguments: StoreUnderTest.all)
    func appliesEachChangeAndReturnsTheRecordsAsTheyWere(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let before = try await store.updateLoginFailures(email: "a@example.com", ips: ["1", "*"], now: 100) { records in
            #expect(records == [nil, nil])
            return [.replace(Self.locked), .keep]
        }
        #expect(before == [nil, nil])
        let after = try await store.updateLoginFailures(email: "a@example.com", ips: ["1", "*", "2"], now: 101) { _ in
            [.replace(nil), .replace(LoginFailures(failures: 1, lockedUntil: 0)), .keep]
        }
        #expect(after == [Self.locked, nil, nil])
        let now = try await store.updateLoginFailures(email: "a@example.com", ips: ["1", "*"], now: 102) { $0.map { _ in .keep } }
        #expect(now == [nil, LoginFailures(failures: 1, lockedUntil: 0)])
    }

    @Test(arguments: StoreUnderTest.all)
    func clearsAndPurges(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        for email in ["a@example.com", "b@example.com"] {
            try await store.updateLoginFailures(email: email, ips: ["1", "2"], now: 100) { _ in [.replace(Self.locked), .replace(LoginFailures(failures: 1, lockedUntil: 0))] }
        }
        #expect(try await store.clearLoginFailures(email: "a@example.com") == 2)
        try await store.purgeLoginFailures(updatedBefore: 101, now: 400)  // b's locked record stays until 500
        let left = try await store.updateLoginFailures(email: "b@example.com", ips: ["1", "2"], now: 400) { $0.map { _ in .keep } }
        #expect(left == [Self.locked, nil])
    }

    @Test(arguments: StoreUnderTest.all)
    func failuresCountAcrossNodes(_ s: StoreUnderTest) async throws {
        let (first, second) = try await s.makeNodes()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for node in Array(repeating: first, count: 20) + Array(repeating: second, count: 20) {
                group.addTask {
                    try await node.updateLoginFailures(email: "a@example.com", ips: ["1", "*"], now: 100) { records in
                        records.map { .replace(LoginFailures(failures: ($0?.failures ?? 0) + 1, lockedUntil: 0)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let counted = try await first.updateLoginFailures(email: "a@example.com", ips: ["1", "*"], now: 101) { $0.map { _ in .keep } }
        #expect(counted.map { $0?.failures } == [40, 40])
    }

    @Test(arguments: StoreUnderTest.all)
    func remembersLoginAddressesPerAccountBounded(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        for n in 0..<(LoginAddresses.maximumPerAccount + 3) {
            let session = Sample.session(n, account: 1, at: Int64(100 + n))
            _ = try await store.createSession(
                session, refreshTokenHash: Sample.tokenHash(UInt8(n)), verifiedHash: "$argon2id$sample", forgiving: nil,
                loginAddress: "198.51.100.\(n)", audit: nil)
        }
        #expect(try await !store.hasLoggedIn(email: "user1@example.com", from: "198.51.100.2", since: 0))  // the oldest went
        #expect(try await store.hasLoggedIn(email: "user1@example.com", from: "198.51.100.3", since: 103))
        #expect(try await !store.hasLoggedIn(email: "user1@example.com", from: "198.51.100.3", since: 104))
        #expect(try await !store.hasLoggedIn(email: "other@example.com", from: "198.51.100.3", since: 0))
        try await store.purgeLoginAddresses(before: 110)
        #expect(try await !store.hasLoggedIn(email: "user1@example.com", from: "198.51.100.9", since: 0))
        #expect(try await store.hasLoggedIn(email: "user1@example.com", from: "198.51.100.10", since: 0))
    }
}
