import Foundation
import GRDB

extension SQLiteAuthStore {
    public func insertAccount(_ account: Account) async throws {
        try await immediate { db in
            if try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM accounts WHERE email = ? OR id = ?"),
                arguments: [account.email, account.id]) == true
            {
                throw AuthError(.accountExists, "An account with this email already exists.")
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at, email_verified)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                account.id, account.email, account.status.rawValue, account.passwordHash, account.createdAt,
                account.updatedAt, account.emailVerified,
            ])
        }
    }

    public func account(email: String) async throws -> Account? {
        try await writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Account.columns) FROM accounts WHERE email = ?"), arguments: [email]
            ).map { Account(row: $0) }
        }
    }

    public func account(id: String) async throws -> Account? {
        try await writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Account.columns) FROM accounts WHERE id = ?"), arguments: [id]
            ).map { Account(row: $0) }
        }
    }

    public func accounts(afterEmail email: String?, limit: Int) async throws -> [Account] {
        try await writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(Account.columns) FROM accounts WHERE email > ? ORDER BY email LIMIT ?"),
                arguments: [email ?? "", limit]
            ).map { Account(row: $0) }
        }
    }

    public func deleteAccount(id: String) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(sql: "DELETE FROM accounts WHERE id = ?").execute(arguments: [id])
            return db.changesCount == 1
        }
    }

    public func replacePasswordHash(accountID: String, expected: String, with newHash: String, now: Int64) async throws
        -> Bool
    {
        try await immediate { db in
            try db.cachedStatement(
                sql: "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?"
            ).execute(arguments: [newHash, now, accountID, expected])
            return db.changesCount == 1
        }
    }

    public func adoptMigratedPassword(accountID: String, hash: String, emailVerified: Bool, now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    UPDATE accounts SET password_hash = ?, email_verified = max(email_verified, ?), updated_at = ?
                    WHERE id = ? AND password_hash IS NULL
                    """
            ).execute(arguments: [hash, emailVerified, now, accountID])
            return db.changesCount == 1
        }
    }

    public func setStatus(accountID: String, status: Account.Status, ending: SessionsToEnd, now: Int64) async throws
        -> Bool
    {
        try await immediate { db in
            try db.cachedStatement(sql: "UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?").execute(
                arguments: [status.rawValue, now, accountID])
            guard db.changesCount == 1 else { return false }
            try Self.end(ending, accountID: accountID, now: now, db: db)
            return true
        }
    }

    @discardableResult
    public func setPassword(accountID: String, hash: String, ending: SessionsToEnd, now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(sql: "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?").execute(
                arguments: [hash, now, accountID])
            guard db.changesCount == 1 else { return false }
            try Self.voidResetTokens(accountID: accountID, db: db)
            try Self.end(ending, accountID: accountID, now: now, db: db)
            return true
        }
    }

    /// A new password, by whatever path, voids the reset links already mailed.
    static func voidResetTokens(accountID: String, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM email_tokens WHERE account_id = ? AND purpose = 'reset_password'")
            .execute(arguments: [accountID])
    }

    static func end(_ sessions: SessionsToEnd, accountID: String, now: Int64, db: Database) throws {
        switch sessions {
        case .none: break
        case .all(let reason): _ = try endSessions(db, accountID: accountID, except: nil, reason: reason, now: now)
        case .allBut(let kept, let reason): _ = try endSessions(db, accountID: accountID, except: kept, reason: reason, now: now)
        }
    }
}

extension Account {
    /// The columns `init(row:at:)` reads, in its order.
    static let columnNames = [
        "id", "email", "status", "password_hash", "created_at", "updated_at", "email_verified", "mfa_enabled",
    ]
    static let columns = columnNames.joined(separator: ", ")
    static let columnCount = columnNames.count

    /// The account in `row`'s columns from `first` on, as `columns()` lists them: read by
    /// position, which costs a fraction of a lookup by name.
    init(row: Row, at first: Int = 0) {
        self.init(
            id: row[first], email: row[first + 1], status: Status(rawValue: row[first + 2]) ?? .disabled,
            passwordHash: row[first + 3], createdAt: row[first + 4], updatedAt: row[first + 5],
            emailVerified: row[first + 6], mfaEnabled: row[first + 7])
    }
}
