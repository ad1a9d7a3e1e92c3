import AuthCrypto

/// Checks an account's second factor: a TOTP code (each time step accepted once) or a
/// recovery code (each used once). What enrolment, disabling and the MFA grants share.
struct SecondFactor: Sendable {
    let store: any MFAStore
    let keys: KeyRing
    let clock: WallClock

    /// The account's factor and its secret, opened with the key-encryption key.
    func factor(of accountID: String) async throws -> (factor: TOTPFactor, secret: SecretBytes)? {
        guard let factor = try await store.totpFactor(accountID: accountID) else { return nil }
        return (factor, SecretBytes(try keys.open(factor.sealedSecret)))
    }

    /// Whether `code` is a TOTP code of the account's confirmed factor not used before; a right
    /// code is spent (its step recorded) before the answer.
    func acceptTOTP(_ code: String, accountID: String) async throws -> Bool {
        guard let (factor, secret) = try await factor(of: accountID), factor.confirmed,
            let step = TOTP.matchingStep(code, secret: secret, at: clock.seconds, after: factor.lastStep)
        else { return false }
        return try await store.useTOTPStep(accountID: accountID, step: step)
    }

    /// Whether `code` is one of the account's unused recovery codes; a right one is spent.
    func acceptRecoveryCode(_ code: String, accountID: String) async throws -> Bool {
        guard let hash = RecoveryCodes.match(code, among: try await store.recoveryCodeHashes(accountID: accountID)) else {
            return false
        }
        return try await store.useRecoveryCode(accountID: accountID, hash: hash)
    }
}
