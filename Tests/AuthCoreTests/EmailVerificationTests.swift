import Testing

@testable import AuthCore

/// Verification and email change through the use cases, with the mail read from the outbox.
@Suite struct EmailVerificationTests {
    let client = Harness.client

    @Test func signUpMailsALinkThatProvesTheEmailOnce() async throws {
        let h = try await Harness()
        let (account, _) = try await h.account()
        #expect(!account.emailVerified)
        let token = try #require(try await h.mailedToken(.verifyEmail))
        #expect(token.count == 43)
        let verified = try await h.service.verifyEmail(token: token, client: client)
        #expect(verified.emailVerified)
        #expect(try await h.store.account(id: account.id)?.emailVerified == true)
        #expect(await errorCode { _ = try await h.service.verifyEmail(token: token, client: client) } == .invalidGrant)
    }

    @Test func signUpCanSendNothing() async throws {
        let h = try await Harness { $0.verifyOnSignUp = false }
        try await h.account()
        try await h.deliverMail()
        #expect(h.mailbox.delivered.isEmpty)
    }

    @Test func aNewRequestWaitsForTheIntervalAndVoidsTheEarlierLink() async throws {
        let h = try await Harness()
        let (_, grant) = try await h.account()
        let first = try #require(try await h.mailedToken(.verifyEmail))
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        do {
            try await h.service.requestVerification(principal, client: client)
            Issue.record("a second mail within the interval")
        } catch let error as AuthError {
            #expect(error.code == .tooManyRequests && error.retryAfter == 60)
        }
        h.clock.advance(61)
        try await h.service.requestVerification(principal, client: client)
        let second = try #require(try await h.mailedToken(.verifyEmail))
        #expect(second != first)
        #expect(await errorCode { _ = try await h.service.verifyEmail(token: first, client: client) } == .invalidGrant)
        _ = try await h.service.verifyEmail(token: second, client: client)
        let verified = try await h.service.authenticate(bearer: grant.accessToken)
        #expect(await errorCode { try await h.service.requestVerification(verified, client: client) } == .alreadyVerified)
    }

    @Test func anExpiredLinkIsRefused() async throws {
        let h = try await Harness { $0.verifyTTL = 600 }
        try await h.account()
        let token = try #require(try await h.mailedToken(.verifyEmail))
        h.clock.advance(600)
        #expect(await errorCode { _ = try await h.service.verifyEmail(token: token, client: client) } == .invalidGrant)
    }

    @Test func wrongTokensAreThrottledPerAddressLikeLogins() async throws {
        let h = try await Harness { $0.lockoutThreshold = 3 }
        try await h.account()
        let token = try #require(try await h.mailedToken(.verifyEmail))
        for guess in ["", "short", String(repeating: "A", count: 43)] {
            #expect(await errorCode { _ = try await h.service.verifyEmail(token: guess, client: client) } == .invalidGrant)
        }
        #expect(await errorCode { _ = try await h.service.verifyEmail(token: token, client: client) } == .tooManyAttempts)
        let elsewhere = ClientInfo(ip: "198.51.100.7", userAgent: "tests")
        #expect(try await h.service.verifyEmail(token: token, client: elsewhere).emailVerified)
    }

