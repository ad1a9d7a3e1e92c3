/// `POST /v1/password/reset`: the link's token sets a new password. Every session of the
/// account ends, the email counts as proven (the mail reached it), and the login throttle's
/// records of the account are cleared. A weak password leaves the token usable.
public struct ResetPassword: Sendable {
    let tokens: MailedTokens
    let failures: any LoginFailureStore
    let policy: PasswordPolicy
    let hashing: PasswordHashing

    public func callAsFunction(token presented: String, newPassword: String, client: ClientInfo) async throws {
        let (token, account) = try await tokens.find(presented, for: .resetPassword, client: client)
        let password = try policy.check(newPassword, email: account.email)
        try await tokens.redeem(token, .resetPassword(hash: try await hashing.hash(password)))
        _ = try await failures.clearLoginFailures(email: account.email)
        try await tokens.audit.record(.passwordReset, accountID: account.id, email: account.email, client: client)
    }
}
