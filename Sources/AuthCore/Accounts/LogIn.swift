/// What a password login gives: tokens, or the second factor to ask for.
public enum LoginResult: Sendable {
    case granted(TokenGrant)
    /// The password was right and TOTP is on: the `mfa_token` for the `mfa_otp` or
    /// `mfa_recovery_code` grant.
    case mfaRequired(mfaToken: String)
}

/// The password grant (`POST /v1/token`, `grant_type=password`).
///
/// An unknown email, a wrong password and a disabled account fail alike, after the same
/// time (`FailurePacing`), and count toward throttling alike: the answer never tells which it was.
/// With TOTP on, the right password opens no session but an MFA challenge; the attempt then
/// counts as none, and the failures before it stay until the second factor passes. With a
/// source to move in from (`moveIn`), an email with no hash here is checked there, once.
public struct LogIn: Sendable {
    let accounts: any AccountStore
    let attempts: LoginAttempts
    let challenges: MFAChallenges
    let moveIn: MoveIn?
    let hashing: PasswordHashing
    let issuer: TokenIssuer
    let audit: AuditLog
    let settings: AuthSettings
    let clock: WallClock
    let metrics: AuthMetrics

    /// `clientID` names the OAuth client (nil: the default one).
    public func callAsFunction(email rawEmail: String, password rawPassword: String, client: ClientInfo, clientID: String? = nil)
        async throws -> LoginResult
    {
        let clientID = try ClientID.resolve(clientID, settings: settings)
        let key = LoginAttempts.key(rawEmail)
        let password = Password(rawPassword)
        var account: Account?
        var hashingTime = Duration.zero
        let matched: LoginAttempts.PassedAttempt?
        do {
            matched = try await attempts.attempt(key: key, client: client) {
                account = try await accounts.account(email: key)
                if let moveIn, account?.passwordHash == nil, account?.status != .disabled, key != LoginAttempts.notAnEmail {
                    account = try await moveIn(email: key, password: rawPassword, account: account, client: client)
                    return account != nil
                }
                let check = try await hashing.verify(password, against: account?.passwordHash)
                hashingTime = check.took
                return check.matches && account?.status == .active
            }
        } catch let error as AuthError where error.code == .tooManyAttempts {
            metrics.login("throttled")
            try await audit.record(.loginThrottled, email: key, client: client)
            throw error
        }
        guard let matched, let account else {
            metrics.login("failed")
            try await audit.record(.loginFailed, accountID: account?.id, email: key, client: client)
            await hashing.padFailure(of: password, took: hashingTime)
            throw AuthError.invalidCredentials
        }
        if settings.requireVerifiedEmail, !account.emailVerified {
            try await attempts.takeBack(matched)
            throw AuthError(.emailNotVerified, "The email is not verified yet; follow the link mailed to it.")
        }
        if account.mfaEnabled, let hash = account.passwordHash {
            try await attempts.takeBack(matched)
            let verifiedHash = try await upgradeHash(of: account, hash: hash, password: password)
            metrics.login("mfa_required")
            return .mfaRequired(mfaToken: try await challenges.open(for: account, clientID: clientID, verifiedHash: verifiedHash))
        }
        // One commit: the session, the forgiven attempt, the known address and the audit event.
        let grant = try await issuer.openSession(for: account, client: client, clientID: clientID, forgiving: matched.keys)
        metrics.login("succeeded")
        if let hash = account.passwordHash { _ = try await upgradeHash(of: account, hash: hash, password: password) }
        return .granted(grant)
    }

    /// Replaces a legacy or outdated hash after a successful password check; returns the hash
    /// the account has now. Best effort: on overload it waits for the next login; a concurrent
    /// password change wins.
    private func upgradeHash(of account: Account, hash: String, password: Password) async throws -> String {
        guard hashing.needsRehash(hash), let newHash = try? await hashing.hash(password) else { return hash }
        let replaced = try await accounts.replacePasswordHash(accountID: account.id, expected: hash, with: newHash, now: clock.seconds)
        return replaced ? newHash : hash
    }
}
