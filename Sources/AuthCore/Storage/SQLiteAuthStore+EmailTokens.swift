import Foundation
import GRDB

extension SQLiteAuthStore {
    public func issue(_ token: EmailToken, queueing mails: [OutgoingMail], unlessIssuedAfter issuedAfter: Int64) async throws
        -> Bool
    {
        try await immediate { db in
            let recent = try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT 1 FROM email_tokens WHERE account_id = ? AND purpose = ? AND created_at > ?"),
                arguments: [token.accountID, token.purpose.rawValue, issuedAfter]) == true
            if recent { return false }
            try db.cachedStatement(sql: "DELETE FROM email_tokens WHERE account_id = ? AND purpose = ?")
                .execute(arguments: [token.accountID, token.purpose.rawValue])
            try db.cachedStatement(
                sql: """
                    INSERT INTO email_tokens (token_hash, account_id, purpose, email, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                Data(token.hash), token.accountID, token.purpose.rawValue, token.email, token.createdAt, token.expiresAt,
            ])
            for mail in mails { try Self.enqueue(mail, db: db) }
            return true
        }
    }

    public func emailToken(hash: [UInt8]) async throws -> EmailToken? {
        try await writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM email_tokens WHERE token_hash = ?"), arguments: [Data(hash)])
                .flatMap(EmailToken.init(row:))
        }
    }

    public func redeem(_ token: EmailToken, _ use: EmailTokenUse, now: Int64) async throws -> Bool {
        do {
            return try await redeemOrRollBack(token, use, now: now)
        } catch is Rollback {
            return false
        }
    }

    private func redeemOrRollBack(_ token: EmailToken, _ use: EmailTokenUse, now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(
                sql: "DELETE FROM email_tokens WHERE token_hash = ? AND purpose = ? AND account_id = ? AND expires_at > ?"
            ).execute(arguments: [Data(token.hash), token.purpose.rawValue, token.accountID, now])
            guard db.changesCount == 1 else { return false }
            switch use {
            case .verifyEmail:
                try Self.markVerified(token, now: now, db: db)
            case .resetPassword(let hash):
                try db.cachedStatement(
                    sql: "UPDATE accounts SET password_hash = ?, email_verified = 1, updated_at = ? WHERE id = ? AND email = ?"
                ).execute(arguments: [hash, now, token.accountID, token.email])
                guard db.changesCount == 1 else { throw Rollback() }
                try Self.voidResetTokens(accountID: token.accountID, db: db)
                _ = try Self.endSessions(db, accountID: token.accountID, except: nil, reason: .passwordReset, now: now)
            case .changeEmail:
                if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM accounts WHERE email = ?"), arguments: [token.email])
                    == true
                {
                    throw AuthError(.accountExists, "Another account has taken this email meanwhile.")
                }
                try db.cachedStatement(sql: "UPDATE accounts SET email = ?, email_verified = 1, updated_at = ? WHERE id = ?")
                    .execute(arguments: [token.email, now, token.accountID])
            }
            return true
        }
    }

    public func purgeEmailTokens(expiredBefore: Int64, limit: Int) async throws -> Int {
        try await immediate { db in
            try db.cachedStatement(
                sql: "DELETE FROM email_tokens WHERE token_hash IN (SELECT token_hash FROM email_tokens WHERE expires_at < ? LIMIT ?)"
            ).execute(arguments: [expiredBefore, limit])
            return db.changesCount
        }
    }

    private static func markVerified(_ token: EmailToken, now: Int64, db: Database) throws {
        try db.cachedStatement(sql: "UPDATE accounts SET email_verified = 1, updated_at = ? WHERE id = ? AND email = ?")
            .execute(arguments: [now, token.accountID, token.email])
        guard db.changesCount == 1 else { throw Rollback() }
    }
}

/// Thrown inside a transaction to undo it, answered as "nothing changed".
struct Rollback: Error {}

extension EmailToken {
    init?(row: Row) {
        guard let purpose = Purpose(rawValue: row["purpose"]) else { return nil }
        self.init(
            hash: (row["token_hash"] as Data).bytes, accountID: row["account_id"], purpose: purpose, email: row["email"],
            createdAt: row["created_at"], expiresAt: row["expires_at"])
    }
}
