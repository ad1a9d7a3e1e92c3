/// An admin sets an account's password (`authctl users set-password`): checked against the
/// policy, hashed at the configured cost; every session of the account ends.
public struct SetPassword: Sendable {
    let accounts: any AccountStore
    /// The argon2id cost of the hashes it makes.
    let cost: Argon2Parameters
    let policy: PasswordPolicy
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    public func callAsFunction(_ account: Account, password rawPassword: String) async throws {
        let password = try policy.check(rawPassword, email: account.email)
        try await accounts.setPassword(
            accountID: account.id, hash: try PasswordHasher.makeHash(password, parameters: cost, kernel: InProcessArgon2Kernel()), ending: .all(.passwordChanged), now: clock.seconds)
        try await audit.record(.passwordChanged, accountID: account.id, email: account.email, client: actor, detail: "set by an admin")
    }
}
