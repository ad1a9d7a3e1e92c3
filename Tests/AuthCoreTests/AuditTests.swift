import GRDB
import Testing

@testable import AuthCore

@Suite struct AuditTests {
    @Test func recordsEachSecurityEventWithoutSecrets() async throws {
        let h = try await Harness {
            $0.refreshGrace = 0
            $0.lockoutThreshold = 2
        }
        let (account, first) = try await h.account()
        _ = await errorCode { _ = try await h.logIn(password: "wrong password") }
        _ = await errorCode { _ = try await h.logIn("ghost@example.com") }
        _ = await errorCode { _ = try await h.logIn("ghost@example.com") }
        _ = await errorCode { _ = try await h.logIn("ghost@example.com") }  // throttled
        let second = try await h.service.refresh(token: first.refreshToken)
        _ = await errorCode { _ = try await h.service.refresh(token: first.refreshToken) }  // reuse
        let third = try await h.logIn()
        let principal = try await h.service.authenticate(bearer: third.accessToken)
        try await h.service.changePassword(principal, current: "correct horse battery", new: "new good password", client: Harness.client)
        try await h.service.logOut(principal, scope: .local, client: Harness.client)

        let events = try await h.store.auditEvents(AuditFilter(limit: 100)).reversed().map(\.kind)
        #expect(
            events == [
                .signUp, .emailVerificationRequested, .loginSucceeded, .loginFailed, .loginFailed, .loginFailed, .loginThrottled, .refreshReuseDetected,
                .loginSucceeded, .passwordChanged, .logout,
            ])
        let mine = try await h.store.auditEvents(AuditFilter(accountID: account.id))
        #expect(mine.count == 8 && mine.allSatisfy { $0.accountID == account.id })
        #expect(try await h.store.auditEvents(AuditFilter(kind: .loginFailed)).count == 3)

        let stored = try await h.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_events").map { $0.description }.joined()
        }
        for secret in [
            "correct horse battery", "new good password", "wrong password", first.refreshToken, second.refreshToken,
            third.accessToken, account.passwordHash!, "$argon2id",
        ] {
            #expect(!stored.contains(secret))
        }
    }

    @Test func theLogIsAppendOnly() async throws {
        let h = try await Harness()
        try await h.account()
        try await h.store.writer.write { db in
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE audit_events SET event = 'x'") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM audit_events") }
        }
        #expect(try await h.store.auditEvents(AuditFilter()).count == 3)
    }
}
