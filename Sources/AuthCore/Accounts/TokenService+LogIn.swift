extension TokenService {
    var throttle: LoginThrottle {
        LoginThrottle(threshold: settings.lockoutThreshold, base: settings.lockoutBase, maximum: settings.lockoutMax)
    }

    /// The password grant (`POST /v1/token`, `grant_type=password`).
    ///
    /// An unknown email, a wrong password and a disabled account fail alike, after the same
    /// hashing work, and count toward throttling alike: the answer never tells which it was.
    public func logIn(email rawEmail: String, password rawPassword: String, client: ClientInfo) async throws -> TokenGrant {
        let email = (try? Email.normalize(rawEmail)) ?? rawEmail.lowercased()
        let throttle = self.throttle
        if let wait = throttle.retryAfter(try await store.loginFailures(email: email, ip: client.ip), now: now) {
            throw AuthError(.tooManyAttempts, "Too many failed attempts; retry later.", retryAfter: wait)
        }
        let account = try await store.account(email: email)
        let password = Password(rawPassword)
        let hasher = self.hasher
        let stored = account?.passwordHash ?? hasher.decoyHash
        let matches = try await hashingPool.run { hasher.verify(password, against: stored) }

        guard matches, let account, account.status == .active else {
            let now = self.now
            try await store.updateLoginFailures(email: email, ip: client.ip, now: now) {
                throttle.recordingFailure($0, now: now)
            }
            throw AuthError.invalidCredentials
        }
        try await store.updateLoginFailures(email: email, ip: client.ip, now: now) { _ in nil }
        if hasher.needsRehash(account.passwordHash) {
            try await upgradeHash(of: account, password: password)
        }
        return try await startSession(for: account, client: client)
    }

    /// Replaces a legacy or outdated hash after a successful login. Best effort: on
    /// overload it waits for the next login; a concurrent password change wins.
    private func upgradeHash(of account: Account, password: Password) async throws {
        let hasher = self.hasher
        guard let newHash = try? await hashingPool.run({ try hasher.hash(password) }) else { return }
        _ = try await store.replacePasswordHash(accountID: account.id, expected: account.passwordHash, with: newHash, now: now)
    }
}
