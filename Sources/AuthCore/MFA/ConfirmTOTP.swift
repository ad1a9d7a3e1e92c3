/// `POST /v1/mfa/totp/verify`: the first code from the app turns TOTP on, and the ten recovery
/// codes are shown, once. A wrong code counts as a failed login.
public struct ConfirmTOTP: Sendable {
    let factors: SecondFactor
    let attempts: LoginAttempts
    let audit: AuditLog
    let clock: WallClock
    let random: RandomSource

    public func callAsFunction(_ principal: Principal, code: String, client: ClientInfo) async throws -> [String] {
        let account = principal.account
        guard let (factor, secret) = try await factors.factor(of: account.id), !factor.confirmed else {
            throw AuthError(.notFound, "No TOTP enrolment is pending.")
        }
        var step: Int64?
        let matched = try await attempts.attempt(key: account.email, client: client) {
            step = TOTP.matchingStep(code, secret: secret, at: clock.seconds, after: factor.lastStep)
            return step != nil
        }
        guard let matched, let step else { throw AuthError.invalidCode }
        let (codes, hashes) = RecoveryCodes.generate(random)
        guard try await factors.store.confirmTOTP(accountID: account.id, step: step, recoveryCodeHashes: hashes, now: clock.seconds)
        else { throw AuthError.invalidCode }
        try await attempts.forgive(matched.keys)
        try await audit.record(.mfaEnabled, accountID: account.id, email: account.email, client: client)
        return codes
    }
}
