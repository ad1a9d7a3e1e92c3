import Foundation
import Testing

@testable import AuthCore

@Suite struct RefreshRotationTests {
    @Test func eachRefreshReturnsANewWorkingTokenAndUsesUpTheOld() async throws {
        let h = try await Harness { $0.refreshGrace = 0 }
        let first = try await h.account().grant
        h.clock.advance(1)
        let second = try await h.service.refresh(token: first.refreshToken)
        #expect(second.refreshToken != first.refreshToken)
        #expect(second.sessionID == first.sessionID)
        h.clock.advance(1)
        let third = try await h.service.refresh(token: second.refreshToken)
        #expect(third.refreshToken != second.refreshToken)
    }

    @Test func reuseOfAUsedUpTokenRevokesTheWholeSession() async throws {
        let h = try await Harness { $0.refreshGrace = 10 }
        let first = try await h.account().grant
        let second = try await h.service.refresh(token: first.refreshToken)
        h.clock.advance(11)
        #expect(await errorCode { _ = try await h.service.refresh(token: first.refreshToken) } == .invalidGrant)
        // Every token of the session is dead now, the newest included, and so is its access token.
        #expect(await errorCode { _ = try await h.service.refresh(token: second.refreshToken) } == .invalidGrant)
        #expect(await errorCode { _ = try await h.service.authenticate(bearer: second.accessToken) } == .invalidToken)
        let session = try #require(try await h.store.session(id: first.sessionID))
        #expect(session.endReason == SessionEndReason.refreshTokenReuse.rawValue)
    }

    @Test func reuseOfAnOlderGenerationIsReuseEvenInsideTheWindow() async throws {
        let h = try await Harness { $0.refreshGrace = 10 }
        let first = try await h.account().grant
        let second = try await h.service.refresh(token: first.refreshToken)
        _ = try await h.service.refresh(token: second.refreshToken)
        // `first` is two rotations back: only the token just rotated away is forgiven.
        #expect(await errorCode { _ = try await h.service.refresh(token: first.refreshToken) } == .invalidGrant)
        #expect(try await h.store.session(id: first.sessionID)?.endReason == "refresh_token_reuse")
    }

    @Test func concurrentRefreshesOfOneTokenAllGetWorkingTokens() async throws {
        let h = try await Harness { $0.refreshGrace = 10 }
        let first = try await h.account().grant
        let grants = try await withThrowingTaskGroup(of: TokenGrant.self) { group in
            for _ in 0..<16 { group.addTask { try await h.service.refresh(token: first.refreshToken) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(grants.count == 16)
        #expect(Set(grants.map(\.refreshToken)).count == 16)
        // Each caller's token works in turn, as two tabs would use theirs.
        for grant in grants {
            _ = try await h.service.refresh(token: grant.refreshToken)
        }
        #expect(try await h.store.session(id: first.sessionID)?.endedAt == nil)
    }

    @Test func graceEndsAfterTheWindow() async throws {
        let h = try await Harness { $0.refreshGrace = 10 }
        let first = try await h.account().grant
        _ = try await h.service.refresh(token: first.refreshToken)
        h.clock.advance(9)
        _ = try await h.service.refresh(token: first.refreshToken)  // still inside: 9 s after rotation
        h.clock.advance(1)
        #expect(await errorCode { _ = try await h.service.refresh(token: first.refreshToken) } == .invalidGrant)
    }

    @Test func aGraceOfZeroForgivesNothing() async throws {
        let h = try await Harness { $0.refreshGrace = 0 }
        let first = try await h.account().grant
        _ = try await h.service.refresh(token: first.refreshToken)
        #expect(await errorCode { _ = try await h.service.refresh(token: first.refreshToken) } == .invalidGrant)
    }

    @Test func unknownAndMalformedTokensAreInvalidGrant() async throws {
        let h = try await Harness()
        for token in ["", "nope", String(repeating: "x", count: 10_000)] {
            #expect(await errorCode { _ = try await h.service.refresh(token: token) } == .invalidGrant)
        }
    }

    @Test func sessionsExpireWhenIdle() async throws {
        let h = try await Harness {
            $0.sessionIdleTTL = 100
            $0.sessionTTL = 1_000
        }
        let first = try await h.account().grant
        h.clock.advance(99)
        let second = try await h.service.refresh(token: first.refreshToken)  // use keeps it alive
        h.clock.advance(99)
        let third = try await h.service.refresh(token: second.refreshToken)
        h.clock.advance(100)
        #expect(await errorCode { _ = try await h.service.refresh(token: third.refreshToken) } == .invalidGrant)
    }

    @Test func sessionsExpireAtTheirAbsoluteLifetimeEvenWhenUsed() async throws {
        let h = try await Harness {
            $0.sessionIdleTTL = 100
            $0.sessionTTL = 250
            $0.accessTokenTTL = 60
        }
        var grant = try await h.account().grant
        for _ in 0..<4 {
            h.clock.advance(60)
            grant = try await h.service.refresh(token: grant.refreshToken)
        }
        h.clock.advance(10)  // 250 s after login
        #expect(await errorCode { _ = try await h.service.refresh(token: grant.refreshToken) } == .invalidGrant)
    }

    @Test func revokingARefreshTokenEndsItsSession() async throws {
        let h = try await Harness()
        let grant = try await h.account().grant
        try await h.service.revoke(refreshToken: grant.refreshToken)
        try await h.service.revoke(refreshToken: "unknown token")  // silently ignored (RFC 7009)
        #expect(await errorCode { _ = try await h.service.refresh(token: grant.refreshToken) } == .invalidGrant)
        #expect(await errorCode { _ = try await h.service.authenticate(bearer: grant.accessToken) } == .invalidToken)
    }

    @Test func storesOnlyHashesOfRefreshTokens() async throws {
        let h = try await Harness()
        let grant = try await h.account().grant
        let stored = try await h.store.writer.read { db in try Data.fetchAll(db, sql: "SELECT token_hash FROM refresh_tokens") }
        #expect(stored == [Data(OpaqueToken.hash(grant.refreshToken))])
    }
}

@Suite struct RefreshRulesTests {
    let session = Session(
        id: "s", accountID: "a", createdAt: 0, lastUsedAt: 100, expiresAt: 1_000, generation: 3, rotatedAtMillis: 100_000,
        userAgent: "", ip: "")

    func decide(generation: Int64, usedAt: Int64?, now: Int64, active: Bool = true, session: Session? = nil) -> RefreshDecision {
        RefreshRules.decide(
            RefreshCandidate(tokenGeneration: generation, tokenUsedAt: usedAt, session: session ?? self.session, accountIsActive: active),
            nowMillis: now * 1000, idleTTL: 500, grace: 10)
    }

    @Test func decidesEachCase() {
        #expect(decide(generation: 3, usedAt: nil, now: 105) == .rotate)
        #expect(decide(generation: 2, usedAt: 100, now: 109) == .grace)
        #expect(decide(generation: 2, usedAt: 100, now: 110) == .reuse)
        #expect(decide(generation: 1, usedAt: 50, now: 101) == .reuse)
        #expect(decide(generation: 3, usedAt: nil, now: 105, active: false) == .reject)
        #expect(decide(generation: 3, usedAt: nil, now: 600) == .reject)  // idle
        var ended = session
        ended.endedAt = 101
        ended.endReason = "logout"
        #expect(decide(generation: 1, usedAt: 50, now: 102, session: ended) == .reject)
    }
}
