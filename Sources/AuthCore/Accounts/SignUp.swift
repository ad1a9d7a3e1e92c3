/// Creates an account (`POST /v1/accounts`) and, unless `AUTH_VERIFY_ON_SIGNUP` is off, mails
/// it a verification link.
public struct SignUp: Sendable {
    let accounts: any AccountStore
    let policy: PasswordPolicy
    let hashing: PasswordHashing
    let tokens: MailedTokens
    let audit: AuditLog
    let clock: WallClock
    let random: RandomSource

    @discardableResult
    public func callAsFunction(email rawEmail: String, password rawPassword: String, client: ClientInfo? = nil) async throws
        -> Account
    {
        let email = try Email.normalize(rawEmail)
        let password = try policy.check(rawPassword, email: email)
        if try await accounts.account(email: email) != nil {
            throw AuthError(.accountExists, "An account with this email already exists.")
        }
        let hash = try await hashing.hash(password)
        let now = clock.seconds
        let account = Account(
            id: random.identifier(), email: email, status: .active, passwordHash: hash, createdAt: now, updatedAt: now)
        try await accounts.insertAccount(account)
        try await audit.record(.signUp, accountID: account.id, email: email, client: client)
        if tokens.settings.verifyOnSignUp, try await tokens.sendUnlessUnmailable(.verifyEmail, for: account, to: email) {
            try await audit.record(.emailVerificationRequested, accountID: account.id, email: email, client: client)
        }
        return account
    }
}
