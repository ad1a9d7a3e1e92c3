import AuthTokens
import Testing

@testable import AuthCore

@Suite struct AccountFlowTests {
    @Test func signUpStoresANormalizedEmailAndAnArgon2idHash() async throws {
        let h = try await Harness()
        let account = try await h.service.signUp(email: " Ada@Example.COM", password: "correct horse battery")
        #expect(account.email == "ada@example.com" && account.status == .active)
        #expect(account.id == account.id.lowercased() && account.id.count == 36)
        #expect(try await h.store.account(id: account.id)?.passwordHash?.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$") == true)
    }

    @Test func signUpRefusesTakenEmailsCaseInsensitively() async throws {
        let h = try await Harness()
        try await h.account()
        #expect(await errorCode { _ = try await h.service.signUp(email: "ADA@example.com", password: "another good one") } == .accountExists)
    }

    @Test func loginIssuesAVerifiableAccessToken() async throws {
        let h = try await Harness()
        let (account, grant) = try await h.account()
        #expect(grant.expiresIn == 900)
        let verifier = AccessTokenVerifier(issuer: h.service.settings.issuer, audience: "listings")
        guard case .valid(let claims) = verifier.verify(grant.accessToken, keys: h.service.keys.verificationKeys, now: h.clock.now.date()) else {
            Issue.record("token did not verify")
            return
        }
        #expect(claims.subject == account.id && claims.sessionID == grant.sessionID)
        #expect(claims.expiresAt - claims.issuedAt == 900)
    }

    @Test func wrongPasswordUnknownEmailAndDisabledAccountFailAlike() async throws {
        let h = try await Harness()
        let (account, _) = try await h.account()
        #expect(await errorCode { _ = try await h.logIn(password: "wrong password!") } == .invalidGrant)
        #expect(await errorCode { _ = try await h.logIn("nobody@example.com") } == .invalidGrant)
        #expect(await errorCode { _ = try await h.logIn("not an email") } == .invalidGrant)
        _ = try await h.store.setStatus(accountID: account.id, status: .disabled, ending: .all(.accountDisabled), now: 0)
        #expect(await errorCode { _ = try await h.logIn() } == .invalidGrant)
    }

    @Test func disablingAnAccountEndsItsAccess() async throws {
        let h = try await Harness()
        let (account, grant) = try await h.account()
        _ = try await h.service.authenticate(bearer: grant.accessToken)
        _ = try await h.store.setStatus(accountID: account.id, status: .disabled, ending: .all(.accountDisabled), now: 0)
        #expect(await errorCode { _ = try await h.service.authenticate(bearer: grant.accessToken) } == .invalidToken)
        #expect(await errorCode { _ = try await h.service.refresh(token: grant.refreshToken) } == .invalidGrant)
    }

    @Test func changingThePasswordEndsEveryOtherSession() async throws {
        let h = try await Harness()
        let (_, phone) = try await h.account()
        let laptop = try await h.logIn()
        let principal = try await h.service.authenticate(bearer: laptop.accessToken)
        #expect(await errorCode { try await h.service.changePassword(principal, current: "wrong!!!!", new: "new good password", client: Harness.client) } == .invalidGrant)
        #expect(await errorCode { try await h.service.changePassword(principal, current: "correct horse battery", new: "password", client: Harness.client) } == .weakPassword)
        try await h.service.changePassword(principal, current: "correct horse battery", new: "new good password", client: Harness.client)
        _ = try await h.service.authenticate(bearer: laptop.accessToken)
        #expect(await errorCode { _ = try await h.service.authenticate(bearer: phone.accessToken) } == .invalidToken)
        #expect(await errorCode { _ = try await h.service.refresh(token: phone.refreshToken) } == .invalidGrant)
        #expect(await errorCode { _ = try await h.logIn() } == .invalidGrant)
        _ = try await h.logIn(password: "new good password")
    }

