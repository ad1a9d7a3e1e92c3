extension TokenService {
    /// Changes the caller's password (`POST /v1/password`) and ends every other session of the account.
    public func changePassword(_ principal: Principal, current: String, new: String) async throws {
        let newPassword = try policy.check(new, email: principal.account.email)
        let hasher = self.hasher
        let stored = principal.account.passwordHash
        let currentPassword = Password(current)
        guard try await hashingPool.run({ hasher.verify(currentPassword, against: stored) }) else {
            throw AuthError(.invalidGrant, "The current password is incorrect.")
        }
        let hash = try await hashingPool.run { try hasher.hash(newPassword) }
        try await store.setPassword(accountID: principal.account.id, hash: hash, keepSession: principal.session.id, now: now)
    }
}
