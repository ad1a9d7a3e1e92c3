/// Changes the caller's password (`POST /v1/password`) and ends every other session of the account.
/// A wrong current password counts as a failed login (`ConfirmPassword`).
public struct ChangePassword: Sendable {
    let accounts: any AccountStore
    let confirm: ConfirmPassword
    let policy: PasswordPolicy
    let hashing: PasswordHashing
    let audit: AuditLog
    let clock: WallClock

    public func callAsFunction(_ principal: Principal, current: String, new: String, client: ClientInfo) async throws {
        let newPassword = try policy.check(new, email: principal.account.email)
        try await confirm(current, of: principal.account, client: client)
        let hash = try await hashing.hash(newPassword)
        try await accounts.setPassword(
            accountID: principal.account.id, hash: hash, ending: .allBut(principal.session.id, .passwordChanged),
            now: clock.seconds)
        try await audit.record(.passwordChanged, accountID: principal.account.id, client: client)
    }
}
