import Testing

@testable import AuthCore

@Suite struct EmailTokenStoreContract {
    static func token(_ n: UInt8, _ purpose: EmailToken.Purpose = .resetPassword, account: Int = 1, at: Int64 = 100,
        email: String = "user1@example.com") -> EmailToken
    {
        EmailToken(hash: Sample.tokenHash(n), accountID: Sample.id(account), purpose: purpose, email: email, createdAt: at, expiresAt: at + 600)
    }

    static func mail(_ n: Int, at: Int64 = 100) -> OutgoingMail {
        OutgoingMail(
            id: Sample.id(50_000 + n), accountID: Sample.id(1), recipient: "user1@example.com", purpose: .resetPassword,
            sealedMessage: [1, 2, 3], createdAt: at)
    }

    @Test(arguments: StoreUnderTest.all)
    func issuingReplacesTheEarlierTokenOfThePurposeWithItsMailInOneCommit(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        #expect(try await store.issue(Self.token(1), queueing: [Self.mail(1)], unlessIssuedAfter: 0))
        #expect(try await store.issue(Self.token(2, .verifyEmail), queueing: [], unlessIssuedAfter: 0))
        #expect(try await !store.issue(Self.token(3, at: 150), queueing: [Self.mail(2)], unlessIssuedAfter: 90))
        #expect(try await store.emailToken(hash: Sample.tokenHash(3)) == nil)
        #expect(try await store.outboxBacklog().pending == 1)
        #expect(try await store.issue(Self.token(3, at: 200), queueing: [Self.mail(2)], unlessIssuedAfter: 140))
        #expect(try await store.emailToken(hash: Sample.tokenHash(1)) == nil)
        #expect(try await store.emailToken(hash: Sample.tokenHash(2)) == Self.token(2, .verifyEmail))
        #expect(try await store.emailToken(hash: Sample.tokenHash(3)) == Self.token(3, at: 200))
        #expect(try await store.outboxBacklog().pending == 2)
    }

    @Test(arguments: StoreUnderTest.all)
    func aTokenIsRedeemedOnceBeforeItExpires(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        for n in [1, 2] as [UInt8] {
            _ = try await store.issue(Self.token(n, n == 1 ? .verifyEmail : .resetPassword), queueing: [], unlessIssuedAfter: 0)
        }
        #expect(try await !store.redeem(Self.token(1, .verifyEmail), .verifyEmail, now: 700))
        #expect(try await store.redeem(Self.token(1, .verifyEmail), .verifyEmail, now: 699))
        _ = try await store.issue(Self.token(3, .verifyEmail, at: 700), queueing: [], unlessIssuedAfter: 0)
        #expect(try await store.redeem(Self.token(3, .verifyEmail, at: 700), .verifyEmail, now: 701))
        #expect(try await !store.redeem(Self.token(3, .verifyEmail, at: 700), .verifyEmail, now: 702))
        #expect(try await store.account(id: Sample.id(1))?.emailVerified == true)
    }

    @Test(arguments: StoreUnderTest.all)
    func aResetSetsTheHashProvesTheEmailAndEndsEverySession(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let session = try await Sample.loggedIn(store)
        _ = try await store.issue(Self.token(1), queueing: [], unlessIssuedAfter: 0)
        #expect(try await store.redeem(Self.token(1), .resetPassword(hash: "$argon2id$new"), now: 200))
        let account = try #require(try await store.account(id: Sample.id(1)))
        #expect(account.passwordHash == "$argon2id$new" && account.emailVerified)
        #expect(try await store.session(id: session.id)?.endReason == SessionEndReason.passwordReset.rawValue)
    }

    @Test(arguments: StoreUnderTest.all)
    func aTokenForAnAddressTheAccountLeftChangesNothing(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        let stale = Self.token(1, email: "old@example.com")
        _ = try await store.issue(stale, queueing: [], unlessIssuedAfter: 0)
        #expect(try await !store.redeem(stale, .resetPassword(hash: "$argon2id$new"), now: 200))
        #expect(try await store.account(id: Sample.id(1))?.passwordHash == "$argon2id$sample")
        #expect(try await store.emailToken(hash: stale.hash) == stale)
    }

    @Test(arguments: StoreUnderTest.all)
    func anEmailChangeToATakenAddressChangesNothing(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        try await store.insertAccount(Sample.account(2))
        let change = Self.token(1, .changeEmail, email: "user2@example.com")
        _ = try await store.issue(change, queueing: [], unlessIssuedAfter: 0)
        await #expect(throws: AuthError(.accountExists, "Another account has taken this email meanwhile.")) {
            _ = try await store.redeem(change, .changeEmail, now: 200)
        }
        #expect(try await store.emailToken(hash: change.hash) == change)
        _ = try await store.deleteAccount(id: Sample.id(2))
        #expect(try await store.redeem(change, .changeEmail, now: 200))
        #expect(try await store.account(email: "user2@example.com")?.id == Sample.id(1))
    }

    @Test(arguments: StoreUnderTest.all)
    func aNewPasswordVoidsResetTokensOnly(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        _ = try await store.issue(Self.token(1), queueing: [], unlessIssuedAfter: 0)
        _ = try await store.issue(Self.token(2, .verifyEmail), queueing: [], unlessIssuedAfter: 0)
        try await store.setPassword(accountID: Sample.id(1), hash: "$argon2id$new", ending: .none, now: 200)
        #expect(try await store.emailToken(hash: Sample.tokenHash(1)) == nil)
        #expect(try await store.emailToken(hash: Sample.tokenHash(2)) != nil)
    }

    @Test(arguments: StoreUnderTest.all)
    func expiredTokensArePurgedInBatches(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        for n in 1...3 {
            try await store.insertAccount(Sample.account(n))
            _ = try await store.issue(Self.token(UInt8(n), account: n, at: Int64(n) * 1_000), queueing: [], unlessIssuedAfter: 0)
        }
        #expect(try await store.purgeEmailTokens(expiredBefore: 2_601, limit: 1) == 1)
        #expect(try await store.purgeEmailTokens(expiredBefore: 2_601, limit: 10) == 1)
        #expect(try await store.emailToken(hash: Sample.tokenHash(3)) != nil)
    }
}
