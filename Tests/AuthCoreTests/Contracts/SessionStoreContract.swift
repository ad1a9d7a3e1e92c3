import Testing

@testable import AuthCore

@Suite struct SessionStoreContract {
    @Test(arguments: StoreUnderTest.all)
    func opensASessionOnlyForTheVerifiedHashOfAnActiveAccount(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        let stale = try await store.createSession(
            Sample.session(1, account: 1), refreshTokenHash: Sample.tokenHash(1), verifiedHash: "$other", forgiving: nil,
            loginAddress: nil, audit: nil)
        #expect(!stale)
        _ = try await store.setStatus(accountID: Sample.id(1), status: .disabled, ending: .none, now: 100)
        let disabled = try await store.createSession(
            Sample.session(1, account: 1), refreshTokenHash: Sample.tokenHash(1), verifiedHash: "$argon2id$sample",
            forgiving: nil, loginAddress: nil, audit: nil)
        #expect(!disabled)
        #expect(try await store.openSessions(accountID: Sample.id(1)).isEmpty)
    }

    @Test(arguments: StoreUnderTest.all)
    func aLoginCommitsItsSessionForgivenFailuresAddressAndAuditTogether(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        try await store.updateLoginFailures(email: "user1@example.com", ips: ["192.0.2.1", "*"], now: 100) { records in
            records.map { _ in .replace(LoginFailures(failures: 1, lockedUntil: 0)) }
        }
        let session = Sample.session(1, account: 1)
        #expect(try await store.createSession(
            session, refreshTokenHash: Sample.tokenHash(1), verifiedHash: "$argon2id$sample",
            forgiving: LoginFailureKeys(email: "user1@example.com", ips: ["192.0.2.1", "*"]), loginAddress: "192.0.2.1",
            audit: AuditEvent(kind: .loginSucceeded, at: 100, accountID: Sample.id(1))))
        let records = try await store.updateLoginFailures(email: "user1@example.com", ips: ["192.0.2.1", "*"], now: 100) {
            $0.map { _ in .keep }
        }
        #expect(records == [nil, nil])
        #expect(try await store.hasLoggedIn(email: "user1@example.com", from: "192.0.2.1", since: 100))
        #expect(try await store.auditEvents(AuditFilter(accountID: Sample.id(1))).map(\.kind) == [.loginSucceeded])
        let (found, account) = try #require(try await store.sessionWithAccount(id: session.id))
        #expect(found == session && account.id == Sample.id(1))
    }

    @Test(arguments: StoreUnderTest.all)
    func exchangesATokenByTheDomainsVerdict(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let session = try await Sample.loggedIn(store)
        let rotated = try await store.exchangeRefreshToken(hash: Sample.tokenHash(1), replacementHash: Sample.tokenHash(2), nowMillis: 150_000) {
            #expect($0.tokenGeneration == 0 && $0.tokenUsedAt == nil && $0.accountIsActive && $0.session.id == session.id)
            return .rotate
        }
        #expect(rotated?.decision == .rotate && rotated?.session.generation == 1 && rotated?.session.rotatedAtMillis == 150_000)
        let again = try await store.exchangeRefreshToken(hash: Sample.tokenHash(1), replacementHash: Sample.tokenHash(3), nowMillis: 151_000) {
            #expect($0.tokenGeneration == 0 && $0.tokenUsedAt == 150)
            return .grace
        }
        #expect(again?.decision == .grace && again?.session.generation == 1)
        // The grace token works as a current one; the reuse verdict ends the session.
        #expect(try await store.exchangeRefreshToken(hash: Sample.tokenHash(3), replacementHash: Sample.tokenHash(4), nowMillis: 152_000) { _ in .rotate }?.session.generation == 2)
        #expect(try await store.exchangeRefreshToken(hash: Sample.tokenHash(1), replacementHash: Sample.tokenHash(5), nowMillis: 153_000) { _ in .reuse }?.decision == .reuse)
        #expect(try await store.session(id: session.id)?.endReason == "refresh_token_reuse")
        #expect(try await store.exchangeRefreshToken(hash: Sample.tokenHash(99), replacementHash: Sample.tokenHash(6), nowMillis: 1) { _ in .rotate } == nil)
    }

    @Test(arguments: StoreUnderTest.all)
    func concurrentExchangesOfOneTokenRotateOnce(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        _ = try await Sample.loggedIn(store)
        let verdicts = try await withThrowingTaskGroup(of: RefreshDecision?.self) { group in
            for n in 0..<20 {
                group.addTask {
                    try await store.exchangeRefreshToken(hash: Sample.tokenHash(1), replacementHash: Sample.tokenHash(UInt8(10 + n)), nowMillis: 200_000) {
                        $0.tokenUsedAt == nil ? .rotate : .reject
                    }?.decision
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(verdicts.filter { $0 == .rotate }.count == 1 && verdicts.filter { $0 == .reject }.count == 19)
    }

    @Test(arguments: StoreUnderTest.all)
    func twoNodesExchangingOneTokenAtOnceRotateItOnce(_ s: StoreUnderTest) async throws {
        let (first, second) = try await s.makeNodes()
        for n in 0..<50 {
            let session = try await Sample.loggedIn(first, session: n, token: UInt8(n))
            let verdicts = try await withThrowingTaskGroup(of: RefreshDecision?.self) { group in
                for (node, replacement) in [(first, 100 + n), (second, 200 + n)] as [(any AuthStore, Int)] {
                    group.addTask {
                        try await node.exchangeRefreshToken(
                            hash: Sample.tokenHash(UInt8(n)), replacementHash: Sample.tokenHash(UInt8(replacement)),
                            nowMillis: 200_000
                        ) { RefreshRules.decide($0, nowMillis: 200_000, idleTTL: 1_000, grace: 10) }?.decision
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(verdicts.filter { $0 == .rotate }.count == 1 && verdicts.contains { $0 == .grace || $0 == .reuse })
            #expect(try await second.session(id: session.id)?.generation == 1)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func endsSessionsOneByTokenOrAllButOne(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let a = try await Sample.loggedIn(store, session: 1, token: 1)
        let b = try await Sample.loggedIn(store, session: 2, token: 2)
        let c = try await Sample.loggedIn(store, session: 3, token: 3)
        #expect(try await store.liveSessionCount(now: 150, idleTTL: 1_000) == 3)
        #expect(try await store.endSession(refreshTokenHash: Sample.tokenHash(1), reason: .revoked, now: 160)! == (a.id, Sample.id(1)))
        #expect(try await store.endSession(refreshTokenHash: Sample.tokenHash(1), reason: .revoked, now: 161) == nil)
        #expect(try await !store.endSession(id: b.id, accountID: Sample.id(2), reason: .logout, now: 162))
        #expect(try await store.endSession(id: b.id, accountID: Sample.id(1), reason: .logout, now: 162))
        _ = try await Sample.loggedIn(store, session: 4, token: 4)
        #expect(try await store.endSessions(accountID: Sample.id(1), except: c.id, reason: .logout, now: 170) == 1)
        #expect(try await store.openSessions(accountID: Sample.id(1)).map(\.id) == [c.id])
        #expect(try await store.liveSessionCount(now: 150, idleTTL: 1_000) == 1)
        #expect(try await store.liveSessionCount(now: 1_200, idleTTL: 1_000) == 0)  // past its expiry
    }

    @Test(arguments: StoreUnderTest.all)
    func purgesEndedSessionsAndUsedTokensInBatches(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        for n in 1...3 { _ = try await Sample.loggedIn(store, session: n, token: UInt8(n)) }  // each expires at 1,100
        _ = try await store.exchangeRefreshToken(hash: Sample.tokenHash(3), replacementHash: Sample.tokenHash(30), nowMillis: 500_000) { _ in .rotate }
        #expect(try await store.purgeUsedRefreshTokens(usedBefore: 500, limit: 10) == 0)
        #expect(try await store.purgeUsedRefreshTokens(usedBefore: 501, limit: 10) == 1)
        #expect(try await store.purgeSessions(endedBefore: 1_100, limit: 10) == 0)
        #expect(try await store.purgeSessions(endedBefore: 1_101, limit: 2) == 2)
        #expect(try await store.purgeSessions(endedBefore: 1_101, limit: 2) == 1)
        #expect(try await store.exchangeRefreshToken(hash: Sample.tokenHash(30), replacementHash: Sample.tokenHash(31), nowMillis: 1) { _ in .rotate } == nil)
    }
}
