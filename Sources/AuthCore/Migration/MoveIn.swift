/// Lazy migration: at the login of an account with no hash here (or of an email with no account
/// here), asks the source whether the password is right; if it is, stores an argon2id hash of
/// it (creating the account with the source's id if needed), so that every later login is
/// checked here alone. Only called for such accounts: a password is never sent to the source
/// for an account that has a hash here.
struct MoveIn: Sendable {
    let source: any PasswordSource
    let accounts: any AccountStore
    let hashing: PasswordHashing
    let audit: AuditLog
    let clock: WallClock
    let random: RandomSource

    /// The account with its new hash; nil when the source refuses (or a race took the email or
    /// id meanwhile). Throws 503 `unavailable` when the source can't say.
    func callAsFunction(email: String, password: String, account: Account?, client: ClientInfo) async throws -> Account? {
        let verdict = await source.check(email: email, password: password)
        guard case .accepted(let sourceID, let verified) = verdict else {
            if case .unavailable = verdict {
                throw AuthError(.unavailable, "The system this account moves in from can't be reached; retry shortly.", retryAfter: 5)
            }
            return nil
        }
        let hash = try await hashing.hash(Password(password))
        let now = clock.seconds
        var moved: Account
        if let account {
            guard try await accounts.adoptMigratedPassword(accountID: account.id, hash: hash, emailVerified: verified, now: now)
            else { return try await movedMeanwhile(email: email, password: password) }
            moved = account
            moved.passwordHash = hash
            moved.emailVerified = account.emailVerified || verified
        } else {
            moved = Account(
                id: accountID(from: sourceID), email: email, status: .active, passwordHash: hash, createdAt: now, updatedAt: now,
                emailVerified: verified)
            do {
                try await accounts.insertAccount(moved)
            } catch let error as AuthError where error.code == .accountExists {
                return try await movedMeanwhile(email: email, password: password)
            }
        }
        try await audit.record(.accountMigrated, accountID: moved.id, email: email, client: client, detail: "from \(source.name)")
        return moved
    }

    /// The account as a concurrent login (or a reset) left it, when the password matches the
    /// hash it stored meanwhile: two first logins at once both succeed, with one account.
    private func movedMeanwhile(email: String, password: String) async throws -> Account? {
        guard let current = try await accounts.account(email: email), current.status == .active,
            try await hashing.verify(Password(password), against: current.passwordHash).matches
        else { return nil }
        return current
    }

    /// The source's id when it is a UUID, else a UUID derived from it (stable, as imports do),
    /// else a new one.
    private func accountID(from sourceID: String?) -> String {
        guard let sourceID, !sourceID.isEmpty else { return random.identifier() }
        return TransferRecord.isUUID(sourceID) ? sourceID.lowercased() : TransferRecord.derivedID(system: source.name, id: sourceID)
    }
}
