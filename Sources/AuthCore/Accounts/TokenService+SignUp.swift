extension TokenService {
    /// Creates an account (`POST /v1/accounts`).
    public func signUp(email rawEmail: String, password rawPassword: String, client: ClientInfo? = nil) async throws -> Account {
        let email = try Email.normalize(rawEmail)
        let password = try policy.check(rawPassword, email: email)
        if try await store.account(email: email) != nil {
            throw AuthError(.accountExists, "An account with this email already exists.")
        }
        let hash = try await hashOnPool(password)
        let now = self.now
        let account = Account(
            id: Identifier.make(), email: email, status: .active, passwordHash: hash, createdAt: now, updatedAt: now)
        try await store.insertAccount(account)
        try await audit(.signUp, accountID: account.id, email: email, client: client)
        return account
    }
}