    @Test func theLoginCanRequireAVerifiedEmail() async throws {
        let h = try await Harness { $0.requireVerifiedEmail = true }
        try await h.service.signUp(email: "ada@example.com", password: "correct horse battery")
        #expect(await errorCode { _ = try await h.logIn(password: "wrong horse battery") } == .invalidGrant)
        #expect(await errorCode { _ = try await h.logIn() } == .emailNotVerified)
        _ = try await h.service.verifyEmail(token: try #require(try await h.mailedToken(.verifyEmail)), client: client)
        _ = try await h.logIn()
    }

    @Test func anEmailChangeMailsTheNewAddressAndNoticesTheOld() async throws {
        let h = try await Harness()
        let (account, grant) = try await h.account()
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        #expect(
            await errorCode {
                try await h.service.changeEmail(principal, newEmail: "ada@new.example", password: "wrong", client: client)
            } == .invalidGrant)
        try await h.service.signUp(email: "taken@example.com", password: "correct horse battery")
        #expect(
            await errorCode {
                try await h.service.changeEmail(principal, newEmail: "taken@example.com", password: "correct horse battery", client: client)
            } == .accountExists)
        try await h.service.changeEmail(principal, newEmail: " Ada@New.Example ", password: "correct horse battery", client: client)
        let token = try #require(try await h.mailedToken(.confirmEmail, to: "ada@new.example"))
        let notice = try #require(h.mailbox.delivered.last { $0.fields["purpose"] == "email-changed" })
        #expect(notice.fields["to"] == "ada@example.com" && notice.fields["link"] == "")
        #expect(notice.fields["new_email"] == "ada@new.example")
        #expect(try await h.store.account(id: account.id)?.email == "ada@example.com")

        let moved = try await h.service.confirmEmail(token: token, client: client)
        #expect(moved.email == "ada@new.example" && moved.emailVerified)
        _ = try await h.logIn("ada@new.example")
        #expect(await errorCode { _ = try await h.logIn("ada@example.com") } == .invalidGrant)
    }

    @Test func aConfirmationForAnAddressTakenMeanwhileKeepsItsToken() async throws {
        let h = try await Harness()
        let (account, grant) = try await h.account()
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        try await h.service.changeEmail(principal, newEmail: "new@example.com", password: "correct horse battery", client: client)
        let token = try #require(try await h.mailedToken(.confirmEmail, to: "new@example.com"))
        try await h.service.signUp(email: "new@example.com", password: "correct horse battery")
        #expect(await errorCode { _ = try await h.service.confirmEmail(token: token, client: client) } == .accountExists)
        #expect(try await h.store.account(id: account.id)?.email == "ada@example.com")
        #expect(try await h.store.emailToken(hash: OpaqueToken.hash(token)) != nil)
    }

    @Test func aVerificationLinkDiesWithTheAddressItWentTo() async throws {
        let h = try await Harness()
        let (_, grant) = try await h.account()
        let verify = try #require(try await h.mailedToken(.verifyEmail))
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        try await h.service.changeEmail(principal, newEmail: "new@example.com", password: "correct horse battery", client: client)
        _ = try await h.service.confirmEmail(
            token: try #require(try await h.mailedToken(.confirmEmail, to: "new@example.com")), client: client)
        #expect(await errorCode { _ = try await h.service.verifyEmail(token: verify, client: client) } == .invalidGrant)
    }
}

/// Writes no mail to a non-ASCII address, as the SMTP composer can't.
struct ASCIIOnlyComposer: MailComposer {
    func compose(_ content: MailContent) throws -> [UInt8] {
        guard content.to.utf8.allSatisfy({ $0 < 0x80 }) else { throw CancellationError() }
        return try PlainComposer().compose(content)
    }
}

@Suite struct UnmailableAddressTests {
    @Test func anAddressNoMailCanReachStillSignsUpAndForgotAnswersAlike() async throws {
        let h = try await Harness(composer: ASCIIOnlyComposer())
        let (account, grant) = try await h.account("josé@example.com")
        try await h.service.forgotPassword(email: "josé@example.com", client: Harness.client)
        #expect(try await h.deliverMail().isEmpty)
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        #expect(await errorCode { try await h.service.requestVerification(principal, client: Harness.client) } == .invalidEmail)
        #expect(
            await errorCode {
                try await h.service.changeEmail(principal, newEmail: "zoë@example.com", password: "correct horse battery", client: Harness.client)
            } == .invalidEmail)
        #expect(try await h.store.account(id: account.id)?.email == "josé@example.com")
    }
}
