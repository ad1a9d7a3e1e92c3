/// Changes the caller's password (`POST /v1/password`) and ends every other session of the account.
/// A wrong current password counts as a failed login, so a stolen access token can't
/// be used to guess the password at hashing speed.
public struct ChangePassword: Sendable {
    let accounts: any AccountStore
    let attempts: LoginAttempts
    let policy: PasswordPolicy
    let hashing: PasswordHashing
    let audit: AuditLog
    let clock: WallClock

    public func callAsFunction(_ principal: Principal, current: String, new: String, client: ClientInfo) async throws {
        let newPassword = try policy.check(new, email: principal.account.email)
        let currentPassword = Password(current)
        let matched = try await attempts.attempt(key: principal.account.email, client: client) {
            try await hashing.verify(currentPassword, against: principal.account.passwordHash).matches
        }
        guard let matched else { throw AuthError(.invalidGrant, "The current password is incorrect.") }
        try await attempts.forgive(matched.keys)
        let hash = try await hashing.hash(newPassword)
        try await accounts.setPassword(
            accountID: principal.account.id, hash: hash, ending: .allBut(principal.session.id, .passwordChanged),
            now: clock.seconds)
        try await audit.record(.passwordChanged, accountID: principal.account.id, client: client)
    }
}
