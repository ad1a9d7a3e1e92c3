/// `DELETE /v1/mfa/totp`: a TOTP code or a recovery code turns the second factor off; the
/// secret and every recovery code go. A wrong code counts as a failed login.
public struct DisableTOTP: Sendable {
    let factors: SecondFactor
    let attempts: LoginAttempts
    let audit: AuditLog
    let clock: WallClock

    public func callAsFunction(_ principal: Principal, code: String, client: ClientInfo) async throws {
        let account = principal.account
        guard account.mfaEnabled else { throw AuthError.mfaOff }
        let matched = try await attempts.attempt(key: account.email, client: client) {
            if try await factors.acceptTOTP(code, accountID: account.id) { return true }
            return try await factors.acceptRecoveryCode(code, accountID: account.id)
        }
        guard let matched else { throw AuthError.invalidCode }
        try await attempts.forgive(matched.keys)
        _ = try await factors.store.removeTOTP(accountID: account.id, now: clock.seconds)
        try await audit.record(.mfaDisabled, accountID: account.id, email: account.email, client: client)
    }
}
