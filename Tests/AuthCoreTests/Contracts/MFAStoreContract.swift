import Testing

@testable import AuthCore

@Suite struct MFAStoreContract {
    static func factor(_ account: Int = 1, at: Int64 = 100) -> TOTPFactor {
        TOTPFactor(accountID: Sample.id(account), sealedSecret: [1, 2, 3], createdAt: at)
    }

    static let codes = (1...10).map { Sample.tokenHash(UInt8($0)) }

    @Test(arguments: StoreUnderTest.all)
    func anEnrolmentIsPendingUntilConfirmedAndThenTurnsMFAOn(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        #expect(try await store.beginTOTPEnrolment(Self.factor(at: 100)))
        #expect(try await store.beginTOTPEnrolment(Self.factor(at: 200)))  // replaces the pending one
        #expect(try await store.totpFactor(accountID: Sample.id(1)) == Self.factor(at: 200))
        #expect(try await !store.useTOTPStep(accountID: Sample.id(1), step: 5))  // not confirmed yet
        #expect(try await store.confirmTOTP(accountID: Sample.id(1), step: 7, recoveryCodeHashes: Self.codes, now: 300))
        #expect(try await !store.confirmTOTP(accountID: Sample.id(1), step: 8, recoveryCodeHashes: Self.codes, now: 300))
        let factor = try #require(try await store.totpFactor(accountID: Sample.id(1)))
        #expect(factor.confirmed && factor.lastStep == 7)
        #expect(try await store.account(id: Sample.id(1))?.mfaEnabled == true)
        #expect(try await !store.beginTOTPEnrolment(Self.factor(at: 400)))
        #expect(try await Set(store.recoveryCodeHashes(accountID: Sample.id(1))) == Set(Self.codes))
    }

    @Test(arguments: StoreUnderTest.all)
    func eachStepAndEachRecoveryCodeIsAcceptedOnce(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        _ = try await store.beginTOTPEnrolment(Self.factor())
        _ = try await store.confirmTOTP(accountID: Sample.id(1), step: 7, recoveryCodeHashes: Self.codes, now: 300)
        #expect(try await !store.useTOTPStep(accountID: Sample.id(1), step: 7))
        #expect(try await store.useTOTPStep(accountID: Sample.id(1), step: 9))
        #expect(try await !store.useTOTPStep(accountID: Sample.id(1), step: 8))
        #expect(try await store.useRecoveryCode(accountID: Sample.id(1), hash: Self.codes[0]))
        #expect(try await !store.useRecoveryCode(accountID: Sample.id(1), hash: Self.codes[0]))
        #expect(try await store.recoveryCodeHashes(accountID: Sample.id(1)).count == 9)
        #expect(try await store.replaceRecoveryCodes(accountID: Sample.id(1), hashes: [Sample.tokenHash(99)]))
        #expect(try await store.recoveryCodeHashes(accountID: Sample.id(1)) == [Sample.tokenHash(99)])
    }

    @Test(arguments: StoreUnderTest.all)
    func removingTheFactorTakesTheCodesAndPendingLoginsAlong(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        #expect(try await !store.removeTOTP(accountID: Sample.id(1), now: 300))
        #expect(try await !store.replaceRecoveryCodes(accountID: Sample.id(1), hashes: Self.codes))
        _ = try await store.beginTOTPEnrolment(Self.factor())
        _ = try await store.confirmTOTP(accountID: Sample.id(1), step: 7, recoveryCodeHashes: Self.codes, now: 300)
        try await store.createMFAChallenge(MFAStoreContract.challenge(1))
        #expect(try await store.removeTOTP(accountID: Sample.id(1), now: 400))
        #expect(try await store.totpFactor(accountID: Sample.id(1)) == nil)
        #expect(try await store.recoveryCodeHashes(accountID: Sample.id(1)).isEmpty)
        #expect(try await store.mfaChallenge(hash: Sample.tokenHash(1)) == nil)
        #expect(try await store.account(id: Sample.id(1))?.mfaEnabled == false)
    }

    static func challenge(_ n: UInt8, at: Int64 = 100) -> MFAChallenge {
        MFAChallenge(hash: Sample.tokenHash(n), accountID: Sample.id(1), clientID: "web", verifiedHash: "$argon2id$sample", createdAt: at, expiresAt: at + 300)
    }

    @Test(arguments: StoreUnderTest.all)
    func aChallengeEndsAtItsUseItsExpiryOrItsLimitOfFailures(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        for n in 1...3 as ClosedRange<UInt8> { try await store.createMFAChallenge(Self.challenge(n)) }
        #expect(try await store.mfaChallenge(hash: Sample.tokenHash(1)) == Self.challenge(1))
        #expect(try await store.consumeMFAChallenge(hash: Sample.tokenHash(1), now: 399))
        #expect(try await !store.consumeMFAChallenge(hash: Sample.tokenHash(1), now: 399))
        #expect(try await !store.consumeMFAChallenge(hash: Sample.tokenHash(2), now: 400))
        for _ in 0..<2 { try await store.recordMFAChallengeFailure(hash: Sample.tokenHash(3), limit: 3) }
        #expect(try await store.mfaChallenge(hash: Sample.tokenHash(3))?.failures == 2)
        try await store.recordMFAChallengeFailure(hash: Sample.tokenHash(3), limit: 3)
        #expect(try await store.mfaChallenge(hash: Sample.tokenHash(3)) == nil)
        #expect(try await store.purgeMFAChallenges(expiredBefore: 401, limit: 10) == 1)
    }
}
