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

/// `POST /v1/mfa/recovery-codes`: a TOTP code replaces every recovery code by ten new ones.
public struct RegenerateRecoveryCodes: Sendable {
    let factors: SecondFactor
    let attempts: LoginAttempts
    let audit: AuditLog
    let random: RandomSource

    public func callAsFunction(_ principal: Principal, code: String, client: ClientInfo) async throws -> [String] {
        let account = principal.account
        guard account.mfaEnabled else { throw AuthError.mfaOff }
        let matched = try await attempts.attempt(key: account.email, client: client) {
            try await factors.acceptTOTP(code, accountID: account.id)
        }
        guard let matched else { throw AuthError.invalidCode }
        try await attempts.forgive(matched.keys)
        let (codes, hashes) = RecoveryCodes.generate(random)
        guard try await factors.store.replaceRecoveryCodes(accountID: account.id, hashes: hashes) else { throw AuthError.mfaOff }
        try await audit.record(.recoveryCodesRegenerated, accountID: account.id, email: account.email, client: client)
        return codes
    }
}

extension AuthError {
    static let mfaOff = AuthError(.notFound, "No second factor is on.")
}
