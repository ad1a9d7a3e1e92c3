import AuthCore
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func insertAccount(_ account: Account) async throws {
        let inserted = try await connection { db in
            try await db.count(
                """
                INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at, email_verified)
                VALUES (\(account.id), \(account.email), \(account.status.rawValue), \(account.passwordHash),
                        \(account.createdAt), \(account.updatedAt), \(account.emailVerified))
                ON CONFLICT DO NOTHING RETURNING 1
                """)
        }
        guard inserted == 1 else { throw AuthError(.accountExists, "An account with this email already exists.") }
    }

    public func account(email: String) async throws -> Account? {
        try await connection { db in
            try await db.rows("SELECT \(unescaped: Account.columns) FROM accounts WHERE email = \(email)").first.map(Account.init)
        }
    }

    public func account(id: String) async throws -> Account? {
        try await connection { db in
            try await db.rows("SELECT \(unescaped: Account.columns) FROM accounts WHERE id = \(id)").first.map(Account.init)
        }
    }

    public func accounts(afterEmail email: String?, limit: Int) async throws -> [Account] {
        try await connection { db in
            try await db.rows(
                "SELECT \(unescaped: Account.columns) FROM accounts WHERE email > \(email ?? "") ORDER BY email LIMIT \(limit)"
            ).map(Account.init)
        }
    }

    public func deleteAccount(id: String) async throws -> Bool {
        try await connection { db in try await db.count("DELETE FROM accounts WHERE id = \(id) RETURNING 1") == 1 }
    }

    public func replacePasswordHash(accountID: String, expected: String, with newHash: String, now: Int64) async throws
        -> Bool
    {
        try await connection { db in
            try await db.count(
                """
                UPDATE accounts SET password_hash = \(newHash), updated_at = \(now)
                WHERE id = \(accountID) AND password_hash = \(expected) RETURNING 1
                """) == 1
        }
    }

    public func adoptMigratedPassword(accountID: String, hash: String, emailVerified: Bool, now: Int64) async throws -> Bool {
        try await connection { db in
            try await db.count(
                """
                UPDATE accounts SET password_hash = \(hash), email_verified = email_verified OR \(emailVerified), updated_at = \(now)
                WHERE id = \(accountID) AND password_hash IS NULL RETURNING 1
                """) == 1
        }
    }

    public func setStatus(accountID: String, status: Account.Status, ending: SessionsToEnd, now: Int64) async throws
        -> Bool
    {
        try await transaction { db in
            let updated = try await db.count(
                "UPDATE accounts SET status = \(status.rawValue), updated_at = \(now) WHERE id = \(accountID) RETURNING 1")
            guard updated == 1 else { return false }
            try await Self.end(ending, accountID: accountID, now: now, db: db)
            return true
        }
    }

    @discardableResult
    public func setPassword(accountID: String, hash: String, ending: SessionsToEnd, now: Int64) async throws -> Bool {
        try await transaction { db in
            let updated = try await db.count(
                "UPDATE accounts SET password_hash = \(hash), updated_at = \(now) WHERE id = \(accountID) RETURNING 1")
            guard updated == 1 else { return false }
            try await Self.voidResetTokens(accountID: accountID, db: db)
            try await Self.end(ending, accountID: accountID, now: now, db: db)
            return true
        }
    }

    /// Locks the account's row until the transaction ends. Every transaction that changes an
    /// account's records takes this lock first (lock order: account, then its other rows), so
    /// changes to one account run one at a time across nodes and never deadlock each other.
    static func lockAccount(_ accountID: String, db: Connection) async throws {
        try await db.run("SELECT 1 FROM accounts WHERE id = \(accountID) FOR NO KEY UPDATE")
    }

    /// A new password, by whatever path, voids the reset links already mailed.
    static func voidResetTokens(accountID: String, db: Connection) async throws {
        try await db.run("DELETE FROM email_tokens WHERE account_id = \(accountID) AND purpose = 'reset_password'")
    }

    static func end(_ sessions: SessionsToEnd, accountID: String, now: Int64, db: Connection) async throws {
        switch sessions {
        case .none: break
        case .all(let reason): try await endSessions(db, accountID: accountID, except: nil, reason: reason, now: now)
        case .allBut(let kept, let reason): try await endSessions(db, accountID: accountID, except: kept, reason: reason, now: now)
        }
    }
}
