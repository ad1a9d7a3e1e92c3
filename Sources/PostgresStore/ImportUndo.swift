import AuthCore
import PostgresNIO
import PostgresSupport

/// How to take back one written import action: delete the account it created, or restore
/// what its update replaced.
enum ImportUndo {
    case delete(id: String)
    case restore(id: String, hash: String?, status: String, updatedAt: Int64)

    /// What writing one action came to.
    enum Outcome {
        case written(ImportUndo)
        /// `line N: reason`
        case failed(String)
    }

    /// Writes `action`; an update also voids reset links if the hash changed and ends the
    /// sessions it names.
    static func write(_ action: ImportAction, now: Int64, db: Connection) async throws -> Outcome {
        switch action {
        case .create(let candidate):
            let record = candidate.record
            let inserted = try await db.count(
                """
                INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at, email_verified)
                VALUES (\(record.id), \(record.email), \(record.status.rawValue), \(record.passwordHash), \(record.createdAt),
                        \(now), \(record.emailVerified))
                ON CONFLICT DO NOTHING RETURNING 1
                """)
            guard inserted == 1 else {
                return .failed("line \(candidate.line): an account with this email or id was created meanwhile")
            }
            return .written(.delete(id: record.id))
        case .update(let candidate, let ending):
            let record = candidate.record
            guard
                let row = try await db.rows(
                    "SELECT password_hash, status, updated_at FROM accounts WHERE id = \(record.id) FOR NO KEY UPDATE"
                ).first
            else { return .failed("line \(candidate.line): the account was deleted meanwhile") }
            let (hash, status, updatedAt) = try row.decode((String?, String, Int64).self)
            try await db.run(
                """
                UPDATE accounts SET status = \(record.status.rawValue), password_hash = coalesce(\(record.passwordHash), password_hash), updated_at = \(now)
                WHERE id = \(record.id)
                """)
            // A record without a hash (awaiting migration) never erases one the account has.
            if let new = record.passwordHash, new != hash { try await PostgresAuthStore.voidResetTokens(accountID: record.id, db: db) }
            try await PostgresAuthStore.end(ending, accountID: record.id, now: now, db: db)
            return .written(.restore(id: record.id, hash: hash, status: status, updatedAt: updatedAt))
        }
    }

    /// Takes back `written`, newest first.
    static func apply(_ written: [ImportUndo], db: Connection) async throws {
        for step in written.reversed() {
            switch step {
            case .delete(let id):
                try await db.run("DELETE FROM accounts WHERE id = \(id)")
            case .restore(let id, let hash, let status, let updatedAt):
                try await db.run(
                    "UPDATE accounts SET password_hash = \(hash), status = \(status), updated_at = \(updatedAt) WHERE id = \(id)")
            }
        }
    }
}
