/// `POST /v1/email/verification`: mails the caller a link proving their email.
public struct RequestVerification: Sendable {
    let tokens: MailedTokens

    public func callAsFunction(_ principal: Principal, client: ClientInfo) async throws {
        let account = principal.account
        if account.emailVerified { throw AuthError(.alreadyVerified, "The email is already verified.") }
        guard try await tokens.send(.verifyEmail, for: account, to: account.email) else {
            throw AuthError(
                .tooManyRequests, "A verification mail was sent moments ago; retry later.",
                retryAfter: Int(tokens.settings.mailInterval))
        }
        try await tokens.audit.record(.emailVerificationRequested, accountID: account.id, email: account.email, client: client)
    }
}
