import AuthCore
import Foundation
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func issue(_ token: EmailToken, queueing mails: [OutgoingMail], unlessIssuedAfter issuedAfter: Int64) async throws
        -> Bool
    {
        try await transaction { db in
            try await Self.lockAccount(token.accountID, db: db)
            let recent = try await db.exists(
                """
                SELECT 1 FROM email_tokens
                WHERE account_id = \(token.accountID) AND purpose = \(token.purpose.rawValue) AND created_at > \(issuedAfter)
                """)
            if recent { return false }
            try await db.run("DELETE FROM email_tokens WHERE account_id = \(token.accountID) AND purpose = \(token.purpose.rawValue)")
            try await db.run(
                """
                INSERT INTO email_tokens (token_hash, account_id, purpose, email, created_at, expires_at)
                VALUES (\(Data(token.hash)), \(token.accountID), \(token.purpose.rawValue), \(token.email), \(token.createdAt),
                        \(token.expiresAt))
                """)
            for mail in mails { try await Self.enqueue(mail, db: db) }
            return true
        }
    }

    public func emailToken(hash: [UInt8]) async throws -> EmailToken? {
        try await connection { db in
            try await db.rows("SELECT \(unescaped: EmailToken.columns) FROM email_tokens WHERE token_hash = \(Data(hash))")
                .first.flatMap(EmailToken.init)
        }
    }

    public func redeem(_ token: EmailToken, _ use: EmailTokenUse, now: Int64) async throws -> Bool {
        do {
            return try await transaction { db in
                try await Self.lockAccount(token.accountID, db: db)
                let deleted = try await db.count(
                    """
                    DELETE FROM email_tokens WHERE token_hash = \(Data(token.hash)) AND purpose = \(token.purpose.rawValue)
                    AND account_id = \(token.accountID) AND expires_at > \(now) RETURNING 1
                    """)
                guard deleted == 1 else { return false }
                try await Self.apply(use, of: token, now: now, db: db)
                return true
            }
        } catch is Rollback {
            return false
        }
    }

    /// Throws `Rollback` when a verify or reset token's account no longer has its email.
    private static func apply(_ use: EmailTokenUse, of token: EmailToken, now: Int64, db: Connection) async throws {
        switch use {
        case .verifyEmail:
            let updated = try await db.count(
                """
                UPDATE accounts SET email_verified = true, updated_at = \(now)
                WHERE id = \(token.accountID) AND email = \(token.email) RETURNING 1
                """)
            guard updated == 1 else { throw Rollback() }
        case .resetPassword(let hash):
            let updated = try await db.count(
                """
                UPDATE accounts SET password_hash = \(hash), email_verified = true, updated_at = \(now)
                WHERE id = \(token.accountID) AND email = \(token.email) RETURNING 1
                """)
            guard updated == 1 else { throw Rollback() }
            try await voidResetTokens(accountID: token.accountID, db: db)
            try await endSessions(db, accountID: token.accountID, except: nil, reason: .passwordReset, now: now)
        case .changeEmail:
            do {
                try await db.run(
                    "UPDATE accounts SET email = \(token.email), email_verified = true, updated_at = \(now) WHERE id = \(token.accountID)")
            } catch let error as PSQLError where error.isUniqueViolation {
                throw AuthError(.accountExists, "Another account has taken this email meanwhile.")
            }
        }
    }

    public func purgeEmailTokens(expiredBefore: Int64, limit: Int) async throws -> Int {
        try await connection { db in
            try await db.count(
                """
                DELETE FROM email_tokens WHERE token_hash IN (
                    SELECT token_hash FROM email_tokens WHERE expires_at < \(expiredBefore) LIMIT \(limit))
                RETURNING 1
                """)
        }
    }
}

extension PSQLError {
    /// A UNIQUE constraint or index refused the write (SQLSTATE 23505).
    var isUniqueViolation: Bool { serverInfo?[.sqlState] == "23505" }
}
