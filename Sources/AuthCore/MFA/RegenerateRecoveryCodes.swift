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
