/// Checks the password of a signed-in user before a sensitive change (a new password, a new
/// email, a second factor), under the login throttle: a wrong one counts as a failed login, so
/// a stolen access token can't be used to guess the password at hashing speed.
struct ConfirmPassword: Sendable {
    let attempts: LoginAttempts
    let hashing: PasswordHashing

    /// Returns when `password` is `account`'s; throws `invalid_grant` (or 429) otherwise.
    func callAsFunction(_ password: String, of account: Account, client: ClientInfo) async throws {
        let given = Password(password)
        let matched = try await attempts.attempt(key: account.email, client: client) {
            try await hashing.verify(given, against: account.passwordHash).matches
        }
        guard let matched else { throw AuthError(.invalidGrant, "The password is incorrect.") }
        try await attempts.forgive(matched.keys)
    }
}