    @Test func logoutLocalEndsOneSessionAndGlobalEndsAll() async throws {
        let h = try await Harness()
        let (_, first) = try await h.account()
        let second = try await h.logIn()
        let third = try await h.logIn()
        try await h.service.logOut(try await h.service.authenticate(bearer: first.accessToken), scope: .local)
        #expect(await errorCode { _ = try await h.service.authenticate(bearer: first.accessToken) } == .invalidToken)
        _ = try await h.service.authenticate(bearer: second.accessToken)
        try await h.service.logOut(try await h.service.authenticate(bearer: second.accessToken), scope: .global)
        #expect(await errorCode { _ = try await h.service.authenticate(bearer: third.accessToken) } == .invalidToken)
        #expect(await errorCode { _ = try await h.service.refresh(token: third.refreshToken) } == .invalidGrant)
    }

    @Test func listsLiveSessionsNewestFirstAndDeletesOnlyTheCallers() async throws {
        let h = try await Harness()
        let (_, first) = try await h.account()
        let second = try await h.logIn()  // same second: order must still be exact
        let other = try await h.account("grace@example.com").grant
        let principal = try await h.service.authenticate(bearer: first.accessToken)
        #expect(try await h.service.listSessions(accountID: principal.account.id).map(\.id) == [second.sessionID, first.sessionID])
        #expect(await errorCode { try await h.service.endSession(accountID: principal.account.id, id: other.sessionID) } == .notFound)
        #expect(await errorCode { try await h.service.endSession(accountID: principal.account.id, id: "no-such-session") } == .notFound)
        try await h.service.endSession(accountID: principal.account.id, id: second.sessionID)
        #expect(await errorCode { try await h.service.endSession(accountID: principal.account.id, id: second.sessionID) } == .notFound)
        #expect(try await h.service.listSessions(accountID: principal.account.id).map(\.id) == [first.sessionID])
        _ = try await h.service.authenticate(bearer: other.accessToken)
    }

    @Test func sessionsRecordClientAndAgent() async throws {
        let h = try await Harness()
        try await h.service.signUp(email: "ada@example.com", password: "correct horse battery")
        let grant = try await h.service.logIn(
            email: "ada@example.com", password: "correct horse battery",
            client: ClientInfo(ip: "203.0.113.9", userAgent: "Mozilla/5.0 " + String(repeating: "x", count: 1_000))
        ).granted()
        let session = try #require(try await h.store.session(id: grant.sessionID))
        #expect(session.ip == "203.0.113.9" && session.userAgent.count == 512)
    }

    @Test func outdatedHashesAreUpgradedAtLogin() async throws {
        let h = try await Harness()
        let (account, _) = try await h.account()
        let old = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(try await h.store.replacePasswordHash(accountID: account.id, expected: account.passwordHash!, with: old, now: 0))
        _ = try await h.logIn(password: "password")
        let upgraded = try #require(try await h.store.account(id: account.id)?.passwordHash)
        #expect(upgraded.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))
        _ = try await h.logIn(password: "password")
    }

    @Test func aLoginThatRacedAPasswordChangeOpensNoSession() async throws {
        let h = try await Harness()
        let (account, _) = try await h.account()
        let session = Session(id: RandomSource.system.identifier(), accountID: account.id, createdAt: 0, lastUsedAt: 0, expiresAt: 10, userAgent: "", ip: "")
        try await h.store.setPassword(accountID: account.id, hash: "$argon2id$changed", ending: .all(.passwordChanged), now: 0)
        #expect(try await h.store.createSession(
            session, refreshTokenHash: RandomSource.system.opaqueToken().hash, verifiedHash: account.passwordHash!, forgiving: nil, loginAddress: nil, audit: nil) == false)
    }

    @Test func aStaleUpgradeLosesToAConcurrentPasswordChange() async throws {
        let h = try await Harness()
        let (account, _) = try await h.account()
        #expect(try await h.store.replacePasswordHash(accountID: account.id, expected: "stale", with: "$x", now: 0) == false)
    }
}
