/// `POST /v1/email/verify`: the link's token proves the account's email.
public struct VerifyEmail: Sendable {
    let tokens: MailedTokens

    public func callAsFunction(token presented: String, client: ClientInfo) async throws -> Account {
        var (token, account) = try await tokens.find(presented, for: .verifyEmail, client: client)
        try await tokens.redeem(token, .verifyEmail)
        account.emailVerified = true
        try await tokens.audit.record(.emailVerified, accountID: account.id, email: account.email, client: client)
        return account
    }
}
