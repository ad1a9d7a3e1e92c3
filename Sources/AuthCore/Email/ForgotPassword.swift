/// `POST /v1/password/forgot`: mails a reset link when an active account has the email, and
/// answers the same, in the same time (`ResponsePacing`), whether one does or not.
public struct ForgotPassword: Sendable {
    let tokens: MailedTokens
    let pacing: ResponsePacing

    /// The shortest answer: longer than queuing a mail takes on an idle server.
    static let floor = Duration.milliseconds(40)

    public func callAsFunction(email rawEmail: String, client: ClientInfo) async throws {
        let email = try Email.normalize(rawEmail)
        let started = ContinuousClock.now
        let account = try await tokens.accounts.account(email: email)
        var mailed = false
        if let account, account.status == .active {
            mailed = try await tokens.sendUnlessUnmailable(.resetPassword, for: account, to: account.email)
        }
        try await tokens.audit.record(
            .passwordResetRequested, accountID: account?.id, email: email, client: client,
            detail: mailed ? "mailed" : "nothing mailed")
        // The whole of the longest path, so every answer is padded past it.
        if mailed { pacing.observe(ContinuousClock.now - started) }
        await pacing.pad(since: started)
    }
}
