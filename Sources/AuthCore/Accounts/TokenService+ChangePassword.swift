extension TokenService {
    /// Changes the caller's password (`POST /v1/password`) and ends every other session of the account.
    /// A wrong current password counts as a failed login, so a stolen access token can't
    /// be used to guess the password at hashing speed.
    public func changePassword(_ principal: Principal, current: String, new: String, client: ClientInfo) async throws {
        let newPassword = try policy.check(new, email: principal.account.email)
        let hasher = self.hasher
        let stored = principal.account.passwordHash
        let currentPassword = Password(current)
        let matches = try await throttled(key: principal.account.email, ip: client.ip) {
            try await hashingPool.run { hasher.verify(currentPassword, against: stored) }
        }
        guard matches else { throw AuthError(.invalidGrant, "The current password is incorrect.") }
        try await forgive(Self.failureKeys(principal.account.email, ip: client.ip))
        let hash = try await hashingPool.run { try hasher.hash(newPassword) }
        try await store.setPassword(accountID: principal.account.id, hash: hash, keepSession: principal.session.id, now: now)
        try await audit(.passwordChanged, accountID: principal.account.id, client: client)
    }
}
