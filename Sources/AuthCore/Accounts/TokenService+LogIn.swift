extension TokenService {
    /// The password grant (`POST /v1/token`, `grant_type=password`).
    ///
    /// An unknown email, a wrong password and a disabled account fail alike, after the same
    /// time (`FailurePacing`), and count toward throttling alike: the answer never tells which it was.
    /// `clientID` names the OAuth client (nil: the default one).
    public func logIn(email rawEmail: String, password rawPassword: String, client: ClientInfo, clientID: String? = nil)
        async throws -> TokenGrant
    {
        let clientID = try self.client(named: clientID)
        let key = Self.throttleKey(rawEmail)
        let password = Password(rawPassword)
        var account: Account?
        var hashingTime = Duration.zero
        let matched: LoginFailureKeys?
        do {
            matched = try await throttled(key: key, client: client) {
                account = try await store.account(email: key)
                let check = try await checkPassword(password, against: account?.passwordHash)
                hashingTime = check.took
                return check.matches && account?.status == .active
            }
        } catch let error as AuthError where error.code == .tooManyAttempts {
            metrics.login("throttled")
            try await audit(.loginThrottled, email: key, client: client)
            throw error
        }
        guard let matched, let account else {
            metrics.login("failed")
            try await audit(.loginFailed, accountID: account?.id, email: key, client: client)
            try? await Task.sleep(for: pacing.floor(for: password) - hashingTime)
            throw AuthError.invalidCredentials
        }
        // One commit: the session, the forgiven attempt, the known address and the audit event.
        let grant = try await startSession(for: account, client: client, clientID: clientID, forgiving: matched)
        metrics.login("succeeded")
        if hasher.needsRehash(account.passwordHash) {
            try await upgradeHash(of: account, password: password)
        }
        return grant
    }

    /// Verifies `password` against `stored` (the decoy when there is none) on the hashing pool,
    /// and tells the pacing what that profile cost.
    private func checkPassword(_ password: Password, against stored: String?) async throws -> (matches: Bool, took: Duration) {
        let hasher = self.hasher, pacing = self.pacing
        let hash = stored ?? hasher.decoyHash
        return try await hashingPool.run(memory: PasswordHashScheme.memoryBytes(of: hash)) {
            let start = ContinuousClock.now
            let matches = hasher.verify(password, against: hash)
            let took = ContinuousClock.now - start
            // A password with a typed form may have cost two verifications: not one profile's cost.
            if password.asTyped == nil { pacing.observe(PasswordHashScheme.profile(of: hash), took: took) }
            return (matches, took)
        }
    }

    /// Replaces a legacy or outdated hash after a successful login. Best effort: on
    /// overload it waits for the next login; a concurrent password change wins.
    private func upgradeHash(of account: Account, password: Password) async throws {
        guard let newHash = try? await hashOnPool(password) else { return }
        _ = try await store.replacePasswordHash(accountID: account.id, expected: account.passwordHash, with: newHash, now: now)
    }
}
