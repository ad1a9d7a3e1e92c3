extension TokenService {
    /// Changes the caller's password (`POST /v1/password`) and ends every other session of the account.
    /// A wrong current password counts as a failed login, so a stolen access token can't
    /// be used to guess the password at hashing speed.
    public func changePassword(_ principal: Principal, current: String, new: String, client: ClientInfo) async throws {
        let newPassword = try policy.check(new, email: principal.account.email)
        let currentPassword = Password(current)
        let matched = try await throttled(key: principal.account.email, client: client) {
            try await verifyOnPool(currentPassword, against: principal.account.passwordHash)
        }
        guard let matched else { throw AuthError(.invalidGrant, "The current password is incorrect.") }
        try await forgive(matched)
        let hash = try await hashOnPool(newPassword)
        try await store.setPassword(
            accountID: principal.account.id, hash: hash, ending: .allBut(principal.session.id, .passwordChanged), now: now)
        try await audit(.passwordChanged, accountID: principal.account.id, client: client)
    }
}
