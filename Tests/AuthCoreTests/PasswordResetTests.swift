import Testing

@testable import AuthCore

/// Recovery by email through the use cases.
@Suite struct PasswordResetTests {
    let client = Harness.client

    @Test func forgotMailsOnlyAnActiveAccountAndOnlyOncePerInterval() async throws {
        let h = try await Harness { $0.verifyOnSignUp = false }
        let (account, _) = try await h.account()
        try await h.service.signUp(email: "off@example.com", password: "correct horse battery")
        let off = try #require(try await h.store.account(email: "off@example.com"))
        _ = try await h.store.setStatus(accountID: off.id, status: .disabled, ending: .none, now: 0)
        for email in ["nobody@example.com", "off@example.com", "ADA@example.com", "ada@example.com"] {
            try await h.service.forgotPassword(email: email, client: client)
        }
        try await h.deliverMail()
        #expect(h.mailbox.delivered.map { $0.fields["to"] } == ["ada@example.com"])
        #expect(h.mailbox.delivered.first?.fields["link"]?.hasPrefix("http://127.0.0.1:8080/reset-password?token=") == true)
        #expect(h.mailbox.delivered.first?.fields["expires_in_minutes"] == "60")
        #expect(await errorCode { try await h.service.forgotPassword(email: "not an email", client: client) } == .invalidEmail)
        let kinds = try await h.store.auditEvents(AuditFilter(kind: .passwordResetRequested)).map(\.accountID)
        #expect(kinds.filter { $0 == account.id }.count == 2 && kinds.count == 4)
    }

    @Test func aResetSetsThePasswordEndsEverySessionAndProvesTheEmail() async throws {
        let h = try await Harness()
        let (account, grant) = try await h.account()
        try await h.service.forgotPassword(email: "ada@example.com", client: client)
        let token = try #require(try await h.mailedToken(.resetPassword))
        try await h.service.resetPassword(token: token, newPassword: "a brand new passphrase", client: client)
        #expect(await errorCode { _ = try await h.service.refresh(token: grant.refreshToken, client: client) } == .invalidGrant)
        #expect(await errorCode { _ = try await h.service.authenticate(bearer: grant.accessToken) } == .invalidToken)
        #expect(await errorCode { _ = try await h.logIn() } == .invalidGrant)
        _ = try await h.logIn(password: "a brand new passphrase")
        #expect(try await h.store.account(id: account.id)?.emailVerified == true)
        #expect(
            await errorCode { try await h.service.resetPassword(token: token, newPassword: "another passphrase", client: client) }
                == .invalidGrant)
    }

    @Test func aWeakPasswordLeavesTheLinkUsable() async throws {
        let h = try await Harness()
        try await h.account()
        try await h.service.forgotPassword(email: "ada@example.com", client: client)
        let token = try #require(try await h.mailedToken(.resetPassword))
        #expect(await errorCode { try await h.service.resetPassword(token: token, newPassword: "password", client: client) } == .weakPassword)
        try await h.service.resetPassword(token: token, newPassword: "a brand new passphrase", client: client)
    }

    @Test func aPasswordChangeVoidsTheResetLink() async throws {
        let h = try await Harness()
        let (_, grant) = try await h.account()
        try await h.service.forgotPassword(email: "ada@example.com", client: client)
        let token = try #require(try await h.mailedToken(.resetPassword))
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        try await h.service.changePassword(principal, current: "correct horse battery", new: "a brand new passphrase", client: client)
        #expect(
            await errorCode { try await h.service.resetPassword(token: token, newPassword: "yet another passphrase", client: client) }
                == .invalidGrant)
    }

    @Test func anExpiredResetLinkIsRefused() async throws {
        let h = try await Harness()
        try await h.account()
        try await h.service.forgotPassword(email: "ada@example.com", client: client)
        let token = try #require(try await h.mailedToken(.resetPassword))
        h.clock.advance(3_600)
        #expect(
            await errorCode { try await h.service.resetPassword(token: token, newPassword: "a brand new passphrase", client: client) }
                == .invalidGrant)
    }

    @Test func aResetClearsTheLockout() async throws {
        let h = try await Harness { $0.lockoutThreshold = 2 }
        try await h.account()
        for _ in 0..<3 { _ = await errorCode { _ = try await h.logIn(password: "wrong horse battery") } }
        #expect(await errorCode { _ = try await h.logIn() } == .tooManyAttempts)
        try await h.service.forgotPassword(email: "ada@example.com", client: client)
        let token = try #require(try await h.mailedToken(.resetPassword))
        try await h.service.resetPassword(token: token, newPassword: "a brand new passphrase", client: client)
        _ = try await h.logIn(password: "a brand new passphrase")
    }
}
