/// `POST /v1/email/confirm`: the link mailed to the new address moves the account to it,
/// proven. 409 `account_exists` if another account took the address meanwhile (the token stays).
public struct ConfirmEmail: Sendable {
    let tokens: MailedTokens

    public func callAsFunction(token presented: String, client: ClientInfo) async throws -> Account {
        var (token, account) = try await tokens.find(presented, for: .changeEmail, client: client)
        try await tokens.redeem(token, .changeEmail)
        let old = account.email
        account.email = token.email
        account.emailVerified = true
        try await tokens.audit.record(.emailChanged, accountID: account.id, email: account.email, client: client, detail: "from \(old)")
        return account
    }
}
