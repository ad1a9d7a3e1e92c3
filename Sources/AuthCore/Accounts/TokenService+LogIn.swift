extension TokenService {
    /// The password grant (`POST /v1/token`, `grant_type=password`).
    ///
    /// An unknown email, a wrong password and a disabled account fail alike, after the same
    /// hashing work, and count toward throttling alike: the answer never tells which it was.
    public func logIn(email rawEmail: String, password rawPassword: String, client: ClientInfo) async throws -> TokenGrant {
        let key = Self.throttleKey(rawEmail)
        let password = Password(rawPassword)
        let hasher = self.hasher
        var account: Account?
        let accepted: Bool
        do {
            accepted = try await throttled(key: key, ip: client.ip) {
                account = try await store.account(email: key)
                let stored = account?.passwordHash ?? hasher.decoyHash
                // A legacy hash may verify much faster than ours; the decoy's cost on top keeps
                // such accounts from answering faster than unknown emails.
                let pad = account.map { hasher.needsRehash($0.passwordHash) } ?? false
                let matches = try await hashingPool.run {
                    let matches = hasher.verify(password, against: stored)
                    if pad { _ = hasher.verify(password, against: hasher.decoyHash) }
                    return matches
                }
                return matches && account?.status == .active
            }
        } catch let error as AuthError where error.code == .tooManyAttempts {
            metrics.login("throttled")
            try await audit(.loginThrottled, email: key, client: client)
            throw error
        }
        guard accepted, let account else {
            metrics.login("failed")
            try await audit(.loginFailed, accountID: account?.id, email: key, client: client)
            throw AuthError.invalidCredentials
        }
        // One commit: the session, the forgiven attempt and the audit event.
        let grant = try await startSession(for: account, client: client, forgiving: Self.failureKeys(key, ip: client.ip))
        metrics.login("succeeded")
        if hasher.needsRehash(account.passwordHash) {
            try await upgradeHash(of: account, password: password)
        }
        return grant
    }

    /// Replaces a legacy or outdated hash after a successful login. Best effort: on
    /// overload it waits for the next login; a concurrent password change wins.
    private func upgradeHash(of account: Account, password: Password) async throws {
        let hasher = self.hasher
        guard let newHash = try? await hashingPool.run({ try hasher.hash(password) }) else { return }
        _ = try await store.replacePasswordHash(accountID: account.id, expected: account.passwordHash, with: newHash, now: now)
    }
}
