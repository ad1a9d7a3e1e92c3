/// An admin creates an account with a password (`authctl users create`).
public struct CreateAccount: Sendable {
    let accounts: any AccountStore
    /// The argon2id cost of the hashes it makes.
    let cost: Argon2Parameters
    let policy: PasswordPolicy
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock
    let random: RandomSource

    public func callAsFunction(email rawEmail: String, password rawPassword: String) async throws -> Account {
        let email = try Email.normalize(rawEmail)
        let password = try policy.check(rawPassword, email: email)
        let now = clock.seconds
        let account = Account(
            id: random.identifier(), email: email, status: .active, passwordHash: try PasswordHasher.makeHash(password, parameters: cost, kernel: InProcessArgon2Kernel()), createdAt: now,
            updatedAt: now)
        try await accounts.insertAccount(account)
        try await audit.record(.accountCreated, accountID: account.id, email: account.email, client: actor)
        return account
    }
}
